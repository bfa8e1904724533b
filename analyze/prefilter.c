/* SPDX-License-Identifier: MIT */
/*
 * The literal prefilter: an Aho-Corasick automaton over bytes, built once
 * into a full DFA over a reduced alphabet (every byte that occurs in some
 * literal has its own class, ASCII letters folded, all other bytes share
 * class 0), so a scan is one table load per byte of text. Each rule,
 * negator and cue has one or more literals that any match must contain;
 * only patterns whose literal occurs are handed to PCRE2. Also here:
 * choosing those literals from phrases and regexes.
 */
#include <string.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

#define ACM_FLAG 0x80000000u
#define ACM_NONE 0xffffffffu

struct cnd_acm {
    /* literals as added, lowercased */
    char **lits;
    size_t *lens;
    size_t n_lits, cap_lits;
    uint32_t *hidx;      /* open addressing: literal number + 1, 0 = empty */
    size_t hcap;
    /* built tables */
    unsigned char cls[256];
    size_t ncls;
    size_t n_states;
    uint32_t *table;     /* n_states * ncls entries: target state, | ACM_FLAG if it reports */
    uint16_t *table16;   /* the same as target | 0x8000 when there are < 32768 states */
    int32_t *out_first;  /* per state: first literal ending there, -1 */
    int32_t *out_next;   /* per literal: next literal ending in the same state, -1 */
    uint32_t *dict;      /* per state: nearest proper suffix state with output, 0 = none */
    uint16_t *depth;     /* per state: length of the prefix it stands for (capped) */
    unsigned char start[256]; /* start[b]: byte b leaves the root state */
    int sparse_start;    /* few bytes leave the root: skip the others with a table */
    uint8_t pair[8192];  /* bit b0 | b1 << 8: some literal may start with bytes b0 b1 */
    size_t max_len;      /* the longest literal */
    int built;
};

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

struct cnd_acm *cnd_acm_new(void)
{
    return cnd_calloc(1, sizeof(struct cnd_acm));
}

void cnd_acm_free(struct cnd_acm *acm)
{
    size_t i;

    if (acm == NULL) {
        return;
    }
    for (i = 0; i < acm->n_lits; i++) {
        cnd_free(acm->lits[i]);
    }
    cnd_free(acm->lits);
    cnd_free(acm->lens);
    cnd_free(acm->hidx);
    cnd_free(acm->table);
    cnd_free(acm->table16);
    cnd_free(acm->out_first);
    cnd_free(acm->out_next);
    cnd_free(acm->dict);
    cnd_free(acm->depth);
    cnd_free(acm);
}

static size_t lit_hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h = (h ^ lower((unsigned char)s[i])) * 0x100000001b3ULL;
    }
    return (size_t)(h ^ (h >> 31));
}

/* Finds the slot of the literal "s" (case folded) or the empty slot where it would go. */
static size_t lit_slot(const struct cnd_acm *acm, const char *s, size_t len)
{
    size_t i = lit_hash(s, len) & (acm->hcap - 1), j;

    for (;;) {
        uint32_t v = acm->hidx[i];

        if (v == 0) {
            return i;
        }
        if (acm->lens[v - 1] == len) {
            for (j = 0; j < len; j++) {
                if ((unsigned char)acm->lits[v - 1][j] != lower((unsigned char)s[j])) {
                    break;
                }
            }
            if (j == len) {
                return i;
            }
        }
        i = (i + 1) & (acm->hcap - 1);
    }
}

int cnd_acm_add(struct cnd_acm *acm, const char *s, size_t len)
{
    size_t i, j;
    char *copy;

    if (len == 0 || acm->built || acm->n_lits >= 0x7fffffff) {
        return CND_EINVAL;
    }
    if ((acm->n_lits + 1) * 2 > acm->hcap) {
        size_t ncap = acm->hcap ? acm->hcap * 2 : 64;
        uint32_t *nh = cnd_calloc(ncap, sizeof(*nh));

        if (nh == NULL) {
            return CND_ENOMEM;
        }
        cnd_free(acm->hidx);
        acm->hidx = nh;
        acm->hcap = ncap;
        for (i = 0; i < acm->n_lits; i++) {
            acm->hidx[lit_slot(acm, acm->lits[i], acm->lens[i])] = (uint32_t)(i + 1);
        }
    }
    i = lit_slot(acm, s, len);
    if (acm->hidx[i] != 0) {
        return (int)(acm->hidx[i] - 1);
    }
    if (acm->n_lits == acm->cap_lits) {
        size_t ncap = acm->cap_lits ? acm->cap_lits * 2 : 32;
        char **nl = cnd_realloc(acm->lits, ncap * sizeof(*nl));
        size_t *nlen;

        if (nl == NULL) {
            return CND_ENOMEM;
        }
        acm->lits = nl;
        nlen = cnd_realloc(acm->lens, ncap * sizeof(*nlen));
        if (nlen == NULL) {
            return CND_ENOMEM;
        }
        acm->lens = nlen;
        acm->cap_lits = ncap;
    }
    copy = cnd_malloc(len + 1);
    if (copy == NULL) {
        return CND_ENOMEM;
    }
    for (j = 0; j < len; j++) {
        copy[j] = (char)lower((unsigned char)s[j]);
    }
    copy[len] = '\0';
    acm->lits[acm->n_lits] = copy;
    acm->lens[acm->n_lits] = len;
    acm->hidx[i] = (uint32_t)(acm->n_lits + 1);
    return (int)acm->n_lits++;
}

size_t cnd_acm_n_states(const struct cnd_acm *acm, size_t *ncls)
{
    *ncls = acm->ncls;
    return acm->n_states;
}

size_t cnd_acm_n_literals(const struct cnd_acm *acm)
{
    return acm->n_lits;
}

const char *cnd_acm_literal(const struct cnd_acm *acm, uint32_t lit)
{
    return lit < acm->n_lits ? acm->lits[lit] : "";
}

/* ---- Building ---- */

/* Adds a row of missing edges to the trie "*go" ("*cap" rows); CND_ENOMEM. */
static int trie_row(uint32_t **go, size_t *cap, size_t n, size_t ncls)
{
    if (n >= *cap) {
        size_t ncap = *cap + *cap / 2 + 64;
        uint32_t *ngo;

        if (ncap > SIZE_MAX / ncls / sizeof(**go)) {
            return CND_ENOMEM;
        }
        ngo = cnd_realloc(*go, ncap * ncls * sizeof(**go));
        if (ngo == NULL) {
            return CND_ENOMEM;
        }
        *go = ngo;
        *cap = ncap;
    }
    memset(*go + n * ncls, 0xff, ncls * sizeof(**go));
    return 0;
}

/*
 * Renumbers the trie's states breadth first: the root and the shallow
 * states, where a scan spends nearly all its steps, share a few pages of
 * the table. "order" has room for every state; "out_first" and
 * "depth" are permuted along.
 */
