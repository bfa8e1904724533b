/* SPDX-License-Identifier: MIT */
/*
 * Hacker News through the Algolia search API (GET /search_by_date, newest
 * first; no key).
 *
 * Cursor: "since=T&until=U&newest=N" (epoch seconds; until and newest
 * optional). Algolia serves at most 1000 hits per query whatever the page,
 * so instead of pages a run moves a time window: it asks for
 * numericFilters=created_at_i>T,created_at_i<=U, page 0, and the next
 * request's U is the oldest created_at_i of the page (the boundary second
 * is asked again; posts are deduplicated by id downstream; if a whole page
 * shares one second, U steps one second back). The run ends when a page is
 * short (fewer hits than asked) or nbHits fits in it; the next cursor is
 * then "since=NEWEST" (more = 0). Without a cursor the newest page is read
 * and polling starts from it.
 *
 * Post: id = objectID; text = comment_text, else title and story_text
 * (HTML converted to text); author; created_at = created_at_i, else
 * created_at; url = https://news.ycombinator.com/item?id=ID.
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "ingest/adapter.h"
#include "ingest/html.h"

struct hn {
    char *base_url;
    char *item_url;
    char *query;
    char *tags;
    long limit;

    struct cnd_jp *jp;
    struct item it;
    struct cnd_batch *out;
    struct cnd_buf text, url;
    enum cnd_jp_type root;
    int64_t newest, oldest;
    long hits;
    int64_t nbhits;
};

enum { P_ROOT, P_NBHITS, P_ITEM, P_ID, P_COMMENT, P_STORY, P_TITLE, P_AUTHOR, P_CREATED_I,
       P_CREATED, P_COUNT };
enum { F_ID, F_COMMENT, F_STORY, F_TITLE, F_AUTHOR, F_CREATED_I, F_CREATED };

static const char *const h_pats[P_COUNT] = {
    "", "nbHits", "hits.*", "hits.*.objectID", "hits.*.comment_text", "hits.*.story_text",
    "hits.*.title", "hits.*.author", "hits.*.created_at_i", "hits.*.created_at",
};

static const struct cnd_opt hn_opts[] = {
    { "base_url", CND_OPT_URL, "https://hn.algolia.com/api/v1", 0, offsetof(struct hn, base_url),
      0, 0, NULL, NULL },
    { "item_url", CND_OPT_URL, "https://news.ycombinator.com/item", 0,
      offsetof(struct hn, item_url), 0, 0, NULL, NULL },
    { "query", CND_OPT_STR, NULL, 0, offsetof(struct hn, query), 0, 0, NULL, NULL },
    { "tags", CND_OPT_STR, "comment", 0, offsetof(struct hn, tags), 0, 0, NULL, NULL },
    { "limit", CND_OPT_INT, "100", 0, offsetof(struct hn, limit), 1, 1000, NULL, NULL },
    { 0 },
};

static int64_t to_i64(const char *s, size_t len, int *ok)
{
    int64_t v = 0;
    size_t i;

    *ok = len > 0 && len < 16;
    for (i = 0; i < len && *ok; i++) {
        if (s[i] < '0' || s[i] > '9') {
            *ok = 0;
        } else {
            v = v * 10 + (s[i] - '0');
        }
    }
    return v;
}

/* ---- Parsing ---- */

static int h_open(void *ud, int id, enum cnd_jp_type t)
{
    struct hn *h = ud;

    if (id == P_ROOT) {
        h->root = t;
    } else if (id == P_ITEM && t == CND_JP_MAP) {
        item_reset(&h->it);
        h->it.active = 1;
    } else if (id > P_ITEM && h->it.active) {
        item_set_other(&h->it, id - P_ID);
    }
    return 0;
}

