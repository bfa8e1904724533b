/* SPDX-License-Identifier: MIT */
/*
 * Daily aggregates. Each post counted (once: the caller drops duplicates)
 * lands on its day in rows keyed (source, brand, category): the row
 * (source, brand, "*") counts every post naming the brand (or no watchlist
 * brand, brand ""), and one row per category counts the complaints filed
 * under it. A row keeps post and complaint counts, a fixed-point score sum,
 * rule hit counts and the five newest sample ids; the hashes of its
 * complaints' authors (distinct ones are counted, and listed so that
 * shards can be merged) are kept with the day. Everything written is sorted
 * and printed with fixed precision, so the same posts give the same bytes
 * in whatever order they were added.
 *
 * Complaint lines are not kept in memory: they are appended to one
 * unlinked spill file. So are, in chunks of 64, the day's references to
 * them (created_at, post key, offset, length) and its (row, author hash)
 * facts: a day holds the last partial chunk of each and the offsets of the
 * others, and reads them back when it is written. Memory stays flat
 * however many complaints there are (a few KB a day). The lines are
 * written out in time order, posts of the same second by their 64-bit
 * key (hash of source and id), an order that a merge of shards can
 * rebuild exactly; they are read back through a few cached blocks of the
 * spill file (SPILL_BLOCKS).
 *
 * The same rows can be read out (cnd_agg_visit_day) and merged back in
 * (cnd_agg_merge_*): that is how shards' partial files are made and
 * merged, through this one writer, into the bytes an unsharded run gives.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hash.h"
#include "common/log.h"
#include "output/output.h"

#define AGG_SAMPLES 5
/*
 * Complaint lines are read back through a few cached blocks of the spill
 * file: a merge reads each shard's lines in order, so its reads of a day
 * go block by block instead of one system call a line. A read that goes
 * on from where the last one ended fills a whole block (SPILL_BLOCK); any
 * other fills only a page-aligned SPILL_SMALL around the line, since the
 * lines of a day spilled in no order of time are far apart and a whole
 * block would be read for one line of it.
 */
#define SPILL_BLOCKS 8
#define SPILL_BLOCK (64u << 10)
#define SPILL_SMALL (4u << 10)
#define AGG_TOP_RULES 10
/* Scores are summed as integers of 1e-6, exactly and in any order. */
#define SCORE_UNIT 1000000.0
/* Input numbers index a byte map per day; more inputs than this is a bug. */
#define AGG_MAX_INPUTS (1u << 24)
#define DAY_LEN 10

/* ---- Interned strings ---- */

/* Sources, brands, categories and rule ids: few, and compared by pointer. */
struct istr {
    size_t len;
    uint64_t hash;
    uint32_t id;
    char s[];   /* NUL-terminated */
};

struct intern {
    struct istr **slots;
    size_t mask;   /* slots - 1; 0 before the first string */
    size_t count;
};

struct rule_count {
    const struct istr *rule;
    uint64_t count;
};

struct sample {
    int64_t created;
    char *id;
    size_t len;
};

/*
 * A list of fixed-size items of one day kept in the spill file: each full
 * chunk of CHUNK_ITEMS goes out as it fills, the last partial one stays
 * in "tail" (allocated at the first item).
 */
#define CHUNK_ITEMS 64
struct chunked {
    unsigned char *tail;
    size_t n;                     /* items in all */
    uint64_t *chunks;             /* offsets of the full chunks in the spill file */
    size_t cap_chunks;
};

/* That an author wrote a complaint counted in row "row" of the day. */
struct afact {
    uint64_t author;
    uint64_t row;
};

struct row {
    const struct istr *source, *brand, *category;
    uint64_t posts;
    uint64_t complaints;
    int64_t score_micro;
    struct rule_count *rules;
    size_t n_rules, cap_rules;
    struct sample samples[AGG_SAMPLES];  /* newest first */
    size_t n_samples;
};

/* A complaint line: its sort key and where it is in the spill file. */
struct cref {
    int64_t created;
    uint64_t key;
    uint64_t off;
    uint32_t len;
};

struct src_count {
    const struct istr *source;
    uint64_t posts;
};

struct day {
    char name[DAY_LEN + 1];
    struct row *rows;
    size_t n_rows, cap_rows;
    uint32_t *index;              /* row number + 1; 0 = empty slot */
    size_t index_mask;
    struct src_count *sources;
    size_t n_sources, cap_sources;
    unsigned char *inputs;        /* inputs[i]: input i contributed */
    size_t cap_inputs;
    struct chunked crefs;         /* complaint lines in the spill file (struct cref) */
    struct chunked afacts;        /* authors of the complaints (struct afact) */
};

struct cnd_agg {
    struct day **days;            /* ascending */
    size_t n_days, cap_days;
    struct intern strs;
    const struct istr *star, *none;
    FILE *spill;
    uint64_t spill_off;
    int failed;                   /* the error that left a post half counted */
    /* Per-post scratch: the evidence's interned rule and category. */
    const struct istr **ev_rule, **ev_cat;
    size_t cap_ev;
    /* Blocks of the spill file read lately, for complaint lines (see spill_read). */
    struct spill_block {
        uint64_t start;           /* offset in the spill file of data[0] */
        uint64_t used;            /* when last used */
        size_t len;               /* bytes held; 0 = empty */
        unsigned char *data;      /* SPILL_BLOCK bytes */
    } blocks[SPILL_BLOCKS];
    uint64_t blocks_for;          /* spill_off when they were read: all stale after an append */
    uint64_t blocks_clock;
    uint64_t blocks_end;          /* where the last read ended */
};

static uint64_t mix3(uint32_t a, uint32_t b, uint32_t c)
{
    uint64_t x = ((uint64_t)a << 32 | b) ^ ((uint64_t)c * 0x9e3779b97f4a7c15ULL);

    x ^= x >> 31;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 29;
    return x;
}

/*
 * Returns "arr" ("*cap" items of "size" bytes) grown to hold at least
 * "need" items (maybe moved; "*cap" updated), or NULL on ENOMEM with
 * "arr" and "*cap" unchanged.
 */
static void *grow_array(void *arr, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 8;
    void *p;

    if (need <= *cap) {
        return arr;
    }
    while (n < need) {
        if (n > SIZE_MAX / 2 / size) {
            return NULL;
        }
        n *= 2;
    }
    p = cnd_realloc(arr, n * size);
    if (p == NULL) {
        return NULL;
    }
    *cap = n;
    return p;
}

static int intern_grow(struct intern *t)
{
    size_t n = t->mask ? (t->mask + 1) * 2 : 64, i;
    struct istr **slots = cnd_calloc(n, sizeof(*slots));

    if (slots == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; t->mask && i <= t->mask; i++) {
        struct istr *s = t->slots[i];
        size_t j;

        if (s == NULL) {
            continue;
        }
        for (j = (size_t)s->hash & (n - 1); slots[j]; j = (j + 1) & (n - 1)) {
        }
        slots[j] = s;
    }
    cnd_free(t->slots);
    t->slots = slots;
    t->mask = n - 1;
    return 0;
}

