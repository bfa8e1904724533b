/* SPDX-License-Identifier: MIT */
/*
 * Reddit through its OAuth API: /r/SUB/new, /r/SUB/comments and
 * /r/SUB/search (sort=new), always with raw_json=1 (text not
 * entity-escaped). A token comes from the token endpoint with the app's
 * client id and secret (client credentials), or with a username and
 * password too (a "script" app); all from the environment.
 *
 * Cursor: "before=FULLNAME" polls forward: Reddit returns the items just
 * newer than FULLNAME; the next cursor is the newest fullname on the page
 * (more = 1 while pages are not empty). Without a cursor the newest page is
 * read and polling starts from it (more = 0). A first run with --since
 * walks back with "since=EPOCH&after=FULLNAME&newest=FULLNAME" until a
 * page reaches posts older than since (or Reddit's ~1000-item listing
 * end), then switches to "before=NEWEST". Fullnames ("t3_5jo144") are
 * compared as base-36 numbers of the same kind.
 *
 * Post: listings of t3 (text = title, a blank line, selftext) and t1
 * (text = body); id = "name" (the fullname); author = "author";
 * created_at = created_utc (a float); url = https://www.reddit.com +
 * permalink. Items whose author, body or selftext is "[deleted]" or
 * "[removed]" are skipped and counted.
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "ingest/adapter.h"

struct reddit {
    char *base_url;
    char *token_url;
    char *web_url;
    char *subreddit;
    char *listing;        /* new | comments | search */
    char *query;
    long limit;
    char *client_id;
    char *client_secret;
    char *username;
    char *password;

    char *token;

    struct cnd_jp *jp;
    struct item it;
    struct cnd_batch *out;
    struct cnd_buf text, url;
    enum cnd_jp_type root;
    struct cnd_buf newest, oldest;    /* fullnames on the page */
    int64_t oldest_t;
    int has_after;
    struct cnd_buf after;
};

enum { P_ROOT, P_AFTER, P_ITEM, P_KIND, P_NAME, P_TITLE, P_SELF, P_BODY, P_AUTHOR, P_CREATED,
       P_PERMALINK, P_COUNT };
enum { F_KIND, F_NAME, F_TITLE, F_SELF, F_BODY, F_AUTHOR, F_CREATED, F_PERMALINK };

static const char *const r_pats[P_COUNT] = {
    "", "data.after", "data.children.*", "data.children.*.kind", "data.children.*.data.name",
    "data.children.*.data.title", "data.children.*.data.selftext", "data.children.*.data.body",
    "data.children.*.data.author", "data.children.*.data.created_utc",
    "data.children.*.data.permalink",
};

