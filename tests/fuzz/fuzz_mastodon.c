/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the mastodon adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "mastodon"
#define FUZZ_OPTS { "tag=x", NULL }
#define FUZZ_CURSOR "min_id=1"
#include "tests/fuzz/fuzz_common.h"
