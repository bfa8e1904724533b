/* SPDX-License-Identifier: MIT */
/*
 * The configuration file. The JSON text (comments allowed) is first parsed
 * into a positioned tree with yajl's callback API (never the tree API: it
 * has no depth limit and its free recurses without bound), each value and
 * key carrying the line it starts on. The tree is then checked against
 * {0}-terminated tables of known keys, in the style of Fluent Bit's
 * config maps: each entry names a key, its type and where it goes in
 * struct cnd_config (an offsetof). Every problem found is reported, one
 * "FILE:LINE: key.path: message" line each, sorted by line.
 *
 * Ownership: cfg->root owns every string that cfg points to (data_dir,
 * lexicon, timezone, brand names and aliases, the field map); cfg owns
 * cfg->path, the brands array and each brand's alias array. A relative
 * "lexicon" is resolved against the config file's directory by replacing
 * that string inside the tree. Defaults point into static storage.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yajl/yajl_parse.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/err.h"
#include "common/timeutil.h"

#define JSON_MAX_DEPTH 64
#define CONFIG_MAX_BYTES ((size_t)4 << 20)

/* ---- Positioned JSON values: the parser ---- */

struct frame {
    struct cnd_jval *v;   /* an open array or object */
    size_t cap;           /* allocated slots in its arrays */
};

struct pctx {
    const char *name;     /* file name for messages */
    const char *text;
    size_t len;
    size_t pos;           /* newlines are counted in text[0, pos) ... */
    unsigned line;        /* ... giving the line of byte "pos" */
    int completing;       /* inside yajl_complete_parse: offsets are void */
    yajl_handle h;
    struct cnd_jval *root;
    struct frame stack[JSON_MAX_DEPTH];
    size_t depth;
    int code;             /* CND_E* set by a callback that cancelled */
    char msg[256];        /* its message */
};

/*
 * The line of the token yajl has just read. yajl reports the offset just
 * past the token (for numbers too: the lexer pushes back the delimiter),
 * and a token never spans a newline (raw control characters are invalid
 * inside JSON strings), so the line of the token's last byte is the line
 * it starts on. Offsets only grow, so newlines are counted incrementally.
 */
static unsigned tok_line(struct pctx *p)
{
    size_t off = p->completing ? p->len : yajl_get_bytes_consumed(p->h);
    size_t b = off ? off - 1 : 0;

    if (b > p->len) {
        b = p->len;
    }
    while (p->pos < b) {
        if (p->text[p->pos] == '\n') {
            p->line++;
        }
        p->pos++;
    }
    return p->line;
}

static int fail(struct pctx *p, int code, const char *what)
{
    unsigned line = tok_line(p);

    p->code = code;
    if (code == CND_ENOMEM) {
        snprintf(p->msg, sizeof(p->msg), "%s: out of memory", p->name);
    } else {
        snprintf(p->msg, sizeof(p->msg), "%s:%u: %s", p->name, line, what);
    }
    return 0; /* tells yajl to stop */
}

static int grow(struct frame *f)
{
    struct cnd_jval *v = f->v;
    size_t ncap = f->cap ? f->cap * 2 : 4;
    void *mem;

    if (ncap > SIZE_MAX / sizeof(void *)) {
        return CND_ENOMEM;
    }
    mem = cnd_realloc(v->items, ncap * sizeof(*v->items));
    if (mem == NULL) {
        return CND_ENOMEM;
    }
    v->items = mem;
    if (v->type == CND_JOBJ) {
        mem = cnd_realloc(v->keys, ncap * sizeof(*v->keys));
        if (mem == NULL) {
            return CND_ENOMEM;
        }
        v->keys = mem;
        mem = cnd_realloc(v->key_lines, ncap * sizeof(*v->key_lines));
        if (mem == NULL) {
            return CND_ENOMEM;
        }
        v->key_lines = mem;
    }
    f->cap = ncap;
    return 0;
}

/*
 * Creates a value of type "type" and hangs it in the open container (or
 * makes it the root), so that freeing the root frees everything even when
 * the parse stops half-way. Returns NULL (and sets p->code) on failure.
 */
static struct cnd_jval *add_value(struct pctx *p, enum cnd_jtype type)
{
    struct cnd_jval *v = cnd_calloc(1, sizeof(*v));
    struct frame *top;

    if (v == NULL) {
        fail(p, CND_ENOMEM, NULL);
        return NULL;
    }
    v->type = type;
    v->line = tok_line(p);
    if (p->depth == 0) {
        cnd_jval_free(p->root); /* never set twice: yajl allows one value */
        p->root = v;
        return v;
    }
    top = &p->stack[p->depth - 1];
    if (top->v->type == CND_JOBJ) {
        /* the key was appended with a NULL slot by on_key */
        top->v->items[top->v->n - 1] = v;
        return v;
    }
    if (top->v->n == top->cap && grow(top) < 0) {
        cnd_free(v);
        fail(p, CND_ENOMEM, NULL);
        return NULL;
    }
    top->v->items[top->v->n++] = v;
    return v;
}

