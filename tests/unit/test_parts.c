/* SPDX-License-Identifier: MIT */
/*
 * Tests of shards and parts (output/parts.c, output/merge.c): parsing
 * --shard specs (auto from the scheduler's variables), the documented
 * shard hash, a day written as three parts and merged back giving the
 * very bytes of the unsharded daily files, reruns giving the same part
 * bytes, and damaged or missing parts refused.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/err.h"
#include "output/parts.h"
#include "check.h"
#include "testfs.h"

#define T17 1752710400LL   /* 2025-07-17T00:00:00Z */

/* ---- Helpers ---- */

/* The whole file "dir/name" (malloced), or NULL. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return testfs_read(path, len);
}

static int same_file(const char *a, const char *b, const char *name)
{
    size_t la = 0, lb = 0;
    char *da = slurp(a, name, &la), *db = slurp(b, name, &lb);
    int same = da != NULL && db != NULL && la == lb && memcmp(da, db, la) == 0;

    free(da);
    free(db);
    return same;
}

static struct cnd_str str(const char *s)
{
    struct cnd_str v;

    v.ptr = s;
    v.len = s ? strlen(s) : 0;
    return v;
}

/* One test post: its source, id, author, time, brand, and whether it is a complaint. */
struct tpost {
    const char *source, *id, *author;
    long long created;
    const char *brand;
    int complaint;
    const char *category, *rule;
};

static const struct tpost posts[] = {
    { "mastodon", "m1", "alice", T17 + 10, "Acme", 1, "hidden_fees", "r.fee" },
    { "mastodon", "m2", "bob", T17 + 20, NULL, 0, NULL, NULL },
    { "mastodon", "m3", "alice", T17 + 30, "Acme", 1, "pressure", "r.push" },
    { "reddit", "r1", "carol", T17 + 5, "Acme", 1, "hidden_fees", "r.fee" },
    { "reddit", "r2", "dave", T17 + 40, NULL, 1, "pressure", "r.push" },
    { "bluesky", "b1", "erin", T17 + 50, NULL, 0, NULL, NULL },
    { "bluesky", "b2", "erin", T17 + 15, "Globex", 1, "hidden_fees", "r.junk" },
    { "lemmy", "l1", "frank", T17 + 15, NULL, 1, "hidden_fees", "r.fee" },
};
#define N_POSTS (sizeof(posts) / sizeof(posts[0]))

static const char *const input_names[] = { "a.ndjson", "b.ndjson" };

/* Adds the posts of shard "shard" (all of them when count is 0) to "agg". */
static int add_posts(struct cnd_agg *agg, const struct cnd_shard *shard)
{
    size_t i;
    int ret = 0;

    for (i = 0; i < N_POSTS && ret == 0; i++) {
        const struct tpost *t = &posts[i];
        struct cnd_evidence ev[1];
        struct cnd_verdict v;
        struct cnd_post p;
        char json[64];

        if (shard->count > 0 &&
            cnd_shard_of(t->source, strlen(t->source), "2025-07-17", shard->count) != shard->index) {
            ret = cnd_agg_touch_day(agg, "2025-07-17");
            continue;
        }
        memset(&p, 0, sizeof(p));
        memset(&v, 0, sizeof(v));
        memset(ev, 0, sizeof(ev));
        p.source = str(t->source);
        p.id = str(t->id);
        p.author = str(t->author);
        p.created_at = t->created;
        p.has_created_at = 1;
        v.complaint = t->complaint;
        v.score = t->complaint ? 1.234567 : 0;
        if (t->brand) {
            v.brands[0] = t->brand;
            v.n_brands = 1;
        }
        if (t->complaint) {
            v.categories[0] = t->category;
            v.category_scores[0] = 1.234567;
            v.n_categories = 1;
            ev[0].rule = t->rule;
            ev[0].category = t->category;
            v.evidence = ev;
            v.n_evidence = 1;
        }
        snprintf(json, sizeof(json), "{\"id\":\"%s\"}", t->id);
        ret = cnd_agg_add(agg, "2025-07-17", i % 2, &p, &v, json, strlen(json));
    }
    return ret;
}

static const struct cnd_agg_meta meta = {
    "0123456789abcdef", NULL, input_names, 2, NULL,
};

/* ---- Tests ---- */

static void test_shard_parse(void)
{
    struct cnd_shard s;
    char msg[200];
    static const char *const bad[] = { "3/3", "x/2", "1/0", "1", "-1/2", "1/2x", "/2", "1/",
                                       "1/65537", "01x/4", "auto/0" };
    size_t i;

    CHECK_INT(cnd_shard_parse("0/1", &s, msg, sizeof(msg)), 0);
    CHECK_INT(s.index, 0);
    CHECK_INT(s.count, 1);
    CHECK_INT(cnd_shard_parse("7/8", &s, msg, sizeof(msg)), 0);
    CHECK_INT(s.index, 7);
    CHECK_INT(s.count, 8);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_MSG(cnd_shard_parse(bad[i], &s, msg, sizeof(msg)) == CND_EINVAL, "'%s'", bad[i]);
    }
    unsetenv("SLURM_ARRAY_TASK_ID");
    setenv("JOB_COMPLETION_INDEX", "2", 1);
    CHECK_INT(cnd_shard_parse("auto/3", &s, msg, sizeof(msg)), 0);
    CHECK_INT(s.index, 2);
    setenv("SLURM_ARRAY_TASK_ID", "1", 1);   /* Slurm's wins */
    CHECK_INT(cnd_shard_parse("auto/3", &s, msg, sizeof(msg)), 0);
    CHECK_INT(s.index, 1);
    setenv("SLURM_ARRAY_TASK_ID", "3", 1);
    CHECK_INT(cnd_shard_parse("auto/3", &s, msg, sizeof(msg)), CND_EINVAL);
    CHECK(strstr(msg, "SLURM_ARRAY_TASK_ID='3'") != NULL);
    unsetenv("SLURM_ARRAY_TASK_ID");
    unsetenv("JOB_COMPLETION_INDEX");
    CHECK_INT(cnd_shard_parse("auto/3", &s, msg, sizeof(msg)), CND_EINVAL);
}