/* The one copy of "len" bytes at "s" (NULL with len 0 is ""), or NULL on ENOMEM. */
static const struct istr *intern(struct intern *t, const char *s, size_t len)
{
    uint64_t h;
    size_t i;
    struct istr *e;

    if (s == NULL) {
        s = "";
        len = 0;
    }
    if ((t->count + 1) * 2 > (t->mask ? t->mask + 1 : 0) && intern_grow(t) < 0) {
        return NULL;
    }
    h = cnd_hash64(s, len, 0x5bd1e995);
    for (i = (size_t)h & t->mask; t->slots[i]; i = (i + 1) & t->mask) {
        e = t->slots[i];
        if (e->hash == h && e->len == len && memcmp(e->s, s, len) == 0) {
            return e;
        }
    }
    e = cnd_malloc(sizeof(*e) + len + 1);
    if (e == NULL) {
        return NULL;
    }
    e->len = len;
    e->hash = h;
    e->id = (uint32_t)t->count;
    memcpy(e->s, s, len);
    e->s[len] = '\0';
    t->slots[i] = e;
    t->count++;
    return e;
}

static void intern_release(struct intern *t)
{
    size_t i;

    for (i = 0; t->mask && i <= t->mask; i++) {
        cnd_free(t->slots[i]);
    }
    cnd_free(t->slots);
}

/* Bytewise order of two strings of known length. */
static int bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    if (c != 0) {
        return c;
    }
    return alen < blen ? -1 : alen > blen;
}

static int istr_cmp(const struct istr *a, const struct istr *b)
{
    if (a == b) {
        return 0;
    }
    return bytes_cmp(a->s, a->len, b->s, b->len);
}

/* ---- Days and rows ---- */

static int valid_day(const char *day)
{
    static const char shape[] = "dddd-dd-dd";
    size_t i;

    int month, mday;

    for (i = 0; i < DAY_LEN; i++) {
        if (shape[i] == 'd' ? (day[i] < '0' || day[i] > '9') : day[i] != shape[i]) {
            return 0;
        }
    }
    month = (day[5] - '0') * 10 + (day[6] - '0');
    mday = (day[8] - '0') * 10 + (day[9] - '0');
    return day[DAY_LEN] == '\0' && month >= 1 && month <= 12 && mday >= 1 && mday <= 31;
}

static void day_free(struct day *d)
{
    size_t i, j;

    if (d == NULL) {
        return;
    }
    for (i = 0; i < d->n_rows; i++) {
        struct row *r = &d->rows[i];

        cnd_free(r->rules);
        for (j = 0; j < r->n_samples; j++) {
            cnd_free(r->samples[j].id);
        }
    }
    cnd_free(d->rows);
    cnd_free(d->index);
    cnd_free(d->sources);
    cnd_free(d->inputs);
    cnd_free(d->crefs.tail);
    cnd_free(d->crefs.chunks);
    cnd_free(d->afacts.tail);
    cnd_free(d->afacts.chunks);
    cnd_free(d);
}

/* The day named "name", created (in order) when new. NULL on ENOMEM. */
static struct day *get_day(struct cnd_agg *agg, const char *name)
{
    size_t lo = 0, hi = agg->n_days;
    struct day *d;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(agg->days[mid]->name, name);

