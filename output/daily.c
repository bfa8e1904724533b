/* SPDX-License-Identifier: MIT */
/*
 * Readers for the files candor writes per day: daily aggregates, complaint
 * files and the run log (see output/daily.h and docs/ARCHITECTURE.md).
 *
 * Every line is one JSON object parsed with yajl's callback API through a
 * small event layer that knows the shapes these files use: top-level
 * fields, arrays of scalars and arrays of flat objects. Anything nested
 * deeper is skipped; nesting past a fixed depth rejects the line. Strings
 * are copied into a per-day (or per-complaint) arena, so freeing a day is
 * a handful of free() calls however many rows it had.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/lines.h"
#include "common/timeutil.h"
#include "output/daily.h"

#define MAX_DEPTH 8
#define KEY_MAX 48
#define ISSUES_KEPT 100
#define MAX_ITEMS 100000          /* array items kept per line */
#define DAILY_MAX_LINE (4u << 20)
#define DAILY_MAX_DECODED (1ull << 32)

/* ---- Issues ---- */

void cnd_issues_init(struct cnd_issues *iss)
{
    cnd_buf_init(&iss->text, 0);
    iss->count = 0;
    iss->max_kept = ISSUES_KEPT;
}

void cnd_issues_release(struct cnd_issues *iss)
{
    if (iss == NULL) {
        return;
    }
    cnd_buf_release(&iss->text);
    iss->count = 0;
}

void cnd_issues_add(struct cnd_issues *iss, const char *file, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    size_t mark;

    if (iss == NULL) {
        return;
    }
    iss->count++;
    if (iss->count > iss->max_kept) {
        return;
    }
    mark = iss->text.len;
    if ((line ? cnd_buf_addf(&iss->text, "%s:%llu: ", file, (unsigned long long)line)
              : cnd_buf_addf(&iss->text, "%s: ", file)) < 0) {
        goto undo;
    }
    va_start(ap, fmt);
    if (cnd_buf_vaddf(&iss->text, fmt, ap) < 0) {
        va_end(ap);
        goto undo;
    }
    va_end(ap);
    if (cnd_buf_addc(&iss->text, '\n') == 0) {
        return;
    }
undo:
    /* Out of memory: the problem is still counted. */
    if (iss->text.data) {
        iss->text.len = mark;
        iss->text.data[mark] = '\0';
    }
}

/* ---- Days ---- */

int64_t cnd_day_num(const char *day)
{
    if (cnd_day_check(day) < 0) {
        return INT64_MIN;
    }
    return cnd_days_from_civil(atoi(day), (unsigned)atoi(day + 5), (unsigned)atoi(day + 8));
}

void cnd_day_from_num(int64_t num, char out[11])
{
    int64_t y;
    unsigned m, d;

    cnd_civil_from_days(num, &y, &m, &d);
    if (y < 0 || y > 9999) {
        y = y < 0 ? 0 : 9999;
    }
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y, m % 100u, d % 100u);
}

static int cmp_day(const void *a, const void *b)
{
    return strcmp(((const struct cnd_day *)a)->s, ((const struct cnd_day *)b)->s);
}

static char *join_path(const char *dir, const char *sub, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(sub) + strlen(name) + strlen(suffix) + 3;
    char *p = cnd_malloc(n);

    if (p != NULL) {
        snprintf(p, n, "%s/%s%s%s%s", dir, sub, *name ? "/" : "", name, suffix);
    }
    return p;
}

int cnd_daily_list(const char *data_dir, const char *sub, const char *suffix, const char *from,
                   const char *to, struct cnd_day **days, size_t *n)
{
    struct cnd_day *list = NULL, *grown;
    size_t count = 0, cap = 0, slen = strlen(suffix);
    char *dirpath = join_path(data_dir, sub, "", "");
    struct dirent *de;
    DIR *dir;
    int ret = 0;

    if (dirpath == NULL) {
        return CND_ENOMEM;
    }
    dir = opendir(dirpath);
    cnd_free(dirpath);
    if (dir == NULL) {
        if (errno == ENOENT) {
            *days = NULL;
            *n = 0;
            return 0;
        }
        return CND_EIO;
    }
    for (;;) {
        struct cnd_day day;

        errno = 0;
        de = readdir(dir);
        if (de == NULL) {
            if (errno != 0) {
                ret = CND_EIO;
            }
            break;
        }
        if (strlen(de->d_name) != 10 + slen || strcmp(de->d_name + 10, suffix) != 0) {
            continue;
        }
        memcpy(day.s, de->d_name, 10);
        day.s[10] = '\0';
        if (cnd_day_check(day.s) < 0 || (from && strcmp(day.s, from) < 0) ||
            (to && strcmp(day.s, to) > 0)) {
            continue;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            grown = cnd_realloc(list, cap * sizeof(*list));
            if (grown == NULL) {
                ret = CND_ENOMEM;
                break;
            }
            list = grown;
        }
        list[count++] = day;
    }
    closedir(dir);
    if (ret < 0) {
        cnd_free(list);
        return ret;
    }
    if (count > 1) {
        qsort(list, count, sizeof(*list), cmp_day);
    }
    *days = list;
    *n = count;
    return 0;
}

/* ---- Arena ---- */

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
};

struct cnd_arena {
    struct arena_chunk *head;
    size_t next_cap;
};

static struct cnd_arena *arena_new(size_t first)
{
    struct cnd_arena *a = cnd_calloc(1, sizeof(*a));

    if (a != NULL) {
        a->next_cap = first;
    }
    return a;
}

