/* SPDX-License-Identifier: MIT */
/*
 * Exactly-once counting in bounded memory. A seen set kept in memory costs
 * 16 to 32 bytes for every distinct post a replay has read, so a long
 * replay grows without end. Instead, every post given to cnd_once_add is
 * written with its verdict as one record to a temporary file, in blocks,
 * and nothing is counted yet. cnd_once_settle then sorts the records by
 * key and by the order the posts came in and gives the aggregate the first
 * record of each key: the same posts a seen set would have let through,
 * counted the same way (the aggregates do not depend on the order of
 * adding). Records over the budget (8 MiB) are not sorted in memory but
 * split first into up to 256 files by bits of the (mixed) key, as many as
 * make each about an eighth of the budget, each file split again while it
 * is still over the budget, and sorted one at a time.
 *
 * Records are in the machine's byte order (the files are unlinked at once
 * and never leave the process): a fixed head, the category scores, then
 * length-prefixed NUL-terminated strings (length ONCE_NULL: none), the
 * whole padded to 8 bytes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hash.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "output/output.h"

/* Records are written out in blocks of this size. */
#define ONCE_BLOCK (64u << 10)
/*
 * A split takes as many bits of the mixed key (up to 8: 256 files) as
 * bring its pieces to an eighth of the budget or less: so the pieces
 * sorted in memory are about the same size whatever the input's (peak
 * RSS of the bench replay: 23.7 MB at 250k posts, 24.5 MB at 1M; with
 * 64 pieces always, 23.1 and 25.5).
 */
#define ONCE_MAX_BITS 8
/* By default, a partition up to this size is sorted in memory; a larger one is split. */
#define ONCE_BUDGET ((uint64_t)8 << 20)
#define ONCE_NULL UINT32_MAX
/*
 * Keys held back lately, one per slot (32 KiB): a post found here is a
 * duplicate for sure and need not be analyzed; one not found may still be.
 */
#define ONCE_RECENT (1u << 12)

enum { REC_POST = 1, REC_ELSEWHERE = 2 };

struct rec_head {
    uint64_t key;
    int64_t created;
    double score;
    uint32_t size;         /* of the whole record, a multiple of 8 */
    uint32_t input;
    uint32_t n_ev;
    uint8_t kind;
    uint8_t complaint;
    uint8_t has_created;
    uint8_t n_brands;
    uint8_t n_cats;
    char day[11];          /* YYYY-MM-DD and NUL */
};

struct part {
    FILE *f;
    uint64_t bytes;
};

struct cnd_once {
    struct cnd_agg *agg;
    char *dir;
    struct part top;       /* every record, in input order */
    uint64_t budget;       /* a larger partition is split */
    uint64_t *recent;      /* ONCE_RECENT keys, 0 = empty slot */
    uint64_t repeats;      /* duplicates found by cnd_once_repeat */
    cnd_once_counted_fn counted;
    void *counted_arg;
    struct cnd_buf rec;    /* records not yet written to "top", the last being built */
    size_t rec_start;      /* where the last one starts */
    /* Scratch for rebuilding a verdict's evidence at settle time. */
    struct cnd_evidence *ev;
    size_t cap_ev;
    int failed;
};

/* ---- Helpers ---- */

/* The partition of "key" among 2^"bits" at the level that has used "shift" bits already. */
static unsigned part_of(uint64_t key, unsigned shift, unsigned bits)
{
    return (unsigned)((cnd_hash_mix(key) << shift) >> (64 - bits));
}

static int add_str(struct cnd_buf *b, const char *s, size_t len)
{
    uint32_t n = s == NULL ? ONCE_NULL : (uint32_t)len;
    int ret;

    if (s != NULL && len >= ONCE_NULL) {
        return CND_ETOOBIG;
    }
    ret = cnd_buf_add(b, &n, sizeof(n));
    if (ret == 0 && s != NULL) {
        ret = cnd_buf_add(b, s, len);
        if (ret == 0) {
            ret = cnd_buf_add(b, "", 1);
        }
    }
    return ret;
}

static int add_cstr(struct cnd_buf *b, const char *s)
{
    return add_str(b, s, s == NULL ? 0 : strlen(s));
}