static void renumber_bfs(struct cnd_acm *acm, uint32_t *go, uint32_t *order, uint32_t *newnum)
{
    size_t ncls = acm->ncls, n = acm->n_states, head = 0, tail = 0, s, c;

    order[tail++] = 0;
    while (head < tail) {
        uint32_t st = order[head++];

        for (c = 0; c < ncls; c++) {
            uint32_t t = go[st * ncls + c];

            if (t != ACM_NONE) {
                order[tail++] = t;
            }
        }
    }
    for (s = 0; s < n; s++) {
        newnum[order[s]] = (uint32_t)s;
    }
    /* edges point at the new numbers, then each row moves to its place (cycles) */
    for (s = 0; s < n * ncls; s++) {
        go[s] = go[s] == ACM_NONE ? ACM_NONE : newnum[go[s]];
    }
    for (s = 0; s < n; s++) {
        uint32_t cur = (uint32_t)s;

        if (newnum[s] == s || newnum[s] == ACM_NONE) {
            continue;
        }
        /*
         * Round the cycle from s: the row being carried sits in "order"
         * (free now), its out_first and depth in slot s, each swapped
         * with those of the place it goes to.
         */
        memcpy(order, go + s * ncls, ncls * sizeof(*go));
        while (newnum[cur] != s) {
            uint32_t dst = newnum[cur];
            int32_t of = acm->out_first[dst];
            uint16_t dp = acm->depth[dst];

            for (c = 0; c < ncls; c++) {
                uint32_t t = go[dst * ncls + c];

                go[dst * ncls + c] = order[c];
                order[c] = t;
            }
            acm->out_first[dst] = acm->out_first[s];
            acm->out_first[s] = of;
            acm->depth[dst] = acm->depth[s];
            acm->depth[s] = dp;
            newnum[cur] = ACM_NONE;
            cur = dst;
        }
        memcpy(go + s * ncls, order, ncls * sizeof(*go));
        newnum[cur] = ACM_NONE;
    }
}

int cnd_acm_build(struct cnd_acm *acm)
{
    size_t i, j, total = 1, cap = 0, c, head, tail;
    uint32_t *go = NULL, *fail = NULL, *queue = NULL, *newnum = NULL;
    int ret = CND_ENOMEM;

    /* The reduced alphabet. */
    memset(acm->cls, 0, sizeof(acm->cls));
    acm->ncls = 1;
    acm->max_len = 0;
    for (i = 0; i < acm->n_lits; i++) {
        total += acm->lens[i];
        if (acm->lens[i] > acm->max_len) {
            acm->max_len = acm->lens[i];
        }
        for (j = 0; j < acm->lens[i]; j++) {
            unsigned char b = (unsigned char)acm->lits[i][j];

            if (acm->cls[b] == 0) {
                acm->cls[b] = (unsigned char)acm->ncls++;
                if (b >= 'a' && b <= 'z') {
                    acm->cls[b - 32] = acm->cls[b];
                }
            }
        }
    }
    if (total > (ACM_FLAG - 1) / acm->ncls) {
        return CND_ENOMEM;
    }
    /* The trie, with ACM_NONE for missing edges, grown as states come. */
    acm->out_next = cnd_malloc((acm->n_lits ? acm->n_lits : 1) * sizeof(*acm->out_next));
    if (acm->out_next == NULL || trie_row(&go, &cap, 0, acm->ncls) < 0) {
        goto out;
    }
    {
        size_t rows = 1;

        for (i = 0; i < acm->n_lits; i++) {
            uint32_t s = 0;

            for (j = 0; j < acm->lens[i]; j++) {
                c = acm->cls[(unsigned char)acm->lits[i][j]];
                if (go[s * acm->ncls + c] == ACM_NONE) {
                    if (trie_row(&go, &cap, rows, acm->ncls) < 0) {
                        goto out;
                    }
                    go[s * acm->ncls + c] = (uint32_t)rows++;
                }
                s = go[s * acm->ncls + c];
            }
        }
        acm->n_states = rows;
    }
    fail = cnd_calloc(acm->n_states, sizeof(*fail));
    queue = cnd_malloc((acm->n_states > acm->ncls ? acm->n_states : acm->ncls) * sizeof(*queue));
    newnum = cnd_malloc(acm->n_states * sizeof(*newnum));
    acm->out_first = cnd_malloc(acm->n_states * sizeof(*acm->out_first));
    acm->depth = cnd_calloc(acm->n_states, sizeof(*acm->depth));
    acm->dict = cnd_calloc(acm->n_states, sizeof(*acm->dict));
    if (fail == NULL || queue == NULL || newnum == NULL || acm->out_first == NULL ||
        acm->depth == NULL || acm->dict == NULL) {
        goto out;
    }
    for (i = 0; i < acm->n_states; i++) {
        acm->out_first[i] = -1;
    }
    for (i = 0; i < acm->n_lits; i++) {
        uint32_t s = 0;

        for (j = 0; j < acm->lens[i]; j++) {
            s = go[s * acm->ncls + acm->cls[(unsigned char)acm->lits[i][j]]];
            acm->depth[s] = (uint16_t)(j + 1 < UINT16_MAX ? j + 1 : UINT16_MAX);
        }
        acm->out_next[i] = acm->out_first[s];
        acm->out_first[s] = (int32_t)i;
    }
    renumber_bfs(acm, go, queue, newnum);
    /* Breadth first: failure links, dictionary links, full transitions. */
    head = tail = 0;
    for (c = 0; c < acm->ncls; c++) {
        uint32_t t = go[c];

        if (t == ACM_NONE) {
            go[c] = 0;
        } else {
            fail[t] = 0;
            queue[tail++] = t;
        }
    }
    while (head < tail) {
        uint32_t s = queue[head++];

        for (c = 0; c < acm->ncls; c++) {
            uint32_t t = go[s * acm->ncls + c];
            uint32_t f = go[fail[s] * acm->ncls + c];

            if (t == ACM_NONE) {
                go[s * acm->ncls + c] = f;
            } else {
                fail[t] = f;
                acm->dict[t] = acm->out_first[f] >= 0 ? f : acm->dict[f];
                queue[tail++] = t;
            }
        }
    }
    if (acm->n_states < 0x8000) {
        /* small automaton: half the cache footprint */
        acm->table16 = cnd_malloc(acm->n_states * acm->ncls * sizeof(*acm->table16));
        if (acm->table16 == NULL) {
            goto out;
        }
        for (i = 0; i < acm->n_states * acm->ncls; i++) {
            uint32_t t = go[i];

            acm->table16[i] = (uint16_t)t;
            if (acm->out_first[t] >= 0 || acm->dict[t] != 0) {
                acm->table16[i] |= 0x8000;
            }
        }
    } else {
        /* entries hold the target state, flagged when it reports */
        acm->table = cnd_malloc(acm->n_states * acm->ncls * sizeof(*acm->table));
        if (acm->table == NULL) {
            goto out;
        }
        for (i = 0; i < acm->n_states * acm->ncls; i++) {
            uint32_t t = go[i];

            acm->table[i] = t;
            if (acm->out_first[t] >= 0 || acm->dict[t] != 0) {
                acm->table[i] |= ACM_FLAG;
            }
        }
    }
    /* Bytes that leave the root: a scan in the root state skips the rest. */
    {
        size_t n_start = 0;

        for (i = 0; i < 256; i++) {
            acm->start[i] = go[acm->cls[i]] != 0;
            n_start += acm->start[i];
        }
        acm->sparse_start = n_start <= 96;
    }
    /* Pairs of bytes that may start a literal (a one-byte literal: any second byte). */
    memset(acm->pair, 0, sizeof(acm->pair));
    for (i = 0; i < acm->n_lits; i++) {
        unsigned char l0 = (unsigned char)acm->lits[i][0];
        unsigned char l1 = acm->lens[i] > 1 ? (unsigned char)acm->lits[i][1] : 0;
        unsigned v0, v1;

        for (v0 = 0; v0 < 256; v0++) {
            if (lower((unsigned char)v0) != l0) {
                continue;
            }
            for (v1 = 0; v1 < 256; v1++) {
                if (acm->lens[i] == 1 || lower((unsigned char)v1) == l1) {
                    acm->pair[(v0 | v1 << 8) >> 3] |= (uint8_t)(1u << (v0 & 7));
                }
            }
        }
    }
    acm->built = 1;
    ret = 0;
out:
    cnd_free(go);
    cnd_free(fail);
    cnd_free(queue);
    cnd_free(newnum);
    return ret;
}

