/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the generic adapter's parse() on arbitrary response bodies. */
#define FUZZ_KIND "generic"
#define FUZZ_OPTS { "url=https://x.test/a", "items=data.items", "cursor=data.next", "html=true", "fields.author=user.name", NULL }
#define FUZZ_CURSOR "cursor=abc"
#include "tests/fuzz/fuzz_common.h"