static int on_null(void *ctx)
{
    return add_value(ctx, CND_JNULL) != NULL;
}

static int on_bool(void *ctx, int b)
{
    struct cnd_jval *v = add_value(ctx, CND_JBOOL);

    if (v == NULL) {
        return 0;
    }
    v->boolean = b ? 1 : 0;
    return 1;
}

static int on_number(void *ctx, const char *s, size_t len)
{
    struct pctx *p = ctx;
    struct cnd_jval *v = add_value(p, CND_JNUM);

    if (v == NULL) {
        return 0;
    }
    v->str = cnd_strndup(s, len);
    if (v->str == NULL) {
        return fail(p, CND_ENOMEM, NULL);
    }
    v->num = strtod(v->str, NULL);
    if (!isfinite(v->num)) {
        return fail(p, CND_EPARSE, "number out of range");
    }
    return 1;
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    struct pctx *p = ctx;
    struct cnd_jval *v;

    if (memchr(s, '\0', len) != NULL) {
        return fail(p, CND_EPARSE, "string contains a NUL character");
    }
    v = add_value(p, CND_JSTR);
    if (v == NULL) {
        return 0;
    }
    v->str = cnd_strndup((const char *)s, len);
    if (v->str == NULL) {
        return fail(p, CND_ENOMEM, NULL);
    }
    return 1;
}

static int open_container(struct pctx *p, enum cnd_jtype type)
{
    struct cnd_jval *v;

    if (p->depth >= JSON_MAX_DEPTH) {
        return fail(p, CND_ELIMIT, "nesting deeper than 64 levels");
    }
    v = add_value(p, type);
    if (v == NULL) {
        return 0;
    }
    p->stack[p->depth].v = v;
    p->stack[p->depth].cap = 0;
    p->depth++;
    return 1;
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, CND_JOBJ);
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, CND_JARR);
}

static int on_end(void *ctx)
{
    struct pctx *p = ctx;

    if (p->depth > 0) {
        p->depth--;
    }
    return 1;
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    struct pctx *p = ctx;
    struct frame *top = &p->stack[p->depth - 1];
    struct cnd_jval *obj = top->v;
    char *key;

    if (memchr(s, '\0', len) != NULL) {
        return fail(p, CND_EPARSE, "key contains a NUL character");
    }
    if (obj->n == top->cap && grow(top) < 0) {
        return fail(p, CND_ENOMEM, NULL);
    }
    key = cnd_strndup((const char *)s, len);
    if (key == NULL) {
        return fail(p, CND_ENOMEM, NULL);
    }
    obj->keys[obj->n] = key;
    obj->key_lines[obj->n] = tok_line(p);
    obj->items[obj->n] = NULL;
    obj->n++;
    return 1;
}

static const yajl_callbacks parse_callbacks = {
    on_null, on_bool, NULL, NULL, on_number, on_string,
    on_start_map, on_key, on_end, on_start_array, on_end,
};

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err != NULL && errlen > 0) {
        snprintf(err, errlen, "%s", msg);
    }
}

/*
 * The parser behind cnd_jval_parse; also stores the failure's CND_E* code
 * in "*code" (CND_EPARSE, CND_ELIMIT, CND_ETOOBIG or CND_ENOMEM).
 */
