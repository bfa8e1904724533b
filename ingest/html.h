/* SPDX-License-Identifier: MIT */
/*
 * HTML to plain text for the adapters whose APIs send HTML (Mastodon
 * "content", Hacker News "comment_text"/"story_text", Lemmy never does).
 * Tags are removed (the text inside links and mentions is kept), entities
 * decoded (named and numeric), whitespace collapsed as a browser would,
 * <br> becomes a newline and paragraph boundaries (<p>, </p>) a blank
 * line; script and style contents and comments are dropped.
 */
#ifndef CND_HTML_H
#define CND_HTML_H

#include <stddef.h>

#include "common/buf.h"

/*
 * Appends the text of the "len" bytes of HTML at "html" to "out". The
 * input should be valid UTF-8 (the output then is too). Numeric entities
 * naming no Unicode scalar value (0, surrogates, beyond U+10FFFF) become
 * U+FFFD; an '&' or '<' that starts no entity or tag is kept as it is.
 * Leading and trailing whitespace is trimmed. Returns 0, or the buffer's
 * CND_ENOMEM / CND_ETOOBIG.
 */
int cnd_html_to_text(struct cnd_buf *out, const char *html, size_t len);

/*
 * Decodes one entity starting at "s" ('&', "len" bytes available).
 * On success stores the code point in "*cp" (U+FFFD for invalid numeric
 * ones), the bytes used in "*used", and returns 1; returns 0 when "s"
 * starts no entity.
 */
int cnd_html_entity(const char *s, size_t len, unsigned long *cp, size_t *used);

/* Appends code point "cp" as UTF-8 (U+FFFD if it is not a scalar value). */
int cnd_html_add_utf8(struct cnd_buf *out, unsigned long cp);

#endif
