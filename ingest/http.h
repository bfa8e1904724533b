/* SPDX-License-Identifier: MIT */
/*
 * HTTP for the sources, over libcurl's multi interface (http.c is the only
 * file that includes <curl/curl.h>). Several sources run at once, one
 * "lane" each; a lane has at most one request in flight, so the pages of a
 * source are fetched strictly in order while the sources overlap.
 *
 * What a request goes through, so that callers only see final outcomes:
 *  - connect, total and low-speed (stall) timeouts; the total never runs
 *    past the deadline; compressed responses are asked for and decoded;
 *    the decoded body is capped (the transfer is aborted past the cap);
 *    TLS is always verified (a CA file or directory may be given);
 *    proxies come from the standard environment (http_proxy, https_proxy,
 *    no_proxy), as libcurl reads them; redirects stay on http(s), never
 *    from https down to http, at most 5;
 *  - 429 (and 503 with Retry-After) waits as the response says
 *    (Retry-After, or the rate-limit reset), bounded by "max_wait"; without
 *    either it backs off exponentially, never retrying at once;
 *  - 408, 5xx and transport errors (timeouts, resets, a body shorter than
 *    its Content-Length, a bad gzip stream) back off exponentially with
 *    jitter up to "backoff_cap", at most "max_tries" tries in all;
 *  - after a 2xx, the rate-limit headers pace the lane's next request
 *    before the limit is hit;
 *  - every wait ends before the deadline, or the request ends with
 *    CND_ESTOP; the stop flag (set by a signal handler) ends all requests
 *    with CND_ESTOP within a fraction of a second.
 * Messages never contain a URL (they may hold secrets); headers marked
 * secret (Authorization) and secret bodies are never logged or kept.
 */
#ifndef CND_HTTP_H
#define CND_HTTP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest/source.h"

struct cnd_http_lane;

/* Called when a lane starts waiting (retry, rate limit or pacing). */
typedef void (*cnd_http_wait_fn)(void *arg, struct cnd_http_lane *lane, double seconds,
                                 double wake_at, const char *why);

struct cnd_http_opts {
    const char *user_agent;      /* NULL: "candor/VERSION" */
    const char *ca_path;         /* CA bundle file or directory; NULL: the system's */
    double connect_timeout;      /* seconds; default 15 */
    double timeout;              /* whole request, seconds; default 120 */
    double stall_time;           /* abort below 1 byte/s for this long; default 30 */
    size_t max_body;             /* decoded body cap in bytes; default 16 MiB */
    unsigned max_tries;          /* per request, first try included; default 5 */
    double backoff_base;         /* first backoff, seconds; default 2 */
    double backoff_cap;          /* longest backoff, seconds; default 120 */
    double max_wait;             /* longest rate-limit wait, seconds; default 900 */
    double deadline;             /* UTC seconds; 0 = none */
    volatile sig_atomic_t *stop; /* non-zero: stop now; may be NULL */
    cnd_http_wait_fn on_wait;    /* may be NULL */
    void *on_wait_arg;
};

/* Fills "o" with the defaults above. */
void cnd_http_opts_default(struct cnd_http_opts *o);

/* Counts per status of the non-2xx responses of a lane. */
#define CND_HTTP_MAX_STATUS 16

struct cnd_http_status_count {
    long status;      /* HTTP status, or 0 for transport errors */
    unsigned long n;
};

/*
 * One lane per source, owned by the caller (cnd_http_lane_init). The
 * counters are for the caller to read; the rest is http.c's.
 */
struct cnd_http_lane {
    const char *name;             /* for log lines (borrowed) */
    void *user;                   /* the caller's */
    unsigned long requests;       /* tries sent */
    unsigned long retries;        /* tries that were retries */
    double wait_seconds;          /* time waited for rate limits and pacing */
    double backoff_seconds;       /* time waited in backoff */
    struct cnd_http_status_count errors[CND_HTTP_MAX_STATUS];
    size_t n_errors;
    double not_before;            /* pacing: UTC time of the next request */
    int busy;                     /* a request is queued or in flight */
};

