/* SPDX-License-Identifier: MIT */
/*
 * Tests for output/report.c: the HTML escaper, evidence highlighting
 * (overlapping spans, UTF-8 boundaries, cut texts) and a rendered page
 * over a small synthetic data directory (structure, accessibility
 * attributes, hostile texts escaped, failed sources marked, the same
 * bytes twice).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "common/buf.h"
#include "common/err.h"
#include "output/daily.h"
#include "output/report.h"
#include "check.h"

static char tmpdir[256];

static void make_tmp(void)
{
    const char *subs[] = { "daily", "complaints", "runs" };
    char sub[300];
    size_t i;

    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cnd-test-report-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
    for (i = 0; i < 3; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", tmpdir, subs[i]);
        CHECK(mkdir(sub, 0755) == 0);
    }
}

static void rm_tmp(void)
{
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    CHECK(system(cmd) == 0);
}

static void write_file(const char *rel, const char *text, int gz)
{
    char path[600];

    snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
    if (gz) {
        gzFile g = gzopen(path, "wb");

        CHECK(g != NULL);
        if (g) {
            CHECK(gzwrite(g, text, (unsigned)strlen(text)) == (int)strlen(text));
            CHECK(gzclose(g) == Z_OK);
        }
    } else {
        FILE *f = fopen(path, "w");

        CHECK(f != NULL);
        if (f) {
            fputs(text, f);
            CHECK(fclose(f) == 0);
        }
    }
}

static void escaped(const char *in, size_t len, const char *want)
{
    struct cnd_buf b;

    cnd_buf_init(&b, 0);
    CHECK_INT(cnd_html_escape(&b, in, len), 0);
    CHECK_MEM(b.data ? b.data : "", b.len, want);
    cnd_buf_release(&b);
}

static void test_escape(void)
{
    escaped("plain text", 10, "plain text");
    escaped("<script>alert(\"x\")</script>", 27,
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    escaped("a & b's", 7, "a &amp; b&#39;s");
    escaped("tab\tnl\ncr\rbell\x07" "del\x7f", 19, "tab\tnl\ncr bell del ");
    /* valid UTF-8 is kept, invalid bytes become U+FFFD, C1 controls a space */
    escaped("caf\xc3\xa9 \xe2\x82\xac", 9, "caf\xc3\xa9 \xe2\x82\xac");
    escaped("a\xff" "b\xc3", 4, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
    escaped("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    escaped("x\xc2\x85y", 4, "x y");
    escaped("a\0b", 3, "a b");
    escaped("", 0, "");
}

static void highlighted(const char *text, const struct cnd_complaint_span *sp, size_t n,
                        size_t max, const char *want)
{
    struct cnd_buf b;

    cnd_buf_init(&b, 0);
    CHECK_INT(cnd_html_highlight(&b, text, strlen(text), sp, n, max), 0);
    CHECK_MEM(b.data ? b.data : "", b.len, want);
    cnd_buf_release(&b);
}

static void test_highlight(void)
{
    struct cnd_complaint_span sp[4];

    memset(sp, 0, sizeof(sp));
    /* one span */
    sp[0].start = 5;
    sp[0].end = 9;
    sp[0].rule = "r.a";
    highlighted("they lied to me", sp, 1, 0, "they <mark title=\"r.a\">lied</mark> to me");
    /* overlapping and unsorted spans merge; rules listed once each */
    sp[0].start = 10;
    sp[0].end = 15;
    sp[0].rule = "r.b";
    sp[1].start = 0;
    sp[1].end = 9;
    sp[1].rule = "r.a";
    sp[2].start = 5;
    sp[2].end = 12;
    sp[2].rule = "r.a";
    highlighted("they lied to me", sp, 3, 0,
                "<mark title=\"r.a, r.b\">they lied to me</mark>");
    /* the text inside and around marks is escaped */
    sp[0].start = 3;
    sp[0].end = 6;
    sp[0].rule = "<x>";
    highlighted("a <b> c", sp, 1, 0,
                "a &lt;<mark title=\"&lt;x&gt;\">b&gt; </mark>c");
    /* spans out of range or empty are ignored */
    sp[0].start = 4;
    sp[0].end = 99;
    sp[1].start = 3;
    sp[1].end = 3;
    highlighted("abc", sp, 2, 0, "abc");
    /* ends inside a UTF-8 character move to its edges */
    sp[0].start = 2;   /* inside the first é (bytes 1-2) */
    sp[0].end = 4;     /* inside the second é (bytes 3-4) */
    sp[0].rule = NULL;
    highlighted("x\xc3\xa9\xc3\xa9y", sp, 1, 0, "x<mark>\xc3\xa9\xc3\xa9</mark>y");
    /* a long text is cut at a character boundary, with an ellipsis */
    sp[0].start = 0;
    sp[0].end = 6;
    highlighted("abcd\xc3\xa9" "fgh", sp, 1, 5, "<mark>abcd</mark>\xe2\x80\xa6");
}

#define HDR(day, posts, rows)                                                          \
    "{\"schema\":1,\"day\":\"" day "\",\"lexicon_version\":\"aaaabbbbccccdddd\","      \
    "\"sources\":[{\"source\":\"s1\",\"posts\":" #posts "}],\"rows\":" #rows "}\n"
#define STAR(brand, posts, n)                                                          \
    "{\"source\":\"s1\",\"brand\":\"" brand "\",\"category\":\"*\",\"posts\":" #posts  \
    ",\"complaints\":" #n ",\"top_rules\":[{\"rule\":\"hid.fee\",\"count\":" #n "}],"  \
    "\"samples\":[]}\n"
#define CAT(brand, cat, posts, n)                                                      \
    "{\"source\":\"s1\",\"brand\":\"" brand "\",\"category\":\"" cat "\",\"posts\":"   \
    #posts ",\"complaints\":" #n ",\"top_rules\":[{\"rule\":\"hid.fee\",\"count\":"     \
    #n "}],\"samples\":[\"1\"]}\n"

static void make_data(void)
{
    make_tmp();
    write_file("daily/2025-11-01.json.gz",
               HDR("2025-11-01", 10, 3) STAR("Acme <Corp>", 8, 2)
               CAT("Acme <Corp>", "hidden_fees", 8, 2) STAR("", 2, 0), 1);
    write_file("daily/2025-11-03.json.gz",
               HDR("2025-11-03", 12, 2) STAR("Acme <Corp>", 12, 5)
               CAT("Acme <Corp>", "hidden_fees", 12, 5), 1);
    write_file("complaints/2025-11-03.ndjson.gz",
               "{\"id\":\"p1\",\"source\":\"s1\",\"created_at\":\"2025-11-03T10:00:00Z\","
               "\"author\":\"\\\"><img src=x onerror=alert(1)>\","
               "\"url\":\"javascript:alert(1)\",\"text\":\"<script>alert('x')</script> "
               "hidden fee AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
               "\"categories\":[\"hidden_fees\"],\"brands\":[\"Acme <Corp>\"],"
               "\"evidence\":[{\"rule\":\"hid.fee\",\"category\":\"hidden_fees\","
               "\"start\":28,\"end\":38}]}\n"
               "{\"id\":\"p2\",\"source\":\"s1\",\"created_at\":\"2025-11-03T12:00:00Z\","
               "\"url\":\"https://example.org/p/2?a=1&b=\\\"2\\\"\",\"text\":\"newer one\"}\n",
               1);
    write_file("runs/2025-11-03.ndjson",
               "{\"run_start\":\"2025-11-03T06:00:00Z\",\"source\":\"s1\",\"ok\":false,"
               "\"error\":\"HTTP 503 <gateway>\",\"pages\":0,\"posts\":0}\n"
               "{\"run_start\":\"2025-11-03T07:00:00Z\",\"source\":\"s2\",\"ok\":true,"
               "\"pages\":2,\"posts\":12}\n", 0);
    write_file("runs/2025-11-01.ndjson",
               "{\"run_start\":\"2025-11-01T06:00:00Z\",\"source\":\"s1\",\"ok\":true,"
               "\"pages\":1,\"posts\":10}\n", 0);
}

static void test_render_page(void)
{
    struct cnd_report_opts o;
    struct cnd_report_stats st;
    struct cnd_issues iss;
    struct cnd_buf a, b;
    const char *h, *recent;

    make_data();
    memset(&o, 0, sizeof(o));
    o.data_dir = tmpdir;
    cnd_issues_init(&iss);
    cnd_buf_init(&a, 0);
    CHECK_INT(cnd_report_render(&o, &a, &iss, &st), 0);
    CHECK_MSG(iss.count == 0, "%s", iss.text.data);
    h = a.data ? a.data : "";
    /* the default period starts at the first daily file, ends at the last */
    CHECK_STR(st.from, "2025-11-01");
    CHECK_STR(st.to, "2025-11-03");
    CHECK_INT(st.n_days, 3);
    CHECK_INT(st.days_read, 2);
    CHECK_INT(st.prev_days_read, 0);
    CHECK_INT(st.posts, 22);
    CHECK(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
    CHECK(strstr(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
    CHECK(strstr(h, "@media print"));
    CHECK(strstr(h, "overflow-wrap:anywhere"));
    CHECK(strstr(h, "<svg class=\"chart\" viewBox=\"0 0 720 220\" role=\"img\" "
                    "aria-labelledby=\"ct0 cd0\""));
    CHECK(strstr(h, "<title id=\"ct0\">Acme &lt;Corp&gt;: complaints per day, 2025-11-01 to "
                    "2025-11-03</title>"));
    CHECK(strstr(h, "<th scope=\"col\""));
    CHECK(strstr(h, "<th scope=\"row\">Acme &lt;Corp&gt;</th>"));
    CHECK(strstr(h, "(no brand)"));
    /* the day without a daily file is shaded, the failed source marked */
    CHECK(strstr(h, "<title>2025-11-02: no daily file</title>"));
    CHECK(strstr(h, "class=\"failmark\""));
    CHECK(strstr(h, "s1 failed 1 of 1 run (HTTP 503 &lt;gateway&gt;)"));
    CHECK(strstr(h, "1 day with a failed source"));
    CHECK(strstr(h, "1 day without a run log"));
    /* no previous-period data: changes are n/a, not "+7" */
    CHECK(strstr(h, "no daily file for the previous period"));
    CHECK(strstr(h, "<span class=\"na\">n/a</span>"));
    /* hostile texts: nothing of them survives as markup */
    CHECK(strstr(h, "<script") == NULL);
    CHECK(strstr(h, "<img") == NULL);
    CHECK(strstr(h, "javascript:") == NULL || strstr(h, "href=\"javascript:") == NULL);
    CHECK(strstr(h, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    CHECK(strstr(h, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    CHECK(strstr(h, "<mark title=\"hid.fee\">hidden fee</mark>"));
    CHECK(strstr(h, "href=\"https://example.org/p/2?a=1&amp;b=&quot;2&quot;\""));
    /* newest first */
    recent = strstr(h, "id=\"recent\"");
    CHECK(recent && strstr(recent, "newer one") &&
          strstr(recent, "newer one") < strstr(recent, "hidden fee"));
    CHECK(strstr(h, "<code>aaaabbbbccccdddd</code>"));
    CHECK(strstr(h, "Generated at") == NULL);
    /* the same bytes again; a stamp only when given */
    cnd_buf_init(&b, 0);
    CHECK_INT(cnd_report_render(&o, &b, &iss, NULL), 0);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    cnd_buf_reset(&b);
    o.generated_at = "2025-11-04T00:00:00Z";
    CHECK_INT(cnd_report_render(&o, &b, &iss, NULL), 0);
    CHECK(b.data && strstr(b.data, "Generated at 2025-11-04T00:00:00Z."));
    cnd_buf_release(&a);
    cnd_buf_release(&b);
    cnd_issues_release(&iss);
    rm_tmp();
}

static void test_periods(void)
{
    struct cnd_report_opts o;
    struct cnd_report_stats st;
    struct cnd_issues iss;
    struct cnd_buf a;

    make_data();
    /* outside the periods below until the last: must not be read before */
    write_file("daily/2025-09-01.json.gz", "not gzip, not json\n", 0);
    memset(&o, 0, sizeof(o));
    o.data_dir = tmpdir;
    cnd_issues_init(&iss);
    cnd_buf_init(&a, 0);
    /* an explicit period; the previous one holds 2025-11-01 */
    o.from = "2025-11-02";
    o.to = "2025-11-03";
    CHECK_INT(cnd_report_render(&o, &a, &iss, &st), 0);
    CHECK_INT(st.days_read, 1);
    CHECK_INT(st.prev_days_read, 1);
    CHECK(a.data && strstr(a.data, "+3 (+150%)"));
    /* --to only: 28 days back (from 2025-10-07, so the corrupt file is not opened) */
    cnd_buf_reset(&a);
    o.from = NULL;
    o.to = "2025-11-03";
    CHECK_INT(cnd_report_render(&o, &a, &iss, &st), 0);
    CHECK_STR(st.from, "2025-10-07");
    CHECK_INT(st.n_days, 28);
    CHECK_MSG(iss.count == 0, "%s", iss.text.data);
    /* a period reaching the corrupt file reports it with its name */
    cnd_buf_reset(&a);
    o.from = "2025-09-01";
    CHECK_INT(cnd_report_render(&o, &a, &iss, &st), 0);
    CHECK_INT(iss.count, 1);
    CHECK(iss.text.data && strstr(iss.text.data, "daily/2025-09-01.json.gz:1: bad header"));
    /* backwards or too long */
    o.from = "2025-11-04";
    CHECK_INT(cnd_report_render(&o, &a, &iss, &st), CND_EINVAL);
    o.from = "2000-01-01";
    CHECK_INT(cnd_report_render(&o, &a, &iss, &st), CND_EINVAL);
    cnd_buf_release(&a);
    cnd_issues_release(&iss);
    rm_tmp();
    /* no data at all */
    make_tmp();
    memset(&o, 0, sizeof(o));
    o.data_dir = tmpdir;
    cnd_buf_init(&a, 0);
    CHECK_INT(cnd_report_render(&o, &a, NULL, NULL), CND_ENOENT);
    cnd_buf_release(&a);
    rm_tmp();
}

TEST_LIST = {
    { "escape", test_escape },
    { "highlight", test_highlight },
    { "render_page", test_render_page },
    { "periods", test_periods },
    { NULL, NULL },
};
