/* SPDX-License-Identifier: MIT */
/*
 * The generic adapter (JSON with configured paths, NDJSON) on the derived
 * NDJSON dumps in ../shared/fixtures/generic and synthetic feeds; every
 * adapter against hostile input (deep nesting, huge strings, wrong types,
 * invalid UTF-8, garbage); and source configuration checks against the
 * example config.
 */
#include "tests/unit/check.h"
#include "tests/fixtures/srctest.h"

static const char *const nd_opts[] = {
    "url=https://mastodon.social/api/v1/timelines/public", "format=ndjson", "html=true",
    "fields.text=content", "fields.author=account.acct", "fields.lang=language", NULL,
};

static void test_ndjson(void)
{
    struct cnd_source *src = src_new("generic", nd_opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK(src != NULL);
    CHECK_INT(fx_load(&fx, 1, "generic/DERIVED_mastodon_public_statuses.ndjson"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 20);
    CHECK_INT(b.skipped, 0);
    p = post_by_id(&b, "114870361973436726");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->author.ptr, p->author.len, "Michael@weatherby2378.social");
        CHECK_MEM(p->lang.ptr, p->lang.len, "de");
        CHECK_MEM(p->url.ptr, p->url.len, "https://weatherby2378.social/@Michael/114870361736604310");
        CHECK_STR(iso_of(p, iso), "2025-07-17T20:03:39Z");
        CHECK(p->text.len > 10 && strncmp(p->text.ptr, "Natüürlich.\n\n\"The UK", 22) == 0);
    }
    CHECK_MEM(b.posts[19].id.ptr, b.posts[19].id.len, "114870361500887110");
    CHECK(next.value == NULL);
    CHECK_INT(next.more, 0);
    cnd_batch_release(&b);
    fx_release(&fx);
    /* a cut last line: the page does not count (nothing half-read is kept) */
    CHECK_INT(fx_load(&fx, 1, "generic/DERIVED_mastodon_public_statuses_truncated_last_line.ndjson"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), CND_EPARSE);
    CHECK_INT(b.n, 0);
    CHECK(strstr(b.error, "generic: invalid json at byte") != NULL);
    cnd_batch_release(&b);
    fx_release(&fx);
    /* empty body: no posts */
    CHECK_INT(str_parse(src, 200, "", NULL, &b, &next), 0);
    CHECK_INT(b.n, 0);
    cnd_batch_release(&b);
    cnd_source_free(src);
}

static const char *const feed_opts[] = {
    "url=https://forum.example.org/api/posts.json", "items=data.posts", "cursor=data.next",
    "fields.id=uid", "fields.text=body", "fields.created_at=created", "fields.author=user.name",
    "fields.url=permalink", "fields.lang=locale", "html=true", "limit=50", NULL,
};

static void test_feed_cursor(void)
{
    struct cnd_source *src = src_new("generic", feed_opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct cnd_request req;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK(src != NULL);
    CHECK_INT(fx_load(&fx, 0, "generic/SYNTHETIC_feed_page1"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.items, 5);
    CHECK_INT(b.n, 2);
    CHECK_INT(b.skipped, 3);   /* text a number, not an object, no id */
    p = post_by_id(&b, "1001");   /* a numeric id, as its text */
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->text.ptr, p->text.len, "Sold as \"new\", arrived used");
        CHECK_MEM(p->author.ptr, p->author.len, "ann");
        CHECK_MEM(p->lang.ptr, p->lang.len, "en");
        CHECK_STR(iso_of(p, iso), "2025-01-02T03:04:05Z");
    }
    p = post_by_id(&b, "1002");
    CHECK(p != NULL && !p->has_created_at);
    CHECK_STR(next.value, "cursor=c2");
    CHECK_INT(next.more, 1);
    CHECK_INT(cnd_source_build_request(src, next.value, &req), 0);
    CHECK_STR(req.url, "https://forum.example.org/api/posts.json?limit=50&cursor=c2");
    cnd_request_release(&req);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    /* a body without the cursor: the run ends, the last cursor is kept */
    CHECK_INT(str_parse(src, 200, "{\"data\":{\"posts\":[]}}", "cursor=c2", &b, &next), 0);
    CHECK_STR(next.value, "cursor=c2");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 200, "[]", NULL, &b, &next), CND_EPARSE);
    cnd_batch_release(&b);
    cnd_source_free(src);
}

