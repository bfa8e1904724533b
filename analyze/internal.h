/* SPDX-License-Identifier: MIT */
/*
 * Internals of the analyzer shared by its files (and by its unit tests):
 * the compiled lexicon, the Aho-Corasick literal prefilter, the PCRE2
 * wrapper (rules.c is the only file that includes pcre2.h), literal
 * selection for the prefilter, text normalization and the brand matcher.
 * Nothing here is part of the public interface in analyze.h.
 */
#ifndef CND_ANALYZE_INTERNAL_H
#define CND_ANALYZE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "common/buf.h"

/* ---- Aho-Corasick prefilter (prefilter.c) ---- */

struct cnd_acm;

/* Called for every occurrence: literal "lit" ends just before byte "end". */
typedef void (*cnd_acm_hit_fn)(void *arg, uint32_t lit, size_t end);

/* An empty automaton. ASCII letters are matched case-insensitively. */
struct cnd_acm *cnd_acm_new(void);
void cnd_acm_free(struct cnd_acm *acm);
/*
 * Adds the literal "s" ("len" > 0 bytes). Returns its number (0, 1, ...;
 * the same number when the same literal, case folded, was added before)
 * or CND_ENOMEM / CND_EINVAL.
 */
int cnd_acm_add(struct cnd_acm *acm, const char *s, size_t len);
/* Builds the matching tables; no cnd_acm_add after this. 0 or CND_ENOMEM. */
int cnd_acm_build(struct cnd_acm *acm);
size_t cnd_acm_n_literals(const struct cnd_acm *acm);
/* Number of states of the built automaton, and of byte classes in "*ncls". */
size_t cnd_acm_n_states(const struct cnd_acm *acm, size_t *ncls);
/* The literal number "lit" as added (lowercased), NUL-terminated. */
const char *cnd_acm_literal(const struct cnd_acm *acm, uint32_t lit);
/* Scans "len" bytes once, calling "fn" for every occurrence of every literal. */
void cnd_acm_scan(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                  cnd_acm_hit_fn fn, void *arg);
/*
 * Scans "len" bytes once and stores in "out" each state of the automaton
 * where some literal ends that the scan reached (once per scan), and in
 * "first"/"last" (indexed by state; the entries of the states stored are
 * set) the least and the greatest end offset where it was reached.
 * "seen" is scratch of (cnd_acm_n_states + 63) / 64 words, all zero on
 * entry and left so; "out", "first" and "last" have room for
 * cnd_acm_n_states. Returns how many states were stored (0 for a text
 * of 4 GiB or more, which callers never pass).
 */
size_t cnd_acm_scan_states(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                           uint64_t *seen, uint32_t *out, uint32_t *first, uint32_t *last);
/*
 * The literals ending in state "st" (its own, then those of its suffixes):
 * stores up to "max" in "out" and returns how many there are.
 */
size_t cnd_acm_state_literals(const struct cnd_acm *acm, uint32_t st, uint32_t *out, size_t max);

/*
 * Literal selection. cnd_phrase_literal picks, from the phrase "phrase",
 * the longest piece of a non-stopword word that every match must contain
 * (as it appears in normalized text), writes it lowercased and
 * NUL-terminated into "out" ("cap" bytes) and returns its length, or 0.
 * cnd_regex_literals finds, in the regex "re", a set of lowercase
 * literals such that every match contains at least one of them: the most
 * selective of its plain-character runs and of its mandatory groups whose
 * every alternative has such a set (alternatives give the union).
 * Returns the number of literals in "out", 0 when there is no usable set.
 */
#define CND_MAX_LITS 64
#define CND_LIT_MAX 64
struct cnd_litset {
    size_t n;
    char lit[CND_MAX_LITS][CND_LIT_MAX];
    size_t len[CND_MAX_LITS];
    int prefix;   /* every match of the regex begins with one of these */
};
size_t cnd_phrase_literal(const char *phrase, const struct cnd_lexicon *lex, char *out,
                          size_t cap);
