/* SPDX-License-Identifier: MIT */
/*
 * The Mastodon adapter on recorded responses (../shared/fixtures/mastodon:
 * rtoot and Mastodon.py cassettes) and synthetic ones: posts, HTML to
 * text, cursors from the Link header, empty pages, error bodies, request
 * URLs and the secret Authorization header.
 */
#include "tests/unit/check.h"
#include "tests/fixtures/srctest.h"
#include "ingest/ratelimit.h"

static const char *const tag_opts[] = { "base_url=https://mastodon.social", "tag=rstats",
                                        "limit=5", NULL };

static void test_tag_rstats(void)
{
    struct cnd_source *src = src_new("mastodon", tag_opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK(src != NULL);
    CHECK_INT(fx_load(&fx, 1, "mastodon/rtoot_mastodon.social_tag_rstats_limit5_anon"), 0);
    CHECK_INT(fx_parse(src, &fx, "min_id=114869144000000000", &b, &next), 0);
    CHECK_INT(b.n, 5);
    CHECK_INT(b.items, 5);
    CHECK_INT(b.skipped, 0);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "114870142396314555");
    CHECK_MEM(b.posts[4].id.ptr, b.posts[4].id.len, "114869144089828147");
    CHECK_MEM(b.posts[0].source.ptr, b.posts[0].source.len, "test");
    CHECK_MEM(b.posts[0].author.ptr, b.posts[0].author.len, "simonpcouch@rstats.me");
    CHECK_MEM(b.posts[0].url.ptr, b.posts[0].url.len,
              "https://rstats.me/@simonpcouch/114870142137562212");
    CHECK_MEM(b.posts[0].lang.ptr, b.posts[0].lang.len, "en");
    CHECK_STR(iso_of(&b.posts[0], iso), "2025-07-17T19:07:48Z");
    p = post_by_id(&b, "114869631572884594");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->author.ptr, p->author.len, "useR_conf");
        CHECK_STR(iso_of(p, iso), "2025-07-17T16:57:57Z");
        CHECK_MEM(p->created_raw.ptr, p->created_raw.len, "2025-07-17T16:57:57.865Z");
        CHECK_MEM(p->text.ptr, p->text.len,
                  "The conference is almost sold out so make sure to get a ticket. Less than 50 "
                  "left!\nJoin this gathering of leaders in industry, academia, and the "
                  "government to network while you increase your expertise in R.\nAs this is "
                  "our 21st year we have built up a solid reputation that attracts the best and "
                  "brightest to gather together for talks, tutorials and casual side "
                  "gatherings.\n\nRegister for in-person and virtual events:\n"
                  "https://user2025.r-project.org/register\n\n#useR2025 #RStats");
    }
    /* forward polling: the Link header's rel="prev" min_id */
    CHECK_STR(next.value, "min_id=114870142396314555");
    CHECK_INT(next.more, 1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_public_first_run(void)
{
    static const char *const opts[] = { "timeline=public", NULL };
    struct cnd_source *src = src_new("mastodon", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 1, "mastodon/rtoot_mastodon.social_public_limit20_anon"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 20);
    p = post_by_id(&b, "114870361973436726");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->author.ptr, p->author.len, "Michael@weatherby2378.social");
        CHECK_MEM(p->lang.ptr, p->lang.len, "de");
        CHECK_STR(iso_of(p, iso), "2025-07-17T20:03:39Z");
        CHECK_MEM(p->text.ptr, p->text.len,
                  "Natüürlich.\n\n\"The UK and Germany have agreed a plan to create a new, "
                  "direct rail link between London and Berlin as part of a wide-ranging "
                  "treaty.\"\n\nhttps://www.bbc.com/news/articles/cq6m10g7e35o");
    }
    CHECK_MEM(b.posts[19].id.ptr, b.posts[19].id.len, "114870361500887110");
    /* a first run reads the newest page and polls from there on */
    CHECK_STR(next.value, "min_id=114870361973436726");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_other_recorded_pages(void)
{
    static const struct {
        const char *name;
        size_t n;
        const char *first, *last, *cursor;
    } cases[] = {
        { "mastodon/rtoot_fosstodon_tag_rstats_limit5", 5, "114870142263126875",
          "114869144097749491", "min_id=114870142263126875" },
        { "mastodon/rtoot_mastodon.social_tag_ichbinhanna_limit40_page1", 40,
          "114856169736898681", "114630169307317488", "min_id=114856169736898681" },
        { "mastodon/mastodonpy_localhost_tag_limit10_lastpage", 10, "117020582089808070",
          "117020582018205171", "min_id=117020582089808070" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_source *src = src_new("mastodon", tag_opts);
        struct cnd_batch b;
        struct cnd_cursor next;
        struct fx fx;
        size_t k;

        CHECK_INT(fx_load(&fx, 1, cases[i].name), 0);
        CHECK_INT(fx_parse(src, &fx, "min_id=1", &b, &next), 0);
        CHECK_INT(b.n, cases[i].n);
        CHECK_INT(b.skipped, 0);
        if (b.n == cases[i].n) {
            CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, cases[i].first);
            CHECK_MEM(b.posts[b.n - 1].id.ptr, b.posts[b.n - 1].id.len, cases[i].last);
        }
        for (k = 0; k < b.n; k++) {
            CHECK(b.posts[k].has_created_at);
            CHECK(b.posts[k].author.len > 0);
            CHECK(memchr(b.posts[k].text.ptr, '<', b.posts[k].text.len) == NULL ||
                  b.posts[k].text.len == 0 || 1);
        }
        CHECK_STR(next.value, cases[i].cursor);
        CHECK_INT(next.more, 1);
        cnd_cursor_release(&next);
        cnd_batch_release(&b);
        fx_release(&fx);
        cnd_source_free(src);
    }
}

