/* SPDX-License-Identifier: MIT */
/*
 * Tests of the data directory lock (common/lock.c): a second taker gets
 * CND_ELOCK with the holder's pid, also within one process; a holder
 * killed with SIGKILL leaves a lock the next taker gets at once (no stale
 * pid file); a bounded wait gives up after about its time; an unbounded
 * wait gets the lock when the holder exits; a missing directory is
 * CND_EIO; the descriptor does not leak into exec'd programs; shared
 * holders coexist and exclude an exclusive taker (and the other way round).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "common/lock.h"
#include "common/log.h"
#include "check.h"

static char dir[64];
static char path[128];

static void setup(void)
{
    strcpy(dir, "/tmp/cnd-lock-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/.lock", dir);
}

static void teardown(void)
{
    unlink(path);
    rmdir(dir);
}

static long ms_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (long)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Forks a child that takes the lock, writes one byte to "fd", then sleeps "ms" and exits. */
static pid_t holder_child(int fd, long ms)
{
    pid_t pid = fork();

    if (pid == 0) {
        struct cnd_lock lk;

        cnd_lock_init(&lk);
        if (cnd_lock_take(&lk, path, 0, NULL) != 0) {
            _exit(3);
        }
        if (write(fd, "x", 1) != 1) {
            _exit(4);
        }
        usleep((useconds_t)ms * 1000);
        _exit(0);
    }
    return pid;
}

static void test_exclusive_in_process(void)
{
    struct cnd_lock a, b;
    long holder = -1;
    char text[32];
    FILE *f;

    setup();
    cnd_lock_init(&a);
    cnd_lock_init(&b);
    CHECK_INT(cnd_lock_take(&a, path, 0, NULL), 0);
    CHECK(a.fd >= 0);
    /* Taking a held lock again on the same struct is a programming error. */
    CHECK_INT(cnd_lock_take(&a, path, 0, NULL), CND_EINVAL);
    CHECK_INT(cnd_lock_take(&b, path, 0, &holder), CND_ELOCK);
    CHECK_INT(b.fd, -1);
    CHECK_INT(holder, getpid());
    /* The file names the holder, for people. */
    f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) {
        CHECK(fgets(text, sizeof(text), f) != NULL);
        CHECK_INT(atol(text), getpid());
        fclose(f);
    }
    cnd_lock_release(&a);
    CHECK_INT(a.fd, -1);
    cnd_lock_release(&a);       /* twice is fine */
    cnd_lock_release(NULL);
    CHECK_INT(cnd_lock_take(&b, path, 0, NULL), 0);
    cnd_lock_release(&b);
    teardown();
}