static int h_close(void *ud, int id, enum cnd_jp_type t)
{
    struct hn *h = ud;
    struct cnd_post p;
    struct cnd_str comment, story, title;
    int64_t tc = 0;
    int ok = 0, ret = 0;
    char num[24];

    if (id != P_ITEM || t != CND_JP_MAP || !h->it.active) {
        return 0;
    }
    h->it.active = 0;
    h->out->items++;
    h->hits++;
    memset(&p, 0, sizeof(p));
    if (h->it.st[F_CREATED_I] == FS_NUM) {
        tc = to_i64(h->it.f[F_CREATED_I].data, h->it.f[F_CREATED_I].len, &ok);
    }
    if (!ok && item_has(&h->it, F_CREATED)) {
        ok = cnd_time_parse(h->it.f[F_CREATED].data, h->it.f[F_CREATED].len, &tc) == 0;
    }
    if (ok) {
        if (tc > h->newest) {
            h->newest = tc;
        }
        if (h->oldest == 0 || tc < h->oldest) {
            h->oldest = tc;
        }
    }
    comment = item_str(&h->it, F_COMMENT);
    story = item_str(&h->it, F_STORY);
    title = item_str(&h->it, F_TITLE);
    cnd_buf_reset(&h->text);
    if (comment.len > 0) {
        ret = cnd_html_to_text(&h->text, comment.ptr, comment.len);
    } else {
        if (title.len > 0) {
            ret = cnd_html_to_text(&h->text, title.ptr, title.len);
        }
        if (ret == 0 && story.len > 0) {
            if (h->text.len > 0) {
                ret = cnd_buf_add(&h->text, "\n\n", 2);
            }
            if (ret == 0) {
                ret = cnd_html_to_text(&h->text, story.ptr, story.len);
            }
        }
    }
    if (ret == CND_ETOOBIG || h->it.st[F_COMMENT] == FS_BIG || h->it.st[F_STORY] == FS_BIG) {
        adapter_skip(h->out);
        return 0;
    }
    if (ret < 0) {
        return ret;
    }
    p.id = item_str(&h->it, F_ID);
    p.text.ptr = h->text.data ? h->text.data : "";
    p.text.len = h->text.len;
    p.author = item_str(&h->it, F_AUTHOR);
    if (ok && h->it.st[F_CREATED_I] == FS_NUM) {
        p.created_raw = item_str(&h->it, F_CREATED_I);
    } else {
        p.created_raw = item_str(&h->it, F_CREATED);
    }
    (void)num;
    cnd_buf_reset(&h->url);
    if (p.id.len > 0 && p.id.len < 32) {
        ret = cnd_buf_addf(&h->url, "%s?id=", h->item_url);
        if (ret == 0) {
            ret = cnd_url_escape(&h->url, p.id.ptr, p.id.len);
        }
        if (ret < 0) {
            return ret;
        }
        p.url.ptr = h->url.data;
        p.url.len = h->url.len;
    }
    return adapter_add(h->out, &p);
}

static int h_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct hn *h = ud;

    if (id == P_ROOT) {
        h->root = t;
    } else if (id == P_NBHITS) {
        int ok;
        int64_t v = t == CND_JP_NUM ? to_i64(s, len, &ok) : 0;

        if (t == CND_JP_NUM && ok) {
            h->nbhits = v;
        }
    } else if (id > P_ITEM && h->it.active) {
        return item_set(&h->it, id - P_ID, t, s, len);
    }
    return 0;
}

static const struct cnd_jp_handler h_handler = { h_open, h_close, h_scalar };

static int h_init(void *ctx, char *err, size_t errlen)
{
    struct hn *h = ctx;

    (void)err;
    (void)errlen;
    item_init(&h->it);
    cnd_buf_init(&h->text, 4 * ADAPTER_MAX_FIELD);
    cnd_buf_init(&h->url, 4096);
    h->jp = cnd_jp_new(h_pats, P_COUNT, &h_handler, h, ADAPTER_MAX_DEPTH, 0);
    return h->jp ? 0 : CND_ENOMEM;
}

static void h_release(void *ctx)
{
    struct hn *h = ctx;

    cnd_jp_free(h->jp);
    item_release(&h->it);
    cnd_buf_release(&h->text);
    cnd_buf_release(&h->url);
}

static int64_t cursor_num(const char *cursor, const char *key, int *ret)
{
    char *v = NULL;
    int64_t n = 0;
    int ok = 0;

    *ret = cnd_cursor_get(cursor, key, &v);
    if (*ret == 0) {
        n = to_i64(v, strlen(v), &ok);
        if (!ok) {
            n = 0;
        }
    }
    if (*ret == CND_ENOENT) {
        *ret = 0;
    }
    cnd_free(v);
    return n;
}

static int h_parse(void *ctx, const struct cnd_response *resp, const char *cursor,
                   struct cnd_batch *out, struct cnd_cursor *next)
{
    struct hn *h = ctx;
    int64_t since, until, newest;
    struct cnd_buf c;
    char num[24];
    int ret, r1, r2, r3;