static void arena_free(struct cnd_arena *a)
{
    struct arena_chunk *c, *next;

    if (a == NULL) {
        return;
    }
    for (c = a->head; c; c = next) {
        next = c->next;
        cnd_free(c);
    }
    cnd_free(a);
}

static void *arena_alloc(struct cnd_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    struct arena_chunk *c = a->head;
    size_t need = (size + align - 1) / align * align;
    void *p;

    if (need < size) {
        return NULL;
    }
    if (c == NULL || c->cap - c->used < need) {
        size_t cap = a->next_cap > need ? a->next_cap : need;

        if (cap > SIZE_MAX - sizeof(*c)) {
            return NULL;
        }
        c = cnd_malloc(sizeof(*c) + cap);
        if (c == NULL) {
            return NULL;
        }
        c->cap = cap;
        c->used = 0;
        c->next = a->head;
        a->head = c;
        if (a->next_cap < (1u << 20)) {
            a->next_cap *= 2;
        }
    }
    p = c->data + c->used;
    c->used += need;
    return p;
}

static char *arena_strndup(struct cnd_arena *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX) {
        return NULL;
    }
    p = arena_alloc(a, len + 1);
    if (p != NULL) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* ---- JSON line events ---- */

enum jv_type { JV_STR, JV_NUM, JV_BOOL, JV_NULL };
enum ev_kind { EV_VALUE, EV_ELEM_START, EV_ELEM_END };

/*
 * An event: a scalar at level 1 (a top-level field "key1"), level 2 (item
 * "index" of the array "key1") or level 3 (field "key3" of the object at
 * item "index" of the array "key1"); or the start/end of such an object.
 */
struct jev {
    enum ev_kind kind;
    int level;
    const char *key1;
    size_t index;
    const char *key3;
    enum jv_type type;
    const char *s;      /* JV_STR: the string; JV_NUM: the number's text */
    size_t len;
    int b;
};

typedef int (*jev_fn)(void *obj, const struct jev *ev, char *msg, size_t msglen);

struct jline {
    int depth;
    char kinds[MAX_DEPTH + 1];     /* 'm' or 'a' per open container */
    char key1[KEY_MAX + 1];
    char key3[KEY_MAX + 1];
    size_t index;
    jev_fn fn;
    void *obj;
    int code;
    int done;
    char msg[200];
};

static void key_copy(char *dst, const unsigned char *s, size_t len)
{
    /* Keys longer than we know are never a field we read: mark them so. */
    if (len > KEY_MAX - 1) {
        memcpy(dst, "\x01long", 6);
        return;
    }
    memcpy(dst, s, len);
    dst[len] = '\0';
}

static int emit(struct jline *jl, struct jev *ev)
{
    int ret;

    if (jl->depth == 1 && jl->kinds[1] == 'm') {
        ev->level = 1;
    } else if (jl->depth == 2 && jl->kinds[1] == 'm' && jl->kinds[2] == 'a') {
        ev->level = 2;
    } else if (jl->depth == 3 && jl->kinds[2] == 'a' && jl->kinds[3] == 'm' &&
               ev->kind == EV_VALUE) {
        ev->level = 3;
    } else {
        return 1;   /* deeper than any field we read: skipped */
    }
    ev->key1 = jl->key1;
    ev->key3 = jl->key3;
    ev->index = jl->index;
    ret = jl->fn(jl->obj, ev, jl->msg, sizeof(jl->msg));
    if (ret < 0) {
        jl->code = ret;
        return 0;
    }
    return 1;
}

static int scalar(struct jline *jl, enum jv_type type, const char *s, size_t len, int b)
{
    struct jev ev;
    int ok;

    if (jl->depth == 0) {
        jl->code = CND_EPARSE;
        snprintf(jl->msg, sizeof(jl->msg), "not a JSON object");
        return 0;
    }
    memset(&ev, 0, sizeof(ev));
    ev.kind = EV_VALUE;
    ev.type = type;
    ev.s = s;
    ev.len = len;
    ev.b = b;
    ok = emit(jl, &ev);
    if (jl->depth == 2 && jl->kinds[2] == 'a') {
        jl->index++;
    }
    return ok;
}

static int on_null(void *ctx)
{
    return scalar(ctx, JV_NULL, NULL, 0, 0);
}

static int on_bool(void *ctx, int b)
{
    return scalar(ctx, JV_BOOL, NULL, 0, b);
}

static int on_number(void *ctx, const char *s, size_t len)
{
    return scalar(ctx, JV_NUM, s, len, 0);
}

static int on_string(void *ctx, const unsigned char *s, size_t len)
{
    return scalar(ctx, JV_STR, (const char *)s, len, 0);
}

static int open_container(struct jline *jl, char kind)
{
    if (jl->done || (jl->depth == 0 && kind != 'm')) {
        jl->code = CND_EPARSE;
        snprintf(jl->msg, sizeof(jl->msg), "not a JSON object");
        return 0;
    }
    if (jl->depth >= MAX_DEPTH) {
        jl->code = CND_ELIMIT;
        snprintf(jl->msg, sizeof(jl->msg), "nested deeper than %d levels", MAX_DEPTH);
        return 0;
    }
    if (jl->depth == 2 && jl->kinds[2] == 'a' && kind == 'm') {
        struct jev ev;

        memset(&ev, 0, sizeof(ev));
        ev.kind = EV_ELEM_START;
        jl->key3[0] = '\0';
        if (!emit(jl, &ev)) {
            return 0;
        }
    }
    if (jl->depth == 1 && kind == 'a') {
        jl->index = 0;
    }
    jl->depth++;
    jl->kinds[jl->depth] = kind;
    return 1;
}

static int on_start_map(void *ctx)
{
    return open_container(ctx, 'm');
}

