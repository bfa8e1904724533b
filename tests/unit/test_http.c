/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client against a scripted server on 127.0.0.1 (a forked child
 * answering each connection with the next canned response): retries
 * after 5xx, waits told by 429, the size cap, the stop flag, the deadline,
 * the longest wait, pacing, and the blocking webhook POST whose messages
 * never carry the URL.
 */
#include "tests/unit/check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/log.h"
#include "ingest/http.h"
#include "output/output.h"

struct server {
    pid_t pid;
    int port;
};

/* Reads one request (headers and a Content-Length body) from "fd". */
static void read_request(int fd)
{
    char buf[65536];
    size_t n = 0;
    long clen = 0;
    char *end = NULL;

    while (n < sizeof(buf) - 1) {
        ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);

        if (r <= 0) {
            return;
        }
        n += (size_t)r;
        buf[n] = '\0';
        end = strstr(buf, "\r\n\r\n");
        if (end != NULL) {
            char *cl = strstr(buf, "\r\nContent-Length:");

            clen = cl ? strtol(cl + 17, NULL, 10) : 0;
            if ((long)(n - (size_t)(end + 4 - buf)) >= clen) {
                return;
            }
        }
    }
}

/* Serves "responses" (NULL-terminated), one per connection, then exits. */
static struct server serve(const char *const *responses)
{
    struct server s = { -1, 0 };
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(lfd, 16) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
        close(lfd);
        return s;
    }
    s.port = ntohs(a.sin_port);
    fflush(NULL);
    s.pid = fork();
    if (s.pid == 0) {
        size_t i;

        for (i = 0; responses[i]; i++) {
            int fd = accept(lfd, NULL, NULL);
            size_t off = 0, len = strlen(responses[i]);

            if (fd < 0) {
                _exit(1);
            }
            read_request(fd);
            while (off < len) {
                ssize_t w = write(fd, responses[i] + off, len - off);

                if (w <= 0) {
                    break;
                }
                off += (size_t)w;
            }
            shutdown(fd, SHUT_WR);
            close(fd);
        }
        _exit(0);
    }
    close(lfd);
    return s;
}

static void reap(struct server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = -1;
    }
}

static void fast_opts(struct cnd_http_opts *o)
{
    cnd_http_opts_default(o);
    o->backoff_base = 0.05;
    o->backoff_cap = 0.2;
    o->max_tries = 3;
    o->timeout = 10;
}

#define OK_JSON "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n" \
                "Link: <http://x/?page=2>; rel=\"next\"\r\nConnection: close\r\n\r\n[]"
#define E503 "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define E404 "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

/* One GET through a fresh client; the result (or NULL) in "*out". */
static int get(const struct cnd_http_opts *o, int port, struct cnd_http_lane *lane,
               struct cnd_http_result **out)
{
    struct cnd_request req;
    struct cnd_http *h;
    char url[128];
    int err = 0, ret;

    h = cnd_http_new(o, &err);
    if (h == NULL) {
        return err;
    }
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/feed?access_token=x", port);
    cnd_request_init(&req);
    req.url = url;
    ret = cnd_http_submit(h, lane, &req, lane, 0);
    if (ret == 0) {
        CHECK_INT(cnd_http_submit(h, lane, &req, lane, 0), CND_EINVAL);   /* one at a time */
        ret = cnd_http_next(h, out);
        CHECK_INT(ret, 1);
        CHECK_INT(cnd_http_next(h, out + 1), 0);
    }
    cnd_http_free(h);
    return ret;
}

