/* SPDX-License-Identifier: MIT */
/*
 * Reading posts from NDJSON inputs for the commands: one loop that opens
 * each file, parses each line into a post, and reports every bad line as
 * "FILE:LINE: message" (capped, with a final count) so that the commands
 * only see good posts and errors they want to echo.
 */
#ifndef CND_CLI_INPUT_H
#define CND_CLI_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "common/config.h"
#include "common/post.h"
#include "common/postjson.h"

/* What a callback gets for each line. */
struct input_line {
    const char *file;       /* display name ("<stdin>" for "-") */
    size_t file_index;      /* index in the list of inputs */
    uint64_t lineno;
    const struct cnd_post *post;  /* NULL when the line is bad */
    const char *error;      /* why it is bad, when post is NULL */
    const char *error_id;   /* the id, when it was read before the error */
    size_t error_id_len;
};

/* Returns 0 to go on, or a negative code to stop everything. */
typedef int (*input_fn)(void *arg, const struct input_line *line);

struct input_stats {
    uint64_t lines;         /* lines read (good and bad) */
    uint64_t bad;           /* lines reported as bad */
    uint64_t files_failed;  /* files that could not be opened or ended early */
};

/*
 * Reads every input in "paths" ("-" = stdin) and calls "fn" for each
 * post, good or bad. An input is
 *  - an NDJSON dump: one post per line, read with field map "map" (NULL:
 *    defaults); "lineno" is the line's number;
 *  - an archive segment written by `candor fetch` (recognised by its first
 *    line): each page's body goes through the adapter of the source
 *    recorded in it, with that source's options from the config given to
 *    input_set_config() (or the kind's defaults when the config has no
 *    source of that name); every post of the page is passed with the
 *    page's line number; a page that does not parse is one bad line;
 *  - a directory: every *.ndjson, *.ndjson.gz, *.jsonl and *.gz file
 *    under it, recursively, in sorted order, all with the directory's
 *    "file_index".
 * Warnings go to stderr prefixed by "who". Returns 0, or the callback's
 * negative code (or CND_ENOMEM).
 */
int input_each(const char *who, char *const *paths, size_t n_paths,
               const struct cnd_fieldmap *map, input_fn fn, void *arg,
               struct input_stats *st);

/*
 * The config whose "sources" give archived pages their adapter options
 * (borrowed until the last input_each; NULL: kind defaults only).
 */
void input_set_config(const struct cnd_config *cfg);

/* Reports a problem with a line as a capped warning "FILE:LINE: msg". */
void input_warn(const char *who, const char *file, uint64_t lineno, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prints how many warnings were suppressed by the cap, if any. */
void input_warn_summary(const char *who);

#endif