static int on_start_array(void *ctx)
{
    return open_container(ctx, 'a');
}

static int on_end(void *ctx)
{
    struct jline *jl = ctx;
    char kind = jl->kinds[jl->depth];

    jl->depth--;
    if (jl->depth == 0) {
        jl->done = 1;
        return 1;
    }
    if (jl->depth == 2 && jl->kinds[2] == 'a') {
        if (kind == 'm') {
            struct jev ev;

            memset(&ev, 0, sizeof(ev));
            ev.kind = EV_ELEM_END;
            if (!emit(jl, &ev)) {
                return 0;
            }
        }
        jl->index++;
    }
    return 1;
}

static int on_key(void *ctx, const unsigned char *s, size_t len)
{
    struct jline *jl = ctx;

    if (jl->depth == 1) {
        key_copy(jl->key1, s, len);
    } else if (jl->depth == 3) {
        key_copy(jl->key3, s, len);
    }
    return 1;
}

static const yajl_callbacks jline_callbacks = {
    on_null, on_bool, NULL, NULL, on_number, on_string,
    on_start_map, on_key, on_end, on_start_array, on_end,
};

/*
 * Parses one line, sending its events to "fn". Returns 0, or a negative
 * code with a description (and the byte position when yajl found the
 * problem) in "msg".
 */
static int jline_parse(const char *line, size_t len, jev_fn fn, void *obj, char *msg,
                       size_t msglen)
{
    struct jline jl;
    yajl_handle h;
    yajl_status st;

    memset(&jl, 0, sizeof(jl));
    jl.fn = fn;
    jl.obj = obj;
    /*
     * yajl's own memory uses its default allocator on purpose (as in
     * common/config.c): yajl 2.1.0 does not check its allocations.
     */
    h = yajl_alloc(&jline_callbacks, NULL, &jl);
    if (h == NULL) {
        snprintf(msg, msglen, "out of memory");
        return CND_ENOMEM;
    }
    st = yajl_parse(h, (const unsigned char *)line, len);
    if (st == yajl_status_ok) {
        st = yajl_complete_parse(h);
    }
    if (st == yajl_status_ok && !jl.done) {
        jl.code = CND_EPARSE;
        snprintf(jl.msg, sizeof(jl.msg), "empty line");
    }
    if (st == yajl_status_error) {
        unsigned char *ymsg = yajl_get_error(h, 0, (const unsigned char *)line, len);
        size_t at = yajl_get_bytes_consumed(h);
        char *nl;

        if (ymsg != NULL) {
            nl = strchr((char *)ymsg, '\n');
            if (nl) {
                *nl = '\0';
            }
        }
        snprintf(msg, msglen, "invalid JSON at byte %zu: %s", at,
                 ymsg ? (const char *)ymsg : "parse error");
        if (ymsg != NULL) {
            yajl_free_error(h, ymsg);
        }
        yajl_free(h);
        return CND_EPARSE;
    }
    yajl_free(h);
    if (jl.code < 0) {
        snprintf(msg, msglen, "%s", jl.code == CND_ENOMEM ? "out of memory" : jl.msg);
        return jl.code;
    }
    return 0;
}

/* Reads a non-negative integer (digits only, fits 64 bits). */
static int ev_count(const struct jev *ev, uint64_t *out, char *msg, size_t msglen,
                    const char *what)
{
    uint64_t v = 0;
    size_t i;

    if (ev->type != JV_NUM || ev->len == 0 || ev->len > 19) {
        goto bad;
    }
    for (i = 0; i < ev->len; i++) {
        if (ev->s[i] < '0' || ev->s[i] > '9') {
            goto bad;
        }
        v = v * 10 + (uint64_t)(ev->s[i] - '0');
    }
    *out = v;
    return 0;
bad:
    snprintf(msg, msglen, "\"%s\" is not a count", what);
    return CND_EPARSE;
}

static int ev_double(const struct jev *ev, double *out, char *msg, size_t msglen,
                     const char *what)
{
    char tmp[64];
    char *end;

    if (ev->type != JV_NUM || ev->len == 0 || ev->len >= sizeof(tmp)) {
        snprintf(msg, msglen, "\"%s\" is not a number", what);
        return CND_EPARSE;
    }
    memcpy(tmp, ev->s, ev->len);
    tmp[ev->len] = '\0';
    *out = strtod(tmp, &end);
    return 0;
}

static int ev_string(struct cnd_arena *a, const struct jev *ev, const char **out, char *msg,
                     size_t msglen, const char *what)
{
    if (ev->type != JV_STR) {
        snprintf(msg, msglen, "\"%s\" is not a string", what);
        return CND_EPARSE;
    }
    *out = arena_strndup(a, ev->s, ev->len);
    return *out ? 0 : CND_ENOMEM;
}

/* ---- Growable scratch vectors ---- */

struct vec {
    void *items;
    size_t n, cap, size;
};

static void *vec_push(struct vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void *grown;

        if (v->n >= MAX_ITEMS) {
            return NULL;
        }
        grown = cnd_realloc(v->items, cap * v->size);
        if (grown == NULL) {
            return NULL;
        }
        v->items = grown;
        v->cap = cap;
    }
    memset((char *)v->items + v->n * v->size, 0, v->size);
    return (char *)v->items + v->n++ * v->size;
}

static void *vec_last(struct vec *v)
{
    return v->n ? (char *)v->items + (v->n - 1) * v->size : NULL;
}

/* Copies the vector's items into the arena (NULL when empty). */
static int vec_to_arena(struct cnd_arena *a, const struct vec *v, const void **out)
{
    void *p;

    if (v->n == 0) {
        *out = NULL;
        return 0;
    }
    p = arena_alloc(a, v->n * v->size);
    if (p == NULL) {
        return CND_ENOMEM;
    }
    memcpy(p, v->items, v->n * v->size);
    *out = p;
    return 0;
}

