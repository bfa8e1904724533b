/* SPDX-License-Identifier: MIT */
/*
 * Reads one NDJSON line (a JSON object) into a struct cnd_post, with the
 * field names configurable for dumps written by other tools. A field name
 * may be a dotted path into nested objects ("account.acct"). Strings are
 * unescaped into the reader's own buffer; numbers are kept as their text
 * (ids such as 114870361973436726 never pass through a double). Uses
 * yajl's callback API with depth and size limits; the tree API is never
 * used on input.
 */
#ifndef CND_POSTJSON_H
#define CND_POSTJSON_H

#include <stddef.h>

#include "common/post.h"

/* Field names (or dotted paths); NULL means the default shown. */
struct cnd_fieldmap {
    const char *id;          /* "id" */
    const char *text;        /* "text" */
    const char *source;      /* "source" */
    const char *created_at;  /* "created_at" */
    const char *author;      /* "author" */
    const char *url;         /* "url" */
    const char *lang;        /* "lang" */
};

struct cnd_postjson;

/* Returns a reader for "map" (copied; NULL for the defaults), or NULL. */
struct cnd_postjson *cnd_postjson_new(const struct cnd_fieldmap *map);
void cnd_postjson_free(struct cnd_postjson *pj);

/*
 * Parses the "len" bytes at "line" into "*post" (whose strings then point
 * into the reader or into "line", valid until the next call). Rules:
 *  - the line must be one JSON object; anything else is CND_EPARSE;
 *  - "id" and "text" must be present: a missing one is CND_ENOENT;
 *  - an id may be a string or a number; the text must be a string;
 *  - strings are checked for valid UTF-8: invalid is CND_EUTF8;
 *  - nesting deeper than 64 levels is CND_ELIMIT;
 *  - created_at (string or number) is parsed with cnd_time_parse; when it
 *    is missing or malformed post->has_created_at is 0 (not an error).
 * On failure, "*post" still carries the id when one was read (so that an
 * error line can name it), and a one-line description, with the byte
 * offset in the line where it applies, is left for cnd_postjson_error().
 */
int cnd_postjson_parse(struct cnd_postjson *pj, const char *line, size_t len,
                       struct cnd_post *post);

/* The description of the last failure, e.g. "invalid JSON at byte 17: ...". */
const char *cnd_postjson_error(const struct cnd_postjson *pj);

#endif