/*
 * Reads the string at "*pos" of the record "rec" ("size" bytes). Returns
 * 0, or CND_EIO when the record is damaged.
 */
static int take_str(const char *rec, size_t size, size_t *pos, const char **s, size_t *len)
{
    uint32_t n;

    if (size - *pos < sizeof(n)) {
        return CND_EIO;
    }
    memcpy(&n, rec + *pos, sizeof(n));
    *pos += sizeof(n);
    if (n == ONCE_NULL) {
        *s = NULL;
        *len = 0;
        return 0;
    }
    if (size - *pos < (size_t)n + 1 || rec[*pos + n] != '\0') {
        return CND_EIO;
    }
    *s = rec + *pos;
    *len = n;
    *pos += (size_t)n + 1;
    return 0;
}

static int write_rec(struct cnd_once *o, uint64_t key, const void *rec, size_t size,
                     struct part *parts, unsigned shift, unsigned bits)
{
    struct part *p = &parts[part_of(key, shift, bits)];

    if (p->f == NULL) {
        p->f = cnd_temp_file(o->dir);
        if (p->f == NULL) {
            return CND_EIO;
        }
    }
    if (fwrite(rec, 1, size, p->f) != size) {
        cnd_log(CND_LOG_ERROR, "output", "cannot write a temporary file in '%s': %s", o->dir,
                strerror(errno));
        return CND_EIO;
    }
    p->bytes += size;
    return 0;
}

/* Writes the finished records out to the "top" file. */
static int flush_recs(struct cnd_once *o)
{
    int ret = 0;

    if (o->rec.len > 0) {
        if (fwrite(o->rec.data, 1, o->rec.len, o->top.f) != o->rec.len) {
            cnd_log(CND_LOG_ERROR, "output", "cannot write a temporary file in '%s': %s",
                    o->dir, strerror(errno));
            ret = CND_EIO;
        }
        o->top.bytes += o->rec.len;
    }
    cnd_buf_reset(&o->rec);
    o->rec_start = 0;
    return ret;
}

/*
 * Pads the record being built to 8 bytes and sets its size in its head;
 * writes the block out once it is full.
 */
static int finish_rec(struct cnd_once *o)
{
    static const char zeros[8];
    size_t size;
    uint32_t size32;
    int ret = 0;

    if (o->rec.len % 8 != 0) {
        ret = cnd_buf_add(&o->rec, zeros, 8 - o->rec.len % 8);
    }
    size = o->rec.len - o->rec_start;
    if (ret == 0 && size > UINT32_MAX) {
        cnd_log(CND_LOG_ERROR, "output", "a post of %zu bytes with its verdict is too long",
                size);
        ret = CND_ETOOBIG;
    }
    if (ret < 0) {
        o->rec.len = o->rec_start;   /* no half record */
        return ret;
    }
    size32 = (uint32_t)size;
    memcpy(o->rec.data + o->rec_start + offsetof(struct rec_head, size), &size32,
           sizeof(size32));
    o->rec_start = o->rec.len;
    return o->rec.len >= ONCE_BLOCK ? flush_recs(o) : 0;
}

static int start_rec(struct cnd_once *o, uint64_t key, const char *day, int kind)
{
    struct rec_head h;

    if (cnd_day_check(day) < 0) {
        cnd_log(CND_LOG_ERROR, "output", "bad day '%s' (want YYYY-MM-DD)", day ? day : "");
        return CND_EINVAL;
    }
    memset(&h, 0, sizeof(h));
    h.key = key;
    h.kind = (uint8_t)kind;
    memcpy(h.day, day, strlen(day) + 1);
    o->recent[cnd_hash_mix(key) & (ONCE_RECENT - 1)] = key;
    /* The records before it are whole and 8-byte aligned, so this head is too. */
    o->rec_start = o->rec.len;
    return cnd_buf_add(&o->rec, &h, sizeof(h));
}

static int sticky(struct cnd_once *o, int ret)
{
    if (ret < 0 && ret != CND_EINVAL) {
        o->failed = ret;
    }
    return ret;
}

