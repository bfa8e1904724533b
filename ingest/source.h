/* SPDX-License-Identifier: MIT */
/*
 * Source adapters: one per API (src_<api>.c). An adapter never does I/O.
 * It builds the next HTTP request from a cursor, and parses the bytes of a
 * response into posts plus the next cursor, so every adapter is tested
 * from recorded bodies and fuzzed directly. The HTTP layer (http.c),
 * the archive and the checkpoints sit on top of this interface:
 *
 *   src = cnd_source_new(cfg.sources->items[i], cfg.path, i, 0, &errs, &err);
 *   cnd_source_auth_request(src, CND_AUTH_LOGIN, &req)  ==0 -> perform it,
 *       cnd_source_auth_parse(src, &resp, &expires_in)
 *   cursor = checkpoint, or cnd_source_start_cursor(src, since) on a first run
 *   loop: cnd_source_build_request(src, cursor, &req); perform; archive;
 *         cnd_source_parse(src, &resp, cursor, &batch, &next);
 *         checkpoint = next.value; stop unless next.more
 *
 * A cursor is an opaque NUL-terminated string that the checkpoint stores
 * as it is (NULL = no checkpoint yet). Each adapter documents its format
 * at the top of its file; most are "key=value&key=value" with
 * percent-encoded values (see cnd_cursor_get / cnd_cursor_add).
 *
 * Ownership: a struct cnd_source owns its adapter context and the secrets
 * read from the environment (wiped when freed). A struct cnd_batch owns its
 * posts and every string they point to. A struct cnd_request owns its URL,
 * body and header strings.
 */
#ifndef CND_SOURCE_H
#define CND_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/config.h"
#include "common/post.h"

/* ---- Requests ---- */

#define CND_REQ_MAX_HEADERS 8

struct cnd_req_header {
    char *name;       /* malloced, e.g. "Authorization" */
    char *value;      /* malloced */
    int secret;       /* never log, archive or trace the value */
};

struct cnd_request {
    const char *method;          /* static: "GET" or "POST" */
    char *url;                   /* malloced absolute URL */
    char *body;                  /* malloced request body or NULL */
    size_t body_len;
    const char *content_type;    /* static, for a body; NULL otherwise */
    int body_secret;             /* the body holds credentials: never log it */
    struct cnd_req_header headers[CND_REQ_MAX_HEADERS];
    size_t n_headers;
};

/* Sets up an empty request (method "GET"). */
void cnd_request_init(struct cnd_request *req);
/* Frees the strings (secret values and secret bodies are zeroed first). */
void cnd_request_release(struct cnd_request *req);
/*
 * Adds header "name: value" (both copied); "secret" marks the value as
 * a credential. Returns 0, CND_ENOMEM, or CND_ELIMIT when full.
 */
int cnd_request_add_header(struct cnd_request *req, const char *name, const char *value,
                           int secret);
/* The value of header "name" (case-insensitive), or NULL. */
const char *cnd_request_header(const struct cnd_request *req, const char *name);

/* ---- Responses ---- */

struct cnd_header {
    const char *name;
    const char *value;
};

/* A response as the adapter sees it; everything is borrowed. */
struct cnd_response {
    long status;                       /* HTTP status; 200 for saved bodies */
    const char *body;                  /* need not be NUL-terminated */
    size_t len;
    const struct cnd_header *headers;  /* may be NULL */
    size_t n_headers;
};

/* The value of the first header "name" (case-insensitive), or NULL. */
const char *cnd_response_header(const struct cnd_response *resp, const char *name);

/*
 * Finds in a Link header value "link" the URL with relation "rel" (e.g.
 * "next", "prev"; RFC 8288: <URL>; rel="next", ...). Returns a malloced
 * copy in "*out", or CND_ENOENT when there is none, CND_ENOMEM.
 */
int cnd_link_find(const char *link, const char *rel, char **out);

/* ---- Cursors ---- */

struct cnd_cursor {
    char *value;   /* malloced; what the checkpoint stores; NULL = none */
    int more;      /* 1: fetch the next page now; 0: caught up for this run */
};

void cnd_cursor_init(struct cnd_cursor *c);
void cnd_cursor_release(struct cnd_cursor *c);

/*
 * Reads key "key" of a "k=v&k=v" cursor string (values percent-encoded).
 * Returns a malloced, decoded copy in "*out", CND_ENOENT when absent (or
 * "cursor" is NULL), CND_ENOMEM.
 */
