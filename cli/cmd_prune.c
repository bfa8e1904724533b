/* SPDX-License-Identifier: MIT */
/*
 * `candor prune`: archive retention. Removes the archive segments of
 * fetch days older than N days, but only those already in published
 * daily files (the run's segment index has them at their current size
 * and mtime); the days they hold are marked first, so a late post for
 * such a day never triggers a rebuild from a partial archive. Takes the
 * data directory's lock like `candor run`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/rebuild.h"
#include "common/err.h"
#include "common/lock.h"
#include "common/timeutil.h"

int cmd_prune(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "archive-days", required_argument, NULL, 'a' },
        { "dry-run", no_argument, NULL, 'n' },
        { "wait", no_argument, NULL, 'w' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL;
    long days = -1;
    int opt, dry_run = 0, wait = 0, quiet = 0, status, ret;
    struct cli_checked c;
    struct cli_prune_stats st;
    struct cnd_lock lock;
    char lock_path[4200], before[11];
    long holder = 0;
    char *end;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:a:nwq", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'a':
            errno = 0;
            days = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || days < 1 || days > 100000) {
                return cli_usage_error("prune", "--archive-days wants a whole number of days "
                                       ">= 1, not '%s'", optarg);
            }
            break;
        case 'n': dry_run = 1; break;
        case 'w': wait = 1; break;
        case 'q': quiet = 1; break;
        default:
            return cli_usage_error("prune", "unknown option");
        }
    }
    if (optind < argc) {
        return cli_usage_error("prune", "unexpected argument '%s'", argv[optind]);
    }
    if (config_path == NULL || days < 0) {
        return cli_usage_error("prune", "--config FILE and --archive-days N are required");
    }
    status = cli_config_check(config_path, NULL, CLI_CHECK_NOLEXICON, &c);
    if (status) {
        fprintf(stderr, "candor prune: '%s' is not valid; nothing removed\n", config_path);
        return status;
    }
    cnd_lock_init(&lock);
    snprintf(lock_path, sizeof(lock_path), "%s/.lock", c.data_dir);
    ret = cnd_lock_take(&lock, lock_path, wait ? -1 : 0, &holder);
    if (ret == CND_ELOCK) {
        fprintf(stderr, "candor prune: another run holds the lock '%s'", lock_path);
        if (holder) {
            fprintf(stderr, " (pid %ld)", holder);
        }
        fputc('\n', stderr);
        cli_checked_release(&c);
        return 75;
    }
    if (ret < 0) {
        fprintf(stderr, "candor prune: cannot take the lock '%s': %s\n", lock_path,
                strerror(errno));
        cli_checked_release(&c);
        return CLI_FAIL;
    }
    /* Fetch days strictly before today minus N (UTC) go. */
    cnd_day_of(NULL, (int64_t)time(NULL) - (int64_t)days * 86400, before);
    ret = cli_prune(c.data_dir, before, dry_run, &st);
    if (ret < 0) {
        fprintf(stderr, "candor prune: stopped: %s (what was removed is recorded)\n",
                cnd_strerror(ret));
        status = CLI_FAIL;
    }
    if (!quiet || ret < 0) {
        fprintf(stderr, "candor prune: %s%zu segment%s (%llu bytes) of fetch days before %s; "
                "%zu kept because their days are not built yet\n",
                dry_run ? "would remove " : "removed ", st.removed, st.removed == 1 ? "" : "s",
                (unsigned long long)st.bytes, before, st.kept_unbuilt);
    }
    cnd_lock_release(&lock);
    cli_checked_release(&c);
    return status;
}