        if (c == 0) {
            return agg->days[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    {
        void *grown = grow_array(agg->days, &agg->cap_days, agg->n_days + 1, sizeof(*agg->days));

        if (grown == NULL) {
            return NULL;
        }
        agg->days = grown;
    }
    d = cnd_calloc(1, sizeof(*d));
    if (d == NULL) {
        return NULL;
    }
    memcpy(d->name, name, DAY_LEN + 1);
    memmove(agg->days + lo + 1, agg->days + lo, (agg->n_days - lo) * sizeof(*agg->days));
    agg->days[lo] = d;
    agg->n_days++;
    return d;
}

static size_t row_slot(const struct day *d, const struct istr *src, const struct istr *brand,
                       const struct istr *cat, int *found)
{
    size_t i = (size_t)mix3(src->id, brand->id, cat->id) & d->index_mask;

    for (; d->index[i]; i = (i + 1) & d->index_mask) {
        const struct row *r = &d->rows[d->index[i] - 1];

        if (r->source == src && r->brand == brand && r->category == cat) {
            *found = 1;
            return i;
        }
    }
    *found = 0;
    return i;
}

/* The row (source, brand, category) of "d" if it exists, else NULL. */
static struct row *find_row(struct day *d, const struct istr *src, const struct istr *brand,
                            const struct istr *cat)
{
    int found;
    size_t i;

    if (d->index == NULL) {
        return NULL;
    }
    i = row_slot(d, src, brand, cat, &found);
    return found ? &d->rows[d->index[i] - 1] : NULL;
}

static int grow_index(struct day *d)
{
    size_t n = d->index ? (d->index_mask + 1) * 2 : 16, i;
    uint32_t *index = cnd_calloc(n, sizeof(*index));
    uint32_t *old = d->index;

    if (index == NULL) {
        return CND_ENOMEM;
    }
    d->index = index;
    d->index_mask = n - 1;
    for (i = 0; i < d->n_rows; i++) {
        const struct row *r = &d->rows[i];
        int found;
        size_t s = row_slot(d, r->source, r->brand, r->category, &found);

        d->index[s] = (uint32_t)(i + 1);
    }
    cnd_free(old);
    return 0;
}

/*
 * The row (source, brand, category) of "d", created empty when new.
 * NULL on ENOMEM. Valid until the next call (rows live in one array).
 */
static struct row *get_row(struct day *d, const struct istr *src, const struct istr *brand,
                           const struct istr *cat)
{
    struct row *r = find_row(d, src, brand, cat);
    int found;
    size_t i;

    if (r != NULL) {
        return r;
    }
    if (d->n_rows >= UINT32_MAX - 1) {
        return NULL;
    }
    if ((d->index == NULL || (d->n_rows + 1) * 2 > d->index_mask + 1) && grow_index(d) < 0) {
        return NULL;
    }
    {
        void *grown = grow_array(d->rows, &d->cap_rows, d->n_rows + 1, sizeof(*d->rows));

        if (grown == NULL) {
            return NULL;
        }
        d->rows = grown;
    }
    r = &d->rows[d->n_rows];
    memset(r, 0, sizeof(*r));
    r->source = src;
    r->brand = brand;
    r->category = cat;
    i = row_slot(d, src, brand, cat, &found);
    d->index[i] = (uint32_t)(d->n_rows + 1);
    d->n_rows++;
    return r;
}

static int add_rule(struct row *r, const struct istr *rule, uint64_t count)
{
    size_t i;

    for (i = 0; i < r->n_rules; i++) {
        if (r->rules[i].rule == rule) {
            r->rules[i].count += count;
            return 0;
        }
    }
    {
        void *grown = grow_array(r->rules, &r->cap_rules, r->n_rules + 1, sizeof(*r->rules));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        r->rules = grown;
    }
    r->rules[r->n_rules].rule = rule;
    r->rules[r->n_rules].count = count;
    r->n_rules++;
    return 0;
}

/* Newer first: (created_at, then id bytes) descending. */
static int sample_cmp(int64_t ca, const char *ia, size_t la, int64_t cb, const char *ib,
                      size_t lb)
{
    if (ca != cb) {
        return ca > cb ? -1 : 1;
    }
    return -bytes_cmp(ia, la, ib, lb);
}

/* Keeps the AGG_SAMPLES greatest (created_at, id): the same set in any input order. */
static int add_sample(struct row *r, int64_t created, const char *id, size_t len)
{
    size_t pos;
    char *copy;

    if (id == NULL) {
        id = "";
        len = 0;
    }
    for (pos = 0; pos < r->n_samples; pos++) {
        const struct sample *s = &r->samples[pos];
        int c = sample_cmp(created, id, len, s->created, s->id, s->len);

        if (c == 0) {
            return 0;   /* the same post again */
        }
        if (c < 0) {
            break;
        }
    }
    if (pos >= AGG_SAMPLES) {
        return 0;
    }
    copy = cnd_strndup(id, len);
    if (copy == NULL) {
        return CND_ENOMEM;
    }
    if (r->n_samples == AGG_SAMPLES) {
        cnd_free(r->samples[AGG_SAMPLES - 1].id);
        r->n_samples--;
    }
    memmove(&r->samples[pos + 1], &r->samples[pos], (r->n_samples - pos) * sizeof(r->samples[0]));
    r->samples[pos].created = created;
    r->samples[pos].id = copy;
    r->samples[pos].len = len;
    r->n_samples++;
    return 0;
}

static int64_t to_micro(double score)
{
    if (!isfinite(score) || fabs(score) > 1e9) {
        return 0;
    }
    return (int64_t)llround(score * SCORE_UNIT);
}

/* ---- Lists in the spill file ---- */

/* Appends the item "item" ("size" bytes) to "c". 0, CND_ENOMEM or CND_EIO. */
static int chunked_add(struct cnd_agg *agg, struct chunked *c, const void *item, size_t size)
{
    size_t k = c->n % CHUNK_ITEMS;

    if (c->tail == NULL) {
        c->tail = cnd_malloc(CHUNK_ITEMS * size);
        if (c->tail == NULL) {
            return CND_ENOMEM;
        }
    }
    if (k == 0 && c->n > 0) {
        /* the tail is full: out with it first, so an error leaves "c" as it was */
        size_t n_chunks = c->n / CHUNK_ITEMS;
        void *grown = grow_array(c->chunks, &c->cap_chunks, n_chunks, sizeof(*c->chunks));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        c->chunks = grown;
        if (fwrite(c->tail, size, CHUNK_ITEMS, agg->spill) != CHUNK_ITEMS) {
            cnd_log(CND_LOG_ERROR, "output", "cannot write the complaint spill file: %s",
                    strerror(errno));
            return CND_EIO;
        }
        c->chunks[n_chunks - 1] = agg->spill_off;
        agg->spill_off += CHUNK_ITEMS * size;
    }
    memcpy(c->tail + k * size, item, size);
    c->n++;
    return 0;
}

/* Reads "len" bytes at "off" of the spill file into "out". 0 or CND_EIO. */
static int spill_pread(struct cnd_agg *agg, uint64_t off, void *out, size_t len)
{
    int fd = fileno(agg->spill);
    size_t got = 0;

    while (got < len) {
        ssize_t n = pread(fd, (char *)out + got, len - got, (off_t)(off + got));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            cnd_log(CND_LOG_ERROR, "output", "cannot read the complaint spill file: %s",
                    n < 0 ? strerror(errno) : "unexpected end of file");
            return CND_EIO;
        }
        got += (size_t)n;
    }
    return 0;
}

/*
 * The items of "c" in the order added, in a malloced array ("*out"; NULL
 * when there are none). 0, CND_ENOMEM or CND_EIO.
 */
static int chunked_load(struct cnd_agg *agg, const struct chunked *c, size_t size, void **out)
{
    size_t full = c->n == 0 ? 0 : (c->n - 1) / CHUNK_ITEMS, i;
    unsigned char *items;

    *out = NULL;
    if (c->n == 0) {
        return 0;
    }
    if (fflush(agg->spill) != 0) {
        cnd_log(CND_LOG_ERROR, "output", "cannot write the complaint spill file: %s",
                strerror(errno));
        return CND_EIO;
    }
    items = cnd_malloc(c->n * size);
    if (items == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < full; i++) {
        int ret = spill_pread(agg, c->chunks[i], items + i * CHUNK_ITEMS * size,
                              CHUNK_ITEMS * size);

        if (ret < 0) {
            cnd_free(items);
            return ret;
        }
    }
    memcpy(items + full * CHUNK_ITEMS * size, c->tail, (c->n - full * CHUNK_ITEMS) * size);
    *out = items;
    return 0;
}

/* Notes that "author" wrote a complaint counted in "r", a row of "d". */
static int add_author(struct cnd_agg *agg, struct day *d, const struct row *r, uint64_t author)
{
    struct afact f;

    f.author = author;
    f.row = (uint64_t)(r - d->rows);
    return chunked_add(agg, &d->afacts, &f, sizeof(f));
}

static int afact_cmp(const void *pa, const void *pb)
{
    const struct afact *a = pa, *b = pb;

    if (a->row != b->row) {
        return a->row < b->row ? -1 : 1;
    }
    return a->author < b->author ? -1 : a->author > b->author;
}

/*
 * The distinct authors of each row of "d": "*hashes" ascending per row,
 * row i's from (*start)[i] to (*start)[i + 1] (both malloced; free them).
 */
static int day_authors(struct cnd_agg *agg, struct day *d, uint64_t **hashes, size_t **start)
{
    struct afact *f = NULL;
    uint64_t *h;
    size_t *st, i, n = 0, r;
    int ret;

    *hashes = NULL;
    *start = NULL;
    ret = chunked_load(agg, &d->afacts, sizeof(*f), (void **)&f);
    if (ret < 0) {
        return ret;
    }
    h = cnd_malloc((d->afacts.n ? d->afacts.n : 1) * sizeof(*h));
    st = cnd_calloc(d->n_rows + 1, sizeof(*st));
    if (h == NULL || st == NULL) {
        cnd_free(f);
        cnd_free(h);
        cnd_free(st);
        return CND_ENOMEM;
    }
    if (d->afacts.n > 1) {
        qsort(f, d->afacts.n, sizeof(*f), afact_cmp);
    }
    for (i = 0, r = 0; i < d->afacts.n; i++) {
        if (i > 0 && f[i].row == f[i - 1].row && f[i].author == f[i - 1].author) {
            continue;
        }
        while (r <= f[i].row && r < d->n_rows) {
            st[r++] = n;   /* rows up to this one start here */
        }
        h[n++] = f[i].author;
    }
    while (r <= d->n_rows) {
        st[r++] = n;
    }
    cnd_free(f);
    *hashes = h;
    *start = st;
    return 0;
}

/*
 * Counts a complaint in "r": score, author, sample, and each distinct rule
 * of the post's evidence (only that of category "cat" unless NULL).
 */
static int count_complaint(struct cnd_agg *agg, struct day *d, struct row *r,
                           const struct cnd_post *post, int64_t score_micro,
                           const struct istr *cat, size_t n_ev)
{
    size_t i, j;
    int ret;

    r->complaints++;
    r->score_micro += score_micro;
    if (post->author.ptr != NULL && post->author.len > 0) {
        ret = add_author(agg, d, r, cnd_hash64(post->author.ptr, post->author.len, 0));
        if (ret < 0) {
            return ret;
        }
    }
    for (i = 0; i < n_ev; i++) {
        const struct istr *rule = agg->ev_rule[i];

        if (rule == NULL || (cat != NULL && agg->ev_cat[i] != cat)) {
            continue;
        }
        for (j = 0; j < i; j++) {
            if (agg->ev_rule[j] == rule && (cat == NULL || agg->ev_cat[j] == cat)) {
                break;
            }
        }
        if (j < i) {
            continue;
        }
        ret = add_rule(r, rule, 1);
        if (ret < 0) {
            return ret;
        }
    }
    return add_sample(r, post->has_created_at ? post->created_at : INT64_MIN, post->id.ptr,
                      post->id.len);
}

static int day_add_source(struct day *d, const struct istr *src, uint64_t posts)
{
    size_t i;

    for (i = 0; i < d->n_sources; i++) {
        if (d->sources[i].source == src) {
            d->sources[i].posts += posts;
            return 0;
        }
    }
    {
        void *grown = grow_array(d->sources, &d->cap_sources, d->n_sources + 1,
                                 sizeof(*d->sources));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        d->sources = grown;
    }
    d->sources[d->n_sources].source = src;
    d->sources[d->n_sources].posts = posts;
    d->n_sources++;
    return 0;
}

static int day_add_input(struct day *d, size_t input)
{
    size_t old = d->cap_inputs;

    if (input >= AGG_MAX_INPUTS) {
        cnd_log(CND_LOG_ERROR, "output", "input number %zu is out of range", input);
        return CND_EINVAL;
    }
    if (input >= d->cap_inputs) {
        unsigned char *grown = grow_array(d->inputs, &d->cap_inputs, input + 1, 1);

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        d->inputs = grown;
        memset(d->inputs + old, 0, d->cap_inputs - old);
    }
    d->inputs[input] = 1;
    return 0;
}

/*
 * Appends a complaint line to the spill file and remembers it for "d"
 * with its sort key ("created", "key").
 */
static int spill_line(struct cnd_agg *agg, struct day *d, int64_t created, uint64_t key,
                      const char *json, size_t len)
{
    if (len > UINT32_MAX) {
        cnd_log(CND_LOG_ERROR, "output", "complaint line of %zu bytes is too long", len);
        return CND_ETOOBIG;
    }
    if (len > 0 && fwrite(json, 1, len, agg->spill) != len) {
        cnd_log(CND_LOG_ERROR, "output", "cannot write the complaint spill file: %s",
                strerror(errno));
        return CND_EIO;
    }
    {
        struct cref c;

        memset(&c, 0, sizeof(c));   /* no stray padding bytes in the spill file */
        c.created = created;
        c.key = key;
        c.off = agg->spill_off;
        c.len = (uint32_t)len;
        agg->spill_off += len;
        return chunked_add(agg, &d->crefs, &c, sizeof(c));
    }
}

/* ---- Lifecycle and adding ---- */

/*
 * Returns an empty aggregate whose complaint lines spill to an unlinked
 * temp file in "spill_dir" (NULL: $TMPDIR or /tmp). NULL with "*err"
 * (CND_ENOMEM, CND_EIO) on failure.
 */
struct cnd_agg *cnd_agg_new(const char *spill_dir, int *err)
{
    struct cnd_agg *agg;

