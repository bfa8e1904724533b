/* SPDX-License-Identifier: MIT */
/*
 * Tests of exactly-once counting in bounded memory (output/once.c): the
 * daily files it leads to are byte for byte those of a seen set in front
 * of the aggregate, over random posts with many repeated keys (a repeat
 * may carry another day, verdict or input: the first one counts), with
 * partitions split down to several levels; other shards' posts; the
 * cache of recent keys; the counted-post callback; bad days and an
 * unwritable directory; the post key (source + id).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "output/output.h"
#include "check.h"
#include "testfs.h"

/* ---- Helpers ---- */

/* Checks that every file of "a"/"sub" is in "b"/"sub" with the same bytes, and as many. */
static size_t same_files(const char *a, const char *b, const char *sub)
{
    char pa[1024], pb[1024];
    struct dirent *de;
    size_t n = 0, n_b = 0;
    DIR *d;

    snprintf(pa, sizeof(pa), "%s/%s", a, sub);
    d = opendir(pa);
    CHECK_MSG(d != NULL, "no directory %s", pa);
    while (d != NULL && (de = readdir(d)) != NULL) {
        char *da, *db;
        size_t la = 0, lb = 0;

        if (de->d_name[0] == '.') {
            continue;
        }
        snprintf(pa, sizeof(pa), "%s/%s/%s", a, sub, de->d_name);
        snprintf(pb, sizeof(pb), "%s/%s/%s", b, sub, de->d_name);
        da = testfs_read(pa, &la);
        db = testfs_read(pb, &lb);
        CHECK_MSG(da != NULL && db != NULL && la == lb && memcmp(da, db, la) == 0,
                  "%s and %s differ", pa, pb);
        free(da);
        free(db);
        n++;
    }
    if (d != NULL) {
        closedir(d);
    }
    snprintf(pb, sizeof(pb), "%s/%s", b, sub);
    d = opendir(pb);
    while (d != NULL && (de = readdir(d)) != NULL) {
        n_b += de->d_name[0] != '.';
    }
    if (d != NULL) {
        closedir(d);
    }
    CHECK_INT(n_b, n);
    return n;
}

static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
    rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rnd_state >> 33) % n;
}

/* One random post and its verdict; strings live in static tables or "buf". */
struct rpost {
    struct cnd_post post;
    struct cnd_verdict v;
    struct cnd_evidence ev[3];
    char id[32], author[16], json[96];
    char day[11];
    size_t input;
    uint32_t num;          /* the id's number: same number, same post */
};

static const char *const sources[] = { "mastodon", "reddit" };
static const char *const brands[] = { "Acme", "Globex", "Initech" };
static const char *const cats[] = { "hidden_fees", "bait_and_switch", "pressure_tactics" };
static const char *const rules[] = { "fee.junk", "fee.resort", "bait.sold_out", "press.timer" };

static void random_post(struct rpost *r, uint32_t n_ids)
{
    uint32_t id = rnd(n_ids), i, day = rnd(3);
    int64_t t0 = 1752710400LL + (int64_t)day * 86400;

    memset(r, 0, sizeof(*r));
    r->num = id;
    snprintf(r->id, sizeof(r->id), "p%u", (unsigned)id);
    snprintf(r->author, sizeof(r->author), "u%u", (unsigned)rnd(40));
    snprintf(r->day, sizeof(r->day), "2025-07-%02u", 17 + (unsigned)day);
    r->post.source.ptr = sources[id % 2];
    r->post.source.len = strlen(sources[id % 2]);
    r->post.id.ptr = r->id;
    r->post.id.len = strlen(r->id);
    if (rnd(5) != 0) {
        r->post.author.ptr = r->author;
        r->post.author.len = strlen(r->author);
    }
    r->post.created_at = t0 + rnd(86400);
    r->post.has_created_at = 1;
    r->input = rnd(3);
    r->v.n_brands = rnd(3);
    for (i = 0; i < r->v.n_brands; i++) {
        r->v.brands[i] = brands[(id + i) % 3];
    }
    r->v.complaint = rnd(3) == 0;
    if (r->v.complaint) {
        r->v.score = (double)rnd(1000) / 997.0;
        r->v.n_categories = 1 + rnd(2);
        for (i = 0; i < r->v.n_categories; i++) {
            r->v.categories[i] = cats[(id + i) % 3];
            r->v.category_scores[i] = (double)rnd(1000) / 991.0;
        }
        r->v.n_evidence = rnd(4);
        for (i = 0; i < r->v.n_evidence; i++) {
            r->ev[i].rule = rules[rnd(4)];
            r->ev[i].category = r->v.categories[rnd((uint32_t)r->v.n_categories)];
        }
        r->v.evidence = r->ev;
        snprintf(r->json, sizeof(r->json), "{\"id\":\"%s\",\"score\":%u}", r->id,
                 (unsigned)rnd(100));
    }
}

