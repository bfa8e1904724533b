/* SPDX-License-Identifier: MIT */
/*
 * The Aho-Corasick prefilter: overlapping literals, every occurrence with
 * its end offset, case folding, duplicate literals, bytes beyond ASCII;
 * the choice of prefilter literals from phrases and regexes; and the
 * word-boundary marks, which must never hide a match from PCRE2.
 */
#include "tests/unit/check.h"

#include <stdlib.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

struct hits {
    uint32_t lit[64];
    size_t end[64];
    size_t n;
};

static void on_hit(void *arg, uint32_t lit, size_t end)
{
    struct hits *h = arg;

    if (h->n < 64) {
        h->lit[h->n] = lit;
        h->end[h->n] = end;
        h->n++;
    }
}

static int has_hit(const struct hits *h, uint32_t lit, size_t end)
{
    size_t i;

    for (i = 0; i < h->n; i++) {
        if (h->lit[i] == lit && h->end[i] == end) {
            return 1;
        }
    }
    return 0;
}

static void test_overlapping(void)
{
    struct cnd_acm *acm = cnd_acm_new();
    struct hits h;
    int he, she, his, hers;

    CHECK(acm != NULL);
    if (acm == NULL) {
        return;
    }
    he = cnd_acm_add(acm, "he", 2);
    she = cnd_acm_add(acm, "she", 3);
    his = cnd_acm_add(acm, "his", 3);
    hers = cnd_acm_add(acm, "hers", 4);
    CHECK(he == 0 && she == 1 && his == 2 && hers == 3);
    CHECK_INT(cnd_acm_add(acm, "HE", 2), he);   /* same literal, case folded */
    CHECK_INT(cnd_acm_n_literals(acm), 4);
    CHECK_INT(cnd_acm_build(acm), 0);
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)"ushers", 6, on_hit, &h);
    CHECK_INT(h.n, 3);
    CHECK(has_hit(&h, (uint32_t)she, 4));
    CHECK(has_hit(&h, (uint32_t)he, 4));
    CHECK(has_hit(&h, (uint32_t)hers, 6));
    CHECK(!has_hit(&h, (uint32_t)his, 6));
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)"USHERS his", 10, on_hit, &h);
    CHECK_INT(h.n, 4);
    CHECK(has_hit(&h, (uint32_t)his, 10));
    CHECK_STR(cnd_acm_literal(acm, (uint32_t)hers), "hers");
    cnd_acm_free(acm);
}

static void test_all_occurrences(void)
{
    struct cnd_acm *acm = cnd_acm_new();
    struct hits h;

    CHECK(acm != NULL);
    if (acm == NULL) {
        return;
    }
    CHECK_INT(cnd_acm_add(acm, "aa", 2), 0);
    CHECK_INT(cnd_acm_add(acm, "fee", 3), 1);
    CHECK_INT(cnd_acm_build(acm), 0);
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)"aaaa fee, Fee and FEE", 21, on_hit, &h);
    CHECK_INT(h.n, 6);
    CHECK(has_hit(&h, 0, 2) && has_hit(&h, 0, 3) && has_hit(&h, 0, 4));
    CHECK(has_hit(&h, 1, 8) && has_hit(&h, 1, 13) && has_hit(&h, 1, 21));
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)"nothing here", 12, on_hit, &h);
    CHECK_INT(h.n, 0);
    cnd_acm_free(acm);
}

static void test_non_ascii_and_empty(void)
{
    struct cnd_acm *acm = cnd_acm_new();
    struct hits h;
    const char *t = "un caf\xc3\xa9 s'il vous pla\xc3\xaet \xff\xfe";

    CHECK(acm != NULL);
    if (acm == NULL) {
        return;
    }
    CHECK_INT(cnd_acm_add(acm, "", 0), CND_EINVAL);
    CHECK_INT(cnd_acm_add(acm, "caf\xc3\xa9", 5), 0);
    CHECK_INT(cnd_acm_add(acm, "\xc3\xaet", 3), 1);
    CHECK_INT(cnd_acm_build(acm), 0);
    CHECK_INT(cnd_acm_add(acm, "late", 4), CND_EINVAL);   /* after build */
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)t, strlen(t), on_hit, &h);
    CHECK_INT(h.n, 2);
    CHECK(has_hit(&h, 0, 8));
    CHECK(has_hit(&h, 1, 25));
    cnd_acm_free(acm);

    /* an automaton without literals finds nothing */
    acm = cnd_acm_new();
    CHECK(acm != NULL);
    if (acm != NULL) {
        CHECK_INT(cnd_acm_build(acm), 0);
        memset(&h, 0, sizeof(h));
        cnd_acm_scan(acm, (const unsigned char *)"abc", 3, on_hit, &h);
        CHECK_INT(h.n, 0);
        cnd_acm_free(acm);
    }
    cnd_acm_free(NULL);
}

