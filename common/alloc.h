/* SPDX-License-Identifier: MIT */
/*
 * Every allocation goes through these wrappers so that tests can make the
 * Nth allocation fail (cnd_alloc_fail_at) and check that the code under
 * test reports CND_ENOMEM instead of crashing or leaking.
 */
#ifndef CND_ALLOC_H
#define CND_ALLOC_H

#include <stddef.h>

void *cnd_malloc(size_t size);
void *cnd_calloc(size_t n, size_t size);
void *cnd_realloc(void *ptr, size_t size);
/* Returns a malloced copy of "s" (or of its first "len" bytes, plus a NUL). */
char *cnd_strdup(const char *s);
char *cnd_strndup(const char *s, size_t len);
void cnd_free(void *ptr);

/*
 * Test hook: the "n"th allocation from now (1-based) and every later one
 * fail; 0 turns failure injection off. Returns how many allocations were
 * made since the last call.
 */
unsigned long cnd_alloc_fail_at(unsigned long n);

#endif
