/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client of the sources: libcurl's multi interface with one lane
 * per source (see http.h for the policy). This is the only file that
 * includes <curl/curl.h>.
 *
 * A request is an "xfer" that lives until its final outcome: it is either
 * waiting (for its start time: a retry, a rate-limit wait, pacing) or
 * running (its easy handle is in the multi handle). Each try gets a fresh
 * easy handle; connections are still reused through the multi handle's
 * connection cache. The loop polls at least every 200 ms so that the stop
 * flag and the deadline are seen promptly.
 */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "ingest/http.h"
#include "ingest/ratelimit.h"

#define HTTP_MAX_HEADERS 128
#define HTTP_MAX_HEADER_BYTES (256u << 10)
#define HTTP_POLL_MS 200
#define HTTP_LONG_WAIT 60.0       /* waits at least this long are logged as warnings */

struct xfer {
    struct cnd_http *h;
    struct cnd_http_lane *lane;
    void *user;
    struct xfer *next;
    CURL *easy;
    struct curl_slist *hdrs;
    char *url;
    int post;
    char *body;
    size_t body_len;
    int body_secret;
    struct cnd_buf in;
    struct cnd_header *rh;
    size_t n_rh;
    size_t rh_bytes;
    unsigned tries;           /* tries sent */
    unsigned told_waits;      /* 429/503 waits as the server told */
    double wake_at;
    int running;
    int too_big;
    char errbuf[CURL_ERROR_SIZE];
};

struct done {
    struct cnd_http_result *r;
    struct done *next;
};

struct cnd_http {
    struct cnd_http_opts o;
    CURLM *multi;
    struct xfer *xfers;
    struct done *done, *done_tail;
    uint64_t rng;
};

static int global_refs;

/* ---- Small helpers ---- */

double cnd_http_now(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return (double)time(NULL);
    }
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rnd01(struct cnd_http *h)
{
    /* xorshift64*: jitter only, nothing secret */
    h->rng ^= h->rng >> 12;
    h->rng ^= h->rng << 25;
    h->rng ^= h->rng >> 27;
    return (double)((h->rng * 2685821657736338717ull) >> 11) / 9007199254740992.0;
}

static void wipe(char *s, size_t len)
{
    volatile char *p = s;
    size_t i;

    for (i = 0; s != NULL && i < len; i++) {
        p[i] = 0;
    }
}

static void fmt_wake(double t, char out[21])
{
    cnd_time_format((int64_t)ceil(t), out);
}

void cnd_http_opts_default(struct cnd_http_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->connect_timeout = 15;
    o->timeout = 120;
    o->stall_time = 30;
    o->max_body = 16u << 20;
    o->max_tries = 5;
    o->backoff_base = 2;
    o->backoff_cap = 120;
    o->max_wait = 900;
}

void cnd_http_lane_init(struct cnd_http_lane *lane, const char *name, void *user)
{
    memset(lane, 0, sizeof(*lane));
    lane->name = name ? name : "http";
    lane->user = user;
}

void cnd_http_lane_count(struct cnd_http_lane *lane, long status)
{
    size_t i;

    for (i = 0; i < lane->n_errors; i++) {
        if (lane->errors[i].status == status) {
            lane->errors[i].n++;
            return;
        }
    }
    if (lane->n_errors < CND_HTTP_MAX_STATUS) {
        lane->errors[lane->n_errors].status = status;
        lane->errors[lane->n_errors].n = 1;
        lane->n_errors++;
    }
}

void cnd_http_result_free(struct cnd_http_result *r)
{
    size_t i;

    if (r == NULL) {
        return;
    }
    cnd_free((char *)r->resp.body);
    for (i = 0; i < r->resp.n_headers; i++) {
        cnd_free((char *)r->resp.headers[i].name);
        cnd_free((char *)r->resp.headers[i].value);
    }
    cnd_free((struct cnd_header *)r->resp.headers);
    cnd_free(r);
}

/* ---- Transfers ---- */