/* ---- Scanning ---- */

/*
 * Reports every literal ending in state "st" (its own, then its suffixes').
 * Kept out of the scan loop so that the loop's state stays in registers.
 */
static __attribute__((noinline)) void report(const struct cnd_acm *acm, uint32_t st, size_t end,
                                             cnd_acm_hit_fn fn, void *arg)
{
    while (st != 0) {
        int32_t l;

        for (l = acm->out_first[st]; l >= 0; l = acm->out_next[l]) {
            fn(arg, (uint32_t)l, end);
        }
        st = acm->dict[st];
    }
}

/* Where a scan notes states: the states, once each, and where each was reached first and last. */
struct notes {
    uint64_t *seen;
    uint32_t *out, *first, *last;
    size_t n;
};

/* Notes reporting state "st" reached at end offset "end". */
static inline void note_state(struct notes *nt, uint32_t st, uint32_t end)
{
    uint64_t bit = (uint64_t)1 << (st & 63);

    if (!(nt->seen[st >> 6] & bit)) {
        nt->seen[st >> 6] |= bit;
        nt->out[nt->n++] = st;
        nt->first[st] = end;
        nt->last[st] = end;
    } else {
        /* the walks run side by side: an end may come before one already seen */
        nt->first[st] = end < nt->first[st] ? end : nt->first[st];
        nt->last[st] = end > nt->last[st] ? end : nt->last[st];
    }
}

/*
 * One step of the automaton from state "st" on byte "c", whichever the
 * table's width: the next state, and in "*reports" whether some literal
 * ends there.
 */
static inline uint32_t step(const struct cnd_acm *acm, uint32_t st, unsigned char c,
                            uint32_t *reports)
{
    size_t at = (size_t)st * acm->ncls + acm->cls[c];

    if (acm->table16 != NULL) {
        *reports = acm->table16[at] >> 15;
        return acm->table16[at] & 0x7fffu;
    }
    *reports = acm->table[at] >> 31;
    return acm->table[at] & ~ACM_FLAG;
}

/* Skips, in the root state of a sparse automaton, the bytes where no literal starts. */
static size_t skip_root(const struct cnd_acm *acm, const unsigned char *text, size_t len, size_t i)
{
    const uint8_t *pair = acm->pair;

    while (i + 1 < len &&
           !(pair[(text[i] | (unsigned)text[i + 1] << 8) >> 3] & (1u << (text[i] & 7)))) {
        i++;
    }
    return i + 1 == len && !acm->start[text[i]] ? len : i;
}

void cnd_acm_scan(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                  cnd_acm_hit_fn fn, void *arg)
{
    size_t i = 0;
    uint32_t st = 0, reports;

    if (!acm->built || acm->n_lits == 0) {
        return;
    }
    while (i < len) {
        if (st == 0 && acm->sparse_start) {
            /* an automaton few bytes leave (brand names): skip to where a literal may start */
            i = skip_root(acm, text, len, i);
            if (i == len) {
                break;
            }
        }
        st = step(acm, st, text[i++], &reports);
        if (reports) {
            report(acm, st, i, fn, arg);
        }
    }
}

#define ACM_SPLIT_MIN 160

/*
 * ACM_WALKS walks, one per part of a longer text: that many chains of
 * dependent table loads in flight instead of one, which matters for a
 * table that does not fit the caches (eight measured faster than four
 * and than sixteen with the shipped lexicon's 2.6 MB table). The walks
 * note every state they reach, with its end offset, in "buf" without a
 * branch (the slot is written always and kept when the entry says some
 * literal ends there);
 * the notes are sorted out, each state once, when "buf" fills and at the
 * end. Each walk but the last then runs on past its part's end for as
 * long as its state stands for a prefix begun inside the part (its
 * depth exceeds the bytes walked past the end): a literal that starts in
 * a part is seen whole, and one that starts later is the next walk's.
 */
#define ACM_NOTES 256

static void flush_notes(const uint64_t *buf, size_t nb, struct notes *nt)
{
    size_t k;

    for (k = 0; k < nb; k++) {
        note_state(nt, (uint32_t)(buf[k] & 0xffff), (uint32_t)(buf[k] >> 16));
    }
}

#define ACM_WALKS 8

static void scan16_walks(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                         struct notes *nt)
{
    const uint16_t *t16 = acm->table16, *depth = acm->depth;
    const unsigned char *cls = acm->cls;
    size_t ncls = acm->ncls, q = len / ACM_WALKS, nb = 0, i, w;
    uint32_t st[ACM_WALKS] = { 0 };
    /* a note: end offset << 16 | state; one store a walk and byte */
    uint64_t buf[ACM_NOTES], end0 = 0, dq = (uint64_t)q << 16;

    for (i = 0; i < q; i++) {
        uint32_t e[ACM_WALKS];

        end0 += (uint64_t)1 << 16;
        for (w = 0; w < ACM_WALKS; w++) {
            e[w] = t16[st[w] * ncls + cls[text[w * q + i]]];
        }
        for (w = 0; w < ACM_WALKS; w++) {
            st[w] = e[w] & 0x7fff;
            buf[nb] = (end0 + w * dq) | st[w];
            nb += e[w] >> 15;
        }
        if (nb > ACM_NOTES - ACM_WALKS) {
            flush_notes(buf, nb, nt);
            nb = 0;
        }
    }
    flush_notes(buf, nb, nt);
    /* the rest of each walk: all but the last while a literal begun in their part may go on */
    for (w = 0; w < ACM_WALKS; w++) {
        const unsigned char *p = text + w * q;
        size_t stop = len - w * q;
        uint32_t s = st[w];

        for (i = q; i < stop && (w == ACM_WALKS - 1 || depth[s] > i - q); i++) {
            uint32_t e = t16[s * ncls + cls[p[i]]];

            s = e & 0x7fff;
            if (e & 0x8000) {
                note_state(nt, s, (uint32_t)(w * q + i + 1));
            }
        }
    }
}

