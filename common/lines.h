/* SPDX-License-Identifier: MIT */
/*
 * Line reader over plain or gzip files (detected by content, multi-member
 * gzip read to the end), or "-" for standard input. Lines longer than the
 * cap are skipped whole (reported, never truncated into a bogus line).
 * The decoded size of a file is capped (absolute and as a ratio to its
 * compressed size), so a gzip bomb ends with an error, not an OOM.
 */
#ifndef CND_LINES_H
#define CND_LINES_H

#include <stddef.h>
#include <stdint.h>

struct cnd_lines;

enum cnd_lines_status {
    CND_LINES_OK = 0,       /* a complete line (without its '\n') */
    CND_LINES_EOF = 1,      /* clean end of input */
    CND_LINES_LONG = 2,     /* a line over max_line was skipped; lineno names it */
    CND_LINES_PARTIAL = 3,  /* the last line had no '\n': returned, but may be cut */
};

struct cnd_lines_opts {
    size_t max_line;          /* default 16 MiB */
    uint64_t max_decoded;     /* default 64 GiB */
    unsigned max_ratio;       /* decoded/compressed, checked past 1 GiB; default 1000 */
};

/*
 * Opens "path" ("-" = stdin). "opts" may be NULL for the defaults.
 * Returns NULL with a negative code in "*err" (CND_ENOENT, CND_EIO,
 * CND_ENOMEM); the caller logs "path" with cnd_strerror.
 */
struct cnd_lines *cnd_lines_open(const char *path, const struct cnd_lines_opts *opts,
                                 int *err);

/*
 * Reads the next line. On CND_LINES_OK or CND_LINES_PARTIAL, "*line" and
 * "*len" point to the line (NUL-terminated, valid until the next call) and
 * "*lineno" is its 1-based number. Returns a cnd_lines_status, or a
 * negative error: CND_ETRUNC (gzip stream cut short; lines before it were
 * all returned), CND_EIO, CND_ETOOBIG (decoded-size cap), CND_EPARSE
 * (corrupt gzip data). After an error or EOF, further calls return it again.
 */
int cnd_lines_next(struct cnd_lines *lr, const char **line, size_t *len, uint64_t *lineno);

/* The path given to cnd_lines_open (for messages). */
const char *cnd_lines_path(const struct cnd_lines *lr);
/* Bytes read from the file so far (compressed), and decoded bytes. */
uint64_t cnd_lines_raw_bytes(const struct cnd_lines *lr);
uint64_t cnd_lines_decoded_bytes(const struct cnd_lines *lr);
/* Closes the file; NULL is fine. */
void cnd_lines_close(struct cnd_lines *lr);

#endif
