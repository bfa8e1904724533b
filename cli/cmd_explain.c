/* SPDX-License-Identifier: MIT */
/* `candor explain` and `candor lexicon`: tools for analysts tuning a lexicon. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/utf8.h"

#define MAX_EXPLAIN_TEXT (16u << 20)

static int read_stdin(struct cnd_buf *text)
{
    char chunk[65536];
    size_t n;

    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        int ret = cnd_buf_add(text, chunk, n);

        if (ret < 0) {
            return ret;
        }
    }
    return ferror(stdin) ? CND_EIO : 0;
}

int cmd_explain(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "lexicon", required_argument, NULL, 'l' },
        { "threshold", required_argument, NULL, 't' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL, *lexicon = NULL;
    double threshold = -1;
    struct cnd_config cfg;
    struct cnd_lexicon *lex = NULL;
    struct cnd_analyzer *an = NULL;
    struct cnd_buf text, out;
    size_t bad;
    int opt, i, ret = 0, status;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "+c:l:t:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'l': lexicon = optarg; break;
        case 't':
            if (cli_parse_double(optarg, &threshold) < 0 || threshold < 0) {
                return cli_usage_error("explain", "--threshold wants a number >= 0, not '%s'",
                                       optarg);
            }
            break;
        default:
            return cli_usage_error("explain", "unknown option");
        }
    }
    cnd_buf_init(&text, MAX_EXPLAIN_TEXT);
    cnd_buf_init(&out, 0);
    if (optind >= argc || (optind == argc - 1 && strcmp(argv[optind], "-") == 0)) {
        ret = read_stdin(&text);
    } else {
        for (i = optind; i < argc && ret == 0; i++) {
            if (i > optind) {
                ret = cnd_buf_addc(&text, ' ');
            }
            if (ret == 0) {
                ret = cnd_buf_adds(&text, argv[i]);
            }
        }
    }
    if (ret < 0) {
        fprintf(stderr, "candor explain: cannot read the text: %s\n", cnd_strerror(ret));
        cnd_buf_release(&text);
        return ret == CND_ETOOBIG ? CLI_USAGE : CLI_FAIL;
    }
    if (!cnd_utf8_valid(text.data ? text.data : "", text.len, &bad)) {
        fprintf(stderr, "candor explain: invalid UTF-8 at byte %zu of the text\n", bad);
        cnd_buf_release(&text);
        return CLI_USAGE;
    }
    status = cli_load_config(config_path, &cfg);
    if (status) {
        cnd_buf_release(&text);
        return status;
    }
    status = cli_load_analyzer(&cfg, lexicon, threshold, &lex, &an);
    if (status == 0) {
        ret = cnd_analyze_explain(an, text.data ? text.data : "", text.len, &out);
        if (ret < 0 && ret != CND_ELIMIT) {
            fprintf(stderr, "candor explain: %s\n", cnd_strerror(ret));
            status = CLI_FAIL;
        } else if (fwrite(out.data ? out.data : "", 1, out.len, stdout) != out.len ||
                   fflush(stdout) != 0) {
            status = CLI_FAIL;
        }
    }
    cnd_analyzer_free(an);
    cnd_lexicon_free(lex);
    cnd_config_release(&cfg);
    cnd_buf_release(&text);
    cnd_buf_release(&out);
    return status;
}

int cmd_lexicon(int argc, char **argv)
{
    int i, status = CLI_OK;

    if (argc < 3 || (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "version") != 0)) {
        return cli_usage_error("lexicon", "want `lexicon check FILE...` or `lexicon version FILE`");
    }
    for (i = 2; i < argc; i++) {
        struct cnd_buf errors;
        struct cnd_lexicon *lex;
        int err = 0;

        cnd_buf_init(&errors, 1 << 20);
        lex = cnd_lexicon_load(argv[i], &errors, &err);
        if (errors.len) {
            fputs(errors.data, stderr);
        }
        if (lex == NULL) {
            if (errors.len == 0) {
                fprintf(stderr, "%s: %s\n", argv[i], cnd_strerror(err));
            }
            status = CLI_FAIL;
        } else if (strcmp(argv[1], "version") == 0) {
            printf("%s\n", cnd_lexicon_version(lex));
        } else {
            printf("%s: ok: version %s, %zu categories, %zu rules\n", argv[i],
                   cnd_lexicon_version(lex), cnd_lexicon_n_categories(lex),
                   cnd_lexicon_n_rules(lex));
        }
        cnd_lexicon_free(lex);
        cnd_buf_release(&errors);
    }
    return status;
}