    agg = cnd_calloc(1, sizeof(*agg));
    if (agg == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    agg->star = intern(&agg->strs, "*", 1);
    agg->none = intern(&agg->strs, "", 0);
    if (agg->star == NULL || agg->none == NULL) {
        cnd_agg_free(agg);
        *err = CND_ENOMEM;
        return NULL;
    }
    agg->spill = cnd_temp_file(spill_dir);
    if (agg->spill == NULL) {
        *err = errno == ENOMEM ? CND_ENOMEM : CND_EIO;
        cnd_agg_free(agg);
        return NULL;
    }
    return agg;
}

void cnd_agg_free(struct cnd_agg *agg)
{
    size_t i;

    if (agg == NULL) {
        return;
    }
    for (i = 0; i < agg->n_days; i++) {
        day_free(agg->days[i]);
    }
    cnd_free(agg->days);
    for (i = 0; i < SPILL_BLOCKS; i++) {
        cnd_free(agg->blocks[i].data);
    }
    intern_release(&agg->strs);
    if (agg->spill != NULL) {
        fclose(agg->spill);
    }
    cnd_free(agg->ev_rule);
    cnd_free(agg->ev_cat);
    cnd_free(agg);
}

/* The work of cnd_agg_add(). */
static int add_post(struct cnd_agg *agg, const char *day, size_t input,
                    const struct cnd_post *post, const struct cnd_verdict *v,
                    const char *complaint_json, size_t json_len)
{
    const struct istr *src, *brands[CND_MAX_VERDICT_BRANDS], *cats[CND_MAX_CATEGORIES];
    int64_t cat_micro[CND_MAX_CATEGORIES];
    size_t n_brands = 0, n_cats = 0, n_ev = 0, i, j, b;
    struct day *d;
    int ret;

    if (day == NULL || !valid_day(day)) {
        cnd_log(CND_LOG_ERROR, "output", "bad day '%s' (want YYYY-MM-DD)", day ? day : "");
        return CND_EINVAL;
    }
    if (input >= AGG_MAX_INPUTS) {
        cnd_log(CND_LOG_ERROR, "output", "input number %zu is out of range", input);
        return CND_EINVAL;
    }
    src = intern(&agg->strs, post->source.ptr, post->source.len);
    if (src == NULL) {
        return CND_ENOMEM;
    }
    /* The brands, each once; none at all is brand "". */
    for (i = 0; i < v->n_brands && i < CND_MAX_VERDICT_BRANDS; i++) {
        const struct istr *s;

        if (v->brands[i] == NULL) {
            continue;
        }
        s = intern(&agg->strs, v->brands[i], strlen(v->brands[i]));
        if (s == NULL) {
            return CND_ENOMEM;
        }
        for (j = 0; j < n_brands && brands[j] != s; j++) {
        }
        if (j == n_brands) {
            brands[n_brands++] = s;
        }
    }
    if (n_brands == 0) {
        brands[n_brands++] = agg->none;
    }
    if (v->complaint) {
        for (i = 0; i < v->n_categories && i < CND_MAX_CATEGORIES; i++) {
            const struct istr *s;

            if (v->categories[i] == NULL) {
                continue;
            }
            s = intern(&agg->strs, v->categories[i], strlen(v->categories[i]));
            if (s == NULL) {
                return CND_ENOMEM;
            }
            for (j = 0; j < n_cats && cats[j] != s; j++) {
            }
            if (j == n_cats && s != agg->star) {
                cat_micro[n_cats] = to_micro(v->category_scores[i]);
                cats[n_cats++] = s;
            }
        }
        n_ev = v->evidence != NULL ? v->n_evidence : 0;
        if (n_ev > agg->cap_ev) {
            size_t cap = agg->cap_ev;

            {
                void *grown = grow_array(agg->ev_rule, &cap, n_ev, sizeof(*agg->ev_rule));

                if (grown == NULL) {
                    return CND_ENOMEM;
                }
                agg->ev_rule = grown;
            }
            cap = agg->cap_ev;
            {
                void *grown = grow_array(agg->ev_cat, &cap, n_ev, sizeof(*agg->ev_cat));

                if (grown == NULL) {
                    return CND_ENOMEM;
                }
                agg->ev_cat = grown;
            }
            agg->cap_ev = cap;
        }
        for (i = 0; i < n_ev; i++) {
            const struct cnd_evidence *e = &v->evidence[i];

            agg->ev_rule[i] = NULL;
            agg->ev_cat[i] = NULL;
            if (e->rule != NULL) {
                agg->ev_rule[i] = intern(&agg->strs, e->rule, strlen(e->rule));
                if (agg->ev_rule[i] == NULL) {
                    return CND_ENOMEM;
                }
            }
            if (e->category != NULL) {
                agg->ev_cat[i] = intern(&agg->strs, e->category, strlen(e->category));
                if (agg->ev_cat[i] == NULL) {
                    return CND_ENOMEM;
                }
            }
        }
    }

    d = get_day(agg, day);
    if (d == NULL) {
        return CND_ENOMEM;
    }
    ret = day_add_input(d, input);
    if (ret < 0) {
        return ret;
    }
    ret = day_add_source(d, src, 1);
    if (ret < 0) {
        return ret;
    }
    for (b = 0; b < n_brands; b++) {
        struct row *r = get_row(d, src, brands[b], agg->star);

        if (r == NULL) {
            return CND_ENOMEM;
        }
        r->posts++;
        if (!v->complaint) {
            continue;
        }
        ret = count_complaint(agg, d, r, post, to_micro(v->score), NULL, n_ev);
        if (ret < 0) {
            return ret;
        }
        for (i = 0; i < n_cats; i++) {
            r = get_row(d, src, brands[b], cats[i]);
            if (r == NULL) {
                return CND_ENOMEM;
            }
            ret = count_complaint(agg, d, r, post, cat_micro[i], cats[i], n_ev);
            if (ret < 0) {
                return ret;
            }
        }
    }
    if (v->complaint && complaint_json != NULL) {
        return spill_line(agg, d, post->has_created_at ? post->created_at : INT64_MIN,
                          cnd_post_key(post), complaint_json, json_len);
    }
    return 0;
}

/*
 * Counts "post" on "day". Returns 0, CND_EINVAL (a day not shaped
 * YYYY-MM-DD, an input number out of range), CND_EIO (spill file),
 * CND_ETOOBIG or CND_ENOMEM. After an error other than CND_EINVAL the
 * aggregate may hold part of the post: every later add and write returns
 * that same error, so that no half-counted day is ever written.
 */
int cnd_agg_add(struct cnd_agg *agg, const char *day, size_t input,
                const struct cnd_post *post, const struct cnd_verdict *v,
                const char *complaint_json, size_t json_len)
{
    int ret;

    if (agg->failed) {
        return agg->failed;
    }
    ret = add_post(agg, day, input, post, v, complaint_json, json_len);
    /* Bad arguments change nothing; any other error may leave a half-counted post. */
    if (ret < 0 && ret != CND_EINVAL) {
        agg->failed = ret;
    }
    return ret;
}

size_t cnd_agg_n_days(const struct cnd_agg *agg)
{
    return agg->n_days;
}

const char *cnd_agg_day(const struct cnd_agg *agg, size_t i)
{
    return i < agg->n_days ? agg->days[i]->name : NULL;
}

/* ---- Writing ---- */

static int row_cmp(const void *pa, const void *pb)
{
    const struct row *a = *(const struct row *const *)pa;
    const struct row *b = *(const struct row *const *)pb;
    int c = istr_cmp(a->source, b->source);

    if (c != 0) {
        return c;
    }
    c = istr_cmp(a->brand, b->brand);
    if (c != 0) {
        return c;
    }
    if (a->category == b->category) {
        return 0;
    }
    /* "*" (all posts) comes before the categories. */
    if (a->category->len == 1 && a->category->s[0] == '*') {
        return -1;
    }
    if (b->category->len == 1 && b->category->s[0] == '*') {
        return 1;
    }
    return istr_cmp(a->category, b->category);
}

static int rule_cmp(const void *pa, const void *pb)
{
    const struct rule_count *a = pa, *b = pb;

    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    return istr_cmp(a->rule, b->rule);
}

static int source_cmp(const void *pa, const void *pb)
{
    const struct src_count *a = pa, *b = pb;

    return istr_cmp(a->source, b->source);
}

/* Appends "micro" (units of 1e-6) with three decimals, rounding half away from zero. */
static int add_score(struct cnd_buf *b, int64_t micro)
{
    uint64_t a = micro < 0 ? (uint64_t)0 - (uint64_t)micro : (uint64_t)micro;
    uint64_t milli = (a + 500) / 1000;

    return cnd_buf_addf(b, "%s%llu.%03llu", micro < 0 && milli ? "-" : "",
                        (unsigned long long)(milli / 1000), (unsigned long long)(milli % 1000));
}

static int add_json_istr(struct cnd_buf *b, const struct istr *s)
{
    return cnd_buf_add_json_str(b, s->s, s->len);
}

/*
 * Appends one CSV field: a leading = + - @ (or tab, CR) gets a ' so that
 * spreadsheets do not run it as a formula, and a field holding a comma,
 * quote, CR or LF is quoted with inner quotes doubled (RFC 4180).
 */
static int add_csv(struct cnd_buf *b, const char *s, size_t len)
{
    int neutral = len > 0 && strchr("=+-@\t\r", s[0]) != NULL;
    int quote = 0, ret = 0;
    size_t i;

    for (i = 0; i < len && !quote; i++) {
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    }
    if (quote) {
        ret = cnd_buf_addc(b, '"');
    }
    if (ret == 0 && neutral) {
        ret = cnd_buf_addc(b, '\'');
    }
    for (i = 0; ret == 0 && i < len; i++) {
        if (s[i] == '"') {
            ret = cnd_buf_addc(b, '"');
        }
        if (ret == 0) {
            ret = cnd_buf_addc(b, s[i]);
        }
    }
    if (ret == 0 && quote) {
        ret = cnd_buf_addc(b, '"');
    }
    return ret;
}

/* The rows of "d" in output order (a malloced array of pointers), or NULL. */
static struct row **sorted_rows(struct day *d)
{
    struct row **rows = cnd_malloc((d->n_rows ? d->n_rows : 1) * sizeof(*rows));
    size_t i;

