/* SPDX-License-Identifier: MIT */
/*
 * The analyzer: normalizes a post's text once (keeping a map back to the
 * original bytes), tells English from other languages, runs the literal
 * prefilter, confirms the candidate rules with PCRE2, cancels matches
 * that a negator governs, weighs what is left by the cues around it, and
 * sums the weights per category into a verdict. With a trace buffer it
 * also writes down every step for `candor explain`. When a complaint
 * names several watchlist brands, it is attributed to the ones the text
 * blames (see focus_brands), else to all of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

#define MAX_NEXT_TRIES 16      /* matches of one rule tried when earlier ones are negated */
#define MAX_OCCURRENCES 256    /* occurrences kept per negator or cue */
#define UND_MIN_WORDS 6
#define UND_STOP_PERCENT 10
#define CND_STOP_WAYS 4        /* slots of a bucket of the stopword table */

struct occ {
    uint32_t pat;
    size_t s, e;           /* normalized offsets */
    int negated;           /* or, for an ad cue, quoted: not applied */
};

struct match_rec {
    uint32_t pat;
    size_t s, e;           /* normalized offsets */
    double weight;         /* after cues */
};

struct cnd_analyzer {
    const struct cnd_lexicon *lex;
    struct cnd_brands *brands;
    /* brand focus: phrases after / before a mention that clear the brand */
    struct cnd_re *clear_after, *clear_before, *fault_after;
    double threshold;
    /* cnd_analyzer_complaints_only; the most the cues can multiply a weight by */
    int complaints_only;
    double max_boost;
    struct cnd_matcher *m;
    struct cnd_norm norm;
    const char *orig;        /* the text being classified */
    size_t orig_len;
    /* prefilter marks: gen << 4 | requirements met, for the patterns the
     * current scan found; need[p]: all of p's requirements */
    uint32_t *mark;
    unsigned char *need;
    uint32_t *mark_lit;      /* what made it one: an index in the prefilter's st_lits */
    uint32_t gen;
    uint32_t *cands;         /* candidate rules, in lexicon order */
    size_t n_cands;
    uint32_t *ctx_cands;     /* candidate negators and cues, once a rule matched */
    size_t n_ctx_cands;
    int ctx_done;
    unsigned char *pf_text;  /* the normalized text with word-boundary marks */
    size_t pf_len, pf_cap;
    uint64_t *st_seen;       /* scratch of the prefilter scans: a bit per state */
    uint32_t *st_buf;        /* the states a scan reached where literals end */
    uint32_t *st_first, *st_last;   /* per state reached: its first and last end offset */
    /* per candidate: where in the marked text its match may start, from its
     * requirements' occurrences: win_lo (UINT32_MAX: anywhere) to win_hi */
    uint32_t *win_lo, *win_hi;
    /* sentences and clauses of the normalized text */
    int structured;
    size_t *sent_start, n_sents, cap_sents;
    size_t *clause_start, n_clauses, cap_clauses;
    size_t *clause_sent;
    /* negator and cue occurrences */
    int negs_done;
    struct occ *negs;
    size_t n_negs, cap_negs;
    struct occ *cues;
    size_t n_cues, cap_cues;
    struct match_rec *matches;
    size_t n_matches;
    struct cnd_evidence *ev;
    /* the lexicon's stopwords of up to 8 bytes, packed, CND_STOP_WAYS a bucket (see build_stops) */
    uint64_t *stops;
    unsigned stop_bits;
    double scores[CND_MAX_CATEGORIES];
    char lang[32];
    struct cnd_buf *trace;
    int trace_failed;
    struct cnd_analyzer_stats stats;
    struct cnd_pattern_cost *costs;   /* per pattern, when profiling */
};

/* ---- Eight bytes at a time ---- */

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Eight bytes of "p" with p[0] in the low byte, whatever the host's byte order. */
static uint64_t load8(const unsigned char *p)
{
    uint64_t w;

    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* Stores "w" as eight bytes at "p", its low byte first. */
static void store8(char *p, uint64_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    memcpy(p, &w, 8);
}

/* "w" (eight ASCII bytes) with 'A'..'Z' made lowercase. */
static uint64_t ascii_lower(uint64_t w)
{
    uint64_t upper = (w + ONES * (0x80 - 'A')) & ~(w + ONES * (0x80 - 'Z' - 1)) & HIGHS;

    return w | (upper >> 2);
}

/* The high bit of each byte of "w" equal to "c" (exact: no carries between bytes). */
static uint64_t bytes_eq(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (ONES * c);

    return ~(((x & ~HIGHS) + ~HIGHS) | x) & HIGHS;
}

/*
 * The high bit of each byte of "w" that is part of a word for the language
 * check: 'a'..'z' ('x' too: masked tokens are runs of it), the apostrophe,
 * and non-ASCII bytes other than the lead bytes of CJK, kana and hangul
 * (0xE3..0xED). The ranges are tested on the low seven bits, where adding
 * a constant cannot carry into the next byte.
 */
static uint64_t word_bytes(uint64_t w)
{
    uint64_t hi = w & HIGHS, v = w & ~HIGHS;
    uint64_t letter = (v + ONES * (0x80 - 'a')) & ~(v + ONES * (0x80 - 'z' - 1)) & ~hi;
    uint64_t cjk = (v + ONES * (0x80 - 0x63)) & ~(v + ONES * (0x80 - 0x6E)) & hi;

    return ((letter & HIGHS) | bytes_eq(w, '\'') | (hi & ~cjk)) & HIGHS;
}

/* ---- Normalization ---- */

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* ASCII lowercase, other bytes unchanged. */
static const unsigned char lowtab[256] = {
#define R(x) (unsigned char)(x), (unsigned char)(x + 1), (unsigned char)(x + 2), \
             (unsigned char)(x + 3), (unsigned char)(x + 4), (unsigned char)(x + 5), \
             (unsigned char)(x + 6), (unsigned char)(x + 7)
    R(0), R(8), R(16), R(24), R(32), R(40), R(48), R(56),
    64, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 91, 92, 93, 94, 95,
    R(96), R(104), R(112), R(120), R(128), R(136), R(144), R(152), R(160), R(168), R(176),
    R(184), R(192), R(200), R(208), R(216), R(224), R(232), R(240), R(248),
#undef R
};

void cnd_norm_release(struct cnd_norm *n)
{
    cnd_free(n->text);
    cnd_free(n->bp);
    memset(n, 0, sizeof(*n));
}

static int add_bp(struct cnd_norm *n, size_t npos, size_t opos, size_t srclen)
{
    if (n->n_bp == n->cap_bp) {
        size_t ncap = n->cap_bp ? n->cap_bp * 2 : 16;
        struct cnd_norm_bp *nb = cnd_realloc(n->bp, ncap * sizeof(*nb));

        if (nb == NULL) {
            return CND_ENOMEM;
        }
        n->bp = nb;
        n->cap_bp = ncap;
    }
    n->bp[n->n_bp].npos = (uint32_t)npos;
    n->bp[n->n_bp].opos = (uint32_t)opos;
    n->bp[n->n_bp].srclen = (uint32_t)srclen;
    n->n_bp++;
    return 0;
}

/* The last breakpoint at or before normalized byte "i". */
static const struct cnd_norm_bp *find_bp(const struct cnd_norm *n, size_t i)
{
    size_t lo = 0, hi = n->n_bp;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (n->bp[mid].npos <= i) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return &n->bp[lo];
}

size_t cnd_norm_ostart(const struct cnd_norm *n, size_t i)
{
    const struct cnd_norm_bp *bp = find_bp(n, i);

    return bp->opos + (i - bp->npos);
}

size_t cnd_norm_oend(const struct cnd_norm *n, size_t i)
{
    const struct cnd_norm_bp *bp = find_bp(n, i);

    if (bp->npos == i && bp->srclen > 0) {
        return bp->opos + bp->srclen;
    }
    return bp->opos + (i - bp->npos) + 1;
}

/*
 * The HTML character reference at "u" ("len" bytes, u[0] == '&'): its
 * replacement byte in "*ch" and its length, or 0 when it is not one we
 * know. Named ones: amp lt gt quot apos nbsp lsquo rsquo ldquo rdquo
 * ndash mdash hellip; numeric ones (&#39; &#x27;) for printable ASCII,
 * no-break space, curly quotes, dashes and the ellipsis.
 */
static size_t html_entity(const unsigned char *u, size_t len, unsigned char *ch)
{
    static const struct {
        const char *name;
        unsigned char ch;
    } named[] = {
        { "amp;", '&' },    { "lt;", '<' },      { "gt;", '>' },      { "quot;", '"' },
        { "apos;", '\'' }, { "nbsp;", ' ' },    { "lsquo;", '\'' }, { "rsquo;", '\'' },
        { "ldquo;", '"' },  { "rdquo;", '"' },   { "ndash;", '-' },   { "mdash;", '-' },
        { "hellip;", '.' },
    };
    size_t k, i;

    if (len < 4) {
        return 0;
    }
    if (u[1] == '#') {
        unsigned long v = 0;
        int hex, digits = 0;

        i = 2;
        hex = i < len && (u[i] == 'x' || u[i] == 'X');
        if (hex) {
            i++;
        }
        for (; i < len && digits < 7; i++, digits++) {
            unsigned char d = u[i];

            if (d >= '0' && d <= '9') {
                v = v * (hex ? 16 : 10) + (d - '0');
            } else if (hex && ((d | 0x20) >= 'a' && (d | 0x20) <= 'f')) {
                v = v * 16 + ((d | 0x20) - 'a' + 10);
            } else {
                break;
            }
        }
        if (digits == 0 || i >= len || u[i] != ';') {
            return 0;
        }
        if (v >= 32 && v < 127) {
            *ch = lowtab[v];
        } else if (v == 160) {
            *ch = ' ';
        } else if (v == 0x2018 || v == 0x2019) {
            *ch = '\'';
        } else if (v == 0x201C || v == 0x201D) {
            *ch = '"';
        } else if (v == 0x2013 || v == 0x2014) {
            *ch = '-';
        } else if (v == 0x2026) {
            *ch = '.';
        } else {
            return 0;
        }
        return i + 1;
    }
    for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
        size_t nl = strlen(named[k].name);

        if (len - 1 >= nl && memcmp(u + 1, named[k].name, nl) == 0) {
            *ch = named[k].ch;
            return nl + 1;
        }
    }
    return 0;
}

