/* SPDX-License-Identifier: MIT */
/*
 * `candor merge`: rebuilds a day's daily files from the full set of its
 * shards' parts (DATA/parts/DAY/I-of-N/), never by adding one part to
 * what is already published, so a shard that was retried cannot count
 * twice. Every part of the day is loaded into a fresh aggregate and
 * checked (all N present, each whole, all made with the same shard
 * count, lexicon, candor version, time zone and inputs, no source in two
 * parts) before anything is written; the files are then written by the
 * same writer as an unsharded replay, so they are the same bytes.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/log.h"
#include "output/parts.h"

/* How many missing parts a message lists before "...". */
#define LIST_MISSING 8

struct found_part {
    uint32_t index, count;
};

/* Parses a part directory name "I-of-N" (plain decimals). Returns 0 or -1. */
static int parse_part_name(const char *name, struct found_part *out)
{
    unsigned long i = 0, n = 0;
    const char *p = name;
    int digits = 0;

    for (; *p >= '0' && *p <= '9' && digits < 6; p++, digits++) {
        i = i * 10 + (unsigned long)(*p - '0');
    }
    if (digits == 0 || (digits > 1 && name[0] == '0') || strncmp(p, "-of-", 4) != 0) {
        return -1;
    }
    p += 4;
    name = p;
    for (digits = 0; *p >= '0' && *p <= '9' && digits < 6; p++, digits++) {
        n = n * 10 + (unsigned long)(*p - '0');
    }
    if (digits == 0 || (digits > 1 && name[0] == '0') || *p != '\0' || n == 0 ||
        n > CND_SHARD_MAX || i >= n) {
        return -1;
    }
    out->index = (uint32_t)i;
    out->count = (uint32_t)n;
    return 0;
}

static int valid_day_name(const char *s)
{
    static const char shape[] = "dddd-dd-dd";
    size_t i;

    for (i = 0; i < 10; i++) {
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) {
            return 0;
        }
    }
    return s[10] == '\0';
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Lists the part directories of "dir" into "*parts" (malloced). Returns the count or < 0. */
static int list_parts(const char *dir, struct found_part **parts, size_t *n)
{
    struct found_part *list = NULL, fp;
    size_t count = 0, cap = 0;
    struct dirent *de;
    DIR *d = opendir(dir);

    *parts = NULL;
    *n = 0;
    if (d == NULL) {
        cnd_log(CND_LOG_ERROR, "merge", "cannot read directory '%s': %s", dir, strerror(errno));
        return errno == ENOENT ? CND_ENOENT : CND_EIO;
    }
    while ((de = readdir(d)) != NULL) {
        if (parse_part_name(de->d_name, &fp) < 0) {
            continue;   /* ".", "..", temporary directories, anything else */
        }
        if (count == cap) {
            size_t c = cap ? cap * 2 : 16;
            struct found_part *grown = cnd_realloc(list, c * sizeof(*grown));

            if (grown == NULL) {
                closedir(d);
                cnd_free(list);
                return CND_ENOMEM;
            }
            list = grown;
            cap = c;
        }
        list[count++] = fp;
    }
    closedir(d);
    *parts = list;
    *n = count;
    return 0;
}

/* Picks the shard count of "day" from its "n" parts. Returns it, or 0 (logged). */
static uint32_t pick_count(const char *day, const char *dir, const struct found_part *parts,
                           size_t n, uint32_t wanted)
{
    uint32_t first = 0, second = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (wanted != 0 && parts[i].count == wanted) {
            return wanted;
        }
        if (first == 0) {
            first = parts[i].count;
        } else if (parts[i].count != first && second == 0) {
            second = parts[i].count;
        }
    }
    if (wanted != 0) {
        cnd_log(CND_LOG_ERROR, "merge", "day %s: no part of %" PRIu32 " shards under '%s' "
                "(missing part 0-of-%" PRIu32 ")", day, wanted, dir, wanted);
        return 0;
    }
    if (second != 0) {
        cnd_log(CND_LOG_ERROR, "merge", "day %s: '%s' holds parts of %" PRIu32 " and of %" PRIu32
                " shards; pass --shards N or remove the stale ones", day, dir, first, second);
        return 0;
    }
    return first;
}

/* Checks that "b" (part "index") was made like "a" (part 0). Logs and returns CND_EINVAL if not. */
static int check_same(const char *day, const char *dir, uint32_t index, uint32_t count,
                      const struct cnd_part_info *a, const struct cnd_part_info *b)
{
    const char *what = NULL;

    if (b->shard.index != index || b->shard.count != count) {
        cnd_log(CND_LOG_ERROR, "merge", "day %s: part '%s/%" PRIu32 "-of-%" PRIu32 "' says it is "
                "shard %" PRIu32 " of %" PRIu32, day, dir, index, count, b->shard.index,
                b->shard.count);
        return CND_EINVAL;
    }
    if (strcmp(b->day, day) != 0) {
        what = "day";
    } else if (!same_str(a->lexicon_version, b->lexicon_version)) {
        what = "lexicon version";
    } else if (!same_str(a->candor_version, b->candor_version)) {
        what = "candor version";
    } else if (!same_str(a->timezone, b->timezone)) {
        what = "time zone";
    } else if (a->n_inputs != b->n_inputs || a->inputs_digest != b->inputs_digest) {
        what = "list of input files";
    }
    if (what != NULL) {
        cnd_log(CND_LOG_ERROR, "merge", "day %s: part '%s/%" PRIu32 "-of-%" PRIu32 "' has another "
                "%s than part 0-of-%" PRIu32 "; rerun every shard with the same inputs and "
                "lexicon", day, dir, index, count, what, count);
        return CND_EINVAL;
    }
    return 0;
}

