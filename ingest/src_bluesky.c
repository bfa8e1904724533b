/* SPDX-License-Identifier: MIT */
/*
 * Bluesky: post search (GET /xrpc/app.bsky.feed.searchPosts, sort=latest)
 * with a session from com.atproto.server.createSession (handle and app
 * password from the environment), renewed with refreshSession.
 *
 * Cursor: "since=ISO&cursor=C&newest=ISO" (each part optional). A run
 * pages back from the newest post with the API's cursor down to "since"
 * (the API filters by it), remembering in "newest" the latest sort time
 * seen (min(createdAt, indexedAt): a forged future createdAt cannot push
 * it ahead). It stops when the response has no cursor (not on a short
 * page); the next cursor is then "since=NEWEST" with more = 0, so the
 * next run fetches only newer posts.
 *
 * Post: id = "uri"; text = record.text; author = author.handle;
 * created_at = record.createdAt, else indexedAt; lang = record.langs[0];
 * url = https://bsky.app/profile/DID/post/RKEY built from the at:// uri.
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "ingest/adapter.h"

struct bluesky {
    char *base_url;
    char *auth_url;
    char *web_url;
    char *query;
    char *endpoint;
    char *lang;
    long limit;
    char *handle;
    char *password;

    char *access;     /* session tokens (secrets) */
    char *refresh;

    struct cnd_jp *jp;
    struct item it;
    struct cnd_batch *out;
    struct cnd_buf url;
    enum cnd_jp_type root;
    struct cnd_buf cursor;
    int has_cursor;
    int64_t newest;
};

enum { P_ROOT, P_CURSOR, P_ITEM, P_URI, P_TEXT, P_CREATED, P_INDEXED, P_HANDLE, P_LANG, P_COUNT };
enum { F_URI, F_TEXT, F_CREATED, F_INDEXED, F_HANDLE, F_LANG };

static const char *const b_pats[P_COUNT] = {
    "", "cursor", "posts.*", "posts.*.uri", "posts.*.record.text", "posts.*.record.createdAt",
    "posts.*.indexedAt", "posts.*.author.handle", "posts.*.record.langs.*",
};

static const struct cnd_opt bluesky_opts[] = {
    { "base_url", CND_OPT_URL, "https://bsky.social", 0, offsetof(struct bluesky, base_url),
      0, 0, NULL, NULL },
    { "auth_url", CND_OPT_URL, "https://bsky.social", 0, offsetof(struct bluesky, auth_url),
      0, 0, NULL, NULL },
    { "web_url", CND_OPT_URL, "https://bsky.app", 0, offsetof(struct bluesky, web_url),
      0, 0, NULL, NULL },
    { "endpoint", CND_OPT_STR, "searchPosts", 0, offsetof(struct bluesky, endpoint), 0, 0,
      "searchPosts", NULL },
    { "query", CND_OPT_STR, NULL, CND_OPT_REQUIRED, offsetof(struct bluesky, query), 0, 0,
      NULL, NULL },
    { "lang", CND_OPT_STR, NULL, 0, offsetof(struct bluesky, lang), 0, 0, NULL, NULL },
    { "limit", CND_OPT_INT, "100", 0, offsetof(struct bluesky, limit), 1, 100, NULL, NULL },
    { "handle_env", CND_OPT_ENV, NULL, 0, offsetof(struct bluesky, handle), 0, 0, NULL, NULL },
    { "password_env", CND_OPT_ENV, NULL, 0, offsetof(struct bluesky, password), 0, 0, NULL,
      NULL },
    { 0 },
};

static void wipe(char **s)
{
    if (*s != NULL) {
        volatile char *p = *s;

        while (*p) {
            *p++ = 0;
        }
        cnd_free(*s);
        *s = NULL;
    }
}

/* ---- Parsing ---- */

static int b_open(void *ud, int id, enum cnd_jp_type t)
{
    struct bluesky *b = ud;

    if (id == P_ROOT) {
        b->root = t;
    } else if (id == P_ITEM && t == CND_JP_MAP) {
        item_reset(&b->it);
        b->it.active = 1;
    } else if (id > P_ITEM && b->it.active) {
        item_set_other(&b->it, id - P_URI);
    }
    return 0;
}

