/* SPDX-License-Identifier: MIT */
/*
 * `candor run`: the scheduled batch. Check the config (nothing written
 * when it is invalid), take the data directory's lock, fetch every
 * enabled source from its checkpoint (ingest/fetch.h), rebuild the days
 * that received posts from the archive (cli/rebuild.c), append one line
 * per source to runs/DAY.ndjson, and write metrics/candor.prom. Safe to
 * repeat, to overlap and to kill: see docs/OPERATIONS.md.
 *
 * With `--shard I/N` (docs/SCALE.md) it does one shard of a run: the
 * sources whose name hashes to I (cli_source_shard), DATA/.lock shared
 * plus DATA/.lock.I-of-N exclusive, state under DATA/state/shard-I-of-N/,
 * parts under DATA/parts/DAY/I-of-N/ instead of daily files, no report
 * or alerts (they follow `candor merge`), and the scheduler's exit
 * statuses 0, 65, 75 and 143.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/rebuild.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/lock.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "ingest/fetch.h"
#include "output/metrics.h"
#include "output/output.h"
#include "output/parts.h"

#define RUN_PARTIAL 4     /* some sources failed */
#define RUN_LOCKED 75     /* EX_TEMPFAIL: another run holds the lock */
#define RUN_MAX_ONLY 64

static volatile sig_atomic_t run_stop;

static volatile sig_atomic_t run_signal;

static void on_signal(int sig)
{
    run_signal = sig;
    run_stop = 1;
}

static double now_utc(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Messages ---- */

static int run_json;

/* One line on stderr: "candor run: MESSAGE", or a JSON log line with --log-format json. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (run_json) {
        cnd_log_write(CND_LOG_ERROR, "run", "%s", msg);
    } else {
        fprintf(stderr, "candor run: %s\n", msg);
    }
}

/* ---- Progress ---- */

struct progress {
    int tty;        /* human lines on a terminal */
    int json;       /* log lines for machines */
};

static void on_progress(void *arg, const struct cnd_fetch_event *ev)
{
    struct progress *p = arg;
    const struct cnd_fetch_stats *s = ev->src;
    char wake[21];

    /*
     * A terminal gets one human line per event. Logs (text under cron,
     * JSON for shippers) get the per-source outcome only: the fetch driver
     * and the HTTP client already log failures and waits themselves.
     */
    switch (ev->type) {
    case CND_FETCH_START:
        if (p->tty) {
            fprintf(stderr, "%s: started (%s)\n", s->name, s->kind);
        }
        break;
    case CND_FETCH_PAGE:
        if (p->tty) {
            fprintf(stderr, "%s: %llu pages, %llu posts\n", s->name,
                    (unsigned long long)s->pages, (unsigned long long)s->posts);
        }
        break;
    case CND_FETCH_WAIT:
        if (p->tty) {
            cnd_time_format((int64_t)ceil(ev->wake_at), wake);
            fprintf(stderr, "%s: waiting %.1f s until %s (%s)\n", s->name, ev->wait, wake,
                    ev->why ? ev->why : "");
        }
        break;
    case CND_FETCH_END:
        if (p->tty) {
            fprintf(stderr, "%s: %s, %llu pages, %llu posts%s%s\n", s->name,
                    !s->ok ? "FAILED" : s->stopped ? "stopped" : "done",
                    (unsigned long long)s->pages, (unsigned long long)s->posts,
                    s->error[0] ? ": " : "", s->error);
        } else if (s->ok) {
            cnd_log(CND_LOG_INFO, "run", "source '%s': %llu pages, %llu posts%s", s->name,
                    (unsigned long long)s->pages, (unsigned long long)s->posts,
                    s->stopped ? " (stopped early; resumes next run)" : "");
        }
        break;
    }
}

/* ---- Run log ---- */

/*
 * Appends one line per source to runs/DAY.ndjson (DAY: the run's start
 * day, UTC), in one write, then fsyncs. Returns 0 or CND_EIO/CND_ENOMEM.
 */
static int append_runs(const char *data_dir, const struct cnd_fetch_result *res, double start,
                       double end)
{
    char dir[4096], path[4200], day[11], ts0[21], ts1[21];
    struct cnd_buf b;
    size_t i;
    int fd, ret = 0;

    if (res->n == 0) {
        return 0;
    }
    cnd_day_of(NULL, (int64_t)start, day);
    cnd_time_format((int64_t)start, ts0);
    cnd_time_format((int64_t)end, ts1);
    cnd_buf_init(&b, 0);
    for (i = 0; ret == 0 && i < res->n; i++) {
        const struct cnd_fetch_stats *s = &res->sources[i];

        ret = cnd_buf_addf(&b, "{\"run_start\":\"%s\",\"run_end\":\"%s\",\"source\":", ts0, ts1);
        if (ret == 0) {
            ret = cnd_buf_add_json_str(&b, s->name, strlen(s->name));
        }
        if (ret == 0) {
            ret = cnd_buf_addf(&b, ",\"ok\":%s,\"error\":", s->ok ? "true" : "false");
        }
        if (ret == 0) {
            ret = s->ok ? cnd_buf_adds(&b, "null")
                        : cnd_buf_add_json_str(&b, s->error, strlen(s->error));
        }
        if (ret == 0) {
            ret = cnd_buf_addf(&b, ",\"pages\":%llu,\"posts\":%llu,\"stopped\":%s}\n",
                               (unsigned long long)s->pages, (unsigned long long)s->posts,
                               s->stopped ? "true" : "false");
        }
    }
    if (ret < 0) {
        cnd_buf_release(&b);
        return ret;
    }
    snprintf(dir, sizeof(dir), "%s/runs", data_dir);
    snprintf(path, sizeof(path), "%s/%s.ndjson", dir, day);
    ret = cnd_mkdirs(dir);
    fd = ret == 0 ? open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644) : -1;
    if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len || fsync(fd) != 0) {
        cnd_log(CND_LOG_ERROR, "run", "cannot append to '%s': %s", path,
                strerror(errno ? errno : EIO));
        ret = CND_EIO;
    }
    if (fd >= 0 && close(fd) != 0 && ret == 0) {
        cnd_log(CND_LOG_ERROR, "run", "cannot append to '%s': %s", path, strerror(errno));
        ret = CND_EIO;
    }
    cnd_buf_release(&b);
    return ret;
}

