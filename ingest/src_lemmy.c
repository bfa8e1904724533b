/* SPDX-License-Identifier: MIT */
/*
 * Lemmy (API v3, as in lemmy-js-client 0.19): GET /api/v3/post/list and
 * /api/v3/comment/list (sort=New, optionally one community), or
 * /api/v3/search with a query (type_=Posts or Comments).
 *
 * Cursor: "since=T&page_cursor=C&newest=N" or "since=T&page=P&newest=N"
 * (T, N epoch seconds; parts optional). A run pages back from the newest
 * item, by the response's "next_page" cursor (post/list on 0.19) or by
 * page numbers (comment/list, search, older servers), until a page reaches
 * items published at or before T, or comes back empty, or has no
 * next_page; the next cursor is then "since=NEWEST" with more = 0.
 * Without a cursor the newest page is read and polling starts from it.
 *
 * Post: id = ap_id (the same post seen through two instances has one id);
 * posts: text = name, a blank line, body; comments: text = content;
 * author = creator.name@host of creator.actor_id; url = ap_id;
 * created_at = published (older servers omit the "Z": read as UTC).
 * Deleted or removed items are skipped and counted.
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "ingest/adapter.h"

struct lemmy {
    char *base_url;
    char *type;          /* Posts | Comments */
    char *community;
    char *query;
    char *listing;       /* All | Local */
    long limit;

    char **pats;
    struct cnd_jp *jp;
    struct item it;
    struct cnd_batch *out;
    struct cnd_buf text, author;
    enum cnd_jp_type root;
    struct cnd_buf next_page;
    int has_next;
    int64_t newest, oldest;
    int comments;
};

enum { P_ROOT, P_NEXT, P_ITEM, P_APID, P_NAME, P_BODY, P_CONTENT, P_PUBLISHED, P_CNAME,
       P_CACTOR, P_DELETED, P_REMOVED, P_COUNT };
enum { F_APID, F_NAME, F_BODY, F_CONTENT, F_PUBLISHED, F_CNAME, F_CACTOR, F_DELETED,
       F_REMOVED };

static const struct cnd_opt lemmy_opts[] = {
    { "base_url", CND_OPT_URL, "https://lemmy.world", 0, offsetof(struct lemmy, base_url), 0, 0,
      NULL, NULL },
    { "type", CND_OPT_STR, "Posts", 0, offsetof(struct lemmy, type), 0, 0, "Posts|Comments",
      NULL },
    { "community", CND_OPT_STR, NULL, 0, offsetof(struct lemmy, community), 0, 0, NULL, NULL },
    { "query", CND_OPT_STR, NULL, 0, offsetof(struct lemmy, query), 0, 0, NULL, NULL },
    { "listing", CND_OPT_STR, "All", 0, offsetof(struct lemmy, listing), 0, 0, "All|Local",
      NULL },
    { "limit", CND_OPT_INT, "50", 0, offsetof(struct lemmy, limit), 1, 50, NULL, NULL },
    { 0 },
};

/* ---- Parsing ---- */

static int l_open(void *ud, int id, enum cnd_jp_type t)
{
    struct lemmy *l = ud;

    if (id == P_ROOT) {
        l->root = t;
    } else if (id == P_ITEM && t == CND_JP_MAP) {
        item_reset(&l->it);
        l->it.active = 1;
    } else if (id > P_ITEM && l->it.active) {
        item_set_other(&l->it, id - P_APID);
    }
    return 0;
}

static int l_close(void *ud, int id, enum cnd_jp_type t)
{
    struct lemmy *l = ud;
    struct cnd_post p;
    struct cnd_str name, body, content, cname, actor;
    int64_t tp;
    int ret = 0;

    if (id != P_ITEM || t != CND_JP_MAP || !l->it.active) {
        return 0;
    }
    l->it.active = 0;
    l->out->items++;
    memset(&p, 0, sizeof(p));
    if (item_has(&l->it, F_PUBLISHED) &&
        cnd_time_parse(l->it.f[F_PUBLISHED].data, l->it.f[F_PUBLISHED].len, &tp) == 0) {
        if (tp > l->newest) {
            l->newest = tp;
        }
        if (l->oldest == 0 || tp < l->oldest) {
            l->oldest = tp;
        }
    }
    if (l->it.f[F_DELETED].len == 4 || l->it.f[F_REMOVED].len == 4) {
        /* "true" (booleans are stored as their text) */
        l->out->skipped++;
        l->out->skipped_deleted++;
        return 0;
    }
    name = item_str(&l->it, F_NAME);
    body = item_str(&l->it, F_BODY);
    content = item_str(&l->it, F_CONTENT);
    cnd_buf_reset(&l->text);
    if (l->comments) {
        ret = content.ptr ? cnd_buf_add(&l->text, content.ptr, content.len) : 0;
    } else {
        ret = name.ptr ? cnd_buf_add(&l->text, name.ptr, name.len) : 0;
        if (ret == 0 && body.len > 0) {
            ret = cnd_buf_add(&l->text, "\n\n", l->text.len ? 2 : 0);
            if (ret == 0) {
                ret = cnd_buf_add(&l->text, body.ptr, body.len);
            }
        }
    }
    if (ret == CND_ETOOBIG) {
        adapter_skip(l->out);
        return 0;
    }
    if (ret < 0) {
        return ret;
    }
    cname = item_str(&l->it, F_CNAME);
    actor = item_str(&l->it, F_CACTOR);
    cnd_buf_reset(&l->author);
    if (cname.len > 0) {
        const char *host = NULL, *hend;
        size_t hlen = 0;

        if (actor.len > 8 && memcmp(actor.ptr, "https://", 8) == 0) {
            host = actor.ptr + 8;
        } else if (actor.len > 7 && memcmp(actor.ptr, "http://", 7) == 0) {
            host = actor.ptr + 7;
        }
        if (host != NULL) {
            hend = memchr(host, '/', (size_t)(actor.ptr + actor.len - host));
            hlen = hend ? (size_t)(hend - host) : (size_t)(actor.ptr + actor.len - host);
        }
        ret = cnd_buf_add(&l->author, cname.ptr, cname.len);
        if (ret == 0 && hlen > 0) {
            ret = cnd_buf_addf(&l->author, "@%.*s", (int)hlen, host);
        }
        if (ret < 0 && ret != CND_ETOOBIG) {
            return ret;
        }
        p.author.ptr = l->author.data;
        p.author.len = l->author.len;
    }
    p.id = item_str(&l->it, F_APID);
    p.url = p.id;
    p.text.ptr = l->text.data ? l->text.data : "";
    p.text.len = l->text.len;
    p.created_raw = item_str(&l->it, F_PUBLISHED);
    return adapter_add(l->out, &p);
}

