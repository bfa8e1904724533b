/* SPDX-License-Identifier: MIT */
/* HTML to text (ingest/html.c): a table of inputs and expected texts. */
#include "tests/unit/check.h"

#include "common/buf.h"
#include "common/err.h"
#include "ingest/html.h"

static void test_table(void)
{
    static const struct {
        const char *html, *text;
    } cases[] = {
        { "", "" },
        { "plain text", "plain text" },
        { "<p>a</p><p>b</p>", "a\n\nb" },
        { "line<br>next<br/>third<br />fourth", "line\nnext\nthird\nfourth" },
        { "a<br><br>b", "a\n\nb" },
        { "<p>  lots   of\n\tspace  </p>", "lots of space" },
        { "x &amp; y &lt;z&gt; &quot;q&quot; &apos;s&apos;", "x & y <z> \"q\" 's'" },
        { "caf&eacute; &euro;5 &hellip;", "caf\xc3\xa9 \xe2\x82\xac" "5 \xe2\x80\xa6" },
        { "&#65;&#x42;&#X43; &#128512;", "ABC \xf0\x9f\x98\x80" },
        { "&#x110000; &#99999999999999999999; &#0; &#xD800;",
          "\xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd" },
        { "&unknown; & alone &#; &#x; &amp", "&unknown; & alone &#; &#x; &amp" },
        { "a&nbsp;b", "a b" },
        { "<p>Hi <span class=\"h-card\"><a href=\"https://x.y/@bob\" class=\"u-url mention\">"
          "@<span>bob</span></a></span> look</p>", "Hi @bob look" },
        { "<a href=\"https://ex.com/x\"><span class=\"invisible\">https://</span>"
          "<span class=\"ellipsis\">ex.com/</span><span class=\"invisible\">x</span></a>",
          "https://ex.com/x" },
        { "if a < b and c > d", "if a < b and c > d" },
        { "unclosed <b tag", "unclosed <b tag" },
        { "<a title=\"x > y\">link</a>", "link" },
        { "a<!-- hidden -->b", "ab" },
        { "a<!-- never closed", "a" },
        { "x<script>alert('<p>')</script>y", "xy" },
        { "x<STYLE type=\"t\">p{}</STYLE>y", "xy" },
        { "x<script>never closed", "x" },
        { "<p></p><p></p>only", "only" },
        { "end<p>", "end" },
        { "<div>a</div><div>b</div>", "a\nb" },
        { "<ul><li>one</li><li>two</li></ul>", "one\ntwo" },
        { "Yeah they aren&#x27;t<p>I&#x27;m not", "Yeah they aren't\n\nI'm not" },
        { "<i>it</i>alic and <b>bo</b>ld", "italic and bold" },
        { "soft&shy;hyphen", "softhyphen" },
        { "<", "<" },
        { "<p", "<p" },
        { "&", "&" },
        { "&#x41", "&#x41" },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cnd_buf b;

        cnd_buf_init(&b, 0);
        CHECK_INT(cnd_html_to_text(&b, cases[i].html, strlen(cases[i].html)), 0);
        CHECK_MSG(strcmp(b.data ? b.data : "", cases[i].text) == 0,
                  "case %zu: \"%s\" gave \"%s\", want \"%s\"", i, cases[i].html,
                  b.data ? b.data : "", cases[i].text);
        cnd_buf_release(&b);
    }
}

static void test_append_and_cap(void)
{
    struct cnd_buf b;

    cnd_buf_init(&b, 8);
    CHECK_INT(cnd_buf_adds(&b, "x:"), 0);
    CHECK_INT(cnd_html_to_text(&b, "<p>ab</p>", 9), 0);
    CHECK_STR(b.data, "x:ab");   /* appended; leading break dropped */
    CHECK_INT(cnd_html_to_text(&b, "0123456789", 10), CND_ETOOBIG);
    cnd_buf_release(&b);
}

static void test_entity(void)
{
    unsigned long cp = 0;
    size_t used = 0;

    CHECK_INT(cnd_html_entity("&amp;rest", 9, &cp, &used), 1);
    CHECK_INT(cp, '&');
    CHECK_INT(used, 5);
    CHECK_INT(cnd_html_entity("&#x10FFFF;", 10, &cp, &used), 1);
    CHECK_INT(cp, 0x10FFFF);
    CHECK_INT(cnd_html_entity("&#x110000;", 10, &cp, &used), 1);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(cnd_html_entity("&#1114112;", 10, &cp, &used), 1);
    CHECK_INT(cp, 0xFFFD);
    CHECK_INT(cnd_html_entity("&amp", 4, &cp, &used), 0);
    CHECK_INT(cnd_html_entity("&a", 2, &cp, &used), 0);
}

TEST_LIST = {
    { "table", test_table },
    { "append_and_cap", test_append_and_cap },
    { "entity", test_entity },
    { NULL, NULL },
};