/* ---- Last run and metrics ---- */

/* Reads the last successful run's end time from state/run/last.json (0 when none). */
static double last_success(const char *state_dir)
{
    char path[4200], text[512];
    FILE *f;
    size_t n;
    const char *p;

    snprintf(path, sizeof(path), "%s/run/last.json", state_dir);
    f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    p = strstr(text, "\"last_success\":");
    return p ? strtod(p + strlen("\"last_success\":"), NULL) : 0;
}

static int save_last(const char *state_dir, double start, double end, double success,
                     int status)
{
    char dir[4096], path[4200], text[256];
    int n, ret;

    snprintf(dir, sizeof(dir), "%s/run", state_dir);
    snprintf(path, sizeof(path), "%s/last.json", dir);
    n = snprintf(text, sizeof(text),
                 "{\"last_start\":%.3f,\"last_end\":%.3f,\"last_success\":%.3f,\"status\":%d}\n",
                 start, end, success, status);
    ret = cnd_mkdirs(dir);
    if (ret == 0) {
        ret = cnd_write_file_atomic(path, text, (size_t)n);
    }
    return ret;
}

struct family {
    const char *name;
    const char *help;
};

static const struct family families[] = {
    { "candor_last_run_start_timestamp_seconds", "Start of the last run (UTC seconds)." },
    { "candor_last_run_end_timestamp_seconds", "End of the last run (UTC seconds)." },
    { "candor_last_success_timestamp_seconds",
      "End of the last run whose every source succeeded (UTC seconds; 0: none yet)." },
    { "candor_last_run_exit_status", "Exit status of the last run (0 ok, 4 partial, 1 failed)." },
    { "candor_last_run_duration_seconds", "Duration of the last run." },
    { "candor_last_run_dates_rebuilt", "Days whose files the last run rebuilt." },
    { "candor_source_up", "1 when the source succeeded in the last run, else 0." },
    { "candor_last_run_pages_fetched", "Pages fetched and archived by the last run, per source." },
    { "candor_last_run_posts_fetched", "Posts in the pages fetched by the last run, per source." },
    { "candor_last_run_posts_analyzed",
      "Distinct posts analyzed while rebuilding the last run's days, per source." },
    { "candor_last_run_posts_flagged",
      "Posts flagged as complaints while rebuilding the last run's days, per source." },
    { "candor_last_run_http_errors",
      "Non-2xx responses and transport errors (status 0) in the last run, per source." },
    { "candor_last_run_rate_limit_sleep_seconds",
      "Seconds the last run waited for rate limits and pacing, per source." },
    { "candor_last_run_backoff_sleep_seconds",
      "Seconds the last run waited in backoff after errors, per source." },
    { NULL, NULL },
};

