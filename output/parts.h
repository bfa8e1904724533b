/* SPDX-License-Identifier: MIT */
/*
 * Shards and their partial files. A sharded run (`--shard I/N`) counts
 * only the posts whose (source, day) pair falls in its shard:
 *
 *   shard(source, day) = FNV-1a-64(source bytes, 0x1f, "YYYY-MM-DD") mod N
 *
 * (FNV-1a 64: offset basis 0xcbf29ce484222325, prime 0x100000001b3, over
 * bytes, so the same on every machine). A row of the daily files is per
 * source and day, so it lives whole in one shard.
 *
 * Instead of the daily files, a shard writes for every day it saw
 *
 *   DATA/parts/DAY/I-of-N/part.txt.gz
 *
 * a gzip text file (the format is at the top of parts.c) holding what an
 * exact merge needs: rows with their author hashes and every rule count,
 * sources, contributing inputs, complaint lines with their sort keys and
 * the header facts. The file is written atomically inside a temporary
 * directory, and the directory is published by rename(2) (swapped in
 * atomically over an older one), so a part is complete or absent. Its
 * bytes depend only on the inputs and the lexicon: a rerun gives the same.
 */
#ifndef CND_PARTS_H
#define CND_PARTS_H

#include <stddef.h>
#include <stdint.h>

#include "output/output.h"

/* Shards are numbered 0 .. count-1; count 0 means "not sharded". */
#define CND_SHARD_MAX 65536u

struct cnd_shard {
    uint32_t index;
    uint32_t count;
};

/*
 * Parses "spec": "I/N" with 0 <= I < N <= CND_SHARD_MAX, or "auto/N"
 * where I comes from $SLURM_ARRAY_TASK_ID, else $JOB_COMPLETION_INDEX.
 * Returns 0, or CND_EINVAL with a one-line reason in "msg".
 */
int cnd_shard_parse(const char *spec, struct cnd_shard *out, char *msg, size_t msg_size);

/* The shard (0 .. count-1) of the pair ("source", "len" bytes; "day"). */
uint32_t cnd_shard_of(const char *source, size_t len, const char *day, uint32_t count);

/* FNV-1a 64 of "len" bytes, continuing from "h" (start with CND_FNV_BASIS). */
#define CND_FNV_BASIS 0xcbf29ce484222325ULL
uint64_t cnd_fnv1a64(const void *data, size_t len, uint64_t h);

/*
 * Writes day number "day" of "agg" as shard "shard"'s part under
 * "data_dir" and publishes it (replacing an older copy of the same part).
 * "meta" gives the header facts; its "inputs" are all the inputs of the
 * run (the part keeps a digest of them and the names of those that
 * contributed). Stale temporary directories of the same part are removed
 * first. Returns 0, CND_EIO (logged, nothing published), CND_EINVAL or
 * CND_ENOMEM.
 */
int cnd_part_write(struct cnd_agg *agg, size_t day, const char *data_dir,
                   const struct cnd_shard *shard, const struct cnd_agg_meta *meta);

/* The header of a part, as loaded. Strings are malloced (NULL when absent). */
struct cnd_part_info {
    struct cnd_shard shard;
    char day[11];
    char *candor_version;
    char *lexicon_version;
    char *timezone;
    uint64_t n_inputs;             /* inputs of the run */
    uint64_t inputs_digest;        /* FNV-1a over their names, each with its NUL */
    char **inputs;                 /* [n_inputs]: names of contributing inputs, else NULL */
    char **sources;                /* the sources counted in this part */
    size_t n_sources;
    uint64_t rows, complaints;
};

/*
 * Reads the part file "path", checks it whole (header, counts, the end
 * line, the gzip trailer) and merges its contents into "agg" under its
 * day. Fills "info" (release it with cnd_part_info_release, also after a
 * failure). Returns 0; CND_EPARSE for a corrupt or truncated part (one
 * line "PATH:LINE: what" is logged); CND_ENOENT when it is missing;
 * CND_EIO on a read error; CND_ENOMEM. After a failure "agg" may hold
 * part of the file: throw it away.
 */
int cnd_part_load(const char *path, struct cnd_agg *agg, struct cnd_part_info *info);
void cnd_part_info_release(struct cnd_part_info *info);

/* ---- Merge (output/merge.c) ---- */

struct cnd_merge_opts {
    const char *from, *to;         /* day range (inclusive); NULL = open */
    uint32_t shards;               /* the shard count whose parts to use; 0 = the only one */
    int (*stop)(void);             /* polled between steps: nonzero = stop (CND_ESTOP) */
};

struct cnd_merge_stats {
    size_t days_merged;
    size_t days_refused;           /* missing, corrupt or inconsistent parts */
};

/*
 * Rebuilds daily/DAY.json.gz, daily/DAY.csv.gz and complaints/DAY.ndjson.gz
 * of "data_dir" for every day with parts (in the range), each from the full
 * set of its parts (never by adding to what is there). A day whose parts
 * are missing, corrupt or disagree (shard count, lexicon, inputs, a source
 * in two parts) is refused: logged once naming the part, nothing of it
 * written. Returns 0 when every day was merged, CND_EPARSE when some day
 * was refused (the others are written), CND_EIO / CND_ENOMEM on a failure,
 * CND_ESTOP when "opts->stop" asked to stop.
 */
int cnd_merge(const char *data_dir, const struct cnd_merge_opts *opts,
              struct cnd_merge_stats *st);

#endif