static void free_headers(struct xfer *x)
{
    size_t i;

    for (i = 0; i < x->n_rh; i++) {
        cnd_free((char *)x->rh[i].name);
        cnd_free((char *)x->rh[i].value);
    }
    cnd_free(x->rh);
    x->rh = NULL;
    x->n_rh = 0;
    x->rh_bytes = 0;
}

static void easy_drop(struct xfer *x)
{
    if (x->easy != NULL) {
        if (x->running) {
            curl_multi_remove_handle(x->h->multi, x->easy);
        }
        curl_easy_cleanup(x->easy);
        x->easy = NULL;
    }
    x->running = 0;
}

static void xfer_free(struct xfer *x)
{
    struct curl_slist *s;

    easy_drop(x);
    for (s = x->hdrs; s != NULL; s = s->next) {
        wipe(s->data, strlen(s->data));   /* may hold Authorization */
    }
    curl_slist_free_all(x->hdrs);
    cnd_free(x->url);
    if (x->body_secret) {
        wipe(x->body, x->body_len);
    }
    cnd_free(x->body);
    cnd_buf_release(&x->in);
    free_headers(x);
    cnd_free(x);
}

static void unlink_xfer(struct cnd_http *h, struct xfer *x)
{
    struct xfer **pp;

    for (pp = &h->xfers; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == x) {
            *pp = x->next;
            return;
        }
    }
}

/*
 * Ends "x" with "err" and message "msg" (printf-style): moves its
 * response into a result on the done list and frees it.
 */
static int finalize(struct xfer *x, int err, long status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int finalize(struct xfer *x, int err, long status, const char *fmt, ...)
{
    struct cnd_http *h = x->h;
    struct cnd_http_result *r = cnd_calloc(1, sizeof(*r));
    struct done *d = cnd_calloc(1, sizeof(*d));
    va_list ap;

    unlink_xfer(h, x);
    x->lane->busy = 0;
    if (r == NULL || d == NULL) {
        cnd_free(r);
        cnd_free(d);
        xfer_free(x);
        return CND_ENOMEM;
    }
    r->lane = x->lane;
    r->user = x->user;
    r->err = err;
    r->status = status;
    r->tries = x->tries;
    r->fetched_at = cnd_http_now();
    if (fmt != NULL) {
        va_start(ap, fmt);
        vsnprintf(r->error, sizeof(r->error), fmt, ap);
        va_end(ap);
    }
    r->resp.status = status;
    r->resp.len = x->in.len;
    r->resp.body = x->in.data ? cnd_buf_detach(&x->in) : cnd_strdup("");
    r->resp.headers = x->rh;
    r->resp.n_headers = x->n_rh;
    x->rh = NULL;
    x->n_rh = 0;
    xfer_free(x);
    if (r->resp.body == NULL) {
        cnd_http_result_free(r);
        cnd_free(d);
        return CND_ENOMEM;
    }
    d->r = r;
    if (h->done_tail) {
        h->done_tail->next = d;
    } else {
        h->done = d;
    }
    h->done_tail = d;
    return 0;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;

    if (cnd_buf_add(&x->in, data, len) < 0) {
        x->too_big = x->in.max > 0 && x->in.len + len > x->in.max;
        return 0;   /* aborts the transfer (CURLE_WRITE_ERROR) */
    }
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n, nl, vs, ve;
    char *name, *value;
    struct cnd_header *nh;

    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        free_headers(x);   /* a new response (after a redirect or 100) */
        return len;
    }
    for (nl = 0; nl < len && data[nl] != ':'; nl++) {
    }
    if (nl == 0 || nl == len || x->n_rh >= HTTP_MAX_HEADERS ||
        x->rh_bytes + len > HTTP_MAX_HEADER_BYTES) {
        return len;
    }
    for (vs = nl + 1; vs < len && (data[vs] == ' ' || data[vs] == '\t'); vs++) {
    }
    for (ve = len; ve > vs && (data[ve - 1] == '\r' || data[ve - 1] == '\n' ||
                               data[ve - 1] == ' ' || data[ve - 1] == '\t'); ve--) {
    }
    nh = cnd_realloc(x->rh, (x->n_rh + 1) * sizeof(*nh));
    if (nh == NULL) {
        return 0;
    }
    x->rh = nh;
    name = cnd_strndup(data, nl);
    value = cnd_strndup(data + vs, ve - vs);
    if (name == NULL || value == NULL) {
        cnd_free(name);
        cnd_free(value);
        return 0;
    }
    x->rh[x->n_rh].name = name;
    x->rh[x->n_rh].value = value;
    x->n_rh++;
    x->rh_bytes += len;
    return len;
}