static int l_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct lemmy *l = ud;

    if (id == P_ROOT) {
        l->root = t;
    } else if (id == P_NEXT) {
        if (t == CND_JP_STR) {
            return adapter_keep_cursor(l->jp, &l->next_page, &l->has_next, s, len);
        }
    } else if (id > P_ITEM && l->it.active) {
        if ((id == P_DELETED || id == P_REMOVED) && t == CND_JP_BOOL && len == 4) {
            cnd_buf_reset(&l->it.f[id - P_APID]);
            return cnd_buf_add(&l->it.f[id - P_APID], "true", 4);
        }
        if (id == P_DELETED || id == P_REMOVED) {
            return 0;
        }
        return item_set(&l->it, id - P_APID, t, s, len);
    }
    return 0;
}

static const struct cnd_jp_handler l_handler = { l_open, l_close, l_scalar };

static int l_init(void *ctx, char *err, size_t errlen)
{
    static const char *const post_sfx[P_COUNT - 2] = {
        "", "post.ap_id", "post.name", "post.body", "post.__none", "post.published",
        "creator.name", "creator.actor_id", "post.deleted", "post.removed",
    };
    static const char *const comment_sfx[P_COUNT - 2] = {
        "", "comment.ap_id", "post.__none", "post.__none", "comment.content",
        "comment.published", "creator.name", "creator.actor_id", "comment.deleted",
        "comment.removed",
    };
    struct lemmy *l = ctx;
    const char *all[P_COUNT];
    char **pats = NULL;
    size_t i;
    int ret;

    (void)err;
    (void)errlen;
    l->comments = strcmp(l->type, "Comments") == 0;
    item_init(&l->it);
    cnd_buf_init(&l->text, 2 * ADAPTER_MAX_FIELD + 2);
    cnd_buf_init(&l->author, 1024);
    cnd_buf_init(&l->next_page, 4096);
    ret = adapter_patterns(l->comments ? "comments.*" : "posts.*",
                           l->comments ? comment_sfx : post_sfx, P_COUNT - 2, &pats);
    if (ret < 0) {
        return ret;
    }
    all[P_ROOT] = "";
    all[P_NEXT] = "next_page";
    for (i = 2; i < P_COUNT; i++) {
        all[i] = pats[i - 2];
    }
    l->jp = cnd_jp_new(all, P_COUNT, &l_handler, l, ADAPTER_MAX_DEPTH, 0);
    /* the matcher keeps pointers to the pattern strings: keep them */
    l->it.active = 0;
    if (l->jp == NULL) {
        adapter_patterns_free(pats, P_COUNT - 2);
        return CND_ENOMEM;
    }
    l->pats = pats;
    return 0;
}

static void l_release(void *ctx)
{
    struct lemmy *l = ctx;

    cnd_jp_free(l->jp);
    adapter_patterns_free(l->pats, P_COUNT - 2);
    item_release(&l->it);
    cnd_buf_release(&l->text);
    cnd_buf_release(&l->author);
    cnd_buf_release(&l->next_page);
}

static int64_t cursor_num(const char *cursor, const char *key, int *ret)
{
    char *v = NULL;
    int64_t n = 0;

    *ret = cnd_cursor_get(cursor, key, &v);
    if (*ret == 0 && cnd_time_parse(v, strlen(v), &n) < 0) {
        n = 0;
    }
    if (*ret == CND_ENOENT) {
        *ret = 0;
    }
    cnd_free(v);
    return n;
}