static struct cnd_jval *jval_parse(const char *name, const char *text, size_t len,
                                   char *err, size_t errlen, int *code)
{
    struct pctx p;
    yajl_status st;
    unsigned char *ymsg;

    memset(&p, 0, sizeof(p));
    p.name = name;
    p.text = text;
    p.len = len;
    p.line = 1;
    if (len > CONFIG_MAX_BYTES) {
        snprintf(p.msg, sizeof(p.msg), "%s: larger than 4 MiB", name);
        set_err(err, errlen, p.msg);
        *code = CND_ETOOBIG;
        return NULL;
    }
    /*
     * yajl's own memory uses its default allocator on purpose: yajl 2.1.0
     * does not check its allocations (yajl_buf, the state stack), so a
     * failing cnd_malloc would crash inside it instead of reporting. Its
     * memory is bounded by the depth and size limits above.
     */
    p.h = yajl_alloc(&parse_callbacks, NULL, &p);
    if (p.h == NULL) {
        snprintf(p.msg, sizeof(p.msg), "%s: out of memory", name);
        set_err(err, errlen, p.msg);
        *code = CND_ENOMEM;
        return NULL;
    }
    if (!yajl_config(p.h, yajl_allow_comments, 1)) {
        yajl_free(p.h);
        snprintf(p.msg, sizeof(p.msg), "%s: cannot configure the JSON parser", name);
        set_err(err, errlen, p.msg);
        *code = CND_EINVAL;
        return NULL;
    }
    st = yajl_parse(p.h, (const unsigned char *)text, len);
    if (st == yajl_status_ok) {
        p.completing = 1;
        st = yajl_complete_parse(p.h);
    }
    if (st == yajl_status_ok && p.root != NULL) {
        yajl_free(p.h);
        return p.root;
    }
    if (st == yajl_status_client_canceled && p.code != 0) {
        *code = p.code;
    } else {
        /* a syntax error: yajl's offset is just past the offending token */
        unsigned line = tok_line(&p);
        size_t n;

        ymsg = yajl_get_error(p.h, 0, (const unsigned char *)text, len);
        n = ymsg ? strlen((const char *)ymsg) : 0;
        while (n > 0 && (ymsg[n - 1] == '\n' || ymsg[n - 1] == ' ')) {
            n--;
        }
        snprintf(p.msg, sizeof(p.msg), "%s:%u: invalid JSON: %.*s", name, line, (int)n,
                 ymsg ? (const char *)ymsg : "syntax error");
        if (ymsg != NULL) {
            yajl_free_error(p.h, ymsg);
        }
        *code = CND_EPARSE;
    }
    set_err(err, errlen, p.msg);
    cnd_jval_free(p.root);
    yajl_free(p.h);
    return NULL;
}

struct cnd_jval *cnd_jval_parse(const char *name, const char *text, size_t len,
                                char *err, size_t errlen)
{
    int code = 0;

    return jval_parse(name, text, len, err, errlen, &code);
}

void cnd_jval_free(struct cnd_jval *v)
{
    size_t i;

    if (v == NULL) {
        return;
    }
    for (i = 0; i < v->n; i++) {
        if (v->keys != NULL) {
            cnd_free(v->keys[i]);
        }
        cnd_jval_free(v->items[i]);
    }
    cnd_free(v->keys);
    cnd_free(v->key_lines);
    cnd_free(v->items);
    cnd_free(v->str);
    cnd_free(v);
}

static size_t key_index(const struct cnd_jval *obj, const char *key)
{
    size_t i;

    for (i = 0; i < obj->n; i++) {
        if (strcmp(obj->keys[i], key) == 0) {
            return i;
        }
    }
    return SIZE_MAX;
}

const struct cnd_jval *cnd_jval_get(const struct cnd_jval *obj, const char *key)
{
    size_t i;

    if (obj == NULL || obj->type != CND_JOBJ || key == NULL) {
        return NULL;
    }
    i = key_index(obj, key);
    return i == SIZE_MAX ? NULL : obj->items[i];
}

/* ---- Error collection ---- */

struct err_rec {
    unsigned line;
    size_t off;           /* into vctx.msgs; also the order of reporting */
    size_t len;
};

struct vctx {
    const char *file;
    struct cnd_buf path;  /* "brands[2].aliases" */
    struct cnd_buf msgs;  /* the lines, back to back */
    struct err_rec *recs;
    size_t n_recs, cap_recs;
    int nomem;
};

