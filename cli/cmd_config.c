/* SPDX-License-Identifier: MIT */
/*
 * `candor config check`: everything that can be known about a config file
 * before fetching anything, reported at once (keys and types, every
 * source's keys, secrets named by *_env keys that are unset, a data
 * directory that cannot be created or written, a lexicon that is missing
 * or does not compile), each problem on its own line as
 * "FILE:LINE: key.path: message". `candor run` and `candor prune` call the
 * same check (cli_config_check) before they touch anything.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/rebuild.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"

#define CONFIG_MAX_SIZE (16u << 20)

/* ---- Helpers ---- */

/* Reads all of "path" into "b" (capped); 0 or a negative code. */
static int read_file(const char *path, struct cnd_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[16384];
    size_t n;
    int ret = 0;

    if (f == NULL) {
        return CND_EIO;
    }
    while (ret == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        ret = cnd_buf_add(b, chunk, n);
    }
    if (ret == 0 && ferror(f)) {
        ret = CND_EIO;
    }
    fclose(f);
    if (ret == 0 && b->data == NULL) {
        ret = cnd_buf_adds(b, "");
    }
    return ret;
}

/* The line of top-level key "key" in "root", or 0. */
static unsigned key_line(const struct cnd_jval *root, const char *key)
{
    size_t i;

    if (root == NULL || root->type != CND_JOBJ) {
        return 0;
    }
    for (i = 0; i < root->n; i++) {
        if (strcmp(root->keys[i], key) == 0) {
            return root->key_lines[i];
        }
    }
    return 0;
}

