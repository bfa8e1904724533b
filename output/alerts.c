/* SPDX-License-Identifier: MIT */
/*
 * Alerts on sudden rises of complaints (see output/alerts.h for the
 * method, docs/REPORT.md for the reasoning). The day's daily file defines
 * the series, (brand, category) pairs with complaints that day; each day
 * of the baseline window is then read in turn, only for its category rows,
 * and freed, so memory is one day plus the series.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "output/alerts.h"

#define MAX_SAMPLES 5
#define MAX_WINDOW 3660

/* ---- Poisson tail ---- */

double cnd_gamma_log_p(double a, double x)
{
    double lg = lgamma(a);
    int i;

    if (!(a > 0) || !(x >= 0)) {
        return NAN;
    }
    if (x == 0) {
        return -HUGE_VAL;
    }
    if (x < a + 1) {
        /* P = x^a e^-x / Gamma(a) * sum x^n / (a (a+1) ... (a+n)) */
        double term = 1.0 / a, sum = term;

        for (i = 1; i < 100000; i++) {
            term *= x / (a + i);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return a * log(x) - x - lg + log(sum);
    } else {
        /* Q by its continued fraction (modified Lentz), then P = 1 - Q */
        const double tiny = 1e-300;
        double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d, q;

        for (i = 1; i < 100000; i++) {
            double an = -i * (i - a), delta;

            b += 2;
            d = an * d + b;
            if (fabs(d) < tiny) {
                d = tiny;
            }
            c = b + an / c;
            if (fabs(c) < tiny) {
                c = tiny;
            }
            d = 1 / d;
            delta = d * c;
            h *= delta;
            if (fabs(delta - 1) < 1e-16) {
                break;
            }
        }
        q = exp(a * log(x) - x - lg + log(h));
        return log1p(-q);
    }
}

double cnd_poisson_log_sf(uint64_t k, double lambda)
{
    if (k == 0) {
        return 0;
    }
    if (!(lambda > 0)) {
        return -HUGE_VAL;
    }
    /* P(X >= k) = P(k, lambda), the regularized lower incomplete gamma */
    return cnd_gamma_log_p((double)k, lambda);
}

/* ---- Series ---- */

struct series {
    const char *brand;
    const char *category;
    uint64_t count;
    uint64_t base;
};

static int cmp_series(const void *a, const void *b)
{
    const struct series *x = a, *y = b;
    int c = strcmp(x->brand, y->brand);

    return c ? c : strcmp(x->category, y->category);
}

static struct series *find_series(struct series *s, size_t n, const char *brand,
                                  const char *category)
{
    struct series key;

    key.brand = brand;
    key.category = category;
    return bsearch(&key, s, n, sizeof(*s), cmp_series);
}

static int cmp_alert(const void *a, const void *b)
{
    const struct cnd_alert *x = a, *y = b;
    int c;

    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    c = strcmp(x->brand, y->brand);
    return c ? c : strcmp(x->category, y->category);
}

void cnd_alerts_release(struct cnd_alerts *a)
{
    size_t i;

    if (a == NULL) {
        return;
    }
    for (i = 0; i < a->n_alerts; i++) {
        cnd_free(a->alerts[i].samples);
    }
    cnd_free(a->alerts);
    cnd_free(a->missing);
    cnd_daily_free(a->daily);
    memset(a, 0, sizeof(*a));
}

/* Collects up to MAX_SAMPLES ids of the day's rows of (brand, category). */
static int collect_samples(const struct cnd_daily *d, struct cnd_alert *al)
{
    size_t r, k;

    al->samples = cnd_calloc(MAX_SAMPLES, sizeof(*al->samples));
    if (al->samples == NULL) {
        return CND_ENOMEM;
    }
    for (r = 0; r < d->n_rows && al->n_samples < MAX_SAMPLES; r++) {
        const struct cnd_daily_row *row = &d->rows[r];

        if (strcmp(row->brand, al->brand) != 0 || strcmp(row->category, al->category) != 0) {
            continue;
        }
        for (k = 0; k < row->n_samples && al->n_samples < MAX_SAMPLES; k++) {
            al->samples[al->n_samples++] = row->samples[k];
        }
    }
    return 0;
}

int cnd_alerts_run(const struct cnd_alerts_opts *o, struct cnd_alerts *out,
                   struct cnd_issues *iss)
{
    unsigned window = o->baseline_days ? o->baseline_days : CND_ALERTS_BASELINE_DAYS;
    unsigned min_days = o->min_baseline_days ? o->min_baseline_days
                                             : CND_ALERTS_MIN_BASELINE_DAYS;
    uint64_t min_count = o->min_count ? o->min_count : CND_ALERTS_MIN_COUNT;
    double min_ratio = o->min_ratio > 0 ? o->min_ratio : CND_ALERTS_MIN_RATIO;
    double max_p = o->max_p > 0 ? o->max_p : CND_ALERTS_MAX_P;
    struct cnd_alerts a;
    struct series *series = NULL;
    struct cnd_day *list = NULL;
    size_t n_list = 0, n_series = 0, i, r, li;
    int64_t daynum, first;
    char from[11], to[11];
    int ret = 0, err = 0;

    memset(&a, 0, sizeof(a));
    if (window > MAX_WINDOW || (o->day && cnd_day_check(o->day) < 0)) {
        return CND_EINVAL;
    }
    if (o->day) {
        memcpy(a.day, o->day, 11);
    } else {
        ret = cnd_daily_list(o->data_dir, "daily", ".json.gz", NULL, NULL, &list, &n_list);
        if (ret < 0) {
            return ret;
        }
        if (n_list == 0) {
            return CND_ENOENT;
        }
        memcpy(a.day, list[n_list - 1].s, 11);
        cnd_free(list);
        list = NULL;
    }
    daynum = cnd_day_num(a.day);
    first = daynum - (int64_t)window;
    a.window_days = window;
    a.daily = cnd_daily_load(o->data_dir, a.day, iss, &err);
    if (a.daily == NULL) {
        if (err == CND_ENOMEM || err == CND_EIO) {
            ret = err;
            goto out;
        }
        a.day_missing = 1;
    }
    /* the series: every (brand, category) with complaints on the day */
    if (a.daily) {
        series = cnd_calloc(a.daily->n_rows ? a.daily->n_rows : 1, sizeof(*series));
        if (series == NULL) {
            ret = CND_ENOMEM;
            goto out;
        }
        for (r = 0; r < a.daily->n_rows; r++) {
            const struct cnd_daily_row *row = &a.daily->rows[r];

            if (strcmp(row->category, "*") != 0 && row->complaints > 0) {
                series[n_series].brand = row->brand;
                series[n_series].category = row->category;
                series[n_series].count = row->complaints;
                n_series++;
            }
        }
        qsort(series, n_series, sizeof(*series), cmp_series);
        /* rows of several sources for one (brand, category) add up */
        for (i = 0, r = 0; r < n_series; r++) {
            if (i > 0 && cmp_series(&series[i - 1], &series[r]) == 0) {
                series[i - 1].count += series[r].count;
            } else {
                series[i++] = series[r];
            }
        }
        n_series = i;
    }
    a.series = n_series;
    /* the baseline window: only the days listed in it are opened */
    cnd_day_from_num(first, from);
    cnd_day_from_num(daynum - 1, to);
    if (window > 0) {
        ret = cnd_daily_list(o->data_dir, "daily", ".json.gz", from, to, &list, &n_list);
        if (ret < 0) {
            goto out;
        }
    }
    a.missing = cnd_calloc(window ? window : 1, sizeof(*a.missing));
    if (a.missing == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    li = 0;
    for (i = 0; i < window; i++) {
        char day[11];
        struct cnd_daily *d = NULL;

        cnd_day_from_num(first + (int64_t)i, day);
        if (li < n_list && strcmp(list[li].s, day) == 0) {
            li++;
            d = cnd_daily_load(o->data_dir, day, iss, &err);
            if (d == NULL && err == CND_ENOMEM) {
                ret = err;
                goto out;
            }
        }
        if (d == NULL) {
            memcpy(a.missing[a.n_missing++].s, day, 11);
            continue;
        }
        a.baseline_days++;
        for (r = 0; r < d->n_rows; r++) {
            const struct cnd_daily_row *row = &d->rows[r];
            struct series *s;

            if (row->complaints == 0 || strcmp(row->category, "*") == 0) {
                continue;
            }
            s = n_series ? find_series(series, n_series, row->brand, row->category) : NULL;
            if (s != NULL) {
                s->base += row->complaints;
            }
        }
        cnd_daily_free(d);
    }
    a.too_short = a.baseline_days < min_days;
    if (a.too_short || n_series == 0) {
        goto out;
    }
    a.alerts = cnd_calloc(n_series, sizeof(*a.alerts));
    if (a.alerts == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    for (i = 0; i < n_series; i++) {
        const struct series *s = &series[i];
        double n = (double)a.baseline_days;
        double lambda = ((double)s->base + 0.5) / n;
        double lp = cnd_poisson_log_sf(s->count, lambda);
        double ratio = (double)s->count / lambda;
        struct cnd_alert *al;

        if (s->count < min_count || ratio < min_ratio || lp > log(max_p)) {
            continue;
        }
        al = &a.alerts[a.n_alerts++];
        al->brand = s->brand;
        al->category = s->category;
        al->count = s->count;
        al->baseline_sum = s->base;
        al->baseline = (double)s->base / n;
        al->expected = lambda;
        al->ratio = ratio;
        al->p = exp(lp);
        al->score = -lp / log(10);
        if (collect_samples(a.daily, al) < 0) {
            ret = CND_ENOMEM;
            goto out;
        }
    }
    if (a.n_alerts > 1) {
        qsort(a.alerts, a.n_alerts, sizeof(*a.alerts), cmp_alert);
    }
out:
    cnd_free(list);
    cnd_free(series);
    if (ret < 0) {
        cnd_alerts_release(&a);
        return ret;
    }
    *out = a;
    return 0;
}

/* ---- Output ---- */

static int add_alert(struct cnd_buf *b, const struct cnd_alerts *a, const struct cnd_alert *al)
{
    size_t k;
    int ret = cnd_buf_adds(b, "{\"brand\":");

    if (ret == 0) {
        ret = cnd_buf_add_json_str(b, al->brand, strlen(al->brand));
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"category\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(b, al->category, strlen(al->category));
    }
    if (ret == 0) {
        /* %.6g keeps tiny p values ("1.2e-09") and is valid JSON */
        ret = cnd_buf_addf(b, ",\"day\":\"%s\",\"count\":%llu,\"baseline\":%.4f,"
                              "\"expected\":%.4f,\"ratio\":%.2f,\"score\":%.2f,\"p\":%.6g,"
                              "\"baseline_days\":%zu,\"missing_days\":%zu,\"samples\":[",
                           a->day, (unsigned long long)al->count, al->baseline, al->expected,
                           al->ratio, al->score, al->p, a->baseline_days, a->n_missing);
    }
    for (k = 0; ret == 0 && k < al->n_samples; k++) {
        if (k) {
            ret = cnd_buf_addc(b, ',');
        }
        if (ret == 0) {
            ret = cnd_buf_add_json_str(b, al->samples[k], strlen(al->samples[k]));
        }
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, "]}");
    }
    return ret;
}

int cnd_alerts_ndjson(const struct cnd_alerts *a, struct cnd_buf *out)
{
    size_t i;
    int ret = 0;

    for (i = 0; ret == 0 && i < a->n_alerts; i++) {
        ret = add_alert(out, a, &a->alerts[i]);
        if (ret == 0) {
            ret = cnd_buf_addc(out, '\n');
        }
    }
    return ret;
}

int cnd_alerts_webhook_body(const struct cnd_alerts *a, struct cnd_buf *out)
{
    size_t i;
    int ret = cnd_buf_addf(out, "{\"source\":\"candor\",\"day\":\"%s\",\"count\":%zu,"
                                "\"baseline_days\":%zu,\"missing_days\":[",
                           a->day, a->n_alerts, a->baseline_days);

    for (i = 0; ret == 0 && i < a->n_missing; i++) {
        ret = cnd_buf_addf(out, "%s\"%s\"", i ? "," : "", a->missing[i].s);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(out, "],\"alerts\":[");
    }
    for (i = 0; ret == 0 && i < a->n_alerts; i++) {
        if (i) {
            ret = cnd_buf_addc(out, ',');
        }
        if (ret == 0) {
            ret = add_alert(out, a, &a->alerts[i]);
        }
    }
    if (ret == 0) {
        ret = cnd_buf_adds(out, "]}");
    }
    return ret;
}
