/* SPDX-License-Identifier: MIT */
/* Allocation wrappers with failure injection for tests. */
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"

static unsigned long alloc_count;
static unsigned long alloc_fail_at;

static int should_fail(void)
{
    alloc_count++;
    return alloc_fail_at != 0 && alloc_count >= alloc_fail_at;
}

unsigned long cnd_alloc_fail_at(unsigned long n)
{
    unsigned long made = alloc_count;

    alloc_count = 0;
    alloc_fail_at = n;
    return made;
}

void *cnd_malloc(size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(size ? size : 1);
}

void *cnd_calloc(size_t n, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return calloc(n ? n : 1, size ? size : 1);
}

void *cnd_realloc(void *ptr, size_t size)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(ptr, size ? size : 1);
}

char *cnd_strndup(const char *s, size_t len)
{
    char *copy = cnd_malloc(len + 1);

    if (copy == NULL) {
        return NULL;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *cnd_strdup(const char *s)
{
    return cnd_strndup(s, strlen(s));
}

void cnd_free(void *ptr)
{
    free(ptr);
}
