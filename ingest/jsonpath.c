/* SPDX-License-Identifier: MIT */
/*
 * Streaming path matcher over yajl callbacks (see jsonpath.h).
 *
 * Each open container keeps a bit mask of the patterns whose first
 * segments match its path and that go deeper; a key or array element
 * filters that mask by one segment. Values whose mask is empty are
 * skipped with one test, so the cost of unwatched subtrees is tiny.
 * yajl keeps its own allocator (malloc): yajl 2.1.0 does not check its
 * internal allocations (yajl_alloc writes through a failed malloc), so
 * failure injection through cnd_malloc would crash inside yajl.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "common/alloc.h"
#include "common/err.h"
#include "ingest/jsonpath.h"

struct seg {
    const char *s;
    size_t len;
    int any;          /* "*": any array element */
};

struct pat {
    struct seg *segs;
    unsigned nseg;
};

struct frame {
    uint64_t mask;    /* patterns that continue below this container */
    uint64_t full;    /* patterns that match this container itself */
    int is_array;
};

struct cnd_jp {
    struct pat pats[CND_JP_MAX_PATTERNS];
    size_t n;
    uint64_t all;
    unsigned max_len;          /* longest pattern, in segments */
    uint64_t *eq;              /* eq[L]: patterns of exactly L segments */
    uint64_t *gt;              /* gt[L]: patterns of more than L segments */
    struct cnd_jp_handler h;
    void *ud;
    unsigned max_depth;
    int multiple;

    /* Per-parse state. */
    struct frame *stack;       /* max_depth entries */
    unsigned depth;
    uint64_t vmask;            /* patterns matching the path of the next value */
    size_t roots;              /* top-level values seen */
    int cb_err;                /* why a callback cancelled the parse */
    char reason[120];          /* ... in words, when the callback gave them */
    char err[200];
};

/* ---- Matching ---- */

static uint64_t eq_mask(const struct cnd_jp *jp, unsigned len)
{
    return len <= jp->max_len ? jp->eq[len] : 0;
}

static uint64_t gt_mask(const struct cnd_jp *jp, unsigned len)
{
    return len <= jp->max_len ? jp->gt[len] : 0;
}

/* Keeps the patterns of "mask" whose segment "idx" matches a key or element. */
static uint64_t filter(const struct cnd_jp *jp, uint64_t mask, unsigned idx, const char *key,
                       size_t klen, int element)
{
    uint64_t out = 0, m = mask;

    while (m) {
        unsigned i = (unsigned)__builtin_ctzll(m);
        const struct seg *s;

        m &= m - 1;
        if (jp->pats[i].nseg <= idx) {
            continue;
        }
        s = &jp->pats[i].segs[idx];
        if (element ? s->any : (!s->any && s->len == klen && memcmp(s->s, key, klen) == 0)) {
            out |= (uint64_t)1 << i;
        }
    }
    return out;
}

/* Called as a value starts: works out which patterns its path matches. */
static void value_begin(struct cnd_jp *jp)
{
    if (jp->depth == 0) {
        jp->vmask = jp->all;
        jp->roots++;
    } else if (jp->stack[jp->depth - 1].is_array) {
        const struct frame *f = &jp->stack[jp->depth - 1];

        jp->vmask = f->mask ? filter(jp, f->mask, jp->depth - 1, NULL, 0, 1) : 0;
    }
}

static int stop(struct cnd_jp *jp, int code)
{
    jp->cb_err = code;
    return 0;
}

static int on_scalar(struct cnd_jp *jp, enum cnd_jp_type t, const char *s, size_t len)
{
    uint64_t m;

    value_begin(jp);
    m = jp->vmask & eq_mask(jp, jp->depth);
    while (m && jp->h.scalar) {
        int i = __builtin_ctzll(m);
        int ret;

        m &= m - 1;
        ret = jp->h.scalar(jp->ud, i, t, s, len);
        if (ret < 0) {
            return stop(jp, ret);
        }
    }
    return 1;
}

