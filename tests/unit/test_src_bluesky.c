/* SPDX-License-Identifier: MIT */
/*
 * The Bluesky adapter on the recorded searchPosts response (bskyr
 * cassette, 2025-05-19) and synthetic ones: posts, web URLs from at://
 * uris, the cursor (stop on a missing cursor, not a short page), expired
 * tokens, and the session login and refresh requests.
 */
#include "tests/unit/check.h"
#include "tests/fixtures/srctest.h"

static const char *const opts[] = { "query=redistricting", NULL };

static void test_recorded(void)
{
    struct cnd_source *src = src_new("bluesky", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 1, "bluesky/searchPosts_q-redistricting_2025-05-19"), 0);
    CHECK_INT(fx.resp.status, 200);
    CHECK_INT(fx_parse(src, &fx, "since=2025-05-18T00:00:00Z", &b, &next), 0);
    CHECK_INT(b.n, 25);
    CHECK_INT(b.skipped, 0);
    p = &b.posts[0];
    CHECK_MEM(p->id.ptr, p->id.len,
              "at://did:plc:kkergqgbhb56ptpwj2wenkje/app.bsky.feed.post/3lpk2u6qo222m");
    CHECK_MEM(p->url.ptr, p->url.len,
              "https://bsky.app/profile/did:plc:kkergqgbhb56ptpwj2wenkje/post/3lpk2u6qo222m");
    CHECK_MEM(p->author.ptr, p->author.len, "socpaperbot.bsky.social");
    CHECK(p->lang.ptr == NULL);
    CHECK_STR(iso_of(p, iso), "2025-05-19T17:10:09Z");
    p = &b.posts[1];
    CHECK_MEM(p->author.ptr, p->author.len, "cjtackett.bsky.social");
    CHECK_MEM(p->lang.ptr, p->lang.len, "en");
    CHECK_MEM(p->text.ptr, p->text.len,
              "I dove into the RIDICULOUS op-ed sent into the Fort Worth Star Telegram by Tarrant "
              "County Commissioner Manny Ramirez supporting Redistricting.\n\nPlease give it a "
              "read, and if you are in Tarrant or know someone in Tarrant, share it!\n\n"
              "open.substack.com/pub/christac...");
    /* an offset timestamp: +00:00 */
    p = post_by_id(&b, "at://did:plc:qogyzvlh3vivathu2piavvpv/app.bsky.feed.post/3lpii6nwbyt2m");
    CHECK(p != NULL);
    CHECK_STR(iso_of(p, iso), "2025-05-19T02:03:20Z");
    CHECK_MEM(b.posts[24].id.ptr, b.posts[24].id.len,
              "at://did:plc:7nagdvjqrzaquzk7mueohne5/app.bsky.feed.post/3lpica7sxmk2u");
    /* the response's cursor "25": more pages; newest = min(createdAt, indexedAt) */
    CHECK_STR(next.value, "since=2025-05-18T00%3A00%3A00Z&cursor=25&newest=2025-05-19T17%3A10%3A09Z");
    CHECK_INT(next.more, 1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_cursor_end(void)
{
    struct cnd_source *src = src_new("bluesky", opts);
    struct cnd_batch b;
    struct cnd_cursor next;

    /* a short page with a cursor goes on */
    CHECK_INT(str_parse(src, 200, "{\"posts\":[{\"uri\":\"at://did:plc:a/app.bsky.feed.post/k\","
              "\"record\":{\"text\":\"t\",\"createdAt\":\"2025-05-20T10:00:00Z\"},"
              "\"indexedAt\":\"2025-05-20T10:00:01Z\",\"author\":{\"handle\":\"a.b\"}}],"
              "\"cursor\":\"26\"}", "since=2025-05-19T17%3A10%3A09Z&cursor=25&newest="
              "2025-05-19T17%3A10%3A09Z", &b, &next), 0);
    CHECK_INT(b.n, 1);
    CHECK_STR(next.value, "since=2025-05-19T17%3A10%3A09Z&cursor=26&newest=2025-05-20T10%3A00%3A00Z");
    CHECK_INT(next.more, 1);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* no cursor: the run ends; the next starts at the newest post seen */
    CHECK_INT(str_parse(src, 200, "{\"posts\":[]}", "since=2025-05-19T17%3A10%3A09Z&cursor=26"
              "&newest=2025-05-20T10%3A00%3A00Z", &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK_STR(next.value, "since=2025-05-20T10%3A00%3A00Z");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* the same cursor again would loop: stop */
    CHECK_INT(str_parse(src, 200, "{\"posts\":[],\"cursor\":\"26\"}", "cursor=26", &b, &next), 0);
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* a cursor over the limit fails the page (posts taken back), naming it,
     * instead of ending the paging with pages left unread */
    {
        static char body[6000];
        char *p = body;

        p += sprintf(p, "{\"posts\":[{\"uri\":\"at://x/app.bsky.feed.post/2\",\"record\":"
                        "{\"text\":\"t\",\"createdAt\":\"2025-05-20T10:00:00Z\"}}],\"cursor\":\"");
        memset(p, 'c', 5000);
        p += 5000;
        strcpy(p, "\"}");
        CHECK_INT(str_parse(src, 200, body, "cursor=26", &b, &next), CND_ELIMIT);
        CHECK_INT(b.n, 0);
        CHECK(strstr(b.error, "next-page cursor is 5000 bytes, over the limit of 4096") != NULL);
        CHECK(strstr(b.error, "stopped at byte ") != NULL);
        cnd_cursor_release(&next);
        cnd_batch_release(&b);
    }
    /* a forged future createdAt does not move "newest" past indexedAt */
    CHECK_INT(str_parse(src, 200, "{\"posts\":[{\"uri\":\"at://x/app.bsky.feed.post/1\","
              "\"record\":{\"text\":\"t\",\"createdAt\":\"2099-01-01T00:00:00Z\"},"
              "\"indexedAt\":\"2025-05-20T10:00:01Z\"}]}", NULL, &b, &next), 0);
    CHECK_STR(next.value, "since=2025-05-20T10%3A00%3A01Z");
    CHECK_INT(b.n, 1);
    CHECK_MEM(b.posts[0].url.ptr, b.posts[0].url.len, "https://bsky.app/profile/x/post/1");
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    cnd_source_free(src);
}

static void test_errors(void)
{
    struct cnd_source *src = src_new("bluesky", opts);
    struct cnd_batch b;
    struct cnd_cursor next;

    CHECK_INT(str_parse(src, 400, "{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}",
                        NULL, &b, &next), CND_EAUTH);
    CHECK(strstr(b.error, "http 400") != NULL);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 400, "{\"error\":\"InvalidRequest\",\"message\":\"bad\"}", NULL, &b,
                        &next), CND_EHTTP);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 403, "{\"error\":\"Forbidden\"}", NULL, &b, &next), CND_EAUTH);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 200, "[]", NULL, &b, &next), CND_EPARSE);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 200, "{\"posts\":[{\"uri\":\"at://did:plc:a/app.bsky.feed.post/a/b\"}]}",
                        NULL, &b, &next), 0);
    CHECK_INT(b.n, 1);
    CHECK_INT(b.posts[0].url.len, 0);   /* not a post uri: no web URL */
    CHECK_INT(b.posts[0].text.len, 0);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 200, "{\"posts\":[{\"uri\":\"u\",\"record\":{\"text\":{\"x\":1}}}]}",
                        NULL, &b, &next), 0);
    CHECK_INT(b.n, 0);
    CHECK_INT(b.skipped, 1);   /* text of the wrong type */
    cnd_batch_release(&b);
    cnd_source_free(src);
}

