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

#include <stddef.h>
#include <stdint.h>

#include "analyze/analyze.h"
#include "common/config.h"
#include "common/timeutil.h"
#include "ingest/source.h"

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

#endif
