/* SPDX-License-Identifier: MIT */
/*
 * Checkpoints: saved and loaded back, replaced atomically (no temporary
 * files left), damaged files refused, unwritable directories reported.
 */
#include "tests/unit/check.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"
#include "ingest/checkpoint.h"
#include "output/output.h"

static char tmpdir[256];

static void setup(void)
{
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/cnd-ckpt-XXXXXX");
    CHECK(mkdtemp(tmpdir) != NULL);
}

static void teardown(void)
{
    char cmd[512];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    CHECK_INT(system(cmd), 0);
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            n++;
        }
    }
    closedir(d);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    CHECK(f != NULL);
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static void test_roundtrip(void)
{
    struct cnd_checkpoint cp, back;
    char state[300], *path;
    int level = cnd_log_level;

    setup();
    CHECK_INT(cnd_mkdirs(tmpdir), 0);
    cnd_checkpoint_init(&back);
    CHECK_INT(cnd_checkpoint_load(tmpdir, "masto", &back), CND_ENOENT);

    cnd_checkpoint_init(&cp);
    cp.kind = cnd_strdup("mastodon");
    cp.cursor = cnd_strdup("min_id=115485266411520023");
    cp.updated_at = 1762164000;
    cp.pages = 3;
    cp.posts = 120;
    CHECK_INT(cnd_checkpoint_save(tmpdir, "masto", &cp), 0);
    CHECK_INT(cnd_checkpoint_load(tmpdir, "masto", &back), 0);
    CHECK_STR(back.kind, "mastodon");
    CHECK_STR(back.cursor, "min_id=115485266411520023");
    CHECK_INT((long long)back.updated_at, 1762164000);
    CHECK_INT(back.pages, 3);
    CHECK_INT(back.posts, 120);
    cnd_checkpoint_release(&back);

    /* replaced, with a cursor holding characters JSON must escape */
    cnd_free(cp.cursor);
    cp.cursor = cnd_strdup("since=2025-11-03T10%3A22%3A00Z&cursor=\"a\\b\"\n");
    cp.pages = 4;
    CHECK_INT(cnd_checkpoint_save(tmpdir, "masto", &cp), 0);
    CHECK_INT(cnd_checkpoint_load(tmpdir, "masto", &back), 0);
    CHECK_STR(back.cursor, "since=2025-11-03T10%3A22%3A00Z&cursor=\"a\\b\"\n");
    CHECK_INT(back.pages, 4);
    cnd_checkpoint_release(&back);

    /* no cursor at all */
    cnd_free(cp.cursor);
    cp.cursor = NULL;
    CHECK_INT(cnd_checkpoint_save(tmpdir, "hn", &cp), 0);
    CHECK_INT(cnd_checkpoint_load(tmpdir, "hn", &back), 0);
    CHECK(back.cursor == NULL);
    CHECK_STR(back.kind, "mastodon");
    cnd_checkpoint_release(&back);

    snprintf(state, sizeof(state), "%s/state", tmpdir);
    CHECK_INT(count_files(state), 2);   /* no temporary files left behind */
    path = cnd_checkpoint_path(tmpdir, "hn");
    CHECK(path != NULL && strstr(path, "/state/hn.json") != NULL);

    /* damaged files are refused, never half-read */
    cnd_log_set_level(-1);
    write_file(path, "{\"kind\":\"mastodon\",\"cursor\":\"min_id=1\"");
    CHECK_INT(cnd_checkpoint_load(tmpdir, "hn", &back), CND_EPARSE);
    CHECK(back.kind == NULL && back.cursor == NULL);
    write_file(path, "{\"cursor\":\"min_id=1\"}");
    CHECK_INT(cnd_checkpoint_load(tmpdir, "hn", &back), CND_EPARSE);
    write_file(path, "[1,2]");
    CHECK_INT(cnd_checkpoint_load(tmpdir, "hn", &back), CND_EPARSE);
    write_file(path, "");
    CHECK_INT(cnd_checkpoint_load(tmpdir, "hn", &back), CND_EPARSE);
    write_file(path, "{\"kind\":\"lemmy\",\"cursor\":null,\"pages\":\"x\"}");
    CHECK_INT(cnd_checkpoint_load(tmpdir, "hn", &back), 0);
    CHECK(back.cursor == NULL);
    CHECK_INT(back.pages, 0);
    cnd_checkpoint_release(&back);
    cnd_free(path);

    /* an unwritable place: an error, and the old checkpoint stays */
    CHECK_INT(cnd_checkpoint_save("/dev/null/x", "masto", &cp), CND_EIO);
    CHECK_INT(cnd_checkpoint_load(tmpdir, "masto", &back), 0);
    CHECK_INT(back.pages, 4);
    cnd_checkpoint_release(&back);
    cnd_log_set_level(level);
    cnd_checkpoint_release(&cp);
    teardown();
}

TEST_LIST = {
    { "roundtrip", test_roundtrip },
    { NULL, NULL },
};
