/* SPDX-License-Identifier: MIT */
/*
 * Tests for common/timeutil.c: every accepted timestamp form, offsets that
 * move the UTC day, leap seconds, rejected garbage, civil-date arithmetic,
 * and day bucketing in UTC and in named zones across DST switches.
 * Expected epochs were computed independently (Python's datetime).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "common/timeutil.h"
#include "tests/unit/check.h"

struct parse_case {
    const char *in;
    int64_t want;
};

/* 2025-07-17T20:03:39Z = 1752782619 */
static const struct parse_case accepted[] = {
    { "2025-07-17T20:03:39Z", 1752782619 },
    { "2025-07-17T20:03:39z", 1752782619 },
    { "2025-07-17t20:03:39Z", 1752782619 },
    { "2025-07-17 20:03:39Z", 1752782619 },
    { "2025-07-17T20:03:39", 1752782619 },           /* no zone = UTC */
    { "2025-07-17 20:03:39", 1752782619 },
    { "2025-07-17T20:03:39.000Z", 1752782619 },      /* Mastodon */
    { "2025-07-17T20:03:39.999Z", 1752782619 },      /* truncated, not rounded */
    { "2025-07-17T20:03:39.123456Z", 1752782619 },   /* Bluesky, 6 digits */
    { "2025-07-17T20:03:39.123456789012Z", 1752782619 },
    { "2025-07-17T20:03:39.5", 1752782619 },
    { "2025-07-17T20:03:39,5Z", 1752782619 },
    { "2025-07-17T20:03:39+00:00", 1752782619 },
    { "2025-07-17T20:03:39-00:00", 1752782619 },
    { "2025-07-17T22:03:39+02:00", 1752782619 },
    { "2025-07-17T22:03:39+0200", 1752782619 },
    { "2025-07-17T22:03:39+02", 1752782619 },
    { "2025-07-18T01:33:39+05:30", 1752782619 },     /* next day locally */
    { "2025-07-18T01:33:39.000+05:30", 1752782619 },
    { "2025-07-17T15:03:39-05:00", 1752782619 },
    { "2025-07-17T15:03:39-0500", 1752782619 },
    { "2025-07-17T15:03:39.25-05", 1752782619 },
    { "2025-07-17T20:03Z", 1752782580 },             /* no seconds */
    { "2025-07-17", 1752710400 },                    /* plain date */
    { "1752782619", 1752782619 },                    /* epoch */
    { "1752782619.0", 1752782619 },
    { "1752782619.987", 1752782619 },
    { "0", 0 },
    { "-1", -1 },
    { "-1.5", -2 },
    { "1970-01-01T00:00:00Z", 0 },
    { "1969-12-31T23:59:59Z", -1 },
    { "2000-02-29T12:00:00Z", 951825600 },
    { "2024-02-29", 1709164800 },
    { "1600-03-01", -11670912000 },
    /* Leap second: clamped to :59, stays on the same day. */
    { "2016-12-31T23:59:60Z", 1483228799 },
    { "2016-12-31T23:59:60.5Z", 1483228799 },
    /* Offsets that move the UTC day. */
    { "2026-01-01T00:30:00+01:00", 1767223800 },     /* UTC: 2025-12-31 */
    { "2025-12-31T19:00:00-05:00", 1767225600 },     /* UTC: 2026-01-01 */
};

static const char *const rejected[] = {
    "",
    " ",
    "2025-13-01",
    "2025-00-10",
    "2025-02-30",
    "2025-02-29",            /* not a leap year */
    "1900-02-29",
    "2025-04-31",
    "2025-01-00",
    "2025-07-17T24:00:00Z",
    "2025-07-17T23:60:00Z",
    "2025-07-17T23:59:61Z",
    "2025-07-17T20:03:39ZZ",
    "2025-07-17T20:03:39Z ",
    " 2025-07-17T20:03:39Z",
    "2025-07-17T20:03:39+5:30",
    "2025-07-17T20:03:39+05:3",
    "2025-07-17T20:03:39+24:00",
    "2025-07-17T20:03:39+05:60",
    "2025-07-17T20:03:39+05:30x",
    "2025-07-17T20:03:39.",
    "2025-07-17T20:03:39.Z",
    "2025-07-17T20:03:3",
    "2025-07-17T20",
    "2025-07-17X20:03:39",
    "2025-07-17T",
    "2025-7-17",
    "25-07-17",
    "2025/07/17",
    "1.4e9",
    "1431396317.",
    ".5",
    "12a",
    "abc",
    "-",
    "--1",
    "1431396317 ",
    "9999999999999999999999",
    "2025-07-17garbage",
};

