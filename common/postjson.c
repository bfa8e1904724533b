/* SPDX-License-Identifier: MIT */
/*
 * NDJSON post reader: one JSON object per line into a struct cnd_post,
 * through yajl's callback API (the tree API is never used on input).
 *
 * Speed matters (it reads dumps of millions of posts), so:
 *  - one yajl handle is reused across lines (yajl_allow_multiple_values
 *    lets it take one value after another); it is only re-created after
 *    a line that failed, whose parser state is unknown;
 *  - the field map is compiled into path segments and bit masks: each
 *    object level knows which fields can still match below it, so keys of
 *    unmapped subtrees cost one test, and mapped keys a length compare;
 *  - strings of mapped fields are not copied when yajl hands out a pointer
 *    into the line (no escapes); escaped ones, which yajl has already
 *    unescaped into its own buffer, are copied into one arena reset per
 *    line. Unmapped strings are never looked at;
 *  - yajl's UTF-8 check is off (one bad byte would reject the whole
 *    line); each mapped string is checked here instead, on its raw bytes
 *    in the line, so the error can name the exact byte offset;
 *  - numbers arrive as text (yajl_number), so ids never pass through a
 *    double.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/postjson.h"
#include "common/timeutil.h"
#include "common/utf8.h"

#define MAX_DEPTH 64

enum field { F_ID, F_TEXT, F_SOURCE, F_CREATED, F_AUTHOR, F_URL, F_LANG, F_COUNT };

static const char *const default_names[F_COUNT] = {
    "id", "text", "source", "created_at", "author", "url", "lang",
};

enum vstate { V_MISSING = 0, V_STRING, V_NUMBER, V_OTHER };

struct seg {
    const char *s;
    size_t len;
};

struct fpath {
    char *name;          /* the configured path, for messages */
    struct seg *segs;    /* points into "name" */
    unsigned nseg;
};

struct val {
    enum vstate state;
    int in_line;         /* bytes are in the line, else in the arena */
    size_t off, len;
    size_t bad;          /* offset in the line of invalid UTF-8, or SIZE_MAX */
};

struct cnd_postjson {
    struct fpath f[F_COUNT];
    unsigned leaf_at[MAX_DEPTH + 2];   /* fields whose path ends at level L */
    unsigned deeper_at[MAX_DEPTH + 2]; /* fields whose path goes below level L */
    unsigned all;

    yajl_handle h;

    /* Per-line state. */
    const char *line;
    size_t len;
    unsigned mask[MAX_DEPTH + 2];      /* fields still matchable in the map at level L */
    unsigned pending;                  /* fields the next value belongs to */
    unsigned depth;
    int done;                          /* the top-level object closed */
    size_t end_off;                    /* byte after its '}' */
    int cb_err;                        /* why a callback stopped the parse */
    struct val v[F_COUNT];

    char *arena;
    size_t alen, acap;

    char err[256];
};

/* ---- Field map ---- */

static int fpath_set(struct fpath *fp, const char *name)
{
    size_t n = 1, i, len;
    const char *p;

    len = strlen(name);
    if (len == 0 || name[0] == '.' || name[len - 1] == '.' || strstr(name, "..") != NULL) {
        return CND_EINVAL;
    }
    for (p = name; *p; p++) {
        if (*p == '.') {
            n++;
        }
    }
    if (n > MAX_DEPTH) {
        return CND_EINVAL;
    }
    fp->name = cnd_strdup(name);
    fp->segs = cnd_calloc(n, sizeof(*fp->segs));
    if (fp->name == NULL || fp->segs == NULL) {
        return CND_ENOMEM;
    }
    fp->nseg = (unsigned)n;
    p = fp->name;
    for (i = 0; i < n; i++) {
        const char *dot = strchr(p, '.');
        size_t sl = dot ? (size_t)(dot - p) : strlen(p);

        fp->segs[i].s = p;
        fp->segs[i].len = sl;
        p += sl + 1;
    }
    return 0;
}

struct cnd_postjson *cnd_postjson_new(const struct cnd_fieldmap *map)
{
    struct cnd_postjson *pj;
    const char *names[F_COUNT];
    unsigned i;