struct owned_source {
    const char *name;
    uint32_t part;
};

static int owned_cmp(const void *pa, const void *pb)
{
    const struct owned_source *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);

    return c != 0 ? c : (a->part < b->part ? -1 : a->part > b->part);
}

/* A source counted in two parts means they overlap: refuse (CND_EINVAL). */
static int check_sources(const char *day, const struct cnd_part_info *info, uint32_t count)
{
    struct owned_source *all;
    size_t n = 0, i;
    uint32_t p;
    int ret = 0;

    for (p = 0; p < count; p++) {
        n += info[p].n_sources;
    }
    if (n < 2) {
        return 0;
    }
    all = cnd_malloc(n * sizeof(*all));
    if (all == NULL) {
        return CND_ENOMEM;
    }
    n = 0;
    for (p = 0; p < count; p++) {
        for (i = 0; i < info[p].n_sources; i++) {
            all[n].name = info[p].sources[i];
            all[n].part = p;
            n++;
        }
    }
    qsort(all, n, sizeof(*all), owned_cmp);
    for (i = 1; i < n && ret == 0; i++) {
        if (strcmp(all[i - 1].name, all[i].name) == 0) {
            cnd_log(CND_LOG_ERROR, "merge", "day %s: source '%s' is counted in part %" PRIu32
                    "-of-%" PRIu32 " and in part %" PRIu32 "-of-%" PRIu32, day, all[i].name,
                    all[i - 1].part, count, all[i].part, count);
            ret = CND_EINVAL;
        }
    }
    cnd_free(all);
    return ret;
}

/* Logs the parts of "day" missing from "have" (count bits). Returns how many. */
static size_t report_missing(const char *day, const char *dir, const unsigned char *have,
                             uint32_t count)
{
    struct cnd_buf list;
    size_t missing = 0;
    uint32_t i;

    cnd_buf_init(&list, 0);
    for (i = 0; i < count; i++) {
        if (have[i]) {
            continue;
        }
        if (missing < LIST_MISSING) {
            if (cnd_buf_addf(&list, "%s%" PRIu32 "-of-%" PRIu32, missing ? ", " : "", i,
                             count) < 0) {
                break;
            }
        }
        missing++;
    }
    if (missing > 0) {
        cnd_log(CND_LOG_ERROR, "merge", "day %s: missing part%s %s%s under '%s'; nothing "
                "published for this day", day, missing == 1 ? "" : "s",
                list.data ? list.data : "", missing > LIST_MISSING ? ", ..." : "", dir);
    }
    cnd_buf_release(&list);
    return missing;
}

