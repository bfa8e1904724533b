/* SPDX-License-Identifier: MIT */
/*
 * `candor parse`: runs one source adapter over a saved response body and
 * prints the posts it extracts as NDJSON (the fields `candor analyze` and
 * `candor replay` read), and the next cursor on stderr. For debugging an
 * adapter on a response a user saved, and for importing bodies saved by
 * other tools. No network, no login: *_env options are not read.
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
#include "ingest/source.h"

#define PARSE_MAX_BODY (256u << 20)
#define PARSE_MAX_HEADERS 64

int cmd_parse(int argc, char **argv);

/* Reads all of "path" ("-" = stdin) into "b" (capped). */
static int read_all(const char *path, struct cnd_buf *b)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int ret = 0;

    if (f == NULL) {
        fprintf(stderr, "candor parse: %s: cannot open: %s\n", path, strerror(errno));
        return CND_EIO;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        ret = cnd_buf_add(b, chunk, n);
        if (ret < 0) {
            fprintf(stderr, "candor parse: %s: %s\n", path,
                    ret == CND_ETOOBIG ? "larger than 256 MiB" : cnd_strerror(ret));
            break;
        }
    }
    if (ret == 0 && ferror(f)) {
        fprintf(stderr, "candor parse: %s: cannot read: %s\n", path, strerror(errno));
        ret = CND_EIO;
    }
    if (f != stdin) {
        fclose(f);
    }
    return ret;
}

/*
 * Splits a headers file ("Name: value" lines; an "HTTP/x 200" status line
 * sets the status) in place into "h". Returns the count or a negative code.
 */
static int split_headers(const char *path, char *text, struct cnd_header *h, long *status)
{
    char *line = text, *next;
    int n = 0;
    unsigned lineno = 0;

    for (; line != NULL && *line; line = next) {
        char *colon, *v, *end;

        lineno++;
        next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        end = line + strlen(line);
        while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t')) {
            *--end = '\0';
        }
        if (*line == '\0') {
            continue;
        }
        if (strncmp(line, "HTTP/", 5) == 0) {
            char *sp = strchr(line, ' ');

            if (sp != NULL) {
                *status = strtol(sp + 1, NULL, 10);
            }
            continue;
        }
        colon = strchr(line, ':');
        if (colon == NULL || colon == line) {
            fprintf(stderr, "candor parse: %s:%u: expected \"Name: value\"\n", path, lineno);
            return CND_EPARSE;
        }
        if (n == PARSE_MAX_HEADERS) {
            fprintf(stderr, "candor parse: %s:%u: more than %d headers\n", path, lineno,
                    PARSE_MAX_HEADERS);
            return CND_ELIMIT;
        }
        *colon = '\0';
        v = colon + 1;
        while (*v == ' ' || *v == '\t') {
            v++;
        }
        h[n].name = line;
        h[n].value = v;
        n++;
    }
    return n;
}

static int add_field(struct cnd_buf *o, const char *key, const struct cnd_str *s)
{
    int ret = cnd_buf_addf(o, ",\"%s\":", key);

    if (ret < 0) {
        return ret;
    }
    if (s->ptr == NULL) {
        return cnd_buf_adds(o, "null");
    }
    return cnd_buf_add_json_str(o, s->ptr, s->len);
}

static int print_post(struct cnd_buf *o, const struct cnd_post *p)
{
    int ret;

    cnd_buf_reset(o);
    ret = cnd_buf_adds(o, "{\"id\":");
    if (ret == 0) {
        ret = cnd_buf_add_json_str(o, p->id.ptr, p->id.len);
    }
    if (ret == 0) {
        ret = add_field(o, "source", &p->source);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(o, ",\"created_at\":");
    }
    if (ret == 0 && p->has_created_at) {
        char iso[21];

        cnd_time_format(p->created_at, iso);
        ret = cnd_buf_addf(o, "\"%s\"", iso);
    } else if (ret == 0) {
        ret = cnd_buf_adds(o, "null");
    }
    if (ret == 0) {
        ret = add_field(o, "author", &p->author);
    }
    if (ret == 0) {
        ret = add_field(o, "text", &p->text);
    }
    if (ret == 0) {
        ret = add_field(o, "url", &p->url);
    }
    if (ret == 0) {
        ret = add_field(o, "lang", &p->lang);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(o, "}\n");
    }
    if (ret == 0 && fwrite(o->data, 1, o->len, stdout) != o->len) {
        ret = CND_EIO;
    }
    return ret;
}