static void test_many_literals(void)
{
    struct cnd_acm *acm = cnd_acm_new();
    struct hits h;
    char lit[32];
    int i;

    CHECK(acm != NULL);
    if (acm == NULL) {
        return;
    }
    for (i = 0; i < 1000; i++) {
        int n = snprintf(lit, sizeof(lit), "w%dq", i);

        CHECK_INT(cnd_acm_add(acm, lit, (size_t)n), i);
    }
    CHECK_INT(cnd_acm_build(acm), 0);
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)"x w999q w5q w12", 15, on_hit, &h);
    CHECK_INT(h.n, 2);
    CHECK(has_hit(&h, 999, 7));
    CHECK(has_hit(&h, 5, 11));
    cnd_acm_free(acm);
}

/* An automaton of 32768 states or more (the wide table): every scan finds what it should. */
static void test_wide_table(void)
{
    struct cnd_acm *acm = cnd_acm_new();
    const char *text = "x a000123 a039999, a40000 a000123";
    struct hits h;
    char lit[32];
    size_t ncls, n_states, ns, k, m;
    uint64_t *seen = NULL;
    uint32_t *out = NULL, *first = NULL, *last = NULL, lits[8];
    int i, got123 = 0, got39999 = 0;

    CHECK(acm != NULL);
    if (acm == NULL) {
        return;
    }
    for (i = 0; i < 40000; i++) {
        int n = snprintf(lit, sizeof(lit), "a%06d", i);

        CHECK_INT(cnd_acm_add(acm, lit, (size_t)n), i);
    }
    CHECK_INT(cnd_acm_build(acm), 0);
    n_states = cnd_acm_n_states(acm, &ncls);
    CHECK(n_states >= 32768);
    memset(&h, 0, sizeof(h));
    cnd_acm_scan(acm, (const unsigned char *)text, strlen(text), on_hit, &h);
    CHECK_INT(h.n, 3);
    CHECK(has_hit(&h, 123, 9));
    CHECK(has_hit(&h, 39999, 17));
    CHECK(has_hit(&h, 123, 33));
    seen = calloc(n_states / 64 + 1, sizeof(*seen));
    out = calloc(n_states + 1, sizeof(*out));
    first = calloc(n_states + 1, sizeof(*first));
    last = calloc(n_states + 1, sizeof(*last));
    CHECK(seen != NULL && out != NULL && first != NULL && last != NULL);
    if (seen != NULL && out != NULL && first != NULL && last != NULL) {
        ns = cnd_acm_scan_states(acm, (const unsigned char *)text, strlen(text), seen, out, first,
                                 last);
        CHECK_INT(ns, 2);
        for (k = 0; k < ns; k++) {
            m = cnd_acm_state_literals(acm, out[k], lits, 8);
            CHECK_INT(m, 1);
            if (m == 1 && lits[0] == 123) {
                got123++;
                CHECK(first[out[k]] == 9 && last[out[k]] == 33);
            }
            if (m == 1 && lits[0] == 39999) {
                got39999++;
                CHECK(first[out[k]] == 17 && last[out[k]] == 17);
            }
        }
        CHECK(got123 == 1 && got39999 == 1);
    }
    free(seen);
    free(out);
    free(first);
    free(last);
    cnd_acm_free(acm);
}

