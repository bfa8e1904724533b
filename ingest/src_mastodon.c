/* SPDX-License-Identifier: MIT */
/*
 * Mastodon: hashtag timeline (GET /api/v1/timelines/tag/:tag), public
 * timeline (/api/v1/timelines/public, "local"/"remote" flags) and status
 * search (/api/v2/search?type=statuses, which needs a token).
 *
 * Cursor: "min_id=ID" where ID is a status id (a decimal snowflake of any
 * length, compared as an integer, never as a double). A request with
 * min_id returns the statuses just newer than ID, so the source walks
 * forward one page after another: the next cursor is the min_id of the
 * Link header's rel="prev" URL (followed as given), or else the largest
 * id on the page, with more = 1 while pages are not empty. Without a
 * cursor the newest page is read and polling starts from it (more = 0).
 * "--since DATE" starts at min_id = (ms since the epoch) << 16, the id
 * Mastodon gives the first status of that millisecond.
 *
 * Post: id = "id", text = spoiler_text (when not empty), a blank line,
 * then "content" converted from HTML; author = account.acct; url = "url"
 * (else "uri"); lang = "language"; created_at = "created_at".
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "ingest/adapter.h"
#include "ingest/html.h"

struct mastodon {
    char *base_url;
    char *timeline;      /* tag | public | search */
    char *tag;
    char *query;
    int local, remote;
    long limit;
    char *token;

    /* parse state */
    char **pats;
    struct cnd_jp *jp;
    struct item it;
    struct cnd_batch *out;
    struct cnd_buf text;
    struct cnd_buf maxid;   /* largest id on the page */
    enum cnd_jp_type root;
    int err;
};

enum { P_ROOT, P_ITEM, P_ID, P_CONTENT, P_SPOILER, P_ACCT, P_URL, P_URI, P_LANG, P_CREATED,
       P_COUNT };
enum { F_ID, F_CONTENT, F_SPOILER, F_ACCT, F_URL, F_URI, F_LANG, F_CREATED };

static const struct cnd_opt mastodon_opts[] = {
    { "base_url", CND_OPT_URL, "https://mastodon.social", 0,
      offsetof(struct mastodon, base_url), 0, 0, NULL, NULL },
    { "timeline", CND_OPT_STR, "tag", 0, offsetof(struct mastodon, timeline), 0, 0,
      "tag|public|search", NULL },
    { "tag", CND_OPT_STR, NULL, 0, offsetof(struct mastodon, tag), 0, 0, NULL, NULL },
    { "query", CND_OPT_STR, NULL, 0, offsetof(struct mastodon, query), 0, 0, NULL, NULL },
    { "local", CND_OPT_BOOL, "false", 0, offsetof(struct mastodon, local), 0, 0, NULL, NULL },
    { "remote", CND_OPT_BOOL, "false", 0, offsetof(struct mastodon, remote), 0, 0, NULL, NULL },
    { "limit", CND_OPT_INT, "40", 0, offsetof(struct mastodon, limit), 1, 40, NULL, NULL },
    { "token_env", CND_OPT_ENV, NULL, 0, offsetof(struct mastodon, token), 0, 0, NULL, NULL },
    { 0 },
};

/* ---- Parsing ---- */

static int m_open(void *ud, int id, enum cnd_jp_type t)
{
    struct mastodon *m = ud;

    if (id == P_ROOT) {
        m->root = t;
    } else if (id == P_ITEM && t == CND_JP_MAP) {
        item_reset(&m->it);
        m->it.active = 1;
    } else if (id > P_ITEM && m->it.active) {
        item_set_other(&m->it, id - P_ID);
    }
    return 0;
}

