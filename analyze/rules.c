/* SPDX-License-Identifier: MIT */
/*
 * The PCRE2 wrapper (the only file that includes pcre2.h): compiling the
 * lexicon's patterns (JIT when the system allows it, the interpreter
 * otherwise), turning phrases into patterns, and matching with safety
 * limits (match, depth and heap limits, a bounded JIT stack) so that a
 * hostile pattern or text costs a skipped rule, never a crash or a hang.
 * PCRE2's memory goes through cnd_malloc like everything else.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

#define CND_MATCH_LIMIT 100000u
#define CND_DEPTH_LIMIT 10000u
#define CND_HEAP_LIMIT_KIB 16384u
#define CND_JIT_STACK_START (32u * 1024u)
#define CND_JIT_STACK_MAX (512u * 1024u)

/*
 * Patterns run on the normalized text, which is ASCII-lowercased, so a
 * pattern made of lowercase ASCII needs no caseless matching (whose JIT
 * code is slower); one naming an uppercase ASCII letter or any non-ASCII
 * character (whose case the normalization keeps: "CAFÉ") is caseless.
 */
#define CND_RE_OPTIONS (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_UCP | PCRE2_USE_OFFSET_LIMIT)

/*
 * 1 when "pat" may match text whose case differs from its own: an uppercase
 * ASCII letter that is not an escape's letter, or a non-ASCII byte.
 */
static int needs_caseless(const char *pat, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)pat[i];

        if (c == '\\') {
            i++;
        } else if ((c >= 'A' && c <= 'Z') || c >= 0x80) {
            return 1;
        }
    }
    return 0;
}

struct cnd_re {
    pcre2_code *code;
    int jit;
};

struct cnd_matcher {
    pcre2_general_context *gctx;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
    pcre2_jit_stack *stack;
};

static void *pcre_alloc(PCRE2_SIZE size, void *data)
{
    (void)data;
    return cnd_malloc(size);
}

static void pcre_free(void *ptr, void *data)
{
    (void)data;
    cnd_free(ptr);
}

/* ---- Compiling ---- */

struct cnd_re *cnd_re_compile(const char *pat, size_t len, char *msg, size_t msgcap,
                              size_t *offset, int *err)
{
    pcre2_general_context *gctx = NULL;
    pcre2_compile_context *cctx = NULL;
    struct cnd_re *re = NULL;
    int errcode = 0;
    PCRE2_SIZE erroff = 0;

    if (msgcap > 0) {
        msg[0] = '\0';
    }
    *offset = 0;
    *err = CND_ENOMEM;
    gctx = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
    if (gctx == NULL) {
        goto fail;
    }
    cctx = pcre2_compile_context_create(gctx);
    if (cctx == NULL) {
        goto fail;
    }
    re = cnd_calloc(1, sizeof(*re));
    if (re == NULL) {
        goto fail;
    }
    re->code = pcre2_compile((PCRE2_SPTR)pat, len,
                             CND_RE_OPTIONS | (needs_caseless(pat, len) ? PCRE2_CASELESS : 0),
                             &errcode, &erroff, cctx);
    if (re->code == NULL) {
        if (errcode == PCRE2_ERROR_HEAP_FAILED) {
            goto fail;
        }
        *err = CND_EPARSE;
        *offset = erroff;
        if (msgcap > 0 && pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, msgcap) < 0) {
            snprintf(msg, msgcap, "pcre2 error %d", errcode);
        }
        goto fail;
    }
    /* JIT fails under write-xor-execute policies (and without memory): interpret. */
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    pcre2_compile_context_free(cctx);
    pcre2_general_context_free(gctx);
    *err = 0;
    return re;
fail:
    if (re != NULL) {
        pcre2_code_free(re->code);
        cnd_free(re);
    }
    pcre2_compile_context_free(cctx);
    pcre2_general_context_free(gctx);
    return NULL;
}

