/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: one NDJSON post line through the post reader, the
 * shipped lexicon's analyzer and the verdict writer, as `candor analyze`
 * runs them. A post that reads must analyze (or hit a limit) with evidence
 * spans inside its text, and its verdict must be one line of valid UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/postjson.h"
#include "common/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cnd_lexicon *lex;
static struct cnd_analyzer *an;
static struct cnd_postjson *pj;

static void setup(void)
{
    static char name[] = "Contoso Cable", alias[] = "#contoso";
    static char *aliases[] = { alias };
    struct cnd_brand brands[1] = { { name, aliases, 1 } };
    struct cnd_buf errs;
    int err = 0;

    cnd_buf_init(&errs, 1 << 16);
    lex = cnd_lexicon_load(CND_SRC_DIR "/lexicons/en.lex", &errs, &err);
    if (lex == NULL) {
        fprintf(stderr, "fuzz_post: cannot load the lexicon: %s\n", errs.data ? errs.data : "");
        abort();
    }
    cnd_buf_release(&errs);
    an = cnd_analyzer_new(lex, brands, 1, -1, &err);
    pj = cnd_postjson_new(NULL);
    if (an == NULL || pj == NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cnd_post post;
    struct cnd_verdict v;
    struct cnd_buf out;
    size_t k;
    int ret;

    if (lex == NULL) {
        setup();
    }
    if (cnd_postjson_parse(pj, (const char *)data, size, &post) < 0) {
        return 0;
    }
    ret = cnd_analyze_post(an, &post, &v);
    if (ret < 0 && ret != CND_ELIMIT) {
        return 0;
    }
    for (k = 0; k < v.n_evidence; k++) {
        if (v.evidence[k].start > v.evidence[k].end || v.evidence[k].end > post.text.len) {
            abort();
        }
    }
    cnd_buf_init(&out, 0);
    if (cnd_verdict_json(&v, &post, 1, &out) == 0) {
        if (memchr(out.data, '\n', out.len) != NULL ||
            !cnd_utf8_valid(out.data, out.len, NULL)) {
            abort();
        }
    }
    cnd_buf_release(&out);
    return 0;
}
