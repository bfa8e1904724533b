/* SPDX-License-Identifier: MIT */
/*
 * `candor replay`: rebuild the daily files of every day found in NDJSON
 * post dumps. Each distinct post (source + id) is analyzed and counted
 * once; days are written atomically.
 *
 * With `--shard I/N` it does one shard's share (docs/SCALE.md): every
 * shard reads all the inputs and drops duplicates over all of them (so
 * the first occurrence of a post decides its day, as without shards),
 * then analyzes and counts only the posts whose (source, day) pair is in
 * its shard, and writes parts (DATA/parts/DAY/I-of-N/) for `candor merge`
 * instead of daily files. A sharded replay follows the scheduler
 * contract: exit 0, 65 (permanent: usage, config, unreadable input), 75
 * (retry: I/O, memory), 143 on SIGTERM (130 on SIGINT).
 *
 * This file also holds the stop-signal handling of the long commands.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/lock.h"
#include "common/timeutil.h"
#include "output/output.h"
#include "output/parts.h"

/* Seconds a blocked read may take after SIGTERM before the process leaves anyway. */
#define STOP_GRACE 20

/* ---- Stop signals ---- */

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_reading;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
    if (stop_reading) {
        alarm(STOP_GRACE);
    }
}

/*
 * The grace period ran out while the input loop was blocked (a stalled
 * pipe or FIFO). While reading, nothing is on disk but the unlinked spill
 * file, so leaving at once publishes nothing.
 */
static void on_stop_alarm(int sig)
{
    (void)sig;
    if (stop_reading) {
        _exit(128 + (stop_signal ? stop_signal : SIGTERM));
    }
}

void cli_stop_install(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0) {
        fprintf(stderr, "candor: cannot install signal handlers: %s\n", strerror(errno));
    }
    sa.sa_handler = on_stop_alarm;
    if (sigaction(SIGALRM, &sa, NULL) != 0) {
        fprintf(stderr, "candor: cannot install signal handlers: %s\n", strerror(errno));
    }
}

int cli_stop_requested(void)
{
    return stop_signal;
}

void cli_stop_reading(int on)
{
    stop_reading = on;
    if (on && stop_signal) {
        alarm(STOP_GRACE);
    }
}

int cli_stop_status(void)
{
    return 128 + (stop_signal ? stop_signal : SIGTERM);
}

/* ---- Replay ---- */

struct replay_ctx {
    struct cnd_analyzer *an;
    struct cnd_agg *agg;
    struct cnd_once *once;        /* posts held back until all are read: each key once */
    struct cnd_tz *tz;
    const char *default_source;
    struct cnd_shard shard;       /* count 0: not sharded */
    struct cnd_buf line;
    uint64_t undated;
};

static int on_post(void *arg, const struct input_line *il)
{
    struct replay_ctx *ctx = arg;
    struct cnd_post post;
    struct cnd_verdict v;
    uint64_t key;
    char day[11];
    int ret;

    if (stop_signal) {
        return CND_ESTOP;
    }
    if (il->post == NULL) {
        return 0;   /* already reported and counted by the input loop */
    }
    post = *il->post;
    if (post.source.len == 0) {
        post.source.ptr = ctx->default_source;
        post.source.len = strlen(ctx->default_source);
    }
    if (!post.has_created_at) {
        ctx->undated++;
        input_warn("replay", il->file, il->lineno, "post '%.*s' has no usable created_at%s%.*s%s",
                   (int)(post.id.len > 200 ? 200 : post.id.len), post.id.ptr,
                   post.created_raw.len ? " ('" : "",
                   (int)(post.created_raw.len > 60 ? 60 : post.created_raw.len),
                   post.created_raw.ptr ? post.created_raw.ptr : "",
                   post.created_raw.len ? "')" : "");
        return 0;
    }
    key = cnd_post_key(&post);
    if (cnd_once_repeat(ctx->once, key)) {
        return 0;   /* a duplicate of a post just read: no need to analyze it */
    }
    cnd_day_of(ctx->tz, post.created_at, day);
    if (ctx->shard.count > 0 &&
        cnd_shard_of(post.source.ptr, post.source.len, day, ctx->shard.count) != ctx->shard.index) {
        /*
         * Another shard's post; every shard still lists the day, so each
         * writes its part. It is held back too: if a copy of it comes later
         * with another day, that copy is a duplicate here as everywhere.
         */
        return cnd_once_elsewhere(ctx->once, key, day);
    }
    ret = cnd_analyze_post(ctx->an, &post, &v);
    if (ret < 0 && ret != CND_ELIMIT) {
        return ret;
    }
    cnd_buf_reset(&ctx->line);
    if (v.complaint) {
        ret = cnd_verdict_json(&v, &post, 1, &ctx->line);
        if (ret < 0) {
            return ret;
        }
    }
    return cnd_once_add(ctx->once, key, day, il->file_index, &post, &v,
                        ctx->line.data ? ctx->line.data : "", ctx->line.len);
}

