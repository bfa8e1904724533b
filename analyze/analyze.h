/* SPDX-License-Identifier: MIT */
/*
 * The classifier: a lexicon (a data file, compiled once: PCRE2 JIT behind
 * an Aho-Corasick literal prefilter) and an analyzer that turns a post's
 * text into a verdict: complaint or not, categories strongest first,
 * watchlist brands named, score, and the evidence spans with the rules
 * that fired. Pure: no I/O besides reading the lexicon file.
 */
#ifndef CND_ANALYZE_H
#define CND_ANALYZE_H

#include <stddef.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/post.h"

#define CND_MAX_CATEGORIES 32
#define CND_MAX_VERDICT_BRANDS 16

/* ---- Lexicon ---- */

struct cnd_lexicon;

/*
 * Reads and compiles the lexicon file "path". Every problem found is
 * appended to "errors" as one line "FILE:LINE: message\n" (parsing goes on
 * after an error so that all of them are reported). Returns the lexicon,
 * or NULL with a negative code in "*err" (CND_ENOENT, CND_EIO, CND_EPARSE,
 * CND_ENOMEM) when the file could not be read or had any error.
 */
struct cnd_lexicon *cnd_lexicon_load(const char *path, struct cnd_buf *errors, int *err);
/* The same, from "len" bytes of text; "name" is used in messages. */
struct cnd_lexicon *cnd_lexicon_parse(const char *name, const char *text, size_t len,
                                      struct cnd_buf *errors, int *err);
void cnd_lexicon_free(struct cnd_lexicon *lex);

/* The version: the first 16 hex digits of the SHA-256 of the file's bytes. */
const char *cnd_lexicon_version(const struct cnd_lexicon *lex);
size_t cnd_lexicon_n_categories(const struct cnd_lexicon *lex);
const char *cnd_lexicon_category(const struct cnd_lexicon *lex, size_t i);
size_t cnd_lexicon_n_rules(const struct cnd_lexicon *lex);

/* ---- Verdicts ---- */

struct cnd_evidence {
    const char *rule;      /* rule id, owned by the lexicon */
    const char *category;  /* category name, owned by the lexicon */
    size_t start, end;     /* byte offsets in the text as given */
    double weight;         /* contribution after cues */
};

/* The arrays are filled up to their counts; the rest is not cleared. */
struct cnd_verdict {
    int complaint;
    double score;                                  /* strongest category's score */
    size_t n_categories;                           /* only those over threshold */
    const char *categories[CND_MAX_CATEGORIES];    /* strongest first */
    double category_scores[CND_MAX_CATEGORIES];
    size_t n_brands;
    const char *brands[CND_MAX_VERDICT_BRANDS];    /* watchlist names, owned by the analyzer */
    size_t n_evidence;
    const struct cnd_evidence *evidence;           /* owned by the analyzer */
    const char *lang;                              /* "en", or the language it is not */
};

struct cnd_analyzer;

/*
 * Returns an analyzer over "lex" (borrowed: it must outlive the analyzer)
 * and the brand watchlist "brands" ("n_brands" entries, copied). A
 * "threshold" < 0 keeps the lexicon's own. NULL with "*err" on failure.
 * An analyzer is single-threaded; make one per thread.
 */
struct cnd_analyzer *cnd_analyzer_new(const struct cnd_lexicon *lex,
                                      const struct cnd_brand *brands, size_t n_brands,
                                      double threshold, int *err);
void cnd_analyzer_free(struct cnd_analyzer *a);

/*
 * For callers that read of a verdict that is no complaint only its
 * brands ("replay" and "run" count such posts and nothing more): with
 * "on", a post whose candidate rules could not reach the threshold even
 * if all of them matched, with the strongest cue of each kind boosting
 * them, is given its verdict of no complaint without its rules being run,
 * so without score or evidence, and without its language being told
 * ("lang" is "und"). Off by default; complaints and their verdicts are
 * the same either way.
 */
void cnd_analyzer_complaints_only(struct cnd_analyzer *a, int on);

/*
 * Classifies "post" (its text must be valid UTF-8) into "*v". The
 * verdict's arrays are owned by the analyzer and valid until the next
 * call. Returns 0, CND_ENOMEM, or CND_ELIMIT when a regex hit its match
 * limit (the verdict is still filled, that rule skipped and counted).
 */
int cnd_analyze_post(struct cnd_analyzer *a, const struct cnd_post *post, struct cnd_verdict *v);

/*
 * Appends the verdict as one JSON object, without a newline:
 *   {"id":…,"complaint":…,"categories":[…],"brands":[…],"score":…,
 *    "lang":…,"evidence":[{"rule":…,"category":…,"match":…,"start":N,"end":N}]}
 * With "with_post", the post's source, created_at (ISO-8601 UTC), author,
 * url and text are included too (for the complaint files people read).
 */
int cnd_verdict_json(const struct cnd_verdict *v, const struct cnd_post *post,
                     int with_post, struct cnd_buf *out);

/*
 * Appends a human-readable account of classifying "text" ("len" bytes):
 * every rule that matched (with its span and weight), each negation, cue
 * and brand applied, the per-category scores, the threshold and the verdict.
 */
int cnd_analyze_explain(struct cnd_analyzer *a, const char *text, size_t len,
                        struct cnd_buf *out);

/* Counters since the analyzer was made (for metrics and tests). */
struct cnd_analyzer_stats {
    unsigned long posts;
    unsigned long literal_hits;    /* prefilter states reached where literals end (once a scan) */
    unsigned long candidates;      /* patterns the prefilter let through */
    unsigned long regex_runs;      /* PCRE2 matches attempted after the prefilter */
    unsigned long limit_hits;      /* matches stopped by a PCRE2 limit */
    unsigned long hopeless;        /* posts not run: no complaint possible (complaints only) */
    double regex_seconds;          /* time in PCRE2, when profiling (cnd_analyzer_profile) */
};
void cnd_analyzer_stats(const struct cnd_analyzer *a, struct cnd_analyzer_stats *st);

/*
 * What each pattern cost: turned on by cnd_analyzer_profile (0 or
 * CND_ENOMEM; each PCRE2 run is then timed), read by cnd_analyzer_costs,
 * which stores up to "max" of the patterns that ran, the costliest first,
 * and returns how many. "id" belongs to the lexicon.
 */
struct cnd_pattern_cost {
    const char *id;
    unsigned long runs, matches;
    double seconds;
};
int cnd_analyzer_profile(struct cnd_analyzer *a);
size_t cnd_analyzer_costs(const struct cnd_analyzer *a, struct cnd_pattern_cost *out, size_t max);

#endif
