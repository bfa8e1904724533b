/* SPDX-License-Identifier: MIT */
/*
 * Shards' partial files: choosing a shard, writing a day's part and
 * publishing its directory atomically, and reading a part back into an
 * aggregate (for `candor merge`).
 *
 * A part is a gzip text file, one record per line, fields separated by one
 * space. A string field is ':' followed by its bytes with every byte
 * <= 0x20, '%' and 0x7f written as %XX (so "" is ":"); '-' is "none".
 * Numbers are decimal, hashes 16 lowercase hex digits. In this order:
 *
 *   candor-part 1
 *   shard I N
 *   day YYYY-MM-DD
 *   candor_version STR
 *   lexicon_version STR|-
 *   timezone STR|-
 *   inputs N DIGEST             all inputs of the run (FNV-1a of names+NUL)
 *   input INDEX STR|-           each input that contributed, ascending
 *   source STR POSTS            each source counted, by name
 *   row SRC BRAND CATEGORY POSTS COMPLAINTS SCORE_MICRO NA NR NS
 *   a HASH...                   NA author hashes, ascending, 16 a line
 *   r RULE COUNT                NR rule counts (all of them)
 *   s CREATED ID                NS samples, newest first
 *   c CREATED KEY JSON          each complaint line (the rest of the line),
 *                               in output order (created_at, post key)
 *   end ROWS COMPLAINTS SOURCES
 *
 * Nothing may follow "end". A reader refuses anything else, so a cut or
 * corrupted part is found (the gzip trailer's CRC checks the bytes too).
 */
#define _GNU_SOURCE   /* renameat2() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/lines.h"
#include "common/log.h"
#include "output/parts.h"

#define PART_FILE "part.txt.gz"
#define PART_FLUSH (64u * 1024u)
#define AUTHORS_PER_LINE 16
/* A part's lines: complaint lines may be long, but not unbounded. */
#define PART_MAX_LINE (512u * 1024u * 1024u)

/* ---- Shards ---- */

uint64_t cnd_fnv1a64(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint32_t cnd_shard_of(const char *source, size_t len, const char *day, uint32_t count)
{
    static const char sep = 0x1f;
    uint64_t h = CND_FNV_BASIS;

    if (count <= 1) {
        return 0;
    }
    h = cnd_fnv1a64(source ? source : "", source ? len : 0, h);
    h = cnd_fnv1a64(&sep, 1, h);
    h = cnd_fnv1a64(day, strlen(day), h);
    return (uint32_t)(h % count);
}

/* Parses a decimal in [0, max] filling all of "s". Returns 0 or -1. */
static int parse_uint(const char *s, size_t len, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    size_t i;

    if (len == 0 || len > 10) {
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > max) {
        return -1;
    }
    *out = v;
    return 0;
}

int cnd_shard_parse(const char *spec, struct cnd_shard *out, char *msg, size_t msg_size)
{
    const char *slash = strchr(spec, '/');
    const char *index_text = spec, *env = NULL;
    size_t index_len;
    unsigned long n, i;

    if (slash == NULL || parse_uint(slash + 1, strlen(slash + 1), CND_SHARD_MAX, &n) < 0 ||
        n == 0) {
        snprintf(msg, msg_size, "--shard wants I/N or auto/N with 1 <= N <= %u, not '%s'",
                 CND_SHARD_MAX, spec);
        return CND_EINVAL;
    }
    index_len = (size_t)(slash - spec);
    if (index_len == 4 && strncmp(spec, "auto", 4) == 0) {
        index_text = getenv("SLURM_ARRAY_TASK_ID");
        env = "SLURM_ARRAY_TASK_ID";
        if (index_text == NULL || index_text[0] == '\0') {
            index_text = getenv("JOB_COMPLETION_INDEX");
            env = "JOB_COMPLETION_INDEX";
        }
        if (index_text == NULL || index_text[0] == '\0') {
            snprintf(msg, msg_size, "--shard auto/%lu: neither SLURM_ARRAY_TASK_ID nor "
                     "JOB_COMPLETION_INDEX is set", n);
            return CND_EINVAL;
        }
        index_len = strlen(index_text);
    }
    if (parse_uint(index_text, index_len, ULONG_MAX, &i) < 0 || i >= n) {
        if (env != NULL) {
            snprintf(msg, msg_size, "--shard auto/%lu: %s='%s' is not a shard index below %lu",
                     n, env, index_text, n);
        } else {
            snprintf(msg, msg_size, "--shard %s: the index must be a number below %lu", spec, n);
        }
        return CND_EINVAL;
    }
    out->index = (uint32_t)i;
    out->count = (uint32_t)n;
    return 0;
}

/* ---- Files and directories ---- */

/* Removes the directory "path" and the files in it (parts hold no subdirectories). */
static void remove_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;

    if (d != NULL) {
        int fd = dirfd(d);

        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
                unlinkat(fd, de->d_name, 0) != 0 && errno != ENOENT) {
                cnd_log(CND_LOG_WARN, "output", "cannot remove '%s/%s': %s", path, de->d_name,
                        strerror(errno));
            }
        }
        closedir(d);
    }
    if (rmdir(path) != 0 && errno != ENOENT) {
        cnd_log(CND_LOG_WARN, "output", "cannot remove directory '%s': %s", path,
                strerror(errno));
    }
}