static void test_alloc_failures(void)
{
    unsigned long n;
    int ok = 0;

    for (n = 1; n < 1000 && !ok; n++) {
        struct cnd_acm *acm;
        int r1 = -1, r2 = -1, r3 = -1;

        cnd_alloc_fail_at(n);
        acm = cnd_acm_new();
        if (acm != NULL) {
            r1 = cnd_acm_add(acm, "alpha", 5);
            r2 = r1 >= 0 ? cnd_acm_add(acm, "beta", 4) : r1;
            r3 = r2 >= 0 ? cnd_acm_build(acm) : r2;
        }
        cnd_alloc_fail_at(0);
        if (acm != NULL && r3 == 0) {
            struct hits h;

            memset(&h, 0, sizeof(h));
            cnd_acm_scan(acm, (const unsigned char *)"alphabet", 8, on_hit, &h);
            CHECK_INT(h.n, 1);
            ok = 1;
        } else if (acm != NULL) {
            CHECK_INT(r3, CND_ENOMEM);
        }
        cnd_acm_free(acm);
    }
    CHECK(ok);
}

static void test_phrase_literal(void)
{
    static const struct {
        const char *phrase, *want;
    } cases[] = {
        { "hidden fee*", "hid" },           /* "hidden" may be "hiden": pieces hid / den */
        { "bait and switch", "switch" },
        { "didn't tell me .. fee*", "didn" },
        { "add-on", "ad" },              /* "add" may be "ad" */
        { "SCAMMED", "scam" },
        { "$0 down", "down" },
        { "$10 fee", "$10" },
        { "caf\xc3\xa9 scam", "scam" },
        { "unauthorized", "unauthorized" },
    };
    char out[64];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = cnd_phrase_literal(cases[i].phrase, NULL, out, sizeof(out));

        CHECK_MSG(n > 0 && strcmp(out, cases[i].want) == 0, "phrase '%s': got '%s' want '%s'",
                  cases[i].phrase, n ? out : "", cases[i].want);
    }
    CHECK_INT(cnd_phrase_literal("\xc3\xa9\xc3\xa9", NULL, out, sizeof(out)), 0);
    CHECK_INT(cnd_phrase_literal("unauthorized", NULL, out, 5), 0);   /* too small a buffer */
}

static void test_phrase_literal_stopwords(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    const char *text = "category a\nstopwords through without\n";
    char out[64];
    int err = 0;

    cnd_buf_init(&errors, 0);
    lex = cnd_lexicon_parse("t", text, strlen(text), &errors, &err);
    CHECK(lex != NULL);
    if (lex != NULL) {
        /* the longest word is a stopword: the longest other word wins */
        CHECK(cnd_phrase_literal("without consent", lex, out, sizeof(out)) == 7);
        CHECK_STR(out, "consent");
        CHECK(cnd_phrase_literal("through without", lex, out, sizeof(out)) == 7);
        CHECK_STR(out, "through");
    }
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
}

/* A literal as the tests write it: word-boundary marks as "\\b". */
static const char *shown(const char *lit)
{
    static char out[4 * CND_LIT_MAX];
    size_t n = 0;

    for (; *lit && n + 3 < sizeof(out); lit++) {
        if (*lit == CND_PF_MARK) {
            out[n++] = '\\';
            out[n++] = 'b';
        } else {
            out[n++] = *lit;
        }
    }
    out[n] = '\0';
    return out;
}