/* The documented hash, checked against values computed independently (Python). */
static void test_shard_hash(void)
{
    static const char sep = 0x1f;
    uint64_t h = cnd_fnv1a64("mastodon", 8, CND_FNV_BASIS);

    h = cnd_fnv1a64(&sep, 1, h);
    h = cnd_fnv1a64("2025-11-03", 10, h);
    CHECK(h == 0x8d236538574a82c5ULL);
    CHECK_INT(cnd_shard_of("mastodon", 8, "2025-11-03", 3), 2);
    CHECK_INT(cnd_shard_of("mastodon", 8, "2025-11-03", 8), 5);
    CHECK_INT(cnd_shard_of("mastodon", 8, "2025-11-03", 65536), 33477);
    CHECK_INT(cnd_shard_of("mastodon", 8, "2025-11-03", 1), 0);
    CHECK(cnd_fnv1a64("", 0, CND_FNV_BASIS) == CND_FNV_BASIS);
}

/* Three shards' parts merged give the unsharded files; reruns give the same part bytes. */
static void test_parts_merge_exact(void)
{
    static const char *const files[] = {
        "daily/2025-07-17.json.gz", "daily/2025-07-17.csv.gz", "complaints/2025-07-17.ndjson.gz",
    };
    struct cnd_merge_opts mo;
    struct cnd_merge_stats st;
    struct cnd_shard none = { 0, 0 }, shard;
    char ref[64], sh[64];
    struct cnd_agg *agg;
    uint32_t i, rounds;
    size_t f;
    int err = 0;
    char *first[3] = { NULL, NULL, NULL };
    size_t first_len[3] = { 0, 0, 0 };

    testfs_tmpdir(ref, sizeof(ref), "parts");
    testfs_tmpdir(sh, sizeof(sh), "parts");
    agg = cnd_agg_new(ref, &err);
    CHECK(agg != NULL);
    if (agg == NULL) {
        return;
    }
    CHECK_INT(add_posts(agg, &none), 0);
    CHECK_INT(cnd_agg_write(agg, ref, &meta), 0);
    cnd_agg_free(agg);

    for (rounds = 0; rounds < 2; rounds++) {
        for (i = 0; i < 3; i++) {
            shard.index = i;
            shard.count = 3;
            agg = cnd_agg_new(sh, &err);
            CHECK(agg != NULL);
            if (agg == NULL) {
                return;
            }
            CHECK_INT(add_posts(agg, &shard), 0);
            CHECK_INT(cnd_agg_n_days(agg), 1);
            CHECK_INT(cnd_part_write(agg, 0, sh, &shard, &meta), 0);
            cnd_agg_free(agg);
        }
        /* The second round rewrote every part with the same bytes. */
        for (i = 0; i < 3; i++) {
            char name[64];
            size_t len = 0;
            char *data;

            snprintf(name, sizeof(name), "parts/2025-07-17/%u-of-3/part.txt.gz", (unsigned)i);
            data = slurp(sh, name, &len);
            CHECK(data != NULL);
            if (rounds == 0) {
                first[i] = data;
                first_len[i] = len;
            } else {
                CHECK(data && len == first_len[i] && memcmp(data, first[i], len) == 0);
                free(data);
            }
        }
    }
    for (i = 0; i < 3; i++) {
        free(first[i]);
    }
    memset(&mo, 0, sizeof(mo));
    CHECK_INT(cnd_merge(sh, &mo, &st), 0);
    CHECK_INT(st.days_merged, 1);
    CHECK_INT(st.days_refused, 0);
    for (f = 0; f < 3; f++) {
        CHECK_MSG(same_file(ref, sh, files[f]), "'%s' differs after the merge", files[f]);
    }

    /* A damaged part: refused, the published files stay. */
    {
        char path[256];
        FILE *fp;

        snprintf(path, sizeof(path), "%s/parts/2025-07-17/1-of-3/part.txt.gz", sh);
        fp = fopen(path, "r+b");
        CHECK(fp != NULL);
        if (fp != NULL) {
            CHECK_INT(fseek(fp, -12, SEEK_END), 0);
            fputc('x', fp);
            fclose(fp);
        }
        CHECK_INT(cnd_merge(sh, &mo, &st), CND_EPARSE);
        CHECK_INT(st.days_refused, 1);
        CHECK(same_file(ref, sh, files[0]));
        /* Missing altogether. */
        snprintf(path, sizeof(path), "%s/parts/2025-07-17/1-of-3", sh);
        testfs_rm_rf(path);
        CHECK_INT(cnd_merge(sh, &mo, &st), CND_EPARSE);
        CHECK_INT(st.days_refused, 1);
        CHECK_INT(st.days_merged, 0);
    }
    /* Outside the range: nothing to do. */
    mo.from = "2025-07-18";
    CHECK_INT(cnd_merge(sh, &mo, &st), 0);
    CHECK_INT(st.days_merged + st.days_refused, 0);
    testfs_rm_rf(ref);
    testfs_rm_rf(sh);
}

TEST_LIST = {
    { "shard_parse", test_shard_parse },
    { "shard_hash", test_shard_hash },
    { "parts_merge_exact", test_parts_merge_exact },
    { NULL, NULL },
};
