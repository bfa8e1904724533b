/* SPDX-License-Identifier: MIT */
/*
 * Tests for common/utf8.c: valid sequences of every length, and each kind
 * of invalid input RFC 3629 forbids (overlongs, surrogates, code points
 * above U+10FFFF, stray and missing continuation bytes), with the offset
 * of the first bad byte, inside and outside the 8-byte ASCII fast path.
 */
#include <string.h>

#include "common/utf8.h"
#include "tests/unit/check.h"

struct utf8_case {
    const char *s;
    size_t len;      /* 0: strlen */
    int valid;
    size_t bad;      /* offset of the first invalid byte */
};

static const struct utf8_case cases[] = {
    { "", 0, 1, 0 },
    { "plain ascii", 0, 1, 0 },
    { "nul\0inside", 10, 1, 0 },
    { "caf\xc3\xa9", 0, 1, 0 },                          /* U+00E9 */
    { "\xc2\x80", 0, 1, 0 },                             /* U+0080, smallest 2-byte */
    { "\xdf\xbf", 0, 1, 0 },                             /* U+07FF */
    { "\xe0\xa0\x80", 0, 1, 0 },                         /* U+0800, smallest 3-byte */
    { "\xe2\x82\xac", 0, 1, 0 },                         /* euro sign */
    { "\xed\x9f\xbf", 0, 1, 0 },                         /* U+D7FF, below surrogates */
    { "\xee\x80\x80", 0, 1, 0 },                         /* U+E000, above surrogates */
    { "\xef\xbf\xbf", 0, 1, 0 },                         /* U+FFFF */
    { "\xf0\x90\x80\x80", 0, 1, 0 },                     /* U+10000 */
    { "\xf0\x9f\x98\x80", 0, 1, 0 },                     /* emoji U+1F600 */
    { "\xf0\x9f\x90\xb8 frog", 0, 1, 0 },
    { "\xf4\x8f\xbf\xbf", 0, 1, 0 },                     /* U+10FFFF, the last */
    { "\xce\x97 Twitch \xce\xb4\xce\xbf\xce\xba", 0, 1, 0 },
    /* Overlongs. */
    { "\xc0\xaf", 0, 0, 0 },
    { "\xc1\xbf", 0, 0, 0 },
    { "\xe0\x80\xaf", 0, 0, 0 },
    { "\xe0\x9f\xbf", 0, 0, 0 },
    { "\xf0\x80\x80\xaf", 0, 0, 0 },
    { "\xf0\x8f\xbf\xbf", 0, 0, 0 },
    /* Surrogates U+D800..U+DFFF. */
    { "\xed\xa0\x80", 0, 0, 0 },
    { "ab\xed\xbf\xbf", 0, 0, 2 },
    { "\xed\xa0\xbd\xed\xb8\x80", 0, 0, 0 },             /* CESU-8 emoji */
    /* Above U+10FFFF and invalid lead bytes. */
    { "\xf4\x90\x80\x80", 0, 0, 0 },
    { "\xf5\x80\x80\x80", 0, 0, 0 },
    { "\xf8\x88\x80\x80\x80", 0, 0, 0 },
    { "\xfe", 0, 0, 0 },
    { "\xff", 0, 0, 0 },
    /* Stray continuation bytes. */
    { "\x80", 0, 0, 0 },
    { "abc\xbf", 0, 0, 3 },
    { "\xc3\xa9\xa9", 0, 0, 2 },
    /* Truncated sequences (at the end, and cut by a following byte). */
    { "\xc3", 0, 0, 0 },
    { "ab\xe2\x82", 0, 0, 2 },
    { "ab\xf0\x9f\x98", 0, 0, 2 },
    { "\xe2\x82x", 0, 0, 0 },
    { "\xf0\x9f\x98x", 0, 0, 0 },
    { "\xc3(", 0, 0, 0 },
    { "caf\xe9", 0, 0, 3 },                              /* Latin-1 */
    /* Offsets past the fast path. */
    { "0123456789abcdef\xff", 0, 0, 16 },
    { "0123456789abcdefg\xc3", 0, 0, 17 },
    { "0123456\xc3\xa9" "89abcdef0123456789\xed\xa0\x80zz", 0, 0, 27 },
    { "\xf0\x9f\x98\x80" "0123456789abcdef" "\xf0\x9f\x98\x80" "0123456789", 0, 1, 0 },
};

