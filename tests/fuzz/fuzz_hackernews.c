/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the hackernews adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "hackernews"
#define FUZZ_OPTS { "limit=2", NULL }
#define FUZZ_CURSOR "since=1000&until=2000&newest=1500"
#include "tests/fuzz/fuzz_common.h"