/* What the counted-post callback saw: posts and complaints per source. */
struct tally {
    uint64_t posts[2], complaints[2];
};

static int count_source(void *arg, const struct cnd_post *post, const struct cnd_verdict *v)
{
    struct tally *t = arg;
    size_t s = post->source.len == strlen(sources[1]) &&
               memcmp(post->source.ptr, sources[1], post->source.len) == 0;

    t->posts[s]++;
    t->complaints[s] += v->complaint != 0;
    return 0;
}

/*
 * An aggregate and a cnd_once over it, both in a new directory "dir"; NULL
 * (a failed check, nothing left behind) when either cannot be made.
 */
static struct cnd_once *open_once(char *dir, size_t size, struct cnd_agg **agg)
{
    struct cnd_once *once;
    int err = 0;

    testfs_tmpdir(dir, size, "once");
    *agg = cnd_agg_new(dir, &err);
    once = *agg ? cnd_once_new(*agg, dir, &err) : NULL;
    CHECK(once != NULL);
    if (once == NULL) {
        cnd_agg_free(*agg);
        testfs_rm_rf(dir);
    }
    return once;
}

static const char *const input_names[] = { "a.ndjson", "b.ndjson", "c.ndjson.gz" };
static const struct cnd_agg_meta meta = {
    "test-lexicon", NULL, input_names, 3, "test"
};

/*
 * Feeds "n" random posts (ids from "n_ids") through a seen set (by the
 * id's number) into one
 * aggregate and through cnd_once (partition budget "budget", 0: default)
 * into another, and checks both write the same files, for "days" days.
 */
static void compare_with_seen_set(size_t n, uint32_t n_ids, uint64_t budget, size_t days)
{
    char da[64], db[64];
    struct cnd_agg *a, *b;
    unsigned char *seen = calloc(n_ids, 1);   /* by the id's number */
    uint64_t distinct = 0;
    struct cnd_once *once;
    struct cnd_once_counts counts;
    struct rpost *r = malloc(sizeof(*r));
    struct tally want, got;
    uint64_t dups = 0;
    size_t i;
    int err = 0;

    testfs_tmpdir(da, sizeof(da), "once");
    testfs_tmpdir(db, sizeof(db), "once");
    a = cnd_agg_new(da, &err);
    b = cnd_agg_new(db, &err);
    once = b ? cnd_once_new(b, db, &err) : NULL;
    CHECK(r != NULL && a != NULL && b != NULL && seen != NULL && once != NULL);
    if (r == NULL || a == NULL || b == NULL || seen == NULL || once == NULL) {
        goto out;
    }
    if (budget) {
        cnd_once_set_budget(once, budget);
    }
    memset(&want, 0, sizeof(want));
    memset(&got, 0, sizeof(got));
    cnd_once_on_counted(once, count_source, &got);
    rnd_state = n * 7919 + n_ids;
    for (i = 0; i < n; i++) {
        const char *json;
        uint64_t key;

        random_post(r, n_ids);
        key = cnd_post_key(&r->post);
        json = r->v.complaint ? r->json : "";
        if (!seen[r->num]) {
            seen[r->num] = 1;
            distinct++;
            CHECK_INT(count_source(&want, &r->post, &r->v), 0);
            CHECK_INT(cnd_agg_add(a, r->day, r->input, &r->post, &r->v, json, strlen(json)), 0);
        } else {
            dups++;
        }
        if (!cnd_once_repeat(once, key)) {
            CHECK_INT(cnd_once_add(once, key, r->day, r->input, &r->post, &r->v, json,
                                   strlen(json)), 0);
        }
    }
    CHECK_INT(cnd_once_settle(once, &counts), 0);
    CHECK_INT(counts.posts, distinct);
    CHECK_INT(counts.duplicates, dups);
    CHECK_INT(counts.elsewhere, 0);
    CHECK(memcmp(&want, &got, sizeof(want)) == 0);
    CHECK_INT(got.posts[0] + got.posts[1], counts.posts);
    CHECK_INT(got.complaints[0] + got.complaints[1], counts.complaints);
    CHECK(dups > 0);
    CHECK_INT(cnd_agg_write(a, da, &meta), 0);
    CHECK_INT(cnd_agg_write(b, db, &meta), 0);
    CHECK_INT(same_files(da, db, "daily"), 2 * days);
    CHECK_INT(same_files(da, db, "complaints"), days);
out:
    cnd_once_free(once);
    free(seen);
    cnd_agg_free(a);
    cnd_agg_free(b);
    free(r);
    testfs_rm_rf(da);
    testfs_rm_rf(db);
}

