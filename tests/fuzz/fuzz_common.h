/* SPDX-License-Identifier: MIT */
/*
 * The body of every adapter fuzz target (tests/fuzz/fuzz_<kind>.c): the
 * input is a response body given to the adapter's parse() with a few
 * cursors; every post that comes out must be valid UTF-8 with an id, and
 * nothing may leak or crash. A target defines FUZZ_KIND and FUZZ_OPTS
 * (a NULL-terminated list of "key=value") and includes this file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/utf8.h"
#include "ingest/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_str(const struct cnd_str *s)
{
    if (s->ptr != NULL && !cnd_utf8_valid(s->ptr, s->len, NULL)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const opts[] = FUZZ_OPTS;
    static const char *const cursors[] = { NULL, FUZZ_CURSOR };
    static struct cnd_source *src;
    struct cnd_header h[1] = { { "Link", "<https://x.test/a?min_id=5>; rel=\"prev\", "
                                         "<https://x.test/a?max_id=1>; rel=\"next\"" } };
    struct cnd_response resp;
    size_t i, k, n = 0;

    if (src == NULL) {
        struct cnd_buf errs;
        int err = 0;

        while (opts[n]) {
            n++;
        }
        cnd_buf_init(&errs, 0);
        src = cnd_source_new_kv(FUZZ_KIND, "fuzz", (char *const *)opts, n, CND_SOURCE_NOENV,
                                &errs, &err);
        cnd_buf_release(&errs);
        if (src == NULL) {
            abort();
        }
    }
    memset(&resp, 0, sizeof(resp));
    resp.status = 200;
    resp.body = (const char *)data;
    resp.len = size;
    resp.headers = h;
    resp.n_headers = 1;
    for (k = 0; k < sizeof(cursors) / sizeof(cursors[0]); k++) {
        struct cnd_batch b;
        struct cnd_cursor next;
        struct cnd_request req;
        int ret;

        if (cnd_batch_init(&b, "fuzz") < 0) {
            abort();
        }
        cnd_cursor_init(&next);
        ret = cnd_source_parse(src, &resp, cursors[k], &b, &next);
        if (ret < 0 && b.n != 0) {
            abort();   /* a failed page keeps no posts */
        }
        for (i = 0; i < b.n; i++) {
            const struct cnd_post *p = &b.posts[i];

            if (p->id.ptr == NULL || p->id.len == 0 || p->text.ptr == NULL) {
                abort();
            }
            check_str(&p->id);
            check_str(&p->text);
            check_str(&p->author);
            check_str(&p->url);
            check_str(&p->lang);
        }
        if (ret == 0 && next.value != NULL) {
            /* the cursor it produced must build a request */
            if (cnd_source_build_request(src, next.value, &req) == 0) {
                cnd_request_release(&req);
            }
        }
        cnd_cursor_release(&next);
        cnd_batch_release(&b);
    }
    return 0;
}
