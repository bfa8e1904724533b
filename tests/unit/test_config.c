/* SPDX-License-Identifier: MIT */
/*
 * Tests for common/config.c: the positioned JSON tree (lines of keys and
 * values, comments, limits, syntax errors with their line) and the
 * configuration loader (every key, each kind of error with its exact
 * "FILE:LINE: path: message" line, all errors reported, relative lexicon
 * paths, the shipped example, allocation failures). Files are written to
 * a mkdtemp directory under /tmp, removed at exit.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/config.h"
#include "common/err.h"
#include "tests/unit/check.h"

/* ---- Temporary files ---- */

static char tmp_dir[64];
static char tmp_files[64][128];
static size_t n_tmp_files;

static void cleanup(void)
{
    size_t i;

    for (i = 0; i < n_tmp_files; i++) {
        remove(tmp_files[i]);
    }
    if (tmp_dir[0]) {
        rmdir(tmp_dir);
    }
}

/* Writes "text" to NAME in the temp dir; returns the (static) path. */
static const char *write_tmp(const char *name, const char *text)
{
    static char path[128];
    FILE *fp;

    if (tmp_dir[0] == '\0') {
        strcpy(tmp_dir, "/tmp/cnd_test_config_XXXXXX");
        if (mkdtemp(tmp_dir) == NULL) {
            perror("mkdtemp");
            exit(2);
        }
        atexit(cleanup);
    }
    snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
    fp = fopen(path, "wb");
    if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
        perror(path);
        exit(2);
    }
    if (n_tmp_files < sizeof(tmp_files) / sizeof(tmp_files[0])) {
        strcpy(tmp_files[n_tmp_files++], path);
    }
    return path;
}

/*
 * Loads "text" as NAME and checks the return code and the whole error
 * text, where every "%F" in "want" stands for the file's path.
 */
static void expect_errors(const char *name, const char *text, int want_ret, const char *want)
{
    char err[4096], expected[4096];
    struct cnd_config cfg;
    const char *path = write_tmp(name, text), *p;
    size_t n = 0;
    int ret;

    for (p = want; *p && n + 128 < sizeof(expected); p++) {
        if (p[0] == '%' && p[1] == 'F') {
            n += (size_t)snprintf(expected + n, sizeof(expected) - n, "%s", path);
            p++;
        } else {
            expected[n++] = *p;
        }
    }
    expected[n] = '\0';
    memset(&cfg, 0x5a, sizeof(cfg));
    ret = cnd_config_load(path, &cfg, err, sizeof(err));
    CHECK_INT(ret, want_ret);
    CHECK_STR(err, expected);
    /* released on failure: defaults, nothing owned */
    CHECK(cfg.root == NULL);
    CHECK(cfg.brands == NULL);
    CHECK(cfg.path == NULL);
    CHECK_STR(cfg.data_dir, "data");
    cnd_config_release(&cfg);
}

/* ---- The JSON tree ---- */

