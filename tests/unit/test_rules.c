/* SPDX-License-Identifier: MIT */
/*
 * PCRE2 rules: phrase compilation (masked tokens between words,
 * apostrophe variants, elongation, `*`, `..`, hyphens, word boundaries,
 * sentence ends), phrase syntax errors, regex compile errors with their
 * offset, the match limit on a hostile pattern, invalid UTF-8 subjects,
 * and the text normalization the patterns run on.
 */
#include "tests/unit/check.h"

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

/* 1 when "phrase" matches "text" (after normalization), 0 when not, <0 on error. */
static int phrase_matches(const char *phrase, const char *text)
{
    struct cnd_buf re;
    struct cnd_norm norm;
    struct cnd_re *code;
    struct cnd_matcher *m;
    char msg[256];
    size_t off, ms, me;
    int err = 0, r;

    cnd_buf_init(&re, 0);
    memset(&norm, 0, sizeof(norm));
    r = cnd_phrase_to_regex(phrase, &re, msg, sizeof(msg));
    if (r < 0) {
        cnd_buf_release(&re);
        return r;
    }
    code = cnd_re_compile(re.data, re.len, msg, sizeof(msg), &off, &err);
    cnd_buf_release(&re);
    if (code == NULL) {
        fprintf(stderr, "phrase '%s' does not compile: %s\n", phrase, msg);
        return err;
    }
    m = cnd_matcher_new();
    if (m == NULL || cnd_norm_run(&norm, text, strlen(text)) < 0) {
        r = CND_ENOMEM;
    } else {
        r = cnd_re_match(m, code, norm.text, norm.len, 0, &ms, &me);
    }
    cnd_matcher_free(m);
    cnd_re_free(code);
    cnd_norm_release(&norm);
    return r;
}

static const struct {
    const char *phrase, *text;
    int want;
} phrase_cases[] = {
    /* masked tokens between words: up to two */
    { "charged fee", "they charged XXXX XXXX fee", 1 },
    { "charged fee", "they charged XXXX fee", 1 },
    { "charged fee", "they charged XXXX XXXX XXXX fee", 0 },
    { "charged fee", "they charged {$500.00} fee", 1 },
    { "charged fee", "they charged XX/XX/XXXX fee", 1 },
    { "charged fee", "they charged XX/XX/2019 XXXX fee", 1 },
    { "charged fee", "they charged, fee", 1 },
    { "charged fee", "they charged a fee", 0 },
    /* apostrophes */
    { "didn't tell", "they didn't tell me", 1 },
    { "didn't tell", "they didn\xe2\x80\x99t tell me", 1 },
    { "didn't tell", "they didnt tell me", 1 },
    { "didn't tell", "they DIDN\xca\xbcT TELL me", 1 },
    { "didn't tell", "they did not tell me", 0 },
    /* elongation */
    { "so scammed", "I got sooo SCAMMMED", 1 },
    { "so scammed", "I got SO SCAMMED", 1 },
    { "scammed", "scamed by them", 1 },
    { "no pressure", "nooooo pressure", 1 },
    { "ad", "please add it", 0 },
    /* star */
    { "fee*", "three fees", 1 },
    { "fee*", "the fee.", 1 },
    { "fee*", "coffee", 0 },
    { "hidden fee*", "hidden feeees", 1 },
    /* gap */
    { "tell .. fee", "tell me about the fee", 1 },
    { "tell .. fee", "tell fee", 1 },
    { "tell .. fee", "tell me about all the fee", 0 },
    { "tell .. fee", "tell me XXXX the fee", 1 },
    { "tell .. fee", "tell me. The fee", 0 },
    /* word boundaries, case, separators */
    { "scam", "what a scampi", 0 },
    { "scam", "a SCAM!", 1 },
    { "scam", "\xc3\xa9scam", 0 },
    { "bait and switch", "classic bait-and-switch", 1 },
    { "bait and switch", "bait\nand switch", 0 },
    { "bait and switch", "bait & switch", 0 },
    { "hidden fee", "hidden. fee", 0 },
    { "hidden fee", "hidden; fee", 0 },
    { "hidden fee", "a \xe2\x80\x9chidden\xe2\x80\x9d fee", 1 },
    { "hidden fee", "hidden\xc2\xa0" "fee", 1 },
    { "add-on", "an addon", 1 },
    { "add-on", "an add on", 1 },
    { "add-on", "an add-on", 1 },
    { "$0 down", "it was $0 down they said", 1 },
    { "caf\xc3\xa9", "CAF\xc3\x89 prices", 1 },
};