size_t cnd_regex_literals(const char *re, size_t len, const struct cnd_lexicon *lex,
                          struct cnd_litset *out);
/*
 * Requirements: up to "max" literal sets that every match must all
 * satisfy (each set: at least one of its literals occurs). Phrases give
 * one single-literal set per distinctive word; regexes one set per
 * selective run or mandatory group of their top-level sequence (or the
 * union of their top-level alternatives). Best first. Returns how many
 * were written to "sets" (0: no usable literal).
 */
/*
 * Word boundaries in the prefilter. A regex's "\b" puts the byte
 * CND_PF_MARK in its literals, so that "\bad\b" does not report inside
 * "already". cnd_pf_mark_text copies the "n" bytes of normalized text
 * "t" to "out" (room for 2 * n + 1) with a mark wherever an ASCII word
 * character meets another byte or an end of the text (a mark byte in the
 * text itself becomes the next byte), and returns the copy's length.
 * cnd_pf_literal writes the literal "lit" as it must appear in such a
 * copy: marks between bytes of different kinds, and the regex's marks at
 * its ends where they stand next to an ASCII word character (dropped
 * elsewhere: they could not be told apart). Writes at most "cap" - 1
 * bytes and a NUL; returns the length, 0 when only marks were given.
 */
#define CND_PF_MARK 0x01
size_t cnd_pf_mark_text(const unsigned char *t, size_t n, unsigned char *out);
size_t cnd_pf_literal(const char *lit, size_t len, char *out, size_t cap);

#define CND_MAX_CLAUSES 4
size_t cnd_regex_requirements(const char *re, size_t len, const struct cnd_lexicon *lex,
                              struct cnd_litset *sets, size_t max);
size_t cnd_phrase_requirements(const char *phrase, const struct cnd_lexicon *lex,
                               struct cnd_litset *sets, size_t max);

/* ---- PCRE2 (rules.c) ---- */

struct cnd_re;
struct cnd_matcher;

/*
 * Compiles the PCRE2 pattern "pat" ("len" bytes) caselessly, in UTF mode,
 * tolerating invalid UTF-8 subjects, then JIT-compiles it (falling back
 * to the interpreter when JIT is unavailable). On a syntax error returns
 * NULL with CND_EPARSE in "*err" and PCRE2's message and offset in
 * "msg"/"*offset"; on allocation failure NULL with CND_ENOMEM.
 */
struct cnd_re *cnd_re_compile(const char *pat, size_t len, char *msg, size_t msgcap,
                              size_t *offset, int *err);
void cnd_re_free(struct cnd_re *re);
int cnd_re_jitted(const struct cnd_re *re);

/*
 * Translates the phrase "phrase" into a PCRE2 pattern appended to "out"
 * (see docs/LEXICON.md for the phrase syntax). Returns 0, CND_ENOMEM, or
 * CND_EPARSE with a one-line reason in "msg".
 */
int cnd_phrase_to_regex(const char *phrase, struct cnd_buf *out, char *msg, size_t msgcap);

/* Per-analyzer match state: match data, match context with limits, JIT stack. */
struct cnd_matcher *cnd_matcher_new(void);
void cnd_matcher_free(struct cnd_matcher *m);

/*
 * Looks for "re" in "len" bytes of "subj" from byte "start". Returns 1
 * with the match in "*ms"/"*me", 0 when there is none, CND_ELIMIT when a
 * match, depth, heap or JIT stack limit stopped it, CND_ENOMEM.
 */
int cnd_re_match(struct cnd_matcher *m, const struct cnd_re *re, const char *subj,
                 size_t len, size_t start, size_t *ms, size_t *me);
/* The same, for a match that starts at byte "limit" at the latest (SIZE_MAX: anywhere). */
int cnd_re_match_within(struct cnd_matcher *m, const struct cnd_re *re, const char *subj,
                        size_t len, size_t start, size_t limit, size_t *ms, size_t *me);

