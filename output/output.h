/* SPDX-License-Identifier: MIT */
/*
 * Output: exactly-once counting in bounded memory, daily aggregates and the
 * atomic gzip writer.
 *
 * Daily files, for each day that received posts (see docs/ARCHITECTURE.md):
 *   daily/YYYY-MM-DD.json.gz       header line, then one row per (source, brand, category)
 *   daily/YYYY-MM-DD.csv.gz        the same rows for spreadsheets
 *   complaints/YYYY-MM-DD.ndjson.gz every flagged post with its verdict
 * Every file is written to a temporary file in the same directory, flushed,
 * fsynced, renamed over the old one, and the directory fsynced: a crash
 * leaves either the old file or the new one.
 */
#ifndef CND_OUTPUT_H
#define CND_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/analyze.h"
#include "common/post.h"

/* ---- Post keys ---- */

/* The 64-bit key of a post: a hash of its source and id. */
uint64_t cnd_post_key(const struct cnd_post *post);

/* ---- Atomic files ---- */

/* Creates "path" and its missing parents (mode 0755). Returns 0 or CND_EIO. */
int cnd_mkdirs(const char *path);

struct cnd_gzout;

/*
 * Starts writing the gzip file "path" through a temporary file beside it.
 * Returns NULL with "*err" set (CND_EIO with errno kept, CND_ENOMEM).
 */
struct cnd_gzout *cnd_gzout_open(const char *path, int *err);
/* Compresses "len" bytes. Returns 0 or CND_EIO. */
int cnd_gzout_write(struct cnd_gzout *g, const void *data, size_t len);
/*
 * Finishes the stream, fsyncs, renames over "path" and fsyncs the
 * directory. On any failure (ENOSPC often shows only here) removes the
 * temporary file, leaves the old "path" untouched, logs the path and the
 * reason, and returns CND_EIO. Frees "g" in every case.
 */
int cnd_gzout_commit(struct cnd_gzout *g);
/* Drops the temporary file and frees "g" (NULL is fine). */
void cnd_gzout_abort(struct cnd_gzout *g);
/*
 * For a writer of many files in one directory: cnd_gzout_commit of "g"
 * then leaves out the directory's fsync, and the caller makes every rename
 * in it durable at once with cnd_sync_dir. A crash before that leaves each
 * file old or new, as ever; only whether the new one survived is open.
 */
void cnd_gzout_defer_dir_sync(struct cnd_gzout *g);
/* fsyncs the directory "dir" (renames in it become durable). 0, or CND_EIO logged. */
int cnd_sync_dir(const char *dir);

/* Writes "len" bytes to "path" atomically (plain, not compressed). */
int cnd_write_file_atomic(const char *path, const void *data, size_t len);

/*
 * Removes temporary files left in "dir" by writers that were killed
 * (names containing ".tmp."). Returns how many were removed, or CND_EIO.
 */
int cnd_sweep_tmp(const char *dir);

/*
 * A new temporary file in "dir" (NULL or "": $TMPDIR, else /tmp), open for
 * reading and writing and already unlinked: its space is freed when it is
 * closed, and a crash leaves nothing behind. NULL (logged, naming the
 * directory; errno ENOMEM when out of memory) on failure.
 */
FILE *cnd_temp_file(const char *dir);

/* ---- Daily aggregates ---- */

struct cnd_agg;

struct cnd_agg_meta {
    const char *lexicon_version;
    const char *timezone;          /* NULL or "" = UTC */
    const char *const *inputs;     /* input names, indexed by cnd_agg_add's "input" (NULL skipped) */
    size_t n_inputs;
    const char *candor_version;    /* NULL: this build's CND_VERSION */
};

/*
 * Returns an empty aggregate. Flagged posts are spilled to a temporary
 * file in "spill_dir" (so memory stays flat however many complaints
 * there are). NULL with "*err" on failure.
 */
struct cnd_agg *cnd_agg_new(const char *spill_dir, int *err);
void cnd_agg_free(struct cnd_agg *agg);

/*
 * Counts one post (duplicates already dropped, see cnd_once) on "day"
 * (YYYY-MM-DD) from input number "input". "v" is its verdict; for a
 * complaint, "complaint_json" ("json_len" bytes, no newline) is the line
 * to put in the day's complaint file.
 */
int cnd_agg_add(struct cnd_agg *agg, const char *day, size_t input,
                const struct cnd_post *post, const struct cnd_verdict *v,
                const char *complaint_json, size_t json_len);

/* Number of days seen, and the i-th in ascending order (valid until the next add). */
size_t cnd_agg_n_days(const struct cnd_agg *agg);
const char *cnd_agg_day(const struct cnd_agg *agg, size_t i);

/*
 * Writes the three files of every day seen under "data_dir". Rows are
 * sorted (source, brand, category) and numbers printed with fixed
 * precision, so the same posts give the same bytes. Returns 0, or the first
 * error (files already written stay; the failed one keeps its old version).
 */
int cnd_agg_write(struct cnd_agg *agg, const char *data_dir, const struct cnd_agg_meta *meta);

/*
 * Makes "day" exist (with no rows) so that it is listed and written.
 * Shards use it for days whose posts all went to other shards. Returns 0,
 * CND_EINVAL (bad day) or CND_ENOMEM.
 */
int cnd_agg_touch_day(struct cnd_agg *agg, const char *day);

/* ---- Exactly-once counting in bounded memory (output/once.c) ---- */