/* Transport errors that another try cannot fix. */
static int permanent(CURLcode rc)
{
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FILESIZE_EXCEEDED:
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED:
        return 1;
    default:
        return 0;
    }
}

#define SETOPT(opt, val)                                       \
    do {                                                       \
        if (curl_easy_setopt(x->easy, (opt), (val)) != CURLE_OK) { \
            goto fail;                                         \
        }                                                      \
    } while (0)

/* Creates the easy handle of the next try and adds it to the multi handle. */
static int xfer_start(struct xfer *x, double now)
{
    const struct cnd_http_opts *o = &x->h->o;
    double total = o->timeout;
    long stall = (long)ceil(o->stall_time);

    x->easy = curl_easy_init();
    if (x->easy == NULL) {
        return CND_ENOMEM;
    }
    cnd_buf_reset(&x->in);
    free_headers(x);
    x->too_big = 0;
    x->errbuf[0] = '\0';
    if (o->deadline > 0 && o->deadline - now < total) {
        total = o->deadline - now;
    }
    if (total < 0.001) {
        total = 0.001;
    }
    SETOPT(CURLOPT_URL, x->url);
    SETOPT(CURLOPT_PRIVATE, (void *)x);
    SETOPT(CURLOPT_NOSIGNAL, 1L);
    SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
    SETOPT(CURLOPT_REDIR_PROTOCOLS_STR,
           strncasecmp(x->url, "https:", 6) == 0 ? "https" : "http,https");
    SETOPT(CURLOPT_FOLLOWLOCATION, 1L);
    SETOPT(CURLOPT_MAXREDIRS, 5L);
    SETOPT(CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "candor/" CND_VERSION);
    SETOPT(CURLOPT_ACCEPT_ENCODING, "");
    SETOPT(CURLOPT_CONNECTTIMEOUT_MS, (long)(o->connect_timeout * 1000));
    SETOPT(CURLOPT_TIMEOUT_MS, (long)(total * 1000));
    SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SETOPT(CURLOPT_LOW_SPEED_TIME, stall < 1 ? 1L : stall);
    SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
    SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_path != NULL) {
        size_t n = strlen(o->ca_path);

        if (n > 0 && o->ca_path[n - 1] == '/') {
            SETOPT(CURLOPT_CAPATH, o->ca_path);
        } else {
            SETOPT(CURLOPT_CAINFO, o->ca_path);
        }
    }
    if (o->max_body > 0) {
        SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
    }
    SETOPT(CURLOPT_HTTPHEADER, x->hdrs);
    SETOPT(CURLOPT_WRITEFUNCTION, on_body);
    SETOPT(CURLOPT_WRITEDATA, (void *)x);
    SETOPT(CURLOPT_HEADERFUNCTION, on_header);
    SETOPT(CURLOPT_HEADERDATA, (void *)x);
    SETOPT(CURLOPT_ERRORBUFFER, x->errbuf);
    if (x->post) {
        SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
        SETOPT(CURLOPT_POSTFIELDS, x->body ? x->body : "");
    } else {
        SETOPT(CURLOPT_HTTPGET, 1L);
    }
    if (curl_multi_add_handle(x->h->multi, x->easy) != CURLM_OK) {
        goto fail;
    }
    x->running = 1;
    x->tries++;
    x->lane->requests++;
    if (x->tries > 1) {
        x->lane->retries++;
    }
    return 0;
fail:
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
    return CND_ENOMEM;
}

/*
 * Schedules the next try of "x" after "delay" seconds ("told": the server
 * said how long; "why": for the log), or ends it when that would pass the
 * deadline.
 */
