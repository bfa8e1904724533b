/* SPDX-License-Identifier: MIT */
/*
 * The fetch driver without a network: every source of
 * config/candor.example.json builds for its adapter (so the example stays
 * valid for the real option tables), and configuration problems are
 * reported before anything is fetched.
 */
#include "tests/unit/check.h"

#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/config.h"
#include "common/err.h"
#include "common/log.h"
#include "ingest/fetch.h"
#include "ingest/source.h"
#include "output/output.h"

static void test_example_sources_build(void)
{
    struct cnd_config cfg;
    char err[4096];
    size_t i, kinds = 0;
    int ret;

    err[0] = '\0';
    ret = cnd_config_load(CND_SRC_DIR "/config/candor.example.json", &cfg, err, sizeof(err));
    CHECK_MSG(ret == 0, "example config: %s", err);
    if (ret < 0) {
        return;
    }
    CHECK(cfg.sources != NULL && cfg.sources->type == CND_JARR && cfg.sources->n >= 6);
    for (i = 0; cfg.sources != NULL && i < cfg.sources->n; i++) {
        struct cnd_buf errs;
        struct cnd_source *src;
        int e = 0;

        cnd_buf_init(&errs, 0);
        src = cnd_source_new(cfg.sources->items[i], cfg.path, i, CND_SOURCE_NOENV, &errs, &e);
        CHECK_MSG(src != NULL, "sources[%zu]: %s", i, errs.data ? errs.data : cnd_strerror(e));
        if (src != NULL) {
            struct cnd_request req;
            char *cursor = NULL;

            kinds |= (size_t)1 << (size_t)(strchr("mbrhlg", src->ops->name[0]) - "mbrhlg");
            /* a first request can be built from a --since cursor */
            CHECK_INT(cnd_source_start_cursor(src, 1762128000, &cursor), 0);
            ret = cnd_source_build_request(src, cursor, &req);
            CHECK_MSG(ret == 0 || ret == CND_EAUTH, "sources[%zu]: %s", i, cnd_strerror(ret));
            if (ret == 0) {
                CHECK(strncmp(req.url, "https://", 8) == 0);
                cnd_request_release(&req);
            }
            cnd_free(cursor);
        }
        cnd_source_free(src);
        cnd_buf_release(&errs);
    }
    CHECK_INT(kinds, 63);   /* every kind has an example */
    cnd_config_release(&cfg);
}

