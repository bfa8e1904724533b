/* SPDX-License-Identifier: MIT */
/*
 * The classifier on tests/data/lexicon_unit.lex: each rule type, counting
 * once per post, negation scope and clause breaks, every cue type,
 * category order, language, evidence offsets into the original bytes,
 * how text is written (case, elongation, straight and curly apostrophes,
 * HTML character references, CFPB-style redaction),
 * hostile patterns, invalid UTF-8, a 1 MB text, the JSON verdict and the
 * explain output, and allocation failures.
 */
#include "tests/unit/check.h"

#include <math.h>

#include "analyze/analyze.h"
#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

#define UNIT_LEX CND_SRC_DIR "/tests/data/lexicon_unit.lex"

static struct cnd_lexicon *lex;
static struct cnd_analyzer *an;

static int setup(void)
{
    struct cnd_buf errors;
    int err = 0;

    if (an != NULL) {
        return 1;
    }
    cnd_buf_init(&errors, 0);
    lex = cnd_lexicon_load(UNIT_LEX, &errors, &err);
    if (lex == NULL) {
        fprintf(stderr, "%s", errors.data ? errors.data : "cannot load\n");
    }
    cnd_buf_release(&errors);
    if (lex != NULL) {
        an = cnd_analyzer_new(lex, NULL, 0, -1, &err);
    }
    CHECK(an != NULL);
    return an != NULL;
}

static struct cnd_post make_post(const char *text, const char *lang)
{
    struct cnd_post p;

    memset(&p, 0, sizeof(p));
    p.id.ptr = "p1";
    p.id.len = 2;
    p.text.ptr = text;
    p.text.len = strlen(text);
    if (lang != NULL) {
        p.lang.ptr = lang;
        p.lang.len = strlen(lang);
    }
    return p;
}

static int classify(const char *text, struct cnd_verdict *v)
{
    struct cnd_post p = make_post(text, NULL);

    return cnd_analyze_post(an, &p, v);
}