    if (rows == NULL) {
        return NULL;
    }
    for (i = 0; i < d->n_rows; i++) {
        rows[i] = &d->rows[i];
        if (rows[i]->n_rules > 1) {
            qsort(rows[i]->rules, rows[i]->n_rules, sizeof(*rows[i]->rules), rule_cmp);
        }
    }
    qsort(rows, d->n_rows, sizeof(*rows), row_cmp);
    if (d->n_sources > 1) {
        qsort(d->sources, d->n_sources, sizeof(*d->sources), source_cmp);
    }
    return rows;
}

/* The "posts" of a row: its own, or for a category row that of its "*" row. */
static uint64_t row_posts(struct cnd_agg *agg, struct day *d, const struct row *r)
{
    const struct row *all;

    if (r->category == agg->star) {
        return r->posts;
    }
    all = find_row(d, r->source, r->brand, agg->star);
    return all ? all->posts : 0;
}

static int json_header(struct cnd_buf *b, const struct day *d, size_t n_rows,
                       const struct cnd_agg_meta *meta)
{
    const char *lex = meta ? meta->lexicon_version : NULL;
    const char *tz = meta && meta->timezone && meta->timezone[0] ? meta->timezone : "UTC";
    const char *version = meta && meta->candor_version ? meta->candor_version : CND_VERSION;
    int ret, first = 1;
    size_t i;

    ret = cnd_buf_addf(b, "{\"schema\":1,\"day\":\"%s\",\"lexicon_version\":", d->name);
    if (ret == 0) {
        ret = lex ? cnd_buf_add_json_str(b, lex, strlen(lex)) : cnd_buf_adds(b, "null");
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"candor_version\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(b, version, strlen(version));
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"timezone\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(b, tz, strlen(tz));
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"inputs\":[");
    }
    for (i = 0; ret == 0 && i < d->cap_inputs; i++) {
        const char *name;

        if (!d->inputs[i] || meta == NULL || i >= meta->n_inputs || meta->inputs == NULL ||
            meta->inputs[i] == NULL) {
            continue;
        }
        name = meta->inputs[i];
        ret = first ? 0 : cnd_buf_addc(b, ',');
        first = 0;
        if (ret == 0) {
            ret = cnd_buf_add_json_str(b, name, strlen(name));
        }
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, "],\"sources\":[");
    }
    for (i = 0; ret == 0 && i < d->n_sources; i++) {
        ret = cnd_buf_adds(b, i ? ",{\"source\":" : "{\"source\":");
        if (ret == 0) {
            ret = add_json_istr(b, d->sources[i].source);
        }
        if (ret == 0) {
            ret = cnd_buf_addf(b, ",\"posts\":%llu}", (unsigned long long)d->sources[i].posts);
        }
    }
    if (ret == 0) {
        ret = cnd_buf_addf(b, "],\"rows\":%zu}\n", n_rows);
    }
    return ret;
}