static void test_regex_literals(void)
{
    static const struct {
        const char *re, *want;   /* want: the set joined by '|'; NULL: none */
    } cases[] = {
        { "resort\\s+fees?", "resort" },
        { "hidden\\s+fees?", "hidden" },
        { "colou?r", "colour|color" },
        { "x{0,2}abcd", "abcd" },
        { "ab+cd", "bcd" },
        { "\\bjust\\s+sold\\s+out\\b", "\\bjust" },
        { "\\$\\d+ fee", " fee" },
        { "HELLO", "hello" },
        { "(?:charged|billed)\\s+twice", "charged|billed" },
        { "(?:charged|billed)\\s+(?:twice|double)", "charged|billed" },
        { "[a-z]+ing\\b", "ing\\b" },
        { "foo(bar)?bazz", "foobarbazz|foobazz" },
        { "foo(?:bar)*bazz", "bazz" },
        { "(?:a|b)", NULL },
        { "a|bcdef", NULL },
        { "abcd|efgh", "abcd|efgh" },
        { "\\bfees?\\b|\\bcharge", "\\bfees\\b|\\bfee\\b|\\bcharge" },
        { "(?x) foo bar", NULL },
        { "\\Qa.b\\E", NULL },
        { "\\w+", NULL },
        { "(a+)+$", NULL },
        { "\\?", "?" },
        { "caf\xc3\xa9", "caf" },
        { "fees{1,3}x", "fees" },
        { "a{2}bc", "abc" },
        { "p\\.o\\. box", "p.o. box" },
        { "(?i)refund", "refund" },
        { "(?<word>scam)med", "scammed" },
        { "(?=.*refund)scam", "scam" },
        { "(?<!not )scam", "scam" },
        { "was (?:offer|deal|price)", "was offer|was deal|was price" },
        { "\\b(?:every|all) (?:buyers?|one)\\b.{0,9}pays",
          "\\bevery buyers\\b|\\bevery buyer\\b|\\bevery one\\b|\\ball buyers\\b|\\ball buyer\\b|"
          "\\ball one\\b" },
        { "((?:hidden|junk) fee)s", "hidden fees|junk fees" },
        { "(?:a|b)(?:c|d)", "ac|ad|bc|bd" },
        { "fee(?=s)", "fee" },
        { "abc)", NULL },
        /* small classes of plain ASCII members are alternatives of one byte */
        { "[\"']sale[\"']", "\"sale\"|\"sale'|'sale\"|'sale'" },
        { "gr[ae]y", "gray|grey" },
        { "[Ss]cam", "scam" },
        { "ab[.-]cd", "ab.cd|ab-cd" },
        { "colo[u]?r", "colour|color" },
        { "x[yz]+w", "xy|xz" },
        { "[^\"]xyz", "xyz" },
        { "[a-c]xyz", "xyz" },
        { "[\\d]xyz", "xyz" },
        { "[$\xc2\xa3]" "fee", "$fee|\xc2\xa3" "fee" },
        { "[$\xc2\xa3\xe2\x82\xac]\\d", "$|\xc2\xa3|\xe2\x82\xac" },
        { "[\xc2\xb5$]" "fee", "fee" },
        { "[\xc3\xa9" "e]xyz", "xyz" },
        { "abc[defghijkl]", "abc" },
        { "[[:alpha:]]xyz", "xyz" },
    };
    struct cnd_litset ls;
    char got[512];
    size_t i, k;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = cnd_regex_literals(cases[i].re, strlen(cases[i].re), NULL, &ls);

        got[0] = '\0';
        for (k = 0; k < n; k++) {
            if (k > 0) {
                strcat(got, "|");
            }
            strcat(got, shown(ls.lit[k]));
        }
        if (cases[i].want == NULL) {
            CHECK_MSG(n == 0, "regex '%s': got '%s' want none", cases[i].re, got);
        } else {
            CHECK_MSG(n > 0 && strcmp(got, cases[i].want) == 0, "regex '%s': got '%s' want '%s'",
                      cases[i].re, got, cases[i].want);
        }
    }
}

static void test_regex_literals_stopwords(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    const char *text = "category a\nstopwords the was is\n";
    struct cnd_litset ls;
    int err = 0;

    cnd_buf_init(&errors, 0);
    lex = cnd_lexicon_parse("t", text, strlen(text), &errors, &err);
    CHECK(lex != NULL);
    if (lex != NULL) {
        /* "the " is longer than "deal" but a stopword: the group wins */
        const char *re = "\\b(?:was|is) the (?:offer|deal|plan)\\b";

        CHECK_INT(cnd_regex_literals(re, strlen(re), lex, &ls), 6);
        CHECK_STR(shown(ls.lit[0]), "\\bwas the offer\\b");
        /* "the " is a stopword: the groups around it win */
        re = "\\b(?:was|is) the [a-z]+ (?:offer|deal|plan)\\b";
        CHECK_INT(cnd_regex_literals(re, strlen(re), lex, &ls), 3);
        CHECK_STR(shown(ls.lit[0]), " offer\\b");
        /* only a stopword: still better than nothing */
        CHECK_INT(cnd_regex_literals("\\bthe\\b", 7, lex, &ls), 1);
        CHECK_STR(shown(ls.lit[0]), "\\bthe\\b");
    }
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
}

