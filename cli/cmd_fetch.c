/* SPDX-License-Identifier: MIT */
/*
 * `candor fetch`: fetch the configured sources from their checkpoints and
 * archive every page (ingest/fetch.c does the work). Progress on a
 * terminal, a summary per source at the end, and an exit status that says
 * whether every source is ok (0), some failed (4) or the run failed (1).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/lock.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "ingest/fetch.h"
#include "output/output.h"

#define FETCH_PARTIAL 4   /* some sources failed */
#define FETCH_LOCKED 75   /* another run or fetch holds the data directory */
#define FETCH_MAX_ONLY 256

static volatile sig_atomic_t fetch_stop;

static void on_signal(int sig)
{
    (void)sig;
    fetch_stop = 1;
}

struct progress {
    int on;
};

static void print_progress(void *arg, const struct cnd_fetch_event *ev)
{
    struct progress *p = arg;
    char wake[21];

    if (!p->on) {
        return;
    }
    switch (ev->type) {
    case CND_FETCH_START:
        fprintf(stderr, "candor fetch: %s: starting (%s)\n", ev->src->name, ev->src->kind);
        break;
    case CND_FETCH_PAGE:
        fprintf(stderr, "candor fetch: %s: page %llu, %zu posts (%llu so far)\n", ev->src->name,
                (unsigned long long)ev->src->pages, ev->page_posts,
                (unsigned long long)ev->src->posts);
        break;
    case CND_FETCH_WAIT:
        if (cnd_log_level >= CND_LOG_INFO && ev->wait >= 0.05) {
            break;   /* http.c logs it already, with its wake time */
        }
        cnd_time_format((int64_t)(ev->wake_at + 0.999), wake);
        fprintf(stderr, "candor fetch: %s: %s: sleeping %.1f s until %s\n", ev->src->name,
                ev->why ? ev->why : "waiting", ev->wait, wake);
        break;
    case CND_FETCH_END:
        fprintf(stderr, "candor fetch: %s: %s\n", ev->src->name,
                !ev->src->ok ? "failed" : ev->src->stopped ? "stopped" : "done");
        break;
    }
}

static void print_summary(const struct cnd_fetch_result *res)
{
    size_t i, j;

    for (i = 0; i < res->n; i++) {
        const struct cnd_fetch_stats *s = &res->sources[i];

        fprintf(stderr, "candor fetch: %s (%s): %s, %llu page%s, %llu posts", s->name, s->kind,
                !s->ok ? "FAILED" : s->stopped ? "stopped" : "ok",
                (unsigned long long)s->pages, s->pages == 1 ? "" : "s",
                (unsigned long long)s->posts);
        if (s->skipped) {
            fprintf(stderr, " (%llu items skipped)", (unsigned long long)s->skipped);
        }
        fprintf(stderr, ", %lu requests", s->requests);
        if (s->n_errors) {
            fprintf(stderr, ", errors:");
            for (j = 0; j < s->n_errors; j++) {
                if (s->errors[j].status == 0) {
                    fprintf(stderr, " transport x%lu", s->errors[j].n);
                } else {
                    fprintf(stderr, " HTTP %ld x%lu", s->errors[j].status, s->errors[j].n);
                }
            }
        }
        if (s->wait_seconds >= 0.05) {
            fprintf(stderr, ", rate-limit sleep %.1f s", s->wait_seconds);
        }
        if (s->backoff_seconds >= 0.05) {
            fprintf(stderr, ", backoff %.1f s", s->backoff_seconds);
        }
        if (s->error[0]) {
            fprintf(stderr, ": %s", s->error);
        } else if (s->caught_up) {
            fprintf(stderr, ": caught up");
        }
        fputc('\n', stderr);
    }
    if (res->n_segments) {
        fprintf(stderr, "candor fetch: %zu archive segment%s written\n", res->n_segments,
                res->n_segments == 1 ? "" : "s");
    }
}

static int num_opt(const char *name, const char *s, double min, double max, double *out)
{
    if (cli_parse_double(s, out) < 0 || *out < min || *out > max) {
        return cli_usage_error("fetch", "%s wants a number from %g to %g, not '%s'", name, min,
                               max, s);
    }
    return 0;
}

/* "YYYY-MM-DD" or an ISO-8601 time; epoch seconds into "*out". */
static int parse_since(const char *s, int64_t *out)
{
    if (cnd_day_check(s) == 0 || (strlen(s) > 10 && s[10] == 'T')) {
        return cnd_time_parse(s, strlen(s), out);
    }
    return CND_EPARSE;
}