static int json_row(struct cnd_buf *b, const struct row *r, uint64_t posts, size_t authors)
{
    size_t i, n;
    int ret;

    ret = cnd_buf_adds(b, "{\"source\":");
    if (ret == 0) {
        ret = add_json_istr(b, r->source);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"brand\":");
    }
    if (ret == 0) {
        ret = add_json_istr(b, r->brand);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"category\":");
    }
    if (ret == 0) {
        ret = add_json_istr(b, r->category);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(b, ",\"posts\":%llu,\"complaints\":%llu,\"authors\":%zu,\"score_sum\":",
                           (unsigned long long)posts, (unsigned long long)r->complaints,
                           authors);
    }
    if (ret == 0) {
        ret = add_score(b, r->score_micro);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"top_rules\":[");
    }
    n = r->n_rules < AGG_TOP_RULES ? r->n_rules : AGG_TOP_RULES;
    for (i = 0; ret == 0 && i < n; i++) {
        ret = cnd_buf_adds(b, i ? ",{\"rule\":" : "{\"rule\":");
        if (ret == 0) {
            ret = add_json_istr(b, r->rules[i].rule);
        }
        if (ret == 0) {
            ret = cnd_buf_addf(b, ",\"count\":%llu}", (unsigned long long)r->rules[i].count);
        }
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, "],\"samples\":[");
    }
    for (i = 0; ret == 0 && i < r->n_samples; i++) {
        ret = i ? cnd_buf_addc(b, ',') : 0;
        if (ret == 0) {
            ret = cnd_buf_add_json_str(b, r->samples[i].id, r->samples[i].len);
        }
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, "]}\n");
    }
    return ret;
}

static int csv_row(struct cnd_buf *b, struct cnd_buf *tmp, const struct day *d,
                   const struct row *r, uint64_t posts, size_t authors)
{
    size_t i, n;
    int ret;

    ret = cnd_buf_addf(b, "%s,", d->name);
    if (ret == 0) {
        ret = add_csv(b, r->source->s, r->source->len);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(b, ',');
    }
    if (ret == 0) {
        ret = add_csv(b, r->brand->s, r->brand->len);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(b, ',');
    }
    if (ret == 0) {
        ret = add_csv(b, r->category->s, r->category->len);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(b, ",%llu,%llu,%zu,", (unsigned long long)posts,
                           (unsigned long long)r->complaints, authors);
    }
    if (ret == 0) {
        ret = add_score(b, r->score_micro);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(b, ',');
    }
    cnd_buf_reset(tmp);
    n = r->n_rules < AGG_TOP_RULES ? r->n_rules : AGG_TOP_RULES;
    for (i = 0; ret == 0 && i < n; i++) {
        ret = cnd_buf_addf(tmp, "%s%s:%llu", i ? ";" : "", r->rules[i].rule->s,
                           (unsigned long long)r->rules[i].count);
    }
    if (ret == 0) {
        ret = add_csv(b, tmp->data ? tmp->data : "", tmp->len);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(b, ',');
    }
    cnd_buf_reset(tmp);
    for (i = 0; ret == 0 && i < r->n_samples; i++) {
        ret = i ? cnd_buf_addc(tmp, ';') : 0;
        if (ret == 0) {
            ret = cnd_buf_add(tmp, r->samples[i].id, r->samples[i].len);
        }
    }
    if (ret == 0) {
        ret = add_csv(b, tmp->data ? tmp->data : "", tmp->len);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(b, '\n');
    }
    return ret;
}

/* Writes "b" as the gzip file "path", atomically. */
static int write_gz(const char *path, const struct cnd_buf *b)
{
    struct cnd_gzout *g;
    int err = 0, ret;

    g = cnd_gzout_open(path, &err);
    if (g == NULL) {
        return err;
    }
    cnd_gzout_defer_dir_sync(g);   /* cnd_agg_write syncs the directory once */
    ret = cnd_gzout_write(g, b->data, b->len);
    if (ret < 0) {
        cnd_gzout_abort(g);
        return ret;
    }
    return cnd_gzout_commit(g);
}

/*
 * A cached block holding byte "at" of the spill file, and when read now as
 * many of the "want" bytes from there as a block holds (a block read
 * always holds "at": it starts at or before it, and ends after it or at
 * the end of the file, which "at" is before); or NULL with "*err".
 */
static const struct spill_block *spill_block(struct cnd_agg *agg, uint64_t at, size_t want,
                                             int *err)
{
    struct spill_block *victim = &agg->blocks[0];
    uint64_t start;
    size_t i, len;

    if (at >= agg->spill_off) {
        *err = CND_EIO;
        cnd_log(CND_LOG_ERROR, "output", "cannot read the complaint spill file: %s",
                "unexpected end of file");
        return NULL;
    }
    if (agg->blocks_for != agg->spill_off) {
        for (i = 0; i < SPILL_BLOCKS; i++) {
            agg->blocks[i].len = 0;   /* written to since: stale */
        }
        agg->blocks_for = agg->spill_off;
        agg->blocks_end = UINT64_MAX;
    }
    for (i = 0; i < SPILL_BLOCKS; i++) {
        struct spill_block *b = &agg->blocks[i];

        if (b->len > 0 && at >= b->start && at - b->start < b->len) {
            b->used = ++agg->blocks_clock;
            return b;
        }
        if (b->used < victim->used) {
            victim = b;
        }
    }
    if (victim->data == NULL) {
        victim->data = cnd_malloc(SPILL_BLOCK);
        if (victim->data == NULL) {
            *err = CND_ENOMEM;
            return NULL;
        }
    }
    if (at >= agg->blocks_end && at - agg->blocks_end < SPILL_BLOCK) {
        start = agg->blocks_end;   /* reading on */
        len = SPILL_BLOCK;
    } else {
        start = at - at % SPILL_SMALL;
        len = (size_t)(at - start) + (want < SPILL_BLOCK ? want : SPILL_BLOCK);
        len = len > SPILL_BLOCK ? SPILL_BLOCK : (len + SPILL_SMALL - 1) / SPILL_SMALL * SPILL_SMALL;
    }
    len = agg->spill_off - start < len ? (size_t)(agg->spill_off - start) : len;
    victim->len = 0;
    *err = spill_pread(agg, start, victim->data, len);
    if (*err < 0) {
        return NULL;
    }
    victim->start = start;
    victim->len = len;
    victim->used = ++agg->blocks_clock;
    agg->blocks_end = start + len;
    return victim;
}

