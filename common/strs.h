/* SPDX-License-Identifier: MIT */
/*
 * Sorted arrays of strings (byte order, as strcmp): the lookup that the
 * run's segment index and the report's name tables share.
 */
#ifndef CND_STRS_H
#define CND_STRS_H

#include <stddef.h>

/*
 * Binary search for "s" among the "n" sorted strings "v". Returns its
 * index, or -1 - (where it would be inserted) when it is not there.
 */
long cnd_strs_find(const char *const *v, size_t n, const char *s);

#endif
