/* SPDX-License-Identifier: MIT */
/*
 * The Hacker News (Algolia) adapter on recorded 2014 responses
 * (node-hacker-news-api fixtures) and a synthetic modern one: text from
 * comment_text / title + story_text with HTML converted, ids, times, the
 * created_at_i window cursor under the 1000-hit cap, and request URLs.
 */
#include "tests/unit/check.h"
#include "tests/fixtures/srctest.h"

static void test_recorded(void)
{
    static const struct {
        const char *name, *id, *author, *iso, *text;
    } cases[] = {
        { "hn_algolia/fraction2014_search_by_date_comment_query-apple_hpp1", "7919418", "fleitz",
          "2014-06-20T03:32:34Z",
          "Yeah the article seems stupid, while technically they aren't contributing to the "
          "scholarship they do pay tuition for the last 2 years.\n\nI'm not the biggest fan of "
          "starbucks, mostly because their coffee doesn't taste that good, however, I don't why "
          "what they've done shouldn't be applauded.\n\nIt's kinda funny that I see more people "
          "upset about the business practices of Starbucks/Wal-Mart than Lockheed Martin." },
        { "hn_algolia/fraction2014_search_by_date_tags-comment_hpp1", "7919431", "gohrt",
          "2014-06-20T03:39:55Z",
          "A perennial HN favorite\n\nhttps://hn.algolia.com/?q=Fibonacci+Flim-Flam#!/all/forever/"
          "...\n\nWhat's fascinating about this topic is that the reposts come at intervals that "
          "approximates the Fibonacci sequence." },
        { "hn_algolia/fraction2014_search_by_date_tags-story_hpp1", "7919424", "bradleyjg",
          "2014-06-20T03:35:46Z", "Judge says concerned about Apple, Google hiring settlement" },
        { "hn_algolia/fraction2014_search_by_date_ask_hn_query-apple_page2_hpp1", "7915384",
          "techidse", "2014-06-19T09:53:30Z",
          "Ask HN: How can I get Swag from Startups?\n\n\\tHello HN,\\nI'm a college student from "
          "India. Is there a way to get swag from start ups or other companies to wear College. "
          "I'm in not the best financial conditions. So, I would appreciate if anyone helps me. "
          "I will tweet my picture with the swag when received :) Thanks" },
    };
    static const char *const opts[] = { "query=apple", NULL };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_source *src = src_new("hackernews", opts);
        struct cnd_batch b;
        struct cnd_cursor next;
        struct fx fx;
        char iso[21];

        CHECK_INT(fx_load(&fx, 1, cases[i].name), 0);
        CHECK_INT(fx_parse(src, &fx, NULL, &b, &next), 0);
        CHECK_INT(b.n, 1);
        if (b.n == 1) {
            CHECK_MEM(b.posts[0].id.ptr, b.posts[0].id.len, cases[i].id);
            CHECK_MEM(b.posts[0].author.ptr, b.posts[0].author.len, cases[i].author);
            CHECK_STR(iso_of(&b.posts[0], iso), cases[i].iso);
            CHECK_MEM(b.posts[0].text.ptr, b.posts[0].text.len, cases[i].text);
            CHECK(b.posts[0].url.len > 0 && strstr(b.posts[0].url.ptr, cases[i].id) != NULL);
        }
        /* a first run: poll from the newest hit on */
        CHECK(next.value != NULL && strncmp(next.value, "since=1403", 10) == 0);
        CHECK_INT(next.more, 0);
        cnd_cursor_release(&next);
        cnd_batch_release(&b);
        fx_release(&fx);
        cnd_source_free(src);
    }
}