static void test_link_and_page(void)
{
    static const char *const link_opts[] = { "url=https://api.example.org/v1/items",
                                             "paging=link", NULL };
    static const char *const page_opts[] = { "url=http://127.0.0.1:3/items?x=1", "paging=page",
                                             "page_param=p", "page_start=0", NULL };
    struct cnd_source *ls = src_new("generic", link_opts), *ps = src_new("generic", page_opts);
    struct cnd_header h[1];
    struct cnd_response resp;
    struct cnd_batch b;
    struct cnd_cursor next;
    struct cnd_request req;
    const char *body = "[{\"id\":\"a\",\"text\":\"t\"}]";

    memset(&resp, 0, sizeof(resp));
    resp.status = 200;
    resp.body = body;
    resp.len = strlen(body);
    resp.headers = h;
    resp.n_headers = 1;
    h[0].name = "link";
    h[0].value = "<https://api.example.org/v1/items?after=a>; rel=\"next\"";
    CHECK_INT(cnd_batch_init(&b, "g"), 0);
    cnd_cursor_init(&next);
    CHECK_INT(cnd_source_parse(ls, &resp, NULL, &b, &next), 0);
    CHECK_INT(b.n, 1);
    CHECK_MEM(b.posts[0].source.ptr, b.posts[0].source.len, "g");
    CHECK_STR(next.value, "url=https%3A%2F%2Fapi.example.org%2Fv1%2Fitems%3Fafter%3Da");
    CHECK_INT(next.more, 1);
    CHECK_INT(cnd_source_build_request(ls, next.value, &req), 0);
    CHECK_STR(req.url, "https://api.example.org/v1/items?after=a");
    cnd_request_release(&req);
    /* a Link to another host is not followed (it would get our token) */
    h[0].value = "<https://evil.example.com/steal>; rel=\"next\"";
    CHECK_INT(cnd_source_parse(ls, &resp, "url=x", &b, &next), 0);
    CHECK_STR(next.value, "url=x");
    CHECK_INT(next.more, 0);
    CHECK_INT(cnd_source_build_request(ls, "url=https%3A%2F%2Fevil.example.com%2F", &req), 0);
    CHECK_STR(req.url, "https://api.example.org/v1/items");
    cnd_request_release(&req);
    cnd_cursor_release(&next);
    /* page numbers */
    resp.n_headers = 0;
    CHECK_INT(cnd_source_build_request(ps, NULL, &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:3/items?x=1&p=0");
    cnd_request_release(&req);
    CHECK_INT(cnd_source_parse(ps, &resp, NULL, &b, &next), 0);
    CHECK_STR(next.value, "page=1");
    CHECK_INT(next.more, 1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(ps, 200, "[]", "page=4", &b, &next), 0);
    CHECK(next.value == NULL);
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    cnd_source_free(ls);
    cnd_source_free(ps);
}

/* ---- Hostile input, every adapter ---- */

static const char *const *kind_opts(const char *kind)
{
    static const char *const m[] = { NULL };
    static const char *const bs[] = { "query=x", NULL };
    static const char *const r[] = { "subreddit=x", NULL };
    static const char *const g[] = { "url=http://x/", NULL };

    if (strcmp(kind, "bluesky") == 0) {
        return bs;
    }
    if (strcmp(kind, "reddit") == 0) {
        return r;
    }
    if (strcmp(kind, "generic") == 0) {
        return g;
    }
    if (strcmp(kind, "mastodon") == 0) {
        static const char *const mt[] = { "tag=x", NULL };

        (void)m;
        return mt;
    }
    return m;
}

static void test_hostile(void)
{
    size_t k, depth = 100000, big = 3u << 20, i;
    char *deep = cnd_malloc(2 * depth + 1), *huge = cnd_malloc(big + 64);
    static const char *const junk[] = {
        "nul\0l", "{\"a\":", "[1,2", "\xff\xfe",
        "{\"posts\":\"x\",\"hits\":7,\"data\":[],\"comments\":{\"a\":1}}", "[[[[]]]]", "[null,true,1e999,\"s\",{}]", "{}{}", "123",
        "\"str\"", "[{\"id\":{\"x\":[1]},\"content\":[\"x\"],\"account\":\"acct\"}]",
    };

    for (i = 0; i < depth; i++) {
        deep[i] = '[';
        deep[2 * depth - 1 - i] = ']';
    }
    deep[2 * depth] = '\0';
    memcpy(huge, "[{\"id\":\"1\",\"content\":\"", 22);
    memset(huge + 22, 'a', big);
    memcpy(huge + 22 + big, "\",\"text\":\"t\"}]", 15);
    for (k = 0; cnd_source_kinds[k]; k++) {
        const char *kind = cnd_source_kinds[k]->name;
        struct cnd_source *src = src_new(kind, kind_opts(kind));
        struct cnd_batch b;
        struct cnd_cursor next;
        int ret;

        CHECK_MSG(src != NULL, "%s", kind);
        if (src == NULL) {
            continue;
        }
        ret = str_parse(src, 200, deep, NULL, &b, &next);
        CHECK_MSG(ret == CND_ELIMIT, "%s: deep nesting gave %d", kind, ret);
        CHECK_MSG(strstr(b.error, "nesting deeper than") != NULL, "%s: %s", kind, b.error);
        cnd_batch_release(&b);
        ret = str_parse(src, 200, huge, NULL, &b, &next);
        CHECK_MSG(ret == 0 || ret == CND_EPARSE, "%s: huge string gave %d", kind, ret);
        CHECK_MSG(b.n == 0 || b.posts[0].text.len < 2 * big, "%s", kind);
        cnd_batch_release(&b);
        cnd_cursor_release(&next);
        for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
            ret = str_parse(src, 200, junk[i], NULL, &b, &next);
            CHECK_MSG(ret == 0 || ret == CND_EPARSE, "%s: junk %zu gave %d", kind, i, ret);
            CHECK_MSG(ret == 0 || b.error[0] != '\0', "%s: junk %zu without a message", kind, i);
            cnd_batch_release(&b);
            cnd_cursor_release(&next);
        }
        /* an error status is never parsed as posts */
        ret = str_parse(src, 502, "[{\"id\":\"1\"}]", NULL, &b, &next);
        CHECK_INT(ret, CND_EAGAIN);
        CHECK_INT(b.n, 0);
        cnd_batch_release(&b);
        cnd_source_free(src);
    }
    cnd_free(deep);
    cnd_free(huge);
}

static void test_huge_field_skipped(void)
{
    static const char *const opts[] = { "tag=x", NULL };
    struct cnd_source *src = src_new("mastodon", opts);
    size_t big = 2u << 20;
    char *body = cnd_malloc(big + 200);
    struct cnd_batch b;
    struct cnd_cursor next;
    size_t n;

    n = (size_t)sprintf(body, "[{\"id\":\"1\",\"content\":\"");
    memset(body + n, 'a', big);
    n += big;
    strcpy(body + n, "\"},{\"id\":\"2\",\"content\":\"ok\"}]");
    CHECK_INT(str_parse(src, 200, body, NULL, &b, &next), 0);
    CHECK_INT(b.n, 1);
    CHECK_INT(b.skipped, 1);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "2");
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    cnd_free(body);
    cnd_source_free(src);
}