static int set_field(struct cnd_fieldmap *map, const char *spec)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        { "id", offsetof(struct cnd_fieldmap, id) },
        { "text", offsetof(struct cnd_fieldmap, text) },
        { "source", offsetof(struct cnd_fieldmap, source) },
        { "created_at", offsetof(struct cnd_fieldmap, created_at) },
        { "author", offsetof(struct cnd_fieldmap, author) },
        { "url", offsetof(struct cnd_fieldmap, url) },
        { "lang", offsetof(struct cnd_fieldmap, lang) },
    };
    const char *eq = strchr(spec, '=');
    size_t i;

    if (eq == NULL || eq[1] == '\0') {
        return -1;
    }
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strlen(keys[i].key) == (size_t)(eq - spec) &&
            strncmp(keys[i].key, spec, (size_t)(eq - spec)) == 0) {
            *(const char **)((char *)map + keys[i].off) = eq + 1;
            return 0;
        }
    }
    return -1;
}

/*
 * In a sharded run every shard must read the same bytes, so an input that
 * is missing or unreadable fails the shard (65) before anything is read,
 * instead of being skipped with a warning. Uses stat(), not open(), so a
 * FIFO's writer is not disturbed. Returns 0, CLI_PERMANENT or CLI_RETRY.
 */
static int check_inputs(char *const *paths, size_t n)
{
    struct stat st;
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            continue;
        }
        if (stat(paths[i], &st) != 0) {
            int e = errno;

            fprintf(stderr, "candor replay: %s: cannot read: %s\n", paths[i], strerror(e));
            return e == ENOENT || e == EACCES || e == ENOTDIR || e == ELOOP ||
                   e == ENAMETOOLONG ? CLI_PERMANENT : CLI_RETRY;
        }
        /* A directory (an archive tree) must be listable as well as readable. */
        if (access(paths[i], S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK) != 0) {
            fprintf(stderr, "candor replay: %s: cannot read: %s\n", paths[i], strerror(errno));
            return CLI_PERMANENT;
        }
    }
    return 0;
}

/* Writes the parts of every day seen (sharded run). Returns a CLI status. */
static int write_parts(struct replay_ctx *ctx, const char *data_dir,
                       const struct cnd_agg_meta *meta)
{
    size_t i, n = cnd_agg_n_days(ctx->agg);
    int ret;

    for (i = 0; i < n; i++) {
        if (stop_signal) {
            fprintf(stderr, "candor replay: stopped by signal %d; %zu of %zu parts written, "
                    "no partial one\n", (int)stop_signal, i, n);
            return cli_stop_status();
        }
        ret = cnd_part_write(ctx->agg, i, data_dir, &ctx->shard, meta);
        if (ret < 0) {
            fprintf(stderr, "candor replay: cannot write the part of %s under '%s/parts': %s\n",
                    cnd_agg_day(ctx->agg, i), data_dir, cnd_strerror(ret));
            return ret == CND_EINVAL ? CLI_PERMANENT : CLI_FAIL;
        }
    }
    return CLI_OK;
}

