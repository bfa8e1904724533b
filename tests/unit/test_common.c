/* SPDX-License-Identifier: MIT */
/* Unit tests: buffers, JSON string escaping, hashing, allocation failures. */
#include <stdint.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/hash.h"
#include "common/strs.h"
#include "check.h"

static void test_buf_grow_and_cap(void)
{
    struct cnd_buf b;
    int i;

    cnd_buf_init(&b, 0);
    for (i = 0; i < 1000; i++) {
        CHECK_INT(cnd_buf_addc(&b, (char)('a' + i % 26)), 0);
    }
    CHECK_INT(b.len, 1000);
    CHECK_INT(b.data[1000], 0);
    CHECK(b.data[27] == 'b');
    cnd_buf_release(&b);

    cnd_buf_init(&b, 8);
    CHECK_INT(cnd_buf_adds(&b, "12345678"), 0);
    CHECK_INT(cnd_buf_addc(&b, '9'), CND_ETOOBIG);
    CHECK_INT(cnd_buf_adds(&b, "x"), CND_ETOOBIG);
    CHECK_MEM(b.data, b.len, "12345678");
    cnd_buf_reset(&b);
    CHECK_INT(b.len, 0);
    CHECK_INT(cnd_buf_addf(&b, "%d-%s", 42, "ok"), 0);
    CHECK_STR(b.data, "42-ok");
    CHECK_INT(cnd_buf_addf(&b, "%s", "toolong"), CND_ETOOBIG);
    CHECK_STR(b.data, "42-ok");
    cnd_buf_release(&b);
    cnd_buf_release(NULL);
}

static void test_buf_json(void)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        { "plain", 5, "\"plain\"" },
        { "q\"b\\s/", 6, "\"q\\\"b\\\\s/\"" },
        { "a\nb\tc\r", 6, "\"a\\nb\\tc\\r\"" },
        { "nul\0x\x01\x1f", 7, "\"nul\\u0000x\\u0001\\u001f\"" },
        { "caf\xc3\xa9 \xf0\x9f\x98\xa1", 10, "\"caf\xc3\xa9 \xf0\x9f\x98\xa1\"" },
        { "", 0, "\"\"" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_buf b;

        cnd_buf_init(&b, 0);
        CHECK_INT(cnd_buf_add_json_str(&b, cases[i].in, cases[i].len), 0);
        CHECK_STR(b.data, cases[i].out);
        cnd_buf_release(&b);
    }
}

static void test_buf_i64_detach(void)
{
    struct cnd_buf b;
    char *s;

    cnd_buf_init(&b, 0);
    CHECK_INT(cnd_buf_add_i64(&b, 0), 0);
    CHECK_INT(cnd_buf_addc(&b, ' '), 0);
    CHECK_INT(cnd_buf_add_i64(&b, -9223372036854775807LL - 1), 0);
    CHECK_INT(cnd_buf_addc(&b, ' '), 0);
    CHECK_INT(cnd_buf_add_i64(&b, 114870361973436726LL), 0);
    CHECK_STR(b.data, "0 -9223372036854775808 114870361973436726");
    s = cnd_buf_detach(&b);
    CHECK_STR(s, "0 -9223372036854775808 114870361973436726");
    CHECK(b.data == NULL && b.len == 0);
    cnd_free(s);
    s = cnd_buf_detach(&b);
    CHECK_STR(s, "");
    cnd_free(s);
}

