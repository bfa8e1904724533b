/* SPDX-License-Identifier: MIT */
/*
 * Any JSON or NDJSON endpoint. The configuration says, as dotted paths,
 * where the item array is ("items"; "" = the body is the array; ignored
 * for NDJSON where each line is an item), where each post field is inside
 * an item ("fields": id, text, created_at, author, url, lang), and how to
 * page ("paging"):
 *   none    one request per run (more = 0)
 *   cursor  the body field at path "cursor" is sent back as the query
 *           parameter "cursor_param"; cursor "cursor=VALUE"
 *   link    the Link header's rel="next" URL is followed as given (only on
 *           the same scheme and host as "url"); cursor "url=URL"
 *   page    page numbers in "page_param" from "page_start"; cursor "page=N"
 * A run goes on while a page has items and a next cursor. At the end the
 * last cursor is kept (cursor/link) or reset (page), so the next run
 * resumes there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "ingest/adapter.h"
#include "ingest/html.h"

struct generic {
    char *url;
    char *format;       /* json | ndjson */
    char *items;
    char *paging;       /* none | cursor | link | page */
    char *cursor;       /* body path of the next cursor */
    char *cursor_param;
    char *page_param;
    long page_start;
    char *limit_param;
    long limit;
    int html;
    char *token;
    struct {
        char *id, *text, *created_at, *author, *url, *lang;
    } f;

    char item_pat[512];
    char **pats;
    size_t npats;
    struct cnd_jp *jp;
    struct item it;
    struct cnd_batch *out;
    struct cnd_buf text;
    struct cnd_buf next;
    int has_next;
    int root_ok;
    int ndjson;
};

enum { P_ROOT, P_ITEM, P_ID, P_TEXT, P_CREATED, P_AUTHOR, P_URL, P_LANG, P_CURSOR, P_COUNT };
enum { F_ID, F_TEXT, F_CREATED, F_AUTHOR, F_URL, F_LANG };

static const struct cnd_opt field_opts[] = {
    { "id", CND_OPT_STR, "id", 0, offsetof(struct generic, f.id), 0, 0, NULL, NULL },
    { "text", CND_OPT_STR, "text", 0, offsetof(struct generic, f.text), 0, 0, NULL, NULL },
    { "created_at", CND_OPT_STR, "created_at", 0, offsetof(struct generic, f.created_at), 0, 0,
      NULL, NULL },
    { "author", CND_OPT_STR, "author", 0, offsetof(struct generic, f.author), 0, 0, NULL, NULL },
    { "url", CND_OPT_STR, "url", 0, offsetof(struct generic, f.url), 0, 0, NULL, NULL },
    { "lang", CND_OPT_STR, "lang", 0, offsetof(struct generic, f.lang), 0, 0, NULL, NULL },
    { 0 },
};

static const struct cnd_opt generic_opts[] = {
    { "url", CND_OPT_URL, NULL, CND_OPT_REQUIRED, offsetof(struct generic, url), 0, 0, NULL,
      NULL },
    { "format", CND_OPT_STR, "json", 0, offsetof(struct generic, format), 0, 0, "json|ndjson",
      NULL },
    { "items", CND_OPT_STR, "", 0, offsetof(struct generic, items), 0, 0, NULL, NULL },
    { "paging", CND_OPT_STR, NULL, 0, offsetof(struct generic, paging), 0, 0,
      "none|cursor|link|page", NULL },
    { "cursor", CND_OPT_STR, NULL, 0, offsetof(struct generic, cursor), 0, 0, NULL, NULL },
    { "cursor_param", CND_OPT_STR, "cursor", 0, offsetof(struct generic, cursor_param), 0, 0,
      NULL, NULL },
    { "page_param", CND_OPT_STR, "page", 0, offsetof(struct generic, page_param), 0, 0, NULL,
      NULL },
    { "page_start", CND_OPT_INT, "1", 0, offsetof(struct generic, page_start), 0, 1000000, NULL,
      NULL },
    { "limit_param", CND_OPT_STR, "limit", 0, offsetof(struct generic, limit_param), 0, 0, NULL,
      NULL },
    { "limit", CND_OPT_INT, "0", 0, offsetof(struct generic, limit), 0, 100000, NULL, NULL },
    { "html", CND_OPT_BOOL, "false", 0, offsetof(struct generic, html), 0, 0, NULL, NULL },
    { "token_env", CND_OPT_ENV, NULL, 0, offsetof(struct generic, token), 0, 0, NULL, NULL },
    { "fields", CND_OPT_OBJ, NULL, 0, 0, 0, 0, NULL, field_opts },
    { 0 },
};

/* ---- Parsing ---- */

static int g_open(void *ud, int id, enum cnd_jp_type t)
{
    struct generic *g = ud;

    if (id == P_ROOT) {
        g->root_ok |= g->ndjson ? t == CND_JP_MAP : t == (g->items[0] ? CND_JP_MAP : CND_JP_ARR);
    }
    if (id == P_ITEM) {
        if (t == CND_JP_MAP) {
            item_reset(&g->it);
            g->it.active = 1;
        } else if (!g->it.active) {
            g->out->items++;
            adapter_skip(g->out);   /* an item that is not an object */
        }
    } else if (id >= P_ID && id <= P_LANG && g->it.active) {
        item_set_other(&g->it, id - P_ID);
    }
    return 0;
}