static int near(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* The weight of the evidence of rule "id", or -1 when it did not count. */
static double rule_weight(const struct cnd_verdict *v, const char *id)
{
    size_t i;

    for (i = 0; i < v->n_evidence; i++) {
        if (strcmp(v->evidence[i].rule, id) == 0) {
            return v->evidence[i].weight;
        }
    }
    return -1;
}

/* ---- Rules ---- */

static void test_rule_types(void)
{
    struct cnd_verdict v;

    if (!setup()) {
        return;
    }
    /* phrase, experience present */
    CHECK_INT(classify("They charged me a surprise fee.", &v), 0);
    CHECK_INT(v.complaint, 1);
    CHECK_INT(v.n_categories, 1);
    CHECK_STR(v.categories[0], "hidden_fees");
    CHECK(near(v.score, 1.5));
    CHECK(near(v.category_scores[0], 1.5));
    CHECK_STR(v.lang, "en");
    CHECK_INT(v.n_evidence, 1);
    CHECK_STR(v.evidence[0].rule, "fee.surprise");
    CHECK_STR(v.evidence[0].category, "hidden_fees");
    CHECK_INT(v.evidence[0].start, 18);
    CHECK_INT(v.evidence[0].end, 30);

    /* regex rule with need= literals */
    CHECK_INT(classify("My bill shows they charged me twice", &v), 0);
    CHECK(near(rule_weight(&v, "charge.twice"), 1.0));
    CHECK_INT(v.complaint, 1);
    CHECK_STR(v.categories[0], "unauthorized_charges");

    /* regex rule with an extracted literal */
    CHECK_INT(classify("The deal just sold out within minutes, they told me.", &v), 0);
    CHECK(near(rule_weight(&v, "bait.sold-out"), 0.7));
    CHECK_INT(v.complaint, 0);
    CHECK(near(v.score, 0.7));

    /* no experience cue: experience_missing (0.5) applies */
    CHECK_INT(classify("A surprise fee appeared.", &v), 0);
    CHECK_INT(v.complaint, 0);
    CHECK(near(v.score, 0.75));
    CHECK(near(rule_weight(&v, "fee.surprise"), 0.75));

    /* nothing */
    CHECK_INT(classify("Lovely weather for a walk today.", &v), 0);
    CHECK_INT(v.complaint, 0);
    CHECK_INT(v.n_evidence, 0);
    CHECK(near(v.score, 0));
}

static void test_once_per_post(void)
{
    struct cnd_verdict v;

    if (!setup()) {
        return;
    }
    CHECK_INT(classify("Surprise fee here, surprise fee there, charged me surprise fees.", &v), 0);
    CHECK_INT(v.n_evidence, 1);
    CHECK(near(v.score, 1.5));
    CHECK_INT(v.evidence[0].start, 0);
}

static void test_category_order(void)
{
    struct cnd_verdict v;

    if (!setup()) {
        return;
    }
    CHECK_INT(classify("They charged me a surprise fee and enrolled me without asking.", &v), 0);
    CHECK_INT(v.n_categories, 2);
    CHECK_STR(v.categories[0], "unauthorized_charges");
    CHECK_STR(v.categories[1], "hidden_fees");
    CHECK(near(v.score, 2.0));
    CHECK(near(v.category_scores[1], 1.5));
    /* evidence in text order */
    CHECK_STR(v.evidence[0].rule, "fee.surprise");
    CHECK_STR(v.evidence[1].rule, "charge.enrolled");

    /* a tie is broken by declaration order, whatever the text order */
    CHECK_INT(classify("Bait and switch! They enrolled me without asking, charged me.", &v), 0);
    CHECK_INT(v.n_categories, 2);
    CHECK_STR(v.categories[0], "unauthorized_charges");
    CHECK_STR(v.categories[1], "bait_and_switch");

    /* under the threshold: listed in evidence, not in categories */
    CHECK_INT(classify("They charged me, the add-on was pushed, I got scammed... enrolled me "
                       "without asking", &v), 0);
    CHECK_INT(v.n_categories, 2);
    CHECK_STR(v.categories[0], "unauthorized_charges");
    CHECK_STR(v.categories[1], "pressure_tactics");
    CHECK(near(rule_weight(&v, "bait.addon"), 0.4));
}

static void test_threshold_override(void)
{
    struct cnd_analyzer *a2;
    struct cnd_verdict v;
    struct cnd_post p = make_post("They charged me a surprise fee.", NULL);
    int err = 0;

    if (!setup()) {
        return;
    }
    a2 = cnd_analyzer_new(lex, NULL, 0, 5.0, &err);
    CHECK(a2 != NULL);
    if (a2 != NULL) {
        CHECK_INT(cnd_analyze_post(a2, &p, &v), 0);
        CHECK_INT(v.complaint, 0);
        CHECK(near(v.score, 1.5));
        cnd_analyzer_free(a2);
    }
    a2 = cnd_analyzer_new(lex, NULL, 0, 0.5, &err);
    CHECK(a2 != NULL);
    if (a2 != NULL) {
        p = make_post("A surprise fee appeared.", NULL);
        CHECK_INT(cnd_analyze_post(a2, &p, &v), 0);
        CHECK_INT(v.complaint, 1);
        cnd_analyzer_free(a2);
    }
}

/* ---- Negation ---- */

static void test_negation(void)
{
    static const struct {
        const char *text;
        const char *rule;
        int counted;
    } cases[] = {
        /* negator right before the match */
        { "They charged me, there was not a surprise fee.", "fee.surprise", 0 },
        { "No surprise fees at all, charged me what they said.", "fee.surprise", 0 },
        { "It wasn't a bait and switch.", "bait.classic", 0 },
        { "They never enrolled me without asking.", "charge.enrolled", 0 },
        /* two words between: inside a scope of 3 */
        { "Not at a surprise fee, charged me", "fee.surprise", 0 },
        { "Never in a surprise fee way", "fee.surprise", 0 },
        /* three or more words between: outside the scope */
        { "Not at all a surprise fee.", "fee.surprise", 1 },
        { "Not that I mind any surprise fee.", "fee.surprise", 1 },
        /* across a clause break: not negated */
        { "Not what I expected, surprise fee everywhere.", "fee.surprise", 1 },
        { "Not great but surprise fee everywhere.", "fee.surprise", 1 },
        { "Not great. Surprise fee everywhere.", "fee.surprise", 1 },
        /* a negator inside the rule's own match does not cancel it */
        { "The rep wouldn't take no for an answer.", "push.hard", 1 },
        /* negator after the match */
        { "A surprise fee, not nice.", "fee.surprise", 1 },
        /* first match negated, a later one counts */
        { "No surprise fee they said. Then a surprise fee came.", "fee.surprise", 1 },
    };
    struct cnd_verdict v;
    size_t i;

    if (!setup()) {
        return;
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK_INT(classify(cases[i].text, &v), 0);
        CHECK_MSG((rule_weight(&v, cases[i].rule) >= 0) == cases[i].counted,
                  "'%s': rule %s counted %d, want %d", cases[i].text, cases[i].rule,
                  rule_weight(&v, cases[i].rule) >= 0, cases[i].counted);
    }
    /* the later match is the evidence */
    CHECK_INT(classify("No surprise fee they said. Then a surprise fee came.", &v), 0);
    CHECK_INT(v.n_evidence, 1);
    CHECK_INT(v.evidence[0].start, 34);
}

/* ---- Cues ---- */

static void test_cues(void)
{
    static const struct {
        const char *text;
        const char *rule;
        double weight;
    } cases[] = {
        /* question: same sentence only */
        { "They charged me. Is a surprise fee normal?", "fee.surprise", 1.5 * 0.2 },
        { "They charged me a surprise fee. Is that normal?", "fee.surprise", 1.5 },
        /* several cues of one type: the strongest, once */
        { "They charged me. Really, a surprise fee?", "fee.surprise", 1.5 * 0.2 },
        { "They charged me. Really, a surprise fee.", "fee.surprise", 1.5 * 0.5 },
        /* hypothetical: sentence */
        { "What if there is a surprise fee. They charged me.", "fee.surprise", 1.5 * 0.3 },
        /* types multiply */
        { "What if there is a surprise fee? They charged me.", "fee.surprise", 1.5 * 0.3 * 0.2 },
        /* contrast: the clause before it, same sentence */
        { "They charged me a surprise fee, but it worked out.", "fee.surprise", 1.5 * 0.5 },
        { "They charged me a surprise fee. But it worked out.", "fee.surprise", 1.5 },
        { "A surprise fee, they charged me, but it worked out.", "fee.surprise", 1.5 },
        /* whole-post cues */
        { "They charged me a surprise fee. Use code SAVE10 at checkout.", "fee.surprise",
          1.5 * 0.1 },
        /* an ad cue inside double quotes is the seller's words quoted: not applied */
        { "They charged me a surprise fee. The ad said \"use code SAVE10\".", "fee.surprise",
          1.5 },
        { "They charged me a surprise fee. \"Save big\", the ad said, use code SAVE10.",
          "fee.surprise", 1.5 * 0.1 },
        { "\"Save big\"\nThey charged me a surprise fee. Use code SAVE10 at checkout.",
          "fee.surprise", 1.5 * 0.1 },
        { "The class action says they charged me a surprise fee.", "fee.surprise", 1.5 * 0.25 },
        { "My cat scammed me out of treats, charged me.", "push.scam", 0.0 },
        { "They charged me a surprise fee and I love it.", "fee.surprise", 1.5 * 0.4 },
        /* praise can be negated; experience cannot */
        { "They charged me a surprise fee and I do not love it.", "fee.surprise", 1.5 },
        { "They told me nothing about the surprise fee.", "fee.surprise", 1.5 },
        { "Nobody mentioned a surprise fee.", "fee.surprise", 1.5 * 0.5 },
    };
    struct cnd_verdict v;
    size_t i;

    if (!setup()) {
        return;
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double w;

        CHECK_INT(classify(cases[i].text, &v), 0);
        w = rule_weight(&v, cases[i].rule);
        CHECK_MSG(near(w, cases[i].weight), "'%s': weight %g, want %g", cases[i].text, w,
                  cases[i].weight);
    }
    /* a zero multiplier leaves no complaint */
    CHECK_INT(classify("My cat scammed me out of treats, charged me.", &v), 0);
    CHECK_INT(v.complaint, 0);
}

/* ---- Text handling ---- */

static void test_offsets(void)
{
    static const char *texts[] = {
        "They didn\xe2\x80\x99t tell me about the fee, charged me.",
        "Caf\xc3\xa9 \xe2\x98\x95 \xe2\x80\x94 they charged me a SURPRISE   FEES!!",
        "\xe2\x80\x9cSooo\xe2\x80\x9d, they SCAMMMED me. charged me",
        "\xef\xbb\xbf\xe2\x80\x8bThey charged me a surprise\302\240fee",
    };
    static const char *want[] = {
        "didn\xe2\x80\x99t tell me about the fee",
        "SURPRISE   FEES",
        "SCAMMMED",
        "surprise\302\240fee",
    };
    struct cnd_verdict v;
    size_t i;

    if (!setup()) {
        return;
    }
    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        const char *at = strstr(texts[i], want[i]);

        CHECK_INT(classify(texts[i], &v), 0);
        CHECK_MSG(v.n_evidence == 1, "text %zu: %zu evidence", i, v.n_evidence);
        if (v.n_evidence != 1 || at == NULL) {
            continue;
        }
        CHECK_INT(v.evidence[0].start, (size_t)(at - texts[i]));
        CHECK_INT(v.evidence[0].end - v.evidence[0].start, strlen(want[i]));
        CHECK(memcmp(texts[i] + v.evidence[0].start, want[i], strlen(want[i])) == 0);
        CHECK_INT(v.complaint, 1);
    }
}

