/* SPDX-License-Identifier: MIT */
/*
 * The brand watchlist: names and aliases on word boundaries, case
 * insensitive, @handles and #hashtags as written, multi-word names with
 * any whitespace, watchlist order, deduplication, letters outside ASCII
 * as word characters, the mentions' spans, and through the analyzer into
 * the verdict, including which of several brands a complaint is about.
 */
#include "tests/unit/check.h"

#include "analyze/analyze.h"
#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

static char n_acme[] = "Acme";
static char n_contoso[] = "Contoso Cable";
static char n_fab[] = "Fabrikam";
static char n_att[] = "AT&T";
static char a_acme1[] = "@acmebank";
static char a_acme2[] = "ACME Corp";
static char a_contoso1[] = "@contosocable";
static char a_contoso2[] = "#contoso";
static char a_fab1[] = "  Fabrikam   Motors ";
static char *acme_aliases[] = { a_acme1, a_acme2 };
static char *contoso_aliases[] = { a_contoso1, a_contoso2 };
static char *fab_aliases[] = { a_fab1 };

static const struct cnd_brand watchlist[] = {
    { n_acme, acme_aliases, 2 },
    { n_contoso, contoso_aliases, 2 },
    { n_fab, fab_aliases, 1 },
    { n_att, NULL, 0 },
};

#define N_WATCH (sizeof(watchlist) / sizeof(watchlist[0]))

static const struct {
    const char *text;
    const char *want;   /* names found, joined by '|' */
} cases[] = {
    { "I love Acme", "Acme" },
    { "acme and ACME and aCmE", "Acme" },
    { "the acmeist movement", "" },
    { "subacme parts", "" },
    { "Acme's prices", "Acme" },
    { "Acme\xe2\x80\x99s prices", "Acme" },
    { "(acme)", "Acme" },
    { "acme_bank", "" },
    { "ping @AcmeBank now", "Acme" },
    { "ping @acmebanking now", "" },
    { "contoso cable is slow", "Contoso Cable" },
    { "Contoso\n\t  CABLE is slow", "Contoso Cable" },
    { "Contoso\xc2\xa0" "Cable is slow", "Contoso Cable" },
    { "ContosoCable is slow", "" },
    { "contoso is slow", "" },
    { "#contoso is slow", "Contoso Cable" },
    { "#contosofail", "" },
    { "@contosocable hi", "Contoso Cable" },
    { "Contoso Cables", "" },
    { "fabrikam motors and acme", "Acme|Fabrikam" },
    { "Contoso Cable, then Acme, then Contoso Cable again", "Acme|Contoso Cable" },
    { "AT&T charged me", "AT&T" },
    { "at&tx", "" },
    { "nothing here", "" },
    { "", "" },
    { "ACME CORP and acme corporation", "Acme" },
    { "\xff\xfe acme \xc3", "Acme" },
    /* letters outside ASCII are word characters: no brand inside a longer word */
    { "Acme\xc3\xa9 caf\xc3\xa9", "" },
    { "\xc3\xa9" "acme", "" },
    { "\xd0\x96" "acme", "" },
    /* but punctuation, symbols and CJK text (no spaces) are not */
    { "\xe6\x88\x91\xe7\x94\xa8" "acme" "\xe7\x9a\x84", "Acme" },
    { "acme\xe2\x80\x94" "cheap", "Acme" },
    { "\xc2\xab" "acme\xc2\xbb", "Acme" },
    { "acme\xc3\x97" "2", "Acme" },
};

static void join(const char **names, size_t n, char *out, size_t cap)
{
    size_t i;

    out[0] = '\0';
    for (i = 0; i < n; i++) {
        if (i > 0) {
            strncat(out, "|", cap - strlen(out) - 1);
        }
        strncat(out, names[i], cap - strlen(out) - 1);
    }
}

static void test_find(void)
{
    int err = 0;
    struct cnd_brands *b = cnd_brands_new(watchlist, N_WATCH, &err);
    const char *found[CND_MAX_VERDICT_BRANDS];
    char got[256];
    size_t i;

    CHECK(b != NULL);
    if (b == NULL) {
        return;
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = cnd_brands_find(b, cases[i].text, strlen(cases[i].text), found,
                                   CND_MAX_VERDICT_BRANDS);

        join(found, n, got, sizeof(got));
        CHECK_MSG(strcmp(got, cases[i].want) == 0, "'%s': got '%s' want '%s'", cases[i].text, got,
                  cases[i].want);
    }
    /* "max" bounds the output */
    CHECK_INT(cnd_brands_find(b, "acme contoso cable", 18, found, 1), 1);
    CHECK_STR(found[0], "Acme");
    cnd_brands_free(b);
    cnd_brands_free(NULL);
}

