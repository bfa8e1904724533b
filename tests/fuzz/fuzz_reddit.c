/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the reddit adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "reddit"
#define FUZZ_OPTS { "subreddit=x", NULL }
#define FUZZ_CURSOR "since=1000&after=t3_a&newest=t3_b"
#include "tests/fuzz/fuzz_common.h"
