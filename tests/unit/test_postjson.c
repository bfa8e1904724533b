/* SPDX-License-Identifier: MIT */
/*
 * Tests for common/postjson.c: default and dotted field maps, ids kept as
 * their exact text, escapes, per-field UTF-8 checks with byte offsets,
 * JSON errors with offsets, missing fields, depth limits, reuse of the
 * parser after a bad line, a 1 MB text, and every line of the recorded
 * Mastodon NDJSON fixture.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/lines.h"
#include "common/postjson.h"
#include "tests/unit/check.h"

/* Compares a borrowed string with "want" (NULL: the field must be missing). */
#define CHECK_FIELD(f, want)                                                  \
    do {                                                                      \
        const char *want_ = (want);                                           \
        if (want_ == NULL) {                                                  \
            CHECK_MSG((f).ptr == NULL && (f).len == 0, "%s should be missing", #f); \
        } else {                                                              \
            CHECK_MEM((f).ptr, (f).len, want_);                               \
        }                                                                     \
    } while (0)

static int parse(struct cnd_postjson *pj, const char *line, struct cnd_post *post)
{
    return cnd_postjson_parse(pj, line, strlen(line), post);
}

static void test_defaults(void)
{
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    struct cnd_post p;
    const char *line = "{\"id\":\"abc\",\"text\":\"hello world\",\"source\":\"mastodon\","
                       "\"created_at\":\"2025-07-17T20:03:39.000Z\",\"author\":\"someone\","
                       "\"url\":\"https://example.org/1\",\"lang\":\"en\",\"extra\":[1,{\"x\":2}]}";

    CHECK(pj != NULL);
    if (pj == NULL) {
        return;
    }
    CHECK_INT(parse(pj, line, &p), 0);
    CHECK_FIELD(p.id, "abc");
    CHECK_FIELD(p.text, "hello world");
    CHECK_FIELD(p.source, "mastodon");
    CHECK_FIELD(p.author, "someone");
    CHECK_FIELD(p.url, "https://example.org/1");
    CHECK_FIELD(p.lang, "en");
    CHECK_FIELD(p.created_raw, "2025-07-17T20:03:39.000Z");
    CHECK_INT(p.has_created_at, 1);
    CHECK_INT(p.created_at, 1752782619);
    CHECK_STR(cnd_postjson_error(pj), "");

    /* Optional fields may be missing or null; order does not matter. */
    CHECK_INT(parse(pj, "{\"lang\":null,\"text\":\"t\",\"author\":null,\"id\":\"9\"}", &p), 0);
    CHECK_FIELD(p.id, "9");
    CHECK_FIELD(p.text, "t");
    CHECK_FIELD(p.author, NULL);
    CHECK_FIELD(p.lang, NULL);
    CHECK_FIELD(p.url, NULL);
    CHECK_FIELD(p.source, NULL);
    CHECK_FIELD(p.created_raw, NULL);
    CHECK_INT(p.has_created_at, 0);
    cnd_postjson_free(pj);
    cnd_postjson_free(NULL);
}

static void test_created_at_forms(void)
{
    static const struct {
        const char *line;
        int has;
        int64_t t;
        const char *raw;
    } cases[] = {
        { "{\"id\":1,\"text\":\"\",\"created_at\":1752782619}", 1, 1752782619, "1752782619" },
        { "{\"id\":1,\"text\":\"\",\"created_at\":1752782619.75}", 1, 1752782619, "1752782619.75" },
        { "{\"id\":1,\"text\":\"\",\"created_at\":\"1752782619\"}", 1, 1752782619, "1752782619" },
        { "{\"id\":1,\"text\":\"\",\"created_at\":\"2025-07-18T01:33:39+05:30\"}", 1, 1752782619,
          "2025-07-18T01:33:39+05:30" },
        { "{\"id\":1,\"text\":\"\",\"created_at\":\"yesterday\"}", 0, 0, "yesterday" },
        { "{\"id\":1,\"text\":\"\",\"created_at\":1.4e9}", 0, 0, "1.4e9" },
        { "{\"id\":1,\"text\":\"\",\"created_at\":true}", 0, 0, NULL },
        { "{\"id\":1,\"text\":\"\",\"created_at\":{\"t\":1}}", 0, 0, NULL },
    };
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    size_t i;

    CHECK(pj != NULL);
    for (i = 0; pj != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_post p;

        CHECK_MSG(parse(pj, cases[i].line, &p) == 0, "case %zu: %s", i, cnd_postjson_error(pj));
        CHECK_MSG(p.has_created_at == cases[i].has, "case %zu: has_created_at %d", i,
                  p.has_created_at);
        if (cases[i].has) {
            CHECK_INT(p.created_at, cases[i].t);
        }
        CHECK_FIELD(p.created_raw, cases[i].raw);
    }
    cnd_postjson_free(pj);
}

static void test_dotted_paths(void)
{
    struct cnd_fieldmap map = { 0 };
    struct cnd_postjson *pj;
    struct cnd_post p;
    const char *line =
        "{\"acct\":\"decoy\",\"account.acct\":\"decoy2\","
        "\"other\":{\"uri\":\"wrong\",\"record\":{\"text\":\"wrong\"}},"
        "\"uri\":\"at://did:plc:x/app.bsky.feed.post/3k\","
        "\"account\":{\"id\":\"55\",\"acct\":\"alice@example.social\",\"url\":\"nope\","
        "\"deep\":{\"er\":{\"lang\":\"fr\"}}},"
        "\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"nested text\","
        "\"createdAt\":\"2025-05-19T12:00:00.123Z\"},"
        "\"list\":[{\"uri\":\"array decoy\"}],"
        "\"url\":\"https://example.org/p\"}";

    map.id = "uri";
    map.text = "record.text";
    map.author = "account.acct";
    map.created_at = "record.createdAt";
    map.lang = "account.deep.er.lang";
    map.source = "account.id";
    pj = cnd_postjson_new(&map);
    CHECK(pj != NULL);
    if (pj == NULL) {
        return;
    }
    CHECK_MSG(parse(pj, line, &p) == 0, "%s", cnd_postjson_error(pj));
    CHECK_FIELD(p.id, "at://did:plc:x/app.bsky.feed.post/3k");
    CHECK_FIELD(p.text, "nested text");
    CHECK_FIELD(p.author, "alice@example.social");
    CHECK_FIELD(p.lang, "fr");
    CHECK_FIELD(p.source, "55");
    CHECK_FIELD(p.url, "https://example.org/p");
    CHECK_INT(p.has_created_at, 1);
    CHECK_INT(p.created_at, 1747656000);

    /* A path through a value that is not an object finds nothing. */
    CHECK_INT(parse(pj, "{\"uri\":\"1\",\"record\":\"flat\"}", &p), CND_ENOENT);
    CHECK_STR(cnd_postjson_error(pj), "missing \"record.text\"");
    CHECK_FIELD(p.id, "1");
    CHECK_INT(parse(pj, "{\"uri\":\"1\",\"record\":[{\"text\":\"in array\"}]}", &p), CND_ENOENT);
    cnd_postjson_free(pj);

    /* Malformed paths are refused. */
    map.text = "a..b";
    CHECK(cnd_postjson_new(&map) == NULL);
    map.text = ".a";
    CHECK(cnd_postjson_new(&map) == NULL);
    map.text = "a.";
    CHECK(cnd_postjson_new(&map) == NULL);
    map.text = "";
    CHECK(cnd_postjson_new(&map) == NULL);
}

static void test_ids(void)
{
    static const struct {
        const char *line;
        const char *id;
    } cases[] = {
        { "{\"id\":114870361973436726,\"text\":\"x\"}", "114870361973436726" },
        { "{\"id\":18446744073709551616123,\"text\":\"x\"}", "18446744073709551616123" },
        { "{\"id\":-42,\"text\":\"x\"}", "-42" },
        { "{\"id\":1.50e3,\"text\":\"x\"}", "1.50e3" },
        { "{\"id\":\"114870361973436726\",\"text\":\"x\"}", "114870361973436726" },
        { "{\"id\" : \"t3_abc\" , \"text\" : \"x\" }", "t3_abc" },
        { "{\"id\":\"1\",\"text\":\"x\",\"id\":\"2\"}", "2" },   /* last one wins */
    };
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    size_t i;

    CHECK(pj != NULL);
    for (i = 0; pj != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_post p;

        CHECK_MSG(parse(pj, cases[i].line, &p) == 0, "case %zu: %s", i, cnd_postjson_error(pj));
        CHECK_FIELD(p.id, cases[i].id);
    }
    cnd_postjson_free(pj);
}

static void test_escapes(void)
{
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    struct cnd_post p;

    CHECK(pj != NULL);
    if (pj == NULL) {
        return;
    }
    CHECK_INT(parse(pj, "{\"id\":\"1\",\"text\":\"caf\\u00e9\"}", &p), 0);
    CHECK_FIELD(p.text, "caf\xc3\xa9");
    CHECK_INT(parse(pj, "{\"id\":\"1\",\"text\":\"smile \\ud83d\\ude00!\"}", &p), 0);
    CHECK_FIELD(p.text, "smile \xf0\x9f\x98\x80!");
    CHECK_INT(parse(pj, "{\"id\":\"1\",\"text\":\"a\\\"b\\\\c\\/d\\n\\t\\u003cp\\u003e\"}", &p), 0);
    CHECK_FIELD(p.text, "a\"b\\c/d\n\t<p>");
    /* Raw UTF-8 next to escapes, in several escaped fields at once. */
    CHECK_INT(parse(pj, "{\"id\":\"\\u0031\\u0032\",\"text\":\"Nat\xc3\xbc\\u00fcrlich \\\"x\\\"\","
                        "\"author\":\"\\u00e9\\u00e8\"}", &p), 0);
    CHECK_FIELD(p.id, "12");
    CHECK_FIELD(p.text, "Nat\xc3\xbc\xc3\xbcrlich \"x\"");
    CHECK_FIELD(p.author, "\xc3\xa9\xc3\xa8");
    /* A lone low surrogate decodes to bytes that are not UTF-8. */
    CHECK_INT(parse(pj, "{\"id\":\"1\",\"text\":\"x\\udc00\"}", &p), CND_EUTF8);
    CHECK_STR(cnd_postjson_error(pj), "invalid UTF-8 in \"text\" at byte 18");
    cnd_postjson_free(pj);
}

static void test_invalid_utf8(void)
{
    struct cnd_fieldmap map = { 0 };
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    struct cnd_post p;

    CHECK(pj != NULL);
    if (pj == NULL) {
        return;
    }
    /* byte:                     0123456789012345678901 */
    CHECK_INT(parse(pj, "{\"id\":\"77\",\"text\":\"ab\xff\"}", &p), CND_EUTF8);
    CHECK_FIELD(p.id, "77");
    CHECK_FIELD(p.text, NULL);
    CHECK_STR(cnd_postjson_error(pj), "invalid UTF-8 in \"text\" at byte 21");
    /* With escapes before the bad byte, the offset is still in the line. */
    CHECK_INT(parse(pj, "{\"id\":\"77\",\"text\":\"\\\"q\\\" \xc3(\"}", &p), CND_EUTF8);
    CHECK_STR(cnd_postjson_error(pj), "invalid UTF-8 in \"text\" at byte 25");
    CHECK_FIELD(p.id, "77");
    /* Overlong and surrogate forms, raw. */
    CHECK_INT(parse(pj, "{\"id\":\"77\",\"text\":\"\xc0\xaf\"}", &p), CND_EUTF8);
    CHECK_INT(parse(pj, "{\"id\":\"77\",\"text\":\"\xed\xa0\x80\"}", &p), CND_EUTF8);
    /* In another mapped field. */
    CHECK_INT(parse(pj, "{\"id\":\"77\",\"text\":\"fine\",\"author\":\"\xfe\"}", &p), CND_EUTF8);
    CHECK_STR(cnd_postjson_error(pj), "invalid UTF-8 in \"author\" at byte 35");
    CHECK_FIELD(p.id, "77");
    /* In the id itself: no id to report. */
    CHECK_INT(parse(pj, "{\"id\":\"7\xff\",\"text\":\"fine\"}", &p), CND_EUTF8);
    CHECK_STR(cnd_postjson_error(pj), "invalid UTF-8 in \"id\" at byte 8");
    CHECK_FIELD(p.id, NULL);
    /* Unmapped fields and keys are not checked: one bad byte there is fine. */
    CHECK_INT(parse(pj, "{\"id\":\"77\",\"note\":\"\xff\xfe\",\"k\xff\":1,\"text\":\"fine\"}", &p), 0);
    CHECK_FIELD(p.text, "fine");
    cnd_postjson_free(pj);

    /* The message names the configured field. */
    map.text = "content";
    pj = cnd_postjson_new(&map);
    CHECK(pj != NULL);
    if (pj != NULL) {
        CHECK_INT(parse(pj, "{\"id\":\"1\",\"content\":\"\xe2\x82\"}", &p), CND_EUTF8);
        CHECK_STR(cnd_postjson_error(pj), "invalid UTF-8 in \"content\" at byte 21");
        cnd_postjson_free(pj);
    }
}

struct err_case {
    const char *line;
    int code;
    const char *msg;   /* exact message */
    const char *id;    /* id still reported, or NULL */
};

static const struct err_case errors[] = {
    { "{\"id\":\"1\",\"text\":\"x\",}", CND_EPARSE,
      "invalid JSON at byte 22: parse error: invalid object key (must be a string)", "1" },
    { "{\"id\":\"1\",\"text\":tru}", CND_EPARSE,
      "invalid JSON at byte 20: lexical error: invalid string in json text", "1" },
    { "{\"id\":\"1\",\"text\":\"abc", CND_EPARSE,
      "invalid JSON at byte 21: parse error: premature EOF", "1" },
    { "{\"id\":\"1\" \"text\":\"x\"}", CND_EPARSE,
      "invalid JSON at byte 12: parse error: after key and value, inside map, I expect ',' or '}'",
      "1" },
    { "", CND_EPARSE, "invalid JSON at byte 0: empty line", NULL },
    { "   ", CND_EPARSE, "invalid JSON at byte 0: empty line", NULL },
    { " \r\n", CND_EPARSE, "invalid JSON at byte 0: empty line", NULL },
    { "[{\"id\":\"1\",\"text\":\"x\"}]", CND_EPARSE, "line is not a JSON object at byte 0", NULL },
    { "  \"text\"", CND_EPARSE, "line is not a JSON object at byte 2", NULL },
    { "42", CND_EPARSE, "line is not a JSON object at byte 0", NULL },
    { "null", CND_EPARSE, "line is not a JSON object at byte 0", NULL },
    { "{\"id\":\"1\",\"text\":\"x\"} 12", CND_EPARSE, "trailing data after the object at byte 22",
      "1" },
    { "{\"id\":\"1\",\"text\":\"x\"}{\"id\":\"2\"}", CND_EPARSE,
      "trailing data after the object at byte 21", "1" },
    { "{\"id\":\"1\",\"text\":\"x\"}]", CND_EPARSE,
      "invalid JSON at byte 22: parse error: unallowed token at this point in JSON text", "1" },
    { "{\"text\":\"x\"}", CND_ENOENT, "missing \"id\"", NULL },
    { "{\"id\":\"5\"}", CND_ENOENT, "missing \"text\"", "5" },
    { "{\"id\":null,\"text\":\"x\"}", CND_ENOENT, "missing \"id\"", NULL },
    { "{\"id\":\"5\",\"text\":null}", CND_ENOENT, "missing \"text\"", "5" },
    { "{\"id\":\"5\",\"text\":\"x\",\"text\":null}", CND_ENOENT, "missing \"text\"", "5" },
    { "{\"id\":\"1\",\"id\":null,\"text\":\"x\"}", CND_ENOENT, "missing \"id\"", NULL },
    { "{\"id\":\"5\",\"text\":17}", CND_EPARSE, "\"text\" is not a string", "5" },
    { "{\"id\":\"5\",\"text\":[\"a\"]}", CND_EPARSE, "\"text\" is not a string", "5" },
    { "{\"id\":true,\"text\":\"x\"}", CND_EPARSE, "\"id\" is not a string or a number", NULL },
    { "{\"id\":{\"a\":1},\"text\":\"x\"}", CND_EPARSE, "\"id\" is not a string or a number", NULL },
    { "{}", CND_ENOENT, "missing \"id\"", NULL },
};

static void test_errors(void)
{
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    size_t i;

    CHECK(pj != NULL);
    for (i = 0; pj != NULL && i < sizeof(errors) / sizeof(errors[0]); i++) {
        struct cnd_post p;
        int ret = parse(pj, errors[i].line, &p);

        CHECK_MSG(ret == errors[i].code, "case %zu: ret %d, want %d", i, ret, errors[i].code);
        CHECK_MSG(strcmp(cnd_postjson_error(pj), errors[i].msg) == 0,
                  "case %zu: message '%s', want '%s'", i, cnd_postjson_error(pj), errors[i].msg);
        CHECK_FIELD(p.id, errors[i].id);
        CHECK_FIELD(p.text, NULL);
        /* And the reader still works on the next line. */
        CHECK_INT(parse(pj, "{\"id\":\"ok\",\"text\":\"fine\"}", &p), 0);
        CHECK_FIELD(p.id, "ok");
        CHECK_FIELD(p.text, "fine");
    }
    cnd_postjson_free(pj);
}

/* Builds {"id":"d","text":"t","x":[[[...]]]} with "levels" levels in all. */
static char *nested(unsigned levels, int use_maps)
{
    const char *head = "{\"id\":\"d\",\"text\":\"t\",\"x\":";
    size_t hl = strlen(head), inner = levels - 2, i, n = 0;
    char *s = malloc(hl + inner * (use_maps ? 6 : 2) + 8);

    if (s == NULL) {
        return NULL;
    }
    memcpy(s, head, hl);
    n = hl;
    for (i = 0; i < inner; i++) {
        if (use_maps) {
            memcpy(s + n, "{\"k\":", 5);
            n += 5;
        } else {
            s[n++] = '[';
        }
    }
    s[n++] = '[';
    s[n++] = ']';
    for (i = 0; i < inner; i++) {
        s[n++] = use_maps ? '}' : ']';
    }
    s[n++] = '}';
    s[n] = '\0';
    return s;
}

static void test_depth(void)
{
    static const struct {
        unsigned levels;
        int maps;
        int code;
    } cases[] = {
        { 64, 0, 0 },
        { 64, 1, 0 },
        { 65, 0, CND_ELIMIT },
        { 65, 1, CND_ELIMIT },
        { 100000, 0, CND_ELIMIT },
        { 100000, 1, CND_ELIMIT },
    };
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    size_t i;

    CHECK(pj != NULL);
    for (i = 0; pj != NULL && i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = nested(cases[i].levels, cases[i].maps);
        struct cnd_post p;
        int ret;

        CHECK(s != NULL);
        if (s == NULL) {
            continue;
        }
        ret = parse(pj, s, &p);
        CHECK_MSG(ret == cases[i].code, "case %zu: ret %d (%s)", i, ret, cnd_postjson_error(pj));
        CHECK_FIELD(p.id, "d");
        if (cases[i].code == CND_ELIMIT) {
            CHECK(strncmp(cnd_postjson_error(pj), "nesting deeper than 64 levels at byte ", 38) == 0);
        }
        free(s);
    }
    cnd_postjson_free(pj);
}

static void test_reuse(void)
{
    static const struct {
        const char *line;
        int code;
        const char *id;
    } seq[] = {
        { "{\"id\":\"1\",\"text\":\"a\"}", 0, "1" },
        { "{\"id\":\"2\",\"text\":\"b\"}", 0, "2" },
        { "{\"id\":\"3\",\"text\":\"cut in ha", CND_EPARSE, "3" },
        { "{\"id\":\"4\",\"text\":\"d\"}", 0, "4" },
        { "{\"id\":\"5\",\"text\":\"e\"} 123", CND_EPARSE, "5" },
        { "{\"id\":\"6\",\"text\":\"f\"}", 0, "6" },
        { "{\"id\":\"7\",", CND_EPARSE, "7" },
        { "\"id\":\"8\",\"text\":\"g\"}", CND_EPARSE, NULL },
        { "{\"id\":\"9\",\"text\":\"h\"}", 0, "9" },
        { "   {\"id\":\"10\",\"text\":\"i\"}  \r\n", 0, "10" },
        { "{\"id\":\"11\",\"text\":\"j\"}", 0, "11" },
    };
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    size_t i;

    CHECK(pj != NULL);
    for (i = 0; pj != NULL && i < sizeof(seq) / sizeof(seq[0]); i++) {
        struct cnd_post p;
        int ret = parse(pj, seq[i].line, &p);

        CHECK_MSG(ret == seq[i].code, "line %zu: ret %d (%s)", i, ret, cnd_postjson_error(pj));
        CHECK_FIELD(p.id, seq[i].id);
    }
    cnd_postjson_free(pj);
}

static void test_big_text(void)
{
    size_t n = 1024 * 1024, i, len;
    const char *head = "{\"id\":\"big\",\"text\":\"";
    char *line = malloc(n * 2 + 64), *want = malloc(n + 1);
    struct cnd_postjson *pj = cnd_postjson_new(NULL);
    struct cnd_post p;

    CHECK(line != NULL && want != NULL && pj != NULL);
    if (line == NULL || want == NULL || pj == NULL) {
        free(line);
        free(want);
        cnd_postjson_free(pj);
        return;
    }
    len = strlen(head);
    memcpy(line, head, len);
    for (i = 0; i < n; i++) {
        char c = (char)('a' + i % 26);

        if (i % 1000 == 999) {
            c = '"';
            line[len++] = '\\';
        }
        line[len++] = c;
        want[i] = c;
    }
    want[n] = '\0';
    memcpy(line + len, "\"}", 3);
    len += 2;
    CHECK_INT(cnd_postjson_parse(pj, line, len, &p), 0);
    CHECK_INT(p.text.len, n);
    CHECK(p.text.len == n && memcmp(p.text.ptr, want, n) == 0);
    /* And a small line after it. */
    CHECK_INT(parse(pj, "{\"id\":\"s\",\"text\":\"small\"}", &p), 0);
    CHECK_FIELD(p.text, "small");
    free(line);
    free(want);
    cnd_postjson_free(pj);
}

static void test_mastodon_fixture(void)
{
    const char *path = CND_SHARED_DIR "/fixtures/generic/DERIVED_mastodon_public_statuses.ndjson";
    struct cnd_fieldmap map = { 0 };
    struct cnd_postjson *pj;
    struct cnd_lines *lr;
    const char *line;
    size_t len;
    uint64_t no;
    int st, n = 0, bad = 0;

    map.id = "id";
    map.text = "content";
    map.created_at = "created_at";
    map.author = "account.acct";
    map.url = "url";
    map.lang = "language";
    pj = cnd_postjson_new(&map);
    lr = cnd_lines_open(path, NULL, NULL);
    CHECK(pj != NULL && lr != NULL);
    if (pj == NULL || lr == NULL) {
        cnd_postjson_free(pj);
        cnd_lines_close(lr);
        return;
    }
    while ((st = cnd_lines_next(lr, &line, &len, &no)) == CND_LINES_OK) {
        struct cnd_post p;
        int ret = cnd_postjson_parse(pj, line, len, &p);

        n++;
        if (ret != 0 || p.text.len == 0 || !p.has_created_at || p.author.len == 0 ||
            p.url.len == 0 || p.lang.len != 2) {
            bad++;
            fprintf(stderr, "line %llu: %d %s\n", (unsigned long long)no, ret,
                    cnd_postjson_error(pj));
        }
        if (no == 1) {
            CHECK_FIELD(p.id, "114870361973436726");
            CHECK_FIELD(p.author, "Michael@weatherby2378.social");
            /* The status url, not account.url. */
            CHECK_FIELD(p.url, "https://weatherby2378.social/@Michael/114870361736604310");
            CHECK_FIELD(p.lang, "de");
            /* 2025-07-17T20:03:39.000Z, not account.created_at. */
            CHECK_FIELD(p.created_raw, "2025-07-17T20:03:39.000Z");
            CHECK_INT(p.created_at, 1752782619);
            CHECK(p.text.len > 40 &&
                  memcmp(p.text.ptr, "<p>Nat\xc3\xbc\xc3\xbcrlich.</p><p>\"The UK and Germany", 40) == 0);
            CHECK_INT(p.text.len, 421);
        }
        if (no == 7) {
            CHECK_FIELD(p.id, "114870361801875117");
            CHECK_FIELD(p.author, "spreadsmile.official@threads.net");
            CHECK_INT(p.created_at, 1752781710); /* 2025-07-17T19:48:30.000Z */
        }
        if (no == 20) {
            CHECK_FIELD(p.id, "114870361500887110");
            CHECK_FIELD(p.author, "EscapeFlightsCHI");
            CHECK_FIELD(p.url, "https://mastodon.social/@EscapeFlightsCHI/114870361500887110");
            CHECK_FIELD(p.lang, "en");
            CHECK(p.text.len > 20 && memcmp(p.text.ptr, "<p>Cheap Flights: Phoenix", 25) == 0);
        }
    }
    CHECK_INT(st, CND_LINES_EOF);
    CHECK_INT(n, 20);
    CHECK_INT(bad, 0);
    cnd_lines_close(lr);
    cnd_postjson_free(pj);
}

static void test_truncated_fixture(void)
{
    const char *path = CND_SHARED_DIR
        "/fixtures/generic/DERIVED_mastodon_public_statuses_truncated_last_line.ndjson";
    struct cnd_fieldmap map = { 0 };
    struct cnd_postjson *pj;
    struct cnd_lines *lr;
    const char *line;
    size_t len;
    uint64_t no;
    int st, ok = 0;

    map.text = "content";
    pj = cnd_postjson_new(&map);
    lr = cnd_lines_open(path, NULL, NULL);
    CHECK(pj != NULL && lr != NULL);
    if (pj == NULL || lr == NULL) {
        cnd_postjson_free(pj);
        cnd_lines_close(lr);
        return;
    }
    while ((st = cnd_lines_next(lr, &line, &len, &no)) == CND_LINES_OK) {
        struct cnd_post p;

        ok += cnd_postjson_parse(pj, line, len, &p) == 0;
    }
    CHECK_INT(ok, 19);
    CHECK_INT(st, CND_LINES_PARTIAL);
    if (st == CND_LINES_PARTIAL) {
        struct cnd_post p;

        /* The cut line fails, but names its id. */
        CHECK_INT(cnd_postjson_parse(pj, line, len, &p), CND_EPARSE);
        CHECK_FIELD(p.id, "114870361500887110");
        CHECK(strncmp(cnd_postjson_error(pj), "invalid JSON at byte ", 21) == 0);
    }
    cnd_lines_close(lr);
    cnd_postjson_free(pj);
}

static void test_alloc_failures(void)
{
    /*
     * Make each allocation in turn fail: the constructor returns NULL and a
     * parse that needs the arena returns CND_ENOMEM, never crashes or leaks
     * (LeakSanitizer checks the latter).
     */
    struct cnd_fieldmap map = { 0 };
    const char *line = "{\"id\":\"1\",\"text\":\"esc\\\"aped\",\"a\":{\"b\":\"c\\nd\"}}";
    unsigned long n;
    int built = 0, nomem = 0;

    map.author = "a.b";
    for (n = 1; n < 40; n++) {
        struct cnd_postjson *pj;
        struct cnd_post p;
        int ret;

        cnd_alloc_fail_at(n);
        pj = cnd_postjson_new(&map);
        if (pj == NULL) {
            cnd_alloc_fail_at(0);
            continue;
        }
        built++;
        ret = parse(pj, line, &p);
        cnd_alloc_fail_at(0);
        if (ret == CND_ENOMEM) {
            nomem++;
            CHECK_STR(cnd_postjson_error(pj), "out of memory at byte 28");
        } else {
            CHECK_INT(ret, 0);
            CHECK_FIELD(p.text, "esc\"aped");
            CHECK_FIELD(p.author, "c\nd");
        }
        cnd_postjson_free(pj);
    }
    CHECK(built > 0);
    CHECK(nomem > 0);
}

TEST_LIST = {
    { "defaults", test_defaults },
    { "created_at_forms", test_created_at_forms },
    { "dotted_paths", test_dotted_paths },
    { "ids", test_ids },
    { "escapes", test_escapes },
    { "invalid_utf8", test_invalid_utf8 },
    { "errors", test_errors },
    { "depth", test_depth },
    { "reuse", test_reuse },
    { "big_text", test_big_text },
    { "mastodon_fixture", test_mastodon_fixture },
    { "truncated_fixture", test_truncated_fixture },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
