/* SPDX-License-Identifier: MIT */
/*
 * Timestamps and days: a hand-written parser for the timestamp forms the
 * APIs use (ISO-8601 / RFC 3339 with any fraction and any offset, plain
 * dates, epoch seconds), civil-date arithmetic that needs no C library
 * time-zone state, and day bucketing in UTC (pure arithmetic) or in one
 * IANA zone. strptime/timegm are not used: they silently drop offsets.
 *
 * A named zone is applied through TZ + tzset() and localtime_r(), the one
 * place where process-global state is touched. The zone is verified to
 * exist as a TZif file first, because glibc silently falls back to UTC
 * for an unknown TZ. Each zone caches the UTC range of the last local day
 * it computed, so bucketing a stream of nearby times rarely calls into
 * the C library. Day bucketing in a named zone is not thread-safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"

/* ---- Civil calendar arithmetic ---- */

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    if (m == 2 && is_leap(y)) {
        return 29;
    }
    return dim[m - 1];
}

/* Floor division for a positive divisor. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b) != 0 && a < 0) {
        q--;
    }
    return q;
}

/*
 * Counts days with a year that starts on March 1st, so the leap day is
 * the last day of the shifted year; 400-year eras have 146097 days.
 */
int64_t cnd_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    if (m <= 2) {
        y -= 1;
    }
    era = floor_div(y, 400);
    yoe = y - era * 400;                                     /* [0, 399] */
    doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;             /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void cnd_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                          /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);   /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                        /* [0, 11] */
    unsigned dd = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);

    *y = yoe + era * 400 + (mm <= 2 ? 1 : 0);
    *m = mm;
    *d = dd;
}

/* ---- Parsing ---- */

/* Reads exactly "n" digits at "s" into "*v"; returns 0 or -1. */
static int digits(const char *s, size_t n, unsigned *v)
{
    unsigned x = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        x = x * 10 + (unsigned)(s[i] - '0');
    }
    *v = x;
    return 0;
}

/* Epoch seconds: [-]DIGITS[.DIGITS]; at most 15 integer digits. */
static int parse_epoch(const char *s, size_t len, int64_t *out)
{
    size_t i = 0, start;
    int neg = 0;
    int64_t v = 0;

    if (i < len && s[i] == '-') {
        neg = 1;
        i++;
    }
    start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (i - start >= 15) {
            return CND_EPARSE;
        }
        v = v * 10 + (s[i] - '0');
        i++;
    }
    if (i == start) {
        return CND_EPARSE;
    }
    if (i < len && s[i] == '.') {
        size_t frac = ++i;

        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
        }
        if (i == frac) {
            return CND_EPARSE;
        }
        /* The fraction is truncated toward the earlier second. */
        if (neg) {
            size_t k;

            for (k = frac; k < i; k++) {
                if (s[k] != '0') {
                    v += 1;
                    break;
                }
            }
        }
    }
    if (i != len) {
        return CND_EPARSE;
    }
    *out = neg ? -v : v;
    return 0;
}

/*
 * Parses the zone suffix starting at "s" ("len" bytes, the rest of the
 * input): "Z", "+HH:MM", "+HHMM", "+HH" or a '-' form. Stores the offset
 * east of UTC in seconds.
 */
static int parse_offset(const char *s, size_t len, int64_t *off)
{
    unsigned hh, mm = 0;
    int sign;

    if (len == 1 && (s[0] == 'Z' || s[0] == 'z')) {
        *off = 0;
        return 0;
    }
    if (len < 3 || (s[0] != '+' && s[0] != '-')) {
        return CND_EPARSE;
    }
    sign = s[0] == '-' ? -1 : 1;
    if (digits(s + 1, 2, &hh) < 0) {
        return CND_EPARSE;
    }
    if (len == 3) {
        /* "+HH" */
    } else if (len == 5) {
        if (digits(s + 3, 2, &mm) < 0) {
            return CND_EPARSE;
        }
    } else if (len == 6 && s[3] == ':') {
        if (digits(s + 4, 2, &mm) < 0) {
            return CND_EPARSE;
        }
    } else {
        return CND_EPARSE;
    }
    if (hh > 23 || mm > 59) {
        return CND_EPARSE;
    }
    *off = sign * (int64_t)(hh * 3600 + mm * 60);
    return 0;
}