static const struct cnd_opt reddit_opts[] = {
    { "base_url", CND_OPT_URL, "https://oauth.reddit.com", 0, offsetof(struct reddit, base_url),
      0, 0, NULL, NULL },
    { "token_url", CND_OPT_URL, "https://www.reddit.com/api/v1/access_token", 0,
      offsetof(struct reddit, token_url), 0, 0, NULL, NULL },
    { "web_url", CND_OPT_URL, "https://www.reddit.com", 0, offsetof(struct reddit, web_url),
      0, 0, NULL, NULL },
    { "subreddit", CND_OPT_STR, NULL, CND_OPT_REQUIRED, offsetof(struct reddit, subreddit),
      0, 0, NULL, NULL },
    { "listing", CND_OPT_STR, "new", 0, offsetof(struct reddit, listing), 0, 0,
      "new|comments|search", NULL },
    { "query", CND_OPT_STR, NULL, 0, offsetof(struct reddit, query), 0, 0, NULL, NULL },
    { "limit", CND_OPT_INT, "100", 0, offsetof(struct reddit, limit), 1, 100, NULL, NULL },
    { "client_id_env", CND_OPT_ENV, NULL, 0, offsetof(struct reddit, client_id), 0, 0, NULL,
      NULL },
    { "client_secret_env", CND_OPT_ENV, NULL, 0, offsetof(struct reddit, client_secret), 0, 0,
      NULL, NULL },
    { "username_env", CND_OPT_ENV, NULL, 0, offsetof(struct reddit, username), 0, 0, NULL,
      NULL },
    { "password_env", CND_OPT_ENV, NULL, 0, offsetof(struct reddit, password), 0, 0, NULL,
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

/* Compares fullnames "t3_abc" as base-36 numbers after the prefix. */
static int fullname_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    const char *ua = memchr(a, '_', al), *ub = memchr(b, '_', bl);

    if (ua) {
        al -= (size_t)(ua + 1 - a);
        a = ua + 1;
    }
    if (ub) {
        bl -= (size_t)(ub + 1 - b);
        b = ub + 1;
    }
    return cnd_id_cmp(a, al, b, bl);
}

static int deleted(struct cnd_str s)
{
    return s.ptr != NULL && ((s.len == 9 && memcmp(s.ptr, "[deleted]", 9) == 0) ||
                             (s.len == 9 && memcmp(s.ptr, "[removed]", 9) == 0));
}

/* ---- Parsing ---- */

static int r_open(void *ud, int id, enum cnd_jp_type t)
{
    struct reddit *r = ud;

    if (id == P_ROOT) {
        r->root = t;
    } else if (id == P_ITEM && t == CND_JP_MAP) {
        item_reset(&r->it);
        r->it.active = 1;
    } else if (id > P_ITEM && r->it.active) {
        item_set_other(&r->it, id - P_KIND);
    }
    return 0;
}

static int track(struct cnd_buf *b, struct cnd_str name, int want_newer)
{
    int c;

    if (b->len > 0) {
        c = fullname_cmp(name.ptr, name.len, b->data, b->len);
        if (want_newer ? c <= 0 : c >= 0) {
            return 0;
        }
    }
    cnd_buf_reset(b);
    return cnd_buf_add(b, name.ptr, name.len);
}

static int r_close(void *ud, int id, enum cnd_jp_type t)
{
    struct reddit *r = ud;
    struct cnd_post p;
    struct cnd_str kind, name, title, self, body, link;
    int ret;

    if (id != P_ITEM || t != CND_JP_MAP || !r->it.active) {
        return 0;
    }
    r->it.active = 0;
    r->out->items++;
    memset(&p, 0, sizeof(p));
    kind = item_str(&r->it, F_KIND);
    name = item_str(&r->it, F_NAME);
    if (name.ptr != NULL && name.len > 0 && name.len < 64) {
        int64_t tc;

        ret = track(&r->newest, name, 1);
        if (ret == 0) {
            ret = track(&r->oldest, name, 0);
        }
        if (ret < 0) {
            return ret == CND_ETOOBIG ? 0 : ret;
        }
        if (item_has(&r->it, F_CREATED) &&
            cnd_time_parse(r->it.f[F_CREATED].data, r->it.f[F_CREATED].len, &tc) == 0 &&
            (r->oldest_t == 0 || tc < r->oldest_t)) {
            r->oldest_t = tc;
        }
    }
    if (kind.ptr == NULL || kind.len != 2 || (memcmp(kind.ptr, "t3", 2) != 0 &&
                                              memcmp(kind.ptr, "t1", 2) != 0)) {
        adapter_skip(r->out);
        return 0;
    }
    title = item_str(&r->it, F_TITLE);
    self = item_str(&r->it, F_SELF);
    body = item_str(&r->it, F_BODY);
    if (deleted(item_str(&r->it, F_AUTHOR)) || deleted(self) || deleted(body)) {
        r->out->skipped++;
        r->out->skipped_deleted++;
        return 0;
    }
    cnd_buf_reset(&r->text);
    if (kind.ptr[1] == '3') {
        ret = title.ptr ? cnd_buf_add(&r->text, title.ptr, title.len) : 0;
        if (ret == 0 && self.len > 0) {
            ret = cnd_buf_add(&r->text, "\n\n", r->text.len ? 2 : 0);
            if (ret == 0) {
                ret = cnd_buf_add(&r->text, self.ptr, self.len);
            }
        }
    } else {
        ret = body.ptr ? cnd_buf_add(&r->text, body.ptr, body.len) : 0;
    }
    if (ret == CND_ETOOBIG) {
        adapter_skip(r->out);
        return 0;
    }
    if (ret < 0) {
        return ret;
    }
    p.id = name;
    p.text.ptr = r->text.data ? r->text.data : "";
    p.text.len = r->text.len;
    p.author = item_str(&r->it, F_AUTHOR);
    p.created_raw = item_str(&r->it, F_CREATED);
    link = item_str(&r->it, F_PERMALINK);
    cnd_buf_reset(&r->url);
    if (link.len > 0 && link.ptr[0] == '/') {
        ret = cnd_buf_addf(&r->url, "%s%.*s", r->web_url, (int)link.len, link.ptr);
        if (ret < 0 && ret != CND_ETOOBIG) {
            return ret;
        }
        if (ret == 0) {
            p.url.ptr = r->url.data;
            p.url.len = r->url.len;
        }
    }
    return adapter_add(r->out, &p);
}

static int r_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct reddit *r = ud;

    if (id == P_ROOT) {
        r->root = t;
    } else if (id == P_AFTER) {
        if (t == CND_JP_STR) {
            return adapter_keep_cursor(r->jp, &r->after, &r->has_after, s, len);
        }
    } else if (id > P_ITEM && r->it.active) {
        return item_set(&r->it, id - P_KIND, t, s, len);
    }
    return 0;
}

