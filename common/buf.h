/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer with an optional size cap, always NUL-terminated
 * (so its data can go to C string functions and to parsers that want a
 * terminated buffer). The caller owns the struct; cnd_buf_release() frees
 * the data.
 */
#ifndef CND_BUF_H
#define CND_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct cnd_buf {
    char *data;   /* NUL-terminated when non-NULL */
    size_t len;   /* bytes used, not counting the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* cap on len; 0 = no cap */
};

/* Sets up an empty buffer whose length may never exceed "max" (0: no cap). */
void cnd_buf_init(struct cnd_buf *b, size_t max);
/* Frees the data; the buffer may be initialised again. NULL is fine. */
void cnd_buf_release(struct cnd_buf *b);
/* Empties the buffer, keeping its memory. */
void cnd_buf_reset(struct cnd_buf *b);
/*
 * Makes room for "extra" more bytes. Returns CND_ETOOBIG when that would
 * pass the cap, CND_ENOMEM when allocation fails; the buffer is unchanged
 * on failure.
 */
int cnd_buf_reserve(struct cnd_buf *b, size_t extra);
int cnd_buf_add(struct cnd_buf *b, const void *data, size_t len);
int cnd_buf_adds(struct cnd_buf *b, const char *s);
int cnd_buf_addc(struct cnd_buf *b, char c);
int cnd_buf_addf(struct cnd_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cnd_buf_vaddf(struct cnd_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/*
 * Appends "s" ("len" bytes) as a JSON string literal, quotes included:
 * escapes quotes, backslashes and control characters; bytes >= 0x80 are
 * copied as they are (the caller passes valid UTF-8).
 */
int cnd_buf_add_json_str(struct cnd_buf *b, const char *s, size_t len);
/* Appends "len" bytes at "s" in base64 (RFC 4648, with '=' padding). 0 or an error. */
int cnd_buf_add_base64(struct cnd_buf *b, const unsigned char *s, size_t len);
/* Appends a signed decimal integer. */
int cnd_buf_add_i64(struct cnd_buf *b, int64_t v);
/*
 * Hands the data over to the caller (a malloced, NUL-terminated string;
 * never NULL unless allocation fails) and leaves the buffer empty.
 */
char *cnd_buf_detach(struct cnd_buf *b);

#endif