/* One walk over the whole text: short texts and automata of 32768 states or more. */
static void scan_states1(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                         struct notes *nt)
{
    size_t i;
    uint32_t st = 0, reports;

    for (i = 0; i < len; i++) {
        st = step(acm, st, text[i], &reports);
        if (reports) {
            note_state(nt, st, (uint32_t)(i + 1));
        }
    }
}

size_t cnd_acm_scan_states(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                           uint64_t *seen, uint32_t *out, uint32_t *first, uint32_t *last)
{
    struct notes nt;
    size_t k;

    if (!acm->built || acm->n_lits == 0 || len > UINT32_MAX) {
        return 0;
    }
    nt.seen = seen;
    nt.out = out;
    nt.first = first;
    nt.last = last;
    nt.n = 0;
    if (acm->table16 != NULL && len >= ACM_SPLIT_MIN && acm->max_len < UINT16_MAX) {
        scan16_walks(acm, text, len, &nt);
    } else {
        scan_states1(acm, text, len, &nt);
    }
    for (k = 0; k < nt.n; k++) {
        seen[out[k] >> 6] = 0;
    }
    return nt.n;
}

size_t cnd_acm_state_literals(const struct cnd_acm *acm, uint32_t st, uint32_t *out, size_t max)
{
    size_t n = 0;

    while (st != 0 && st < acm->n_states) {
        int32_t l;

        for (l = acm->out_first[st]; l >= 0; l = acm->out_next[l]) {
            if (n < max) {
                out[n] = (uint32_t)l;
            }
            n++;
        }
        st = acm->dict[st];
    }
    return n;
}

/* ---- Word-boundary marks ---- */

/*
 * ASCII word characters. Every other byte, those of UTF-8 sequences
 * included, counts as a non-word byte here: so a mark stands wherever
 * PCRE2 (in UCP mode) may see a boundary next to an ASCII word character,
 * and sometimes where it sees none (next to a non-ASCII letter), which
 * only costs a candidate.
 */
