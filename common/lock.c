/* SPDX-License-Identifier: MIT */
/*
 * The data directory's lock (see lock.h): open DATA/.lock close-on-exec,
 * flock(LOCK_EX | LOCK_NB) (LOCK_SH for the shared flavour), poll until
 * the deadline when asked to wait, then write our pid into the file for
 * people who look at it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/lock.h"
#include "common/log.h"

#define LOCK_POLL_MS 50

void cnd_lock_init(struct cnd_lock *lk)
{
    lk->fd = -1;
}

static long now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0;
    }
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        /* keep sleeping for what is left */
    }
}

/* The pid the holder wrote, or 0 when the file says nothing usable. */
static long read_holder(int fd)
{
    char text[32];
    ssize_t n;
    char *end;
    long pid;

    n = pread(fd, text, sizeof(text) - 1, 0);
    if (n <= 0) {
        return 0;
    }
    text[n] = '\0';
    pid = strtol(text, &end, 10);
    if (end == text || pid <= 0 || (*end != '\n' && *end != '\0')) {
        return 0;
    }
    return pid;
}

/* Replaces the file's content with our pid (informational only). */
static int write_pid(int fd)
{
    char text[32];
    int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());

    if (ftruncate(fd, 0) != 0) {
        return -1;
    }
    if (pwrite(fd, text, (size_t)len, 0) != (ssize_t)len) {
        if (errno == 0) {
            errno = EIO;
        }
        return -1;
    }
    return 0;
}

static int take(struct cnd_lock *lk, const char *path, long wait_ms, long *holder, int op)
{
    long deadline = wait_ms > 0 ? now_ms() + wait_ms : 0;
    int fd;

    if (holder) {
        *holder = 0;
    }
    if (lk->fd >= 0) {
        return CND_EINVAL;
    }
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        int e = errno;

        cnd_log(CND_LOG_ERROR, "lock", "cannot open '%s': %s", path, strerror(e));
        errno = e;
        return CND_EIO;
    }
    for (;;) {
        if (flock(fd, op | LOCK_NB) == 0) {
            break;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno != EWOULDBLOCK) {
            int e = errno;

            cnd_log(CND_LOG_ERROR, "lock", "cannot lock '%s': %s", path, strerror(e));
            close(fd);
            errno = e;
            return CND_EIO;
        }
        if (wait_ms == 0 || (wait_ms > 0 && now_ms() >= deadline)) {
            if (holder) {
                *holder = read_holder(fd);
            }
            close(fd);
            return CND_ELOCK;
        }
        if (wait_ms > 0) {
            long left = deadline - now_ms();

            sleep_ms(left < LOCK_POLL_MS ? (left > 0 ? left : 1) : LOCK_POLL_MS);
        } else {
            sleep_ms(LOCK_POLL_MS);
        }
    }
    /*
     * Shared holders write their pid too (the last one's stays): only
     * informational, and a pid of the same group is what a refused
     * exclusive taker wants to name.
     */
    if (write_pid(fd) != 0) {
        int e = errno;

        cnd_log(CND_LOG_ERROR, "lock", "cannot write '%s': %s", path, strerror(e));
        close(fd);   /* closing drops the lock */
        errno = e;
        return CND_EIO;
    }
    lk->fd = fd;
    return 0;
}

int cnd_lock_take(struct cnd_lock *lk, const char *path, long wait_ms, long *holder)
{
    return take(lk, path, wait_ms, holder, LOCK_EX);
}

int cnd_lock_take_shared(struct cnd_lock *lk, const char *path, long wait_ms, long *holder)
{
    return take(lk, path, wait_ms, holder, LOCK_SH);
}

void cnd_lock_release(struct cnd_lock *lk)
{
    if (lk == NULL || lk->fd < 0) {
        return;
    }
    /* The file keeps its last pid; a reader only trusts the flock. */
    close(lk->fd);
    lk->fd = -1;
}