/* Builds the web URL of an at://DID/app.bsky.feed.post/RKEY uri. */
static int web_url(struct bluesky *b, struct cnd_str uri)
{
    static const char pre[] = "at://";
    static const char coll[] = "/app.bsky.feed.post/";
    const char *did, *slash, *rkey, *end = uri.ptr + uri.len;

    cnd_buf_reset(&b->url);
    if (uri.len <= sizeof(pre) - 1 || memcmp(uri.ptr, pre, sizeof(pre) - 1) != 0) {
        return 0;
    }
    did = uri.ptr + sizeof(pre) - 1;
    slash = memchr(did, '/', (size_t)(end - did));
    if (slash == NULL || (size_t)(end - slash) <= sizeof(coll) - 1 ||
        memcmp(slash, coll, sizeof(coll) - 1) != 0) {
        return 0;
    }
    rkey = slash + sizeof(coll) - 1;
    if (memchr(rkey, '/', (size_t)(end - rkey)) != NULL) {
        return 0;
    }
    return cnd_buf_addf(&b->url, "%s/profile/%.*s/post/%.*s", b->web_url, (int)(slash - did), did,
                        (int)(end - rkey), rkey);
}

static int b_close(void *ud, int id, enum cnd_jp_type t)
{
    struct bluesky *b = ud;
    struct cnd_post p;
    int64_t tc = 0, ti = 0, sort;
    int hc, hi, ret;

    if (id != P_ITEM || t != CND_JP_MAP || !b->it.active) {
        return 0;
    }
    b->it.active = 0;
    b->out->items++;
    memset(&p, 0, sizeof(p));
    p.id = item_str(&b->it, F_URI);
    p.text = item_str(&b->it, F_TEXT);
    if (b->it.st[F_TEXT] == FS_BIG || b->it.st[F_TEXT] == FS_OTHER) {
        adapter_skip(b->out);
        return 0;
    }
    p.author = item_str(&b->it, F_HANDLE);
    p.lang = item_str(&b->it, F_LANG);
    p.created_raw = item_has(&b->it, F_CREATED) ? item_str(&b->it, F_CREATED)
                                                : item_str(&b->it, F_INDEXED);
    hc = item_has(&b->it, F_CREATED) &&
         cnd_time_parse(b->it.f[F_CREATED].data, b->it.f[F_CREATED].len, &tc) == 0;
    hi = item_has(&b->it, F_INDEXED) &&
         cnd_time_parse(b->it.f[F_INDEXED].data, b->it.f[F_INDEXED].len, &ti) == 0;
    if (hc || hi) {
        sort = hc && hi ? (tc < ti ? tc : ti) : (hc ? tc : ti);
        if (sort > b->newest) {
            b->newest = sort;
        }
    }
    if (p.id.ptr != NULL) {
        ret = web_url(b, p.id);
        if (ret < 0) {
            return ret;
        }
        if (b->url.len > 0) {
            p.url.ptr = b->url.data;
            p.url.len = b->url.len;
        }
    }
    return adapter_add(b->out, &p);
}

static int b_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct bluesky *b = ud;

    if (id == P_ROOT) {
        b->root = t;
    } else if (id == P_CURSOR) {
        if (t == CND_JP_STR) {
            return adapter_keep_cursor(b->jp, &b->cursor, &b->has_cursor, s, len);
        }
    } else if (id > P_ITEM && b->it.active) {
        return item_set(&b->it, id - P_URI, t, s, len);
    }
    return 0;
}

static const struct cnd_jp_handler b_handler = { b_open, b_close, b_scalar };

static int b_init(void *ctx, char *err, size_t errlen)
{
    struct bluesky *b = ctx;

    if ((b->handle == NULL) != (b->password == NULL)) {
        snprintf(err, errlen, "give both \"handle_env\" and \"password_env\", or neither");
        return CND_EINVAL;
    }
    item_init(&b->it);
    cnd_buf_init(&b->url, 4096);
    cnd_buf_init(&b->cursor, 4096);
    b->jp = cnd_jp_new(b_pats, P_COUNT, &b_handler, b, ADAPTER_MAX_DEPTH, 0);
    return b->jp ? 0 : CND_ENOMEM;
}

static void b_release(void *ctx)
{
    struct bluesky *b = ctx;

    cnd_jp_free(b->jp);
    item_release(&b->it);
    cnd_buf_release(&b->url);
    cnd_buf_release(&b->cursor);
    wipe(&b->access);
    wipe(&b->refresh);
}

