/* SPDX-License-Identifier: MIT */
/* UTF-8 validation (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
#ifndef CND_UTF8_H
#define CND_UTF8_H

#include <stddef.h>

/*
 * Returns 1 when the "len" bytes at "s" are valid UTF-8. Otherwise returns
 * 0 and, when "bad" is not NULL, stores the offset of the first invalid byte.
 */
int cnd_utf8_valid(const char *s, size_t len, size_t *bad);

#endif
