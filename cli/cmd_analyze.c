/* SPDX-License-Identifier: MIT */
/* `candor analyze`: NDJSON posts in, NDJSON verdicts out, one per line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/input.h"
#include "common/buf.h"
#include "common/err.h"

#define FLUSH_AT (256 * 1024)

struct analyze_ctx {
    struct cnd_analyzer *an;
    struct cnd_buf out;
    int write_failed;
};

static int flush_out(struct analyze_ctx *ctx)
{
    if (ctx->out.len && fwrite(ctx->out.data, 1, ctx->out.len, stdout) != ctx->out.len) {
        ctx->write_failed = 1;
        return CND_EIO;
    }
    cnd_buf_reset(&ctx->out);
    return 0;
}

static int on_line(void *arg, const struct input_line *il)
{
    struct analyze_ctx *ctx = arg;
    struct cnd_verdict v;
    int ret;

    if (il->post == NULL) {
        ret = cnd_buf_adds(&ctx->out, "{\"id\":");
        if (ret == 0) {
            ret = il->error_id ? cnd_buf_add_json_str(&ctx->out, il->error_id, il->error_id_len)
                               : cnd_buf_adds(&ctx->out, "null");
        }
        if (ret == 0) {
            ret = cnd_buf_adds(&ctx->out, ",\"error\":");
        }
        if (ret == 0) {
            ret = cnd_buf_add_json_str(&ctx->out, il->error, strlen(il->error));
        }
        if (ret == 0) {
            ret = cnd_buf_adds(&ctx->out, "}\n");
        }
    } else {
        ret = cnd_analyze_post(ctx->an, il->post, &v);
        if (ret == CND_ELIMIT) {
            ret = 0;   /* counted in the analyzer's stats; the verdict stands */
        }
        if (ret == 0) {
            ret = cnd_verdict_json(&v, il->post, 0, &ctx->out);
        }
        if (ret == 0) {
            ret = cnd_buf_addc(&ctx->out, '\n');
        }
    }
    if (ret < 0) {
        fprintf(stderr, "candor analyze: %s:%llu: %s\n", il->file,
                (unsigned long long)il->lineno, cnd_strerror(ret));
        return ret;
    }
    if (ctx->out.len >= FLUSH_AT) {
        return flush_out(ctx);
    }
    return 0;
}

int cmd_analyze(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "lexicon", required_argument, NULL, 'l' },
        { "threshold", required_argument, NULL, 't' },
        { "stats", no_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    static char *stdin_only[] = { (char *)"-" };
    const char *config_path = NULL, *lexicon = NULL;
    double threshold = -1;
    struct cnd_config cfg;
    struct cnd_lexicon *lex = NULL;
    struct analyze_ctx ctx;
    struct input_stats st;
    struct cnd_analyzer_stats ast;
    char *const *paths;
    size_t n_paths;
    int opt, ret, status, stats = 0;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:l:t:s", opts, NULL)) != -1) {
        switch (opt) {
        case 's': stats = 1; break;
        case 'c': config_path = optarg; break;
        case 'l': lexicon = optarg; break;
        case 't':
            if (cli_parse_double(optarg, &threshold) < 0 || threshold < 0) {
                return cli_usage_error("analyze", "--threshold wants a number >= 0, not '%s'",
                                       optarg);
            }
            break;
        default:
            return cli_usage_error("analyze", "unknown option");
        }
    }
    paths = optind < argc ? argv + optind : stdin_only;
    n_paths = optind < argc ? (size_t)(argc - optind) : 1;

    status = cli_load_config(config_path, &cfg);
    if (status) {
        return status;
    }
    memset(&ctx, 0, sizeof(ctx));
    status = cli_load_analyzer(&cfg, lexicon, threshold, &lex, &ctx.an);
    if (status) {
        cnd_config_release(&cfg);
        return status;
    }
    cnd_buf_init(&ctx.out, 0);
    if (stats && cnd_analyzer_profile(ctx.an) < 0) {
        fprintf(stderr, "candor analyze: out of memory\n");
        cnd_buf_release(&ctx.out);
        cnd_analyzer_free(ctx.an);
        cnd_lexicon_free(lex);
        cnd_config_release(&cfg);
        return CLI_FAIL;
    }

    ret = input_each("analyze", paths, n_paths, &cfg.fields, on_line, &ctx, &st);
    if (ret == 0) {
        ret = flush_out(&ctx);
    }
    if (ret == 0 && fflush(stdout) != 0) {
        ctx.write_failed = 1;
        ret = CND_EIO;
    }
    input_warn_summary("analyze");
    cnd_analyzer_stats(ctx.an, &ast);
    if (stats) {
        double n = ast.posts ? (double)ast.posts : 1;
        struct cnd_pattern_cost top[10];
        size_t k, n_top = cnd_analyzer_costs(ctx.an, top, 10);

        fprintf(stderr, "candor analyze: %lu posts analyzed; per post: %.2f prefilter hits, "
                        "%.2f candidate patterns, %.2f regex runs\n", ast.posts,
                (double)ast.literal_hits / n, (double)ast.candidates / n,
                (double)ast.regex_runs / n);
        if (n_top > 0) {
            fprintf(stderr, "candor analyze: PCRE2 runs took %.3f s in all\n", ast.regex_seconds);
        }
        for (k = 0; k < n_top; k++) {
            fprintf(stderr, "candor analyze: costliest patterns: %2zu. %-28s %8.3f s %9lu runs "
                            "%8lu matches\n", k + 1, top[k].id, top[k].seconds, top[k].runs,
                    top[k].matches);
        }
    }
    if (ast.limit_hits) {
        fprintf(stderr, "candor analyze: %lu regex matches stopped at the match limit "
                        "(rule skipped for that post)\n", ast.limit_hits);
    }
    if (ctx.write_failed) {
        fprintf(stderr, "candor analyze: cannot write to standard output\n");
    }
    status = ret < 0 ? CLI_FAIL : (st.bad || st.files_failed) ? CLI_SKIPPED : CLI_OK;

    cnd_buf_release(&ctx.out);
    cnd_analyzer_free(ctx.an);
    cnd_lexicon_free(lex);
    cnd_config_release(&cfg);
    return status;
}