static int64_t cursor_time(const char *cursor, const char *key)
{
    char *v = NULL;
    int64_t t = 0;

    if (cnd_cursor_get(cursor, key, &v) == 0) {
        if (cnd_time_parse(v, strlen(v), &t) < 0) {
            t = 0;
        }
    }
    cnd_free(v);
    return t;
}

static int b_parse(void *ctx, const struct cnd_response *resp, const char *cursor,
                   struct cnd_batch *out, struct cnd_cursor *next)
{
    struct bluesky *b = ctx;
    int64_t since, newest;
    char *old = NULL;
    struct cnd_buf c;
    char iso[21];
    int ret;

    if (cnd_http_status_err(resp->status) != 0) {
        ret = cnd_source_http_error("bluesky", resp, out);
        if (resp->status == 400 && resp->body != NULL &&
            (adapter_contains(resp->body, resp->len, "ExpiredToken") ||
             adapter_contains(resp->body, resp->len, "InvalidToken") ||
             adapter_contains(resp->body, resp->len, "AuthMissing"))) {
            ret = CND_EAUTH;
        }
        return ret;
    }
    b->out = out;
    b->root = CND_JP_NULL;
    b->it.active = 0;
    b->has_cursor = 0;
    b->newest = 0;
    cnd_buf_reset(&b->cursor);
    ret = cnd_jp_parse(b->jp, resp->body, resp->len);
    if (ret < 0) {
        cnd_batch_set_error(out, "bluesky: %s", cnd_jp_error(b->jp));
        return ret;
    }
    if (b->root != CND_JP_MAP) {
        cnd_batch_set_error(out, "bluesky: expected a json object with \"posts\"");
        return CND_EPARSE;
    }
    since = cursor_time(cursor, "since");
    newest = cursor_time(cursor, "newest");
    if (b->newest > newest) {
        newest = b->newest;
    }
    if (cnd_cursor_get(cursor, "cursor", &old) == CND_ENOMEM) {
        return CND_ENOMEM;
    }
    cnd_buf_init(&c, 0);
    ret = 0;
    if (b->has_cursor && !(old != NULL && strcmp(old, b->cursor.data) == 0)) {
        /* more pages of this run */
        if (since > 0) {
            cnd_time_format(since, iso);
            ret = cnd_cursor_add(&c, "since", iso);
        }
        if (ret == 0) {
            ret = cnd_cursor_add(&c, "cursor", b->cursor.data);
        }
        if (ret == 0 && newest > 0) {
            cnd_time_format(newest, iso);
            ret = cnd_cursor_add(&c, "newest", iso);
        }
        next->more = 1;
    } else {
        /* the end of this run: the next one starts at the newest post seen */
        if (newest < since) {
            newest = since;
        }
        if (newest > 0) {
            cnd_time_format(newest, iso);
            ret = cnd_cursor_add(&c, "since", iso);
        }
        next->more = 0;
    }
    cnd_free(old);
    if (ret == 0 && c.len > 0) {
        next->value = cnd_buf_detach(&c);
        ret = next->value ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&c);
    return ret;
}

/* ---- Requests ---- */

static int b_start_cursor(void *ctx, int64_t since, char **out)
{
    struct cnd_buf c;
    char iso[21];

    (void)ctx;
    *out = NULL;
    if (since <= 0) {
        return 0;
    }
    cnd_time_format(since, iso);
    cnd_buf_init(&c, 0);
    if (cnd_cursor_add(&c, "since", iso) < 0 || (*out = cnd_buf_detach(&c)) == NULL) {
        cnd_buf_release(&c);
        return CND_ENOMEM;
    }
    return 0;
}

static int b_build(void *ctx, const char *cursor, struct cnd_request *req)
{
    static const char *const keys[] = { "since", "cursor" };
    struct bluesky *b = ctx;
    struct cnd_buf u;
    char num[24];
    size_t i;
    int ret;

    cnd_buf_init(&u, 0);
    ret = cnd_buf_addf(&u, "%s/xrpc/app.bsky.feed.searchPosts", b->base_url);
    if (ret == 0) {
        ret = url_param(&u, "q", b->query);
    }
    if (ret == 0) {
        ret = url_param(&u, "sort", "latest");
    }
    fmt_i64(b->limit, num);
    if (ret == 0) {
        ret = url_param(&u, "limit", num);
    }
    if (ret == 0 && b->lang != NULL) {
        ret = url_param(&u, "lang", b->lang);
    }
    for (i = 0; ret == 0 && i < 2; i++) {
        char *v = NULL;

        ret = cnd_cursor_get(cursor, keys[i], &v);
        if (ret == 0) {
            ret = url_param(&u, keys[i], v);
        } else if (ret == CND_ENOENT) {
            ret = 0;
        }
        cnd_free(v);
    }
    if (ret == 0) {
        req->url = cnd_buf_detach(&u);
        ret = req->url ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&u);
    if (ret == 0 && b->access != NULL) {
        ret = adapter_add_bearer(req, b->access);
    }
    return ret;
}

