/* SPDX-License-Identifier: MIT */
/*
 * Tests for common/lines.c. Each case writes its input into a private
 * temporary directory (plain, gzip written with gzopen, multi-member,
 * truncated, corrupt, a gzip bomb) and reads it back line by line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/lines.h"
#include "tests/unit/check.h"

static char tmpdir[64];
static unsigned file_seq;

/* ---- Helpers ---- */

static void remove_tmpdir(void);

static int make_tmpdir(void)
{
    if (tmpdir[0] != '\0') {
        return 0;
    }
    strcpy(tmpdir, "/tmp/cnd-test-lines-XXXXXX");
    if (mkdtemp(tmpdir) == NULL) {
        tmpdir[0] = '\0';
        return -1;
    }
    atexit(remove_tmpdir);
    return 0;
}

/* Returns a fresh path in the temporary directory (static storage per call slot). */
static const char *tmp_path(const char *suffix)
{
    static char paths[8][128];
    char *p = paths[file_seq % 8];

    if (make_tmpdir() < 0) {
        return "/nonexistent";
    }
    snprintf(p, 128, "%s/f%u%s", tmpdir, file_seq++, suffix);
    return p;
}

static int write_plain(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;

    if (f == NULL) {
        return -1;
    }
    ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Writes (mode "wb") or appends a new member (mode "ab") with gzopen. */
static int write_gz(const char *path, const char *mode, const void *data, size_t len)
{
    gzFile g = gzopen(path, mode);
    int ok = 1;

    if (g == NULL) {
        return -1;
    }
    if (len > 0) {
        ok = gzwrite(g, data, (unsigned)len) == (int)len;
    }
    return (gzclose(g) == Z_OK && ok) ? 0 : -1;
}

static long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

struct expect {
    int status;
    const char *line;  /* for OK and PARTIAL */
    uint64_t lineno;   /* for OK, PARTIAL and LONG */
};

/* Reads "path" and compares every result with "want" ("n" entries). */
static void expect_lines(const char *path, const struct cnd_lines_opts *opts,
                         const struct expect *want, size_t n)
{
    struct cnd_lines *lr;
    int err = 0;
    size_t i;

    lr = cnd_lines_open(path, opts, &err);
    CHECK_MSG(lr != NULL, "open '%s': %d", path, err);
    if (lr == NULL) {
        return;
    }
    for (i = 0; i < n; i++) {
        const char *line = NULL;
        size_t len = 0;
        uint64_t lineno = 0;
        int st = cnd_lines_next(lr, &line, &len, &lineno);

        CHECK_MSG(st == want[i].status, "'%s' item %zu: status %d, want %d", path, i, st,
                  want[i].status);
        if (st != want[i].status) {
            break;
        }
        if (st == CND_LINES_OK || st == CND_LINES_PARTIAL) {
            CHECK_MSG(len == strlen(want[i].line) && memcmp(line, want[i].line, len) == 0,
                      "'%s' item %zu: line '%.*s', want '%s'", path, i, (int)len, line,
                      want[i].line);
            CHECK_MSG(line[len] == '\0', "'%s' item %zu: not NUL-terminated", path, i);
        }
        if (st == CND_LINES_OK || st == CND_LINES_PARTIAL || st == CND_LINES_LONG) {
            CHECK_MSG(lineno == want[i].lineno, "'%s' item %zu: lineno %llu, want %llu", path,
                      i, (unsigned long long)lineno, (unsigned long long)want[i].lineno);
        }
    }
    cnd_lines_close(lr);
}

/* ---- Cases ---- */

static const char basic[] = "first\nsecond line\n\n{\"id\":\"4\"}\n";
static const struct expect basic_want[] = {
    { CND_LINES_OK, "first", 1 },
    { CND_LINES_OK, "second line", 2 },
    { CND_LINES_OK, "", 3 },
    { CND_LINES_OK, "{\"id\":\"4\"}", 4 },
    { CND_LINES_EOF, NULL, 0 },
    { CND_LINES_EOF, NULL, 0 }, /* and again */
};

static void test_plain(void)
{
    const char *p = tmp_path(".ndjson");
    struct cnd_lines *lr;
    int err = 0;

    CHECK(write_plain(p, basic, strlen(basic)) == 0);
    expect_lines(p, NULL, basic_want, sizeof(basic_want) / sizeof(basic_want[0]));

    lr = cnd_lines_open(p, NULL, &err);
    CHECK(lr != NULL);
    if (lr != NULL) {
        const char *line;
        size_t len;
        uint64_t no;

        CHECK_STR(cnd_lines_path(lr), p);
        while (cnd_lines_next(lr, &line, &len, &no) == CND_LINES_OK) {
        }
        CHECK_INT(cnd_lines_raw_bytes(lr), strlen(basic));
        CHECK_INT(cnd_lines_decoded_bytes(lr), strlen(basic));
        cnd_lines_close(lr);
    }
}

static void test_gzip(void)
{
    const char *p = tmp_path(".ndjson.gz");
    struct cnd_lines *lr;
    int err = 0;

    CHECK(write_gz(p, "wb", basic, strlen(basic)) == 0);
    expect_lines(p, NULL, basic_want, sizeof(basic_want) / sizeof(basic_want[0]));

    lr = cnd_lines_open(p, NULL, &err);
    CHECK(lr != NULL);
    if (lr != NULL) {
        const char *line;
        size_t len;
        uint64_t no;

        while (cnd_lines_next(lr, &line, &len, &no) == CND_LINES_OK) {
        }
        CHECK_INT(cnd_lines_raw_bytes(lr), file_size(p));
        CHECK_INT(cnd_lines_decoded_bytes(lr), strlen(basic));
        cnd_lines_close(lr);
    }
}

static void test_multi_member(void)
{
    const char *p = tmp_path(".gz");
    static const struct expect want[] = {
        { CND_LINES_OK, "one", 1 },
        { CND_LINES_OK, "two-a two-b", 2 },  /* a line split across two members */
        { CND_LINES_OK, "three", 3 },
        { CND_LINES_OK, "four", 4 },
        { CND_LINES_EOF, NULL, 0 },
    };

    CHECK(write_gz(p, "wb", "one\ntwo-a", 9) == 0);
    CHECK(write_gz(p, "ab", " two-b\nthree\n", 13) == 0);
    CHECK(write_gz(p, "ab", "", 0) == 0);             /* an empty member */
    CHECK(write_gz(p, "ab", "four\n", 5) == 0);
    expect_lines(p, NULL, want, sizeof(want) / sizeof(want[0]));
}

static void test_trailing_garbage_ignored(void)
{
    const char *p = tmp_path(".gz");
    static const struct expect want[] = {
        { CND_LINES_OK, "a", 1 },
        { CND_LINES_EOF, NULL, 0 },
    };
    FILE *f;

    CHECK(write_gz(p, "wb", "a\n", 2) == 0);
    f = fopen(p, "ab");
    CHECK(f != NULL);
    if (f != NULL) {
        static const char zeros[512];

        CHECK(fwrite(zeros, 1, sizeof(zeros), f) == sizeof(zeros));
        CHECK(fclose(f) == 0);
    }
    expect_lines(p, NULL, want, sizeof(want) / sizeof(want[0]));
}

/* Many lines of varied length, so lines straddle every buffer boundary. */
static size_t make_many(char *buf, size_t cap, unsigned n)
{
    size_t len = 0;
    unsigned i;

    for (i = 0; i < n && len + 200 < cap; i++) {
        int w = snprintf(buf + len, cap - len, "line %u %.*s\n", i, (int)(i * 7919u % 97u),
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

        len += (size_t)w;
    }
    return len;
}

static int check_many_line(const char *line, size_t len, unsigned i)
{
    char want[200];
    int w = snprintf(want, sizeof(want), "line %u %.*s", i, (int)(i * 7919u % 97u),
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

    return (size_t)w == len && memcmp(want, line, len) == 0;
}

static void test_many_lines(void)
{
    enum { N = 60000 };
    size_t cap = (size_t)N * 120, len;
    char *data = malloc(cap);
    const char *paths[2];
    int k;

    CHECK(data != NULL);
    if (data == NULL) {
        return;
    }
    len = make_many(data, cap, N);
    paths[0] = tmp_path(".txt");
    paths[1] = tmp_path(".gz");
    CHECK(write_plain(paths[0], data, len) == 0);
    CHECK(write_gz(paths[1], "wb", data, len) == 0);
    CHECK(len > 2u * 1024 * 1024); /* more than the reader's first buffer */
    for (k = 0; k < 2; k++) {
        struct cnd_lines *lr = cnd_lines_open(paths[k], NULL, NULL);
        const char *line;
        size_t l;
        uint64_t no;
        unsigned i = 0, wrong = 0;
        int st;

        CHECK(lr != NULL);
        if (lr == NULL) {
            continue;
        }
        while ((st = cnd_lines_next(lr, &line, &l, &no)) == CND_LINES_OK) {
            if (!check_many_line(line, l, i) || no != i + 1) {
                wrong++;
            }
            i++;
        }
        CHECK_INT(st, CND_LINES_EOF);
        CHECK_INT(i, N);
        CHECK_INT(wrong, 0);
        CHECK_INT(cnd_lines_decoded_bytes(lr), len);
        cnd_lines_close(lr);
    }
    free(data);
}

static void test_truncated_gzip(void)
{
    enum { N = 20000 };
    size_t cap = (size_t)N * 120, len;
    char *data = malloc(cap);
    const char *full = tmp_path(".gz"), *cut = tmp_path(".gz");
    char *gz = NULL;
    long gzlen;
    FILE *f;

    CHECK(data != NULL);
    if (data == NULL) {
        return;
    }
    len = make_many(data, cap, N);
    CHECK(write_gz(full, "wb", data, len) == 0);
    gzlen = file_size(full);
    CHECK(gzlen > 1000);
    gz = malloc((size_t)gzlen);
    f = fopen(full, "rb");
    CHECK(gz != NULL && f != NULL);
    if (gz != NULL && f != NULL) {
        struct cnd_lines *lr;
        const char *line;
        size_t l;
        uint64_t no;
        unsigned i = 0, wrong = 0;
        int st;

        CHECK(fread(gz, 1, (size_t)gzlen, f) == (size_t)gzlen);
        CHECK(write_plain(cut, gz, (size_t)gzlen / 2) == 0);
        lr = cnd_lines_open(cut, NULL, NULL);
        CHECK(lr != NULL);
        while (lr != NULL && (st = cnd_lines_next(lr, &line, &l, &no)) == CND_LINES_OK) {
            if (!check_many_line(line, l, i)) {
                wrong++;
            }
            i++;
        }
        if (lr != NULL) {
            CHECK_INT(st, CND_ETRUNC);
            CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_ETRUNC);
            cnd_lines_close(lr);
        }
        CHECK_INT(wrong, 0);
        CHECK_MSG(i > N / 4 && i < N, "%u complete lines before the cut", i);

        /* Cut inside the 8-byte trailer: every line is there, still truncated. */
        CHECK(write_plain(cut, gz, (size_t)gzlen - 4) == 0);
        lr = cnd_lines_open(cut, NULL, NULL);
        i = 0;
        while (lr != NULL && (st = cnd_lines_next(lr, &line, &l, &no)) == CND_LINES_OK) {
            i++;
        }
        if (lr != NULL) {
            CHECK_INT(st, CND_ETRUNC);
            cnd_lines_close(lr);
        }
        CHECK_INT(i, N);
    }
    if (f != NULL) {
        fclose(f);
    }
    free(gz);
    free(data);
}

static void test_truncated_drops_cut_line(void)
{
    /* A gzip cut mid-line returns the complete lines, never the fragment. */
    const char *full = tmp_path(".gz"), *cut = tmp_path(".gz");
    static const char text[] = "complete\nthis line is cut somewhere in the middle of it\n";
    char gz[256];
    long n;
    FILE *f;
    struct cnd_lines *lr;
    const char *line;
    size_t l;
    uint64_t no;

    CHECK(write_gz(full, "wb0", text, strlen(text)) == 0); /* stored: bytes in order */
    n = file_size(full);
    f = fopen(full, "rb");
    CHECK(f != NULL && n > 0 && n < (long)sizeof(gz));
    if (f == NULL) {
        return;
    }
    CHECK(fread(gz, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    CHECK(write_plain(cut, gz, (size_t)n - 30) == 0);
    lr = cnd_lines_open(cut, NULL, NULL);
    CHECK(lr != NULL);
    if (lr == NULL) {
        return;
    }
    CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_OK);
    CHECK_STR(line, "complete");
    CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_ETRUNC);
    cnd_lines_close(lr);
}

static void test_corrupt_gzip(void)
{
    const char *p = tmp_path(".gz");
    char data[4000];
    char gz[8192];
    long n;
    FILE *f;
    struct cnd_lines *lr;
    const char *line;
    size_t l;
    uint64_t no;
    int st;

    memset(data, 'q', sizeof(data));
    data[sizeof(data) - 1] = '\n';
    CHECK(write_gz(p, "wb", data, sizeof(data)) == 0);
    n = file_size(p);
    f = fopen(p, "rb");
    CHECK(f != NULL && n > 20 && n < (long)sizeof(gz));
    if (f == NULL) {
        return;
    }
    CHECK(fread(gz, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    gz[n - 8] ^= 0x5a; /* the CRC-32 in the trailer */
    CHECK(write_plain(p, gz, (size_t)n) == 0);
    lr = cnd_lines_open(p, NULL, NULL);
    CHECK(lr != NULL);
    if (lr == NULL) {
        return;
    }
    while ((st = cnd_lines_next(lr, &line, &l, &no)) == CND_LINES_OK) {
    }
    CHECK_INT(st, CND_EPARSE);
    cnd_lines_close(lr);
}

static void test_partial_last_line(void)
{
    static const struct expect want[] = {
        { CND_LINES_OK, "a", 1 },
        { CND_LINES_PARTIAL, "{\"id\":1", 2 },
        { CND_LINES_EOF, NULL, 0 },
        { CND_LINES_EOF, NULL, 0 },
    };
    const char *p1 = tmp_path(""), *p2 = tmp_path(".gz");

    CHECK(write_plain(p1, "a\n{\"id\":1", 9) == 0);
    expect_lines(p1, NULL, want, sizeof(want) / sizeof(want[0]));
    /* A complete gzip stream whose text lacks the final newline. */
    CHECK(write_gz(p2, "wb", "a\n{\"id\":1", 9) == 0);
    expect_lines(p2, NULL, want, sizeof(want) / sizeof(want[0]));
}

static void test_shared_truncated_fixture(void)
{
    const char *p = CND_SHARED_DIR
        "/fixtures/generic/DERIVED_mastodon_public_statuses_truncated_last_line.ndjson";
    struct cnd_lines *lr = cnd_lines_open(p, NULL, NULL);
    const char *line;
    size_t l;
    uint64_t no;
    int st, ok = 0;

    CHECK(lr != NULL);
    if (lr == NULL) {
        return;
    }
    while ((st = cnd_lines_next(lr, &line, &l, &no)) == CND_LINES_OK) {
        ok++;
    }
    CHECK_INT(ok, 19);
    CHECK_INT(st, CND_LINES_PARTIAL);
    CHECK_INT(no, 20);
    CHECK(l > 0 && line[0] == '{');
    CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_EOF);
    cnd_lines_close(lr);
}

static void test_crlf(void)
{
    static const struct expect want[] = {
        { CND_LINES_OK, "a", 1 },
        { CND_LINES_OK, "b", 2 },
        { CND_LINES_OK, "", 3 },
        { CND_LINES_OK, "c\rd", 4 },    /* only a trailing CR goes */
        { CND_LINES_PARTIAL, "e", 5 },
        { CND_LINES_EOF, NULL, 0 },
    };
    const char *p = tmp_path("");

    CHECK(write_plain(p, "a\r\nb\r\n\r\nc\rd\ne\r", 14) == 0);
    expect_lines(p, NULL, want, sizeof(want) / sizeof(want[0]));
}

static void test_long_line_skipped(void)
{
    static const struct expect want[] = {
        { CND_LINES_OK, "short", 1 },
        { CND_LINES_LONG, NULL, 2 },
        { CND_LINES_OK, "next", 3 },
        { CND_LINES_OK, "0123456789", 4 },  /* exactly max_line */
        { CND_LINES_LONG, NULL, 5 },       /* max_line + 1 */
        { CND_LINES_LONG, NULL, 6 },       /* at the end, without '\n' */
        { CND_LINES_EOF, NULL, 0 },
    };
    struct cnd_lines_opts o = { 10, 0, 0 };
    const char *p = tmp_path("");
    const char *text = "short\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nnext\n0123456789\n"
                       "0123456789a\nyyyyyyyyyyyyyyyyyyyyyyy";

    CHECK(write_plain(p, text, strlen(text)) == 0);
    expect_lines(p, &o, want, sizeof(want) / sizeof(want[0]));
}

static void test_huge_lines(void)
{
    /*
     * A 3 MiB line: skipped whole with max_line 1 MiB (longer than the
     * reader's buffer, so it is discarded as it streams), and returned whole
     * with the default cap (the buffer grows).
     */
    size_t big = 3u * 1024 * 1024, len;
    char *data = malloc(big + 64);
    const char *p = tmp_path(".gz");
    struct cnd_lines_opts o = { 1024 * 1024, 0, 0 };
    static const struct expect want[] = {
        { CND_LINES_OK, "before", 1 },
        { CND_LINES_LONG, NULL, 2 },
        { CND_LINES_OK, "after", 3 },
        { CND_LINES_EOF, NULL, 0 },
    };
    struct cnd_lines *lr;
    const char *line;
    size_t l;
    uint64_t no;

    CHECK(data != NULL);
    if (data == NULL) {
        return;
    }
    memcpy(data, "before\n", 7);
    memset(data + 7, 'z', big);
    memcpy(data + 7 + big, "\nafter\n", 7);
    len = 7 + big + 7;
    CHECK(write_gz(p, "wb", data, len) == 0);
    expect_lines(p, &o, want, sizeof(want) / sizeof(want[0]));

    lr = cnd_lines_open(p, NULL, NULL);
    CHECK(lr != NULL);
    if (lr != NULL) {
        CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_OK);
        CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_OK);
        CHECK_INT(l, big);
        CHECK_INT(no, 2);
        CHECK(l == big && line[0] == 'z' && line[big - 1] == 'z' && line[big] == '\0');
        CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_OK);
        CHECK_STR(line, "after");
        CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_EOF);
        cnd_lines_close(lr);
    }
    free(data);
}