/* fsyncs directory "dir"; returns 0 or -1 (errno set). */
static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        return -1;
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return close(fd);
}

/*
 * Removes temporary directories "NAME.tmp.*" in "dir": left by a killed
 * earlier run of the same shard (a scheduler runs one copy of each).
 */
static void sweep_part_tmp(const char *dir, const char *name)
{
    size_t n = strlen(name);
    struct cnd_buf path;
    struct dirent *de;
    DIR *d = opendir(dir);

    if (d == NULL) {
        return;
    }
    cnd_buf_init(&path, 0);
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, name, n) != 0 || strncmp(de->d_name + n, ".tmp.", 5) != 0) {
            continue;
        }
        cnd_buf_reset(&path);
        if (cnd_buf_addf(&path, "%s/%s", dir, de->d_name) == 0) {
            cnd_log(CND_LOG_INFO, "output", "removing stale temporary part '%s'", path.data);
            remove_dir(path.data);
        }
    }
    cnd_buf_release(&path);
    closedir(d);
}

/*
 * Puts directory "tmp" in place of "final": rename() when "final" is
 * absent, else an atomic exchange (renameat2) and the old one removed;
 * where the exchange is not supported, the old one is moved aside first
 * (a moment without the part, never a mixed one). Returns 0 or CND_EIO.
 */
static int publish_dir(const char *tmp, const char *final)
{
    struct cnd_buf old;
    int ret = 0;

    if (rename(tmp, final) == 0) {
        return 0;
    }
    if (errno != ENOTEMPTY && errno != EEXIST) {
        cnd_log(CND_LOG_ERROR, "output", "cannot publish part '%s': %s", final, strerror(errno));
        return CND_EIO;
    }
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, final, RENAME_EXCHANGE) == 0) {
        remove_dir(tmp);   /* now the old part */
        return 0;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
        cnd_log(CND_LOG_ERROR, "output", "cannot publish part '%s': %s", final, strerror(errno));
        return CND_EIO;
    }
    cnd_buf_init(&old, 0);
    ret = cnd_buf_addf(&old, "%s.old", tmp);
    if (ret == 0 && (rename(final, old.data) != 0 || rename(tmp, final) != 0)) {
        cnd_log(CND_LOG_ERROR, "output", "cannot publish part '%s': %s", final, strerror(errno));
        ret = CND_EIO;
    }
    if (ret == 0) {
        remove_dir(old.data);
    }
    cnd_buf_release(&old);
    return ret;
}

/* ---- Writing ---- */

struct part_writer {
    struct cnd_gzout *g;
    struct cnd_buf b;
    const struct cnd_agg_meta *meta;
    uint64_t rows, complaints, sources;
};

static int pw_flush(struct part_writer *w, int force)
{
    int ret = 0;

    if (w->b.len > 0 && (force || w->b.len >= PART_FLUSH)) {
        ret = cnd_gzout_write(w->g, w->b.data, w->b.len);
        cnd_buf_reset(&w->b);
    }
    return ret;
}

/* Appends " " and the string field for "s" ("len" bytes; NULL: "-"). */
static int add_field(struct cnd_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t i;
    int ret;

    if (s == NULL) {
        return cnd_buf_adds(b, " -");
    }
    ret = cnd_buf_adds(b, " :");
    for (i = 0; ret == 0 && i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c <= 0x20 || c == '%' || c == 0x7f) {
            char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

            ret = cnd_buf_add(b, esc, 3);
        } else {
            ret = cnd_buf_addc(b, (char)c);
        }
    }
    return ret;
}

static int add_cstr(struct cnd_buf *b, const char *s)
{
    return add_field(b, s, s ? strlen(s) : 0);
}

static int pw_input(void *arg, size_t input)
{
    struct part_writer *w = arg;
    const char *name = NULL;
    int ret;

    if (w->meta->inputs != NULL && input < w->meta->n_inputs) {
        name = w->meta->inputs[input];
    }
    ret = cnd_buf_addf(&w->b, "input %zu", input);
    if (ret == 0) {
        ret = add_cstr(&w->b, name);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(&w->b, '\n');
    }
    return ret < 0 ? ret : pw_flush(w, 0);
}