/* ---- Tests ---- */

static struct cnd_post make_post(const char *source, const char *id)
{
    struct cnd_post p;

    memset(&p, 0, sizeof(p));
    p.source.ptr = source;
    p.source.len = strlen(source);
    p.id.ptr = id;
    p.id.len = strlen(id);
    return p;
}

static void test_post_key(void)
{
    struct cnd_post a = make_post("mastodon", "123");
    struct cnd_post b = make_post("mastodon", "123");
    struct cnd_post c = make_post("reddit", "123");
    struct cnd_post d = make_post("mastodon", "124");
    struct cnd_post e = make_post("ab", "c");
    struct cnd_post f = make_post("a", "bc");
    struct cnd_post g = make_post("", "");
    char idbuf[] = "123xyz";

    CHECK(cnd_post_key(&a) == cnd_post_key(&b));
    CHECK(cnd_post_key(&a) != cnd_post_key(&c));
    CHECK(cnd_post_key(&a) != cnd_post_key(&d));
    CHECK(cnd_post_key(&e) != cnd_post_key(&f));
    /* Only the "len" bytes count, not what follows them. */
    b.id.ptr = idbuf;
    b.id.len = 3;
    CHECK(cnd_post_key(&a) == cnd_post_key(&b));
    /* Missing fields (NULL, 0) hash like empty ones. */
    g.source.ptr = NULL;
    g.id.ptr = NULL;
    {
        struct cnd_post h = make_post("", "");

        CHECK(cnd_post_key(&g) == cnd_post_key(&h));
    }
}


static void test_same_files_as_a_seen_set(void)
{
    compare_with_seen_set(3000, 1000, 0, 3);
}

static void test_split_partitions(void)
{
    /* 40 bytes a partition: every partition splits, and its pieces again. */
    compare_with_seen_set(20000, 5000, 40, 3);
    compare_with_seen_set(20000, 5000, 2000, 3);
}

static void test_far_repeats(void)
{
    /* More keys than the cache of recent ones holds: repeats are found when settling. */
    compare_with_seen_set(30000, 12000, 0, 3);
}

static void test_one_key_many_times(void)
{
    /* No bits of the key can split this; it is sorted as it is. */
    compare_with_seen_set(2000, 1, 64, 1);
}