static int retry_after(struct xfer *x, double now, double delay, int told, const char *why)
{
    struct cnd_http *h = x->h;
    char wake[21];
    double at = now + delay;

    easy_drop(x);
    fmt_wake(at, wake);
    if (h->o.deadline > 0 && at >= h->o.deadline) {
        return finalize(x, CND_ESTOP, 0, "%s: the next try would be at %s, after the run's "
                        "deadline", why, wake);
    }
    if (told) {
        x->lane->wait_seconds += delay;
    } else {
        x->lane->backoff_seconds += delay;
    }
    if (told) {
        cnd_log(delay >= HTTP_LONG_WAIT ? CND_LOG_WARN : CND_LOG_INFO, "http",
                "'%s': %s: sleeping %.1f s until %s as told", x->lane->name, why, delay, wake);
    } else {
        cnd_log(delay >= HTTP_LONG_WAIT ? CND_LOG_WARN : CND_LOG_INFO, "http",
                "'%s': %s: try %u of %u after sleeping %.1f s until %s", x->lane->name, why,
                x->tries + 1, h->o.max_tries, delay, wake);
    }
    if (h->o.on_wait) {
        h->o.on_wait(h->o.on_wait_arg, x->lane, delay, at, why);
    }
    x->wake_at = at;
    return 0;
}

/* Sorts the outcome of one try. */
static int xfer_done(struct xfer *x, CURLcode rc)
{
    struct cnd_http *h = x->h;
    const struct cnd_http_opts *o = &h->o;
    double now = cnd_http_now();
    long status = 0;
    char why[160];

    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        cnd_http_lane_count(x->lane, status);
        return finalize(x, CND_ETOOBIG, status, "response larger than %zu bytes (max_body)",
                        o->max_body);
    }
    if (rc != CURLE_OK) {
        const char *msg = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);

        cnd_http_lane_count(x->lane, 0);
        if (permanent(rc)) {
            return finalize(x, CND_EIO, 0, "%s (curl error %d)", msg, (int)rc);
        }
        snprintf(why, sizeof(why), "%.120s (curl error %d)", msg, (int)rc);
        if (x->tries >= o->max_tries) {
            return finalize(x, CND_EAGAIN, 0, "%s; gave up after %u tries", why, x->tries);
        }
        return retry_after(x, now, cnd_backoff_delay(o->backoff_base, o->backoff_cap, x->tries,
                                                     rnd01(h)), 0, why);
    }
    if (status >= 200 && status < 300) {
        struct cnd_ratelimit rl;
        double wait;

        cnd_ratelimit_parse(x->rh, x->n_rh, now, &rl);
        wait = cnd_ratelimit_wait(&rl, status, now);
        if (wait > o->max_wait) {
            wait = o->max_wait;
        }
        if (wait > 0 && now + wait > x->lane->not_before) {
            x->lane->not_before = now + wait;
        }
        return finalize(x, 0, status, NULL);
    }
    if (status == 408 || status == 429 || status >= 500) {
        struct cnd_ratelimit rl;
        double wait = -1;

        cnd_http_lane_count(x->lane, status);
        if (status == 429 || status == 503) {
            cnd_ratelimit_parse(x->rh, x->n_rh, now, &rl);
            wait = cnd_ratelimit_wait(&rl, status, now);
        }
        if (wait >= 0) {
            snprintf(why, sizeof(why), "rate limited (HTTP %ld)", status);
            if (wait > o->max_wait) {
                char wake[21];

                fmt_wake(now + wait, wake);
                return finalize(x, CND_ELIMIT, status, "%s until %s, longer than the longest "
                                "wait (%.0f s)", why, wake, o->max_wait);
            }
            x->told_waits++;
            if (x->told_waits > o->max_tries) {
                return finalize(x, CND_EAGAIN, status, "%s; gave up after %u waits", why,
                                x->told_waits - 1);
            }
            x->tries--;   /* a wait the server asked for is not a failed try */
            return retry_after(x, now, wait, 1, why);
        }
        snprintf(why, sizeof(why), "HTTP %ld", status);
        if (x->tries >= o->max_tries) {
            return finalize(x, CND_EAGAIN, status, "HTTP %ld; gave up after %u tries", status,
                            x->tries);
        }
        return retry_after(x, now, cnd_backoff_delay(o->backoff_base, o->backoff_cap, x->tries,
                                                     rnd01(h)), 0, why);
    }
    cnd_http_lane_count(x->lane, status);
    return finalize(x, 0, status, "HTTP %ld", status);
}

