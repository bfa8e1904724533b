/* SPDX-License-Identifier: MIT */
/*
 * Tests of the atomic writers (output/atomic.c): gzip content round-trips,
 * the output is reproducible (mtime 0 in the header), no temp file is left
 * after commit or abort, a failed commit keeps the old file (rename onto a
 * directory; a real ENOSPC on a 1 MiB tmpfs when we may mount one), stale
 * temps are swept, and directories are created.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"
#include "output/output.h"
#include "check.h"
#include "testfs.h"

/* ---- Helpers ---- */

static char tmpdir[64];

static const char *make_tmpdir(void)
{
    testfs_tmpdir(tmpdir, sizeof(tmpdir), "atomic");
    return tmpdir;
}

/* Number of entries in "dir" whose name contains ".tmp.". */
static int count_tmp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    if (d == NULL) {
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (strstr(de->d_name, ".tmp.") != NULL) {
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Decompresses the gzip file "path" (NULL if missing or corrupt). */
static char *gunzip(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0;
    int got, errnum;

    if (gz == NULL) {
        return NULL;
    }
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 131072;
            data = realloc(data, cap);
            if (data == NULL) {
                gzclose(gz);
                return NULL;
            }
        }
        got = gzread(gz, data + n, 65536);
        if (got <= 0) {
            break;
        }
        n += (size_t)got;
    }
    gzerror(gz, &errnum);
    if (got < 0 || (errnum != Z_OK && errnum != Z_BUF_ERROR) || gzclose(gz) != Z_OK) {
        free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

static unsigned current_umask(void)
{
    mode_t old = umask(022);

    umask(old);
    return (unsigned)old;
}

static int gz_file(const char *path, const void *data, size_t len)
{
    int err = 0;
    struct cnd_gzout *g = cnd_gzout_open(path, &err);

    if (g == NULL) {
        return err;
    }
    if (cnd_gzout_write(g, data, len) < 0) {
        cnd_gzout_abort(g);
        return CND_EIO;
    }
    return cnd_gzout_commit(g);
}

/* Deterministic bytes that do not compress (xorshift). */
static void fill_noise(unsigned char *p, size_t n, uint32_t seed)
{
    size_t i;

    for (i = 0; i < n; i++) {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        p[i] = (unsigned char)seed;
    }
}

/* ---- Tests ---- */

static void test_roundtrip(void)
{
    const char *dir = make_tmpdir();
    char path[256];
    size_t big_len = 3u << 20, len = 0, i;
    unsigned char *big = malloc(big_len);
    struct cnd_gzout *g;
    char *out;
    int err = 0;

    CHECK(big != NULL);
    if (big == NULL) {
        return;
    }
    for (i = 0; i < big_len; i++) {
        big[i] = (unsigned char)("abcdefghij\n"[i % 11]);
    }
    fill_noise(big + 1000, 100000, 12345);
    snprintf(path, sizeof(path), "%s/out.json.gz", dir);
    g = cnd_gzout_open(path, &err);
    CHECK(g != NULL);
    if (g != NULL) {
        CHECK_INT(count_tmp(dir), 1);
        CHECK_INT(cnd_gzout_write(g, "hello ", 6), 0);
        CHECK_INT(cnd_gzout_write(g, "", 0), 0);
        CHECK_INT(cnd_gzout_write(g, big, big_len), 0);
        /* Nothing at the final name before the commit. */
        CHECK(access(path, F_OK) != 0);
        CHECK_INT(cnd_gzout_commit(g), 0);
    }
    CHECK_INT(count_tmp(dir), 0);
    out = gunzip(path, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_INT(len, 6 + big_len);
        CHECK(memcmp(out, "hello ", 6) == 0);
        CHECK(memcmp(out + 6, big, big_len) == 0);
        free(out);
    }
    {
        struct stat st;

        CHECK_INT(stat(path, &st), 0);
        CHECK_INT(st.st_mode & 0777, 0644 & ~current_umask());
    }
    /* An empty file is a valid, empty gzip stream. */
    snprintf(path, sizeof(path), "%s/empty.gz", dir);
    CHECK_INT(gz_file(path, "", 0), 0);
    out = gunzip(path, &len);
    CHECK(out != NULL);
    CHECK_INT(len, 0);
    free(out);
    free(big);
    testfs_rm_rf(dir);
}

/* Same content, same bytes: the gzip header carries no time. */
static void test_reproducible(void)
{
    const char *dir = make_tmpdir();
    char a[256], b[256];
    const char *text = "{\"schema\":1}\n{\"row\":1}\n";
    char *da, *db;
    size_t la = 0, lb = 0;

    snprintf(a, sizeof(a), "%s/a.gz", dir);
    snprintf(b, sizeof(b), "%s/b.gz", dir);
    CHECK_INT(gz_file(a, text, strlen(text)), 0);
    sleep(1);
    CHECK_INT(gz_file(b, text, strlen(text)), 0);
    da = testfs_read(a, &la);
    db = testfs_read(b, &lb);
    CHECK(da != NULL && db != NULL);
    if (da != NULL && db != NULL) {
        CHECK_INT(la, lb);
        CHECK(la == lb && memcmp(da, db, la) == 0);
        CHECK(la > 10);
        /* Magic, deflate, and a zero mtime (bytes 4..7). */
        CHECK_INT((unsigned char)da[0], 0x1f);
        CHECK_INT((unsigned char)da[1], 0x8b);
        CHECK_INT((unsigned char)da[2], 8);
        CHECK(da[4] == 0 && da[5] == 0 && da[6] == 0 && da[7] == 0);
    }
    free(da);
    free(db);
    testfs_rm_rf(dir);
}

static void test_abort(void)
{
    const char *dir = make_tmpdir();
    char path[256];
    struct cnd_gzout *g;
    int err = 0;
    char *out;
    size_t len = 0;

    snprintf(path, sizeof(path), "%s/x.gz", dir);
    CHECK_INT(gz_file(path, "old\n", 4), 0);
    g = cnd_gzout_open(path, &err);
    CHECK(g != NULL);
    if (g != NULL) {
        CHECK_INT(cnd_gzout_write(g, "new\n", 4), 0);
        CHECK_INT(count_tmp(dir), 1);
        cnd_gzout_abort(g);
    }
    cnd_gzout_abort(NULL);
    CHECK_INT(count_tmp(dir), 0);
    out = gunzip(path, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_MEM(out, len, "old\n");
        free(out);
    }
    testfs_rm_rf(dir);
}

/*
 * A commit that leaves the directory's fsync to the caller still puts
 * every file in place, none half-written, no temp left; the caller's
 * cnd_sync_dir then succeeds, and fails with CND_EIO on a missing directory.
 */
static void test_deferred_dir_sync(void)
{
    const char *dir = make_tmpdir();
    char path[256], missing[300];
    int i, err = 0;

    for (i = 0; i < 3; i++) {
        struct cnd_gzout *g;
        char body[32];

        snprintf(path, sizeof(path), "%s/f%d.gz", dir, i);
        snprintf(body, sizeof(body), "file %d\n", i);
        CHECK_INT(gz_file(path, "old\n", 4), 0);
        g = cnd_gzout_open(path, &err);
        CHECK(g != NULL);
        if (g == NULL) {
            continue;
        }
        cnd_gzout_defer_dir_sync(g);
        CHECK_INT(cnd_gzout_write(g, body, strlen(body)), 0);
        CHECK_INT(cnd_gzout_commit(g), 0);
    }
    CHECK_INT(count_tmp(dir), 0);
    for (i = 0; i < 3; i++) {
        char want[32], *out;
        size_t len = 0;

        snprintf(path, sizeof(path), "%s/f%d.gz", dir, i);
        snprintf(want, sizeof(want), "file %d\n", i);
        out = gunzip(path, &len);
        CHECK(out != NULL);
        if (out != NULL) {
            CHECK_MEM(out, len, want);
            free(out);
        }
    }
    CHECK_INT(cnd_sync_dir(dir), 0);
    snprintf(missing, sizeof(missing), "%s/none", dir);
    {
        int level = cnd_log_level;

        cnd_log_set_level(-1);   /* the expected error line */
        CHECK_INT(cnd_sync_dir(missing), CND_EIO);
        cnd_log_set_level(level);
    }
    testfs_rm_rf(dir);
}

/* rename() fails when the final name is a directory: the temp goes, the old entry stays. */
static void test_commit_rename_fails(void)
{
    const char *dir = make_tmpdir();
    char path[256], inner[300];
    struct cnd_gzout *g;
    int err = 0;
    struct stat st;

    snprintf(path, sizeof(path), "%s/day.json.gz", dir);
    CHECK_INT(mkdir(path, 0755), 0);
    snprintf(inner, sizeof(inner), "%s/keep", path);
    CHECK_INT(cnd_write_file_atomic(inner, "kept", 4), 0);
    g = cnd_gzout_open(path, &err);
    CHECK(g != NULL);
    if (g != NULL) {
        CHECK_INT(cnd_gzout_write(g, "data\n", 5), 0);
        CHECK_INT(cnd_gzout_commit(g), CND_EIO);
    }
    CHECK_INT(count_tmp(dir), 0);
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_INT(access(inner, F_OK), 0);
    /* The plain writer behaves the same. */
    CHECK_INT(cnd_write_file_atomic(path, "x", 1), CND_EIO);
    CHECK_INT(count_tmp(dir), 0);
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    /* A temp file cannot be made in a missing directory. */
    snprintf(inner, sizeof(inner), "%s/missing/x.gz", dir);
    err = 0;
    CHECK(cnd_gzout_open(inner, &err) == NULL);
    CHECK_INT(err, CND_EIO);
    testfs_rm_rf(dir);
}

/* A real full disk: a 1 MiB tmpfs, filled up, then a file replaced on it. */
static void test_enospc(void)
{
    const char *dir = make_tmpdir();
    char mnt[256], path[300], filler[300], plain[300];
    unsigned char *noise;
    size_t len = 0;
    char *out;
    int fd, ret, err = 0;
    struct cnd_gzout *g;

    snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
    CHECK_INT(mkdir(mnt, 0755), 0);
    if (mount("tmpfs", mnt, "tmpfs", 0, "size=1m") != 0) {
        printf("note: cannot mount a tmpfs (%s); ENOSPC sub-check skipped\n", strerror(errno));
        testfs_rm_rf(dir);
        return;
    }
    snprintf(path, sizeof(path), "%s/day.json.gz", mnt);
    snprintf(plain, sizeof(plain), "%s/state.json", mnt);
    snprintf(filler, sizeof(filler), "%s/filler", mnt);
    CHECK_INT(gz_file(path, "old\n", 4), 0);
    CHECK_INT(cnd_write_file_atomic(plain, "old", 3), 0);

    /* Fill the disk. */
    noise = malloc(4096);
    CHECK(noise != NULL);
    fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    CHECK(fd >= 0);
    if (fd >= 0 && noise != NULL) {
        fill_noise(noise, 4096, 99);
        while (write(fd, noise, 4096) > 0) {
        }
        CHECK_INT(errno, ENOSPC);
        close(fd);
    }
    free(noise);

    /* Small writes are buffered by zlib and succeed: ENOSPC shows at the commit. */
    g = cnd_gzout_open(path, &err);
    CHECK(g != NULL);
    if (g != NULL) {
        unsigned char buf[20000];

        fill_noise(buf, sizeof(buf), 7);
        ret = cnd_gzout_write(g, buf, sizeof(buf));
        CHECK_INT(ret, 0);
        CHECK_INT(cnd_gzout_commit(g), CND_EIO);
    }
    CHECK_INT(count_tmp(mnt), 0);
    out = gunzip(path, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_MEM(out, len, "old\n");
        free(out);
    }

    /* A big write fails at write or at commit; either way the old file stays. */
    {
        size_t n = 2u << 20;
        unsigned char *big = malloc(n);

        CHECK(big != NULL);
        if (big != NULL) {
            fill_noise(big, n, 3);
            err = 0;
            g = cnd_gzout_open(path, &err);
            CHECK(g != NULL);
            if (g != NULL) {
                /* The write may fail or not; the commit fails (and cleans up) either way. */
                ret = cnd_gzout_write(g, big, n);
                CHECK(ret == 0 || ret == CND_EIO);
                CHECK_INT(cnd_gzout_commit(g), CND_EIO);
            }
            CHECK_INT(cnd_write_file_atomic(plain, big, 100000), CND_EIO);
            free(big);
        }
    }
    CHECK_INT(count_tmp(mnt), 0);
    out = gunzip(path, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_MEM(out, len, "old\n");
        free(out);
    }
    out = testfs_read(plain, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_MEM(out, len, "old");
        free(out);
    }

    /* With room again the same writes go through. */
    CHECK_INT(unlink(filler), 0);
    CHECK_INT(gz_file(path, "new\n", 4), 0);
    out = gunzip(path, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_MEM(out, len, "new\n");
        free(out);
    }
    CHECK_INT(umount(mnt), 0);
    testfs_rm_rf(dir);
}

static void test_write_file_atomic(void)
{
    const char *dir = make_tmpdir();
    char path[256];
    char *out;
    size_t len = 0;

    snprintf(path, sizeof(path), "%s/state.json", dir);
    CHECK_INT(cnd_write_file_atomic(path, "first", 5), 0);
    CHECK_INT(cnd_write_file_atomic(path, "second\n", 7), 0);
    CHECK_INT(count_tmp(dir), 0);
    out = testfs_read(path, &len);
    CHECK(out != NULL);
    if (out != NULL) {
        CHECK_MEM(out, len, "second\n");
        free(out);
    }
    CHECK_INT(cnd_write_file_atomic(path, "", 0), 0);
    out = testfs_read(path, &len);
    CHECK(out != NULL);
    CHECK_INT(len, 0);
    free(out);
    testfs_rm_rf(dir);
}

static void test_sweep(void)
{
    const char *dir = make_tmpdir();
    char path[512], mine[512];
    static const char *const stale[] = {
        "2025-07-17.json.gz.tmp.999999999.deadbeef",   /* no such process */
        "2025-07-17.csv.gz.tmp.garbage",               /* not our pattern: no owner */
    };
    static const char *const keep[] = {
        "2025-07-17.json.gz",
        "notes.tmp",
        "x.gz.tmp.1.0000abcd",                         /* pid 1 is alive */
    };
    size_t i;
    int fd;

    for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, stale[i]);
        CHECK_INT(cnd_write_file_atomic(path, "x", 1), 0);
    }
    for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, keep[i]);
        CHECK_INT(cnd_write_file_atomic(path, "x", 1), 0);
    }
    /* A writer of this very process is in progress: its temp stays. */
    snprintf(mine, sizeof(mine), "%s/y.gz.tmp.%ld.00000001", dir, (long)getpid());
    fd = open(mine, O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    if (fd >= 0) {
        close(fd);
    }
    /* A directory is never removed. */
    snprintf(path, sizeof(path), "%s/d.tmp.999999999.x", dir);
    CHECK_INT(mkdir(path, 0755), 0);

    CHECK_INT(cnd_sweep_tmp(dir), 2);
    for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, stale[i]);
        CHECK_MSG(access(path, F_OK) != 0, "stale '%s' still there", stale[i]);
    }
    for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, keep[i]);
        CHECK_MSG(access(path, F_OK) == 0, "'%s' was removed", keep[i]);
    }
    CHECK_INT(access(mine, F_OK), 0);
    CHECK_INT(cnd_sweep_tmp(dir), 0);
    snprintf(path, sizeof(path), "%s/no-such-dir", dir);
    CHECK_INT(cnd_sweep_tmp(path), 0);
    /* A file is not a directory to sweep. */
    snprintf(path, sizeof(path), "%s/2025-07-17.json.gz", dir);
    CHECK_INT(cnd_sweep_tmp(path), CND_EIO);
    testfs_rm_rf(dir);
}