static const struct cnd_jp_handler r_handler = { r_open, r_close, r_scalar };

static int r_init(void *ctx, char *err, size_t errlen)
{
    struct reddit *r = ctx;
    const char *c;

    for (c = r->subreddit; *c; c++) {
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '+')) {
            snprintf(err, errlen, "subreddit \"%s\": letters, digits, '_' and '+' only",
                     r->subreddit);
            return CND_EINVAL;
        }
    }
    if (strcmp(r->listing, "search") == 0 && (r->query == NULL || r->query[0] == '\0')) {
        snprintf(err, errlen, "listing \"search\" needs a \"query\"");
        return CND_EINVAL;
    }
    if ((r->client_id == NULL) != (r->client_secret == NULL) ||
        (r->username == NULL) != (r->password == NULL) ||
        (r->username != NULL && r->client_id == NULL)) {
        snprintf(err, errlen, "give client_id_env with client_secret_env, and username_env "
                 "with password_env (a script app needs all four)");
        return CND_EINVAL;
    }
    item_init(&r->it);
    cnd_buf_init(&r->text, 2 * ADAPTER_MAX_FIELD + 2);
    cnd_buf_init(&r->url, 8192);
    cnd_buf_init(&r->newest, 64);
    cnd_buf_init(&r->oldest, 64);
    cnd_buf_init(&r->after, 64);
    r->jp = cnd_jp_new(r_pats, P_COUNT, &r_handler, r, ADAPTER_MAX_DEPTH, 0);
    return r->jp ? 0 : CND_ENOMEM;
}

static void r_release(void *ctx)
{
    struct reddit *r = ctx;

    cnd_jp_free(r->jp);
    item_release(&r->it);
    cnd_buf_release(&r->text);
    cnd_buf_release(&r->url);
    cnd_buf_release(&r->newest);
    cnd_buf_release(&r->oldest);
    cnd_buf_release(&r->after);
    wipe(&r->token);
}

static int r_parse(void *ctx, const struct cnd_response *resp, const char *cursor,
                   struct cnd_batch *out, struct cnd_cursor *next)
{
    struct reddit *r = ctx;
    size_t items0 = out->items;
    char *before = NULL, *since_s = NULL, *newest_in = NULL;
    struct cnd_buf c;
    int ret;