/* ---- The lexicon (lexicon.c) ---- */

enum cnd_pat_kind { CND_PAT_RULE, CND_PAT_NEGATOR, CND_PAT_CUE };

enum cnd_cue_type {
    CND_CUE_QUESTION,
    CND_CUE_HYPOTHETICAL,
    CND_CUE_CONTRAST,
    CND_CUE_AD,
    CND_CUE_NEWS,
    CND_CUE_FIGURATIVE,
    CND_CUE_PRAISE,
    CND_CUE_EXPERIENCE,
    CND_CUE_NTYPES
};

extern const char *const cnd_cue_type_names[CND_CUE_NTYPES];

/*
 * One prefilter: an automaton over the literals of a group of patterns;
 * for each state of it, the requirements met when the scan reaches it:
 * st_targets[st_off[s] .. st_off[s+1]), each (pattern << 2 | requirement
 * number), with the literal that meets it in st_lits; and the group's
 * patterns without a literal, tried on every post.
 */
enum { CND_PF_RULES, CND_PF_CONTEXT };

struct cnd_prefilter {
    struct cnd_acm *acm;
    uint32_t *st_off;
    uint32_t *st_targets;
    uint32_t *st_lits;
    uint32_t *st_span;   /* CND_SPAN(prefix, shortest, longest literal) of each target */
    uint32_t *always;
    size_t n_always;
};

/*
 * The span of a requirement met in a prefilter state: the shortest and
 * the longest of its literals ending there (bytes of marked text), and
 * whether it starts every match (so that its earliest occurrence is where
 * a match may start first).
 */
#define CND_SPAN(prefix, shortest, longest) \
    ((uint32_t)(prefix) << 16 | (uint32_t)(longest) << 8 | (uint32_t)(shortest))
#define CND_SPAN_PREFIX(span) ((span) >> 16 & 1u)
#define CND_SPAN_MAX(span) ((span) >> 8 & 0xffu)
#define CND_SPAN_MIN(span) ((span) & 0xffu)

/* A rule, negator or cue: one compiled pattern. */
struct cnd_pattern {
    char *id;
    enum cnd_pat_kind kind;
    int is_regex;          /* written as /REGEX/ (else a phrase) */
    char *source;          /* the phrase or regex as written */
    char *need;            /* regexes: the need= list as written, or NULL */
    struct cnd_re *re;
    size_t category;       /* rules */
    double weight;         /* rules: weight; cues: multiplier */
    enum cnd_cue_type cue; /* cues */
    unsigned line;
    int always;            /* no prefilter literal: tried on every post */
    unsigned n_clauses;    /* prefilter requirements that must all be met */
    unsigned prefix_clauses;   /* bit c: requirement c starts every match */
    /*
     * Requirements of common literals ("?", "the"), looked for only once
     * the others are met: each a list of literals as scanned, lowercase,
     * each ended by a NUL, the list by an empty one; NULL when none.
     */
    char *deferred;
};

struct cnd_lexicon {
    char *name;
    char version[17];
    double threshold;
    unsigned negation_scope;
    double experience_missing;
    size_t n_categories;
    char *categories[CND_MAX_CATEGORIES];
    unsigned category_lines[CND_MAX_CATEGORIES];
    struct cnd_pattern *pats;   /* file order */
    size_t n_pats, cap_pats;
    size_t n_rules;
    /* stopwords: open addressing table of malloced strings */
    char **stop;
    size_t stop_cap, n_stop;
    size_t stop_maxlen;         /* longest stopword */
    /* the stopwords of up to 8 bytes again, as the integers their bytes make
     * (open addressing, 0 = empty): the lookup the language check makes per word */
    uint64_t *stop_keys;
    unsigned stop_keys_bits;
    /*
     * prefilters: CND_PF_RULES for the rules, scanned on every post;
     * CND_PF_CONTEXT for negators and cues, scanned only once a rule matched
     */
    struct cnd_prefilter pf[2];
};

