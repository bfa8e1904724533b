/* SPDX-License-Identifier: MIT */
/*
 * The lexicon file (docs/LEXICON.md): a line parser that reports every
 * problem as "FILE:LINE: message" and goes on to the next line, then the
 * compiled form: categories, rules, negators and cues with their PCRE2
 * patterns, the stopword set, and the literal prefilter that decides
 * which patterns are worth running on a text.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"
#include "common/hash.h"
#include "common/utf8.h"

#define MAX_LEXICON_BYTES (16u << 20)
#define MAX_WEIGHT 1000.0
#define MAX_SCOPE 50
#ifndef MAX_PREFILTER_LITERAL
#define MAX_PREFILTER_LITERAL 10
#endif

const char *const cnd_cue_type_names[CND_CUE_NTYPES] = {
    "question", "hypothetical", "contrast", "ad", "news", "figurative", "praise", "experience",
};

struct parser {
    struct cnd_lexicon *lex;
    struct cnd_buf *errors;
    unsigned line;
    unsigned n_errors;
    int nomem;
    unsigned threshold_line, scope_line, missing_line;
};

static void perror_at(struct parser *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends "NAME:LINE: message\n" to the error buffer and counts it. */
static void perror_at(struct parser *ps, unsigned line, const char *fmt, ...)
{
    va_list ap;

    ps->n_errors++;
    if (ps->errors == NULL) {
        return;
    }
    if (cnd_buf_addf(ps->errors, "%s:%u: ", ps->lex->name, line) == CND_ENOMEM) {
        ps->nomem = 1;
    }
    va_start(ap, fmt);
    if (cnd_buf_vaddf(ps->errors, fmt, ap) == CND_ENOMEM) {
        ps->nomem = 1;
    }
    va_end(ap);
    if (cnd_buf_addc(ps->errors, '\n') == CND_ENOMEM) {
        ps->nomem = 1;
    }
}

/* ---- Small parsers ---- */

/* A decimal "D", "D.D" or ".D" in [0, MAX_WEIGHT]. Returns 0 or -1. */
static int parse_decimal(const char *s, size_t len, double *out)
{
    double v = 0, scale = 1;
    size_t i = 0;
    int digits = 0;

    while (i < len && s[i] >= '0' && s[i] <= '9') {
        v = v * 10 + (s[i] - '0');
        digits++;
        i++;
        if (v > MAX_WEIGHT) {
            return -1;
        }
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            scale /= 10;
            v += (s[i] - '0') * scale;
            digits++;
            i++;
        }
    }
    if (digits == 0 || i != len || v > MAX_WEIGHT) {
        return -1;
    }
    *out = v;
    return 0;
}

static int valid_id(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 128) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '-')) {
            return 0;
        }
    }
    return 1;
}

static int valid_category(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || len > 64) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = s[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return 0;
        }
    }
    return 1;
}

/* Moves "*p" past blanks, then returns the next field in "*f"/"*flen" (0 length at the end). */
static void next_field(const char **p, const char *end, const char **f, size_t *flen)
{
    const char *q = *p;

    while (q < end && (*q == ' ' || *q == '\t')) {
        q++;
    }
    *f = q;
    while (q < end && *q != ' ' && *q != '\t') {
        q++;
    }
    *flen = (size_t)(q - *f);
    *p = q;
}

/* The rest of the line without surrounding blanks. */
static void rest_of_line(const char *p, const char *end, const char **f, size_t *flen)
{
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    while (end > p && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }
    *f = p;
    *flen = (size_t)(end - p);
}

static int field_is(const char *f, size_t flen, const char *word)
{
    return strlen(word) == flen && memcmp(f, word, flen) == 0;
}

/* ---- Stopwords ---- */

/* Stopwords are short: a byte-wise multiplicative hash, cheap to inline. */
static uint64_t word_hash(const char *w, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h = (h ^ (unsigned char)w[i]) * 0x100000001b3ULL;
    }
    return h ^ (h >> 29);
}

static uint64_t pack8(const char *w, size_t len)
{
    uint64_t k = 0;
    size_t i;

    for (i = 0; i < len; i++) {
        k |= (uint64_t)(unsigned char)w[i] << (8 * i);
    }
    return k;
}

static size_t key_slot(uint64_t k, unsigned bits)
{
    return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> (64 - bits));
}

int cnd_lexicon_is_stopword(const struct cnd_lexicon *lex, const char *w, size_t len)
{
    size_t i;

    if (lex->stop_cap == 0 || len == 0) {
        return 0;
    }
    if (len <= 8 && lex->stop_keys != NULL) {
        uint64_t k = pack8(w, len);
        size_t mask = ((size_t)1 << lex->stop_keys_bits) - 1;

        for (i = key_slot(k, lex->stop_keys_bits); lex->stop_keys[i] != 0; i = (i + 1) & mask) {
            if (lex->stop_keys[i] == k) {
                return 1;
            }
        }
        return 0;
    }
    i = (size_t)word_hash(w, len) & (lex->stop_cap - 1);
    while (lex->stop[i] != NULL) {
        if (lex->stop[i][0] == w[0] && strncmp(lex->stop[i], w, len) == 0 &&
            lex->stop[i][len] == '\0') {
            return 1;
        }
        i = (i + 1) & (lex->stop_cap - 1);
    }
    return 0;
}