/* ---- Daily aggregates ---- */

struct hdr_state {
    struct cnd_daily *d;
    struct vec sources;      /* struct cnd_daily_source */
    int has_day;
    char day[11];
    uint64_t rows;
    int has_rows;
};

static int on_header(void *obj, const struct jev *ev, char *msg, size_t msglen)
{
    struct hdr_state *hs = obj;
    struct cnd_daily *d = hs->d;
    struct cnd_arena *a = d->arena;
    const char *k = ev->key1;
    int ret = 0;

    if (strcmp(k, "sources") == 0) {
        struct cnd_daily_source *src;

        if (ev->level == 2 && ev->kind == EV_ELEM_START) {
            if (vec_push(&hs->sources) == NULL) {
                return CND_ENOMEM;
            }
        } else if (ev->level == 3 && (src = vec_last(&hs->sources)) != NULL) {
            if (strcmp(ev->key3, "source") == 0) {
                ret = ev_string(a, ev, &src->source, msg, msglen, "sources.source");
            } else if (strcmp(ev->key3, "posts") == 0) {
                ret = ev_count(ev, &src->posts, msg, msglen, "sources.posts");
            }
        }
        return ret;
    }
    if (ev->level != 1) {
        return 0;
    }
    if (strcmp(k, "schema") == 0) {
        uint64_t v;

        ret = ev_count(ev, &v, msg, msglen, "schema");
        d->schema = ret == 0 && v < 1000000 ? (int64_t)v : -1;
    } else if (strcmp(k, "day") == 0) {
        if (ev->type != JV_STR || ev->len != 10) {
            snprintf(msg, msglen, "\"day\" is not a day");
            return CND_EPARSE;
        }
        memcpy(hs->day, ev->s, 10);
        hs->day[10] = '\0';
        hs->has_day = 1;
    } else if (strcmp(k, "lexicon_version") == 0) {
        ret = ev_string(a, ev, &d->lexicon_version, msg, msglen, k);
    } else if (strcmp(k, "candor_version") == 0) {
        ret = ev_string(a, ev, &d->candor_version, msg, msglen, k);
    } else if (strcmp(k, "timezone") == 0) {
        ret = ev_string(a, ev, &d->timezone, msg, msglen, k);
    } else if (strcmp(k, "rows") == 0) {
        ret = ev_count(ev, &hs->rows, msg, msglen, k);
        hs->has_rows = ret == 0;
    }
    return ret;
}

struct row_state {
    struct cnd_arena *arena;
    struct cnd_daily_row row;
    struct vec rules;        /* struct cnd_daily_rule */
    struct vec samples;      /* const char * */
    int has_posts, has_complaints;
};

static int on_row(void *obj, const struct jev *ev, char *msg, size_t msglen)
{
    struct row_state *rs = obj;
    struct cnd_daily_row *r = &rs->row;
    struct cnd_arena *a = rs->arena;
    const char *k = ev->key1;

    if (strcmp(k, "top_rules") == 0) {
        struct cnd_daily_rule *rule;

        if (ev->level == 2 && ev->kind == EV_ELEM_START) {
            return vec_push(&rs->rules) ? 0 : CND_ENOMEM;
        }
        if (ev->level == 3 && (rule = vec_last(&rs->rules)) != NULL) {
            if (strcmp(ev->key3, "rule") == 0) {
                return ev_string(a, ev, &rule->rule, msg, msglen, "top_rules.rule");
            }
            if (strcmp(ev->key3, "count") == 0) {
                return ev_count(ev, &rule->count, msg, msglen, "top_rules.count");
            }
        }
        return 0;
    }
    if (strcmp(k, "samples") == 0) {
        const char **slot;

        if (ev->level != 2 || ev->kind != EV_VALUE) {
            return 0;
        }
        if (ev->type != JV_STR && ev->type != JV_NUM) {
            snprintf(msg, msglen, "\"samples\" holds a value that is not an id");
            return CND_EPARSE;
        }
        slot = vec_push(&rs->samples);
        if (slot == NULL) {
            return CND_ENOMEM;
        }
        *slot = arena_strndup(a, ev->s, ev->len);
        return *slot ? 0 : CND_ENOMEM;
    }
    if (ev->level != 1) {
        return 0;
    }
    if (strcmp(k, "source") == 0) {
        return ev_string(a, ev, &r->source, msg, msglen, k);
    }
    if (strcmp(k, "brand") == 0) {
        return ev_string(a, ev, &r->brand, msg, msglen, k);
    }
    if (strcmp(k, "category") == 0) {
        return ev_string(a, ev, &r->category, msg, msglen, k);
    }
    if (strcmp(k, "posts") == 0) {
        rs->has_posts = 1;
        return ev_count(ev, &r->posts, msg, msglen, k);
    }
    if (strcmp(k, "complaints") == 0) {
        rs->has_complaints = 1;
        return ev_count(ev, &r->complaints, msg, msglen, k);
    }
    if (strcmp(k, "authors") == 0) {
        return ev_count(ev, &r->authors, msg, msglen, k);
    }
    if (strcmp(k, "score_sum") == 0) {
        return ev_double(ev, &r->score_sum, msg, msglen, k);
    }
    return 0;
}