static void test_empty(void)
{
    static const struct expect want[] = {
        { CND_LINES_EOF, NULL, 0 },
        { CND_LINES_EOF, NULL, 0 },
    };
    const char *p1 = tmp_path(""), *p2 = tmp_path(".gz"), *p3 = tmp_path("");

    CHECK(write_plain(p1, "", 0) == 0);
    expect_lines(p1, NULL, want, sizeof(want) / sizeof(want[0]));
    CHECK(write_gz(p2, "wb", "", 0) == 0);
    CHECK(file_size(p2) > 0);
    expect_lines(p2, NULL, want, sizeof(want) / sizeof(want[0]));
    /* One byte that could start a gzip magic is just a plain line. */
    CHECK(write_plain(p3, "\x1f", 1) == 0);
    {
        static const struct expect one[] = {
            { CND_LINES_PARTIAL, "\x1f", 1 },
            { CND_LINES_EOF, NULL, 0 },
        };
        expect_lines(p3, NULL, one, sizeof(one) / sizeof(one[0]));
    }
}

static void test_bomb(void)
{
    /* 64 MiB of zeros, compressed about 1000:1, against a 1 MiB decoded cap. */
    static char zeros[1024 * 1024];
    const char *p = tmp_path(".gz");
    struct cnd_lines_opts o = { 0, 1024 * 1024, 0 };
    gzFile g = gzopen(p, "wb9");
    struct cnd_lines *lr;
    const char *line;
    size_t l;
    uint64_t no;
    int i, st, ok = 1;

    CHECK(g != NULL);
    if (g == NULL) {
        return;
    }
    CHECK(gzwrite(g, "header\n", 7) == 7);
    for (i = 0; i < 64; i++) {
        ok &= gzwrite(g, zeros, sizeof(zeros)) == (int)sizeof(zeros);
    }
    CHECK(ok);
    CHECK(gzclose(g) == Z_OK);
    CHECK(file_size(p) < 200 * 1024);

    lr = cnd_lines_open(p, &o, NULL);
    CHECK(lr != NULL);
    if (lr == NULL) {
        return;
    }
    CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_LINES_OK);
    CHECK_STR(line, "header");
    do {
        st = cnd_lines_next(lr, &line, &l, &no);
    } while (st == CND_LINES_LONG || st == CND_LINES_OK);
    CHECK_INT(st, CND_ETOOBIG);
    CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_ETOOBIG);
    CHECK(cnd_lines_decoded_bytes(lr) <= 3u * 1024 * 1024);
    CHECK(cnd_lines_raw_bytes(lr) <= (uint64_t)file_size(p));
    cnd_lines_close(lr);
}

