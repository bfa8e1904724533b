/* SPDX-License-Identifier: MIT */
/*
 * The Reddit adapter on recorded OAuth listings (PRAW cassettes) and
 * synthetic ones: t3 and t1 items, deleted items skipped, created_utc
 * floats, before/after cursors, the token request and response.
 */
#include "tests/unit/check.h"
#include "tests/fixtures/srctest.h"

static const char *const opts[] = { "subreddit=all", NULL };

static void test_new_4items(void)
{
    struct cnd_source *src = src_new("reddit", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 1, "reddit/oauth_r_all_new_before_cursor_4items"), 0);
    CHECK_INT(fx_parse(src, &fx, "before=t3_5jo13y", &b, &next), 0);
    CHECK_INT(b.n, 4);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "t3_5jo144");
    CHECK_MEM(b.posts[3].id.ptr, b.posts[3].id.len, "t3_5jo140");
    CHECK_MEM(b.posts[0].author.ptr, b.posts[0].author.len, "3joan");
    CHECK_MEM(b.posts[0].url.ptr, b.posts[0].url.len, "https://www.reddit.com/r/UpliftingNews/"
              "comments/5jo144/newly_discovered_disease_could_hold_key_to/");
    CHECK_STR(iso_of(&b.posts[0], iso), "2016-12-22T02:17:32Z");
    CHECK(b.posts[0].lang.ptr == NULL);
    p = post_by_id(&b, "t3_5jo141");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK(p->text.len > 100);
        CHECK(strncmp(p->text.ptr, "LF: Lure Ball Gible and Friend Ball Snorlax/Munchl", 50) == 0);
        CHECK(strstr(p->text.ptr, "\n\n[casual] I have the following:\n\n* HA Mareanie") != NULL);
        CHECK_STR(iso_of(p, iso), "2016-12-22T02:17:31Z");
    }
    /* forward polling: the newest fullname of the page */
    CHECK_STR(next.value, "before=t3_5jo144");
    CHECK_INT(next.more, 1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_askreddit_page(void)
{
    static const char *const o[] = { "subreddit=askreddit", NULL };
    struct cnd_source *src = src_new("reddit", o);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 1, "reddit/oauth_r_askreddit_new_limit100_page1"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 100);
    CHECK_INT(b.skipped, 0);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "t3_48fbm9");
    CHECK_MEM(b.posts[99].id.ptr, b.posts[99].id.len, "t3_48f6io");
    p = post_by_id(&b, "t3_48fax4");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->text.ptr, p->text.len, "Redditors who work/worked for their parents or "
                  "relatives companies, how did other employees feel about you?\n\n.");
        CHECK_MEM(p->author.ptr, p->author.len, "AuganM");
        CHECK_STR(iso_of(p, iso), "2016-03-01T08:29:58Z");
    }
    /* a first run: poll from the newest on, no walking back */
    CHECK_STR(next.value, "before=t3_48fbm9");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_empty_and_deleted(void)
{
    struct cnd_source *src = src_new("reddit", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;

    CHECK_INT(fx_load(&fx, 1, "reddit/oauth_r_all_comments_before_cursor_empty"), 0);
    CHECK_INT(fx_parse(src, &fx, "before=t1_dbhn11d", &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK_STR(next.value, "before=t1_dbhn11d");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    CHECK_INT(fx_load(&fx, 1, "reddit/oauth_user_listing_empty"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK(next.value == NULL);
    cnd_batch_release(&b);
    fx_release(&fx);
    CHECK_INT(fx_load(&fx, 1, "reddit/oauth_api_info_deleted_comment"), 0);
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK_INT(b.items, 1);
    CHECK_INT(b.skipped_deleted, 1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_synthetic(void)
{
    static const char *const o[] = { "subreddit=Scams", "listing=comments", NULL };
    struct cnd_source *src = src_new("reddit", o);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    char iso[21];

    CHECK_INT(fx_load(&fx, 0, "reddit/SYNTHETIC_comments_mixed"), 0);
    CHECK_INT(fx_parse(src, &fx, "before=t1_zz", &b, &next), 0);
    CHECK_INT(b.items, 5);
    CHECK_INT(b.n, 2);
    CHECK_INT(b.skipped, 3);
    CHECK_INT(b.skipped_deleted, 1);
    CHECK_INT(b.skipped_utf8, 1);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "t1_zzzz");
    CHECK_MEM(b.posts[1].id.ptr, b.posts[1].id.len, "t1_1000a");
    /* raw_json=1: the text is not HTML, nothing to decode or strip */
    CHECK_MEM(b.posts[1].text.ptr, b.posts[1].text.len, "They added a <hidden> fee & more");
    CHECK_MEM(b.posts[1].url.ptr, b.posts[1].url.len,
              "https://www.reddit.com/r/Scams/comments/x/y/1000a/");
    CHECK_STR(iso_of(&b.posts[1], iso), "2025-01-02T03:04:05Z");
    /* fullnames compare as base-36 numbers: t1_1000a is newer than t1_zzzz */
    CHECK_STR(next.value, "before=t1_1000a");
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_since_walk(void)
{
    struct cnd_source *src = src_new("reddit", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct cnd_request req;
    struct fx fx;
    char *c = NULL;

    CHECK_INT(cnd_source_start_cursor(src, 1482373000, &c), 0);
    CHECK_STR(c, "since=1482373000");
    /* a page entirely after "since", with "after": walk on */
    CHECK_INT(fx_load(&fx, 1, "reddit/oauth_r_all_new_before_cursor_4items"), 0);
    CHECK_INT(str_parse(src, 200, "{\"kind\":\"Listing\",\"data\":{\"after\":\"t3_5jo140\","
              "\"children\":[{\"kind\":\"t3\",\"data\":{\"name\":\"t3_5jo144\",\"title\":\"x\","
              "\"created_utc\":1482373052.0}},{\"kind\":\"t3\",\"data\":{\"name\":\"t3_5jo140\","
              "\"title\":\"y\",\"created_utc\":1482373051.0}}]}}", c, &b, &next), 0);
    CHECK_STR(next.value, "since=1482373000&after=t3_5jo140&newest=t3_5jo144");
    CHECK_INT(next.more, 1);
    CHECK_INT(cnd_source_build_request(src, next.value, &req), 0);
    CHECK_STR(req.url, "https://oauth.reddit.com/r/all/new?limit=100&raw_json=1&after=t3_5jo140");
    cnd_request_release(&req);
    cnd_free(c);
    c = next.value;
    next.value = NULL;
    cnd_batch_release(&b);
    /* a page reaching before "since": switch to polling from the newest */
    CHECK_INT(str_parse(src, 200, "{\"kind\":\"Listing\",\"data\":{\"after\":\"t3_5jo100\","
              "\"children\":[{\"kind\":\"t3\",\"data\":{\"name\":\"t3_5jo139\",\"title\":\"x\","
              "\"created_utc\":1482372000.5}}]}}", c, &b, &next), 0);
    CHECK_STR(next.value, "before=t3_5jo144");
    CHECK_INT(next.more, 0);
    cnd_free(c);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_requests_and_token(void)
{
    static const char *const o[] = { "subreddit=Scams", "listing=search", "query=hidden fee",
                                     "base_url=http://127.0.0.1:1", "limit=25",
                                     "token_url=http://127.0.0.1:1/token", NULL };
    struct cnd_source *src = src_new("reddit", o);
    struct cnd_request req;
    struct cnd_response resp;
    int64_t exp = 0;
    char err[200];
    struct rv { char *base_url, *token_url, *web_url, *subreddit, *listing, *query; long limit;
                char *client_id, *client_secret, *username, *password; } *ctx = src->ctx;

    CHECK_INT(cnd_source_build_request(src, "before=t3_abc", &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:1/r/Scams/search?q=hidden%20fee&restrict_sr=1&sort=new"
                       "&limit=25&raw_json=1&before=t3_abc");
    CHECK_INT(req.n_headers, 0);
    cnd_request_release(&req);
    CHECK_INT(cnd_source_auth_request(src, CND_AUTH_LOGIN, &req), CND_ENOENT);
    ctx->client_id = cnd_strdup("id");
    ctx->client_secret = cnd_strdup("secret");
    CHECK_INT(cnd_source_auth_request(src, CND_AUTH_LOGIN, &req), 0);
    CHECK_STR(req.method, "POST");
    CHECK_STR(req.url, "http://127.0.0.1:1/token");
    CHECK_STR(cnd_request_header(&req, "Authorization"), "Basic aWQ6c2VjcmV0");
    CHECK_INT(req.headers[0].secret, 1);
    CHECK_MEM(req.body, req.body_len, "grant_type=client_credentials");
    CHECK_STR(req.content_type, "application/x-www-form-urlencoded");
    cnd_request_release(&req);
    ctx->username = cnd_strdup("bot");
    ctx->password = cnd_strdup("p&ss word");
    CHECK_INT(cnd_source_auth_request(src, CND_AUTH_REFRESH, &req), 0);
    CHECK_MEM(req.body, req.body_len, "grant_type=password&username=bot&password=p%26ss%20word");
    CHECK_INT(req.body_secret, 1);
    cnd_request_release(&req);
    memset(&resp, 0, sizeof(resp));
    resp.status = 200;
    resp.body = "{\"error\": \"invalid_grant\"}";
    resp.len = strlen(resp.body);
    CHECK_INT(cnd_source_auth_parse(src, &resp, &exp, err, sizeof(err)), CND_EAUTH);
    CHECK_STR(err, "reddit token: invalid_grant");
    resp.body = "{\"access_token\": \"tok\", \"token_type\": \"bearer\", \"expires_in\": 86400, "
                "\"scope\": \"*\"}";
    resp.len = strlen(resp.body);
    CHECK_INT(cnd_source_auth_parse(src, &resp, &exp, err, sizeof(err)), 0);
    CHECK_INT(exp, 86400);
    CHECK_INT(cnd_source_build_request(src, NULL, &req), 0);
    CHECK_STR(cnd_request_header(&req, "Authorization"), "Bearer tok");
    CHECK_INT(req.headers[0].secret, 1);
    cnd_request_release(&req);
    cnd_source_free(src);
}

TEST_LIST = {
    { "new_4items", test_new_4items },
    { "askreddit_page", test_askreddit_page },
    { "empty_and_deleted", test_empty_and_deleted },
    { "synthetic", test_synthetic },
    { "since_walk", test_since_walk },
    { "requests_and_token", test_requests_and_token },
    { NULL, NULL },
};