static int g_close(void *ud, int id, enum cnd_jp_type t)
{
    struct generic *g = ud;
    struct cnd_post p;
    struct cnd_str text;
    int ret;

    if (id != P_ITEM || t != CND_JP_MAP || !g->it.active) {
        return 0;
    }
    g->it.active = 0;
    g->out->items++;
    memset(&p, 0, sizeof(p));
    text = item_str(&g->it, F_TEXT);
    if (text.ptr == NULL || g->it.st[F_TEXT] != FS_STR) {
        adapter_skip(g->out);   /* no text, or not a string */
        return 0;
    }
    if (g->html) {
        cnd_buf_reset(&g->text);
        ret = cnd_html_to_text(&g->text, text.ptr, text.len);
        if (ret == CND_ETOOBIG) {
            adapter_skip(g->out);
            return 0;
        }
        if (ret < 0) {
            return ret;
        }
        text.ptr = g->text.data ? g->text.data : "";
        text.len = g->text.len;
    }
    p.id = item_str(&g->it, F_ID);
    p.text = text;
    p.author = item_str(&g->it, F_AUTHOR);
    p.url = item_str(&g->it, F_URL);
    p.lang = item_str(&g->it, F_LANG);
    p.created_raw = item_str(&g->it, F_CREATED);
    return adapter_add(g->out, &p);
}

static int g_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct generic *g = ud;

    if (id == P_ROOT) {
        return 0;
    }
    if (id == P_ITEM) {
        if (!g->it.active) {
            g->out->items++;
            adapter_skip(g->out);
        }
        return 0;
    }
    if (id == P_CURSOR) {
        if (t == CND_JP_STR || t == CND_JP_NUM) {
            return adapter_keep_cursor(g->jp, &g->next, &g->has_next, s, len);
        }
        return 0;
    }
    if (g->it.active) {
        return item_set(&g->it, id - P_ID, t, s, len);
    }
    return 0;
}

static const struct cnd_jp_handler g_handler = { g_open, g_close, g_scalar };

static int g_init(void *ctx, char *err, size_t errlen)
{
    struct generic *g = ctx;
    const char *fields[6];
    const char *all[P_COUNT];
    char *prefix = g->item_pat;
    size_t i, n;
    int ret;

    g->ndjson = strcmp(g->format, "ndjson") == 0;
    if (g->paging == NULL) {
        g->paging = cnd_strdup(g->cursor ? "cursor" : "none");
        if (g->paging == NULL) {
            return CND_ENOMEM;
        }
    }
    if (strcmp(g->paging, "cursor") == 0 && (g->cursor == NULL || g->cursor[0] == '\0')) {
        snprintf(err, errlen, "paging \"cursor\" needs \"cursor\", the path of the next cursor");
        return CND_EINVAL;
    }
    if (g->ndjson && strcmp(g->paging, "cursor") == 0) {
        snprintf(err, errlen, "an ndjson body has no cursor field: use paging link, page or none");
        return CND_EINVAL;
    }
    fields[0] = g->f.id;
    fields[1] = g->f.text;
    fields[2] = g->f.created_at;
    fields[3] = g->f.author;
    fields[4] = g->f.url;
    fields[5] = g->f.lang;
    for (i = 0; i < 6; i++) {
        if (fields[i] == NULL || fields[i][0] == '\0' || fields[i][0] == '.' ||
            fields[i][strlen(fields[i]) - 1] == '.' || strstr(fields[i], "..") != NULL) {
            snprintf(err, errlen, "fields: \"%s\" is not a dotted path",
                     fields[i] ? fields[i] : "");
            return CND_EINVAL;
        }
    }
    if (g->ndjson) {
        prefix[0] = '\0';
    } else if ((size_t)snprintf(prefix, sizeof(g->item_pat), "%s%s*", g->items,
                                g->items[0] ? "." : "") >= sizeof(g->item_pat)) {
        snprintf(err, errlen, "items: path too long");
        return CND_EINVAL;
    }
    item_init(&g->it);
    cnd_buf_init(&g->text, 4 * ADAPTER_MAX_FIELD);
    cnd_buf_init(&g->next, 8192);
    ret = adapter_patterns(prefix, fields, 6, &g->pats);
    if (ret < 0) {
        return ret;
    }
    g->npats = 6;
    all[P_ROOT] = "";
    all[P_ITEM] = prefix;
    for (i = 0; i < 6; i++) {
        all[P_ID + i] = g->pats[i];
    }
    n = P_CURSOR;
    if (g->cursor != NULL && strcmp(g->paging, "cursor") == 0) {
        all[P_CURSOR] = g->cursor;
        n = P_COUNT;
    }
    g->jp = cnd_jp_new(all, n, &g_handler, g, ADAPTER_MAX_DEPTH, g->ndjson);
    return g->jp ? 0 : CND_ENOMEM;
}

