/* SPDX-License-Identifier: MIT */
/*
 * Tests of the Prometheus textfile writer (output/metrics.c): the exact
 * text (HELP/TYPE, sorted samples, integer and fractional values, NaN and
 * infinities), escaping of label values and help texts, name checks,
 * set versus add, label-name consistency, the atomic write (directory
 * created, old file kept when the write fails), and every allocation
 * failure reported as CND_ENOMEM without a leak.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "output/metrics.h"
#include "check.h"

static char *render(const struct cnd_metrics *m)
{
    struct cnd_buf b;

    cnd_buf_init(&b, 0);
    if (cnd_metrics_render(m, &b) < 0) {
        cnd_buf_release(&b);
        return NULL;
    }
    return cnd_buf_detach(&b);
}

static void test_exact_text(void)
{
    struct cnd_metrics *m = cnd_metrics_new();
    const char *zeta[] = { "source", "zeta" };
    const char *alpha[] = { "source", "alpha" };
    const char *s503[] = { "source", "alpha", "status", "503" };
    const char *s429[] = { "source", "alpha", "status", "429" };
    char *text;

    CHECK(m != NULL);
    CHECK_INT(cnd_metrics_declare(m, "candor_last_run_start_timestamp_seconds",
                                  CND_METRIC_GAUGE, "Start of the last run."), 0);
    CHECK_INT(cnd_metrics_declare(m, "candor_posts_fetched", CND_METRIC_GAUGE,
                                  "Posts fetched by the last run."), 0);
    CHECK_INT(cnd_metrics_declare(m, "candor_http_errors", CND_METRIC_GAUGE,
                                  "HTTP errors by status."), 0);
    CHECK_INT(cnd_metrics_declare(m, "candor_unused", CND_METRIC_COUNTER, "Never set."), 0);
    CHECK_INT(cnd_metrics_declare(m, "candor_sleep_seconds_total", CND_METRIC_COUNTER,
                                  "Sleeps."), 0);
    CHECK_INT(cnd_metrics_set(m, "candor_last_run_start_timestamp_seconds", NULL, 0,
                              1763895600), 0);
    CHECK_INT(cnd_metrics_set(m, "candor_posts_fetched", zeta, 1, 7), 0);
    CHECK_INT(cnd_metrics_set(m, "candor_posts_fetched", alpha, 1, 3), 0);
    CHECK_INT(cnd_metrics_set(m, "candor_posts_fetched", alpha, 1, 12), 0);   /* replaces */
    CHECK_INT(cnd_metrics_add(m, "candor_http_errors", s503, 2, 2), 0);
    CHECK_INT(cnd_metrics_add(m, "candor_http_errors", s503, 2, 3), 0);       /* adds */
    CHECK_INT(cnd_metrics_add(m, "candor_http_errors", s429, 2, 1), 0);
    CHECK_INT(cnd_metrics_add(m, "candor_sleep_seconds_total", alpha, 1, 0.25), 0);
    CHECK_INT(cnd_metrics_add(m, "candor_sleep_seconds_total", zeta, 1, -1.5), 0);
    text = render(m);
    CHECK_STR(text,
              "# HELP candor_last_run_start_timestamp_seconds Start of the last run.\n"
              "# TYPE candor_last_run_start_timestamp_seconds gauge\n"
              "candor_last_run_start_timestamp_seconds 1763895600\n"
              "# HELP candor_posts_fetched Posts fetched by the last run.\n"
              "# TYPE candor_posts_fetched gauge\n"
              "candor_posts_fetched{source=\"alpha\"} 12\n"
              "candor_posts_fetched{source=\"zeta\"} 7\n"
              "# HELP candor_http_errors HTTP errors by status.\n"
              "# TYPE candor_http_errors gauge\n"
              "candor_http_errors{source=\"alpha\",status=\"429\"} 1\n"
              "candor_http_errors{source=\"alpha\",status=\"503\"} 5\n"
              "# HELP candor_sleep_seconds_total Sleeps.\n"
              "# TYPE candor_sleep_seconds_total counter\n"
              "candor_sleep_seconds_total{source=\"alpha\"} 0.25\n"
              "candor_sleep_seconds_total{source=\"zeta\"} -1.5\n");
    cnd_free(text);
    cnd_metrics_free(m);
    cnd_metrics_free(NULL);
}

