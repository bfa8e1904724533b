/* SPDX-License-Identifier: MIT */
/*
 * The table of all source adapters and what they share: requests and
 * responses, Link headers, cursors, the post batch and its arena, and the
 * validation of a source's configuration against its adapter's options
 * table (errors as "FILE:LINE: sources[I].KEY: message").
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"
#include "ingest/jsonpath.h"
#include "ingest/source.h"

const struct cnd_source_ops *const cnd_source_kinds[] = {
    &cnd_source_mastodon, &cnd_source_bluesky, &cnd_source_reddit,
    &cnd_source_hackernews, &cnd_source_lemmy, &cnd_source_generic, NULL,
};

const struct cnd_source_ops *cnd_source_kind(const char *kind)
{
    size_t i;

    for (i = 0; kind != NULL && cnd_source_kinds[i]; i++) {
        if (strcmp(cnd_source_kinds[i]->name, kind) == 0) {
            return cnd_source_kinds[i];
        }
    }
    return NULL;
}

/* ---- Requests ---- */

static void wipe_free(char *s, size_t len)
{
    if (s != NULL) {
        volatile char *p = s;
        size_t i;

        for (i = 0; i < len; i++) {
            p[i] = 0;
        }
        cnd_free(s);
    }
}

void cnd_request_init(struct cnd_request *req)
{
    memset(req, 0, sizeof(*req));
    req->method = "GET";
}

void cnd_request_release(struct cnd_request *req)
{
    size_t i;

    if (req == NULL) {
        return;
    }
    cnd_free(req->url);
    if (req->body_secret) {
        wipe_free(req->body, req->body_len);
    } else {
        cnd_free(req->body);
    }
    for (i = 0; i < req->n_headers; i++) {
        cnd_free(req->headers[i].name);
        if (req->headers[i].secret) {
            wipe_free(req->headers[i].value, strlen(req->headers[i].value));
        } else {
            cnd_free(req->headers[i].value);
        }
    }
    cnd_request_init(req);
}

int cnd_request_add_header(struct cnd_request *req, const char *name, const char *value,
                           int secret)
{
    struct cnd_req_header *h;

    if (req->n_headers >= CND_REQ_MAX_HEADERS) {
        return CND_ELIMIT;
    }
    h = &req->headers[req->n_headers];
    h->name = cnd_strdup(name);
    h->value = cnd_strdup(value);
    if (h->name == NULL || h->value == NULL) {
        cnd_free(h->name);
        cnd_free(h->value);
        h->name = h->value = NULL;
        return CND_ENOMEM;
    }
    h->secret = secret;
    req->n_headers++;
    return 0;
}

const char *cnd_request_header(const struct cnd_request *req, const char *name)
{
    size_t i;

    for (i = 0; i < req->n_headers; i++) {
        if (strcasecmp(req->headers[i].name, name) == 0) {
            return req->headers[i].value;
        }
    }
    return NULL;
}

/* ---- Responses and Link headers ---- */

const char *cnd_response_header(const struct cnd_response *resp, const char *name)
{
    size_t i;

    for (i = 0; resp->headers != NULL && i < resp->n_headers; i++) {
        if (resp->headers[i].name && strcasecmp(resp->headers[i].name, name) == 0) {
            return resp->headers[i].value;
        }
    }
    return NULL;
}

static int is_sp(char c)
{
    return c == ' ' || c == '\t';
}

/* Does the rel value "v" ("n" bytes, space-separated list) name "rel"? */
static int rel_has(const char *v, size_t n, const char *rel)
{
    size_t rl = strlen(rel), i = 0;

    while (i < n) {
        size_t j = i;

        while (j < n && !is_sp(v[j])) {
            j++;
        }
        if (j - i == rl && strncasecmp(v + i, rel, rl) == 0) {
            return 1;
        }
        i = j + 1;
    }
    return 0;
}

