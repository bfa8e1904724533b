/* SPDX-License-Identifier: MIT */
/*
 * `candor report`: render the daily files of a period as one static HTML
 * page (output/report.c) and write it atomically. The page reads no
 * clock: a "generated at" line appears only with --now or
 * SOURCE_DATE_EPOCH, so the same data gives the same bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "output/daily.h"
#include "output/output.h"
#include "output/report.h"

/* Caps the page at 256 MiB: a period of ten years with many brands fits. */
#define REPORT_MAX_BYTES (256u << 20)

/* Prints the problems recorded while reading, then how many were not shown. */
static void print_issues(const char *command, const struct cnd_issues *iss)
{
    if (iss->text.len) {
        fputs(iss->text.data, stderr);
    }
    if (iss->count > iss->max_kept) {
        fprintf(stderr, "candor %s: %lu more problems not shown\n", command,
                iss->count - iss->max_kept);
    }
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (s[0] < '0' || s[0] > '9') {
        return -1;
    }
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end != '\0' || v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

/* "--now" or $SOURCE_DATE_EPOCH as "YYYY-MM-DDTHH:MM:SSZ"; 1 set, 0 none, -1 bad. */
static int generated_at(const char *now, char out[21])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    int64_t t;

    if (now != NULL) {
        if (cnd_time_parse(now, strlen(now), &t) < 0) {
            return -1;
        }
    } else if (sde != NULL && *sde) {
        unsigned long v;

        if (parse_uint(sde, 253402300799ul, &v) < 0) {
            return -1;
        }
        t = (int64_t)v;
    } else {
        return 0;
    }
    cnd_time_format(t, out);
    return 1;
}

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' },
        { "days", required_argument, NULL, 'n' },
        { "out", required_argument, NULL, 'o' },
        { "now", required_argument, NULL, 'N' },
        { "recent", required_argument, NULL, 'r' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *data_dir = NULL, *out = NULL, *now = NULL;
    struct cnd_report_opts ro;
    struct cnd_report_stats st;
    struct cnd_config cfg;
    struct cnd_issues iss;
    struct cnd_buf html;
    char stamp[21], *out_alloc = NULL;
    unsigned long v;
    int opt, ret, status = CLI_OK, quiet = 0, have_stamp;

    memset(&ro, 0, sizeof(ro));
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:d:f:t:n:o:N:r:q", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'o': out = optarg; break;
        case 'N': now = optarg; break;
        case 'q': quiet = 1; break;
        case 'f':
        case 't':
            if (cnd_day_check(optarg) < 0) {
                return cli_usage_error("report", "--%s wants a day YYYY-MM-DD, not '%s'",
                                       opt == 'f' ? "from" : "to", optarg);
            }
            if (opt == 'f') {
                ro.from = optarg;
            } else {
                ro.to = optarg;
            }
            break;
        case 'n':
            if (parse_uint(optarg, 3660, &v) < 0 || v == 0) {
                return cli_usage_error("report", "--days wants 1 to 3660, not '%s'", optarg);
            }
            ro.days = (unsigned)v;
            break;
        case 'r':
            if (parse_uint(optarg, 1000, &v) < 0 || v == 0) {
                return cli_usage_error("report", "--recent wants 1 to 1000, not '%s'", optarg);
            }
            ro.recent = (unsigned)v;
            break;
        default:
            return cli_usage_error("report", "unknown option");
        }
    }
    if (optind < argc) {
        return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
    }
    if (ro.from && ro.to && strcmp(ro.from, ro.to) > 0) {
        return cli_usage_error("report", "--from %s is after --to %s", ro.from, ro.to);
    }
    have_stamp = generated_at(now, stamp);
    if (have_stamp < 0) {
        return cli_usage_error("report", now ? "--now wants an ISO-8601 time or epoch "
                                               "seconds, not '%s'"
                                             : "SOURCE_DATE_EPOCH is not epoch seconds ('%s')",
                               now ? now : getenv("SOURCE_DATE_EPOCH"));
    }
    if (cli_load_config(config_path, &cfg) != 0) {
        return CLI_USAGE;
    }
    if (data_dir == NULL) {
        data_dir = cfg.data_dir ? cfg.data_dir : "data";
    }
    if (out == NULL) {
        size_t n = strlen(data_dir) + sizeof("/report.html");

        out_alloc = cnd_malloc(n);
        if (out_alloc == NULL) {
            cnd_config_release(&cfg);
            fprintf(stderr, "candor report: out of memory\n");
            return CLI_FAIL;
        }
        snprintf(out_alloc, n, "%s/report.html", data_dir);
        out = out_alloc;
    }
    ro.data_dir = data_dir;
    ro.generated_at = have_stamp ? stamp : NULL;
    cnd_issues_init(&iss);
    cnd_buf_init(&html, REPORT_MAX_BYTES);
    ret = cnd_report_render(&ro, &html, &iss, &st);
    print_issues("report", &iss);
    if (ret == CND_ENOENT) {
        fprintf(stderr, "candor report: no daily files under '%s/daily'%s\n", data_dir,
                ro.from ? " from that day on" : "");
        status = CLI_FAIL;
    } else if (ret == CND_EINVAL) {
        status = cli_usage_error("report", "the period must run forwards and last at most "
                                           "3660 days");
    } else if (ret < 0) {
        fprintf(stderr, "candor report: cannot render the report: %s\n", cnd_strerror(ret));
        status = CLI_FAIL;
    } else if ((ret = cnd_write_file_atomic(out, html.data, html.len)) < 0) {
        fprintf(stderr, "candor report: cannot write '%s': %s\n", out, cnd_strerror(ret));
        status = CLI_FAIL;
    } else {
        if (!quiet) {
            fprintf(stderr, "candor report: %s .. %s (%zu days, %zu daily files, %zu in the "
                            "previous period), %zu brands, %zu categories; %zu bytes written "
                            "to '%s'\n",
                    st.from, st.to, st.n_days, st.days_read, st.prev_days_read, st.brands,
                    st.categories, html.len, out);
        }
        status = iss.count ? CLI_SKIPPED : CLI_OK;
    }
    cnd_buf_release(&html);
    cnd_issues_release(&iss);
    cnd_config_release(&cfg);
    cnd_free(out_alloc);
    return status;
}
