/* SPDX-License-Identifier: MIT */
/*
 * Tests for output/daily.c: listing only the days asked for, reading
 * daily aggregates, complaint files and run logs, and the FILE:LINE
 * messages for damaged files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/err.h"
#include "output/daily.h"
#include "check.h"

static char tmpdir[256];

static void make_tmp(void)
{
    char sub[300];

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cnd-test-daily-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
    snprintf(sub, sizeof(sub), "%s/daily", tmpdir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof(sub), "%s/complaints", tmpdir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof(sub), "%s/runs", tmpdir);
    mkdir(sub, 0755);
}

static void rm_tmp(void)
{
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    CHECK(system(cmd) == 0);
}

static void write_gz(const char *rel, const char *text, size_t cut)
{
    char path[600];
    gzFile gz;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
    gz = gzopen(path, "wb");
    CHECK(gz != NULL);
    if (gz == NULL) {
        return;
    }
    CHECK(gzwrite(gz, text, (unsigned)strlen(text)) == (int)strlen(text));
    CHECK(gzclose(gz) == Z_OK);
    if (cut) {
        /* drop the last "cut" bytes: a gzip stream cut short */
        struct stat st;

        CHECK(stat(path, &st) == 0);
        CHECK(truncate(path, st.st_size - (off_t)cut) == 0);
    }
}

static void write_plain(const char *rel, const char *text)
{
    char path[600];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

#define HEADER(day, rows)                                                              \
    "{\"schema\":1,\"day\":\"" day "\",\"lexicon_version\":\"abcdef0123456789\","     \
    "\"candor_version\":\"0.1.0\",\"timezone\":\"UTC\",\"inputs\":[\"x\"],"            \
    "\"sources\":[{\"source\":\"s1\",\"posts\":7},{\"source\":\"s2\",\"posts\":3}],"   \
    "\"rows\":" #rows "}\n"

#define ROW_STAR                                                                       \
    "{\"source\":\"s1\",\"brand\":\"Contoso\",\"category\":\"*\",\"posts\":7,"         \
    "\"complaints\":2,\"authors\":2,\"score_sum\":4.500,\"top_rules\":[{\"rule\":"    \
    "\"hid.fee\",\"count\":2},{\"rule\":\"mis.lied\",\"count\":1}],"                   \
    "\"samples\":[\"9\",\"8\"]}\n"
#define ROW_CAT                                                                        \
    "{\"source\":\"s1\",\"brand\":\"Contoso\",\"category\":\"hidden_fees\",\"posts\":7," \
    "\"complaints\":2,\"authors\":2,\"score_sum\":3.000,\"top_rules\":[{\"rule\":"    \
    "\"hid.fee\",\"count\":2}],\"samples\":[\"9\",\"8\"],\"future\":{\"x\":[1,2]}}\n"

static void test_day_num(void)
{
    char day[11];

    CHECK_INT(cnd_day_num("1970-01-01"), 0);
    CHECK_INT(cnd_day_num("2025-11-03"), 20395);
    CHECK(cnd_day_num("2025-02-30") == INT64_MIN);
    CHECK(cnd_day_num("2025-1-03") == INT64_MIN);
    cnd_day_from_num(20395 + 59, day);
    CHECK_STR(day, "2026-01-01");
    cnd_day_from_num(cnd_day_num("2024-02-28") + 1, day);
    CHECK_STR(day, "2024-02-29");
}

static void test_list_filters_names(void)
{
    struct cnd_day *days = NULL;
    size_t n = 0;

    make_tmp();
    write_gz("daily/2025-01-03.json.gz", HEADER("2025-01-03", 0), 0);
    write_gz("daily/2025-01-01.json.gz", HEADER("2025-01-01", 0), 0);
    write_gz("daily/2025-01-02.json.gz", HEADER("2025-01-02", 0), 0);
    write_gz("daily/2025-01-02.csv.gz", "x", 0);
    write_gz("daily/2025-13-01.json.gz", "x", 0);
    write_gz("daily/notes.json.gz", "x", 0);
    write_gz("daily/2025-01-04.json.gz.tmp.1.ab", "x", 0);
    CHECK_INT(cnd_daily_list(tmpdir, "daily", ".json.gz", NULL, NULL, &days, &n), 0);
    CHECK_INT(n, 3);
    if (n == 3) {
        CHECK_STR(days[0].s, "2025-01-01");
        CHECK_STR(days[2].s, "2025-01-03");
    }
    cnd_free(days);
    CHECK_INT(cnd_daily_list(tmpdir, "daily", ".json.gz", "2025-01-02", "2025-01-02", &days, &n),
              0);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(days[0].s, "2025-01-02");
    }
    cnd_free(days);
    CHECK_INT(cnd_daily_list(tmpdir, "daily", ".csv.gz", NULL, NULL, &days, &n), 0);
    CHECK_INT(n, 1);
    cnd_free(days);
    /* A missing directory is an empty list. */
    CHECK_INT(cnd_daily_list(tmpdir, "nothing", ".json.gz", NULL, NULL, &days, &n), 0);
    CHECK_INT(n, 0);
    CHECK(days == NULL);
    rm_tmp();
}

