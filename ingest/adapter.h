/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the adapters (src_*.c) and nothing else: an item
 * being collected field by field while the JSON streams by, the checks
 * every post goes through before it enters a batch, and small string
 * utilities for building URLs and cursors.
 */
#ifndef CND_ADAPTER_H
#define CND_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/post.h"
#include "ingest/jsonpath.h"
#include "ingest/source.h"

/* Limits applied to every page. */
#define ADAPTER_MAX_DEPTH 128          /* JSON nesting */
#define ADAPTER_MAX_FIELD (1u << 20)   /* one field of one post */

#define ITEM_MAX_FIELDS 12

/* What was seen of a field. */
enum fstate { FS_MISSING = 0, FS_STR, FS_NUM, FS_NULL, FS_OTHER, FS_BIG };

struct item {
    struct cnd_buf f[ITEM_MAX_FIELDS];
    enum fstate st[ITEM_MAX_FIELDS];
    int active;       /* inside an item */
};

void item_init(struct item *it);
void item_reset(struct item *it);
void item_release(struct item *it);
/* Stores a scalar of type "t" into field "k" (first value wins). */
int item_set(struct item *it, int k, enum cnd_jp_type t, const char *s, size_t len);
/* Marks field "k" as having a non-scalar value (a wrong type). */
void item_set_other(struct item *it, int k);
/* The field as a view (ptr NULL when missing, null or not a string/number). */
struct cnd_str item_str(const struct item *it, int k);
/* 1 when field "k" is a non-empty string or number. */
int item_has(const struct item *it, int k);

/*
 * Checks "post" and adds it to "b": every string must be valid UTF-8 (or
 * the post is skipped and counted in skipped_utf8), the id must not be
 * empty (skipped), created_at is parsed from created_raw. Returns 0 or
 * CND_ENOMEM.
 */
int adapter_add(struct cnd_batch *b, struct cnd_post *post);

/* Counts a skipped item (not a post). */
void adapter_skip(struct cnd_batch *b);

/*
 * Keeps the first non-empty value of a page's next-cursor field in "b"
 * ("*has" says one was kept); later ones are ignored. A cursor longer than
 * "b"'s cap fails the page with CND_ELIMIT, its reason given to "jp" (the
 * parse of the page), rather than end the paging quietly with posts left
 * behind. 0, CND_ELIMIT or CND_ENOMEM.
 */
int adapter_keep_cursor(struct cnd_jp *jp, struct cnd_buf *b, int *has, const char *s,
                        size_t len);

/*
 * Adds "Authorization: Bearer TOKEN" to "req" as a secret header (redacted
 * in logs and archives); the temporary copy is wiped. 0 or CND_ENOMEM.
 */
int adapter_add_bearer(struct cnd_request *req, const char *token);

/* Builds "prefix" + "suffix" patterns (malloced array of malloced strings). */
int adapter_patterns(const char *prefix, const char *const *suffixes, size_t n, char ***out);
void adapter_patterns_free(char **pats, size_t n);

/* Appends "&key=" + the escaped value of "v" ("?" instead of "&" when no '?' yet). */
int url_param(struct cnd_buf *b, const char *key, const char *v);
/* Copies the query parameter "key" of URL "url" (decoded) into "*out"; CND_ENOENT. */
int url_get_param(const char *url, const char *key, char **out);
/* 1 when "url" starts with "base" followed by '/', '?' or the end. */
int url_same_base(const char *url, const char *base);

/* 1 when "needle" occurs in the "len" bytes at "hay". */
int adapter_contains(const char *hay, size_t len, const char *needle);

/* Writes the decimal text of "v" into "out" (24 bytes). */
void fmt_i64(int64_t v, char out[24]);

#endif