/* Returns 1 when the "len" bytes at "w" (lowercase) are a stopword. */
int cnd_lexicon_is_stopword(const struct cnd_lexicon *lex, const char *w, size_t len);

/* ---- Normalization (classify.c) ---- */

/*
 * The text as the patterns see it: ASCII lowercased, curly quotes made
 * straight, odd spaces made plain, zero-width characters dropped, runs of
 * 3 or more of one letter (other than x) made one letter. The map back to
 * the original bytes is kept as breakpoints: between two of them the
 * mapping is the identity shifted; a breakpoint with "srclen" > 0 is one
 * normalized byte made of "srclen" original bytes.
 */
struct cnd_norm_bp {
    uint32_t npos, opos, srclen;
};

/* text[len] and the bytes up to text[len + CND_NORM_PAD - 1] are 0, so that
 * the text can be read eight bytes at a time without looking at its length */
#define CND_NORM_PAD 8

struct cnd_norm {
    char *text;
    size_t len, cap;
    struct cnd_norm_bp *bp;
    size_t n_bp, cap_bp;
};

int cnd_norm_run(struct cnd_norm *n, const char *s, size_t len);
/* Original offset where normalized byte "i" (0..len) starts, and where byte "i" (< len) ends. */
size_t cnd_norm_ostart(const struct cnd_norm *n, size_t i);
size_t cnd_norm_oend(const struct cnd_norm *n, size_t i);
void cnd_norm_release(struct cnd_norm *n);

/* ---- Brands (brands.c) ---- */

struct cnd_brands;

/* Compiles the watchlist ("n" brands; names copied). NULL with "*err". */
struct cnd_brands *cnd_brands_new(const struct cnd_brand *brands, size_t n, int *err);
void cnd_brands_free(struct cnd_brands *b);
/*
 * Finds the brands named in "len" bytes of "text" and stores up to "max"
 * of their names (owned by "b"), in watchlist order, in "out". Returns
 * how many were stored.
 */
size_t cnd_brands_find(struct cnd_brands *b, const char *text, size_t len, const char **out,
                       size_t max);
/*
 * The mentions found by the last cnd_brands_find (at most
 * CND_MAX_BRAND_HITS), sorted by start: brand number in watchlist order
 * and byte span in the text. Points "*hits" at them and returns how many.
 */
#define CND_MAX_BRAND_HITS 64
struct cnd_brand_hit {
    uint32_t brand;
    size_t start, end;
};
size_t cnd_brands_hits(const struct cnd_brands *b, const struct cnd_brand_hit **hits);
/* The name of brand number "i" (owned by "b"), or NULL. */
const char *cnd_brands_name(const struct cnd_brands *b, uint32_t i);

/* ---- The analyzer (classify.c) ---- */

/*
 * Classifies "len" bytes of "text" (with the post's language tag "lang",
 * "lang_len" bytes, which may be empty) into "*v". When "trace" is not
 * NULL every step is appended to it, one line each. Returns as
 * cnd_analyze_post.
 */
int cnd_classify(struct cnd_analyzer *a, const char *text, size_t len, const char *lang,
                 size_t lang_len, struct cnd_verdict *v, struct cnd_buf *trace);
const struct cnd_lexicon *cnd_analyzer_lexicon(const struct cnd_analyzer *a);
double cnd_analyzer_threshold(const struct cnd_analyzer *a);
/* Per-category scores of the last classification, in declaration order. */
const double *cnd_analyzer_scores(const struct cnd_analyzer *a);

/* ---- Verdict formatting helpers (verdict.c) ---- */

/* Appends "x" with up to 3 decimals, trailing zeros dropped ("2.5", "1.333", "0"). */
int cnd_buf_add_score(struct cnd_buf *b, double x);

#endif
