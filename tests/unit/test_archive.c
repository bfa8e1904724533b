/* SPDX-License-Identifier: MIT */
/*
 * The page archive: pages written and read back field for field, one gzip
 * member per page, secrets redacted, bodies that are not UTF-8, a segment
 * per fetch day, a crash-cut tail, lines that are not pages.
 */
#include "tests/unit/check.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"
#include "ingest/archive.h"
#include "ingest/http.h"
#include "output/output.h"

static char tmpdir[256];

static void setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cnd-archive-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
}

static void teardown(void)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    CHECK_INT(system(cmd), 0);
}

/* The decompressed bytes of a (multi-member) gzip file, malloced. */
static char *gunzip_all(const char *path, size_t *len, int *members)
{
    FILE *f = fopen(path, "rb");
    unsigned char in[1 << 16];
    char *out = NULL;
    size_t n, cap = 0;
    long pos = 0;

    *len = 0;
    *members = 0;
    if (f == NULL) {
        return NULL;
    }
    n = fread(in, 1, sizeof(in), f);
    fclose(f);
    while ((size_t)pos < n) {
        z_stream zs;
        char buf[1 << 16];
        int zr;

        memset(&zs, 0, sizeof(zs));
        if (inflateInit2(&zs, 15 + 16) != Z_OK) {
            break;
        }
        zs.next_in = in + pos;
        zs.avail_in = (uInt)(n - (size_t)pos);
        do {
            zs.next_out = (Bytef *)buf;
            zs.avail_out = sizeof(buf);
            zr = inflate(&zs, Z_NO_FLUSH);
            if (zr != Z_OK && zr != Z_STREAM_END) {
                break;
            }
            if (*len + (sizeof(buf) - zs.avail_out) + 1 > cap) {
                cap = (*len + sizeof(buf)) * 2;
                out = realloc(out, cap);
            }
            memcpy(out + *len, buf, sizeof(buf) - zs.avail_out);
            *len += sizeof(buf) - zs.avail_out;
        } while (zr == Z_OK);
        pos += (long)zs.total_in;
        inflateEnd(&zs);
        if (zr != Z_STREAM_END) {
            break;
        }
        (*members)++;
    }
    if (out != NULL) {
        out[*len] = '\0';
    }
    return out;
}

static const struct cnd_header hdrs[] = {
    { "Link", "<https://m.example/api?max_id=5>; rel=\"next\"" },
    { "Content-Type", "application/json; charset=utf-8" },
    { "X-RateLimit-Remaining", "299" },
    { "Set-Cookie", "session=COOKIE-S3CRET" },
    { "Authorization", "Bearer HDR-S3CRET" },
    { "X-Request-Id", "abc" },
};