static int m_close(void *ud, int id, enum cnd_jp_type t)
{
    struct mastodon *m = ud;
    struct cnd_post p;
    struct cnd_str spoiler, content;
    int ret;

    if (id != P_ITEM || t != CND_JP_MAP || !m->it.active) {
        return 0;
    }
    m->it.active = 0;
    m->out->items++;
    memset(&p, 0, sizeof(p));
    p.id = item_str(&m->it, F_ID);
    if (p.id.ptr != NULL && p.id.len > 0 &&
        (m->maxid.len == 0 || cnd_id_cmp(p.id.ptr, p.id.len, m->maxid.data, m->maxid.len) > 0)) {
        cnd_buf_reset(&m->maxid);
        ret = cnd_buf_add(&m->maxid, p.id.ptr, p.id.len);
        if (ret < 0) {
            return ret;
        }
    }
    cnd_buf_reset(&m->text);
    spoiler = item_str(&m->it, F_SPOILER);
    content = item_str(&m->it, F_CONTENT);
    if (m->it.st[F_CONTENT] == FS_BIG || m->it.st[F_SPOILER] == FS_BIG) {
        adapter_skip(m->out);
        return 0;
    }
    if (spoiler.len > 0) {
        ret = cnd_buf_add(&m->text, spoiler.ptr, spoiler.len);
        if (ret == 0 && content.len > 0) {
            ret = cnd_buf_add(&m->text, "\n\n", 2);
        }
        if (ret < 0) {
            return ret == CND_ETOOBIG ? 0 : ret;
        }
    }
    if (content.ptr != NULL) {
        ret = cnd_html_to_text(&m->text, content.ptr, content.len);
        if (ret == CND_ETOOBIG) {
            adapter_skip(m->out);
            return 0;
        }
        if (ret < 0) {
            return ret;
        }
    }
    p.text.ptr = m->text.data ? m->text.data : "";
    p.text.len = m->text.len;
    p.author = item_str(&m->it, F_ACCT);
    p.url = item_has(&m->it, F_URL) ? item_str(&m->it, F_URL) : item_str(&m->it, F_URI);
    p.lang = item_str(&m->it, F_LANG);
    p.created_raw = item_str(&m->it, F_CREATED);
    return adapter_add(m->out, &p);
}

static int m_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct mastodon *m = ud;

    if (id == P_ROOT) {
        m->root = t;
        return 0;
    }
    if (id > P_ITEM && m->it.active) {
        return item_set(&m->it, id - P_ID, t, s, len);
    }
    return 0;
}

static const struct cnd_jp_handler m_handler = { m_open, m_close, m_scalar };

static int m_init(void *ctx, char *err, size_t errlen)
{
    static const char *const suffixes[P_COUNT - 1] = {
        "", "id", "content", "spoiler_text", "account.acct", "url", "uri", "language",
        "created_at",
    };
    struct mastodon *m = ctx;
    const char *prefix = "*";
    char **pats;
    const char *all[P_COUNT];
    size_t i;
    int ret;

    if (strcmp(m->timeline, "tag") == 0 && (m->tag == NULL || m->tag[0] == '\0')) {
        snprintf(err, errlen, "timeline \"tag\" needs a \"tag\"");
        return CND_EINVAL;
    }
    if (strcmp(m->timeline, "search") == 0) {
        if (m->query == NULL || m->query[0] == '\0') {
            snprintf(err, errlen, "timeline \"search\" needs a \"query\"");
            return CND_EINVAL;
        }
        prefix = "statuses.*";
    }
    if (m->tag != NULL && m->tag[0] == '#') {
        memmove(m->tag, m->tag + 1, strlen(m->tag));
    }
    item_init(&m->it);
    cnd_buf_init(&m->text, 4 * ADAPTER_MAX_FIELD);
    cnd_buf_init(&m->maxid, 64);
    ret = adapter_patterns(prefix, suffixes, P_COUNT - 1, &pats);
    if (ret < 0) {
        return ret;
    }
    m->pats = pats;
    all[P_ROOT] = "";
    for (i = 1; i < P_COUNT; i++) {
        all[i] = pats[i - 1];
    }
    m->jp = cnd_jp_new(all, P_COUNT, &m_handler, m, ADAPTER_MAX_DEPTH, 0);
    return m->jp ? 0 : CND_ENOMEM;
}

static void m_release(void *ctx)
{
    struct mastodon *m = ctx;

    cnd_jp_free(m->jp);
    adapter_patterns_free(m->pats, P_COUNT - 1);
    item_release(&m->it);
    cnd_buf_release(&m->text);
    cnd_buf_release(&m->maxid);
}

static int m_parse(void *ctx, const struct cnd_response *resp, const char *cursor,
                   struct cnd_batch *out, struct cnd_cursor *next)
{
    struct mastodon *m = ctx;
    size_t items0 = out->items;
    char *prev = NULL, *min_id = NULL;
    struct cnd_buf c;
    int ret;