static int pw_source(void *arg, struct cnd_str source, uint64_t posts)
{
    struct part_writer *w = arg;
    int ret = cnd_buf_adds(&w->b, "source");

    if (ret == 0) {
        ret = add_field(&w->b, source.ptr ? source.ptr : "", source.len);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&w->b, " %" PRIu64 "\n", posts);
    }
    w->sources++;
    return ret < 0 ? ret : pw_flush(w, 0);
}

static int pw_row(void *arg, const struct cnd_agg_row *r)
{
    struct part_writer *w = arg;
    size_t i;
    int ret = cnd_buf_adds(&w->b, "row");

    if (ret == 0) {
        ret = add_field(&w->b, r->source.ptr ? r->source.ptr : "", r->source.len);
    }
    if (ret == 0) {
        ret = add_field(&w->b, r->brand.ptr ? r->brand.ptr : "", r->brand.len);
    }
    if (ret == 0) {
        ret = add_field(&w->b, r->category.ptr ? r->category.ptr : "", r->category.len);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&w->b, " %" PRIu64 " %" PRIu64 " %" PRId64 " %zu %zu %zu\n",
                           r->posts, r->complaints, r->score_micro, r->n_authors, r->n_rules,
                           r->n_samples);
    }
    for (i = 0; ret == 0 && i < r->n_authors; i++) {
        int last = i + 1 == r->n_authors || (i + 1) % AUTHORS_PER_LINE == 0;

        ret = cnd_buf_addf(&w->b, "%s%016" PRIx64 "%s", i % AUTHORS_PER_LINE ? " " : "a ",
                           r->authors[i], last ? "\n" : "");
        if (ret == 0 && last) {
            ret = pw_flush(w, 0);
        }
    }
    for (i = 0; ret == 0 && i < r->n_rules; i++) {
        ret = cnd_buf_adds(&w->b, "r");
        if (ret == 0) {
            ret = add_field(&w->b, r->rules[i].rule.ptr ? r->rules[i].rule.ptr : "",
                            r->rules[i].rule.len);
        }
        if (ret == 0) {
            ret = cnd_buf_addf(&w->b, " %" PRIu64 "\n", r->rules[i].count);
        }
    }
    for (i = 0; ret == 0 && i < r->n_samples; i++) {
        ret = cnd_buf_addf(&w->b, "s %" PRId64, r->samples[i].created);
        if (ret == 0) {
            ret = add_field(&w->b, r->samples[i].id.ptr ? r->samples[i].id.ptr : "",
                            r->samples[i].id.len);
        }
        if (ret == 0) {
            ret = cnd_buf_addc(&w->b, '\n');
        }
    }
    w->rows++;
    return ret < 0 ? ret : pw_flush(w, 0);
}

static int pw_complaint(void *arg, int64_t created, uint64_t key, const char *line, size_t len)
{
    struct part_writer *w = arg;
    int ret;

    if (memchr(line, '\n', len) != NULL || (len > 0 && line[len - 1] == '\r')) {
        cnd_log(CND_LOG_ERROR, "output", "complaint line with a line break cannot go in a part");
        return CND_EINVAL;
    }
    ret = cnd_buf_addf(&w->b, "c %" PRId64 " %016" PRIx64 " ", created, key);
    if (ret == 0) {
        ret = cnd_buf_add(&w->b, line, len);
    }
    if (ret == 0) {
        ret = cnd_buf_addc(&w->b, '\n');
    }
    w->complaints++;
    return ret < 0 ? ret : pw_flush(w, 0);
}

/* Writes the part of day "day" into the file "path" (atomically). */
static int write_part_file(struct cnd_agg *agg, size_t day, const char *path,
                           const struct cnd_shard *shard, const struct cnd_agg_meta *meta)
{
    static const struct cnd_agg_visitor visitor = { pw_input, pw_source, pw_row, pw_complaint };
    struct part_writer w;
    uint64_t digest = CND_FNV_BASIS;
    size_t i;
    int err = 0, ret;

    memset(&w, 0, sizeof(w));
    w.meta = meta;
    for (i = 0; meta->inputs != NULL && i < meta->n_inputs; i++) {
        const char *name = meta->inputs[i] ? meta->inputs[i] : "";

        digest = cnd_fnv1a64(name, strlen(name) + 1, digest);
    }
    w.g = cnd_gzout_open(path, &err);
    if (w.g == NULL) {
        return err;
    }
    cnd_buf_init(&w.b, 0);
    ret = cnd_buf_addf(&w.b, "candor-part 1\nshard %" PRIu32 " %" PRIu32 "\nday %s\n"
                       "candor_version", shard->index, shard->count, cnd_agg_day(agg, day));
    if (ret == 0) {
        ret = add_cstr(&w.b, meta->candor_version ? meta->candor_version : CND_VERSION);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&w.b, "\nlexicon_version");
    }
    if (ret == 0) {
        ret = add_cstr(&w.b, meta->lexicon_version);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(&w.b, "\ntimezone");
    }
    if (ret == 0) {
        ret = add_cstr(&w.b, meta->timezone && meta->timezone[0] ? meta->timezone : NULL);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&w.b, "\ninputs %zu %016" PRIx64 "\n", meta->n_inputs, digest);
    }
    if (ret == 0) {
        ret = cnd_agg_visit_day(agg, day, &visitor, &w);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&w.b, "end %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", w.rows,
                           w.complaints, w.sources);
    }
    if (ret == 0) {
        ret = pw_flush(&w, 1);
    }
    cnd_buf_release(&w.b);
    if (ret < 0) {
        cnd_gzout_abort(w.g);
        return ret;
    }
    return cnd_gzout_commit(w.g);
}

