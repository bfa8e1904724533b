/* SPDX-License-Identifier: MIT */
/*
 * `candor replay`: rebuild the daily files of every day found in NDJSON
 * post dumps. Each distinct post (source + id) is analyzed and counted
 * once; days are written atomically.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/timeutil.h"
#include "output/output.h"

struct replay_ctx {
    struct cnd_analyzer *an;
    struct cnd_seen *seen;
    struct cnd_agg *agg;
    struct cnd_tz *tz;
    const char *default_source;
    struct cnd_buf line;
    uint64_t posts, duplicates, undated, complaints;
};

static int on_post(void *arg, const struct input_line *il)
{
    struct replay_ctx *ctx = arg;
    struct cnd_post post;
    struct cnd_verdict v;
    char day[11];
    int ret;

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
    ret = cnd_seen_add(ctx->seen, cnd_post_key(&post));
    if (ret < 0) {
        return ret;
    }
    if (ret == 0) {
        ctx->duplicates++;
        return 0;
    }
    ctx->posts++;
    ret = cnd_analyze_post(ctx->an, &post, &v);
    if (ret < 0 && ret != CND_ELIMIT) {
        return ret;
    }
    cnd_day_of(ctx->tz, post.created_at, day);
    cnd_buf_reset(&ctx->line);
    if (v.complaint) {
        ctx->complaints++;
        ret = cnd_verdict_json(&v, &post, 1, &ctx->line);
        if (ret < 0) {
            return ret;
        }
    }
    return cnd_agg_add(ctx->agg, day, il->file_index, &post, &v,
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

int cmd_replay(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "data", required_argument, NULL, 'd' },
        { "lexicon", required_argument, NULL, 'l' },
        { "source", required_argument, NULL, 's' },
        { "field", required_argument, NULL, 'f' },
        { "quiet", no_argument, NULL, 'q' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *lexicon = NULL, *data_dir = NULL;
    const char *names[4096];
    struct cnd_fieldmap map;
    struct cnd_config cfg;
    struct cnd_lexicon *lex = NULL;
    struct replay_ctx ctx;
    struct input_stats st;
    struct cnd_agg_meta meta;
    char *fields[16];
    size_t n_fields = 0, i, n_inputs;
    int opt, ret = 0, status, err = 0, quiet = 0;

    memset(&ctx, 0, sizeof(ctx));
    ctx.default_source = "ndjson";
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
        case 'q': quiet = 1; break;
        default:
            return cli_usage_error("replay", "unknown option");
        }
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
    status = cli_load_analyzer(&cfg, lexicon, -1, &lex, &ctx.an);
    if (status) {
        goto out;
    }
    if (cnd_mkdirs(data_dir) < 0) {
        fprintf(stderr, "candor replay: cannot create data directory '%s'\n", data_dir);
        status = CLI_FAIL;
        goto out;
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
    ctx.seen = cnd_seen_new();
    ctx.agg = cnd_agg_new(data_dir, &err);
    if (ctx.seen == NULL || ctx.agg == NULL) {
        fprintf(stderr, "candor replay: cannot set up: %s\n",
                cnd_strerror(ctx.agg == NULL ? err : CND_ENOMEM));
        status = CLI_FAIL;
        goto out;
    }
    cnd_buf_init(&ctx.line, 0);

    ret = input_each("replay", argv + optind, n_inputs, &map, on_post, &ctx, &st);
    input_warn_summary("replay");
    if (ret < 0) {
        fprintf(stderr, "candor replay: stopped: %s; nothing written\n", cnd_strerror(ret));
        status = CLI_FAIL;
        goto out;
    }
    memset(&meta, 0, sizeof(meta));
    meta.lexicon_version = cnd_lexicon_version(lex);
    meta.timezone = cfg.timezone;
    meta.inputs = names;
    meta.n_inputs = n_inputs;
    ret = cnd_agg_write(ctx.agg, data_dir, &meta);
    if (ret < 0) {
        fprintf(stderr, "candor replay: cannot write the daily files under '%s': %s\n",
                data_dir, cnd_strerror(ret));
        status = CLI_FAIL;
        goto out;
    }
    status = (st.bad || st.files_failed || ctx.undated) ? CLI_SKIPPED : CLI_OK;
    if (!quiet) {
        size_t n_days = cnd_agg_n_days(ctx.agg);

        fprintf(stderr, "candor replay: %llu posts (%llu duplicates dropped, %llu bad lines, "
                "%llu without a date), %llu complaints; %zu day%s written under '%s'",
                (unsigned long long)ctx.posts, (unsigned long long)ctx.duplicates,
                (unsigned long long)st.bad, (unsigned long long)ctx.undated,
                (unsigned long long)ctx.complaints, n_days, n_days == 1 ? "" : "s", data_dir);
        if (n_days) {
            fprintf(stderr, " (%s .. %s)", cnd_agg_day(ctx.agg, 0),
                    cnd_agg_day(ctx.agg, n_days - 1));
        }
        fputc('\n', stderr);
    }
out:
    cnd_buf_release(&ctx.line);
    cnd_agg_free(ctx.agg);
    cnd_seen_free(ctx.seen);
    cnd_analyzer_free(ctx.an);
    cnd_lexicon_free(lex);
    cnd_tz_free(ctx.tz);
    cnd_config_release(&cfg);
    return status;
}
