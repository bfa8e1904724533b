/* SPDX-License-Identifier: MIT */
/*
 * Lexicon parsing: the unit-test lexicon loads with the expected counts
 * and version; every error message names its line (and parsing goes on,
 * so several errors are all reported); warnings for patterns without a
 * prefilter literal; allocation failure at every step.
 */
#include "tests/unit/check.h"

#include "analyze/analyze.h"
#include "common/alloc.h"
#include "common/err.h"
#include "common/hash.h"

#define UNIT_LEX CND_SRC_DIR "/tests/data/lexicon_unit.lex"

static struct cnd_lexicon *parse(const char *text, struct cnd_buf *errors, int *err)
{
    cnd_buf_reset(errors);
    return cnd_lexicon_parse("t.lex", text, strlen(text), errors, err);
}

static void test_unit_file(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    struct cnd_sha256 sha;
    char hex[65], buf[65536];
    FILE *fp;
    size_t n;
    int err = 0;

    cnd_buf_init(&errors, 0);
    lex = cnd_lexicon_load(UNIT_LEX, &errors, &err);
    CHECK(lex != NULL);
    CHECK_INT(errors.len, 0);
    if (lex == NULL) {
        fprintf(stderr, "%s", errors.data ? errors.data : "");
        cnd_buf_release(&errors);
        return;
    }
    CHECK_INT(cnd_lexicon_n_categories(lex), 4);
    CHECK_STR(cnd_lexicon_category(lex, 0), "hidden_fees");
    CHECK_STR(cnd_lexicon_category(lex, 3), "bait_and_switch");
    CHECK(cnd_lexicon_category(lex, 4) == NULL);
    CHECK_INT(cnd_lexicon_n_rules(lex), 12);

    /* the version is the first 16 hex digits of the file's SHA-256 */
    fp = fopen(UNIT_LEX, "rb");
    CHECK(fp != NULL);
    if (fp != NULL) {
        n = fread(buf, 1, sizeof(buf), fp);
        fclose(fp);
        cnd_sha256_init(&sha);
        cnd_sha256_update(&sha, buf, n);
        cnd_sha256_final_hex(&sha, hex);
        hex[16] = '\0';
        CHECK_STR(cnd_lexicon_version(lex), hex);
    }
    cnd_lexicon_free(lex);
    cnd_lexicon_free(NULL);
    cnd_buf_release(&errors);
}

static void test_missing_file(void)
{
    struct cnd_buf errors;
    int err = 0;

    cnd_buf_init(&errors, 0);
    CHECK(cnd_lexicon_load("/nonexistent/dir/x.lex", &errors, &err) == NULL);
    CHECK_INT(err, CND_ENOENT);
    cnd_buf_release(&errors);
}

static void test_version_of_bytes(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *a, *b;
    int err = 0;

    cnd_buf_init(&errors, 0);
    /* sha256("category a\n") = 1fd5d7a6... checked against sha256sum */
    a = parse("category a\n", &errors, &err);
    b = parse("category a\n# comment\n", &errors, &err);
    CHECK(a != NULL && b != NULL);
    if (a && b) {
        CHECK_INT(strlen(cnd_lexicon_version(a)), 16);
        CHECK(strcmp(cnd_lexicon_version(a), cnd_lexicon_version(b)) != 0);
    }
    cnd_lexicon_free(a);
    cnd_lexicon_free(b);
    cnd_buf_release(&errors);
}