/* The work of cmd_replay(); returns a CLI status (mapped by the caller when sharded). */
static int replay(int argc, char **argv, int *sharded)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "lexicon", required_argument, NULL, 'l' },
        { "source", required_argument, NULL, 's' },
        { "field", required_argument, NULL, 'f' },
        { "shard", required_argument, NULL, 'S' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *lexicon = NULL, *data_dir = NULL, *shard_spec = NULL;
    const char *names[4096];
    struct cnd_fieldmap map;
    struct cnd_config cfg;
    struct cnd_lexicon *lex = NULL;
    struct replay_ctx ctx;
    struct input_stats st;
    struct cnd_agg_meta meta;
    struct cnd_once_counts counts;
    struct cnd_lock lock;
    char *fields[16];
    char msg[200];
    size_t n_fields = 0, i, n_inputs;
    int opt, ret = 0, status, err = 0, quiet = 0;

    memset(&ctx, 0, sizeof(ctx));
    cnd_lock_init(&lock);
    ctx.default_source = "ndjson";
    for (i = 1; i < (size_t)argc; i++) {
        if (strncmp(argv[i], "--shard", 7) == 0) {
            *sharded = 1;
        }
    }
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:d:l:s:f:q", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'd': data_dir = optarg; break;
        case 'l': lexicon = optarg; break;
        case 's':
            if (optarg[0] == '\0') {
                return cli_usage_error("replay", "--source wants a non-empty name");
            }
            ctx.default_source = optarg;
            break;
        case 'f':
            if (n_fields == sizeof(fields) / sizeof(fields[0])) {
                return cli_usage_error("replay", "too many --field options");
            }
            fields[n_fields++] = optarg;
            break;
        case 'S': shard_spec = optarg; break;
        case 'q': quiet = 1; break;
        default:
            return cli_usage_error("replay", "unknown option");
        }
    }
    if (shard_spec != NULL && cnd_shard_parse(shard_spec, &ctx.shard, msg, sizeof(msg)) < 0) {
        return cli_usage_error("replay", "%s", msg);
    }
    if (optind >= argc) {
        return cli_usage_error("replay", "no input files (use '-' for standard input)");
    }
    n_inputs = (size_t)(argc - optind);
    if (n_inputs > sizeof(names) / sizeof(names[0])) {
        return cli_usage_error("replay", "too many input files (at most %zu per run)",
                               sizeof(names) / sizeof(names[0]));
    }
    for (i = 0; i < n_inputs; i++) {
        names[i] = strcmp(argv[optind + (int)i], "-") == 0 ? "<stdin>" : argv[optind + (int)i];
    }

    status = cli_load_config(config_path, &cfg);
    if (status) {
        return status;
    }
    input_set_config(&cfg);   /* archive segments: adapter options by source name */
    map = cfg.fields;
    for (i = 0; i < n_fields; i++) {
        if (set_field(&map, fields[i]) < 0) {
            cnd_config_release(&cfg);
            return cli_usage_error("replay", "--field wants KEY=NAME with KEY one of id, text, "
                                   "source, created_at, author, url, lang; not '%s'", fields[i]);
        }
    }
    if (data_dir == NULL) {
        data_dir = cfg.data_dir ? cfg.data_dir : "data";
    }
    if (cfg.timezone && cfg.timezone[0]) {
        ctx.tz = cnd_tz_new(cfg.timezone, &err);
        if (ctx.tz == NULL) {
            fprintf(stderr, "candor replay: unknown time zone '%s'\n", cfg.timezone);
            cnd_config_release(&cfg);
            return CLI_USAGE;
        }
    }
    if (ctx.shard.count > 0) {
        status = check_inputs(argv + optind, n_inputs);
        if (status) {
            goto out;
        }
    }
    status = cli_load_analyzer(&cfg, lexicon, -1, &lex, &ctx.an);
    if (status) {
        goto out;
    }
    cnd_analyzer_complaints_only(ctx.an, 1);   /* other posts are only counted */
    if (cnd_mkdirs(data_dir) < 0) {
        fprintf(stderr, "candor replay: cannot create data directory '%s'\n", data_dir);
        status = CLI_FAIL;
        goto out;
    }
    {
        /*
         * One writer per data directory: an unsharded replay holds DATA/.lock
         * like `candor run` and `candor fetch`; the shards of a sharded one
         * share it (they write disjoint parts), excluding an unsharded writer.
         */
        char lock_path[4096];
        long holder = 0;

        snprintf(lock_path, sizeof(lock_path), "%s/.lock", data_dir);
        ret = ctx.shard.count > 0 ? cnd_lock_take_shared(&lock, lock_path, 0, &holder)
                                  : cnd_lock_take(&lock, lock_path, 0, &holder);
        if (ret == CND_ELOCK) {
            fprintf(stderr, "candor replay: another run holds the lock '%s'", lock_path);
            if (holder) {
                fprintf(stderr, " (pid %ld)", holder);
            }
            fputc('\n', stderr);
            status = CLI_RETRY;
            goto out;
        }
        if (ret < 0) {
            fprintf(stderr, "candor replay: cannot take the lock '%s': %s\n", lock_path,
                    strerror(errno));
            status = CLI_FAIL;
            goto out;
        }
    }
    {
        /* Temporary files of writers that were killed: never half a day. */
        static const char *const subdirs[] = { "", "/daily", "/complaints" };
        char dir[4096];

        for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
            if ((size_t)snprintf(dir, sizeof(dir), "%s%s", data_dir, subdirs[i]) < sizeof(dir)) {
                cnd_sweep_tmp(dir);
            }
        }
    }
    ctx.agg = cnd_agg_new(data_dir, &err);
    if (ctx.agg != NULL) {
        ctx.once = cnd_once_new(ctx.agg, data_dir, &err);
    }
    if (ctx.agg == NULL || ctx.once == NULL) {
        fprintf(stderr, "candor replay: cannot set up: %s\n", cnd_strerror(err));
        status = CLI_FAIL;
        goto out;
    }
    cnd_buf_init(&ctx.line, 0);

    cli_stop_reading(1);
    ret = input_each("replay", argv + optind, n_inputs, &map, on_post, &ctx, &st);
    cli_stop_reading(0);
    input_warn_summary("replay");
    if (ret == CND_ESTOP || stop_signal) {
        fprintf(stderr, "candor replay: stopped by signal %d; nothing written\n",
                (int)stop_signal);
        status = cli_stop_status();
        goto out;
    }
    if (ret < 0) {
        fprintf(stderr, "candor replay: stopped: %s; nothing written\n", cnd_strerror(ret));
        status = CLI_FAIL;
        goto out;
    }
    if (ctx.shard.count > 0 && st.files_failed) {
        /* Another shard may have read more of it: parts would not add up. */
        fprintf(stderr, "candor replay: %llu input file%s could not be read to the end (see "
                "above); a shard needs every input whole; nothing written\n",
                (unsigned long long)st.files_failed, st.files_failed == 1 ? "" : "s");
        status = CLI_PERMANENT;
        goto out;
    }
    ret = cnd_once_settle(ctx.once, &counts);
    if (ret < 0) {
        fprintf(stderr, "candor replay: cannot count the posts read: %s; nothing written\n",
                cnd_strerror(ret));
        status = CLI_FAIL;
        goto out;
    }
    memset(&meta, 0, sizeof(meta));
    meta.lexicon_version = cnd_lexicon_version(lex);
    meta.timezone = cfg.timezone;
    meta.inputs = names;
    meta.n_inputs = n_inputs;
    if (ctx.shard.count > 0) {
        status = write_parts(&ctx, data_dir, &meta);
        if (status != CLI_OK) {
            goto out;
        }
    } else {
        ret = cnd_agg_write(ctx.agg, data_dir, &meta);
        if (ret < 0) {
            fprintf(stderr, "candor replay: cannot write the daily files under '%s': %s\n",
                    data_dir, cnd_strerror(ret));
            status = CLI_FAIL;
            goto out;
        }
    }
    status = (st.bad || st.files_failed || ctx.undated) ? CLI_SKIPPED : CLI_OK;
    if (!quiet) {
        size_t n_days = cnd_agg_n_days(ctx.agg);

        if (ctx.shard.count > 0) {
            fprintf(stderr, "candor replay: shard %u of %u: ", (unsigned)ctx.shard.index,
                    (unsigned)ctx.shard.count);
        } else {
            fputs("candor replay: ", stderr);
        }
        fprintf(stderr, "%llu posts (%llu duplicates dropped, %llu bad lines, "
                "%llu without a date), %llu complaints; ",
                (unsigned long long)counts.posts, (unsigned long long)counts.duplicates,
                (unsigned long long)st.bad, (unsigned long long)ctx.undated,
                (unsigned long long)counts.complaints);
        if (ctx.shard.count > 0) {
            fprintf(stderr, "%llu posts left to other shards; %zu part%s written under "
                    "'%s/parts'", (unsigned long long)counts.elsewhere, n_days,
                    n_days == 1 ? "" : "s", data_dir);
        } else {
            fprintf(stderr, "%zu day%s written under '%s'", n_days, n_days == 1 ? "" : "s",
                    data_dir);
        }
        if (n_days) {
            fprintf(stderr, " (%s .. %s)", cnd_agg_day(ctx.agg, 0),
                    cnd_agg_day(ctx.agg, n_days - 1));
        }
        fputc('\n', stderr);
    }
out:
    cnd_lock_release(&lock);
    cnd_buf_release(&ctx.line);
    cnd_agg_free(ctx.agg);
    cnd_once_free(ctx.once);
    cnd_analyzer_free(ctx.an);
    cnd_lexicon_free(lex);
    cnd_tz_free(ctx.tz);
    cnd_config_release(&cfg);
    return status;
}

int cli_scheduler_status(int status)
{
    switch (status) {
    case CLI_OK:
    case CLI_SKIPPED:
        return 0;   /* skipped lines were reported; the shard's output is complete */
    case CLI_USAGE:
        return CLI_PERMANENT;
    case CLI_FAIL:
        return CLI_RETRY;
    default:
        return status;   /* already 65, 75 or 128 + signal */
    }
}

int cmd_replay(int argc, char **argv)
{
    int sharded = 0, status;

    cli_stop_install();
    status = replay(argc, argv, &sharded);
    return sharded ? cli_scheduler_status(status) : status;
}