static void test_elsewhere(void)
{
    char dir[64];
    struct cnd_agg *agg;
    struct cnd_once *once;
    struct cnd_once_counts counts;
    struct rpost r;
    uint64_t key;

    once = open_once(dir, sizeof(dir), &agg);
    if (once == NULL) {
        return;
    }
    rnd_state = 5;
    random_post(&r, 1);
    key = cnd_post_key(&r.post);
    /* Another shard's post comes first: its copy with another day is a duplicate. */
    CHECK_INT(cnd_once_elsewhere(once, key, "2025-07-20"), 0);
    CHECK_INT(cnd_once_add(once, key, "2025-07-21", 0, &r.post, &r.v, "", 0), 0);
    /* This shard's post comes first: a later copy sent elsewhere changes nothing. */
    r.post.id.ptr = "other";
    r.post.id.len = 5;
    key = cnd_post_key(&r.post);
    CHECK_INT(cnd_once_add(once, key, "2025-07-22", 1, &r.post, &r.v, "", 0), 0);
    CHECK_INT(cnd_once_elsewhere(once, key, "2025-07-23"), 0);
    CHECK_INT(cnd_once_settle(once, &counts), 0);
    CHECK_INT(counts.posts, 1);
    CHECK_INT(counts.elsewhere, 1);
    CHECK_INT(counts.duplicates, 2);
    CHECK_INT(cnd_agg_n_days(agg), 2);
    CHECK_STR(cnd_agg_day(agg, 0), "2025-07-20");
    CHECK_STR(cnd_agg_day(agg, 1), "2025-07-22");
    cnd_once_free(once);
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

static void test_recent_repeats(void)
{
    char dir[64];
    struct cnd_agg *agg;
    struct cnd_once *once;
    struct cnd_once_counts counts;
    struct rpost r;

    once = open_once(dir, sizeof(dir), &agg);
    if (once == NULL) {
        return;
    }
    rnd_state = 9;
    random_post(&r, 1);
    CHECK_INT(cnd_once_repeat(once, 42), 0);
    CHECK_INT(cnd_once_add(once, 42, "2025-07-17", 0, &r.post, &r.v, "", 0), 0);
    CHECK_INT(cnd_once_repeat(once, 42), 1);
    CHECK_INT(cnd_once_repeat(once, 43), 0);
    CHECK_INT(cnd_once_elsewhere(once, 43, "2025-07-18"), 0);
    CHECK_INT(cnd_once_repeat(once, 43), 1);
    CHECK_INT(cnd_once_settle(once, &counts), 0);
    CHECK_INT(counts.posts, 1);
    CHECK_INT(counts.elsewhere, 1);
    CHECK_INT(counts.duplicates, 2);
    cnd_once_free(once);
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

static void test_bad_day_and_dir(void)
{
    char dir[64];
    struct cnd_agg *agg;
    struct cnd_once *once;
    struct cnd_once_counts counts;
    struct rpost r;
    int err = 0;

    once = open_once(dir, sizeof(dir), &agg);
    if (once == NULL) {
        return;
    }
    /* No temporary file can be made: known before any post is read. */
    CHECK(cnd_once_new(agg, "/nonexistent/candor-test", &err) == NULL);
    CHECK_INT(err, CND_EIO);
    rnd_state = 11;
    random_post(&r, 10);
    /* A bad day holds nothing back and is not sticky. */
    CHECK_INT(cnd_once_add(once, 1, "2025-07-17T00", 0, &r.post, &r.v, "", 0), CND_EINVAL);
    CHECK_INT(cnd_once_add(once, 1, "2025-02-30", 0, &r.post, &r.v, "", 0), CND_EINVAL);
    CHECK_INT(cnd_once_add(once, 1, NULL, 0, &r.post, &r.v, "", 0), CND_EINVAL);
    CHECK_INT(cnd_once_elsewhere(once, 1, "17.07.2025"), CND_EINVAL);
    CHECK_INT(cnd_once_add(once, 1, "2025-07-17", 0, &r.post, &r.v, "", 0), 0);
    CHECK_INT(cnd_once_settle(once, &counts), 0);
    CHECK_INT(counts.posts, 1);
    CHECK_INT(counts.elsewhere, 0);
    cnd_once_free(once);
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

TEST_LIST = {
    { "post_key", test_post_key },
    { "same_files_as_a_seen_set", test_same_files_as_a_seen_set },
    { "split_partitions", test_split_partitions },
    { "far_repeats", test_far_repeats },
    { "one_key_many_times", test_one_key_many_times },
    { "elsewhere", test_elsewhere },
    { "recent_repeats", test_recent_repeats },
    { "bad_day_and_dir", test_bad_day_and_dir },
    { NULL, NULL },
};