static void g_release(void *ctx)
{
    struct generic *g = ctx;

    cnd_jp_free(g->jp);
    adapter_patterns_free(g->pats, g->npats);
    item_release(&g->it);
    cnd_buf_release(&g->text);
    cnd_buf_release(&g->next);
}

/* Scheme and host of "url" (up to the third '/') match those of "base". */
static int same_origin(const char *url, const char *base)
{
    const char *b = strstr(base, "://"), *end;
    size_t n;

    if (b == NULL) {
        return 0;
    }
    end = strchr(b + 3, '/');
    n = end ? (size_t)(end - base) : strlen(base);
    return strncmp(url, base, n) == 0 && (url[n] == '\0' || url[n] == '/' || url[n] == '?');
}

static int g_parse(void *ctx, const struct cnd_response *resp, const char *cursor,
                   struct cnd_batch *out, struct cnd_cursor *next)
{
    struct generic *g = ctx;
    size_t items0 = out->items;
    struct cnd_buf c;
    char *link = NULL;
    int ret;

    if (cnd_http_status_err(resp->status) != 0) {
        return cnd_source_http_error("generic", resp, out);
    }
    g->out = out;
    g->it.active = 0;
    g->has_next = 0;
    g->root_ok = 0;
    cnd_buf_reset(&g->next);
    ret = cnd_jp_parse(g->jp, resp->body, resp->len);
    if (ret < 0) {
        cnd_batch_set_error(out, "generic: %s", cnd_jp_error(g->jp));
        return ret;
    }
    if (!g->root_ok && !(g->ndjson && resp->len == 0)) {
        cnd_batch_set_error(out, "generic: expected %s", g->ndjson ? "json objects, one a line"
                            : g->items[0] ? "a json object holding the items" : "a json array");
        return CND_EPARSE;
    }
    cnd_buf_init(&c, 0);
    next->more = 0;
    if (strcmp(g->paging, "cursor") == 0) {
        if (g->has_next) {
            ret = cnd_cursor_add(&c, "cursor", g->next.data);
            next->more = out->items > items0 && !(cursor && strcmp(cursor, c.data) == 0);
        } else if (cursor != NULL) {
            ret = cnd_buf_adds(&c, cursor);
        }
    } else if (strcmp(g->paging, "link") == 0) {
        ret = cnd_link_find(cnd_response_header(resp, "Link"), "next", &link);
        if (ret == 0 && same_origin(link, g->url)) {
            ret = cnd_cursor_add(&c, "url", link);
            next->more = out->items > items0;
        } else if (ret == 0 || ret == CND_ENOENT) {
            ret = cursor ? cnd_buf_adds(&c, cursor) : 0;
        }
    } else if (strcmp(g->paging, "page") == 0 && out->items > items0) {
        char *pg = NULL;
        long n = g->page_start;
        char num[24];

        if (cnd_cursor_get(cursor, "page", &pg) == 0) {
            n = strtol(pg, NULL, 10);
        }
        cnd_free(pg);
        fmt_i64((int64_t)n + 1, num);
        ret = cnd_cursor_add(&c, "page", num);
        next->more = 1;
    }
    cnd_free(link);
    if (ret == 0 && c.len > 0) {
        next->value = cnd_buf_detach(&c);
        ret = next->value ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&c);
    return ret;
}

/* ---- Requests ---- */

static int g_build(void *ctx, const char *cursor, struct cnd_request *req)
{
    struct generic *g = ctx;
    struct cnd_buf u;
    char *v = NULL, num[24];
    int ret;

    cnd_buf_init(&u, 0);
    if (strcmp(g->paging, "link") == 0 && cnd_cursor_get(cursor, "url", &v) == 0 &&
        same_origin(v, g->url)) {
        ret = cnd_buf_adds(&u, v);
    } else {
        ret = cnd_buf_adds(&u, g->url);
        if (ret == 0 && g->limit > 0) {
            fmt_i64(g->limit, num);
            ret = url_param(&u, g->limit_param, num);
        }
        cnd_free(v);
        v = NULL;
        if (ret == 0 && strcmp(g->paging, "cursor") == 0 &&
            cnd_cursor_get(cursor, "cursor", &v) == 0) {
            ret = url_param(&u, g->cursor_param, v);
        } else if (ret == 0 && strcmp(g->paging, "page") == 0) {
            if (cnd_cursor_get(cursor, "page", &v) == 0) {
                ret = url_param(&u, g->page_param, v);
            } else {
                fmt_i64(g->page_start, num);
                ret = url_param(&u, g->page_param, num);
            }
        }
    }
    cnd_free(v);
    if (ret == 0) {
        req->url = cnd_buf_detach(&u);
        ret = req->url ? 0 : CND_ENOMEM;
    }
    cnd_buf_release(&u);
    if (ret == 0 && g->token != NULL) {
        ret = adapter_add_bearer(req, g->token);
    }
    return ret;
}

const struct cnd_source_ops cnd_source_generic = {
    "generic", generic_opts, sizeof(struct generic), g_init, NULL, g_build, g_parse,
    NULL, NULL, g_release,
};