int cmd_parse(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "kind", required_argument, NULL, 'k' },
        { "option", required_argument, NULL, 'o' },
        { "headers", required_argument, NULL, 'H' },
        { "status", required_argument, NULL, 's' },
        { "name", required_argument, NULL, 'n' },
        { "cursor", required_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    const char *kind = NULL, *headers_path = NULL, *name = NULL, *cursor = NULL;
    char **opts = NULL;
    size_t n_opts = 0;
    long status = 200;
    struct cnd_buf body, hdrs, errs, line;
    struct cnd_header h[PARSE_MAX_HEADERS];
    struct cnd_response resp;
    struct cnd_source *src = NULL;
    struct cnd_batch batch;
    struct cnd_cursor next;
    int c, ret, rc = CLI_FAIL, nh = 0, err = 0;
    size_t i;

    cnd_buf_init(&body, PARSE_MAX_BODY);
    cnd_buf_init(&hdrs, 1 << 20);
    cnd_buf_init(&errs, 1 << 16);
    cnd_buf_init(&line, 0);
    cnd_cursor_init(&next);
    memset(&batch, 0, sizeof(batch));
    opts = cnd_calloc((size_t)argc + 1, sizeof(char *));
    if (opts == NULL) {
        fprintf(stderr, "candor parse: out of memory\n");
        return CLI_FAIL;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:o:H:s:n:c:", longopts, NULL)) != -1) {
        switch (c) {
        case 'k':
            kind = optarg;
            break;
        case 'o':
            opts[n_opts++] = optarg;
            break;
        case 'H':
            headers_path = optarg;
            break;
        case 's': {
            char *end;

            status = strtol(optarg, &end, 10);
            if (*end != '\0' || status < 100 || status > 599) {
                rc = cli_usage_error("parse", "--status: not an HTTP status: '%s'", optarg);
                goto out;
            }
            break;
        }
        case 'n':
            name = optarg;
            break;
        case 'c':
            cursor = optarg;
            break;
        default:
            rc = cli_usage_error("parse", "unknown option");
            goto out;
        }
    }
    if (kind == NULL) {
        rc = cli_usage_error("parse", "--kind KIND is required (mastodon, bluesky, reddit, "
                             "hackernews, lemmy, generic)");
        goto out;
    }
    if (optind != argc - 1) {
        rc = cli_usage_error("parse", "give exactly one FILE (or - for standard input)");
        goto out;
    }
    src = cnd_source_new_kv(kind, name ? name : kind, opts, n_opts, CND_SOURCE_NOENV, &errs,
                            &err);
    if (src == NULL) {
        if (errs.len) {
            fputs(errs.data, stderr);
        } else {
            fprintf(stderr, "candor parse: %s\n", cnd_strerror(err));
        }
        rc = err == CND_ENOMEM ? CLI_FAIL : CLI_USAGE;
        goto out;
    }
    if (read_all(argv[optind], &body) < 0) {
        goto out;
    }
    if (headers_path != NULL) {
        if (read_all(headers_path, &hdrs) < 0) {
            goto out;
        }
        nh = split_headers(headers_path, hdrs.data ? hdrs.data : (char *)"", h, &status);
        if (nh < 0) {
            rc = CLI_USAGE;
            goto out;
        }
    }
    memset(&resp, 0, sizeof(resp));
    resp.status = status;
    resp.body = body.data ? body.data : "";
    resp.len = body.len;
    resp.headers = h;
    resp.n_headers = (size_t)nh;
    if (cnd_batch_init(&batch, src->name) < 0) {
        fprintf(stderr, "candor parse: out of memory\n");
        goto out;
    }
    ret = cnd_source_parse(src, &resp, cursor, &batch, &next);
    if (ret < 0) {
        fprintf(stderr, "candor parse: %s: %s\n", strcmp(argv[optind], "-") == 0 ? "<stdin>"
                : argv[optind], batch.error[0] ? batch.error : cnd_strerror(ret));
        goto out;
    }
    for (i = 0; i < batch.n; i++) {
        ret = print_post(&line, &batch.posts[i]);
        if (ret < 0) {
            fprintf(stderr, "candor parse: cannot write: %s\n", cnd_strerror(ret));
            goto out;
        }
    }
    if (fflush(stdout) != 0) {
        fprintf(stderr, "candor parse: cannot write: %s\n", strerror(errno));
        goto out;
    }
    fprintf(stderr, "%zu posts, %zu items skipped (%zu invalid utf-8, %zu deleted)\n", batch.n,
            batch.skipped, batch.skipped_utf8, batch.skipped_deleted);
    fprintf(stderr, "next cursor: %s%s\n", next.value ? next.value : "(none)",
            next.more ? " (more pages now)" : "");
    rc = batch.skipped ? CLI_SKIPPED : CLI_OK;
out:
    cnd_cursor_release(&next);
    cnd_batch_release(&batch);
    cnd_source_free(src);
    cnd_buf_release(&body);
    cnd_buf_release(&hdrs);
    cnd_buf_release(&errs);
    cnd_buf_release(&line);
    cnd_free(opts);
    return rc;
}
