/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the lemmy_comments adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "lemmy"
#define FUZZ_OPTS { "type=Comments", NULL }
#define FUZZ_CURSOR "since=1000&page=2&newest=1500"
#include "tests/fuzz/fuzz_common.h"