static int stop_insert(char **table, size_t cap, char *w)
{
    size_t i = (size_t)word_hash(w, strlen(w)) & (cap - 1);

    while (table[i] != NULL) {
        if (strcmp(table[i], w) == 0) {
            return 0;
        }
        i = (i + 1) & (cap - 1);
    }
    table[i] = w;
    return 1;
}

static int add_stopword(struct cnd_lexicon *lex, const char *w, size_t len)
{
    char *copy;
    size_t i;

    if ((lex->n_stop + 1) * 2 > lex->stop_cap) {
        size_t ncap = lex->stop_cap ? lex->stop_cap * 2 : 256;
        char **nt = cnd_calloc(ncap, sizeof(*nt));

        if (nt == NULL) {
            return CND_ENOMEM;
        }
        for (i = 0; i < lex->stop_cap; i++) {
            if (lex->stop[i] != NULL) {
                stop_insert(nt, ncap, lex->stop[i]);
            }
        }
        cnd_free(lex->stop);
        lex->stop = nt;
        lex->stop_cap = ncap;
    }
    copy = cnd_strndup(w, len);
    if (copy == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; i < len; i++) {
        if (copy[i] >= 'A' && copy[i] <= 'Z') {
            copy[i] = (char)(copy[i] + 32);
        }
    }
    if (stop_insert(lex->stop, lex->stop_cap, copy)) {
        lex->n_stop++;
        if (len > lex->stop_maxlen) {
            lex->stop_maxlen = len;
        }
    } else {
        cnd_free(copy);
    }
    return 0;
}

/* ---- Patterns ---- */

static struct cnd_pattern *find_pattern(const struct cnd_lexicon *lex, const char *id,
                                        size_t len)
{
    size_t i;

    for (i = 0; i < lex->n_pats; i++) {
        if (strncmp(lex->pats[i].id, id, len) == 0 && lex->pats[i].id[len] == '\0') {
            return &lex->pats[i];
        }
    }
    return NULL;
}

static void pattern_release(struct cnd_pattern *p)
{
    cnd_free(p->id);
    cnd_free(p->source);
    cnd_free(p->need);
    cnd_free(p->deferred);
    cnd_re_free(p->re);
}

/*
 * Checks the id, compiles the phrase or /regex/ in "src" (with an optional
 * leading need= list when "allow_need") and appends the pattern. Errors
 * are reported; returns 0, or CND_ENOMEM.
 */
static int add_pattern(struct parser *ps, enum cnd_pat_kind kind, const char *id, size_t idlen,
                       const char *src, size_t srclen, int allow_need,
                       struct cnd_pattern *proto)
{
    struct cnd_lexicon *lex = ps->lex;
    struct cnd_pattern pat = *proto, *dup;
    const char *need = NULL;
    size_t needlen = 0;
    struct cnd_buf gen;
    char msg[256];
    size_t off = 0;
    int err = 0, ret = 0;

    if (!valid_id(id, idlen)) {
        perror_at(ps, ps->line, "bad id '%.*s' (want lowercase letters, digits, '_', '.', '-')",
                  (int)idlen, id);
        return 0;
    }
    dup = find_pattern(lex, id, idlen);
    if (dup != NULL) {
        perror_at(ps, ps->line, "duplicate id '%.*s' (first at line %u)", (int)idlen, id,
                  dup->line);
        return 0;
    }
    if (allow_need && srclen > 5 && memcmp(src, "need=", 5) == 0) {
        const char *e = src;
        size_t k, n_need = 0, plain;

        while (e < src + srclen && *e != ' ' && *e != '\t') {
            e++;
        }
        need = src + 5;
        needlen = (size_t)(e - need);
        for (k = 0, plain = 0; k <= needlen; k++) {
            if (k == needlen || need[k] == ',') {
                if (plain == 0) {
                    perror_at(ps, ps->line, "empty literal in need= list");
                    return 0;
                }
                plain = 0;
                if (++n_need > CND_MAX_LITS) {
                    perror_at(ps, ps->line, "too many literals in need= list (at most %d)",
                              CND_MAX_LITS);
                    return 0;
                }
            } else if ((unsigned char)need[k] < 0x20 || need[k] == 0x7f) {
                perror_at(ps, ps->line, "control character in need= list");
                return 0;
            } else if (need[k] == '\\') {
                if (k + 1 >= needlen || need[k + 1] != 'b') {
                    perror_at(ps, ps->line, "in a need= list a backslash only starts \\b "
                                            "(a word boundary)");
                    return 0;
                }
                k++;
            } else {
                plain++;
            }
        }
        rest_of_line(e, src + srclen, &src, &srclen);
    } else if (allow_need && srclen >= 5 && memcmp(src, "need=", 5) == 0) {
        perror_at(ps, ps->line, "empty need= list");
        return 0;
    }
    if (need != NULL && (srclen == 0 || src[0] != '/')) {
        perror_at(ps, ps->line, "need= must be followed by a /REGEX/");
        return 0;
    }
    pat.kind = kind;
    pat.line = ps->line;
    cnd_buf_init(&gen, 0);
    if (srclen > 0 && src[0] == '/') {
        if (srclen < 2 || src[srclen - 1] != '/') {
            perror_at(ps, ps->line, "regex must be written /PATTERN/ (no closing '/')");
            goto out;
        }
        if (srclen == 2) {
            perror_at(ps, ps->line, "empty regex");
            goto out;
        }
        pat.is_regex = 1;
        pat.re = cnd_re_compile(src + 1, srclen - 2, msg, sizeof(msg), &off, &err);
        if (pat.re == NULL) {
            if (err == CND_ENOMEM) {
                ret = CND_ENOMEM;
            } else {
                perror_at(ps, ps->line, "regex '%.*s' does not compile at offset %zu: %s",
                          (int)idlen, id, off, msg);
            }
            goto out;
        }
    } else {
        if (srclen == 0) {
            perror_at(ps, ps->line, "empty phrase");
            goto out;
        }
        {
            char *phrase = cnd_strndup(src, srclen);

            if (phrase == NULL) {
                ret = CND_ENOMEM;
                goto out;
            }
            err = cnd_phrase_to_regex(phrase, &gen, msg, sizeof(msg));
            cnd_free(phrase);
        }
        if (err == CND_ENOMEM) {
            ret = CND_ENOMEM;
            goto out;
        }
        if (err < 0) {
            perror_at(ps, ps->line, "bad phrase: %s", msg);
            goto out;
        }
        pat.re = cnd_re_compile(gen.data, gen.len, msg, sizeof(msg), &off, &err);
        if (pat.re == NULL) {
            if (err == CND_ENOMEM) {
                ret = CND_ENOMEM;
            } else {
                perror_at(ps, ps->line, "phrase '%.*s' does not compile: %s", (int)idlen, id,
                          msg);
            }
            goto out;
        }
    }
    if (lex->n_pats == lex->cap_pats) {
        size_t ncap = lex->cap_pats ? lex->cap_pats * 2 : 64;
        struct cnd_pattern *np = cnd_realloc(lex->pats, ncap * sizeof(*np));

        if (np == NULL) {
            ret = CND_ENOMEM;
            goto out;
        }
        lex->pats = np;
        lex->cap_pats = ncap;
    }
    pat.id = cnd_strndup(id, idlen);
    pat.source = cnd_strndup(src, srclen);
    pat.need = need ? cnd_strndup(need, needlen) : NULL;
    if (pat.id == NULL || pat.source == NULL || (need && pat.need == NULL)) {
        ret = CND_ENOMEM;
        goto out;
    }
    lex->pats[lex->n_pats++] = pat;
    if (kind == CND_PAT_RULE) {
        lex->n_rules++;
    }
    cnd_buf_release(&gen);
    return 0;
out:
    pattern_release(&pat);
    cnd_buf_release(&gen);
    return ret;
}

