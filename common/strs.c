/* SPDX-License-Identifier: MIT */
/* Sorted arrays of strings (see strs.h). */
#include <string.h>

#include "common/strs.h"

long cnd_strs_find(const char *const *v, size_t n, const char *s)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid], s);

        if (c == 0) {
            return (long)mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1 - (long)lo;
}