static void test_retry_5xx(void)
{
    static const char *const script[] = { E503, E503, OK_JSON, NULL };
    struct server s = serve(script);
    struct cnd_http_opts o;
    struct cnd_http_lane lane;
    struct cnd_http_result *r[2] = { NULL, NULL };

    fast_opts(&o);
    cnd_http_lane_init(&lane, "t", NULL);
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL);
    if (r[0] != NULL) {
        CHECK_INT(r[0]->err, 0);
        CHECK_INT(r[0]->status, 200);
        CHECK_INT(r[0]->tries, 3);
        CHECK_MEM(r[0]->resp.body, r[0]->resp.len, "[]");
        CHECK_STR(cnd_response_header(&r[0]->resp, "link"), "<http://x/?page=2>; rel=\"next\"");
        CHECK(r[0]->user == &lane);
    }
    CHECK_INT(lane.requests, 3);
    CHECK_INT(lane.retries, 2);
    CHECK_INT(lane.n_errors, 1);
    CHECK_INT(lane.errors[0].status, 503);
    CHECK_INT(lane.errors[0].n, 2);
    CHECK(lane.backoff_seconds > 0.04);
    cnd_http_result_free(r[0]);
    reap(&s);

    /* tries exhausted: CND_EAGAIN with the last status */
    {
        static const char *const bad[] = { E503, E503, E503, NULL };
        struct server s2 = serve(bad);

        cnd_http_lane_init(&lane, "t", NULL);
        r[0] = NULL;
        CHECK_INT(get(&o, s2.port, &lane, r), 1);
        CHECK(r[0] != NULL && r[0]->err == CND_EAGAIN && r[0]->status == 503);
        CHECK(r[0] != NULL && strstr(r[0]->error, "3 tries") != NULL);
        cnd_http_result_free(r[0]);
        reap(&s2);
    }
}

static void test_429_waits(void)
{
    static const char *const script[] = {
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n",
        OK_JSON, NULL,
    };
    struct server s = serve(script);
    struct cnd_http_opts o;
    struct cnd_http_lane lane;
    struct cnd_http_result *r[2] = { NULL, NULL };
    double t0 = cnd_http_now();

    fast_opts(&o);
    cnd_http_lane_init(&lane, "t", NULL);
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL && r[0]->err == 0 && r[0]->status == 200);
    CHECK(cnd_http_now() - t0 >= 0.99);      /* waited as told, not a 0.05 s backoff */
    CHECK(lane.wait_seconds >= 0.99);
    CHECK_INT(lane.errors[0].status, 429);
    cnd_http_result_free(r[0]);
    reap(&s);
}

static void test_limits(void)
{
    static char big[8192];
    const char *script[] = { big, NULL };
    static const char *const long_wait[] = {
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 100\r\nContent-Length: 0\r\n\r\n", NULL,
    };
    struct server s;
    struct cnd_http_opts o;
    struct cnd_http_lane lane;
    struct cnd_http_result *r[2] = { NULL, NULL };
    int n, level = cnd_log_level;
    double t0;

    cnd_log_set_level(-1);
    n = snprintf(big, sizeof(big), "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
    memset(big + n, 'x', 5000);
    big[n + 5000] = '\0';
    s = serve(script);
    fast_opts(&o);
    o.max_body = 1024;
    cnd_http_lane_init(&lane, "t", NULL);
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL && r[0]->err == CND_ETOOBIG);
    CHECK(r[0] != NULL && strstr(r[0]->error, "1024") != NULL);
    cnd_http_result_free(r[0]);
    reap(&s);

    /* a wait longer than max_wait: refused at once */
    s = serve(long_wait);
    fast_opts(&o);
    o.max_wait = 10;
    t0 = cnd_http_now();
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL && r[0]->err == CND_ELIMIT);
    CHECK(cnd_http_now() - t0 < 5);
    cnd_http_result_free(r[0]);
    reap(&s);

    /* a wait past the deadline: stopped at once */
    s = serve(long_wait);
    fast_opts(&o);
    o.deadline = cnd_http_now() + 3;
    t0 = cnd_http_now();
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL && r[0]->err == CND_ESTOP);
    CHECK(r[0] != NULL && strstr(r[0]->error, "deadline") != NULL);
    CHECK(cnd_http_now() - t0 < 2);
    cnd_http_result_free(r[0]);
    reap(&s);
    cnd_log_set_level(level);
}

