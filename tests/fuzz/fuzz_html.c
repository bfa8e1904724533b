/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: HTML to text. Valid UTF-8 in must give valid UTF-8
 * out, never longer than a small multiple of the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "ingest/html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cnd_buf b;
    const char *s = (const char *)data;

    cnd_buf_init(&b, 0);
    if (cnd_html_to_text(&b, s, size) < 0) {
        abort();
    }
    if (cnd_utf8_valid(s, size, NULL) && !cnd_utf8_valid(b.data ? b.data : "", b.len, NULL)) {
        abort();
    }
    if (b.len > 4 * size + 4) {
        abort();
    }
    cnd_buf_release(&b);
    return 0;
}