    if (cnd_http_status_err(resp->status) != 0) {
        return cnd_source_http_error("reddit", resp, out);
    }
    r->out = out;
    r->root = CND_JP_NULL;
    r->it.active = 0;
    r->has_after = 0;
    r->oldest_t = 0;
    cnd_buf_reset(&r->newest);
    cnd_buf_reset(&r->oldest);
    cnd_buf_reset(&r->after);
    ret = cnd_jp_parse(r->jp, resp->body, resp->len);
    if (ret < 0) {
        cnd_batch_set_error(out, "reddit: %s", cnd_jp_error(r->jp));
        return ret;
    }
    if (r->root != CND_JP_MAP) {
        cnd_batch_set_error(out, "reddit: expected a json listing object");
        return CND_EPARSE;
    }
    cnd_buf_init(&c, 0);
    ret = cnd_cursor_get(cursor, "before", &before);
    if (ret == CND_ENOENT) {
        ret = cnd_cursor_get(cursor, "since", &since_s);
    }
    if (ret == 0 || ret == CND_ENOENT) {
        ret = cnd_cursor_get(cursor, "newest", &newest_in);
        ret = ret == CND_ENOENT ? 0 : ret;
    }
    if (ret < 0) {
        goto out;
    }
    /* newest fullname: of the page, or carried over */
    if (newest_in != NULL &&
        (r->newest.len == 0 ||
         fullname_cmp(newest_in, strlen(newest_in), r->newest.data, r->newest.len) > 0)) {
        cnd_buf_reset(&r->newest);
        ret = cnd_buf_adds(&r->newest, newest_in);
        if (ret < 0) {
            goto out;
        }
    }
    if (since_s != NULL) {
        int64_t since = 0;

        (void)cnd_time_parse(since_s, strlen(since_s), &since);
        if (out->items > items0 && r->has_after && r->oldest_t >= since) {
            /* keep walking back */
            ret = cnd_cursor_add(&c, "since", since_s);
            if (ret == 0) {
                ret = cnd_cursor_add(&c, "after", r->after.data);
            }
            if (ret == 0 && r->newest.len > 0) {
                ret = cnd_cursor_add(&c, "newest", r->newest.data);
            }
            next->more = 1;
        } else {
            ret = r->newest.len > 0 ? cnd_cursor_add(&c, "before", r->newest.data) : 0;
            next->more = 0;
        }
    } else if (r->newest.len > 0 && out->items > items0) {
        ret = cnd_cursor_add(&c, "before", r->newest.data);
        next->more = before != NULL;
    } else {
        ret = cursor ? cnd_buf_adds(&c, cursor) : 0;
        next->more = 0;
    }
    if (ret == 0 && c.len > 0) {
        next->value = cnd_buf_detach(&c);
        ret = next->value ? 0 : CND_ENOMEM;
    }
out:
    cnd_free(before);
    cnd_free(since_s);
    cnd_free(newest_in);
    cnd_buf_release(&c);
    return ret;
}

/* ---- Requests ---- */

static int r_start_cursor(void *ctx, int64_t since, char **out)
{
    struct cnd_buf c;
    char num[24];

    (void)ctx;
    *out = NULL;
    if (since <= 0) {
        return 0;
    }
    fmt_i64(since, num);
    cnd_buf_init(&c, 0);
    if (cnd_cursor_add(&c, "since", num) < 0 || (*out = cnd_buf_detach(&c)) == NULL) {
        cnd_buf_release(&c);
        return CND_ENOMEM;
    }
    return 0;
}