static const unsigned char pf_word[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1,
    ['8'] = 1, ['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1,
    ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['_'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,
    ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,
    ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,
    ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

size_t cnd_pf_mark_text(const unsigned char *t, size_t n, unsigned char *out)
{
    size_t i, m = 0;
    unsigned prev = 0;   /* the start of the text is a non-word */

    for (i = 0; i < n; i++) {
        unsigned char c = t[i];
        unsigned w = pf_word[c];

        /* written always, kept when the byte's kind changes: no branch */
        out[m] = CND_PF_MARK;
        m += w ^ prev;
        out[m++] = c == CND_PF_MARK ? CND_PF_MARK + 1 : c;
        prev = w;
    }
    out[m] = CND_PF_MARK;
    return m + prev;
}

size_t cnd_pf_literal(const char *lit, size_t len, char *out, size_t cap)
{
    size_t i, m = 0, k = 0;
    int lead = 0, trail = 0;
    unsigned char prev = 0;

    if (cap == 0) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)lit[i];

        if (c == CND_PF_MARK) {
            lead |= k == 0;
            trail = 1;
            continue;
        }
        /* a mark before a word byte; one between bytes of different kinds */
        if ((k == 0 && lead && pf_word[c]) || (k > 0 && pf_word[c] != pf_word[prev])) {
            if (m + 1 >= cap) {
                break;
            }
            out[m++] = CND_PF_MARK;
        }
        if (m + 1 >= cap) {
            break;
        }
        out[m++] = (char)c;
        prev = c;
        trail = 0;
        k++;
    }
    if (k > 0 && i == len && trail && pf_word[prev] && m + 1 < cap) {
        out[m++] = CND_PF_MARK;
    }
    out[m] = '\0';
    return k > 0 ? m : 0;
}

/* ---- Choosing literals ---- */

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The best piece of one phrase word: pieces end at apostrophes, hyphens,
 * non-ASCII bytes and between doubled letters (the text may hold one or
 * two of them: "hidden" gives "hid" and "den").
 */
static void word_best_piece(const char *w, size_t len, size_t *best_off, size_t *best_len)
{
    size_t i, start = 0;

    *best_off = 0;
    *best_len = 0;
    for (i = 0; i <= len; i++) {
        unsigned char c = i < len ? lower((unsigned char)w[i]) : 0;
        int cut = 0, keep = 0;

        if (i == len || c == '\'' || c == '-' || c == '*' || c >= 0x80) {
            cut = 1;
        } else if (i > start && is_alpha(c) && c != 'x' && lower((unsigned char)w[i - 1]) == c) {
            cut = 1;
            keep = 1;
        }
        if (cut) {
            if (i - start > *best_len) {
                *best_off = start;
                *best_len = i - start;
            }
            start = keep ? i : i + 1;
        }
    }
}

size_t cnd_phrase_literal(const char *phrase, const struct cnd_lexicon *lex, char *out,
                          size_t cap)
{
    const char *p = phrase;
    size_t best_len = 0, best_off = 0;
    const char *best_word = NULL;
    int best_stop = 1;
    size_t i;

    while (*p) {
        const char *w;
        size_t wl, off, pl;
        char low[64];
        int stop;

        while (*p == ' ' || *p == '\t') {
            p++;
        }
        w = p;
        while (*p && *p != ' ' && *p != '\t') {
            p++;
        }
        wl = (size_t)(p - w);
        if (wl == 0 || (wl == 2 && w[0] == '.' && w[1] == '.')) {
            continue;
        }
        word_best_piece(w, wl, &off, &pl);
        if (pl == 0) {
            continue;
        }
        stop = 0;
        if (lex != NULL && wl < sizeof(low)) {
            for (i = 0; i < wl; i++) {
                low[i] = (char)lower((unsigned char)w[i]);
            }
            stop = cnd_lexicon_is_stopword(lex, low, wl);
        }
        if (best_word == NULL || (best_stop && !stop) ||
            (best_stop == stop && pl > best_len)) {
            best_word = w;
            best_off = off;
            best_len = pl;
            best_stop = stop;
        }
    }
    if (best_word == NULL || best_len + 1 > cap) {
        return 0;
    }
    for (i = 0; i < best_len; i++) {
        out[i] = (char)lower((unsigned char)best_word[best_off + i]);
    }
    out[best_len] = '\0';
    return best_len;
}

/* Skips a character class starting at "re[i]" == '['; returns the index after it. */
static size_t skip_class(const char *re, size_t len, size_t i)
{
    i++;
    if (i < len && re[i] == '^') {
        i++;
    }
    if (i < len && re[i] == ']') {
        i++;
    }
    while (i < len && re[i] != ']') {
        if (re[i] == '\\' && i + 1 < len) {
            i += 2;
        } else if (re[i] == '[' && i + 1 < len && re[i + 1] == ':') {
            const char *e = memchr(re + i + 2, ']', len - i - 2);

            i = e ? (size_t)(e - re) + 1 : len;
        } else {
            i++;
        }
    }
    return i < len ? i + 1 : len;
}

/*
 * A character class of a few plain members, "[\"']" or "[sz]": stores them
 * in "set" as strings (letters lowercased, as the normalized text is) and
 * returns 1; 0 for any other class (negated, ranges, escapes such as \d or
 * \s, POSIX names, more than eight members, non-ASCII members other than
 * currency signs), which the caller takes as unknown. Currency signs
 * (U+00A2..U+00A5, U+20A0..U+20CF, as in "[$£€]") have no other case for
 * a caseless match to meet and normalization keeps them as they are.
 * "re[i]" is its '['.
 */
static int small_class(const char *re, size_t len, size_t i, struct cnd_litset *set)
{
    size_t end = skip_class(re, len, i), k;

    set->n = 0;
    if (end > len || re[end - 1] != ']' || end - i < 3) {
        return 0;
    }
    for (k = i + 1; k < end - 1; k++) {
        unsigned char c = (unsigned char)re[k];
        char member[3];
        size_t j, n = 1;

        if (c == 0xC2 && k + 1 < end - 1 && (unsigned char)re[k + 1] >= 0xA2 &&
            (unsigned char)re[k + 1] <= 0xA5) {
            n = 2;
        } else if (c == 0xE2 && k + 2 < end - 1 &&
                   (((unsigned char)re[k + 1] == 0x82 && (unsigned char)re[k + 2] >= 0xA0 &&
                     (unsigned char)re[k + 2] <= 0xBF) ||
                    ((unsigned char)re[k + 1] == 0x83 && (unsigned char)re[k + 2] >= 0x80 &&
                     (unsigned char)re[k + 2] <= 0x8F))) {
            n = 3;
        } else if (c == '\\') {
            unsigned char e = k + 1 < end - 1 ? (unsigned char)re[k + 1] : 0;

            if (e == 0 || e >= 0x80 || (e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') ||
                (e >= '0' && e <= '9')) {
                return 0;
            }
            c = e;
            k++;
        } else if ((k == i + 1 && c == '^') || (c == '-' && k > i + 1 && k + 1 < end - 1) ||
                   c == '[' || c >= 0x80 || c < 0x20) {
            return 0;   /* negated, a range, a POSIX name, non-ASCII or a control */
        }
        if (n == 1) {
            member[0] = (char)lower(c);
        } else {
            memcpy(member, re + k, n);
            k += n - 1;
        }
        for (j = 0; j < set->n && !(set->len[j] == n && memcmp(set->lit[j], member, n) == 0);
             j++) {
        }
        if (j < set->n) {
            continue;
        }
        if (set->n == 8) {
            return 0;
        }
        memcpy(set->lit[set->n], member, n);
        set->lit[set->n][n] = '\0';
        set->len[set->n++] = n;
    }
    return set->n > 0;
}

/*
 * Looks at a quantifier at "re[*i]": returns 0 when there is none, 1 when
 * the atom before it must occur at least once, 2 when it may be absent.
 * Advances "*i" past it (and past a lazy or possessive suffix).
 */
static int quantifier(const char *re, size_t len, size_t *i)
{
    int kind = 0;

    if (*i >= len) {
        return 0;
    }
    if (re[*i] == '?' || re[*i] == '*') {
        kind = 2;
        (*i)++;
    } else if (re[*i] == '+') {
        kind = 1;
        (*i)++;
    } else if (re[*i] == '{') {
        size_t j = *i + 1;
        unsigned long lo = 0;
        int digits = 0;

        while (j < len && re[j] >= '0' && re[j] <= '9') {
            lo = lo * 10 + (unsigned long)(re[j] - '0');
            if (lo > 100000) {
                lo = 100000;
            }
            digits++;
            j++;
        }
        if (digits == 0 && j < len && re[j] == ',') {
            /* {,n} is a quantifier since PCRE2 10.43 only; treat as literal */
            return 0;
        }
        while (j < len && (re[j] == ',' || (re[j] >= '0' && re[j] <= '9'))) {
            j++;
        }
        if (digits == 0 || j >= len || re[j] != '}') {
            return 0;   /* a literal brace */
        }
        *i = j + 1;
        kind = lo == 0 ? 2 : 1;
    }
    if (kind && *i < len && (re[*i] == '?' || re[*i] == '+')) {
        (*i)++;
    }
    return kind;
}

/* ---- Literal sets of regexes ---- */

/*
 * How selective a literal is likely to be: the letters and digits of its
 * words that are not stopwords, plus a little for each stopword; a
 * literal of stopwords only scores 1.5 to 2.4, punctuation alone 1.5 (a
 * "?" or "%" is still worth filtering on), a single letter or digit 1.
 */
static double lit_quality(const char *s, size_t len, const struct cnd_lexicon *lex)
{
    size_t i = 0, plain = 0, n_stop = 0, alnum = 0, other = 0;

    while (i < len) {
        size_t j = i;

        while (j < len && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9'))) {
            j++;
        }
        if (j == i) {
            if (s[i] != ' ' && s[i] != CND_PF_MARK) {
                other++;
            }
            i++;
            continue;
        }
        alnum += j - i;
        if (lex != NULL && cnd_lexicon_is_stopword(lex, s + i, j - i)) {
            n_stop++;
        } else {
            plain += j - i;
        }
        i = j;
    }
    if (alnum == 0) {
        return other > 0 ? 1.5 : 0;
    }
    if (alnum == 1 && other == 0) {
        return 1;
    }
    if (plain == 0) {
        double q = 1.5 + 0.1 * (double)n_stop;

        return q > 2.4 ? 2.4 : q;
    }
    return (double)plain + 0.5 * (double)n_stop;
}

static double set_quality(const struct cnd_litset *ls, const struct cnd_lexicon *lex)
{
    double q = 1e9;
    size_t i;

    if (ls->n == 0) {
        return 0;
    }
    for (i = 0; i < ls->n; i++) {
        double x = lit_quality(ls->lit[i], ls->len[i], lex);

        if (x < q) {
            q = x;
        }
    }
    /* many alternatives mean more hits */
    return q - (double)ls->n * 0.01;
}

struct lx {
    const char *re;
    size_t len, i;
    const struct cnd_lexicon *lex;
    int poison;   /* extended mode or something not understood: no literal at all */
    int depth;    /* group nesting; requirements are collected at depth 0 */
    struct cnd_litset *reqs;   /* every requirement of the top-level sequence */
    size_t n_reqs, max_reqs;
};

static void parse_alt(struct lx *x, struct cnd_litset *best, struct cnd_litset *exact,
                      int *is_exact);

/*
 * Drops the literals that contain another one (which then suffices),
 * comparing them as the prefilter will see them (cnd_pf_literal): a
 * "\bcredit" inside "store credit" is there, its mark is implied. In a
 * set that starts every match, only those that begin with another are
 * dropped, so that an occurrence of the set still marks where a match
 * may start.
 */
static void minimize(struct cnd_litset *s)
{
    char canon[CND_MAX_LITS][2 * CND_LIT_MAX];
    size_t i, j, k = 0;

    for (i = 0; i < s->n; i++) {
        cnd_pf_literal(s->lit[i], s->len[i], canon[i], sizeof(canon[i]));
    }
    for (i = 0; i < s->n; i++) {
        int redundant = 0;
        size_t li = strlen(canon[i]);

        for (j = 0; j < s->n && !redundant; j++) {
            size_t lj = strlen(canon[j]);

            if (j != i && lj <= li && (lj < li || j < i) &&
                (s->prefix ? memcmp(canon[i], canon[j], lj) == 0
                           : strstr(canon[i], canon[j]) != NULL)) {
                redundant = 1;
            }
        }
        if (!redundant) {
            if (k != i) {
                memcpy(s->lit[k], s->lit[i], s->len[i] + 1);
                s->len[k] = s->len[i];
                memcpy(canon[k], canon[i], li + 1);
            }
            k++;
        }
    }
    s->n = k;
}

/* Offers "given" as a requirement; "prefix": its strings start every match. */
static void consider(struct lx *x, const struct cnd_litset *given, int prefix,
                     struct cnd_litset *best)
{
    struct cnd_litset cand_buf, *cand = &cand_buf;

    if (given->n == 0) {
        return;
    }
    *cand = *given;
    cand->prefix = prefix;
    minimize(cand);
    if (x->depth == 0 && x->reqs != NULL) {
        /* keep the best "max_reqs", best first */
        double q = set_quality(cand, x->lex);
        size_t k = x->n_reqs < x->max_reqs ? x->n_reqs++ : x->max_reqs;

        if (k == x->max_reqs) {
            if (q <= set_quality(&x->reqs[k - 1], x->lex)) {
                goto best;
            }
            k--;
        }
        while (k > 0 && set_quality(&x->reqs[k - 1], x->lex) < q) {
            x->reqs[k] = x->reqs[k - 1];
            k--;
        }
        x->reqs[k] = *cand;
    }
best:
    if (set_quality(cand, x->lex) > set_quality(best, x->lex)) {
        *best = *cand;
    }
}

/*
 * "cur" := "cur" x "add" (every string of one followed by every string of
 * the other). Returns -1, leaving "cur" alone, when the product would have
 * too many or too long strings.
 */
static int product(struct cnd_litset *cur, const struct cnd_litset *add, struct cnd_litset *tmp)
{
    size_t i, j;

    if (cur->n * add->n > CND_MAX_LITS || add->n == 0) {
        return -1;
    }
    tmp->n = 0;
    for (i = 0; i < cur->n; i++) {
        for (j = 0; j < add->n; j++) {
            size_t l = cur->len[i] + add->len[j];

            if (l >= CND_LIT_MAX) {
                return -1;
            }
            memcpy(tmp->lit[tmp->n], cur->lit[i], cur->len[i]);
            memcpy(tmp->lit[tmp->n] + cur->len[i], add->lit[j], add->len[j]);
            tmp->lit[tmp->n][l] = '\0';
            tmp->len[tmp->n++] = l;
        }
    }
    *cur = *tmp;
    return 0;
}

/* Appends a word-boundary mark to every string of "s"; -1 when one would be too long. */
static int append_mark(struct cnd_litset *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        if (s->len[i] + 1 >= CND_LIT_MAX) {
            return -1;
        }
    }
    for (i = 0; i < s->n; i++) {
        s->lit[i][s->len[i]++] = CND_PF_MARK;
        s->lit[i][s->len[i]] = '\0';
    }
    return 0;
}

static void set_one(struct cnd_litset *s, const char *str, size_t len)
{
    s->n = 1;
    memcpy(s->lit[0], str, len);
    s->lit[0][len] = '\0';
    s->len[0] = len;
}

/* "*dst" := "*src", copying only the strings it holds (a set is some 4 KiB). */
static void set_copy(struct cnd_litset *dst, const struct cnd_litset *src)
{
    size_t k;

    dst->n = src->n;
    dst->prefix = src->prefix;
    for (k = 0; k < src->n; k++) {
        memcpy(dst->lit[k], src->lit[k], src->len[k] + 1);
        dst->len[k] = src->len[k];
    }
}

/*
 * Extends the chain "cur" of parse_seq by an atom that is one of the
 * short strings of "atom" (a character, or a small class's members; the
 * caller's scratch, which this may change), quantified by what follows
 * "x->i": exactly once, optional ("?": with or without it), repeated (the
 * chain ends after its first copy and the next one starts with its last
 * copy) or anything else (the chain breaks). A product that would grow
 * too large breaks the chain before the atom.
 */
static void chain_atom(struct lx *x, struct cnd_litset *cur, struct cnd_litset *atom,
                       struct cnd_litset *tmp, int *ex, int *at_start, struct cnd_litset *best)
{
    size_t qstart = x->i;
    int q = quantifier(x->re, x->len, &x->i);

#define RESTART(with)                            \
    do {                                         \
        consider(x, cur, *at_start, best);       \
        if (with) {                              \
            set_copy(cur, atom);                 \
        } else {                                 \
            set_one(cur, "", 0);                 \
        }                                        \
        *ex = 0;                                 \
        *at_start = 0;                           \
    } while (0)
    if (q == 0) {
        if (product(cur, atom, tmp) < 0) {
            RESTART(1);
        }
    } else if (q == 2 && x->i == qstart + 1 && x->re[qstart] == '?' && atom->n < CND_MAX_LITS) {
        /* optional: with or without it */
        atom->lit[atom->n][0] = '\0';
        atom->len[atom->n++] = 0;
        if (product(cur, atom, tmp) < 0) {
            RESTART(0);
        }
    } else if (q == 2) {
        RESTART(0);
    } else {
        if (product(cur, atom, tmp) < 0) {
            RESTART(1);
        }
        RESTART(1);
    }
#undef RESTART
}

/*
 * One branch. "cur" is the set of strings the text must hold at this
 * point of the branch (the product of its last adjacent literal atoms and
 * exactly-known groups); it is offered as a requirement whenever the
 * chain breaks. "*is_exact" tells whether the whole branch is exactly
 * one of the strings in "exact" (zero-width assertions aside).
 */
static void parse_seq(struct lx *x, struct cnd_litset *best, struct cnd_litset *exact,
                      int *is_exact)
{
    const char *re = x->re;
    size_t len = x->len;
    struct cnd_litset *cur, *tmp, *inner, *inner_exact;
    int ex = 1;
    int at_start = x->depth == 0;   /* the chain begins where every match begins */

    best->n = 0;
    best->prefix = 0;
    *is_exact = 0;
    exact->n = 0;
    cur = cnd_malloc(4 * sizeof(*cur));
    if (cur == NULL) {
        x->poison = 1;
        return;
    }
    tmp = cur + 1;
    inner = cur + 2;
    inner_exact = cur + 3;
    set_one(cur, "", 0);
#define BREAK_CHAIN()                            \
    do {                                         \
        consider(x, cur, at_start, best);        \
        set_one(cur, "", 0);                     \
        ex = 0;                                  \
        at_start = 0;                            \
    } while (0)
    while (x->i < len && !x->poison) {
        unsigned char c = (unsigned char)re[x->i];
        int lit = -1, q;

        if (c == '|' || c == ')') {
            break;
        }
        if (c == '\\') {
            unsigned char n = x->i + 1 < len ? (unsigned char)re[x->i + 1] : 0;

            if (n == 0) {
                x->i++;
                break;
            }
            if (n == 'b') {
                /* a word boundary: a mark in the strings (see cnd_pf_literal),
                 * unless a quantifier makes it optional */
                x->i += 2;
                if (quantifier(re, len, &x->i) == 0 && append_mark(cur) < 0) {
                    char m = CND_PF_MARK;

                    BREAK_CHAIN();
                    set_one(cur, &m, 1);
                }
                continue;
            }
            if (n == 'B' || n == 'A' || n == 'z' || n == 'Z' || n == 'G') {
                /* zero-width: the strings around it are unaffected */
                x->i += 2;
                continue;
            }
            if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9')) {
                if (n == 'Q' || n == 'K') {
                    x->poison = 1;
                    break;
                }
                x->i += 2;
                if (x->i < len && re[x->i] == '{') {
                    const char *e = memchr(re + x->i, '}', len - x->i);

                    x->i = e ? (size_t)(e - re) + 1 : len;
                }
                BREAK_CHAIN();
                quantifier(re, len, &x->i);
                continue;
            }
            lit = n;
            x->i += 2;
        } else if (c == '[') {
            if (small_class(re, len, x->i, inner)) {
                x->i = skip_class(re, len, x->i);
                chain_atom(x, cur, inner, tmp, &ex, &at_start, best);
                continue;
            }
            x->i = skip_class(re, len, x->i);
            BREAK_CHAIN();
            quantifier(re, len, &x->i);
            continue;
        } else if (c == '^' || c == '$') {
            x->i++;
            continue;
        } else if (c == '(') {
            int iex = 0;

            x->i++;
            if (x->i < len && re[x->i] == '?') {
                size_t k = x->i + 1;

                if (k < len && (re[k] == '=' || re[k] == '!' || re[k] == '#' ||
                                (re[k] == '<' && k + 1 < len &&
                                 (re[k + 1] == '=' || re[k + 1] == '!')))) {
                    /* lookaround or comment: zero-width */
                    x->i = k + (re[k] == '<' ? 2 : 1);
                    x->depth++;
                    parse_alt(x, inner, inner_exact, &iex);
                    x->depth--;
                    if (x->i < len && re[x->i] == ')') {
                        x->i++;
                    }
                    if (quantifier(re, len, &x->i) != 0) {
                        BREAK_CHAIN();
                    }
                    continue;
                }
                if (k < len && re[k] == ':') {
                    x->i = k + 1;
                } else if (k < len && (re[k] == '<' || re[k] == 'P' || re[k] == '\'')) {
                    const char *e = memchr(re + k, re[k] == '\'' ? '\'' : '>', len - k);

                    if (e == NULL) {
                        x->poison = 1;
                        break;
                    }
                    x->i = (size_t)(e - re) + 1;
                } else {
                    /* inline options (?i) (?-i:...) ...; x means extended syntax */
                    while (k < len && re[k] != ')' && re[k] != ':') {
                        if (re[k] == 'x' || !((re[k] >= 'a' && re[k] <= 'z') ||
                                              (re[k] >= 'A' && re[k] <= 'Z') || re[k] == '-' ||
                                              re[k] == '^')) {
                            x->poison = 1;
                            break;
                        }
                        k++;
                    }
                    if (x->poison || k >= len) {
                        x->poison = 1;
                        break;
                    }
                    x->i = k + 1;
                    if (re[k] == ')') {
                        continue;
                    }
                }
            }
            x->depth++;
            parse_alt(x, inner, inner_exact, &iex);
            x->depth--;
            if (x->i < len && re[x->i] == ')') {
                x->i++;
            }
            {
                size_t qstart = x->i;

                q = quantifier(re, len, &x->i);
                if (q == 0 && iex && product(cur, inner_exact, tmp) == 0) {
                    continue;   /* the chain goes on through the group */
                }
                if (q == 2 && iex && x->i == qstart + 1 && re[qstart] == '?' &&
                    inner_exact->n < CND_MAX_LITS) {
                    /* optional: with or without it */
                    inner_exact->lit[inner_exact->n][0] = '\0';
                    inner_exact->len[inner_exact->n++] = 0;
                    if (product(cur, inner_exact, tmp) == 0) {
                        continue;
                    }
                }
            }
            BREAK_CHAIN();
            if (q != 2) {
                consider(x, inner, 0, best);
            }
            continue;
        } else if (c == '.' || c >= 0x80 || c == '*' || c == '+' || c == '?' ||
                   c == CND_PF_MARK) {
            x->i++;
            BREAK_CHAIN();
            quantifier(re, len, &x->i);
            continue;
        } else {
            lit = c;
            x->i++;
        }
        {
            char ch = (char)lower((unsigned char)lit);

            set_one(inner, &ch, 1);
            chain_atom(x, cur, inner, tmp, &ex, &at_start, best);
        }
    }
    if (ex && !x->poison) {
        *exact = *cur;
        *is_exact = 1;
    }
    consider(x, cur, at_start, best);
#undef BREAK_CHAIN
    cnd_free(cur);
}