static void test_phrases(void)
{
    size_t i;

    for (i = 0; i < sizeof(phrase_cases) / sizeof(phrase_cases[0]); i++) {
        int r = phrase_matches(phrase_cases[i].phrase, phrase_cases[i].text);

        CHECK_MSG(r == phrase_cases[i].want, "phrase '%s' on '%s': %d, want %d",
                  phrase_cases[i].phrase, phrase_cases[i].text, r, phrase_cases[i].want);
    }
}

static void test_phrase_errors(void)
{
    static const struct {
        const char *phrase, *msg;
    } cases[] = {
        { "", "empty phrase" },
        { "   ", "empty phrase" },
        { ".. a", "'..' must stand between two words" },
        { "a ..", "'..' must stand between two words" },
        { "a .. .. b", "'..' must stand between two words" },
        { "*", "'*' must follow a word" },
        { "f*o", "'*' is allowed only at the end of a word ('f*o')" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_buf re;
        char msg[256];

        cnd_buf_init(&re, 0);
        CHECK_INT(cnd_phrase_to_regex(cases[i].phrase, &re, msg, sizeof(msg)), CND_EPARSE);
        CHECK_STR(msg, cases[i].msg);
        cnd_buf_release(&re);
    }
}

static void test_regex_errors(void)
{
    char msg[256];
    size_t off = 99;
    int err = 0;
    struct cnd_re *re = cnd_re_compile("ab(c", 4, msg, sizeof(msg), &off, &err);

    CHECK(re == NULL);
    CHECK_INT(err, CND_EPARSE);
    CHECK_INT(off, 4);
    CHECK(strstr(msg, "missing closing parenthesis") != NULL);
    re = cnd_re_compile("a[b", 3, msg, sizeof(msg), &off, &err);
    CHECK(re == NULL);
    CHECK_INT(err, CND_EPARSE);
    CHECK(strstr(msg, "missing terminating ]") != NULL);
    re = cnd_re_compile("fee\\w+", 6, msg, sizeof(msg), &off, &err);
    CHECK(re != NULL);
    CHECK_INT(err, 0);
    cnd_re_free(re);
    cnd_re_free(NULL);
}

static void test_hostile_regex(void)
{
    size_t n = 20000, off, ms = 0, me = 0;
    char *text = malloc(n + 2), msg[256];
    struct cnd_re *re;
    struct cnd_matcher *m = cnd_matcher_new();
    int err = 0;

    CHECK(text != NULL && m != NULL);
    if (text == NULL || m == NULL) {
        free(text);
        cnd_matcher_free(m);
        return;
    }
    memset(text, 'a', n);
    text[n] = 'b';
    text[n + 1] = '\0';
    re = cnd_re_compile("(a+)+$", 6, msg, sizeof(msg), &off, &err);
    CHECK(re != NULL);
    if (re != NULL) {
        CHECK_INT(cnd_re_match(m, re, text, n + 1, 0, &ms, &me), CND_ELIMIT);
        /* the matcher is still usable afterwards */
        CHECK_INT(cnd_re_match(m, re, "aaa", 3, 0, &ms, &me), 1);
        CHECK_INT(ms, 0);
        CHECK_INT(me, 3);
        cnd_re_free(re);
    }
    /* deep recursion in the interpreter and JIT stack use */
    re = cnd_re_compile("(?:(a)|b)*c", 11, msg, sizeof(msg), &off, &err);
    CHECK(re != NULL);
    if (re != NULL) {
        int r = cnd_re_match(m, re, text, n + 1, 0, &ms, &me);

        CHECK(r == 0 || r == CND_ELIMIT);
        cnd_re_free(re);
    }
    cnd_matcher_free(m);
    free(text);
}

static void test_invalid_utf8_subject(void)
{
    const char *text = "caf\xe9 \xff\xfe scam \xc3";
    struct cnd_re *re;
    struct cnd_matcher *m = cnd_matcher_new();
    char msg[256];
    size_t off, ms = 0, me = 0;
    int err = 0;

    CHECK(m != NULL);
    re = cnd_re_compile("\\bscam\\b", 8, msg, sizeof(msg), &off, &err);
    CHECK(re != NULL);
    if (re != NULL && m != NULL) {
        CHECK_INT(cnd_re_match(m, re, text, strlen(text), 0, &ms, &me), 1);
        CHECK_INT(ms, 8);
        CHECK_INT(me, 12);
        /* starting inside the invalid bytes is fine too */
        CHECK_INT(cnd_re_match(m, re, text, strlen(text), 5, &ms, &me), 1);
        CHECK_INT(cnd_re_match(m, re, text, strlen(text), 13, &ms, &me), 0);
    }
    cnd_re_free(re);
    re = cnd_re_compile("\\w+", 3, msg, sizeof(msg), &off, &err);
    if (re != NULL && m != NULL) {
        CHECK_INT(cnd_re_match(m, re, "\xff\xfe\xc3", 3, 0, &ms, &me), 0);
    }
    cnd_re_free(re);
    cnd_matcher_free(m);
}

/*
 * A match must start at or before the limit (the prefilter's window), on
 * the JIT's fast path as on the interpreter's.
 */
static void test_offset_limit(void)
{
    const char *text = "xx fee yy fee";
    struct cnd_re *re;
    struct cnd_matcher *m = cnd_matcher_new();
    char msg[256];
    size_t off, ms = 0, me = 0, n = strlen(text);
    int err = 0;

    CHECK(m != NULL);
    re = cnd_re_compile("\\bfee\\b", 7, msg, sizeof(msg), &off, &err);
    CHECK(re != NULL);
    if (re != NULL && m != NULL) {
        CHECK(cnd_re_jitted(re));   /* PCRE2 on Debian 12 amd64 has the JIT */
        CHECK_INT(cnd_re_match_within(m, re, text, n, 0, 2, &ms, &me), 0);
        CHECK_INT(cnd_re_match_within(m, re, text, n, 0, 3, &ms, &me), 1);
        CHECK_INT(ms, 3);
        CHECK_INT(cnd_re_match_within(m, re, text, n, 4, 9, &ms, &me), 0);
        CHECK_INT(cnd_re_match_within(m, re, text, n, 4, 10, &ms, &me), 1);
        CHECK_INT(ms, 10);
        CHECK_INT(me, 13);
        CHECK_INT(cnd_re_match_within(m, re, text, n, 11, 100, &ms, &me), 0);
    }
    cnd_re_free(re);
    cnd_matcher_free(m);
}

static void test_normalization(void)
{
    struct cnd_norm n;
    /* "Soooo “HIDDEN” fee\u200b—x" */
    const char *t = "Soooo \xe2\x80\x9cHIDDEN\xe2\x80\x9d fee\xe2\x80\x8b\xe2\x80\x94XXXX";

    memset(&n, 0, sizeof(n));
    CHECK_INT(cnd_norm_run(&n, t, strlen(t)), 0);
    CHECK_STR(n.text, "so \"hidden\" fee-xxxx");
    /* the collapsed run maps back to all five letters */
    CHECK_INT(cnd_norm_ostart(&n, 1), 1);
    CHECK_INT(cnd_norm_oend(&n, 1), 5);
    /* the curly quote maps to its three bytes */
    CHECK_INT(cnd_norm_ostart(&n, 3), 6);
    CHECK_INT(cnd_norm_oend(&n, 3), 9);
    CHECK_INT(cnd_norm_ostart(&n, 4), 9);
    CHECK_INT(cnd_norm_oend(&n, 4), 10);
    CHECK_INT(cnd_norm_ostart(&n, 0), 0);
    CHECK_INT(cnd_norm_oend(&n, 0), 1);
    /* the dash after the dropped zero-width space */
    CHECK_INT(cnd_norm_ostart(&n, 15), 25);
    CHECK_INT(cnd_norm_oend(&n, 15), 28);
    CHECK_INT(cnd_norm_ostart(&n, n.len), strlen(t));
    CHECK_INT(cnd_norm_run(&n, "", 0), 0);
    CHECK_INT(n.len, 0);
    cnd_norm_release(&n);
}

static void test_alloc_failures(void)
{
    unsigned long n;
    int ok = 0;

    for (n = 1; n < 10000 && !ok; n++) {
        char msg[256];
        size_t off, ms, me;
        int err = 0;
        struct cnd_re *re;
        struct cnd_matcher *m;

        cnd_alloc_fail_at(n);
        re = cnd_re_compile("hidden\\s+fees?", 14, msg, sizeof(msg), &off, &err);
        m = re ? cnd_matcher_new() : NULL;
        cnd_alloc_fail_at(0);
        if (re == NULL) {
            CHECK_INT(err, CND_ENOMEM);
        }
        if (re != NULL && m != NULL) {
            CHECK_INT(cnd_re_match(m, re, "a hidden fee", 12, 0, &ms, &me), 1);
            ok = 1;
        }
        cnd_matcher_free(m);
        cnd_re_free(re);
    }
    CHECK(ok);
}

TEST_LIST = {
    { "phrases", test_phrases },
    { "phrase_errors", test_phrase_errors },
    { "regex_errors", test_regex_errors },
    { "hostile_regex", test_hostile_regex },
    { "invalid_utf8_subject", test_invalid_utf8_subject },
    { "offset_limit", test_offset_limit },
    { "normalization", test_normalization },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
