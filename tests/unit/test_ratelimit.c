/* SPDX-License-Identifier: MIT */
/*
 * Rate-limit headers of every dialect (values from the recorded responses
 * in ../shared/fixtures: Mastodon, Bluesky, Reddit), Retry-After in both
 * forms, pacing and the backoff schedule.
 */
#include "tests/unit/check.h"

#include <math.h>

#include "common/err.h"
#include "ingest/ratelimit.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-6)

static void test_http_date(void)
{
    int64_t t = 0;

    CHECK_INT(cnd_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    CHECK_INT(t, 784111777);
    CHECK_INT(cnd_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
    CHECK_INT(t, 784111777);
    CHECK_INT(cnd_http_date_parse("Sun Nov  6 08:49:37 1994", &t), 0);
    CHECK_INT(t, 784111777);
    /* the Date header of the recorded Mastodon response */
    CHECK_INT(cnd_http_date_parse("Thu, 17 Jul 2025 20:02:58 GMT", &t), 0);
    CHECK_INT(t, 1752782578);
    CHECK_INT(cnd_http_date_parse("Thu, 29 Feb 2024 00:00:00 GMT", &t), 0);
    CHECK_INT(t, 1709164800);
    t = 5;
    CHECK_INT(cnd_http_date_parse("Thu, 30 Feb 2024 00:00:00 GMT", &t), CND_EPARSE);
    CHECK_INT(cnd_http_date_parse("Thu, 17 Jul 2025 20:02:58 UTC", &t), CND_EPARSE);
    CHECK_INT(cnd_http_date_parse("Thu, 17 Jul 2025 25:02:58 GMT", &t), CND_EPARSE);
    CHECK_INT(cnd_http_date_parse("17 Jul 2025", &t), CND_EPARSE);
    CHECK_INT(cnd_http_date_parse("", &t), CND_EPARSE);
    CHECK_INT(cnd_http_date_parse(NULL, &t), CND_EPARSE);
    CHECK_INT(t, 5);
}

static void test_retry_after(void)
{
    double at = 0;

    CHECK_INT(cnd_retry_after_parse("120", 1000.5, &at), 0);
    CHECK(NEAR(at, 1120.5));
    CHECK_INT(cnd_retry_after_parse("0", 1000, &at), 0);
    CHECK(NEAR(at, 1000));
    CHECK_INT(cnd_retry_after_parse("Thu, 17 Jul 2025 20:02:58 GMT", 1752782570, &at), 0);
    CHECK(NEAR(at, 1752782578));
    CHECK_INT(cnd_retry_after_parse("-5", 1000, &at), CND_EPARSE);
    CHECK_INT(cnd_retry_after_parse("soon", 1000, &at), CND_EPARSE);
    CHECK_INT(cnd_retry_after_parse("", 1000, &at), CND_EPARSE);
}

static void test_reset_forms(void)
{
    double at = 0;

    /* Mastodon: ISO time with microseconds */
    CHECK_INT(cnd_ratelimit_reset_parse("2025-07-17T20:05:00.290188Z", 0, &at), 0);
    CHECK(NEAR(at, 1752782700));
    /* Bluesky: epoch seconds */
    CHECK_INT(cnd_ratelimit_reset_parse("1747676784", 1747676496, &at), 0);
    CHECK(NEAR(at, 1747676784));
    /* Reddit: seconds from now, possibly a float */
    CHECK_INT(cnd_ratelimit_reset_parse("372", 1000, &at), 0);
    CHECK(NEAR(at, 1372));
    CHECK_INT(cnd_ratelimit_reset_parse("372.5", 1000, &at), 0);
    CHECK(NEAR(at, 1372.5));
    CHECK_INT(cnd_ratelimit_reset_parse("never", 1000, &at), CND_EPARSE);
}

static void test_mastodon_headers(void)
{
    /* ../shared/fixtures/mastodon/rtoot_mastodon.social_tag_rstats_limit5_anon.meta.json */
    static const struct cnd_header h[] = {
        { "x-ratelimit-reset", "2025-07-17T20:05:00.290188Z" },
        { "x-ratelimit-remaining", "299" },
        { "x-ratelimit-limit", "300" },
        { "date", "Thu, 17 Jul 2025 20:02:58 GMT" },
    };
    struct cnd_ratelimit rl;
    double now = 1752782578;

    cnd_ratelimit_parse(h, 4, now, &rl);
    CHECK(rl.has_limit && NEAR(rl.limit, 300));
    CHECK(rl.has_remaining && NEAR(rl.remaining, 299));
    CHECK(rl.has_reset && NEAR(rl.reset_at, 1752782700));
    CHECK(!rl.has_retry_after);
    /* plenty left: no pacing */
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, now), 0));
    /* a 429 with these headers waits for the reset */
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 429, now), 122));
    /* 10 left of 300 (under a tenth): the 122 s spread over them */
    rl.remaining = 10;
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, now), 12.2));
    rl.remaining = 0;
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, now), 122));
    /* a reset in the past never waits */
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, now + 500), 0));
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 429, now + 500), 0));
}