/*
 * The key of a post: cnd_hash64 over its "source", one 0x1f byte (a byte
 * that never appears in source names or ids) and its "id", chained
 * through the seed so that no copy is needed. Stable across runs and
 * machines of the same byte order, as the state files need.
 */
uint64_t cnd_post_key(const struct cnd_post *post)
{
    static const char sep = 0x1f;
    uint64_t h;

    h = cnd_hash64(post->source.ptr ? post->source.ptr : "", post->source.len, 0);
    h = cnd_hash64(&sep, 1, h);
    return cnd_hash64(post->id.ptr ? post->id.ptr : "", post->id.len, h);
}

/* ---- Lifecycle and adding ---- */

struct cnd_once *cnd_once_new(struct cnd_agg *agg, const char *dir, int *err)
{
    struct cnd_once *o;

    if (dir == NULL || dir[0] == '\0') {
        dir = getenv("TMPDIR");
        if (dir == NULL || dir[0] == '\0') {
            dir = "/tmp";
        }
    }
    o = cnd_calloc(1, sizeof(*o));
    if (o == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    o->agg = agg;
    o->budget = ONCE_BUDGET;
    o->dir = cnd_strdup(dir);
    o->recent = cnd_calloc(ONCE_RECENT, sizeof(*o->recent));
    cnd_buf_init(&o->rec, 0);
    if (o->dir == NULL || o->recent == NULL) {
        cnd_once_free(o);
        *err = CND_ENOMEM;
        return NULL;
    }
    /* Made now, so that an unusable directory shows before any input is read. */
    o->top.f = cnd_temp_file(o->dir);
    if (o->top.f == NULL) {
        *err = errno == ENOMEM ? CND_ENOMEM : CND_EIO;
        cnd_once_free(o);
        return NULL;
    }
    return o;
}

void cnd_once_free(struct cnd_once *o)
{
    if (o == NULL) {
        return;
    }
    if (o->top.f != NULL) {
        fclose(o->top.f);
    }
    cnd_buf_release(&o->rec);
    cnd_free(o->recent);
    cnd_free(o->ev);
    cnd_free(o->dir);
    cnd_free(o);
}

void cnd_once_set_budget(struct cnd_once *o, uint64_t bytes)
{
    o->budget = bytes;
}

void cnd_once_on_counted(struct cnd_once *o, cnd_once_counted_fn fn, void *arg)
{
    o->counted = fn;
    o->counted_arg = arg;
}

int cnd_once_repeat(struct cnd_once *o, uint64_t key)
{
    if (key != 0 && o->recent[cnd_hash_mix(key) & (ONCE_RECENT - 1)] == key) {
        o->repeats++;
        return 1;
    }
    return 0;
}

/* The work of cnd_once_add(). */
static int add_post(struct cnd_once *o, uint64_t key, const char *day, size_t input,
                    const struct cnd_post *post, const struct cnd_verdict *v,
                    const char *complaint_json, size_t json_len)
{
    struct rec_head *h;
    size_t i, n_brands, n_cats = 0, n_ev = 0;
    int ret;

    if (input >= UINT32_MAX) {
        cnd_log(CND_LOG_ERROR, "output", "input number %zu is out of range", input);
        return CND_EINVAL;
    }
    ret = start_rec(o, key, day, REC_POST);
    if (ret < 0) {
        return ret;
    }
    n_brands = v->n_brands < CND_MAX_VERDICT_BRANDS ? v->n_brands : CND_MAX_VERDICT_BRANDS;
    if (v->complaint) {
        /* What only a complaint counts: the aggregate never looks at the rest. */
        n_cats = v->n_categories < CND_MAX_CATEGORIES ? v->n_categories : CND_MAX_CATEGORIES;
        n_ev = v->evidence != NULL ? v->n_evidence : 0;
    }
    if (n_ev >= UINT32_MAX) {
        return CND_ETOOBIG;
    }
    h = (struct rec_head *)(void *)(o->rec.data + o->rec_start);
    h->input = (uint32_t)input;
    h->complaint = v->complaint != 0;
    h->score = v->score;
    h->has_created = post->has_created_at != 0;
    h->created = post->created_at;
    h->n_brands = (uint8_t)n_brands;
    h->n_cats = (uint8_t)n_cats;
    h->n_ev = (uint32_t)n_ev;
    ret = cnd_buf_add(&o->rec, v->category_scores, n_cats * sizeof(v->category_scores[0]));
    if (ret == 0) {
        ret = add_str(&o->rec, post->source.ptr ? post->source.ptr : "", post->source.len);
    }
    for (i = 0; ret == 0 && i < n_brands; i++) {
        ret = add_cstr(&o->rec, v->brands[i]);
    }
    if (ret == 0 && v->complaint) {
        ret = add_str(&o->rec, post->author.ptr, post->author.len);
        if (ret == 0) {
            ret = add_str(&o->rec, post->id.ptr ? post->id.ptr : "", post->id.len);
        }
        for (i = 0; ret == 0 && i < n_cats; i++) {
            ret = add_cstr(&o->rec, v->categories[i]);
        }
        for (i = 0; ret == 0 && i < n_ev; i++) {
            ret = add_cstr(&o->rec, v->evidence[i].rule);
            if (ret == 0) {
                ret = add_cstr(&o->rec, v->evidence[i].category);
            }
        }
        if (ret == 0) {
            ret = add_str(&o->rec, complaint_json ? complaint_json : "", json_len);
        }
    }
    if (ret < 0) {
        o->rec.len = o->rec_start;   /* no half record */
        return ret;
    }
    return finish_rec(o);
}

int cnd_once_add(struct cnd_once *o, uint64_t key, const char *day, size_t input,
                 const struct cnd_post *post, const struct cnd_verdict *v,
                 const char *complaint_json, size_t json_len)
{
    if (o->failed) {
        return o->failed;
    }
    return sticky(o, add_post(o, key, day, input, post, v, complaint_json, json_len));
}

int cnd_once_elsewhere(struct cnd_once *o, uint64_t key, const char *day)
{
    int ret;

    if (o->failed) {
        return o->failed;
    }
    ret = start_rec(o, key, day, REC_ELSEWHERE);
    return sticky(o, ret < 0 ? ret : finish_rec(o));
}

/* ---- Settling ---- */

/*
 * A record to sort. Records stay in input order in every file (appended in
 * that order, split in that order), so their offsets tell which came first.
 */
struct entry {
    uint64_t key;
    size_t off;
};

static int entry_cmp(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;

    if (a->key != b->key) {
        return a->key < b->key ? -1 : 1;
    }
    return a->off < b->off ? -1 : a->off > b->off;
}

/* Counts the record "rec" ("size" bytes, checked) in the aggregate. */
static int apply(struct cnd_once *o, const char *rec, size_t size, struct cnd_once_counts *n)
{
    struct rec_head h;
    struct cnd_post post;
    struct cnd_verdict v;
    const char *json = "", *s;
    size_t pos, i, len, json_len = 0;
    int ret;

    memcpy(&h, rec, sizeof(h));
    if (h.kind == REC_ELSEWHERE) {
        n->elsewhere++;
        return cnd_agg_touch_day(o->agg, h.day);
    }
    if (h.n_brands > CND_MAX_VERDICT_BRANDS || h.n_cats > CND_MAX_CATEGORIES) {
        return CND_EIO;
    }
    memset(&post, 0, sizeof(post));
    memset(&v, 0, sizeof(v));
    pos = sizeof(h);
    if (size - pos < h.n_cats * sizeof(v.category_scores[0])) {
        return CND_EIO;
    }
    memcpy(v.category_scores, rec + pos, h.n_cats * sizeof(v.category_scores[0]));
    pos += h.n_cats * sizeof(v.category_scores[0]);
    ret = take_str(rec, size, &pos, &post.source.ptr, &post.source.len);
    for (i = 0; ret == 0 && i < h.n_brands; i++) {
        ret = take_str(rec, size, &pos, &v.brands[i], &len);
    }
    v.n_brands = h.n_brands;
    v.complaint = h.complaint;
    v.score = h.score;
    post.created_at = h.created;
    post.has_created_at = h.has_created;
    if (ret == 0 && h.complaint) {
        if (h.n_ev > o->cap_ev) {
            struct cnd_evidence *grown = cnd_realloc(o->ev, h.n_ev * sizeof(*grown));

            if (grown == NULL) {
                return CND_ENOMEM;
            }
            o->ev = grown;
            o->cap_ev = h.n_ev;
        }
        ret = take_str(rec, size, &pos, &post.author.ptr, &post.author.len);
        if (ret == 0) {
            ret = take_str(rec, size, &pos, &post.id.ptr, &post.id.len);
        }
        for (i = 0; ret == 0 && i < h.n_cats; i++) {
            ret = take_str(rec, size, &pos, &v.categories[i], &len);
        }
        for (i = 0; ret == 0 && i < h.n_ev; i++) {
            memset(&o->ev[i], 0, sizeof(o->ev[i]));
            ret = take_str(rec, size, &pos, &o->ev[i].rule, &len);
            if (ret == 0) {
                ret = take_str(rec, size, &pos, &o->ev[i].category, &len);
            }
        }
        if (ret == 0) {
            ret = take_str(rec, size, &pos, &s, &json_len);
            json = s != NULL ? s : "";
        }
        v.n_categories = h.n_cats;
        v.n_evidence = h.n_ev;
        v.evidence = o->ev;
    }
    if (ret < 0) {
        return ret;
    }
    n->posts++;
    n->complaints += h.complaint;
    if (o->counted != NULL) {
        ret = o->counted(o->counted_arg, &post, &v);
        if (ret < 0) {
            return ret;
        }
    }
    return cnd_agg_add(o->agg, h.day, h.input, &post, &v, json, json_len);
}

/* Sorts the records of one partition ("bytes" in "buf") and counts the first of each key. */
static int settle_buf(struct cnd_once *o, const char *buf, size_t bytes,
                      struct cnd_once_counts *n)
{
    struct entry *e;
    size_t n_e = 0, cap = 0, off = 0, i;
    int ret = 0;