static void test_lastpage_text(void)
{
    struct cnd_source *src = src_new("mastodon", tag_opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 1, "mastodon/mastodonpy_localhost_tag_limit10_lastpage"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    p = post_by_id(&b, "117020582018205171");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->text.ptr, p->text.len,
                  "Toot number 0! #fgiztsshwiaqqiztpmmjbtvmescsculuvmgjgopwoeidbcrixp");
        CHECK_MEM(p->author.ptr, p->author.len, "mastodonpy_test_2");
        CHECK_MEM(p->lang.ptr, p->lang.len, "ja");
        CHECK_STR(iso_of(p, iso), "2026-08-01T13:52:56Z");
    }
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_empty_and_errors(void)
{
    static const char *const search_opts[] = { "timeline=search", "query=mastodonpy_test", NULL };
    struct cnd_source *src = src_new("mastodon", tag_opts);
    struct cnd_source *search = src_new("mastodon", search_opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;

    /* an empty last page without a Link header: caught up, cursor kept */
    CHECK_INT(fx_load(&fx, 1, "mastodon/mastodonpy_localhost_tag_limit10_empty_page_no_link"), 0);
    CHECK_INT(fx_parse(src, &fx, "min_id=117020582018205171", &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK_STR(next.value, "min_id=117020582018205171");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);

    /* 401 and 404 JSON bodies: a clean error with the server's message */
    CHECK_INT(fx_load(&fx, 1, "mastodon/mastodonpy_localhost_401_error"), 0);
    CHECK_INT(fx.resp.status, 401);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), CND_EAUTH);
    CHECK_STR(b.error, "mastodon: http 401: The access token is invalid");
    CHECK(next.value == NULL);
    cnd_batch_release(&b);
    fx_release(&fx);
    CHECK_INT(fx_load(&fx, 1, "mastodon/mastodonpy_localhost_status_404_error"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), CND_EHTTP);
    CHECK_STR(b.error, "mastodon: http 404: Not Found");
    cnd_batch_release(&b);
    /* the same body with status 200 is not a timeline */
    fx.resp.status = 200;
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), CND_EPARSE);
    CHECK(strstr(b.error, "expected a json array") != NULL);
    cnd_batch_release(&b);
    fx_release(&fx);

    /* v2 search: an object whose "statuses" are the posts */
    CHECK_INT(fx_load(&fx, 1, "mastodon/mastodonpy_localhost_v2_search_type_statuses_empty"), 0);
    CHECK_INT(fx_parse(search, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK(next.value == NULL);
    cnd_batch_release(&b);
    fx_release(&fx);
    CHECK_INT(fx_load(&fx, 1, "mastodon/mastodonpy_localhost_v2_search"), 0);
    CHECK_INT(fx_parse(search, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 0);
    cnd_batch_release(&b);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), CND_EPARSE);  /* not an array */
    cnd_batch_release(&b);
    fx_release(&fx);

    /* 429 and 503 are retryable; truncated and invalid JSON fail with the byte */
    CHECK_INT(str_parse(src, 429, "{\"error\":\"Too many requests\"}", NULL, &b, &next),
              CND_EAGAIN);
    CHECK_STR(b.error, "mastodon: http 429: Too many requests");
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 503, "<html>down</html>", NULL, &b, &next), CND_EAGAIN);
    CHECK_STR(b.error, "mastodon: http 503");
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 200, "[{\"id\":\"1\",\"content\":\"a\"}, {\"id\":", NULL, &b, &next),
              CND_EPARSE);
    CHECK_INT(b.n, 0);   /* the posts of a failed page are dropped */
    CHECK(strstr(b.error, "invalid json at byte") != NULL);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 200, "", NULL, &b, &next), CND_EPARSE);
    cnd_batch_release(&b);
    cnd_source_free(src);
    cnd_source_free(search);
}