static void test_hits(void)
{
    int err = 0;
    struct cnd_brands *b = cnd_brands_new(watchlist, N_WATCH, &err);
    const char *found[CND_MAX_VERDICT_BRANDS];
    const struct cnd_brand_hit *hits;
    const char *text = "Fabrikam Motors, then #contoso, then acme and ACME Corp.";
    size_t n;

    CHECK(b != NULL);
    if (b == NULL) {
        return;
    }
    CHECK_INT(cnd_brands_find(b, text, strlen(text), found, CND_MAX_VERDICT_BRANDS), 3);
    n = cnd_brands_hits(b, &hits);
    /* every mention, by start; a longer variant first where two start together */
    CHECK_INT(n, 6);
    if (n == 6) {
        CHECK_INT(hits[0].start, 0);
        CHECK_INT(hits[0].end, 15);
        CHECK_STR(cnd_brands_name(b, hits[0].brand), "Fabrikam");
        CHECK_INT(hits[1].start, 0);
        CHECK_INT(hits[1].end, 8);
        CHECK_INT(hits[2].start, 22);
        CHECK_INT(hits[2].end, 30);
        CHECK_STR(cnd_brands_name(b, hits[2].brand), "Contoso Cable");
        CHECK_INT(hits[3].start, 37);
        CHECK_STR(cnd_brands_name(b, hits[3].brand), "Acme");
        CHECK_INT(hits[4].start, 46);
        CHECK_INT(hits[4].end, 55);
        CHECK_INT(hits[5].start, 46);
        CHECK_INT(hits[5].end, 50);
    }
    CHECK(cnd_brands_name(b, 99) == NULL);
    /* a new search forgets the old mentions */
    CHECK_INT(cnd_brands_find(b, "nothing", 7, found, CND_MAX_VERDICT_BRANDS), 0);
    CHECK_INT(cnd_brands_hits(b, &hits), 0);
    CHECK_INT(cnd_brands_hits(NULL, &hits), 0);
    CHECK(hits == NULL);
    cnd_brands_free(b);
}

/* Which brands a complaint naming two of them is attributed to. */
static void test_focus(void)
{
    static const struct {
        const char *text;
        int complaint;
        const char *want;   /* brands in the verdict, joined by '|' */
    } focus[] = {
        /* the text says which one: the other is where the author went, or praised */
        { "Switched from Acme to Fabrikam because Acme charged me twice.", 1, "Acme" },
        { "switched from @acmebank to #contoso because ACME charged me twice", 1, "Acme" },
        { "Left Fabrikam for Acme. Fabrikam charged me twice.", 1, "Fabrikam" },
        { "Fabrikam is great. But Acme charged me twice.", 1, "Acme" },
        { "Acme charged me twice, Fabrikam has been fine", 1, "Acme" },
        { "Fabrikam sold me the car, fine, no issue there. Acme charged me twice.", 1, "Acme" },
        { "Not Fabrikam's fault at all, it was Acme that charged me twice.", 1, "Acme" },
        { "Acme charged me twice! Fabrikam? not a word from them", 1, "Acme" },
        /* the text does not say: both */
        { "Acme and Fabrikam both charged me twice.", 1, "Acme|Fabrikam" },
        { "Booked with Acme, paid at Fabrikam: charged me twice.", 1, "Acme|Fabrikam" },
        { "Not Acme, Fabrikam charged me twice", 1, "Acme|Fabrikam" },
        /* each mention cleared: nobody is blamed, so both */
        { "Acme is great and Fabrikam is fine but charged me twice", 1, "Acme|Fabrikam" },
        /* not a complaint: every brand named is reported */
        { "Switched from Acme to Fabrikam, Fabrikam is great.", 0, "Acme|Fabrikam" },
    };
    const char *lexicon = "category a\nphrase r1 a 1 charged me twice\nnegator n1 not\n";
    struct cnd_buf errors, trace;
    struct cnd_lexicon *lex;
    struct cnd_analyzer *an = NULL;
    struct cnd_verdict v;
    struct cnd_post p;
    char got[256];
    size_t i;
    int err = 0;

    cnd_buf_init(&errors, 0);
    cnd_buf_init(&trace, 0);
    lex = cnd_lexicon_parse("t", lexicon, strlen(lexicon), &errors, &err);
    CHECK(lex != NULL);
    if (lex != NULL) {
        an = cnd_analyzer_new(lex, watchlist, N_WATCH, -1, &err);
    }
    CHECK(an != NULL);
    for (i = 0; an != NULL && i < sizeof(focus) / sizeof(focus[0]); i++) {
        memset(&p, 0, sizeof(p));
        p.text.ptr = focus[i].text;
        p.text.len = strlen(focus[i].text);
        CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
        CHECK_MSG(v.complaint == focus[i].complaint, "'%s': complaint %d", focus[i].text,
                  v.complaint);
        join(v.brands, v.n_brands, got, sizeof(got));
        CHECK_MSG(strcmp(got, focus[i].want) == 0, "'%s': got '%s' want '%s'", focus[i].text,
                  got, focus[i].want);
    }
    if (an != NULL) {
        const char *t = focus[0].text;

        CHECK_INT(cnd_analyze_explain(an, t, strlen(t), &trace), 0);
        CHECK(trace.data != NULL && strstr(trace.data, "is cleared by the words around it"));
        CHECK(trace.data != NULL && strstr(trace.data, "brand focus: the complaint is about Acme"));
        cnd_analyzer_free(an);
    }
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
    cnd_buf_release(&trace);
}

