/* SPDX-License-Identifier: MIT */
/*
 * The report: one self-contained static HTML page (inline CSS and SVG, no
 * scripts, no network) rendered from the daily files of a period: the
 * complaints per day per brand stacked by category, a brands x categories
 * table against the previous period of equal length, the rules that fired
 * most, the newest complaint texts with their evidence highlighted, the
 * lexicon versions seen and the sources' completeness per day. The same
 * files and options give the same bytes (no clock is read).
 * docs/REPORT.md describes the page.
 */
#ifndef CND_REPORT_H
#define CND_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "output/daily.h"

struct cnd_report_opts {
    const char *data_dir;
    const char *from;          /* first day; NULL: "to" minus days + 1 (with "to" NULL
                                  too, not before the first daily file) */
    const char *to;            /* last day; NULL: the newest day with a daily file */
    unsigned days;             /* period length when "from" is NULL; 0 = 28 */
    unsigned recent;           /* complaint texts shown; 0 = 20 */
    unsigned top_rules;        /* rules listed; 0 = 15 */
    size_t max_text;           /* bytes of a complaint text shown; 0 = 2000 */
    const char *generated_at;  /* shown in the page when not NULL */
};

/* Figures about what was rendered (for the command's summary and tests). */
struct cnd_report_stats {
    char from[11], to[11];
    size_t n_days;             /* days in the period */
    size_t days_read;          /* daily files read for the period */
    size_t prev_days_read;     /* and for the previous period */
    size_t complaint_files;    /* complaint files opened for the newest texts */
    uint64_t posts;            /* posts in the period (sum of the headers' sources) */
    size_t brands, categories;
};

/*
 * Renders the report for "o" into "html" (appended). Problems with single
 * files or lines are recorded in "iss" (may be NULL) and the page is made
 * from what could be read. Returns 0; CND_ENOENT when "to" is not given and
 * there is no daily file at all; CND_EINVAL for a bad day or a period
 * longer than ten years; CND_EIO, CND_ENOMEM. "st" may be NULL.
 */
int cnd_report_render(const struct cnd_report_opts *o, struct cnd_buf *html,
                      struct cnd_issues *iss, struct cnd_report_stats *st);

/*
 * Appends the "len" bytes at "s" to "out" escaped for HTML text and
 * attribute values: & < > " ' become entities, control characters other
 * than tab and newline become spaces, and invalid UTF-8 bytes become
 * U+FFFD. Returns 0 or a cnd_buf error.
 */
int cnd_html_escape(struct cnd_buf *out, const char *s, size_t len);

/*
 * Appends the text "s" ("len" bytes) escaped, with the byte ranges of
 * "spans" ("n" of them; overlapping, unsorted or out-of-range ones are
 * fine) wrapped in <mark title="rules">. Span ends are moved to UTF-8
 * character boundaries. Only the first "max" bytes are shown (0: all),
 * followed by an ellipsis when cut.
 */
int cnd_html_highlight(struct cnd_buf *out, const char *s, size_t len,
                       const struct cnd_complaint_span *spans, size_t n, size_t max);

#endif
