/* SPDX-License-Identifier: MIT */
/*
 * HTML to plain text (see html.h). A single pass over the bytes with a
 * little state: pending whitespace and pending line breaks are emitted
 * only before the next visible character, so runs collapse and the
 * result needs no second trimming pass.
 */
#include <string.h>

#include "common/err.h"
#include "ingest/html.h"

/* Named entities: the ones seen in posts, not the full HTML5 table. */
static const struct {
    const char *name;
    unsigned long cp;
} named[] = {
    { "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
    { "nbsp", ' ' }, /* a plain space: rules match words across it */
    { "hellip", 0x2026 }, { "mdash", 0x2014 }, { "ndash", 0x2013 },
    { "lsquo", 0x2018 }, { "rsquo", 0x2019 }, { "ldquo", 0x201C }, { "rdquo", 0x201D },
    { "sbquo", 0x201A }, { "bdquo", 0x201E }, { "laquo", 0xAB }, { "raquo", 0xBB },
    { "copy", 0xA9 }, { "reg", 0xAE }, { "trade", 0x2122 }, { "euro", 0x20AC },
    { "pound", 0xA3 }, { "yen", 0xA5 }, { "cent", 0xA2 }, { "deg", 0xB0 },
    { "middot", 0xB7 }, { "bull", 0x2022 }, { "times", 0xD7 }, { "divide", 0xF7 },
    { "plusmn", 0xB1 }, { "sect", 0xA7 }, { "para", 0xB6 }, { "iexcl", 0xA1 },
    { "iquest", 0xBF }, { "shy", 0xAD }, { "zwj", 0x200D }, { "zwnj", 0x200C },
    { "eacute", 0xE9 }, { "egrave", 0xE8 }, { "ecirc", 0xEA }, { "aacute", 0xE1 },
    { "agrave", 0xE0 }, { "acirc", 0xE2 }, { "auml", 0xE4 }, { "ouml", 0xF6 },
    { "uuml", 0xFC }, { "Auml", 0xC4 }, { "Ouml", 0xD6 }, { "Uuml", 0xDC },
    { "szlig", 0xDF }, { "ccedil", 0xE7 }, { "ntilde", 0xF1 }, { "oacute", 0xF3 },
    { "iacute", 0xED }, { "uacute", 0xFA }, { "larr", 0x2190 }, { "rarr", 0x2192 },
    { "hearts", 0x2665 }, { "frac12", 0xBD }, { "half", 0xBD },
};

int cnd_html_add_utf8(struct cnd_buf *out, unsigned long cp)
{
    char u[4];
    size_t n;

    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        cp = 0xFFFD;
    }
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return cnd_buf_add(out, u, n);
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hexval(char c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

int cnd_html_entity(const char *s, size_t len, unsigned long *cp, size_t *used)
{
    size_t i = 1;

    if (len < 3 || s[0] != '&') {
        return 0;
    }
    if (s[1] == '#') {
        unsigned long v = 0;
        int hex = 0, digits = 0, big = 0;

        i = 2;
        if (i < len && (s[i] == 'x' || s[i] == 'X')) {
            hex = 1;
            i++;
        }
        for (; i < len; i++) {
            int d = hex ? hexval(s[i]) : (is_digit(s[i]) ? s[i] - '0' : -1);

            if (d < 0) {
                break;
            }
            digits++;
            if (!big) {
                v = v * (hex ? 16 : 10) + (unsigned long)d;
                if (v > 0x10FFFF) {
                    big = 1;
                }
            }
        }
        if (digits == 0 || i >= len || s[i] != ';') {
            return 0;
        }
        if (big || v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
            v = 0xFFFD;
        }
        *cp = v;
        *used = i + 1;
        return 1;
    }
    while (i < len && i < 12 && (is_alpha(s[i]) || is_digit(s[i]))) {
        i++;
    }
    if (i == 1 || i >= len || s[i] != ';') {
        return 0;
    }
    {
        size_t k, nlen = i - 1;

        for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
            if (strlen(named[k].name) == nlen && memcmp(named[k].name, s + 1, nlen) == 0) {
                *cp = named[k].cp;
                *used = i + 1;
                return 1;
            }
        }
    }
    return 0;
}

/* ---- Tags ---- */

enum tagkind { T_OTHER, T_BR, T_PARA, T_BLOCK, T_SKIP };

/* Case-insensitive compare of the tag name "name" ("len" bytes) with "want". */
static int name_is(const char *name, size_t len, const char *want)
{
    size_t i;

    if (strlen(want) != len) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = name[i];

        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != want[i]) {
            return 0;
        }
    }
    return 1;
}

static enum tagkind classify(const char *name, size_t len)
{
    static const char *const blocks[] = {
        "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
        "tr", "table", "hr",
    };
    size_t i;

    if (name_is(name, len, "br")) {
        return T_BR;
    }
    if (name_is(name, len, "p")) {
        return T_PARA;
    }
    if (name_is(name, len, "script") || name_is(name, len, "style")) {
        return T_SKIP;
    }
    for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
        if (name_is(name, len, blocks[i])) {
            return T_BLOCK;
        }
    }
    return T_OTHER;
}

/*
 * Finds the '>' closing the tag that starts at "s[0] == '<'", skipping
 * quoted attribute values. Returns its offset, or 0 when there is none.
 */