/*
 * Writes the metrics file "path". "shard" (NULL: unsharded) becomes a
 * label "shard" on every sample, so the files of the shards (one each)
 * can sit in one textfile-collector directory without clashing.
 */
static int write_metrics(const char *path, const char *shard, const struct cnd_fetch_result *res,
                         const struct cli_rebuild_stats *rst, double start, double end,
                         double success, int status)
{
    struct cnd_metrics *m = cnd_metrics_new();
    const char *glab[] = { "shard", shard };
    size_t ng = shard ? 1 : 0, i, j;
    int ret = 0;

    if (m == NULL) {
        return CND_ENOMEM;
    }
    for (i = 0; ret == 0 && families[i].name; i++) {
        ret = cnd_metrics_declare(m, families[i].name, CND_METRIC_GAUGE, families[i].help);
    }
    if (ret == 0) {
        ret = cnd_metrics_set(m, "candor_last_run_start_timestamp_seconds", glab, ng,
                              floor(start));
    }
    if (ret == 0) {
        ret = cnd_metrics_set(m, "candor_last_run_end_timestamp_seconds", glab, ng, floor(end));
    }
    if (ret == 0) {
        ret = cnd_metrics_set(m, "candor_last_success_timestamp_seconds", glab, ng,
                              floor(success));
    }
    if (ret == 0) {
        ret = cnd_metrics_set(m, "candor_last_run_exit_status", glab, ng, status);
    }
    if (ret == 0) {
        ret = cnd_metrics_set(m, "candor_last_run_duration_seconds", glab, ng,
                              floor((end - start) * 1000) / 1000);
    }
    if (ret == 0) {
        ret = cnd_metrics_set(m, "candor_last_run_dates_rebuilt", glab, ng,
                              (double)rst->days_rebuilt);
    }
    for (i = 0; ret == 0 && i < res->n; i++) {
        const struct cnd_fetch_stats *s = &res->sources[i];
        const char *lab[] = { "source", s->name, "shard", shard };

        ret = cnd_metrics_set(m, "candor_source_up", lab, 1 + ng, s->ok ? 1 : 0);
        if (ret == 0) {
            ret = cnd_metrics_set(m, "candor_last_run_pages_fetched", lab, 1 + ng, (double)s->pages);
        }
        if (ret == 0) {
            ret = cnd_metrics_set(m, "candor_last_run_posts_fetched", lab, 1 + ng, (double)s->posts);
        }
        if (ret == 0) {
            ret = cnd_metrics_set(m, "candor_last_run_rate_limit_sleep_seconds", lab, 1 + ng,
                                  floor(s->wait_seconds * 1000) / 1000);
        }
        if (ret == 0) {
            ret = cnd_metrics_set(m, "candor_last_run_backoff_sleep_seconds", lab, 1 + ng,
                                  floor(s->backoff_seconds * 1000) / 1000);
        }
        /* Every fetched source has analyzed/flagged samples, 0 when it brought no day. */
        if (ret == 0) {
            ret = cnd_metrics_add(m, "candor_last_run_posts_analyzed", lab, 1 + ng, 0);
        }
        if (ret == 0) {
            ret = cnd_metrics_add(m, "candor_last_run_posts_flagged", lab, 1 + ng, 0);
        }
        for (j = 0; ret == 0 && j < s->n_errors; j++) {
            char status_text[24];
            const char *elab[] = { "source", s->name, "status", status_text, "shard", shard };

            snprintf(status_text, sizeof(status_text), "%ld", s->errors[j].status);
            ret = cnd_metrics_add(m, "candor_last_run_http_errors", elab, 2 + ng,
                                  (double)s->errors[j].n);
        }
    }
    for (i = 0; ret == 0 && i < rst->n_sources; i++) {
        const char *lab[] = { "source", rst->sources[i].source, "shard", shard };

        ret = cnd_metrics_add(m, "candor_last_run_posts_analyzed", lab, 1 + ng,
                              (double)rst->sources[i].analyzed);
        if (ret == 0) {
            ret = cnd_metrics_add(m, "candor_last_run_posts_flagged", lab, 1 + ng,
                                  (double)rst->sources[i].flagged);
        }
    }
    if (ret == 0) {
        ret = cnd_metrics_write(m, path);
    }
    cnd_metrics_free(m);
    return ret;
}

