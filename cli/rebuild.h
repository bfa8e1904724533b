/* SPDX-License-Identifier: MIT */
/*
 * Internal interfaces of the scheduled batch (`candor run`) shared by its
 * commands (cmd_run.c, cmd_config.c, cmd_prune.c):
 *   - the up-front configuration check (everything that can be known
 *     before fetching: keys, types, sources, secrets, paths, lexicon);
 *   - the day index in DATA/state/ saying which archive segments hold
 *     posts of which day, and which bytes of each segment are indexed;
 *   - the rebuild of a day's files from exactly the archived pages that
 *     hold its posts.
 * See docs/OPERATIONS.md for the files and their guarantees.
 */
#ifndef CND_CLI_REBUILD_H
#define CND_CLI_REBUILD_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "common/config.h"
#include "common/timeutil.h"
#include "ingest/source.h"
#include "output/parts.h"

/* ---- Configuration check ---- */

/* Everything a checked configuration yields; the caller owns it. */
struct cli_checked {
    struct cnd_config cfg;
    int cfg_loaded;                  /* cfg must be released */
    struct cnd_source **sources;     /* one per "sources" entry, in file order */
    size_t n_sources;
    struct cnd_lexicon *lex;
    struct cnd_analyzer *an;
    struct cnd_tz *tz;               /* NULL = UTC */
    const char *data_dir;            /* cfg.data_dir (borrowed) */
};

#define CLI_CHECK_NOLEXICON 1   /* flag: do not load the lexicon (prune) */
#define CLI_CHECK_FETCH 2       /* flag: at least one source will be fetched (run) */

/*
 * Checks the config file "path" without writing anything: the keys and
 * types (common/config.c), every source (ingest/source.c: its keys, and
 * the environment variables naming secrets of the sources that will be
 * fetched: enabled ones, restricted to "only" (NULL-terminated names, or
 * NULL for all)), the data directory (it or its first existing parent
 * must be a writable directory), the lexicon (found, readable, compiles).
 * Every problem goes to stderr, one per line ("FILE:LINE: key.path:
 * message" where a position applies). Returns 0 with "out" filled,
 * CLI_USAGE (configuration problems), or CLI_FAIL (out of memory); "out"
 * is released on failure.
 */
int cli_config_check(const char *path, const char *const *only, unsigned flags,
                     struct cli_checked *out);

/* Frees what cli_config_check filled (zeroed struct: nothing). */
void cli_checked_release(struct cli_checked *c);

/* ---- Rebuilding the days that received posts ---- */

/* Posts analyzed and flagged per source by a rebuild. */
struct cli_source_counts {
    char *source;
    uint64_t analyzed;       /* distinct posts of the rebuilt days */
    uint64_t flagged;        /* of which complaints */
};

struct cli_rebuild_stats {
    size_t segments_read;    /* new or grown segments indexed */
    size_t days_rebuilt;
    size_t days_pruned;      /* days with new posts whose archive was pruned (not rebuilt) */
    uint64_t undated;        /* posts without a usable created_at (not counted) */
    uint64_t bad_pages;      /* archived 2xx pages the adapter could not parse */
    struct cli_source_counts *sources;   /* sorted by name */
    size_t n_sources;
    char (*days)[11];        /* the rebuilt days, ascending */
};

void cli_rebuild_stats_release(struct cli_rebuild_stats *st);

/*
 * Indexes the archive segments that are new or have grown since the last
 * run (DATA/state/index/SOURCE/FETCHDAY.idx: per segment its size, mtime
 * and its post count per day), finds the days whose post counts changed,
 * records those segments in each such day's list (DATA/state/days/
 * DAY.segs), and rebuilds each such day's files from every segment in
 * its list: posts of that day, each (source, id) once, analyzed with
 * "c->an" and written atomically. The index is committed last, so a crash
 * at any point makes the next run redo the same days with the same
 * result. A day whose list has pruned segments is left as it is (warned).
 * "stop" (may be NULL) set: stops between segments with CND_ESTOP.
 * Returns 0 or a negative code (nothing indexed; files already written
 * are complete days).
 */
int cli_rebuild(const struct cli_checked *c, volatile sig_atomic_t *stop,
                struct cli_rebuild_stats *st);

/* ---- Shards of a run (`candor run --shard I/N`, docs/SCALE.md) ---- */

/*
 * The shard (0 .. "count"-1) of source "source": FNV-1a 64 of its name's
 * bytes (no day) mod "count". A run shard fetches and rebuilds exactly
 * its sources, since it can only read the archives it fetched itself.
 */
uint32_t cli_source_shard(const char *source, uint32_t count);

/*
 * cli_rebuild for shard "shard" (NULL: unsharded, as cli_rebuild): only
 * the archives of its sources, its state under DATA/state/shard-I-of-N/
 * (index/ and days/, never shared with another shard), and instead of
 * daily files one part per day (DATA/parts/DAY/I-of-N/, cnd_part_write)
 * for the days its sources' posts changed and for every day that has
 * parts of other shards of the same count but not its own (an empty part
 * when its sources have no post that day), so every such day gets all N
 * parts. With "fill_only", no archive is scanned: only those missing
 * parts are written, from the day lists (nothing when that shard never
 * completed a run). The caller holds the shard's lock. Returns 0 or a
 * negative code (CND_ESTOP when "stop" was set; the parts already
 * published are whole).
 */
int cli_rebuild_shard(const struct cli_checked *c, const struct cnd_shard *shard, int fill_only,
                      volatile sig_atomic_t *stop, struct cli_rebuild_stats *st);

/*
 * Sets "lacking[K]" (K < "count") when some day under DATA/parts/ has a
 * part of "count" shards but none of shard K. Returns 0 or a negative code.
 */
int cli_parts_lacking(const char *data_dir, uint32_t count, unsigned char *lacking);

/* ---- Retention ---- */

struct cli_prune_stats {
    size_t removed;          /* segments removed */
    uint64_t bytes;          /* their size */
    size_t kept_unbuilt;     /* old segments kept: their days are not built yet */
};

/*
 * Removes the archive segments of fetch days before "before" (YYYY-MM-DD)
 * whose every day is built (the segment is in the index at its current
 * size and mtime). The days they hold are first marked as pruned in
 * their lists. With "dry_run", only counts. Returns 0 or a negative code.
 */
int cli_prune(const char *data_dir, const char *before, int dry_run, struct cli_prune_stats *st);

#endif