/*
 * Every occurrence, checked against a plain search over random texts, for
 * an automaton few bytes leave the root of (brand names: the scan skips
 * ahead by pairs of bytes) and for a dense one: one-byte literals, a
 * literal at the very end, case folding, bytes beyond ASCII.
 */
static size_t naive_count(const char *const *lits, size_t n, const unsigned char *t, size_t len)
{
    size_t i, j, k, count = 0;

    for (k = 0; k < n; k++) {
        size_t l = strlen(lits[k]);

        for (i = 0; i + l <= len; i++) {
            for (j = 0; j < l; j++) {
                unsigned char c = t[i + j];

                if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)lits[k][j]) {
                    break;
                }
            }
            count += j == l;
        }
    }
    return count;
}

static void count_hit(void *arg, uint32_t lit, size_t end)
{
    (void)lit;
    (void)end;
    (*(size_t *)arg)++;
}

static void test_random_texts(void)
{
    static const char *const sparse[] = { "q", "zx", "contoso", "@con", "\xc3\xa9t" };
    static const char *const dense[] = { "a", "e", "th", "the", "he", "in", "zx", "q", "ee" };
    static const unsigned char alphabet[] = "qQzZxXcCoOnNtTsS@ aeh\xc3\xa9.";
    unsigned long long seed = 7;
    int round, bad = 0;

    for (round = 0; round < 2; round++) {
        const char *const *lits = round ? dense : sparse;
        size_t n = round ? sizeof(dense) / sizeof(dense[0]) : sizeof(sparse) / sizeof(sparse[0]);
        struct cnd_acm *acm = cnd_acm_new();
        size_t i, k;

        CHECK(acm != NULL);
        if (acm == NULL) {
            return;
        }
        for (i = 0; i < n; i++) {
            CHECK(cnd_acm_add(acm, lits[i], strlen(lits[i])) >= 0);
        }
        CHECK_INT(cnd_acm_build(acm), 0);
        for (k = 0; k < 3000; k++) {
            unsigned char t[40];
            size_t len = k % 40, got = 0;

            for (i = 0; i < len; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                t[i] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
            }
            cnd_acm_scan(acm, t, len, count_hit, &got);
            if (got != naive_count(lits, n, t, len)) {
                bad++;
            }
        }
        CHECK_INT(bad, 0);
        cnd_acm_free(acm);
    }
}

/* The first and the last end offset of literal "lit" in "t", by a plain search; 0 if absent. */
static void naive_ends(const char *lit, const unsigned char *t, size_t len, size_t *first,
                       size_t *last)
{
    size_t l = strlen(lit), i;

    *first = *last = 0;
    for (i = 0; i + l <= len; i++) {
        if (memcmp(t + i, lit, l) == 0) {
            *first = *first ? *first : i + l;
            *last = i + l;
        }
    }
}

/*
 * The distinct literals of a scan by states (one, two or four walks, and
 * more notes than the walks' buffer holds) are those a plain search finds,
 * and so are their first and last end offsets.
 */