    /* Records are at least a head long, so this bounds their number. */
    cap = bytes / sizeof(struct rec_head) + 1;
    e = cnd_malloc(cap * sizeof(*e));
    if (e == NULL) {
        return CND_ENOMEM;
    }
    while (off < bytes) {
        struct rec_head h;

        if (bytes - off < sizeof(h)) {
            ret = CND_EIO;
            break;
        }
        memcpy(&h, buf + off, sizeof(h));
        if (h.size < sizeof(h) || h.size % 8 != 0 || h.size > bytes - off || n_e == cap) {
            ret = CND_EIO;
            break;
        }
        e[n_e].key = h.key;
        e[n_e].off = off;
        n_e++;
        off += h.size;
    }
    if (ret == 0) {
        qsort(e, n_e, sizeof(*e), entry_cmp);
        for (i = 0; ret == 0 && i < n_e; i++) {
            if (i > 0 && e[i].key == e[i - 1].key) {
                n->duplicates++;
                continue;
            }
            {
                uint32_t size;

                memcpy(&size, buf + e[i].off + offsetof(struct rec_head, size), sizeof(size));
                ret = apply(o, buf + e[i].off, size, n);
            }
        }
    }
    cnd_free(e);
    if (ret == CND_EIO) {
        cnd_log(CND_LOG_ERROR, "output", "a temporary file in '%s' was damaged", o->dir);
    }
    return ret;
}

static int settle_part(struct cnd_once *o, struct part *p, unsigned shift,
                       struct cnd_once_counts *n);

/*
 * Reads the next record of "p" into "buf" from "*pos" on (reading on in
 * blocks, moving what is left to the front). Returns its size, 0 at the
 * end, or CND_EIO.
 */
static long next_rec(struct part *p, struct cnd_buf *buf, size_t *pos, uint64_t *left)
{
    uint32_t size = 0;
    size_t want = sizeof(struct rec_head);

    for (;;) {
        size_t have = buf->len - *pos, n;

        if (have >= sizeof(struct rec_head)) {
            memcpy(&size, buf->data + *pos + offsetof(struct rec_head, size), sizeof(size));
            if (size < sizeof(struct rec_head) || size % 8 != 0 || size > have + *left) {
                return CND_EIO;
            }
            want = size;
        }
        if (have >= want && size != 0) {
            return (long)size;
        }
        if (*left == 0) {
            return have == 0 ? 0 : CND_EIO;
        }
        if (have > 0) {
            memmove(buf->data, buf->data + *pos, have);
        }
        buf->len = have;
        *pos = 0;
        n = *left < ONCE_BLOCK ? (size_t)*left : ONCE_BLOCK;
        if (n < want - have) {
            n = want - have;
        }
        if (cnd_buf_reserve(buf, n) < 0) {
            return CND_ENOMEM;
        }
        if (fread(buf->data + buf->len, 1, n, p->f) != n) {
            return CND_EIO;
        }
        buf->len += n;
        *left -= n;
    }
}

/*
 * Splits a partition too large to sort in memory by the next bits of the
 * key ("shift" bits were used to get here) and settles the pieces.
 */
static int split_part(struct cnd_once *o, struct part *p, unsigned shift,
                      struct cnd_once_counts *n)
{
    struct part *sub;
    struct cnd_buf buf;
    uint64_t left = p->bytes;
    size_t pos = 0, i;
    unsigned bits = 1;
    long size;
    int ret = 0;