static void test_escaping_and_special_values(void)
{
    struct cnd_metrics *m = cnd_metrics_new();
    const char *odd[] = { "source", "a\"b\\c\nd" };
    const char *nan[] = { "v", "nan" };
    const char *pinf[] = { "v", "pinf" };
    const char *ninf[] = { "v", "ninf" };
    const char *frac[] = { "v", "frac" };
    const char *big[] = { "v", "zbig" };
    char *text;

    CHECK_INT(cnd_metrics_declare(m, "x", CND_METRIC_GAUGE, "back\\slash and\nnewline \"quoted\""), 0);
    CHECK_INT(cnd_metrics_declare(m, "y", CND_METRIC_GAUGE, "values"), 0);
    CHECK_INT(cnd_metrics_set(m, "x", odd, 1, 1), 0);
    CHECK_INT(cnd_metrics_set(m, "y", nan, 1, NAN), 0);
    CHECK_INT(cnd_metrics_set(m, "y", pinf, 1, INFINITY), 0);
    CHECK_INT(cnd_metrics_set(m, "y", ninf, 1, -INFINITY), 0);
    CHECK_INT(cnd_metrics_set(m, "y", frac, 1, 0.1), 0);
    CHECK_INT(cnd_metrics_set(m, "y", big, 1, 1e20), 0);
    text = render(m);
    CHECK_STR(text,
              "# HELP x back\\\\slash and\\nnewline \"quoted\"\n"
              "# TYPE x gauge\n"
              "x{source=\"a\\\"b\\\\c\\nd\"} 1\n"
              "# HELP y values\n"
              "# TYPE y gauge\n"
              "y{v=\"frac\"} 0.10000000000000001\n"
              "y{v=\"nan\"} NaN\n"
              "y{v=\"ninf\"} -Inf\n"
              "y{v=\"pinf\"} +Inf\n"
              "y{v=\"zbig\"} 1e+20\n");
    cnd_free(text);
    cnd_metrics_free(m);
}

static void test_bad_names_and_labels(void)
{
    struct cnd_metrics *m = cnd_metrics_new();
    const char *bad_label[] = { "1x", "v" };
    const char *reserved[] = { "__name__", "v" };
    const char *dash[] = { "a-b", "v" };
    const char *twice[] = { "a", "1", "a", "2" };
    const char *ab[] = { "a", "1", "b", "2" };
    const char *ba[] = { "b", "2", "a", "1" };
    const char *just_a[] = { "a", "1" };
    const char *null_value[] = { "a", NULL };
    char *text;

    CHECK_INT(cnd_metrics_declare(m, "", CND_METRIC_GAUGE, "h"), CND_EINVAL);
    CHECK_INT(cnd_metrics_declare(m, "9lives", CND_METRIC_GAUGE, "h"), CND_EINVAL);
    CHECK_INT(cnd_metrics_declare(m, "has space", CND_METRIC_GAUGE, "h"), CND_EINVAL);
    CHECK_INT(cnd_metrics_declare(m, "has-dash", CND_METRIC_GAUGE, "h"), CND_EINVAL);
    CHECK_INT(cnd_metrics_declare(m, "ok:colon_9", CND_METRIC_GAUGE, "h"), 0);
    CHECK_INT(cnd_metrics_declare(m, "ok:colon_9", CND_METRIC_GAUGE, "h"), CND_EINVAL);
    CHECK_INT(cnd_metrics_declare(m, "nohelp", CND_METRIC_GAUGE, NULL), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "undeclared", NULL, 0, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", bad_label, 1, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", reserved, 1, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", dash, 1, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", twice, 2, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", null_value, 1, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", NULL, 1, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", ab, 2, 1), 0);
    /* Every sample of a family has the first one's label names, in order. */
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", ba, 2, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", just_a, 1, 1), CND_EINVAL);
    CHECK_INT(cnd_metrics_set(m, "ok:colon_9", NULL, 0, 1), CND_EINVAL);
    text = render(m);
    CHECK_STR(text, "# HELP ok:colon_9 h\n# TYPE ok:colon_9 gauge\nok:colon_9{a=\"1\",b=\"2\"} 1\n");
    cnd_free(text);
    cnd_metrics_free(m);
}

