/* SPDX-License-Identifier: MIT */
/*
 * Rebuilding the days that received posts, from the archive, exactly once
 * whatever happened before (see rebuild.h and docs/OPERATIONS.md).
 *
 * Two kinds of state files, both plain text, both replaced atomically:
 *
 *   state/index/SOURCE/FETCHDAY.idx   per archive segment of that fetch day:
 *       "NAME<TAB>SIZE<TAB>MTIME_NS<TAB>DAY=N,DAY=N..." (posts per post day)
 *       The first line is "# candor segment index 1", plus " sealed" once
 *       the fetch day is over and every segment of it is indexed: such a
 *       directory is not listed again.
 *   state/days/DAY.segs               the segments holding posts of DAY:
 *       "SOURCE/FETCHDAY/NAME", or "- SOURCE/FETCHDAY/NAME" once pruned.
 *   state/days/lists                  (empty) the day lists are complete; when
 *       it is missing (first run, or state/days was lost) the index is
 *       ignored and every segment read again.
 *
 * A run: list the segments that are new or changed (size or mtime differ
 * from the index); read each and count its posts per day; the days whose
 * counts changed are the days to rebuild; add the segments to those days'
 * lists (written first); rebuild each day from every segment of its list
 * (the posts of that day, each source + id once: a pure function of the
 * archive, so a killed run's extra segments or repeated pages change
 * nothing); then commit the index. A crash before the commit makes the
 * next run find the same changed segments and redo the same days.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/rebuild.h"
#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "common/strs.h"
#include "ingest/archive.h"
#include "output/output.h"
#include "output/parts.h"

#define IDX_MAGIC "# candor segment index 1"
#define SEGS_MAGIC "# candor day segments 1"
#define STATE_MAX (256u << 20)
#define DAYS_MARKER "lists"   /* state/days/lists: the day lists are complete */

/* ---- Small helpers ---- */

static int is_day(const char *s)
{
    return strlen(s) == 10 && cnd_day_check(s) == 0;
}

/* A file or directory name we may put in a path and a state line. */
static int plain_name(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (s[0] == '\0' || s[0] == '.') {
        return 0;
    }
    for (; *p; p++) {
        if (*p <= ' ' || *p == '/' || *p == 0x7f || *p == '\\') {
            return 0;
        }
    }
    return 1;
}

static int is_segment(const char *s)
{
    size_t n = strlen(s);

    return plain_name(s) && strstr(s, ".tmp.") == NULL && n > 10 &&
           strcmp(s + n - 10, ".ndjson.gz") == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        cnd_free(names[i]);
    }
    cnd_free(names);
}

/*
 * The names in directory "dir" accepted by "keep", sorted. A missing
 * directory has no names. Returns 0, CND_EIO or CND_ENOMEM.
 */
static int list_dir(const char *dir, int (*keep)(const char *), char ***out, size_t *n_out)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int ret = 0;

    *out = NULL;
    *n_out = 0;
    if (d == NULL) {
        if (errno == ENOENT) {
            return 0;
        }
        cnd_log(CND_LOG_ERROR, "run", "cannot list '%s': %s", dir, strerror(errno));
        return CND_EIO;
    }
    errno = 0;
    while ((de = readdir(d)) != NULL) {
        if (!keep(de->d_name)) {
            continue;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **grown = cnd_realloc(names, ncap * sizeof(*grown));

            if (grown == NULL) {
                ret = CND_ENOMEM;
                break;
            }
            names = grown;
            cap = ncap;
        }
        names[n] = cnd_strdup(de->d_name);
        if (names[n] == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (ret < 0) {
        free_names(names, n);
        return ret;
    }
    if (n > 1) {
        qsort(names, n, sizeof(*names), cmp_str);
    }
    *out = names;
    *n_out = n;
    return 0;
}

/* Reads all of "path" into "b". Returns 0, CND_ENOENT, CND_EIO, CND_ETOOBIG or CND_ENOMEM. */
static int read_text(const char *path, struct cnd_buf *b)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int ret = 0;

    if (f == NULL) {
        return errno == ENOENT ? CND_ENOENT : CND_EIO;
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

/*
 * Reads the state file "path" into "b" (set up here, STATE_MAX at most).
 * Returns 0, or CND_ENOENT when there is none yet, or another error,
 * logged with the path; "b" is released unless 0 is returned.
 */
static int read_state(const char *path, struct cnd_buf *b)
{
    int ret;

    cnd_buf_init(b, STATE_MAX);
    ret = read_text(path, b);
    if (ret < 0) {
        if (ret != CND_ENOENT) {
            cnd_log(CND_LOG_ERROR, "run", "cannot read '%s': %s", path, cnd_strerror(ret));
        }
        cnd_buf_release(b);
    }
    return ret;
}

/* Writes "b" to "path" atomically, creating the directory "dir". */
static int write_state(const char *dir, const char *path, const struct cnd_buf *b)
{
    int ret = cnd_mkdirs(dir);

    if (ret == 0) {
        ret = cnd_write_file_atomic(path, b->data ? b->data : "", b->len);
    }
    if (ret < 0) {
        cnd_log(CND_LOG_ERROR, "run", "cannot write '%s': %s", path, cnd_strerror(ret));
    }
    return ret;
}

/* The UTC day "days_back" days before today. */
static void utc_day(int days_back, char out[11])
{
    cnd_day_of(NULL, (int64_t)time(NULL) - (int64_t)days_back * 86400, out);
}

/* ---- Day sets ---- */

struct dayset {
    char (*d)[11];
    size_t n, cap;
};

static int cmp_day(const void *a, const void *b)
{
    return memcmp(a, b, 10);
}

static int dayset_has(const struct dayset *s, const char *day)
{
    return s->n && bsearch(day, s->d, s->n, sizeof(*s->d), cmp_day) != NULL;
}

static int dayset_add(struct dayset *s, const char *day)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(s->d[mid], day, 10);

        if (c == 0) {
            return 0;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char (*grown)[11] = cnd_realloc(s->d, cap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        s->d = grown;
        s->cap = cap;
    }
    memmove(s->d + lo + 1, s->d + lo, (s->n - lo) * sizeof(*s->d));
    memcpy(s->d[lo], day, 10);
    s->d[lo][10] = '\0';
    s->n++;
    return 0;
}

/* ---- Per-day post counts of a segment ---- */

struct daycount {
    char day[11];
    uint64_t n;
};

struct counts {
    struct daycount *c;
    size_t n, cap;
};

static int counts_add(struct counts *k, const char *day, uint64_t by)
{
    size_t i;

    for (i = 0; i < k->n; i++) {
        if (memcmp(k->c[i].day, day, 10) == 0) {
            k->c[i].n += by;
            return 0;
        }
    }
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 4;
        struct daycount *grown = cnd_realloc(k->c, cap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        k->c = grown;
        k->cap = cap;
    }
    memcpy(k->c[k->n].day, day, 10);
    k->c[k->n].day[10] = '\0';
    k->c[k->n].n = by;
    k->n++;
    return 0;
}

static uint64_t counts_get(const struct counts *k, const char *day)
{
    size_t i;

    for (i = 0; i < k->n; i++) {
        if (memcmp(k->c[i].day, day, 10) == 0) {
            return k->c[i].n;
        }
    }
    return 0;
}

static int cmp_daycount(const void *a, const void *b)
{
    return memcmp(((const struct daycount *)a)->day, ((const struct daycount *)b)->day, 10);
}

/* ---- The segment index of one fetch day ---- */

struct seg {
    char *name;
    int64_t size, mtime;          /* as indexed */
    struct counts days;           /* as indexed */
    int indexed;                  /* has a line in the index file */
    int on_disk;
    int pending;                  /* new or changed: to read */
    int64_t new_size, new_mtime;
    struct counts new_days;       /* read this run */
    int read_ok;
};

struct fday {
    char *source;
    char day[11];
    struct seg *segs;
    size_t n, cap;
    int sealed;
    int changed;                  /* the index file must be written */
};

static void fday_release(struct fday *f)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        cnd_free(f->segs[i].name);
        cnd_free(f->segs[i].days.c);
        cnd_free(f->segs[i].new_days.c);
    }
    cnd_free(f->segs);
    cnd_free(f->source);
    memset(f, 0, sizeof(*f));
}

