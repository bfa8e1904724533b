/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the generic_ndjson adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "generic"
#define FUZZ_OPTS { "url=https://x.test/a", "format=ndjson", "paging=link", NULL }
#define FUZZ_CURSOR "url=https%3A%2F%2Fx.test%2Fa%3Fp%3D2"
#include "tests/fuzz/fuzz_common.h"
