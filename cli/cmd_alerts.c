/* SPDX-License-Identifier: MIT */
/*
 * `candor alerts`: test one day's complaints per brand and category
 * against a trailing baseline (output/alerts.c), print the alerts as
 * NDJSON on stdout and, when asked, POST them to a webhook. The webhook's
 * URL comes from an environment variable because it may carry a secret:
 * it is never printed or logged; messages say "webhook" only.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "ingest/http.h"
#include "output/alerts.h"
#include "output/daily.h"

/* Exit status when alerts were raised. */
#define CLI_ALERTS 5

static void print_issues(const struct cnd_issues *iss)
{
    if (iss->text.len) {
        fputs(iss->text.data, stderr);
    }
    if (iss->count > iss->max_kept) {
        fprintf(stderr, "candor alerts: %lu more problems not shown\n",
                iss->count - iss->max_kept);
    }
}

static int parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;

    if (s[0] < '0' || s[0] > '9') {
        return -1;
    }
    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || *end != '\0' || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

/* Posts the alerts to the webhook; returns 0 or CLI_FAIL. */
static int post_webhook(const struct cnd_alerts *a, const char *url, double backoff)
{
    struct cnd_http_opts ho;
    struct cnd_buf body;
    char errbuf[256];
    int ret;

    cnd_buf_init(&body, 0);
    ret = cnd_alerts_webhook_body(a, &body);
    if (ret < 0) {
        fprintf(stderr, "candor alerts: webhook: cannot build the body: %s\n",
                cnd_strerror(ret));
        cnd_buf_release(&body);
        return CLI_FAIL;
    }
    cnd_http_opts_default(&ho);
    ho.timeout = 30;
    ho.connect_timeout = 10;
    ho.max_tries = 4;
    ho.backoff_base = backoff;
    ho.backoff_cap = 30;
    ho.max_wait = 60;
    ho.max_body = 1 << 20;
    ret = cnd_http_post_json(&ho, url, body.data, body.len, errbuf, sizeof(errbuf));
    cnd_buf_release(&body);
    if (ret < 0) {
        /* errbuf never holds the URL (ingest/http.h) */
        const char *why = errbuf[0] ? errbuf : cnd_strerror(ret);

        if (strncmp(why, "webhook: ", 9) == 0) {
            why += 9;
        }
        fprintf(stderr, "candor alerts: webhook not delivered: %s\n", why);
        return CLI_FAIL;
    }
    fprintf(stderr, "candor alerts: webhook: %zu alert%s delivered\n", a->n_alerts,
            a->n_alerts == 1 ? "" : "s");
    return 0;
}