static void test_jval_lines(void)
{
    static const char text[] =
        "// a comment line\n"                    /* 1 */
        "{\n"                                     /* 2 */
        "  \"a\": 12, /* block\n"                 /* 3 */
        "  comment */ \"b\": [true,\n"            /* 4 */
        "    null, \"x\\ny\"],\n"                 /* 5 */
        "  \"c\": {\"d\": -1.5e2}\n"              /* 6 */
        "  ,\"e\"\n"                              /* 7 */
        "  :\n"                                   /* 8 */
        "  false}\n";                             /* 9 */
    char err[256] = "untouched";
    struct cnd_jval *v = cnd_jval_parse("t.json", text, strlen(text), err, sizeof(err));
    const struct cnd_jval *a, *b, *c, *d, *e;

    CHECK(v != NULL);
    if (v == NULL) {
        return;
    }
    CHECK_STR(err, "untouched");
    CHECK_INT(v->type, CND_JOBJ);
    CHECK_INT(v->line, 2);
    CHECK_INT(v->n, 4);
    CHECK_STR(v->keys[0], "a");
    CHECK_STR(v->keys[3], "e");
    CHECK_INT(v->key_lines[0], 3);
    CHECK_INT(v->key_lines[1], 4);
    CHECK_INT(v->key_lines[2], 6);
    CHECK_INT(v->key_lines[3], 7);
    a = cnd_jval_get(v, "a");
    CHECK(a != NULL && a->type == CND_JNUM && a->num == 12 && a->line == 3);
    CHECK(a != NULL && strcmp(a->str, "12") == 0);
    b = cnd_jval_get(v, "b");
    CHECK(b != NULL && b->type == CND_JARR && b->n == 3 && b->line == 4);
    if (b != NULL && b->n == 3) {
        CHECK(b->items[0]->type == CND_JBOOL && b->items[0]->boolean == 1);
        CHECK_INT(b->items[0]->line, 4);
        CHECK_INT(b->items[1]->type, CND_JNULL);
        CHECK_INT(b->items[1]->line, 5);
        CHECK_STR(b->items[2]->str, "x\ny");
        CHECK_INT(b->items[2]->line, 5);
    }
    c = cnd_jval_get(v, "c");
    d = cnd_jval_get(c, "d");
    CHECK(d != NULL && d->num == -150.0 && d->line == 6);
    e = cnd_jval_get(v, "e");
    CHECK(e != NULL && e->type == CND_JBOOL && e->boolean == 0 && e->line == 9);
    CHECK(cnd_jval_get(v, "zz") == NULL);
    CHECK(cnd_jval_get(a, "a") == NULL); /* not an object */
    CHECK(cnd_jval_get(NULL, "a") == NULL);
    cnd_jval_free(v);
    cnd_jval_free(NULL);
}

static void test_jval_scalar_root(void)
{
    char err[256];
    struct cnd_jval *v = cnd_jval_parse("n", "\n\n42", 4, err, sizeof(err));

    CHECK(v != NULL && v->type == CND_JNUM && v->num == 42 && v->line == 3);
    cnd_jval_free(v);
    v = cnd_jval_parse("s", " \"hi\" ", 6, err, sizeof(err));
    CHECK(v != NULL && v->type == CND_JSTR && strcmp(v->str, "hi") == 0 && v->line == 1);
    cnd_jval_free(v);
}

struct bad_json {
    const char *text;
    const char *err;
};

static void test_jval_errors(void)
{
    static const struct bad_json cases[] = {
        { "{\n\"a\": 1,\n}", "b.json:3: invalid JSON: parse error: invalid object key "
                             "(must be a string)" },
        { "{\"a\": 1\n\n  \"b\": 2}", "b.json:3: invalid JSON: parse error: after key and "
                                      "value, inside map, I expect ',' or '}'" },
        { "{\"a\":\n  [1, 2", "b.json:2: invalid JSON: parse error: premature EOF" },
        { "", "b.json:1: invalid JSON: parse error: premature EOF" },
        { "// only a comment\n", "b.json:1: invalid JSON: parse error: premature EOF" },
        { "{}\n{}", "b.json:2: invalid JSON: parse error: trailing garbage" },
        { "{\"a\":\n tru }", "b.json:2: invalid JSON: lexical error: invalid string in json "
                             "text." },
        { "{\"a\": \"x\\u0000y\"}", "b.json:1: string contains a NUL character" },
        { "{\"a\\u0000\": 1}", "b.json:1: key contains a NUL character" },
        { "[1,\n1e999]", "b.json:2: number out of range" },
        { "{\"a\": \"\xff\"}", "b.json:1: invalid JSON: lexical error: invalid bytes in UTF8 "
                               "string." },
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char err[256] = "";
        struct cnd_jval *v = cnd_jval_parse("b.json", cases[i].text, strlen(cases[i].text),
                                            err, sizeof(err));

        CHECK_MSG(v == NULL, "case %zu parsed", i);
        cnd_jval_free(v);
        CHECK_STR(err, cases[i].err);
    }
}

