/* SPDX-License-Identifier: MIT */
/*
 * The brand watchlist: names and aliases (including @handles and
 * #hashtags, taken as written) found case-insensitively on word
 * boundaries, multi-word names with any run of whitespace between their
 * words. The first word of every name goes into one Aho-Corasick
 * automaton, so a text is scanned once whatever the size of the list;
 * each hit is then checked by hand (boundaries, the remaining words).
 * A letter outside ASCII next to a name (Latin, Greek, Cyrillic) also
 * counts as part of a word, so "Acmeé" does not name Acme; CJK text,
 * written without spaces, does not. Every mention is kept with its span
 * so that the analyzer can tell which brand a complaint is about.
 *
 * When every first word is 4 bytes or longer, the text is not walked
 * through the automaton byte by byte but probed every few bytes for a
 * 4-byte piece of a first word (see find_by_grams): most posts name no
 * brand, or one, and most probes miss.
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

/* A 4-byte piece of a first word: bytes d .. d + 3 of literal "lit". */
struct gram {
    uint32_t bytes;     /* lowercase, as load4 reads them */
    uint32_t d;
    uint32_t lit;
    uint32_t len;       /* of the literal, "word" */
    const char *word;
};

struct variant {
    uint32_t brand;
    char *words;        /* lowercased words, one space between them */
    size_t len;         /* bytes of "words" */
    size_t first_len;   /* bytes of the first word (the literal) */
};