/* ---- The command ---- */

/*
 * Removes temporary files of killed writers in the directories a shard
 * writes alone (other shards may be writing theirs right now).
 */
static void sweep_shard(const char *state_dir)
{
    static const char *const subs[] = { "", "/days", "/run", NULL };
    char dir[4200];
    size_t i;

    for (i = 0; subs[i]; i++) {
        snprintf(dir, sizeof(dir), "%s%s", state_dir, subs[i]);
        cnd_sweep_tmp(dir);
    }
}

/*
 * Takes DATA/.lock shared and DATA/.lock.I-of-N exclusive (sharded run).
 * Returns 0, CND_ELOCK (a message said which) or CND_EIO.
 */
static int lock_shard(const char *data_dir, const struct cnd_shard *sh, long wait_ms,
                      struct cnd_lock *shared, struct cnd_lock *own)
{
    char path[4200];
    long holder = 0;
    int ret;

    snprintf(path, sizeof(path), "%s/.lock", data_dir);
    ret = cnd_lock_take_shared(shared, path, wait_ms, &holder);
    if (ret == 0) {
        snprintf(path, sizeof(path), "%s/.lock.%u-of-%u", data_dir, (unsigned)sh->index,
                 (unsigned)sh->count);
        ret = cnd_lock_take(own, path, wait_ms, &holder);
    }
    if (ret < 0 && ret != CND_ELOCK) {
        cnd_lock_release(shared);
    }
    if (ret == CND_ELOCK) {
        say("the lock '%s' is held%s%.0ld%s: %s", path, holder ? " (pid " : "", holder,
            holder ? ")" : "", shared->fd < 0 ? "an unsharded run or fetch is running"
                                              : "another copy of this shard is running");
        cnd_lock_release(shared);
    } else if (ret < 0) {
        say("cannot take the lock '%s': %s", path, strerror(errno));
    }
    return ret;
}

/*
 * Makes every day with parts of this run's shard count have all of them.
 * A shard K lacking a part gets it written from K's day lists, under K's
 * lock taken without waiting: when someone holds it, that holder looks
 * again after releasing it (as we do here, in rounds), so a day published
 * by any shard is never left without a part once all have finished.
 * Returns 0 or a negative code.
 */
static int complete_parts(const struct cli_checked *c, uint32_t count)
{
    unsigned char *lacking = cnd_malloc(count);
    char path[4200];
    unsigned round;
    uint32_t k;
    int ret = 0;

    if (lacking == NULL) {
        return CND_ENOMEM;
    }
    for (round = 0; ret == 0 && round < 16; round++) {
        int wrote = 0;

        ret = cli_parts_lacking(c->data_dir, count, lacking);
        for (k = 0; ret == 0 && k < count; k++) {
            struct cnd_shard sh = { k, count };
            struct cli_rebuild_stats st;
            struct cnd_lock lk;

            if (!lacking[k] || run_stop) {
                continue;
            }
            cnd_lock_init(&lk);
            snprintf(path, sizeof(path), "%s/.lock.%u-of-%u", c->data_dir, (unsigned)k,
                     (unsigned)count);
            if (cnd_lock_take(&lk, path, 0, NULL) < 0) {
                continue;   /* running (or being completed): its holder looks after releasing */
            }
            ret = cli_rebuild_shard(c, &sh, 1, &run_stop, &st);
            cnd_lock_release(&lk);
            if (ret == 0 && st.days_rebuilt > 0) {
                wrote = 1;
                cnd_log(CND_LOG_INFO, "run", "wrote %zu missing part%s of shard %u-of-%u",
                        st.days_rebuilt, st.days_rebuilt == 1 ? "" : "s", (unsigned)k,
                        (unsigned)count);
            }
            cli_rebuild_stats_release(&st);
        }
        if (!wrote) {
            break;
        }
    }
    cnd_free(lacking);
    return ret;
}

