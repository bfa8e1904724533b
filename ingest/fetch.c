/* SPDX-License-Identifier: MIT */
/*
 * The fetch driver (see fetch.h). Each source is a small state machine
 * driven by the results of its HTTP lane:
 *
 *   start ─▶ [login] ─▶ page ─▶ parse ─▶ archive + fsync ─▶ checkpoint ─┐
 *                         ▲                                             │
 *                         └──────────── next cursor, more ◀─────────────┘
 *
 * Order matters for durability: the checkpoint file is replaced only
 * after the page is fsynced in the archive, so a crash between the two
 * archives that page again next run (and replay counts its posts once).
 * A 2xx page that does not parse (a cut gzip body is accepted by libcurl)
 * is fetched again with backoff; it counts only when it parses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "ingest/archive.h"
#include "ingest/checkpoint.h"
#include "ingest/fetch.h"
#include "ingest/ratelimit.h"
#include "output/output.h"

enum fstate { S_IDLE, S_LOGIN, S_PAGE, S_DONE };

struct fsrc {
    struct fetch *f;
    struct cnd_source *src;
    struct cnd_fetch_stats *st;
    struct cnd_http_lane lane;
    struct cnd_archive *ar;
    struct cnd_checkpoint cp;      /* cp.cursor is the current cursor */
    struct cnd_batch batch;
    char *req_url;                 /* URL of the page in flight */
    enum fstate state;
    int has_login;
    int refreshed;                 /* a refresh was tried for the page in flight */
    unsigned parse_tries;
    long max_pages;
    uint64_t run_pages;
    double token_expires;
};

struct fetch {
    const struct cnd_fetch_opts *o;
    const char *data_dir;
    struct cnd_http *http;
    struct cnd_fetch_result *res;
    struct fsrc *fs;
    size_t n;
    uint64_t rng;
};

void cnd_fetch_opts_init(struct cnd_fetch_opts *o)
{
    memset(o, 0, sizeof(*o));
    cnd_http_opts_default(&o->http);
}

int cnd_fetch_all_ok(const struct cnd_fetch_result *res)
{
    size_t i;

    for (i = 0; i < res->n; i++) {
        if (!res->sources[i].ok) {
            return 0;
        }
    }
    return 1;
}

void cnd_fetch_result_release(struct cnd_fetch_result *res)
{
    size_t i;

    if (res == NULL) {
        return;
    }
    for (i = 0; i < res->n; i++) {
        cnd_free(res->sources[i].name);
        cnd_free(res->sources[i].cursor);
    }
    cnd_free(res->sources);
    for (i = 0; i < res->n_segments; i++) {
        cnd_free(res->segments[i]);
    }
    cnd_free(res->segments);
    memset(res, 0, sizeof(*res));
}

/* ---- Events and endings ---- */

