/* SPDX-License-Identifier: MIT */
/*
 * `candor merge`: rebuild the daily files of each day from the parts
 * that the shards of a sharded replay wrote (output/merge.c). Follows the
 * scheduler contract: exit 0 when every day was merged, 65 when a day was
 * refused (missing, corrupt or inconsistent parts; nothing of that day
 * published) or on a usage/config error, 75 on an I/O failure (retry),
 * 143 on SIGTERM.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "output/parts.h"

static int merge(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "from", required_argument, NULL, 'F' },
        { "to", required_argument, NULL, 'T' },
        { "shards", required_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *data_dir = NULL;
    struct cnd_merge_opts mo;
    struct cnd_merge_stats st;
    struct cnd_config cfg;
    int opt, ret, quiet = 0, status;
    char *end;

    memset(&mo, 0, sizeof(mo));
    mo.stop = cli_stop_requested;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:d:q", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'F':
        case 'T':
            if (cnd_day_check(optarg) < 0) {
                return cli_usage_error("merge", "--%s wants a day YYYY-MM-DD, not '%s'",
                                       opt == 'F' ? "from" : "to", optarg);
            }
            if (opt == 'F') {
                mo.from = optarg;
            } else {
                mo.to = optarg;
            }
            break;
        case 'n': {
            unsigned long n = strtoul(optarg, &end, 10);

            if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || n == 0 ||
                n > CND_SHARD_MAX) {
                return cli_usage_error("merge", "--shards wants a number from 1 to %u, not '%s'",
                                       CND_SHARD_MAX, optarg);
            }
            mo.shards = (uint32_t)n;
            break;
        }
        case 'q': quiet = 1; break;
        default:
            return cli_usage_error("merge", "unknown option");
        }
    }
    if (optind < argc) {
        return cli_usage_error("merge", "unexpected argument '%s'", argv[optind]);
    }
    if (mo.from && mo.to && strcmp(mo.from, mo.to) > 0) {
        return cli_usage_error("merge", "--from %s is after --to %s", mo.from, mo.to);
    }
    status = cli_load_config(config_path, &cfg);
    if (status) {
        return status;
    }
    if (data_dir == NULL) {
        data_dir = cfg.data_dir ? cfg.data_dir : "data";
    }
    ret = cnd_merge(data_dir, &mo, &st);
    if (ret == CND_ESTOP || cli_stop_requested()) {
        fprintf(stderr, "candor merge: stopped by signal %d after %zu day%s; no partial day "
                "written\n", cli_stop_requested(), st.days_merged,
                st.days_merged == 1 ? "" : "s");
        status = cli_stop_status();
    } else if (ret < 0 && ret != CND_EPARSE) {
        fprintf(stderr, "candor merge: failed under '%s': %s (%zu day%s merged before)\n",
                data_dir, cnd_strerror(ret), st.days_merged, st.days_merged == 1 ? "" : "s");
        status = CLI_RETRY;
    } else {
        if (!quiet || st.days_refused) {
            fprintf(stderr, "candor merge: %zu day%s merged, %zu refused under '%s'\n",
                    st.days_merged, st.days_merged == 1 ? "" : "s", st.days_refused, data_dir);
        }
        status = st.days_refused ? CLI_PERMANENT : CLI_OK;
    }
    cnd_config_release(&cfg);
    return status;
}

int cmd_merge(int argc, char **argv)
{
    cli_stop_install();
    return cli_scheduler_status(merge(argc, argv));
}