/*
 * Holds posts back until every input has been read, then counts each key
 * once, in the first version given: what a seen set in front of
 * cnd_agg_add does, without keeping every key in memory. Posts wait in a
 * temporary file in "dir" (NULL: $TMPDIR or /tmp), split by key when
 * large. "agg" must outlive it. NULL with "*err" (CND_EIO: no temporary
 * file can be made there, CND_ENOMEM) on failure.
 */
struct cnd_once;

struct cnd_once_counts {
    uint64_t posts;          /* counted in the aggregate */
    uint64_t complaints;     /* of them flagged */
    uint64_t duplicates;     /* dropped: a post with that key came earlier */
    uint64_t elsewhere;      /* first given by cnd_once_elsewhere (other shards' posts) */
};

struct cnd_once *cnd_once_new(struct cnd_agg *agg, const char *dir, int *err);
void cnd_once_free(struct cnd_once *o);
/*
 * Holds back "post" with its verdict, as cnd_agg_add would take them, under
 * "key" (cnd_post_key). Returns 0, CND_EINVAL (bad day, nothing held),
 * CND_EIO (a temporary file), CND_ETOOBIG or CND_ENOMEM; after an error
 * other than CND_EINVAL every later call returns it.
 */
int cnd_once_add(struct cnd_once *o, uint64_t key, const char *day, size_t input,
                 const struct cnd_post *post, const struct cnd_verdict *v,
                 const char *complaint_json, size_t json_len);
/*
 * Calls "fn" for each post as it is counted, with the source, id, author,
 * created_at of "post" and the brands, categories, scores and evidence
 * rules of "v" as held back (complaints' only: a post that is not one
 * keeps its source and brands). A negative return stops the settling.
 */
typedef int (*cnd_once_counted_fn)(void *arg, const struct cnd_post *post,
                                   const struct cnd_verdict *v);
void cnd_once_on_counted(struct cnd_once *o, cnd_once_counted_fn fn, void *arg);
/* A partition over "bytes" is split before sorting (8 MiB; tests go lower). */
void cnd_once_set_budget(struct cnd_once *o, uint64_t bytes);
/*
 * Returns 1 when a post with "key" was held back lately, so that this one
 * is a duplicate for sure (and is counted as one): the caller can skip
 * analyzing it. 0 does not mean new; hold it back with cnd_once_add.
 */
int cnd_once_repeat(struct cnd_once *o, uint64_t key);
/*
 * Holds back a post on "day" that another shard counts: if it comes first
 * for its key, the day is only touched (cnd_agg_touch_day).
 */
int cnd_once_elsewhere(struct cnd_once *o, uint64_t key, const char *day);
/*
 * Counts the first post held back under each key in the aggregate and
 * fills "*counts". Call it once, after the last add. Returns 0 or the
 * first error (the aggregate must then not be written).
 */
int cnd_once_settle(struct cnd_once *o, struct cnd_once_counts *counts);

/* ---- Reading rows out and merging them in (shards) ---- */

struct cnd_agg_rule {
    struct cnd_str rule;
    uint64_t count;
};

struct cnd_agg_sample {
    int64_t created;               /* INT64_MIN when the post had no date */
    struct cnd_str id;
};

/*
 * One row with everything an exact merge needs: the author hashes in
 * full (ascending), every rule count (not only the top ten) and the
 * samples with their times. "posts" is the row's own count: category rows
 * keep 0 and print the posts of their "*" row.
 */
struct cnd_agg_row {
    struct cnd_str source, brand, category;
    uint64_t posts;
    uint64_t complaints;
    int64_t score_micro;           /* score sum in units of 1e-6 (exact) */
    const uint64_t *authors;
    size_t n_authors;
    const struct cnd_agg_rule *rules;
    size_t n_rules;
    const struct cnd_agg_sample *samples;
    size_t n_samples;
};

/*
 * Callbacks for cnd_agg_visit_day, each called in a canonical order:
 * "input" for every contributing input number (ascending), "source" per
 * source (by name), "row" per row (output order), "complaint" per
 * complaint line (no newline) with its sort key: created_at, then the
 * post key. A NULL callback is skipped; a negative return stops the visit.
 */
struct cnd_agg_visitor {
    int (*input)(void *arg, size_t input);
    int (*source)(void *arg, struct cnd_str source, uint64_t posts);
    int (*row)(void *arg, const struct cnd_agg_row *row);
    int (*complaint)(void *arg, int64_t created, uint64_t key, const char *line, size_t len);
};

/*
 * Reads out day number "i" (see cnd_agg_day) through "v". Everything
 * passed is borrowed for the duration of the call. Returns 0, the first
 * negative callback return, CND_EIO (spill file) or CND_ENOMEM.
 */
int cnd_agg_visit_day(struct cnd_agg *agg, size_t i, const struct cnd_agg_visitor *v, void *arg);

/*
 * Merge in what cnd_agg_visit_day read out (from a shard's part): an
 * input number, a source's post count, a row, a complaint line. Counts
 * add up, author sets and rule counts are united, samples keep the five
 * newest. Return 0, CND_EINVAL (bad day or input number), CND_ETOOBIG,
 * CND_EIO or CND_ENOMEM; after an error other than CND_EINVAL, every later
 * call and cnd_agg_write return that error.
 */
int cnd_agg_merge_input(struct cnd_agg *agg, const char *day, size_t input);
int cnd_agg_merge_source(struct cnd_agg *agg, const char *day, struct cnd_str source,
                         uint64_t posts);
int cnd_agg_merge_row(struct cnd_agg *agg, const char *day, const struct cnd_agg_row *row);
int cnd_agg_merge_complaint(struct cnd_agg *agg, const char *day, int64_t created,
                            uint64_t key, const char *line, size_t len);

#endif