static void test_jval_limits(void)
{
    char text[300], err[256];
    struct cnd_jval *v;
    char *big;
    size_t i, n;

    /* 64 levels parse, 65 do not (the 65th opens on line 2) */
    for (n = 0; n < 64; n++) {
        text[n] = '[';
    }
    for (i = 0; i < 64; i++) {
        text[n++] = ']';
    }
    v = cnd_jval_parse("d", text, n, err, sizeof(err));
    CHECK(v != NULL);
    cnd_jval_free(v);
    n = 0;
    for (i = 0; i < 65; i++) {
        text[n++] = '[';
        if (i == 0) {
            text[n++] = '\n';
        }
    }
    for (i = 0; i < 65; i++) {
        text[n++] = ']';
    }
    v = cnd_jval_parse("d", text, n, err, sizeof(err));
    CHECK(v == NULL);
    CHECK_STR(err, "d:2: nesting deeper than 64 levels");

    /* the size cap */
    n = ((size_t)4 << 20) + 1;
    big = malloc(n);
    CHECK(big != NULL);
    if (big == NULL) {
        return;
    }
    memset(big, ' ', n);
    big[0] = '1';
    v = cnd_jval_parse("big", big, n, err, sizeof(err));
    CHECK(v == NULL);
    CHECK_STR(err, "big: larger than 4 MiB");
    v = cnd_jval_parse("big", big, n - 1, err, sizeof(err));
    CHECK(v != NULL && v->type == CND_JNUM);
    cnd_jval_free(v);
    free(big);
}

static void test_jval_alloc_failure(void)
{
    static const char text[] = "{\"a\": [1, \"two\", {\"three\": [null, true]}], \"b\": "
                               "[1,2,3,4,5,6,7,8,9,10]}";
    unsigned long n;
    int ok = 0;

    for (n = 1; n < 1000 && !ok; n++) {
        char err[128] = "";
        struct cnd_jval *v;

        cnd_alloc_fail_at(n);
        v = cnd_jval_parse("m", text, strlen(text), err, sizeof(err));
        cnd_alloc_fail_at(0);
        if (v != NULL) {
            ok = 1;
            CHECK_INT(v->n, 2);
        } else {
            CHECK_STR(err, "m: out of memory");
        }
        cnd_jval_free(v);
    }
    CHECK(ok);
    CHECK(n > 10); /* failures were really injected */
}

/* ---- The configuration ---- */

static void test_defaults_and_release(void)
{
    struct cnd_config cfg;

    cnd_config_defaults(&cfg);
    CHECK(cfg.path == NULL);
    CHECK_STR(cfg.data_dir, "data");
    CHECK(cfg.lexicon == NULL);
    CHECK(cfg.timezone == NULL);
    CHECK(cfg.brands == NULL && cfg.n_brands == 0);
    CHECK(cfg.fields.id == NULL && cfg.fields.text == NULL && cfg.fields.lang == NULL);
    CHECK(cfg.threshold < 0);
    CHECK(cfg.sources == NULL && cfg.root == NULL);
    cnd_config_release(&cfg);
    cnd_config_release(&cfg);
    CHECK_STR(cfg.data_dir, "data");
    cnd_config_release(NULL);
}

static const char valid_config[] =
    "/* a full configuration */\n"                                       /* 1 */
    "{\n"                                                                /* 2 */
    "  \"data_dir\": \"/var/lib/candor\", // absolute\n"                 /* 3 */
    "  \"lexicon\": \"rules/en.lex\",\n"                                 /* 4 */
    "  \"timezone\": \"Europe/Paris\",\n"                                /* 5 */
    "  \"user_agent\": \"candor-test/1\",\n"                             /* 6 */
    "  \"brands\": [\n"                                                  /* 7 */
    "    {\"name\": \"Contoso Cable\", \"aliases\": [\"contoso\", \"#contoso\"]},\n"
    "    {\"name\": \"Northwind Energy\"},\n"                            /* 9 */
    "    {\"aliases\": [], \"name\": \"Fabrikam\"}\n"                    /* 10 */
    "  ],\n"                                                             /* 11 */
    "  \"replay\": {\"fields\": {\"id\": \"post_id\", \"author\": \"user.name\"}},\n"
    "  \"analyze\": {\"threshold\": 0},\n"                               /* 13 */
    "  \"sources\": [\n"                                                 /* 14 */
    "    {\"name\": \"m1\", \"kind\": \"mastodon\", \"tag\": \"scam\", \"limit\": 40},\n"
    "    {\"name\": \"M1\", \"kind\": \"generic\", \"fields\": {\"x\": 1}}\n"
    "  ]\n"                                                              /* 17 */
    "}\n";