int cnd_cursor_get(const char *cursor, const char *key, char **out);
/* Appends "key=value" (percent-encoded, '&' first when "b" is not empty). */
int cnd_cursor_add(struct cnd_buf *b, const char *key, const char *value);

/* ---- Batches ---- */

struct cnd_batch_chunk;

/*
 * The posts of one or more pages. The batch copies every string it is
 * given into chunks that never move, so the views in "posts" stay valid
 * until cnd_batch_release, even as more posts are added.
 */
struct cnd_batch {
    struct cnd_post *posts;
    size_t n, cap;
    struct cnd_batch_chunk *chunks;   /* the arena */
    char *source;                     /* source name stamped on posts (arena) */
    size_t items;      /* items seen in pages (posts + skipped) */
    size_t skipped;    /* items skipped as unusable (counted, not fatal) */
    size_t skipped_utf8;     /* ... of which invalid UTF-8 */
    size_t skipped_deleted;  /* ... of which deleted or removed */
    char error[256];   /* one-line reason of the last page that failed */
};

/* Sets up an empty batch whose posts get source name "source" (copied; may be NULL). */
int cnd_batch_init(struct cnd_batch *b, const char *source);
/*
 * Appends a copy of "post" (its strings are copied into the arena; its
 * "source" is replaced by the batch's when the batch has one). Returns 0
 * or CND_ENOMEM.
 */