    memcpy(names, default_names, sizeof(names));
    if (map != NULL) {
        if (map->id) {
            names[F_ID] = map->id;
        }
        if (map->text) {
            names[F_TEXT] = map->text;
        }
        if (map->source) {
            names[F_SOURCE] = map->source;
        }
        if (map->created_at) {
            names[F_CREATED] = map->created_at;
        }
        if (map->author) {
            names[F_AUTHOR] = map->author;
        }
        if (map->url) {
            names[F_URL] = map->url;
        }
        if (map->lang) {
            names[F_LANG] = map->lang;
        }
    }
    pj = cnd_calloc(1, sizeof(*pj));
    if (pj == NULL) {
        return NULL;
    }
    for (i = 0; i < F_COUNT; i++) {
        unsigned l;

        if (fpath_set(&pj->f[i], names[i]) < 0) {
            cnd_postjson_free(pj);
            return NULL;
        }
        pj->all |= 1u << i;
        pj->leaf_at[pj->f[i].nseg] |= 1u << i;
        for (l = 0; l < pj->f[i].nseg; l++) {
            pj->deeper_at[l] |= 1u << i;
        }
    }
    pj->err[0] = '\0';
    return pj;
}

void cnd_postjson_free(struct cnd_postjson *pj)
{
    unsigned i;

    if (pj == NULL) {
        return;
    }
    if (pj->h != NULL) {
        yajl_free(pj->h);
    }
    for (i = 0; i < F_COUNT; i++) {
        cnd_free(pj->f[i].name);
        cnd_free(pj->f[i].segs);
    }
    cnd_free(pj->arena);
    cnd_free(pj);
}

const char *cnd_postjson_error(const struct cnd_postjson *pj)
{
    return pj->err;
}

/* ---- Callbacks ---- */

/* Current byte offset in the line (just after the token being reported). */
static size_t here(const struct cnd_postjson *pj)
{
    return yajl_get_bytes_consumed(pj->h);
}

/* Stops the parse from a callback with "code" and a message about byte "at". */
static int cb_fail(struct cnd_postjson *pj, int code, const char *what, size_t at)
{
    pj->cb_err = code;
    snprintf(pj->err, sizeof(pj->err), "%s at byte %zu", what, at);
    return 0;
}

/* Offset of the first non-blank byte of the line (where a value starts). */
static size_t first_byte(const struct cnd_postjson *pj)
{
    size_t i = 0;

    while (i < pj->len && (pj->line[i] == ' ' || pj->line[i] == '\t' || pj->line[i] == '\r' ||
                           pj->line[i] == '\n')) {
        i++;
    }
    return i;
}

/* Does "p" point into the line? (Compared as integers: other objects.) */
static int in_line(const struct cnd_postjson *pj, const void *p)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)pj->line;

    return a >= lo && a < lo + pj->len;
}

/*
 * Locates the raw bytes of the string token that ends just before byte
 * "end" (after its closing quote) and decodes to "n" bytes: walks back to
 * the opening quote, which is the first '"' preceded by an even number of
 * backslashes (every quote inside the string has an odd number). An
 * escape is never shorter than what it decodes to, so the walk starts "n"
 * bytes back: a third of the texts have an escape, and walking their
 * whole length a byte at a time cost more than the rest of the parse.
 */
static void raw_span(const struct cnd_postjson *pj, size_t end, size_t n, size_t *off,
                     size_t *len)
{
    const char *l = pj->line;
    size_t close = end - 1, q = close > n ? close - n : 0;

    while (q > 0) {
        size_t bs = 0;

        q--;
        if (l[q] != '"') {
            continue;
        }
        while (bs < q && l[q - 1 - bs] == '\\') {
            bs++;
        }
        if (bs % 2 == 0) {
            break;
        }
    }
    *off = q + 1;
    *len = close > q ? close - q - 1 : 0;
}

/* Copies "n" bytes into the arena; returns the offset, or SIZE_MAX. */
static size_t arena_add(struct cnd_postjson *pj, const void *s, size_t n)
{
    size_t off = pj->alen;

    if (pj->acap - pj->alen < n) {
        size_t ncap = pj->acap ? pj->acap : 4096;
        char *na;

        while (ncap - pj->alen < n) {
            ncap *= 2;
        }
        na = cnd_realloc(pj->arena, ncap);
        if (na == NULL) {
            return SIZE_MAX;
        }
        pj->arena = na;
        pj->acap = ncap;
    }
    memcpy(pj->arena + off, s, n);
    pj->alen += n;
    return off;
}