/* Removes temporary files of killed writers in the directories we write. */
static void sweep(const char *data_dir)
{
    static const char *const subs[] = { "", "/daily", "/complaints", "/state", "/state/days",
                                        "/state/run", "/metrics", "/report", NULL };
    char dir[4200];
    size_t i;

    for (i = 0; subs[i]; i++) {
        snprintf(dir, sizeof(dir), "%s%s", data_dir, subs[i]);
        cnd_sweep_tmp(dir);
    }
}

/* The work of cmd_run(); "*shard" says whether --shard was given (count 0: no). */
static int run(int argc, char **argv, struct cnd_shard *shard)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "max-runtime", required_argument, NULL, 'm' },
        { "wait", no_argument, NULL, 'w' },
        { "log-format", required_argument, NULL, 'l' },
        { "source", required_argument, NULL, 's' },
        { "quiet", no_argument, NULL, 'q' },
        { "tries", required_argument, NULL, 'T' },
        { "backoff", required_argument, NULL, 'B' },
        { "backoff-max", required_argument, NULL, 'M' },
        { "no-report", no_argument, NULL, 'R' },
        { "alerts", no_argument, NULL, 'A' },
        { "webhook-env", required_argument, NULL, 'W' },
        { "shard", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *webhook_env = NULL;
    int no_report = 0, alerts = 0;
    double tries = 0, backoff = 0, backoff_max = 0;
    char *only[RUN_MAX_ONLY + 1];
    size_t n_only = 0, i;
    double max_runtime = 0, start, end, success;
    int opt, wait = 0, json = 0, quiet = 0, status, ret;
    struct cli_checked c;
    struct cnd_lock lock, own;
    struct cnd_fetch_opts fo;
    struct cnd_fetch_result res;
    struct cli_rebuild_stats rst;
    struct cnd_buf errs;
    struct progress prog;
    struct sigaction sa;
    char lock_path[4200], state_dir[4000], metrics_path[4200], msg[200], shard_label[32];
    const char *shard_spec = NULL;
    char **mine = NULL;
    size_t n_mine = 0;
    long holder = 0;
    int fetch_failed = 0, rebuild_failed = 0, failed_sources = 0;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:m:wl:s:qT:B:M:RAW:S:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'm':
            if (cli_parse_double(optarg, &max_runtime) < 0 || !(max_runtime > 0)) {
                return cli_usage_error("run", "--max-runtime wants seconds > 0, not '%s'",
                                       optarg);
            }
            break;
        case 'w': wait = 1; break;
        case 'l':
            if (strcmp(optarg, "json") == 0) {
                json = 1;
            } else if (strcmp(optarg, "text") != 0) {
                return cli_usage_error("run", "--log-format wants text or json, not '%s'",
                                       optarg);
            }
            break;
        case 's':
            if (n_only == RUN_MAX_ONLY) {
                return cli_usage_error("run", "too many --source options");
            }
            only[n_only++] = optarg;
            break;
        case 'q': quiet = 1; break;
        case 'R': no_report = 1; break;
        case 'A': alerts = 1; break;
        case 'W': webhook_env = optarg; alerts = 1; break;
        case 'S': shard_spec = optarg; break;
        case 'T':
            if (cli_parse_double(optarg, &tries) < 0 || tries < 1 || tries > 100 ||
                tries != (double)(unsigned)tries) {
                return cli_usage_error("run", "--tries wants a whole number 1..100, not '%s'",
                                       optarg);
            }
            break;
        case 'B':
        case 'M':
            if (cli_parse_double(optarg, opt == 'B' ? &backoff : &backoff_max) < 0 ||
                !((opt == 'B' ? backoff : backoff_max) > 0)) {
                return cli_usage_error("run", "--%s wants seconds > 0, not '%s'",
                                       opt == 'B' ? "backoff" : "backoff-max", optarg);
            }
            break;
        default:
            return cli_usage_error("run", "unknown option");
        }
    }
    only[n_only] = NULL;
    if (optind < argc) {
        return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
    }
    if (config_path == NULL) {
        return cli_usage_error("run", "--config FILE is required");
    }
    if (shard_spec != NULL && cnd_shard_parse(shard_spec, shard, msg, sizeof(msg)) < 0) {
        return cli_usage_error("run", "%s", msg);
    }
    start = now_utc();
    memset(&rst, 0, sizeof(rst));
    memset(&prog, 0, sizeof(prog));
    prog.tty = !quiet && !json && isatty(STDERR_FILENO);
    prog.json = json;
    if (json) {
        cnd_log_set_json(1);
        run_json = 1;
    }
    if (!prog.tty && !json && getenv("CANDOR_LOG") == NULL) {
        /* Under cron: silent unless something failed. */
        cnd_log_set_level(CND_LOG_ERROR);
    }

    /* 1. The config, checked before anything is written. */
    status = cli_config_check(config_path, n_only ? (const char *const *)only : NULL,
                              CLI_CHECK_FETCH, &c);
    if (status) {
        fprintf(stderr, "candor run: '%s' is not valid; nothing fetched or written\n",
                config_path);
        return status;
    }

    /* 2. One run per data directory (the shards of one run share it). */
    cnd_lock_init(&lock);
    cnd_lock_init(&own);
    if (cnd_mkdirs(c.data_dir) < 0) {
        say("cannot create the data directory '%s': %s", c.data_dir, strerror(errno));
        cli_checked_release(&c);
        return CLI_FAIL;
    }
    if (shard->count > 0) {
        snprintf(state_dir, sizeof(state_dir), "%s/state/shard-%u-of-%u", c.data_dir,
                 (unsigned)shard->index, (unsigned)shard->count);
        snprintf(shard_label, sizeof(shard_label), "%u-of-%u", (unsigned)shard->index,
                 (unsigned)shard->count);
        snprintf(metrics_path, sizeof(metrics_path), "%s/metrics/candor-shard-%s.prom",
                 c.data_dir, shard_label);
        ret = lock_shard(c.data_dir, shard,
                         !wait ? 0 : max_runtime > 0 ? (long)(max_runtime * 1000) : -1, &lock,
                         &own);
        if (ret < 0) {
            cli_checked_release(&c);
            return ret == CND_ELOCK ? RUN_LOCKED : CLI_FAIL;
        }
        sweep_shard(state_dir);
        goto locked;
    }
    snprintf(state_dir, sizeof(state_dir), "%s/state", c.data_dir);
    snprintf(metrics_path, sizeof(metrics_path), "%s/metrics/candor.prom", c.data_dir);
    snprintf(lock_path, sizeof(lock_path), "%s/.lock", c.data_dir);
    ret = cnd_lock_take(&lock, lock_path,
                        !wait ? 0 : max_runtime > 0 ? (long)(max_runtime * 1000) : -1, &holder);
    if (ret == CND_ELOCK) {
        if (holder) {
            say("another run holds the lock '%s' (pid %ld)", lock_path, holder);
        } else {
            say("another run holds the lock '%s'", lock_path);
        }
        cli_checked_release(&c);
        return RUN_LOCKED;
    }
    if (ret < 0) {
        say("cannot take the lock '%s': %s", lock_path, strerror(errno));
        cli_checked_release(&c);
        return CLI_FAIL;
    }
    sweep(c.data_dir);