int cnd_time_parse(const char *s, size_t len, int64_t *out)
{
    unsigned y, mo, d, hh = 0, mi = 0, ss = 0;
    int64_t off = 0, t;
    size_t i;

    if (s == NULL || len == 0) {
        return CND_EPARSE;
    }
    /* A date has its first '-' at index 4; anything else is epoch seconds. */
    if (len < 5 || s[4] != '-') {
        return parse_epoch(s, len, out);
    }
    if (len < 10 || digits(s, 4, &y) < 0 || s[4] != '-' || digits(s + 5, 2, &mo) < 0 ||
        s[7] != '-' || digits(s + 8, 2, &d) < 0) {
        return CND_EPARSE;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        return CND_EPARSE;
    }
    i = 10;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') {
            return CND_EPARSE;
        }
        i++;
        if (len - i < 5 || digits(s + i, 2, &hh) < 0 || s[i + 2] != ':' ||
            digits(s + i + 3, 2, &mi) < 0) {
            return CND_EPARSE;
        }
        i += 5;
        if (i < len && s[i] == ':') {
            if (len - i < 3 || digits(s + i + 1, 2, &ss) < 0) {
                return CND_EPARSE;
            }
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                size_t frac = ++i;

                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    i++;
                }
                if (i == frac) {
                    return CND_EPARSE;
                }
            }
        }
        if (hh > 23 || mi > 59 || ss > 60) {
            return CND_EPARSE;
        }
        if (ss == 60) {
            ss = 59; /* leap second: stay in the same minute and day */
        }
        if (i < len && parse_offset(s + i, len - i, &off) < 0) {
            return CND_EPARSE;
        }
    }
    t = cnd_days_from_civil(y, mo, d) * 86400 + (int64_t)(hh * 3600 + mi * 60 + ss);
    *out = t - off;
    return 0;
}

/* ---- Formatting ---- */

static void put_digits(char *p, unsigned v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Writes "YYYY-MM-DD" (years clamped to 0000..9999) at "p". */
static void put_day(char *p, int64_t days)
{
    int64_t y;
    unsigned m, d;

    cnd_civil_from_days(days, &y, &m, &d);
    if (y < 0) {
        y = 0;
    } else if (y > 9999) {
        y = 9999;
    }
    put_digits(p, (unsigned)y, 4);
    p[4] = '-';
    put_digits(p + 5, m, 2);
    p[7] = '-';
    put_digits(p + 8, d, 2);
}

void cnd_time_format(int64_t t, char out[21])
{
    int64_t days = floor_div(t, 86400);
    unsigned sec = (unsigned)(t - days * 86400);

    put_day(out, days);
    out[10] = 'T';
    put_digits(out + 11, sec / 3600, 2);
    out[13] = ':';
    put_digits(out + 14, sec / 60 % 60, 2);
    out[16] = ':';
    put_digits(out + 17, sec % 60, 2);
    out[19] = 'Z';
    out[20] = '\0';
}

int cnd_day_check(const char *s)
{
    unsigned y, m, d;

    if (s == NULL || strlen(s) != 10 || digits(s, 4, &y) < 0 || s[4] != '-' ||
        digits(s + 5, 2, &m) < 0 || s[7] != '-' || digits(s + 8, 2, &d) < 0) {
        return CND_EPARSE;
    }
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) {
        return CND_EPARSE;
    }
    return 0;
}

/* ---- Time zones ---- */

struct cnd_tz {
    int utc;          /* computed with arithmetic only */
    char *tzenv;      /* ":/usr/share/zoneinfo/Area/City" for TZ */
    /* Cache: UTC times in [lo, hi) fall on local day "day". */
    int64_t lo, hi;
    char day[11];
};

/* The zone whose TZ value is currently applied to the process. */
static const struct cnd_tz *tz_active;

/* Accepts names made of [A-Za-z0-9_+-] components separated by '/'. */
static int tz_name_ok(const char *name)
{
    const char *p = name;
    size_t comp = 0;

    if (*p == '\0' || *p == '/' || strlen(name) > 200) {
        return 0;
    }
    for (; *p; p++) {
        char c = *p;

        if (c == '/') {
            if (comp == 0) {
                return 0;
            }
            comp = 0;
            continue;
        }
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '+' || c == '-' || c == '.')) {
            return 0;
        }
        comp++;
    }
    if (comp == 0 || strstr(name, "..") != NULL || name[0] == '.' || strstr(name, "/.")) {
        return 0;
    }
    return 1;
}