/* Loads every part of "day" into a fresh aggregate and writes the day. */
static int merge_day(const char *data_dir, const char *day, const struct cnd_merge_opts *opts)
{
    struct cnd_part_info *info = NULL;
    struct found_part *parts = NULL;
    unsigned char *have = NULL;
    const char **names = NULL;
    struct cnd_agg *agg = NULL;
    struct cnd_agg_meta meta;
    struct cnd_buf dir, path;
    size_t n_parts = 0, i;
    uint32_t count = 0, p, loaded = 0;
    int ret, err = 0;

    cnd_buf_init(&dir, 0);
    cnd_buf_init(&path, 0);
    ret = cnd_buf_addf(&dir, "%s/parts/%s", data_dir, day);
    if (ret == 0) {
        ret = list_parts(dir.data, &parts, &n_parts);
    }
    if (ret == 0) {
        count = pick_count(day, dir.data, parts, n_parts, opts->shards);
        ret = count ? 0 : (n_parts ? CND_EINVAL : CND_ENOENT);
        if (count == 0 && n_parts == 0) {
            cnd_log(CND_LOG_ERROR, "merge", "day %s: no parts under '%s'", day, dir.data);
        }
    }
    if (ret == 0) {
        have = cnd_calloc(count, 1);
        info = cnd_calloc(count, sizeof(*info));
        agg = cnd_agg_new(data_dir, &err);
        ret = have && info ? (agg ? 0 : err) : CND_ENOMEM;
    }
    for (i = 0; ret == 0 && i < n_parts; i++) {
        if (parts[i].count == count) {
            have[parts[i].index] = 1;
        }
    }
    if (ret == 0 && report_missing(day, dir.data, have, count) > 0) {
        ret = CND_ENOENT;
    }
    for (p = 0; ret == 0 && p < count; p++) {
        if (opts->stop != NULL && opts->stop()) {
            ret = CND_ESTOP;
            break;
        }
        cnd_buf_reset(&path);
        ret = cnd_buf_addf(&path, "%s/%" PRIu32 "-of-%" PRIu32 "/part.txt.gz", dir.data, p, count);
        if (ret == 0) {
            ret = cnd_part_load(path.data, agg, &info[p]);
            loaded = p + 1;
            if (ret == CND_ENOENT) {
                cnd_log(CND_LOG_ERROR, "merge", "corrupt part '%s/%" PRIu32 "-of-%" PRIu32 "': "
                        "no part.txt.gz in it", dir.data, p, count);
                ret = CND_EPARSE;
            }
        }
        if (ret == 0) {
            ret = check_same(day, dir.data, p, count, &info[0], &info[p]);
        }
    }
    if (ret == 0) {
        ret = check_sources(day, info, count);
    }
    if (ret == 0 && info[0].n_inputs > 0) {
        names = cnd_calloc((size_t)info[0].n_inputs, sizeof(*names));
        ret = names ? 0 : CND_ENOMEM;
        for (p = 0; ret == 0 && p < count; p++) {
            for (i = 0; i < (size_t)info[p].n_inputs; i++) {
                if (info[p].inputs[i] != NULL) {
                    names[i] = info[p].inputs[i];
                }
            }
        }
    }
    if (ret == 0 && opts->stop != NULL && opts->stop()) {
        ret = CND_ESTOP;
    }
    if (ret == 0) {
        memset(&meta, 0, sizeof(meta));
        meta.lexicon_version = info[0].lexicon_version;
        meta.timezone = info[0].timezone;
        meta.candor_version = info[0].candor_version;
        meta.inputs = names;
        meta.n_inputs = (size_t)info[0].n_inputs;
        ret = cnd_agg_write(agg, data_dir, &meta);
    }
    for (p = 0; p < loaded; p++) {
        cnd_part_info_release(&info[p]);
    }
    cnd_free(names);
    cnd_free(info);
    cnd_free(have);
    cnd_free(parts);
    cnd_agg_free(agg);
    cnd_buf_release(&dir);
    cnd_buf_release(&path);
    return ret;
}

int cnd_merge(const char *data_dir, const struct cnd_merge_opts *opts, struct cnd_merge_stats *st)
{
    struct cnd_buf path;
    char **days = NULL;
    size_t n_days = 0, cap = 0, i;
    struct dirent *de;
    DIR *d;
    int ret = 0;

    memset(st, 0, sizeof(*st));
    cnd_buf_init(&path, 0);
    if (cnd_buf_addf(&path, "%s/parts", data_dir) < 0) {
        return CND_ENOMEM;
    }
    d = opendir(path.data);
    if (d == NULL) {
        int e = errno;

        cnd_buf_release(&path);
        if (e == ENOENT) {
            return 0;
        }
        cnd_log(CND_LOG_ERROR, "merge", "cannot read directory '%s/parts': %s", data_dir,
                strerror(e));
        return CND_EIO;
    }
    while ((de = readdir(d)) != NULL) {
        if (strlen(de->d_name) != 10 || !valid_day_name(de->d_name) ||
            (opts->from && strcmp(de->d_name, opts->from) < 0) ||
            (opts->to && strcmp(de->d_name, opts->to) > 0)) {
            continue;
        }
        if (n_days == cap) {
            size_t c = cap ? cap * 2 : 32;
            char **grown = cnd_realloc(days, c * sizeof(*grown));

            if (grown == NULL) {
                ret = CND_ENOMEM;
                break;
            }
            days = grown;
            cap = c;
        }
        days[n_days] = cnd_strdup(de->d_name);
        if (days[n_days] == NULL) {
            ret = CND_ENOMEM;
            break;
        }
        n_days++;
    }
    closedir(d);
    if (n_days > 1) {
        qsort(days, n_days, sizeof(*days), str_cmp);
    }
    /* Temporary files of killed writers in the output directories. */
    for (i = 0; ret == 0 && i < 2; i++) {
        cnd_buf_reset(&path);
        if (cnd_buf_addf(&path, "%s/%s", data_dir, i ? "complaints" : "daily") == 0) {
            cnd_sweep_tmp(path.data);
        }
    }
    for (i = 0; ret == 0 && i < n_days; i++) {
        int r;

        if (opts->stop != NULL && opts->stop()) {
            ret = CND_ESTOP;
            break;
        }
        r = merge_day(data_dir, days[i], opts);
        if (r == 0) {
            st->days_merged++;
        } else if (r == CND_EPARSE || r == CND_ENOENT || r == CND_EINVAL) {
            st->days_refused++;
        } else {
            ret = r;
        }
    }
    for (i = 0; i < n_days; i++) {
        cnd_free(days[i]);
    }
    cnd_free(days);
    cnd_buf_release(&path);
    if (ret == 0 && st->days_refused > 0) {
        ret = CND_EPARSE;
    }
    return ret;
}
