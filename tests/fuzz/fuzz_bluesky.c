/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the bluesky adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "bluesky"
#define FUZZ_OPTS { "query=x", NULL }
#define FUZZ_CURSOR "since=2025-01-01T00%3A00%3A00Z&cursor=5&newest=2025-01-02T00%3A00%3A00Z"
#include "tests/fuzz/fuzz_common.h"
