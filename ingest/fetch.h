/* SPDX-License-Identifier: MIT */
/*
 * The fetch driver, shared by `candor fetch` and `candor run`: fetches a
 * set of configured sources concurrently (one HTTP lane each, pages of a
 * source in order), each from its checkpoint, archives every page and
 * moves the checkpoint after it. A source that fails (tries exhausted,
 * 401/403, a page that never parses, an archive write error) stops for
 * this run and the others go on; it resumes from its checkpoint next run.
 *
 *   struct cnd_fetch_opts o;
 *   struct cnd_fetch_result res;
 *   cnd_fetch_opts_init(&o);
 *   o.data_dir = cfg.data_dir; o.deadline = start + 3000; o.stop = &stop_flag;
 *   ret = cnd_fetch_run(&cfg, &o, &res, &errs);   // 0: it ran; see res
 *   for each res.sources[i]: ok / stopped / error, pages, posts ...
 *   res.segments: the archive segments written (for analysis)
 *   cnd_fetch_result_release(&res);
 *
 * Ownership: the result owns its strings; the batch handed to "on_page"
 * is borrowed for the call.
 */
#ifndef CND_FETCH_H
#define CND_FETCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/config.h"
#include "ingest/http.h"
#include "ingest/source.h"

/* What happened to one source in this run. */
struct cnd_fetch_stats {
    char *name;                 /* the configured name */
    const char *kind;           /* static: the adapter */
    int ok;                     /* 0: failed (see "error") */
    int stopped;                /* ended early by the stop flag or the deadline */
    int config_error;           /* failed on 401/403 or missing credentials */
    uint64_t pages;             /* pages archived */
    uint64_t posts;             /* posts in them (a post on two pages counts twice) */
    uint64_t skipped;           /* items skipped as unusable (deleted, bad UTF-8) */
    unsigned long requests;     /* HTTP requests sent (tries and logins) */
    unsigned long retries;
    struct cnd_http_status_count errors[CND_HTTP_MAX_STATUS];   /* status 0 = transport */
    size_t n_errors;
    double wait_seconds;        /* rate-limit waits and pacing */
    double backoff_seconds;     /* backoff after errors */
    double start, end;          /* UTC seconds */
    char *cursor;               /* the checkpoint at the end (malloced; NULL: none) */
    int caught_up;              /* the last page said there was no more */
    char error[320];            /* one line when !ok, or why it stopped */
};

enum cnd_fetch_event_type {
    CND_FETCH_START,            /* a source starts */
    CND_FETCH_PAGE,             /* a page was archived and checkpointed */
    CND_FETCH_WAIT,             /* a source waits (rate limit, backoff, pacing) */
    CND_FETCH_END,              /* a source is done (ok, stopped or failed) */
};

struct cnd_fetch_event {
    enum cnd_fetch_event_type type;
    const struct cnd_fetch_stats *src;
    size_t page_posts;          /* PAGE: posts on this page */
    long status;                /* PAGE: HTTP status */
    double wait;                /* WAIT: seconds */
    double wake_at;             /* WAIT: UTC seconds */
    const char *why;            /* WAIT: e.g. "rate limited (HTTP 429)" */
};

typedef void (*cnd_fetch_progress_fn)(void *arg, const struct cnd_fetch_event *ev);
/* Called with the posts of each archived page; a negative return fails the source. */
typedef int (*cnd_fetch_page_fn)(void *arg, const struct cnd_fetch_stats *src,
                                 const struct cnd_batch *page);

struct cnd_fetch_opts {
    const char *data_dir;       /* NULL: the config's data_dir */
    struct cnd_http_opts http;  /* timeouts, tries, caps, CA path; user_agent NULL: the
                                   config's "user_agent"; deadline/stop/on_wait: set below */
    char *const *only;          /* fetch only these source names (NULL: all enabled) */
    size_t n_only;
    long max_pages;             /* per source and run; 0: the source's own max_pages */
    int64_t since;              /* first run of a source: start at this UTC time; 0: now */
    double deadline;            /* UTC seconds; 0: none */
    volatile sig_atomic_t *stop;   /* set by a signal handler to stop; may be NULL */
    cnd_fetch_progress_fn progress;
    void *progress_arg;
    cnd_fetch_page_fn on_page;
    void *page_arg;
};

struct cnd_fetch_result {
    struct cnd_fetch_stats *sources;    /* in config order */
    size_t n;
    char **segments;                    /* archive segment paths written, malloced */
    size_t n_segments;
    char run_id[48];                    /* names the segments: START-PID */
    double start, end;
};

/* Fills "o" with the defaults (HTTP defaults, no limits). */
void cnd_fetch_opts_init(struct cnd_fetch_opts *o);

/*
 * Fetches the sources of "cfg" chosen by "o" into "res" (zeroed here).
 * Returns 0 when the run happened (whatever became of each source: see
 * res->sources), CND_EINVAL when the configuration is unusable (no
 * sources, a --source name not configured, a source's options wrong; each
 * problem appended to "errs" as one line), or CND_ENOMEM / CND_EIO when
 * the run could not start. "res" must be released in every case.
 */
int cnd_fetch_run(const struct cnd_config *cfg, const struct cnd_fetch_opts *o,
                  struct cnd_fetch_result *res, struct cnd_buf *errs);

/* 1 when every source in "res" is ok. */
int cnd_fetch_all_ok(const struct cnd_fetch_result *res);

void cnd_fetch_result_release(struct cnd_fetch_result *res);

#endif