/*
 * The probes every few bytes (all first words of 4 bytes or more) find the
 * same mentions as the automaton, which a watchlist with a shorter name
 * gets: random texts of name pieces in mixed case, glued or spaced, with
 * past CND_MAX_BRAND_HITS mentions in some.
 */
static void test_probes_as_automaton(void)
{
    static char n_north[] = "Northwind Energy";
    static char a_north[] = "#northwind";
    static char n_tail[] = "tailspin";
    static char a_tail[] = "@tailspintravel";
    static char n_short[] = "Qz";   /* no piece of the texts: only forces the automaton */
    static char *north_aliases[] = { a_north };
    static char *tail_aliases[] = { a_tail };
    static const struct cnd_brand list[] = {
        { n_contoso, contoso_aliases, 2 },
        { n_north, north_aliases, 1 },
        { n_tail, tail_aliases, 1 },
        { n_short, NULL, 0 },
    };
    static const char *const pieces[] = {
        "contoso", "CONTOSO", "Contoso Cable", "contoso\xc2\xa0 cable", "@contosocable",
        "#contoso", "northwind", "Northwind  energy", "#NorthWind", "tailspin", "@tailspin",
        "@tailspintravel", "tail", "spin", "north", "\xc3\xa9", "\xe6\x88\x91", " ", "  ",
        ", ", "x", "_", "the",
    };
    int round, capped = 0, err = 0;
    struct cnd_brands *probes = cnd_brands_new(list, 3, &err);
    struct cnd_brands *acm = cnd_brands_new(list, 4, &err);
    const char *f1[CND_MAX_VERDICT_BRANDS], *f2[CND_MAX_VERDICT_BRANDS];
    const struct cnd_brand_hit *h1, *h2;
    unsigned seed = 12345;
    char text[2048];

    CHECK(probes != NULL && acm != NULL);
    for (round = 0; round < 3000 && probes != NULL && acm != NULL; round++) {
        size_t len = 0, n1, n2, k, words;

        seed = seed * 1103515245u + 12345u;
        words = (seed >> 16) % (round % 10 == 0 ? 300 : 30);
        while (words-- > 0) {
            const char *w;

            seed = seed * 1103515245u + 12345u;
            w = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
            if (len + strlen(w) + 1 >= sizeof(text)) {
                break;
            }
            memcpy(text + len, w, strlen(w));
            len += strlen(w);
            if ((seed >> 8) & 1) {
                text[len++] = ' ';
            }
        }
        n1 = cnd_brands_find(probes, text, len, f1, CND_MAX_VERDICT_BRANDS);
        n2 = cnd_brands_find(acm, text, len, f2, CND_MAX_VERDICT_BRANDS);
        CHECK_INT(n1, n2);
        CHECK_INT(cnd_brands_hits(probes, &h1), cnd_brands_hits(acm, &h2));
        n1 = cnd_brands_hits(probes, &h1);
        capped += n1 == CND_MAX_BRAND_HITS;
        for (k = 0; k < n1 && n1 == cnd_brands_hits(acm, &h2); k++) {
            CHECK_MSG(h1[k].brand == h2[k].brand && h1[k].start == h2[k].start &&
                      h1[k].end == h2[k].end, "round %d, mention %zu", round, k);
        }
    }
    CHECK(capped > 0);
    cnd_brands_free(probes);
    cnd_brands_free(acm);
}