/* One rule's fate on texts written in many ways. */
static void test_text_forms(void)
{
    static const struct {
        const char *text;
        const char *rule;
        double weight;   /* -1: not counted */
    } cases[] = {
        /* case and elongation */
        { "THEY CHARGED ME A SURPRISE FEE", "fee.surprise", 1.5 },
        { "they charged me a surprise feeee", "fee.surprise", 1.5 },
        { "they charged me a SUUURPRISE fee", "fee.surprise", 1.5 },
        { "they SCAAAMMED me, charged me", "push.scam", 1.0 },
        /* apostrophes: straight, curly, modifier letter, none */
        { "They didn't tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "They didn\xe2\x80\x99t tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "They didn\xca\xbct tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "They didnt tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "It wasn\xe2\x80\x99t a bait and switch.", "bait.classic", -1 },
        { "It wasnt a bait and switch.", "bait.classic", -1 },
        /* HTML character references, as some sources send them */
        { "They didn&#39;t tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "They didn&#x27;t tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "They didn&rsquo;t tell me about the fee. charged me", "fee.never-told", 1.0 },
        { "It wasn&apos;t a bait and switch.", "bait.classic", -1 },
        { "bait &amp; switch", "bait.classic", -1 },
        { "surprise&nbsp;fee, charged me", "fee.surprise", 1.5 },
        { "&amp;surprise fee, charged me", "fee.surprise", 1.5 },
        { "&bogus;surprise fee, charged me", "fee.surprise", 1.5 },
        /* CFPB redaction: masked tokens inside a phrase (up to two) and amounts */
        { "They charged me a surprise XXXX fee", "fee.surprise", 1.5 },
        { "They charged me a surprise XXXX XXXX fee", "fee.surprise", 1.5 },
        { "They charged me a surprise XXXX XXXX XXXX fee", "fee.surprise", -1 },
        { "They charged me a surprise {$500.00} fee", "fee.surprise", 1.5 },
        { "They charged me a surprise XX/XX/XXXX fee", "fee.surprise", 1.5 },
        { "They didn't tell me XXXX about the fee. charged me", "fee.never-told", 1.0 },
        /* ".." spans three words, masked ones included */
        { "They didn't tell me XXXX XXXX about the fee. charged me", "fee.never-told", -1 },
        /* a masked date or amount does not end the sentence (the question is in it) */
        { "They charged me on XX/XX/XXXX a surprise fee of {$35.00} ok?", "fee.surprise",
          1.5 * 0.2 },
        { "They charged me a surprise fee on XX/XX/XXXX. Why?", "fee.surprise", 1.5 },
        /* masked tokens are not shouting and not words: the post stays English */
        { "XXXX XXXX XXXX XXXX XXXX XXXX they charged me a surprise fee", "fee.surprise", 1.5 },
    };
    struct cnd_verdict v;
    size_t i;

    if (!setup()) {
        return;
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double w;

        CHECK_INT(classify(cases[i].text, &v), 0);
        w = rule_weight(&v, cases[i].rule);
        CHECK_MSG(near(w, cases[i].weight), "'%s': %s weight %g, want %g", cases[i].text,
                  cases[i].rule, w, cases[i].weight);
    }
    /* the evidence is the text as written, entity and all */
    CHECK_INT(classify("They didn&#39;t tell me about the fee. charged me", &v), 0);
    CHECK_INT(v.n_evidence, 1);
    CHECK_INT(v.evidence[0].start, 5);
    CHECK_INT(v.evidence[0].end, 37);
    CHECK_INT(classify("They charged me a surprise {$500.00} fee", &v), 0);
    CHECK_INT(v.evidence[0].start, 18);
    CHECK_INT(v.evidence[0].end, 40);
    CHECK_STR(v.lang, "en");
}

static void test_language(void)
{
    struct cnd_verdict v;
    struct cnd_post p;

    if (!setup()) {
        return;
    }
    p = make_post("They charged me a surprise fee.", "fr");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "fr");
    CHECK_INT(v.complaint, 0);
    CHECK_INT(v.n_evidence, 0);
    p = make_post("They charged me a surprise fee.", "en-US");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "en");
    CHECK_INT(v.complaint, 1);
    p = make_post("They charged me a surprise fee.", "EN");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "en");
    p = make_post("They charged me a surprise fee.", "eng");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "en");
    CHECK_INT(v.complaint, 1);
    p = make_post("They charged me a surprise fee.", "pt-BR");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "pt-BR");
    CHECK_INT(v.complaint, 0);
    /* a "lang" that is no language tag (long, spaces, bytes cut mid-UTF-8
       once) is ignored: the text decides, and the verdict stays valid */
    p = make_post("They charged me a surprise fee.",
                  "english for sure \xe2\x80\x9d ................ \xe2\x80\x9c");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "en");
    CHECK_INT(v.complaint, 1);
    p = make_post("They charged me a surprise fee.", "enx");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "enx");
    p = make_post("They charged me a surprise fee.", "e");
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_STR(v.lang, "en");
    /* no stopwords among many words: undetermined, not analyzed */
    CHECK_INT(classify("Cobraron una tarifa sorpresa sin avisar nunca jam\xc3\xa1s, surprise fee", &v), 0);
    CHECK_STR(v.lang, "und");
    CHECK_INT(v.complaint, 0);
    /* short texts are taken as English */
    CHECK_INT(classify("Surprise fee, charged me!", &v), 0);
    CHECK_STR(v.lang, "en");
    CHECK_INT(v.complaint, 1);
    /* masked tokens are not words */
    CHECK_INT(classify("XXXX XXXX XXXX XXXX XXXX they charged me a surprise fee", &v), 0);
    CHECK_STR(v.lang, "en");
    CHECK_INT(v.complaint, 1);
    /* CJK text: one word per character */
    CHECK_INT(classify("\xe4\xbb\x8a\xe6\x97\xa5\xe3\x81\xaf\xe8\x89\xaf\xe3\x81\x84\xe5\xa4"
                       "\xa9\xe6\xb0\x97 surprise fee",
                       &v), 0);
    CHECK_STR(v.lang, "und");
}

