/* SPDX-License-Identifier: MIT */
/*
 * Checkpoints: where each source resumes, one small JSON file per source,
 *
 *   DATA/state/SOURCE.json
 *   {"source":"NAME","kind":"KIND","cursor":"min_id=..."|null,
 *    "updated_at":"ISO-8601Z","pages":N,"posts":N}
 *
 * replaced atomically (temporary file, fsync, rename, directory fsync).
 * The fetch driver saves a checkpoint only after the page it follows is
 * fsynced in the archive, so a crash loses nothing: at worst the last
 * page is fetched and archived again, and replay counts its posts once.
 */
#ifndef CND_CHECKPOINT_H
#define CND_CHECKPOINT_H

#include <stdint.h>

struct cnd_checkpoint {
    char *kind;               /* malloced; the adapter the cursor is for */
    char *cursor;             /* malloced; NULL = none */
    double updated_at;        /* UTC seconds */
    uint64_t pages;           /* pages archived, over all runs */
    uint64_t posts;           /* posts in them */
};

/* Sets "cp" empty. */
void cnd_checkpoint_init(struct cnd_checkpoint *cp);
/* Frees the strings; "cp" is empty again. */
void cnd_checkpoint_release(struct cnd_checkpoint *cp);

/*
 * The path of source "source"'s checkpoint under "data_dir" (malloced), or
 * NULL when out of memory.
 */
char *cnd_checkpoint_path(const char *data_dir, const char *source);

/*
 * Reads the checkpoint of "source" into "cp" (initialised by the caller).
 * Returns 0, CND_ENOENT when there is none, CND_EPARSE when the file is
 * not a checkpoint (logged with its path), CND_EIO, CND_ENOMEM.
 */
int cnd_checkpoint_load(const char *data_dir, const char *source, struct cnd_checkpoint *cp);

/*
 * Writes "cp" as the checkpoint of "source" (creating DATA/state when
 * needed). Returns 0, CND_EIO (logged; the old checkpoint stays), or
 * CND_ENOMEM.
 */
int cnd_checkpoint_save(const char *data_dir, const char *source,
                        const struct cnd_checkpoint *cp);

#endif