static void test_stop_and_pacing(void)
{
    static const char *const script[] = { OK_JSON, NULL };
    char paced[256];
    const char *pscript[] = { paced, NULL };
    volatile sig_atomic_t stop = 1;
    struct server s = serve(script);
    struct cnd_http_opts o;
    struct cnd_http_lane lane;
    struct cnd_http_result *r[2] = { NULL, NULL };
    double now;

    fast_opts(&o);
    o.stop = &stop;
    cnd_http_lane_init(&lane, "t", NULL);
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL && r[0]->err == CND_ESTOP);
    cnd_http_result_free(r[0]);
    reap(&s);

    /* nothing remains until the reset: the next request of the lane waits */
    now = cnd_http_now();
    snprintf(paced, sizeof(paced), "HTTP/1.1 200 OK\r\nRateLimit-Limit: 3000\r\n"
             "RateLimit-Remaining: 0\r\nRateLimit-Reset: %lld\r\nContent-Length: 2\r\n\r\n[]",
             (long long)now + 30);
    s = serve(pscript);
    fast_opts(&o);
    cnd_http_lane_init(&lane, "t", NULL);
    CHECK_INT(get(&o, s.port, &lane, r), 1);
    CHECK(r[0] != NULL && r[0]->err == 0);
    CHECK(lane.not_before > now + 25 && lane.not_before < now + 32);
    cnd_http_result_free(r[0]);
    reap(&s);
}

static void test_post_json(void)
{
    static const char *const ok[] = { E503, OK_JSON, NULL };
    static const char *const notfound[] = { E404, NULL };
    struct server s = serve(ok);
    struct cnd_http_opts o;
    char url[128], err[256];
    int level = cnd_log_level, port;

    cnd_log_set_level(-1);
    fast_opts(&o);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook/T0-SECRET/B1", s.port);
    CHECK_INT(cnd_http_post_json(&o, url, "{\"text\":\"hi\"}", 13, err, sizeof(err)), 0);
    CHECK_STR(err, "");
    reap(&s);

    s = serve(notfound);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook/T0-SECRET/B1", s.port);
    CHECK_INT(cnd_http_post_json(&o, url, "{}", 2, err, sizeof(err)), CND_EHTTP);
    CHECK_STR(err, "webhook: HTTP 404");
    port = s.port;
    reap(&s);

    /* nobody listens any more: transport errors, retried, then EAGAIN */
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/hook/T0-SECRET/B1", port);
    CHECK_INT(cnd_http_post_json(&o, url, "{}", 2, err, sizeof(err)), CND_EAGAIN);
    CHECK(strstr(err, "SECRET") == NULL && strstr(err, "/hook") == NULL);
    CHECK(strstr(err, "3 tries") != NULL);
    cnd_log_set_level(level);
}

static void test_bad_urls(void)
{
    struct cnd_http_opts o;
    struct cnd_http_lane lane;
    struct cnd_http_result *r = NULL;
    struct cnd_request req;
    struct cnd_http *h;
    int err = 0;

    fast_opts(&o);
    h = cnd_http_new(&o, &err);
    CHECK(h != NULL);
    if (h == NULL) {
        return;
    }
    cnd_http_lane_init(&lane, "t", NULL);
    cnd_request_init(&req);
    req.url = (char *)"ftp://127.0.0.1/x";
    CHECK_INT(cnd_http_submit(h, &lane, &req, NULL, 0), 0);
    CHECK_INT(cnd_http_next(h, &r), 1);
    CHECK(r != NULL && r->err == CND_EIO);   /* never retried */
    CHECK(r != NULL && r->tries == 1);
    cnd_http_result_free(r);
    CHECK_INT(cnd_http_next(h, &r), 0);
    cnd_http_free(h);
    cnd_http_free(NULL);
    CHECK_INT(cnd_mkdirs("/tmp"), 0);   /* also links output/atomic.c (see the report) */
}

TEST_LIST = {
    { "retry_5xx", test_retry_5xx },
    { "429_waits", test_429_waits },
    { "limits", test_limits },
    { "stop_and_pacing", test_stop_and_pacing },
    { "post_json", test_post_json },
    { "bad_urls", test_bad_urls },
    { NULL, NULL },
};