static void test_prefilter_skips(void)
{
    struct cnd_analyzer_stats before, after;
    struct cnd_verdict v;

    if (!setup()) {
        return;
    }
    cnd_analyzer_stats(an, &before);
    CHECK_INT(classify("Lovely weather for a walk today, the park was quiet.", &v), 0);
    cnd_analyzer_stats(an, &after);
    CHECK_INT(after.posts, before.posts + 1);
    CHECK_INT(after.regex_runs, before.regex_runs);   /* no literal: no regex at all */
    CHECK_INT(classify("A surprise party.", &v), 0);
    cnd_analyzer_stats(an, &before);
    CHECK_INT(before.regex_runs, after.regex_runs + 1);   /* one candidate, not confirmed */
}

/* A need= literal may carry \b: "ad" as a word, not the letters inside "already". */
static void test_need_word_boundary(void)
{
    static const char lex_text[] = "category a\n"
                                   "regex r.ad a 1 need=\\bad\\b /ads?/\n"
                                   "regex r.fee a 1 need=fee\\b /fee/\n";
    struct cnd_buf errors;
    struct cnd_lexicon *l;
    struct cnd_analyzer *a = NULL;
    struct cnd_analyzer_stats before, after;
    struct cnd_verdict v;
    struct cnd_post p;
    int err = 0;

    cnd_buf_init(&errors, 0);
    l = cnd_lexicon_parse("n", lex_text, sizeof(lex_text) - 1, &errors, &err);
    CHECK_MSG(l != NULL, "%s", errors.data ? errors.data : "");
    if (l != NULL) {
        a = cnd_analyzer_new(l, NULL, 0, -1, &err);
    }
    CHECK(a != NULL);
    if (a != NULL) {
        cnd_analyzer_stats(a, &before);
        p = make_post("already read, a thread on coffees and feeds", "en");
        CHECK_INT(cnd_analyze_post(a, &p, &v), 0);
        cnd_analyzer_stats(a, &after);
        CHECK_INT((int)(after.candidates - before.candidates), 0);   /* inside words: none */
        p = make_post("this ad and that fee", "en");
        CHECK_INT(cnd_analyze_post(a, &p, &v), 0);
        cnd_analyzer_stats(a, &before);
        CHECK_INT((int)(before.candidates - after.candidates), 2);
        CHECK_INT((int)v.n_evidence, 2);
    }
    cnd_analyzer_free(a);
    cnd_lexicon_free(l);
    cnd_buf_release(&errors);
}

