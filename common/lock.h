/* SPDX-License-Identifier: MIT */
/*
 * One writer per data directory: an exclusive flock(2) on DATA/.lock
 * (or shared ones for the shards of one sharded run).
 * The kernel drops the lock when the holder's last descriptor closes,
 * which includes the process dying in any way (SIGKILL, OOM killer), so
 * there is no stale pid file to clean up and no pid to trust. The pid
 * written into the file is for people reading it ("held by pid N"), never
 * for deciding anything.
 *
 * flock locks belong to an open file description: two cnd_lock_take()
 * calls in one process on the same path conflict like two processes do.
 * The descriptor is close-on-exec, so programs we start never inherit
 * the lock. Local file systems only: flock over NFS is emulated with
 * fcntl locks on Linux and is not something to rely on.
 */
#ifndef CND_LOCK_H
#define CND_LOCK_H

/* The caller owns the struct; fd is -1 when no lock is held. */
struct cnd_lock {
    int fd;
};

/* Sets up a lock that holds nothing. */
void cnd_lock_init(struct cnd_lock *lk);

/*
 * Takes the exclusive lock on "path", creating the file (mode 0644) when
 * missing. "wait_ms" says how long to wait when another process holds
 * it: 0 not at all, a negative value forever, else at most that many
 * milliseconds (polling every 50 ms). Returns 0; CND_ELOCK when the lock
 * is still held by someone else at the end of the wait (the holder's pid,
 * when readable, goes to "*holder", else 0; "holder" may be NULL);
 * CND_EIO when the file cannot be opened, locked or written (errno kept).
 */
int cnd_lock_take(struct cnd_lock *lk, const char *path, long wait_ms, long *holder);

/*
 * Like cnd_lock_take, but a shared lock (flock LOCK_SH): any number of
 * shared holders at once, none while an exclusive one holds it and the
 * other way round. The shards of a sharded run share DATA/.lock this way
 * (each also holds its own DATA/.lock.I-of-N exclusively), so they run
 * together while an unsharded run or fetch excludes them all.
 */
int cnd_lock_take_shared(struct cnd_lock *lk, const char *path, long wait_ms, long *holder);

/* Drops the lock (closing the file; the file itself stays). NULL or an unheld lock is fine. */
void cnd_lock_release(struct cnd_lock *lk);

#endif
