/* SPDX-License-Identifier: MIT */
/*
 * A tiny unit-test harness. A test file defines functions and a table:
 *
 *   static void test_foo(void) { CHECK(1 + 1 == 2); CHECK_STR(a, "x"); }
 *   TEST_LIST = { { "foo", test_foo }, { NULL, NULL } };
 *
 * and includes this header once. `./test_x` runs all tests, `./test_x NAME`
 * one. Every failed check prints FILE:LINE and the expression; the process
 * exits 1 when any check failed. The last line is "N passed, N failed".
 */
#ifndef CND_CHECK_H
#define CND_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct check_test {
    const char *name;
    void (*fn)(void);
};

extern const struct check_test check_list[];
#define TEST_LIST const struct check_test check_list[]

static int check_failed_in_test;
static unsigned long check_count;

#define CHECK_(cond, ...)                                                     \
    do {                                                                      \
        check_count++;                                                        \
        if (!(cond)) {                                                        \
            check_failed_in_test++;                                           \
            fprintf(stderr, "%s:%d: check failed: ", __FILE__, __LINE__);     \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
        }                                                                     \
    } while (0)

#define CHECK(cond) CHECK_((cond), "%s", #cond)
#define CHECK_MSG(cond, ...) CHECK_((cond), __VA_ARGS__)
#define CHECK_INT(a, b)                                                       \
    do {                                                                      \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);       \
        CHECK_(check_a_ == check_b_, "%s == %s (%lld != %lld)", #a, #b,       \
               check_a_, check_b_);                                           \
    } while (0)
#define CHECK_STR(a, b)                                                       \
    do {                                                                      \
        const char *check_a_ = (a), *check_b_ = (b);                          \
        CHECK_(check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0,       \
               "%s == %s (\"%s\" != \"%s\")", #a, #b,                         \
               check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
    } while (0)
#define CHECK_MEM(a, alen, b)                                                 \
    do {                                                                      \
        const char *check_a_ = (a), *check_b_ = (b);                          \
        size_t check_al_ = (alen);                                            \
        CHECK_(check_a_ && check_b_ && check_al_ == strlen(check_b_) &&       \
               memcmp(check_a_, check_b_, check_al_) == 0,                    \
               "%s == %s (\"%.*s\" != \"%s\")", #a, #b, (int)check_al_,       \
               check_a_ ? check_a_ : "", check_b_ ? check_b_ : "(null)");     \
    } while (0)

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, ran = 0;
    const struct check_test *t;

    for (t = check_list; t->name; t++) {
        if (argc > 1 && strcmp(argv[1], t->name) != 0) {
            continue;
        }
        ran++;
        check_failed_in_test = 0;
        t->fn();
        if (check_failed_in_test) {
            fprintf(stderr, "FAIL %s (%d checks failed)\n", t->name, check_failed_in_test);
            failed++;
        } else {
            printf("ok   %s\n", t->name);
            passed++;
        }
    }
    if (ran == 0) {
        fprintf(stderr, "no test named '%s'\n", argc > 1 ? argv[1] : "");
        return 1;
    }
    printf("%d passed, %d failed (%lu checks)\n", passed, failed, check_count);
    return failed ? 1 : 0;
}

#endif
