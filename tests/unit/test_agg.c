/* SPDX-License-Identifier: MIT */
/*
 * Tests of the daily aggregates (output/agg.c), with verdicts built by
 * hand (no lexicon, no analyzer): the exact JSON and CSV text of two days
 * over two sources with no, one and two brands and several categories;
 * the same bytes whatever the order posts were added in; distinct
 * authors; the five newest samples; top rules; CSV quoting and formula
 * neutralising; complaint files in time order, and an empty one
 * replacing an old file for a day without complaints.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/err.h"
#include "output/output.h"
#include "check.h"
#include "testfs.h"

#define T17 1752710400LL   /* 2025-07-17T00:00:00Z */
#define T18 (T17 + 86400)

/* ---- Helpers ---- */

/* The decompressed content of "dir"/"name" (malloced, NUL-terminated) or NULL. */
static char *gunzip_at(const char *dir, const char *name)
{
    char path[512];
    gzFile gz;
    char *data = NULL;
    size_t cap = 0, n = 0;
    int got;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    gz = gzopen(path, "rb");
    if (gz == NULL) {
        return NULL;
    }
    for (;;) {
        if (n + 65537 > cap) {
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
    if (gzclose(gz) != Z_OK || got < 0) {
        free(data);
        return NULL;
    }
    data[n] = '\0';
    return data;
}

/* The raw bytes of "dir"/"name" (malloced) or NULL; length in "*len". */
static char *raw_at(const char *dir, const char *name, size_t *len)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return testfs_read(path, len);
}

/* Compares a gzip file's text with "expect", printing both on a mismatch. */
static void check_text(const char *dir, const char *name, const char *expect)
{
    char *got = gunzip_at(dir, name);

    CHECK_MSG(got != NULL, "cannot read '%s/%s'", dir, name);
    if (got == NULL) {
        return;
    }
    CHECK_MSG(strcmp(got, expect) == 0, "'%s' differs:\n--- got\n%s--- expected\n%s---", name,
              got, expect);
    free(got);
}

/* A hand-made post and its verdict. */
struct tpost {
    const char *day;
    size_t input;
    const char *source, *id, *author;   /* author NULL = missing */
    long long created;
    int complaint;
    double score;
    const char *cats[3];
    double cat_scores[3];
    const char *brands[3];
    struct cnd_evidence ev[4];
    const char *json;                   /* complaint line */
};

static void set_str(struct cnd_str *s, const char *v)
{
    s->ptr = v;
    s->len = v ? strlen(v) : 0;
}

static int add_tpost(struct cnd_agg *agg, const struct tpost *t)
{
    struct cnd_post p;
    struct cnd_verdict v;
    size_t i;

    memset(&p, 0, sizeof(p));
    memset(&v, 0, sizeof(v));
    set_str(&p.source, t->source);
    set_str(&p.id, t->id);
    set_str(&p.author, t->author);
    set_str(&p.text, "some text");
    p.created_at = t->created;
    p.has_created_at = 1;
    v.complaint = t->complaint;
    v.score = t->score;
    for (i = 0; i < 3 && t->cats[i]; i++) {
        v.categories[i] = t->cats[i];
        v.category_scores[i] = t->cat_scores[i];
    }
    v.n_categories = i;
    for (i = 0; i < 3 && t->brands[i]; i++) {
        v.brands[i] = t->brands[i];
    }
    v.n_brands = i;
    for (i = 0; i < 4 && t->ev[i].rule; i++) {
    }
    v.n_evidence = i;
    v.evidence = t->ev;
    v.lang = "en";
    return cnd_agg_add(agg, t->day, t->input, &p, &v, t->json, t->json ? strlen(t->json) : 0);
}

/* An empty aggregate spilling into a new temporary directory "dir" (checked; NULL on failure). */
static struct cnd_agg *tmp_agg(char *dir, size_t cap)
{
    struct cnd_agg *agg;
    int err = 0;

    testfs_tmpdir(dir, cap, "agg");
    agg = cnd_agg_new(dir, &err);
    CHECK(agg != NULL);
    return agg;
}

/* ---- The two-day data set ---- */

static const struct tpost posts[] = {
    /* P1: one brand, two categories, a rule hit twice in one post. */
    { "2025-07-17", 0, "mastodon", "101", "alice", T17 + 100, 1, 2.5,
      { "hidden_fees", "pressure_tactics", NULL }, { 2.5, 1.25, 0 }, { "Acme", NULL, NULL },
      { { "r.fee", "hidden_fees", 0, 3, 1.5 }, { "r.fee", "hidden_fees", 10, 13, 1.0 },
        { "r.push", "pressure_tactics", 20, 24, 1.25 }, { NULL, NULL, 0, 0, 0 } },
      "{\"id\":\"101\"}" },
    /* P2: not a complaint, no brand. */
    { "2025-07-17", 0, "mastodon", "102", "bob", T17 + 200, 0, 0.0,
      { NULL, NULL, NULL }, { 0, 0, 0 }, { NULL, NULL, NULL },
      { { NULL, NULL, 0, 0, 0 } }, NULL },
    /* P3: two brands, the same author as P1. */
    { "2025-07-17", 1, "mastodon", "103", "alice", T17 + 300, 1, 1.0,
      { "hidden_fees", NULL, NULL }, { 1.0, 0, 0 }, { "Acme", "Globex", NULL },
      { { "r.fee", "hidden_fees", 0, 3, 0.5 }, { "r.junk", "hidden_fees", 5, 9, 0.5 },
        { NULL, NULL, 0, 0, 0 } },
      "{\"id\":\"103\",\"text\":\"junk fee\"}" },
    /* P4: another source, no brand, no author. */
    { "2025-07-17", 1, "reddit", "t3_a", NULL, T17 + 400, 1, 0.75,
      { "pressure_tactics", NULL, NULL }, { 0.75, 0, 0 }, { NULL, NULL, NULL },
      { { "r.push", "pressure_tactics", 0, 4, 0.75 }, { NULL, NULL, 0, 0, 0 } },
      "{\"id\":\"t3_a\"}" },
    /* P5: the next day, no complaint at all. */
    { "2025-07-18", 2, "reddit", "t3_b", "carol", T18 + 5, 0, 0.0,
      { NULL, NULL, NULL }, { 0, 0, 0 }, { NULL, NULL, NULL },
      { { NULL, NULL, 0, 0, 0 } }, NULL },
};
#define N_POSTS (sizeof(posts) / sizeof(posts[0]))

static const char *const input_names[] = { "a.ndjson", "b.ndjson", "c.ndjson.gz" };

static const struct cnd_agg_meta meta = {
    "0123456789abcdef", NULL, input_names, 3, NULL,
};

static const char expect_json17[] =
    "{\"schema\":1,\"day\":\"2025-07-17\",\"lexicon_version\":\"0123456789abcdef\","
    "\"candor_version\":\"" CND_VERSION "\",\"timezone\":\"UTC\","
    "\"inputs\":[\"a.ndjson\",\"b.ndjson\"],"
    "\"sources\":[{\"source\":\"mastodon\",\"posts\":3},{\"source\":\"reddit\",\"posts\":1}],"
    "\"rows\":8}\n"
    "{\"source\":\"mastodon\",\"brand\":\"\",\"category\":\"*\",\"posts\":1,\"complaints\":0,"
    "\"authors\":0,\"score_sum\":0.000,\"top_rules\":[],\"samples\":[]}\n"
    "{\"source\":\"mastodon\",\"brand\":\"Acme\",\"category\":\"*\",\"posts\":2,\"complaints\":2,"
    "\"authors\":1,\"score_sum\":3.500,\"top_rules\":[{\"rule\":\"r.fee\",\"count\":2},"
    "{\"rule\":\"r.junk\",\"count\":1},{\"rule\":\"r.push\",\"count\":1}],"
    "\"samples\":[\"103\",\"101\"]}\n"
    "{\"source\":\"mastodon\",\"brand\":\"Acme\",\"category\":\"hidden_fees\",\"posts\":2,"
    "\"complaints\":2,\"authors\":1,\"score_sum\":3.500,\"top_rules\":[{\"rule\":\"r.fee\","
    "\"count\":2},{\"rule\":\"r.junk\",\"count\":1}],\"samples\":[\"103\",\"101\"]}\n"
    "{\"source\":\"mastodon\",\"brand\":\"Acme\",\"category\":\"pressure_tactics\",\"posts\":2,"
    "\"complaints\":1,\"authors\":1,\"score_sum\":1.250,\"top_rules\":[{\"rule\":\"r.push\","
    "\"count\":1}],\"samples\":[\"101\"]}\n"
    "{\"source\":\"mastodon\",\"brand\":\"Globex\",\"category\":\"*\",\"posts\":1,"
    "\"complaints\":1,\"authors\":1,\"score_sum\":1.000,\"top_rules\":[{\"rule\":\"r.fee\","
    "\"count\":1},{\"rule\":\"r.junk\",\"count\":1}],\"samples\":[\"103\"]}\n"
    "{\"source\":\"mastodon\",\"brand\":\"Globex\",\"category\":\"hidden_fees\",\"posts\":1,"
    "\"complaints\":1,\"authors\":1,\"score_sum\":1.000,\"top_rules\":[{\"rule\":\"r.fee\","
    "\"count\":1},{\"rule\":\"r.junk\",\"count\":1}],\"samples\":[\"103\"]}\n"
    "{\"source\":\"reddit\",\"brand\":\"\",\"category\":\"*\",\"posts\":1,\"complaints\":1,"
    "\"authors\":0,\"score_sum\":0.750,\"top_rules\":[{\"rule\":\"r.push\",\"count\":1}],"
    "\"samples\":[\"t3_a\"]}\n"
    "{\"source\":\"reddit\",\"brand\":\"\",\"category\":\"pressure_tactics\",\"posts\":1,"
    "\"complaints\":1,\"authors\":0,\"score_sum\":0.750,\"top_rules\":[{\"rule\":\"r.push\","
    "\"count\":1}],\"samples\":[\"t3_a\"]}\n";

static const char expect_csv17[] =
    "day,source,brand,category,posts,complaints,authors,score_sum,top_rules,samples\n"
    "2025-07-17,mastodon,,*,1,0,0,0.000,,\n"
    "2025-07-17,mastodon,Acme,*,2,2,1,3.500,r.fee:2;r.junk:1;r.push:1,103;101\n"
    "2025-07-17,mastodon,Acme,hidden_fees,2,2,1,3.500,r.fee:2;r.junk:1,103;101\n"
    "2025-07-17,mastodon,Acme,pressure_tactics,2,1,1,1.250,r.push:1,101\n"
    "2025-07-17,mastodon,Globex,*,1,1,1,1.000,r.fee:1;r.junk:1,103\n"
    "2025-07-17,mastodon,Globex,hidden_fees,1,1,1,1.000,r.fee:1;r.junk:1,103\n"
    "2025-07-17,reddit,,*,1,1,0,0.750,r.push:1,t3_a\n"
    "2025-07-17,reddit,,pressure_tactics,1,1,0,0.750,r.push:1,t3_a\n";

static const char expect_json18[] =
    "{\"schema\":1,\"day\":\"2025-07-18\",\"lexicon_version\":\"0123456789abcdef\","
    "\"candor_version\":\"" CND_VERSION "\",\"timezone\":\"UTC\","
    "\"inputs\":[\"c.ndjson.gz\"],"
    "\"sources\":[{\"source\":\"reddit\",\"posts\":1}],\"rows\":1}\n"
    "{\"source\":\"reddit\",\"brand\":\"\",\"category\":\"*\",\"posts\":1,\"complaints\":0,"
    "\"authors\":0,\"score_sum\":0.000,\"top_rules\":[],\"samples\":[]}\n";

static const char expect_csv18[] =
    "day,source,brand,category,posts,complaints,authors,score_sum,top_rules,samples\n"
    "2025-07-18,reddit,,*,1,0,0,0.000,,\n";

/* Adds the posts in the order of "order" and writes them under "dir". */
static int build(const char *dir, const size_t *order)
{
    struct cnd_agg *agg;
    int err = 0, ret = 0;
    size_t i;

    agg = cnd_agg_new(dir, &err);
    CHECK(agg != NULL);
    if (agg == NULL) {
        return err;
    }
    for (i = 0; i < N_POSTS && ret == 0; i++) {
        ret = add_tpost(agg, &posts[order[i]]);
        CHECK_INT(ret, 0);
    }
    CHECK_INT(cnd_agg_n_days(agg), 2);
    CHECK_STR(cnd_agg_day(agg, 0), "2025-07-17");
    CHECK_STR(cnd_agg_day(agg, 1), "2025-07-18");
    CHECK(cnd_agg_day(agg, 2) == NULL);
    if (ret == 0) {
        ret = cnd_agg_write(agg, dir, &meta);
    }
    cnd_agg_free(agg);
    return ret;
}

/* ---- Tests ---- */

static void test_two_days(void)
{
    static const size_t order[N_POSTS] = { 0, 1, 2, 3, 4 };
    char dir[64], path[256];
    FILE *f;

    testfs_tmpdir(dir, sizeof(dir), "agg");
    /* An old complaint file for the second day must be replaced by an empty one. */
    snprintf(path, sizeof(path), "%s/complaints", dir);
    CHECK_INT(cnd_mkdirs(path), 0);
    snprintf(path, sizeof(path), "%s/complaints/2025-07-18.ndjson.gz", dir);
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        gzFile gz = gzdopen(dup(fileno(f)), "wb");

        CHECK(gz != NULL);
        if (gz != NULL) {
            CHECK(gzputs(gz, "{\"id\":\"stale\"}\n") > 0);
            CHECK_INT(gzclose(gz), Z_OK);
        }
        fclose(f);
    }

    CHECK_INT(build(dir, order), 0);
    check_text(dir, "daily/2025-07-17.json.gz", expect_json17);
    check_text(dir, "daily/2025-07-17.csv.gz", expect_csv17);
    check_text(dir, "daily/2025-07-18.json.gz", expect_json18);
    check_text(dir, "daily/2025-07-18.csv.gz", expect_csv18);
    check_text(dir, "complaints/2025-07-17.ndjson.gz",
               "{\"id\":\"101\"}\n{\"id\":\"103\",\"text\":\"junk fee\"}\n{\"id\":\"t3_a\"}\n");
    check_text(dir, "complaints/2025-07-18.ndjson.gz", "");
    /* The spill file went away and no temp file is left. */
    {
        DIR *d = opendir(dir);
        struct dirent *de;
        int others = 0;

        CHECK(d != NULL);
        while (d != NULL && (de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
                strcmp(de->d_name, "daily") != 0 && strcmp(de->d_name, "complaints") != 0) {
                others++;
            }
        }
        if (d != NULL) {
            closedir(d);
        }
        CHECK_INT(others, 0);
        snprintf(path, sizeof(path), "%s/daily", dir);
        CHECK_INT(cnd_sweep_tmp(path), 0);
    }
    testfs_rm_rf(dir);
}