/* Reads the complaint line "c" of the spill file into "line", with a newline. */
static int spill_read(struct cnd_agg *agg, const struct cref *c, struct cnd_buf *line)
{
    int ret;

    cnd_buf_reset(line);
    ret = cnd_buf_reserve(line, (size_t)c->len + 1);
    if (ret == 0 && c->len > SPILL_BLOCK / 4) {
        ret = spill_pread(agg, c->off, line->data, c->len);   /* a long line: read alone */
    } else if (ret == 0) {
        size_t got = 0;

        while (ret == 0 && got < c->len) {
            uint64_t at = c->off + got;
            const struct spill_block *b = spill_block(agg, at, c->len - got, &ret);
            size_t in, n;

            if (b == NULL) {
                break;
            }
            in = (size_t)(at - b->start);
            n = b->len - in < c->len - got ? b->len - in : c->len - got;
            memcpy(line->data + got, b->data + in, n);
            got += n;
        }
    }
    if (ret < 0) {
        return ret;
    }
    line->len = c->len;
    line->data[line->len++] = '\n';
    line->data[line->len] = '\0';
    return 0;
}

/* Complaint order: created_at, then post key (unique per counted post), then spill order. */
static int cref_cmp(const void *pa, const void *pb)
{
    const struct cref *a = pa, *b = pb;

    if (a->created != b->created) {
        return a->created < b->created ? -1 : 1;
    }
    if (a->key != b->key) {
        return a->key < b->key ? -1 : 1;
    }
    return a->off < b->off ? -1 : a->off > b->off;
}

/* The complaint lines of "d" in output order, malloced into "*out" (NULL when none). */
static int sorted_complaints(struct cnd_agg *agg, const struct day *d, struct cref **out)
{
    int ret = chunked_load(agg, &d->crefs, sizeof(**out), (void **)out);

    if (ret == 0 && d->crefs.n > 1) {
        qsort(*out, d->crefs.n, sizeof(**out), cref_cmp);
    }
    return ret;
}

static int write_complaints(struct cnd_agg *agg, struct day *d, const char *path)
{
    struct cnd_gzout *g;
    struct cnd_buf line;
    struct cref *c = NULL;
    int err = 0, ret;
    size_t i;

    ret = sorted_complaints(agg, d, &c);
    if (ret < 0) {
        return ret;
    }
    g = cnd_gzout_open(path, &err);
    if (g == NULL) {
        cnd_free(c);
        return err;
    }
    cnd_gzout_defer_dir_sync(g);   /* cnd_agg_write syncs the directory once */
    cnd_buf_init(&line, 0);
    for (i = 0; ret == 0 && i < d->crefs.n; i++) {
        ret = spill_read(agg, &c[i], &line);
        if (ret == 0) {
            ret = cnd_gzout_write(g, line.data, line.len);
        }
    }
    cnd_buf_release(&line);
    cnd_free(c);
    if (ret < 0) {
        cnd_gzout_abort(g);
        return ret;
    }
    return cnd_gzout_commit(g);
}

static int write_day(struct cnd_agg *agg, struct day *d, const char *data_dir,
                     const struct cnd_agg_meta *meta)
{
    struct cnd_buf json, csv, tmp, path;
    struct row **rows;
    uint64_t *authors;
    size_t i, *astart;
    int ret;

    ret = day_authors(agg, d, &authors, &astart);
    if (ret < 0) {
        return ret;
    }
    rows = sorted_rows(d);
    if (rows == NULL) {
        cnd_free(authors);
        cnd_free(astart);
        return CND_ENOMEM;
    }
    cnd_buf_init(&json, 0);
    cnd_buf_init(&csv, 0);
    cnd_buf_init(&tmp, 0);
    cnd_buf_init(&path, 0);
    ret = json_header(&json, d, d->n_rows, meta);
    if (ret == 0) {
        ret = cnd_buf_adds(&csv, "day,source,brand,category,posts,complaints,authors,"
                                 "score_sum,top_rules,samples\n");
    }
    for (i = 0; ret == 0 && i < d->n_rows; i++) {
        uint64_t posts = row_posts(agg, d, rows[i]);
        size_t r = (size_t)(rows[i] - d->rows), n_authors = astart[r + 1] - astart[r];

        ret = json_row(&json, rows[i], posts, n_authors);
        if (ret == 0) {
            ret = csv_row(&csv, &tmp, d, rows[i], posts, n_authors);
        }
    }
    cnd_free(authors);
    cnd_free(astart);
    if (ret == 0) {
        ret = cnd_buf_addf(&path, "%s/daily/%s.json.gz", data_dir, d->name);
    }
    if (ret == 0) {
        ret = write_gz(path.data, &json);
    }
    if (ret == 0) {
        cnd_buf_reset(&path);
        ret = cnd_buf_addf(&path, "%s/daily/%s.csv.gz", data_dir, d->name);
    }
    if (ret == 0) {
        ret = write_gz(path.data, &csv);
    }
    if (ret == 0) {
        cnd_buf_reset(&path);
        ret = cnd_buf_addf(&path, "%s/complaints/%s.ndjson.gz", data_dir, d->name);
    }
    if (ret == 0) {
        ret = write_complaints(agg, d, path.data);
    }
    cnd_buf_release(&json);
    cnd_buf_release(&csv);
    cnd_buf_release(&tmp);
    cnd_buf_release(&path);
    cnd_free(rows);
    return ret;
}

int cnd_agg_write(struct cnd_agg *agg, const char *data_dir, const struct cnd_agg_meta *meta)
{
    struct cnd_buf path;
    size_t i;
    int ret, dirs_ok;

    if (agg->failed) {
        cnd_log(CND_LOG_ERROR, "output", "not writing aggregates after an earlier error: %s",
                cnd_strerror(agg->failed));
        return agg->failed;
    }
    if (fflush(agg->spill) != 0) {
        cnd_log(CND_LOG_ERROR, "output", "cannot write the complaint spill file: %s",
                strerror(errno));
        return CND_EIO;
    }
    cnd_buf_init(&path, 0);
    ret = cnd_buf_addf(&path, "%s/daily", data_dir);
    if (ret == 0) {
        ret = cnd_mkdirs(path.data);
    }
    if (ret == 0) {
        cnd_buf_reset(&path);
        ret = cnd_buf_addf(&path, "%s/complaints", data_dir);
    }
    if (ret == 0) {
        ret = cnd_mkdirs(path.data);
    }
    dirs_ok = ret == 0;
    for (i = 0; ret == 0 && i < agg->n_days; i++) {
        ret = write_day(agg, agg->days[i], data_dir, meta);
    }
    /* the renames of all days made durable at once, even after a failed day */
    if (dirs_ok && agg->n_days > 0) {
        static const char *const subs[] = { "daily", "complaints" };
        int r;

        for (i = 0; i < 2; i++) {
            cnd_buf_reset(&path);
            r = cnd_buf_addf(&path, "%s/%s", data_dir, subs[i]);
            if (r == 0) {
                r = cnd_sync_dir(path.data);
            }
            ret = ret < 0 ? ret : r;
        }
    }
    cnd_buf_release(&path);
    return ret;
}

/* ---- Reading rows out and merging them in ---- */

/* Records "ret" as the sticky error unless it is 0 or CND_EINVAL (nothing changed). */
static int sticky(struct cnd_agg *agg, int ret)
{
    if (ret < 0 && ret != CND_EINVAL) {
        agg->failed = ret;
    }
    return ret;
}