static struct seg *fday_find(struct fday *f, const char *name)
{
    size_t i;

    for (i = 0; i < f->n; i++) {
        if (strcmp(f->segs[i].name, name) == 0) {
            return &f->segs[i];
        }
    }
    return NULL;
}

static struct seg *fday_add(struct fday *f, const char *name)
{
    struct seg *s;

    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        struct seg *grown = cnd_realloc(f->segs, cap * sizeof(*grown));

        if (grown == NULL) {
            return NULL;
        }
        f->segs = grown;
        f->cap = cap;
    }
    s = &f->segs[f->n];
    memset(s, 0, sizeof(*s));
    s->name = cnd_strdup(name);
    if (s->name == NULL) {
        return NULL;
    }
    f->n++;
    return s;
}

/* "root" is the state directory: DATA/state, or DATA/state/shard-I-of-N for a shard. */
static void idx_paths(const char *root, const char *source, const char *day, char *dir,
                      size_t dlen, char *file, size_t flen)
{
    snprintf(dir, dlen, "%s/index/%s", root, source);
    snprintf(file, flen, "%s/index/%s/%s.idx", root, source, day);
}

/* Parses "DAY=N,DAY=N" into "k"; 0 or CND_EPARSE/CND_ENOMEM. */
static int parse_counts(const char *s, struct counts *k)
{
    while (*s) {
        char day[11];
        char *end;
        unsigned long long n;
        int ret;

        if (strlen(s) < 12 || s[10] != '=') {
            return CND_EPARSE;
        }
        memcpy(day, s, 10);
        day[10] = '\0';
        if (!is_day(day)) {
            return CND_EPARSE;
        }
        errno = 0;
        n = strtoull(s + 11, &end, 10);
        if (errno || end == s + 11 || (*end != ',' && *end != '\0')) {
            return CND_EPARSE;
        }
        ret = counts_add(k, day, n);
        if (ret < 0) {
            return ret;
        }
        s = *end == ',' ? end + 1 : end;
    }
    return 0;
}

/*
 * Loads the index of "source"/"day" into "f". A missing file is an empty
 * index; a damaged line is dropped with a warning (its segment is then
 * read again, which is always safe).
 */