static void test_mkdirs(void)
{
    const char *dir = make_tmpdir();
    char path[512];
    struct stat st;

    snprintf(path, sizeof(path), "%s/a/b//c/", dir);
    CHECK_INT(cnd_mkdirs(path), 0);
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_INT(st.st_mode & 0777, 0755 & ~current_umask());
    /* Again: everything exists. */
    CHECK_INT(cnd_mkdirs(path), 0);
    /* A file in the way. */
    snprintf(path, sizeof(path), "%s/a/file", dir);
    CHECK_INT(cnd_write_file_atomic(path, "x", 1), 0);
    snprintf(path, sizeof(path), "%s/a/file/sub", dir);
    CHECK_INT(cnd_mkdirs(path), CND_EIO);
    CHECK_INT(cnd_mkdirs(""), CND_EIO);
    testfs_rm_rf(dir);
}

/* Allocation failures give CND_ENOMEM and leave no temp file behind. */
static void test_open_enomem(void)
{
    const char *dir = make_tmpdir();
    char path[256];
    unsigned long n;
    int err, failures = 0, ret = -1;

    snprintf(path, sizeof(path), "%s/x.gz", dir);
    for (n = 1; n < 50; n++) {
        struct cnd_gzout *g;

        err = 0;
        cnd_alloc_fail_at(n);
        g = cnd_gzout_open(path, &err);
        cnd_alloc_fail_at(0);
        if (g != NULL) {
            CHECK_INT(cnd_gzout_write(g, "x", 1), 0);
            CHECK_INT(cnd_gzout_commit(g), 0);
            break;
        }
        CHECK_INT(err, CND_ENOMEM);
        CHECK_INT(count_tmp(dir), 0);
        failures++;
    }
    CHECK(failures > 0 && n < 50);
    snprintf(path, sizeof(path), "%s/plain", dir);
    for (n = 1; n < 50; n++) {
        cnd_alloc_fail_at(n);
        ret = cnd_write_file_atomic(path, "x", 1);
        cnd_alloc_fail_at(0);
        if (ret == 0) {
            break;
        }
        CHECK_INT(ret, CND_ENOMEM);
        CHECK(access(path, F_OK) != 0);
    }
    CHECK_INT(ret, 0);
    CHECK_INT(count_tmp(dir), 0);
    testfs_rm_rf(dir);
}

TEST_LIST = {
    { "roundtrip", test_roundtrip },
    { "reproducible", test_reproducible },
    { "abort", test_abort },
    { "commit_rename_fails", test_commit_rename_fails },
    { "deferred_dir_sync", test_deferred_dir_sync },
    { "enospc", test_enospc },
    { "write_file_atomic", test_write_file_atomic },
    { "sweep", test_sweep },
    { "mkdirs", test_mkdirs },
    { "open_enomem", test_open_enomem },
    { NULL, NULL },
};