static void test_requests(void)
{
    static const char *const o2[] = { "query=\"hidden fees\"", "base_url=http://127.0.0.1:9/",
                                      "auth_url=http://127.0.0.1:9", "lang=en", "limit=50",
                                      NULL };
    struct cnd_source *src = src_new("bluesky", o2);
    struct cnd_request req;
    struct cnd_response resp;
    int64_t exp = 0;
    char err[200];
    char *c = NULL;
    struct bs { char *base_url, *auth_url, *web_url, *endpoint, *query, *lang; long limit;
                char *handle, *password; } *ctx = src->ctx;

    CHECK_INT(cnd_source_build_request(src, "since=2025-05-19T17%3A10%3A09Z&cursor=25&newest=x",
                                       &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:9/xrpc/app.bsky.feed.searchPosts?q=%22hidden%20fees%22"
                       "&sort=latest&limit=50&lang=en&since=2025-05-19T17%3A10%3A09Z&cursor=25");
    CHECK_INT(req.n_headers, 0);
    cnd_request_release(&req);
    /* anonymous: no login */
    CHECK_INT(cnd_source_auth_request(src, CND_AUTH_LOGIN, &req), CND_ENOENT);
    ctx->handle = cnd_strdup("me.bsky.social");
    ctx->password = cnd_strdup("app-pass\"word");
    CHECK_INT(cnd_source_auth_request(src, CND_AUTH_LOGIN, &req), 0);
    CHECK_STR(req.method, "POST");
    CHECK_STR(req.url, "http://127.0.0.1:9/xrpc/com.atproto.server.createSession");
    CHECK_STR(req.content_type, "application/json");
    CHECK_INT(req.body_secret, 1);
    CHECK_MEM(req.body, req.body_len,
              "{\"identifier\":\"me.bsky.social\",\"password\":\"app-pass\\\"word\"}");
    cnd_request_release(&req);
    memset(&resp, 0, sizeof(resp));
    resp.status = 200;
    resp.body = "{\"did\":\"did:plc:x\",\"accessJwt\":\"AAA\",\"refreshJwt\":\"RRR\"}";
    resp.len = strlen(resp.body);
    CHECK_INT(cnd_source_auth_parse(src, &resp, &exp, err, sizeof(err)), 0);
    CHECK_INT(cnd_source_build_request(src, NULL, &req), 0);
    CHECK_STR(cnd_request_header(&req, "Authorization"), "Bearer AAA");
    CHECK_INT(req.headers[0].secret, 1);
    cnd_request_release(&req);
    CHECK_INT(cnd_source_auth_request(src, CND_AUTH_REFRESH, &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:9/xrpc/com.atproto.server.refreshSession");
    CHECK_STR(cnd_request_header(&req, "Authorization"), "Bearer RRR");
    CHECK(req.body == NULL);
    cnd_request_release(&req);
    resp.status = 401;
    resp.body = "{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}";
    resp.len = strlen(resp.body);
    CHECK_INT(cnd_source_auth_parse(src, &resp, &exp, err, sizeof(err)), CND_EAUTH);
    CHECK(strstr(err, "http 401") != NULL);
    CHECK_INT(cnd_source_start_cursor(src, 1747612800, &c), 0);
    CHECK_STR(c, "since=2025-05-19T00%3A00%3A00Z");
    cnd_free(c);
    cnd_source_free(src);
}

TEST_LIST = {
    { "recorded", test_recorded },
    { "cursor_end", test_cursor_end },
    { "errors", test_errors },
    { "requests", test_requests },
    { NULL, NULL },
};