locked:
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    /* 3. Fetch. */
    cnd_fetch_opts_init(&fo);
    fo.data_dir = c.data_dir;
    fo.http.user_agent = c.cfg.user_agent;
    fo.only = n_only ? only : NULL;
    fo.n_only = n_only;
    if (shard->count > 0) {
        /* This shard's sources: of those named with --source, else of the enabled ones. */
        mine = cnd_calloc(c.n_sources + n_only + 1, sizeof(*mine));
        if (mine == NULL) {
            say("out of memory");
            cnd_lock_release(&own);
            cnd_lock_release(&lock);
            cli_checked_release(&c);
            return CLI_FAIL;
        }
        for (i = 0; i < (n_only ? n_only : c.n_sources); i++) {
            const char *name = n_only ? only[i] : c.sources[i] ? c.sources[i]->name : NULL;

            if (name != NULL && (n_only || c.sources[i]->enabled) &&
                cli_source_shard(name, shard->count) == shard->index) {
                mine[n_mine++] = (char *)name;
            }
        }
        fo.only = mine;
        fo.n_only = n_mine;
    }
    fo.deadline = max_runtime > 0 ? start + max_runtime : 0;
    fo.http.deadline = fo.deadline;
    fo.stop = &run_stop;
    fo.http.stop = &run_stop;
    if (tries > 0) {
        fo.http.max_tries = (unsigned)tries;
    }
    if (backoff > 0) {
        fo.http.backoff_base = backoff;
    }
    if (backoff_max > 0) {
        fo.http.backoff_cap = backoff_max;
    }
    fo.progress = on_progress;
    fo.progress_arg = &prog;
    cnd_buf_init(&errs, 1 << 20);
    memset(&res, 0, sizeof(res));
    /* A shard without sources fetches nothing (it still writes its empty parts). */
    ret = shard->count > 0 && n_mine == 0 ? 0 : cnd_fetch_run(&c.cfg, &fo, &res, &errs);
    if (ret == CND_EINVAL) {
        fputs(errs.data ? errs.data : "", stderr);
        fprintf(stderr, "candor run: '%s' is not valid; nothing fetched\n", config_path);
        cnd_buf_release(&errs);
        cnd_fetch_result_release(&res);
        cnd_lock_release(&own);
        cnd_lock_release(&lock);
        cnd_free(mine);
        cli_checked_release(&c);
        return CLI_USAGE;
    }
    if (ret < 0) {
        say("the fetch could not start: %s", cnd_strerror(ret));
        fetch_failed = 1;
    }
    cnd_buf_release(&errs);
    for (i = 0; i < res.n; i++) {
        if (!res.sources[i].ok) {
            failed_sources++;
        }
    }

    /* 4. Rebuild every day that received posts (also those of earlier, killed runs). */
    if (shard->count > 0) {
        /* A shard stops on SIGTERM before or between parts, each part whole. */
        ret = run_stop ? CND_ESTOP : cli_rebuild_shard(&c, shard, 0, &run_stop, &rst);
        if (ret == 0) {
            /* Then every day with parts gets all N (ours after releasing our lock). */
            cnd_lock_release(&own);
            ret = complete_parts(&c, shard->count);
        }
        if (ret == CND_ESTOP || run_stop) {
            say("stopped by signal %d; the parts written are whole, the rest is redone by the "
                "next run of this shard", (int)(run_signal ? run_signal : SIGTERM));
            cli_rebuild_stats_release(&rst);
            cnd_fetch_result_release(&res);
            cnd_lock_release(&own);
            cnd_lock_release(&lock);
            cnd_free(mine);
            cli_checked_release(&c);
            return 128 + (run_signal ? run_signal : SIGTERM);
        }
    } else {
        ret = cli_rebuild(&c, NULL, &rst);
    }
    if (ret < 0) {
        say("cannot rebuild the daily files under '%s': %s; the previous files are intact "
            "and the next run retries", c.data_dir, cnd_strerror(ret));
        rebuild_failed = 1;
    }

    /* 5. The run log (before the report, which shows each day's failed sources). */
    end = now_utc();
    if (fetch_failed || rebuild_failed || (res.n > 0 && (size_t)failed_sources == res.n)) {
        status = CLI_FAIL;
    } else if (failed_sources) {
        status = RUN_PARTIAL;
    } else {
        status = CLI_OK;
    }
    if (append_runs(c.data_dir, &res, start, end) < 0 && status == CLI_OK) {
        status = CLI_FAIL;
    }

    /* 6. Report and alerts, over the daily files as they now are (after the merge for shards). */
    if (!rebuild_failed && !no_report && shard->count == 0) {
        char a0[] = "report", a1[] = "--config", a3[] = "--quiet";
        char *rargv[] = { a0, a1, (char *)config_path, a3, NULL };

        ret = cmd_report(4, rargv);
        if (ret != CLI_OK && ret != CLI_SKIPPED) {
            say("the report was not refreshed (candor report exited %d); the daily files are "
                "up to date", ret);
        }
    }
    if (!rebuild_failed && alerts && shard->count == 0) {
        char a0[] = "alerts", a1[] = "--config", a3[] = "--quiet", a4[] = "--webhook-env";
        char *aargv[] = { a0, a1, (char *)config_path, a3, webhook_env ? a4 : NULL,
                          (char *)webhook_env, NULL };

        ret = cmd_alerts(webhook_env ? 6 : 4, aargv);
        if (ret != CLI_OK && ret != 5) {
            say("candor alerts exited %d", ret);
        }
    }
    end = now_utc();
    success = status == CLI_OK ? end : last_success(state_dir);
    if (save_last(state_dir, start, end, success, status) < 0) {
        cnd_log(CND_LOG_ERROR, "run", "cannot write '%s/run/last.json'", state_dir);
    }
    if (write_metrics(metrics_path, shard->count > 0 ? shard_label : NULL, &res, &rst, start, end, success, status) < 0) {
        say("cannot write '%s': %s", metrics_path, strerror(errno));
        if (status == CLI_OK) {
            status = CLI_FAIL;
        }
    }
    if (failed_sources) {
        struct cnd_buf names;

        cnd_buf_init(&names, 0);
        for (i = 0; i < res.n; i++) {
            if (!res.sources[i].ok && cnd_buf_addf(&names, " %s", res.sources[i].name) < 0) {
                break;
            }
        }
        /* the fetch driver logged each one's reason */
        say("%d of %zu sources failed:%s", failed_sources, res.n, names.data ? names.data : "");
        cnd_buf_release(&names);
    }
    if (prog.tty || (json && status == CLI_OK)) {
        uint64_t pages = 0, posts = 0;

        for (i = 0; i < res.n; i++) {
            pages += res.sources[i].pages;
            posts += res.sources[i].posts;
        }
        if (json) {
            cnd_log(CND_LOG_INFO, "run", "done: %zu sources, %llu pages, %llu posts, %zu days "
                    "rebuilt, exit %d", res.n, (unsigned long long)pages,
                    (unsigned long long)posts, rst.days_rebuilt, status);
        } else {
            fprintf(stderr, "candor run: %zu sources, %llu pages, %llu posts; %zu day%s "
                    "rebuilt%s; exit %d\n", res.n, (unsigned long long)pages,
                    (unsigned long long)posts, rst.days_rebuilt,
                    rst.days_rebuilt == 1 ? "" : "s", rst.days_pruned ? " (some pruned days "
                    "left as they are)" : "", status);
        }
    }
    cli_rebuild_stats_release(&rst);
    cnd_fetch_result_release(&res);
    cnd_lock_release(&own);
    cnd_lock_release(&lock);
    cnd_free(mine);
    cli_checked_release(&c);
    return status;
}

int cmd_run(int argc, char **argv)
{
    struct cnd_shard shard = { 0, 0 };
    int status = run(argc, argv, &shard);
    size_t i;

    for (i = 1; shard.count == 0 && i < (size_t)argc; i++) {
        if (strncmp(argv[i], "--shard", 7) == 0) {
            shard.count = 1;   /* a bad --shard is still a scheduler's usage error */
        }
    }
    if (shard.count == 0) {
        return status;
    }
    /* Scheduler contract: 0 ok, 65 permanent, 75 retry (lock held, sources failed), 143. */
    return cli_scheduler_status(status == RUN_PARTIAL ? CLI_RETRY : status);
}