    if (cnd_http_status_err(resp->status) != 0) {
        return cnd_source_http_error("hackernews", resp, out);
    }
    h->out = out;
    h->root = CND_JP_NULL;
    h->it.active = 0;
    h->newest = h->oldest = 0;
    h->hits = 0;
    h->nbhits = -1;
    ret = cnd_jp_parse(h->jp, resp->body, resp->len);
    if (ret < 0) {
        cnd_batch_set_error(out, "hackernews: %s", cnd_jp_error(h->jp));
        return ret;
    }
    if (h->root != CND_JP_MAP) {
        cnd_batch_set_error(out, "hackernews: expected a json object with \"hits\"");
        return CND_EPARSE;
    }
    since = cursor_num(cursor, "since", &r1);
    until = cursor_num(cursor, "until", &r2);
    newest = cursor_num(cursor, "newest", &r3);
    if (r1 < 0 || r2 < 0 || r3 < 0) {
        return CND_ENOMEM;
    }
    if (h->newest > newest) {
        newest = h->newest;
    }
    if (newest < since) {
        newest = since;
    }
    cnd_buf_init(&c, 0);
    ret = 0;
    if (cursor != NULL && since > 0 && h->hits >= h->limit &&
        !(h->nbhits >= 0 && h->nbhits <= h->hits) && h->oldest > since) {
        /* more in this window: move its upper end down */
        int64_t u = h->oldest;

        if (until > 0 && u >= until) {
            u = until - 1;
        }
        fmt_i64(since, num);
        ret = cnd_cursor_add(&c, "since", num);
        fmt_i64(u, num);
        if (ret == 0) {
            ret = cnd_cursor_add(&c, "until", num);
        }
        fmt_i64(newest, num);
        if (ret == 0) {
            ret = cnd_cursor_add(&c, "newest", num);
        }
        next->more = u > since;
    } else if (newest > 0) {
        fmt_i64(newest, num);
        ret = cnd_cursor_add(&c, "since", num);
        next->more = 0;
    } else {
        next->more = 0;
    }
    if (ret == 0 && c.len > 0) {
        next->value = cnd_buf_detach(&c);
        ret = next->value ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&c);
    return ret;
}

/* ---- Requests ---- */

static int h_start_cursor(void *ctx, int64_t since, char **out)
{
    struct cnd_buf c;
    char num[24];

    (void)ctx;
    *out = NULL;
    if (since <= 0) {
        return 0;
    }
    fmt_i64(since - 1, num);   /* created_at_i > since-1: from "since" on */
    cnd_buf_init(&c, 0);
    if (cnd_cursor_add(&c, "since", num) < 0 || (*out = cnd_buf_detach(&c)) == NULL) {
        cnd_buf_release(&c);
        return CND_ENOMEM;
    }
    return 0;
}

static int h_build(void *ctx, const char *cursor, struct cnd_request *req)
{
    struct hn *h = ctx;
    struct cnd_buf u, nf;
    int64_t since, until;
    char num[24];
    int ret, r1, r2;

    since = cursor_num(cursor, "since", &r1);
    until = cursor_num(cursor, "until", &r2);
    if (r1 < 0 || r2 < 0) {
        return CND_ENOMEM;
    }
    cnd_buf_init(&u, 0);
    cnd_buf_init(&nf, 0);
    ret = cnd_buf_addf(&u, "%s/search_by_date", h->base_url);
    if (ret == 0 && h->query != NULL) {
        ret = url_param(&u, "query", h->query);
    }
    if (ret == 0 && h->tags != NULL && h->tags[0] != '\0') {
        ret = url_param(&u, "tags", h->tags);
    }
    fmt_i64(h->limit, num);
    if (ret == 0) {
        ret = url_param(&u, "hitsPerPage", num);
    }
    if (ret == 0 && since > 0) {
        ret = cnd_buf_addf(&nf, "created_at_i>%lld", (long long)since);
        if (ret == 0 && until > 0) {
            ret = cnd_buf_addf(&nf, ",created_at_i<=%lld", (long long)until);
        }
        if (ret == 0) {
            ret = url_param(&u, "numericFilters", nf.data);
        }
    }
    if (ret == 0) {
        req->url = cnd_buf_detach(&u);
        ret = req->url ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&u);
    cnd_buf_release(&nf);
    return ret;
}

const struct cnd_source_ops cnd_source_hackernews = {
    "hackernews", hn_opts, sizeof(struct hn), h_init, h_start_cursor, h_build, h_parse,
    NULL, NULL, h_release,
};
