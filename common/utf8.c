/* SPDX-License-Identifier: MIT */
/*
 * Strict UTF-8 validation after RFC 3629: no overlong forms, no UTF-16
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF. Runs of ASCII are
 * skipped eight bytes at a time, which is most of any post.
 */
#include <stdint.h>
#include <string.h>

#include "common/utf8.h"

#define HIGH_BITS 0x8080808080808080ULL

/* Is "c" a continuation byte (10xxxxxx)? */
#define CONT(c) (((c) & 0xC0) == 0x80)

/*
 * Whether bytes "i" to "len" of "p", fewer than eight, are all ASCII: read
 * at once as the last eight (or two overlapping fours) of the string when
 * it is that long, which most strings (ids, dates, the end of a text) are,
 * instead of one byte at a time.
 */
static int ascii_tail(const unsigned char *p, size_t i, size_t len)
{
    uint64_t w;
    uint32_t a, b;

    if (len >= 8) {
        memcpy(&w, p + len - 8, 8);
        return (w & HIGH_BITS) == 0;
    }
    if (len >= 4) {
        memcpy(&a, p, 4);
        memcpy(&b, p + len - 4, 4);
        return ((a | b) & 0x80808080u) == 0;
    }
    while (i < len && p[i] < 0x80) {
        i++;
    }
    return i == len;
}

int cnd_utf8_valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c;

        /* Fast path: sixteen ASCII bytes at a time, then eight, then the rest at once. */
        while (len - i >= 16) {
            uint64_t w0, w1;

            memcpy(&w0, p + i, 8);
            memcpy(&w1, p + i + 8, 8);
            if ((w0 | w1) & HIGH_BITS) {
                break;
            }
            i += 16;
        }
        while (len - i >= 8) {
            uint64_t w;

            memcpy(&w, p + i, 8);
            if (w & HIGH_BITS) {
                break;
            }
            i += 8;
        }
        if (i >= len || (len - i < 8 && ascii_tail(p, i, len))) {
            break;
        }
        c = p[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            if (len - i < 2 || !CONT(p[i + 1])) {
                goto invalid;
            }
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            unsigned c1;

            if (len - i < 3) {
                goto invalid;
            }
            c1 = p[i + 1];
            if (c == 0xE0) {
                if (c1 < 0xA0 || c1 > 0xBF) { /* overlong */
                    goto invalid;
                }
            } else if (c == 0xED) {
                if (c1 < 0x80 || c1 > 0x9F) { /* surrogates */
                    goto invalid;
                }
            } else if (!CONT(c1)) {
                goto invalid;
            }
            if (!CONT(p[i + 2])) {
                goto invalid;
            }
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            unsigned c1;

            if (len - i < 4) {
                goto invalid;
            }
            c1 = p[i + 1];
            if (c == 0xF0) {
                if (c1 < 0x90 || c1 > 0xBF) { /* overlong */
                    goto invalid;
                }
            } else if (c == 0xF4) {
                if (c1 < 0x80 || c1 > 0x8F) { /* above U+10FFFF */
                    goto invalid;
                }
            } else if (!CONT(c1)) {
                goto invalid;
            }
            if (!CONT(p[i + 2]) || !CONT(p[i + 3])) {
                goto invalid;
            }
            i += 4;
        } else {
            /* Stray continuation, C0/C1 (overlong) or F5..FF. */
            goto invalid;
        }
    }
    return 1;

invalid:
    if (bad != NULL) {
        *bad = i;
    }
    return 0;
}