    while (bits < ONCE_MAX_BITS && shift + bits < 64 && (p->bytes >> bits) > o->budget / 8) {
        bits++;
    }
    sub = cnd_calloc((size_t)1 << bits, sizeof(*sub));
    if (sub == NULL) {
        return CND_ENOMEM;
    }
    cnd_buf_init(&buf, 0);
    while ((size = next_rec(p, &buf, &pos, &left)) > 0) {
        uint64_t key;

        memcpy(&key, buf.data + pos, sizeof(key));
        ret = write_rec(o, key, buf.data + pos, (size_t)size, sub, shift, bits);
        if (ret < 0) {
            break;
        }
        pos += (size_t)size;
    }
    if (size < 0) {
        ret = (int)size;
        if (ret == CND_EIO) {
            cnd_log(CND_LOG_ERROR, "output", "cannot read back a temporary file in '%s'",
                    o->dir);
        }
    }
    cnd_buf_release(&buf);
    fclose(p->f);
    p->f = NULL;
    for (i = 0; i < ((size_t)1 << bits); i++) {
        if (ret == 0) {
            ret = settle_part(o, &sub[i], shift + bits, n);
        }
        if (sub[i].f != NULL) {
            fclose(sub[i].f);
        }
    }
    cnd_free(sub);
    return ret;
}

/* Settles "p", a partition by the first "shift" bits of the mixed key. */
static int settle_part(struct cnd_once *o, struct part *p, unsigned shift,
                       struct cnd_once_counts *n)
{
    char *buf;
    int ret;