static void test_bluesky_headers(void)
{
    /* ../shared/fixtures/bluesky/searchPosts_q-redistricting_2025-05-19.meta.json */
    static const struct cnd_header h[] = {
        { "Date", "Mon, 19 May 2025 17:41:36 GMT" },
        { "RateLimit-Limit", "3000" },
        { "RateLimit-Remaining", "2983" },
        { "RateLimit-Reset", "1747676784" },
        { "RateLimit-Policy", "3000;w=300" },
    };
    struct cnd_ratelimit rl;
    double now = 1747676496;

    cnd_ratelimit_parse(h, 5, now, &rl);
    CHECK(rl.has_limit && NEAR(rl.limit, 3000));
    CHECK(rl.has_remaining && NEAR(rl.remaining, 2983));
    CHECK(rl.has_reset && NEAR(rl.reset_at, 1747676784));
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, now), 0));
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 429, now), 288));
    /* 503 without Retry-After waits for the reset only when nothing remains */
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 503, now), -1));
    rl.remaining = 0;
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 503, now), 288));
}

static void test_reddit_headers(void)
{
    static const struct cnd_header h[] = {
        { "x-ratelimit-used", "2" },
        { "x-ratelimit-remaining", "598.0" },
        { "x-ratelimit-reset", "372" },
    };
    static const struct cnd_header low[] = {
        { "x-ratelimit-used", "596" },
        { "x-ratelimit-remaining", "4.0" },
        { "x-ratelimit-reset", "100" },
    };
    struct cnd_ratelimit rl;

    cnd_ratelimit_parse(h, 3, 1000, &rl);
    CHECK(rl.has_remaining && NEAR(rl.remaining, 598));
    CHECK(rl.has_limit && NEAR(rl.limit, 600));   /* used + remaining */
    CHECK(rl.has_reset && NEAR(rl.reset_at, 1372));
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, 1000), 0));
    cnd_ratelimit_parse(low, 3, 1000, &rl);
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, 1000), 25));   /* 100 s over 4 requests */
}

static void test_retry_after_wins(void)
{
    static const struct cnd_header h[] = {
        { "Retry-After", "7" },
        { "X-RateLimit-Remaining", "0" },
        { "X-RateLimit-Reset", "2025-07-17T20:05:00Z" },
    };
    static const struct cnd_header date[] = {
        { "retry-after", "Thu, 17 Jul 2025 20:03:08 GMT" },
    };
    static const struct cnd_header none[] = {
        { "Content-Type", "application/json" },
    };
    static const struct cnd_header junk[] = {
        { "Retry-After", "tomorrow" },
        { "X-RateLimit-Remaining", "lots" },
        { "X-RateLimit-Reset", "" },
    };
    struct cnd_ratelimit rl;
    double now = 1752782578;

    cnd_ratelimit_parse(h, 3, now, &rl);
    CHECK(rl.has_retry_after);
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 429, now), 7));
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 503, now), 7));
    cnd_ratelimit_parse(date, 1, now, &rl);
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 429, now), 10));
    /* a 429 that says nothing: -1, the caller backs off (never at once) */
    cnd_ratelimit_parse(none, 1, now, &rl);
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 429, now), -1));
    CHECK(NEAR(cnd_ratelimit_wait(&rl, 200, now), 0));
    cnd_ratelimit_parse(junk, 3, now, &rl);
    CHECK(!rl.has_retry_after && !rl.has_remaining && !rl.has_reset);
    cnd_ratelimit_parse(NULL, 0, now, &rl);
    CHECK(!rl.has_limit);
}

static void test_backoff(void)
{
    /* equal jitter: between half and all of base * 2^(attempt-1), capped */
    CHECK(NEAR(cnd_backoff_delay(2, 120, 1, 0), 1));
    CHECK(NEAR(cnd_backoff_delay(2, 120, 1, 0.5), 1.5));
    CHECK(NEAR(cnd_backoff_delay(2, 120, 2, 0), 2));
    CHECK(NEAR(cnd_backoff_delay(2, 120, 3, 0), 4));
    CHECK(NEAR(cnd_backoff_delay(2, 120, 4, 0.999999), 2 * 8 * 0.9999995));
    CHECK(NEAR(cnd_backoff_delay(2, 120, 7, 0), 60));     /* 128 capped at 120 */
    CHECK(NEAR(cnd_backoff_delay(2, 120, 50, 0), 60));
    CHECK(cnd_backoff_delay(2, 120, 50, 2) < 120.0001);   /* rnd clamped */
    CHECK(NEAR(cnd_backoff_delay(2, 120, 1, -3), 1));
    {
        unsigned a;
        double prev = 0;

        for (a = 1; a < 10; a++) {
            double d = cnd_backoff_delay(0.5, 30, a, 0.3);

            CHECK(d >= prev);
            prev = d;
        }
    }
}

TEST_LIST = {
    { "http_date", test_http_date },
    { "retry_after", test_retry_after },
    { "reset_forms", test_reset_forms },
    { "mastodon_headers", test_mastodon_headers },
    { "bluesky_headers", test_bluesky_headers },
    { "reddit_headers", test_reddit_headers },
    { "retry_after_wins", test_retry_after_wins },
    { "backoff", test_backoff },
    { NULL, NULL },
};