static void test_write_read(void)
{
    struct cnd_archive *a;
    struct cnd_archive_reader *r;
    struct cnd_archive_page p, q;
    char path[512], *text;
    const char bad_utf8[] = "[{\"id\":\"1\",\"content\":\"caf\xe9\"}]";
    uint64_t lineno = 0;
    size_t len;
    int err = 0, members = 0;

    setup();
    CHECK_INT(cnd_mkdirs(tmpdir), 0);
    a = cnd_archive_new(tmpdir, "masto", "20251103T100000Z-42", &err);
    CHECK(a != NULL);
    CHECK(cnd_archive_segment(a) == NULL);
    memset(&p, 0, sizeof(p));
    p.source = "masto";
    p.kind = "mastodon";
    p.url = "https://u:PW-S3CRET@m.example/api/v1/timelines/tag/x?limit=40&access_token=TOK-S3CRET"
            "&min_id=7";
    p.status = 200;
    p.headers = hdrs;
    p.n_headers = 6;
    p.fetched_at = 1762164000.75;   /* 2025-11-03T10:00:00Z */
    p.cursor_in = "min_id=7";
    p.cursor_out = "min_id=9";
    p.more = 1;
    p.posts = 2;
    p.body = "[{\"id\":\"8\",\"content\":\"<p>a \\\"quote\\\"\\n</p>\"},{\"id\":\"9\"}]";
    p.len = strlen(p.body);
    CHECK_INT(cnd_archive_append(a, &p), 0);
    snprintf(path, sizeof(path), "%s/archive/masto/2025-11-03/20251103T100000Z-42.ndjson.gz",
             tmpdir);
    CHECK_STR(cnd_archive_segment(a), path);
    /* second page: no cursor in, a body that is not UTF-8, with a NUL */
    p.cursor_in = NULL;
    p.cursor_out = NULL;
    p.more = 0;
    p.n_headers = 0;
    p.body = bad_utf8;
    p.len = sizeof(bad_utf8);     /* includes the final NUL byte */
    CHECK_INT(cnd_archive_append(a, &p), 0);
    cnd_archive_free(a);

    /* one gzip member per page, no secrets, selected headers only */
    text = gunzip_all(path, &len, &members);
    CHECK(text != NULL);
    CHECK_INT(members, 2);
    CHECK(text && strstr(text, "S3CRET") == NULL);
    CHECK(text && strstr(text, "access_token=REDACTED") != NULL);
    CHECK(text && strstr(text, "\"x-request-id\"") == NULL && strstr(text, "X-Request-Id") == NULL);
    CHECK(text && strstr(text, "\"body_b64\":") != NULL);
    free(text);

    r = cnd_archive_reader_open(path, &err);
    CHECK(r != NULL);
    if (r == NULL) {
        teardown();
        return;
    }
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 1);
    CHECK_INT(lineno, 1);
    CHECK_STR(q.source, "masto");
    CHECK_STR(q.kind, "mastodon");
    CHECK_STR(q.url, "https://m.example/api/v1/timelines/tag/x?limit=40&access_token=REDACTED"
                     "&min_id=7");
    CHECK_INT(q.status, 200);
    CHECK_INT((long long)q.fetched_at, 1762164000);
    CHECK_STR(q.cursor_in, "min_id=7");
    CHECK_STR(q.cursor_out, "min_id=9");
    CHECK_INT(q.more, 1);
    CHECK_INT(q.posts, 2);
    CHECK_MEM(q.body, q.len, "[{\"id\":\"8\",\"content\":\"<p>a \\\"quote\\\"\\n</p>\"},{\"id\":\"9\"}]");
    CHECK_INT(q.n_headers, 3);
    if (q.n_headers == 3) {
        CHECK_STR(q.headers[0].name, "Link");
        CHECK_STR(q.headers[0].value, "<https://m.example/api?max_id=5>; rel=\"next\"");
        CHECK_STR(q.headers[1].name, "Content-Type");
        CHECK_STR(q.headers[2].value, "299");
    }
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 1);
    CHECK_INT(lineno, 2);
    CHECK(q.cursor_in == NULL && q.cursor_out == NULL);
    CHECK_INT(q.more, 0);
    CHECK_INT(q.len, sizeof(bad_utf8));
    CHECK(q.len == sizeof(bad_utf8) && memcmp(q.body, bad_utf8, sizeof(bad_utf8)) == 0);
    CHECK_INT(q.n_headers, 0);
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 0);
    cnd_archive_reader_close(r);
    teardown();
}

static void test_days_and_crash(void)
{
    struct cnd_archive *a;
    struct cnd_archive_reader *r;
    struct cnd_archive_page p, q;
    char path1[512], path2[512];
    uint64_t lineno = 0;
    int err = 0, fd, i;

    setup();
    a = cnd_archive_new(tmpdir, "s", "RUN", &err);
    memset(&p, 0, sizeof(p));
    p.source = "s";
    p.kind = "generic";
    p.url = "http://x/feed";
    p.status = 200;
    p.body = "[]";
    p.len = 2;
    p.posts = 0;
    p.fetched_at = 1762214399;       /* 2025-11-03T23:59:59Z */
    CHECK_INT(cnd_archive_append(a, &p), 0);
    snprintf(path1, sizeof(path1), "%s", cnd_archive_segment(a));
    p.fetched_at = 1762214400;       /* the next day */
    CHECK_INT(cnd_archive_append(a, &p), 0);
    CHECK_INT(cnd_archive_append(a, &p), 0);
    snprintf(path2, sizeof(path2), "%s", cnd_archive_segment(a));
    CHECK(strstr(path1, "/archive/s/2025-11-03/RUN.ndjson.gz") != NULL);
    CHECK(strstr(path2, "/archive/s/2025-11-04/RUN.ndjson.gz") != NULL);
    cnd_archive_free(a);

    /* a second writer with the same run id never appends to the old file */
    a = cnd_archive_new(tmpdir, "s", "RUN", &err);
    CHECK_INT(cnd_archive_append(a, &p), 0);
    CHECK(strstr(cnd_archive_segment(a), "/2025-11-04/RUN-1.ndjson.gz") != NULL);
    cnd_archive_free(a);

    /* a crash in the middle of a member: the pages before it are read */
    fd = open(path2, O_WRONLY | O_APPEND);
    CHECK(fd >= 0);
    CHECK_INT(write(fd, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xab\x56", 12), 12);
    close(fd);
    r = cnd_archive_reader_open(path2, &err);
    CHECK(r != NULL);
    for (i = 0; i < 2; i++) {
        CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 1);
    }
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), CND_ETRUNC);
    CHECK(strstr(cnd_archive_reader_error(r), "truncated") != NULL);
    cnd_archive_reader_close(r);
    teardown();
}