static void test_hostile_lexicon(void)
{
    /* x runs are not collapsed by normalization, so the backtracking is real */
    const char *text = "category a\nregex r.evil a 1 /(x+x+)+y/\nphrase r.ok a 1 surprise fee\n";
    struct cnd_buf errors;
    struct cnd_lexicon *hl;
    struct cnd_analyzer *ha = NULL;
    struct cnd_analyzer_stats st;
    struct cnd_verdict v;
    struct cnd_post p;
    size_t n = 30000;
    char *body = malloc(n + 32);
    int err = 0;

    CHECK(body != NULL);
    if (body == NULL) {
        return;
    }
    cnd_buf_init(&errors, 0);
    hl = cnd_lexicon_parse("evil", text, strlen(text), &errors, &err);
    CHECK(hl != NULL);
    if (hl != NULL) {
        ha = cnd_analyzer_new(hl, NULL, 0, -1, &err);
    }
    CHECK(ha != NULL);
    if (ha != NULL) {
        memcpy(body, "surprise fee ", 13);
        memset(body + 13, 'x', n);
        memcpy(body + 13 + n, "z y", 4);
        p = make_post(body, NULL);
        CHECK_INT(cnd_analyze_post(ha, &p, &v), CND_ELIMIT);
        cnd_analyzer_stats(ha, &st);
        CHECK_INT(st.limit_hits, 1);
        /* the verdict is still filled: the other rule counted */
        CHECK_INT(v.complaint, 1);
        CHECK_INT(v.n_evidence, 1);
        CHECK_STR(v.evidence[0].rule, "r.ok");
        cnd_analyzer_free(ha);
    }
    cnd_lexicon_free(hl);
    cnd_buf_release(&errors);
    free(body);
}

static void test_invalid_utf8(void)
{
    struct cnd_verdict v;
    const char *texts[] = {
        "\xff\xfe They charged me a surprise fee \xc3",
        "\xe2\x80",
        "\xe2",
        "\xc2",
        "caf\xe9 surprise\xed\xa0\x80 fee",
        "",
    };
    size_t i;

    if (!setup()) {
        return;
    }
    for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        int r = classify(texts[i], &v);

        CHECK(r == 0 || r == CND_ELIMIT);
    }
    CHECK_INT(classify(texts[0], &v), 0);
    CHECK_INT(v.complaint, 1);
}

static void test_big_text(void)
{
    const char *unit = "They charged me a surprise fee. Not a bait and switch? ";
    size_t ul = strlen(unit), n = (1u << 20) / ul + 1, i;
    char *big = malloc(n * ul + 1);
    struct cnd_verdict v;
    struct cnd_post p;

    CHECK(big != NULL);
    if (big == NULL || !setup()) {
        free(big);
        return;
    }
    for (i = 0; i < n; i++) {
        memcpy(big + i * ul, unit, ul);
    }
    big[n * ul] = '\0';
    p = make_post(big, NULL);
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_INT(v.complaint, 1);
    CHECK_INT(v.n_evidence, 1);
    CHECK(near(v.score, 1.5));
    free(big);
}

/* ---- Output ---- */

static void test_json(void)
{
    struct cnd_verdict v;
    struct cnd_post p;
    struct cnd_buf out;
    const char *text = "They \"charged\" me, a surprise fee.";

    if (!setup()) {
        return;
    }
    cnd_buf_init(&out, 0);
    p = make_post(text, NULL);
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_INT(cnd_verdict_json(&v, &p, 0, &out), 0);
    CHECK_STR(out.data, "{\"id\":\"p1\",\"complaint\":true,\"categories\":[\"hidden_fees\"],"
                        "\"brands\":[],\"score\":1.5,\"lang\":\"en\",\"evidence\":[{\"rule\":"
                        "\"fee.surprise\",\"category\":\"hidden_fees\",\"match\":\"surprise fee\","
                        "\"start\":21,\"end\":33}]}");
    cnd_buf_reset(&out);
    p = make_post("A \"surprise\" fee?", NULL);
    p.source.ptr = "mastodon";
    p.source.len = 8;
    p.created_at = 86400;
    p.has_created_at = 1;
    CHECK_INT(cnd_analyze_post(an, &p, &v), 0);
    CHECK_INT(cnd_verdict_json(&v, &p, 1, &out), 0);
    CHECK_STR(out.data, "{\"id\":\"p1\",\"source\":\"mastodon\",\"created_at\":"
                        "\"1970-01-02T00:00:00Z\",\"author\":null,\"url\":null,\"text\":"
                        "\"A \\\"surprise\\\" fee?\",\"complaint\":false,\"categories\":[],"
                        "\"brands\":[],\"score\":0.15,\"lang\":\"en\",\"evidence\":[{\"rule\":"
                        "\"fee.surprise\",\"category\":\"hidden_fees\",\"match\":"
                        "\"surprise\\\" fee\",\"start\":3,\"end\":16}]}");
    cnd_buf_release(&out);
}

static void test_scores_format(void)
{
    static const struct {
        double x;
        const char *want;
    } cases[] = {
        { 2.5, "2.5" }, { 4.0 / 3.0, "1.333" }, { 0, "0" }, { 12, "12" }, { 0.1 + 0.2, "0.3" },
        { 2.0 / 3.0, "0.667" }, { -0.0, "0" }, { 1000, "1000" }, { 0.0001, "0" },
    };
    struct cnd_buf b;
    size_t i;

    cnd_buf_init(&b, 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cnd_buf_reset(&b);
        CHECK_INT(cnd_buf_add_score(&b, cases[i].x), 0);
        CHECK_STR(b.data, cases[i].want);
    }
    /* the fast path prints what "%.3f" with trailing zeros dropped prints,
     * over many values, halves and near-halves included */
    {
        unsigned long long seed = 42;
        int bad = 0, k;

        for (k = 0; k < 200000; k++) {
            char want[64];
            double x;
            int n;

            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            switch (k % 4) {
            case 0: x = (double)(seed >> 11) / 9007199254740992.0 * 40 - 20; break;
            case 1: x = (double)((long long)(seed >> 40) - 8388608) / 2000.0; break;  /* halves */
            case 2: x = (double)((long long)(seed >> 44) - 524288) / 1000.0 + 0.0005; break;
            default: x = (double)(seed >> 20) / 1024.0 / 3.0 - 2e6; break;
            }
            n = snprintf(want, sizeof(want), "%.3f", x);
            while (n > 0 && want[n - 1] == '0') {
                n--;
            }
            if (n > 0 && want[n - 1] == '.') {
                n--;
            }
            want[n] = '\0';
            if (strcmp(want, "-0") == 0) {
                strcpy(want, "0");
            }
            cnd_buf_reset(&b);
            CHECK_INT(cnd_buf_add_score(&b, x), 0);
            if (strcmp(b.data, want) != 0 && bad++ < 5) {
                CHECK_STR(b.data, want);
            }
        }
        CHECK_INT(bad, 0);
    }
    cnd_buf_release(&b);
}