void cnd_re_free(struct cnd_re *re)
{
    if (re == NULL) {
        return;
    }
    pcre2_code_free(re->code);
    cnd_free(re);
}

int cnd_re_jitted(const struct cnd_re *re)
{
    return re->jit;
}

/* ---- Phrases ---- */

/* Characters that may separate two phrase words (not sentence ends, not '{'). */
#define SEPC "[^\\w.!?;\\n\\r{]"
/* Masked tokens of redacted text: XXXX, XX/XX/XXXX, {$500.00}. */
#define MASK "(?:x{2,}(?:/(?:x{2,}|\\d{1,4})){0,2}|\\{\\$[\\d,.]*\\})"
#define BETWEEN "(?:" SEPC "++(?:" MASK SEPC "++){0,2})"
#define GAP "(?:" SEPC "++(?:(?:[\\w']++|" MASK ")" SEPC "++){0,3})"

static int is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int add_word(struct cnd_buf *out, const char *w, size_t len, char *msg, size_t msgcap)
{
    size_t i, end = len;
    int star = 0, ret = 0;

    if (len > 0 && w[len - 1] == '*') {
        star = 1;
        end = len - 1;
    }
    if (end == 0) {
        snprintf(msg, msgcap, "'*' must follow a word");
        return CND_EPARSE;
    }
    for (i = 0; i < end; i++) {
        if (w[i] == '*') {
            snprintf(msg, msgcap, "'*' is allowed only at the end of a word ('%.*s')",
                     (int)len, w);
            return CND_EPARSE;
        }
    }
    if (is_word_byte((unsigned char)w[0])) {
        ret = cnd_buf_adds(out, "(?<!\\w)");
    }
    for (i = 0; i < end && ret == 0;) {
        unsigned char c = lower((unsigned char)w[i]);

        if (c >= 'a' && c <= 'z' && c != 'x') {
            size_t n = 1;

            while (i + n < end && lower((unsigned char)w[i + n]) == c) {
                n++;
            }
            ret = cnd_buf_addc(out, (char)c);
            if (ret == 0 && n > 1) {
                /* the text may hold fewer: runs of 3+ are collapsed to one */
                ret = cnd_buf_addf(out, "{1,%zu}", n);
            }
            i += n;
            continue;
        }
        if (c == '\'') {
            ret = cnd_buf_adds(out, "'?");
        } else if (c == '-') {
            ret = cnd_buf_adds(out, "[-\\s]?");
        } else if (c >= 0x80 || (c >= '0' && c <= '9') || c == 'x' || c == '_') {
            ret = cnd_buf_addc(out, (char)c);
        } else {
            ret = cnd_buf_addc(out, '\\');
            if (ret == 0) {
                ret = cnd_buf_addc(out, (char)c);
            }
        }
        i++;
    }
    if (ret == 0) {
        if (star) {
            ret = cnd_buf_adds(out, "\\w*");
        } else if (is_word_byte((unsigned char)w[end - 1])) {
            ret = cnd_buf_adds(out, "(?!\\w)");
        }
    }
    return ret;
}

int cnd_phrase_to_regex(const char *phrase, struct cnd_buf *out, char *msg, size_t msgcap)
{
    const char *p = phrase;
    int n_words = 0, gap = 0, ret;

    if (msgcap > 0) {
        msg[0] = '\0';
    }
    while (*p) {
        const char *w;
        size_t wl;

        while (*p == ' ' || *p == '\t') {
            p++;
        }
        w = p;
        while (*p && *p != ' ' && *p != '\t') {
            p++;
        }
        wl = (size_t)(p - w);
        if (wl == 0) {
            continue;
        }
        if (wl == 2 && w[0] == '.' && w[1] == '.') {
            if (n_words == 0 || gap) {
                snprintf(msg, msgcap, "'..' must stand between two words");
                return CND_EPARSE;
            }
            gap = 1;
            continue;
        }
        if (n_words > 0) {
            ret = cnd_buf_adds(out, gap ? GAP : BETWEEN);
            if (ret < 0) {
                return ret;
            }
        }
        gap = 0;
        ret = add_word(out, w, wl, msg, msgcap);
        if (ret < 0) {
            return ret;
        }
        n_words++;
    }
    if (n_words == 0) {
        snprintf(msg, msgcap, "empty phrase");
        return CND_EPARSE;
    }
    if (gap) {
        snprintf(msg, msgcap, "'..' must stand between two words");
        return CND_EPARSE;
    }
    return 0;
}