/* ---- The client ---- */

struct cnd_http *cnd_http_new(const struct cnd_http_opts *o, int *err)
{
    struct cnd_http *h;

    if (global_refs == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        *err = CND_EIO;
        return NULL;
    }
    global_refs++;
    h = cnd_calloc(1, sizeof(*h));
    if (h == NULL) {
        *err = CND_ENOMEM;
        goto fail;
    }
    if (o != NULL) {
        h->o = *o;
    } else {
        cnd_http_opts_default(&h->o);
    }
    if (h->o.max_tries == 0) {
        h->o.max_tries = 1;
    }
    h->multi = curl_multi_init();
    if (h->multi == NULL) {
        *err = CND_ENOMEM;
        goto fail;
    }
    h->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)h;
    if (h->rng == 0) {
        h->rng = 88172645463325252ull;
    }
    return h;
fail:
    cnd_free(h);
    if (--global_refs == 0) {
        curl_global_cleanup();
    }
    return NULL;
}

void cnd_http_free(struct cnd_http *h)
{
    if (h == NULL) {
        return;
    }
    while (h->xfers != NULL) {
        struct xfer *x = h->xfers;

        h->xfers = x->next;
        x->lane->busy = 0;
        xfer_free(x);
    }
    while (h->done != NULL) {
        struct done *d = h->done;

        h->done = d->next;
        cnd_http_result_free(d->r);
        cnd_free(d);
    }
    curl_multi_cleanup(h->multi);
    cnd_free(h);
    if (--global_refs == 0) {
        curl_global_cleanup();
    }
}

static int add_header(struct xfer *x, const char *name, const char *value)
{
    struct cnd_buf line;
    struct curl_slist *s;

    cnd_buf_init(&line, 0);
    if (cnd_buf_addf(&line, "%s: %s", name, value) < 0) {
        cnd_buf_release(&line);
        return CND_ENOMEM;
    }
    s = curl_slist_append(x->hdrs, line.data);
    wipe(line.data, line.len);
    cnd_buf_release(&line);
    if (s == NULL) {
        return CND_ENOMEM;
    }
    x->hdrs = s;
    return 0;
}

int cnd_http_submit(struct cnd_http *h, struct cnd_http_lane *lane, const struct cnd_request *req,
                    void *user, double delay)
{
    struct xfer *x;
    double now = cnd_http_now(), at;
    size_t i;
    int ret = 0;

    if (lane->busy || req->url == NULL) {
        return CND_EINVAL;
    }
    x = cnd_calloc(1, sizeof(*x));
    if (x == NULL) {
        return CND_ENOMEM;
    }
    x->h = h;
    x->lane = lane;
    x->user = user;
    cnd_buf_init(&x->in, h->o.max_body);
    x->url = cnd_strdup(req->url);
    x->post = req->method != NULL && strcmp(req->method, "POST") == 0;
    x->body_secret = req->body_secret;
    if (req->body != NULL) {
        x->body = cnd_malloc(req->body_len + 1);
        if (x->body != NULL) {
            memcpy(x->body, req->body, req->body_len);
            x->body[req->body_len] = '\0';
            x->body_len = req->body_len;
        }
    }
    if (x->url == NULL || (req->body != NULL && x->body == NULL)) {
        ret = CND_ENOMEM;
    }
    if (ret == 0 && cnd_request_header(req, "Accept") == NULL) {
        ret = add_header(x, "Accept", "application/json, */*;q=0.5");
    }
    if (ret == 0 && req->content_type != NULL && cnd_request_header(req, "Content-Type") == NULL) {
        ret = add_header(x, "Content-Type", req->content_type);
    }
    if (ret == 0 && x->post) {
        ret = add_header(x, "Expect", "");   /* no 100-continue round trip */
    }
    for (i = 0; ret == 0 && i < req->n_headers; i++) {
        ret = add_header(x, req->headers[i].name, req->headers[i].value);
    }
    if (ret < 0) {
        xfer_free(x);
        return ret;
    }
    lane->busy = 1;
    x->next = h->xfers;
    h->xfers = x;
    at = now + (delay > 0 ? delay : 0);
    if (lane->not_before > at) {
        double wait = lane->not_before - now;
        char wake[21];

        at = lane->not_before;
        fmt_wake(at, wake);
        if (h->o.deadline > 0 && at >= h->o.deadline) {
            return finalize(x, CND_ESTOP, 0, "pacing for the rate limit until %s, after the "
                            "run's deadline", wake);
        }
        lane->wait_seconds += wait;
        cnd_log(wait >= HTTP_LONG_WAIT ? CND_LOG_WARN : CND_LOG_INFO, "http",
                "'%s': near the rate limit: sleeping %.1f s until %s", lane->name, wait, wake);
        if (h->o.on_wait) {
            h->o.on_wait(h->o.on_wait_arg, lane, wait, at, "pacing for the rate limit");
        }
    } else if (delay > 0) {
        char wake[21];

        fmt_wake(at, wake);
        if (h->o.deadline > 0 && at >= h->o.deadline) {
            return finalize(x, CND_ESTOP, 0, "the next try would be at %s, after the run's "
                            "deadline", wake);
        }
        lane->backoff_seconds += delay;
        if (h->o.on_wait) {
            h->o.on_wait(h->o.on_wait_arg, lane, delay, at, "backing off");
        }
    }
    x->wake_at = at;
    return 0;
}