/* A name-unique suffix for temporary directories. */
static uint64_t tmp_suffix(void)
{
    static unsigned long counter;
    struct timespec ts;
    uint64_t seed[3];

    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        ts.tv_sec = 0;
        ts.tv_nsec = 0;
    }
    seed[0] = (uint64_t)ts.tv_sec;
    seed[1] = (uint64_t)ts.tv_nsec;
    seed[2] = (uint64_t)++counter;
    return cnd_fnv1a64(seed, sizeof(seed), CND_FNV_BASIS);
}

int cnd_part_write(struct cnd_agg *agg, size_t day, const char *data_dir,
                   const struct cnd_shard *shard, const struct cnd_agg_meta *meta)
{
    struct cnd_buf dir, name, tmp, file, final;
    const char *day_name = cnd_agg_day(agg, day);
    int ret;

    if (day_name == NULL || shard->count == 0 || shard->index >= shard->count) {
        return CND_EINVAL;
    }
    cnd_buf_init(&dir, 0);
    cnd_buf_init(&name, 0);
    cnd_buf_init(&tmp, 0);
    cnd_buf_init(&file, 0);
    cnd_buf_init(&final, 0);
    ret = cnd_buf_addf(&dir, "%s/parts/%s", data_dir, day_name);
    if (ret == 0) {
        ret = cnd_buf_addf(&name, "%" PRIu32 "-of-%" PRIu32, shard->index, shard->count);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&tmp, "%s/%s.tmp.%ld.%016" PRIx64, dir.data, name.data,
                           (long)getpid(), tmp_suffix());
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&file, "%s/" PART_FILE, tmp.data);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(&final, "%s/%s", dir.data, name.data);
    }
    if (ret == 0) {
        ret = cnd_mkdirs(dir.data);
    }
    if (ret == 0) {
        sweep_part_tmp(dir.data, name.data);
        if (mkdir(tmp.data, 0755) != 0) {
            cnd_log(CND_LOG_ERROR, "output", "cannot create directory '%s': %s", tmp.data,
                    strerror(errno));
            ret = CND_EIO;
        }
    }
    if (ret == 0) {
        ret = write_part_file(agg, day, file.data, shard, meta);
        if (ret == 0) {
            ret = publish_dir(tmp.data, final.data);
        }
        if (ret < 0) {
            remove_dir(tmp.data);
        } else if (sync_dir(dir.data) != 0) {
            cnd_log(CND_LOG_ERROR, "output", "cannot sync directory '%s': %s", dir.data,
                    strerror(errno));
            ret = CND_EIO;
        }
    }
    cnd_buf_release(&dir);
    cnd_buf_release(&name);
    cnd_buf_release(&tmp);
    cnd_buf_release(&file);
    cnd_buf_release(&final);
    return ret;
}

/* ---- Reading ---- */

struct part_reader {
    struct cnd_lines *lr;
    const char *path;
    uint64_t lineno;
    const char *line;     /* the current line */
    size_t len;
    const char *pos;      /* the next field (maybe empty); NULL: no more fields */
    const char *end;
    char msg[160];
};

/* Reads the next line; "what" names what was expected. Returns 0 or CND_EPARSE/CND_EIO. */
static int pr_next(struct part_reader *r, const char *what)
{
    int status = cnd_lines_next(r->lr, &r->line, &r->len, &r->lineno);

    if (status == CND_LINES_OK) {
        r->pos = r->line;
        r->end = r->line + r->len;
        return 0;
    }
    if (status == CND_LINES_EOF || status == CND_LINES_PARTIAL || status == CND_ETRUNC ||
        status == CND_EPARSE) {
        snprintf(r->msg, sizeof(r->msg), "%s where %s was expected",
                 status == CND_LINES_EOF ? "end of file" :
                 status == CND_LINES_PARTIAL ? "a cut last line" : "a truncated or corrupt gzip stream",
                 what);
        r->lineno++;
        return CND_EPARSE;
    }
    if (status == CND_LINES_LONG) {
        snprintf(r->msg, sizeof(r->msg), "line too long");
        return CND_EPARSE;
    }
    snprintf(r->msg, sizeof(r->msg), "read error: %s", cnd_strerror(status));
    return status == CND_EIO ? CND_EIO : CND_EPARSE;
}