/*
 * Another order: every file is byte for byte the same. Complaint lines
 * used to follow the order of the adds; they are now sorted by
 * (created_at, post key) so that a merge of shards (which cannot know the
 * input order across shards) gives the same bytes as one process.
 */
static void test_order_independent(void)
{
    static const size_t fwd[N_POSTS] = { 0, 1, 2, 3, 4 };
    static const size_t rev[N_POSTS] = { 4, 3, 2, 1, 0 };
    static const size_t mix[N_POSTS] = { 2, 4, 0, 3, 1 };
    static const char *const files[] = {
        "daily/2025-07-17.json.gz", "daily/2025-07-17.csv.gz",
        "daily/2025-07-18.json.gz", "daily/2025-07-18.csv.gz",
        "complaints/2025-07-17.ndjson.gz", "complaints/2025-07-18.ndjson.gz",
    };
    const size_t *orders[] = { rev, mix };
    char a[64], b[64];
    size_t o, i;

    testfs_tmpdir(a, sizeof(a), "agg");
    CHECK_INT(build(a, fwd), 0);
    for (o = 0; o < 2; o++) {
        testfs_tmpdir(b, sizeof(b), "agg");
        CHECK_INT(build(b, orders[o]), 0);
        for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
            size_t la = 0, lb = 0;
            char *da = raw_at(a, files[i], &la), *db = raw_at(b, files[i], &lb);

            CHECK(da != NULL && db != NULL);
            CHECK_MSG(da && db && la == lb && memcmp(da, db, la) == 0,
                      "'%s' differs between orders", files[i]);
            free(da);
            free(db);
        }
        testfs_rm_rf(b);
    }
    testfs_tmpdir(b, sizeof(b), "agg");
    CHECK_INT(build(b, rev), 0);
    /* Time order (101 at +100 s, 103 at +300 s, t3_a at +400 s), not the order of the adds. */
    check_text(b, "complaints/2025-07-17.ndjson.gz",
               "{\"id\":\"101\"}\n{\"id\":\"103\",\"text\":\"junk fee\"}\n{\"id\":\"t3_a\"}\n");
    testfs_rm_rf(b);
    testfs_rm_rf(a);
}