static void test_scan_states(void)
{
    static const char *const lits[] = { "a", "e", "th", "the", "he", "in", "zx", "q", "ee",
                                        "then", "aaaaaaaa", "x y" };
    static const unsigned char alphabet[] = "aeeehntqzx y.";
    size_t n = sizeof(lits) / sizeof(lits[0]), i, k, ncls, n_states;
    unsigned long long seed = 11;
    struct cnd_acm *acm = cnd_acm_new();
    uint64_t *seen;
    uint32_t *out, *first, *last, got_lits[64];
    int bad = 0;

    CHECK(acm != NULL);
    if (acm == NULL) {
        return;
    }
    for (i = 0; i < n; i++) {
        CHECK(cnd_acm_add(acm, lits[i], strlen(lits[i])) >= 0);
    }
    CHECK_INT(cnd_acm_build(acm), 0);
    n_states = cnd_acm_n_states(acm, &ncls);
    seen = calloc(n_states / 64 + 1, sizeof(*seen));
    out = calloc(n_states + 1, sizeof(*out));
    first = calloc(n_states + 1, sizeof(*first));
    last = calloc(n_states + 1, sizeof(*last));
    CHECK(seen != NULL && out != NULL && first != NULL && last != NULL);
    for (k = 0; k < 600 && seen != NULL && out != NULL && first != NULL && last != NULL; k++) {
        unsigned char t[1200];
        size_t len = (k * 7) % sizeof(t), ns, s, l, want_mask = 0, got_mask = 0;
        size_t got_first[16], got_last[16];

        for (i = 0; i < len; i++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            t[i] = alphabet[(seed >> 33) % (sizeof(alphabet) - 1)];
        }
        for (l = 0; l < n; l++) {
            if (naive_count(lits + l, 1, t, len) > 0) {
                want_mask |= (size_t)1 << l;
            }
        }
        ns = cnd_acm_scan_states(acm, t, len, seen, out, first, last);
        for (l = 0; l < n; l++) {
            got_first[l] = SIZE_MAX;
            got_last[l] = 0;
        }
        for (s = 0; s < ns; s++) {
            size_t m = cnd_acm_state_literals(acm, out[s], got_lits, 64);

            for (l = 0; l < m && l < 64; l++) {
                uint32_t g = got_lits[l];

                got_mask |= (size_t)1 << g;
                got_first[g] = first[out[s]] < got_first[g] ? first[out[s]] : got_first[g];
                got_last[g] = last[out[s]] > got_last[g] ? last[out[s]] : got_last[g];
            }
        }
        for (l = 0; l < n; l++) {
            size_t f, e;

            naive_ends(lits[l], t, len, &f, &e);
            if (f > 0 && (got_first[l] != f || got_last[l] != e)) {
                bad++;
            }
        }
        for (i = 0; i < n_states / 64 + 1; i++) {
            bad += seen[i] != 0;   /* left clear */
        }
        bad += 100 * (got_mask != want_mask);
    }
    CHECK_INT(bad, 0);
    free(seen);
    free(out);
    free(first);
    free(last);
    cnd_acm_free(acm);
}

/*
 * A requirement met by a very common word (a stopword of up to 3 letters)
 * is dropped when the pattern has another; kept when all are common. A
 * requirement another one implies is dropped too.
 */
static void test_common_requirements_dropped(void)
{
    const char *text = "category a\nstopwords the it on in was\n"
                       "regex r.fee a 1.0 /\\bsurprise fee\\b.{0,20}\\b(?:the|their)\\b/\n"
                       "regex r.common a 1.0 /\\bit\\b.{0,5}\\b(?:on|in)\\b/\n"
                       "regex r.both a 1.0 /\\bwaived\\b.{0,9}\\brebate\\b/\n"
                       "regex r.implied a 1.0 need=fee,cost /\\bhidden fees?\\b/\n"
                       "regex r.apart a 1.0 need=zebra /\\bhidden fees?\\b/\n";
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    int err = 0;

    cnd_buf_init(&errors, 0);
    lex = cnd_lexicon_parse("t", text, strlen(text), &errors, &err);
    CHECK(lex != NULL);
    if (lex == NULL) {
        cnd_buf_release(&errors);
        return;
    }
    CHECK_INT(lex->n_pats, 5);
    CHECK_STR(lex->pats[0].id, "r.fee");
    CHECK_INT(lex->pats[0].n_clauses, 1);    /* "surprise fee" only, not "the"/"their" */
    CHECK_INT(lex->pats[1].n_clauses, 2);    /* "it" and "on"/"in": all common, all kept */
    CHECK_INT(lex->pats[2].n_clauses, 2);    /* nothing common */
    CHECK_INT(lex->pats[3].n_clauses, 1);    /* "hidden fee" implies need= "fee" */
    CHECK_INT(lex->pats[4].n_clauses, 2);    /* but not "zebra" */
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
}

/* The marked copy of a text: a mark wherever an ASCII word character meets anything else. */
static void test_mark_text(void)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "", "" },
        { "ad", "\\bad\\b" },
        { "already, ad!", "\\balready\\b, \\bad\\b!" },
        { "#tag81 x_1", "#\\btag81\\b \\bx_1\\b" },
        { "caf\xc3\xa9", "\\bcaf\\b\xc3\xa9" },    /* non-ASCII bytes count as non-word */
        { "it's", "\\bit\\b'\\bs\\b" },
        { " . ", " . " },
    };
    unsigned char out[64];
    size_t i, n;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        n = cnd_pf_mark_text((const unsigned char *)cases[i].text, strlen(cases[i].text), out);
        out[n] = '\0';
        CHECK_STR(shown((const char *)out), cases[i].want);
    }
    /* a mark byte in the text is not a mark: it becomes the next byte */
    n = cnd_pf_mark_text((const unsigned char *)"a\001", 2, out);
    CHECK_MEM((const char *)out, n, "\001a\001\002");
}