int cnd_link_find(const char *link, const char *rel, char **out)
{
    const char *p = link;

    if (link == NULL) {
        return CND_ENOENT;
    }
    for (;;) {
        const char *url, *uend;
        int match = 0;

        while (*p && (is_sp(*p) || *p == ',')) {
            p++;
        }
        if (*p != '<') {
            return CND_ENOENT;
        }
        url = p + 1;
        uend = strchr(url, '>');
        if (uend == NULL) {
            return CND_ENOENT;
        }
        p = uend + 1;
        /* parameters: ; name=value or ; name="value" */
        for (;;) {
            const char *nm, *val;
            size_t nlen, vlen;

            while (is_sp(*p)) {
                p++;
            }
            if (*p != ';') {
                break;
            }
            p++;
            while (is_sp(*p)) {
                p++;
            }
            nm = p;
            while (*p && *p != '=' && *p != ';' && *p != ',' && !is_sp(*p)) {
                p++;
            }
            nlen = (size_t)(p - nm);
            while (is_sp(*p)) {
                p++;
            }
            val = p;
            vlen = 0;
            if (*p == '=') {
                p++;
                while (is_sp(*p)) {
                    p++;
                }
                if (*p == '"') {
                    val = ++p;
                    while (*p && *p != '"') {
                        p++;
                    }
                    vlen = (size_t)(p - val);
                    if (*p == '"') {
                        p++;
                    }
                } else {
                    val = p;
                    while (*p && *p != ';' && *p != ',' && !is_sp(*p)) {
                        p++;
                    }
                    vlen = (size_t)(p - val);
                }
            }
            if (nlen == 3 && strncasecmp(nm, "rel", 3) == 0 && rel_has(val, vlen, rel)) {
                match = 1;
            }
        }
        if (match) {
            *out = cnd_strndup(url, (size_t)(uend - url));
            return *out ? 0 : CND_ENOMEM;
        }
        while (*p && *p != ',') {
            p++;   /* junk up to the next link */
        }
        if (*p == '\0') {
            return CND_ENOENT;
        }
    }
}

/* ---- Cursors ---- */

void cnd_cursor_init(struct cnd_cursor *c)
{
    c->value = NULL;
    c->more = 0;
}

void cnd_cursor_release(struct cnd_cursor *c)
{
    if (c != NULL) {
        cnd_free(c->value);
        cnd_cursor_init(c);
    }
}

static int hexdig(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int cnd_cursor_get(const char *cursor, const char *key, char **out)
{
    const char *p = cursor;
    size_t klen = strlen(key);

    while (p != NULL && *p) {
        const char *end = strchr(p, '&');
        const char *eq;

        if (end == NULL) {
            end = p + strlen(p);
        }
        eq = memchr(p, '=', (size_t)(end - p));
        if (eq != NULL && (size_t)(eq - p) == klen && memcmp(p, key, klen) == 0) {
            const char *v = eq + 1;
            char *s = cnd_malloc((size_t)(end - v) + 1), *o = s;

            if (s == NULL) {
                return CND_ENOMEM;
            }
            while (v < end) {
                if (*v == '%' && v + 2 < end && hexdig(v[1]) >= 0 && hexdig(v[2]) >= 0) {
                    *o++ = (char)(hexdig(v[1]) * 16 + hexdig(v[2]));
                    v += 3;
                } else {
                    *o++ = *v++;
                }
            }
            *o = '\0';
            *out = s;
            return 0;
        }
        p = *end ? end + 1 : end;
    }
    return CND_ENOENT;
}

int cnd_url_escape(struct cnd_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    int ret = 0;

    for (i = 0; i < len && ret == 0; i++) {
        unsigned char c = (unsigned char)s[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            ret = cnd_buf_addc(b, (char)c);
        } else {
            char e[3] = { '%', hex[c >> 4], hex[c & 15] };

            ret = cnd_buf_add(b, e, 3);
        }
    }
    return ret;
}

int cnd_cursor_add(struct cnd_buf *b, const char *key, const char *value)
{
    int ret = cnd_buf_addf(b, "%s%s=", b->len ? "&" : "", key);

    return ret < 0 ? ret : cnd_url_escape(b, value, strlen(value));
}

/* ---- Ids and statuses ---- */

int cnd_id_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c;

    while (alen > 1 && a[0] == '0') {
        a++;
        alen--;
    }
    while (blen > 1 && b[0] == '0') {
        b++;
        blen--;
    }
    if (alen != blen) {
        return alen < blen ? -1 : 1;
    }
    c = memcmp(a, b, alen);
    return c < 0 ? -1 : c > 0;
}

int cnd_http_status_err(long status)
{
    if (status >= 200 && status < 300) {
        return 0;
    }
    if (status == 401 || status == 403) {
        return CND_EAUTH;
    }
    if (status == 408 || status == 429 || status >= 500) {
        return CND_EAGAIN;
    }
    return CND_EHTTP;
}

/* Pulls a message out of an error body. */
struct errmsg {
    char msg[160];
    int have;
};

static int errmsg_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct errmsg *em = ud;
    size_t i, n = 0;

    (void)id;
    if (t != CND_JP_STR || em->have) {
        return 0;
    }
    for (i = 0; i < len && n + 1 < sizeof(em->msg); i++) {
        unsigned char c = (unsigned char)s[i];

        em->msg[n++] = (char)(c < 0x20 || c == 0x7f || c >= 0x80 ? '?' : c);
    }
    em->msg[n] = '\0';
    em->have = n > 0;
    return 0;
}