static void test_write_atomic(void)
{
    char dir[64], path[160], sub[128], buf[256];
    struct cnd_metrics *m = cnd_metrics_new();
    FILE *f;
    size_t n;
    int level = cnd_log_level;

    strcpy(dir, "/tmp/cnd-metrics-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(sub, sizeof(sub), "%s/metrics", dir);
    snprintf(path, sizeof(path), "%s/candor.prom", sub);
    CHECK_INT(cnd_metrics_declare(m, "up", CND_METRIC_GAUGE, "Up."), 0);
    CHECK_INT(cnd_metrics_set(m, "up", NULL, 0, 1), 0);
    CHECK_INT(cnd_metrics_write(m, path), 0);   /* creates metrics/ */
    f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) {
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = '\0';
        fclose(f);
        CHECK_STR(buf, "# HELP up Up.\n# TYPE up gauge\nup 1\n");
    }
    /* A failed write (the target is a directory) keeps what was there. */
    CHECK_INT(cnd_metrics_set(m, "up", NULL, 0, 0), 0);
    snprintf(buf, sizeof(buf), "%s/blocked", sub);
    CHECK_INT(mkdir(buf, 0755), 0);
    cnd_log_set_level(-1);
    CHECK_INT(cnd_metrics_write(m, buf), CND_EIO);
    cnd_log_set_level(level);
    CHECK_INT(access(path, R_OK), 0);
    rmdir(buf);
    unlink(path);
    rmdir(sub);
    rmdir(dir);
    cnd_metrics_free(m);
}

/* Every allocation failure gives CND_ENOMEM and no leak (LeakSanitizer checks). */
static void test_alloc_failures(void)
{
    const char *lab[] = { "source", "s", "status", "500" };
    unsigned long n;
    int reached_end = 0;

    for (n = 1; n < 200 && !reached_end; n++) {
        struct cnd_metrics *m;
        struct cnd_buf b;
        int ret = 0;

        cnd_alloc_fail_at(n);
        m = cnd_metrics_new();
        if (m == NULL) {
            cnd_alloc_fail_at(0);
            continue;
        }
        cnd_buf_init(&b, 0);
        ret = cnd_metrics_declare(m, "a", CND_METRIC_GAUGE, "help a");
        if (ret == 0) {
            ret = cnd_metrics_add(m, "a", lab, 2, 1);
        }
        if (ret == 0) {
            ret = cnd_metrics_add(m, "a", lab + 2, 0, 1);
            ret = ret == CND_EINVAL ? 0 : ret == CND_ENOMEM ? ret : -99;
        }
        if (ret == 0) {
            ret = cnd_metrics_render(m, &b);
        }
        cnd_alloc_fail_at(0);
        CHECK_MSG(ret == 0 || ret == CND_ENOMEM, "allocation %lu: %d", n, ret);
        if (ret == 0) {
            CHECK_STR(b.data, "# HELP a help a\n# TYPE a gauge\na{source=\"s\",status=\"500\"} 1\n");
            reached_end = 1;
        }
        cnd_buf_release(&b);
        cnd_metrics_free(m);
    }
    CHECK(reached_end);
    CHECK(n > 3);
}

TEST_LIST = {
    { "exact_text", test_exact_text },
    { "escaping_and_special_values", test_escaping_and_special_values },
    { "bad_names_and_labels", test_bad_names_and_labels },
    { "write_atomic", test_write_atomic },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