static void test_empty_and_duplicate_names(void)
{
    static char empty[] = "   ";
    static char dup[] = "acme";
    struct cnd_brand list[] = { { empty, NULL, 0 }, { n_acme, NULL, 0 }, { dup, NULL, 0 } };
    const char *found[4];
    int err = 0;
    struct cnd_brands *b = cnd_brands_new(list, 3, &err);

    CHECK(b != NULL);
    if (b == NULL) {
        return;
    }
    /* the empty name never matches; two entries naming one brand: both reported by name */
    CHECK_INT(cnd_brands_find(b, "   acme  ", 9, found, 4), 2);
    CHECK_STR(found[0], "Acme");
    CHECK_STR(found[1], "acme");
    cnd_brands_free(b);
}

static void test_through_analyzer(void)
{
    const char *lexicon = "category a\nphrase r1 a 1 surprise fee\n";
    struct cnd_buf errors;
    struct cnd_lexicon *lex;
    struct cnd_analyzer *an = NULL;
    struct cnd_verdict v;
    struct cnd_post p;
    struct cnd_buf out;
    int err = 0;

    cnd_buf_init(&errors, 0);
    cnd_buf_init(&out, 0);
    lex = cnd_lexicon_parse("t", lexicon, strlen(lexicon), &errors, &err);
    CHECK(lex != NULL);
    if (lex != NULL) {
        an = cnd_analyzer_new(lex, watchlist, N_WATCH, -1, &err);
    }
    CHECK(an != NULL);
    if (an != NULL) {
        memset(&p, 0, sizeof(p));
        p.id.ptr = "9";
        p.id.len = 1;
        p.text.ptr = "#contoso and @AcmeBank: surprise fee";
        p.text.len = strlen(p.text.ptr);
        CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
        CHECK_INT(v.n_brands, 2);
        CHECK_STR(v.brands[0], "Acme");
        CHECK_STR(v.brands[1], "Contoso Cable");
        CHECK_INT(v.complaint, 1);
        CHECK_INT(cnd_verdict_json(&v, &p, 0, &out), 0);
        CHECK(out.data != NULL && strstr(out.data, "\"brands\":[\"Acme\",\"Contoso Cable\"]"));
        /* brands are reported for posts in other languages too */
        p.lang.ptr = "de";
        p.lang.len = 2;
        CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
        CHECK_INT(v.n_brands, 2);
        CHECK_INT(v.complaint, 0);
        /* none */
        p.text.ptr = "no brand at all";
        p.text.len = strlen(p.text.ptr);
        CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
        CHECK_INT(v.n_brands, 0);
        cnd_analyzer_free(an);
    }
    cnd_lexicon_free(lex);
    cnd_buf_release(&errors);
    cnd_buf_release(&out);
}

static void test_alloc_failures(void)
{
    unsigned long n;
    int ok = 0;

    for (n = 1; n < 10000 && !ok; n++) {
        int err = 0;
        struct cnd_brands *b;

        cnd_alloc_fail_at(n);
        b = cnd_brands_new(watchlist, N_WATCH, &err);
        cnd_alloc_fail_at(0);
        if (b == NULL) {
            CHECK_INT(err, CND_ENOMEM);
            continue;
        }
        ok = 1;
        {
            const char *found[4];

            CHECK_INT(cnd_brands_find(b, "acme", 4, found, 4), 1);
        }
        cnd_brands_free(b);
    }
    CHECK(ok);
}

TEST_LIST = {
    { "hits", test_hits },
    { "focus", test_focus },
    { "find", test_find },
    { "probes_as_automaton", test_probes_as_automaton },
    { "empty_and_duplicate_names", test_empty_and_duplicate_names },
    { "through_analyzer", test_through_analyzer },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