int cmd_fetch(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "source", required_argument, NULL, 's' },
        { "max-pages", required_argument, NULL, 'p' },
        { "since", required_argument, NULL, 'S' },
        { "max-runtime", required_argument, NULL, 'r' },
        { "progress", no_argument, NULL, 'P' },
        { "no-progress", no_argument, NULL, 'N' },
        { "quiet", no_argument, NULL, 'q' },
        { "timeout", required_argument, NULL, 1 },
        { "connect-timeout", required_argument, NULL, 2 },
        { "stall-timeout", required_argument, NULL, 3 },
        { "tries", required_argument, NULL, 4 },
        { "backoff", required_argument, NULL, 5 },
        { "backoff-max", required_argument, NULL, 6 },
        { "max-wait", required_argument, NULL, 7 },
        { "max-body", required_argument, NULL, 8 },
        { "ca-file", required_argument, NULL, 9 },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL;
    char *only[FETCH_MAX_ONLY];
    struct cnd_fetch_opts fo;
    struct cnd_fetch_result res;
    struct cnd_config cfg;
    struct cnd_lock lock;
    struct progress prog;
    struct sigaction sa, old_term, old_int;
    struct cnd_buf errs;
    double v, max_runtime = 0;
    int opt, status, ret, quiet = 0, show = -1;

    cnd_fetch_opts_init(&fo);
    cnd_lock_init(&lock);
    fo.only = only;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:d:s:p:S:r:q", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': fo.data_dir = optarg; break;
        case 's':
            if (fo.n_only == FETCH_MAX_ONLY) {
                return cli_usage_error("fetch", "too many --source options");
            }
            only[fo.n_only++] = optarg;
            break;
        case 'p':
            if (num_opt("--max-pages", optarg, 1, 1e9, &v)) {
                return CLI_USAGE;
            }
            fo.max_pages = (long)v;
            break;
        case 'S':
            if (parse_since(optarg, &fo.since) < 0) {
                return cli_usage_error("fetch", "--since wants a date YYYY-MM-DD or an "
                                       "ISO-8601 time, not '%s'", optarg);
            }
            break;
        case 'r':
            if (num_opt("--max-runtime", optarg, 0.001, 1e8, &max_runtime)) {
                return CLI_USAGE;
            }
            break;
        case 'P': show = 1; break;
        case 'N': show = 0; break;
        case 'q': quiet = 1; break;
        case 1:
            if (num_opt("--timeout", optarg, 0.001, 86400, &fo.http.timeout)) {
                return CLI_USAGE;
            }
            break;
        case 2:
            if (num_opt("--connect-timeout", optarg, 0.001, 3600, &fo.http.connect_timeout)) {
                return CLI_USAGE;
            }
            break;
        case 3:
            if (num_opt("--stall-timeout", optarg, 1, 3600, &fo.http.stall_time)) {
                return CLI_USAGE;
            }
            break;
        case 4:
            if (num_opt("--tries", optarg, 1, 100, &v)) {
                return CLI_USAGE;
            }
            fo.http.max_tries = (unsigned)v;
            break;
        case 5:
            if (num_opt("--backoff", optarg, 0, 3600, &fo.http.backoff_base)) {
                return CLI_USAGE;
            }
            break;
        case 6:
            if (num_opt("--backoff-max", optarg, 0, 86400, &fo.http.backoff_cap)) {
                return CLI_USAGE;
            }
            break;
        case 7:
            if (num_opt("--max-wait", optarg, 0, 86400 * 7, &fo.http.max_wait)) {
                return CLI_USAGE;
            }
            break;
        case 8:
            if (num_opt("--max-body", optarg, 1024, 1024.0 * 1024 * 1024, &v)) {
                return CLI_USAGE;
            }
            fo.http.max_body = (size_t)v;
            break;
        case 9: fo.http.ca_path = optarg; break;
        default:
            return cli_usage_error("fetch", "unknown option");
        }
    }
    if (optind < argc) {
        return cli_usage_error("fetch", "unexpected argument '%s'", argv[optind]);
    }
    if (config_path == NULL) {
        return cli_usage_error("fetch", "--config FILE is required (it lists the sources)");
    }
    status = cli_load_config(config_path, &cfg);
    if (status) {
        return status;
    }
    fo.http.user_agent = cfg.user_agent;
    /* one writer per data directory: `candor run` takes the same lock */
    {
        const char *dir = fo.data_dir ? fo.data_dir : (cfg.data_dir ? cfg.data_dir : "data");
        char lock_path[4096];
        long holder = 0;

        if (cnd_mkdirs(dir) < 0) {
            fprintf(stderr, "candor fetch: cannot create the data directory '%s': %s\n", dir,
                    strerror(errno));
            cnd_config_release(&cfg);
            return CLI_FAIL;
        }
        snprintf(lock_path, sizeof(lock_path), "%s/.lock", dir);
        ret = cnd_lock_take(&lock, lock_path, 0, &holder);
        if (ret == CND_ELOCK) {
            if (holder) {
                fprintf(stderr, "candor fetch: another run holds the lock '%s' (pid %ld)\n",
                        lock_path, holder);
            } else {
                fprintf(stderr, "candor fetch: another run holds the lock '%s'\n", lock_path);
            }
            cnd_config_release(&cfg);
            return FETCH_LOCKED;
        }
        if (ret < 0) {
            fprintf(stderr, "candor fetch: cannot take the lock '%s': %s\n", lock_path,
                    strerror(errno));
            cnd_config_release(&cfg);
            return CLI_FAIL;
        }
    }
    if (max_runtime > 0) {
        fo.deadline = cnd_http_now() + max_runtime;
    }
    prog.on = show >= 0 ? show : (!quiet && isatty(STDERR_FILENO));
    fo.progress = print_progress;
    fo.progress_arg = &prog;
    fetch_stop = 0;
    fo.stop = &fetch_stop;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);

    cnd_buf_init(&errs, 1 << 20);
    ret = cnd_fetch_run(&cfg, &fo, &res, &errs);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGINT, &old_int, NULL);
    if (ret == CND_EINVAL) {
        fputs(errs.data ? errs.data : "candor fetch: bad configuration\n", stderr);
        status = CLI_USAGE;
    } else if (ret < 0) {
        fprintf(stderr, "candor fetch: the run failed: %s\n", cnd_strerror(ret));
        if (!quiet) {
            print_summary(&res);
        }
        status = CLI_FAIL;
    } else {
        if (!quiet) {
            print_summary(&res);
        }
        if (fetch_stop) {
            fprintf(stderr, "candor fetch: stopped by a signal; every source resumes from its "
                    "checkpoint\n");
            status = CLI_FAIL;
        } else {
            status = cnd_fetch_all_ok(&res) ? CLI_OK : FETCH_PARTIAL;
        }
    }
    cnd_fetch_result_release(&res);
    cnd_buf_release(&errs);
    cnd_config_release(&cfg);
    cnd_lock_release(&lock);
    return status;
}