static void test_parse_accepted(void)
{
    size_t i;

    for (i = 0; i < sizeof(accepted) / sizeof(accepted[0]); i++) {
        int64_t t = 42;
        int ret = cnd_time_parse(accepted[i].in, strlen(accepted[i].in), &t);

        CHECK_MSG(ret == 0, "parse '%s' returned %d", accepted[i].in, ret);
        CHECK_MSG(t == accepted[i].want, "parse '%s' = %lld, want %lld", accepted[i].in,
                  (long long)t, (long long)accepted[i].want);
    }
}

static void test_parse_rejected(void)
{
    size_t i;

    for (i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++) {
        int64_t t = 42;
        int ret = cnd_time_parse(rejected[i], strlen(rejected[i]), &t);

        CHECK_MSG(ret == CND_EPARSE, "'%s' accepted (ret %d, t %lld)", rejected[i], ret,
                  (long long)t);
        CHECK_MSG(t == 42, "'%s' wrote the output on failure", rejected[i]);
    }
    CHECK_INT(cnd_time_parse(NULL, 0, NULL), CND_EPARSE);
}

static void test_parse_length_bounded(void)
{
    /* Only "len" bytes are read: the rest of the buffer must not matter. */
    const char *s = "2025-07-17T20:03:39Zjunk";
    int64_t t = 0;

    CHECK_INT(cnd_time_parse(s, 20, &t), 0);
    CHECK_INT(t, 1752782619);
    CHECK_INT(cnd_time_parse(s, 10, &t), 0);
    CHECK_INT(t, 1752710400);
    CHECK_INT(cnd_time_parse(s, 21, &t), CND_EPARSE);
}