static void test_bomb_ratio(void)
{
    /*
     * The ratio cap (checked past 1 GiB decoded): 1100 gzip members of
     * 1 MiB of zeros each (about 1000:1) against max_ratio 100, with the
     * absolute cap left at its default.
     */
    static char zeros[1024 * 1024];
    const char *one = tmp_path(".gz"), *p = tmp_path(".gz");
    struct cnd_lines_opts o = { 0, 0, 100 };
    struct cnd_lines *lr;
    char member[4096];
    long n;
    FILE *f;
    const char *line;
    size_t l;
    uint64_t no;
    int i, st, ok = 1;

    CHECK(write_gz(one, "wb9", zeros, sizeof(zeros)) == 0);
    n = file_size(one);
    f = fopen(one, "rb");
    CHECK(f != NULL && n > 0 && n < (long)sizeof(member));
    if (f == NULL) {
        return;
    }
    CHECK(fread(member, 1, (size_t)n, f) == (size_t)n);
    fclose(f);
    f = fopen(p, "wb");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    for (i = 0; i < 1100; i++) {
        ok &= fwrite(member, 1, (size_t)n, f) == (size_t)n;
    }
    CHECK(fclose(f) == 0 && ok);

    lr = cnd_lines_open(p, &o, NULL);
    CHECK(lr != NULL);
    if (lr == NULL) {
        return;
    }
    do {
        st = cnd_lines_next(lr, &line, &l, &no);
    } while (st == CND_LINES_LONG);
    CHECK_INT(st, CND_ETOOBIG);
    CHECK(cnd_lines_decoded_bytes(lr) > (1ULL << 30));
    CHECK(cnd_lines_decoded_bytes(lr) < (1ULL << 30) + 4u * 1024 * 1024);
    cnd_lines_close(lr);

}