/* Records a scalar for the fields in "leaf". */
static int store(struct cnd_postjson *pj, unsigned leaf, enum vstate st, const void *s,
                 size_t n)
{
    struct val nv;
    unsigned i;

    nv.state = st;
    nv.in_line = 1;
    nv.off = 0;
    nv.len = n;
    nv.bad = SIZE_MAX;
    if (st == V_STRING || st == V_NUMBER) {
        if (in_line(pj, s)) {
            nv.off = (size_t)((const char *)s - pj->line);
            if (st == V_STRING) {
                size_t bad;

                if (!cnd_utf8_valid(s, n, &bad)) {
                    nv.bad = nv.off + bad;
                }
            }
        } else {
            nv.in_line = 0;
            nv.off = arena_add(pj, s, n);
            if (nv.off == SIZE_MAX) {
                return cb_fail(pj, CND_ENOMEM, "out of memory", here(pj));
            }
            if (st == V_STRING) {
                size_t roff, rlen, bad;

                /* Check the raw bytes (exact offset), then the unescaped ones. */
                raw_span(pj, here(pj), n, &roff, &rlen);
                if (!cnd_utf8_valid(pj->line + roff, rlen, &bad)) {
                    nv.bad = roff + bad;
                } else if (!cnd_utf8_valid(s, n, &bad)) {
                    nv.bad = roff;
                }
            }
        }
    }
    for (i = 0; leaf; i++, leaf >>= 1) {
        if (leaf & 1u) {
            pj->v[i] = nv;
        }
    }
    return 1;
}

/* A scalar value: stores it when it belongs to a mapped field. */
static int on_scalar(struct cnd_postjson *pj, enum vstate st, const void *s, size_t n)
{
    unsigned leaf;

    if (pj->depth == 0) {
        if (pj->done) {
            return cb_fail(pj, CND_EPARSE, "trailing data after the object", pj->end_off);
        }
        return cb_fail(pj, CND_EPARSE, "line is not a JSON object", first_byte(pj));
    }
    leaf = pj->pending & pj->leaf_at[pj->depth];
    pj->pending = 0;
    if (leaf == 0) {
        return 1;
    }
    return store(pj, leaf, st, s, n);
}

static int cb_null(void *ctx)
{
    struct cnd_postjson *pj = ctx;

    /* A null counts as missing: it also undoes an earlier duplicate key. */
    return on_scalar(pj, V_MISSING, NULL, 0);
}

static int cb_boolean(void *ctx, int b)
{
    (void)b;
    return on_scalar(ctx, V_OTHER, NULL, 0);
}

static int cb_number(void *ctx, const char *s, size_t n)
{
    return on_scalar(ctx, V_NUMBER, s, n);
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
    return on_scalar(ctx, V_STRING, s, n);
}

/* Opens a container; "is_map" says which. */
static int open_container(struct cnd_postjson *pj, int is_map)
{
    unsigned leaf;

    if (pj->depth == 0) {
        if (pj->done) {
            return cb_fail(pj, CND_EPARSE, "trailing data after the object", here(pj) - 1);
        }
        if (!is_map) {
            return cb_fail(pj, CND_EPARSE, "line is not a JSON object", here(pj) - 1);
        }
        pj->depth = 1;
        pj->mask[1] = pj->all;
        pj->pending = 0;
        return 1;
    }
    if (pj->depth >= MAX_DEPTH) {
        return cb_fail(pj, CND_ELIMIT, "nesting deeper than 64 levels", here(pj) - 1);
    }
    leaf = pj->pending & pj->leaf_at[pj->depth];
    if (leaf != 0) {
        /* A mapped field holds an object or array: not a usable value. */
        store(pj, leaf, V_OTHER, NULL, 0);
    }
    pj->mask[pj->depth + 1] = is_map ? (pj->pending & pj->deeper_at[pj->depth]) : 0;
    pj->depth++;
    pj->pending = 0;
    return 1;
}