    if (p->f == NULL || p->bytes == 0) {
        return 0;
    }
    if (fflush(p->f) != 0 || fseek(p->f, 0, SEEK_SET) != 0) {
        cnd_log(CND_LOG_ERROR, "output", "cannot write a temporary file in '%s': %s", o->dir,
                strerror(errno));
        return CND_EIO;
    }
    /* With no bits left (one key repeated), a partition is sorted as it is. */
    if (p->bytes > o->budget && shift < 64) {
        return split_part(o, p, shift, n);
    }
    if (p->bytes > SIZE_MAX) {
        return CND_ENOMEM;
    }
    buf = cnd_malloc((size_t)p->bytes);
    if (buf == NULL) {
        return CND_ENOMEM;
    }
    if (fread(buf, 1, (size_t)p->bytes, p->f) != p->bytes) {
        cnd_log(CND_LOG_ERROR, "output", "cannot read back a temporary file in '%s'", o->dir);
        cnd_free(buf);
        return CND_EIO;
    }
    ret = settle_buf(o, buf, (size_t)p->bytes, n);
    cnd_free(buf);
    fclose(p->f);
    p->f = NULL;
    return ret;
}

int cnd_once_settle(struct cnd_once *o, struct cnd_once_counts *counts)
{
    int ret;

    memset(counts, 0, sizeof(*counts));
    counts->duplicates = o->repeats;
    if (o->failed) {
        return o->failed;
    }
    ret = flush_recs(o);
    if (ret == 0) {
        ret = settle_part(o, &o->top, 0, counts);
    }
    return sticky(o, ret);
}