static int on_open(struct cnd_jp *jp, int is_array)
{
    struct frame *f;
    uint64_t m;

    value_begin(jp);
    if (jp->depth >= jp->max_depth) {
        snprintf(jp->err, sizeof(jp->err), "nesting deeper than %u levels", jp->max_depth);
        return stop(jp, CND_ELIMIT);
    }
    f = &jp->stack[jp->depth];
    f->full = jp->vmask & eq_mask(jp, jp->depth);
    f->mask = jp->vmask & gt_mask(jp, jp->depth);
    f->is_array = is_array;
    jp->depth++;
    jp->vmask = 0;
    m = f->full;
    while (m && jp->h.open) {
        int i = __builtin_ctzll(m);
        int ret;

        m &= m - 1;
        ret = jp->h.open(jp->ud, i, is_array ? CND_JP_ARR : CND_JP_MAP);
        if (ret < 0) {
            return stop(jp, ret);
        }
    }
    return 1;
}

static int on_close(struct cnd_jp *jp)
{
    struct frame *f;
    uint64_t m;

    if (jp->depth == 0) {
        return stop(jp, CND_EPARSE); /* cannot happen with yajl */
    }
    jp->depth--;
    f = &jp->stack[jp->depth];
    m = f->full;
    while (m && jp->h.close) {
        int i = __builtin_ctzll(m);
        int ret;

        m &= m - 1;
        ret = jp->h.close(jp->ud, i, f->is_array ? CND_JP_ARR : CND_JP_MAP);
        if (ret < 0) {
            return stop(jp, ret);
        }
    }
    return 1;
}

/* ---- yajl callbacks ---- */

static int cb_null(void *ctx)
{
    return on_scalar(ctx, CND_JP_NULL, NULL, 0);
}

static int cb_boolean(void *ctx, int b)
{
    return on_scalar(ctx, CND_JP_BOOL, b ? "true" : "false", b ? 4 : 5);
}

static int cb_number(void *ctx, const char *s, size_t len)
{
    return on_scalar(ctx, CND_JP_NUM, s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
    return on_scalar(ctx, CND_JP_STR, (const char *)s, len);
}

static int cb_start_map(void *ctx)
{
    return on_open(ctx, 0);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
    struct cnd_jp *jp = ctx;
    const struct frame *f = &jp->stack[jp->depth - 1];

    jp->vmask = f->mask ? filter(jp, f->mask, jp->depth - 1, (const char *)key, len, 0) : 0;
    return 1;
}

static int cb_end(void *ctx)
{
    return on_close(ctx);
}

static int cb_start_array(void *ctx)
{
    return on_open(ctx, 1);
}

static const yajl_callbacks callbacks = {
    cb_null, cb_boolean, NULL, NULL, cb_number, cb_string,
    cb_start_map, cb_map_key, cb_end, cb_start_array, cb_end,
};

/* ---- Public functions ---- */

struct cnd_jp *cnd_jp_new(const char *const *patterns, size_t n, const struct cnd_jp_handler *h,
                          void *ud, unsigned max_depth, int multiple)
{
    struct cnd_jp *jp;
    size_t i;
    unsigned L;

    if (n > CND_JP_MAX_PATTERNS || max_depth == 0) {
        return NULL;
    }
    jp = cnd_calloc(1, sizeof(*jp));
    if (jp == NULL) {
        return NULL;
    }
    jp->n = n;
    jp->h = *h;
    jp->ud = ud;
    jp->max_depth = max_depth;
    jp->multiple = multiple;
    for (i = 0; i < n; i++) {
        const char *p = patterns[i], *dot;
        unsigned nseg = 0, k;

        if (p[0] != '\0') {
            nseg = 1;
            for (dot = p; *dot; dot++) {
                nseg += *dot == '.';
            }
        }
        jp->pats[i].nseg = nseg;
        if (nseg > 0) {
            jp->pats[i].segs = cnd_calloc(nseg, sizeof(struct seg));
            if (jp->pats[i].segs == NULL) {
                cnd_jp_free(jp);
                return NULL;
            }
        }
        for (k = 0; k < nseg; k++) {
            dot = strchr(p, '.');
            jp->pats[i].segs[k].s = p;
            jp->pats[i].segs[k].len = dot ? (size_t)(dot - p) : strlen(p);
            jp->pats[i].segs[k].any = jp->pats[i].segs[k].len == 1 && p[0] == '*';
            p = dot ? dot + 1 : p + strlen(p);
        }
        if (nseg > jp->max_len) {
            jp->max_len = nseg;
        }
        jp->all |= (uint64_t)1 << i;
    }
    jp->eq = cnd_calloc(jp->max_len + 1, sizeof(uint64_t));
    jp->gt = cnd_calloc(jp->max_len + 1, sizeof(uint64_t));
    jp->stack = cnd_calloc(max_depth, sizeof(struct frame));
    if (jp->eq == NULL || jp->gt == NULL || jp->stack == NULL) {
        cnd_jp_free(jp);
        return NULL;
    }
    for (L = 0; L <= jp->max_len; L++) {
        for (i = 0; i < n; i++) {
            if (jp->pats[i].nseg == L) {
                jp->eq[L] |= (uint64_t)1 << i;
            } else if (jp->pats[i].nseg > L) {
                jp->gt[L] |= (uint64_t)1 << i;
            }
        }
    }
    return jp;
}

void cnd_jp_free(struct cnd_jp *jp)
{
    size_t i;

    if (jp == NULL) {
        return;
    }
    for (i = 0; i < jp->n; i++) {
        cnd_free(jp->pats[i].segs);
    }
    cnd_free(jp->eq);
    cnd_free(jp->gt);
    cnd_free(jp->stack);
    cnd_free(jp);
}

/* Writes yajl's description of a syntax error at byte "off". */
static void syntax_error(struct cnd_jp *jp, yajl_handle h, size_t off)
{
    unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
    const char *m = msg ? (const char *)msg : "parse error";
    size_t n = strlen(m);

    while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' ')) {
        n--;
    }
    snprintf(jp->err, sizeof(jp->err), "invalid json at byte %zu: %.*s", off, (int)n, m);
    if (msg) {
        yajl_free_error(h, msg);
    }
}