static void test_sha256(void)
{
    /* Known answers from FIPS 180-4 examples. */
    static const struct {
        const char *in;
        const char *hex;
    } cases[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    struct cnd_sha256 s;
    char hex[65];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        cnd_sha256_init(&s);
        cnd_sha256_update(&s, cases[i].in, strlen(cases[i].in));
        cnd_sha256_final_hex(&s, hex);
        CHECK_STR(hex, cases[i].hex);
    }
    /* One million 'a', fed in odd-sized pieces. */
    {
        char block[997];

        memset(block, 'a', sizeof(block));
        cnd_sha256_init(&s);
        for (i = 0; i < 1000000 / sizeof(block); i++) {
            cnd_sha256_update(&s, block, sizeof(block));
        }
        cnd_sha256_update(&s, block, 1000000 % sizeof(block));
        cnd_sha256_final_hex(&s, hex);
        CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
}

static void test_hash64(void)
{
    uint64_t a = cnd_hash64("mastodon\x1f" "123", 12, 0);
    uint64_t b = cnd_hash64("mastodon\x1f" "124", 12, 0);
    uint64_t c = cnd_hash64("mastodon\x1f" "123", 12, 0);
    uint64_t seen[4096];
    char key[32];
    int i, j, collisions = 0;

    CHECK(a == c);
    CHECK(a != b);
    CHECK(cnd_hash64("", 0, 0) != cnd_hash64("", 0, 1));
    CHECK(cnd_hash64("a", 1, 0) != cnd_hash64("a\0", 2, 0));
    for (i = 0; i < 4096; i++) {
        int n = snprintf(key, sizeof(key), "id-%d", i);

        seen[i] = cnd_hash64(key, (size_t)n, 0);
        for (j = 0; j < i; j++) {
            collisions += seen[j] == seen[i];
        }
    }
    CHECK_INT(collisions, 0);
}

static void test_alloc_failure(void)
{
    struct cnd_buf b;
    char *s;

    cnd_alloc_fail_at(1);
    CHECK(cnd_malloc(10) == NULL);
    CHECK(cnd_strdup("x") == NULL);
    cnd_buf_init(&b, 0);
    CHECK_INT(cnd_buf_adds(&b, "hello"), CND_ENOMEM);
    CHECK(b.data == NULL && b.len == 0);
    cnd_alloc_fail_at(0);
    s = cnd_strdup("ok");
    CHECK_STR(s, "ok");
    cnd_free(s);
    CHECK_STR(cnd_strerror(CND_ETRUNC), "truncated input");
    CHECK_STR(cnd_strerror(12345), "unknown error");
}

/* Base64: the test vectors of RFC 4648, and bytes above 0x7f. */
static void test_base64(void)
{
    static const char *const in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    static const char *const out[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=",
                                       "Zm9vYmFy" };
    static const unsigned char high[] = { 0xff, 0xfe, 0x80 };
    struct cnd_buf b;
    size_t i;

    cnd_buf_init(&b, 0);
    for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
        cnd_buf_reset(&b);
        CHECK_INT(cnd_buf_add_base64(&b, (const unsigned char *)in[i], strlen(in[i])), 0);
        CHECK_MEM(b.data ? b.data : "", b.len, out[i]);
    }
    cnd_buf_reset(&b);
    CHECK_INT(cnd_buf_add_base64(&b, high, sizeof(high)), 0);
    CHECK_STR(b.data, "//6A");
    cnd_buf_release(&b);
    cnd_buf_init(&b, 3);    /* a capped buffer: too small for the 4 characters */
    CHECK_INT(cnd_buf_add_base64(&b, (const unsigned char *)"abc", 3), CND_ETOOBIG);
    cnd_buf_release(&b);
}

/* Sorted string lookup: found at its index, else where it would go. */
static void test_strs_find(void)
{
    static const char *const v[] = { "Alpha", "beta", "delta", "gamma" };

    CHECK_INT(cnd_strs_find(v, 4, "Alpha"), 0);
    CHECK_INT(cnd_strs_find(v, 4, "gamma"), 3);
    CHECK_INT(cnd_strs_find(v, 4, "delta"), 2);
    CHECK_INT(cnd_strs_find(v, 4, "alpha"), -1 - 1);   /* byte order: 'A' < 'a' < 'b' */
    CHECK_INT(cnd_strs_find(v, 4, "A"), -1 - 0);
    CHECK_INT(cnd_strs_find(v, 4, "zeta"), -1 - 4);
    CHECK_INT(cnd_strs_find(v, 4, "charlie"), -1 - 2);
    CHECK_INT(cnd_strs_find(v, 0, "x"), -1);
}

TEST_LIST = {
    { "buf_grow_and_cap", test_buf_grow_and_cap },
    { "buf_json", test_buf_json },
    { "buf_i64_detach", test_buf_i64_detach },
    { "sha256", test_sha256 },
    { "hash64", test_hash64 },
    { "strs_find", test_strs_find },
    { "base64", test_base64 },
    { "alloc_failure", test_alloc_failure },
    { NULL, NULL },
};
