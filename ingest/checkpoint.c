/* SPDX-License-Identifier: MIT */
/*
 * Checkpoint files (see checkpoint.h): written with the atomic writer of
 * output/atomic.c, read with the streaming JSON matcher (no tree).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "ingest/checkpoint.h"
#include "ingest/jsonpath.h"
#include "output/output.h"

#define CHECKPOINT_MAX (1u << 20)

void cnd_checkpoint_init(struct cnd_checkpoint *cp)
{
    memset(cp, 0, sizeof(*cp));
}

void cnd_checkpoint_release(struct cnd_checkpoint *cp)
{
    if (cp == NULL) {
        return;
    }
    cnd_free(cp->kind);
    cnd_free(cp->cursor);
    cnd_checkpoint_init(cp);
}

char *cnd_checkpoint_path(const char *data_dir, const char *source)
{
    struct cnd_buf b;

    cnd_buf_init(&b, 0);
    if (cnd_buf_addf(&b, "%s/state/%s.json", data_dir, source) < 0) {
        cnd_buf_release(&b);
        return NULL;
    }
    return cnd_buf_detach(&b);
}

/* ---- Reading ---- */

enum { C_ROOT, C_KIND, C_CURSOR, C_UPDATED, C_PAGES, C_POSTS, C_COUNT };

struct rd {
    struct cnd_checkpoint *cp;
    int root_map;
    int has_cursor_key;
};

static uint64_t to_u64(const char *s, size_t len)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < len && i < 19 && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v;
}

static int c_open(void *ud, int id, enum cnd_jp_type t)
{
    struct rd *rd = ud;

    if (id == C_ROOT) {
        rd->root_map = t == CND_JP_MAP;
    }
    return 0;
}

static int c_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct rd *rd = ud;
    char **dst = NULL;

    switch (id) {
    case C_KIND: dst = &rd->cp->kind; break;
    case C_CURSOR:
        rd->has_cursor_key = 1;
        dst = &rd->cp->cursor;
        break;
    case C_UPDATED:
        if (t == CND_JP_STR) {
            int64_t v;

            if (cnd_time_parse(s, len, &v) == 0) {
                rd->cp->updated_at = (double)v;
            }
        }
        return 0;
    case C_PAGES:
        rd->cp->pages = t == CND_JP_NUM ? to_u64(s, len) : 0;
        return 0;
    case C_POSTS:
        rd->cp->posts = t == CND_JP_NUM ? to_u64(s, len) : 0;
        return 0;
    default:
        return 0;
    }
    if (t != CND_JP_STR || *dst != NULL) {
        return 0;
    }
    *dst = cnd_strndup(s, len);
    return *dst ? 0 : CND_ENOMEM;
}

int cnd_checkpoint_load(const char *data_dir, const char *source, struct cnd_checkpoint *cp)
{
    static const char *const pats[C_COUNT] = {
        "", "kind", "cursor", "updated_at", "pages", "posts",
    };
    static const struct cnd_jp_handler h = { c_open, NULL, c_scalar };
    struct cnd_buf text;
    struct cnd_jp *jp = NULL;
    struct rd rd;
    char *path = cnd_checkpoint_path(data_dir, source), chunk[4096];
    FILE *f = NULL;
    size_t n;
    int ret = 0;

    cnd_buf_init(&text, CHECKPOINT_MAX);
    if (path == NULL) {
        return CND_ENOMEM;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        ret = errno == ENOENT ? CND_ENOENT : CND_EIO;
        if (ret == CND_EIO) {
            cnd_log(CND_LOG_ERROR, "checkpoint", "cannot open '%s': %s", path, strerror(errno));
        }
        goto out;
    }
    while (ret == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        ret = cnd_buf_add(&text, chunk, n);
    }
    if (ret == 0 && ferror(f)) {
        cnd_log(CND_LOG_ERROR, "checkpoint", "cannot read '%s'", path);
        ret = CND_EIO;
    }
    if (ret == CND_ETOOBIG) {
        cnd_log(CND_LOG_ERROR, "checkpoint", "'%s' is larger than 1 MiB: not a checkpoint", path);
        ret = CND_EPARSE;
    }
    if (ret < 0) {
        goto out;
    }
    memset(&rd, 0, sizeof(rd));
    rd.cp = cp;
    jp = cnd_jp_new(pats, C_COUNT, &h, &rd, 8, 0);
    if (jp == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    ret = cnd_jp_parse(jp, text.data ? text.data : "", text.len);
    if (ret == CND_ENOMEM) {
        goto out;
    }
    if (ret < 0 || !rd.root_map || cp->kind == NULL || !rd.has_cursor_key) {
        cnd_log(CND_LOG_ERROR, "checkpoint", "'%s' is not a checkpoint%s%s", path,
                ret < 0 ? ": " : " (needs \"kind\" and \"cursor\")", ret < 0 ? cnd_jp_error(jp)
                                                                         : "");
        ret = CND_EPARSE;
    }
out:
    if (ret < 0) {
        cnd_checkpoint_release(cp);
    }
    if (f != NULL) {
        fclose(f);
    }
    cnd_jp_free(jp);
    cnd_buf_release(&text);
    cnd_free(path);
    return ret;
}

/* ---- Writing ---- */

int cnd_checkpoint_save(const char *data_dir, const char *source,
                        const struct cnd_checkpoint *cp)
{
    struct cnd_buf b, dir;
    char when[21], *path;
    int ret;

    path = cnd_checkpoint_path(data_dir, source);
    if (path == NULL) {
        return CND_ENOMEM;
    }
    cnd_buf_init(&b, 0);
    cnd_buf_init(&dir, 0);
    cnd_time_format((int64_t)cp->updated_at, when);
    ret = cnd_buf_addf(&dir, "%s/state", data_dir);
    if (ret == 0) {
        ret = cnd_mkdirs(dir.data);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&b, "{\"source\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(&b, source, strlen(source));
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&b, ",\"kind\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(&b, cp->kind ? cp->kind : "", cp->kind ? strlen(cp->kind) : 0);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&b, ",\"cursor\":");
    }
    if (ret == 0) {
        ret = cp->cursor ? cnd_buf_add_json_str(&b, cp->cursor, strlen(cp->cursor))
                         : cnd_buf_adds(&b, "null");
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&b, ",\"updated_at\":\"%s\",\"pages\":%llu,\"posts\":%llu}\n", when,
                           (unsigned long long)cp->pages, (unsigned long long)cp->posts);
    }
    if (ret == 0) {
        ret = cnd_write_file_atomic(path, b.data, b.len);
    }
    cnd_buf_release(&b);
    cnd_buf_release(&dir);
    cnd_free(path);
    return ret;
}