int cnd_norm_run(struct cnd_norm *n, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, o = 0;
    char *out;

    if (len >= UINT32_MAX) {
        return CND_ETOOBIG;
    }
    if (len + CND_NORM_PAD > n->cap) {
        char *t = cnd_realloc(n->text, len + CND_NORM_PAD);

        if (t == NULL) {
            return CND_ENOMEM;
        }
        n->text = t;
        n->cap = len + CND_NORM_PAD;
    }
    out = n->text;
    n->n_bp = 0;
    if (add_bp(n, 0, 0, 0) < 0) {
        return CND_ENOMEM;
    }
    /* a byte "ch" at "o" made of original bytes [from, to) */
#define SPECIAL(ch, from, to)                                         \
    do {                                                              \
        if (add_bp(n, o, (from), (to) - (from)) < 0 ||                \
            add_bp(n, o + 1, (to), 0) < 0) {                          \
            return CND_ENOMEM;                                        \
        }                                                             \
        out[o++] = (char)(ch);                                        \
    } while (0)
#define DROP(to)                                                      \
    do {                                                              \
        if (add_bp(n, o, (to), 0) < 0) {                              \
            return CND_ENOMEM;                                        \
        }                                                             \
    } while (0)
    while (i < len) {
        unsigned char c = u[i];

        /*
         * Most text is plain ASCII: eight bytes at a time are lowercased
         * and copied as long as none is non-ASCII or '&' and no run of
         * three of one letter starts among them (the two bytes after them
         * are read for that); else the byte is taken one at a time below.
         */
        if (len - i >= 10) {
            uint64_t w0 = load8(u + i), w1 = load8(u + i + 1), w2 = load8(u + i + 2);

            if (((w0 | w1 | w2) & HIGHS) == 0 && bytes_eq(w0, '&') == 0) {
                uint64_t l0 = ascii_lower(w0), l1 = ascii_lower(w1), l2 = ascii_lower(w2);
                uint64_t letter = (l0 + ONES * (0x80 - 'a')) & ~(l0 + ONES * (0x80 - 'z' - 1));
                uint64_t triple = bytes_eq(l0 ^ l1, 0) & bytes_eq(l0 ^ l2, 0) & letter &
                                  ~bytes_eq(l0, 'x');

                if (triple == 0) {
                    store8(out + o, l0);
                    i += 8;
                    o += 8;
                    continue;
                }
            }
        }
        if (c == '&') {
            unsigned char ch = 0;
            size_t el = html_entity(u + i, len - i, &ch);

            if (el > 0) {
                SPECIAL(ch, i, i + el);
                i += el;
                continue;
            }
        }
        if (c < 0x80) {
            unsigned char l = lowtab[c];

            if (i + 2 < len && lowtab[u[i + 1]] == l && lowtab[u[i + 2]] == l && l >= 'a' &&
                l <= 'z' && l != 'x') {
                size_t j = i + 3;

                while (j < len && lowtab[u[j]] == l) {
                    j++;
                }
                SPECIAL(l, i, j);
                i = j;
                continue;
            }
            out[o++] = (char)l;
            i++;
            continue;
        }
        if (c == 0xE2 && i + 2 < len && u[i + 1] == 0x80) {
            unsigned char d = u[i + 2];
            int map = 0;

            if (d == 0x98 || d == 0x99 || d == 0x9B || d == 0xB2) {
                map = '\'';
            } else if (d == 0x9C || d == 0x9D || d == 0x9E || d == 0x9F || d == 0xB3) {
                map = '"';
            } else if (d >= 0x90 && d <= 0x95) {
                map = '-';
            } else if (d >= 0x8B && d <= 0x8D) {
                map = -1;
            } else if (d <= 0x8A || d == 0xAF) {
                map = ' ';
            } else if (d == 0xA8 || d == 0xA9) {
                map = '\n';
            } else if (d == 0xA6) {
                map = '.';
            }
            if (map == -1) {
                i += 3;
                DROP(i);
                continue;
            }
            if (map > 0) {
                SPECIAL(map, i, i + 3);
                i += 3;
                continue;
            }
        } else if (c == 0xC2 && i + 1 < len && (u[i + 1] == 0xA0 || u[i + 1] == 0xAD)) {
            if (u[i + 1] == 0xA0) {
                SPECIAL(' ', i, i + 2);
                i += 2;
            } else {
                i += 2;
                DROP(i);
            }
            continue;
        } else if (c == 0xCA && i + 1 < len && u[i + 1] == 0xBC) {
            SPECIAL('\'', i, i + 2);
            i += 2;
            continue;
        } else if ((c == 0xEF && i + 2 < len && u[i + 1] == 0xBB && u[i + 2] == 0xBF) ||
                   (c == 0xE2 && i + 2 < len && u[i + 1] == 0x81 && u[i + 2] == 0xA0)) {
            i += 3;
            DROP(i);
            continue;
        } else if (c == 0xE3 && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] == 0x80) {
            SPECIAL(' ', i, i + 3);
            i += 3;
            continue;
        }
        out[o++] = (char)c;
        i++;
    }
#undef SPECIAL
#undef DROP
    memset(out + o, 0, CND_NORM_PAD);
    n->len = o;
    return 0;
}

/* ---- Helpers ---- */

static int is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '\'' ||
           c >= 0x80 || (c >= 'A' && c <= 'Z');
}

/* Original byte span of normalized [s, e). */
static void orig_span(const struct cnd_analyzer *a, size_t s, size_t e, size_t *os, size_t *oe)
{
    *os = cnd_norm_ostart(&a->norm, s);
    *oe = e > s ? cnd_norm_oend(&a->norm, e - 1) : *os;
}

