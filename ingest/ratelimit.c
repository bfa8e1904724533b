/* SPDX-License-Identifier: MIT */
/*
 * Rate-limit headers, Retry-After and exponential backoff: the arithmetic
 * http.c applies to every response, kept free of clocks and I/O so that
 * tests/unit/test_ratelimit.c checks each dialect on real header values.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "common/timeutil.h"
#include "ingest/ratelimit.h"

/* ---- Numbers and dates ---- */

/* A non-negative decimal number ("598.0", "12"); 0 or CND_EPARSE. */
static int parse_num(const char *s, double *out)
{
    const char *p = s;
    double v = 0, scale = 1;
    int digits = 0;

    while (*p == ' ' || *p == '\t') {
        p++;
    }
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        v = v * 10 + (*p - '0');
        if (v > 1e15) {
            return CND_EPARSE;
        }
    }
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            scale /= 10;
            v += (*p - '0') * scale;
        }
    }
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (digits == 0 || *p != '\0') {
        return CND_EPARSE;
    }
    *out = v;
    return 0;
}

static int month_of(const char *s)
{
    static const char *const names[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    int i;

    for (i = 0; i < 12; i++) {
        if (strncasecmp(s, names[i], 3) == 0) {
            return i + 1;
        }
    }
    return 0;
}

/* Reads exactly "n" digits at "*p" (advancing it); -1 when absent. */
static long digits(const char **p, int n)
{
    long v = 0;
    int i;

    for (i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9') {
            return -1;
        }
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

/* "HH:MM:SS" at "*p". */
static int parse_hms(const char **p, long *h, long *m, long *s)
{
    *h = digits(p, 2);
    if (*h < 0 || **p != ':') {
        return -1;
    }
    (*p)++;
    *m = digits(p, 2);
    if (*m < 0 || **p != ':') {
        return -1;
    }
    (*p)++;
    *s = digits(p, 2);
    if (*s < 0 || *h > 23 || *m > 59 || *s > 60) {
        return -1;
    }
    if (*s == 60) {
        *s = 59;
    }
    return 0;
}

static int valid_day(long y, long mo, long d)
{
    static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) {
        return 0;
    }
    return !(mo == 2 && d == 29 && !leap);
}

int cnd_http_date_parse(const char *s, int64_t *out)
{
    const char *p = s;
    long y, mo, d, h, mi, se;
    int comma = 0;

    if (s == NULL) {
        return CND_EPARSE;
    }
    while (*p == ' ') {
        p++;
    }
    /* the weekday name */
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
        p++;
    }
    if (*p == ',') {
        comma = 1;
        p++;
    }
    if (*p != ' ') {
        return CND_EPARSE;
    }
    while (*p == ' ') {
        p++;
    }
    if (comma) {
        /* "06 Nov 1994 08:49:37 GMT" or "06-Nov-94 08:49:37 GMT" */
        char sep;

        d = digits(&p, 2);
        sep = *p;
        if (d < 0 || (sep != ' ' && sep != '-')) {
            return CND_EPARSE;
        }
        p++;
        mo = month_of(p);
        if (mo == 0 || p[3] != sep) {
            return CND_EPARSE;
        }
        p += 4;
        if (sep == ' ') {
            y = digits(&p, 4);
        } else {
            y = digits(&p, 2);
            if (y >= 0) {
                y += y < 70 ? 2000 : 1900;   /* RFC 9110: two-digit years, 50 years rule */
            }
        }
        if (y < 0 || *p != ' ') {
            return CND_EPARSE;
        }
        p++;
        if (parse_hms(&p, &h, &mi, &se) < 0 || strcmp(p, " GMT") != 0) {
            return CND_EPARSE;
        }
    } else {
        /* asctime: "Nov  6 08:49:37 1994" */
        mo = month_of(p);
        if (mo == 0 || p[3] != ' ') {
            return CND_EPARSE;
        }
        p += 4;
        if (*p == ' ') {
            p++;
            d = digits(&p, 1);
        } else {
            d = digits(&p, 2);
        }
        if (d < 0 || *p != ' ') {
            return CND_EPARSE;
        }
        p++;
        if (parse_hms(&p, &h, &mi, &se) < 0 || *p != ' ') {
            return CND_EPARSE;
        }
        p++;
        y = digits(&p, 4);
        if (y < 0 || *p != '\0') {
            return CND_EPARSE;
        }
    }
    if (!valid_day(y, mo, d)) {
        return CND_EPARSE;
    }
    *out = cnd_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

int cnd_retry_after_parse(const char *v, double now, double *at)
{
    double secs;
    int64_t t;

    if (v == NULL) {
        return CND_EPARSE;
    }
    if (parse_num(v, &secs) == 0) {
        *at = now + secs;
        return 0;
    }
    if (cnd_http_date_parse(v, &t) == 0) {
        *at = (double)t;
        return 0;
    }
    return CND_EPARSE;
}

int cnd_ratelimit_reset_parse(const char *v, double now, double *at)
{
    double num;
    int64_t t;

    if (v == NULL) {
        return CND_EPARSE;
    }
    if (parse_num(v, &num) == 0) {
        *at = num >= 1e9 ? num : now + num;
        return 0;
    }
    if (strchr(v, '-') != NULL && cnd_time_parse(v, strlen(v), &t) == 0) {
        /* keep the fraction of "2025-07-17T20:05:00.290188Z" out: whole seconds */
        *at = (double)t;
        return 0;
    }
    if (cnd_http_date_parse(v, &t) == 0) {
        *at = (double)t;
        return 0;
    }
    return CND_EPARSE;
}

/* ---- Headers ---- */

static const char *find(const struct cnd_header *h, size_t n, const char *a, const char *b)
{
    size_t i;

    for (i = 0; h != NULL && i < n; i++) {
        if (h[i].name != NULL && h[i].value != NULL &&
            (strcasecmp(h[i].name, a) == 0 || (b != NULL && strcasecmp(h[i].name, b) == 0))) {
            return h[i].value;
        }
    }
    return NULL;
}

void cnd_ratelimit_parse(const struct cnd_header *h, size_t n, double now,
                         struct cnd_ratelimit *rl)
{
    const char *v;
    double x;

    memset(rl, 0, sizeof(*rl));
    v = find(h, n, "Retry-After", NULL);
    if (v != NULL && cnd_retry_after_parse(v, now, &x) == 0) {
        rl->has_retry_after = 1;
        rl->retry_at = x;
    }
    v = find(h, n, "X-RateLimit-Limit", "RateLimit-Limit");
    if (v != NULL && parse_num(v, &x) == 0) {
        rl->has_limit = 1;
        rl->limit = x;
    }
    v = find(h, n, "X-RateLimit-Remaining", "RateLimit-Remaining");
    if (v != NULL && parse_num(v, &x) == 0) {
        rl->has_remaining = 1;
        rl->remaining = x;
    }
    v = find(h, n, "X-RateLimit-Reset", "RateLimit-Reset");
    if (v != NULL && cnd_ratelimit_reset_parse(v, now, &x) == 0) {
        rl->has_reset = 1;
        rl->reset_at = x;
    }
    if (!rl->has_limit && rl->has_remaining) {
        /* Reddit: used + remaining */
        v = find(h, n, "X-RateLimit-Used", NULL);
        if (v != NULL && parse_num(v, &x) == 0) {
            rl->has_limit = 1;
            rl->limit = x + rl->remaining;
        }
    }
}

double cnd_ratelimit_wait(const struct cnd_ratelimit *rl, long status, double now)
{
    double until;

    if (status == 429 || status == 503) {
        if (rl->has_retry_after) {
            return rl->retry_at > now ? rl->retry_at - now : 0;
        }
        if (rl->has_reset && (status == 429 || (rl->has_remaining && rl->remaining < 1))) {
            return rl->reset_at > now ? rl->reset_at - now : 0;
        }
        return -1;
    }
    if (!rl->has_remaining || !rl->has_reset || rl->reset_at <= now) {
        return 0;
    }
    until = rl->reset_at - now;
    if (rl->remaining < 1) {
        return until;
    }
    if (rl->remaining <= (rl->has_limit && rl->limit > 0 ? rl->limit / 10 : 10)) {
        return until / floor(rl->remaining);
    }
    return 0;
}

double cnd_backoff_delay(double base, double cap, unsigned attempt, double rnd)
{
    double d = base;
    unsigned i;

    for (i = 1; i < attempt && d < cap; i++) {
        d *= 2;
    }
    if (d > cap) {
        d = cap;
    }
    if (rnd < 0) {
        rnd = 0;
    } else if (rnd >= 1) {
        rnd = 0.999999;
    }
    return d / 2 + d / 2 * rnd;
}