/* The day "day" for merging: checked, created when new. */
static int merge_day(struct cnd_agg *agg, const char *day, struct day **out)
{
    if (agg->failed) {
        return agg->failed;
    }
    if (day == NULL || !valid_day(day)) {
        cnd_log(CND_LOG_ERROR, "output", "bad day '%s' (want YYYY-MM-DD)", day ? day : "");
        return CND_EINVAL;
    }
    *out = get_day(agg, day);
    return *out ? 0 : sticky(agg, CND_ENOMEM);
}

int cnd_agg_touch_day(struct cnd_agg *agg, const char *day)
{
    struct day *d = NULL;

    return merge_day(agg, day, &d);
}

int cnd_agg_merge_input(struct cnd_agg *agg, const char *day, size_t input)
{
    struct day *d = NULL;
    int ret = merge_day(agg, day, &d);

    return ret < 0 ? ret : sticky(agg, day_add_input(d, input));
}

int cnd_agg_merge_source(struct cnd_agg *agg, const char *day, struct cnd_str source,
                         uint64_t posts)
{
    const struct istr *src;
    struct day *d = NULL;
    int ret = merge_day(agg, day, &d);

    if (ret < 0) {
        return ret;
    }
    src = intern(&agg->strs, source.ptr, source.len);
    if (src == NULL) {
        return sticky(agg, CND_ENOMEM);
    }
    return sticky(agg, day_add_source(d, src, posts));
}

/* The work of cnd_agg_merge_row() on day "d". */
static int merge_row(struct cnd_agg *agg, struct day *d, const struct cnd_agg_row *in)
{
    const struct istr *src, *brand, *cat;
    struct row *r;
    size_t i;
    int ret;

    src = intern(&agg->strs, in->source.ptr, in->source.len);
    brand = intern(&agg->strs, in->brand.ptr, in->brand.len);
    cat = intern(&agg->strs, in->category.ptr, in->category.len);
    if (src == NULL || brand == NULL || cat == NULL) {
        return CND_ENOMEM;
    }
    r = get_row(d, src, brand, cat);
    if (r == NULL) {
        return CND_ENOMEM;
    }
    r->posts += in->posts;
    r->complaints += in->complaints;
    r->score_micro += in->score_micro;
    for (i = 0; i < in->n_authors; i++) {
        ret = add_author(agg, d, r, in->authors[i]);
        if (ret < 0) {
            return ret;
        }
    }
    for (i = 0; i < in->n_rules; i++) {
        const struct istr *rule = intern(&agg->strs, in->rules[i].rule.ptr, in->rules[i].rule.len);

        if (rule == NULL) {
            return CND_ENOMEM;
        }
        ret = add_rule(r, rule, in->rules[i].count);
        if (ret < 0) {
            return ret;
        }
    }
    for (i = 0; i < in->n_samples; i++) {
        ret = add_sample(r, in->samples[i].created, in->samples[i].id.ptr, in->samples[i].id.len);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

int cnd_agg_merge_row(struct cnd_agg *agg, const char *day, const struct cnd_agg_row *row)
{
    struct day *d = NULL;
    int ret = merge_day(agg, day, &d);

    return ret < 0 ? ret : sticky(agg, merge_row(agg, d, row));
}

int cnd_agg_merge_complaint(struct cnd_agg *agg, const char *day, int64_t created,
                            uint64_t key, const char *line, size_t len)
{
    struct day *d = NULL;
    int ret = merge_day(agg, day, &d);

    return ret < 0 ? ret : sticky(agg, spill_line(agg, d, created, key, line, len));
}

/*
 * Calls "v->row" for "r" with its "n_authors" distinct "authors" (ascending),
 * and its rules and samples laid out in scratch arrays.
 */
static int visit_row(const struct row *r, const uint64_t *authors, size_t n_authors,
                     const struct cnd_agg_visitor *v, void *arg, struct cnd_agg_rule **rules,
                     size_t *cap_rules)
{
    struct cnd_agg_sample samples[AGG_SAMPLES];
    struct cnd_agg_row out;
    size_t i;

    if (r->n_rules > *cap_rules) {
        void *grown = grow_array(*rules, cap_rules, r->n_rules, sizeof(**rules));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        *rules = grown;
    }
    memset(&out, 0, sizeof(out));
    out.source.ptr = r->source->s;
    out.source.len = r->source->len;
    out.brand.ptr = r->brand->s;
    out.brand.len = r->brand->len;
    out.category.ptr = r->category->s;
    out.category.len = r->category->len;
    out.posts = r->posts;
    out.complaints = r->complaints;
    out.score_micro = r->score_micro;
    if (n_authors > 0) {
        out.authors = authors;
        out.n_authors = n_authors;
    }
    for (i = 0; i < r->n_rules; i++) {
        (*rules)[i].rule.ptr = r->rules[i].rule->s;
        (*rules)[i].rule.len = r->rules[i].rule->len;
        (*rules)[i].count = r->rules[i].count;
    }
    out.rules = *rules;
    out.n_rules = r->n_rules;
    for (i = 0; i < r->n_samples; i++) {
        samples[i].created = r->samples[i].created;
        samples[i].id.ptr = r->samples[i].id;
        samples[i].id.len = r->samples[i].len;
    }
    out.samples = samples;
    out.n_samples = r->n_samples;
    return v->row(arg, &out);
}

int cnd_agg_visit_day(struct cnd_agg *agg, size_t day, const struct cnd_agg_visitor *v, void *arg)
{
    struct row **rows = NULL;
    struct cnd_agg_rule *rules = NULL;
    uint64_t *authors = NULL;
    size_t cap_rules = 0, i, *astart = NULL;
    struct cref *c = NULL;
    struct cnd_buf line;
    struct day *d;
    int ret = 0;

    if (agg->failed) {
        return agg->failed;
    }
    if (day >= agg->n_days) {
        return CND_EINVAL;
    }
    d = agg->days[day];
    if (v->row != NULL) {
        ret = day_authors(agg, d, &authors, &astart);
        if (ret < 0) {
            return ret;
        }
    }
    rows = sorted_rows(d);
    if (rows == NULL) {
        cnd_free(authors);
        cnd_free(astart);
        return CND_ENOMEM;
    }
    for (i = 0; ret == 0 && v->input && i < d->cap_inputs; i++) {
        if (d->inputs[i]) {
            ret = v->input(arg, i);
        }
    }
    for (i = 0; ret == 0 && v->source && i < d->n_sources; i++) {
        struct cnd_str name;

        name.ptr = d->sources[i].source->s;
        name.len = d->sources[i].source->len;
        ret = v->source(arg, name, d->sources[i].posts);
    }
    for (i = 0; ret == 0 && v->row && i < d->n_rows; i++) {
        size_t r = (size_t)(rows[i] - d->rows);

        ret = visit_row(rows[i], authors + astart[r], astart[r + 1] - astart[r], v, arg, &rules,
                        &cap_rules);
    }
    cnd_free(rows);
    cnd_free(authors);
    cnd_free(astart);
    cnd_free(rules);
    if (ret < 0 || v->complaint == NULL || d->crefs.n == 0) {
        return ret;
    }
    ret = sorted_complaints(agg, d, &c);
    cnd_buf_init(&line, 0);
    for (i = 0; ret == 0 && i < d->crefs.n; i++) {
        ret = spill_read(agg, &c[i], &line);
        if (ret == 0) {
            ret = v->complaint(arg, c[i].created, c[i].key, line.data, line.len - 1);
        }
    }
    cnd_buf_release(&line);
    cnd_free(c);
    return ret;
}