static int idx_load(const char *root, const char *source, const char *day, struct fday *f)
{
    char dir[4096], path[4200];
    struct cnd_buf text;
    char *line, *next;
    unsigned lineno = 0;
    int ret;

    memset(f, 0, sizeof(*f));
    f->source = cnd_strdup(source);
    if (f->source == NULL) {
        return CND_ENOMEM;
    }
    memcpy(f->day, day, 11);
    idx_paths(root, source, day, dir, sizeof(dir), path, sizeof(path));
    ret = read_state(path, &text);
    if (ret < 0) {
        return ret == CND_ENOENT ? 0 : ret;
    }
    for (line = text.data; ret == 0 && line && *line; line = next) {
        char *f1, *f2, *f3, *end1, *end2;
        struct seg *s;

        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        lineno++;
        if (lineno == 1) {
            if (strncmp(line, IDX_MAGIC, strlen(IDX_MAGIC)) != 0) {
                cnd_log(CND_LOG_WARN, "run", "%s:1: not a segment index; ignored", path);
                break;
            }
            f->sealed = strcmp(line + strlen(IDX_MAGIC), " sealed") == 0;
            continue;
        }
        f1 = strchr(line, '\t');
        f2 = f1 ? strchr(f1 + 1, '\t') : NULL;
        f3 = f2 ? strchr(f2 + 1, '\t') : NULL;
        if (f3 == NULL) {
            goto bad;
        }
        *f1 = *f2 = *f3 = '\0';
        if (!is_segment(line) || fday_find(f, line) != NULL) {
            goto bad;
        }
        s = fday_add(f, line);
        if (s == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        errno = 0;
        s->size = strtoll(f1 + 1, &end1, 10);
        s->mtime = strtoll(f2 + 1, &end2, 10);
        if (errno || *end1 || *end2 || s->size < 0) {
            f->n--;
            cnd_free(s->name);
            goto bad;
        }
        ret = parse_counts(f3 + 1, &s->days);
        if (ret == CND_EPARSE) {
            ret = 0;
            f->n--;
            cnd_free(s->name);
            cnd_free(s->days.c);
            goto bad;
        }
        s->indexed = 1;
        continue;
bad:
        cnd_log(CND_LOG_WARN, "run", "%s:%u: damaged index line dropped (the segment "
                "will be read again)", path, lineno);
        f->sealed = 0;
    }
    cnd_buf_release(&text);
    return ret;
}

static int add_counts_text(struct cnd_buf *b, struct counts *k)
{
    size_t i;
    int ret = 0;

    if (k->n > 1) {
        qsort(k->c, k->n, sizeof(*k->c), cmp_daycount);
    }
    for (i = 0; ret == 0 && i < k->n; i++) {
        ret = cnd_buf_addf(b, "%s%s=%llu", i ? "," : "", k->c[i].day,
                           (unsigned long long)k->c[i].n);
    }
    return ret;
}

/*
 * Writes the index of "f": every segment still on disk, with what was
 * read this run for the pending ones that were read. Sealed when the
 * fetch day is before "yesterday" and nothing is left pending.
 */
static int idx_save(const char *root, struct fday *f, const char *yesterday)
{
    char dir[4096], path[4200];
    struct cnd_buf b;
    size_t i;
    int ret, all = 1;

    for (i = 0; i < f->n; i++) {
        if (f->segs[i].on_disk && f->segs[i].pending && !f->segs[i].read_ok) {
            all = 0;
        }
    }
    idx_paths(root, f->source, f->day, dir, sizeof(dir), path, sizeof(path));
    cnd_buf_init(&b, 0);
    ret = cnd_buf_addf(&b, "%s%s\n", IDX_MAGIC,
                       all && strcmp(f->day, yesterday) < 0 ? " sealed" : "");
    for (i = 0; ret == 0 && i < f->n; i++) {
        struct seg *s = &f->segs[i];

        if (!s->on_disk) {
            continue;
        }
        if (s->pending && s->read_ok) {
            ret = cnd_buf_addf(&b, "%s\t%lld\t%lld\t", s->name, (long long)s->new_size,
                               (long long)s->new_mtime);
            if (ret == 0) {
                ret = add_counts_text(&b, &s->new_days);
            }
        } else if (s->indexed && !s->pending) {
            ret = cnd_buf_addf(&b, "%s\t%lld\t%lld\t", s->name, (long long)s->size,
                               (long long)s->mtime);
            if (ret == 0) {
                ret = add_counts_text(&b, &s->days);
            }
        } else {
            continue;
        }
        if (ret == 0) {
            ret = cnd_buf_addc(&b, '\n');
        }
    }
    if (ret == 0) {
        ret = write_state(dir, path, &b);
    }
    cnd_buf_release(&b);
    return ret;
}

/* ---- The segment list of one post day ---- */

struct daylist {
    char day[11];
    char **rel;
    unsigned char *pruned;
    size_t n, cap;
    int changed;
    int damaged;                  /* a line could not be read: not rebuilt this run */
};

static void daylist_release(struct daylist *d)
{
    free_names(d->rel, d->n);
    cnd_free(d->pruned);
    memset(d, 0, sizeof(*d));
}

static void daylist_paths(const char *root, const char *day, char *dir, size_t dlen,
                          char *file, size_t flen)
{
    snprintf(dir, dlen, "%s/days", root);
    snprintf(file, flen, "%s/days/%s.segs", root, day);
}

/* Adds "rel" (pruned or not); an entry once pruned stays pruned. */
static int daylist_add(struct daylist *d, const char *rel, int pruned)
{
    size_t i;

    for (i = 0; i < d->n; i++) {
        if (strcmp(d->rel[i], rel) == 0) {
            if (pruned && !d->pruned[i]) {
                d->pruned[i] = 1;
                d->changed = 1;
            }
            return 0;
        }
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        char **grown = cnd_realloc(d->rel, cap * sizeof(*grown));
        unsigned char *pgrown;

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        d->rel = grown;
        pgrown = cnd_realloc(d->pruned, cap);
        if (pgrown == NULL) {
            return CND_ENOMEM;
        }
        d->pruned = pgrown;
        d->cap = cap;
    }
    d->rel[d->n] = cnd_strdup(rel);
    if (d->rel[d->n] == NULL) {
        return CND_ENOMEM;
    }
    d->pruned[d->n] = (unsigned char)(pruned != 0);
    d->n++;
    d->changed = 1;
    return 0;
}

static int daylist_load(const char *root, const char *day, int fresh, struct daylist *d)
{
    int rewrite = 0;
    char dir[4096], path[4200];
    struct cnd_buf text;
    char *line, *next;
    unsigned lineno = 0;
    int ret;

    memset(d, 0, sizeof(*d));
    memcpy(d->day, day, 11);
    daylist_paths(root, day, dir, sizeof(dir), path, sizeof(path));
    ret = read_state(path, &text);
    if (ret < 0) {
        return ret == CND_ENOENT ? 0 : ret;
    }
    for (line = text.data; ret == 0 && line && *line; line = next) {
        int pruned = 0;

        next = strchr(line, '\n');
        if (next) {
            *next++ = '\0';
        }
        lineno++;
        if (lineno == 1 && strcmp(line, SEGS_MAGIC) == 0) {
            continue;
        }
        if (strncmp(line, "- ", 2) == 0) {
            pruned = 1;
            line += 2;
        }
        if (line[0] == '\0' || line[0] == '/' || strstr(line, "..") != NULL ||
            strchr(line, '\t') != NULL || strchr(line, '/') == NULL) {
            /*
             * Cannot tell which segment. When the whole archive is being read
             * again (fresh), the line is dropped and the list rewritten
             * complete; otherwise this run leaves the day alone (never rebuilt
             * from part of its posts) and makes the next one read everything.
             */
            cnd_log(CND_LOG_WARN, "run", "%s:%u: damaged line%s", path, lineno,
                    fresh ? " dropped" : "; the next run reads the whole archive again");
            if (fresh) {
                rewrite = 1;
            } else {
                char marker[4300];

                snprintf(marker, sizeof(marker), "%s/days/" DAYS_MARKER, root);
                unlink(marker);
                d->damaged = 1;
            }
            continue;
        }
        ret = daylist_add(d, line, pruned);
    }
    d->changed = rewrite;
    cnd_buf_release(&text);
    return ret;
}

static int daylist_save(const char *root, struct daylist *d)
{
    char dir[4096], path[4200];
    struct cnd_buf b;
    size_t i;
    int ret;

    daylist_paths(root, d->day, dir, sizeof(dir), path, sizeof(path));
    cnd_buf_init(&b, 0);
    ret = cnd_buf_addf(&b, "%s\n", SEGS_MAGIC);
    for (i = 0; ret == 0 && i < d->n; i++) {
        ret = cnd_buf_addf(&b, "%s%s\n", d->pruned[i] ? "- " : "", d->rel[i]);
    }
    if (ret == 0) {
        ret = write_state(dir, path, &b);
    }
    if (ret == 0) {
        d->changed = 0;
    }
    cnd_buf_release(&b);
    return ret;
}

/* ---- Reading a segment's posts ---- */

typedef int (*post_fn)(void *arg, const struct cnd_post *post, size_t input);

/*
 * A fresh adapter for the pages of "name" (kind "kind"): the configured
 * source when it still has that kind, else the kind's defaults. Fresh
 * per segment, so no adapter state carries from one segment to another.
 */
static struct cnd_source *source_for(const struct cli_checked *c, const char *name,
                                     const char *kind, int *err)
{
    const struct cnd_jval *arr = c->cfg.sources;
    struct cnd_source *src = NULL;
    struct cnd_buf errs;
    size_t i;

    cnd_buf_init(&errs, 1 << 16);
    for (i = 0; arr && arr->type == CND_JARR && i < arr->n; i++) {
        const struct cnd_jval *nv = cnd_jval_get(arr->items[i], "name");
        const struct cnd_jval *kv = cnd_jval_get(arr->items[i], "kind");

        if (nv && nv->type == CND_JSTR && strcmp(nv->str, name) == 0 && kv &&
            kv->type == CND_JSTR && strcmp(kv->str, kind) == 0) {
            src = cnd_source_new(arr->items[i], c->cfg.path, i, CND_SOURCE_NOENV, &errs, err);
            break;
        }
    }
    if (src == NULL && (*err != CND_ENOMEM)) {
        cnd_buf_reset(&errs);
        src = cnd_source_new_kv(kind, name, NULL, 0, CND_SOURCE_NOENV, &errs, err);
    }
    cnd_buf_release(&errs);
    return src;
}

/*
 * Runs every page of segment "rel" (under DATA/archive) through its
 * adapter and calls "fn" for each post. Non-2xx pages carry no posts; a
 * page the adapter rejects is counted and warned about; a cut tail
 * (a crash while appending) ends the segment normally. Returns 0,
 * CND_ENOENT (the segment is gone), CND_EIO, CND_ENOMEM, or fn's code.
 */
static int read_segment(const struct cli_checked *c, const char *rel, size_t input,
                        post_fn fn, void *arg, struct cli_rebuild_stats *st, int warn)
{
    char path[4400], name[256];
    const char *slash = strchr(rel, '/');
    struct cnd_archive_reader *r;
    struct cnd_archive_page page;
    struct cnd_source *src = NULL;
    struct cnd_batch batch;
    uint64_t lineno = 0;
    int err = 0, ret = 0;
    size_t i;

    if (slash == NULL || (size_t)(slash - rel) >= sizeof(name)) {
        return CND_EINVAL;
    }
    memcpy(name, rel, (size_t)(slash - rel));
    name[slash - rel] = '\0';
    if (snprintf(path, sizeof(path), "%s/archive/%s", c->data_dir, rel) >= (int)sizeof(path)) {
        cnd_log(CND_LOG_ERROR, "run", "archive path too long: '%s/archive/%s'", c->data_dir, rel);
        return CND_ETOOBIG;
    }
    r = cnd_archive_reader_open(path, &err);
    if (r == NULL) {
        if (err != CND_ENOENT) {
            cnd_log(CND_LOG_ERROR, "run", "cannot open '%s': %s", path, cnd_strerror(err));
        }
        return err == CND_ENOENT || err == CND_ENOMEM ? err : CND_EIO;
    }
    if (cnd_batch_init(&batch, name) < 0) {
        cnd_archive_reader_close(r);
        return CND_ENOMEM;
    }
    for (;;) {
        struct cnd_response resp;
        struct cnd_cursor next;
        int got = cnd_archive_reader_next(r, &page, &lineno);

        if (got == 0) {
            break;
        }
        if (got == CND_EPARSE) {
            if (warn) {
                cnd_log(CND_LOG_WARN, "run", "%s:%llu: not an archive page: %s", path,
                        (unsigned long long)lineno, cnd_archive_reader_error(r));
            }
            continue;
        }
        if (got == CND_ETRUNC) {
            cnd_log(CND_LOG_DEBUG, "run", "%s: cut tail after line %llu (an interrupted "
                    "write; the page was fetched again)", path, (unsigned long long)lineno);
            break;
        }
        if (got < 0) {
            cnd_log(CND_LOG_ERROR, "run", "%s: %s", path, cnd_archive_reader_error(r));
            ret = got == CND_ENOMEM ? got : CND_EIO;
            break;
        }
        if (page.status < 200 || page.status > 299) {
            continue;
        }
        if (src == NULL) {
            src = source_for(c, name, page.kind ? page.kind : "", &err);
            if (src == NULL) {
                if (err == CND_ENOMEM) {
                    ret = err;
                    break;
                }
                if (warn) {
                    cnd_log(CND_LOG_WARN, "run", "%s: no adapter for kind '%s'; segment "
                            "skipped", path, page.kind ? page.kind : "");
                }
                break;
            }
        }
        memset(&resp, 0, sizeof(resp));
        resp.status = page.status;
        resp.body = page.body;
        resp.len = page.len;
        resp.headers = page.headers;
        resp.n_headers = page.n_headers;
        cnd_batch_clear(&batch);
        cnd_cursor_init(&next);
        err = cnd_source_parse(src, &resp, page.cursor_in, &batch, &next);
        cnd_cursor_release(&next);
        if (err == CND_ENOMEM) {
            ret = err;
            break;
        }
        if (err < 0) {
            if (warn) {
                st->bad_pages++;
                cnd_log(CND_LOG_WARN, "run", "%s:%llu: page not parsed: %s", path,
                        (unsigned long long)lineno, batch.error[0] ? batch.error
                                                                   : cnd_strerror(err));
            }
            continue;
        }
        for (i = 0; ret == 0 && i < batch.n; i++) {
            ret = fn(arg, &batch.posts[i], input);
        }
        if (ret < 0) {
            break;
        }
    }
    cnd_batch_release(&batch);
    cnd_source_free(src);
    cnd_archive_reader_close(r);
    return ret;
}

/* ---- Counting pass ---- */

struct count_ctx {
    const struct cli_checked *c;
    struct counts *k;
};

static int count_post(void *arg, const struct cnd_post *post, size_t input)
{
    struct count_ctx *cc = arg;
    char day[11];

    (void)input;
    if (!post->has_created_at) {
        return 0;
    }
    cnd_day_of(cc->c->tz, post->created_at, day);
    return counts_add(cc->k, day, 1);
}

/* ---- Rebuild pass ---- */

struct rb_ctx {
    const struct cli_checked *c;
    const struct dayset *targets;
    struct cnd_agg *agg;
    struct cnd_once *once;        /* posts held back until all are read: each key once */
    struct cnd_buf line;
    struct cli_rebuild_stats *st;
};

static struct cli_source_counts *stats_source(struct cli_rebuild_stats *st, const char *name,
                                              size_t len)
{
    size_t lo = 0, hi = st->n_sources;
    struct cli_source_counts *grown;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *s = st->sources[mid].source;
        int cmp = strncmp(s, name, len);

        if (cmp == 0 && s[len] != '\0') {
            cmp = 1;
        }
        if (cmp == 0) {
            return &st->sources[mid];
        }
        if (cmp < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    grown = cnd_realloc(st->sources, (st->n_sources + 1) * sizeof(*grown));
    if (grown == NULL) {
        return NULL;
    }
    st->sources = grown;
    memmove(grown + lo + 1, grown + lo, (st->n_sources - lo) * sizeof(*grown));
    memset(&grown[lo], 0, sizeof(grown[lo]));
    grown[lo].source = cnd_strndup(name, len);
    if (grown[lo].source == NULL) {
        memmove(grown + lo, grown + lo + 1, (st->n_sources - lo) * sizeof(*grown));
        return NULL;
    }
    st->n_sources++;
    return &grown[lo];
}

/* Counts a post of the rebuild in its source's figures as it is counted in its day. */
static int rebuild_counted(void *arg, const struct cnd_post *post, const struct cnd_verdict *v)
{
    struct rb_ctx *rc = arg;
    struct cli_source_counts *sc;

    sc = stats_source(rc->st, post->source.ptr ? post->source.ptr : "", post->source.len);
    if (sc == NULL) {
        return CND_ENOMEM;
    }
    sc->analyzed++;
    sc->flagged += v->complaint != 0;
    return 0;
}

static int rebuild_post(void *arg, const struct cnd_post *post, size_t input)
{
    struct rb_ctx *rc = arg;
    struct cnd_verdict v;
    uint64_t key;
    char day[11];
    int ret;

    if (!post->has_created_at) {
        rc->st->undated++;
        return 0;
    }
    cnd_day_of(rc->c->tz, post->created_at, day);
    if (!dayset_has(rc->targets, day)) {
        return 0;
    }
    key = cnd_post_key(post);
    if (cnd_once_repeat(rc->once, key)) {
        return 0;   /* a duplicate of a post just read */
    }
    ret = cnd_analyze_post(rc->c->an, post, &v);
    if (ret < 0 && ret != CND_ELIMIT) {
        return ret;
    }
    cnd_buf_reset(&rc->line);
    if (v.complaint) {
        ret = cnd_verdict_json(&v, post, 1, &rc->line);
        if (ret < 0) {
            return ret;
        }
    }
    return cnd_once_add(rc->once, key, day, input, post, &v,
                        rc->line.data ? rc->line.data : "", rc->line.len);
}

/* ---- The rebuild ---- */

void cli_rebuild_stats_release(struct cli_rebuild_stats *st)
{
    size_t i;

    for (i = 0; i < st->n_sources; i++) {
        cnd_free(st->sources[i].source);
    }
    cnd_free(st->sources);
    cnd_free(st->days);
    memset(st, 0, sizeof(*st));
}

struct scan {
    struct fday *f;
    size_t n, cap;
};

static void scan_release(struct scan *s)
{
    size_t i;

    for (i = 0; i < s->n; i++) {
        fday_release(&s->f[i]);
    }
    cnd_free(s->f);
    memset(s, 0, sizeof(*s));
}

static int is_dir_name(const char *s)
{
    return plain_name(s);
}

static int is_day_name(const char *s)
{
    return is_day(s);
}

/*
 * Lists the archive: every fetch day not sealed, with its segments
 * marked pending when new or changed. Keeps only the fetch days with
 * something to do (pending segments, or an index to seal or to tidy).
 */
static int scan_archive(const char *data_dir, const char *root, const struct cnd_shard *shard,
                        const char *yesterday, int ignore_index, struct scan *out)
{
    char dir[4096], sub[4400], path[4700];
    char **sources = NULL, **days = NULL, **segs = NULL;
    size_t n_sources = 0, n_days = 0, n_segs = 0, i, j, k;
    int ret;

    snprintf(dir, sizeof(dir), "%s/archive", data_dir);
    ret = list_dir(dir, is_dir_name, &sources, &n_sources);
    for (i = 0; ret == 0 && i < n_sources; i++) {
        if (shard != NULL && cli_source_shard(sources[i], shard->count) != shard->index) {
            continue;   /* another shard's source */
        }
        snprintf(sub, sizeof(sub), "%s/%s", dir, sources[i]);
        ret = list_dir(sub, is_day_name, &days, &n_days);
        for (j = 0; ret == 0 && j < n_days; j++) {
            struct fday f;
            int keep = 0;

            ret = idx_load(root, sources[i], days[j], &f);
            if (ret < 0) {
                fday_release(&f);
                break;
            }
            if (ignore_index) {
                /* The day lists were lost: every segment is read again. */
                for (k = 0; k < f.n; k++) {
                    f.segs[k].indexed = 0;
                }
                f.sealed = 0;
            }
            if (f.sealed) {
                fday_release(&f);
                continue;
            }
            snprintf(path, sizeof(path), "%s/%s", sub, days[j]);
            ret = list_dir(path, is_segment, &segs, &n_segs);
            for (k = 0; ret == 0 && k < n_segs; k++) {
                char file[4900];
                struct stat stb;
                struct seg *s;

                snprintf(file, sizeof(file), "%s/%s", path, segs[k]);
                if (stat(file, &stb) != 0 || !S_ISREG(stb.st_mode)) {
                    continue;
                }
                s = fday_find(&f, segs[k]);
                if (s == NULL) {
                    s = fday_add(&f, segs[k]);
                    if (s == NULL) {
                        ret = CND_ENOMEM;
                        break;
                    }
                }
                s->on_disk = 1;
                s->new_size = (int64_t)stb.st_size;
                s->new_mtime = (int64_t)stb.st_mtim.tv_sec * 1000000000 + stb.st_mtim.tv_nsec;
                if (!s->indexed || s->size != s->new_size || s->mtime != s->new_mtime) {
                    s->pending = 1;
                    keep = 1;
                }
            }
            free_names(segs, n_segs);
            segs = NULL;
            for (k = 0; k < f.n; k++) {
                if (!f.segs[k].on_disk) {
                    keep = 1;   /* gone: drop it from the index */
                }
            }
            if (strcmp(days[j], yesterday) < 0) {
                keep = 1;       /* over: seal it */
            }
            if (ret == 0 && keep) {
                if (out->n == out->cap) {
                    size_t cap = out->cap ? out->cap * 2 : 16;
                    struct fday *grown = cnd_realloc(out->f, cap * sizeof(*grown));

                    if (grown == NULL) {
                        ret = CND_ENOMEM;
                    } else {
                        out->f = grown;
                        out->cap = cap;
                    }
                }
                if (ret == 0) {
                    f.changed = 1;
                    out->f[out->n++] = f;
                    continue;
                }
            }
            fday_release(&f);
        }
        free_names(days, n_days);
        days = NULL;
    }
    free_names(sources, n_sources);
    return ret;
}

/* Sorted, unique list of strings. */
struct strset {
    char **s;
    size_t n, cap;
};

static int strset_add(struct strset *set, const char *s)
{
    long at = cnd_strs_find((const char *const *)set->s, set->n, s);
    size_t lo;

    if (at >= 0) {
        return 0;
    }
    lo = (size_t)(-1 - at);
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        char **grown = cnd_realloc(set->s, cap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        set->s = grown;
        set->cap = cap;
    }
    memmove(set->s + lo + 1, set->s + lo, (set->n - lo) * sizeof(*set->s));
    set->s[lo] = cnd_strdup(s);
    if (set->s[lo] == NULL) {
        memmove(set->s + lo, set->s + lo + 1, (set->n - lo) * sizeof(*set->s));
        return CND_ENOMEM;
    }
    set->n++;
    return 0;
}

static long strset_find(const struct strset *set, const char *s)
{
    long at = cnd_strs_find((const char *const *)set->s, set->n, s);

    return at < 0 ? -1 : at;
}

/* The days of "a" whose counts differ from "b" (or all of both when "all"). */
static int changed_days(const struct counts *a, const struct counts *b, int all,
                        struct dayset *out)
{
    size_t i;
    int ret = 0;

    for (i = 0; ret == 0 && i < a->n; i++) {
        if (all || counts_get(b, a->c[i].day) != a->c[i].n) {
            ret = dayset_add(out, a->c[i].day);
        }
    }
    for (i = 0; ret == 0 && i < b->n; i++) {
        if (all || counts_get(a, b->c[i].day) != b->c[i].n) {
            ret = dayset_add(out, b->c[i].day);
        }
    }
    return ret;
}

/* ---- Shards of a run (docs/SCALE.md) ---- */

uint32_t cli_source_shard(const char *source, uint32_t count)
{
    return count ? (uint32_t)(cnd_fnv1a64(source, strlen(source), CND_FNV_BASIS) % count) : 0;
}

/* Parses a part directory name "K-of-N" (plain decimals); returns K, or -1. */
static long part_index(const char *name, uint32_t count)
{
    char *end;
    unsigned long k, n;

    if (name[0] < '0' || name[0] > '9' || (name[0] == '0' && name[1] != '-')) {
        return -1;
    }
    k = strtoul(name, &end, 10);
    if (strncmp(end, "-of-", 4) != 0 || end[4] < '1' || end[4] > '9') {
        return -1;
    }
    n = strtoul(end + 4, &end, 10);
    if (*end != '\0' || n != count || k >= n) {
        return -1;
    }
    return (long)k;
}

/*
 * Walks DATA/parts/: for every day with at least one part of "count"
 * shards, calls "fn" with the day and a map of the parts present
 * ("have[K]" for K-of-count). Returns 0 or a negative code.
 */
static int each_parts_day(const char *data_dir, uint32_t count,
                          int (*fn)(void *arg, const char *day, const unsigned char *have),
                          void *arg)
{
    char dir[4096], sub[4200];
    char **days = NULL, **names = NULL;
    size_t n_days = 0, n_names = 0, i, j;
    unsigned char *have;
    int ret;

    have = cnd_malloc(count);
    if (have == NULL) {
        return CND_ENOMEM;
    }
    snprintf(dir, sizeof(dir), "%s/parts", data_dir);
    ret = list_dir(dir, is_day, &days, &n_days);
    for (i = 0; ret == 0 && i < n_days; i++) {
        int any = 0;

        snprintf(sub, sizeof(sub), "%s/%s", dir, days[i]);
        ret = list_dir(sub, plain_name, &names, &n_names);
        memset(have, 0, count);
        for (j = 0; ret == 0 && j < n_names; j++) {
            long k = part_index(names[j], count);

            if (k >= 0) {
                have[k] = 1;
                any = 1;
            }
        }
        free_names(names, n_names);
        names = NULL;
        if (ret == 0 && any) {
            ret = fn(arg, days[i], have);
        }
    }
    free_names(days, n_days);
    cnd_free(have);
    return ret;
}

struct lacking_ctx {
    uint32_t index;               /* the days lacking this part... */
    int all;                      /* ...or every day with parts */
    struct dayset *days;
    unsigned char *lacking;       /* or: lacking[K] for every shard K */
    uint32_t count;
};

static int on_parts_day(void *arg, const char *day, const unsigned char *have)
{
    struct lacking_ctx *lc = arg;
    uint32_t k;

    if (lc->lacking != NULL) {
        for (k = 0; k < lc->count; k++) {
            lc->lacking[k] |= (unsigned char)!have[k];
        }
        return 0;
    }
    return lc->all || !have[lc->index] ? dayset_add(lc->days, day) : 0;
}

int cli_parts_lacking(const char *data_dir, uint32_t count, unsigned char *lacking)
{
    struct lacking_ctx lc;

    memset(&lc, 0, sizeof(lc));
    memset(lacking, 0, count);
    lc.lacking = lacking;
    lc.count = count;
    return each_parts_day(data_dir, count, on_parts_day, &lc);
}

/*
 * The inputs of a sharded run, the same for every shard: "archive/NAME"
 * for each source named in the config or with an archive directory,
 * sorted. (A fetch only creates directories of configured sources, so
 * shards running together agree.) Their digest goes into the day lists'
 * marker: when the list changes, the shard rebuilds all its days.
 */
static int run_inputs(const struct cli_checked *c, struct strset *out)
{
    const struct cnd_jval *arr = c->cfg.sources;
    char dir[4096], name[4200];
    char **dirs = NULL;
    size_t n_dirs = 0, i;
    int ret = 0;

    for (i = 0; ret == 0 && arr && arr->type == CND_JARR && i < arr->n; i++) {
        const struct cnd_jval *nv = cnd_jval_get(arr->items[i], "name");

        if (nv && nv->type == CND_JSTR && plain_name(nv->str)) {
            snprintf(name, sizeof(name), "archive/%s", nv->str);
            ret = strset_add(out, name);
        }
    }
    snprintf(dir, sizeof(dir), "%s/archive", c->data_dir);
    if (ret == 0) {
        ret = list_dir(dir, is_dir_name, &dirs, &n_dirs);
    }
    for (i = 0; ret == 0 && i < n_dirs; i++) {
        snprintf(name, sizeof(name), "archive/%s", dirs[i]);
        ret = strset_add(out, name);
    }
    free_names(dirs, n_dirs);
    return ret;
}

/*
 * Writes the part of every target day (empty for a day whose posts are
 * all other shards'), numbering inputs in the run's list "inputs".
 */
static int write_parts(const struct cli_checked *c, const struct cnd_shard *shard,
                       const struct dayset *targets, const struct strset *inputs,
                       struct cnd_agg *agg, volatile sig_atomic_t *stop)
{
    struct cnd_agg_meta meta;
    size_t i, n;
    int ret = 0;

    for (i = 0; ret == 0 && i < targets->n; i++) {
        ret = cnd_agg_touch_day(agg, targets->d[i]);
    }
    memset(&meta, 0, sizeof(meta));
    meta.lexicon_version = cnd_lexicon_version(c->lex);
    meta.timezone = c->cfg.timezone;
    meta.inputs = (const char *const *)inputs->s;
    meta.n_inputs = inputs->n;
    n = cnd_agg_n_days(agg);
    for (i = 0; ret == 0 && i < n; i++) {
        if (stop && *stop) {
            return CND_ESTOP;   /* the parts written are whole; the index is not committed */
        }
        ret = cnd_part_write(agg, i, c->data_dir, shard, &meta);
        if (ret < 0) {
            cnd_log(CND_LOG_ERROR, "run", "cannot write the part of %s under '%s/parts': %s",
                    cnd_agg_day(agg, i), c->data_dir, cnd_strerror(ret));
        }
    }
    return ret;
}

int cli_rebuild(const struct cli_checked *c, volatile sig_atomic_t *stop,
                struct cli_rebuild_stats *st)
{
    return cli_rebuild_shard(c, NULL, 0, stop, st);
}

int cli_rebuild_shard(const struct cli_checked *c, const struct cnd_shard *shard, int fill_only,
                      volatile sig_atomic_t *stop, struct cli_rebuild_stats *st)
{
    const char *data_dir = c->data_dir;
    char yesterday[11], rel[4400], marker[4300], root[4000];
    int fresh;
    struct strset all_inputs;
    struct cnd_buf mark;
    struct scan scan;
    struct dayset affected, targets;
    struct daylist *lists = NULL;
    struct strset segments, sources;
    struct rb_ctx rc;
    size_t i, j;
    int ret, err = 0;

    memset(st, 0, sizeof(*st));
    memset(&scan, 0, sizeof(scan));
    memset(&affected, 0, sizeof(affected));
    memset(&targets, 0, sizeof(targets));
    memset(&segments, 0, sizeof(segments));
    memset(&sources, 0, sizeof(sources));
    memset(&rc, 0, sizeof(rc));
    memset(&all_inputs, 0, sizeof(all_inputs));
    cnd_buf_init(&rc.line, 0);
    cnd_buf_init(&mark, 0);
    utc_day(1, yesterday);
    if (shard != NULL) {
        snprintf(root, sizeof(root), "%s/state/shard-%u-of-%u", data_dir, (unsigned)shard->index,
                 (unsigned)shard->count);
    } else {
        snprintf(root, sizeof(root), "%s/state", data_dir);
    }

    /*
     * 1. New and changed segments, and the days whose counts changed. The
     * index is trusted only when the day lists it goes with exist (their
     * marker file): without them every segment is read again.
     */
    snprintf(marker, sizeof(marker), "%s/days/" DAYS_MARKER, root);
    fresh = access(marker, F_OK) != 0;
    ret = 0;
    if (shard != NULL) {
        /* A shard's marker holds its inputs' digest: another list means every day again. */
        struct cnd_buf old;
        uint64_t h = CND_FNV_BASIS;

        ret = run_inputs(c, &all_inputs);
        for (i = 0; ret == 0 && i < all_inputs.n; i++) {
            h = cnd_fnv1a64(all_inputs.s[i], strlen(all_inputs.s[i]) + 1, h);
        }
        if (ret == 0) {
            ret = cnd_buf_addf(&mark, "inputs %zu %016llx\n", all_inputs.n,
                               (unsigned long long)h);
        }
        cnd_buf_init(&old, STATE_MAX);
        if (ret == 0 && !fresh && (read_text(marker, &old) < 0 || old.len != mark.len ||
                                   memcmp(old.data, mark.data, mark.len) != 0)) {
            fresh = 1;
        }
        cnd_buf_release(&old);
        if (ret == 0 && fill_only && fresh) {
            goto out;   /* that shard never ran (or must redo everything): its next run fills */
        }
    }
    if (ret == 0 && !fill_only) {
        ret = scan_archive(data_dir, root, shard, yesterday, fresh, &scan);
    }
    for (i = 0; ret == 0 && i < scan.n; i++) {
        struct fday *f = &scan.f[i];

        for (j = 0; ret == 0 && j < f->n; j++) {
            struct seg *s = &f->segs[j];
            struct count_ctx cc;

            if (!s->pending || !s->on_disk) {
                continue;
            }
            if (stop && *stop) {
                ret = CND_ESTOP;
                break;
            }
            snprintf(rel, sizeof(rel), "%s/%s/%s", f->source, f->day, s->name);
            cc.c = c;
            cc.k = &s->new_days;
            ret = read_segment(c, rel, 0, count_post, &cc, st, 0);
            if (ret == CND_ENOENT) {
                s->on_disk = 0;   /* removed meanwhile */
                ret = 0;
                continue;
            }
            if (ret < 0) {
                break;
            }
            s->read_ok = 1;
            st->segments_read++;
            ret = changed_days(&s->new_days, s->indexed ? &s->days : &(struct counts){ 0 },
                               s->indexed && s->new_size < s->size, &affected);
        }
    }
    if (ret == 0 && shard != NULL) {
        /*
         * A shard writes a part for every day that has parts of other
         * shards (from its day lists: empty when its sources have no post
         * that day), so that every such day has all N parts for the merge.
         */
        struct lacking_ctx lc;

        memset(&lc, 0, sizeof(lc));
        lc.index = shard->index;
        lc.all = fresh;
        lc.days = &affected;
        ret = each_parts_day(data_dir, shard->count, on_parts_day, &lc);
    }
    if (ret < 0) {
        goto out;
    }

    /* 2. Record the new segments in the lists of their days (before any rebuild). */
    if (affected.n) {
        lists = cnd_calloc(affected.n, sizeof(*lists));
        if (lists == NULL) {
            ret = CND_ENOMEM;
            goto out;
        }
    }
    for (i = 0; ret == 0 && i < affected.n; i++) {
        ret = daylist_load(root, affected.d[i], fresh, &lists[i]);
    }
    for (i = 0; ret == 0 && i < scan.n; i++) {
        struct fday *f = &scan.f[i];

        for (j = 0; ret == 0 && j < f->n; j++) {
            struct seg *s = &f->segs[j];
            size_t k;

            if (!s->read_ok) {
                continue;
            }
            snprintf(rel, sizeof(rel), "%s/%s/%s", f->source, f->day, s->name);
            for (k = 0; ret == 0 && k < s->new_days.n; k++) {
                char (*hit)[11];

                hit = bsearch(s->new_days.c[k].day, affected.d, affected.n,
                              sizeof(*affected.d), cmp_day);
                if (hit != NULL && s->new_days.c[k].n > 0) {
                    ret = daylist_add(&lists[hit - affected.d], rel, 0);
                }
            }
        }
    }
    for (i = 0; ret == 0 && i < affected.n; i++) {
        if (lists[i].changed) {
            ret = daylist_save(root, &lists[i]);
        }
    }
    if (ret < 0) {
        goto out;
    }

    /* 3. The days that can be rebuilt, and the segments they need. */
    for (i = 0; ret == 0 && i < affected.n; i++) {
        struct daylist *d = &lists[i];
        int usable = !d->damaged;

        for (j = 0; usable && j < d->n; j++) {
            char path[4600];

            snprintf(path, sizeof(path), "%s/archive/%s", data_dir, d->rel[j]);
            if (d->pruned[j] || strchr(d->rel[j], '/') == NULL || access(path, F_OK) != 0) {
                usable = 0;
                break;
            }
        }
        if (!usable) {
            st->days_pruned++;
            cnd_log(CND_LOG_WARN, "run", "day %s received posts but part of its archive was "
                    "pruned or is missing (%s); its files are left as they are", d->day,
                    d->damaged ? "damaged list" : d->rel[j]);
            continue;
        }
        ret = dayset_add(&targets, d->day);
        for (j = 0; ret == 0 && j < d->n; j++) {
            char name[256];
            const char *slash = strchr(d->rel[j], '/');

            ret = strset_add(&segments, d->rel[j]);
            if (ret == 0 && (size_t)(slash - d->rel[j]) < sizeof(name)) {
                memcpy(name, d->rel[j], (size_t)(slash - d->rel[j]));
                name[slash - d->rel[j]] = '\0';
                ret = strset_add(&sources, name);
            }
        }
    }
    if (ret < 0) {
        goto out;
    }

    /* 4. Rebuild: every post of the target days, each (source, id) once. */
    if (targets.n) {
        struct cnd_agg_meta meta;
        const char **inputs = NULL;
        char state_dir[4200];

        snprintf(state_dir, sizeof(state_dir), "%s", root);
        ret = cnd_mkdirs(state_dir);
        if (ret < 0) {
            goto out;
        }
        rc.c = c;
        cnd_analyzer_complaints_only(c->an, 1);   /* other posts are only counted */
        rc.targets = &targets;
        rc.st = st;
        rc.agg = cnd_agg_new(state_dir, &err);
        if (rc.agg != NULL) {
            rc.once = cnd_once_new(rc.agg, state_dir, &err);
        }
        inputs = cnd_calloc(sources.n, sizeof(*inputs));
        if (rc.once == NULL || rc.agg == NULL || inputs == NULL) {
            ret = rc.agg == NULL && err ? err : CND_ENOMEM;
            cnd_free(inputs);
            goto out;
        }
        for (i = 0; ret == 0 && i < segments.n; i++) {
            const char *slash = strchr(segments.s[i], '/');
            char name[256];
            long input;

            if (stop && *stop) {
                ret = CND_ESTOP;
                break;
            }
            if (shard != NULL) {
                snprintf(name, sizeof(name), "archive/%.*s", (int)(slash - segments.s[i]),
                         segments.s[i]);
                input = strset_find(&all_inputs, name);
            } else {
                snprintf(name, sizeof(name), "%.*s", (int)(slash - segments.s[i]),
                         segments.s[i]);
                input = strset_find(&sources, name);
            }
            ret = read_segment(c, segments.s[i], input < 0 ? 0 : (size_t)input, rebuild_post,
                               &rc, st, 1);
            if (ret == CND_ENOENT) {
                cnd_log(CND_LOG_ERROR, "run", "segment '%s' disappeared during the rebuild",
                        segments.s[i]);
                ret = CND_EIO;
            }
        }
        if (ret == 0) {
            struct cnd_once_counts counts;

            cnd_once_on_counted(rc.once, rebuild_counted, &rc);
            ret = cnd_once_settle(rc.once, &counts);
        }
        if (ret == 0 && shard != NULL) {
            ret = write_parts(c, shard, &targets, &all_inputs, rc.agg, stop);
        } else if (ret == 0) {
            char (*names)[300] = cnd_calloc(sources.n ? sources.n : 1, sizeof(*names));

            if (names == NULL) {
                ret = CND_ENOMEM;
            } else {
                for (i = 0; i < sources.n; i++) {
                    snprintf(names[i], sizeof(names[i]), "archive/%s", sources.s[i]);
                    inputs[i] = names[i];
                }
                memset(&meta, 0, sizeof(meta));
                meta.lexicon_version = cnd_lexicon_version(c->lex);
                meta.timezone = c->cfg.timezone;
                meta.inputs = inputs;
                meta.n_inputs = sources.n;
                ret = cnd_agg_write(rc.agg, data_dir, &meta);
                if (ret < 0) {
                    cnd_log(CND_LOG_ERROR, "run", "cannot write the daily files under '%s': %s",
                            data_dir, cnd_strerror(ret));
                }
                cnd_free(names);
            }
        }
        cnd_free(inputs);
        if (ret < 0) {
            goto out;
        }
        st->days = cnd_malloc(targets.n * sizeof(*st->days));
        if (st->days == NULL) {
            ret = CND_ENOMEM;
            goto out;
        }
        memcpy(st->days, targets.d, targets.n * sizeof(*st->days));
        st->days_rebuilt = targets.n;
    }

    /* 5. Commit the index: these segments are now in published days. */
    if (ret == 0 && fresh) {
        char days_dir[4200];

        snprintf(days_dir, sizeof(days_dir), "%s/days", root);
        ret = write_state(days_dir, marker, &mark);
    }
    for (i = 0; ret == 0 && i < scan.n; i++) {
        if (scan.f[i].changed) {
            ret = idx_save(root, &scan.f[i], yesterday);
        }
    }
out:
    free_names(all_inputs.s, all_inputs.n);
    cnd_buf_release(&mark);
    for (i = 0; lists && i < affected.n; i++) {
        daylist_release(&lists[i]);
    }
    cnd_free(lists);
    free_names(segments.s, segments.n);
    free_names(sources.s, sources.n);
    cnd_free(affected.d);
    cnd_free(targets.d);
    cnd_buf_release(&rc.line);
    cnd_agg_free(rc.agg);
    cnd_once_free(rc.once);
    scan_release(&scan);
    return ret;
}

/* ---- Retention ---- */

int cli_prune(const char *data_dir, const char *before, int dry_run, struct cli_prune_stats *st)
{
    char dir[4096], sub[4400], path[4700], rel[4800], yesterday[11], root[4000];
    char **sources = NULL, **days = NULL, **segs = NULL;
    size_t n_sources = 0, n_days = 0, n_segs = 0, i, j, k, m;
    int ret;

    memset(st, 0, sizeof(*st));
    utc_day(1, yesterday);
    snprintf(root, sizeof(root), "%s/state", data_dir);
    snprintf(dir, sizeof(dir), "%s/archive", data_dir);
    ret = list_dir(dir, is_dir_name, &sources, &n_sources);
    for (i = 0; ret == 0 && i < n_sources; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", dir, sources[i]);
        ret = list_dir(sub, is_day_name, &days, &n_days);
        for (j = 0; ret == 0 && j < n_days && strcmp(days[j], before) < 0; j++) {
            struct fday f;
            int removed = 0, left = 0;

            ret = idx_load(root, sources[i], days[j], &f);
            snprintf(path, sizeof(path), "%s/%s", sub, days[j]);
            if (ret == 0) {
                ret = list_dir(path, is_segment, &segs, &n_segs);
            }
            for (k = 0; ret == 0 && k < n_segs; k++) {
                char file[4900];
                struct stat stb;
                struct seg *s = fday_find(&f, segs[k]);

                snprintf(file, sizeof(file), "%s/%s", path, segs[k]);
                if (stat(file, &stb) != 0) {
                    continue;
                }
                if (s == NULL || s->size != (int64_t)stb.st_size ||
                    s->mtime != (int64_t)stb.st_mtim.tv_sec * 1000000000 + stb.st_mtim.tv_nsec) {
                    st->kept_unbuilt++;   /* not in published days yet */
                    left++;
                    if (s) {
                        s->on_disk = 1;
                    }
                    continue;
                }
                if (dry_run) {
                    st->removed++;
                    st->bytes += (uint64_t)stb.st_size;
                    s->on_disk = 1;
                    continue;
                }
                /* Mark the days first: a crash then leaves them sealed, never wrong. */
                snprintf(rel, sizeof(rel), "%s/%s/%s", sources[i], days[j], segs[k]);
                for (m = 0; ret == 0 && m < s->days.n; m++) {
                    struct daylist d;

                    ret = daylist_load(root, s->days.c[m].day, 0, &d);
                    if (ret == 0) {
                        ret = daylist_add(&d, rel, 1);
                    }
                    if (ret == 0 && d.changed) {
                        ret = daylist_save(root, &d);
                    }
                    daylist_release(&d);
                }
                if (ret < 0) {
                    break;
                }
                if (unlink(file) != 0) {
                    cnd_log(CND_LOG_ERROR, "prune", "cannot remove '%s': %s", file,
                            strerror(errno));
                    ret = CND_EIO;
                    break;
                }
                st->removed++;
                st->bytes += (uint64_t)stb.st_size;
                removed++;
                s->on_disk = 0;
            }
            free_names(segs, n_segs);
            segs = NULL;
            n_segs = 0;
            if (ret == 0 && removed) {
                char idir[4096], ipath[4200];

                if (left == 0) {
                    /* Nothing left of that fetch day: drop its index and directory. */
                    idx_paths(root, sources[i], days[j], idir, sizeof(idir), ipath,
                              sizeof(ipath));
                    if (unlink(ipath) != 0 && errno != ENOENT) {
                        ret = CND_EIO;
                    }
                    rmdir(path);
                } else {
                    ret = idx_save(root, &f, yesterday);
                }
            }
            fday_release(&f);
        }
        free_names(days, n_days);
        days = NULL;
        snprintf(sub, sizeof(sub), "%s/%s", dir, sources[i]);
        if (!dry_run) {
            rmdir(sub);   /* only when empty */
        }
    }
    free_names(sources, n_sources);
    return ret;
}