int cmd_alerts(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "day", required_argument, NULL, 'D' },
        { "baseline-days", required_argument, NULL, 'b' },
        { "min-baseline-days", required_argument, NULL, 'B' },
        { "min-count", required_argument, NULL, 'm' },
        { "min-ratio", required_argument, NULL, 'r' },
        { "max-p", required_argument, NULL, 'p' },
        { "webhook-env", required_argument, NULL, 'w' },
        { "webhook-backoff", required_argument, NULL, 'W' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *data_dir = NULL, *webhook_env = NULL, *url = NULL;
    struct cnd_alerts_opts ao;
    struct cnd_alerts res;
    struct cnd_config cfg;
    struct cnd_issues iss;
    struct cnd_buf out;
    unsigned long long v;
    double backoff = 2;
    size_t i;
    int opt, ret, status = CLI_OK, quiet = 0;

    memset(&ao, 0, sizeof(ao));
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:d:D:b:B:m:r:p:w:W:q", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'w': webhook_env = optarg; break;
        case 'q': quiet = 1; break;
        case 'D':
            if (cnd_day_check(optarg) < 0) {
                return cli_usage_error("alerts", "--day wants a day YYYY-MM-DD, not '%s'",
                                       optarg);
            }
            ao.day = optarg;
            break;
        case 'b':
        case 'B':
            if (parse_count(optarg, 3660, &v) < 0 || v == 0) {
                return cli_usage_error("alerts", "--%s wants 1 to 3660, not '%s'",
                                       opt == 'b' ? "baseline-days" : "min-baseline-days",
                                       optarg);
            }
            if (opt == 'b') {
                ao.baseline_days = (unsigned)v;
            } else {
                ao.min_baseline_days = (unsigned)v;
            }
            break;
        case 'm':
            if (parse_count(optarg, 1000000000ull, &v) < 0 || v == 0) {
                return cli_usage_error("alerts", "--min-count wants a count >= 1, not '%s'",
                                       optarg);
            }
            ao.min_count = v;
            break;
        case 'r':
            if (cli_parse_double(optarg, &ao.min_ratio) < 0 || !(ao.min_ratio >= 1)) {
                return cli_usage_error("alerts", "--min-ratio wants a number >= 1, not '%s'",
                                       optarg);
            }
            break;
        case 'p':
            if (cli_parse_double(optarg, &ao.max_p) < 0 || !(ao.max_p > 0 && ao.max_p < 1)) {
                return cli_usage_error("alerts", "--max-p wants a probability in (0, 1), "
                                                 "not '%s'", optarg);
            }
            break;
        case 'W':
            if (cli_parse_double(optarg, &backoff) < 0 || !(backoff >= 0 && backoff <= 60)) {
                return cli_usage_error("alerts", "--webhook-backoff wants 0 to 60 seconds, "
                                                 "not '%s'", optarg);
            }
            break;
        default:
            return cli_usage_error("alerts", "unknown option");
        }
    }
    if (optind < argc) {
        return cli_usage_error("alerts", "unexpected argument '%s'", argv[optind]);
    }
    if (ao.min_baseline_days && ao.baseline_days && ao.min_baseline_days > ao.baseline_days) {
        return cli_usage_error("alerts", "--min-baseline-days is longer than --baseline-days");
    }
    if (cli_load_config(config_path, &cfg) != 0) {
        return CLI_USAGE;
    }
    /* the config's "alerts" section gives what the command line does not */
    if (webhook_env == NULL) {
        webhook_env = cfg.alerts.webhook_env;
    }
    if (ao.baseline_days == 0 && cfg.alerts.baseline_days >= 1) {
        ao.baseline_days = cfg.alerts.baseline_days > 3660 ? 3660 : (unsigned)cfg.alerts.baseline_days;
    }
    if (ao.min_baseline_days == 0 && cfg.alerts.min_baseline_days >= 1) {
        ao.min_baseline_days = cfg.alerts.min_baseline_days > 3660
                               ? 3660 : (unsigned)cfg.alerts.min_baseline_days;
    }
    if (ao.min_count == 0 && cfg.alerts.min_count >= 1) {
        ao.min_count = (unsigned long long)cfg.alerts.min_count;
    }
    if (ao.min_ratio == 0 && cfg.alerts.min_ratio >= 1) {
        ao.min_ratio = cfg.alerts.min_ratio;
    }
    if (ao.max_p == 0 && cfg.alerts.max_p > 0 && cfg.alerts.max_p < 1) {
        ao.max_p = cfg.alerts.max_p;
    }
    if (ao.min_baseline_days && ao.baseline_days && ao.min_baseline_days > ao.baseline_days) {
        cnd_config_release(&cfg);
        return cli_usage_error("alerts", "the minimum baseline is longer than the baseline");
    }
    if (webhook_env != NULL) {
        url = getenv(webhook_env);
        if (url == NULL || *url == '\0') {
            /* the variable's name may be said; its value never is */
            cli_usage_error("alerts", "webhook: the environment variable '%s' is not set",
                            webhook_env);
            cnd_config_release(&cfg);
            return CLI_USAGE;
        }
    }
    ao.data_dir = data_dir ? data_dir : cfg.data_dir ? cfg.data_dir : "data";
    cnd_issues_init(&iss);
    ret = cnd_alerts_run(&ao, &res, &iss);
    print_issues(&iss);
    cnd_issues_release(&iss);
    if (ret < 0) {
        if (ret == CND_ENOENT) {
            fprintf(stderr, "candor alerts: no daily files under '%s/daily'\n", ao.data_dir);
        } else if (ret == CND_EINVAL) {
            fprintf(stderr, "candor alerts: bad day or baseline\n");
        } else {
            fprintf(stderr, "candor alerts: %s\n", cnd_strerror(ret));
        }
        cnd_config_release(&cfg);
        return ret == CND_EINVAL ? CLI_USAGE : CLI_FAIL;
    }
    cnd_buf_init(&out, 0);
    if (cnd_alerts_ndjson(&res, &out) < 0) {
        fprintf(stderr, "candor alerts: out of memory\n");
        status = CLI_FAIL;
    } else {
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
        if (fflush(stdout) != 0) {
            fprintf(stderr, "candor alerts: cannot write the alerts: %s\n", strerror(errno));
            status = CLI_FAIL;
        }
    }
    cnd_buf_release(&out);
    if (!quiet) {
        if (res.day_missing) {
            fprintf(stderr, "candor alerts: %s: no daily file, nothing to test\n", res.day);
        } else {
            fprintf(stderr, "candor alerts: %s: %zu alert%s (%zu brand x category series "
                            "tested; baseline %zu of %zu days",
                    res.day, res.n_alerts, res.n_alerts == 1 ? "" : "s", res.series,
                    res.baseline_days, res.window_days);
            if (res.n_missing) {
                fprintf(stderr, "; left out, no daily file:");
                for (i = 0; i < res.n_missing && i < 10; i++) {
                    fprintf(stderr, " %s", res.missing[i].s);
                }
                if (res.n_missing > 10) {
                    fprintf(stderr, " and %zu more", res.n_missing - 10);
                }
            }
            fprintf(stderr, ")\n");
            if (res.too_short) {
                fprintf(stderr, "candor alerts: baseline too short (%zu days with a daily "
                                "file; at least %u needed): no alert raised\n",
                        res.baseline_days, ao.min_baseline_days ? ao.min_baseline_days
                                                                : CND_ALERTS_MIN_BASELINE_DAYS);
            }
        }
    }
    if (status == CLI_OK && res.n_alerts > 0) {
        status = CLI_ALERTS;
        if (url != NULL && post_webhook(&res, url, backoff) != 0) {
            status = CLI_FAIL;
        }
    }
    cnd_alerts_release(&res);
    cnd_config_release(&cfg);
    return status;
}