/*
 * Makes "s" hold at most "max" literals by cutting every literal to a
 * shorter prefix (a prefix of a required string is required too).
 */
static void shrink(struct cnd_litset *s, size_t max)
{
    size_t l = 0, i;

    for (i = 0; i < s->n; i++) {
        if (s->len[i] > l) {
            l = s->len[i];
        }
    }
    while (s->n > max && l > 1) {
        l--;
        for (i = 0; i < s->n; i++) {
            if (s->len[i] > l) {
                s->len[i] = l;
                s->lit[i][l] = '\0';
            }
        }
        minimize(s);
    }
}

/*
 * "*out" := the union of "a" and "b" (minimized; cut to shorter prefixes
 * when too many); it starts every match only if both do.
 */
static void set_union(const struct cnd_litset *a, const struct cnd_litset *b,
                      struct cnd_litset *out)
{
    struct cnd_litset rest = *b;
    size_t k;

    *out = *a;
    if (out->n + rest.n > CND_MAX_LITS) {
        shrink(out, CND_MAX_LITS / 2);
        shrink(&rest, CND_MAX_LITS / 2);
    }
    if (out->n + rest.n > CND_MAX_LITS) {
        out->n = 0;   /* too many even cut short: no requirement */
        return;
    }
    for (k = 0; k < rest.n; k++) {
        memcpy(out->lit[out->n], rest.lit[k], rest.len[k] + 1);
        out->len[out->n++] = rest.len[k];
    }
    out->prefix = a->prefix && b->prefix;
    minimize(out);
}