static void test_explain(void)
{
    struct cnd_buf out;
    const char *text = "Not a surprise fee. They charged me a surprise fee? Use code X.";

    if (!setup()) {
        return;
    }
    cnd_buf_init(&out, 0);
    CHECK_INT(cnd_analyze_explain(an, text, strlen(text), &out), 0);
    CHECK(out.data != NULL);
    if (out.data == NULL) {
        return;
    }
    CHECK(strstr(out.data, "text: 63 bytes") != NULL);
    CHECK(strstr(out.data, "language: en") != NULL);
    CHECK(strstr(out.data, "candidate: rule 'fee.surprise' (literal \"surprise\"): confirmed at "
                           "6..18 \"surprise fee\"\n") != NULL);
    CHECK(strstr(out.data, "negation: negator 'neg.not' at 0..3 \"Not\" cancels rule "
                           "'fee.surprise' at 6..18 \"surprise fee\"\n") != NULL);
    CHECK(strstr(out.data, "match: rule 'fee.surprise' category hidden_fees at 38..50 "
                           "\"surprise fee\" weight 1.5\n") != NULL);
    CHECK(strstr(out.data, "cue: question 'q.mark' at 50..51 \"?\" multiplier 0.2 scope "
                           "sentence 20..52\n") != NULL);
    CHECK(strstr(out.data, "cue: ad 'ad.code' at 52..60 \"Use code\" multiplier 0.1 scope post\n") !=
          NULL);
    CHECK(strstr(out.data, "weight: rule 'fee.surprise' 1.5 x question 0.2 x ad 0.1 = 0.03\n") !=
          NULL);
    CHECK(strstr(out.data, "score: hidden_fees 0.03\n") != NULL);
    CHECK(strstr(out.data, "threshold: 1\n") != NULL);
    CHECK(strstr(out.data, "verdict: not a complaint (best score 0.03, language en)\n") != NULL);
    cnd_buf_reset(&out);
    text = "They charged me a surprise fee.";
    CHECK_INT(cnd_analyze_explain(an, text, strlen(text), &out), 0);
    CHECK(out.data != NULL && strstr(out.data, "verdict: complaint: hidden_fees (1.5)\n") != NULL);
    cnd_buf_release(&out);
}

/* ---- Allocation failures ---- */

static void test_alloc_failures(void)
{
    unsigned long n;
    int ok = 0;
    static char acme[] = "Acme";
    struct cnd_brand brand = { acme, NULL, 0 };

    if (!setup()) {
        return;
    }
    for (n = 1; n < 100000 && !ok; n++) {
        struct cnd_analyzer *a;
        int err = 0;

        cnd_alloc_fail_at(n);
        a = cnd_analyzer_new(lex, &brand, 1, -1, &err);
        cnd_alloc_fail_at(0);
        if (a == NULL) {
            CHECK_INT(err, CND_ENOMEM);
            continue;
        }
        ok = 1;
        cnd_analyzer_free(a);
    }
    CHECK(ok);
    CHECK(n > 5);

    /* classifying with failing allocations: an error or a verdict, never a crash */
    ok = 0;
    for (n = 1; n < 100000 && !ok; n++) {
        struct cnd_analyzer *a;
        struct cnd_verdict v;
        struct cnd_post p = make_post("Not a surprise fee? They charged me, Acme enrolled me "
                                      "without asking, but it worked out.",
                                      NULL);
        int err = 0, r;

        a = cnd_analyzer_new(lex, &brand, 1, -1, &err);
        CHECK(a != NULL);
        if (a == NULL) {
            break;
        }
        cnd_alloc_fail_at(n);
        r = cnd_analyze_post(a, &p, &v);
        cnd_alloc_fail_at(0);
        if (r == 0) {
            ok = 1;
            CHECK_INT(v.complaint, 1);
            CHECK_INT(v.n_brands, 1);
        } else {
            CHECK_INT(r, CND_ENOMEM);
        }
        cnd_analyzer_free(a);
    }
    CHECK(ok);
}

static void test_teardown(void)
{
    cnd_analyzer_free(an);
    cnd_lexicon_free(lex);
    cnd_analyzer_free(NULL);
    an = NULL;
    lex = NULL;
}

/*
 * The prefilter's windows (where a candidate's match may start) never hide
 * a match: on random texts, every rule PCRE2 finds in the whole text is in
 * the evidence at the same place. The rules have requirements that start
 * every match (with literals inside others: "credit only" in "store credit
 * only"), that do not, top-level alternatives, and a lookbehind.
 */
