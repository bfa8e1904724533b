/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the lemmy adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "lemmy"
#define FUZZ_OPTS { "limit=2", NULL }
#define FUZZ_CURSOR "since=1000&page_cursor=x&newest=1500"
#include "tests/fuzz/fuzz_common.h"