static int cb_start_map(void *ctx)
{
    return open_container(ctx, 1);
}

static int cb_start_array(void *ctx)
{
    return open_container(ctx, 0);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t n)
{
    struct cnd_postjson *pj = ctx;
    unsigned m = pj->mask[pj->depth], hit = 0, i, lvl = pj->depth - 1;

    for (i = 0; m; i++, m >>= 1) {
        const struct seg *sg = &pj->f[i].segs[lvl];
        size_t k;

        if (!(m & 1u) || sg->len != n) {
            continue;
        }
        /* keys are short: a loop beats a call to memcmp */
        for (k = 0; k < n && sg->s[k] == (char)key[k]; k++) {
        }
        if (k == n) {
            hit |= 1u << i;
        }
    }
    pj->pending = hit;
    return 1;
}

static int close_container(struct cnd_postjson *pj)
{
    pj->depth--;
    pj->pending = 0;
    if (pj->depth == 0) {
        pj->done = 1;
        pj->end_off = here(pj);
    }
    return 1;
}

static int cb_end_map(void *ctx)
{
    return close_container(ctx);
}

static int cb_end_array(void *ctx)
{
    return close_container(ctx);
}

static const yajl_callbacks callbacks = {
    cb_null,
    cb_boolean,
    NULL, /* integer: numbers come as text */
    NULL, /* double */
    cb_number,
    cb_string,
    cb_start_map,
    cb_map_key,
    cb_end_map,
    cb_start_array,
    cb_end_array,
};

/* ---- Parsing ---- */

static int handle_make(struct cnd_postjson *pj)
{
    /*
     * yajl allocates with its default allocator: it does not check for
     * allocation failure itself, so cnd_malloc's failure injection must
     * not reach it.
     */
    pj->h = yajl_alloc(&callbacks, NULL, pj);
    if (pj->h == NULL) {
        return CND_ENOMEM;
    }
    if (!yajl_config(pj->h, yajl_dont_validate_strings, 1) ||
        !yajl_config(pj->h, yajl_allow_multiple_values, 1)) {
        yajl_free(pj->h);
        pj->h = NULL;
        return CND_ENOMEM;
    }
    return 0;
}

/* Records yajl's own description of a parse error found at byte "at". */
static void yajl_message(struct cnd_postjson *pj, size_t at)
{
    unsigned char *msg = yajl_get_error(pj->h, 0, NULL, 0);
    size_t n;

    if (msg == NULL) {
        snprintf(pj->err, sizeof(pj->err), "invalid JSON at byte %zu", at);
        return;
    }
    n = strlen((const char *)msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.')) {
        n--;
    }
    snprintf(pj->err, sizeof(pj->err), "invalid JSON at byte %zu: %.*s", at, (int)n,
             (const char *)msg);
    yajl_free_error(pj->h, msg);
}

static struct cnd_str val_str(const struct cnd_postjson *pj, const struct val *v)
{
    struct cnd_str s;

    s.ptr = v->in_line ? pj->line + v->off : pj->arena + v->off;
    s.len = v->len;
    return s;
}

/* Sets post->id from a usable id value (the only field kept on failure). */
static void take_id(const struct cnd_postjson *pj, struct cnd_post *post)
{
    const struct val *v = &pj->v[F_ID];

    if ((v->state == V_STRING || v->state == V_NUMBER) && v->bad == SIZE_MAX) {
        post->id = val_str(pj, v);
    }
}

static int utf8_fail(struct cnd_postjson *pj, enum field f)
{
    snprintf(pj->err, sizeof(pj->err), "invalid UTF-8 in \"%s\" at byte %zu", pj->f[f].name,
             pj->v[f].bad);
    return CND_EUTF8;
}