/* ---- Configuration ---- */

static void test_example_config(void)
{
    struct cnd_config cfg;
    char err[4096];
    size_t i;

    CHECK_INT(cnd_config_load(CND_SRC_DIR "/config/candor.example.json", &cfg, err, sizeof(err)), 0);
    CHECK(cfg.sources != NULL && cfg.sources->n == 6);
    for (i = 0; cfg.sources != NULL && i < cfg.sources->n; i++) {
        struct cnd_buf errs;
        struct cnd_source *src;
        int e = 0;

        cnd_buf_init(&errs, 0);
        src = cnd_source_new(cfg.sources->items[i], cfg.path, i, CND_SOURCE_NOENV, &errs, &e);
        CHECK_MSG(src != NULL, "sources[%zu]: %s", i, errs.data ? errs.data : cnd_strerror(e));
        cnd_source_free(src);
        cnd_buf_release(&errs);
    }
    cnd_config_release(&cfg);
}

static void test_config_errors(void)
{
    static const char text[] =
        "{\"sources\": [\n"
        "  {\"name\": \"a\", \"kind\": \"mastodon\", \"tag\": \"x\", \"limit\": \"40\",\n"
        "   \"colour\": 1,\n"
        "   \"token_env\": \"CND_TEST_SURELY_UNSET_VAR\"},\n"
        "  {\"name\": \"b\", \"kind\": \"reddit\"},\n"
        "  {\"name\": \"c\", \"kind\": \"myspace\"},\n"
        "  {\"name\": \"d\", \"kind\": \"generic\", \"url\": \"http://x\", \"fields\": {\"id\": 3, \"x\": \"y\"},\n"
        "   \"enabled\": \"yes\", \"max_pages\": 2.5}\n"
        "]}\n";
    static const char *const want[] = {
        "cfg.json:2: sources[0].limit: must be an integer\n"
        "cfg.json:3: sources[0].colour: unknown key\n"
        "cfg.json:4: sources[0].token_env: environment variable CND_TEST_SURELY_UNSET_VAR is not set\n",
        "cfg.json:5: sources[1].subreddit: missing required key\n",
        "cfg.json:6: sources[2].kind: unknown kind \"myspace\"",
        "cfg.json:8: sources[3].enabled: must be true or false\n"
        "cfg.json:8: sources[3].max_pages: must be an integer\n"
        "cfg.json:7: sources[3].fields.id: must be a string\n"
        "cfg.json:7: sources[3].fields.x: unknown key\n",
    };
    struct cnd_jval *root;
    const struct cnd_jval *srcs;
    char err[256];
    size_t i;

    root = cnd_jval_parse("cfg.json", text, strlen(text), err, sizeof(err));
    CHECK(root != NULL);
    srcs = root ? cnd_jval_get(root, "sources") : NULL;
    for (i = 0; srcs != NULL && i < srcs->n; i++) {
        struct cnd_buf errs;
        struct cnd_source *src;
        int e = 0;

        cnd_buf_init(&errs, 0);
        src = cnd_source_new(srcs->items[i], "cfg.json", i, 0, &errs, &e);
        CHECK(src == NULL);
        CHECK_INT(e, CND_EINVAL);
        CHECK_MSG(errs.data && strncmp(errs.data, want[i], strlen(want[i])) == 0,
                  "sources[%zu]:\n%s---- want\n%s", i, errs.data ? errs.data : "", want[i]);
        cnd_buf_release(&errs);
    }
    cnd_jval_free(root);
}