static void test_load_day(void)
{
    struct cnd_issues iss;
    struct cnd_daily *d;
    int err = 0;

    make_tmp();
    cnd_issues_init(&iss);
    write_gz("daily/2025-11-03.json.gz", HEADER("2025-11-03", 2) ROW_STAR ROW_CAT, 0);
    d = cnd_daily_load(tmpdir, "2025-11-03", &iss, &err);
    CHECK(d != NULL);
    CHECK_INT(iss.count, 0);
    if (d) {
        CHECK_STR(d->day, "2025-11-03");
        CHECK_INT(d->schema, 1);
        CHECK_STR(d->lexicon_version, "abcdef0123456789");
        CHECK_STR(d->timezone, "UTC");
        CHECK_INT(d->n_sources, 2);
        CHECK_STR(d->sources[1].source, "s2");
        CHECK_INT(d->sources[0].posts, 7);
        CHECK_INT(d->n_rows, 2);
        CHECK_STR(d->rows[0].category, "*");
        CHECK_STR(d->rows[1].category, "hidden_fees");
        CHECK_STR(d->rows[1].brand, "Contoso");
        CHECK_INT(d->rows[0].posts, 7);
        CHECK_INT(d->rows[0].complaints, 2);
        CHECK(d->rows[0].score_sum > 4.49 && d->rows[0].score_sum < 4.51);
        CHECK_INT(d->rows[0].n_rules, 2);
        CHECK_STR(d->rows[0].rules[1].rule, "mis.lied");
        CHECK_INT(d->rows[0].rules[0].count, 2);
        CHECK_INT(d->rows[1].n_samples, 2);
        CHECK_STR(d->rows[1].samples[0], "9");
    }
    cnd_daily_free(d);
    /* A day that has no file. */
    d = cnd_daily_load(tmpdir, "2025-11-04", &iss, &err);
    CHECK(d == NULL);
    CHECK_INT(err, CND_ENOENT);
    CHECK_INT(iss.count, 0);
    cnd_issues_release(&iss);
    rm_tmp();
}

static void test_bad_rows_reported(void)
{
    struct cnd_issues iss;
    struct cnd_daily *d;
    char want[400];
    int err = 0;

    make_tmp();
    cnd_issues_init(&iss);
    write_gz("daily/2025-11-03.json.gz",
             HEADER("2025-11-03", 5) ROW_STAR
             "{\"source\":\"s1\",\"brand\":\"X\",\"category\":\"*\",\"posts\":1,\n"
             "{\"source\":\"s1\",\"brand\":\"X\",\"posts\":1,\"complaints\":0}\n"
             "{\"source\":\"s1\",\"brand\":\"X\",\"category\":\"*\",\"posts\":-1,\"complaints\":0}\n"
             ROW_CAT, 0);
    d = cnd_daily_load(tmpdir, "2025-11-03", &iss, &err);
    CHECK(d != NULL);
    if (d) {
        CHECK_INT(d->n_rows, 2);
    }
    CHECK_INT(iss.count, 3);
    snprintf(want, sizeof(want), "%s/daily/2025-11-03.json.gz:3: bad row skipped: invalid JSON",
             tmpdir);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, want), "%s", iss.text.data);
    snprintf(want, sizeof(want), "2025-11-03.json.gz:4: bad row skipped: row without \"category\"");
    CHECK_MSG(iss.text.data && strstr(iss.text.data, want), "%s", iss.text.data);
    snprintf(want, sizeof(want), "2025-11-03.json.gz:5: bad row skipped: \"posts\" is not a count");
    CHECK_MSG(iss.text.data && strstr(iss.text.data, want), "%s", iss.text.data);
    cnd_daily_free(d);
    cnd_issues_release(&iss);
    rm_tmp();
}