static void test_load_valid(void)
{
    char err[1024] = "";
    char want[256];
    struct cnd_config cfg;
    const char *path = write_tmp("valid.json", valid_config);
    int ret;

    ret = cnd_config_load(path, &cfg, err, sizeof(err));
    CHECK_INT(ret, 0);
    CHECK_STR(err, "");
    if (ret < 0) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_STR(cfg.path, path);
    CHECK_STR(cfg.data_dir, "/var/lib/candor");
    snprintf(want, sizeof(want), "%s/rules/en.lex", tmp_dir);
    CHECK_STR(cfg.lexicon, want);
    CHECK_STR(cfg.timezone, "Europe/Paris");
    CHECK_INT(cfg.n_brands, 3);
    CHECK_STR(cfg.brands[0].name, "Contoso Cable");
    CHECK_INT(cfg.brands[0].n_aliases, 2);
    CHECK_STR(cfg.brands[0].aliases[0], "contoso");
    CHECK_STR(cfg.brands[0].aliases[1], "#contoso");
    CHECK_STR(cfg.brands[1].name, "Northwind Energy");
    CHECK(cfg.brands[1].aliases == NULL && cfg.brands[1].n_aliases == 0);
    CHECK_STR(cfg.brands[2].name, "Fabrikam");
    CHECK_INT(cfg.brands[2].n_aliases, 0);
    CHECK_STR(cfg.fields.id, "post_id");
    CHECK_STR(cfg.fields.author, "user.name");
    CHECK(cfg.fields.text == NULL && cfg.fields.created_at == NULL);
    CHECK(cfg.threshold == 0.0);
    CHECK(cfg.sources != NULL && cfg.sources->type == CND_JARR && cfg.sources->n == 2);
    CHECK(cfg.sources == cnd_jval_get(cfg.root, "sources"));
    if (cfg.sources != NULL && cfg.sources->n == 2) {
        const struct cnd_jval *lim = cnd_jval_get(cfg.sources->items[0], "limit");

        CHECK(lim != NULL && lim->num == 40 && lim->line == 15);
    }
    cnd_config_release(&cfg);
    CHECK(cfg.root == NULL && cfg.brands == NULL && cfg.path == NULL);
    cnd_config_release(&cfg);
}

static void test_lexicon_paths(void)
{
    char err[512] = "", cwd[PATH_MAX];
    struct cnd_config cfg;
    const char *path;

    /* absolute stays */
    path = write_tmp("abs.json", "{\"lexicon\": \"/opt/x.lex\"}");
    CHECK_INT(cnd_config_load(path, &cfg, err, sizeof(err)), 0);
    CHECK_STR(cfg.lexicon, "/opt/x.lex");
    cnd_config_release(&cfg);

    /* a config named without a directory: its directory is the current one */
    CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
    CHECK_INT(chdir(tmp_dir), 0);
    CHECK_INT(cnd_config_load("abs.json", &cfg, err, sizeof(err)), 0);
    cnd_config_release(&cfg);
    write_tmp("rel.json", "{\"lexicon\": \"../x/en.lex\", \"data_dir\": \"d\"}");
    CHECK_INT(cnd_config_load("rel.json", &cfg, err, sizeof(err)), 0);
    CHECK_STR(cfg.lexicon, "../x/en.lex");
    CHECK_STR(cfg.data_dir, "d");
    cnd_config_release(&cfg);
    CHECK_INT(cnd_config_load("./rel.json", &cfg, err, sizeof(err)), 0);
    CHECK_STR(cfg.lexicon, "./../x/en.lex");
    cnd_config_release(&cfg);
    CHECK_INT(chdir(cwd), 0);
}

static void test_unknown_key_nested(void)
{
    expect_errors("unknown.json",
                  "{\n"
                  "  \"brands\": [\n"
                  "    {\"name\": \"A\"},\n"
                  "    {\"name\": \"B\"},\n"
                  "    {\"name\": \"C\",\n"
                  "     \"aliass\": [\"c\"]}\n"
                  "  ],\n"
                  "  \"replay\": {\"fields\": {\"idd\": \"x\"}},\n"
                  "  \"colour\": 1\n"
                  "}\n",
                  CND_EINVAL,
                  "%F:6: brands[2].aliass: unknown key\n"
                  "%F:8: replay.fields.idd: unknown key\n"
                  "%F:9: colour: unknown key");
}