static void test_modern_window(void)
{
    static const char *const opts[] = { "query=fees", "limit=4", NULL };
    struct cnd_source *src = src_new("hackernews", opts);
    struct cnd_batch b;
    struct cnd_cursor next;
    struct cnd_request req;
    struct fx fx;
    const struct cnd_post *p;
    char iso[21];

    CHECK_INT(fx_load(&fx, 0, "hackernews/SYNTHETIC_modern_search_by_date"), 0);
    CHECK_INT(fx_parse(src, &fx, "since=1740830000", &b, &next), 0);
    CHECK_INT(b.items, 4);
    CHECK_INT(b.n, 4);
    p = post_by_id(&b, "42000010");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->text.ptr, p->text.len, "The \"low price\" had $40 in hidden fees at checkout."
                  "\n\nNever again & I told them so.");
        CHECK_MEM(p->url.ptr, p->url.len, "https://news.ycombinator.com/item?id=42000010");
        CHECK_MEM(p->created_raw.ptr, p->created_raw.len, "1740830405");
        CHECK_STR(iso_of(p, iso), "2025-03-01T12:00:05Z");
    }
    p = post_by_id(&b, "42000009");
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_MEM(p->text.ptr, p->text.len,
                  "Ask HN: Is this a dark pattern?\n\nTheir \"free trial\" renews at $99.\n\nBeware.");
    }
    p = post_by_id(&b, "42000008");   /* created_at_i not a number: created_at */
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK_STR(iso_of(p, iso), "2025-03-01T12:00:01Z");
        CHECK_MEM(p->text.ptr, p->text.len, "Show HN: a story with a title only");
    }
    p = post_by_id(&b, "42000007");   /* wrong types: no author, no text */
    CHECK(p != NULL);
    if (p != NULL) {
        CHECK(p->author.ptr == NULL);
        CHECK_INT(p->text.len, 0);
    }
    /* a full page of 4 out of nbHits 9: the window's top moves down to the oldest hit */
    CHECK_STR(next.value, "since=1740830000&until=1740830400&newest=1740830405");
    CHECK_INT(next.more, 1);
    CHECK_INT(cnd_source_build_request(src, next.value, &req), 0);
    CHECK_STR(req.url, "https://hn.algolia.com/api/v1/search_by_date?query=fees&tags=comment"
                       "&hitsPerPage=4&numericFilters=created_at_i%3E1740830000%2Ccreated_at_i"
                       "%3C%3D1740830400");
    cnd_request_release(&req);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* a short last page ends the run: the next starts after the newest */
    CHECK_INT(str_parse(src, 200, "{\"hits\":[{\"objectID\":\"1\",\"created_at_i\":1740830100,"
              "\"comment_text\":\"x\"}],\"nbHits\":1}", "since=1740830000&until=1740830400"
              "&newest=1740830405", &b, &next), 0);
    CHECK_STR(next.value, "since=1740830405");
    CHECK_INT(next.more, 0);
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* a full page all in one second: step below it, never loop */
    CHECK_INT(str_parse(src, 200, "{\"hits\":[{\"objectID\":\"1\",\"created_at_i\":1740830400},"
              "{\"objectID\":\"2\",\"created_at_i\":1740830400},{\"objectID\":\"3\","
              "\"created_at_i\":1740830400},{\"objectID\":\"4\",\"created_at_i\":1740830400}],"
              "\"nbHits\":50}", "since=1740830000&until=1740830400&newest=1740830405", &b,
              &next), 0);
    CHECK_STR(next.value, "since=1740830000&until=1740830399&newest=1740830405");
    cnd_cursor_release(&next);
    cnd_batch_release(&b);
    /* empty first page: nothing to poll from */
    CHECK_INT(str_parse(src, 200, "{\"hits\":[],\"nbHits\":0}", NULL, &b, &next), 0);
    CHECK(next.value == NULL);
    CHECK_INT(next.more, 0);
    cnd_batch_release(&b);
    CHECK_INT(str_parse(src, 400, "{\"message\":\"Invalid value for numericFilters\",\"status\":400}",
                        NULL, &b, &next), CND_EHTTP);
    CHECK_STR(b.error, "hackernews: http 400: Invalid value for numericFilters");
    cnd_batch_release(&b);
    fx_release(&fx);
    cnd_source_free(src);
}

static void test_requests(void)
{
    static const char *const opts[] = { "tags=(story,comment)", "base_url=http://127.0.0.1:5/v1",
                                        NULL };
    struct cnd_source *src = src_new("hackernews", opts);
    struct cnd_request req;
    char *c = NULL;

    CHECK_INT(cnd_source_build_request(src, NULL, &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:5/v1/search_by_date?tags=%28story%2Ccomment%29"
                       "&hitsPerPage=100");
    cnd_request_release(&req);
    CHECK_INT(cnd_source_start_cursor(src, 1740830000, &c), 0);
    CHECK_STR(c, "since=1740829999");
    CHECK_INT(cnd_source_build_request(src, c, &req), 0);
    CHECK_STR(req.url, "http://127.0.0.1:5/v1/search_by_date?tags=%28story%2Ccomment%29"
                       "&hitsPerPage=100&numericFilters=created_at_i%3E1740829999");
    cnd_request_release(&req);
    cnd_free(c);
    cnd_source_free(src);
}

TEST_LIST = {
    { "recorded", test_recorded },
    { "modern_window", test_modern_window },
    { "requests", test_requests },
    { NULL, NULL },
};