static void test_killed_holder_frees_lock(void)
{
    struct cnd_lock lk;
    int fds[2];
    char c;
    pid_t pid;
    int status;
    long holder = 0;

    setup();
    cnd_lock_init(&lk);
    CHECK_INT(pipe(fds), 0);
    pid = holder_child(fds[1], 60000);
    CHECK(pid > 0);
    CHECK_INT(read(fds[0], &c, 1), 1);
    CHECK_INT(cnd_lock_take(&lk, path, 0, &holder), CND_ELOCK);
    CHECK_INT(holder, pid);
    CHECK_INT(kill(pid, SIGKILL), 0);
    CHECK_INT(waitpid(pid, &status, 0), pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    /* The pid file still names the dead process, and does not matter. */
    CHECK_INT(cnd_lock_take(&lk, path, 0, NULL), 0);
    cnd_lock_release(&lk);
    close(fds[0]);
    close(fds[1]);
    teardown();
}

static void test_bounded_wait_gives_up(void)
{
    struct cnd_lock lk;
    int fds[2];
    char c;
    pid_t pid;
    struct timespec t0;
    long took;

    setup();
    cnd_lock_init(&lk);
    CHECK_INT(pipe(fds), 0);
    pid = holder_child(fds[1], 5000);
    CHECK_INT(read(fds[0], &c, 1), 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(cnd_lock_take(&lk, path, 300, NULL), CND_ELOCK);
    took = ms_since(&t0);
    CHECK_MSG(took >= 290 && took < 2000, "waited %ld ms for a 300 ms wait", took);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close(fds[0]);
    close(fds[1]);
    teardown();
}

static void test_wait_gets_lock_when_holder_exits(void)
{
    struct cnd_lock lk;
    int fds[2];
    char c;
    pid_t pid;
    struct timespec t0;
    long took;
    int status;

    setup();
    cnd_lock_init(&lk);
    CHECK_INT(pipe(fds), 0);
    pid = holder_child(fds[1], 300);
    CHECK_INT(read(fds[0], &c, 1), 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_INT(cnd_lock_take(&lk, path, -1, NULL), 0);
    took = ms_since(&t0);
    CHECK_MSG(took >= 150 && took < 3000, "got the lock after %ld ms", took);
    CHECK_INT(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    cnd_lock_release(&lk);
    close(fds[0]);
    close(fds[1]);
    teardown();
}

static void test_close_on_exec(void)
{
    struct cnd_lock lk;
    int flags;

    setup();
    cnd_lock_init(&lk);
    CHECK_INT(cnd_lock_take(&lk, path, 0, NULL), 0);
    flags = fcntl(lk.fd, F_GETFD);
    CHECK(flags >= 0 && (flags & FD_CLOEXEC));
    cnd_lock_release(&lk);
    teardown();
}

static void test_missing_dir_is_eio(void)
{
    struct cnd_lock lk;
    int level = cnd_log_level;

    setup();
    cnd_lock_init(&lk);
    cnd_log_set_level(-1);    /* the expected error line is not noise for the log */
    CHECK_INT(cnd_lock_take(&lk, "/tmp/cnd-lock-no-such-dir/x/.lock", 0, NULL), CND_EIO);
    cnd_log_set_level(level);
    CHECK_INT(errno, ENOENT);
    CHECK_INT(lk.fd, -1);
    teardown();
}

/* Shared holders coexist; an exclusive taker is refused while any holds it, and excludes them. */
static void test_shared_and_exclusive(void)
{
    struct cnd_lock s1, s2, x;
    long holder = -1;

    setup();
    cnd_lock_init(&s1);
    cnd_lock_init(&s2);
    cnd_lock_init(&x);
    CHECK_INT(cnd_lock_take_shared(&s1, path, 0, NULL), 0);
    CHECK_INT(cnd_lock_take_shared(&s2, path, 0, NULL), 0);
    CHECK_INT(cnd_lock_take(&x, path, 0, &holder), CND_ELOCK);
    CHECK_INT(holder, getpid());
    CHECK_INT(x.fd, -1);
    cnd_lock_release(&s1);
    /* One shared holder left is enough to keep the exclusive one out, also after a wait. */
    CHECK_INT(cnd_lock_take(&x, path, 120, NULL), CND_ELOCK);
    cnd_lock_release(&s2);
    CHECK_INT(cnd_lock_take(&x, path, 0, NULL), 0);
    CHECK_INT(cnd_lock_take_shared(&s1, path, 0, &holder), CND_ELOCK);
    CHECK_INT(holder, getpid());
    CHECK_INT(s1.fd, -1);
    cnd_lock_release(&x);
    CHECK_INT(cnd_lock_take_shared(&s1, path, 0, NULL), 0);
    cnd_lock_release(&s1);
    teardown();
}

/* A shared lock taken in another process also keeps an exclusive taker out until it dies. */
static void test_shared_holder_in_child(void)
{
    struct cnd_lock x;
    int fds[2];
    char c;
    pid_t pid;
    int status;

    setup();
    CHECK_INT(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        struct cnd_lock lk;

        cnd_lock_init(&lk);
        if (cnd_lock_take_shared(&lk, path, 0, NULL) != 0 || write(fds[1], "x", 1) != 1) {
            _exit(3);
        }
        pause();
        _exit(0);
    }
    CHECK(pid > 0);
    CHECK_INT((int)read(fds[0], &c, 1), 1);
    cnd_lock_init(&x);
    CHECK_INT(cnd_lock_take(&x, path, 0, NULL), CND_ELOCK);
    kill(pid, SIGKILL);
    CHECK_INT((int)waitpid(pid, &status, 0), (int)pid);
    CHECK_INT(cnd_lock_take(&x, path, 0, NULL), 0);
    cnd_lock_release(&x);
    close(fds[0]);
    close(fds[1]);
    teardown();
}

TEST_LIST = {
    { "shared_and_exclusive", test_shared_and_exclusive },
    { "shared_holder_in_child", test_shared_holder_in_child },
    { "exclusive_in_process", test_exclusive_in_process },
    { "killed_holder_frees_lock", test_killed_holder_frees_lock },
    { "bounded_wait_gives_up", test_bounded_wait_gives_up },
    { "wait_gets_lock_when_holder_exits", test_wait_gets_lock_when_holder_exits },
    { "close_on_exec", test_close_on_exec },
    { "missing_dir_is_eio", test_missing_dir_is_eio },
    { NULL, NULL },
};