/* Uses page_cursor (post/list without a query), else page numbers. */
static int uses_cursor(const struct lemmy *l)
{
    return !l->comments && l->query == NULL;
}

static int l_parse(void *ctx, const struct cnd_response *resp, const char *cursor,
                   struct cnd_batch *out, struct cnd_cursor *next)
{
    struct lemmy *l = ctx;
    size_t items0 = out->items;
    int64_t since, newest, page;
    struct cnd_buf c;
    char num[24];
    int ret, r1, r2, r3, go_on;

    if (cnd_http_status_err(resp->status) != 0) {
        return cnd_source_http_error("lemmy", resp, out);
    }
    l->out = out;
    l->root = CND_JP_NULL;
    l->it.active = 0;
    l->has_next = 0;
    l->newest = l->oldest = 0;
    cnd_buf_reset(&l->next_page);
    ret = cnd_jp_parse(l->jp, resp->body, resp->len);
    if (ret < 0) {
        cnd_batch_set_error(out, "lemmy: %s", cnd_jp_error(l->jp));
        return ret;
    }
    if (l->root != CND_JP_MAP) {
        cnd_batch_set_error(out, "lemmy: expected a json object with \"%s\"",
                            l->comments ? "comments" : "posts");
        return CND_EPARSE;
    }
    since = cursor_num(cursor, "since", &r1);
    newest = cursor_num(cursor, "newest", &r2);
    page = cursor_num(cursor, "page", &r3);
    if (r1 < 0 || r2 < 0 || r3 < 0) {
        return CND_ENOMEM;
    }
    if (l->newest > newest) {
        newest = l->newest;
    }
    if (newest < since) {
        newest = since;
    }
    go_on = cursor != NULL && since > 0 && out->items > items0 && l->oldest > since &&
            (uses_cursor(l) ? l->has_next : 1);
    if (uses_cursor(l) && !l->has_next && go_on) {
        go_on = 0;
    }
    cnd_buf_init(&c, 0);
    fmt_i64(since, num);
    ret = 0;
    if (go_on) {
        ret = cnd_cursor_add(&c, "since", num);
        if (ret == 0 && uses_cursor(l)) {
            ret = cnd_cursor_add(&c, "page_cursor", l->next_page.data);
        } else if (ret == 0) {
            fmt_i64(page > 0 ? page + 1 : 2, num);
            ret = cnd_cursor_add(&c, "page", num);
        }
        fmt_i64(newest, num);
        if (ret == 0) {
            ret = cnd_cursor_add(&c, "newest", num);
        }
        next->more = 1;
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

static int l_start_cursor(void *ctx, int64_t since, char **out)
{
    struct cnd_buf c;
    char num[24];

    (void)ctx;
    *out = NULL;
    if (since <= 0) {
        return 0;
    }
    fmt_i64(since - 1, num);
    cnd_buf_init(&c, 0);
    if (cnd_cursor_add(&c, "since", num) < 0 || (*out = cnd_buf_detach(&c)) == NULL) {
        cnd_buf_release(&c);
        return CND_ENOMEM;
    }
    return 0;
}

static int l_build(void *ctx, const char *cursor, struct cnd_request *req)
{
    struct lemmy *l = ctx;
    struct cnd_buf u;
    char num[24], *pc = NULL, *page = NULL;
    int ret;

    cnd_buf_init(&u, 0);
    if (l->query != NULL) {
        ret = cnd_buf_addf(&u, "%s/api/v3/search", l->base_url);
        if (ret == 0) {
            ret = url_param(&u, "q", l->query);
        }
        if (ret == 0) {
            ret = url_param(&u, "type_", l->type);
        }
        if (ret == 0) {
            ret = url_param(&u, "listing_type", l->listing);
        }
    } else {
        ret = cnd_buf_addf(&u, "%s/api/v3/%s/list", l->base_url, l->comments ? "comment" : "post");
        if (ret == 0) {
            ret = url_param(&u, "type_", l->listing);
        }
    }
    if (ret == 0) {
        ret = url_param(&u, "sort", "New");
    }
    if (ret == 0 && l->community != NULL) {
        ret = url_param(&u, "community_name", l->community);
    }
    fmt_i64(l->limit, num);
    if (ret == 0) {
        ret = url_param(&u, "limit", num);
    }
    if (ret == 0) {
        ret = cnd_cursor_get(cursor, "page_cursor", &pc);
        if (ret == 0) {
            ret = url_param(&u, "page_cursor", pc);
        } else if (ret == CND_ENOENT) {
            ret = cnd_cursor_get(cursor, "page", &page);
            if (ret == 0) {
                ret = url_param(&u, "page", page);
            } else if (ret == CND_ENOENT) {
                ret = 0;
            }
        }
    }
    cnd_free(pc);
    cnd_free(page);
    if (ret == 0) {
        req->url = cnd_buf_detach(&u);
        ret = req->url ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&u);
    return ret;
}

const struct cnd_source_ops cnd_source_lemmy = {
    "lemmy", lemmy_opts, sizeof(struct lemmy), l_init, l_start_cursor, l_build, l_parse,
    NULL, NULL, l_release,
};