static void test_bad_header_and_damage(void)
{
    struct cnd_issues iss;
    struct cnd_daily *d;
    int err = 0;

    make_tmp();
    cnd_issues_init(&iss);
    /* The header names another day: the file is not used. */
    write_gz("daily/2025-11-03.json.gz", HEADER("2025-11-04", 1) ROW_STAR, 0);
    d = cnd_daily_load(tmpdir, "2025-11-03", &iss, &err);
    CHECK(d == NULL);
    CHECK_INT(err, CND_EPARSE);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, ".json.gz:1: bad header: header names day"),
              "%s", iss.text.data);
    /* Unknown schema. */
    cnd_issues_release(&iss);
    cnd_issues_init(&iss);
    write_gz("daily/2025-11-05.json.gz", "{\"schema\":2,\"day\":\"2025-11-05\"}\n", 0);
    d = cnd_daily_load(tmpdir, "2025-11-05", &iss, &err);
    CHECK(d == NULL);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, "unsupported schema 2"), "%s", iss.text.data);
    /* Not gzip, not JSON. */
    cnd_issues_release(&iss);
    cnd_issues_init(&iss);
    write_plain("daily/2025-11-06.json.gz", "[1,2,3]\n");
    d = cnd_daily_load(tmpdir, "2025-11-06", &iss, &err);
    CHECK(d == NULL);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, ":1: bad header: not a JSON object"), "%s",
              iss.text.data);
    /* Cut short: the rows before the cut stay, the damage is said. */
    cnd_issues_release(&iss);
    cnd_issues_init(&iss);
    {
        char big[20000];
        size_t len = 0;
        int i;

        len += (size_t)snprintf(big + len, sizeof(big) - len, "%s", HEADER("2025-11-07", 40));
        for (i = 0; i < 40; i++) {
            len += (size_t)snprintf(big + len, sizeof(big) - len,
                                    "{\"source\":\"s%d\",\"brand\":\"B\",\"category\":\"*\","
                                    "\"posts\":%d,\"complaints\":0,\"samples\":[]}\n", i, i);
        }
        write_gz("daily/2025-11-07.json.gz", big, 30);
    }
    d = cnd_daily_load(tmpdir, "2025-11-07", &iss, &err);
    CHECK(d != NULL);
    if (d) {
        CHECK(d->n_rows > 0 && d->n_rows < 40);
    }
    CHECK_MSG(iss.count >= 1 && iss.text.data && strstr(iss.text.data, "2025-11-07.json.gz:"),
              "%s", iss.text.data);
    cnd_daily_free(d);
    /* Empty file. */
    cnd_issues_release(&iss);
    cnd_issues_init(&iss);
    write_gz("daily/2025-11-08.json.gz", "", 0);
    d = cnd_daily_load(tmpdir, "2025-11-08", &iss, &err);
    CHECK(d == NULL);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, "empty file"), "%s", iss.text.data);
    cnd_issues_release(&iss);
    rm_tmp();
}

static void test_complaints(void)
{
    struct cnd_issues iss;
    struct cnd_complaints *cr;
    struct cnd_complaint *c = NULL;
    int err = 0;

    make_tmp();
    cnd_issues_init(&iss);
    write_gz("complaints/2025-11-03.ndjson.gz",
             "{\"id\":\"a1\",\"source\":\"s1\",\"created_at\":\"2025-11-03T08:12:00Z\","
             "\"author\":\"ana\",\"url\":\"https://x/1\",\"text\":\"they lied \\u00e9 ok\","
             "\"complaint\":true,\"categories\":[\"misrepresentation\",\"hidden_fees\"],"
             "\"brands\":[\"Contoso\"],\"score\":2.5,\"lang\":\"en\",\"evidence\":["
             "{\"rule\":\"mis.lied\",\"category\":\"misrepresentation\",\"match\":\"they lied\","
             "\"start\":0,\"end\":9},{\"rule\":\"x\",\"category\":\"y\",\"start\":5,\"end\":99}]}\n"
             "{\"id\":\"a2\",\"source\":\"s1\"}\n"
             "{\"id\":12345,\"text\":\"t\",\"evidence\":[]}\n", 0);
    cr = cnd_complaints_open(tmpdir, "2025-11-03", &err);
    CHECK(cr != NULL);
    if (cr == NULL) {
        return;
    }
    CHECK_INT(cnd_complaints_next(cr, &iss, &c), 1);
    if (c) {
        CHECK_STR(c->id, "a1");
        CHECK_STR(c->author, "ana");
        CHECK_STR(c->url, "https://x/1");
        CHECK_INT(c->text_len, 15);
        CHECK_MEM(c->text, c->text_len, "they lied \xc3\xa9 ok");
        CHECK_INT(c->created, 1762157520);
        CHECK_INT(c->n_categories, 2);
        CHECK_STR(c->categories[1], "hidden_fees");
        CHECK_INT(c->n_brands, 1);
        /* the span past the text's end is dropped */
        CHECK_INT(c->n_evidence, 1);
        CHECK_INT(c->evidence[0].end, 9);
        CHECK_STR(c->evidence[0].rule, "mis.lied");
    }
    cnd_complaint_free(c);
    c = NULL;
    CHECK_INT(cnd_complaints_next(cr, &iss, &c), 1);
    if (c) {
        CHECK_STR(c->id, "12345");
        CHECK_STR(c->source, "");
        CHECK(c->created == INT64_MIN);
    }
    cnd_complaint_free(c);
    c = NULL;
    CHECK_INT(cnd_complaints_next(cr, &iss, &c), 0);
    CHECK_INT(iss.count, 1);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, "2025-11-03.ndjson.gz:2: bad complaint "
                                                     "skipped: complaint without \"text\""),
              "%s", iss.text.data);
    cnd_complaints_close(cr);
    CHECK(cnd_complaints_open(tmpdir, "2025-11-04", &err) == NULL);
    CHECK_INT(err, CND_ENOENT);
    cnd_issues_release(&iss);
    rm_tmp();
}

