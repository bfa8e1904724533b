/* SPDX-License-Identifier: MIT */
/*
 * Alerts: for one day, each (brand, category) count of complaints is
 * compared with a trailing baseline of the days before it. The test is a
 * Poisson upper tail: with "lambda" the baseline's mean per day (plus half
 * a complaint spread over the baseline, so a series that was always zero
 * does not give p = 0), p = P(X >= count | lambda), computed in log space
 * through the regularized incomplete gamma function. An alert needs all
 * of: p <= max_p, count >= min_count, count / lambda >= min_ratio, and a
 * baseline of at least min_baseline_days days with a daily file. Days
 * with a daily file but no posts count as zero; days without a daily file
 * are left out of the baseline (and listed). docs/REPORT.md explains the
 * method and its defaults.
 */
#ifndef CND_ALERTS_H
#define CND_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "output/daily.h"

#define CND_ALERTS_BASELINE_DAYS 28
#define CND_ALERTS_MIN_BASELINE_DAYS 7
#define CND_ALERTS_MIN_COUNT 5
#define CND_ALERTS_MIN_RATIO 2.0
#define CND_ALERTS_MAX_P 0.001

struct cnd_alerts_opts {
    const char *data_dir;
    const char *day;              /* NULL: the newest day with a daily file */
    unsigned baseline_days;       /* window before the day; 0: 28 */
    unsigned min_baseline_days;   /* 0: 7 */
    uint64_t min_count;           /* 0: 5 */
    double min_ratio;             /* <= 0: 2 */
    double max_p;                 /* <= 0: 0.001 */
};

struct cnd_alert {
    const char *brand;            /* "" = posts naming no watchlist brand */
    const char *category;
    uint64_t count;               /* complaints on the day */
    uint64_t baseline_sum;        /* complaints over the baseline days */
    double baseline;              /* mean per baseline day */
    double expected;              /* lambda used by the test */
    double ratio;                 /* count / expected */
    double p;                     /* P(X >= count | expected) */
    double score;                 /* -log10(p) */
    const char **samples;         /* complaint ids of the day, up to 5 (array owned) */
    size_t n_samples;
};

struct cnd_alerts {
    char day[11];
    int day_missing;              /* no daily file for the day: nothing tested */
    size_t window_days;           /* days in the baseline window */
    size_t baseline_days;         /* of which had a daily file */
    struct cnd_day *missing;      /* the others */
    size_t n_missing;
    int too_short;                /* baseline_days < min_baseline_days: nothing raised */
    size_t series;                /* (brand, category) pairs tested */
    struct cnd_alert *alerts;     /* strongest first */
    size_t n_alerts;
    struct cnd_daily *daily;      /* the day's file (owns the strings above) */
};

/*
 * Runs the test for "o" into "*out" (released with cnd_alerts_release).
 * Problems with single files are recorded in "iss" (may be NULL). Returns
 * 0 (also when the day has no file: out->day_missing), CND_ENOENT when no
 * day is given and there is no daily file at all, CND_EINVAL, CND_EIO,
 * CND_ENOMEM.
 */
int cnd_alerts_run(const struct cnd_alerts_opts *o, struct cnd_alerts *out,
                   struct cnd_issues *iss);
void cnd_alerts_release(struct cnd_alerts *a);

/*
 * Appends one JSON object per alert, each followed by a newline:
 *   {"brand":…,"category":…,"day":…,"count":N,"baseline":X,"expected":X,
 *    "ratio":X,"score":X,"p":X,"baseline_days":N,"missing_days":N,"samples":[…]}
 */
int cnd_alerts_ndjson(const struct cnd_alerts *a, struct cnd_buf *out);

/*
 * Appends the webhook body: {"source":"candor","day":…,"count":N,
 * "baseline_days":N,"missing_days":[…],"alerts":[…]} (no newline).
 */
int cnd_alerts_webhook_body(const struct cnd_alerts *a, struct cnd_buf *out);

/*
 * The natural log of P(a, x), the regularized lower incomplete gamma
 * function, for a > 0 and x >= 0 (series below a + 1, continued fraction
 * above). -HUGE_VAL when x is 0.
 */
double cnd_gamma_log_p(double a, double x);

/* The natural log of P(X >= k) for X ~ Poisson("lambda"), lambda > 0. */
double cnd_poisson_log_sf(uint64_t k, double lambda);

#endif
