/* SPDX-License-Identifier: MIT */
/*
 * Tests for output/alerts.c: the Poisson upper tail against values
 * computed to 60 digits, and the alert decision on synthetic daily files
 * (a known spike is found, noise is not, zero-post days count as zero,
 * missing days are left out and listed, small counts do not alert).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "common/buf.h"
#include "common/err.h"
#include "output/alerts.h"
#include "output/daily.h"
#include "check.h"

static char tmpdir[256];

static void make_tmp(void)
{
    char sub[300];

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cnd-test-alerts-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
    snprintf(sub, sizeof(sub), "%s/daily", tmpdir);
    CHECK(mkdir(sub, 0755) == 0);
}

static void rm_tmp(void)
{
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    CHECK(system(cmd) == 0);
}

/*
 * Writes daily/DAY.json.gz with "posts" posts for brand "Acme" (source s1)
 * and "n" complaints in category "hidden_fees"; n < 0: a day with no posts
 * at all (header only).
 */
static void write_day(const char *day, long posts, long n)
{
    char path[400];
    struct cnd_buf b;
    gzFile gz;
    long i;

    cnd_buf_init(&b, 0);
    CHECK(cnd_buf_addf(&b, "{\"schema\":1,\"day\":\"%s\",\"lexicon_version\":\"0123456789abcdef\","
                           "\"sources\":[{\"source\":\"s1\",\"posts\":%ld}],\"rows\":%d}\n",
                       day, n < 0 ? 0 : posts, n < 0 ? 0 : n > 0 ? 2 : 1) == 0);
    if (n >= 0) {
        CHECK(cnd_buf_addf(&b, "{\"source\":\"s1\",\"brand\":\"Acme\",\"category\":\"*\","
                               "\"posts\":%ld,\"complaints\":%ld,\"samples\":[]}\n",
                           posts, n) == 0);
    }
    if (n > 0) {
        CHECK(cnd_buf_addf(&b, "{\"source\":\"s1\",\"brand\":\"Acme\",\"category\":"
                               "\"hidden_fees\",\"posts\":%ld,\"complaints\":%ld,\"samples\":[",
                           posts, n) == 0);
        for (i = 0; i < n && i < 5; i++) {
            CHECK(cnd_buf_addf(&b, "%s\"%s-%ld\"", i ? "," : "", day, i) == 0);
        }
        CHECK(cnd_buf_adds(&b, "]}\n") == 0);
    }
    snprintf(path, sizeof(path), "%s/daily/%s.json.gz", tmpdir, day);
    gz = gzopen(path, "wb");
    CHECK(gz != NULL);
    if (gz) {
        CHECK(gzwrite(gz, b.data, (unsigned)b.len) == (int)b.len);
        CHECK(gzclose(gz) == Z_OK);
    }
    cnd_buf_release(&b);
}

/* A small deterministic Poisson sampler (Knuth), for noise. */
static unsigned long rng = 12345;