/* Literals as the marked text holds them. */
static void test_pf_literal(void)
{
    static const struct {
        const char *lit, *want;
    } cases[] = {
        { "\001ad\001", "\\bad\\b" },
        { "sign up", "sign\\b \\bup" },           /* marks inside are implied */
        { "\001sign up\001", "\\bsign\\b \\bup\\b" },
        { "\001'em", "'\\bem" },                   /* no mark next to a non-word byte */
        { "fee\001s", "fees" },                    /* nor between two word bytes */
        { "caf\xc3\xa9\001", "caf\\b\xc3\xa9" },
        { "x", "x" },
    };
    char out[64];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = cnd_pf_literal(cases[i].lit, strlen(cases[i].lit), out, sizeof(out));

        CHECK(n == strlen(out));
        CHECK_STR(shown(out), cases[i].want);
    }
    CHECK_INT(cnd_pf_literal("\001\001", 2, out, sizeof(out)), 0);
    /* a short buffer keeps a prefix, which is still required */
    CHECK_INT(cnd_pf_literal("\001abcdef", 7, out, 4), 3);
    CHECK_STR(shown(out), "\\bab");
}

/*
 * A top-level alternation requires, of every match, one requirement of each
 * branch: its requirements are the unions of one of every branch's, best
 * first (clauses joined by " & ", a clause's strings by '|').
 */
static void test_alternation_requirements(void)
{
    static const struct {
        const char *re, *want;   /* NULL: none */
    } cases[] = {
        { "call drops|hung up.{0,40}cancel", "call drops|hung up & call drops|cancel" },
        { "scam\\w+ fee|refund", "scam|refund &  fee|refund" },
        { "abcd|efgh", "abcd|efgh" },
        { "abc.+def|ghi.+jkl|mno", "abc|ghi|mno & abc|jkl|mno & def|ghi|mno & def|jkl|mno" },
        { "abc.+def|x", NULL },
    };
    struct cnd_litset *sets = malloc(CND_MAX_CLAUSES * sizeof(*sets));
    char got[1024];
    size_t i, c, k, n;

    CHECK(sets != NULL);
    for (i = 0; sets != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
        n = cnd_regex_requirements(cases[i].re, strlen(cases[i].re), NULL, sets,
                                   CND_MAX_CLAUSES);
        got[0] = '\0';
        for (c = 0; c < n; c++) {
            strcat(got, c > 0 ? " & " : "");
            for (k = 0; k < sets[c].n; k++) {
                strcat(got, k > 0 ? "|" : "");
                strcat(got, shown(sets[c].lit[k]));
            }
        }
        if (cases[i].want == NULL) {
            CHECK_MSG(n == 0, "regex '%s': got '%s' want none", cases[i].re, got);
        } else {
            CHECK_MSG(strcmp(got, cases[i].want) == 0, "regex '%s': got '%s' want '%s'",
                      cases[i].re, got, cases[i].want);
        }
    }
    free(sets);
}

/*
 * The promise the marks must keep: whenever PCRE2 finds a match in a
 * text, every requirement chosen for the regex has a literal in the
 * marked text. Random texts of words, digits, underscores, apostrophes,
 * punctuation, non-ASCII letters and symbols, and stray mark bytes.
 */