static void test_not_pages(void)
{
    struct cnd_archive_reader *r;
    struct cnd_archive_page q;
    char path[512];
    uint64_t lineno = 0;
    FILE *f;
    int err = 0;

    CHECK(cnd_archive_is_page("{\"archive\":1,\"source\":\"x\"}", 26));
    CHECK(!cnd_archive_is_page("{\"id\":\"1\"}", 10));
    CHECK(!cnd_archive_is_page("{\"arch", 6));
    setup();
    snprintf(path, sizeof(path), "%s/seg.ndjson", tmpdir);
    f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    fputs("{\"archive\":1,\"source\":\"s\",\"kind\":\"generic\",\"status\":200,\"body\":\"[]\"}\n", f);
    fputs("{\"archive\":2,\"source\":\"s\",\"kind\":\"generic\",\"status\":200,\"body\":\"[]\"}\n", f);
    fputs("{\"archive\":1,\"source\":\"s\",\"status\":200,\"body\":\"[]\"}\n", f);
    fputs("not json\n", f);
    fputs("{\"archive\":1,\"source\":\"s\",\"kind\":\"generic\",\"status\":200,\"body_b64\":\"W10=\"}\n",
          f);
    fputs("{\"archive\":1,\"source\":\"s\",\"kind\":\"gen", f);
    fclose(f);
    r = cnd_archive_reader_open(path, &err);
    CHECK(r != NULL);
    if (r == NULL) {
        teardown();
        return;
    }
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 1);
    CHECK_MEM(q.body, q.len, "[]");
    CHECK(q.cursor_in == NULL);
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), CND_EPARSE);   /* version 2 */
    CHECK_INT(lineno, 2);
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), CND_EPARSE);   /* no kind */
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), CND_EPARSE);   /* not json */
    CHECK(cnd_archive_reader_error(r)[0] != '\0');
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 1);            /* base64 body */
    CHECK_MEM(q.body, q.len, "[]");
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), CND_EPARSE);   /* cut last line */
    CHECK(strstr(cnd_archive_reader_error(r), "truncated") != NULL);
    CHECK_INT(cnd_archive_reader_next(r, &q, &lineno), 0);
    cnd_archive_reader_close(r);
    CHECK(cnd_archive_reader_open("/nonexistent/seg.ndjson.gz", &err) == NULL);
    CHECK_INT(err, CND_ENOENT);
    teardown();
}

static void test_write_fails(void)
{
    struct cnd_archive *a;
    struct cnd_archive_page p;
    int err = 0, level = cnd_log_level;

    memset(&p, 0, sizeof(p));
    p.source = "s";
    p.kind = "generic";
    p.body = "[]";
    p.len = 2;
    p.fetched_at = 1762164000;
    cnd_log_set_level(-1);
    a = cnd_archive_new("/dev/null/not-a-dir", "s", "RUN", &err);
    CHECK(a != NULL);
    CHECK_INT(cnd_archive_append(a, &p), CND_EIO);
    CHECK(cnd_archive_segment(a) == NULL);
    cnd_archive_free(a);
    cnd_log_set_level(level);
}

static void test_redact(void)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        { "https://a.example/x?q=1", "https://a.example/x?q=1" },
        { "https://a.example/x?token=abc&q=1", "https://a.example/x?token=REDACTED&q=1" },
        { "https://a.example/x?q=1&API_KEY=abc#frag", "https://a.example/x?q=1&API_KEY=REDACTED#frag" },
        { "https://user:pw@a.example/x?sig=1&signature=2&keys=3",
          "https://a.example/x?sig=REDACTED&signature=REDACTED&keys=3" },
        { "http://a.example:8080/hook/T0/B1", "http://a.example:8080/hook/T0/B1" },
        { "https://a.example/?password", "https://a.example/?password" },
        { "no-scheme?key=1", "no-scheme?key=REDACTED" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_buf b;

        cnd_buf_init(&b, 0);
        CHECK_INT(cnd_url_redact(&b, cases[i].in), 0);
        CHECK_STR(b.data, cases[i].out);
        cnd_buf_release(&b);
    }
}

TEST_LIST = {
    { "write_read", test_write_read },
    { "days_and_crash", test_days_and_crash },
    { "not_pages", test_not_pages },
    { "write_fails", test_write_fails },
    { "redact", test_redact },
    { NULL, NULL },
};