int cnd_source_http_error(const char *who, const struct cnd_response *resp,
                          struct cnd_batch *out)
{
    static const char *const pats[] = { "error_description", "message", "error", "error.message" };
    static const struct cnd_jp_handler h = { NULL, NULL, errmsg_scalar };
    struct errmsg em;
    struct cnd_jp *jp;
    int code = cnd_http_status_err(resp->status);

    memset(&em, 0, sizeof(em));
    jp = cnd_jp_new(pats, 4, &h, &em, 16, 0);
    if (jp != NULL) {
        (void)cnd_jp_parse(jp, resp->body, resp->len);
        cnd_jp_free(jp);
    }
    cnd_batch_set_error(out, "%s: http %ld%s%s", who, resp->status, em.have ? ": " : "",
                        em.have ? em.msg : "");
    return code ? code : CND_EHTTP;
}

/* ---- Batches ---- */

struct cnd_batch_chunk {
    struct cnd_batch_chunk *next;
    size_t size, used;
    char data[];
};

#define CHUNK_MIN (64 * 1024)

int cnd_batch_init(struct cnd_batch *b, const char *source)
{
    memset(b, 0, sizeof(*b));
    if (source != NULL) {
        b->source = cnd_batch_strdup(b, source, strlen(source));
        if (b->source == NULL) {
            return CND_ENOMEM;
        }
    }
    return 0;
}

char *cnd_batch_strdup(struct cnd_batch *b, const char *s, size_t len)
{
    struct cnd_batch_chunk *c = b->chunks;
    char *p;

    if (c == NULL || c->size - c->used < len + 1) {
        size_t size = len + 1 > CHUNK_MIN ? len + 1 : CHUNK_MIN;

        c = cnd_malloc(sizeof(*c) + size);
        if (c == NULL) {
            return NULL;
        }
        c->size = size;
        c->used = 0;
        c->next = b->chunks;
        b->chunks = c;
    }
    p = c->data + c->used;
    if (len) {
        memcpy(p, s, len);
    }
    p[len] = '\0';
    c->used += len + 1;
    return p;
}

static int copy_str(struct cnd_batch *b, struct cnd_str *s)
{
    char *p;

    if (s->ptr == NULL) {
        s->len = 0;
        return 0;
    }
    p = cnd_batch_strdup(b, s->ptr, s->len);
    if (p == NULL) {
        return CND_ENOMEM;
    }
    s->ptr = p;
    return 0;
}

int cnd_batch_add(struct cnd_batch *b, const struct cnd_post *post)
{
    struct cnd_post p = *post;

    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct cnd_post *np = cnd_realloc(b->posts, cap * sizeof(*np));

        if (np == NULL) {
            return CND_ENOMEM;
        }
        b->posts = np;
        b->cap = cap;
    }
    if (b->source != NULL) {
        p.source.ptr = b->source;
        p.source.len = strlen(b->source);
    } else if (copy_str(b, &p.source) < 0) {
        return CND_ENOMEM;
    }
    if (copy_str(b, &p.id) < 0 || copy_str(b, &p.author) < 0 || copy_str(b, &p.text) < 0 ||
        copy_str(b, &p.url) < 0 || copy_str(b, &p.lang) < 0 || copy_str(b, &p.created_raw) < 0) {
        return CND_ENOMEM;
    }
    b->posts[b->n++] = p;
    return 0;
}

void cnd_batch_clear(struct cnd_batch *b)
{
    struct cnd_batch_chunk *c = b->chunks, *keep = NULL;
    char *src = b->source;

    /* the source name lives in the oldest chunk: keep that one */
    while (c != NULL) {
        struct cnd_batch_chunk *next = c->next;

        if (src != NULL && next == NULL) {
            keep = c;
        } else {
            cnd_free(c);
        }
        c = next;
    }
    if (keep != NULL) {
        keep->used = strlen(src) + 1;
        keep->next = NULL;
    }
    b->chunks = keep;
    b->n = 0;
    b->items = b->skipped = b->skipped_utf8 = b->skipped_deleted = 0;
    b->error[0] = '\0';
}

void cnd_batch_release(struct cnd_batch *b)
{
    struct cnd_batch_chunk *c;

    if (b == NULL) {
        return;
    }
    c = b->chunks;
    while (c != NULL) {
        struct cnd_batch_chunk *next = c->next;

        cnd_free(c);
        c = next;
    }
    cnd_free(b->posts);
    memset(b, 0, sizeof(*b));
}