static void test_stdin(void)
{
    const char *p = tmp_path(".gz");
    int saved, fd;

    CHECK(write_gz(p, "wb", basic, strlen(basic)) == 0);
    saved = dup(0);
    fd = open(p, O_RDONLY);
    CHECK(saved >= 0 && fd >= 0);
    if (saved < 0 || fd < 0) {
        return;
    }
    CHECK(dup2(fd, 0) == 0);
    close(fd);
    expect_lines("-", NULL, basic_want, sizeof(basic_want) / sizeof(basic_want[0]));
    CHECK(dup2(saved, 0) == 0);
    close(saved);
}

static void test_open_errors(void)
{
    int err = 0;
    struct cnd_lines *lr;

    lr = cnd_lines_open("/nonexistent/dir/file.gz", NULL, &err);
    CHECK(lr == NULL);
    CHECK_INT(err, CND_ENOENT);
    err = 0;
    CHECK(make_tmpdir() == 0);
    lr = cnd_lines_open(tmpdir, NULL, &err);
    CHECK(lr == NULL);
    CHECK_INT(err, CND_EIO);
    cnd_lines_close(NULL);
}

static void test_alloc_failures(void)
{
    /* Each allocation of open (and of inflate's state) failing in turn. */
    const char *p = tmp_path(".gz");
    unsigned long n;
    int nomem = 0, read_ok = 0;

    CHECK(write_gz(p, "wb", basic, strlen(basic)) == 0);
    for (n = 1; n < 12; n++) {
        struct cnd_lines *lr;
        const char *line;
        size_t l;
        uint64_t no;
        int err = 0, st;

        cnd_alloc_fail_at(n);
        lr = cnd_lines_open(p, NULL, &err);
        if (lr == NULL) {
            cnd_alloc_fail_at(0);
            CHECK_INT(err, CND_ENOMEM);
            nomem++;
            continue;
        }
        st = cnd_lines_next(lr, &line, &l, &no);
        cnd_alloc_fail_at(0);
        if (st == CND_LINES_OK) {
            CHECK_STR(line, "first");
            read_ok++;
        } else {
            CHECK_INT(st, CND_ENOMEM);
            CHECK_INT(cnd_lines_next(lr, &line, &l, &no), CND_ENOMEM);
            nomem++;
        }
        cnd_lines_close(lr);
    }
    CHECK(nomem >= 4);
    CHECK(read_ok > 0);
}