static void trace(struct cnd_analyzer *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void trace(struct cnd_analyzer *a, const char *fmt, ...)
{
    va_list ap;

    if (a->trace == NULL) {
        return;
    }
    va_start(ap, fmt);
    if (cnd_buf_vaddf(a->trace, fmt, ap) < 0) {
        a->trace_failed = 1;
    }
    va_end(ap);
}

/* Appends the original text of normalized [s, e) as a quoted string. */
static void trace_text(struct cnd_analyzer *a, size_t s, size_t e)
{
    size_t os, oe;

    if (a->trace == NULL) {
        return;
    }
    orig_span(a, s, e, &os, &oe);
    if (cnd_buf_add_json_str(a->trace, a->orig + os, oe - os) < 0) {
        a->trace_failed = 1;
    }
}

static void trace_span(struct cnd_analyzer *a, size_t s, size_t e)
{
    size_t os, oe;

    if (a->trace == NULL) {
        return;
    }
    orig_span(a, s, e, &os, &oe);
    trace(a, "%zu..%zu ", os, oe);
    trace_text(a, s, e);
}

/* Next start after a match [s, e): its end, or one character on when empty. */
static size_t next_start(const struct cnd_analyzer *a, size_t s, size_t e)
{
    if (e > s) {
        return e;
    }
    e = s + 1;
    while (e < a->norm.len && ((unsigned char)a->norm.text[e] & 0xC0) == 0x80) {
        e++;
    }
    return e;
}

static int grow(void **arr, size_t *cap, size_t want, size_t size)
{
    void *n;
    size_t ncap;

    if (want <= *cap) {
        return 0;
    }
    ncap = *cap ? *cap * 2 : 16;
    while (ncap < want) {
        ncap *= 2;
    }
    n = cnd_realloc(*arr, ncap * size);
    if (n == NULL) {
        return CND_ENOMEM;
    }
    *arr = n;
    *cap = ncap;
    return 0;
}

/* ---- Sentences and clauses ---- */

static int add_break(struct cnd_analyzer *a, size_t pos, int sentence)
{
    if (sentence) {
        if (grow((void **)&a->sent_start, &a->cap_sents, a->n_sents + 1,
                 sizeof(*a->sent_start)) < 0) {
            return CND_ENOMEM;
        }
        a->sent_start[a->n_sents++] = pos;
    }
    if (a->n_clauses + 1 > a->cap_clauses) {
        /* clause_start and clause_sent share one capacity */
        size_t ncap = a->cap_clauses ? a->cap_clauses * 2 : 16;
        size_t *cs = cnd_realloc(a->clause_start, ncap * sizeof(*cs));

        if (cs == NULL) {
            return CND_ENOMEM;
        }
        a->clause_start = cs;
        cs = cnd_realloc(a->clause_sent, ncap * sizeof(*cs));
        if (cs == NULL) {
            return CND_ENOMEM;
        }
        a->clause_sent = cs;
        a->cap_clauses = ncap;
    }
    a->clause_start[a->n_clauses] = pos;
    a->clause_sent[a->n_clauses] = a->n_sents - 1;
    a->n_clauses++;
    return 0;
}

static int is_break_word(const char *w, size_t len)
{
    return (len == 3 && memcmp(w, "but", 3) == 0) || (len == 7 && memcmp(w, "however", 7) == 0) ||
           (len == 8 && memcmp(w, "although", 8) == 0);
}

static int is_terminator(unsigned char c)
{
    return c == '.' || c == '!' || c == '?' || c == ';' || c == '\n' || c == '\r';
}

/* Splits the normalized text into sentences (. ! ? ; newline) and clauses. */
static int structure(struct cnd_analyzer *a)
{
    const unsigned char *t = (const unsigned char *)a->norm.text;
    size_t n = a->norm.len, i = 0;
    size_t words_clause = 0, words_sent = 0;

    if (a->structured) {
        return 0;
    }
    a->n_sents = 0;
    a->n_clauses = 0;
    if (add_break(a, 0, 1) < 0) {
        return CND_ENOMEM;
    }
    while (i < n) {
        unsigned char c = t[i];

        if (is_word(c) && c != '\'') {
            size_t j = i;

            while (j < n && is_word(t[j])) {
                j++;
            }
            if (words_clause > 0 && is_break_word((const char *)t + i, j - i)) {
                if (add_break(a, i, 0) < 0) {
                    return CND_ENOMEM;
                }
                words_clause = 0;
            }
            words_clause++;
            words_sent++;
            i = j;
            continue;
        }
        if (c == '!' || c == '?' || c == ';' || c == '\n' || c == '\r' ||
            (c == '.' && (i + 1 == n || t[i + 1] == ' ' || t[i + 1] == '\t' ||
                          is_terminator(t[i + 1]) || t[i + 1] == '"' || t[i + 1] == '\'' ||
                          t[i + 1] == ')'))) {
            size_t j = i + 1;

            while (j < n && (is_terminator(t[j]) || t[j] == '"' || t[j] == ')' ||
                             t[j] == ' ' || t[j] == '\t')) {
                j++;
            }
            if (words_sent > 0 && j < n) {
                if (add_break(a, j, 1) < 0) {
                    return CND_ENOMEM;
                }
                words_sent = 0;
                words_clause = 0;
            }
            i = j;
            continue;
        }
        if (c == ',' && words_clause > 0 && i + 1 < n) {
            if (add_break(a, i + 1, 0) < 0) {
                return CND_ENOMEM;
            }
            words_clause = 0;
        }
        i++;
    }
    a->structured = 1;
    return 0;
}

/* Index of the last start <= pos in a sorted array of "n" >= 1 starts. */
static size_t find_index(const size_t *starts, size_t n, size_t pos)
{
    size_t lo = 0, hi = n;

    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (starts[mid] <= pos) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static size_t clause_of(const struct cnd_analyzer *a, size_t pos)
{
    return find_index(a->clause_start, a->n_clauses, pos);
}

static size_t sentence_of(const struct cnd_analyzer *a, size_t pos)
{
    return find_index(a->sent_start, a->n_sents, pos);
}

/* Number of words starting in normalized [s, e). */
static size_t words_between(const struct cnd_analyzer *a, size_t s, size_t e)
{
    const unsigned char *t = (const unsigned char *)a->norm.text;
    size_t k, n = 0;

    for (k = s; k < e; k++) {
        if (is_word(t[k]) && (k == 0 || !is_word(t[k - 1]))) {
            n++;
        }
    }
    return n;
}

/* ---- Negators and cues ---- */

/* The offset in the normalized text of offset "x" of the marked text: the bytes before it, marks aside. */
static size_t unmarked(const struct cnd_analyzer *a, uint32_t x)
{
    const unsigned char *t = a->pf_text;
    size_t i, n = x < a->pf_len ? x : a->pf_len, marks = 0;

    for (i = 0; i < n; i++) {
        marks += t[i] == CND_PF_MARK;   /* a loop the compiler vectorizes */
    }
    return n - marks;
}

/*
 * Runs candidate "p" on the normalized text from "start"; as cnd_re_match.
 * Only where its prefilter window allows a match to start.
 */
static int run_pattern(struct cnd_analyzer *a, uint32_t p, size_t start, size_t *ms, size_t *me)
{
    struct timespec t0, t1;
    size_t limit = a->win_hi[p] == UINT32_MAX ? SIZE_MAX : unmarked(a, a->win_hi[p]);
    double dt;
    int r;

    if (a->win_lo[p] != UINT32_MAX) {
        size_t lo = unmarked(a, a->win_lo[p]);

        start = start > lo ? start : lo;
    }
    a->stats.regex_runs++;
    if (a->costs == NULL) {
        return cnd_re_match_within(a->m, a->lex->pats[p].re, a->norm.text, a->norm.len, start,
                                   limit, ms, me);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = cnd_re_match_within(a->m, a->lex->pats[p].re, a->norm.text, a->norm.len, start, limit,
                            ms, me);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    a->costs[p].runs++;
    a->costs[p].matches += r == 1;
    dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    a->costs[p].seconds += dt;
    a->stats.regex_seconds += dt;
    return r;
}

static const struct occ *negated_by(const struct cnd_analyzer *a, size_t ms);
static int cue_negatable(enum cnd_cue_type t);

/*
 * 1 when one occurrence of cue "pat" tells all its others would: its scope
 * is the whole post, so only whether it occurs counts (for a cue a negator
 * may cancel: whether it occurs not cancelled). Not when tracing, which
 * shows every occurrence.
 */
static int one_occurrence_enough(const struct cnd_analyzer *a, const struct cnd_pattern *pat)
{
    return a->trace == NULL && pat->kind == CND_PAT_CUE && pat->cue != CND_CUE_QUESTION &&
           pat->cue != CND_CUE_HYPOTHETICAL && pat->cue != CND_CUE_CONTRAST;
}

static int all_occurrences(struct cnd_analyzer *a, uint32_t p, struct occ **arr, size_t *n,
                           size_t *cap, int *limited)
{
    const struct cnd_pattern *pat = &a->lex->pats[p];
    size_t start = 0, ms, me, count = 0;
    int one = one_occurrence_enough(a, pat);

    while (start <= a->norm.len && count < MAX_OCCURRENCES) {
        int r = run_pattern(a, p, start, &ms, &me);

        if (r == CND_ENOMEM) {
            return r;
        }
        if (r == CND_ELIMIT) {
            a->stats.limit_hits++;
            *limited = 1;
            trace(a, "limit: %s '%s' stopped by a pcre2 limit (skipped)\n",
                  pat->kind == CND_PAT_NEGATOR ? "negator" : "cue", pat->id);
            return 0;
        }
        if (r == 0) {
            break;
        }
        if (grow((void **)arr, cap, *n + 1, sizeof(**arr)) < 0) {
            return CND_ENOMEM;
        }
        (*arr)[*n].pat = p;
        (*arr)[*n].s = ms;
        (*arr)[*n].e = me;
        (*arr)[*n].negated = 0;
        (*n)++;
        count++;
        if (one && (!cue_negatable(pat->cue) || negated_by(a, ms) == NULL)) {
            break;
        }
        start = next_start(a, ms, me);
    }
    return 0;
}

static int occ_cmp(const void *x, const void *y)
{
    const struct occ *p = x, *q = y;

    if (p->s != q->s) {
        return p->s < q->s ? -1 : 1;
    }
    return p->pat < q->pat ? -1 : (p->pat > q->pat);
}

/* Finds every occurrence of the candidate patterns of "kind". */
static int collect(struct cnd_analyzer *a, enum cnd_pat_kind kind, struct occ **arr, size_t *n,
                   size_t *cap, int *limited)
{
    size_t i;
    int ret;

    *n = 0;
    for (i = 0; i < a->n_ctx_cands; i++) {
        uint32_t p = a->ctx_cands[i];

        if (a->lex->pats[p].kind != kind) {
            continue;
        }
        ret = all_occurrences(a, p, arr, n, cap, limited);
        if (ret < 0) {
            return ret;
        }
    }
    if (*n > 1) {
        qsort(*arr, *n, sizeof(**arr), occ_cmp);
    }
    return 0;
}

static void scan_context(struct cnd_analyzer *a);

static int ensure_negators(struct cnd_analyzer *a, int *limited)
{
    int ret;

    if (a->negs_done) {
        return 0;
    }
    scan_context(a);
    ret = structure(a);
    if (ret == 0) {
        ret = collect(a, CND_PAT_NEGATOR, &a->negs, &a->n_negs, &a->cap_negs, limited);
    }
    if (ret == 0) {
        a->negs_done = 1;
    }
    return ret;
}

/* The negator occurrence that cancels something starting at "ms", or NULL. */
static const struct occ *negated_by(const struct cnd_analyzer *a, size_t ms)
{
    size_t i, clause;

    if (a->lex->negation_scope == 0 || a->n_negs == 0) {
        return NULL;
    }
    clause = clause_of(a, ms);
    for (i = a->n_negs; i-- > 0;) {
        const struct occ *ng = &a->negs[i];

        if (ng->e > ms || ng->s >= ms) {
            continue;
        }
        if (clause_of(a, ng->s) != clause) {
            break;   /* sorted by start: every earlier one is in an earlier clause */
        }
        if (words_between(a, ng->e, ms) < a->lex->negation_scope) {
            return ng;
        }
    }
    return NULL;
}

static int cue_negatable(enum cnd_cue_type t)
{
    return t == CND_CUE_AD || t == CND_CUE_NEWS || t == CND_CUE_FIGURATIVE || t == CND_CUE_PRAISE;
}

static double strength(double m)
{
    return m > 1 ? m - 1 : 1 - m;
}

/* ---- Prefilter ---- */

/*
 * The copy of the normalized text the prefilters scan: with a mark at
 * every word boundary (cnd_pf_mark_text), which literals taken from
 * "\b...\b" in a regex must match too.
 */
static int mark_text(struct cnd_analyzer *a)
{
    size_t need;

    if (a->norm.len > (SIZE_MAX - 1) / 2) {
        return CND_ENOMEM;
    }
    need = 2 * a->norm.len + 1;
    if (need > a->pf_cap) {
        size_t cap = need < 1024 ? 1024 : need;
        unsigned char *t = cnd_realloc(a->pf_text, cap);

        if (t == NULL) {
            return CND_ENOMEM;
        }
        a->pf_text = t;
        a->pf_cap = cap;
    }
    a->pf_len = cnd_pf_mark_text((const unsigned char *)a->norm.text, a->norm.len, a->pf_text);
    return 0;
}

/*
 * Whether the marked text holds "lit": a byte with the marks a literal
 * taken from "\b?\b" has (the normalized text is lowercase in ASCII,
 * as the literals are).
 */
static int holds(const struct cnd_analyzer *a, const char *lit)
{
    const unsigned char *t = a->pf_text, *end = t + a->pf_len;
    size_t ll = strlen(lit);
    unsigned char b = (unsigned char)lit[0] == CND_PF_MARK ? (unsigned char)lit[1]
                                                           : (unsigned char)lit[0];
    size_t at = (unsigned char)lit[0] == CND_PF_MARK;   /* where "b" is in "lit" */

    while (t < end) {
        const unsigned char *p = memchr(t, b, (size_t)(end - t));

        if (p == NULL) {
            return 0;
        }
        if ((size_t)(p - a->pf_text) >= at && (size_t)(end - p) >= ll - at &&
            memcmp(p - at, lit, ll) == 0) {
            return 1;
        }
        t = p + 1;
    }
    return 0;
}

/*
 * Whether each of a pattern's deferred requirements (cnd_pattern.deferred:
 * lists of literals) has a literal in the marked text.
 */
static int deferred_met(const struct cnd_analyzer *a, const char *d)
{
    while (*d) {
        int met = 0;

        for (; *d; d += strlen(d) + 1) {
            met = met || holds(a, d);
        }
        if (!met) {
            return 0;
        }
        d++;   /* past the requirement's end */
    }
    return 1;
}

/*
 * Scans the marked text with prefilter "which"; stores in "out", in
 * lexicon order, the patterns whose requirements were all met and those
 * without a literal. Returns how many.
 */
static size_t prefilter(struct cnd_analyzer *a, int which, uint32_t *out)
{
    const struct cnd_lexicon *lex = a->lex;
    const struct cnd_prefilter *pf = &lex->pf[which];
    size_t i, k, n, s, n_st, m = 0;

    a->gen++;
    if (a->gen >= (1u << 28)) {
        memset(a->mark, 0, lex->n_pats * sizeof(*a->mark));
        a->gen = 1;
    }
    n_st = cnd_acm_scan_states(pf->acm, a->pf_text, a->pf_len, a->st_seen, a->st_buf,
                               a->st_first, a->st_last);
    a->stats.literal_hits += n_st;
    {
        /* mark[p] = gen << 4 | the requirements met: a pattern first seen in
         * this scan starts afresh and joins "out" (no branch on it). Its
         * window: a match starts no later than the latest start of any of
         * its literals' occurrences (it holds one), and no earlier than the
         * earliest start of a requirement that starts every match. */
        uint32_t *mark = a->mark, g4 = a->gen << 4, *lo = a->win_lo, *hi = a->win_hi;
        const uint32_t *off = pf->st_off, *targets = pf->st_targets, *buf = a->st_buf,
                       *span = pf->st_span;

        for (s = 0; s < n_st; s++) {
            uint32_t st = buf[s], e = off[st + 1], first = a->st_first[st],
                     last = a->st_last[st];

            for (k = off[st]; k < e; k++) {
                uint32_t t = targets[k], p = t >> 2, v = mark[p], sp = span[k];
                uint32_t fresh = (v & ~15u) != g4;
                uint32_t l0 = fresh ? UINT32_MAX : lo[p], h0 = fresh ? 0 : hi[p];
                uint32_t l1 = CND_SPAN_PREFIX(sp) ? first - CND_SPAN_MAX(sp) : UINT32_MAX;
                uint32_t h1 = last - CND_SPAN_MIN(sp);

                if (a->trace != NULL && fresh) {
                    a->mark_lit[p] = (uint32_t)k;   /* its literal: st_lits[k] */
                }
                mark[p] = (fresh ? g4 : v) | (1u << (t & 3));
                lo[p] = l1 < l0 ? l1 : l0;
                hi[p] = h1 > h0 ? h1 : h0;
                out[m] = p;
                m += fresh;
            }
        }
        /* keep the patterns whose requirements were all met, the deferred ones too */
        for (i = 0, k = 0; i < m; i++) {
            uint32_t p = out[i];

            out[k] = p;
            k += (mark[p] & 15u) == a->need[p] &&
                 (lex->pats[p].deferred == NULL || deferred_met(a, lex->pats[p].deferred));
        }
        n = k;
        for (i = 0; i < pf->n_always; i++) {
            uint32_t p = pf->always[i];

            if ((mark[p] & ~15u) != g4) {
                mark[p] = g4;
                a->mark_lit[p] = UINT32_MAX;
                lo[p] = UINT32_MAX;
                hi[p] = UINT32_MAX;   /* no literal: anywhere */
                out[n++] = p;
            }
        }
    }
    /* lexicon order; few candidates, mostly in order already: insertion sort */
    for (i = 1; i < n; i++) {
        uint32_t p = out[i];

        for (k = i; k > 0 && out[k - 1] > p; k--) {
            out[k] = out[k - 1];
        }
        out[k] = p;
    }
    a->stats.candidates += n;
    return n;
}

/* The candidate negators and cues: looked for only once some rule matched. */
static void scan_context(struct cnd_analyzer *a)
{
    if (!a->ctx_done) {
        a->n_ctx_cands = prefilter(a, CND_PF_CONTEXT, a->ctx_cands);
        a->ctx_done = 1;
    }
}

static void trace_candidate(struct cnd_analyzer *a, uint32_t p)
{
    const struct cnd_pattern *pat = &a->lex->pats[p];

    if (a->trace == NULL) {
        return;
    }
    if (a->mark_lit[p] == UINT32_MAX) {
        trace(a, "candidate: rule '%s' (no literal, always tried): ", pat->id);
    } else {
        const char *lit = cnd_acm_literal(a->lex->pf[CND_PF_RULES].acm,
                                          a->lex->pf[CND_PF_RULES].st_lits[a->mark_lit[p]]);

        /* word-boundary marks shown as the regex writes them */
        trace(a, "candidate: rule '%s' (literal \"", pat->id);
        for (; *lit; lit++) {
            if (*lit == CND_PF_MARK) {
                trace(a, "\\b");
            } else {
                trace(a, "%c", *lit);
            }
        }
        trace(a, "\"): ");
    }
}

/* ---- Classification ---- */

/* The bucket of the packed stopword "k" in a table of 2^"bits" buckets. */
static size_t stop_bucket(uint64_t k, unsigned bits)
{
    return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

/*
 * Builds the analyzer's own set of the lexicon's stopwords of up to eight
 * bytes, each packed into an integer (first byte lowest, as load8 reads
 * it): english_enough then has the key of a word from the bytes it has
 * already loaded, and looks it up inline. A word is looked for in one
 * bucket of CND_STOP_WAYS slots, all compared at once: about half the
 * words of English text are stopwords, so a probe that stops at the
 * first match or empty slot would mispredict a branch on most words.
 * There are as many buckets as words, doubled until none overflows.
 * 0 or CND_ENOMEM.
 */
static int build_stops(struct cnd_analyzer *a)
{
    const struct cnd_lexicon *lex = a->lex;
    size_t i, n = 0;

    for (i = 0; i < lex->stop_cap; i++) {
        n += lex->stop[i] != NULL && strlen(lex->stop[i]) <= 8;
    }
    for (a->stop_bits = 4; ((size_t)1 << a->stop_bits) < n; a->stop_bits++) {
    }
    for (;;) {
        int full = 0;

        a->stops = cnd_calloc((size_t)CND_STOP_WAYS << a->stop_bits, sizeof(*a->stops));
        if (a->stops == NULL) {
            return CND_ENOMEM;
        }
        for (i = 0; i < lex->stop_cap && !full; i++) {
            const char *w = lex->stop[i];
            size_t len = w != NULL ? strlen(w) : 0, k;
            uint64_t key = 0, *bucket;

            if (len == 0 || len > 8) {
                continue;
            }
            for (k = 0; k < len; k++) {
                key |= (uint64_t)(unsigned char)w[k] << (8 * k);
            }
            bucket = a->stops + CND_STOP_WAYS * stop_bucket(key, a->stop_bits);
            for (k = 0; k < CND_STOP_WAYS && bucket[k] != 0; k++) {
            }
            if (k == CND_STOP_WAYS) {
                full = 1;
            } else {
                bucket[k] = key;
            }
        }
        if (!full) {
            return 0;
        }
        cnd_free(a->stops);
        a->stops = NULL;
        a->stop_bits++;
    }
}

/* Is the word of "len" ASCII bytes whose first eight bytes are "w" a stopword? */
static int is_stopword(const struct cnd_analyzer *a, const unsigned char *t, size_t len,
                       uint64_t w)
{
    const uint64_t *bucket;
    int hit = 0;
    size_t k;

    if (len > 8) {
        return cnd_lexicon_is_stopword(a->lex, (const char *)t, len);
    }
    w &= ~0ULL >> (64 - 8 * len);
    bucket = a->stops + CND_STOP_WAYS * stop_bucket(w, a->stop_bits);
    for (k = 0; k < CND_STOP_WAYS; k++) {
        hit |= bucket[k] == w;   /* no early exit: see build_stops */
    }
    return hit;
}

/*
 * The high bit of each byte of "w" where a word may start: 'a'..'z' and
 * non-ASCII bytes (the lead bytes of CJK, kana and hangul included, each
 * such character being a word of its own).
 */
static uint64_t word_starts(uint64_t w)
{
    uint64_t hi = w & HIGHS, v = w & ~HIGHS;
    uint64_t letter = (v + ONES * (0x80 - 'a')) & ~(v + ONES * (0x80 - 'z' - 1)) & ~hi;

    return (letter & HIGHS) | hi;
}

/*
 * Language by stopwords. Returns 1 when the text is English enough.
 * Bytes between words are skipped eight at a time, and a word (its bytes
 * as word_bytes says) is read eight bytes at a time: one mask finds its
 * end, others whether it is all 'x' and all ASCII. The text's zero
 * padding ends the last word within reach of the reads.
 */
static int english_enough(struct cnd_analyzer *a, size_t *words_out, size_t *stops_out)
{
    const unsigned char *t = (const unsigned char *)a->norm.text;
    size_t n = a->norm.len, i = 0, words = 0, stops = 0;

    if (a->lex->n_stop == 0 && a->trace == NULL) {
        *words_out = 0;   /* not counted: without stopwords every text is taken as English */
        *stops_out = 0;
        return 1;
    }
    while (i < n) {
        uint64_t first = load8(t + i), starts = word_starts(first), not_x = 0, high = 0;
        unsigned char c;
        size_t j;

        if (starts == 0) {
            i += 8;
            continue;
        }
        if ((starts & 0x80) == 0) {
            i += (size_t)__builtin_ctzll(starts) >> 3;
            first = load8(t + i);
        }
        c = t[i];
        if (c >= 0xE3 && c <= 0xED) {
            /* CJK, kana, hangul: written without spaces; one word per character */
            words++;
            i += 3;
            continue;
        }
        j = i;
        for (;;) {
            uint64_t w = j == i ? first : load8(t + j);
            uint64_t end = ~word_bytes(w) & HIGHS;
            uint64_t in = end ? ((end & (0 - end)) >> 7) - 1 : ~0ULL;   /* the word's bytes */

            not_x |= ~bytes_eq(w, 'x') & HIGHS & in;
            high |= w & HIGHS & in;
            if (end) {
                j += (size_t)__builtin_ctzll(end) >> 3;
                break;
            }
            j += 8;
        }
        if (!(not_x == 0 && j - i >= 2)) {
            words++;
            if (high == 0 && j - i <= a->lex->stop_maxlen && a->stops != NULL) {
                stops += (size_t)is_stopword(a, t + i, j - i, first);
            }
            /* settled: even if every byte left made a word, 10% are stopwords */
            if (a->trace == NULL && stops * 100 >= (words + (n - j + 1) / 2) *
                                                  UND_STOP_PERCENT) {
                words += (n - j + 1) / 2;
                break;
            }
        }
        i = j;
    }
    *words_out = words;
    *stops_out = stops;
    if (a->lex->n_stop == 0 || words < UND_MIN_WORDS) {
        return 1;
    }
    return stops * 100 >= words * UND_STOP_PERCENT;
}

static int ev_cmp(const void *x, const void *y)
{
    const struct cnd_evidence *p = x, *q = y;

    if (p->start != q->start) {
        return p->start < q->start ? -1 : 1;
    }
    if (p->end != q->end) {
        return p->end < q->end ? -1 : 1;
    }
    return strcmp(p->rule, q->rule);
}

/*
 * Whether normalized offset "at" lies inside double quotes: an odd number
 * of '"' before it on its line (curly quotes are straight by now).
 */
static int in_quotes(const struct cnd_analyzer *a, size_t at)
{
    const char *t = a->norm.text;
    size_t i = at, n = 0;

    while (i > 0 && t[i - 1] != '\n') {
        n += t[--i] == '"';
    }
    return n & 1;
}

/* Multiplies each counted match by the cues that govern it. */
static void apply_cues(struct cnd_analyzer *a)
{
    const struct cnd_lexicon *lex = a->lex;
    size_t i, k;
    int any_experience = 0;

    for (k = 0; k < a->n_cues; k++) {
        struct occ *c = &a->cues[k];
        const struct cnd_pattern *pat = &lex->pats[c->pat];
        const struct occ *ng = NULL;

        if (cue_negatable(pat->cue)) {
            ng = negated_by(a, c->s);
        }
        if (ng != NULL) {
            c->negated = 1;
            trace(a, "negation: negator '%s' at ", lex->pats[ng->pat].id);
            trace_span(a, ng->s, ng->e);
            trace(a, " cancels %s cue '%s' at ", cnd_cue_type_names[pat->cue], pat->id);
            trace_span(a, c->s, c->e);
            trace(a, "\n");
            continue;
        }
        if (pat->cue == CND_CUE_AD && in_quotes(a, c->s)) {
            /* the seller's words quoted by the author ("FLASH SALE, offer ends
             * tonight!"): what a complaint quotes does not make it an ad */
            c->negated = 1;
            trace(a, "quoted: ad cue '%s' at ", pat->id);
            trace_span(a, c->s, c->e);
            trace(a, " is inside quotes; not applied\n");
            continue;
        }
        if (pat->cue == CND_CUE_EXPERIENCE) {
            any_experience = 1;
        }
        if (a->trace) {
            size_t cl = clause_of(a, c->s), st = sentence_of(a, c->s);
            size_t os, oe;

            trace(a, "cue: %s '%s' at ", cnd_cue_type_names[pat->cue], pat->id);
            trace_span(a, c->s, c->e);
            trace(a, " multiplier ");
            cnd_buf_add_score(a->trace, pat->weight);
            if (pat->cue == CND_CUE_QUESTION || pat->cue == CND_CUE_HYPOTHETICAL) {
                orig_span(a, a->sent_start[st],
                          st + 1 < a->n_sents ? a->sent_start[st + 1] : a->norm.len, &os, &oe);
                trace(a, " scope sentence %zu..%zu\n", os, oe);
            } else if (pat->cue == CND_CUE_CONTRAST) {
                if (cl > 0 && a->clause_sent[cl - 1] == st) {
                    orig_span(a, a->clause_start[cl - 1], a->clause_start[cl], &os, &oe);
                    trace(a, " scope clause %zu..%zu\n", os, oe);
                } else {
                    trace(a, " scope none (no clause before it in its sentence)\n");
                }
            } else {
                trace(a, " scope post\n");
            }
        }
    }
    for (i = 0; i < a->n_matches; i++) {
        struct match_rec *mr = &a->matches[i];
        const struct cnd_pattern *rule = &lex->pats[mr->pat];
        double best[CND_CUE_NTYPES];
        size_t cl = clause_of(a, mr->s), st = sentence_of(a, mr->s);
        int t;

        for (t = 0; t < CND_CUE_NTYPES; t++) {
            best[t] = 1.0;
        }
        for (k = 0; k < a->n_cues; k++) {
            const struct occ *c = &a->cues[k];
            const struct cnd_pattern *pat = &lex->pats[c->pat];
            int applies;

            if (c->negated) {
                continue;
            }
            switch (pat->cue) {
            case CND_CUE_QUESTION:
            case CND_CUE_HYPOTHETICAL:
                applies = sentence_of(a, c->s) == st;
                break;
            case CND_CUE_CONTRAST: {
                size_t ccl = clause_of(a, c->s);

                applies = ccl > 0 && ccl - 1 == cl && a->clause_sent[ccl] == a->clause_sent[cl];
                break;
            }
            default:
                applies = 1;
                break;
            }
            if (applies && strength(pat->weight) > strength(best[pat->cue])) {
                best[pat->cue] = pat->weight;
            }
        }
        if (!any_experience) {
            best[CND_CUE_EXPERIENCE] = lex->experience_missing;
        }
        trace(a, "weight: rule '%s' ", rule->id);
        if (a->trace) {
            cnd_buf_add_score(a->trace, rule->weight);
        }
        mr->weight = rule->weight;
        for (t = 0; t < CND_CUE_NTYPES; t++) {
            if (best[t] != 1.0) {
                mr->weight *= best[t];
                if (a->trace) {
                    trace(a, " x %s%s ", cnd_cue_type_names[t],
                          t == CND_CUE_EXPERIENCE && !any_experience ? "_missing" : "");
                    cnd_buf_add_score(a->trace, best[t]);
                }
            }
        }
        if (a->trace) {
            trace(a, " = ");
            cnd_buf_add_score(a->trace, mr->weight);
            trace(a, "\n");
        }
    }
}

/* Confirms the candidate rules; each counts once, at its first match not negated. */
static int run_rules(struct cnd_analyzer *a, int *limited)
{
    const struct cnd_lexicon *lex = a->lex;
    size_t i;
    int ret;

    a->n_matches = 0;
    for (i = 0; i < a->n_cands; i++) {
        uint32_t p = a->cands[i];
        const struct cnd_pattern *pat = &lex->pats[p];
        size_t start = 0, ms, me;
        int tries = 0;

        if (pat->kind != CND_PAT_RULE) {
            continue;
        }
        trace_candidate(a, p);
        for (;;) {
            const struct occ *ng;
            int r = run_pattern(a, p, start, &ms, &me);

            if (r == CND_ENOMEM) {
                return r;
            }
            if (r == CND_ELIMIT) {
                a->stats.limit_hits++;
                *limited = 1;
                trace(a, "%sstopped by a pcre2 limit (rule skipped)\n", tries ? "  " : "");
                break;
            }
            if (r == 0) {
                trace(a, tries ? "  no further match\n" : "not confirmed\n");
                break;
            }
            if (tries == 0) {
                trace(a, "confirmed at ");
                trace_span(a, ms, me);
                trace(a, "\n");
            }
            ret = ensure_negators(a, limited);
            if (ret < 0) {
                return ret;
            }
            ng = negated_by(a, ms);
            if (ng == NULL) {
                struct match_rec *mr = &a->matches[a->n_matches++];

                mr->pat = p;
                mr->s = ms;
                mr->e = me;
                mr->weight = pat->weight;
                trace(a, "match: rule '%s' category %s at ", pat->id,
                      lex->categories[pat->category]);
                trace_span(a, ms, me);
                trace(a, " weight ");
                if (a->trace) {
                    cnd_buf_add_score(a->trace, pat->weight);
                }
                trace(a, "\n");
                break;
            }
            trace(a, "negation: negator '%s' at ", lex->pats[ng->pat].id);
            trace_span(a, ng->s, ng->e);
            trace(a, " cancels rule '%s' at ", pat->id);
            trace_span(a, ms, me);
            trace(a, "\n");
            if (++tries >= MAX_NEXT_TRIES) {
                break;
            }
            start = next_start(a, ms, me);
        }
    }
    return 0;
}

/*
 * Whether no category can reach the threshold: each sums at most the
 * weights of its candidate rules, times the strongest boost of the cues
 * (multipliers are never negative, weights neither).
 */
static int hopeless(struct cnd_analyzer *a)
{
    const struct cnd_lexicon *lex = a->lex;
    double *bound = a->scores, best = 0;
    size_t i;

    for (i = 0; i < a->n_cands; i++) {
        const struct cnd_pattern *pat = &lex->pats[a->cands[i]];

        if (pat->kind == CND_PAT_RULE) {
            bound[pat->category] += pat->weight;
        }
    }
    for (i = 0; i < lex->n_categories; i++) {
        best = bound[i] > best ? bound[i] : best;
        bound[i] = 0;
    }
    /* a margin for rounding: the scores multiply and sum in another order */
    return best * a->max_boost * (1 + 1e-9) < a->threshold;
}

/* Sums the weights per category and fills the verdict. */
static int score(struct cnd_analyzer *a, struct cnd_verdict *v)
{
    const struct cnd_lexicon *lex = a->lex;
    size_t i, j, n = 0;
    size_t order[CND_MAX_CATEGORIES];
    double best = 0;

    for (i = 0; i < a->n_matches; i++) {
        const struct match_rec *mr = &a->matches[i];
        const struct cnd_pattern *pat = &lex->pats[mr->pat];
        struct cnd_evidence *ev = &a->ev[i];

        a->scores[pat->category] += mr->weight;
        ev->rule = pat->id;
        ev->category = lex->categories[pat->category];
        orig_span(a, mr->s, mr->e, &ev->start, &ev->end);
        ev->weight = mr->weight;
    }
    if (a->n_matches > 1) {
        qsort(a->ev, a->n_matches, sizeof(*a->ev), ev_cmp);
    }
    v->n_evidence = a->n_matches;
    v->evidence = a->ev;
    for (i = 0; i < lex->n_categories; i++) {
        if (a->scores[i] > best) {
            best = a->scores[i];
        }
        if (a->scores[i] > 0 && a->scores[i] >= a->threshold) {
            /* insertion: stronger first, declaration order on ties */
            j = n++;
            while (j > 0 && a->scores[order[j - 1]] < a->scores[i]) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
    }
    v->score = best;
    v->n_categories = n;
    for (i = 0; i < n; i++) {
        v->categories[i] = lex->categories[order[i]];
        v->category_scores[i] = a->scores[order[i]];
    }
    v->complaint = n > 0;
    return 0;
}

/* ---- Brand focus ---- */

/*
 * Patterns on the normalized text around a brand mention. After it (from
 * its end, up to the next mention or the sentence's end): praise of the
 * brand ("X has been great", "X sold me the laptop, fine, no issue
 * there"). Before it (from the sentence's start): the brand is where the
 * author went ("switched from A to B", "left A for B"), or is set
 * apart ("unlike B", "not B's fault", the latter with FOCUS_FAULT after).
 */
static const char FOCUS_AFTER[] =
    "\\G(?:'s)?[^.!?;\\n]{0,40}?\\b(?:(?:is|was|has been|have been|been|are|were|seems?|seemed|'s been"
    "|'s|'re) (?:\\w+ )?(?:great|fine|good|awesome|amazing|excellent|honest|solid|fantastic|perfect"
    "|ok|okay|reliable|wonderful|cool|the best|lovely|helpful|legit|not the problem)|no (?:issues?"
    "|problems?|complaints?)(?: there)?|(?:fine|great),? (?:honestly|tbh|no issue))\\b";
static const char FOCUS_BEFORE[] =
    "(?:\\b(?:switch\\w*|mov\\w*|went|go|going|port\\w*|chang\\w*|jump\\w*|migrat\\w*|came|come"
    "|upgraded)(?: (?:over|back|ship))? to|\\bfrom [@#]?\\S+(?: \\S+)? to|\\bleft \\S+ for|\\bthanks? to|\\bthank you|\\bgo with"
    "|\\bwent with|\\bunlike|\\bother than|\\b(?<not>not))\\s*[\"'(]*[@#]?$";
static const char FOCUS_FAULT[] = "\\G(?:'s)? (?:fault|problem|issue|doing)\\b";

/* Normalized offset of original byte offset "o": the first byte that maps at or after it. */
static size_t norm_pos(const struct cnd_analyzer *a, size_t o)
{
    size_t lo = 0, hi = a->norm.len;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cnd_norm_ostart(&a->norm, mid) < o) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Whether a counted rule match starts in sentence "st". */
static int sentence_has_evidence(const struct cnd_analyzer *a, size_t st)
{
    size_t i;

    for (i = 0; i < a->n_matches; i++) {
        if (a->matches[i].weight > 0 && sentence_of(a, a->matches[i].s) == st) {
            return 1;
        }
    }
    return 0;
}

/* Whether the mention at normalized [s, e) is cleared by the words around it. */
static int mention_cleared(struct cnd_analyzer *a, size_t s, size_t e, size_t from, size_t to)
{
    size_t ms, me;
    int r;

    r = cnd_re_match(a->m, a->clear_after, a->norm.text, to, e, &ms, &me);
    if (r == 1) {
        return 1;
    }
    r = cnd_re_match(a->m, a->clear_before, a->norm.text, s, from, &ms, &me);
    if (r != 1) {
        return 0;
    }
    /* a bare "not" clears only "not B's fault" */
    if (me - ms >= 3 && ms + 3 <= s && memcmp(a->norm.text + ms, "not", 3) == 0) {
        return cnd_re_match(a->m, a->fault_after, a->norm.text, to, e, &ms, &me) == 1;
    }
    return 1;
}

/*
 * A complaint naming several brands: each mention in a sentence with
 * evidence blames its brand unless the words around it clear it. When
 * some but not all of the brands are blamed, the verdict keeps those.
 */
static void focus_brands(struct cnd_analyzer *a, struct cnd_verdict *v)
{
    const struct cnd_brand_hit *hits;
    size_t n_hits, i, k, n_blamed = 0;
    unsigned char blamed[CND_MAX_VERDICT_BRANDS];
    const char *kept[CND_MAX_VERDICT_BRANDS];

    if (a->clear_after == NULL || !v->complaint || v->n_brands < 2 || structure(a) < 0) {
        return;
    }
    memset(blamed, 0, sizeof(blamed));
    n_hits = cnd_brands_hits(a->brands, &hits);
    for (i = 0; i < n_hits; i++) {
        size_t s = norm_pos(a, hits[i].start), e = norm_pos(a, hits[i].end);
        size_t st = sentence_of(a, s), from, to;
        const char *name = cnd_brands_name(a->brands, hits[i].brand);

        if (i > 0 && hits[i].start < hits[i - 1].end) {
            continue;   /* the same mention by another variant */
        }
        from = a->sent_start[st];
        to = st + 1 < a->n_sents ? a->sent_start[st + 1] : a->norm.len;
        if (i + 1 < n_hits) {
            size_t next = norm_pos(a, hits[i + 1].start);

            if (next < to && next >= e) {
                to = next;
            }
        }
        if (!sentence_has_evidence(a, st)) {
            continue;
        }
        if (mention_cleared(a, s, e, from, to)) {
            trace(a, "brand focus: mention of %s at ", name ? name : "?");
            trace_span(a, s, e);
            trace(a, " is cleared by the words around it\n");
            continue;
        }
        for (k = 0; k < v->n_brands; k++) {
            if (name != NULL && strcmp(v->brands[k], name) == 0) {
                blamed[k] = 1;
            }
        }
    }
    for (k = 0; k < v->n_brands; k++) {
        if (blamed[k]) {
            kept[n_blamed++] = v->brands[k];
        }
    }
    if (n_blamed == 0 || n_blamed == v->n_brands) {
        trace(a, "brand focus: all %zu brands\n", v->n_brands);
        return;
    }
    memcpy(v->brands, kept, n_blamed * sizeof(kept[0]));
    v->n_brands = n_blamed;
    if (a->trace) {
        trace(a, "brand focus: the complaint is about");
        for (k = 0; k < v->n_brands; k++) {
            trace(a, " %s", v->brands[k]);
        }
        trace(a, "\n");
    }
}

/*
 * 1 when "s" looks like a BCP 47 language tag that fits the verdict: a
 * primary subtag of 2 to 8 ASCII letters, then subtags of 1 to 8 letters or
 * digits after '-' or '_' ("en", "pt-BR", "zh_Hant"), 31 bytes at most.
 */
static int lang_tag_ok(const char *s, size_t len)
{
    size_t i, run = 0;
    int first = 1;

    if (len < 2 || len >= sizeof(((struct cnd_analyzer *)0)->lang)) {
        return 0;
    }
    for (i = 0; i <= len; i++) {
        unsigned char c = i < len ? (unsigned char)s[i] : '-';
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

        if (c == '-' || c == '_') {
            if (run == 0 || run > 8 || (first && run < 2)) {
                return 0;
            }
            first = 0;
            run = 0;
        } else if (alpha || (!first && c >= '0' && c <= '9')) {
            run++;
        } else {
            return 0;
        }
    }
    return 1;
}

/* 1 when the primary subtag of a valid tag is English: "en" or "eng". */
static int lang_is_english(const char *s, size_t len)
{
    size_t n = 0;

    while (n < len && s[n] != '-' && s[n] != '_') {
        n++;
    }
    return (n == 2 || (n == 3 && lower((unsigned char)s[2]) == 'g')) &&
           lower((unsigned char)s[0]) == 'e' && lower((unsigned char)s[1]) == 'n';
}

/* Whether the post is English enough to analyze; if not, says so in "v". */
static int is_english(struct cnd_analyzer *a, struct cnd_verdict *v)
{
    size_t words = 0, stops = 0;

    if (english_enough(a, &words, &stops)) {
        trace(a, "language: en (%zu of %zu words are stopwords)\n", stops, words);
        return 1;
    }
    v->lang = "und";
    trace(a, "language: und (%zu of %zu words are stopwords; not analyzed)\n", stops, words);
    return 0;
}

int cnd_classify(struct cnd_analyzer *a, const char *text, size_t len, const char *lang,
                 size_t lang_len, struct cnd_verdict *v, struct cnd_buf *tr)
{
    size_t i;
    int ret, limited = 0, lang_late;

    /* The verdict's arrays are read only up to their counts: clearing all of
     * them (some 700 bytes) and every category's score cost a post more
     * than the rest of this setup. */
    v->complaint = 0;
    v->score = 0;
    v->n_categories = 0;
    v->n_brands = 0;
    v->n_evidence = 0;
    v->evidence = a->ev;
    v->lang = "en";
    memset(a->scores, 0, a->lex->n_categories * sizeof(a->scores[0]));
    a->trace = tr;
    a->trace_failed = 0;
    a->orig = text ? text : "";
    a->orig_len = text ? len : 0;
    a->structured = 0;
    a->negs_done = 0;
    a->n_negs = 0;
    a->n_cues = 0;
    a->n_matches = 0;
    a->n_cands = 0;
    a->n_ctx_cands = 0;
    a->ctx_done = 0;
    a->stats.posts++;
    text = a->orig;
    len = a->orig_len;

    ret = cnd_norm_run(&a->norm, text, len);
    if (ret < 0) {
        goto out;
    }
    trace(a, "text: %zu bytes (%zu after normalization)\n", len, a->norm.len);
    if (a->brands != NULL) {
        v->n_brands = cnd_brands_find(a->brands, text, len, v->brands, CND_MAX_VERDICT_BRANDS);
    }
    if (a->trace) {
        trace(a, "brands:");
        for (i = 0; i < v->n_brands; i++) {
            trace(a, " %s", v->brands[i]);
        }
        trace(a, "%s\n", v->n_brands ? "" : " none");
    }
    if (lang != NULL && lang_len > 0 && !lang_tag_ok(lang, lang_len)) {
        /* not a language tag: ignore it and tell the language from the text */
        trace(a, "language: the post's \"lang\" is not a language tag; ignored\n");
        lang = NULL;
    }
    if (lang != NULL && lang_len > 0 && !lang_is_english(lang, lang_len)) {
        memcpy(a->lang, lang, lang_len);
        a->lang[lang_len] = '\0';
        v->lang = a->lang;
        trace(a, "language: %s (from the post; not analyzed)\n", a->lang);
        goto out;
    }
    /* Only complaints are read in complaints-only mode, and a post no rule
     * can make one is none in any language: there the language is told
     * after the prefilter, of the posts some rule could make complaints
     * (the stopword count costs a post more than the prefilter); when
     * tracing, first as always. */
    lang_late = a->complaints_only && a->trace == NULL;
    if (!lang_late && !is_english(a, v)) {
        goto out;
    }
    ret = mark_text(a);
    if (ret < 0) {
        goto out;
    }
    a->n_cands = prefilter(a, CND_PF_RULES, a->cands);
    if (a->complaints_only && hopeless(a)) {
        a->stats.hopeless++;
        v->lang = "und";   /* not told */
        trace(a, "verdict: no complaint possible from the candidate rules (not run)\n");
        goto out;
    }
    if (lang_late && !is_english(a, v)) {
        goto out;
    }
    ret = run_rules(a, &limited);
    if (ret < 0) {
        goto out;
    }
    if (a->n_matches > 0) {
        ret = ensure_negators(a, &limited);   /* scans for the context too */
        if (ret == 0) {
            ret = collect(a, CND_PAT_CUE, &a->cues, &a->n_cues, &a->cap_cues, &limited);
        }
        if (ret < 0) {
            goto out;
        }
        apply_cues(a);
    }
    ret = score(a, v);
    if (ret == 0) {
        focus_brands(a, v);
    }
out:
    a->trace = NULL;
    if (ret == 0 && limited) {
        ret = CND_ELIMIT;
    }
    return ret;
}

/* ---- Public ---- */

struct cnd_analyzer *cnd_analyzer_new(const struct cnd_lexicon *lex,
                                      const struct cnd_brand *brands, size_t n_brands,
                                      double threshold, int *err)
{
    struct cnd_analyzer *a = cnd_calloc(1, sizeof(*a));
    size_t n = lex->n_pats ? lex->n_pats : 1, i;

    *err = CND_ENOMEM;
    if (a == NULL) {
        return NULL;
    }
    a->lex = lex;
    a->threshold = threshold < 0 ? lex->threshold : threshold;
    a->m = cnd_matcher_new();
    a->mark = cnd_calloc(n, sizeof(*a->mark));
    a->mark_lit = cnd_calloc(n, sizeof(*a->mark_lit));
    a->need = cnd_calloc(n, 1);
    /* one more than patterns: the scan writes a slot before it knows whether to keep it */
    a->cands = cnd_calloc(n + 1, sizeof(*a->cands));
    a->ctx_cands = cnd_calloc(n + 1, sizeof(*a->ctx_cands));
    a->matches = cnd_calloc(n, sizeof(*a->matches));
    a->ev = cnd_calloc(n, sizeof(*a->ev));
    {
        size_t ncls, n_st = cnd_acm_n_states(lex->pf[CND_PF_RULES].acm, &ncls),
               n_ctx = cnd_acm_n_states(lex->pf[CND_PF_CONTEXT].acm, &ncls);

        if (n_ctx > n_st) {
            n_st = n_ctx;
        }
        a->st_seen = cnd_calloc(n_st / 64 + 1, sizeof(*a->st_seen));
        a->st_buf = cnd_calloc(n_st + 1, sizeof(*a->st_buf));
        a->st_first = cnd_calloc(n_st + 1, sizeof(*a->st_first));
        a->st_last = cnd_calloc(n_st + 1, sizeof(*a->st_last));
    }
    a->win_lo = cnd_calloc(n, sizeof(*a->win_lo));
    a->win_hi = cnd_calloc(n, sizeof(*a->win_hi));
    if (a->m == NULL || a->mark == NULL || a->mark_lit == NULL || a->need == NULL ||
        a->cands == NULL || a->ctx_cands == NULL || a->st_seen == NULL || a->st_buf == NULL ||
        a->st_first == NULL || a->st_last == NULL || a->win_lo == NULL || a->win_hi == NULL ||
        a->matches == NULL || a->ev == NULL) {
        goto fail;
    }
    for (i = 0; i < lex->n_pats; i++) {
        a->need[i] = (unsigned char)((1u << lex->pats[i].n_clauses) - 1);
    }
    {
        double most[CND_CUE_NTYPES];
        int t;

        for (t = 0; t < CND_CUE_NTYPES; t++) {
            most[t] = 1.0;
        }
        most[CND_CUE_EXPERIENCE] = lex->experience_missing > 1 ? lex->experience_missing : 1.0;
        for (i = 0; i < lex->n_pats; i++) {
            const struct cnd_pattern *pat = &lex->pats[i];

            if (pat->kind == CND_PAT_CUE && pat->weight > most[pat->cue]) {
                most[pat->cue] = pat->weight;
            }
        }
        a->max_boost = 1.0;
        for (t = 0; t < CND_CUE_NTYPES; t++) {
            a->max_boost *= most[t];
        }
    }
    if (lex->n_stop > 0 && build_stops(a) < 0) {
        goto fail;
    }
    if (n_brands > 0) {
        char msg[128];
        size_t off;

        a->brands = cnd_brands_new(brands, n_brands, err);
        if (a->brands == NULL) {
            goto fail;
        }
        a->clear_after = cnd_re_compile(FOCUS_AFTER, sizeof(FOCUS_AFTER) - 1, msg, sizeof(msg),
                                        &off, err);
        if (a->clear_after != NULL) {
            a->clear_before = cnd_re_compile(FOCUS_BEFORE, sizeof(FOCUS_BEFORE) - 1, msg,
                                             sizeof(msg), &off, err);
        }
        if (a->clear_before != NULL) {
            a->fault_after = cnd_re_compile(FOCUS_FAULT, sizeof(FOCUS_FAULT) - 1, msg,
                                            sizeof(msg), &off, err);
        }
        if (a->fault_after == NULL) {
            goto fail;
        }
    }
    *err = 0;
    return a;
fail:
    cnd_analyzer_free(a);
    return NULL;
}

void cnd_analyzer_free(struct cnd_analyzer *a)
{
    if (a == NULL) {
        return;
    }
    cnd_brands_free(a->brands);
    cnd_re_free(a->clear_after);
    cnd_re_free(a->clear_before);
    cnd_re_free(a->fault_after);
    cnd_matcher_free(a->m);
    cnd_norm_release(&a->norm);
    cnd_free(a->mark);
    cnd_free(a->mark_lit);
    cnd_free(a->pf_text);
    cnd_free(a->st_first);
    cnd_free(a->st_last);
    cnd_free(a->win_lo);
    cnd_free(a->win_hi);
    cnd_free(a->need);
    cnd_free(a->costs);
    cnd_free(a->cands);
    cnd_free(a->ctx_cands);
    cnd_free(a->st_seen);
    cnd_free(a->st_buf);
    cnd_free(a->sent_start);
    cnd_free(a->clause_start);
    cnd_free(a->clause_sent);
    cnd_free(a->negs);
    cnd_free(a->cues);
    cnd_free(a->matches);
    cnd_free(a->ev);
    cnd_free(a->stops);
    cnd_free(a);
}

int cnd_analyze_post(struct cnd_analyzer *a, const struct cnd_post *post, struct cnd_verdict *v)
{
    return cnd_classify(a, post->text.ptr, post->text.len, post->lang.ptr, post->lang.len, v,
                        NULL);
}

void cnd_analyzer_complaints_only(struct cnd_analyzer *a, int on)
{
    a->complaints_only = on != 0;
}

int cnd_analyzer_profile(struct cnd_analyzer *a)
{
    size_t i;

    if (a->costs != NULL) {
        return 0;
    }
    a->costs = cnd_calloc(a->lex->n_pats ? a->lex->n_pats : 1, sizeof(*a->costs));
    if (a->costs == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < a->lex->n_pats; i++) {
        a->costs[i].id = a->lex->pats[i].id;
    }
    return 0;
}

static int cost_cmp(const void *x, const void *y)
{
    const struct cnd_pattern_cost *p = x, *q = y;

    if (p->seconds != q->seconds) {
        return p->seconds > q->seconds ? -1 : 1;
    }
    return strcmp(p->id, q->id);
}

size_t cnd_analyzer_costs(const struct cnd_analyzer *a, struct cnd_pattern_cost *out, size_t max)
{
    struct cnd_pattern_cost *all;
    size_t i, n = 0;

    if (a->costs == NULL || max == 0) {
        return 0;
    }
    all = cnd_malloc((a->lex->n_pats ? a->lex->n_pats : 1) * sizeof(*all));
    if (all == NULL) {
        return 0;
    }
    for (i = 0; i < a->lex->n_pats; i++) {
        if (a->costs[i].runs > 0) {
            all[n++] = a->costs[i];
        }
    }
    qsort(all, n, sizeof(*all), cost_cmp);
    if (n > max) {
        n = max;
    }
    memcpy(out, all, n * sizeof(*out));
    cnd_free(all);
    return n;
}

void cnd_analyzer_stats(const struct cnd_analyzer *a, struct cnd_analyzer_stats *st)
{
    *st = a->stats;
}

const struct cnd_lexicon *cnd_analyzer_lexicon(const struct cnd_analyzer *a)
{
    return a->lex;
}

double cnd_analyzer_threshold(const struct cnd_analyzer *a)
{
    return a->threshold;
}

const double *cnd_analyzer_scores(const struct cnd_analyzer *a)
{
    return a->scores;
}