struct cnd_brands {
    char **names;
    size_t n;
    struct cnd_acm *acm;
    struct variant *vars;
    size_t n_vars;
    uint32_t *var_off;      /* literal -> variants var_order[var_off[l] .. var_off[l+1]) */
    uint32_t *var_order;
    /* the probes (find_by_grams): one every "stride" bytes (0: the automaton
     * walks the text), looked up in a table of 2^gram_bits buckets,
     * bucket h holding grams[gram_off[h] .. gram_off[h + 1]) */
    size_t stride;
    unsigned gram_bits;
    uint32_t *gram_off;
    struct gram *grams;
    unsigned char *found;
    struct cnd_brand_hit hits[CND_MAX_BRAND_HITS];
    size_t n_hits;
    /* scan state */
    const unsigned char *text;
    size_t text_len;
};

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Decodes the UTF-8 character starting at "p" (at most "len" bytes); 0 if malformed. */
static uint32_t decode(const unsigned char *p, size_t len)
{
    uint32_t cp;
    size_t n, k;

    if (p[0] < 0xC0) {
        return 0;
    }
    n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
    if (n > len) {
        return 0;
    }
    cp = p[0] & (0x3F >> (n - 1));
    for (k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    return cp;
}

/* A letter of an alphabet written with spaces between words (Latin, Greek, Cyrillic). */
static int is_alpha_cp(uint32_t cp)
{
    return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
           (cp >= 0x370 && cp <= 0x52F && cp != 0x37E && cp != 0x387);
}

/* Whether the character ending just before byte "pos" is part of a word. */
static int word_before(const unsigned char *t, size_t pos)
{
    size_t k = pos;

    if (pos == 0) {
        return 0;
    }
    if (t[pos - 1] < 0x80) {
        return is_word(t[pos - 1]);
    }
    while (k > 0 && pos - k < 4 && (t[k - 1] & 0xC0) == 0x80) {
        k--;
    }
    if (k == 0) {
        return 0;
    }
    return is_alpha_cp(decode(t + k - 1, pos - k + 1));
}

/* Whether the character starting at byte "pos" ("len" bytes in all) is part of a word. */
static int word_at(const unsigned char *t, size_t len, size_t pos)
{
    if (pos >= len) {
        return 0;
    }
    if (t[pos] < 0x80) {
        return is_word(t[pos]);
    }
    return is_alpha_cp(decode(t + pos, len - pos));
}

/* Length of the whitespace run at "p" (no-break spaces included). */
static size_t space_run(const unsigned char *p, size_t len)
{
    size_t i = 0;

    while (i < len) {
        if (is_space(p[i])) {
            i++;
        } else if (p[i] == 0xC2 && i + 1 < len && p[i + 1] == 0xA0) {
            i += 2;
        } else {
            break;
        }
    }
    return i;
}

void cnd_brands_free(struct cnd_brands *b)
{
    size_t i;

    if (b == NULL) {
        return;
    }
    for (i = 0; i < b->n; i++) {
        cnd_free(b->names[i]);
    }
    for (i = 0; i < b->n_vars; i++) {
        cnd_free(b->vars[i].words);
    }
    cnd_free(b->names);
    cnd_free(b->vars);
    cnd_free(b->var_off);
    cnd_free(b->var_order);
    cnd_free(b->gram_off);
    cnd_free(b->grams);
    cnd_free(b->found);
    cnd_acm_free(b->acm);
    cnd_free(b);
}

/* ---- Probing for first words ---- */

/* Four bytes at "p" as one integer, in host order: only compared with others read so. */
static uint32_t load4(const unsigned char *p)
{
    uint32_t w;

    memcpy(&w, p, 4);
    return w;
}

/*
 * "w" with its bytes 'A'..'Z' made lowercase, other bytes unchanged. The
 * range is tested on the low seven bits of each byte, where adding a
 * constant cannot carry into the next byte.
 */
static uint32_t lower4(uint32_t w)
{
    uint32_t v = w & 0x7f7f7f7fu;
    uint32_t upper = (v + 0x3f3f3f3fu) & ~(v + 0x25252525u) & ~w & 0x80808080u;

    return w | (upper >> 2);
}

static size_t gram_bucket(uint32_t bytes, unsigned bits)
{
    return (size_t)((uint32_t)(bytes * 0x9e3779b1u) >> (32 - bits));
}

/*
 * Sets up find_by_grams when every first word has 4 bytes or more. With
 * m bytes in the shortest, probes m - 3 bytes apart (8 at most) each land
 * on one of the first m - 3 four-byte pieces of any occurrence, so those
 * pieces of every first word go into the table. Returns 0 (the automaton
 * stays in use when a first word is shorter) or CND_ENOMEM.
 */
static int build_grams(struct cnd_brands *b)
{
    size_t n_lits = cnd_acm_n_literals(b->acm), min = SIZE_MAX, stride, n, i, d;
    uint32_t *fill;

    for (i = 0; i < n_lits; i++) {
        size_t len = strlen(cnd_acm_literal(b->acm, (uint32_t)i));

        if (len < min) {
            min = len;
        }
    }
    if (n_lits == 0 || min < 4 || n_lits > UINT32_MAX / 64) {
        return 0;
    }
    stride = min - 3 < 8 ? min - 3 : 8;
    n = n_lits * stride;
    b->gram_bits = 4;
    while (((size_t)1 << b->gram_bits) < 8 * n) {
        b->gram_bits++;   /* a table an eighth full: most probes find an empty bucket */
    }
    b->gram_off = cnd_calloc(((size_t)1 << b->gram_bits) + 1, sizeof(*b->gram_off));
    b->grams = cnd_malloc(n * sizeof(*b->grams));
    fill = cnd_malloc(((size_t)1 << b->gram_bits) * sizeof(*fill));
    if (b->gram_off == NULL || b->grams == NULL || fill == NULL) {
        cnd_free(fill);
        return CND_ENOMEM;
    }
    for (i = 0; i < n_lits; i++) {
        const unsigned char *w = (const unsigned char *)cnd_acm_literal(b->acm, (uint32_t)i);

        for (d = 0; d < stride; d++) {
            b->gram_off[gram_bucket(load4(w + d), b->gram_bits) + 1]++;
        }
    }
    for (i = 0; i < ((size_t)1 << b->gram_bits); i++) {
        b->gram_off[i + 1] += b->gram_off[i];
        fill[i] = b->gram_off[i];
    }
    for (i = 0; i < n_lits; i++) {
        const char *w = cnd_acm_literal(b->acm, (uint32_t)i);

        for (d = 0; d < stride; d++) {
            uint32_t bytes = load4((const unsigned char *)w + d);
            struct gram *g = &b->grams[fill[gram_bucket(bytes, b->gram_bits)]++];

            g->bytes = bytes;
            g->d = (uint32_t)d;
            g->lit = (uint32_t)i;
            g->len = (uint32_t)strlen(w);
            g->word = w;
        }
    }
    cnd_free(fill);
    b->stride = stride;
    return 0;
}

/* ---- Building ---- */

/* Adds "s" as a variant of brand "brand". Returns 0 or CND_ENOMEM. */
static int add_variant(struct cnd_brands *b, uint32_t brand, const char *s, uint32_t **lits,
                       size_t *cap)
{
    size_t len = strlen(s), i, o = 0, first = 0;
    char *w;
    int lit;

    w = cnd_malloc(len + 1);
    if (w == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < len;) {
        size_t sp = space_run((const unsigned char *)s + i, len - i);

        if (sp > 0) {
            if (o > 0) {
                if (first == 0) {
                    first = o;
                }
                w[o++] = ' ';
            }
            i += sp;
            continue;
        }
        w[o++] = (char)lower((unsigned char)s[i++]);
    }
    while (o > 0 && w[o - 1] == ' ') {
        o--;
    }
    w[o] = '\0';
    if (o == 0) {
        cnd_free(w);
        return 0;
    }
    if (first == 0 || first > o) {
        first = o;
    }
    lit = cnd_acm_add(b->acm, w, first);
    if (lit < 0) {
        cnd_free(w);
        return lit;
    }
    if (b->n_vars == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct variant *nv = cnd_realloc(b->vars, ncap * sizeof(*nv));
        uint32_t *nl;

        if (nv == NULL) {
            cnd_free(w);
            return CND_ENOMEM;
        }
        b->vars = nv;
        nl = cnd_realloc(*lits, ncap * sizeof(*nl));
        if (nl == NULL) {
            cnd_free(w);
            return CND_ENOMEM;
        }
        *lits = nl;
        *cap = ncap;
    }
    b->vars[b->n_vars].brand = brand;
    b->vars[b->n_vars].words = w;
    b->vars[b->n_vars].len = o;
    b->vars[b->n_vars].first_len = first;
    (*lits)[b->n_vars] = (uint32_t)lit;
    b->n_vars++;
    return 0;
}

struct cnd_brands *cnd_brands_new(const struct cnd_brand *brands, size_t n, int *err)
{
    struct cnd_brands *b = cnd_calloc(1, sizeof(*b));
    uint32_t *lits = NULL, *fill = NULL;
    size_t cap = 0, i, j, n_lits;

    *err = CND_ENOMEM;
    if (b == NULL) {
        return NULL;
    }
    b->names = cnd_calloc(n ? n : 1, sizeof(*b->names));
    b->found = cnd_calloc(n ? n : 1, 1);
    b->acm = cnd_acm_new();
    if (b->names == NULL || b->found == NULL || b->acm == NULL) {
        goto fail;
    }
    for (i = 0; i < n; i++) {
        b->names[i] = cnd_strdup(brands[i].name ? brands[i].name : "");
        if (b->names[i] == NULL) {
            goto fail;
        }
        b->n = i + 1;
        if (add_variant(b, (uint32_t)i, b->names[i], &lits, &cap) < 0) {
            goto fail;
        }
        for (j = 0; j < brands[i].n_aliases; j++) {
            if (brands[i].aliases[j] != NULL &&
                add_variant(b, (uint32_t)i, brands[i].aliases[j], &lits, &cap) < 0) {
                goto fail;
            }
        }
    }
    if (cnd_acm_build(b->acm) < 0) {
        goto fail;
    }
    n_lits = cnd_acm_n_literals(b->acm);
    b->var_off = cnd_calloc(n_lits + 1, sizeof(*b->var_off));
    b->var_order = cnd_malloc((b->n_vars ? b->n_vars : 1) * sizeof(*b->var_order));
    fill = cnd_malloc((n_lits ? n_lits : 1) * sizeof(*fill));
    if (b->var_off == NULL || b->var_order == NULL || fill == NULL) {
        goto fail;
    }
    for (i = 0; i < b->n_vars; i++) {
        b->var_off[lits[i] + 1]++;
    }
    for (i = 0; i < n_lits; i++) {
        b->var_off[i + 1] += b->var_off[i];
    }
    memcpy(fill, b->var_off, n_lits * sizeof(*fill));
    for (i = 0; i < b->n_vars; i++) {
        b->var_order[fill[lits[i]]++] = (uint32_t)i;
    }
    if (build_grams(b) < 0) {
        goto fail;
    }
    cnd_free(lits);
    cnd_free(fill);
    *err = 0;
    return b;
fail:
    cnd_free(lits);
    cnd_free(fill);
    cnd_brands_free(b);
    return NULL;
}

/*
 * Checks variant "v" whose first word ends at "end" in the text. Returns
 * where the whole variant ends, or 0 when it is not there.
 */
static size_t variant_at(const struct cnd_brands *b, const struct variant *v, size_t end)
{
    const unsigned char *t = b->text;
    size_t len = b->text_len, start = end - v->first_len, pos = end, k = v->first_len;
    const unsigned char *w = (const unsigned char *)v->words;

    if (is_word(w[0]) && word_before(t, start)) {
        return 0;
    }
    while (k < v->len) {
        if (w[k] == ' ') {
            size_t sp = space_run(t + pos, len - pos);

            if (sp == 0) {
                return 0;
            }
            pos += sp;
            k++;
            continue;
        }
        if (pos >= len || lower(t[pos]) != w[k]) {
            return 0;
        }
        pos++;
        k++;
    }
    if (is_word(w[v->len - 1]) && word_at(t, len, pos)) {
        return 0;
    }
    return pos;
}

static void on_hit(void *arg, uint32_t lit, size_t end)
{
    struct cnd_brands *b = arg;
    uint32_t k;

    for (k = b->var_off[lit]; k < b->var_off[lit + 1]; k++) {
        const struct variant *v = &b->vars[b->var_order[k]];
        size_t e = variant_at(b, v, end);

        if (e == 0) {
            continue;
        }
        b->found[v->brand] = 1;
        if (b->n_hits < CND_MAX_BRAND_HITS) {
            b->hits[b->n_hits].brand = v->brand;
            b->hits[b->n_hits].start = end - v->first_len;
            b->hits[b->n_hits].end = e;
            b->n_hits++;
        }
    }
}

/*
 * Reports every occurrence of a first word to on_hit once, as
 * cnd_acm_scan does but in another order. An occurrence starting at s
 * holds the 4 bytes at the one multiple i of the stride in [s, s + stride),
 * its piece d = i - s: a probe at each such i looks its bytes up and
 * checks the first words that have them as their piece d.
 */
static void find_by_grams(struct cnd_brands *b)
{
    /* in locals: on_hit writes through "b", which would make the loop reload them */
    const unsigned char *t = b->text;
    const uint32_t *off = b->gram_off;
    const struct gram *grams = b->grams;
    size_t len = b->text_len, stride = b->stride, i;
    unsigned bits = b->gram_bits;

    for (i = 0; i + 4 <= len; i += stride) {
        uint32_t bytes = lower4(load4(t + i));
        size_t h = gram_bucket(bytes, bits), k;

        for (k = off[h]; k < off[h + 1]; k++) {
            const struct gram *g = &grams[k];
            size_t s = i - g->d, j;

            if (g->bytes != bytes || g->d > i || len - s < g->len) {
                continue;
            }
            for (j = 0; j < g->len && lower(t[s + j]) == (unsigned char)g->word[j]; j++) {
            }
            if (j == g->len) {
                on_hit(b, g->lit, s + g->len);
            }
        }
    }
}

static int hit_cmp(const void *x, const void *y)
{
    const struct cnd_brand_hit *p = x, *q = y;

    if (p->start != q->start) {
        return p->start < q->start ? -1 : 1;
    }
    if (p->end != q->end) {
        return p->end > q->end ? -1 : 1;   /* the longest first */
    }
    return p->brand < q->brand ? -1 : (p->brand > q->brand);
}

size_t cnd_brands_find(struct cnd_brands *b, const char *text, size_t len, const char **out,
                       size_t max)
{
    size_t i, n = 0;

    if (b == NULL || b->n_vars == 0) {
        return 0;
    }
    memset(b->found, 0, b->n);
    b->n_hits = 0;
    b->text = (const unsigned char *)text;
    b->text_len = len;
    if (b->stride > 0) {
        find_by_grams(b);
    }
    if (b->stride == 0 || b->n_hits == CND_MAX_BRAND_HITS) {
        /* past the cap, the automaton's order decides which mentions are kept */
        b->n_hits = 0;
        cnd_acm_scan(b->acm, b->text, len, on_hit, b);
    }
    if (b->n_hits > 1) {
        qsort(b->hits, b->n_hits, sizeof(b->hits[0]), hit_cmp);
    }
    for (i = 0; i < b->n && n < max; i++) {
        size_t k;

        if (!b->found[i]) {
            continue;
        }
        for (k = 0; k < n && strcmp(out[k], b->names[i]) != 0; k++) {
        }
        if (k == n) {
            out[n++] = b->names[i];
        }
    }
    return n;
}

size_t cnd_brands_hits(const struct cnd_brands *b, const struct cnd_brand_hit **hits)
{
    if (b == NULL) {
        *hits = NULL;
        return 0;
    }
    *hits = b->hits;
    return b->n_hits;
}

const char *cnd_brands_name(const struct cnd_brands *b, uint32_t i)
{
    return b != NULL && i < b->n ? b->names[i] : NULL;
}