static int stop_all(struct cnd_http *h, const char *why)
{
    int ret = 0;

    while (h->xfers != NULL && ret == 0) {
        ret = finalize(h->xfers, CND_ESTOP, 0, "%s", why);
    }
    return ret;
}

int cnd_http_next(struct cnd_http *h, struct cnd_http_result **out)
{
    for (;;) {
        struct xfer *x, *nx;
        struct CURLMsg *msg;
        double now, next_wake = 0;
        long ms = HTTP_POLL_MS, cm = -1;
        int left, ret = 0;

        if (h->done != NULL) {
            struct done *d = h->done;

            h->done = d->next;
            if (h->done == NULL) {
                h->done_tail = NULL;
            }
            *out = d->r;
            cnd_free(d);
            return 1;
        }
        if (h->xfers == NULL) {
            return 0;
        }
        now = cnd_http_now();
        if (h->o.stop != NULL && *h->o.stop) {
            ret = stop_all(h, "stopped");
        } else if (h->o.deadline > 0 && now >= h->o.deadline) {
            ret = stop_all(h, "the run's deadline came");
        }
        if (ret < 0) {
            return ret;
        }
        if (h->done != NULL) {
            continue;
        }
        for (x = h->xfers; x != NULL; x = nx) {
            nx = x->next;
            if (!x->running && x->wake_at <= now) {
                ret = xfer_start(x, now);
                if (ret < 0) {
                    ret = finalize(x, ret, 0, "cannot start the request: %s", cnd_strerror(ret));
                    if (ret < 0) {
                        return ret;
                    }
                }
            }
        }
        if (curl_multi_perform(h->multi, &left) != CURLM_OK) {
            return CND_ENOMEM;
        }
        while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
            char *priv = NULL;

            if (msg->msg != CURLMSG_DONE) {
                continue;
            }
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            x = (struct xfer *)(void *)priv;
            if (x != NULL) {
                CURLcode rc = msg->data.result;

                ret = xfer_done(x, rc);
                if (ret < 0) {
                    return ret;
                }
            }
        }
        if (h->done != NULL) {
            continue;
        }
        for (x = h->xfers; x != NULL; x = x->next) {
            if (!x->running && (next_wake == 0 || x->wake_at < next_wake)) {
                next_wake = x->wake_at;
            }
        }
        if (next_wake > 0) {
            double d = (next_wake - cnd_http_now()) * 1000;

            if (d < ms) {
                ms = d < 0 ? 0 : (long)d + 1;
            }
        }
        if (curl_multi_timeout(h->multi, &cm) == CURLM_OK && cm >= 0 && cm < ms) {
            ms = cm;
        }
        if (curl_multi_poll(h->multi, NULL, 0, (int)ms, NULL) != CURLM_OK) {
            return CND_ENOMEM;
        }
    }
}