/* ---- Matching ---- */

struct cnd_matcher *cnd_matcher_new(void)
{
    struct cnd_matcher *m = cnd_calloc(1, sizeof(*m));

    if (m == NULL) {
        return NULL;
    }
    m->gctx = pcre2_general_context_create(pcre_alloc, pcre_free, NULL);
    if (m->gctx == NULL) {
        goto fail;
    }
    m->mctx = pcre2_match_context_create(m->gctx);
    m->md = pcre2_match_data_create(1, m->gctx);
    m->stack = pcre2_jit_stack_create(CND_JIT_STACK_START, CND_JIT_STACK_MAX, m->gctx);
    if (m->mctx == NULL || m->md == NULL || m->stack == NULL) {
        goto fail;
    }
    if (pcre2_set_match_limit(m->mctx, CND_MATCH_LIMIT) != 0 ||
        pcre2_set_depth_limit(m->mctx, CND_DEPTH_LIMIT) != 0 ||
        pcre2_set_heap_limit(m->mctx, CND_HEAP_LIMIT_KIB) != 0) {
        goto fail;
    }
    pcre2_jit_stack_assign(m->mctx, NULL, m->stack);
    return m;
fail:
    cnd_matcher_free(m);
    return NULL;
}

void cnd_matcher_free(struct cnd_matcher *m)
{
    if (m == NULL) {
        return;
    }
    pcre2_jit_stack_free(m->stack);
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mctx);
    pcre2_general_context_free(m->gctx);
    cnd_free(m);
}

int cnd_re_match(struct cnd_matcher *m, const struct cnd_re *re, const char *subj,
                 size_t len, size_t start, size_t *ms, size_t *me)
{
    return cnd_re_match_within(m, re, subj, len, start, SIZE_MAX, ms, me);
}

int cnd_re_match_within(struct cnd_matcher *m, const struct cnd_re *re, const char *subj,
                        size_t len, size_t start, size_t limit, size_t *ms, size_t *me)
{
    int rc;
    PCRE2_SIZE *ov;

    if (start > len || start > limit) {
        return 0;
    }
    if (pcre2_set_offset_limit(m->mctx, limit < len ? (PCRE2_SIZE)limit : PCRE2_UNSET) != 0) {
        return CND_ELIMIT;   /* documented never to fail */
    }
    /*
     * The JIT's fast path skips pcre2_match's checks of its arguments
     * (those above are ours); the patterns' PCRE2_MATCH_INVALID_UTF keeps
     * a subject that is not UTF-8 safe, and the match context's limits
     * and offset limit hold.
     */
    rc = re->jit ? pcre2_jit_match(re->code, (PCRE2_SPTR)subj, len, start, 0, m->md, m->mctx)
                 : pcre2_match(re->code, (PCRE2_SPTR)subj, len, start, 0, m->md, m->mctx);
    if (rc >= 0) {
        ov = pcre2_get_ovector_pointer(m->md);
        if (ov[0] > len || ov[1] > len || ov[1] < ov[0]) {
            /* \K in a lookahead can report end < start: take it as empty */
            *ms = ov[0] <= len ? ov[0] : len;
            *me = *ms;
            return 1;
        }
        *ms = ov[0];
        *me = ov[1];
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) {
        return 0;
    }
    if (rc == PCRE2_ERROR_NOMEMORY) {
        return CND_ENOMEM;
    }
    /* match, depth, heap or JIT stack limit, or anything unexpected: skip it */
    return CND_ELIMIT;
}