static void test_format(void)
{
    static const struct {
        int64_t t;
        const char *want;
    } cases[] = {
        { 0, "1970-01-01T00:00:00Z" },
        { -1, "1969-12-31T23:59:59Z" },
        { 1752782619, "2025-07-17T20:03:39Z" },
        { 951825600, "2000-02-29T12:00:00Z" },
        { 1483228799, "2016-12-31T23:59:59Z" },
        { -11670912000, "1600-03-01T00:00:00Z" },
        { 253402300799, "9999-12-31T23:59:59Z" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char out[21];
        int64_t back = 0;

        memset(out, 'x', sizeof(out));
        cnd_time_format(cases[i].t, out);
        CHECK_STR(out, cases[i].want);
        CHECK_INT(cnd_time_parse(out, strlen(out), &back), 0);
        CHECK_INT(back, cases[i].t);
    }
}

static void test_civil_roundtrip(void)
{
    static const struct {
        int64_t y;
        unsigned m, d;
        int64_t days;
    } cases[] = {
        { 1970, 1, 1, 0 },
        { 1969, 12, 31, -1 },
        { 2000, 3, 1, 11017 },
        { 2025, 7, 17, 20286 },
        { 1600, 3, 1, -135080 },
        { 0, 3, 1, -719468 },
    };
    size_t i;
    int64_t d;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t y;
        unsigned m, dd;

        CHECK_INT(cnd_days_from_civil(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
        cnd_civil_from_days(cases[i].days, &y, &m, &dd);
        CHECK_INT(y, cases[i].y);
        CHECK_INT(m, cases[i].m);
        CHECK_INT(dd, cases[i].d);
    }
    /* Every day from 1890 to 2110 goes there and back, in order. */
    for (d = -29220; d < 51000; d++) {
        int64_t y;
        unsigned m, dd;

        cnd_civil_from_days(d, &y, &m, &dd);
        if (cnd_days_from_civil(y, m, dd) != d || m < 1 || m > 12 || dd < 1 || dd > 31) {
            CHECK_MSG(0, "day %lld does not round-trip", (long long)d);
            break;
        }
    }
}

static void test_day_check(void)
{
    CHECK_INT(cnd_day_check("2025-07-17"), 0);
    CHECK_INT(cnd_day_check("2024-02-29"), 0);
    CHECK_INT(cnd_day_check("2000-02-29"), 0);
    CHECK_INT(cnd_day_check("2025-02-29"), CND_EPARSE);
    CHECK_INT(cnd_day_check("2025-13-01"), CND_EPARSE);
    CHECK_INT(cnd_day_check("2025-02-30"), CND_EPARSE);
    CHECK_INT(cnd_day_check("2025-07-17T00:00:00Z"), CND_EPARSE);
    CHECK_INT(cnd_day_check("2025-7-17"), CND_EPARSE);
    CHECK_INT(cnd_day_check("2025-07-1x"), CND_EPARSE);
    CHECK_INT(cnd_day_check(""), CND_EPARSE);
    CHECK_INT(cnd_day_check(NULL), CND_EPARSE);
}

struct day_case {
    int64_t t;
    const char *day;
};

static void check_days(const struct cnd_tz *tz, const char *zone, const struct day_case *c,
                       size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char day[11];

        memset(day, 'x', sizeof(day));
        cnd_day_of(tz, c[i].t, day);
        CHECK_MSG(strcmp(day, c[i].day) == 0, "%s: day of %lld = '%.11s', want '%s'", zone,
                  (long long)c[i].t, day, c[i].day);
    }
}

static void test_day_utc(void)
{
    static const struct day_case cases[] = {
        { 0, "1970-01-01" },
        { -1, "1969-12-31" },
        { 1752782619, "2025-07-17" },
        { 1752796799, "2025-07-17" },
        { 1752796800, "2025-07-18" },
        { 1483228799, "2016-12-31" },
        { 1767223800, "2025-12-31" },
        { 1767225600, "2026-01-01" },
    };
    struct cnd_tz *tz;
    int err = 0;

    check_days(NULL, "NULL", cases, sizeof(cases) / sizeof(cases[0]));
    tz = cnd_tz_new("UTC", &err);
    CHECK(tz != NULL);
    check_days(tz, "UTC", cases, sizeof(cases) / sizeof(cases[0]));
    cnd_tz_free(tz);
    tz = cnd_tz_new("", &err);
    CHECK(tz != NULL);
    check_days(tz, "\"\"", cases, sizeof(cases) / sizeof(cases[0]));
    cnd_tz_free(tz);
    tz = cnd_tz_new(NULL, &err);
    CHECK(tz != NULL);
    cnd_tz_free(tz);
}

/* America/New_York, 2025: EST->EDT 2025-03-09 07:00Z, EDT->EST 2025-11-02 06:00Z. */
static const struct day_case new_york[] = {
    { 1741496399, "2025-03-08" }, /* 03-09 04:59:59Z = 03-08 23:59:59 EST */
    { 1741496400, "2025-03-09" }, /* 03-09 05:00:00Z = 00:00:00 EST */
    { 1741503599, "2025-03-09" }, /* 06:59:59Z = 01:59:59 EST */
    { 1741503600, "2025-03-09" }, /* 07:00:00Z = 03:00:00 EDT */
    { 1741579199, "2025-03-09" }, /* 03-10 03:59:59Z = 03-09 23:59:59 EDT */
    { 1741579200, "2025-03-10" }, /* 03-10 04:00:00Z = 00:00:00 EDT */
    { 1752782619, "2025-07-17" },
    { 1752796800, "2025-07-17" }, /* 07-18 00:00Z = 07-17 20:00 EDT */
    { 1762055999, "2025-11-01" }, /* 11-02 03:59:59Z = 11-01 23:59:59 EDT */
    { 1762056000, "2025-11-02" },
    { 1762063199, "2025-11-02" }, /* 05:59:59Z = 01:59:59 EDT */
    { 1762063200, "2025-11-02" }, /* 06:00:00Z = 01:00:00 EST */
    { 1762145999, "2025-11-02" }, /* 11-03 04:59:59Z = 11-02 23:59:59 EST */
    { 1762146000, "2025-11-03" },
    /* Back again, to defeat any cache that would only go forward. */
    { 1741496399, "2025-03-08" },
    { 1741579200, "2025-03-10" },
};

static const struct day_case kolkata[] = {
    { 1752776999, "2025-07-17" }, /* 18:29:59Z = 23:59:59 IST */
    { 1752777000, "2025-07-18" }, /* 18:30:00Z = 00:00:00 IST */
    { 1752782619, "2025-07-18" },
    { 1752710400, "2025-07-17" },
};

/* Pacific/Chatham: +12:45 standard, +13:45 in DST (ends 2025-04-06 03:45 local). */
static const struct day_case chatham[] = {
    { 1752750899, "2025-07-17" }, /* 11:14:59Z = 23:59:59 +12:45 */
    { 1752750900, "2025-07-18" },
    { 1736936099, "2025-01-15" }, /* 10:14:59Z = 23:59:59 +13:45 */
    { 1736936100, "2025-01-16" },
    { 1743848099, "2025-04-05" }, /* 04-05 10:14:59Z = 23:59:59 +13:45 */
    { 1743848100, "2025-04-06" }, /* a 25-hour day starts */
    { 1743861599, "2025-04-06" }, /* 13:59:59Z = 03:44:59 +13:45 */
    { 1743861600, "2025-04-06" }, /* 14:00:00Z = 02:45:00 +12:45 */
    { 1743938099, "2025-04-06" }, /* 04-06 11:14:59Z = 23:59:59 +12:45 */
    { 1743938100, "2025-04-07" },
};

static int zone_present(const char *name)
{
    char path[256];

    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
    return access(path, R_OK) == 0;
}

static void test_day_zones(void)
{
    struct cnd_tz *ny, *kol, *cha;
    int err = 0;

    ny = cnd_tz_new("America/New_York", &err);
    CHECK(ny != NULL);
    if (ny == NULL) {
        return;
    }
    check_days(ny, "America/New_York", new_york, sizeof(new_york) / sizeof(new_york[0]));

    kol = cnd_tz_new("Asia/Kolkata", &err);
    CHECK(kol != NULL);
    check_days(kol, "Asia/Kolkata", kolkata, sizeof(kolkata) / sizeof(kolkata[0]));

    /* Two zones alive at once still answer for their own zone. */
    check_days(ny, "America/New_York", new_york, 6);
    check_days(kol, "Asia/Kolkata", kolkata, 2);
    check_days(NULL, "UTC", (const struct day_case[]){ { 1752777000, "2025-07-17" } }, 1);

    if (zone_present("Pacific/Chatham")) {
        cha = cnd_tz_new("Pacific/Chatham", &err);
        CHECK(cha != NULL);
        check_days(cha, "Pacific/Chatham", chatham, sizeof(chatham) / sizeof(chatham[0]));
        cnd_tz_free(cha);
    }
    cnd_tz_free(kol);
    cnd_tz_free(ny);
    cnd_tz_free(NULL);
}

static void test_zone_rejected(void)
{
    static const char *const bad[] = {
        "Mars/Olympus_Mons",
        "America/Nowhere",
        "../etc/passwd",
        "America/../../../etc/passwd",
        "/etc/passwd",
        "America/",
        "America//New_York",
        "America/New York",
        "America",   /* a directory, not a zone file */
        "zone.tab",  /* a file, but not TZif */
        "..",
        ".",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int err = 0;
        struct cnd_tz *tz = cnd_tz_new(bad[i], &err);

        CHECK_MSG(tz == NULL, "zone '%s' accepted", bad[i]);
        CHECK_MSG(err == CND_EINVAL, "zone '%s': err %d", bad[i], err);
        cnd_tz_free(tz);
    }
}

TEST_LIST = {
    { "parse_accepted", test_parse_accepted },
    { "parse_rejected", test_parse_rejected },
    { "parse_length_bounded", test_parse_length_bounded },
    { "format", test_format },
    { "civil_roundtrip", test_civil_roundtrip },
    { "day_check", test_day_check },
    { "day_utc", test_day_utc },
    { "day_zones", test_day_zones },
    { "zone_rejected", test_zone_rejected },
    { NULL, NULL },
};