static int r_build(void *ctx, const char *cursor, struct cnd_request *req)
{
    static const char *const keys[] = { "before", "after" };
    struct reddit *r = ctx;
    struct cnd_buf u;
    char num[24];
    size_t i;
    int ret;

    cnd_buf_init(&u, 0);
    ret = cnd_buf_addf(&u, "%s/r/%s/%s", r->base_url, r->subreddit, r->listing);
    if (ret == 0 && strcmp(r->listing, "search") == 0) {
        ret = url_param(&u, "q", r->query);
        if (ret == 0) {
            ret = url_param(&u, "restrict_sr", "1");
        }
        if (ret == 0) {
            ret = url_param(&u, "sort", "new");
        }
    }
    fmt_i64(r->limit, num);
    if (ret == 0) {
        ret = url_param(&u, "limit", num);
    }
    if (ret == 0) {
        ret = url_param(&u, "raw_json", "1");
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
    if (ret == 0 && r->token != NULL) {
        ret = adapter_add_bearer(req, r->token);
    }
    return ret;
}

static int r_auth_request(void *ctx, enum cnd_auth_mode mode, struct cnd_request *req)
{
    struct reddit *r = ctx;
    struct cnd_buf cred, auth, body;
    int ret;

    (void)mode;   /* Reddit app tokens are not refreshed: a new one is asked for */
    if (r->client_id == NULL) {
        return CND_ENOENT;
    }
    cnd_buf_init(&cred, 0);
    cnd_buf_init(&auth, 0);
    cnd_buf_init(&body, 0);
    req->method = "POST";
    req->url = cnd_strdup(r->token_url);
    ret = req->url ? cnd_buf_addf(&cred, "%s:%s", r->client_id, r->client_secret) : CND_ENOMEM;
    if (ret == 0) {
        ret = cnd_buf_adds(&auth, "Basic ");
    }
    if (ret == 0) {
        ret = cnd_buf_add_base64(&auth, (const unsigned char *)cred.data, cred.len);
    }
    if (ret == 0) {
        ret = cnd_request_add_header(req, "Authorization", auth.data, 1);
    }
    if (ret == 0 && r->username != NULL) {
        ret = cnd_buf_adds(&body, "grant_type=password&username=");
        if (ret == 0) {
            ret = cnd_url_escape(&body, r->username, strlen(r->username));
        }
        if (ret == 0) {
            ret = cnd_buf_adds(&body, "&password=");
        }
        if (ret == 0) {
            ret = cnd_url_escape(&body, r->password, strlen(r->password));
        }
    } else if (ret == 0) {
        ret = cnd_buf_adds(&body, "grant_type=client_credentials");
    }
    if (ret == 0) {
        req->body_len = body.len;
        req->body = cnd_buf_detach(&body);
        req->body_secret = 1;
        req->content_type = "application/x-www-form-urlencoded";
        ret = req->body ? 0 : CND_ENOMEM;
    }
    if (cred.data) {
        memset(cred.data, 0, cred.len);
    }
    if (auth.data) {
        memset(auth.data, 0, auth.len);
    }
    if (body.data) {
        memset(body.data, 0, body.len);
    }
    cnd_buf_release(&cred);
    cnd_buf_release(&auth);
    cnd_buf_release(&body);
    return ret;
}

struct token {
    char *access;
    char err[80];
    int64_t expires;
};

static int t_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct token *tk = ud;

    if (id == 0 && t == CND_JP_STR && tk->access == NULL && len > 0) {
        tk->access = cnd_strndup(s, len);
        return tk->access ? 0 : CND_ENOMEM;
    }
    if (id == 1 && t == CND_JP_NUM) {
        int64_t v = 0;
        size_t i;

        for (i = 0; i < len && i < 12 && s[i] >= '0' && s[i] <= '9'; i++) {
            v = v * 10 + (s[i] - '0');
        }
        tk->expires = v;
    }
    if (id == 2 && t == CND_JP_STR && tk->err[0] == '\0') {
        size_t i, n = 0;

        for (i = 0; i < len && n + 1 < sizeof(tk->err); i++) {
            tk->err[n++] = (char)((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f
                                  ? '?' : s[i]);
        }
        tk->err[n] = '\0';
    }
    return 0;
}

static int r_auth_parse(void *ctx, const struct cnd_response *resp, int64_t *expires_in,
                        char *err, size_t errlen)
{
    static const char *const pats[] = { "access_token", "expires_in", "error" };
    static const struct cnd_jp_handler h = { NULL, NULL, t_scalar };
    struct reddit *r = ctx;
    struct token tk;
    struct cnd_jp *jp;
    int ret;

    memset(&tk, 0, sizeof(tk));
    *expires_in = 0;
    if (cnd_http_status_err(resp->status) != 0) {
        struct cnd_batch tmp;

        memset(&tmp, 0, sizeof(tmp));
        ret = cnd_source_http_error("reddit token", resp, &tmp);
        snprintf(err, errlen, "%s", tmp.error);
        return ret == CND_EAGAIN ? ret : CND_EAUTH;
    }
    jp = cnd_jp_new(pats, 3, &h, &tk, 16, 0);
    if (jp == NULL) {
        return CND_ENOMEM;
    }
    ret = cnd_jp_parse(jp, resp->body, resp->len);
    if (ret < 0) {
        snprintf(err, errlen, "reddit token: %s", cnd_jp_error(jp));
    } else if (tk.access == NULL) {
        /* Reddit answers a bad password with 200 {"error": "invalid_grant"} */
        snprintf(err, errlen, "reddit token: %s", tk.err[0] ? tk.err : "no access_token");
        ret = CND_EAUTH;
    }
    cnd_jp_free(jp);
    if (ret < 0) {
        wipe(&tk.access);
        return ret;
    }
    wipe(&r->token);
    r->token = tk.access;
    *expires_in = tk.expires;
    return 0;
}

const struct cnd_source_ops cnd_source_reddit = {
    "reddit", reddit_opts, sizeof(struct reddit), r_init, r_start_cursor, r_build, r_parse,
    r_auth_request, r_auth_parse, r_release,
};