/* Checks a parsed row and appends it to the day. */
static int finish_row(struct cnd_daily *d, size_t *cap, struct row_state *rs, char *msg,
                      size_t msglen)
{
    struct cnd_daily_row *r = &rs->row;
    const void *p;
    size_t i;

    if (r->source == NULL || r->brand == NULL || r->category == NULL || !rs->has_posts ||
        !rs->has_complaints) {
        snprintf(msg, msglen, "row without \"%s\"",
                 r->source == NULL ? "source" : r->brand == NULL ? "brand"
                 : r->category == NULL ? "category" : !rs->has_posts ? "posts" : "complaints");
        return CND_EPARSE;
    }
    if (r->complaints > r->posts) {
        snprintf(msg, msglen, "row counts %llu complaints among %llu posts",
                 (unsigned long long)r->complaints, (unsigned long long)r->posts);
        return CND_EPARSE;
    }
    for (i = 0; i < rs->rules.n; i++) {
        if (((struct cnd_daily_rule *)rs->rules.items)[i].rule == NULL) {
            snprintf(msg, msglen, "\"top_rules\" item %zu has no \"rule\"", i);
            return CND_EPARSE;
        }
    }
    if (d->n_rows == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        struct cnd_daily_row *grown = cnd_realloc(d->rows, ncap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        d->rows = grown;
        *cap = ncap;
    }
    if (vec_to_arena(d->arena, &rs->rules, &p) < 0) {
        return CND_ENOMEM;
    }
    r->rules = p;
    r->n_rules = rs->rules.n;
    if (vec_to_arena(d->arena, &rs->samples, &p) < 0) {
        return CND_ENOMEM;
    }
    r->samples = p;
    r->n_samples = rs->samples.n;
    d->rows[d->n_rows++] = *r;
    return 0;
}

static void lines_problem(struct cnd_issues *iss, const char *path, uint64_t lineno, int st)
{
    switch (st) {
    case CND_ETRUNC:
        cnd_issues_add(iss, path, lineno + 1, "gzip stream cut short (lines before kept)");
        break;
    case CND_EPARSE:
        cnd_issues_add(iss, path, lineno + 1, "corrupt gzip data (lines before kept)");
        break;
    case CND_ETOOBIG:
        cnd_issues_add(iss, path, lineno + 1, "decoded size over the cap (lines before kept)");
        break;
    default:
        cnd_issues_add(iss, path, lineno + 1, "read error: %s", cnd_strerror(st));
        break;
    }
}

void cnd_daily_free(struct cnd_daily *d)
{
    if (d == NULL) {
        return;
    }
    cnd_free(d->rows);
    cnd_free((void *)d->sources);
    arena_free(d->arena);
    cnd_free(d);
}

struct cnd_daily *cnd_daily_load(const char *data_dir, const char *day, struct cnd_issues *iss,
                                 int *err)
{
    struct cnd_lines_opts opts = { DAILY_MAX_LINE, DAILY_MAX_DECODED, 0 };
    struct cnd_daily *d = NULL;
    struct cnd_lines *lr = NULL;
    struct hdr_state hs;
    struct row_state rs;
    char *path = NULL;
    char msg[256];
    size_t row_cap = 0;
    uint64_t lineno = 0, last = 0;
    int ret = 0, header = 0, damaged = 0;

    memset(&hs, 0, sizeof(hs));
    memset(&rs, 0, sizeof(rs));
    hs.sources.size = sizeof(struct cnd_daily_source);
    rs.rules.size = sizeof(struct cnd_daily_rule);
    rs.samples.size = sizeof(const char *);
    if (cnd_day_check(day) < 0) {
        ret = CND_EINVAL;
        goto out;
    }
    path = join_path(data_dir, "daily", day, ".json.gz");
    d = cnd_calloc(1, sizeof(*d));
    if (path == NULL || d == NULL || (d->arena = arena_new(8192)) == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    memcpy(d->day, day, 11);
    d->lexicon_version = d->candor_version = d->timezone = "";
    hs.d = d;
    rs.arena = d->arena;
    lr = cnd_lines_open(path, &opts, &ret);
    if (lr == NULL) {
        if (ret != CND_ENOENT && ret != CND_ENOMEM) {
            cnd_issues_add(iss, path, 0, "cannot open: %s", cnd_strerror(ret));
        }
        goto out;
    }
    for (;;) {
        const char *line;
        size_t len;
        int st = cnd_lines_next(lr, &line, &len, &lineno);

        if (st == CND_LINES_EOF) {
            break;
        }
        if (st == CND_ENOMEM) {
            ret = st;
            goto out;
        }
        if (st < 0) {
            lines_problem(iss, path, last, st);
            damaged = 1;
            break;
        }
        last = lineno;
        if (st == CND_LINES_LONG) {
            cnd_issues_add(iss, path, lineno, "line longer than %u bytes skipped",
                           (unsigned)DAILY_MAX_LINE);
            damaged = 1;
            if (!header) {
                ret = CND_EPARSE;
                goto out;
            }
            continue;
        }
        if (st == CND_LINES_PARTIAL) {
            cnd_issues_add(iss, path, lineno, "last line has no newline (file cut short?)");
            damaged = 1;
        }
        if (!header) {
            d->schema = -1;
            ret = jline_parse(line, len, on_header, &hs, msg, sizeof(msg));
            if (ret == 0 && (!hs.has_day || d->schema < 0)) {
                snprintf(msg, sizeof(msg), "header without \"%s\"", hs.has_day ? "schema" : "day");
                ret = CND_EPARSE;
            }
            if (ret == 0 && strcmp(hs.day, day) != 0) {
                snprintf(msg, sizeof(msg), "header names day \"%s\", not %s", hs.day, day);
                ret = CND_EPARSE;
            }
            if (ret == 0 && d->schema != 1) {
                snprintf(msg, sizeof(msg), "unsupported schema %lld (this candor reads 1)",
                         (long long)d->schema);
                ret = CND_EPARSE;
            }
            if (ret == 0 && hs.sources.n) {
                /* the sources array is the one block owned apart from the arena */
                d->sources = hs.sources.items;
                d->n_sources = hs.sources.n;
                hs.sources.items = NULL;
            }
            if (ret < 0) {
                if (ret != CND_ENOMEM) {
                    cnd_issues_add(iss, path, lineno, "bad header: %s", msg);
                    ret = CND_EPARSE;
                }
                goto out;
            }
            header = 1;
            continue;
        }
        memset(&rs.row, 0, sizeof(rs.row));
        rs.rules.n = rs.samples.n = 0;
        rs.has_posts = rs.has_complaints = 0;
        ret = jline_parse(line, len, on_row, &rs, msg, sizeof(msg));
        if (ret == 0) {
            ret = finish_row(d, &row_cap, &rs, msg, sizeof(msg));
        }
        if (ret == CND_ENOMEM) {
            goto out;
        }
        if (ret < 0) {
            cnd_issues_add(iss, path, lineno, "bad row skipped: %s", msg);
            damaged = 1;
        }
        ret = 0;
    }
    if (!header) {
        if (!damaged) {
            cnd_issues_add(iss, path, 0, "empty file (no header)");
        }
        ret = CND_EPARSE;
        goto out;
    }
    if (!damaged && hs.has_rows && hs.rows != d->n_rows) {
        cnd_issues_add(iss, path, 0, "header says %llu rows, the file has %zu",
                       (unsigned long long)hs.rows, d->n_rows);
    }
    ret = 0;
out:
    cnd_lines_close(lr);
    cnd_free(path);
    cnd_free(hs.sources.items);
    cnd_free(rs.rules.items);
    cnd_free(rs.samples.items);
    if (ret < 0) {
        cnd_daily_free(d);
        *err = ret;
        return NULL;
    }
    return d;
}

/* ---- Complaint files ---- */

struct cnd_complaints {
    struct cnd_lines *lr;
    char *path;
    uint64_t last;           /* number of the last line read */
    int ended;
    struct vec categories;   /* const char * */
    struct vec brands;       /* const char * */
    struct vec evidence;     /* struct span_raw */
};

struct span_raw {
    struct cnd_complaint_span span;
    int has_start, has_end;
};

struct cpl_state {
    struct cnd_complaints *cr;
    struct cnd_complaint *c;
};

static int push_str(struct cnd_arena *a, struct vec *v, const struct jev *ev, char *msg,
                    size_t msglen, const char *what)
{
    const char **slot;

    if (ev->type != JV_STR) {
        snprintf(msg, msglen, "\"%s\" holds a value that is not a string", what);
        return CND_EPARSE;
    }
    slot = vec_push(v);
    if (slot == NULL) {
        return CND_ENOMEM;
    }
    *slot = arena_strndup(a, ev->s, ev->len);
    return *slot ? 0 : CND_ENOMEM;
}

static int on_complaint(void *obj, const struct jev *ev, char *msg, size_t msglen)
{
    struct cpl_state *cs = obj;
    struct cnd_complaints *cr = cs->cr;
    struct cnd_complaint *c = cs->c;
    struct cnd_arena *a = c->arena;
    const char *k = ev->key1;

    if (strcmp(k, "evidence") == 0) {
        struct span_raw *sp;
        uint64_t v;

        if (ev->level == 2 && ev->kind == EV_ELEM_START) {
            return vec_push(&cr->evidence) ? 0 : CND_ENOMEM;
        }
        if (ev->level != 3 || (sp = vec_last(&cr->evidence)) == NULL) {
            return 0;
        }
        if (strcmp(ev->key3, "rule") == 0) {
            return ev_string(a, ev, &sp->span.rule, msg, msglen, "evidence.rule");
        }
        if (strcmp(ev->key3, "category") == 0) {
            return ev_string(a, ev, &sp->span.category, msg, msglen, "evidence.category");
        }
        if (strcmp(ev->key3, "start") == 0 || strcmp(ev->key3, "end") == 0) {
            int is_start = ev->key3[0] == 's';
            int ret = ev_count(ev, &v, msg, msglen, is_start ? "evidence.start" : "evidence.end");

            if (ret < 0) {
                return ret;
            }
            if (v > SIZE_MAX / 2) {
                v = SIZE_MAX / 2;
            }
            if (is_start) {
                sp->span.start = (size_t)v;
                sp->has_start = 1;
            } else {
                sp->span.end = (size_t)v;
                sp->has_end = 1;
            }
        }
        return 0;
    }
    if (strcmp(k, "categories") == 0) {
        return ev->level == 2 && ev->kind == EV_VALUE
                   ? push_str(a, &cr->categories, ev, msg, msglen, k) : 0;
    }
    if (strcmp(k, "brands") == 0) {
        return ev->level == 2 && ev->kind == EV_VALUE
                   ? push_str(a, &cr->brands, ev, msg, msglen, k) : 0;
    }
    if (ev->level != 1) {
        return 0;
    }
    if (strcmp(k, "id") == 0) {
        if (ev->type != JV_STR && ev->type != JV_NUM) {
            snprintf(msg, msglen, "\"id\" is neither a string nor a number");
            return CND_EPARSE;
        }
        c->id = arena_strndup(a, ev->s, ev->len);
        return c->id ? 0 : CND_ENOMEM;
    }
    if (strcmp(k, "text") == 0) {
        c->text_len = ev->len;
        return ev_string(a, ev, &c->text, msg, msglen, k);
    }
    if (strcmp(k, "source") == 0) {
        return ev_string(a, ev, &c->source, msg, msglen, k);
    }
    if (strcmp(k, "created_at") == 0) {
        return ev_string(a, ev, &c->created_at, msg, msglen, k);
    }
    if (strcmp(k, "author") == 0) {
        return ev->type == JV_NULL ? 0 : ev_string(a, ev, &c->author, msg, msglen, k);
    }
    if (strcmp(k, "url") == 0) {
        return ev->type == JV_NULL ? 0 : ev_string(a, ev, &c->url, msg, msglen, k);
    }
    if (strcmp(k, "score") == 0) {
        return ev_double(ev, &c->score, msg, msglen, k);
    }
    return 0;
}

struct cnd_complaints *cnd_complaints_open(const char *data_dir, const char *day, int *err)
{
    struct cnd_complaints *cr;

    if (cnd_day_check(day) < 0) {
        *err = CND_EINVAL;
        return NULL;
    }
    cr = cnd_calloc(1, sizeof(*cr));
    if (cr == NULL || (cr->path = join_path(data_dir, "complaints", day, ".ndjson.gz")) == NULL) {
        cnd_free(cr);
        *err = CND_ENOMEM;
        return NULL;
    }
    cr->categories.size = sizeof(const char *);
    cr->brands.size = sizeof(const char *);
    cr->evidence.size = sizeof(struct span_raw);
    cr->lr = cnd_lines_open(cr->path, NULL, err);
    if (cr->lr == NULL) {
        cnd_free(cr->path);
        cnd_free(cr);
        return NULL;
    }
    return cr;
}

void cnd_complaints_close(struct cnd_complaints *cr)
{
    if (cr == NULL) {
        return;
    }
    cnd_lines_close(cr->lr);
    cnd_free(cr->categories.items);
    cnd_free(cr->brands.items);
    cnd_free(cr->evidence.items);
    cnd_free(cr->path);
    cnd_free(cr);
}

void cnd_complaint_free(struct cnd_complaint *c)
{
    if (c == NULL) {
        return;
    }
    arena_free(c->arena);
    cnd_free(c);
}

/* Keeps the spans that lie inside the text; the rest are dropped. */
static int finish_complaint(struct cnd_complaints *cr, struct cnd_complaint *c, char *msg,
                            size_t msglen)
{
    struct cnd_complaint_span *spans = NULL;
    const void *p;
    size_t i, n = 0;
    int64_t t;

    if (c->id == NULL || c->text == NULL) {
        snprintf(msg, msglen, "complaint without \"%s\"", c->id == NULL ? "id" : "text");
        return CND_EPARSE;
    }
    if (cr->evidence.n) {
        spans = arena_alloc(c->arena, cr->evidence.n * sizeof(*spans));
        if (spans == NULL) {
            return CND_ENOMEM;
        }
        for (i = 0; i < cr->evidence.n; i++) {
            const struct span_raw *sp = (const struct span_raw *)cr->evidence.items + i;

            if (sp->has_start && sp->has_end && sp->span.start < sp->span.end &&
                sp->span.end <= c->text_len) {
                spans[n++] = sp->span;
            }
        }
    }
    c->evidence = spans;
    c->n_evidence = n;
    if (vec_to_arena(c->arena, &cr->categories, &p) < 0) {
        return CND_ENOMEM;
    }
    c->categories = p;
    c->n_categories = cr->categories.n;
    if (vec_to_arena(c->arena, &cr->brands, &p) < 0) {
        return CND_ENOMEM;
    }
    c->brands = p;
    c->n_brands = cr->brands.n;
    c->created = INT64_MIN;
    if (c->created_at && cnd_time_parse(c->created_at, strlen(c->created_at), &t) == 0) {
        c->created = t;
    }
    if (c->source == NULL) {
        c->source = "";
    }
    return 0;
}

int cnd_complaints_next(struct cnd_complaints *cr, struct cnd_issues *iss,
                        struct cnd_complaint **out)
{
    char msg[256];

    while (!cr->ended) {
        struct cnd_complaint *c;
        struct cpl_state cs;
        const char *line;
        size_t len;
        uint64_t lineno = 0;
        int st = cnd_lines_next(cr->lr, &line, &len, &lineno);
        int ret;

        if (st == CND_LINES_EOF) {
            cr->ended = 1;
            break;
        }
        if (st == CND_ENOMEM) {
            return st;
        }
        if (st < 0) {
            lines_problem(iss, cr->path, cr->last, st);
            cr->ended = 1;
            break;
        }
        cr->last = lineno;
        if (st == CND_LINES_LONG) {
            cnd_issues_add(iss, cr->path, lineno, "line too long, skipped");
            continue;
        }
        if (st == CND_LINES_PARTIAL) {
            cnd_issues_add(iss, cr->path, lineno, "last line has no newline (file cut short?)");
        }
        c = cnd_calloc(1, sizeof(*c));
        if (c == NULL || (c->arena = arena_new(len + 512)) == NULL) {
            cnd_free(c);
            return CND_ENOMEM;
        }
        cr->categories.n = cr->brands.n = cr->evidence.n = 0;
        cs.cr = cr;
        cs.c = c;
        ret = jline_parse(line, len, on_complaint, &cs, msg, sizeof(msg));
        if (ret == 0) {
            ret = finish_complaint(cr, c, msg, sizeof(msg));
        }
        if (ret == 0) {
            *out = c;
            return 1;
        }
        cnd_complaint_free(c);
        if (ret == CND_ENOMEM) {
            return ret;
        }
        cnd_issues_add(iss, cr->path, lineno, "bad complaint skipped: %s", msg);
    }
    return 0;
}

/* ---- Run log ---- */

struct run_line {
    struct cnd_arena *arena;
    const char *source;
    const char *error;
    int has_ok, ok;
    uint64_t pages, posts;
};

static int on_run(void *obj, const struct jev *ev, char *msg, size_t msglen)
{
    struct run_line *rl = obj;
    const char *k = ev->key1;

    if (ev->level != 1) {
        return 0;
    }
    if (strcmp(k, "source") == 0) {
        return ev_string(rl->arena, ev, &rl->source, msg, msglen, k);
    }
    if (strcmp(k, "error") == 0) {
        return ev->type == JV_NULL ? 0 : ev_string(rl->arena, ev, &rl->error, msg, msglen, k);
    }
    if (strcmp(k, "ok") == 0) {
        if (ev->type != JV_BOOL) {
            snprintf(msg, msglen, "\"ok\" is not true or false");
            return CND_EPARSE;
        }
        rl->has_ok = 1;
        rl->ok = ev->b;
        return 0;
    }
    if (strcmp(k, "pages") == 0) {
        return ev_count(ev, &rl->pages, msg, msglen, k);
    }
    if (strcmp(k, "posts") == 0) {
        return ev_count(ev, &rl->posts, msg, msglen, k);
    }
    return 0;
}

void cnd_runs_day_release(struct cnd_runs_day *r)
{
    size_t i;

    if (r == NULL) {
        return;
    }
    for (i = 0; i < r->n_sources; i++) {
        cnd_free(r->sources[i].source);
        cnd_free(r->sources[i].last_error);
    }
    cnd_free(r->sources);
    memset(r, 0, sizeof(*r));
}

/* The entry of source "name", added in sorted place when new. */
static struct cnd_run_source *run_source(struct cnd_runs_day *r, size_t *cap, const char *name)
{
    size_t lo = 0, hi = r->n_sources;
    struct cnd_run_source *s;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(r->sources[mid].source, name);

        if (c == 0) {
            return &r->sources[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (r->n_sources == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        struct cnd_run_source *grown = cnd_realloc(r->sources, ncap * sizeof(*grown));

        if (grown == NULL) {
            return NULL;
        }
        r->sources = grown;
        *cap = ncap;
    }
    s = &r->sources[lo];
    memmove(s + 1, s, (r->n_sources - lo) * sizeof(*s));
    memset(s, 0, sizeof(*s));
    s->source = cnd_strdup(name);
    if (s->source == NULL) {
        memmove(s, s + 1, (r->n_sources - lo) * sizeof(*s));
        return NULL;
    }
    r->n_sources++;
    return s;
}

int cnd_runs_load(const char *data_dir, const char *day, struct cnd_issues *iss,
                  struct cnd_runs_day *out)
{
    struct cnd_runs_day r;
    struct cnd_lines *lr;
    struct cnd_arena *arena = NULL;
    char *path;
    char msg[256];
    size_t cap = 0;
    uint64_t lineno = 0;
    int ret = 0;

    memset(&r, 0, sizeof(r));
    if (cnd_day_check(day) < 0) {
        return CND_EINVAL;
    }
    path = join_path(data_dir, "runs", day, ".ndjson");
    if (path == NULL) {
        return CND_ENOMEM;
    }
    lr = cnd_lines_open(path, NULL, &ret);
    if (lr == NULL) {
        if (ret == CND_ENOENT) {
            ret = 0;
        } else if (ret != CND_ENOMEM) {
            cnd_issues_add(iss, path, 0, "cannot open: %s", cnd_strerror(ret));
            ret = CND_EIO;
        }
        cnd_free(path);
        *out = r;
        return ret;
    }
    for (;;) {
        struct run_line rl;
        struct cnd_run_source *s;
        const char *line;
        size_t len;
        int st = cnd_lines_next(lr, &line, &len, &lineno);

        if (st == CND_LINES_EOF) {
            break;
        }
        if (st == CND_ENOMEM) {
            ret = st;
            break;
        }
        if (st < 0) {
            lines_problem(iss, path, lineno, st);
            break;
        }
        if (st == CND_LINES_LONG) {
            cnd_issues_add(iss, path, lineno, "line too long, skipped");
            continue;
        }
        if (len == 0) {
            continue;
        }
        arena_free(arena);
        arena = arena_new(len + 256);
        if (arena == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        memset(&rl, 0, sizeof(rl));
        rl.arena = arena;
        ret = jline_parse(line, len, on_run, &rl, msg, sizeof(msg));
        if (ret == 0 && (rl.source == NULL || !rl.has_ok)) {
            snprintf(msg, sizeof(msg), "run line without \"%s\"",
                     rl.source == NULL ? "source" : "ok");
            ret = CND_EPARSE;
        }
        if (ret == CND_ENOMEM) {
            break;
        }
        if (ret < 0) {
            cnd_issues_add(iss, path, lineno, "bad run line skipped: %s", msg);
            ret = 0;
            continue;
        }
        s = run_source(&r, &cap, rl.source);
        if (s == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        r.lines++;
        s->runs++;
        s->pages += rl.pages;
        s->posts += rl.posts;
        if (!rl.ok) {
            char *e = cnd_strdup(rl.error ? rl.error : "failed");

            if (e == NULL) {
                ret = CND_ENOMEM;
                break;
            }
            r.failed++;
            s->failed++;
            cnd_free(s->last_error);
            s->last_error = e;
        }
    }
    arena_free(arena);
    cnd_lines_close(lr);
    cnd_free(path);
    if (ret < 0) {
        cnd_runs_day_release(&r);
        return ret;
    }
    r.known = r.lines > 0;
    *out = r;
    return 0;
}