/* Removes the temporary directory and its files when the program ends. */
static void remove_tmpdir(void)
{
    static const char *const suffixes[] = { "", ".gz", ".ndjson", ".ndjson.gz", ".txt" };
    unsigned i, k;
    char path[128];

    for (i = 0; i < file_seq; i++) {
        for (k = 0; k < sizeof(suffixes) / sizeof(suffixes[0]); k++) {
            snprintf(path, sizeof(path), "%s/f%u%s", tmpdir, i, suffixes[k]);
            unlink(path);
        }
    }
    if (rmdir(tmpdir) != 0) {
        fprintf(stderr, "cannot remove '%s': %s\n", tmpdir, strerror(errno));
    }
}

TEST_LIST = {
    { "plain", test_plain },
    { "gzip", test_gzip },
    { "multi_member", test_multi_member },
    { "trailing_garbage_ignored", test_trailing_garbage_ignored },
    { "many_lines", test_many_lines },
    { "truncated_gzip", test_truncated_gzip },
    { "truncated_drops_cut_line", test_truncated_drops_cut_line },
    { "corrupt_gzip", test_corrupt_gzip },
    { "partial_last_line", test_partial_last_line },
    { "shared_truncated_fixture", test_shared_truncated_fixture },
    { "crlf", test_crlf },
    { "long_line_skipped", test_long_line_skipped },
    { "huge_lines", test_huge_lines },
    { "empty", test_empty },
    { "bomb", test_bomb },
    { "bomb_ratio", test_bomb_ratio },
    { "stdin", test_stdin },
    { "open_errors", test_open_errors },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