static void test_wrong_type(void)
{
    expect_errors("type.json",
                  "{\"analyze\": {\n"
                  "   \"threshold\": \"high\"}}",
                  CND_EINVAL, "%F:2: analyze.threshold: expected a number, got a string");
    expect_errors("type2.json",
                  "{\"brands\": {\"name\": \"A\"},\n"
                  " \"data_dir\": 3,\n"
                  " \"replay\": [],\n"
                  " \"timezone\": null,\n"
                  " \"sources\": [1],\n"
                  " \"user_agent\": true,\n"
                  " \"analyze\": {\"threshold\": -0.5}}",
                  CND_EINVAL,
                  "%F:1: brands: expected an array, got an object\n"
                  "%F:2: data_dir: expected a string, got a number\n"
                  "%F:3: replay: expected an object, got an array\n"
                  "%F:4: timezone: expected a string, got null\n"
                  "%F:5: sources[0]: expected an object, got a number\n"
                  "%F:6: user_agent: expected a string, got a boolean\n"
                  "%F:7: analyze.threshold: must be a number >= 0, got -0.5");
    expect_errors("top.json", "\n[1, 2]", CND_EINVAL,
                  "%F:2: expected an object at the top level, got an array");
}

static void test_brand_errors(void)
{
    expect_errors("brand.json",
                  "{\"brands\": [\n"
                  "  {\"name\": \"A\"},\n"
                  "  {\"aliases\": [\"x\"]},\n"
                  "  {\"name\": \"\"},\n"
                  "  {\"name\": \"C\", \"aliases\": [\"c\", 2, \"\"]},\n"
                  "  \"D\"\n"
                  "]}",
                  CND_EINVAL,
                  "%F:3: brands[1].name: missing required key\n"
                  "%F:4: brands[2].name: must not be empty\n"
                  "%F:5: brands[3].aliases[1]: expected a string, got a number\n"
                  "%F:5: brands[3].aliases[2]: must not be empty\n"
                  "%F:6: brands[4]: expected an object, got a string");
}

static void test_duplicates(void)
{
    expect_errors("dup.json",
                  "{\"brands\": [\n"
                  "  {\"name\": \"Contoso Cable\"},\n"
                  "  {\"name\": \"Fabrikam\"},\n"
                  "  {\"name\": \"contoso cable\"},\n"
                  "  {\"name\": \"Fabrikam\"}\n"
                  " ],\n"
                  " \"sources\": [\n"
                  "  {\"name\": \"s\", \"kind\": \"mastodon\"},\n"
                  "  {\"name\": \"s\", \"kind\": \"reddit\", \"kind\": \"x\"}\n"
                  " ],\n"
                  " \"data_dir\": \"a\",\n"
                  " \"data_dir\": \"b\"\n"
                  "}",
                  CND_EINVAL,
                  "%F:4: brands[2].name: duplicate brand \"contoso cable\" (first on line 2)\n"
                  "%F:5: brands[3].name: duplicate brand \"Fabrikam\" (first on line 3)\n"
                  "%F:9: sources[1].kind: duplicate key (first on line 9)\n"
                  "%F:9: sources[1].name: duplicate source name \"s\" (first on line 8)\n"
                  "%F:12: data_dir: duplicate key (first on line 11)");
    /* a list given twice is built once (the first), so nothing leaks */
    expect_errors("dup2.json",
                  "{\"brands\": [{\"name\": \"A\", \"aliases\": [\"a\"], \"aliases\": [\"b\"]}],\n"
                  " \"brands\": [{\"name\": \"B\"}]}",
                  CND_EINVAL,
                  "%F:1: brands[0].aliases: duplicate key (first on line 1)\n"
                  "%F:2: brands: duplicate key (first on line 1)");
}

static void test_timezone(void)
{
    expect_errors("tz.json", "{\n\"timezone\": \"Mars/Olympus_Mons\"}", CND_EINVAL,
                  "%F:2: timezone: unknown time zone \"Mars/Olympus_Mons\"");
    expect_errors("tz2.json", "{\"timezone\": \"../../etc/passwd\"}", CND_EINVAL,
                  "%F:1: timezone: invalid time zone name \"../../etc/passwd\" (an IANA "
                  "name such as \"Europe/Paris\")");
    expect_errors("tz3.json", "{\"timezone\": \"/etc/localtime\"}", CND_EINVAL,
                  "%F:1: timezone: invalid time zone name \"/etc/localtime\" (an IANA "
                  "name such as \"Europe/Paris\")");
    expect_errors("tz4.json", "{\"timezone\": \"\"}", CND_EINVAL,
                  "%F:1: timezone: must not be empty");
}