int cnd_batch_add(struct cnd_batch *b, const struct cnd_post *post);
/* Copies "len" bytes into the arena (NUL added); returns the copy or NULL. */
char *cnd_batch_strdup(struct cnd_batch *b, const char *s, size_t len);
/* Forgets the posts and counters, keeping the source name. */
void cnd_batch_clear(struct cnd_batch *b);
/* Frees everything; NULL is fine. */
void cnd_batch_release(struct cnd_batch *b);
/* Records a page-level error message (one line) in "b->error". */
void cnd_batch_set_error(struct cnd_batch *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- Adapter options ---- */

enum cnd_opt_type {
    CND_OPT_STR,    /* char * (malloced); "choices" may list allowed values */
    CND_OPT_URL,    /* char *: an absolute http(s) URL, trailing '/' removed */
    CND_OPT_INT,    /* long, within [min, max] */
    CND_OPT_BOOL,   /* int */
    CND_OPT_ENV,    /* char *: the config names an environment variable; the
                       field receives its value (a secret, never logged) */
    CND_OPT_OBJ,    /* a nested object checked against "sub" (same ctx) */
};

#define CND_OPT_REQUIRED 1

struct cnd_opt {
    const char *name;
    enum cnd_opt_type type;
    const char *def;       /* default as text (STR, URL, INT, BOOL), or NULL */
    int flags;             /* CND_OPT_REQUIRED */
    size_t offset;         /* of the field in the adapter's ctx */
    long min, max;         /* CND_OPT_INT */
    const char *choices;   /* CND_OPT_STR: "a|b|c", or NULL for any */
    const struct cnd_opt *sub;   /* CND_OPT_OBJ */
};

/* ---- Adapters ---- */

enum cnd_auth_mode {
    CND_AUTH_LOGIN = 0,    /* first login of the run */
    CND_AUTH_REFRESH = 1,  /* the token expired (parse returned CND_EAUTH) */
};

struct cnd_source_ops {
    const char *name;              /* the "kind" in the config and log tag */
    const struct cnd_opt *opts;    /* {0}-terminated */
    size_t ctx_size;               /* source.c callocs ctx, fills opts */
    /* Checks combinations of options after they are filled; writes a
     * message (without FILE:LINE) into "err". May be NULL. */
    int (*init)(void *ctx, char *err, size_t errlen);
    /* The cursor of a first run starting at UTC time "since" (0 = from
     * now on). 0 with *out NULL means "no cursor". May be NULL. */
    int (*start_cursor)(void *ctx, int64_t since, char **out);
    int (*build_request)(void *ctx, const char *cursor, struct cnd_request *req);
    int (*parse)(void *ctx, const struct cnd_response *resp, const char *cursor,
                 struct cnd_batch *out, struct cnd_cursor *next);
    /* Optional login: CND_ENOENT when the source needs none. */
    int (*auth_request)(void *ctx, enum cnd_auth_mode mode, struct cnd_request *req);
    int (*auth_parse)(void *ctx, const struct cnd_response *resp, int64_t *expires_in,
                      char *err, size_t errlen);
    void (*release)(void *ctx);    /* frees what the adapter added; may be NULL */
};

extern const struct cnd_source_ops cnd_source_mastodon;
extern const struct cnd_source_ops cnd_source_bluesky;
extern const struct cnd_source_ops cnd_source_reddit;
extern const struct cnd_source_ops cnd_source_hackernews;
extern const struct cnd_source_ops cnd_source_lemmy;
extern const struct cnd_source_ops cnd_source_generic;

/* The adapter of kind "kind", or NULL. */
const struct cnd_source_ops *cnd_source_kind(const char *kind);
/* The {NULL}-terminated table of all adapters. */
extern const struct cnd_source_ops *const cnd_source_kinds[];

/* ---- Configured sources ---- */

struct cnd_source {
    char *name;                        /* "name" */
    const struct cnd_source_ops *ops;  /* from "kind" */
    void *ctx;                         /* the adapter's, options filled */
    int enabled;                       /* "enabled" (default true) */
    long max_pages;                    /* "max_pages" per run; 0 = no limit */
};

/*
 * Validates "cfg" (one entry of the config's "sources" array, at index
 * "index", from file "file") and builds the source. Every problem is
 * appended to "errs" as a line "FILE:LINE: sources[I].KEY: message"
 * (unknown keys, wrong types, bad values, missing required keys, unset
 * environment variables named by *_env options; with CND_SOURCE_NOENV in
 * "flags" they are not read, for commands that never log in). Returns the source, or
 * NULL with CND_EINVAL (or CND_ENOMEM) in "*err".
 */
#define CND_SOURCE_NOENV 1   /* flag: do not read *_env variables (check or replay only) */

struct cnd_source *cnd_source_new(const struct cnd_jval *cfg, const char *file, size_t index,
                                  unsigned flags, struct cnd_buf *errs, int *err);

/*
 * Builds a source of kind "kind" named "name" from "key=value" strings
 * ("opts", "n_opts"; values typed like JSON scalars: 40, true, text), as
 * for `candor parse --option`; a dotted key reaches a nested object
 * ("fields.id=uid"). Problems go to "errs" as "--option:N: KEY: message".
 * NULL on failure.
 */
struct cnd_source *cnd_source_new_kv(const char *kind, const char *name,
                                     char *const *opts, size_t n_opts, unsigned flags,
                                     struct cnd_buf *errs, int *err);

/* Frees the source (secrets zeroed); NULL is fine. */
void cnd_source_free(struct cnd_source *src);

/* Wrappers around the ops (cursor may be NULL). */
int cnd_source_start_cursor(struct cnd_source *src, int64_t since, char **out);
int cnd_source_build_request(struct cnd_source *src, const char *cursor,
                             struct cnd_request *req);
/*
 * Parses "resp" into posts appended to "out" and the next cursor in
 * "*next" (initialised by the caller; written only on success). A page
 * counts only when all of it parsed: on failure the posts and counters it
 * added to "out" are taken back. Returns 0,
 * or: CND_EAUTH (401/403, expired or missing token), CND_EAGAIN (429,
 * 5xx), CND_EHTTP (other non-2xx), CND_EPARSE (malformed body),
 * CND_ELIMIT (nesting or size limit), CND_ENOMEM; "out->error" says why.
 */
int cnd_source_parse(struct cnd_source *src, const struct cnd_response *resp,
                     const char *cursor, struct cnd_batch *out, struct cnd_cursor *next);
/* CND_ENOENT when the source needs no login. */
int cnd_source_auth_request(struct cnd_source *src, enum cnd_auth_mode mode,
                            struct cnd_request *req);
int cnd_source_auth_parse(struct cnd_source *src, const struct cnd_response *resp,
                          int64_t *expires_in, char *err, size_t errlen);

/* ---- Helpers for adapters ---- */

/*
 * Compares two decimal ids of any length ("114870361973436726") as
 * integers: by length, then bytes (leading zeros ignored). Returns <0, 0
 * or >0. Never goes through a double.
 */
int cnd_id_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* Appends "s" ("len" bytes) percent-encoded for a URL query (RFC 3986 unreserved kept). */
int cnd_url_escape(struct cnd_buf *b, const char *s, size_t len);

/* Sorts an HTTP status: 2xx 0, 401/403 CND_EAUTH, 408/429/5xx CND_EAGAIN, else CND_EHTTP. */
int cnd_http_status_err(long status);

/*
 * For adapters: the common handling of a non-2xx response (message from
 * the JSON body's "error"/"message"/"error_description" when there is one,
 * recorded in "out->error" with the kind "who"). Returns the code of
 * cnd_http_status_err().
 */
int cnd_source_http_error(const char *who, const struct cnd_response *resp,
                          struct cnd_batch *out);

#endif