/* Appends "FILE:LINE: PATH: message" (PATH omitted when empty). */
static void verr(struct vctx *vc, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void verr(struct vctx *vc, unsigned line, const char *fmt, ...)
{
    size_t start = vc->msgs.len, i;
    va_list ap;
    int ret;

    if (vc->nomem) {
        return;
    }
    if (vc->n_recs == vc->cap_recs) {
        size_t ncap = vc->cap_recs ? vc->cap_recs * 2 : 8;
        struct err_rec *r = cnd_realloc(vc->recs, ncap * sizeof(*r));

        if (r == NULL) {
            vc->nomem = 1;
            return;
        }
        vc->recs = r;
        vc->cap_recs = ncap;
    }
    ret = cnd_buf_addf(&vc->msgs, "%s:%u: ", vc->file, line);
    if (ret == 0 && vc->path.len > 0) {
        ret = cnd_buf_addf(&vc->msgs, "%s: ", vc->path.data);
    }
    if (ret == 0) {
        va_start(ap, fmt);
        ret = cnd_buf_vaddf(&vc->msgs, fmt, ap);
        va_end(ap);
    }
    if (ret < 0) {
        vc->nomem = 1;
        return;
    }
    /* one line per error, whatever keys and values contain */
    for (i = start; i < vc->msgs.len; i++) {
        unsigned char c = (unsigned char)vc->msgs.data[i];

        if (c < 0x20 || c == 0x7f) {
            vc->msgs.data[i] = '?';
        }
    }
    vc->recs[vc->n_recs].line = line;
    vc->recs[vc->n_recs].off = start;
    vc->recs[vc->n_recs].len = vc->msgs.len - start;
    vc->n_recs++;
}

static int cmp_rec(const void *a, const void *b)
{
    const struct err_rec *x = a, *y = b;

    if (x->line != y->line) {
        return x->line < y->line ? -1 : 1;
    }
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Writes the collected lines, sorted by line, into "err". */
static void write_errors(struct vctx *vc, char *err, size_t errlen)
{
    size_t i, used = 0;

    if (err == NULL || errlen == 0) {
        return;
    }
    err[0] = '\0';
    qsort(vc->recs, vc->n_recs, sizeof(*vc->recs), cmp_rec);
    for (i = 0; i < vc->n_recs && used + 1 < errlen; i++) {
        size_t n = vc->recs[i].len;

        if (i > 0) {
            err[used++] = '\n';
            if (used + 1 >= errlen) {
                break;
            }
        }
        if (n > errlen - 1 - used) {
            n = errlen - 1 - used;
        }
        memcpy(err + used, vc->msgs.data + vc->recs[i].off, n);
        used += n;
    }
    err[used] = '\0';
}

/* Path building: push returns the length to pop back to. */
static size_t push_key(struct vctx *vc, const char *key)
{
    size_t saved = vc->path.len;

    if (cnd_buf_addf(&vc->path, "%s%s", saved ? "." : "", key) < 0) {
        vc->nomem = 1;
    }
    return saved;
}

static size_t push_index(struct vctx *vc, size_t i)
{
    size_t saved = vc->path.len;

    if (cnd_buf_addf(&vc->path, "[%zu]", i) < 0) {
        vc->nomem = 1;
    }
    return saved;
}

static void pop(struct vctx *vc, size_t saved)
{
    if (vc->path.data != NULL && saved <= vc->path.len) {
        vc->path.len = saved;
        vc->path.data[saved] = '\0';
    }
}

static const char *type_name(enum cnd_jtype t)
{
    switch (t) {
    case CND_JNULL: return "null";
    case CND_JBOOL: return "a boolean";
    case CND_JNUM: return "a number";
    case CND_JSTR: return "a string";
    case CND_JARR: return "an array";
    case CND_JOBJ: return "an object";
    }
    return "a value";
}

/* Reports a type mismatch at the value's line; returns 0 when "v" is not "want". */
static int want_type(struct vctx *vc, const struct cnd_jval *v, enum cnd_jtype want)
{
    if (v->type == want) {
        return 1;
    }
    verr(vc, v->line, "expected %s, got %s", type_name(want), type_name(v->type));
    return 0;
}

/* ---- Duplicates ---- */

struct name_ref {
    const char *s;
    unsigned line;
    size_t idx;
};

static int cmp_exact(const void *a, const void *b)
{
    const struct name_ref *x = a, *y = b;
    int c = strcmp(x->s, y->s);

    if (c != 0) {
        return c;
    }
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_nocase(const void *a, const void *b)
{
    const struct name_ref *x = a, *y = b;
    int c = strcasecmp(x->s, y->s);

    if (c != 0) {
        return c;
    }
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Sorts "refs" and calls "report" for every entry equal to an earlier one,
 * with that earlier (first) entry. O(n log n), so a file with many keys
 * cannot make validation quadratic.
 */
static void find_dups(struct vctx *vc, struct name_ref *refs, size_t n,
                      int (*cmp)(const void *, const void *),
                      void (*report)(struct vctx *, const struct name_ref *dup,
                                     const struct name_ref *first, void *arg),
                      void *arg)
{
    size_t i, first = 0;

    qsort(refs, n, sizeof(*refs), cmp);
    for (i = 1; i < n; i++) {
        struct name_ref a = refs[first], b = refs[i];

        a.idx = b.idx = 0; /* compare the names only */
        if (cmp(&a, &b) == 0) {
            report(vc, &refs[i], &refs[first], arg);
        } else {
            first = i;
        }
    }
}

static void report_dup_key(struct vctx *vc, const struct name_ref *dup,
                           const struct name_ref *first, void *arg)
{
    size_t saved = push_key(vc, dup->s);

    (void)arg;
    verr(vc, dup->line, "duplicate key (first on line %u)", first->line);
    pop(vc, saved);
}

/* Reports every key that appears twice in one object, anywhere in the tree. */
static void check_dup_keys(struct vctx *vc, const struct cnd_jval *v)
{
    size_t i, saved;

    if (v->type == CND_JOBJ && v->n > 1) {
        struct name_ref *refs = cnd_malloc(v->n * sizeof(*refs));

        if (refs == NULL) {
            vc->nomem = 1;
            return;
        }
        for (i = 0; i < v->n; i++) {
            refs[i].s = v->keys[i];
            refs[i].line = v->key_lines[i];
            refs[i].idx = i;
        }
        find_dups(vc, refs, v->n, cmp_exact, report_dup_key, NULL);
        cnd_free(refs);
    }
    for (i = 0; i < v->n && (v->type == CND_JOBJ || v->type == CND_JARR); i++) {
        saved = v->type == CND_JOBJ ? push_key(vc, v->keys[i]) : push_index(vc, i);
        check_dup_keys(vc, v->items[i]);
        pop(vc, saved);
    }
}

/* ---- The table of known keys ---- */

enum opt_kind {
    OPT_STRING,       /* non-empty string into a char * */
    OPT_CSTRING,      /* non-empty string into a const char * */
    OPT_PATH,         /* a file path, relative to the config file's directory */
    OPT_TZ,           /* an IANA time zone name that exists */
    OPT_NONNEG,       /* a number >= 0 into a double */
    OPT_OBJECT,       /* a nested object described by "sub" */
    OPT_STRLIST,      /* an array of non-empty strings: char ** + count at "aux" */
    OPT_BRANDS,       /* the brand watchlist */
    OPT_SOURCES,      /* the sources, kept raw */
    OPT_NAME,         /* a source name: also names a directory */
};

#define OPT_REQUIRED 1u
#define NO_FIELD SIZE_MAX

struct opt {
    const char *key;
    enum opt_kind kind;
    size_t offset;            /* where the value goes in the base struct */
    size_t aux;               /* OPT_STRLIST: offset of the count */
    const struct opt *sub;    /* OPT_OBJECT: its keys */
    unsigned flags;
};

#define FIELD(name) (offsetof(struct cnd_config, fields) + offsetof(struct cnd_fieldmap, name))

static const struct opt fields_opts[] = {
    { "id", OPT_CSTRING, FIELD(id), 0, NULL, 0 },
    { "text", OPT_CSTRING, FIELD(text), 0, NULL, 0 },
    { "source", OPT_CSTRING, FIELD(source), 0, NULL, 0 },
    { "created_at", OPT_CSTRING, FIELD(created_at), 0, NULL, 0 },
    { "author", OPT_CSTRING, FIELD(author), 0, NULL, 0 },
    { "url", OPT_CSTRING, FIELD(url), 0, NULL, 0 },
    { "lang", OPT_CSTRING, FIELD(lang), 0, NULL, 0 },
    { 0 },
};

static const struct opt replay_opts[] = {
    { "fields", OPT_OBJECT, NO_FIELD, 0, fields_opts, 0 },
    { 0 },
};

static const struct opt analyze_opts[] = {
    { "threshold", OPT_NONNEG, offsetof(struct cnd_config, threshold), 0, NULL, 0 },
    { 0 },
};

/* Keys of one "brands" entry; the base is that struct cnd_brand. */
static const struct opt brand_opts[] = {
    { "name", OPT_STRING, offsetof(struct cnd_brand, name), 0, NULL, OPT_REQUIRED },
    { "aliases", OPT_STRLIST, offsetof(struct cnd_brand, aliases),
      offsetof(struct cnd_brand, n_aliases), NULL, 0 },
    { 0 },
};

/* What is checked here of one "sources" entry; ingest checks the rest. */
static const struct opt source_opts[] = {
    { "name", OPT_NAME, NO_FIELD, 0, NULL, OPT_REQUIRED },
    { "kind", OPT_STRING, NO_FIELD, 0, NULL, OPT_REQUIRED },
    { 0 },
};

#define ALERT_FIELD(f) (offsetof(struct cnd_config, alerts) + offsetof(struct cnd_alerts_config, f))

static const struct opt alerts_opts[] = {
    { "webhook_env", OPT_STRING, ALERT_FIELD(webhook_env), 0, NULL, 0 },
    { "baseline_days", OPT_NONNEG, ALERT_FIELD(baseline_days), 0, NULL, 0 },
    { "min_baseline_days", OPT_NONNEG, ALERT_FIELD(min_baseline_days), 0, NULL, 0 },
    { "min_count", OPT_NONNEG, ALERT_FIELD(min_count), 0, NULL, 0 },
    { "min_ratio", OPT_NONNEG, ALERT_FIELD(min_ratio), 0, NULL, 0 },
    { "max_p", OPT_NONNEG, ALERT_FIELD(max_p), 0, NULL, 0 },
    { 0 },
};

static const struct opt top_opts[] = {
    { "data_dir", OPT_STRING, offsetof(struct cnd_config, data_dir), 0, NULL, 0 },
    { "lexicon", OPT_PATH, offsetof(struct cnd_config, lexicon), 0, NULL, 0 },
    { "timezone", OPT_TZ, offsetof(struct cnd_config, timezone), 0, NULL, 0 },
    { "brands", OPT_BRANDS, NO_FIELD, 0, NULL, 0 },
    { "replay", OPT_OBJECT, NO_FIELD, 0, replay_opts, 0 },
    { "analyze", OPT_OBJECT, NO_FIELD, 0, analyze_opts, 0 },
    { "alerts", OPT_OBJECT, NO_FIELD, 0, alerts_opts, 0 },
    { "sources", OPT_SOURCES, offsetof(struct cnd_config, sources), 0, NULL, 0 },
    { "user_agent", OPT_STRING, offsetof(struct cnd_config, user_agent), 0, NULL, 0 },
    { 0 },
};

static void *field(void *base, size_t offset)
{
    return base != NULL && offset != NO_FIELD ? (char *)base + offset : NULL;
}

static void check_object(struct vctx *vc, struct cnd_jval *obj, const struct opt *opts,
                         void *base, int allow_unknown);

/* A non-empty string, or an error; returns the value's string or NULL. */
static char *want_string(struct vctx *vc, const struct cnd_jval *v)
{
    if (!want_type(vc, v, CND_JSTR)) {
        return NULL;
    }
    if (v->str[0] == '\0') {
        verr(vc, v->line, "must not be empty");
        return NULL;
    }
    return v->str;
}

/* Makes a relative path relative to the directory of the config file. */
static void resolve_path(struct vctx *vc, struct cnd_jval *v)
{
    const char *slash = strrchr(vc->file, '/');
    size_t dlen, plen;
    char *full;

    if (v->str[0] == '/' || slash == NULL) {
        return; /* absolute, or the config file is in the current directory */
    }
    dlen = (size_t)(slash - vc->file) + 1;
    plen = strlen(v->str);
    full = cnd_malloc(dlen + plen + 1);
    if (full == NULL) {
        vc->nomem = 1;
        return;
    }
    memcpy(full, vc->file, dlen);
    memcpy(full + dlen, v->str, plen + 1);
    cnd_free(v->str);
    v->str = full;
}

static void check_tz(struct vctx *vc, const struct cnd_jval *v)
{
    struct cnd_tz *tz;
    int err = 0;

    if (v->str[0] == '/' || strstr(v->str, "..") != NULL) {
        verr(vc, v->line, "invalid time zone name \"%s\" (an IANA name such as "
             "\"Europe/Paris\")", v->str);
        return;
    }
    tz = cnd_tz_new(v->str, &err);
    if (tz == NULL) {
        if (err == CND_ENOMEM) {
            vc->nomem = 1;
        } else {
            verr(vc, v->line, "unknown time zone \"%s\"", v->str);
        }
        return;
    }
    cnd_tz_free(tz);
}

static void check_strlist(struct vctx *vc, const struct cnd_jval *v, char ***list,
                          size_t *count)
{
    char **out = NULL;
    size_t i, saved;

    if (!want_type(vc, v, CND_JARR)) {
        return;
    }
    if (v->n > 0 && list != NULL) {
        out = cnd_calloc(v->n, sizeof(*out));
        if (out == NULL) {
            vc->nomem = 1;
            return;
        }
        cnd_free(*list);
        *list = out;
        *count = v->n;
    }
    for (i = 0; i < v->n; i++) {
        char *s;

        saved = push_index(vc, i);
        s = want_string(vc, v->items[i]);
        if (s != NULL && out != NULL) {
            out[i] = s;
        }
        pop(vc, saved);
    }
}

static int name_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

static void check_source_name(struct vctx *vc, const struct cnd_jval *v)
{
    const char *s = want_string(vc, v), *p;

    if (s == NULL) {
        return;
    }
    for (p = s; *p; p++) {
        if (!name_char_ok(*p)) {
            break;
        }
    }
    if (*p != '\0' || s[0] == '.') {
        verr(vc, v->line, "\"%s\" must be letters, digits, '.', '_' or '-', not starting "
             "with '.' (it names a directory)", s);
    }
}

struct list_dup_arg {
    const char *what;     /* "brand" or "source name" */
};

static void report_dup_entry(struct vctx *vc, const struct name_ref *dup,
                             const struct name_ref *first, void *arg)
{
    const struct list_dup_arg *a = arg;
    size_t saved = push_index(vc, dup->idx);

    push_key(vc, "name");
    verr(vc, dup->line, "duplicate %s \"%s\" (first on line %u)", a->what, dup->s,
         first->line);
    pop(vc, saved);
}

/*
 * Checks an array of objects against "opts" (base: "bases[i]" when not
 * NULL) and reports duplicate "name" values, compared with "cmp".
 */
static void check_named_list(struct vctx *vc, struct cnd_jval *arr, const struct opt *opts,
                             void *bases, size_t base_size, int allow_unknown,
                             int (*cmp)(const void *, const void *), const char *what)
{
    struct name_ref *refs;
    struct list_dup_arg arg;
    size_t i, n = 0, saved;

    refs = cnd_malloc(arr->n * sizeof(*refs));
    if (refs == NULL) {
        vc->nomem = 1;
        return;
    }
    for (i = 0; i < arr->n; i++) {
        struct cnd_jval *item = arr->items[i];
        const struct cnd_jval *name;

        saved = push_index(vc, i);
        if (want_type(vc, item, CND_JOBJ)) {
            check_object(vc, item, opts,
                         bases != NULL ? (char *)bases + i * base_size : NULL, allow_unknown);
            name = cnd_jval_get(item, "name");
            if (name != NULL && name->type == CND_JSTR && name->str[0] != '\0') {
                refs[n].s = name->str;
                refs[n].line = name->line;
                refs[n].idx = i;
                n++;
            }
        }
        pop(vc, saved);
    }
    arg.what = what;
    find_dups(vc, refs, n, cmp, report_dup_entry, &arg);
    cnd_free(refs);
}

static void check_brands(struct vctx *vc, struct cnd_jval *v, struct cnd_config *cfg)
{
    if (!want_type(vc, v, CND_JARR) || v->n == 0) {
        return;
    }
    cfg->brands = cnd_calloc(v->n, sizeof(*cfg->brands));
    if (cfg->brands == NULL) {
        vc->nomem = 1;
        return;
    }
    cfg->n_brands = v->n;
    /* brand names match case-insensitively, so duplicates are found so too */
    check_named_list(vc, v, brand_opts, cfg->brands, sizeof(*cfg->brands), 0, cmp_nocase,
                     "brand");
}

static void apply(struct vctx *vc, const struct opt *o, struct cnd_jval *v, void *base)
{
    void *dst = field(base, o->offset);
    char *s;

    switch (o->kind) {
    case OPT_STRING:
    case OPT_CSTRING:
    case OPT_PATH:
    case OPT_TZ:
        s = want_string(vc, v);
        if (s == NULL) {
            return;
        }
        if (o->kind == OPT_PATH) {
            resolve_path(vc, v);
            s = v->str;
        } else if (o->kind == OPT_TZ) {
            check_tz(vc, v);
        }
        if (dst != NULL && o->kind == OPT_CSTRING) {
            *(const char **)dst = s;
        } else if (dst != NULL) {
            *(char **)dst = s;
        }
        return;
    case OPT_NONNEG:
        if (!want_type(vc, v, CND_JNUM)) {
            return;
        }
        if (!(v->num >= 0)) {
            verr(vc, v->line, "must be a number >= 0, got %s", v->str);
            return;
        }
        if (dst != NULL) {
            *(double *)dst = v->num;
        }
        return;
    case OPT_OBJECT:
        if (want_type(vc, v, CND_JOBJ)) {
            check_object(vc, v, o->sub, base, 0);
        }
        return;
    case OPT_STRLIST:
        check_strlist(vc, v, dst, field(base, o->aux));
        return;
    case OPT_BRANDS:
        check_brands(vc, v, base);
        return;
    case OPT_SOURCES:
        if (!want_type(vc, v, CND_JARR)) {
            return;
        }
        check_named_list(vc, v, source_opts, NULL, 0, 1, cmp_exact, "source name");
        if (dst != NULL) {
            *(struct cnd_jval **)dst = v;
        }
        return;
    case OPT_NAME:
        check_source_name(vc, v);
        return;
    }
}

/*
 * Checks object "obj" against "opts", storing values into "base". Keys
 * not in the table are errors unless "allow_unknown". A key given twice
 * is reported by check_dup_keys; only its first value is used here.
 */
static void check_object(struct vctx *vc, struct cnd_jval *obj, const struct opt *opts,
                         void *base, int allow_unknown)
{
    const struct opt *o;
    size_t i, saved;

    for (i = 0; i < obj->n; i++) {
        for (o = opts; o->key != NULL; o++) {
            if (strcmp(o->key, obj->keys[i]) == 0) {
                break;
            }
        }
        if (o->key == NULL && allow_unknown) {
            continue;
        }
        saved = push_key(vc, obj->keys[i]);
        if (o->key == NULL) {
            verr(vc, obj->key_lines[i], "unknown key");
        } else if (key_index(obj, o->key) == i) {
            apply(vc, o, obj->items[i], base);
        }
        pop(vc, saved);
    }
    for (o = opts; o->key != NULL; o++) {
        if ((o->flags & OPT_REQUIRED) && key_index(obj, o->key) == SIZE_MAX) {
            saved = push_key(vc, o->key);
            verr(vc, obj->line, "missing required key");
            pop(vc, saved);
        }
    }
}

/* ---- Loading ---- */

static char default_data_dir[] = "data";

void cnd_config_defaults(struct cnd_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->data_dir = default_data_dir;
    cfg->threshold = -1;
}

void cnd_config_release(struct cnd_config *cfg)
{
    size_t i;

    if (cfg == NULL) {
        return;
    }
    for (i = 0; i < cfg->n_brands && cfg->brands != NULL; i++) {
        cnd_free(cfg->brands[i].aliases);
    }
    cnd_free(cfg->brands);
    cnd_free(cfg->path);
    cnd_jval_free(cfg->root);
    cnd_config_defaults(cfg);
}

/* Reads the whole file into "out" (capped); messages go to "err". */
static int read_file(const char *path, struct cnd_buf *out, char *err, size_t errlen)
{
    char chunk[65536];
    FILE *fp;
    size_t n;
    int ret = 0, saved_errno;

    fp = fopen(path, "rb");
    if (fp == NULL) {
        saved_errno = errno;
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(saved_errno));
        }
        return saved_errno == ENOENT ? CND_ENOENT : CND_EIO;
    }
    for (;;) {
        n = fread(chunk, 1, sizeof(chunk), fp);
        if (n > 0) {
            ret = cnd_buf_add(out, chunk, n);
            if (ret == CND_ETOOBIG) {
                if (err != NULL && errlen > 0) {
                    snprintf(err, errlen, "%s: larger than 4 MiB", path);
                }
                break;
            }
            if (ret < 0) {
                if (err != NULL && errlen > 0) {
                    snprintf(err, errlen, "%s: out of memory", path);
                }
                break;
            }
        }
        if (n < sizeof(chunk)) {
            if (ferror(fp)) {
                saved_errno = errno;
                if (err != NULL && errlen > 0) {
                    snprintf(err, errlen, "%s: cannot read: %s", path, strerror(saved_errno));
                }
                ret = CND_EIO;
            }
            break;
        }
    }
    if (fclose(fp) != 0 && ret == 0) {
        ret = CND_EIO;
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        }
    }
    return ret;
}

int cnd_config_load(const char *path, struct cnd_config *cfg, char *err, size_t errlen)
{
    struct cnd_config c;
    struct cnd_buf text;
    struct vctx vc;
    int ret = 0;

    if (cfg == NULL) {
        return CND_EINVAL;
    }
    if (path == NULL) {
        set_err(err, errlen, "no configuration file given");
        cnd_config_defaults(cfg);
        return CND_EINVAL;
    }
    cnd_config_defaults(&c);
    cnd_buf_init(&text, CONFIG_MAX_BYTES);
    memset(&vc, 0, sizeof(vc));
    cnd_buf_init(&vc.path, 0);
    cnd_buf_init(&vc.msgs, 0);
    vc.file = path;
    if (err != NULL && errlen > 0) {
        err[0] = '\0';
    }

    ret = read_file(path, &text, err, errlen);
    if (ret < 0) {
        goto out;
    }
    c.path = cnd_strdup(path);
    if (c.path == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    c.root = jval_parse(path, text.data ? text.data : "", text.len, err, errlen, &ret);
    if (c.root == NULL) {
        goto out;
    }
    cnd_buf_release(&text);

    if (c.root->type != CND_JOBJ) {
        verr(&vc, c.root->line, "expected an object at the top level, got %s",
             type_name(c.root->type));
    } else {
        check_dup_keys(&vc, c.root);
        check_object(&vc, c.root, top_opts, &c, 0);
    }
    if (vc.nomem) {
        ret = CND_ENOMEM;
        if (err != NULL && errlen > 0) {
            snprintf(err, errlen, "%s: out of memory", path);
        }
    } else if (vc.n_recs > 0) {
        ret = CND_EINVAL;
        write_errors(&vc, err, errlen);
    }

out:
    cnd_buf_release(&text);
    cnd_buf_release(&vc.path);
    cnd_buf_release(&vc.msgs);
    cnd_free(vc.recs);
    if (ret < 0) {
        cnd_config_release(&c);
        cnd_config_defaults(cfg);
        return ret;
    }
    *cfg = c;
    return 0;
}