static void test_sources(void)
{
    expect_errors("src.json",
                  "{\"sources\": [\n"
                  "  {\"kind\": \"mastodon\"},\n"
                  "  {\"name\": \"../etc\", \"kind\": 5},\n"
                  "  {\"name\": \"ok\", \"kind\": \"lemmy\", \"anything\": {\"goes\": 1}}\n"
                  "]}",
                  CND_EINVAL,
                  "%F:2: sources[0].name: missing required key\n"
                  "%F:3: sources[1].name: \"../etc\" must be letters, digits, '.', '_' or "
                  "'-', not starting with '.' (it names a directory)\n"
                  "%F:3: sources[1].kind: expected a string, got a number");
}

static void test_invalid_json(void)
{
    expect_errors("syntax.json",
                  "{\n"
                  "  // comments are fine\n"
                  "  \"data_dir\": \"x\",\n"
                  "  \"lexicon\": \"y\"\n"
                  "  \"timezone\": \"UTC\"\n"
                  "}\n",
                  CND_EPARSE,
                  "%F:5: invalid JSON: parse error: after key and value, inside map, I "
                  "expect ',' or '}'");
}

static void test_multiple_errors(void)
{
    expect_errors("multi.json",
                  "{\n"
                  "  \"analyze\": {\"threshold\": \"1\", \"mode\": 2},\n"
                  "  \"timezone\": \"Nowhere/Land\",\n"
                  "  \"brands\": [{\"name\": \"A\", \"alias\": []}, {}],\n"
                  "  \"replay\": {\"fields\": {\"text\": 7}},\n"
                  "  \"data_dir\": \"\"\n"
                  "}\n",
                  CND_EINVAL,
                  "%F:2: analyze.threshold: expected a number, got a string\n"
                  "%F:2: analyze.mode: unknown key\n"
                  "%F:3: timezone: unknown time zone \"Nowhere/Land\"\n"
                  "%F:4: brands[0].alias: unknown key\n"
                  "%F:4: brands[1].name: missing required key\n"
                  "%F:5: replay.fields.text: expected a string, got a number\n"
                  "%F:6: data_dir: must not be empty");
}

static void test_messages_stay_one_line(void)
{
    expect_errors("ctl.json", "{\"a\\nb\": 1}", CND_EINVAL, "%F:1: a?b: unknown key");
}

static void test_truncation_and_missing(void)
{
    char err[16];
    struct cnd_config cfg;
    const char *path = write_tmp("trunc.json", "{\"x\": 1, \"y\": 2}");

    CHECK_INT(cnd_config_load(path, &cfg, err, sizeof(err)), CND_EINVAL);
    CHECK_INT(strlen(err), sizeof(err) - 1);
    CHECK(strncmp(err, tmp_dir, sizeof(err) - 1) == 0);
    CHECK_INT(cnd_config_load(path, &cfg, NULL, 0), CND_EINVAL);

    {
        char msg[512], want[512], none[256];

        snprintf(want, sizeof(want), "%s/none.json: cannot open: No such file or directory",
                 tmp_dir);
        snprintf(none, sizeof(none), "%s/none.json", tmp_dir);
        CHECK_INT(cnd_config_load(none, &cfg, msg, sizeof(msg)), CND_ENOENT);
        CHECK_STR(msg, want);
        CHECK_INT(cnd_config_load(tmp_dir, &cfg, msg, sizeof(msg)), CND_EIO);
        CHECK(strstr(msg, "cannot read") != NULL);
    }
    cnd_config_release(&cfg);
}

