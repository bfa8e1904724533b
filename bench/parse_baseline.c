/* SPDX-License-Identifier: MIT */
/*
 * The benchmark's baseline: a parse-only pass over an NDJSON file with
 * yajl's callback API (no-op callbacks, one handle for all lines), reading
 * the file in large blocks and splitting lines with memchr. `candor analyze`
 * and `candor replay` are measured as ratios against this.
 * Usage: cnd_parse_baseline FILE   (prints "lines=N bad=N")
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

static int cb_null(void *ctx) { (void)ctx; return 1; }
static int cb_bool(void *ctx, int b) { (void)ctx; (void)b; return 1; }
static int cb_num(void *ctx, const char *s, size_t l) { (void)ctx; (void)s; (void)l; return 1; }
static int cb_str(void *ctx, const unsigned char *s, size_t l) { (void)ctx; (void)s; (void)l; return 1; }

static const yajl_callbacks callbacks = {
    cb_null, cb_bool, NULL, NULL, cb_num, cb_str,
    cb_null, cb_str, cb_null, cb_null, cb_null,
};

static yajl_handle new_handle(void)
{
    yajl_handle h = yajl_alloc(&callbacks, NULL, NULL);

    if (h == NULL || !yajl_config(h, yajl_allow_multiple_values, 1)) {
        fprintf(stderr, "cannot set up yajl\n");
        exit(1);
    }
    return h;
}

int main(int argc, char **argv)
{
    size_t cap = 1 << 22, have = 0;
    char *buf = malloc(cap);
    unsigned long long lines = 0, bad = 0;
    yajl_handle h;
    FILE *f;

    if (argc != 2 || buf == NULL) {
        fprintf(stderr, "usage: cnd_parse_baseline FILE\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (f == NULL) {
        perror(argv[1]);
        return 1;
    }
    h = new_handle();
    for (;;) {
        size_t n = fread(buf + have, 1, cap - have, f), start = 0;
        char *nl;

        have += n;
        if (have == 0) {
            break;
        }
        while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
            size_t len = (size_t)(nl - (buf + start));

            lines++;
            if (yajl_parse(h, (const unsigned char *)buf + start, len) != yajl_status_ok) {
                bad++;
                yajl_free(h);
                h = new_handle();
            }
            start += len + 1;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
        if (n == 0) {
            break;
        }
        if (have == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (buf == NULL) {
                return 1;
            }
        }
    }
    yajl_free(h);
    fclose(f);
    free(buf);
    printf("lines=%llu bad=%llu\n", lines, bad);
    return 0;
}