/* Every error: the text and the exact line expected in the errors. */
static const struct {
    const char *text;
    const char *want;
} bad_cases[] = {
    { "category a\nfrobnicate 1\n", "t.lex:2: unknown directive 'frobnicate'\n" },
    { "category a\nphrase r1 a x1 foo\n", "t.lex:2: bad weight 'x1' (want a decimal from 0 to 1000)\n" },
    { "category a\nphrase r1 a -1 foo\n", "t.lex:2: bad weight '-1' (want a decimal from 0 to 1000)\n" },
    { "category a\nphrase r1 a 1001 foo\n", "t.lex:2: bad weight '1001' (want a decimal from 0 to 1000)\n" },
    { "category a\nphrase r1 a 1 foo\nphrase r1 a 1 bar\n",
      "t.lex:3: duplicate id 'r1' (first at line 2)\n" },
    { "category a\nnegator n1 not\ncue n1 ad 0.5 buy now\n",
      "t.lex:3: duplicate id 'n1' (first at line 2)\n" },
    { "category a\nphrase r1 b 1 foo\n",
      "t.lex:2: unknown category 'b' (declare it with 'category' before its rules)\n" },
    { "phrase r1 a 1 foo\ncategory a\n",
      "t.lex:1: unknown category 'a' (declare it with 'category' before its rules)\n" },
    { "category a\nregex r1 a 1 /foo(bar/\n",
      "t.lex:2: regex 'r1' does not compile at offset 7: missing closing parenthesis\n" },
    { "category a\ncue c1 sarcasm 0.5 yeah right\n",
      "t.lex:2: unknown cue type 'sarcasm' (want question, hypothetical, contrast, ad, news, "
      "figurative, praise or experience)\n" },
    { "category a\ncue c1 ad 0.5\n", "t.lex:2: empty phrase\n" },
    { "category a\nnegator n1\n", "t.lex:2: empty phrase\n" },
    { "category a\ncue c1 ad\n", "t.lex:2: cue wants ID TYPE MULTIPLIER PHRASE-or-/REGEX/\n" },
    { "category a\ncue c1 ad lots buy now\n",
      "t.lex:2: bad multiplier 'lots' (want a decimal from 0 to 1000)\n" },
    { "category a\nphrase r1 a 1\n", "t.lex:2: phrase wants ID CATEGORY WEIGHT PHRASE\n" },
    { "category a\nphrase r1 a 1 .. foo\n", "t.lex:2: bad phrase: '..' must stand between two words\n" },
    { "category a\nphrase r1 a 1 foo ..\n", "t.lex:2: bad phrase: '..' must stand between two words\n" },
    { "category a\nphrase r1 a 1 foo .. .. bar\n",
      "t.lex:2: bad phrase: '..' must stand between two words\n" },
    { "category a\nphrase r1 a 1 f*o\n",
      "t.lex:2: bad phrase: '*' is allowed only at the end of a word ('f*o')\n" },
    { "category a\nphrase r1 a 1 foo *\n", "t.lex:2: bad phrase: '*' must follow a word\n" },
    { "category a\nphrase r1 a 1 /foo/\n",
      "t.lex:2: a phrase cannot start with '/' (use 'regex' for /REGEX/)\n" },
    { "category a\nregex r1 a 1 foo\n", "t.lex:2: regex must be written /PATTERN/\n" },
    { "category a\nregex r1 a 1 /foo\n",
      "t.lex:2: regex must be written /PATTERN/ (no closing '/')\n" },
    { "category a\nregex r1 a 1 //\n", "t.lex:2: empty regex\n" },
    { "category a\nregex r1 a 1 need=,x /foo/\n", "t.lex:2: empty literal in need= list\n" },
    { "category a\nregex r1 a 1 need=a\001b /foo/\n", "t.lex:2: control character in need= list\n" },
    { "category a\nregex r1 a 1 need=\\x /foo/\n",
      "t.lex:2: in a need= list a backslash only starts \\b (a word boundary)\n" },
    { "category a\nregex r1 a 1 need=ok\\ /foo/\n",
      "t.lex:2: in a need= list a backslash only starts \\b (a word boundary)\n" },
    { "category a\nregex r1 a 1 need=x,\\b\\b /foo/\n", "t.lex:2: empty literal in need= list\n" },
    { "category a\nregex r1 a 1 need=foo bar\n", "t.lex:2: need= must be followed by a /REGEX/\n" },
    { "category a\nphrase R1 a 1 foo\n",
      "t.lex:2: bad id 'R1' (want lowercase letters, digits, '_', '.', '-')\n" },
    { "category a\ncategory a\n", "t.lex:2: duplicate category 'a' (first at line 1)\n" },
    { "category A-b\n", "t.lex:1: bad category name 'A-b' (want lowercase letters, digits and '_')\n" },
    { "category a b\n", "t.lex:1: category wants one name\n" },
    { "category a\nthreshold abc\n", "t.lex:2: bad number 'abc' (want a decimal from 0 to 1000)\n" },
    { "category a\nthreshold 1\nthreshold 2\n", "t.lex:3: duplicate threshold (first at line 2)\n" },
    { "category a\nthreshold\n", "t.lex:2: threshold wants one number\n" },
    { "category a\nexperience_missing 1 2\n", "t.lex:2: experience_missing wants one number\n" },
    { "category a\nnegation_scope 2.5\n",
      "t.lex:2: bad negation_scope '2.5' (want a whole number from 0 to 50)\n" },
    { "category a\nnegation_scope 51\n",
      "t.lex:2: bad negation_scope '51' (want a whole number from 0 to 50)\n" },
    { "category a\nstopwords\n", "t.lex:2: stopwords wants at least one word\n" },
    { "threshold 1\n# nothing else\n", "t.lex:2: no category declared\n" },
    { "category a\nphrase r1 a 1 caf\xc3(\n", "t.lex:2: invalid utf-8 at byte 18 of the line\n" },
};

static void test_errors(void)
{
    struct cnd_buf errors;
    size_t i;

    cnd_buf_init(&errors, 0);
    for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        int err = 0;
        struct cnd_lexicon *lex = parse(bad_cases[i].text, &errors, &err);

        CHECK_MSG(lex == NULL, "case %zu loaded", i);
        CHECK_MSG(err == CND_EPARSE, "case %zu: err %d", i, err);
        CHECK_MSG(errors.data != NULL && strcmp(errors.data, bad_cases[i].want) == 0,
                  "case %zu: got \"%s\" want \"%s\"", i, errors.data ? errors.data : "",
                  bad_cases[i].want);
        cnd_lexicon_free(lex);
    }
    cnd_buf_release(&errors);
}

