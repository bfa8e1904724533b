/* SPDX-License-Identifier: MIT */
/*
 * Tests of the seen-post set (output/seen.c): new and repeated keys,
 * key 0, growth through many keys, allocation failure while growing, and
 * the post key (source + id).
 */
#include <stdint.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "output/output.h"
#include "check.h"

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

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

static void test_basic(void)
{
    struct cnd_seen *s = cnd_seen_new();

    CHECK(s != NULL);
    if (s == NULL) {
        return;
    }
    CHECK_INT(cnd_seen_count(s), 0);
    CHECK_INT(cnd_seen_add(s, 42), 1);
    CHECK_INT(cnd_seen_add(s, 42), 0);
    CHECK_INT(cnd_seen_add(s, 43), 1);
    CHECK_INT(cnd_seen_add(s, UINT64_MAX), 1);
    CHECK_INT(cnd_seen_add(s, UINT64_MAX), 0);
    CHECK_INT(cnd_seen_count(s), 3);
    cnd_seen_free(s);
    cnd_seen_free(NULL);
}

static void test_zero_key(void)
{
    struct cnd_seen *s = cnd_seen_new();

    CHECK(s != NULL);
    if (s == NULL) {
        return;
    }
    CHECK_INT(cnd_seen_add(s, 0), 1);
    CHECK_INT(cnd_seen_add(s, 0), 0);
    CHECK_INT(cnd_seen_count(s), 1);
    /* 0 did not become "empty": the set still tells other keys apart. */
    CHECK_INT(cnd_seen_add(s, 1), 1);
    CHECK_INT(cnd_seen_add(s, 0), 0);
    CHECK_INT(cnd_seen_count(s), 2);
    cnd_seen_free(s);
}

/* Sequential, random and high-bits-only keys, each pass then repeated. */
static void test_many_keys(void)
{
    enum { N = 200000 };
    struct cnd_seen *s = cnd_seen_new();
    uint64_t state = 7, i;
    unsigned long new_first = 0, new_again = 0;

    CHECK(s != NULL);
    if (s == NULL) {
        return;
    }
    for (i = 1; i <= N; i++) {
        new_first += (unsigned long)cnd_seen_add(s, i);
        new_first += (unsigned long)cnd_seen_add(s, splitmix(&state));
        new_first += (unsigned long)cnd_seen_add(s, i << 40);
    }
    CHECK_INT(new_first, 3 * N);
    CHECK_INT(cnd_seen_count(s), 3 * N);
    state = 7;
    for (i = 1; i <= N; i++) {
        new_again += (unsigned long)cnd_seen_add(s, i);
        new_again += (unsigned long)cnd_seen_add(s, splitmix(&state));
        new_again += (unsigned long)cnd_seen_add(s, i << 40);
    }
    CHECK_INT(new_again, 0);
    CHECK_INT(cnd_seen_count(s), 3 * N);
    /* Keys never added are still new. */
    CHECK_INT(cnd_seen_add(s, (uint64_t)N + 1), 1);
    CHECK_INT(cnd_seen_add(s, ((uint64_t)N + 1) << 40), 1);
    cnd_seen_free(s);
}

/* Growing fails cleanly: the set keeps its keys and stays usable. */
static void test_grow_enomem(void)
{
    struct cnd_seen *s = cnd_seen_new();
    uint64_t k;
    int ret = 1;

    CHECK(s != NULL);
    if (s == NULL) {
        return;
    }
    cnd_alloc_fail_at(1);
    for (k = 1; k <= 64 && ret == 1; k++) {
        ret = cnd_seen_add(s, k * 1000);
    }
    cnd_alloc_fail_at(0);
    CHECK_INT(ret, CND_ENOMEM);
    /* The 8-slot table takes 4 keys before it must grow. */
    CHECK_INT(cnd_seen_count(s), 4);
    CHECK_INT(cnd_seen_add(s, 1000), 0);
    CHECK_INT(cnd_seen_add(s, 4000), 0);
    CHECK_INT(cnd_seen_add(s, 5000), 1);
    CHECK_INT(cnd_seen_count(s), 5);
    cnd_seen_free(s);
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

TEST_LIST = {
    { "basic", test_basic },
    { "zero_key", test_zero_key },
    { "many_keys", test_many_keys },
    { "grow_enomem", test_grow_enomem },
    { "post_key", test_post_key },
    { NULL, NULL },
};
