/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the lexicon parser and compiler on arbitrary text
 * (hostile regexes included). A lexicon that compiles is run over a few
 * fixed posts: PCRE2's limits must stop runaway patterns, never a crash,
 * and every evidence span must lie inside the text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "common/buf.h"
#include "common/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const texts[] = {
    "They charged me twice and added a hidden fee nobody mentioned!!",
    "is this a scam? no hidden fees at all, love it",
    "Contoso Cable: \xe2\x80\x9c" "free install\xe2\x80\x9d then $99. XXXX XX/XX/XXXX {$500.00}",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
    "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char name[] = "Contoso Cable";
    struct cnd_brand brands[1] = { { name, NULL, 0 } };
    struct cnd_buf errs;
    struct cnd_lexicon *lex;
    struct cnd_analyzer *an;
    int err = 0;
    size_t i, k;

    if (size > 65536) {
        return 0;
    }
    cnd_buf_init(&errs, 1 << 16);
    lex = cnd_lexicon_parse("fuzz.lex", (const char *)data, size, &errs, &err);
    if (lex == NULL) {
        if (err == 0) {
            abort();
        }
        cnd_buf_release(&errs);
        return 0;
    }
    an = cnd_analyzer_new(lex, brands, 1, -1, &err);
    if (an != NULL) {
        for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
            struct cnd_post p;
            struct cnd_verdict v;

            memset(&p, 0, sizeof(p));
            p.id.ptr = "1";
            p.id.len = 1;
            p.text.ptr = texts[i];
            p.text.len = strlen(texts[i]);
            if (cnd_analyze_post(an, &p, &v) == CND_ENOMEM) {
                continue;
            }
            for (k = 0; k < v.n_evidence; k++) {
                if (v.evidence[k].start > v.evidence[k].end || v.evidence[k].end > p.text.len) {
                    abort();
                }
            }
        }
        cnd_analyzer_free(an);
    }
    cnd_lexicon_free(lex);
    cnd_buf_release(&errs);
    return 0;
}