int cnd_jp_parse(struct cnd_jp *jp, const char *text, size_t len)
{
    yajl_handle h;
    yajl_status st;
    int ret = 0;

    jp->depth = 0;
    jp->vmask = 0;
    jp->roots = 0;
    jp->cb_err = 0;
    jp->reason[0] = '\0';
    jp->err[0] = '\0';
    {
        size_t i = 0;

        while (i < len && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' ||
                           text[i] == '\t')) {
            i++;
        }
        if (i == len) {
            /* nothing but whitespace: no values (yajl calls that an error) */
            if (jp->multiple) {
                return 0;
            }
            snprintf(jp->err, sizeof(jp->err), "empty body (no json value)");
            return CND_EPARSE;
        }
    }
    h = yajl_alloc(&callbacks, NULL, jp);
    if (h == NULL) {
        snprintf(jp->err, sizeof(jp->err), "out of memory");
        return CND_ENOMEM;
    }
    if (!yajl_config(h, yajl_dont_validate_strings, 1) ||
        (jp->multiple && !yajl_config(h, yajl_allow_multiple_values, 1))) {
        yajl_free(h);
        snprintf(jp->err, sizeof(jp->err), "cannot configure the json parser");
        return CND_ENOMEM;
    }
    st = yajl_parse(h, (const unsigned char *)text, len);
    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
        if (st == yajl_status_error && jp->cb_err == 0) {
            syntax_error(jp, h, len);
            ret = CND_EPARSE;
            goto out;
        }
    } else if (st == yajl_status_error) {
        syntax_error(jp, h, yajl_get_bytes_consumed(h));
        ret = CND_EPARSE;
        goto out;
    }
    if (st == yajl_status_client_canceled || jp->cb_err) {
        ret = jp->cb_err ? jp->cb_err : CND_EPARSE;
        if (jp->err[0] == '\0') {
            snprintf(jp->err, sizeof(jp->err), "stopped at byte %zu: %s",
                     yajl_get_bytes_consumed(h), jp->reason[0] ? jp->reason : cnd_strerror(ret));
        }
        goto out;
    }
    if (jp->roots == 0 && !jp->multiple) {
        snprintf(jp->err, sizeof(jp->err), "empty body (no json value)");
        ret = CND_EPARSE;
    }
out:
    yajl_free(h);
    return ret;
}

void cnd_jp_set_reason(struct cnd_jp *jp, const char *reason)
{
    snprintf(jp->reason, sizeof(jp->reason), "%s", reason);
}

const char *cnd_jp_error(const struct cnd_jp *jp)
{
    return jp->err;
}

unsigned cnd_jp_depth(const struct cnd_jp *jp)
{
    return jp->depth;
}
