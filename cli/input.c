/* SPDX-License-Identifier: MIT */
/* The NDJSON input loop shared by analyze and replay. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/input.h"
#include "common/err.h"
#include "common/lines.h"

#define WARN_CAP 100

static unsigned long warn_count;

void input_warn(const char *who, const char *file, uint64_t lineno, const char *fmt, ...)
{
    va_list ap;

    warn_count++;
    if (warn_count > WARN_CAP) {
        return;
    }
    if (lineno) {
        fprintf(stderr, "candor %s: %s:%llu: ", who, file, (unsigned long long)lineno);
    } else {
        fprintf(stderr, "candor %s: %s: ", who, file);
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void input_warn_summary(const char *who)
{
    if (warn_count > WARN_CAP) {
        fprintf(stderr, "candor %s: %lu more warnings not shown\n", who, warn_count - WARN_CAP);
    }
}

static int read_one(const char *who, const char *path, size_t index,
                    struct cnd_postjson *pj, input_fn fn, void *arg, struct input_stats *st)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    struct input_line il;
    struct cnd_lines *lr;
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    int err = 0, ret = 0;

    lr = cnd_lines_open(path, NULL, &err);
    if (lr == NULL) {
        input_warn(who, name, 0, "cannot open: %s", cnd_strerror(err));
        st->files_failed++;
        return 0;
    }
    memset(&il, 0, sizeof(il));
    il.file = name;
    il.file_index = index;
    for (;;) {
        struct cnd_post post;
        int status = cnd_lines_next(lr, &line, &len, &lineno);

        if (status == CND_LINES_EOF) {
            break;
        }
        if (status < 0) {
            if (status == CND_ETRUNC) {
                input_warn(who, name, 0, "truncated gzip stream after line %llu; "
                           "the lines before it were read", (unsigned long long)lineno);
            } else {
                input_warn(who, name, 0, "read error after line %llu: %s",
                           (unsigned long long)lineno, cnd_strerror(status));
            }
            st->files_failed++;
            break;
        }
        st->lines++;
        il.lineno = lineno;
        il.post = NULL;
        il.error = NULL;
        il.error_id = NULL;
        il.error_id_len = 0;
        if (status == CND_LINES_LONG) {
            il.error = "line too long, skipped";
        } else {
            int pret;

            memset(&post, 0, sizeof(post));
            pret = cnd_postjson_parse(pj, line, len, &post);

            if (pret == 0) {
                il.post = &post;
            } else {
                il.error = cnd_postjson_error(pj);
                if (il.error == NULL || il.error[0] == '\0') {
                    il.error = cnd_strerror(pret);
                }
                if (status == CND_LINES_PARTIAL) {
                    il.error = "truncated last line (no newline, not a complete JSON object)";
                }
                il.error_id = post.id.ptr;
                il.error_id_len = post.id.len;
            }
        }
        if (il.post == NULL) {
            st->bad++;
            input_warn(who, name, lineno, "%s", il.error);
        }
        ret = fn(arg, &il);
        if (ret < 0) {
            break;
        }
    }
    cnd_lines_close(lr);
    return ret;
}

int input_each(const char *who, char *const *paths, size_t n_paths,
               const struct cnd_fieldmap *map, input_fn fn, void *arg,
               struct input_stats *st)
{
    struct cnd_postjson *pj = cnd_postjson_new(map);
    size_t i;
    int ret = 0;

    memset(st, 0, sizeof(*st));
    if (pj == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < n_paths && ret == 0; i++) {
        ret = read_one(who, paths[i], i, pj, fn, arg, st);
    }
    cnd_postjson_free(pj);
    return ret;
}