static void test_helpers(void)
{
    char *v = NULL;

    CHECK(cnd_id_cmp("114870361973436726", 18, "99999999999999999", 17) > 0);
    CHECK(cnd_id_cmp("007", 3, "7", 1) == 0);
    CHECK(cnd_id_cmp("12345678901234567890123", 23, "12345678901234567890124", 23) < 0);
    CHECK_INT(cnd_link_find("<https://a/x?max_id=1>; rel=\"next\", <https://a/x?min_id=9>; "
                            "rel=\"prev\"", "prev", &v), 0);
    CHECK_STR(v, "https://a/x?min_id=9");
    cnd_free(v);
    CHECK_INT(cnd_link_find("<u1>; rel=\"prev next\"", "next", &v), 0);
    CHECK_STR(v, "u1");
    cnd_free(v);
    CHECK_INT(cnd_link_find("<u1>; title=\"a, b\"; rel=last, <u2>;rel=next", "next", &v), 0);
    CHECK_STR(v, "u2");
    cnd_free(v);
    CHECK_INT(cnd_link_find("<u1; rel=next", "next", &v), CND_ENOENT);
    CHECK_INT(cnd_link_find("garbage", "next", &v), CND_ENOENT);
    CHECK_INT(cnd_link_find(NULL, "next", &v), CND_ENOENT);
    CHECK_INT(cnd_cursor_get("a=1&b=x%26y%3D&c=", "b", &v), 0);
    CHECK_STR(v, "x&y=");
    cnd_free(v);
    CHECK_INT(cnd_cursor_get("a=1&b=%zz%4", "b", &v), 0);
    CHECK_STR(v, "%zz%4");
    cnd_free(v);
    CHECK_INT(cnd_cursor_get("a=1", "b", &v), CND_ENOENT);
    CHECK_INT(cnd_http_status_err(204), 0);
    CHECK_INT(cnd_http_status_err(403), CND_EAUTH);
    CHECK_INT(cnd_http_status_err(408), CND_EAGAIN);
    CHECK_INT(cnd_http_status_err(404), CND_EHTTP);
}

static void test_alloc_failures(void)
{
    unsigned long n;
    int ok_seen = 0;

    /* fail every allocation in turn: a clean error, never a crash or leak */
    for (n = 1; n < 400 && !ok_seen; n++) {
        struct cnd_source *src;
        struct cnd_batch b;
        struct cnd_cursor next;
        struct fx fx;
        int ret;

        if (fx_load(&fx, 0, "generic/SYNTHETIC_feed_page1") < 0) {
            break;
        }
        cnd_alloc_fail_at(n);
        src = src_new("generic", feed_opts);
        if (src == NULL) {
            cnd_alloc_fail_at(0);
            fx_release(&fx);
            continue;
        }
        ret = fx_parse(src, &fx, NULL, &b, &next);
        cnd_alloc_fail_at(0);
        CHECK_MSG(ret == 0 || ret == CND_ENOMEM, "allocation %lu: %d", n, ret);
        ok_seen = ret == 0;
        cnd_cursor_release(&next);
        cnd_batch_release(&b);
        cnd_source_free(src);
        fx_release(&fx);
    }
    CHECK(ok_seen);
}

TEST_LIST = {
    { "ndjson", test_ndjson },
    { "feed_cursor", test_feed_cursor },
    { "link_and_page", test_link_and_page },
    { "hostile", test_hostile },
    { "huge_field_skipped", test_huge_field_skipped },
    { "example_config", test_example_config },
    { "config_errors", test_config_errors },
    { "helpers", test_helpers },
    { "alloc_failures", test_alloc_failures },
    { NULL, NULL },
};