/* ---- Directives ---- */

static int parse_line(struct parser *ps, const char *p, const char *end)
{
    struct cnd_lexicon *lex = ps->lex;
    const char *d, *f1, *f2, *f3, *rest;
    size_t dl, l1, l2, l3, rl;
    struct cnd_pattern proto;
    double v;
    size_t i;

    memset(&proto, 0, sizeof(proto));
    next_field(&p, end, &d, &dl);
    if (field_is(d, dl, "threshold") || field_is(d, dl, "experience_missing")) {
        int is_thr = d[0] == 't';
        unsigned *seen = is_thr ? &ps->threshold_line : &ps->missing_line;

        next_field(&p, end, &f1, &l1);
        next_field(&p, end, &f2, &l2);
        if (l1 == 0 || l2 != 0) {
            perror_at(ps, ps->line, "%.*s wants one number", (int)dl, d);
        } else if (parse_decimal(f1, l1, &v) < 0) {
            perror_at(ps, ps->line, "bad number '%.*s' (want a decimal from 0 to 1000)",
                      (int)l1, f1);
        } else if (*seen) {
            perror_at(ps, ps->line, "duplicate %.*s (first at line %u)", (int)dl, d, *seen);
        } else {
            *seen = ps->line;
            if (is_thr) {
                lex->threshold = v;
            } else {
                lex->experience_missing = v;
            }
        }
        return 0;
    }
    if (field_is(d, dl, "negation_scope")) {
        next_field(&p, end, &f1, &l1);
        next_field(&p, end, &f2, &l2);
        if (l1 == 0 || l2 != 0) {
            perror_at(ps, ps->line, "negation_scope wants one number");
        } else if (parse_decimal(f1, l1, &v) < 0 || v != (double)(unsigned)v ||
                   v > MAX_SCOPE) {
            perror_at(ps, ps->line, "bad negation_scope '%.*s' (want a whole number from 0 "
                      "to %d)", (int)l1, f1, MAX_SCOPE);
        } else if (ps->scope_line) {
            perror_at(ps, ps->line, "duplicate negation_scope (first at line %u)",
                      ps->scope_line);
        } else {
            ps->scope_line = ps->line;
            lex->negation_scope = (unsigned)v;
        }
        return 0;
    }
    if (field_is(d, dl, "category")) {
        next_field(&p, end, &f1, &l1);
        next_field(&p, end, &f2, &l2);
        if (l1 == 0 || l2 != 0) {
            perror_at(ps, ps->line, "category wants one name");
            return 0;
        }
        if (!valid_category(f1, l1)) {
            perror_at(ps, ps->line, "bad category name '%.*s' (want lowercase letters, digits "
                      "and '_')", (int)l1, f1);
            return 0;
        }
        for (i = 0; i < lex->n_categories; i++) {
            if (field_is(f1, l1, lex->categories[i])) {
                perror_at(ps, ps->line, "duplicate category '%.*s' (first at line %u)",
                          (int)l1, f1, lex->category_lines[i]);
                return 0;
            }
        }
        if (lex->n_categories == CND_MAX_CATEGORIES) {
            perror_at(ps, ps->line, "too many categories (at most %d)", CND_MAX_CATEGORIES);
            return 0;
        }
        lex->categories[lex->n_categories] = cnd_strndup(f1, l1);
        if (lex->categories[lex->n_categories] == NULL) {
            return CND_ENOMEM;
        }
        lex->category_lines[lex->n_categories++] = ps->line;
        return 0;
    }
    if (field_is(d, dl, "stopwords")) {
        int n = 0;

        for (;;) {
            next_field(&p, end, &f1, &l1);
            if (l1 == 0) {
                break;
            }
            n++;
            if (add_stopword(lex, f1, l1) < 0) {
                return CND_ENOMEM;
            }
        }
        if (n == 0) {
            perror_at(ps, ps->line, "stopwords wants at least one word");
        }
        return 0;
    }
    if (field_is(d, dl, "phrase") || field_is(d, dl, "regex")) {
        int is_regex = d[0] == 'r';

        next_field(&p, end, &f1, &l1);
        next_field(&p, end, &f2, &l2);
        next_field(&p, end, &f3, &l3);
        rest_of_line(p, end, &rest, &rl);
        if (l3 == 0 || rl == 0) {
            perror_at(ps, ps->line, is_regex ? "regex wants ID CATEGORY WEIGHT [need=a,b] /REGEX/"
                                             : "phrase wants ID CATEGORY WEIGHT PHRASE");
            return 0;
        }
        for (i = 0; i < lex->n_categories; i++) {
            if (field_is(f2, l2, lex->categories[i])) {
                break;
            }
        }
        if (i == lex->n_categories) {
            perror_at(ps, ps->line, "unknown category '%.*s' (declare it with 'category' "
                      "before its rules)", (int)l2, f2);
            return 0;
        }
        proto.category = i;
        if (parse_decimal(f3, l3, &proto.weight) < 0) {
            perror_at(ps, ps->line, "bad weight '%.*s' (want a decimal from 0 to 1000)",
                      (int)l3, f3);
            return 0;
        }
        if (is_regex && rest[0] != '/' && !(rl > 5 && memcmp(rest, "need=", 5) == 0)) {
            perror_at(ps, ps->line, "regex must be written /PATTERN/");
            return 0;
        }
        if (!is_regex && rest[0] == '/') {
            perror_at(ps, ps->line, "a phrase cannot start with '/' (use 'regex' for /REGEX/)");
            return 0;
        }
        return add_pattern(ps, CND_PAT_RULE, f1, l1, rest, rl, is_regex, &proto);
    }
    if (field_is(d, dl, "negator")) {
        next_field(&p, end, &f1, &l1);
        rest_of_line(p, end, &rest, &rl);
        if (l1 == 0) {
            perror_at(ps, ps->line, "negator wants ID PHRASE");
            return 0;
        }
        if (rl == 0) {
            perror_at(ps, ps->line, "empty phrase");
            return 0;
        }
        return add_pattern(ps, CND_PAT_NEGATOR, f1, l1, rest, rl, 1, &proto);
    }
    if (field_is(d, dl, "cue")) {
        next_field(&p, end, &f1, &l1);
        next_field(&p, end, &f2, &l2);
        next_field(&p, end, &f3, &l3);
        rest_of_line(p, end, &rest, &rl);
        if (l3 == 0) {
            perror_at(ps, ps->line, "cue wants ID TYPE MULTIPLIER PHRASE-or-/REGEX/");
            return 0;
        }
        for (i = 0; i < CND_CUE_NTYPES; i++) {
            if (field_is(f2, l2, cnd_cue_type_names[i])) {
                break;
            }
        }
        if (i == CND_CUE_NTYPES) {
            perror_at(ps, ps->line, "unknown cue type '%.*s' (want question, hypothetical, "
                      "contrast, ad, news, figurative, praise or experience)", (int)l2, f2);
            return 0;
        }
        proto.cue = (enum cnd_cue_type)i;
        if (parse_decimal(f3, l3, &proto.weight) < 0) {
            perror_at(ps, ps->line, "bad multiplier '%.*s' (want a decimal from 0 to 1000)",
                      (int)l3, f3);
            return 0;
        }
        if (rl == 0) {
            perror_at(ps, ps->line, "empty phrase");
            return 0;
        }
        return add_pattern(ps, CND_PAT_CUE, f1, l1, rest, rl, 1, &proto);
    }
    perror_at(ps, ps->line, "unknown directive '%.*s'", (int)dl, d);
    return 0;
}