static int b_auth_request(void *ctx, enum cnd_auth_mode mode, struct cnd_request *req)
{
    struct bluesky *b = ctx;
    struct cnd_buf u, body;
    int ret;

    if (b->handle == NULL || b->password == NULL) {
        return CND_ENOENT;   /* anonymous */
    }
    cnd_buf_init(&u, 0);
    req->method = "POST";
    if (mode == CND_AUTH_REFRESH && b->refresh != NULL) {
        ret = cnd_buf_addf(&u, "%s/xrpc/com.atproto.server.refreshSession", b->auth_url);
        if (ret == 0) {
            req->url = cnd_buf_detach(&u);
            ret = req->url ? adapter_add_bearer(req, b->refresh) : CND_ENOMEM;
        }
        cnd_buf_release(&u);
        return ret;
    }
    cnd_buf_init(&body, 0);
    ret = cnd_buf_addf(&u, "%s/xrpc/com.atproto.server.createSession", b->auth_url);
    if (ret == 0) {
        ret = cnd_buf_adds(&body, "{\"identifier\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(&body, b->handle, strlen(b->handle));
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&body, ",\"password\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(&body, b->password, strlen(b->password));
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&body, "}");
    }
    if (ret == 0) {
        req->body_len = body.len;
        req->body = cnd_buf_detach(&body);
        req->body_secret = 1;
        req->content_type = "application/json";
        req->url = cnd_buf_detach(&u);
        ret = req->body && req->url ? 0 : CND_ENOMEM;
    }
    if (body.data) {
        memset(body.data, 0, body.len);
    }
    cnd_buf_release(&body);
    cnd_buf_release(&u);
    return ret;
}

/* Session response: {"accessJwt":"...","refreshJwt":"...",...}. */
struct session {
    char *access, *refresh;
    int nomem;
};

static int s_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct session *se = ud;
    char **f = id == 0 ? &se->access : &se->refresh;

    if (t == CND_JP_STR && *f == NULL && len > 0) {
        *f = cnd_strndup(s, len);
        if (*f == NULL) {
            return CND_ENOMEM;
        }
    }
    return 0;
}

static int b_auth_parse(void *ctx, const struct cnd_response *resp, int64_t *expires_in,
                        char *err, size_t errlen)
{
    static const char *const pats[] = { "accessJwt", "refreshJwt" };
    static const struct cnd_jp_handler h = { NULL, NULL, s_scalar };
    struct bluesky *b = ctx;
    struct session se = { NULL, NULL, 0 };
    struct cnd_jp *jp;
    int ret;

    *expires_in = 0;
    if (cnd_http_status_err(resp->status) != 0) {
        struct cnd_batch tmp;

        memset(&tmp, 0, sizeof(tmp));
        ret = cnd_source_http_error("bluesky login", resp, &tmp);
        snprintf(err, errlen, "%s", tmp.error);
        return ret == CND_EAGAIN ? ret : CND_EAUTH;
    }
    jp = cnd_jp_new(pats, 2, &h, &se, 16, 0);
    if (jp == NULL) {
        return CND_ENOMEM;
    }
    ret = cnd_jp_parse(jp, resp->body, resp->len);
    if (ret < 0) {
        snprintf(err, errlen, "bluesky login: %s", cnd_jp_error(jp));
    } else if (se.access == NULL) {
        snprintf(err, errlen, "bluesky login: no accessJwt in the response");
        ret = CND_EAUTH;
    }
    cnd_jp_free(jp);
    if (ret < 0) {
        wipe(&se.access);
        wipe(&se.refresh);
        return ret;
    }
    wipe(&b->access);
    b->access = se.access;
    if (se.refresh != NULL) {
        wipe(&b->refresh);
        b->refresh = se.refresh;
    }
    return 0;
}

const struct cnd_source_ops cnd_source_bluesky = {
    "bluesky", bluesky_opts, sizeof(struct bluesky), b_init, b_start_cursor, b_build, b_parse,
    b_auth_request, b_auth_parse, b_release,
};