/* ---- A blocking POST (webhooks) ---- */

int cnd_http_post_json(const struct cnd_http_opts *o, const char *url, const char *body,
                       size_t len, char *errbuf, size_t errlen)
{
    struct cnd_http_opts opts;
    struct cnd_http_lane lane;
    struct cnd_http_result *r = NULL;
    struct cnd_request req;
    struct cnd_http *h;
    int ret, err = 0;

    if (errlen) {
        errbuf[0] = '\0';
    }
    if (o != NULL) {
        opts = *o;
    } else {
        cnd_http_opts_default(&opts);
    }
    opts.on_wait = NULL;
    h = cnd_http_new(&opts, &err);
    if (h == NULL) {
        snprintf(errbuf, errlen, "cannot start the http client: %s", cnd_strerror(err));
        return err;
    }
    cnd_http_lane_init(&lane, "webhook", NULL);
    cnd_request_init(&req);
    req.method = "POST";
    req.url = (char *)url;
    req.body = (char *)body;
    req.body_len = len;
    req.content_type = "application/json";
    ret = cnd_http_submit(h, &lane, &req, NULL, 0);
    if (ret == 0) {
        ret = cnd_http_next(h, &r);
        ret = ret == 1 ? 0 : (ret == 0 ? CND_EIO : ret);
    }
    if (ret < 0) {
        snprintf(errbuf, errlen, "webhook: %s", cnd_strerror(ret));
    } else if (r->err < 0) {
        ret = r->err;
        snprintf(errbuf, errlen, "webhook: %s", r->error);
    } else if (r->status < 200 || r->status >= 300) {
        ret = cnd_http_status_err(r->status);
        if (ret == 0) {
            ret = CND_EHTTP;
        }
        snprintf(errbuf, errlen, "webhook: HTTP %ld", r->status);
    }
    cnd_http_result_free(r);
    cnd_http_free(h);
    return ret;
}

/* ---- Redaction ---- */

static int secret_param(const char *name, size_t len)
{
    static const char *const names[] = {
        "token", "access_token", "refresh_token", "key", "api_key", "apikey", "secret",
        "client_secret", "password", "passwd", "sig", "signature", "auth", "code", NULL,
    };
    size_t i;

    for (i = 0; names[i]; i++) {
        if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0) {
            return 1;
        }
    }
    return 0;
}

int cnd_url_redact(struct cnd_buf *b, const char *url)
{
    const char *scheme = strstr(url, "://"), *p = url, *q;
    int ret = 0;

    if (scheme != NULL) {
        const char *host = scheme + 3, *end = host + strcspn(host, "/?#"), *at = NULL;

        for (q = host; q < end; q++) {
            if (*q == '@') {
                at = q;
            }
        }
        ret = cnd_buf_add(b, url, (size_t)(host - url));
        p = at ? at + 1 : host;
    }
    q = strchr(p, '?');
    if (q == NULL) {
        return ret == 0 ? cnd_buf_adds(b, p) : ret;
    }
    if (ret == 0) {
        ret = cnd_buf_add(b, p, (size_t)(q + 1 - p));
    }
    p = q + 1;
    while (ret == 0 && *p && *p != '#') {
        size_t n = strcspn(p, "&#"), k = strcspn(p, "=&#");

        if (k < n && secret_param(p, k)) {
            ret = cnd_buf_add(b, p, k + 1);
            if (ret == 0) {
                ret = cnd_buf_adds(b, "REDACTED");
            }
        } else {
            ret = cnd_buf_add(b, p, n);
        }
        p += n;
        if (ret == 0 && *p == '&') {
            ret = cnd_buf_addc(b, '&');
            p++;
        }
    }
    if (ret == 0 && *p == '#') {
        ret = cnd_buf_adds(b, p);
    }
    return ret;
}