void cnd_batch_set_error(struct cnd_batch *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(b->error, sizeof(b->error), fmt, ap);
    va_end(ap);
}

/* ---- Configuration ---- */

struct vc {
    const char *file;
    struct cnd_buf *errs;
    unsigned flags;
    int bad;
    int nomem;
};

static void verr(struct vc *vc, unsigned line, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void verr(struct vc *vc, unsigned line, const char *path, const char *fmt, ...)
{
    va_list ap;
    int ret;

    vc->bad = 1;
    if (vc->errs == NULL) {
        return;
    }
    ret = cnd_buf_addf(vc->errs, "%s:%u: %s: ", vc->file, line, path);
    if (ret == 0) {
        va_start(ap, fmt);
        ret = cnd_buf_vaddf(vc->errs, fmt, ap);
        va_end(ap);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(vc->errs, '\n');
    }
    if (ret == CND_ENOMEM) {
        vc->nomem = 1;
    }
}

static const char *const type_names[] = {
    "a string", "a URL string", "an integer", "true or false",
    "a string (an environment variable name)", "an object",
};

static int choice_ok(const char *choices, const char *v)
{
    size_t vl = strlen(v);
    const char *p = choices;

    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);

        if (n == vl && memcmp(p, v, n) == 0) {
            return 1;
        }
        p = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int set_str(void *ctx, size_t off, const char *v, size_t len)
{
    char **f = (char **)((char *)ctx + off);
    char *s = cnd_strndup(v, len);

    if (s == NULL) {
        return CND_ENOMEM;
    }
    cnd_free(*f);
    *f = s;
    return 0;
}

static int url_ok(const char *s)
{
    size_t i;

    if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) {
        return 0;
    }
    if (s[strncmp(s, "https://", 8) == 0 ? 8 : 7] == '\0') {
        return 0;
    }
    for (i = 0; s[i]; i++) {
        if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == '<' || s[i] == '>' ||
            (unsigned char)s[i] == 0x7f) {
            return 0;
        }
    }
    return 1;
}

/* Stores a textual value (default or config) into the ctx field of "o". */
static int store(struct vc *vc, const struct cnd_opt *o, void *ctx, const char *text,
                 unsigned line, const char *path)
{
    char *end;
    long l;

    switch (o->type) {
    case CND_OPT_STR:
        if (o->choices && !choice_ok(o->choices, text)) {
            verr(vc, line, path, "must be one of %s, not \"%s\"", o->choices, text);
            return 0;
        }
        return set_str(ctx, o->offset, text, strlen(text));
    case CND_OPT_URL: {
        size_t n = strlen(text);

        if (!url_ok(text)) {
            verr(vc, line, path, "not an absolute http(s) URL: \"%s\"", text);
            return 0;
        }
        while (n > 0 && text[n - 1] == '/') {
            n--;
        }
        return set_str(ctx, o->offset, text, n);
    }
    case CND_OPT_INT:
        l = strtol(text, &end, 10);
        if (*text == '\0' || *end != '\0' || l < o->min || l > o->max) {
            verr(vc, line, path, "must be an integer from %ld to %ld", o->min, o->max);
            return 0;
        }
        *(long *)((char *)ctx + o->offset) = l;
        return 0;
    case CND_OPT_BOOL:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0) {
            verr(vc, line, path, "must be true or false");
            return 0;
        }
        *(int *)((char *)ctx + o->offset) = strcmp(text, "true") == 0;
        return 0;
    case CND_OPT_ENV: {
        const char *v;
        size_t i;

        if (text[0] == '\0') {
            verr(vc, line, path, "must name an environment variable");
            return 0;
        }
        for (i = 0; text[i]; i++) {
            char c = text[i];

            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
                  (i > 0 && c >= '0' && c <= '9'))) {
                verr(vc, line, path, "\"%s\" is not an environment variable name", text);
                return 0;
            }
        }
        if (vc->flags & CND_SOURCE_NOENV) {
            return 0;
        }
        v = getenv(text);
        if (v == NULL || v[0] == '\0') {
            verr(vc, line, path, "environment variable %s is not set", text);
            return 0;
        }
        return set_str(ctx, o->offset, v, strlen(v));
    }
    case CND_OPT_OBJ:
        break;
    }
    return 0;
}

static int is_integer_text(const char *s)
{
    size_t i = s[0] == '-' ? 1 : 0;

    if (s[i] == '\0') {
        return 0;
    }
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return 1;
}

static const struct cnd_opt *find_opt(const struct cnd_opt *opts, const char *name)
{
    for (; opts && opts->name; opts++) {
        if (strcmp(opts->name, name) == 0) {
            return opts;
        }
    }
    return NULL;
}