/* The next space-separated field of the line (maybe empty); -1 when there is none. */
static int pr_field(struct part_reader *r, const char **s, size_t *len)
{
    const char *sp;

    if (r->pos == NULL) {
        return -1;
    }
    sp = memchr(r->pos, ' ', (size_t)(r->end - r->pos));
    *s = r->pos;
    *len = sp ? (size_t)(sp - r->pos) : (size_t)(r->end - r->pos);
    r->pos = sp ? sp + 1 : NULL;
    return 0;
}

static int pr_bad(struct part_reader *r, const char *what)
{
    snprintf(r->msg, sizeof(r->msg), "%s", what);
    return CND_EPARSE;
}

/* Expects the keyword "kw" as the first field. */
static int pr_keyword(struct part_reader *r, const char *kw)
{
    const char *s;
    size_t len;

    if (pr_field(r, &s, &len) < 0 || len != strlen(kw) || memcmp(s, kw, len) != 0) {
        snprintf(r->msg, sizeof(r->msg), "expected a '%s' line", kw);
        return CND_EPARSE;
    }
    return 0;
}

/* Expects the end of the line. */
static int pr_eol(struct part_reader *r)
{
    return r->pos == NULL ? 0 : pr_bad(r, "unexpected field at end of line");
}

static int pr_u64(struct part_reader *r, uint64_t *out)
{
    const char *s;
    size_t len, i;
    uint64_t v = 0;

    if (pr_field(r, &s, &len) < 0 || len == 0 || len > 20) {
        return pr_bad(r, "missing or bad number");
    }
    for (i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');

        if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10) {
            return pr_bad(r, "bad number");
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

static int pr_i64(struct part_reader *r, int64_t *out)
{
    const char *s;
    size_t len, i;
    uint64_t v = 0;
    int neg;

    if (pr_field(r, &s, &len) < 0 || len == 0 || len > 20) {
        return pr_bad(r, "missing or bad number");
    }
    neg = s[0] == '-';
    if (neg && len == 1) {
        return pr_bad(r, "bad number");
    }
    for (i = (size_t)neg; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');

        if (s[i] < '0' || s[i] > '9' || v > ((uint64_t)INT64_MAX + 1 - d) / 10) {
            return pr_bad(r, "bad number");
        }
        v = v * 10 + d;
    }
    if (!neg && v > (uint64_t)INT64_MAX) {
        return pr_bad(r, "bad number");
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

static int parse_hex64(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (len != 16) {
        return -1;
    }
    for (i = 0; i < len; i++) {
        int h = hexval(s[i]);

        if (h < 0) {
            return -1;
        }
        v = v << 4 | (uint64_t)h;
    }
    *out = v;
    return 0;
}

static int pr_hex64(struct part_reader *r, uint64_t *out)
{
    const char *s;
    size_t len;

    if (pr_field(r, &s, &len) < 0 || parse_hex64(s, len, out) < 0) {
        return pr_bad(r, "missing or bad hash");
    }
    return 0;
}

/*
 * A string field, decoded into a malloced "*out" ("*len" bytes, NUL
 * added). "-" gives NULL when "allow_null", else is an error.
 */
static int pr_str(struct part_reader *r, char **out, size_t *len, int allow_null)
{
    const char *s;
    size_t n, i, j = 0;
    char *d;

    if (pr_field(r, &s, &n) < 0 || n == 0) {
        return pr_bad(r, "missing string field");
    }
    if (n == 1 && s[0] == '-' && allow_null) {
        *out = NULL;
        *len = 0;
        return 0;
    }
    if (s[0] != ':') {
        return pr_bad(r, "bad string field");
    }
    d = cnd_malloc(n);
    if (d == NULL) {
        return CND_ENOMEM;
    }
    for (i = 1; i < n; i++) {
        if (s[i] == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1, lo = i + 2 < n ? hexval(s[i + 2]) : -1;

            if (hi < 0 || lo < 0) {
                cnd_free(d);
                return pr_bad(r, "bad escape in string field");
            }
            d[j++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    *out = d;
    *len = j;
    return 0;
}

/* A row being read: its strings and arrays, freed by row_release. */
struct rrow {
    struct cnd_agg_row row;
    char *src, *brand, *cat;
    uint64_t *authors;
    size_t cap_authors;
    struct cnd_agg_rule *rules;
    struct cnd_agg_sample *samples;
    size_t n_rules, n_samples;
};

static void rrow_release(struct rrow *rr)
{
    size_t i;

    cnd_free(rr->src);
    cnd_free(rr->brand);
    cnd_free(rr->cat);
    cnd_free(rr->authors);
    for (i = 0; i < rr->n_rules; i++) {
        cnd_free((char *)rr->rules[i].rule.ptr);
    }
    cnd_free(rr->rules);
    for (i = 0; i < rr->n_samples; i++) {
        cnd_free((char *)rr->samples[i].id.ptr);
    }
    cnd_free(rr->samples);
    memset(rr, 0, sizeof(*rr));
}

/* Reads the rest of a "row" line and its a/r/s lines, then merges the row. */
static int read_row(struct part_reader *r, struct cnd_agg *agg, const char *day)
{
    struct rrow rr;
    uint64_t na, nr, ns, i;
    size_t len;
    int ret;

    memset(&rr, 0, sizeof(rr));
    ret = pr_str(r, &rr.src, &rr.row.source.len, 0);
    if (ret == 0) {
        ret = pr_str(r, &rr.brand, &rr.row.brand.len, 0);
    }
    if (ret == 0) {
        ret = pr_str(r, &rr.cat, &rr.row.category.len, 0);
    }
    rr.row.source.ptr = rr.src;
    rr.row.brand.ptr = rr.brand;
    rr.row.category.ptr = rr.cat;
    if (ret == 0) {
        ret = pr_u64(r, &rr.row.posts);
    }
    if (ret == 0) {
        ret = pr_u64(r, &rr.row.complaints);
    }
    if (ret == 0) {
        ret = pr_i64(r, &rr.row.score_micro);
    }
    if (ret == 0) {
        ret = pr_u64(r, &na);
    }
    if (ret == 0) {
        ret = pr_u64(r, &nr);
    }
    if (ret == 0) {
        ret = pr_u64(r, &ns);
    }
    if (ret == 0) {
        ret = pr_eol(r);
    }
    if (ret == 0 && (nr > (1u << 20) || ns > 64 || na > rr.row.complaints)) {
        ret = pr_bad(r, "implausible row counts");
    }
    if (ret == 0 && nr > 0) {
        rr.rules = cnd_calloc((size_t)nr, sizeof(*rr.rules));
        ret = rr.rules ? 0 : CND_ENOMEM;
    }
    if (ret == 0 && ns > 0) {
        rr.samples = cnd_calloc((size_t)ns, sizeof(*rr.samples));
        ret = rr.samples ? 0 : CND_ENOMEM;
    }
    /* Authors: 16 a line, ascending. */
    while (ret == 0 && rr.row.n_authors < na) {
        ret = pr_next(r, "an 'a' line");
        if (ret == 0) {
            ret = pr_keyword(r, "a");
        }
        for (i = 0; ret == 0 && i < AUTHORS_PER_LINE && rr.row.n_authors < na; i++) {
            uint64_t h;

            ret = pr_hex64(r, &h);
            if (ret == 0 && rr.row.n_authors > 0 && h <= rr.authors[rr.row.n_authors - 1]) {
                ret = pr_bad(r, "author hashes out of order");
            }
            if (ret == 0 && rr.row.n_authors == rr.cap_authors) {
                size_t cap = rr.cap_authors ? rr.cap_authors * 2 : 64;
                uint64_t *grown = cnd_realloc(rr.authors, cap * sizeof(*grown));

                if (grown == NULL) {
                    ret = CND_ENOMEM;
                } else {
                    rr.authors = grown;
                    rr.cap_authors = cap;
                }
            }
            if (ret == 0) {
                rr.authors[rr.row.n_authors++] = h;
            }
        }
        if (ret == 0) {
            ret = pr_eol(r);
        }
    }
    rr.row.authors = rr.authors;
    for (i = 0; ret == 0 && i < nr; i++) {
        char *rule = NULL;

        ret = pr_next(r, "an 'r' line");
        if (ret == 0) {
            ret = pr_keyword(r, "r");
        }
        if (ret == 0) {
            ret = pr_str(r, &rule, &len, 0);
        }
        if (ret == 0) {
            rr.rules[i].rule.ptr = rule;
            rr.rules[i].rule.len = len;
            rr.n_rules++;
            ret = pr_u64(r, &rr.rules[i].count);
        }
        if (ret == 0) {
            ret = pr_eol(r);
        }
    }
    rr.row.rules = rr.rules;
    rr.row.n_rules = rr.n_rules;
    for (i = 0; ret == 0 && i < ns; i++) {
        char *id = NULL;

        ret = pr_next(r, "an 's' line");
        if (ret == 0) {
            ret = pr_keyword(r, "s");
        }
        if (ret == 0) {
            ret = pr_i64(r, &rr.samples[i].created);
        }
        if (ret == 0) {
            ret = pr_str(r, &id, &len, 0);
        }
        if (ret == 0) {
            rr.samples[i].id.ptr = id;
            rr.samples[i].id.len = len;
            rr.n_samples++;
            ret = pr_eol(r);
        }
    }
    rr.row.samples = rr.samples;
    rr.row.n_samples = rr.n_samples;
    if (ret == 0) {
        ret = cnd_agg_merge_row(agg, day, &rr.row);
    }
    rrow_release(&rr);
    return ret;
}

/* Reads the header line "key STR|-" into "*out" (malloced, NULL for "-"). */
static int pr_header_str(struct part_reader *r, const char *key, char **out)
{
    size_t len;
    int ret = pr_next(r, key);

    if (ret == 0) {
        ret = pr_keyword(r, key);
    }
    if (ret == 0) {
        ret = pr_str(r, out, &len, 1);
    }
    if (ret == 0 && *out != NULL && strlen(*out) != len) {
        ret = pr_bad(r, "NUL byte in a header field");
    }
    return ret == 0 ? pr_eol(r) : ret;
}

static int add_source_name(struct cnd_part_info *info, const char *name, size_t len)
{
    char **grown = cnd_realloc(info->sources, (info->n_sources + 1) * sizeof(*grown));

    if (grown == NULL) {
        return CND_ENOMEM;
    }
    info->sources = grown;
    info->sources[info->n_sources] = cnd_strndup(name, len);
    if (info->sources[info->n_sources] == NULL) {
        return CND_ENOMEM;
    }
    info->n_sources++;
    return 0;
}

/* The body of cnd_part_load once the file is open. */
static int read_part(struct part_reader *r, struct cnd_agg *agg, struct cnd_part_info *info)
{
    uint64_t v, n_rows = 0, n_complaints = 0, e_rows, e_complaints, e_sources;
    const char *s;
    size_t len;
    uint64_t last_input = 0;
    int ret, any_input = 0;

    ret = pr_next(r, "the 'candor-part 1' line");
    if (ret == 0 && (r->len != 13 || memcmp(r->line, "candor-part 1", 13) != 0)) {
        ret = pr_bad(r, "not a candor part (version 1)");
    }
    if (ret == 0) {
        ret = pr_next(r, "the 'shard' line");
    }
    if (ret == 0) {
        ret = pr_keyword(r, "shard");
    }
    if (ret == 0) {
        ret = pr_u64(r, &v);
        info->shard.index = (uint32_t)v;
    }
    if (ret == 0) {
        ret = pr_u64(r, &v);
        info->shard.count = (uint32_t)v;
        if (ret == 0 && (v == 0 || v > CND_SHARD_MAX || info->shard.index >= v)) {
            ret = pr_bad(r, "bad shard numbers");
        }
    }
    if (ret == 0) {
        ret = pr_eol(r);
    }
    if (ret == 0) {
        ret = pr_next(r, "the 'day' line");
    }
    if (ret == 0) {
        ret = pr_keyword(r, "day");
    }
    if (ret == 0 && (pr_field(r, &s, &len) < 0 || len != 10)) {
        ret = pr_bad(r, "bad day");
    }
    if (ret == 0) {
        memcpy(info->day, s, 10);
        info->day[10] = '\0';
        ret = cnd_agg_touch_day(agg, info->day);
        if (ret == CND_EINVAL) {
            ret = pr_bad(r, "bad day");
        }
    }
    if (ret == 0) {
        ret = pr_eol(r);
    }
    if (ret == 0) {
        ret = pr_header_str(r, "candor_version", &info->candor_version);
    }
    if (ret == 0 && info->candor_version == NULL) {
        ret = pr_bad(r, "no candor_version");
    }
    if (ret == 0) {
        ret = pr_header_str(r, "lexicon_version", &info->lexicon_version);
    }
    if (ret == 0) {
        ret = pr_header_str(r, "timezone", &info->timezone);
    }
    if (ret == 0) {
        ret = pr_next(r, "the 'inputs' line");
    }
    if (ret == 0) {
        ret = pr_keyword(r, "inputs");
    }
    if (ret == 0) {
        ret = pr_u64(r, &info->n_inputs);
    }
    if (ret == 0 && info->n_inputs > (1u << 24)) {
        ret = pr_bad(r, "too many inputs");
    }
    if (ret == 0) {
        ret = pr_hex64(r, &info->inputs_digest);
    }
    if (ret == 0) {
        ret = pr_eol(r);
    }
    if (ret == 0 && info->n_inputs > 0) {
        info->inputs = cnd_calloc((size_t)info->n_inputs, sizeof(*info->inputs));
        ret = info->inputs ? 0 : CND_ENOMEM;
    }
    /* The records, up to "end". */
    while (ret == 0) {
        ret = pr_next(r, "a record or the 'end' line");
        if (ret < 0 || pr_field(r, &s, &len) < 0) {
            ret = ret < 0 ? ret : pr_bad(r, "empty line");
            break;
        }
        if (len == 1 && s[0] == 'c') {
            int64_t created;
            uint64_t key;

            ret = pr_i64(r, &created);
            if (ret == 0) {
                ret = pr_hex64(r, &key);
            }
            if (ret == 0 && r->pos == NULL) {
                ret = pr_bad(r, "complaint line without its JSON");
            }
            if (ret == 0) {
                ret = cnd_agg_merge_complaint(agg, info->day, created, key, r->pos,
                                              (size_t)(r->end - r->pos));
                n_complaints++;
            }
        } else if (len == 3 && memcmp(s, "row", 3) == 0) {
            if (n_complaints > 0) {
                ret = pr_bad(r, "row after the complaint lines");
            } else {
                ret = read_row(r, agg, info->day);
                n_rows++;
            }
        } else if (len == 6 && memcmp(s, "source", 6) == 0) {
            char *name = NULL;
            struct cnd_str str;

            ret = pr_str(r, &name, &len, 0);
            if (ret == 0) {
                ret = pr_u64(r, &v);
            }
            if (ret == 0) {
                ret = pr_eol(r);
            }
            if (ret == 0) {
                str.ptr = name;
                str.len = len;
                ret = cnd_agg_merge_source(agg, info->day, str, v);
            }
            if (ret == 0) {
                ret = add_source_name(info, name, len);
            }
            cnd_free(name);
        } else if (len == 5 && memcmp(s, "input", 5) == 0) {
            char *name = NULL;

            ret = pr_u64(r, &v);
            if (ret == 0 && (v >= info->n_inputs || (any_input && v <= last_input))) {
                ret = pr_bad(r, "input number out of range or out of order");
            }
            if (ret == 0) {
                ret = pr_str(r, &name, &len, 1);
            }
            if (ret == 0) {
                ret = pr_eol(r);
            }
            if (ret == 0) {
                info->inputs[v] = name;
                name = NULL;
                any_input = 1;
                last_input = v;
                ret = cnd_agg_merge_input(agg, info->day, (size_t)v);
            }
            cnd_free(name);
        } else if (len == 3 && memcmp(s, "end", 3) == 0) {
            ret = pr_u64(r, &e_rows);
            if (ret == 0) {
                ret = pr_u64(r, &e_complaints);
            }
            if (ret == 0) {
                ret = pr_u64(r, &e_sources);
            }
            if (ret == 0) {
                ret = pr_eol(r);
            }
            if (ret == 0 && (e_rows != n_rows || e_complaints != n_complaints ||
                             e_sources != info->n_sources)) {
                ret = pr_bad(r, "counts on the 'end' line do not match the records");
            }
            break;
        } else {
            ret = pr_bad(r, "unknown record");
        }
    }
    if (ret == 0) {
        int status = cnd_lines_next(r->lr, &r->line, &r->len, &r->lineno);

        if (status != CND_LINES_EOF) {
            r->lineno++;
            ret = status < 0 ? pr_next(r, "the end of the file")
                             : pr_bad(r, "data after the 'end' line");
        }
    }
    info->rows = n_rows;
    info->complaints = n_complaints;
    return ret;
}

int cnd_part_load(const char *path, struct cnd_agg *agg, struct cnd_part_info *info)
{
    struct cnd_lines_opts opts;
    struct part_reader r;
    int err = 0, ret;

    memset(info, 0, sizeof(*info));
    memset(&r, 0, sizeof(r));
    memset(&opts, 0, sizeof(opts));
    opts.max_line = PART_MAX_LINE;
    r.path = path;
    r.lr = cnd_lines_open(path, &opts, &err);
    if (r.lr == NULL) {
        if (err != CND_ENOENT) {
            cnd_log(CND_LOG_ERROR, "merge", "cannot open part '%s': %s", path, cnd_strerror(err));
        }
        return err;
    }
    ret = read_part(&r, agg, info);
    if (ret == CND_EPARSE || ret == CND_EIO) {
        cnd_log(CND_LOG_ERROR, "merge", "corrupt part %s:%llu: %s", path,
                (unsigned long long)r.lineno, r.msg);
    }
    cnd_lines_close(r.lr);
    return ret;
}

void cnd_part_info_release(struct cnd_part_info *info)
{
    size_t i;

    if (info == NULL) {
        return;
    }
    cnd_free(info->candor_version);
    cnd_free(info->lexicon_version);
    cnd_free(info->timezone);
    for (i = 0; info->inputs != NULL && i < info->n_inputs; i++) {
        cnd_free(info->inputs[i]);
    }
    cnd_free(info->inputs);
    for (i = 0; i < info->n_sources; i++) {
        cnd_free(info->sources[i]);
    }
    cnd_free(info->sources);
    memset(info, 0, sizeof(*info));
}