/* Builds the integer table of the short stopwords (after parsing). */
static int build_stop_keys(struct cnd_lexicon *lex)
{
    unsigned bits = 6;
    size_t i;

    while (((size_t)1 << bits) < lex->n_stop * 4) {
        bits++;
    }
    lex->stop_keys = cnd_calloc((size_t)1 << bits, sizeof(*lex->stop_keys));
    if (lex->stop_keys == NULL) {
        return CND_ENOMEM;
    }
    lex->stop_keys_bits = bits;
    for (i = 0; i < lex->stop_cap; i++) {
        const char *w = lex->stop[i];
        size_t len = w ? strlen(w) : 0, k;

        if (len == 0 || len > 8) {
            continue;
        }
        k = key_slot(pack8(w, len), bits);
        while (lex->stop_keys[k] != 0) {
            k = (k + 1) & (((size_t)1 << bits) - 1);
        }
        lex->stop_keys[k] = pack8(w, len);
    }
    return 0;
}

/* ---- The prefilter ---- */

/*
 * The literal "lit" as the prefilter looks for it, into "out" (2 *
 * CND_LIT_MAX bytes, NUL-terminated): with its word-boundary marks
 * (cnd_pf_literal), cut after MAX_PREFILTER_LITERAL bytes of text (a
 * prefix of a required literal is required too: long literals are cut to
 * keep the automaton small and in cache). Returns its length.
 */
