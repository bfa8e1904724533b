/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the adapters: the item collector, the per-post checks
 * (UTF-8, id, timestamp) and URL building.
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "ingest/adapter.h"

void item_init(struct item *it)
{
    size_t k;

    for (k = 0; k < ITEM_MAX_FIELDS; k++) {
        cnd_buf_init(&it->f[k], ADAPTER_MAX_FIELD);
        it->st[k] = FS_MISSING;
    }
    it->active = 0;
}

void item_reset(struct item *it)
{
    size_t k;

    for (k = 0; k < ITEM_MAX_FIELDS; k++) {
        cnd_buf_reset(&it->f[k]);
        it->st[k] = FS_MISSING;
    }
}

void item_release(struct item *it)
{
    size_t k;

    for (k = 0; k < ITEM_MAX_FIELDS; k++) {
        cnd_buf_release(&it->f[k]);
    }
}

int item_set(struct item *it, int k, enum cnd_jp_type t, const char *s, size_t len)
{
    int ret;

    if (it->st[k] != FS_MISSING) {
        return 0;
    }
    switch (t) {
    case CND_JP_STR:
    case CND_JP_NUM:
        cnd_buf_reset(&it->f[k]);
        ret = cnd_buf_add(&it->f[k], s, len);
        if (ret == CND_ETOOBIG) {
            it->st[k] = FS_BIG;
            return 0;
        }
        if (ret < 0) {
            return ret;
        }
        it->st[k] = t == CND_JP_STR ? FS_STR : FS_NUM;
        return 0;
    case CND_JP_NULL:
        it->st[k] = FS_NULL;
        return 0;
    default:
        it->st[k] = FS_OTHER;
        return 0;
    }
}

void item_set_other(struct item *it, int k)
{
    if (it->st[k] == FS_MISSING) {
        it->st[k] = FS_OTHER;
    }
}

struct cnd_str item_str(const struct item *it, int k)
{
    struct cnd_str s = { NULL, 0 };

    if (it->st[k] == FS_STR || it->st[k] == FS_NUM) {
        s.ptr = it->f[k].data ? it->f[k].data : "";
        s.len = it->f[k].len;
    }
    return s;
}

int item_has(const struct item *it, int k)
{
    return (it->st[k] == FS_STR || it->st[k] == FS_NUM) && it->f[k].len > 0;
}

void adapter_skip(struct cnd_batch *b)
{
    b->skipped++;
}

int adapter_add_bearer(struct cnd_request *req, const char *token)
{
    struct cnd_buf a;
    int ret;

    cnd_buf_init(&a, 0);
    ret = cnd_buf_addf(&a, "Bearer %s", token);
    if (ret == 0) {
        ret = cnd_request_add_header(req, "Authorization", a.data, 1);
    }
    if (a.data) {
        memset(a.data, 0, a.len);
    }
    cnd_buf_release(&a);
    return ret;
}

int adapter_keep_cursor(struct cnd_jp *jp, struct cnd_buf *b, int *has, const char *s,
                        size_t len)
{
    int ret;

    if (len == 0 || *has) {
        return 0;
    }
    ret = cnd_buf_add(b, s, len);
    if (ret == CND_ETOOBIG) {
        char why[96];

        snprintf(why, sizeof(why), "the next-page cursor is %zu bytes, over the limit of %zu",
                 len, b->max);
        cnd_jp_set_reason(jp, why);
        return CND_ELIMIT;
    }
    if (ret < 0) {
        return ret;
    }
    *has = 1;
    return 0;
}

static int valid(const struct cnd_str *s)
{
    return s->ptr == NULL || cnd_utf8_valid(s->ptr, s->len, NULL);
}

int adapter_add(struct cnd_batch *b, struct cnd_post *p)
{
    int64_t t;

    if (p->id.ptr == NULL || p->id.len == 0) {
        b->skipped++;
        return 0;
    }
    if (!valid(&p->id) || !valid(&p->text) || !valid(&p->author) || !valid(&p->url) ||
        !valid(&p->lang) || !valid(&p->created_raw)) {
        b->skipped++;
        b->skipped_utf8++;
        return 0;
    }
    if (p->text.ptr == NULL) {
        p->text.ptr = "";   /* a post without text is still a post */
        p->text.len = 0;
    }
    p->has_created_at = 0;
    p->created_at = 0;
    if (p->created_raw.ptr != NULL && cnd_time_parse(p->created_raw.ptr, p->created_raw.len, &t) == 0) {
        p->created_at = t;
        p->has_created_at = 1;
    }
    return cnd_batch_add(b, p);
}

void adapter_patterns_free(char **pats, size_t n)
{
    size_t i;

    if (pats == NULL) {
        return;
    }
    for (i = 0; i < n; i++) {
        cnd_free(pats[i]);
    }
    cnd_free(pats);
}

int adapter_patterns(const char *prefix, const char *const *suffixes, size_t n, char ***out)
{
    char **p = cnd_calloc(n ? n : 1, sizeof(char *));
    size_t i, pl = strlen(prefix);

    if (p == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        size_t sl = strlen(suffixes[i]);
        int dot = pl > 0 && sl > 0;

        p[i] = cnd_malloc(pl + (size_t)dot + sl + 1);
        if (p[i] == NULL) {
            adapter_patterns_free(p, n);
            return CND_ENOMEM;
        }
        memcpy(p[i], prefix, pl);
        if (dot) {
            p[i][pl] = '.';
        }
        memcpy(p[i] + pl + (size_t)dot, suffixes[i], sl + 1);
    }
    *out = p;
    return 0;
}

int url_param(struct cnd_buf *b, const char *key, const char *v)
{
    int ret = cnd_buf_addf(b, "%c%s=", b->data && strchr(b->data, '?') ? '&' : '?', key);

    return ret < 0 ? ret : cnd_url_escape(b, v, strlen(v));
}

int url_get_param(const char *url, const char *key, char **out)
{
    const char *q = strchr(url, '?');
    char *copy;
    int ret;

    if (q == NULL) {
        return CND_ENOENT;
    }
    copy = cnd_strdup(q + 1);
    if (copy == NULL) {
        return CND_ENOMEM;
    }
    {
        char *hash = strchr(copy, '#');

        if (hash) {
            *hash = '\0';
        }
    }
    ret = cnd_cursor_get(copy, key, out);
    cnd_free(copy);
    return ret;
}

int url_same_base(const char *url, const char *base)
{
    size_t n = strlen(base);

    return strncmp(url, base, n) == 0 && (url[n] == '\0' || url[n] == '/' || url[n] == '?');
}

void fmt_i64(int64_t v, char out[24])
{
    snprintf(out, 24, "%lld", (long long)v);
}

int adapter_contains(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;

    for (i = 0; n > 0 && i + n <= len; i++) {
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0) {
            return 1;
        }
    }
    return 0;
}