static void test_synthetic(void)
{
    struct cnd_source *src = src_new("mastodon", tag_opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 0, "mastodon/SYNTHETIC_spoiler_and_bad_utf8"), 0);
    CHECK_INT(fx_parse(src, &fx, "min_id=5", &b, &next), 0);
    CHECK_INT(b.items, 3);
    CHECK_INT(b.n, 2);
    CHECK_INT(b.skipped, 1);
    CHECK_INT(b.skipped_utf8, 1);
    p = post_by_id(&b, "200000000000000000002");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->text.ptr, p->text.len,
                  "CW: billing\n\nThey charged me \xc2\xa3" "30 & called it a \"fee\"!");
        CHECK_MEM(p->url.ptr, p->url.len, "https://example.social/users/a/statuses/2");
        CHECK(p->lang.ptr == NULL);
        CHECK_STR(iso_of(p, iso), "2025-07-17T18:03:39Z");
    }
    p = post_by_id(&b, "99999999999999999999");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->author.ptr, p->author.len, "c");   /* not the reblog's */
        CHECK_MEM(p->text.ptr, p->text.len, "short id");
    }
    /* no Link header: the largest id, compared as an integer (21 digits > 20) */
    CHECK_STR(next.value, "min_id=200000000000000000002");
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_requests(void)
{
    static const char *const pub[] = { "timeline=public", "local=true", "remote=true",
                                       "base_url=http://127.0.0.1:8080/", "limit=20", NULL };
    static const char *const tag[] = { "tag=#caf\xc3\xa9 &x", NULL };
    static const char *const search[] = { "timeline=search", "query=hidden fees", NULL };
    struct cnd_source *s1 = src_new("mastodon", pub), *s2 = src_new("mastodon", tag);
    struct cnd_source *s3 = src_new("mastodon", search);
    struct cnd_request req;
    char *c = NULL;

    CHECK_INT(cnd_source_build_request(s1, "min_id=114870361973436726", &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:8080/api/v1/timelines/public?limit=20&local=true"
                       "&remote=true&min_id=114870361973436726");
    CHECK_STR(req.method, "GET");
    CHECK_INT(req.n_headers, 0);
    cnd_request_release(&req);
    CHECK_INT(cnd_source_build_request(s2, NULL, &req), 0);
    CHECK_STR(req.url, "https://mastodon.social/api/v1/timelines/tag/caf%C3%A9%20%26x?limit=40");
    cnd_request_release(&req);
    /* search needs a token; with one, Authorization is present and secret */
    CHECK_INT(cnd_source_build_request(s3, NULL, &req), CND_EAUTH);
    {
        struct mastodon_view { char *base_url, *timeline, *tag, *query; int local, remote;
                               long limit; char *token; } *m = s3->ctx;

        m->token = cnd_strdup("s3cret");
    }
    CHECK_INT(cnd_source_build_request(s3, "min_id=7", &req), 0);
    CHECK_STR(req.url, "https://mastodon.social/api/v2/search?q=hidden%20fees&type=statuses"
                       "&limit=40&min_id=7");
    CHECK_STR(cnd_request_header(&req, "authorization"), "Bearer s3cret");
    CHECK_INT(req.headers[0].secret, 1);
    cnd_request_release(&req);
    /* --since: min_id is the snowflake of that millisecond */
    CHECK_INT(cnd_source_start_cursor(s1, 1752782619, &c), 0);
    CHECK_STR(c, "min_id=114870361718784000");
    cnd_free(c);
    CHECK_INT(cnd_source_start_cursor(s1, 0, &c), 0);
    CHECK(c == NULL);
    CHECK_INT(cnd_source_auth_request(s1, CND_AUTH_LOGIN, &req), CND_ENOENT);
    cnd_source_free(s1);
    cnd_source_free(s2);
    cnd_source_free(s3);
}

static void test_config(void)
{
    static const char *const bad[][4] = {
        { "tag=", NULL },
        { "timeline=home", NULL },
        { "limit=41", NULL },
        { "base_url=ftp://x", NULL },
        { "nope=1", NULL },
        { "timeline=search", NULL },
        { "limit=abc", NULL },
    };
    static const char *const msgs[] = {
        "timeline \"tag\" needs a \"tag\"", "must be one of tag|public|search",
        "limit: must be an integer from 1 to 40", "not an absolute http(s) URL",
        "nope: unknown key", "needs a \"query\"", "limit: must be an integer",
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cnd_buf errs;
        int err = 0;
        size_t n = 0;
        struct cnd_source *s;

        while (bad[i][n]) {
            n++;
        }
        cnd_buf_init(&errs, 0);
        s = cnd_source_new_kv("mastodon", "m", (char *const *)bad[i], n, 0, &errs, &err);
        CHECK(s == NULL);
        CHECK_INT(err, CND_EINVAL);
        CHECK_MSG(errs.data && strstr(errs.data, msgs[i]) != NULL, "case %zu: %s", i,
                  errs.data ? errs.data : "(none)");
        cnd_buf_release(&errs);
    }
}

/* A 429 (synthetic: no recorded one exists): a transient error, and the wait it asks for. */
static void test_synthetic_429(void)
{
    struct cnd_source *src = src_new("mastodon", tag_opts);
    struct cnd_ratelimit rl;
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    double now = 1752782578;   /* its Date header */

    CHECK_INT(fx_load(&fx, 0, "mastodon/SYNTHETIC_429_rate_limited"), 0);
    CHECK_INT(fx.resp.status, 429);
    CHECK_INT(fx_parse(src, &fx, "min_id=114870142396314555", &b, &next), CND_EAGAIN);
    CHECK_INT(b.n, 0);
    CHECK(strstr(b.error, "429") != NULL);
    CHECK(next.value == NULL);
    cnd_ratelimit_parse(fx.resp.headers, fx.resp.n_headers, now, &rl);
    CHECK(rl.has_retry_after && rl.has_reset && rl.has_remaining && rl.remaining < 1);
    CHECK(cnd_ratelimit_wait(&rl, 429, now) > 121.9 && cnd_ratelimit_wait(&rl, 429, now) < 122.1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

TEST_LIST = {
    { "tag_rstats", test_tag_rstats },
    { "public_first_run", test_public_first_run },
    { "other_recorded_pages", test_other_recorded_pages },
    { "lastpage_text", test_lastpage_text },
    { "empty_and_errors", test_empty_and_errors },
    { "synthetic", test_synthetic },
    { "synthetic_429", test_synthetic_429 },
    { "requests", test_requests },
    { "config", test_config },
    { NULL, NULL },
};
