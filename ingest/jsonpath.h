/* SPDX-License-Identifier: MIT */
/*
 * A streaming path matcher over yajl's callback API, shared by the
 * adapters. The caller gives a list of path patterns; while the document
 * streams by, the matcher calls back for every value whose path matches a
 * pattern, and never builds a tree (network input never goes through
 * yajl_tree: PITFALLS.md).
 *
 * A pattern is a dotted path of object keys; "*" stands for any element
 * of an array, and "" is the top-level value itself. Examples:
 *   "*"                    each element of a top-level array
 *   "*.account.acct"       that key inside each element
 *   "data.children.*.kind"
 * Subtrees that no pattern can reach cost one bit test per key.
 *
 * Strings are handed over without yajl's UTF-8 check (one bad byte must
 * not reject a whole page): callers check the fields they keep. Numbers
 * arrive as their text, so large ids never pass through a double.
 */
#ifndef CND_JSONPATH_H
#define CND_JSONPATH_H

#include <stddef.h>

enum cnd_jp_type { CND_JP_NULL, CND_JP_BOOL, CND_JP_NUM, CND_JP_STR, CND_JP_MAP, CND_JP_ARR };

/*
 * Callbacks; each may be NULL. "id" is the index of the matching pattern
 * (several patterns may match one value: one call each). A non-zero
 * return (a negative CND_E* code) stops the parse with that code.
 */
struct cnd_jp_handler {
    /* A map or array starts at a matching path. */
    int (*open)(void *ud, int id, enum cnd_jp_type type);
    /* ... and ends. */
    int (*close)(void *ud, int id, enum cnd_jp_type type);
    /* A scalar: "s"/"len" is the unescaped string, the number's text,
     * "true"/"false", or NULL/0 for null. Borrowed for the call only. */
    int (*scalar)(void *ud, int id, enum cnd_jp_type type, const char *s, size_t len);
};

#define CND_JP_MAX_PATTERNS 64

struct cnd_jp;

/*
 * Compiles "n" patterns ("patterns" and the strings are borrowed and must
 * outlive the matcher) for handler "h" with user data "ud". Nesting deeper
 * than "max_depth" stops the parse with CND_ELIMIT. With "multiple", the
 * input may hold several top-level values (NDJSON). Returns NULL when out
 * of memory or when "n" is over CND_JP_MAX_PATTERNS.
 */
struct cnd_jp *cnd_jp_new(const char *const *patterns, size_t n, const struct cnd_jp_handler *h,
                          void *ud, unsigned max_depth, int multiple);
void cnd_jp_free(struct cnd_jp *jp);

/*
 * Parses the "len" bytes at "text" as a whole document. Returns 0,
 * CND_EPARSE (invalid or truncated JSON), CND_ELIMIT (too deep),
 * CND_ENOMEM, or the negative code a callback returned. After a failure,
 * cnd_jp_error() describes it with the byte offset.
 */
int cnd_jp_parse(struct cnd_jp *jp, const char *text, size_t len);

/*
 * For a callback about to return an error: the reason, in words, that the
 * failure's description gives after the byte offset (instead of the
 * error code's name).
 */
void cnd_jp_set_reason(struct cnd_jp *jp, const char *reason);

/* The description of the last failure ("" after success). */
const char *cnd_jp_error(const struct cnd_jp *jp);

/* The current nesting depth (0 = top level), for callbacks. */
unsigned cnd_jp_depth(const struct cnd_jp *jp);

#endif