static void test_windows_never_hide_a_match(void)
{
    static const char lex_text[] =
        "category a\n"
        "regex r.prefix a 1 /\\b(?:store |travel )?(?:credit|voucher)s? only\\b/\n"
        "regex r.inner a 1 /[a-z]+ fee\\b/\n"
        "regex r.two a 1 /\\bpaid\\b.{0,20}\\bfee\\b/\n"
        "regex r.alt a 1 /\\bsold out\\b|\\bonly \\d+ left\\b/\n"
        "regex r.behind a 1 /(?<=was )charged twice/\n";
    static const char *const pieces[] = {
        "store ", "travel ", "credit", "credits", "voucher", " only", "only ", "fee", "coffee",
        "paid", "sold out", "3 left", "was ", "charged twice", " ", " ", "x", ", ",
    };
    struct cnd_buf errors;
    struct cnd_lexicon *l;
    struct cnd_analyzer *a = NULL;
    struct cnd_matcher *m = cnd_matcher_new();
    unsigned long long seed = 3;
    int err = 0, missed = 0, found = 0, k;
    size_t r, e;

    cnd_buf_init(&errors, 0);
    l = cnd_lexicon_parse("w", lex_text, sizeof(lex_text) - 1, &errors, &err);
    CHECK(l != NULL && m != NULL);
    if (l != NULL) {
        a = cnd_analyzer_new(l, NULL, 0, -1, &err);
    }
    CHECK(a != NULL);
    for (k = 0; a != NULL && m != NULL && k < 6000; k++) {
        char text[200];
        size_t len = 0;
        struct cnd_post p;
        struct cnd_verdict v;

        while (len < 90) {
            const char *piece;

            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            piece = pieces[(seed >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
            memcpy(text + len, piece, strlen(piece));
            len += strlen(piece);
        }
        text[len] = '\0';
        p = make_post(text, NULL);
        CHECK_INT(cnd_analyze_post(a, &p, &v), 0);
        for (r = 0; r < l->n_pats; r++) {
            size_t ms, me;

            if (cnd_re_match(m, l->pats[r].re, text, len, 0, &ms, &me) != 1) {
                continue;
            }
            found++;
            for (e = 0; e < v.n_evidence; e++) {
                if (strcmp(v.evidence[e].rule, l->pats[r].id) == 0 &&
                    v.evidence[e].start == ms && v.evidence[e].end == me) {
                    break;
                }
            }
            missed += e == v.n_evidence;
        }
    }
    CHECK_INT(missed, 0);
    CHECK(found > 1500);   /* the texts do exercise the rules */
    cnd_analyzer_free(a);
    cnd_lexicon_free(l);
    cnd_matcher_free(m);
    cnd_buf_release(&errors);
}

/*
 * A requirement of single bytes ("?", "$") is looked for only in posts
 * that meet the pattern's other requirements: a post without the byte
 * makes no candidate, one with it, before or after the others, is
 * matched; a pattern of single bytes only keeps them in the scan.
 */
static void test_deferred_bytes(void)
{
    static const char lex_text[] =
        "category a\n"
        "regex a.q a 1.0 /\\bsurprise fee\\b[^.]{0,20}\\?/\n"
        "regex a.cost a 1.0 /\\bcost\\b \\$\\d+/\n"
        "regex a.marks a 0.5 /\\?.{0,3}!/\n";
    static const struct {
        const char *text;
        unsigned long candidates;
        int complaint;
    } cases[] = {
        { "what surprise fee is this", 0, 0 },
        { "what surprise fee is this?", 1, 1 },
        { "huh? what surprise fee is this", 1, 0 },   /* a candidate, no match */
        { "a cost $12 more", 1, 1 },
        { "a cost 12 more", 0, 0 },
        { "really?! no", 1, 0 },
        { "really? no", 0, 0 },
    };
    struct cnd_buf errors;
    struct cnd_lexicon *l;
    struct cnd_analyzer *a = NULL;
    int err = 0;
    size_t i;

    cnd_buf_init(&errors, 0);
    l = cnd_lexicon_parse("d", lex_text, sizeof(lex_text) - 1, &errors, &err);
    CHECK_MSG(l != NULL, "%s", errors.data ? errors.data : "");
    if (l != NULL) {
        CHECK_INT(l->pats[0].n_clauses, 1);   /* "surprise fee" scanned, "?" deferred */
        CHECK(l->pats[0].deferred != NULL);
        CHECK_INT(l->pats[2].n_clauses, 2);   /* "?" and "!": kept, nothing else filters */
        CHECK(l->pats[2].deferred == NULL);
        a = cnd_analyzer_new(l, NULL, 0, -1, &err);
    }
    CHECK(a != NULL);
    for (i = 0; a != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_post p = make_post(cases[i].text, "en");
        struct cnd_analyzer_stats before, after;
        struct cnd_verdict v;

        cnd_analyzer_stats(a, &before);
        CHECK_INT(cnd_analyze_post(a, &p, &v), 0);
        cnd_analyzer_stats(a, &after);
        CHECK_MSG(after.candidates - before.candidates == cases[i].candidates, "%s: %lu",
                  cases[i].text, after.candidates - before.candidates);
        CHECK_MSG(v.complaint == cases[i].complaint, "%s", cases[i].text);
    }
    if (a != NULL) {
        /* a lexicon without stopwords tells no language: every text is English */
        struct cnd_post p = make_post("Cobraron una tarifa sin avisar nunca jam\xc3\xa1s, "
                                      "surprise fee otra vez?", NULL);
        struct cnd_verdict v;

        CHECK_INT(cnd_analyze_post(a, &p, &v), 0);
        CHECK_STR(v.lang, "en");
        CHECK_INT(v.complaint, 1);
    }
    cnd_analyzer_free(a);
    cnd_lexicon_free(l);
    cnd_buf_release(&errors);
}

/*
 * Complaints only: random posts get the same complaints, categories,
 * scores and evidence as a full run; the others no evidence. Weights sit
 * round the threshold: a lone rule of 0.5 boosted by an experience cue of
 * 2 reaches 1.0 exactly, so it may not be skipped. Posts of six words or
 * more with too few stopwords are not English: the lean analyzer, which
 * tells the language only of posts some rule could make complaints, finds
 * no complaint in them either.
 */
static void test_complaints_only(void)
{
    static const char lex_text[] =
        "threshold 1.0\n"
        "experience_missing 0.9\n"
        "stopwords and x a they\n"
        "category a\n"
        "category b\n"
        "phrase  a.half a 0.5 half fee\n"
        "phrase  a.small a 0.2 small fee\n"
        "regex   b.most b 0.7 /\\bmost charge\\b/\n"
        "phrase  b.tiny b 0.1 tiny charge\n"
        "negator n.not not\n"
        "cue     e.me experience 2.0 /\\bcharged me\\b/\n"
        "cue     e.us experience 1.5 /\\bcharged us\\b/\n"
        "cue     q.q question 0.5 /\\?/\n";
    static const char *const pieces[] = {
        "half fee", "small fee", "most charge", "tiny charge", "not ", "charged me", "charged us",
        "?", ". ", " ", "x ", "and ",
    };
    struct cnd_buf errors;
    struct cnd_lexicon *l;
    struct cnd_analyzer *full = NULL, *lean = NULL;
    struct cnd_analyzer_stats st;
    unsigned long long seed = 7;
    int err = 0, k, differ = 0, complaints = 0, with_evidence = 0, und = 0, und_rules = 0;

    cnd_buf_init(&errors, 0);
    l = cnd_lexicon_parse("c", lex_text, sizeof(lex_text) - 1, &errors, &err);
    CHECK_MSG(l != NULL, "%s", errors.data ? errors.data : "");
    if (l != NULL) {
        full = cnd_analyzer_new(l, NULL, 0, -1, &err);
        lean = cnd_analyzer_new(l, NULL, 0, -1, &err);
    }
    CHECK(full != NULL && lean != NULL);
    if (lean != NULL) {
        cnd_analyzer_complaints_only(lean, 1);
    }
    for (k = 0; full != NULL && lean != NULL && k < 5000; k++) {
        char text[200];
        size_t len = 0, i, n = 1 + (size_t)k % 6;
        struct cnd_post p;
        struct cnd_verdict vf, vl;

        for (i = 0; i < n; i++) {
            const char *piece;

            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            piece = pieces[(seed >> 33) % (sizeof(pieces) / sizeof(pieces[0]))];
            memcpy(text + len, piece, strlen(piece));
            len += strlen(piece);
            text[len++] = ' ';
        }
        text[len] = '\0';
        p = make_post(text, "en");
        CHECK_INT(cnd_analyze_post(full, &p, &vf), 0);
        CHECK_INT(cnd_analyze_post(lean, &p, &vl), 0);
        complaints += vf.complaint;
        if (strcmp(vf.lang, "und") == 0) {
            und++;
            /* "most charge" alone, boosted, could reach the threshold */
            und_rules += strstr(text, "most charge") != NULL && strstr(text, "charged") != NULL;
            differ += vl.complaint || strcmp(vl.lang, "und") != 0;
        }
        if (vf.complaint != vl.complaint) {
            differ++;
            continue;
        }
        if (!vl.complaint) {
            with_evidence += vl.n_evidence > 0;
            continue;
        }
        differ += vf.n_categories != vl.n_categories || vf.score != vl.score ||
                  vf.n_evidence != vl.n_evidence;
        for (i = 0; i < vf.n_categories && i < vl.n_categories; i++) {
            differ += strcmp(vf.categories[i], vl.categories[i]) != 0 ||
                      vf.category_scores[i] != vl.category_scores[i];
        }
        for (i = 0; i < vf.n_evidence && i < vl.n_evidence; i++) {
            differ += strcmp(vf.evidence[i].rule, vl.evidence[i].rule) != 0 ||
                      vf.evidence[i].start != vl.evidence[i].start ||
                      vf.evidence[i].weight != vl.evidence[i].weight;
        }
    }
    CHECK_INT(differ, 0);
    CHECK(complaints > 300);
    CHECK(und > 300);
    CHECK(und_rules > 20);   /* not English, though some rules could make a complaint */
    if (lean != NULL) {
        cnd_analyzer_stats(lean, &st);
        CHECK(st.hopeless > 1000);   /* and so some posts were skipped */
        CHECK(with_evidence > 100);   /* and others were run, to fall short */
    }
    /* exactly at the threshold: 0.5 times the boost of 2 is a complaint, not skipped */
    if (lean != NULL) {
        struct cnd_post p = make_post("They charged me a half fee.", "en");
        struct cnd_verdict v;

        CHECK_INT(cnd_analyze_post(lean, &p, &v), 0);
        CHECK_INT(v.complaint, 1);
        CHECK(near(v.score, 1.0));
        p = make_post("They charged us a small fee and a tiny charge.", "en");
        CHECK_INT(cnd_analyze_post(lean, &p, &v), 0);
        CHECK_INT(v.complaint, 0);
        CHECK_INT((int)v.n_evidence, 0);   /* 0.2 x 2 cannot reach 1: not run */
    }
    cnd_analyzer_free(full);
    cnd_analyzer_free(lean);
    cnd_lexicon_free(l);
    cnd_buf_release(&errors);
}

TEST_LIST = {
    { "deferred_bytes", test_deferred_bytes },
    { "complaints_only", test_complaints_only },
    { "windows_never_hide_a_match", test_windows_never_hide_a_match },
    { "text_forms", test_text_forms },
    { "rule_types", test_rule_types },
    { "once_per_post", test_once_per_post },
    { "category_order", test_category_order },
    { "threshold_override", test_threshold_override },
    { "negation", test_negation },
    { "cues", test_cues },
    { "offsets", test_offsets },
    { "language", test_language },
    { "prefilter_skips", test_prefilter_skips },
    { "need_word_boundary", test_need_word_boundary },
    { "hostile_lexicon", test_hostile_lexicon },
    { "invalid_utf8", test_invalid_utf8 },
    { "big_text", test_big_text },
    { "json", test_json },
    { "scores_format", test_scores_format },
    { "explain", test_explain },
    { "alloc_failures", test_alloc_failures },
    { "teardown", test_teardown },
    { NULL, NULL },
};