/* Returns 1 when "path" is a regular file starting with the TZif magic. */
static int is_tzif(const char *path)
{
    struct stat st;
    char magic[4];
    ssize_t n;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return 0;
    }
    do {
        n = read(fd, magic, sizeof(magic));
    } while (n < 0 && errno == EINTR);
    close(fd);
    return n == 4 && memcmp(magic, "TZif", 4) == 0;
}

struct cnd_tz *cnd_tz_new(const char *name, int *err)
{
    struct cnd_tz *tz;
    const char *dir;
    size_t need;
    int dummy;

    if (err == NULL) {
        err = &dummy;
    }
    tz = cnd_calloc(1, sizeof(*tz));
    if (tz == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    tz->lo = 0;
    tz->hi = 0; /* empty cache */
    if (name == NULL || name[0] == '\0' || strcmp(name, "UTC") == 0) {
        tz->utc = 1;
        return tz;
    }
    if (!tz_name_ok(name)) {
        cnd_free(tz);
        *err = CND_EINVAL;
        return NULL;
    }
    dir = getenv("TZDIR");
    if (dir == NULL || dir[0] != '/') {
        dir = "/usr/share/zoneinfo";
    }
    need = 1 + strlen(dir) + 1 + strlen(name) + 1;
    tz->tzenv = cnd_malloc(need);
    if (tz->tzenv == NULL) {
        cnd_free(tz);
        *err = CND_ENOMEM;
        return NULL;
    }
    snprintf(tz->tzenv, need, ":%s/%s", dir, name);
    if (!is_tzif(tz->tzenv + 1)) {
        cnd_tz_free(tz);
        *err = CND_EINVAL;
        return NULL;
    }
    return tz;
}

void cnd_tz_free(struct cnd_tz *tz)
{
    if (tz == NULL) {
        return;
    }
    if (tz_active == tz) {
        tz_active = NULL;
    }
    cnd_free(tz->tzenv);
    cnd_free(tz);
}

/* Local broken-down time of "t" in the active zone; returns 0 or -1. */
static int local_of(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;

    return localtime_r(&tt, tm) != NULL ? 0 : -1;
}

static int64_t tm_days(const struct tm *tm)
{
    return cnd_days_from_civil((int64_t)tm->tm_year + 1900, (unsigned)tm->tm_mon + 1,
                               (unsigned)tm->tm_mday);
}

void cnd_day_of(const struct cnd_tz *ctz, int64_t t, char day[11])
{
    struct cnd_tz *tz = (struct cnd_tz *)ctz; /* the cache is mutable */
    struct tm tm, tm_lo, tm_hi;
    int64_t days, lo, hi;

    if (tz == NULL || tz->utc) {
        put_day(day, floor_div(t, 86400));
        day[10] = '\0';
        return;
    }
    if (t >= tz->lo && t < tz->hi) {
        memcpy(day, tz->day, 11);
        return;
    }
    if (tz_active != tz) {
        if (setenv("TZ", tz->tzenv, 1) != 0) {
            /* Cannot apply the zone: fall back to the UTC day. */
            put_day(day, floor_div(t, 86400));
            day[10] = '\0';
            return;
        }
        tzset();
        tz_active = tz;
    }
    if (local_of(t, &tm) != 0) {
        put_day(day, floor_div(t, 86400));
        day[10] = '\0';
        return;
    }
    days = tm_days(&tm);
    put_day(day, days);
    day[10] = '\0';

    /*
     * Cache the local day when the UTC offset is the same at both of its
     * ends (no transition inside it); otherwise cache just this second.
     */
    lo = t - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
    hi = lo + 86400;
    if (local_of(lo, &tm_lo) == 0 && local_of(hi - 1, &tm_hi) == 0 &&
        tm_lo.tm_gmtoff == tm.tm_gmtoff && tm_hi.tm_gmtoff == tm.tm_gmtoff &&
        tm_days(&tm_lo) == days && tm_days(&tm_hi) == days) {
        tz->lo = lo;
        tz->hi = hi;
    } else {
        tz->lo = t;
        tz->hi = t + 1;
    }
    memcpy(tz->day, day, 11);
}