/* Writing twice (and again after more posts) replaces the files. */
static void test_rewrite(void)
{
    char dir[64];
    struct cnd_agg *agg;

    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    CHECK_INT(add_tpost(agg, &posts[0]), 0);
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    CHECK_INT(add_tpost(agg, &posts[2]), 0);
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    check_text(dir, "complaints/2025-07-17.ndjson.gz",
               "{\"id\":\"101\"}\n{\"id\":\"103\",\"text\":\"junk fee\"}\n");
    {
        char *got = gunzip_at(dir, "daily/2025-07-17.csv.gz");

        CHECK(got != NULL);
        if (got != NULL) {
            CHECK(strstr(got, "\n2025-07-17,mastodon,Acme,*,2,2,1,3.500,") != NULL);
            free(got);
        }
    }
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

/* Checks that day 2025-07-17's complaints file holds exactly the "total" bytes of "want". */
static void check_complaints(const char *dir, const char *want, size_t total)
{
    char *got = gunzip_at(dir, "complaints/2025-07-17.ndjson.gz");

    CHECK(got != NULL && strlen(got) == total && memcmp(got, want, total) == 0);
    free(got);
}

/*
 * Adds complaint "i" of day 2025-07-17 at time "created": its line
 * {"n":I,"pad":"xxxx..."} of "len" bytes or so, unique by I, written into
 * "line" (room for len + 40 bytes), its id "prefix"I into "id" (16 bytes).
 */
static int add_spill_line(struct cnd_agg *agg, size_t i, size_t len, long long created,
                          char *line, size_t line_size, const char *prefix, char *id)
{
    struct tpost t;
    size_t k = (size_t)snprintf(line, line_size, "{\"n\":%zu,\"pad\":\"", i);

    memset(line + k, 'a' + (char)(i % 26), len);
    memcpy(line + k + len, "\"}", 3);
    memset(&t, 0, sizeof(t));
    snprintf(id, 16, "%s%zu", prefix, i);
    t.day = "2025-07-17";
    t.source = "s";
    t.id = id;
    t.created = created;
    t.complaint = 1;
    t.score = 0.5;
    t.cats[0] = "hidden_fees";
    t.cat_scores[0] = 0.5;
    t.json = line;
    return add_tpost(agg, &t);
}

/*
 * Complaint lines of many lengths (some across the spill file's 64 KiB
 * blocks, some longer than a quarter block, read alone) come back whole
 * and in time order; adding after a write (the cached blocks are stale
 * then: the new lines are read first) and writing again gives every
 * line, old and new.
 */
static void test_spill_blocks(void)
{
    enum { N = 300, MORE = 60 };
    static char lines[N + MORE][40100];
    char dir[64], ids[N + MORE][16];
    struct cnd_agg *agg;
    size_t i, round;

    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    for (round = 0; round < 2; round++) {
        size_t from = round ? N : 0, to = round ? N + MORE : N, total = 0, k;
        char *want, *w;

        for (i = from; i < to; i++) {
            size_t len = i % 7 == 0 ? 17000 + (i * 131) % 23000 : 40 + (i * 7919) % 3000;

            /* the second round's lines come first in time: read first, from the
             * block the first round's write left cached before they were added */
            CHECK_INT(add_spill_line(agg, i, len, (round ? T17 - 10000 : T17) + (long long)i,
                                     lines[i], sizeof(lines[i]), "q", ids[i]), 0);
        }
        CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
        for (k = 0; k < to; k++) {
            total += strlen(lines[k]) + 1;
        }
        want = malloc(total + 1);
        CHECK(want != NULL);
        if (want == NULL) {
            break;
        }
        for (k = 0, w = want; k < to; k++) {
            /* in time order: the second round's lines, then the first's */
            size_t j = round == 0 ? k : k < MORE ? N + k : k - MORE, l = strlen(lines[j]);

            memcpy(w, lines[j], l);
            w[l] = '\n';
            w += l + 1;
        }
        *w = '\0';
        check_complaints(dir, want, total);
        free(want);
    }
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

/*
 * Complaint lines spilled in no order of time (as an archive of many
 * sources is read): each is read back from a small part of the spill file
 * around it, lines across page boundaries and longer than a page
 * included, and all come out whole and in time order.
 */
static void test_spill_unordered(void)
{
    enum { N = 400 };
    static char lines[N][12100];
    char dir[64], ids[N][16];
    struct cnd_agg *agg;
    size_t i, total = 0, k;
    char *want, *w;

    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    for (i = 0; i < N; i++) {
        size_t len = i % 5 == 0 ? 4000 + (i * 131) % 8000 : 30 + (i * 7919) % 2500;

        /* 263 is prime to N: the times are a permutation */
        CHECK_INT(add_spill_line(agg, i, len, T17 + (long long)((i * 263) % N), lines[i],
                                 sizeof(lines[i]), "u", ids[i]), 0);
        total += strlen(lines[i]) + 1;
    }
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    want = malloc(total + 1);
    CHECK(want != NULL);
    if (want != NULL) {
        for (k = 0, w = want; k < N; k++) {
            /* the line whose time is T17 + k */
            for (i = 0; (i * 263) % N != k; i++) {
            }
            memcpy(w, lines[i], strlen(lines[i]));
            w += strlen(lines[i]);
            *w++ = '\n';
        }
        *w = '\0';
        check_complaints(dir, want, total);
        free(want);
    }
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

/* Distinct authors, and the five newest samples whatever the order. */
static void test_authors_and_samples(void)
{
    static const long long offs[8] = { 50, 10, 70, 30, 70, 60, 20, 40 };
    static const char *const ids[8] = { "p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7" };
    static const char *const authors[8] = { "u1", "u2", "u1", NULL, "u3", "u2", "", "u1" };
    static const size_t orders[2][8] = { { 0, 1, 2, 3, 4, 5, 6, 7 }, { 7, 6, 5, 4, 3, 2, 1, 0 } };
    size_t o, i;

    for (o = 0; o < 2; o++) {
        char dir[64];
        struct cnd_agg *agg;

        agg = tmp_agg(dir, sizeof(dir));
        if (agg == NULL) {
            return;
        }
        for (i = 0; i < 8; i++) {
            size_t k = orders[o][i];
            struct tpost t;

            memset(&t, 0, sizeof(t));
            t.day = "2025-07-17";
            t.source = "s";
            t.id = ids[k];
            t.author = authors[k];
            t.created = T17 + offs[k];
            t.complaint = 1;
            t.score = 0.1;
            t.cats[0] = "fake_discount";
            t.cat_scores[0] = 0.1;
            CHECK_INT(add_tpost(agg, &t), 0);
        }
        CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
        /*
         * Newest first: p2 and p4 share the newest time (70), the greater
         * id first; then p5 (60), p0 (50), p7 (40). Authors: u1, u2, u3
         * (missing and empty ones are not counted). 8 x 0.1 = 0.800.
         */
        check_text(dir, "daily/2025-07-17.csv.gz",
                   "day,source,brand,category,posts,complaints,authors,score_sum,top_rules,"
                   "samples\n"
                   "2025-07-17,s,,*,8,8,3,0.800,,p4;p2;p5;p0;p7\n"
                   "2025-07-17,s,,fake_discount,8,8,3,0.800,,p4;p2;p5;p0;p7\n");
        cnd_agg_free(agg);
        testfs_rm_rf(dir);
    }
}

/* What a visit of a day saw: the rows' author lists and the complaint lines' order. */
struct seen {
    size_t rows, authors_bad, lines, order_bad;
    size_t n_authors[8];
    int64_t last_created;
    uint64_t last_key;
};

static int seen_row(void *arg, const struct cnd_agg_row *row)
{
    struct seen *s = arg;
    size_t i;

    for (i = 1; i < row->n_authors; i++) {
        s->authors_bad += row->authors[i - 1] >= row->authors[i];   /* ascending, distinct */
    }
    if (s->rows < 8) {
        s->n_authors[s->rows] = row->n_authors;
    }
    s->rows++;
    return 0;
}

static int seen_complaint(void *arg, int64_t created, uint64_t key, const char *line, size_t len)
{
    struct seen *s = arg;

    s->order_bad += s->lines > 0 && (created < s->last_created ||
                                     (created == s->last_created && key <= s->last_key));
    s->order_bad += len < 5 || memcmp(line, "{\"n\":", 5) != 0;
    s->last_created = created;
    s->last_key = key;
    s->lines++;
    return 0;
}

/*
 * Many complaints on two days, in chunks of the spill file: each day's
 * rows count the distinct authors an in-test tally expects (authors from
 * small pools, so most repeat; a brand on half the posts), the complaint
 * file has every line once in (created_at, key) order, and a visit lists
 * the same authors ascending.
 */
static void test_many_complaints(void)
{
    enum { N = 1500 };
    static const char *const days[2] = { "2025-07-17", "2025-07-18" };
    char dir[64], ids[N][16], authors[N][16], lines[N][48];
    unsigned char seen_a[2][2][200];   /* [day][brand row or not][author] */
    size_t want[2][2] = { { 0, 0 }, { 0, 0 } }, i;
    struct cnd_agg *agg;

    memset(seen_a, 0, sizeof(seen_a));
    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    for (i = 0; i < N; i++) {
        struct tpost t;
        size_t day = i % 3 == 0, a = (i * 7919) % (day ? 61 : 173), branded = i % 2;

        memset(&t, 0, sizeof(t));
        snprintf(ids[i], sizeof(ids[i]), "p%zu", i);
        snprintf(authors[i], sizeof(authors[i]), "u%zu", a);
        snprintf(lines[i], sizeof(lines[i]), "{\"n\":%zu}", i);
        t.day = days[day];
        t.source = "s";
        t.id = ids[i];
        t.author = authors[i];
        t.created = (day ? T17 + 86400 : T17) + (long long)((i * 104729) % 5000);
        t.complaint = 1;
        t.score = 0.5;
        t.cats[0] = "hidden_fees";
        t.cat_scores[0] = 0.5;
        t.brands[0] = branded ? "Acme" : NULL;
        t.json = lines[i];
        CHECK_INT(add_tpost(agg, &t), 0);
        if (!seen_a[day][branded][a]) {
            seen_a[day][branded][a] = 1;
            want[day][branded]++;
        }
    }
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    for (i = 0; i < 2; i++) {
        char name[64], *csv, *json, expect[4][128];
        size_t n_posts[2] = { 0, 0 }, k, lines_in = 0;
        struct seen sn;
        struct cnd_agg_visitor v;

        for (k = 0; k < N; k++) {
            n_posts[k % 2] += (k % 3 == 0) == (i == 1);
        }
        snprintf(name, sizeof(name), "daily/%s.csv.gz", days[i]);
        csv = gunzip_at(dir, name);
        CHECK(csv != NULL);
        /* rows: brand "" then "Acme", each "*" then hidden_fees */
        snprintf(expect[0], sizeof(expect[0]), "%s,s,,*,%zu,%zu,%zu,", days[i], n_posts[0],
                 n_posts[0], want[i][0]);
        snprintf(expect[1], sizeof(expect[1]), "%s,s,,hidden_fees,%zu,%zu,%zu,", days[i],
                 n_posts[0], n_posts[0], want[i][0]);
        snprintf(expect[2], sizeof(expect[2]), "%s,s,Acme,*,%zu,%zu,%zu,", days[i], n_posts[1],
                 n_posts[1], want[i][1]);
        snprintf(expect[3], sizeof(expect[3]), "%s,s,Acme,hidden_fees,%zu,%zu,%zu,", days[i],
                 n_posts[1], n_posts[1], want[i][1]);
        for (k = 0; csv != NULL && k < 4; k++) {
            CHECK_MSG(strstr(csv, expect[k]) != NULL, "no '%s' in\n%s", expect[k], csv);
        }
        free(csv);
        snprintf(name, sizeof(name), "complaints/%s.ndjson.gz", days[i]);
        json = gunzip_at(dir, name);
        CHECK(json != NULL);
        for (k = 0; json != NULL && json[k]; k++) {
            lines_in += json[k] == '\n';
        }
        CHECK_INT((int)lines_in, (int)(n_posts[0] + n_posts[1]));
        free(json);
        memset(&sn, 0, sizeof(sn));
        memset(&v, 0, sizeof(v));
        v.row = seen_row;
        v.complaint = seen_complaint;
        CHECK_INT(cnd_agg_visit_day(agg, i, &v, &sn), 0);
        CHECK_INT((int)sn.rows, 4);
        CHECK_INT((int)sn.authors_bad, 0);
        CHECK_INT((int)sn.order_bad, 0);
        CHECK_INT((int)sn.lines, (int)(n_posts[0] + n_posts[1]));
        CHECK_INT((int)sn.n_authors[0], (int)want[i][0]);
        CHECK_INT((int)sn.n_authors[3], (int)want[i][1]);
    }
    CHECK(want[0][0] > 64 && want[1][1] > 30);   /* authors span chunks */
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

/* At most ten rules, by count then id; each rule once per post. */
static void test_top_rules(void)
{
    static const char *const rules[12] = { "k", "b", "c", "d", "e", "f",
                                           "g", "h", "i", "j", "a", "l" };
    struct cnd_evidence ev[16];
    struct cnd_post p;
    struct cnd_verdict v;
    struct cnd_agg *agg;
    char dir[64], id[16];
    size_t i, n, k;

    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    memset(ev, 0, sizeof(ev));
    /*
     * Posts 0..11: post n fires rules[i] for i < 12 - n, so rules[i] fires
     * in 12 - i posts (k 12, b 11, ..., j 3, a 2, l 1). Post 12 fires
     * "k" twice (counted once), "a" and "l": k 13, a 3, l 2, so "a" ties
     * with "j" at 3 and goes first by id; "j" is then 11th and cut.
     */
    for (n = 0; n < 13; n++) {
        memset(&p, 0, sizeof(p));
        memset(&v, 0, sizeof(v));
        snprintf(id, sizeof(id), "%zu", n);
        set_str(&p.source, "s");
        set_str(&p.id, id);
        p.created_at = T17;
        p.has_created_at = 1;
        k = 0;
        if (n < 12) {
            for (i = 0; i < 12 - n; i++) {
                ev[k].rule = rules[i];
                ev[k++].category = "x";
            }
        } else {
            ev[k++].rule = "k";
            ev[k++].rule = "a";
            ev[k++].rule = "k";
            ev[k++].rule = "l";
        }
        v.complaint = 1;
        v.score = 1;
        v.evidence = ev;
        v.n_evidence = k;
        CHECK_INT(cnd_agg_add(agg, "2025-07-17", 0, &p, &v, NULL, 0), 0);
    }
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    /* Samples: all at the same time, so the greatest ids bytewise ("12" < "5"). */
    check_text(dir, "daily/2025-07-17.csv.gz",
               "day,source,brand,category,posts,complaints,authors,score_sum,top_rules,samples\n"
               "2025-07-17,s,,*,13,13,0,13.000,"
               "k:13;b:11;c:10;d:9;e:8;f:7;g:6;h:5;i:4;a:3,9;8;7;6;5\n");
    /* A complaint without categories has no category rows and no complaint line. */
    check_text(dir, "complaints/2025-07-17.ndjson.gz", "");
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

/* CSV quoting (RFC 4180) and formula neutralising; JSON escaping of the same strings. */
static void test_csv_quoting(void)
{
    char dir[64];
    struct cnd_agg *agg;
    struct tpost t;

    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    memset(&t, 0, sizeof(t));
    t.day = "2025-07-17";
    t.source = "src,1";
    t.id = "=HYPERLINK(\"x\")";
    t.author = "a";
    t.created = T17;
    t.complaint = 1;
    t.score = -0.25;
    t.cats[0] = "@cat";
    t.cat_scores[0] = 0.0004;
    t.brands[0] = "Say \"Hi\"\nCo";
    t.brands[1] = "+plus";
    t.brands[2] = "-minus";
    t.ev[0].rule = "r=1";
    t.ev[0].category = "@cat";
    CHECK_INT(add_tpost(agg, &t), 0);
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    check_text(dir, "daily/2025-07-17.csv.gz",
               "day,source,brand,category,posts,complaints,authors,score_sum,top_rules,samples\n"
               "2025-07-17,\"src,1\",'+plus,*,1,1,1,-0.250,r=1:1,\"'=HYPERLINK(\"\"x\"\")\"\n"
               "2025-07-17,\"src,1\",'+plus,'@cat,1,1,1,0.000,r=1:1,\"'=HYPERLINK(\"\"x\"\")\"\n"
               "2025-07-17,\"src,1\",'-minus,*,1,1,1,-0.250,r=1:1,\"'=HYPERLINK(\"\"x\"\")\"\n"
               "2025-07-17,\"src,1\",'-minus,'@cat,1,1,1,0.000,r=1:1,\"'=HYPERLINK(\"\"x\"\")\"\n"
               "2025-07-17,\"src,1\",\"Say \"\"Hi\"\"\nCo\",*,1,1,1,-0.250,r=1:1,"
               "\"'=HYPERLINK(\"\"x\"\")\"\n"
               "2025-07-17,\"src,1\",\"Say \"\"Hi\"\"\nCo\",'@cat,1,1,1,0.000,r=1:1,"
               "\"'=HYPERLINK(\"\"x\"\")\"\n");
    {
        char *got = gunzip_at(dir, "daily/2025-07-17.json.gz");

        CHECK(got != NULL);
        if (got != NULL) {
            CHECK(strstr(got, "\n{\"source\":\"src,1\",\"brand\":\"Say \\\"Hi\\\"\\nCo\","
                              "\"category\":\"@cat\",\"posts\":1,\"complaints\":1,\"authors\":1,"
                              "\"score_sum\":0.000,\"top_rules\":[{\"rule\":\"r=1\",\"count\":1}],"
                              "\"samples\":[\"=HYPERLINK(\\\"x\\\")\"]}\n") != NULL);
            free(got);
        }
    }
    cnd_agg_free(agg);
    testfs_rm_rf(dir);
}

static void test_bad_input(void)
{
    static const char *const bad_days[] = { "2025-7-17", "2025-07-170", "../../etc", "",
                                            "2025/07/17", "2025-07-1x", "2025-13-01",
                                            "2025-07-00", "2025-07-32" };
    char dir[64];
    struct cnd_agg *agg;
    struct tpost t = posts[1];
    int err = 0;
    size_t i;

    agg = tmp_agg(dir, sizeof(dir));
    if (agg == NULL) {
        return;
    }
    for (i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
        t.day = bad_days[i];
        CHECK_INT(add_tpost(agg, &t), CND_EINVAL);
    }
    CHECK_INT(cnd_agg_n_days(agg), 0);
    t.day = "2025-07-17";
    CHECK_INT(cnd_agg_add(agg, "2025-07-17", (size_t)1 << 30, NULL, NULL, NULL, 0), CND_EINVAL);
    /* Those changed nothing: the aggregate still works. */
    CHECK_INT(add_tpost(agg, &t), 0);
    CHECK_INT(cnd_agg_n_days(agg), 1);
    CHECK_INT(cnd_agg_write(agg, dir, &meta), 0);
    cnd_agg_free(agg);
    /* No directory to spill into. */
    err = 0;
    CHECK(cnd_agg_new("/nonexistent/dir", &err) == NULL);
    CHECK_INT(err, CND_EIO);
    testfs_rm_rf(dir);
}

/* Every allocation failure is reported as CND_ENOMEM without leaks. */
static void test_enomem(void)
{
    char dir[64];
    unsigned long n;
    int saw_add = 0, saw_write = 0;

    testfs_tmpdir(dir, sizeof(dir), "agg");
    for (n = 1; n < 400; n++) {
        struct cnd_agg *agg;
        int err = 0, ret = 0, in_add = 0;
        size_t i;

        cnd_alloc_fail_at(n);
        agg = cnd_agg_new(dir, &err);
        for (i = 0; agg != NULL && i < N_POSTS && ret == 0; i++) {
            ret = add_tpost(agg, &posts[i]);
            in_add = ret < 0;
        }
        if (agg != NULL && ret == 0) {
            ret = cnd_agg_write(agg, dir, &meta);
        }
        cnd_alloc_fail_at(0);
        if (agg == NULL) {
            ret = err;
        } else if (in_add) {
            /* A half-counted post is never written: the error sticks. */
            CHECK_INT(add_tpost(agg, &posts[0]), ret);
            CHECK_INT(cnd_agg_write(agg, dir, &meta), ret);
            saw_add = 1;
        } else if (ret < 0) {
            saw_write = 1;
        }
        cnd_agg_free(agg);
        if (ret == 0) {
            break;
        }
        CHECK_INT(ret, CND_ENOMEM);
    }
    CHECK(saw_add && saw_write);
    CHECK_MSG(n < 400, "still failing after %lu allocations", n);
    /* With memory back, the same posts give the expected files. */
    check_text(dir, "daily/2025-07-17.json.gz", expect_json17);
    testfs_rm_rf(dir);
}

TEST_LIST = {
    { "two_days", test_two_days },
    { "order_independent", test_order_independent },
    { "rewrite", test_rewrite },
    { "authors_and_samples", test_authors_and_samples },
    { "many_complaints", test_many_complaints },
    { "spill_blocks", test_spill_blocks },
    { "spill_unordered", test_spill_unordered },
    { "top_rules", test_top_rules },
    { "csv_quoting", test_csv_quoting },
    { "bad_input", test_bad_input },
    { "enomem", test_enomem },
    { NULL, NULL },
};
