/* SPDX-License-Identifier: MIT */
/*
 * The input loop shared by analyze and replay: NDJSON dumps, archive
 * segments of `candor fetch` (each page through its source's adapter)
 * and directories of either, walked in sorted order.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/input.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/lines.h"
#include "ingest/archive.h"
#include "ingest/source.h"

#define WARN_CAP 100
#define MAX_SOURCES 1024
#define MAX_DEPTH 16

static unsigned long warn_count;
static const struct cnd_config *input_cfg;

void input_set_config(const struct cnd_config *cfg)
{
    input_cfg = cfg;
}

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

/* ---- State of one input_each call ---- */

struct asrc {
    char *name;
    char *kind;
    struct cnd_source *src;     /* NULL: unusable (reported once) */
    struct cnd_batch batch;
};

struct input {
    const char *who;
    struct cnd_postjson *pj;
    struct cnd_archive_reader *ar;
    struct asrc *srcs;
    size_t n_srcs;
    input_fn fn;
    void *arg;
    struct input_stats *st;
};

/* The adapter for source "name" of kind "kind" (cached), or NULL when unusable. */
static struct asrc *source_for(struct input *in, const char *file, uint64_t lineno,
                               const char *name, const char *kind, int *err)
{
    const struct cnd_jval *list = input_cfg ? input_cfg->sources : NULL;
    struct cnd_buf errs;
    struct asrc *a, *n;
    size_t i;

    *err = 0;
    for (i = 0; i < in->n_srcs; i++) {
        if (strcmp(in->srcs[i].name, name) == 0 && strcmp(in->srcs[i].kind, kind) == 0) {
            return in->srcs[i].src ? &in->srcs[i] : NULL;   /* unusable: reported once */
        }
    }
    if (in->n_srcs >= MAX_SOURCES) {
        input_warn(in->who, file, lineno, "more than %d archived sources", MAX_SOURCES);
        return NULL;
    }
    n = cnd_realloc(in->srcs, (in->n_srcs + 1) * sizeof(*n));
    if (n == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    in->srcs = n;
    a = &in->srcs[in->n_srcs];
    memset(a, 0, sizeof(*a));
    a->name = cnd_strdup(name);
    a->kind = cnd_strdup(kind);
    if (a->name == NULL || a->kind == NULL || cnd_batch_init(&a->batch, name) < 0) {
        cnd_free(a->name);
        cnd_free(a->kind);
        cnd_batch_release(&a->batch);
        *err = CND_ENOMEM;
        return NULL;
    }
    in->n_srcs++;
    cnd_buf_init(&errs, 1 << 16);
    for (i = 0; list != NULL && list->type == CND_JARR && i < list->n; i++) {
        const struct cnd_jval *nm = cnd_jval_get(list->items[i], "name");
        const struct cnd_jval *kd = cnd_jval_get(list->items[i], "kind");

        if (nm == NULL || nm->type != CND_JSTR || strcmp(nm->str, name) != 0) {
            continue;
        }
        if (kd == NULL || kd->type != CND_JSTR || strcmp(kd->str, kind) != 0) {
            input_warn(in->who, file, lineno, "source '%s' is of kind '%s' in the archive but "
                       "not in the config: using the defaults of '%s'", name, kind, kind);
            break;
        }
        a->src = cnd_source_new(list->items[i], input_cfg->path, i, CND_SOURCE_NOENV, &errs,
                                err);
        if (a->src == NULL && *err != CND_ENOMEM) {
            const char *msg = errs.data ? errs.data : cnd_strerror(*err);

            input_warn(in->who, file, lineno, "source '%s' from the config: %.*s", name,
                       (int)strcspn(msg, "\n"), msg);
        }
        cnd_buf_release(&errs);
        return *err == CND_ENOMEM ? NULL : (a->src ? a : NULL);
    }
    cnd_buf_release(&errs);
    if (cnd_source_kind(kind) == NULL) {
        input_warn(in->who, file, lineno, "archived source '%s' has unknown kind '%s'", name, kind);
        return NULL;
    }
    {
        /* Options that only requests need (a query, a subreddit, mastodon's tag)
         * get placeholders: parsing a page never uses them. */
        const struct cnd_opt *o = cnd_source_kind(kind)->opts;
        char *kv[16];
        size_t nkv = 0;

        for (; o->name != NULL && nkv < sizeof(kv) / sizeof(kv[0]); o++) {
            if ((o->flags & CND_OPT_REQUIRED) || strcmp(o->name, "tag") == 0) {
                struct cnd_buf b;

                cnd_buf_init(&b, 0);
                if (cnd_buf_addf(&b, "%s=%s", o->name, o->type == CND_OPT_URL
                                 ? "https://replay.invalid" : "replay") < 0) {
                    cnd_buf_release(&b);
                    break;
                }
                kv[nkv++] = cnd_buf_detach(&b);
            }
        }
        cnd_buf_init(&errs, 1 << 16);
        a->src = cnd_source_new_kv(kind, name, kv, nkv, CND_SOURCE_NOENV, &errs, err);
        if (a->src == NULL && *err != CND_ENOMEM) {
            const char *msg = errs.data ? errs.data : cnd_strerror(*err);
            const char *colon = strstr(msg, ": ");
            size_t len;

            if (strncmp(msg, "--option:", 9) == 0 && colon != NULL) {
                msg = colon + 2;
            }
            len = strcspn(msg, "\n");
            input_warn(in->who, file, lineno, "source '%s' of kind '%s' is not in the config "
                       "and its defaults do not do: %.*s", name, kind, (int)len, msg);
        }
        cnd_buf_release(&errs);
        while (nkv > 0) {
            cnd_free(kv[--nkv]);
        }
    }
    return *err == CND_ENOMEM ? NULL : (a->src ? a : NULL);
}

static int report_bad(struct input *in, struct input_line *il, const char *error)
{
    il->post = NULL;
    il->error = error;
    il->error_id = NULL;
    il->error_id_len = 0;
    in->st->bad++;
    input_warn(in->who, il->file, il->lineno, "%s", error);
    return in->fn(in->arg, il);
}

/* One archive line: the page's posts through the adapter. */
static int archive_line(struct input *in, struct input_line *il, const char *line, size_t len,
                        int partial)
{
    struct cnd_archive_page p;
    struct cnd_response resp;
    struct cnd_cursor next;
    struct asrc *a;
    char msg[512];
    size_t k;
    int ret, err = 0;

    ret = cnd_archive_parse_line(in->ar, line, len, &p);
    if (ret == CND_ENOMEM) {
        return ret;
    }
    if (ret < 0) {
        in->st->lines++;
        snprintf(msg, sizeof(msg), "%s%s", partial ? "truncated last line: " : "",
                 cnd_archive_reader_error(in->ar));
        return report_bad(in, il, msg);
    }
    a = source_for(in, il->file, il->lineno, p.source, p.kind, &err);
    if (a == NULL) {
        in->st->lines++;
        if (err == CND_ENOMEM) {
            return err;
        }
        return report_bad(in, il, "page skipped: no usable adapter for its source");
    }
    memset(&resp, 0, sizeof(resp));
    resp.status = p.status;
    resp.body = p.body;
    resp.len = p.len;
    resp.headers = p.headers;
    resp.n_headers = p.n_headers;
    cnd_batch_clear(&a->batch);
    cnd_cursor_init(&next);
    ret = cnd_source_parse(a->src, &resp, p.cursor_in, &a->batch, &next);
    cnd_cursor_release(&next);
    if (ret == CND_ENOMEM) {
        return ret;
    }
    if (ret < 0) {
        in->st->lines++;
        snprintf(msg, sizeof(msg), "archived page of '%s' does not parse: %s", p.source,
                 a->batch.error[0] ? a->batch.error : cnd_strerror(ret));
        return report_bad(in, il, msg);
    }
    for (k = 0; k < a->batch.n; k++) {
        in->st->lines++;
        il->post = &a->batch.posts[k];
        il->error = NULL;
        il->error_id = NULL;
        il->error_id_len = 0;
        ret = in->fn(in->arg, il);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* One NDJSON line: a post. */
static int ndjson_line(struct input *in, struct input_line *il, const char *line, size_t len,
                       int status)
{
    struct cnd_post post;

    in->st->lines++;
    il->post = NULL;
    il->error = NULL;
    il->error_id = NULL;
    il->error_id_len = 0;
    if (status == CND_LINES_LONG) {
        il->error = "line too long, skipped";
    } else {
        int pret;

        memset(&post, 0, sizeof(post));
        pret = cnd_postjson_parse(in->pj, line, len, &post);
        if (pret == 0) {
            il->post = &post;
        } else {
            il->error = cnd_postjson_error(in->pj);
            if (il->error == NULL || il->error[0] == '\0') {
                il->error = cnd_strerror(pret);
            }
            if (status == CND_LINES_PARTIAL) {
                il->error = "truncated last line (no newline, not a complete JSON object)";
            }
            il->error_id = post.id.ptr;
            il->error_id_len = post.id.len;
        }
    }
    if (il->post == NULL) {
        in->st->bad++;
        input_warn(in->who, il->file, il->lineno, "%s", il->error);
    }
    return in->fn(in->arg, il);
}

static int read_file(struct input *in, const char *path, size_t index)
{
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    struct cnd_lines_opts lo;
    struct input_line il;
    struct cnd_lines *lr;
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    int err = 0, ret = 0, archive = -1;

    memset(&lo, 0, sizeof(lo));
    lo.max_line = 96u << 20;   /* an archived page is one line */
    lr = cnd_lines_open(path, &lo, &err);
    if (lr == NULL) {
        input_warn(in->who, name, 0, "cannot open: %s", cnd_strerror(err));
        in->st->files_failed++;
        return 0;
    }
    memset(&il, 0, sizeof(il));
    il.file = name;
    il.file_index = index;
    for (;;) {
        int status = cnd_lines_next(lr, &line, &len, &lineno);

        if (status == CND_LINES_EOF) {
            break;
        }
        if (status < 0) {
            if (status == CND_ETRUNC) {
                input_warn(in->who, name, 0, "truncated gzip stream after line %llu; "
                           "the lines before it were read", (unsigned long long)lineno);
            } else {
                input_warn(in->who, name, 0, "read error after line %llu: %s",
                           (unsigned long long)lineno, cnd_strerror(status));
            }
            in->st->files_failed++;
            break;
        }
        il.lineno = lineno;
        if (archive < 0) {
            archive = status != CND_LINES_LONG && cnd_archive_is_page(line, len);
        }
        if (archive && status != CND_LINES_LONG) {
            ret = archive_line(in, &il, line, len, status == CND_LINES_PARTIAL);
        } else if (archive) {
            in->st->lines++;
            ret = report_bad(in, &il, "line too long, skipped");
        } else {
            ret = ndjson_line(in, &il, line, len, status);
        }
        if (ret < 0) {
            break;
        }
    }
    cnd_lines_close(lr);
    return ret;
}

/* ---- Directories ---- */

static int wanted_file(const char *name)
{
    static const char *const exts[] = { ".ndjson", ".ndjson.gz", ".jsonl", ".jsonl.gz", ".gz" };
    size_t n = strlen(name), i;

    if (name[0] == '.' || strstr(name, ".tmp.") != NULL) {
        return 0;
    }
    for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t e = strlen(exts[i]);

        if (n > e && strcmp(name + n - e, exts[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int read_path(struct input *in, const char *path, size_t index, int depth);

static int read_dir(struct input *in, const char *path, size_t index, int depth)
{
    DIR *d;
    struct dirent *e;
    char **names = NULL, **nn;
    size_t n = 0, i;
    int ret = 0;

    if (depth > MAX_DEPTH) {
        input_warn(in->who, path, 0, "directories nested more than %d deep: not read", MAX_DEPTH);
        in->st->files_failed++;
        return 0;
    }
    d = opendir(path);
    if (d == NULL) {
        input_warn(in->who, path, 0, "cannot open directory");
        in->st->files_failed++;
        return 0;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || e->d_name[0] == '.') {
            continue;
        }
        nn = cnd_realloc(names, (n + 1) * sizeof(*names));
        if (nn == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        names = nn;
        names[n] = cnd_strdup(e->d_name);
        if (names[n] == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 1) {
        qsort(names, n, sizeof(*names), cmp_str);
    }
    for (i = 0; i < n && ret == 0; i++) {
        struct cnd_buf child;
        struct stat sb;

        cnd_buf_init(&child, 0);
        ret = cnd_buf_addf(&child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
                           names[i]);
        if (ret == 0 && stat(child.data, &sb) == 0) {
            if (S_ISDIR(sb.st_mode)) {
                ret = read_path(in, child.data, index, depth + 1);
            } else if (S_ISREG(sb.st_mode) && wanted_file(names[i])) {
                ret = read_file(in, child.data, index);
            }
        }
        cnd_buf_release(&child);
    }
    for (i = 0; i < n; i++) {
        cnd_free(names[i]);
    }
    cnd_free(names);
    return ret;
}

static int read_path(struct input *in, const char *path, size_t index, int depth)
{
    struct stat sb;

    if (strcmp(path, "-") != 0 && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        return read_dir(in, path, index, depth);
    }
    return read_file(in, path, index);
}

int input_each(const char *who, char *const *paths, size_t n_paths,
               const struct cnd_fieldmap *map, input_fn fn, void *arg,
               struct input_stats *st)
{
    struct input in;
    size_t i;
    int ret = 0;

    memset(st, 0, sizeof(*st));
    memset(&in, 0, sizeof(in));
    in.who = who;
    in.fn = fn;
    in.arg = arg;
    in.st = st;
    in.pj = cnd_postjson_new(map);
    in.ar = cnd_archive_reader_new();
    if (in.pj == NULL || in.ar == NULL) {
        ret = CND_ENOMEM;
    }
    for (i = 0; i < n_paths && ret == 0; i++) {
        ret = read_path(&in, paths[i], i, 0);
    }
    for (i = 0; i < in.n_srcs; i++) {
        cnd_free(in.srcs[i].name);
        cnd_free(in.srcs[i].kind);
        cnd_source_free(in.srcs[i].src);
        cnd_batch_release(&in.srcs[i].batch);
    }
    cnd_free(in.srcs);
    cnd_archive_reader_close(in.ar);
    cnd_postjson_free(in.pj);
    return ret;
}