static void test_runs(void)
{
    struct cnd_issues iss;
    struct cnd_runs_day r;

    make_tmp();
    cnd_issues_init(&iss);
    write_plain("runs/2025-11-03.ndjson",
                "{\"run_start\":\"2025-11-03T07:00:00Z\",\"run_end\":\"2025-11-03T07:01:00Z\","
                "\"source\":\"mastodon\",\"ok\":true,\"pages\":3,\"posts\":40}\n"
                "{\"run_start\":\"2025-11-03T07:00:00Z\",\"source\":\"reddit\",\"ok\":false,"
                "\"error\":\"HTTP 503\",\"pages\":0,\"posts\":0}\n"
                "not json\n"
                "{\"run_start\":\"2025-11-03T08:00:00Z\",\"source\":\"mastodon\",\"ok\":true,"
                "\"pages\":1,\"posts\":5}\n");
    CHECK_INT(cnd_runs_load(tmpdir, "2025-11-03", &iss, &r), 0);
    CHECK_INT(r.known, 1);
    CHECK_INT(r.lines, 3);
    CHECK_INT(r.failed, 1);
    CHECK_INT(r.n_sources, 2);
    if (r.n_sources == 2) {
        CHECK_STR(r.sources[0].source, "mastodon");
        CHECK_INT(r.sources[0].runs, 2);
        CHECK_INT(r.sources[0].posts, 45);
        CHECK_INT(r.sources[1].failed, 1);
        CHECK_STR(r.sources[1].last_error, "HTTP 503");
    }
    CHECK_INT(iss.count, 1);
    CHECK_MSG(iss.text.data && strstr(iss.text.data, "runs/2025-11-03.ndjson:3: bad run line"),
              "%s", iss.text.data);
    cnd_runs_day_release(&r);
    CHECK_INT(cnd_runs_load(tmpdir, "2025-11-04", &iss, &r), 0);
    CHECK_INT(r.known, 0);
    cnd_runs_day_release(&r);
    cnd_issues_release(&iss);
    rm_tmp();
}

static void test_issues_cap(void)
{
    struct cnd_issues iss;
    int i;

    cnd_issues_init(&iss);
    for (i = 0; i < 150; i++) {
        cnd_issues_add(&iss, "f", (uint64_t)i + 1, "problem %d", i);
    }
    CHECK_INT(iss.count, 150);
    CHECK(strstr(iss.text.data, "f:100: problem 99\n") != NULL);
    CHECK(strstr(iss.text.data, "f:101:") == NULL);
    cnd_issues_add(NULL, "f", 1, "ignored");
    cnd_issues_release(&iss);
}

static void test_alloc_failures(void)
{
    unsigned long n;

    make_tmp();
    write_gz("daily/2025-11-03.json.gz", HEADER("2025-11-03", 2) ROW_STAR ROW_CAT, 0);
    for (n = 1; n < 200; n++) {
        struct cnd_issues iss;
        struct cnd_daily *d;
        int err = 0;

        cnd_issues_init(&iss);
        cnd_alloc_fail_at(n);
        d = cnd_daily_load(tmpdir, "2025-11-03", &iss, &err);
        cnd_alloc_fail_at(0);
        if (d != NULL) {
            CHECK_INT(d->n_rows, 2);
            cnd_daily_free(d);
            cnd_issues_release(&iss);
            break;
        }
        CHECK_MSG(err == CND_ENOMEM || err == CND_EIO, "n=%lu err=%d", n, err);
        cnd_issues_release(&iss);
    }
    rm_tmp();
}

TEST_LIST = {
    { "day_num", test_day_num },
    { "list_filters_names", test_list_filters_names },
    { "load_day", test_load_day },
    { "bad_rows_reported", test_bad_rows_reported },
    { "bad_header_and_damage", test_bad_header_and_damage },
    { "complaints", test_complaints },
    { "runs", test_runs },
    { "issues_cap", test_issues_cap },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
