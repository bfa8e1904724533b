/* SPDX-License-Identifier: MIT */
/*
 * Reading back what `candor replay` and `candor run` wrote: the daily
 * aggregates (daily/DAY.json.gz), the flagged posts
 * (complaints/DAY.ndjson.gz) and the run log (runs/DAY.ndjson), for the
 * report and the alerts. Only the days asked for are opened: the
 * directory is listed and the names filtered, so a year of files costs a
 * directory listing plus the days in range.
 *
 * Files are parsed line by line with yajl's callback API (depth, size and
 * count limits; the tree API is never used). A bad line is skipped and
 * reported as "FILE:LINE: message" in a struct cnd_issues; a truncated or
 * corrupt gzip stream keeps the lines read before the damage.
 */
#ifndef CND_DAILY_H
#define CND_DAILY_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/* ---- Problems found while reading ---- */

/*
 * One line per problem ("FILE:LINE: message\n"); the first "max_kept"
 * (default 100) are kept in "text", the rest only counted in "count".
 */
struct cnd_issues {
    struct cnd_buf text;
    unsigned long count;
    unsigned long max_kept;
};

void cnd_issues_init(struct cnd_issues *iss);
void cnd_issues_release(struct cnd_issues *iss);
/* Records one problem in "file" at "line" (0: no line number). NULL "iss" is fine. */
void cnd_issues_add(struct cnd_issues *iss, const char *file, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- Days ---- */

/* A day name, "YYYY-MM-DD" plus a NUL. */
struct cnd_day {
    char s[11];
};

/* Days since 1970-01-01 of the valid day "day", or INT64_MIN when it is not one. */
int64_t cnd_day_num(const char *day);
/* Writes the day "num" days after 1970-01-01 into "out". */
void cnd_day_from_num(int64_t num, char out[11]);

/*
 * Lists the days in "data_dir"/"sub" whose file is "DAY" + "suffix"
 * (e.g. sub "daily", suffix ".json.gz"), with "from" <= DAY <= "to"
 * (either may be NULL: no bound), in ascending order. Other names are
 * ignored; no file is opened. On success "*days" is a malloced array the
 * caller frees with cnd_free (NULL when "*n" is 0). A missing directory is
 * an empty list. Returns 0, CND_EIO (directory unreadable) or CND_ENOMEM.
 */
int cnd_daily_list(const char *data_dir, const char *sub, const char *suffix, const char *from,
                   const char *to, struct cnd_day **days, size_t *n);

/* ---- Daily aggregates ---- */

struct cnd_daily_rule {
    const char *rule;
    uint64_t count;
};

struct cnd_daily_row {
    const char *source;
    const char *brand;       /* "" = posts naming no watchlist brand */
    const char *category;    /* "*" = every post of (source, brand) */
    uint64_t posts;
    uint64_t complaints;
    uint64_t authors;
    double score_sum;
    const struct cnd_daily_rule *rules;
    size_t n_rules;
    const char *const *samples;
    size_t n_samples;
};

struct cnd_daily_source {
    const char *source;
    uint64_t posts;
};

struct cnd_arena;

/* One day's file; every string is owned by the struct. */
struct cnd_daily {
    char day[11];
    int64_t schema;
    const char *lexicon_version;   /* "" when the header has none */
    const char *candor_version;
    const char *timezone;
    const struct cnd_daily_source *sources;
    size_t n_sources;
    struct cnd_daily_row *rows;
    size_t n_rows;
    struct cnd_arena *arena;
};

/*
 * Reads "data_dir"/daily/"day".json.gz. Bad rows are skipped and recorded
 * in "iss" (may be NULL), as is a header that is missing or names another
 * day, or a stream cut short (the rows read before stay). Returns the day,
 * or NULL with "*err": CND_ENOENT (no such file), CND_EIO, CND_ENOMEM, or
 * CND_EPARSE when not even the header could be read (also recorded).
 */
struct cnd_daily *cnd_daily_load(const char *data_dir, const char *day, struct cnd_issues *iss,
                                 int *err);
void cnd_daily_free(struct cnd_daily *d);

/* ---- Complaint files ---- */

struct cnd_complaint_span {
    size_t start, end;       /* byte offsets in the text */
    const char *rule;
    const char *category;
};

/* One flagged post; every string is owned by the struct. */
struct cnd_complaint {
    const char *id;
    const char *source;
    const char *created_at;  /* as written (ISO-8601 UTC) */
    int64_t created;         /* parsed, or INT64_MIN */
    const char *author;
    const char *url;
    const char *text;
    size_t text_len;
    double score;
    const char *const *categories;
    size_t n_categories;
    const char *const *brands;
    size_t n_brands;
    const struct cnd_complaint_span *evidence;
    size_t n_evidence;
    struct cnd_arena *arena;
};

struct cnd_complaints;

/*
 * Opens "data_dir"/complaints/"day".ndjson.gz for reading. NULL with
 * "*err" (CND_ENOENT, CND_EIO, CND_ENOMEM).
 */
struct cnd_complaints *cnd_complaints_open(const char *data_dir, const char *day, int *err);

/*
 * Reads the next complaint into a new struct the caller frees with
 * cnd_complaint_free. Returns 1 with "*out" set, 0 at the end, or a
 * negative code (CND_ENOMEM). Bad lines and a damaged stream are
 * recorded in "iss" and skipped (the end then counts as the end).
 */
int cnd_complaints_next(struct cnd_complaints *cr, struct cnd_issues *iss,
                        struct cnd_complaint **out);
void cnd_complaints_close(struct cnd_complaints *cr);
void cnd_complaint_free(struct cnd_complaint *c);

/* ---- Run log ---- */

/* One source's runs on a day (runs/DAY.ndjson, written by `candor run`). */
struct cnd_run_source {
    char *source;
    unsigned runs;
    unsigned failed;
    uint64_t pages;
    uint64_t posts;
    char *last_error;        /* the error of the last failed run, or NULL */
};

struct cnd_runs_day {
    int known;               /* 0: no run log for the day */
    unsigned lines;          /* runs x sources recorded */
    unsigned failed;         /* of which failed */
    struct cnd_run_source *sources;  /* sorted by name */
    size_t n_sources;
};

/*
 * Reads "data_dir"/runs/"day".ndjson (plain or gzip) into "*out", which
 * the caller releases with cnd_runs_day_release. A missing file gives
 * known = 0 and returns 0; bad lines are recorded in "iss" and skipped.
 * Returns 0, CND_EIO or CND_ENOMEM.
 */
int cnd_runs_load(const char *data_dir, const char *day, struct cnd_issues *iss,
                  struct cnd_runs_day *out);
void cnd_runs_day_release(struct cnd_runs_day *r);

#endif