static void test_table(void)
{
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].s);
        size_t bad = 9999;
        int ok = cnd_utf8_valid(cases[i].s, len, &bad);

        CHECK_MSG(ok == cases[i].valid, "case %zu: valid %d, want %d", i, ok, cases[i].valid);
        if (!cases[i].valid) {
            CHECK_MSG(bad == cases[i].bad, "case %zu: bad at %zu, want %zu", i, bad,
                      cases[i].bad);
        } else {
            CHECK_MSG(bad == 9999, "case %zu: offset written for valid input", i);
        }
    }
}

static void test_length_respected(void)
{
    /* The bytes after "len" are never read: an emoji cut by len is invalid. */
    const char *s = "ok\xf0\x9f\x98\x80";
    size_t bad = 0;

    CHECK_INT(cnd_utf8_valid(s, 2, &bad), 1);
    CHECK_INT(cnd_utf8_valid(s, 5, &bad), 0);
    CHECK_INT(bad, 2);
    CHECK_INT(cnd_utf8_valid(s, 6, &bad), 1);
    CHECK_INT(cnd_utf8_valid(s, 6, NULL), 1);
    CHECK_INT(cnd_utf8_valid("\xff", 1, NULL), 0);
}

static void test_every_position(void)
{
    /* One bad byte at every position of a long ASCII run, every alignment. */
    char buf[100];
    size_t pos;

    for (pos = 0; pos < sizeof(buf); pos++) {
        size_t bad = 0;

        memset(buf, 'a', sizeof(buf));
        buf[pos] = (char)0x80;
        CHECK_INT(cnd_utf8_valid(buf, sizeof(buf), &bad), 0);
        CHECK_INT(bad, pos);
    }
    memset(buf, 'a', sizeof(buf));
    CHECK_INT(cnd_utf8_valid(buf, sizeof(buf), NULL), 1);
}

static void test_short_and_tails(void)
{
    /* Strings of 1 to 24 bytes: a bad byte, a valid two-byte character or
     * a cut one at every position (the tail is read eight or four at once). */
    char buf[24];
    size_t len, pos;

    for (len = 1; len <= sizeof(buf); len++) {
        for (pos = 0; pos < len; pos++) {
            size_t bad = 9999;

            memset(buf, 'a', sizeof(buf));
            buf[pos] = (char)0xFF;
            CHECK_INT(cnd_utf8_valid(buf, len, &bad), 0);
            CHECK_INT(bad, pos);
            memset(buf, 'a', sizeof(buf));
            buf[pos] = (char)0xC3;
            if (pos + 1 < len) {
                buf[pos + 1] = (char)0xA9;
                CHECK_INT(cnd_utf8_valid(buf, len, NULL), 1);
            } else {
                CHECK_INT(cnd_utf8_valid(buf, len, &bad), 0);
                CHECK_INT(bad, pos);
            }
        }
        memset(buf, 'a', sizeof(buf));
        CHECK_INT(cnd_utf8_valid(buf, len, NULL), 1);
    }
}

static void test_all_code_points(void)
{
    /* Encodes every scalar value and checks each round passes; surrogates fail. */
    unsigned cp;
    unsigned long wrong = 0;

    for (cp = 0; cp <= 0x10FFFF; cp++) {
        unsigned char b[4];
        size_t n;
        int want = !(cp >= 0xD800 && cp <= 0xDFFF);

        if (cp < 0x80) {
            b[0] = (unsigned char)cp;
            n = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | (cp >> 6));
            b[1] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | (cp >> 12));
            b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | (cp >> 18));
            b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            b[3] = (unsigned char)(0x80 | (cp & 0x3F));
            n = 4;
        }
        if (cnd_utf8_valid((const char *)b, n, NULL) != want) {
            wrong++;
        }
    }
    CHECK_INT(wrong, 0);
}

TEST_LIST = {
    { "table", test_table },
    { "length_respected", test_length_respected },
    { "every_position", test_every_position },
    { "short_and_tails", test_short_and_tails },
    { "all_code_points", test_all_code_points },
    { NULL, NULL },
};