static void test_all_errors_reported(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    int err = 0;

    cnd_buf_init(&errors, 0);
    lex = parse("category a\n"
                "phrase ok1 a 1 fine words\n"
                "bogus\n"
                "phrase r2 a one two\n"
                "\n"
                "# comment\n"
                "regex r3 a 1 /(/\n"
                "phrase ok2 a 1 more fine words\n",
                &errors, &err);
    CHECK(lex == NULL);
    CHECK_INT(err, CND_EPARSE);
    CHECK(errors.data != NULL && strstr(errors.data, "t.lex:3: unknown directive 'bogus'\n"));
    CHECK(errors.data != NULL && strstr(errors.data, "t.lex:4: bad weight 'one'"));
    CHECK(errors.data != NULL && strstr(errors.data, "t.lex:7: regex 'r3' does not compile"));
    {
        size_t lines = 0, i;

        for (i = 0; i < errors.len; i++) {
            lines += errors.data[i] == '\n';
        }
        CHECK_INT(lines, 3);
    }
    cnd_buf_release(&errors);
}

static void test_syntax_accepted(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    int err = 0;

    cnd_buf_init(&errors, 0);
    /* CRLF, tabs, '#' inside a pattern, need= lists, cue with a regex, comments */
    lex = parse("# header\r\n"
                "threshold\t0.75\r\n"
                "negation_scope 0\r\n"
                "category a_1\r\n"
                "  # indented comment\r\n"
                "phrase  x.1\ta_1  .5   #hashtag deal*\r\n"
                "regex   x.2  a_1  2  need=foo,bar /(?:foo|bar) #1/\r\n"
                "negator n.1 didn't\r\n"
                "cue     c.1 question 0.5 need=? /\\?/\r\n"
                "stopwords The AND\r\n",
                &errors, &err);
    CHECK(lex != NULL);
    CHECK_INT(errors.len, 0);
    if (lex != NULL) {
        CHECK_INT(cnd_lexicon_n_rules(lex), 2);
        CHECK_STR(cnd_lexicon_category(lex, 0), "a_1");
    }
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
}

static void test_warnings(void)
{
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    int err = 0;

    cnd_buf_init(&errors, 0);
    lex = parse("category a\n"
                "regex r1 a 1 /(?:hidden|junk)\\s+fee/\n"
                "regex r2 a 1 /\\w+ly|\\d+/\n"
                "regex r3 a 1 need=fee,charge /\\bfee\\b|charge/\n"
                "regex r4 a 1 /[a-z]+x/\n",
                &errors, &err);
    CHECK(lex != NULL);
    CHECK(errors.data != NULL && strstr(errors.data, "t.lex:3: warning: regex 'r2' has no literal "
                                                     "for the prefilter, so it is tried on every "
                                                     "post (add need=...)\n"));
    CHECK(errors.data != NULL && strstr(errors.data, "t.lex:5: warning: regex 'r4'"));
    CHECK(errors.data != NULL && strstr(errors.data, "'r1'") == NULL);
    CHECK(errors.data != NULL && strstr(errors.data, "'r3'") == NULL);
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
}

static void test_alloc_failures(void)
{
    FILE *fp = fopen(UNIT_LEX, "rb");
    char text[65536];
    size_t len = 0;
    unsigned long n;
    int ok = 0;

    CHECK(fp != NULL);
    if (fp == NULL) {
        return;
    }
    len = fread(text, 1, sizeof(text) - 1, fp);
    fclose(fp);
    text[len] = '\0';
    for (n = 1; n < 200000; n++) {
        struct cnd_buf errors;
        struct cnd_lexicon *lex;
        int err = 0;

        cnd_buf_init(&errors, 0);
        cnd_alloc_fail_at(n);
        lex = cnd_lexicon_parse("unit", text, len, &errors, &err);
        cnd_alloc_fail_at(0);
        if (lex != NULL) {
            ok = 1;
            CHECK_INT(cnd_lexicon_n_rules(lex), 12);
            cnd_lexicon_free(lex);
            cnd_buf_release(&errors);
            break;
        }
        CHECK_MSG(err == CND_ENOMEM, "allocation %lu: err %d", n, err);
        cnd_buf_release(&errors);
        if (err != CND_ENOMEM) {
            break;
        }
    }
    CHECK(ok);
    CHECK(n > 10);
}

TEST_LIST = {
    { "unit_file", test_unit_file },
    { "missing_file", test_missing_file },
    { "version_of_bytes", test_version_of_bytes },
    { "errors", test_errors },
    { "all_errors_reported", test_all_errors_reported },
    { "syntax_accepted", test_syntax_accepted },
    { "warnings", test_warnings },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