static void test_marks_never_hide_a_match(void)
{
    static const char *const regexes[] = {
        "\\bad\\b",
        "\\b(?:the |a )?(?:tag|label)\\b[^.]{0,9}\\b(?:says|said)\\b",
        "\\bfees?\\b|\\bcharge",
        "ing\\b",
        "\\b'em\\b",
        "\\bcaf\\b",
        "\\b(?:x_1|ad) (?:up|\\bon)\\b",
        "(?<!\\w)ad(?!\\w)",
        "\\bsign\\b\\s+\\bup",
        "(?<!\\w)[\"'](?:sale|ad)[\"'](?!\\w)",
        "\\b[Tt]ag[s]?\\b",
        "\\bsa[iy][ds]\\b",
        "[-_]up\\b",
        "\\b(?:fee|sale)\\b [$\xc2\xa3\xe2\x82\xac]\\d",
        "\\bsaid\\b.{0,9}\\bfee|\\btag\\b.{0,5}\\bup\\b|ad\\b.+\\bon",
    };
    static const char *const pieces[] = {
        "ad", "already", "tag", "tags", "label", "says", "said", "the ", "a ", "fee", "fees",
        "charge", "ing", "em", "'", " ", " ", ".", "caf", "\xc3\xa9", "\xc3\x89", "\xe2\x9c\xa8",
        "x_1", "_", "9", "up", "on", "sign", "\001", "-", "\"", "sale", "T", "y", "d", "$", "\xc2\xa3", "\xe2\x82\xac",
    };
    size_t r, i, k, c, j;
    unsigned long long seed = 5;
    int bad = 0, matched = 0;
    struct cnd_matcher *m = cnd_matcher_new();
    struct cnd_litset *sets = malloc(CND_MAX_CLAUSES * sizeof(*sets));

    CHECK(m != NULL && sets != NULL);
    for (r = 0; m != NULL && sets != NULL && r < sizeof(regexes) / sizeof(regexes[0]); r++) {
        char msg[128];
        size_t off, n_sets;
        int err = 0;
        struct cnd_re *re = cnd_re_compile(regexes[r], strlen(regexes[r]), msg, sizeof(msg),
                                           &off, &err);

        CHECK(re != NULL);
        if (re == NULL) {
            continue;
        }
        n_sets = cnd_regex_requirements(regexes[r], strlen(regexes[r]), NULL, sets,
                                        CND_MAX_CLAUSES);
        CHECK(n_sets > 0);
        for (k = 0; k < 4000; k++) {
            char text[256];
            unsigned char marked[2 * sizeof(text) + 1];
            size_t len = 0, mlen, ms, me;

            while (len < 60) {
                const char *p;

                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                p = pieces[(seed >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
                memcpy(text + len, p, strlen(p));
                len += strlen(p);
            }
            if (cnd_re_match(m, re, text, len, 0, &ms, &me) != 1) {
                continue;
            }
            matched++;
            mlen = cnd_pf_mark_text((const unsigned char *)text, len, marked);
            for (c = 0; c < n_sets; c++) {
                int found = 0;

                for (i = 0; i < sets[c].n && !found; i++) {
                    char lit[2 * CND_LIT_MAX];
                    size_t ll = cnd_pf_literal(sets[c].lit[i], sets[c].len[i], lit, sizeof(lit));

                    for (j = 0; ll > 0 && j + ll <= mlen && !found; j++) {
                        found = memcmp(marked + j, lit, ll) == 0;
                    }
                }
                if (!found) {
                    bad++;
                }
            }
        }
        cnd_re_free(re);
    }
    CHECK_INT(bad, 0);
    CHECK(matched > 1000);   /* the texts do exercise the regexes */
    free(sets);
    cnd_matcher_free(m);
}

TEST_LIST = {
    { "overlapping", test_overlapping },
    { "all_occurrences", test_all_occurrences },
    { "non_ascii_and_empty", test_non_ascii_and_empty },
    { "many_literals", test_many_literals },
    { "wide_table", test_wide_table },
    { "random_texts", test_random_texts },
    { "scan_states", test_scan_states },
    { "common_requirements_dropped", test_common_requirements_dropped },
    { "alloc_failures", test_alloc_failures },
    { "phrase_literal", test_phrase_literal },
    { "phrase_literal_stopwords", test_phrase_literal_stopwords },
    { "regex_literals", test_regex_literals },
    { "regex_literals_stopwords", test_regex_literals_stopwords },
    { "alternation_requirements", test_alternation_requirements },
    { "mark_text", test_mark_text },
    { "pf_literal", test_pf_literal },
    { "marks_never_hide_a_match", test_marks_never_hide_a_match },
    { NULL, NULL },
};