static size_t scanned_literal(const char *lit, size_t len, char *out)
{
    size_t ll = cnd_pf_literal(lit, len, out, 2 * CND_LIT_MAX), cut = 0, plain = 0;

    while (cut < ll && plain < MAX_PREFILTER_LITERAL) {
        plain += out[cut++] != CND_PF_MARK;
    }
    out[cut] = '\0';
    return cut;
}

/* 1 when every literal of "b" holds one of "a" as scanned: a text meeting "b" meets "a". */
static int implies(const struct cnd_litset *b, const struct cnd_litset *a)
{
    char sa[CND_MAX_LITS][2 * CND_LIT_MAX], sb[2 * CND_LIT_MAX];
    size_t i, j;

    for (j = 0; j < a->n; j++) {
        scanned_literal(a->lit[j], a->len[j], sa[j]);
    }
    for (i = 0; i < b->n; i++) {
        scanned_literal(b->lit[i], b->len[i], sb);
        for (j = 0; j < a->n && strstr(sb, sa[j]) == NULL; j++) {
        }
        if (j == a->n) {
            return 0;
        }
    }
    return b->n > 0;
}

/* Moves the requirements not in "dropped" (a bit per one) to the front, in order; returns how many. */
static size_t keep_clauses(struct cnd_litset *ls, size_t n, unsigned dropped)
{
    size_t c, kept = 0;

    for (c = 0; c < n; c++) {
        if (!(dropped & (1u << c))) {
            if (kept != c) {
                ls[kept] = ls[c];
            }
            kept++;
        }
    }
    return kept;
}

/*
 * Drops the requirements another one implies (a need= list of "fee"
 * beside a regex that requires "\bhidden fee"): they would filter
 * nothing more, while each of their hits costs scan work. Returns how
 * many are kept, in their order.
 */
static size_t drop_implied_clauses(struct cnd_litset *ls, size_t n)
{
    size_t c, d;
    unsigned dropped = 0;

    for (c = 0; c < n; c++) {
        for (d = 0; d < n; d++) {
            if (d != c && !(dropped & (1u << d)) && implies(&ls[d], &ls[c])) {
                dropped |= 1u << c;
                break;
            }
        }
    }
    return keep_clauses(ls, n, dropped);
}

/*
 * How common requirement "ls" is. COMMON_WORD: one of its literals is a
 * very common word ("the", "it", "on": a stopword of up to three letters),
 * so it is met in nearly every post and filters almost nothing.
 * COMMON_BYTE: its literals are single bytes besides word marks ("?",
 * "$"), which a post is searched for in no time (memchr) but which would
 * each cost the scan a hit on most posts. 0: neither.
 */
enum { COMMON_WORD = 1, COMMON_BYTE = 2 };

static int common_clause(const struct cnd_litset *ls, const struct cnd_lexicon *lex)
{
    size_t k, bytes = 0;

    for (k = 0; k < ls->n; k++) {
        char plain[CND_LIT_MAX];
        size_t j, l = 0;

        for (j = 0; j < ls->len[k]; j++) {
            if (ls->lit[k][j] != CND_PF_MARK) {
                plain[l++] = ls->lit[k][j];
            }
        }
        if (l <= 3 && cnd_lexicon_is_stopword(lex, plain, l)) {
            return COMMON_WORD;
        }
        bytes += l == 1;
    }
    return ls->n > 0 && bytes == ls->n ? COMMON_BYTE : 0;
}

/*
 * A common requirement's hits cost the scan work on nearly every post.
 * When the pattern has a requirement that is not common, the common words
 * are dropped (fewer requirements only make more candidates, never a
 * missed match) and the common bytes put last, to be looked for only in
 * the posts that meet the others (pattern_deferred). Returns how many
 * requirements are left to the scan: "n" when all are common (only
 * together do they filter).
 */
static size_t defer_common_clauses(struct cnd_litset *ls, size_t *n, const struct cnd_lexicon *lex)
{
    /* the order wanted: the others, then the common bytes, then the common words */
    static const int rank[] = { [0] = 0, [COMMON_BYTE] = 1, [COMMON_WORD] = 2 };
    struct cnd_litset tmp;
    int r[CND_MAX_CLAUSES];
    size_t c, d, count[3] = { 0, 0, 0 };

    for (c = 0; c < *n; c++) {
        r[c] = rank[common_clause(&ls[c], lex)];
        count[r[c]]++;
    }
    if (count[0] == 0 || count[0] == *n) {
        return *n;   /* all common (only together do they filter), or none */
    }
    for (c = 1; c < *n; c++) {   /* a stable insertion sort by rank */
        int rc = r[c];

        for (d = c; d > 0 && r[d - 1] > rc; d--) {
        }
        if (d < c) {
            size_t e;

            tmp = ls[c];
            for (e = c; e > d; e--) {
                ls[e] = ls[e - 1];
                r[e] = r[e - 1];
            }
            ls[d] = tmp;
            r[d] = rc;
        }
    }
    *n = count[0] + count[1];   /* the common words dropped */
    return count[0];
}