static void emit(struct fsrc *fs, enum cnd_fetch_event_type type, size_t posts, long status)
{
    struct cnd_fetch_event ev;
    const struct cnd_fetch_opts *o = fs->f->o;

    if (o->progress == NULL) {
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = type;
    ev.src = fs->st;
    ev.page_posts = posts;
    ev.status = status;
    o->progress(o->progress_arg, &ev);
}

static void on_wait(void *arg, struct cnd_http_lane *lane, double seconds, double wake_at,
                    const char *why)
{
    struct fsrc *fs = lane->user;
    struct cnd_fetch_event ev;

    (void)arg;
    if (fs == NULL || fs->f->o->progress == NULL) {
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = CND_FETCH_WAIT;
    ev.src = fs->st;
    ev.wait = seconds;
    ev.wake_at = wake_at;
    ev.why = why;
    fs->f->o->progress(fs->f->o->progress_arg, &ev);
}

static void finish(struct fsrc *fs)
{
    struct cnd_fetch_stats *st = fs->st;

    if (fs->state == S_DONE) {
        return;
    }
    fs->state = S_DONE;
    st->end = cnd_http_now();
    st->requests = fs->lane.requests;
    st->retries = fs->lane.retries;
    memcpy(st->errors, fs->lane.errors, sizeof(st->errors));
    st->n_errors = fs->lane.n_errors;
    st->wait_seconds = fs->lane.wait_seconds;
    st->backoff_seconds = fs->lane.backoff_seconds;
    cnd_free(st->cursor);
    st->cursor = fs->cp.cursor ? cnd_strdup(fs->cp.cursor) : NULL;
    emit(fs, CND_FETCH_END, 0, 0);
}

static void fail(struct fsrc *fs, int config_error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct fsrc *fs, int config_error, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fs->st->error, sizeof(fs->st->error), fmt, ap);
    va_end(ap);
    fs->st->ok = 0;
    fs->st->config_error = config_error;
    cnd_log(CND_LOG_ERROR, "fetch", "source '%s' failed: %s", fs->st->name, fs->st->error);
    finish(fs);
}

static void stopped(struct fsrc *fs, const char *why)
{
    fs->st->stopped = 1;
    snprintf(fs->st->error, sizeof(fs->st->error), "%s; resumes from its checkpoint", why);
    cnd_log(CND_LOG_INFO, "fetch", "source '%s' stopped: %s", fs->st->name, why);
    finish(fs);
}

static const char *auth_hint(const struct fsrc *fs)
{
    (void)fs;
    return "check the credentials in the environment variables the source names (*_env), "
           "or whether the endpoint now requires them";
}

/* ---- Requests ---- */

static int submit(struct fsrc *fs, struct cnd_request *req, enum fstate state, double delay)
{
    int ret;

    if (state == S_PAGE) {
        cnd_free(fs->req_url);
        fs->req_url = cnd_strdup(req->url ? req->url : "");
        if (fs->req_url == NULL) {
            return CND_ENOMEM;
        }
    }
    if (cnd_log_level >= CND_LOG_DEBUG && state == S_PAGE) {
        struct cnd_buf u;

        cnd_buf_init(&u, 0);
        if (cnd_url_redact(&u, req->url) == 0) {
            cnd_log(CND_LOG_DEBUG, "fetch", "'%s': GET '%s'", fs->st->name, u.data);
        }
        cnd_buf_release(&u);
    }
    ret = cnd_http_submit(fs->f->http, &fs->lane, req, fs, delay);
    if (ret == 0) {
        fs->state = state;
    }
    return ret;
}

static int login(struct fsrc *fs, enum cnd_auth_mode mode)
{
    struct cnd_request req;
    int ret = cnd_source_auth_request(fs->src, mode, &req);

    if (ret == CND_ENOENT) {
        return ret;
    }
    if (ret < 0) {
        if (ret != CND_ENOMEM) {
            fail(fs, 1, "cannot build the login request: %s", cnd_strerror(ret));
            return 0;
        }
        return ret;
    }
    fs->has_login = 1;
    ret = submit(fs, &req, S_LOGIN, 0);
    cnd_request_release(&req);
    return ret;
}

/* Sends the request for the page at the current cursor after "delay" seconds. */
static int send_page(struct fsrc *fs, double delay)
{
    const struct cnd_fetch_opts *o = fs->f->o;
    struct cnd_request req;
    double now = cnd_http_now();
    int ret;

    if (o->stop != NULL && *o->stop) {
        stopped(fs, "stopped");
        return 0;
    }
    if (o->deadline > 0 && now >= o->deadline) {
        stopped(fs, "the run's deadline came");
        return 0;
    }
    if (fs->max_pages > 0 && fs->run_pages >= (uint64_t)fs->max_pages) {
        snprintf(fs->st->error, sizeof(fs->st->error), "stopped after %ld pages (max pages); "
                 "resumes from its checkpoint", fs->max_pages);
        finish(fs);
        return 0;
    }
    if (fs->has_login && fs->token_expires > 0 && now > fs->token_expires - 60) {
        fs->token_expires = 0;
        ret = login(fs, CND_AUTH_REFRESH);
        if (ret != CND_ENOENT) {
            return ret;
        }
    }
    ret = cnd_source_build_request(fs->src, fs->cp.cursor, &req);
    if (ret == CND_EAUTH) {
        fail(fs, 1, "this endpoint needs credentials: set the source's *_env options and "
             "their environment variables");
        return 0;
    }
    if (ret < 0) {
        if (ret == CND_ENOMEM) {
            return ret;
        }
        fail(fs, 0, "cannot build the request: %s", cnd_strerror(ret));
        return 0;
    }
    ret = submit(fs, &req, S_PAGE, delay);
    cnd_request_release(&req);
    return ret;
}

static int start(struct fsrc *fs)
{
    int ret;

    fs->st->start = cnd_http_now();
    emit(fs, CND_FETCH_START, 0, 0);
    ret = login(fs, CND_AUTH_LOGIN);
    if (ret == CND_ENOENT) {
        return send_page(fs, 0);
    }
    return ret;
}

/* ---- Results ---- */

static int add_segment(struct fetch *f, const char *path)
{
    struct cnd_fetch_result *res = f->res;
    char **n;

    if (res->n_segments > 0 && strcmp(res->segments[res->n_segments - 1], path) == 0) {
        return 0;
    }
    {
        size_t i;

        for (i = 0; i < res->n_segments; i++) {
            if (strcmp(res->segments[i], path) == 0) {
                return 0;
            }
        }
    }
    n = cnd_realloc(res->segments, (res->n_segments + 1) * sizeof(*n));
    if (n == NULL) {
        return CND_ENOMEM;
    }
    res->segments = n;
    n[res->n_segments] = cnd_strdup(path);
    if (n[res->n_segments] == NULL) {
        return CND_ENOMEM;
    }
    res->n_segments++;
    return 0;
}

static int on_login(struct fsrc *fs, struct cnd_http_result *r)
{
    char msg[256];
    int64_t expires = 0;
    int ret;

    if (r->err < 0) {
        fail(fs, 0, "login: %s", r->error);
        return 0;
    }
    ret = cnd_source_auth_parse(fs->src, &r->resp, &expires, msg, sizeof(msg));
    if (ret == CND_ENOMEM) {
        return ret;
    }
    if (ret < 0) {
        fail(fs, ret == CND_EAUTH, "login failed: %s%s%s", msg[0] ? msg : cnd_strerror(ret),
             ret == CND_EAUTH ? "; " : "", ret == CND_EAUTH ? auth_hint(fs) : "");
        return 0;
    }
    fs->token_expires = expires > 0 ? cnd_http_now() + (double)expires : 0;
    return send_page(fs, 0);
}

static double jitter01(struct fetch *f)
{
    f->rng ^= f->rng << 13;
    f->rng ^= f->rng >> 7;
    f->rng ^= f->rng << 17;
    return (double)(f->rng >> 11) / 9007199254740992.0;
}

static int on_page(struct fsrc *fs, struct cnd_http_result *r)
{
    struct fetch *f = fs->f;
    const struct cnd_fetch_opts *o = f->o;
    struct cnd_cursor next;
    struct cnd_archive_page page;
    int ret, same;

    if (r->err < 0) {
        fail(fs, 0, "%s", r->error);
        return 0;
    }
    cnd_batch_clear(&fs->batch);
    cnd_cursor_init(&next);
    ret = cnd_source_parse(fs->src, &r->resp, fs->cp.cursor, &fs->batch, &next);
    if (ret == CND_ENOMEM) {
        return ret;
    }
    if (ret == CND_EAUTH) {
        cnd_cursor_release(&next);
        if (fs->has_login && !fs->refreshed) {
            fs->refreshed = 1;
            cnd_log(CND_LOG_INFO, "fetch", "'%s': HTTP %ld: renewing the session",
                    fs->st->name, r->status);
            ret = login(fs, CND_AUTH_REFRESH);
            return ret == CND_ENOENT ? 0 : ret;
        }
        fail(fs, 1, "HTTP %ld: %s; %s", r->status, fs->batch.error, auth_hint(fs));
        return 0;
    }
    if ((ret == CND_EPARSE || ret == CND_ELIMIT) && r->status >= 200 && r->status < 300) {
        cnd_cursor_release(&next);
        fs->parse_tries++;
        if (fs->parse_tries >= o->http.max_tries) {
            fail(fs, 0, "the page did not parse after %u tries: %s", fs->parse_tries,
                 fs->batch.error);
            return 0;
        }
        cnd_log(CND_LOG_WARN, "fetch", "'%s': the page did not parse (%s); fetching it again",
                fs->st->name, fs->batch.error);
        return send_page(fs, cnd_backoff_delay(o->http.backoff_base, o->http.backoff_cap,
                                               fs->parse_tries, jitter01(f)));
    }
    if (ret < 0) {
        cnd_cursor_release(&next);
        fail(fs, 0, "%s", fs->batch.error[0] ? fs->batch.error : cnd_strerror(ret));
        return 0;
    }
    fs->parse_tries = 0;
    fs->refreshed = 0;

    /* 1. the page, durably */
    memset(&page, 0, sizeof(page));
    page.source = fs->st->name;
    page.kind = fs->st->kind;
    page.url = fs->req_url;
    page.status = r->status;
    page.headers = r->resp.headers;
    page.n_headers = r->resp.n_headers;
    page.fetched_at = r->fetched_at;
    page.cursor_in = fs->cp.cursor;
    page.cursor_out = next.value;
    page.more = next.more;
    page.posts = (long)fs->batch.n;
    page.body = r->resp.body;
    page.len = r->resp.len;
    ret = cnd_archive_append(fs->ar, &page);
    if (ret == 0) {
        ret = add_segment(f, cnd_archive_segment(fs->ar));
    }
    if (ret < 0) {
        cnd_cursor_release(&next);
        if (ret == CND_ENOMEM) {
            return ret;
        }
        fail(fs, 0, "cannot archive the page: %s", cnd_strerror(ret));
        return 0;
    }

    /* 2. then the checkpoint */
    same = next.value != NULL && fs->cp.cursor != NULL && strcmp(next.value, fs->cp.cursor) == 0;
    cnd_free(fs->cp.cursor);
    fs->cp.cursor = next.value;
    next.value = NULL;
    fs->cp.pages++;
    fs->cp.posts += fs->batch.n;
    fs->cp.updated_at = r->fetched_at;
    ret = cnd_checkpoint_save(f->data_dir, fs->st->name, &fs->cp);
    if (ret < 0) {
        cnd_cursor_release(&next);
        if (ret == CND_ENOMEM) {
            return ret;
        }
        fail(fs, 0, "cannot save the checkpoint: %s", cnd_strerror(ret));
        return 0;
    }
    fs->run_pages++;
    fs->st->pages++;
    fs->st->posts += fs->batch.n;
    fs->st->skipped += fs->batch.skipped;
    emit(fs, CND_FETCH_PAGE, fs->batch.n, r->status);
    if (o->on_page != NULL) {
        ret = o->on_page(o->page_arg, fs->st, &fs->batch);
        if (ret < 0) {
            cnd_cursor_release(&next);
            if (ret == CND_ENOMEM) {
                return ret;
            }
            fail(fs, 0, "processing the page: %s", cnd_strerror(ret));
            return 0;
        }
    }
    if (!next.more) {
        fs->st->caught_up = 1;
        finish(fs);
    } else if (same) {
        cnd_log(CND_LOG_WARN, "fetch", "'%s': the cursor did not move; ending this run",
                fs->st->name);
        fs->st->caught_up = 1;
        finish(fs);
    } else {
        cnd_cursor_release(&next);
        return send_page(fs, 0);
    }
    cnd_cursor_release(&next);
    return 0;
}

/* ---- Setup ---- */

static int wanted(const struct cnd_fetch_opts *o, const char *name, int enabled, int *used)
{
    size_t i;

    if (o->n_only == 0) {
        return enabled;
    }
    for (i = 0; i < o->n_only; i++) {
        if (strcmp(o->only[i], name) == 0) {
            used[i] = 1;
            return 1;
        }
    }
    return 0;
}

static int setup_source(struct fetch *f, struct fsrc *fs, struct cnd_source *src)
{
    const struct cnd_fetch_opts *o = f->o;
    struct cnd_fetch_stats *st = fs->st;
    int ret, err = 0;

    fs->f = f;
    fs->src = src;
    st->ok = 1;
    st->kind = src->ops->name;
    st->name = cnd_strdup(src->name);
    if (st->name == NULL) {
        return CND_ENOMEM;
    }
    cnd_http_lane_init(&fs->lane, st->name, fs);
    cnd_checkpoint_init(&fs->cp);
    ret = cnd_batch_init(&fs->batch, st->name);
    if (ret < 0) {
        return ret;
    }
    fs->ar = cnd_archive_new(f->data_dir, st->name, f->res->run_id, &err);
    if (fs->ar == NULL) {
        return err;
    }
    fs->max_pages = src->max_pages;
    if (o->max_pages > 0 && (fs->max_pages == 0 || o->max_pages < fs->max_pages)) {
        fs->max_pages = o->max_pages;
    }
    ret = cnd_checkpoint_load(f->data_dir, st->name, &fs->cp);
    if (ret == 0 && strcmp(fs->cp.kind, st->kind) != 0) {
        cnd_log(CND_LOG_WARN, "fetch", "'%s': the checkpoint is for kind '%s', not '%s': "
                "starting afresh", st->name, fs->cp.kind, st->kind);
        cnd_checkpoint_release(&fs->cp);
        ret = CND_ENOENT;
    }
    if (ret == CND_ENOMEM) {
        return ret;
    }
    if (ret == 0) {
        return 0;
    }
    if (ret == CND_EPARSE) {
        /* a damaged checkpoint: start as on a first run rather than stop for good */
        cnd_log(CND_LOG_WARN, "fetch", "'%s': ignoring the damaged checkpoint", st->name);
    } else if (ret == CND_EIO) {
        fail(fs, 0, "cannot read the checkpoint");
        return 0;
    }
    cnd_checkpoint_release(&fs->cp);
    fs->cp.kind = cnd_strdup(st->kind);
    if (fs->cp.kind == NULL) {
        return CND_ENOMEM;
    }
    return cnd_source_start_cursor(src, o->since, &fs->cp.cursor);
}

int cnd_fetch_run(const struct cnd_config *cfg, const struct cnd_fetch_opts *o,
                  struct cnd_fetch_result *res, struct cnd_buf *errs)
{
    struct fetch f;
    struct cnd_http_opts hopts;
    struct cnd_source **srcs = NULL;
    int *used = NULL;
    size_t i, n_cfg, n = 0;
    int ret = 0, err = 0, bad = 0;
    char stamp[21];

    memset(res, 0, sizeof(*res));
    memset(&f, 0, sizeof(f));
    f.o = o;
    f.res = res;
    f.data_dir = o->data_dir ? o->data_dir : (cfg->data_dir ? cfg->data_dir : "data");
    res->start = cnd_http_now();
    n_cfg = cfg->sources != NULL && cfg->sources->type == CND_JARR ? cfg->sources->n : 0;
    if (n_cfg == 0) {
        cnd_buf_addf(errs, "%s: no \"sources\" configured\n", cfg->path ? cfg->path : "<config>");
        return CND_EINVAL;
    }
    srcs = cnd_calloc(n_cfg, sizeof(*srcs));
    used = cnd_calloc(o->n_only + 1, sizeof(*used));
    if (srcs == NULL || used == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    for (i = 0; i < n_cfg; i++) {
        srcs[i] = cnd_source_new(cfg->sources->items[i], cfg->path, i, 0, errs, &err);
        if (srcs[i] == NULL) {
            if (err == CND_ENOMEM) {
                ret = err;
                goto out;
            }
            bad = 1;
        }
    }
    for (i = 0; i < n_cfg; i++) {
        if (srcs[i] != NULL && !wanted(o, srcs[i]->name, srcs[i]->enabled, used)) {
            cnd_source_free(srcs[i]);
            srcs[i] = NULL;
        } else if (srcs[i] != NULL) {
            n++;
        }
    }
    for (i = 0; i < o->n_only; i++) {
        if (!used[i]) {
            cnd_buf_addf(errs, "--source %s: no source of that name in %s\n", o->only[i],
                         cfg->path ? cfg->path : "the config");
            bad = 1;
        }
    }
    if (bad) {
        ret = CND_EINVAL;
        goto out;
    }
    if (n == 0) {
        cnd_buf_addf(errs, "%s: every source is disabled (\"enabled\": false)\n",
                     cfg->path ? cfg->path : "<config>");
        ret = CND_EINVAL;
        goto out;
    }
    cnd_time_format((int64_t)res->start, stamp);
    /* 2025-11-03T10:00:00Z -> 20251103T100000Z-PID */
    {
        size_t k = 0, j;

        for (j = 0; stamp[j] && k + 1 < sizeof(res->run_id); j++) {
            if (stamp[j] != '-' && stamp[j] != ':') {
                res->run_id[k++] = stamp[j];
            }
        }
        snprintf(res->run_id + k, sizeof(res->run_id) - k, "-%ld", (long)getpid());
    }
    {
        /* the state directory may hold temp files of a writer that was killed */
        struct cnd_buf sd;

        cnd_buf_init(&sd, 0);
        if (cnd_buf_addf(&sd, "%s/state", f.data_dir) == 0) {
            (void)cnd_sweep_tmp(sd.data);
        }
        cnd_buf_release(&sd);
    }
    res->sources = cnd_calloc(n, sizeof(*res->sources));
    f.fs = cnd_calloc(n, sizeof(*f.fs));
    if (res->sources == NULL || f.fs == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    f.rng = ((uint64_t)res->start * 1000003u) ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ull;
    for (i = 0; i < n_cfg && ret == 0; i++) {
        if (srcs[i] == NULL) {
            continue;
        }
        f.fs[f.n].st = &res->sources[f.n];
        res->n = f.n + 1;
        ret = setup_source(&f, &f.fs[f.n], srcs[i]);
        srcs[i] = NULL;    /* owned by f.fs now */
        f.n++;
    }
    if (ret < 0) {
        goto out;
    }
    hopts = o->http;
    if (hopts.user_agent == NULL) {
        hopts.user_agent = cfg->user_agent;
    }
    hopts.deadline = o->deadline;
    hopts.stop = o->stop;
    hopts.on_wait = on_wait;
    hopts.on_wait_arg = &f;
    f.http = cnd_http_new(&hopts, &err);
    if (f.http == NULL) {
        ret = err;
        goto out;
    }
    for (i = 0; i < f.n && ret == 0; i++) {
        if (f.fs[i].state != S_DONE) {
            ret = start(&f.fs[i]);
        }
    }
    while (ret == 0) {
        struct cnd_http_result *r = NULL;
        struct fsrc *fs;
        int got = cnd_http_next(f.http, &r);

        if (got <= 0) {
            ret = got;
            break;
        }
        fs = r->user;
        if (r->err == CND_ESTOP) {
            stopped(fs, r->error);
        } else if (fs->state == S_LOGIN) {
            ret = on_login(fs, r);
        } else {
            ret = on_page(fs, r);
        }
        cnd_http_result_free(r);
    }
out:
    for (i = 0; i < f.n; i++) {
        if (ret < 0 && f.fs[i].state != S_DONE) {
            fail(&f.fs[i], 0, "the run failed: %s", cnd_strerror(ret));
        } else if (f.fs[i].state != S_DONE) {
            finish(&f.fs[i]);
        }
        cnd_source_free(f.fs[i].src);
        cnd_archive_free(f.fs[i].ar);
        cnd_checkpoint_release(&f.fs[i].cp);
        cnd_batch_release(&f.fs[i].batch);
        cnd_free(f.fs[i].req_url);
    }
    cnd_http_free(f.http);
    for (i = 0; srcs != NULL && i < n_cfg; i++) {
        cnd_source_free(srcs[i]);
    }
    cnd_free(srcs);
    cnd_free(used);
    cnd_free(f.fs);
    res->end = cnd_http_now();
    return ret;
}
