/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: one archive line (what `candor replay` reads from a
 * segment that may be damaged), then the rate-limit headers a page could
 * carry. A parsed page must hold NUL-terminated strings and a body whose
 * length is what it says; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/archive.h"
#include "ingest/ratelimit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cnd_archive_reader *r;
    struct cnd_archive_page p;
    struct cnd_ratelimit rl;

    if (r == NULL) {
        r = cnd_archive_reader_new();
        if (r == NULL) {
            abort();
        }
    }
    if (cnd_archive_parse_line(r, (const char *)data, size, &p) == 0) {
        if (p.source == NULL || p.kind == NULL || p.body == NULL || p.body[p.len] != '\0' ||
            strlen(p.source) == 0 || strlen(p.kind) == 0) {
            abort();
        }
        cnd_ratelimit_parse(p.headers, p.n_headers, 1762164000, &rl);
        if (cnd_ratelimit_wait(&rl, 429, 1762164000) < -1 ||
            cnd_ratelimit_wait(&rl, 200, 1762164000) < 0) {
            abort();
        }
    }
    return 0;
}