static size_t tag_end(const char *s, size_t len)
{
    size_t i;
    char quote = 0;

    for (i = 1; i < len; i++) {
        if (quote) {
            if (s[i] == quote) {
                quote = 0;
            }
        } else if (s[i] == '"' || s[i] == '\'') {
            quote = s[i];
        } else if (s[i] == '>') {
            return i;
        }
    }
    return 0;
}

/* Finds "</name" (case-insensitive) from "s"; returns its offset or len. */
static size_t find_close(const char *s, size_t len, const char *name)
{
    size_t n = strlen(name), i;

    for (i = 0; i + 2 + n <= len; i++) {
        if (s[i] == '<' && s[i + 1] == '/' && name_is(s + i + 2, n, name)) {
            return i;
        }
    }
    return len;
}

/* ---- Conversion ---- */

struct emit {
    struct cnd_buf *out;
    size_t start;        /* where our text starts in "out" */
    int space;           /* a space is pending */
    int nl;              /* line breaks pending (0..2) */
};

/* Writes the pending separators, then "len" bytes of visible text. */
static int put(struct emit *e, const char *s, size_t len)
{
    int ret;

    if (e->out->len > e->start) {
        if (e->nl > 0) {
            static const char nls[] = "\n\n";

            ret = cnd_buf_add(e->out, nls, (size_t)e->nl);
            if (ret < 0) {
                return ret;
            }
        } else if (e->space) {
            ret = cnd_buf_addc(e->out, ' ');
            if (ret < 0) {
                return ret;
            }
        }
    }
    e->nl = 0;
    e->space = 0;
    return cnd_buf_add(e->out, s, len);
}

/* Asks for "n" line breaks before the next text; "add": on top of pending ones. */
static void brk(struct emit *e, int n, int add)
{
    if (e->out->len == e->start) {
        return;   /* nothing before: no leading breaks */
    }
    if (add) {
        e->nl = e->nl + n > 2 ? 2 : e->nl + n;   /* <br><br> is a blank line */
    } else if (n > e->nl) {
        e->nl = n;
    }
    e->space = 0;
}

int cnd_html_to_text(struct cnd_buf *out, const char *html, size_t len)
{
    struct emit e = { out, out->len, 0, 0 };
    size_t i = 0;
    int ret;

    while (i < len) {
        char c = html[i];

        if (c == '<' && i + 1 < len &&
            (is_alpha(html[i + 1]) || html[i + 1] == '/' || html[i + 1] == '!' ||
             html[i + 1] == '?')) {
            size_t end, nstart, nend;
            int closing;

            if (html[i + 1] == '!' && i + 3 < len && html[i + 2] == '-' && html[i + 3] == '-') {
                const char *p = NULL;
                size_t k;

                for (k = i + 4; k + 2 < len; k++) {
                    if (html[k] == '-' && html[k + 1] == '-' && html[k + 2] == '>') {
                        p = html + k;
                        break;
                    }
                }
                i = p ? (size_t)(p - html) + 3 : len;
                continue;
            }
            end = tag_end(html + i, len - i);
            if (end == 0) {
                /* no closing '>': not a tag, keep the text */
                ret = put(&e, "<", 1);
                if (ret < 0) {
                    return ret;
                }
                i++;
                continue;
            }
            closing = html[i + 1] == '/';
            nstart = i + 1 + (size_t)closing;
            nend = nstart;
            while (nend < i + end && (is_alpha(html[nend]) || is_digit(html[nend]))) {
                nend++;
            }
            switch (classify(html + nstart, nend - nstart)) {
            case T_BR:
                brk(&e, 1, 1);
                break;
            case T_PARA:
                brk(&e, 2, 0);
                break;
            case T_BLOCK:
                brk(&e, 1, 0);
                break;
            case T_SKIP:
                if (!closing && html[i + end - 1] != '/') {
                    char name[8];
                    size_t nl = nend - nstart, k, at, more;

                    for (k = 0; k < nl; k++) {
                        char ch = html[nstart + k];

                        name[k] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
                    }
                    name[nl] = '\0';
                    at = i + end + 1;
                    at += find_close(html + at, len - at, name);
                    more = at < len ? tag_end(html + at, len - at) : 0;
                    i = more ? at + more + 1 : len;
                    continue;
                }
                break;
            case T_OTHER:
                break;
            }
            i += end + 1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
            e.space = 1;
            i++;
            continue;
        }
        if (c == '&') {
            unsigned long cp;
            size_t used;

            if (cnd_html_entity(html + i, len - i, &cp, &used)) {
                i += used;
                if (cp == ' ') {
                    e.space = 1;
                    continue;
                }
                if (cp == 0xAD) {
                    continue;   /* soft hyphen: invisible */
                }
                ret = put(&e, "", 0);
                if (ret == 0) {
                    ret = cnd_html_add_utf8(out, cp);
                }
                if (ret < 0) {
                    return ret;
                }
                continue;
            }
        }
        {
            /* a run of ordinary bytes */
            size_t j = i + 1;

            while (j < len && html[j] != '<' && html[j] != '&' && html[j] != ' ' &&
                   html[j] != '\n' && html[j] != '\t' && html[j] != '\r' && html[j] != '\f') {
                j++;
            }
            ret = put(&e, html + i, j - i);
            if (ret < 0) {
                return ret;
            }
            i = j;
        }
    }
    return 0;
}