/* Appends "FILE:LINE: key: message\n" (no LINE when 0). */
static int problem(struct cnd_buf *b, const char *file, unsigned line, const char *key,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int problem(struct cnd_buf *b, const char *file, unsigned line, const char *key,
                   const char *fmt, ...)
{
    va_list ap;
    int ret;

    if (line) {
        ret = cnd_buf_addf(b, "%s:%u: %s: ", file, line, key);
    } else {
        ret = cnd_buf_addf(b, "%s: %s: ", file, key);
    }
    if (ret == 0) {
        va_start(ap, fmt);
        ret = cnd_buf_vaddf(b, fmt, ap);
        va_end(ap);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(b, '\n');
    }
    return ret;
}

/*
 * Can "dir" be created or written? Walks up to the first existing
 * ancestor, which must be a directory we may write. Also checks the data
 * directory's own subdirectories that exist. Returns 0, or writes a
 * message into "msg".
 */
static int check_writable_dir(const char *dir, char *msg, size_t msglen)
{
    static const char *const subs[] = { "archive", "state", "daily", "complaints", "metrics",
                                        "runs", "report", NULL };
    char path[4096], sub[4200];
    struct stat st;
    size_t i;

    if (strlen(dir) >= sizeof(path)) {
        snprintf(msg, msglen, "path too long");
        return -1;
    }
    strcpy(path, dir);
    for (;;) {
        char *slash;

        if (stat(path, &st) == 0) {
            break;
        }
        if (errno != ENOENT) {
            snprintf(msg, msglen, "cannot reach '%s': %s", path, strerror(errno));
            return -1;
        }
        /* drop the last component (and trailing slashes) */
        while (strlen(path) > 1 && path[strlen(path) - 1] == '/') {
            path[strlen(path) - 1] = '\0';
        }
        slash = strrchr(path, '/');
        if (slash == NULL) {
            strcpy(path, ".");
        } else if (slash == path) {
            path[1] = '\0';
        } else {
            *slash = '\0';
        }
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(msg, msglen, "'%s' is not a directory", path);
        return -1;
    }
    if (access(path, W_OK | X_OK) != 0) {
        snprintf(msg, msglen, "'%s' is not writable: %s", path, strerror(errno));
        return -1;
    }
    if (strcmp(path, dir) != 0) {
        return 0;   /* the data directory will be created: nothing below yet */
    }
    for (i = 0; subs[i]; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", dir, subs[i]);
        if (stat(sub, &st) != 0) {
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            snprintf(msg, msglen, "'%s' is not a directory", sub);
            return -1;
        }
        if (access(sub, W_OK | X_OK) != 0) {
            snprintf(msg, msglen, "'%s' is not writable: %s", sub, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* Prints each line of "b" once (two checkers may say the same thing). */
static void print_unique_lines(const struct cnd_buf *b)
{
    const char *p = b->data, *end = b->data + b->len;

    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *q = b->data;
        int seen = 0;

        while (q < p) {
            const char *qnl = memchr(q, '\n', (size_t)(p - q));
            size_t qlen = qnl ? (size_t)(qnl - q) : (size_t)(p - q);

            if (qlen == len && memcmp(q, p, len) == 0) {
                seen = 1;
                break;
            }
            q += qlen + 1;
        }
        if (!seen && len) {
            fprintf(stderr, "%.*s\n", (int)len, p);
        }
        p += len + 1;
    }
}

static int selected(const char *const *only, const char *name)
{
    size_t i;

    if (only == NULL) {
        return 1;
    }
    for (i = 0; only[i]; i++) {
        if (name && strcmp(only[i], name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* The data directory and lexicon checks, from the values in "root". */
static int check_paths(struct cnd_buf *problems, const char *path, const struct cnd_jval *root,
                       const char *data_dir, const char *lexicon, unsigned flags)
{
    char msg[4400];
    int ret = 0;

    if (data_dir && check_writable_dir(data_dir, msg, sizeof(msg)) < 0) {
        ret = problem(problems, path, key_line(root, "data_dir"), "data_dir", "%s", msg);
    }
    if (ret == 0 && !(flags & CLI_CHECK_NOLEXICON) && lexicon && access(lexicon, R_OK) != 0) {
        ret = problem(problems, path, key_line(root, "lexicon"), "lexicon",
                      "cannot read '%s': %s", lexicon, strerror(errno));
    }
    return ret;
}

/* A string value of "root", or NULL. */
static const char *raw_str(const struct cnd_jval *root, const char *key)
{
    const struct cnd_jval *v = cnd_jval_get(root, key);

    return v && v->type == CND_JSTR && v->str[0] ? v->str : NULL;
}

/* ---- The check ---- */

void cli_checked_release(struct cli_checked *c)
{
    size_t i;

    for (i = 0; i < c->n_sources; i++) {
        cnd_source_free(c->sources[i]);
    }
    cnd_free(c->sources);
    cnd_analyzer_free(c->an);
    cnd_lexicon_free(c->lex);
    cnd_tz_free(c->tz);
    if (c->cfg_loaded) {
        cnd_config_release(&c->cfg);
    }
    memset(c, 0, sizeof(*c));
}

/* Builds every source of the array "arr" (NULL: none). */
static int check_sources(struct cli_checked *out, const char *path, const struct cnd_jval *arr,
                         const char *const *only, struct cnd_buf *problems)
{
    size_t i;

    if (arr == NULL || arr->type != CND_JARR || arr->n == 0) {
        return 0;
    }
    out->sources = cnd_calloc(arr->n, sizeof(*out->sources));
    if (out->sources == NULL) {
        return CND_ENOMEM;
    }
    out->n_sources = arr->n;
    for (i = 0; i < arr->n; i++) {
        const struct cnd_jval *item = arr->items[i];
        const struct cnd_jval *en = cnd_jval_get(item, "enabled");
        const struct cnd_jval *name = cnd_jval_get(item, "name");
        unsigned flags = CND_SOURCE_NOENV;
        int err = 0;

        /*
         * Secrets are needed only by the sources this command will fetch: the
         * enabled ones, or those named with --source (even disabled ones).
         */
        if (only ? selected(only, name && name->type == CND_JSTR ? name->str : NULL)
                 : !(en && en->type == CND_JBOOL && !en->boolean)) {
            flags = 0;
        }
        out->sources[i] = cnd_source_new(item, path, i, flags, problems, &err);
        if (out->sources[i] == NULL && err == CND_ENOMEM) {
            return CND_ENOMEM;
        }
    }
    return 0;
}

int cli_config_check(const char *path, const char *const *only, unsigned flags,
                     struct cli_checked *out)
{
    struct cnd_buf problems, text;
    char err[16384], msg[4400];
    struct cnd_jval *raw = NULL;
    size_t i, j;
    int ret, status = 0;

    memset(out, 0, sizeof(*out));
    cnd_buf_init(&problems, 0);
    cnd_buf_init(&text, CONFIG_MAX_SIZE);
    err[0] = '\0';
    ret = cnd_config_load(path, &out->cfg, err, sizeof(err));
    if (ret == CND_ENOMEM) {
        status = CLI_FAIL;
        goto out;
    }
    if (ret < 0) {
        size_t n = strlen(err);

        if (n == 0) {
            ret = problem(&problems, path, 0, "config", "%s", cnd_strerror(ret));
        } else {
            ret = cnd_buf_adds(&problems, err);
            if (ret == 0 && err[n - 1] != '\n') {
                ret = cnd_buf_addc(&problems, '\n');
            }
        }
        /* The sources are checked even so, to report every problem at once. */
        if (ret == 0 && read_file(path, &text) == 0) {
            raw = cnd_jval_parse(path, text.data, text.len, msg, sizeof(msg));
            if (raw != NULL && raw->type == CND_JOBJ) {
                const char *lex = raw_str(raw, "lexicon");
                const char *slash = strrchr(path, '/');
                char lexpath[4400];

                ret = check_sources(out, path, cnd_jval_get(raw, "sources"), only, &problems);
                if (lex && lex[0] != '/' && slash) {
                    /* relative to the config file's directory, as config.c does */
                    snprintf(lexpath, sizeof(lexpath), "%.*s/%s", (int)(slash - path), path, lex);
                    lex = lexpath;
                }
                if (ret == 0) {
                    const char *dd = raw_str(raw, "data_dir");

                    ret = check_paths(&problems, path, raw, dd ? dd : "data", lex, flags);
                }
            }
        }
    } else {
        out->cfg_loaded = 1;
        out->data_dir = out->cfg.data_dir ? out->cfg.data_dir : "data";
        ret = check_sources(out, path, out->cfg.sources, only, &problems);
        if (ret == 0) {
            ret = check_paths(&problems, path, out->cfg.root, out->data_dir, out->cfg.lexicon,
                              flags);
        }
        if (ret == 0 && out->cfg.timezone && out->cfg.timezone[0]) {
            int tzerr = 0;

            out->tz = cnd_tz_new(out->cfg.timezone, &tzerr);
            if (out->tz == NULL) {
                ret = problem(&problems, path, key_line(out->cfg.root, "timezone"), "timezone",
                              "unknown time zone '%s'", out->cfg.timezone);
            }
        }
    }
    /* Each --source must name a configured source. */
    for (i = 0; ret == 0 && only && only[i]; i++) {
        int found = 0;

        for (j = 0; j < out->n_sources; j++) {
            if (out->sources[j] && strcmp(out->sources[j]->name, only[i]) == 0) {
                found = 1;
            }
        }
        if (!found && out->cfg_loaded) {
            ret = problem(&problems, path, key_line(out->cfg.root, "sources"), "sources",
                          "no valid source named '%s' (given with --source)", only[i]);
        }
    }
    if (ret == 0 && (flags & CLI_CHECK_FETCH) && out->cfg_loaded && problems.len == 0) {
        size_t n_fetch = 0;

        for (j = 0; j < out->n_sources; j++) {
            if (out->sources[j] && (only ? selected(only, out->sources[j]->name)
                                         : out->sources[j]->enabled)) {
                n_fetch++;
            }
        }
        if (n_fetch == 0) {
            ret = problem(&problems, path, key_line(out->cfg.root, "sources"), "sources",
                          "no enabled source to fetch");
        }
    }
    if (ret == CND_ENOMEM) {
        status = CLI_FAIL;
        goto out;
    }
    if (problems.len || ret < 0 || !out->cfg_loaded) {
        print_unique_lines(&problems);
        status = CLI_USAGE;
        goto out;
    }
    if (!(flags & CLI_CHECK_NOLEXICON)) {
        status = cli_load_analyzer(&out->cfg, NULL, -1, &out->lex, &out->an);
    }
out:
    cnd_jval_free(raw);
    cnd_buf_release(&text);
    cnd_buf_release(&problems);
    if (status) {
        cli_checked_release(out);
    }
    return status;
}

/* ---- The command ---- */

int cmd_config(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "source", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = NULL;
    const char *only[65];
    size_t n_only = 0, i, enabled = 0;
    struct cli_checked c;
    int opt, status;

    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:s:", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 's':
            if (n_only == sizeof(only) / sizeof(only[0]) - 1) {
                return cli_usage_error("config", "too many --source options");
            }
            only[n_only++] = optarg;
            break;
        default:
            return cli_usage_error("config", "unknown option");
        }
    }
    only[n_only] = NULL;
    if (optind >= argc || strcmp(argv[optind], "check") != 0) {
        return cli_usage_error("config", "want a subcommand: check");
    }
    optind++;
    if (optind < argc && config_path == NULL) {
        config_path = argv[optind++];
    }
    if (optind < argc) {
        return cli_usage_error("config", "unexpected argument '%s'", argv[optind]);
    }
    if (config_path == NULL) {
        return cli_usage_error("config", "check wants --config FILE");
    }
    status = cli_config_check(config_path, n_only ? only : NULL, 0, &c);
    if (status) {
        fprintf(stderr, "candor config: '%s' is not valid\n", config_path);
        return status;
    }
    for (i = 0; i < c.n_sources; i++) {
        enabled += c.sources[i]->enabled ? 1 : 0;
    }
    printf("%s: ok: %zu source%s (%zu enabled), data_dir '%s', lexicon version %s\n",
           config_path, c.n_sources, c.n_sources == 1 ? "" : "s", enabled, c.data_dir,
           cnd_lexicon_version(c.lex));
    cli_checked_release(&c);
    return CLI_OK;
}