/*
 * The requirements of a top-level alternation, in conjunctive form: a
 * match is one branch's, and holds all that branch's requirements; so
 * each union of one requirement of every branch is met by every match.
 * "acc" holds the clauses of the branches so far (*n_acc of them); the
 * branch's own "reqs" join them: the best "max" of the unions are kept,
 * best first. Returns -1 when out of memory (the caller then keeps only
 * the union of the branches' best, as before).
 */
static int join_branch(struct cnd_litset *acc, size_t *n_acc, const struct cnd_litset *reqs,
                       size_t n_reqs, size_t max, const struct cnd_lexicon *lex)
{
    struct cnd_litset *next = cnd_malloc((max + 1) * sizeof(*next));
    size_t i, j, n = 0, k;

    if (next == NULL) {
        return -1;
    }
    for (i = 0; i < *n_acc; i++) {
        for (j = 0; j < n_reqs; j++) {
            double q;

            set_union(&acc[i], &reqs[j], &next[n]);
            if (next[n].n == 0) {
                continue;
            }
            q = set_quality(&next[n], lex);
            for (k = n; k > 0 && set_quality(&next[k - 1], lex) < q; k--) {
            }
            if (k < n) {
                struct cnd_litset t = next[n];

                memmove(&next[k + 1], &next[k], (n - k) * sizeof(*next));
                next[k] = t;
            }
            n += n < max;
        }
    }
    memcpy(acc, next, n * sizeof(*next));
    *n_acc = n;
    cnd_free(next);
    return 0;
}