    if (cnd_http_status_err(resp->status) != 0) {
        return cnd_source_http_error("mastodon", resp, out);
    }
    m->out = out;
    m->root = CND_JP_NULL;
    m->it.active = 0;
    cnd_buf_reset(&m->maxid);
    ret = cnd_jp_parse(m->jp, resp->body, resp->len);
    if (ret < 0) {
        cnd_batch_set_error(out, "mastodon: %s", cnd_jp_error(m->jp));
        return ret;
    }
    if (m->root != (strcmp(m->timeline, "search") == 0 ? CND_JP_MAP : CND_JP_ARR)) {
        cnd_batch_set_error(out, "mastodon: expected a json %s of statuses",
                            strcmp(m->timeline, "search") == 0 ? "object" : "array");
        return CND_EPARSE;
    }
    /* the next cursor */
    cnd_buf_init(&c, 0);
    if (out->items == items0) {
        next->more = 0;
        ret = cursor ? cnd_buf_adds(&c, cursor) : 0;
    } else {
        ret = cnd_link_find(cnd_response_header(resp, "Link"), "prev", &prev);
        if (ret == 0) {
            ret = url_get_param(prev, "min_id", &min_id);
        }
        if (ret == CND_ENOMEM) {
            goto out;
        }
        if (ret < 0 || min_id == NULL || min_id[0] == '\0' ||
            cnd_id_cmp(min_id, strlen(min_id), m->maxid.data, m->maxid.len) < 0) {
            /* no usable Link: the largest id on the page */
            cnd_free(min_id);
            min_id = cnd_strdup(m->maxid.data ? m->maxid.data : "");
            if (min_id == NULL) {
                ret = CND_ENOMEM;
                goto out;
            }
        }
        ret = min_id[0] ? cnd_cursor_add(&c, "min_id", min_id) : 0;
        next->more = cursor != NULL;
    }
    if (ret == 0 && c.len > 0) {
        next->value = cnd_buf_detach(&c);
        if (next->value == NULL) {
            ret = CND_ENOMEM;
        }
    }
out:
    cnd_free(prev);
    cnd_free(min_id);
    cnd_buf_release(&c);
    return ret < 0 ? ret : 0;
}

/* ---- Requests ---- */

static int m_start_cursor(void *ctx, int64_t since, char **out)
{
    char num[24];
    struct cnd_buf c;

    (void)ctx;
    *out = NULL;
    if (since <= 0) {
        return 0;
    }
    fmt_i64((int64_t)((uint64_t)since * 1000u << 16), num);
    cnd_buf_init(&c, 0);
    if (cnd_cursor_add(&c, "min_id", num) < 0 || (*out = cnd_buf_detach(&c)) == NULL) {
        cnd_buf_release(&c);
        return CND_ENOMEM;
    }
    return 0;
}

static int m_build(void *ctx, const char *cursor, struct cnd_request *req)
{
    struct mastodon *m = ctx;
    struct cnd_buf u;
    char num[24], *min_id = NULL;
    int ret;

    cnd_buf_init(&u, 0);
    ret = cnd_buf_adds(&u, m->base_url);
    if (ret == 0 && strcmp(m->timeline, "tag") == 0) {
        ret = cnd_buf_adds(&u, "/api/v1/timelines/tag/");
        if (ret == 0) {
            ret = cnd_url_escape(&u, m->tag, strlen(m->tag));
        }
    } else if (ret == 0 && strcmp(m->timeline, "public") == 0) {
        ret = cnd_buf_adds(&u, "/api/v1/timelines/public");
    } else if (ret == 0) {
        if (m->token == NULL) {
            cnd_buf_release(&u);
            return CND_EAUTH;   /* search needs a token: token_env */
        }
        ret = cnd_buf_adds(&u, "/api/v2/search");
        if (ret == 0) {
            ret = url_param(&u, "q", m->query);
        }
        if (ret == 0) {
            ret = url_param(&u, "type", "statuses");
        }
    }
    fmt_i64(m->limit, num);
    if (ret == 0) {
        ret = url_param(&u, "limit", num);
    }
    if (ret == 0 && m->local && strcmp(m->timeline, "search") != 0) {
        ret = url_param(&u, "local", "true");
    }
    if (ret == 0 && m->remote && strcmp(m->timeline, "public") == 0) {
        ret = url_param(&u, "remote", "true");
    }
    if (ret == 0 && cursor != NULL) {
        ret = cnd_cursor_get(cursor, "min_id", &min_id);
        if (ret == 0) {
            ret = url_param(&u, "min_id", min_id);
        } else if (ret == CND_ENOENT) {
            ret = 0;
        }
    }
    cnd_free(min_id);
    if (ret == 0) {
        req->url = cnd_buf_detach(&u);
        ret = req->url ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&u);
    if (ret == 0 && m->token != NULL) {
        ret = adapter_add_bearer(req, m->token);
    }
    return ret;
}

const struct cnd_source_ops cnd_source_mastodon = {
    "mastodon", mastodon_opts, sizeof(struct mastodon), m_init, m_start_cursor, m_build,
    m_parse, NULL, NULL, m_release,
};