void cnd_http_lane_init(struct cnd_http_lane *lane, const char *name, void *user);
/* Counts one error with "status" (0: transport) in "lane->errors". */
void cnd_http_lane_count(struct cnd_http_lane *lane, long status);

/*
 * A finished request, owned by the caller (cnd_http_result_free). "resp"
 * views the body (NUL-terminated) and every response header, as adapters
 * want them.
 */
struct cnd_http_result {
    struct cnd_http_lane *lane;
    void *user;                   /* as given to cnd_http_submit */
    int err;                      /* see cnd_http_next */
    long status;                  /* last HTTP status, 0 when none came */
    struct cnd_response resp;
    double fetched_at;            /* UTC seconds when the response ended */
    unsigned tries;
    char error[256];              /* one line, no URL, when err != 0 */
};

void cnd_http_result_free(struct cnd_http_result *r);

struct cnd_http;

/*
 * Returns a client with options "o" (copied; the strings are borrowed and
 * must outlive it), or NULL with "*err" (CND_ENOMEM, CND_EIO when libcurl
 * cannot start).
 */
struct cnd_http *cnd_http_new(const struct cnd_http_opts *o, int *err);
/* Aborts what is in flight and frees the client; NULL is fine. */
void cnd_http_free(struct cnd_http *h);

/*
 * Queues "req" (copied; secrets stay marked) on "lane", to start after
 * "delay" seconds and after the lane's pacing time. "user" comes back in
 * the result. Returns 0, CND_EINVAL when the lane is busy, CND_ENOMEM.
 */
int cnd_http_submit(struct cnd_http *h, struct cnd_http_lane *lane, const struct cnd_request *req,
                    void *user, double delay);

/*
 * Runs transfers until one request finishes, and hands it over in "*out".
 * Returns 1 with a result, 0 when nothing is queued or in flight, or a
 * negative code when the client itself fails (CND_ENOMEM). A result's
 * "err":
 *   0            a final response: 2xx, or a status that is not retried
 *                (4xx other than 408/429); "status" says which
 *   CND_EAGAIN   tries exhausted on 408/429/5xx or transport errors
 *   CND_ETOOBIG  the body passed "max_body"
 *   CND_ELIMIT   a rate-limit wait longer than "max_wait" was asked for
 *   CND_ESTOP    the stop flag was set, or the deadline came (also when a
 *                wait would end after it)
 *   CND_EIO      a transport error that retrying cannot fix (TLS
 *                certificate, bad URL, too many redirects)
 */
int cnd_http_next(struct cnd_http *h, struct cnd_http_result **out);

/*
 * The UTC time now, as the client sees it (seconds with a fraction).
 */
double cnd_http_now(void);

/*
 * Posts "len" bytes of JSON "body" to "url" and waits for the answer
 * (timeouts, 429 waits and backoff on 5xx/transport errors as above, with
 * "o", which may be NULL for the defaults). For alert webhooks. Returns 0
 * on a 2xx, else CND_EHTTP (other 4xx), CND_EAUTH (401/403), CND_EAGAIN,
 * CND_ESTOP, CND_EIO, CND_ENOMEM, with a one-line message in "errbuf"
 * that never contains the URL (webhook URLs hold secrets).
 */
int cnd_http_post_json(const struct cnd_http_opts *o, const char *url, const char *body,
                       size_t len, char *errbuf, size_t errlen);

/*
 * Writes into "b" the URL "url" with the values of query parameters that
 * may hold secrets (token, access_token, key, api_key, apikey, secret,
 * client_secret, password, sig, signature, auth, code) replaced by
 * "REDACTED", and any user:password@ removed. Returns 0 or CND_ENOMEM.
 */
int cnd_url_redact(struct cnd_buf *b, const char *url);

#endif