/*
 * The deferred requirements "ls[0 .. n)" of a pattern packed as
 * cnd_pattern.deferred: 0, or CND_ENOMEM.
 */
static int pattern_deferred(struct cnd_pattern *pat, const struct cnd_litset *ls, size_t n)
{
    char marked[2 * CND_LIT_MAX];
    size_t c, k, total = 1, at = 0;

    for (c = 0; c < n; c++) {
        for (k = 0; k < ls[c].n; k++) {
            total += scanned_literal(ls[c].lit[k], ls[c].len[k], marked) + 1;
        }
        total++;
    }
    pat->deferred = cnd_malloc(total);
    if (pat->deferred == NULL) {
        return CND_ENOMEM;
    }
    for (c = 0; c < n; c++) {
        for (k = 0; k < ls[c].n; k++) {
            size_t l = scanned_literal(ls[c].lit[k], ls[c].len[k], marked), j;

            for (j = 0; j < l; j++) {
                unsigned char b = (unsigned char)marked[j];

                pat->deferred[at++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
            }
            pat->deferred[at++] = '\0';
        }
        pat->deferred[at++] = '\0';   /* the requirement's end */
    }
    pat->deferred[at] = '\0';   /* an empty requirement: the list's end */
    return 0;
}

/*
 * For every state of the built automaton of "pf", the requirements its
 * literals meet (literal -> lit_targets[lit_off[l] .. lit_off[l+1])), each
 * once, in the order the literals end there: so that a scan needs one
 * lookup per state reached, not a walk over literals and their patterns.
 * With each, its span: the shortest and the longest of those literals,
 * and whether the requirement starts every match of its pattern.
 */
static int state_targets(const struct cnd_lexicon *lex, struct cnd_prefilter *pf,
                         const uint32_t *lit_off, const uint32_t *lit_targets)
{
    size_t ncls, n_states = cnd_acm_n_states(pf->acm, &ncls), pass, st, total = 0;
    uint32_t lits[CND_LIT_MAX * 4];

    pf->st_off = cnd_calloc(n_states + 1, sizeof(*pf->st_off));
    if (pf->st_off == NULL) {
        return CND_ENOMEM;
    }
    for (pass = 0; pass < 2; pass++) {
        size_t n = 0;

        if (pass == 1) {
            pf->st_targets = cnd_malloc((total ? total : 1) * sizeof(*pf->st_targets));
            pf->st_lits = cnd_malloc((total ? total : 1) * sizeof(*pf->st_lits));
            pf->st_span = cnd_malloc((total ? total : 1) * sizeof(*pf->st_span));
            if (pf->st_targets == NULL || pf->st_lits == NULL || pf->st_span == NULL) {
                return CND_ENOMEM;
            }
        }
        for (st = 0; st < n_states; st++) {
            size_t nl = cnd_acm_state_literals(pf->acm, (uint32_t)st, lits,
                                               sizeof(lits) / sizeof(lits[0]));
            size_t first = n, k, j, d;

            if (nl > sizeof(lits) / sizeof(lits[0])) {
                return CND_EINVAL;   /* cannot be: literals are at most CND_LIT_MAX bytes */
            }
            pf->st_off[st] = (uint32_t)n;
            for (k = 0; k < nl; k++) {
                uint32_t ll = (uint32_t)strlen(cnd_acm_literal(pf->acm, lits[k]));

                for (j = lit_off[lits[k]]; j < lit_off[lits[k] + 1]; j++) {
                    uint32_t t = lit_targets[j], lo, hi;

                    if (pass == 0) {
                        n++;   /* duplicates counted: an upper bound */
                        continue;
                    }
                    for (d = first; d < n && pf->st_targets[d] != t; d++) {
                    }
                    if (d == n) {
                        pf->st_targets[n] = t;
                        pf->st_lits[n] = lits[k];
                        pf->st_span[n] = CND_SPAN(lex->pats[t >> 2].prefix_clauses >> (t & 3) & 1,
                                                  ll, ll);
                        n++;
                        continue;
                    }
                    lo = CND_SPAN_MIN(pf->st_span[d]);
                    hi = CND_SPAN_MAX(pf->st_span[d]);
                    pf->st_span[d] = CND_SPAN(CND_SPAN_PREFIX(pf->st_span[d]),
                                              ll < lo ? ll : lo, ll > hi ? ll : hi);
                }
            }
        }
        pf->st_off[n_states] = (uint32_t)n;
        total = n;
    }
    return 0;
}

/* Picks the literals of the rules (or of the negators and cues) and builds their prefilter. */
static int build_prefilter(struct parser *ps, int which)
{
    struct cnd_lexicon *lex = ps->lex;
    struct cnd_prefilter *pf = &lex->pf[which];
    uint32_t *lit_off = NULL, *lit_targets = NULL;
    uint32_t *pair_lit = NULL, *pair_pat = NULL;
    size_t n_pairs = 0, cap_pairs = 0, i, n_lits;
    struct cnd_litset *ls = cnd_malloc(CND_MAX_CLAUSES * sizeof(*ls));
    int ret = CND_ENOMEM;

    if (ls == NULL) {
        return CND_ENOMEM;
    }
    pf->acm = cnd_acm_new();
    pf->always = cnd_malloc((lex->n_pats ? lex->n_pats : 1) * sizeof(*pf->always));
    if (pf->acm == NULL || pf->always == NULL) {
        cnd_free(ls);
        return CND_ENOMEM;
    }
    for (i = 0; i < lex->n_pats; i++) {
        struct cnd_pattern *pat = &lex->pats[i];
        size_t n = 0, k, c;

        if ((pat->kind == CND_PAT_RULE) != (which == CND_PF_RULES)) {
            continue;
        }
        if (pat->need != NULL) {
            const char *s = pat->need;

            ls[0].n = 0;
            ls[0].prefix = 0;
            while (*s && ls[0].n < CND_MAX_LITS) {
                const char *e = strchr(s, ',');
                size_t l;

                if (e == NULL) {
                    e = s + strlen(s);
                }
                /* "\b" is a word boundary (a mark); a prefix of a required
                 * literal is required too */
                for (l = 0; s < e && l < CND_LIT_MAX - 1; s++) {
                    if (s[0] == '\\' && s + 1 < e && s[1] == 'b') {
                        ls[0].lit[ls[0].n][l++] = (char)CND_PF_MARK;
                        s++;
                    } else {
                        ls[0].lit[ls[0].n][l++] = *s;
                    }
                }
                ls[0].lit[ls[0].n][l] = '\0';
                ls[0].len[ls[0].n++] = l;
                s = *e ? e + 1 : e;
            }
            n = 1;
        }
        if (pat->is_regex) {
            n += cnd_regex_requirements(pat->source + 1, strlen(pat->source) - 2, lex, ls + n,
                                        CND_MAX_CLAUSES - n);
        } else {
            n += cnd_phrase_requirements(pat->source, lex, ls + n, CND_MAX_CLAUSES - n);
        }
        n = drop_implied_clauses(ls, n);
        {
            size_t strong = defer_common_clauses(ls, &n, lex);

            if (strong < n && pattern_deferred(pat, ls + strong, n - strong) < 0) {
                goto out;
            }
            n = strong;
        }
        pat->n_clauses = (unsigned)n;
        pat->prefix_clauses = 0;
        for (c = 0; c < n; c++) {
            pat->prefix_clauses |= (unsigned)(ls[c].prefix != 0) << c;
        }
        if (n == 0) {
            pat->always = 1;
            pf->always[pf->n_always++] = (uint32_t)i;
            if (ps->errors != NULL &&
                cnd_buf_addf(ps->errors, "%s:%u: warning: %s '%s' has no literal for the "
                             "prefilter, so it is tried on every post (add need=...)\n",
                             lex->name, pat->line, pat->is_regex ? "regex" : "phrase",
                             pat->id) == CND_ENOMEM) {
                goto out;
            }
            continue;
        }
        for (c = 0; c < n; c++) {
            for (k = 0; k < ls[c].n; k++) {
                /* a prefix of a required literal is required too: long literals
                 * are cut to keep the automaton small and in cache */
                char marked[2 * CND_LIT_MAX];
                /* never empty: need= literals hold no mark (no control
                 * character), and a set with a literal of marks only is
                 * worth nothing, so no regex requirement has one */
                int l = cnd_acm_add(pf->acm, marked,
                                    scanned_literal(ls[c].lit[k], ls[c].len[k], marked));

                if (l < 0) {
                    goto out;
                }
                if (n_pairs == cap_pairs) {
                    size_t ncap = cap_pairs ? cap_pairs * 2 : 128;
                    uint32_t *a = cnd_realloc(pair_lit, ncap * sizeof(*a));

                    if (a == NULL) {
                        goto out;
                    }
                    pair_lit = a;
                    a = cnd_realloc(pair_pat, ncap * sizeof(*a));
                    if (a == NULL) {
                        goto out;
                    }
                    pair_pat = a;
                    cap_pairs = ncap;
                }
                pair_lit[n_pairs] = (uint32_t)l;
                pair_pat[n_pairs++] = (uint32_t)(i << 2 | c);
            }
        }
    }
    if (cnd_acm_build(pf->acm) < 0) {
        goto out;
    }
    n_lits = cnd_acm_n_literals(pf->acm);
    lit_off = cnd_calloc(n_lits + 1, sizeof(*lit_off));
    lit_targets = cnd_malloc((n_pairs ? n_pairs : 1) * sizeof(*lit_targets));
    if (lit_off == NULL || lit_targets == NULL) {
        goto out;
    }
    /* counting sort of the (literal, pattern) pairs, pattern order kept */
    for (i = 0; i < n_pairs; i++) {
        lit_off[pair_lit[i] + 1]++;
    }
    for (i = 0; i < n_lits; i++) {
        lit_off[i + 1] += lit_off[i];
    }
    {
        uint32_t *fill = cnd_malloc((n_lits ? n_lits : 1) * sizeof(*fill));

        if (fill == NULL) {
            goto out;
        }
        memcpy(fill, lit_off, n_lits * sizeof(*fill));
        for (i = 0; i < n_pairs; i++) {
            lit_targets[fill[pair_lit[i]]++] = pair_pat[i];
        }
        cnd_free(fill);
    }
    if (state_targets(lex, pf, lit_off, lit_targets) < 0) {
        goto out;
    }
    ret = 0;
out:
    cnd_free(ls);
    cnd_free(pair_lit);
    cnd_free(pair_pat);
    cnd_free(lit_off);
    cnd_free(lit_targets);
    return ret;
}

/* ---- Public ---- */

void cnd_lexicon_free(struct cnd_lexicon *lex)
{
    size_t i;

    if (lex == NULL) {
        return;
    }
    for (i = 0; i < lex->n_pats; i++) {
        pattern_release(&lex->pats[i]);
    }
    cnd_free(lex->pats);
    for (i = 0; i < lex->n_categories; i++) {
        cnd_free(lex->categories[i]);
    }
    for (i = 0; i < lex->stop_cap; i++) {
        cnd_free(lex->stop[i]);
    }
    cnd_free(lex->stop);
    cnd_free(lex->stop_keys);
    for (i = 0; i < 2; i++) {
        cnd_acm_free(lex->pf[i].acm);
        cnd_free(lex->pf[i].st_off);
        cnd_free(lex->pf[i].st_targets);
        cnd_free(lex->pf[i].st_lits);
        cnd_free(lex->pf[i].st_span);
        cnd_free(lex->pf[i].always);
    }
    cnd_free(lex->name);
    cnd_free(lex);
}

struct cnd_lexicon *cnd_lexicon_parse(const char *name, const char *text, size_t len,
                                      struct cnd_buf *errors, int *err)
{
    struct parser ps;
    struct cnd_lexicon *lex;
    struct cnd_sha256 sha;
    char hex[65];
    size_t pos = 0;
    int ret = 0;

    memset(&ps, 0, sizeof(ps));
    lex = cnd_calloc(1, sizeof(*lex));
    if (lex == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    lex->name = cnd_strdup(name ? name : "lexicon");
    if (lex->name == NULL) {
        cnd_free(lex);
        *err = CND_ENOMEM;
        return NULL;
    }
    lex->threshold = 1.0;
    lex->negation_scope = 4;
    lex->experience_missing = 1.0;
    cnd_sha256_init(&sha);
    cnd_sha256_update(&sha, text, len);
    cnd_sha256_final_hex(&sha, hex);
    memcpy(lex->version, hex, 16);
    lex->version[16] = '\0';
    ps.lex = lex;
    ps.errors = errors;

    while (pos < len && ret == 0) {
        const char *line = text + pos, *nl = memchr(line, '\n', len - pos);
        const char *end = nl ? nl : text + len;
        const char *p = line;
        size_t bad;

        pos = (size_t)(end - text) + (nl ? 1 : 0);
        ps.line++;
        if (end > line && end[-1] == '\r') {
            end--;
        }
        if (!cnd_utf8_valid(line, (size_t)(end - line), &bad)) {
            perror_at(&ps, ps.line, "invalid utf-8 at byte %zu of the line", bad + 1);
            continue;
        }
        if (memchr(line, '\0', (size_t)(end - line)) != NULL) {
            perror_at(&ps, ps.line, "nul byte in the line");
            continue;
        }
        while (p < end && (*p == ' ' || *p == '\t')) {
            p++;
        }
        if (p == end || *p == '#') {
            continue;
        }
        ret = parse_line(&ps, p, end);
    }
    if (ret == 0 && lex->n_categories == 0 && ps.n_errors == 0) {
        perror_at(&ps, ps.line ? ps.line : 1, "no category declared");
    }
    if (ret == 0 && ps.n_errors == 0) {
        ret = build_stop_keys(ps.lex);
        if (ret == 0) {
            ret = build_prefilter(&ps, CND_PF_RULES);
        }
        if (ret == 0) {
            ret = build_prefilter(&ps, CND_PF_CONTEXT);
        }
    }
    if (ret == 0 && ps.nomem) {
        ret = CND_ENOMEM;
    }
    if (ret < 0 || ps.n_errors > 0) {
        cnd_lexicon_free(lex);
        *err = ret < 0 ? ret : CND_EPARSE;
        return NULL;
    }
    return lex;
}

struct cnd_lexicon *cnd_lexicon_load(const char *path, struct cnd_buf *errors, int *err)
{
    FILE *fp;
    struct cnd_buf data;
    struct cnd_lexicon *lex;
    char chunk[65536];
    size_t n;
    int ret;

    fp = fopen(path, "rb");
    if (fp == NULL) {
        *err = errno == ENOENT ? CND_ENOENT : CND_EIO;
        return NULL;
    }
    cnd_buf_init(&data, MAX_LEXICON_BYTES);
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        ret = cnd_buf_add(&data, chunk, n);
        if (ret < 0) {
            fclose(fp);
            cnd_buf_release(&data);
            *err = ret;
            return NULL;
        }
    }
    if (ferror(fp)) {
        fclose(fp);
        cnd_buf_release(&data);
        *err = CND_EIO;
        return NULL;
    }
    if (fclose(fp) != 0) {
        cnd_buf_release(&data);
        *err = CND_EIO;
        return NULL;
    }
    lex = cnd_lexicon_parse(path, data.data ? data.data : "", data.len, errors, err);
    cnd_buf_release(&data);
    return lex;
}

const char *cnd_lexicon_version(const struct cnd_lexicon *lex)
{
    return lex->version;
}

size_t cnd_lexicon_n_categories(const struct cnd_lexicon *lex)
{
    return lex->n_categories;
}

const char *cnd_lexicon_category(const struct cnd_lexicon *lex, size_t i)
{
    return i < lex->n_categories ? lex->categories[i] : NULL;
}

size_t cnd_lexicon_n_rules(const struct cnd_lexicon *lex)
{
    return lex->n_rules;
}
