/* SPDX-License-Identifier: MIT */
/*
 * The archive: every page a source fetched, raw, so that any day can be
 * rebuilt later by running the same adapter over the same bytes.
 *
 *   DATA/archive/SOURCE/YYYY-MM-DD/RUN.ndjson.gz     (fetch day, UTC)
 *
 * One JSON object per page, each line its own gzip member, appended,
 * flushed and fsynced before cnd_archive_append returns (and the
 * directories fsynced when a segment is created), so that a crash leaves
 * a readable prefix and the checkpoint may move on once the call returned:
 *
 *   {"archive":1,"source":"NAME","kind":"KIND","url":"...","status":200,
 *    "fetched_at":"2025-11-03T10:00:00Z","cursor_in":"..."|null,
 *    "cursor_out":"..."|null,"more":true,"posts":40,
 *    "headers":[["link","<...>; rel=\"next\""],["content-type","..."]],
 *    "body":"..."}
 *
 * The URL has secret query parameters redacted (cnd_url_redact); only
 * selected response headers are kept (link, content-type, date,
 * retry-after, *ratelimit-*), never credentials. A body that is not valid
 * UTF-8 is kept as "body_b64" (base64) instead of "body".
 */
#ifndef CND_ARCHIVE_H
#define CND_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/source.h"

/* One page: written from borrowed fields, read into the reader's memory. */
struct cnd_archive_page {
    const char *source;          /* the configured source name */
    const char *kind;            /* the adapter kind */
    const char *url;             /* the request URL */
    long status;
    const struct cnd_header *headers;
    size_t n_headers;
    double fetched_at;           /* UTC seconds */
    const char *cursor_in;       /* NULL: none */
    const char *cursor_out;      /* NULL: none */
    int more;
    long posts;                  /* posts parsed when fetched; -1 unknown */
    const char *body;            /* NUL-terminated when read */
    size_t len;
};

/* ---- Writing ---- */

struct cnd_archive;

/*
 * Returns a writer for source "source" under "data_dir"; its segments are
 * named "run_id".ndjson.gz (a run's start time and process id make it
 * unique). Nothing is created before the first page. NULL on CND_ENOMEM.
 */
struct cnd_archive *cnd_archive_new(const char *data_dir, const char *source, const char *run_id,
                                    int *err);

/*
 * Appends page "p" to the segment of its fetch day (creating it and its
 * directories when needed), then fsyncs. On failure the segment is cut
 * back to its previous length, the reason logged, and CND_EIO (or
 * CND_ENOMEM) returned: the page is not in the archive.
 */
int cnd_archive_append(struct cnd_archive *a, const struct cnd_archive_page *p);

/* The path of the segment last written to, or NULL before the first page. */
const char *cnd_archive_segment(const struct cnd_archive *a);

/* Closes the segment and frees the writer; NULL is fine. */
void cnd_archive_free(struct cnd_archive *a);

/* ---- Reading ---- */

struct cnd_archive_reader;

/* 1 when the line "line" ("len" bytes) looks like an archive page. */
int cnd_archive_is_page(const char *line, size_t len);

/*
 * Returns a reader without a file, for lines read elsewhere
 * (cnd_archive_parse_line). NULL on CND_ENOMEM.
 */
struct cnd_archive_reader *cnd_archive_reader_new(void);

/*
 * Parses one archive line ("len" bytes at "line") into "*p" (valid until
 * the next call on "r"). Returns 0, CND_EPARSE (not a page;
 * cnd_archive_reader_error() says why) or CND_ENOMEM.
 */
int cnd_archive_parse_line(struct cnd_archive_reader *r, const char *line, size_t len,
                           struct cnd_archive_page *p);

/*
 * Opens segment "path" (gzip or plain). NULL with "*err" (CND_ENOENT,
 * CND_EIO, CND_ENOMEM).
 */
struct cnd_archive_reader *cnd_archive_reader_open(const char *path, int *err);

/*
 * Reads the next page into "*p" (valid until the next call) and its line
 * number into "*lineno". Returns 1 with a page, 0 at the end, CND_EPARSE
 * for a line that is not a page (call again to go on), or the end of the
 * segment with an error: CND_ETRUNC (a cut tail, e.g. after a crash: the
 * pages before it were all returned), CND_EIO, CND_ETOOBIG.
 * cnd_archive_reader_error() says why.
 */
int cnd_archive_reader_next(struct cnd_archive_reader *r, struct cnd_archive_page *p,
                            uint64_t *lineno);

const char *cnd_archive_reader_error(const struct cnd_archive_reader *r);
void cnd_archive_reader_close(struct cnd_archive_reader *r);

#endif
