/* SPDX-License-Identifier: MIT */
/* Growable, capped, NUL-terminated byte buffer. */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"

void cnd_buf_init(struct cnd_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void cnd_buf_release(struct cnd_buf *b)
{
    if (b == NULL) {
        return;
    }
    cnd_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void cnd_buf_reset(struct cnd_buf *b)
{
    b->len = 0;
    if (b->data) {
        b->data[0] = '\0';
    }
}

int cnd_buf_reserve(struct cnd_buf *b, size_t extra)
{
    size_t need, cap;
    char *data;

    if (extra > SIZE_MAX - b->len - 1) {
        return CND_ETOOBIG;
    }
    need = b->len + extra;
    if (b->max && need > b->max) {
        return CND_ETOOBIG;
    }
    if (need + 1 <= b->cap) {
        return 0;
    }
    cap = b->cap ? b->cap : 64;
    while (cap < need + 1) {
        cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
    }
    data = cnd_realloc(b->data, cap);
    if (data == NULL) {
        return CND_ENOMEM;
    }
    b->data = data;
    b->cap = cap;
    b->data[b->len] = '\0';
    return 0;
}

int cnd_buf_add(struct cnd_buf *b, const void *data, size_t len)
{
    int ret = cnd_buf_reserve(b, len);

    if (ret < 0) {
        return ret;
    }
    if (len) {
        memcpy(b->data + b->len, data, len);
    }
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int cnd_buf_adds(struct cnd_buf *b, const char *s)
{
    return cnd_buf_add(b, s, strlen(s));
}

int cnd_buf_addc(struct cnd_buf *b, char c)
{
    if (b->len + 1 < b->cap && (b->max == 0 || b->len < b->max)) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return 0;
    }
    return cnd_buf_add(b, &c, 1);
}

int cnd_buf_vaddf(struct cnd_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    int n, ret;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        return CND_EINVAL;
    }
    ret = cnd_buf_reserve(b, (size_t)n);
    if (ret < 0) {
        return ret;
    }
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int cnd_buf_addf(struct cnd_buf *b, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = cnd_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return ret;
}

int cnd_buf_add_base64(struct cnd_buf *b, const unsigned char *s, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;
    int ret = cnd_buf_reserve(b, (len + 2) / 3 * 4);

    for (i = 0; i < len && ret == 0; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        char o[4];

        if (i + 1 < len) {
            v |= (unsigned)s[i + 1] << 8;
        }
        if (i + 2 < len) {
            v |= s[i + 2];
        }
        o[0] = tab[(v >> 18) & 63];
        o[1] = tab[(v >> 12) & 63];
        o[2] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
        o[3] = i + 2 < len ? tab[v & 63] : '=';
        ret = cnd_buf_add(b, o, 4);
    }
    return ret;
}

int cnd_buf_add_json_str(struct cnd_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;
    int ret;

    /* Worst case every byte becomes \u00XX; reserve the common case. */
    ret = cnd_buf_reserve(b, len + 2);
    if (ret < 0) {
        return ret;
    }
    b->data[b->len++] = '"';
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[6];
        size_t elen = 0;

        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        ret = cnd_buf_add(b, s + run, i - run);
        if (ret < 0) {
            return ret;
        }
        run = i + 1;
        esc[elen++] = '\\';
        switch (c) {
        case '"': esc[elen++] = '"'; break;
        case '\\': esc[elen++] = '\\'; break;
        case '\n': esc[elen++] = 'n'; break;
        case '\r': esc[elen++] = 'r'; break;
        case '\t': esc[elen++] = 't'; break;
        default:
            esc[elen++] = 'u';
            esc[elen++] = '0';
            esc[elen++] = '0';
            esc[elen++] = hex[c >> 4];
            esc[elen++] = hex[c & 15];
        }
        ret = cnd_buf_add(b, esc, elen);
        if (ret < 0) {
            return ret;
        }
    }
    ret = cnd_buf_add(b, s + run, len - run);
    if (ret < 0) {
        return ret;
    }
    return cnd_buf_addc(b, '"');
}

int cnd_buf_add_i64(struct cnd_buf *b, int64_t v)
{
    char tmp[24];
    char *p = tmp + sizeof(tmp);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) {
        *--p = '-';
    }
    return cnd_buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

char *cnd_buf_detach(struct cnd_buf *b)
{
    char *data;

    if (b->data == NULL && cnd_buf_reserve(b, 0) < 0) {
        return NULL;
    }
    data = b->data;
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return data;
}