static int fill_defaults(struct vc *vc, const struct cnd_opt *opts, void *ctx,
                         const char *prefix, unsigned line)
{
    for (; opts->name; opts++) {
        char path[256];
        int ret;

        snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", opts->name);
        if (opts->type == CND_OPT_OBJ) {
            ret = fill_defaults(vc, opts->sub, ctx, path, line);
        } else if (opts->def != NULL) {
            ret = store(vc, opts, ctx, opts->def, line, path);
        } else {
            ret = 0;
        }
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/*
 * Checks object "obj" against "opts" (plus the keys in "skip", handled by
 * the caller) and fills "ctx". Defaults must already be in place.
 */
static int check_obj(struct vc *vc, const struct cnd_jval *obj, const struct cnd_opt *opts,
                     void *ctx, const char *prefix, const char *const *skip, int unknown_ok)
{
    const struct cnd_opt *o;
    size_t i;
    int ret;

    for (i = 0; i < obj->n; i++) {
        const char *key = obj->keys[i];
        const struct cnd_jval *v = obj->items[i];
        unsigned line = obj->key_lines ? obj->key_lines[i] : v->line;
        char path[256];
        size_t k;
        int skipped = 0;

        for (k = 0; skip && skip[k]; k++) {
            skipped |= strcmp(skip[k], key) == 0;
        }
        if (skipped) {
            continue;
        }
        snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", key);
        o = find_opt(opts, key);
        if (o == NULL) {
            if (!unknown_ok) {
                verr(vc, line, path, "unknown key");
            }
            continue;
        }
        switch (o->type) {
        case CND_OPT_STR:
        case CND_OPT_URL:
        case CND_OPT_ENV:
            if (v->type != CND_JSTR) {
                verr(vc, v->line, path, "must be %s", type_names[o->type]);
                continue;
            }
            if (o->type == CND_OPT_STR && v->str[0] == '\0' && (o->flags & CND_OPT_REQUIRED)) {
                verr(vc, v->line, path, "must not be empty");
                continue;
            }
            ret = store(vc, o, ctx, v->str, v->line, path);
            break;
        case CND_OPT_INT:
            if (v->type != CND_JNUM || !is_integer_text(v->str)) {
                verr(vc, v->line, path, "must be %s", type_names[o->type]);
                continue;
            }
            ret = store(vc, o, ctx, v->str, v->line, path);
            break;
        case CND_OPT_BOOL:
            if (v->type != CND_JBOOL) {
                verr(vc, v->line, path, "must be %s", type_names[o->type]);
                continue;
            }
            ret = store(vc, o, ctx, v->boolean ? "true" : "false", v->line, path);
            break;
        case CND_OPT_OBJ:
            if (v->type != CND_JOBJ) {
                verr(vc, v->line, path, "must be %s", type_names[o->type]);
                continue;
            }
            ret = check_obj(vc, v, o->sub, ctx, path, NULL, 0);
            break;
        default:
            ret = 0;
            break;
        }
        if (ret < 0) {
            return ret;
        }
    }
    for (o = opts; o->name; o++) {
        if ((o->flags & CND_OPT_REQUIRED) && cnd_jval_get(obj, o->name) == NULL) {
            char path[256];

            snprintf(path, sizeof(path), "%s%s%s", prefix, prefix[0] ? "." : "", o->name);
            verr(vc, obj->line, path, "missing required key");
        }
    }
    return 0;
}

/* Frees the string fields of "opts" in "ctx" (secrets zeroed). */
static void free_fields(const struct cnd_opt *opts, void *ctx)
{
    for (; opts->name; opts++) {
        char **f = (char **)((char *)ctx + opts->offset);

        switch (opts->type) {
        case CND_OPT_STR:
        case CND_OPT_URL:
            cnd_free(*f);
            *f = NULL;
            break;
        case CND_OPT_ENV:
            if (*f) {
                wipe_free(*f, strlen(*f));
            }
            *f = NULL;
            break;
        case CND_OPT_OBJ:
            free_fields(opts->sub, ctx);
            break;
        default:
            break;
        }
    }
}

/* The keys every source has, whatever its kind. */
static const struct cnd_opt common_opts[] = {
    { "name", CND_OPT_STR, NULL, CND_OPT_REQUIRED, offsetof(struct cnd_source, name),
      0, 0, NULL, NULL },
    { "enabled", CND_OPT_BOOL, "true", 0, offsetof(struct cnd_source, enabled), 0, 0, NULL, NULL },
    { "max_pages", CND_OPT_INT, "0", 0, offsetof(struct cnd_source, max_pages), 0, 1000000,
      NULL, NULL },
    { 0 },
};

void cnd_source_free(struct cnd_source *src)
{
    if (src == NULL) {
        return;
    }
    if (src->ctx != NULL) {
        if (src->ops->release) {
            src->ops->release(src->ctx);
        }
        free_fields(src->ops->opts, src->ctx);
        cnd_free(src->ctx);
    }
    cnd_free(src->name);
    cnd_free(src);
}

static struct cnd_source *build(const struct cnd_jval *cfg, const char *file,
                                const char *prefix, unsigned flags, struct cnd_buf *errs,
                                int *err)
{
    static const char *const skip_kind[] = { "kind", "name", "enabled", "max_pages", NULL };
    struct vc vc = { file, errs, flags, 0, 0 };
    const struct cnd_jval *kind;
    struct cnd_source *src = NULL;
    char kpath[256];
    int ret;

    if (cfg == NULL || cfg->type != CND_JOBJ) {
        verr(&vc, cfg ? cfg->line : 0, prefix, "must be an object");
        *err = CND_EINVAL;
        return NULL;
    }
    snprintf(kpath, sizeof(kpath), "%s%skind", prefix, prefix[0] ? "." : "");
    kind = cnd_jval_get(cfg, "kind");
    if (kind == NULL) {
        verr(&vc, cfg->line, kpath, "missing required key");
        *err = CND_EINVAL;
        return NULL;
    }
    src = cnd_calloc(1, sizeof(*src));
    if (src == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    src->ops = kind->type == CND_JSTR ? cnd_source_kind(kind->str) : NULL;
    if (src->ops == NULL) {
        if (kind->type != CND_JSTR) {
            verr(&vc, kind->line, kpath, "must be a string");
        } else {
            verr(&vc, kind->line, kpath, "unknown kind \"%s\" (mastodon, bluesky, reddit, "
                 "hackernews, lemmy or generic)", kind->str);
        }
        cnd_free(src);
        *err = CND_EINVAL;
        return NULL;
    }
    src->ctx = cnd_calloc(1, src->ops->ctx_size);
    if (src->ctx == NULL) {
        ret = CND_ENOMEM;
        goto fail;
    }
    ret = fill_defaults(&vc, common_opts, src, prefix, cfg->line);
    if (ret == 0) {
        ret = fill_defaults(&vc, src->ops->opts, src->ctx, prefix, cfg->line);
    }
    if (ret == 0) {
        /* the common keys, then the adapter's (which reports unknown keys) */
        ret = check_obj(&vc, cfg, common_opts, src, prefix, NULL, 1);
        if (ret == 0) {
            ret = check_obj(&vc, cfg, src->ops->opts, src->ctx, prefix, skip_kind, 0);
        }
    }
    if (ret < 0) {
        goto fail;
    }
    if (src->name != NULL) {
        const char *c;

        for (c = src->name; *c; c++) {
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-') ||
                strcmp(src->name, ".") == 0 || strcmp(src->name, "..") == 0) {
                const struct cnd_jval *nv = cnd_jval_get(cfg, "name");
                char npath[256];

                snprintf(npath, sizeof(npath), "%s%sname", prefix, prefix[0] ? "." : "");
                verr(&vc, nv ? nv->line : cfg->line, npath,
                     "only letters, digits, '.', '_' and '-' are allowed");
                break;
            }
        }
    }
    if (!vc.bad && src->ops->init) {
        char msg[256];

        msg[0] = '\0';
        ret = src->ops->init(src->ctx, msg, sizeof(msg));
        if (ret == CND_ENOMEM) {
            goto fail;
        }
        if (ret < 0) {
            verr(&vc, cfg->line, prefix[0] ? prefix : src->ops->name, "%s",
                 msg[0] ? msg : cnd_strerror(ret));
        }
    }
    if (vc.nomem) {
        ret = CND_ENOMEM;
        goto fail;
    }
    if (vc.bad) {
        ret = CND_EINVAL;
        goto fail;
    }
    return src;
fail:
    cnd_source_free(src);
    *err = ret;
    return NULL;
}

struct cnd_source *cnd_source_new(const struct cnd_jval *cfg, const char *file, size_t index,
                                  unsigned flags, struct cnd_buf *errs, int *err)
{
    char prefix[64];

    snprintf(prefix, sizeof(prefix), "sources[%zu]", index);
    return build(cfg, file ? file : "<config>", prefix, flags, errs, err);
}

/* ---- Sources from --option key=value ---- */

static void kv_free(struct cnd_jval *v)
{
    size_t i;

    if (v == NULL) {
        return;
    }
    for (i = 0; i < v->n; i++) {
        kv_free(v->items[i]);
        if (v->keys) {
            cnd_free(v->keys[i]);
        }
    }
    cnd_free(v->keys);
    cnd_free(v->key_lines);
    cnd_free(v->items);
    cnd_free(v->str);
    cnd_free(v);
}

/* Adds "key" (copied) with value "v" (taken) to object "obj". */
static int kv_put(struct cnd_jval *obj, const char *key, size_t klen, unsigned line,
                  struct cnd_jval *v)
{
    char **keys = cnd_realloc(obj->keys, (obj->n + 1) * sizeof(char *));
    unsigned *lines;
    struct cnd_jval **items;

    if (keys == NULL) {
        return CND_ENOMEM;
    }
    obj->keys = keys;
    lines = cnd_realloc(obj->key_lines, (obj->n + 1) * sizeof(unsigned));
    if (lines == NULL) {
        return CND_ENOMEM;
    }
    obj->key_lines = lines;
    items = cnd_realloc(obj->items, (obj->n + 1) * sizeof(*items));
    if (items == NULL) {
        return CND_ENOMEM;
    }
    obj->items = items;
    keys[obj->n] = cnd_strndup(key, klen);
    if (keys[obj->n] == NULL) {
        return CND_ENOMEM;
    }
    lines[obj->n] = line;
    items[obj->n] = v;
    obj->n++;
    return 0;
}

static struct cnd_jval *kv_node(enum cnd_jtype t, unsigned line, const char *str)
{
    struct cnd_jval *v = cnd_calloc(1, sizeof(*v));

    if (v == NULL) {
        return NULL;
    }
    v->type = t;
    v->line = line;
    if (str != NULL) {
        v->str = cnd_strdup(str);
        if (v->str == NULL) {
            cnd_free(v);
            return NULL;
        }
    }
    return v;
}

/* Finds the option "key" (dotted) in "opts" to type a --option value. */
static const struct cnd_opt *kv_opt(const struct cnd_opt *opts, const char *key)
{
    const char *dot = strchr(key, '.');

    for (; opts && opts->name; opts++) {
        size_t n = dot ? (size_t)(dot - key) : strlen(key);

        if (strlen(opts->name) == n && memcmp(opts->name, key, n) == 0) {
            if (dot == NULL) {
                return opts;
            }
            return opts->type == CND_OPT_OBJ ? kv_opt(opts->sub, dot + 1) : NULL;
        }
    }
    return NULL;
}

static int kv_add(struct cnd_jval *root, const struct cnd_opt *opts, const char *arg,
                  unsigned line)
{
    const char *eq = strchr(arg, '='), *key = arg, *dot;
    const struct cnd_opt *o;
    struct cnd_jval *obj = root, *v;
    enum cnd_jtype t = CND_JSTR;
    char keybuf[128];
    size_t klen;

    if (eq == NULL || eq == arg || (size_t)(eq - arg) >= sizeof(keybuf)) {
        return CND_EINVAL;
    }
    klen = (size_t)(eq - arg);
    memcpy(keybuf, arg, klen);
    keybuf[klen] = '\0';
    o = kv_opt(opts, keybuf);
    if (o != NULL && o->type == CND_OPT_INT && is_integer_text(eq + 1)) {
        t = CND_JNUM;
    } else if (o != NULL && o->type == CND_OPT_BOOL &&
               (strcmp(eq + 1, "true") == 0 || strcmp(eq + 1, "false") == 0)) {
        t = CND_JBOOL;
    }
    /* walk or create the nested objects of a dotted key */
    while ((dot = memchr(key, '.', (size_t)(eq - key))) != NULL) {
        struct cnd_jval *sub = NULL;
        size_t i, n = (size_t)(dot - key);

        for (i = 0; i < obj->n; i++) {
            if (strlen(obj->keys[i]) == n && memcmp(obj->keys[i], key, n) == 0 &&
                obj->items[i]->type == CND_JOBJ) {
                sub = obj->items[i];
            }
        }
        if (sub == NULL) {
            sub = kv_node(CND_JOBJ, line, NULL);
            if (sub == NULL || kv_put(obj, key, n, line, sub) < 0) {
                kv_free(sub);
                return CND_ENOMEM;
            }
        }
        obj = sub;
        key = dot + 1;
    }
    v = kv_node(t, line, eq + 1);
    if (v == NULL) {
        return CND_ENOMEM;
    }
    v->boolean = t == CND_JBOOL && strcmp(eq + 1, "true") == 0;
    v->num = t == CND_JNUM ? strtod(eq + 1, NULL) : 0;
    if (kv_put(obj, key, (size_t)(eq - key), line, v) < 0) {
        kv_free(v);
        return CND_ENOMEM;
    }
    return 0;
}

struct cnd_source *cnd_source_new_kv(const char *kind, const char *name,
                                     char *const *opts, size_t n_opts, unsigned flags,
                                     struct cnd_buf *errs, int *err)
{
    const struct cnd_source_ops *ops = cnd_source_kind(kind);
    struct cnd_jval *root;
    struct cnd_source *src;
    size_t i;
    int ret = 0;

    if (ops == NULL) {
        if (errs) {
            (void)cnd_buf_addf(errs, "--kind: unknown kind \"%s\" (mastodon, bluesky, reddit, "
                               "hackernews, lemmy or generic)\n", kind ? kind : "");
        }
        *err = CND_EINVAL;
        return NULL;
    }
    root = kv_node(CND_JOBJ, 0, NULL);
    if (root == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    ret = kv_add(root, NULL, "kind=", 0);
    if (ret == 0) {
        cnd_free(root->items[0]->str);
        root->items[0]->str = cnd_strdup(kind);
        ret = root->items[0]->str ? 0 : CND_ENOMEM;
    }
    if (ret == 0 && name != NULL) {
        struct cnd_jval *nv = kv_node(CND_JSTR, 0, name);

        ret = nv ? kv_put(root, "name", 4, 0, nv) : CND_ENOMEM;
        if (ret < 0) {
            kv_free(nv);
        }
    }
    for (i = 0; ret == 0 && i < n_opts; i++) {
        ret = kv_add(root, ops->opts, opts[i], (unsigned)i + 1);
        if (ret == CND_EINVAL) {
            if (errs) {
                (void)cnd_buf_addf(errs, "--option:%zu: \"%s\": expected KEY=VALUE\n", i + 1,
                                   opts[i]);
            }
            kv_free(root);
            *err = CND_EINVAL;
            return NULL;
        }
    }
    if (ret < 0) {
        kv_free(root);
        *err = ret;
        return NULL;
    }
    src = build(root, "--option", "", flags, errs, err);
    kv_free(root);
    return src;
}

/* ---- Wrappers ---- */

int cnd_source_start_cursor(struct cnd_source *src, int64_t since, char **out)
{
    *out = NULL;
    if (src->ops->start_cursor == NULL) {
        return 0;
    }
    return src->ops->start_cursor(src->ctx, since, out);
}

int cnd_source_build_request(struct cnd_source *src, const char *cursor,
                             struct cnd_request *req)
{
    int ret;

    cnd_request_init(req);
    ret = src->ops->build_request(src->ctx, cursor, req);
    if (ret < 0) {
        cnd_request_release(req);
    }
    return ret;
}

int cnd_source_parse(struct cnd_source *src, const struct cnd_response *resp,
                     const char *cursor, struct cnd_batch *out, struct cnd_cursor *next)
{
    struct cnd_cursor tmp;
    size_t n = out->n, items = out->items, skipped = out->skipped;
    size_t utf8 = out->skipped_utf8, del = out->skipped_deleted;
    int ret;

    cnd_cursor_init(&tmp);
    out->error[0] = '\0';
    ret = src->ops->parse(src->ctx, resp, cursor, out, &tmp);
    if (ret < 0) {
        /* a page counts only when all of it parsed: drop what it added */
        out->n = n;
        out->items = items;
        out->skipped = skipped;
        out->skipped_utf8 = utf8;
        out->skipped_deleted = del;
        cnd_cursor_release(&tmp);
        if (out->error[0] == '\0') {
            cnd_batch_set_error(out, "%s: %s", src->ops->name, cnd_strerror(ret));
        }
        return ret;
    }
    cnd_cursor_release(next);
    *next = tmp;
    return 0;
}

int cnd_source_auth_request(struct cnd_source *src, enum cnd_auth_mode mode,
                            struct cnd_request *req)
{
    int ret;

    if (src->ops->auth_request == NULL) {
        return CND_ENOENT;
    }
    cnd_request_init(req);
    ret = src->ops->auth_request(src->ctx, mode, req);
    if (ret < 0) {
        cnd_request_release(req);
    }
    return ret;
}

int cnd_source_auth_parse(struct cnd_source *src, const struct cnd_response *resp,
                          int64_t *expires_in, char *err, size_t errlen)
{
    *expires_in = 0;
    if (errlen) {
        err[0] = '\0';
    }
    if (src->ops->auth_parse == NULL) {
        return CND_ENOENT;
    }
    return src->ops->auth_parse(src->ctx, resp, expires_in, err, errlen);
}