static void test_config_errors(void)
{
    static const char text[] =
        "{\"data_dir\": \"/nonexistent-candor\", \"sources\": [\n"
        " {\"name\": \"a\", \"kind\": \"generic\", \"url\": \"http://127.0.0.1:9/x\"},\n"
        " {\"name\": \"b\", \"kind\": \"generic\", \"url\": \"http://127.0.0.1:9/y\","
        " \"enabled\": false}\n"
        "]}\n";
    static const char bad[] =
        "{\"sources\": [\n"
        " {\"name\": \"a\", \"kind\": \"mastodon\", \"timeline\": \"tag\"},\n"
        " {\"name\": \"b\", \"kind\": \"generic\", \"url\": \"http://127.0.0.1:9/y\", \"colour\": 1}\n"
        "]}\n";
    char path[] = "/tmp/cnd-fetch-XXXXXX";
    char *only[] = { (char *)"a", (char *)"zzz" };
    struct cnd_fetch_opts o;
    struct cnd_fetch_result res;
    struct cnd_config cfg;
    struct cnd_buf errs;
    char err[1024];
    int fd;

    fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK_INT(write(fd, text, sizeof(text) - 1), (long long)(sizeof(text) - 1));
    close(fd);
    CHECK_INT(cnd_config_load(path, &cfg, err, sizeof(err)), 0);
    cnd_fetch_opts_init(&o);
    cnd_buf_init(&errs, 0);

    /* a --source name that is not configured */
    o.only = only;
    o.n_only = 2;
    CHECK_INT(cnd_fetch_run(&cfg, &o, &res, &errs), CND_EINVAL);
    CHECK(errs.data && strstr(errs.data, "--source zzz: no source of that name") != NULL);
    CHECK_INT(res.n, 0);
    cnd_fetch_result_release(&res);
    cnd_buf_release(&errs);
    cnd_config_release(&cfg);

    /* sources that do not validate: every problem, with its line */
    fd = open(path, O_WRONLY | O_TRUNC);
    CHECK_INT(write(fd, bad, sizeof(bad) - 1), (long long)(sizeof(bad) - 1));
    close(fd);
    CHECK_INT(cnd_config_load(path, &cfg, err, sizeof(err)), 0);
    cnd_buf_init(&errs, 0);
    o.n_only = 0;
    CHECK_INT(cnd_fetch_run(&cfg, &o, &res, &errs), CND_EINVAL);
    CHECK(errs.data && strstr(errs.data, ":2: sources[0]") != NULL);
    CHECK(errs.data && strstr(errs.data, ":3: sources[1].colour") != NULL);
    cnd_fetch_result_release(&res);
    cnd_buf_release(&errs);
    cnd_config_release(&cfg);

    /* no sources at all */
    cnd_config_defaults(&cfg);
    cnd_buf_init(&errs, 0);
    CHECK_INT(cnd_fetch_run(&cfg, &o, &res, &errs), CND_EINVAL);
    CHECK(errs.data && strstr(errs.data, "no \"sources\"") != NULL);
    cnd_fetch_result_release(&res);
    cnd_buf_release(&errs);
    cnd_config_release(&cfg);
    unlink(path);
    CHECK_INT(cnd_mkdirs("/tmp"), 0);   /* also links output/atomic.c (see the report) */
}

static void test_unreadable_state(void)
{
    static const char text[] =
        "{\"sources\": [{\"name\": \"a\", \"kind\": \"generic\", \"url\": \"http://127.0.0.1:9/x\"}]}";
    char path[] = "/tmp/cnd-fetch-XXXXXX";
    struct cnd_fetch_opts o;
    struct cnd_fetch_result res;
    struct cnd_config cfg;
    struct cnd_buf errs;
    char err[1024];
    int fd, level = cnd_log_level;

    fd = mkstemp(path);
    CHECK_INT(write(fd, text, sizeof(text) - 1), (long long)(sizeof(text) - 1));
    close(fd);
    CHECK_INT(cnd_config_load(path, &cfg, err, sizeof(err)), 0);
    cnd_fetch_opts_init(&o);
    o.data_dir = "/dev/null/candor";
    o.http.max_tries = 1;
    o.http.connect_timeout = 2;
    cnd_buf_init(&errs, 0);
    cnd_log_set_level(-1);
    /* the checkpoint cannot even be read: that source fails, the run still ends */
    CHECK_INT(cnd_fetch_run(&cfg, &o, &res, &errs), 0);
    cnd_log_set_level(level);
    CHECK_INT(res.n, 1);
    if (res.n == 1) {
        CHECK_INT(res.sources[0].ok, 0);
        CHECK_STR(res.sources[0].name, "a");
        CHECK_STR(res.sources[0].kind, "generic");
        CHECK_INT(res.sources[0].pages, 0);
        CHECK_INT(res.sources[0].requests, 0);
        CHECK(strstr(res.sources[0].error, "checkpoint") != NULL);
    }
    CHECK_INT(cnd_fetch_all_ok(&res), 0);
    CHECK_INT(res.n_segments, 0);
    cnd_fetch_result_release(&res);
    cnd_buf_release(&errs);
    cnd_config_release(&cfg);
    unlink(path);
}

TEST_LIST = {
    { "example_sources_build", test_example_sources_build },
    { "config_errors", test_config_errors },
    { "unreadable_state", test_unreadable_state },
    { NULL, NULL },
};