/* Alternatives: every branch needs a literal; the set is their union. */
static void parse_alt(struct lx *x, struct cnd_litset *out, struct cnd_litset *exact,
                      int *is_exact)
{
    struct cnd_litset *br = cnd_malloc(2 * sizeof(*br));
    /* at the top level: the caller's requirements, and a branch's own */
    struct cnd_litset *top = x->depth == 0 ? x->reqs : NULL, *own = NULL;
    size_t n_top = 0;
    int ok = 1, bex = 0;
    size_t k;

    if (br == NULL) {
        x->poison = 1;
        out->n = 0;
        *is_exact = 0;
        return;
    }
    parse_seq(x, out, exact, is_exact);
    if (out->n == 0) {
        ok = 0;
    }
    if (top != NULL) {
        n_top = x->n_reqs;
    }
    while (x->i < x->len && x->re[x->i] == '|' && !x->poison) {
        x->i++;
        if (top != NULL && own == NULL) {
            own = cnd_malloc(x->max_reqs * sizeof(*own));
            if (own == NULL) {
                top = NULL;
            }
        }
        if (x->depth == 0) {
            /* a top-level alternation: the branch's requirements go to "own" */
            x->n_reqs = 0;
            x->reqs = own;
        }
        parse_seq(x, &br[0], &br[1], &bex);
        if (top != NULL && x->reqs != NULL &&
            join_branch(top, &n_top, own, x->n_reqs, x->max_reqs, x->lex) < 0) {
            top = NULL;
        }
        if (ok && br[0].n > 0 && out->n + br[0].n > CND_MAX_LITS) {
            shrink(out, CND_MAX_LITS / 2);
            shrink(&br[0], CND_MAX_LITS - out->n);
        }
        if (br[0].n == 0 || out->n + br[0].n > CND_MAX_LITS) {
            ok = 0;
        }
        for (k = 0; ok && k < br[0].n; k++) {
            memcpy(out->lit[out->n], br[0].lit[k], br[0].len[k] + 1);
            out->len[out->n++] = br[0].len[k];
        }
        out->prefix = out->prefix && br[0].prefix;
        if (*is_exact && bex && exact->n + br[1].n <= CND_MAX_LITS) {
            for (k = 0; k < br[1].n; k++) {
                memcpy(exact->lit[exact->n], br[1].lit[k], br[1].len[k] + 1);
                exact->len[exact->n++] = br[1].len[k];
            }
        } else {
            *is_exact = 0;
        }
    }
    if (!ok) {
        out->n = 0;
    }
    if (own != NULL) {
        /* after a top-level alternation: its conjunctive form, or (out of
         * memory) none, which leaves the union of the branches' best */
        x->reqs = top;
        x->n_reqs = top != NULL ? n_top : 0;
    }
    cnd_free(own);
    cnd_free(br);
}

size_t cnd_regex_requirements(const char *re, size_t len, const struct cnd_lexicon *lex,
                              struct cnd_litset *sets, size_t max)
{
    struct lx x;
    struct cnd_litset *all;
    size_t n = 0, k;
    int ex = 0;

    if (max == 0) {
        return 0;
    }
    all = cnd_malloc(2 * sizeof(*all));
    if (all == NULL) {
        return 0;   /* no prefilter for this one: correct, only slower */
    }
    memset(&x, 0, sizeof(x));
    x.re = re;
    x.len = len;
    x.lex = lex;
    x.reqs = sets;
    x.max_reqs = max;
    parse_alt(&x, all, all + 1, &ex);
    if (x.poison || x.i < len || all->n == 0 ||
        set_quality(all, lex) + (double)all->n * 0.01 < 1.5) {
        /* unbalanced ')' or something not understood: no literal */
        cnd_free(all);
        return 0;
    }
    if (x.reqs == NULL || x.n_reqs == 0) {
        sets[0] = *all;
        n = 1;
    } else {
        /* the conjunction: every requirement good enough to filter on */
        for (k = 0; k < x.n_reqs; k++) {
            if (set_quality(&sets[k], lex) + (double)sets[k].n * 0.01 < 1.5) {
                break;
            }
        }
        n = k;
    }
    cnd_free(all);
    return n;
}

size_t cnd_regex_literals(const char *re, size_t len, const struct cnd_lexicon *lex,
                          struct cnd_litset *out)
{
    return cnd_regex_requirements(re, len, lex, out, 1) ? out->n : 0;
}

size_t cnd_phrase_requirements(const char *phrase, const struct cnd_lexicon *lex,
                               struct cnd_litset *sets, size_t max)
{
    const char *p = phrase;
    size_t n = 0, i;
    double qs[8];

    if (max > 8) {
        max = 8;
    }
    while (*p && max > 0) {
        const char *w;
        size_t wl, off, pl, k;
        char low[CND_LIT_MAX];
        double q;

        while (*p == ' ' || *p == '\t') {
            p++;
        }
        w = p;
        while (*p && *p != ' ' && *p != '\t') {
            p++;
        }
        wl = (size_t)(p - w);
        if (wl == 0 || (wl == 2 && w[0] == '.' && w[1] == '.')) {
            continue;
        }
        word_best_piece(w, wl, &off, &pl);
        if (pl == 0 || pl >= CND_LIT_MAX) {
            continue;
        }
        for (i = 0; i < pl; i++) {
            low[i] = (char)lower((unsigned char)w[off + i]);
        }
        low[pl] = '\0';
        q = lit_quality(low, pl, lex);
        if (wl < CND_LIT_MAX && lex != NULL) {
            char whole[CND_LIT_MAX];

            for (i = 0; i < wl; i++) {
                whole[i] = (char)lower((unsigned char)w[i]);
            }
            if (cnd_lexicon_is_stopword(lex, whole, wl) && q > 1.6) {
                q = 1.6;
            }
        }
        /* insert, best first, keeping "max" */
        k = n < max ? n++ : max;
        if (k == max) {
            if (q <= qs[k - 1]) {
                continue;
            }
            k--;
        }
        while (k > 0 && qs[k - 1] < q) {
            sets[k] = sets[k - 1];
            qs[k] = qs[k - 1];
            k--;
        }
        sets[k].n = 1;
        sets[k].prefix = 0;
        memcpy(sets[k].lit[0], low, pl + 1);
        sets[k].len[0] = pl;
        qs[k] = q;
    }
    /* the best one always; others only when they filter well */
    for (i = 1; i < n; i++) {
        if (qs[i] < 3) {
            break;
        }
    }
    return n ? i : 0;
}