static double uniform(void)
{
    rng = rng * 6364136223846793005ul + 1442695040888963407ul;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static long poisson(double lambda)
{
    double l = exp(-lambda), p = 1;
    long k = 0;

    do {
        k++;
        p *= uniform();
    } while (p > l);
    return k - 1;
}

static void day_name(int64_t base, int64_t i, char out[11])
{
    cnd_day_from_num(base + i, out);
}

struct tail_case {
    uint64_t k;
    double lambda;
    double log_sf;   /* ln P(X >= k), from 60-digit sums */
};

static void test_poisson_tail(void)
{
    static const struct tail_case cases[] = {
        { 1, 0.5, -0.93275212956718856 },
        { 10, 3.0, -6.8101857170363962 },
        { 11, 3.0, -8.1376034804005997 },
        { 6, 3.0, -2.4779158381773501 },
        { 20, 3.0, -23.210444234617718 },
        { 50, 2.0, -115.78043452642225 },
        { 5, 10.0, -0.029689079446520873 },
        { 100, 100.0, -0.66689715058528942 },
        { 200, 100.0, -41.51447330459257 },
        { 3, 0.01, -15.614768151150606 },
        { 1000, 100.0, -1406.8527552662533 },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double got = cnd_poisson_log_sf(cases[i].k, cases[i].lambda);
        double rel = fabs(got - cases[i].log_sf) / fabs(cases[i].log_sf);

        CHECK_MSG(rel < 1e-9, "k=%llu lambda=%g: %.17g != %.17g",
                  (unsigned long long)cases[i].k, cases[i].lambda, got, cases[i].log_sf);
    }
    /* P(X >= 0) = 1; P(X >= 1) = 1 - e^-lambda */
    CHECK(cnd_poisson_log_sf(0, 3.0) == 0);
    CHECK(fabs(cnd_poisson_log_sf(1, 2.0) - log(1 - exp(-2.0))) < 1e-14);
    /* monotone in k */
    for (i = 1; i < 60; i++) {
        CHECK(cnd_poisson_log_sf(i + 1, 4.0) < cnd_poisson_log_sf(i, 4.0));
    }
    /* the gamma function itself: P(1, x) = 1 - e^-x, P(a, 0) = 0 */
    CHECK(fabs(cnd_gamma_log_p(1.0, 0.7) - log(1 - exp(-0.7))) < 1e-14);
    CHECK(cnd_gamma_log_p(2.0, 0.0) == -HUGE_VAL);
    CHECK(isnan(cnd_gamma_log_p(0.0, 1.0)));
}

static void run(const char *day, struct cnd_alerts *res, uint64_t min_count)
{
    struct cnd_alerts_opts o;
    struct cnd_issues iss;

    memset(&o, 0, sizeof(o));
    o.data_dir = tmpdir;
    o.day = day;
    o.min_count = min_count;
    cnd_issues_init(&iss);
    CHECK_INT(cnd_alerts_run(&o, res, &iss), 0);
    CHECK_MSG(iss.count == 0, "%s", iss.text.data);
    cnd_issues_release(&iss);
}

static void test_spike_found_noise_not(void)
{
    int64_t base = cnd_day_num("2025-03-01");
    struct cnd_alerts res;
    struct cnd_buf out;
    char day[11], target[11], quiet[11];
    int64_t i;

    make_tmp();
    /* 28 baseline days of Poisson(3) noise, one day with no posts, one missing */
    for (i = 0; i < 28; i++) {
        day_name(base, i, day);
        if (i == 10) {
            continue;                   /* no daily file: left out */
        }
        write_day(day, 50, i == 11 ? -1 : poisson(3.0));
    }
    day_name(base, 28, target);
    write_day(target, 60, 20);
    run(target, &res, 0);
    CHECK_INT(res.window_days, 28);
    CHECK_INT(res.baseline_days, 27);
    CHECK_INT(res.n_missing, 1);
    day_name(base, 10, day);
    CHECK_STR(res.missing[0].s, day);
    CHECK_INT(res.n_alerts, 1);
    if (res.n_alerts == 1) {
        CHECK_STR(res.alerts[0].brand, "Acme");
        CHECK_STR(res.alerts[0].category, "hidden_fees");
        CHECK_INT(res.alerts[0].count, 20);
        CHECK(res.alerts[0].baseline > 1.5 && res.alerts[0].baseline < 4.5);
        CHECK(res.alerts[0].score > 5);
        CHECK(res.alerts[0].p < 1e-5);
        CHECK_INT(res.alerts[0].n_samples, 5);
        CHECK_STR(res.alerts[0].samples[0], "2025-03-29-0");
    }
    cnd_buf_init(&out, 0);
    CHECK_INT(cnd_alerts_ndjson(&res, &out), 0);
    CHECK(out.data && strncmp(out.data, "{\"brand\":\"Acme\",\"category\":\"hidden_fees\","
                                        "\"day\":\"2025-03-29\",\"count\":20,", 70) == 0);
    CHECK(out.len && out.data[out.len - 1] == '\n');
    cnd_buf_reset(&out);
    CHECK_INT(cnd_alerts_webhook_body(&res, &out), 0);
    CHECK(out.data && strstr(out.data, "\"missing_days\":[\"2025-03-11\"],\"alerts\":[{") != NULL);
    cnd_buf_release(&out);
    cnd_alerts_release(&res);

    /* the same baseline, a day within the noise: nothing */
    day_name(base, 28, quiet);
    write_day(quiet, 60, 6);
    run(quiet, &res, 0);
    CHECK_INT(res.series, 1);
    CHECK_INT(res.n_alerts, 0);
    cnd_alerts_release(&res);
    rm_tmp();
}

static void test_noise_only_no_alert(void)
{
    int64_t base = cnd_day_num("2024-01-01");
    struct cnd_alerts res;
    char day[11];
    int64_t i, raised = 0;

    make_tmp();
    /* 120 days of Poisson(4) noise; test each of the last 90 days */
    for (i = 0; i < 120; i++) {
        day_name(base, i, day);
        write_day(day, 80, poisson(4.0));
    }
    for (i = 30; i < 120; i++) {
        day_name(base, i, day);
        run(day, &res, 0);
        raised += (int64_t)res.n_alerts;
        CHECK_INT(res.baseline_days, 28);
        cnd_alerts_release(&res);
    }
    CHECK_INT(raised, 0);
    rm_tmp();
}

static void test_small_counts_and_short_baseline(void)
{
    int64_t base = cnd_day_num("2025-06-01");
    struct cnd_alerts res;
    char day[11];
    int64_t i;

    make_tmp();
    /* a series that was always zero (days with posts, no complaints) */
    for (i = 0; i < 28; i++) {
        day_name(base, i, day);
        write_day(day, 40, 0);
    }
    day_name(base, 28, day);
    write_day(day, 40, 3);
    run(day, &res, 0);
    /* p is tiny (lambda = 0.5 / 28) but 3 < min_count 5 */
    CHECK_INT(res.n_alerts, 0);
    cnd_alerts_release(&res);
    run(day, &res, 2);
    CHECK_INT(res.n_alerts, 1);
    if (res.n_alerts) {
        CHECK(res.alerts[0].baseline == 0);
        CHECK(res.alerts[0].expected > 0.017 && res.alerts[0].expected < 0.018);
    }
    cnd_alerts_release(&res);
    rm_tmp();

    /* only three days of history: too short, nothing raised */
    make_tmp();
    for (i = 25; i < 28; i++) {
        day_name(base, i, day);
        write_day(day, 40, 1);
    }
    day_name(base, 28, day);
    write_day(day, 40, 30);
    run(day, &res, 0);
    CHECK_INT(res.baseline_days, 3);
    CHECK_INT(res.n_missing, 25);
    CHECK(res.too_short);
    CHECK_INT(res.n_alerts, 0);
    cnd_alerts_release(&res);
    /* no file for the day itself */
    day_name(base, 29, day);
    run(day, &res, 0);
    CHECK(res.day_missing);
    CHECK_INT(res.n_alerts, 0);
    cnd_alerts_release(&res);
    rm_tmp();
}

TEST_LIST = {
    { "poisson_tail", test_poisson_tail },
    { "spike_found_noise_not", test_spike_found_noise_not },
    { "noise_only_no_alert", test_noise_only_no_alert },
    { "small_counts_and_short_baseline", test_small_counts_and_short_baseline },
    { NULL, NULL },
};