static void test_example_loads(void)
{
    char err[4096] = "";
    struct cnd_config cfg;
    const struct cnd_jval *s;
    int ret;
    size_t i;

    ret = cnd_config_load(CND_SRC_DIR "/config/candor.example.json", &cfg, err, sizeof(err));
    CHECK_INT(ret, 0);
    CHECK_STR(err, "");
    if (ret < 0) {
        fprintf(stderr, "%s\n", err);
        return;
    }
    CHECK_STR(cfg.data_dir, "data");
    CHECK_STR(cfg.timezone, "UTC");
    CHECK_INT(cfg.n_brands, 3);
    CHECK_STR(cfg.brands[0].name, "Contoso Cable");
    CHECK_INT(cfg.brands[0].n_aliases, 3);
    CHECK_STR(cfg.brands[0].aliases[1], "@contosocable");
    CHECK_STR(cfg.brands[2].name, "Northwind Energy");
    CHECK_STR(cfg.fields.author, "account.acct");
    CHECK(cfg.threshold == 1.0);
    CHECK(cfg.sources != NULL && cfg.sources->n == 6);
    if (cfg.sources != NULL) {
        static const char *const kinds[] = {
            "mastodon", "bluesky", "reddit", "hackernews", "lemmy", "generic",
        };

        for (i = 0; i < cfg.sources->n && i < 6; i++) {
            s = cnd_jval_get(cfg.sources->items[i], "kind");
            CHECK(s != NULL && s->type == CND_JSTR && strcmp(s->str, kinds[i]) == 0);
        }
        s = cnd_jval_get(cfg.sources->items[0], "token_env");
        CHECK(s != NULL && strcmp(s->str, "MASTODON_TOKEN") == 0);
    }
    s = cnd_jval_get(cfg.root, "user_agent");
    CHECK(s != NULL && s->type == CND_JSTR);
    cnd_config_release(&cfg);
}

/* Every allocation in turn fails: CND_ENOMEM (or, late enough, success). */
static void test_alloc_failure(void)
{
    const char *bad = write_tmp("oom_bad.json",
                                "{\"brands\": [{\"name\": \"A\"}, {\"name\": \"a\"}],\n"
                                " \"oops\": 1, \"timezone\": \"Europe/Paris\"}");
    char want[512];
    unsigned long n;
    int ok = 0, ret;

    for (n = 1; n < 100000 && !ok; n++) {
        char err[4096];
        struct cnd_config cfg;

        cnd_alloc_fail_at(n);
        ret = cnd_config_load(CND_SRC_DIR "/config/candor.example.json", &cfg, err,
                              sizeof(err));
        cnd_alloc_fail_at(0);
        if (ret == 0) {
            ok = 1;
            CHECK_INT(cfg.n_brands, 3);
            cnd_config_release(&cfg);
        } else {
            CHECK_MSG(ret == CND_ENOMEM, "fail at %lu: %d %s", n, ret, err);
            CHECK(cfg.root == NULL && cfg.brands == NULL);
        }
    }
    CHECK(ok);
    CHECK(n > 50);

    snprintf(want, sizeof(want), "%s:1: brands[1].name: duplicate brand \"a\" (first on line "
             "1)\n%s:2: oops: unknown key", bad, bad);
    ok = 0;
    for (n = 1; n < 100000 && !ok; n++) {
        char err[4096];
        struct cnd_config cfg;

        cnd_alloc_fail_at(n);
        ret = cnd_config_load(bad, &cfg, err, sizeof(err));
        cnd_alloc_fail_at(0);
        if (ret == CND_EINVAL) {
            ok = 1;
            CHECK_STR(err, want);
        } else {
            CHECK_MSG(ret == CND_ENOMEM, "fail at %lu: %d %s", n, ret, err);
        }
    }
    CHECK(ok);
}

TEST_LIST = {
    { "jval_lines", test_jval_lines },
    { "jval_scalar_root", test_jval_scalar_root },
    { "jval_errors", test_jval_errors },
    { "jval_limits", test_jval_limits },
    { "jval_alloc_failure", test_jval_alloc_failure },
    { "defaults_and_release", test_defaults_and_release },
    { "load_valid", test_load_valid },
    { "lexicon_paths", test_lexicon_paths },
    { "unknown_key_nested", test_unknown_key_nested },
    { "wrong_type", test_wrong_type },
    { "brand_errors", test_brand_errors },
    { "duplicates", test_duplicates },
    { "timezone", test_timezone },
    { "sources", test_sources },
    { "invalid_json", test_invalid_json },
    { "multiple_errors", test_multiple_errors },
    { "messages_stay_one_line", test_messages_stay_one_line },
    { "truncation_and_missing", test_truncation_and_missing },
    { "example_loads", test_example_loads },
    { "alloc_failure", test_alloc_failure },
    { NULL, NULL },
};
