/* SPDX-License-Identifier: MIT */
/*
 * The Lemmy adapter on synthetic v3 responses (shapes from lemmy-js-client
 * 0.19 types; no recorded one exists): posts and comments, ap_id ids,
 * authors with their instance, timestamps without "Z", deleted and
 * removed items, page_cursor and page-number cursors, request URLs.
 */
#include "tests/unit/check.h"
#include "tests/fixtures/srctest.h"

static void test_post_list(void)
{
    static const char *const opts[] = { "community=assholedesign", NULL };
    struct cnd_source *src = src_new("lemmy", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct cnd_request req;
    struct fx fx;
    char iso[21];

    CHECK_INT(fx_load(&fx, 0, "lemmy/SYNTHETIC_post_list_v019"), 0);
    CHECK_INT(fx_parse(src, &fx, "since=1739170000", &b, &next), 0);
    CHECK_INT(b.items, 3);
    CHECK_INT(b.n, 2);
    CHECK_INT(b.skipped_deleted, 1);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "https://lemmy.world/post/901");
    CHECK_MEM(b.posts[0].url.ptr, b.posts[0].url.len, "https://lemmy.world/post/901");
    CHECK_MEM(b.posts[0].author.ptr, b.posts[0].author.len, "alice@lemmy.world");
    CHECK_MEM(b.posts[0].text.ptr, b.posts[0].text.len, "Gym won't let me cancel\n\nThey say I "
              "must come **in person** & pay a $50 fee.");
    CHECK_STR(iso_of(&b.posts[0], iso), "2025-02-10T09:30:00Z");
    CHECK_MEM(b.posts[1].author.ptr, b.posts[1].author.len, "bob@sh.itjust.works");
    CHECK_MEM(b.posts[1].text.ptr, b.posts[1].text.len, "Title only, from an older server");
    /* no "Z": read as UTC */
    CHECK_STR(iso_of(&b.posts[1], iso), "2025-02-10T08:00:00Z");
    /* every item is newer than since and there is a next_page: go on */
    CHECK_STR(next.value, "since=1739170000&page_cursor=Pa46c&newest=1739179800");
    CHECK_INT(next.more, 1);
    CHECK_INT(cnd_source_build_request(src, next.value, &req), 0);
    CHECK_STR(req.url, "https://lemmy.world/api/v3/post/list?type_=All&sort=New"
                       "&community_name=assholedesign&limit=50&page_cursor=Pa46c");
    cnd_request_release(&req);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* a page reaching "since" ends the run */
    CHECK_INT(fx_parse(src, &fx, "since=1739175000&page_cursor=x&newest=1739179900", &b, &next), 0);
    CHECK_STR(next.value, "since=1739179900");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* a first run */
    CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
    CHECK_STR(next.value, "since=1739179800");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_comment_list(void)
{
    static const char *const opts[] = { "type=Comments", "base_url=http://127.0.0.1:7", NULL };
    struct cnd_source *src = src_new("lemmy", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct cnd_request req;
    struct fx fx;

    CHECK_INT(fx_load(&fx, 0, "lemmy/SYNTHETIC_comment_list_v019"), 0);
    CHECK_INT(fx_parse(src, &fx, "since=1739170000", &b, &next), 0);
    CHECK_INT(b.n, 1);
    CHECK_INT(b.skipped_deleted, 1);
    CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, "https://lemmy.world/comment/5001");
    CHECK_MEM(b.posts[0].text.ptr, b.posts[0].text.len,
              "Same here, they charged me twice & refused a refund.");
    /* comment/list pages by number */
    CHECK_STR(next.value, "since=1739170000&page=2&newest=1739181600");
    CHECK_INT(cnd_source_build_request(src, next.value, &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:7/api/v3/comment/list?type_=All&sort=New&limit=50&page=2");
    cnd_request_release(&req);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* the posts file read as comments: no items */
    fx_release(&fx);
    CHECK_INT(str_parse(src, 200, "{\"comments\":[]}", "since=1739170000&page=3&newest=1739181600",
                        &b, &next), 0);
    CHECK_STR(next.value, "since=1739181600");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 400, "{\"error\":\"couldnt_find_community\"}", NULL, &b, &next),
              CND_EHTTP);
    CHECK_STR(b.error, "lemmy: http 400: couldnt_find_community");
    cnd_batch_release(&b);
    cnd_source_free(src);
}

static void test_search_request(void)
{
    static const char *const opts[] = { "query=scam", "type=Comments", "listing=Local", NULL };
    struct cnd_source *src = src_new("lemmy", opts);
    struct cnd_request req;

    CHECK_INT(cnd_source_build_request(src, NULL, &req), 0);
    CHECK_STR(req.url, "https://lemmy.world/api/v3/search?q=scam&type_=Comments&listing_type=Local"
                       "&sort=New&limit=50");
    cnd_request_release(&req);
    cnd_source_free(src);
}

TEST_LIST = {
    { "post_list", test_post_list },
    { "comment_list", test_comment_list },
    { "search_request", test_search_request },
    { NULL, NULL },
};