/* Fills "post" from the values of a complete object. */
static int finish(struct cnd_postjson *pj, struct cnd_post *post)
{
    static const enum field optional[] = { F_SOURCE, F_AUTHOR, F_URL, F_LANG, F_CREATED };
    const struct val *id = &pj->v[F_ID], *text = &pj->v[F_TEXT];
    unsigned i;

    if (id->state == V_MISSING) {
        snprintf(pj->err, sizeof(pj->err), "missing \"%s\"", pj->f[F_ID].name);
        return CND_ENOENT;
    }
    if (id->state == V_OTHER) {
        snprintf(pj->err, sizeof(pj->err), "\"%s\" is not a string or a number",
                 pj->f[F_ID].name);
        return CND_EPARSE;
    }
    if (id->bad != SIZE_MAX) {
        return utf8_fail(pj, F_ID);
    }
    post->id = val_str(pj, id);
    if (text->state == V_MISSING) {
        snprintf(pj->err, sizeof(pj->err), "missing \"%s\"", pj->f[F_TEXT].name);
        return CND_ENOENT;
    }
    if (text->state != V_STRING) {
        snprintf(pj->err, sizeof(pj->err), "\"%s\" is not a string", pj->f[F_TEXT].name);
        return CND_EPARSE;
    }
    if (text->bad != SIZE_MAX) {
        return utf8_fail(pj, F_TEXT);
    }
    post->text = val_str(pj, text);
    for (i = 0; i < sizeof(optional) / sizeof(optional[0]); i++) {
        enum field f = optional[i];
        const struct val *v = &pj->v[f];
        struct cnd_str s;

        if (v->state != V_STRING && v->state != V_NUMBER) {
            continue; /* missing, null, or not a scalar: left empty */
        }
        if (v->bad != SIZE_MAX) {
            return utf8_fail(pj, f);
        }
        s = val_str(pj, v);
        switch (f) {
        case F_SOURCE:
            post->source = s;
            break;
        case F_AUTHOR:
            post->author = s;
            break;
        case F_URL:
            post->url = s;
            break;
        case F_LANG:
            post->lang = s;
            break;
        case F_CREATED:
            post->created_raw = s;
            if (cnd_time_parse(s.ptr, s.len, &post->created_at) == 0) {
                post->has_created_at = 1;
            }
            break;
        default:
            break;
        }
    }
    return 0;
}

int cnd_postjson_parse(struct cnd_postjson *pj, const char *line, size_t len,
                       struct cnd_post *post)
{
    yajl_status st;
    int ret = 0, at_end = 0;
    size_t i;

    memset(post, 0, sizeof(*post));
    if (pj->h == NULL && (ret = handle_make(pj)) < 0) {
        snprintf(pj->err, sizeof(pj->err), "out of memory");
        return ret;
    }
    pj->line = line;
    pj->len = len;
    pj->depth = 0;
    pj->pending = 0;
    pj->done = 0;
    pj->end_off = 0;
    pj->cb_err = 0;
    pj->alen = 0;
    memset(pj->v, 0, sizeof(pj->v));
    pj->err[0] = '\0';

    if (first_byte(pj) == len) {
        /* Nothing to parse; the parser's state is untouched. */
        snprintf(pj->err, sizeof(pj->err), "invalid JSON at byte 0: empty line");
        return CND_EPARSE;
    }
    st = yajl_parse(pj->h, (const unsigned char *)line, len);
    if (st == yajl_status_ok && !pj->done) {
        /* Incomplete object, empty line or a bare scalar: yajl says which. */
        at_end = 1;
        st = yajl_complete_parse(pj->h);
        if (st == yajl_status_ok) {
            /* A complete non-object value that reported nothing. */
            snprintf(pj->err, sizeof(pj->err), "line is not a JSON object at byte %zu",
                     first_byte(pj));
            ret = CND_EPARSE;
            goto fail;
        }
    }
    if (st == yajl_status_client_canceled) {
        ret = pj->cb_err ? pj->cb_err : CND_EPARSE;
        goto fail;
    }
    if (st != yajl_status_ok) {
        yajl_message(pj, at_end ? len : here(pj));
        ret = CND_EPARSE;
        goto fail;
    }
    for (i = pj->end_off; i < len; i++) {
        char c = line[i];

        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            snprintf(pj->err, sizeof(pj->err), "trailing data after the object at byte %zu", i);
            ret = CND_EPARSE;
            goto fail;
        }
    }
    ret = finish(pj, post);
    return ret;

fail:
    /* The parser's state is unknown: start the next line on a new one. */
    yajl_free(pj->h);
    pj->h = NULL;
    take_id(pj, post);
    return ret;
}
