/* SPDX-License-Identifier: MIT */
/*
 * The literal prefilter: an Aho-Corasick automaton over bytes, built once
 * into a full DFA over a reduced alphabet (every byte that occurs in some
 * literal has its own class, ASCII letters folded, all other bytes share
 * class 0), so a scan is one table load per byte of text. Each rule,
 * negator and cue has one or more literals that any match must contain;
 * only patterns whose literal occurs are handed to PCRE2. Also here:
 * choosing those literals from phrases and regexes.
 */
#include <string.h>

#include "analyze/internal.h"
#include "common/alloc.h"
#include "common/err.h"

#define ACM_FLAG 0x80000000u
#define ACM_NONE 0xffffffffu

struct cnd_acm {
    /* literals as added, lowercased */
    char **lits;
    size_t *lens;
    size_t n_lits, cap_lits;
    /* built tables */
    unsigned char cls[256];
    size_t ncls;
    size_t n_states;
    uint32_t *table;     /* n_states * ncls entries: target*ncls, | ACM_FLAG if it reports */
    int32_t *out_first;  /* per state: first literal ending there, -1 */
    int32_t *out_next;   /* per literal: next literal ending in the same state, -1 */
    uint32_t *dict;      /* per state: nearest proper suffix state with output, 0 = none */
    int built;
};

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

struct cnd_acm *cnd_acm_new(void)
{
    return cnd_calloc(1, sizeof(struct cnd_acm));
}

void cnd_acm_free(struct cnd_acm *acm)
{
    size_t i;

    if (acm == NULL) {
        return;
    }
    for (i = 0; i < acm->n_lits; i++) {
        cnd_free(acm->lits[i]);
    }
    cnd_free(acm->lits);
    cnd_free(acm->lens);
    cnd_free(acm->table);
    cnd_free(acm->out_first);
    cnd_free(acm->out_next);
    cnd_free(acm->dict);
    cnd_free(acm);
}

int cnd_acm_add(struct cnd_acm *acm, const char *s, size_t len)
{
    size_t i, j;
    char *copy;

    if (len == 0 || acm->built || acm->n_lits >= 0x7fffffff) {
        return CND_EINVAL;
    }
    for (i = 0; i < acm->n_lits; i++) {
        if (acm->lens[i] != len) {
            continue;
        }
        for (j = 0; j < len; j++) {
            if ((unsigned char)acm->lits[i][j] != lower((unsigned char)s[j])) {
                break;
            }
        }
        if (j == len) {
            return (int)i;
        }
    }
    if (acm->n_lits == acm->cap_lits) {
        size_t ncap = acm->cap_lits ? acm->cap_lits * 2 : 32;
        char **nl = cnd_realloc(acm->lits, ncap * sizeof(*nl));
        size_t *nlen;

        if (nl == NULL) {
            return CND_ENOMEM;
        }
        acm->lits = nl;
        nlen = cnd_realloc(acm->lens, ncap * sizeof(*nlen));
        if (nlen == NULL) {
            return CND_ENOMEM;
        }
        acm->lens = nlen;
        acm->cap_lits = ncap;
    }
    copy = cnd_malloc(len + 1);
    if (copy == NULL) {
        return CND_ENOMEM;
    }
    for (j = 0; j < len; j++) {
        copy[j] = (char)lower((unsigned char)s[j]);
    }
    copy[len] = '\0';
    acm->lits[acm->n_lits] = copy;
    acm->lens[acm->n_lits] = len;
    return (int)acm->n_lits++;
}

size_t cnd_acm_n_literals(const struct cnd_acm *acm)
{
    return acm->n_lits;
}

const char *cnd_acm_literal(const struct cnd_acm *acm, uint32_t lit)
{
    return lit < acm->n_lits ? acm->lits[lit] : "";
}

/* ---- Building ---- */

int cnd_acm_build(struct cnd_acm *acm)
{
    size_t i, j, max_states = 1, c, head, tail;
    uint32_t *go = NULL, *fail = NULL, *queue = NULL;
    int ret = CND_ENOMEM;

    /* The reduced alphabet. */
    memset(acm->cls, 0, sizeof(acm->cls));
    acm->ncls = 1;
    for (i = 0; i < acm->n_lits; i++) {
        max_states += acm->lens[i];
        for (j = 0; j < acm->lens[i]; j++) {
            unsigned char b = (unsigned char)acm->lits[i][j];

            if (acm->cls[b] == 0) {
                acm->cls[b] = (unsigned char)acm->ncls++;
                if (b >= 'a' && b <= 'z') {
                    acm->cls[b - 32] = acm->cls[b];
                }
            }
        }
    }
    if (max_states > (ACM_FLAG - 1) / acm->ncls) {
        return CND_ENOMEM;
    }
    /* The trie, with ACM_NONE for missing edges. */
    go = cnd_malloc(max_states * acm->ncls * sizeof(*go));
    fail = cnd_calloc(max_states, sizeof(*fail));
    queue = cnd_malloc(max_states * sizeof(*queue));
    acm->out_first = cnd_malloc(max_states * sizeof(*acm->out_first));
    acm->out_next = cnd_malloc((acm->n_lits ? acm->n_lits : 1) * sizeof(*acm->out_next));
    acm->dict = cnd_calloc(max_states, sizeof(*acm->dict));
    if (go == NULL || fail == NULL || queue == NULL || acm->out_first == NULL ||
        acm->out_next == NULL || acm->dict == NULL) {
        goto out;
    }
    memset(go, 0xff, max_states * acm->ncls * sizeof(*go));
    for (i = 0; i < max_states; i++) {
        acm->out_first[i] = -1;
    }
    acm->n_states = 1;
    for (i = 0; i < acm->n_lits; i++) {
        uint32_t s = 0;

        for (j = 0; j < acm->lens[i]; j++) {
            c = acm->cls[(unsigned char)acm->lits[i][j]];
            if (go[s * acm->ncls + c] == ACM_NONE) {
                go[s * acm->ncls + c] = (uint32_t)acm->n_states++;
            }
            s = go[s * acm->ncls + c];
        }
        acm->out_next[i] = acm->out_first[s];
        acm->out_first[s] = (int32_t)i;
    }
    /* Breadth first: failure links, dictionary links, full transitions. */
    head = tail = 0;
    for (c = 0; c < acm->ncls; c++) {
        uint32_t t = go[c];

        if (t == ACM_NONE) {
            go[c] = 0;
        } else {
            fail[t] = 0;
            queue[tail++] = t;
        }
    }
    while (head < tail) {
        uint32_t s = queue[head++];

        for (c = 0; c < acm->ncls; c++) {
            uint32_t t = go[s * acm->ncls + c];
            uint32_t f = go[fail[s] * acm->ncls + c];

            if (t == ACM_NONE) {
                go[s * acm->ncls + c] = f;
            } else {
                fail[t] = f;
                acm->dict[t] = acm->out_first[f] >= 0 ? f : acm->dict[f];
                queue[tail++] = t;
            }
        }
    }
    /* Entries hold the target's row offset, flagged when it reports. */
    acm->table = cnd_malloc(acm->n_states * acm->ncls * sizeof(*acm->table));
    if (acm->table == NULL) {
        goto out;
    }
    for (i = 0; i < acm->n_states * acm->ncls; i++) {
        uint32_t t = go[i];

        acm->table[i] = (uint32_t)(t * acm->ncls);
        if (acm->out_first[t] >= 0 || acm->dict[t] != 0) {
            acm->table[i] |= ACM_FLAG;
        }
    }
    acm->built = 1;
    ret = 0;
out:
    cnd_free(go);
    cnd_free(fail);
    cnd_free(queue);
    return ret;
}

/* ---- Scanning ---- */

void cnd_acm_scan(const struct cnd_acm *acm, const unsigned char *text, size_t len,
                  cnd_acm_hit_fn fn, void *arg)
{
    const uint32_t *table = acm->table;
    const unsigned char *cls = acm->cls;
    uint32_t s = 0;
    size_t i;

    if (!acm->built || acm->n_lits == 0) {
        return;
    }
    for (i = 0; i < len; i++) {
        uint32_t e = table[s + cls[text[i]]];

        s = e & ~ACM_FLAG;
        if (e & ACM_FLAG) {
            uint32_t st = (uint32_t)(s / acm->ncls);

            while (st != 0) {
                int32_t l;

                for (l = acm->out_first[st]; l >= 0; l = acm->out_next[l]) {
                    fn(arg, (uint32_t)l, i + 1);
                }
                st = acm->dict[st];
            }
        }
    }
}

/* ---- Choosing literals ---- */

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The best piece of one phrase word: pieces end at apostrophes, hyphens,
 * non-ASCII bytes and between doubled letters (the text may hold one or
 * two of them: "hidden" gives "hid" and "den").
 */
static void word_best_piece(const char *w, size_t len, size_t *best_off, size_t *best_len)
{
    size_t i, start = 0;

    *best_off = 0;
    *best_len = 0;
    for (i = 0; i <= len; i++) {
        unsigned char c = i < len ? lower((unsigned char)w[i]) : 0;
        int cut = 0, keep = 0;

        if (i == len || c == '\'' || c == '-' || c == '*' || c >= 0x80) {
            cut = 1;
        } else if (i > start && is_alpha(c) && c != 'x' && lower((unsigned char)w[i - 1]) == c) {
            cut = 1;
            keep = 1;
        }
        if (cut) {
            if (i - start > *best_len) {
                *best_off = start;
                *best_len = i - start;
            }
            start = keep ? i : i + 1;
        }
    }
}

size_t cnd_phrase_literal(const char *phrase, const struct cnd_lexicon *lex, char *out,
                          size_t cap)
{
    const char *p = phrase;
    size_t best_len = 0, best_off = 0;
    const char *best_word = NULL;
    int best_stop = 1;
    size_t i;

    while (*p) {
        const char *w;
        size_t wl, off, pl;
        char low[64];
        int stop;

        while (*p == ' ' || *p == '\t') {
            p++;
        }
        w = p;
        while (*p && *p != ' ' && *p != '\t') {
            p++;
        }
        wl = (size_t)(p - w);
        if (wl == 0 || (wl == 2 && w[0] == '.' && w[1] == '.')) {
            continue;
        }
        word_best_piece(w, wl, &off, &pl);
        if (pl == 0) {
            continue;
        }
        stop = 0;
        if (lex != NULL && wl < sizeof(low)) {
            for (i = 0; i < wl; i++) {
                low[i] = (char)lower((unsigned char)w[i]);
            }
            stop = cnd_lexicon_is_stopword(lex, low, wl);
        }
        if (best_word == NULL || (best_stop && !stop) ||
            (best_stop == stop && pl > best_len)) {
            best_word = w;
            best_off = off;
            best_len = pl;
            best_stop = stop;
        }
    }
    if (best_word == NULL || best_len + 1 > cap) {
        return 0;
    }
    for (i = 0; i < best_len; i++) {
        out[i] = (char)lower((unsigned char)best_word[best_off + i]);
    }
    out[best_len] = '\0';
    return best_len;
}

/* Skips a character class starting at "re[i]" == '['; returns the index after it. */
static size_t skip_class(const char *re, size_t len, size_t i)
{
    i++;
    if (i < len && re[i] == '^') {
        i++;
    }
    if (i < len && re[i] == ']') {
        i++;
    }
    while (i < len && re[i] != ']') {
        if (re[i] == '\\' && i + 1 < len) {
            i += 2;
        } else if (re[i] == '[' && i + 1 < len && re[i + 1] == ':') {
            const char *e = memchr(re + i + 2, ']', len - i - 2);

            i = e ? (size_t)(e - re) + 1 : len;
        } else {
            i++;
        }
    }
    return i < len ? i + 1 : len;
}

/* Skips a group starting at "re[i]" == '('; returns the index after it. */
static size_t skip_group(const char *re, size_t len, size_t i)
{
    int depth = 0;

    while (i < len) {
        if (re[i] == '\\') {
            i += 2;
            continue;
        }
        if (re[i] == '[') {
            i = skip_class(re, len, i);
            continue;
        }
        if (re[i] == '(') {
            depth++;
        } else if (re[i] == ')') {
            depth--;
            if (depth == 0) {
                return i + 1;
            }
        }
        i++;
    }
    return len;
}

/*
 * Looks at a quantifier at "re[*i]": returns 0 when there is none, 1 when
 * the atom before it must occur at least once, 2 when it may be absent.
 * Advances "*i" past it (and past a lazy or possessive suffix).
 */
static int quantifier(const char *re, size_t len, size_t *i)
{
    int kind = 0;

    if (*i >= len) {
        return 0;
    }
    if (re[*i] == '?' || re[*i] == '*') {
        kind = 2;
        (*i)++;
    } else if (re[*i] == '+') {
        kind = 1;
        (*i)++;
    } else if (re[*i] == '{') {
        size_t j = *i + 1;
        unsigned long lo = 0;
        int digits = 0;

        while (j < len && re[j] >= '0' && re[j] <= '9') {
            lo = lo * 10 + (unsigned long)(re[j] - '0');
            if (lo > 100000) {
                lo = 100000;
            }
            digits++;
            j++;
        }
        if (digits == 0 && j < len && re[j] == ',') {
            /* {,n} is a quantifier since PCRE2 10.43 only; treat as literal */
            return 0;
        }
        while (j < len && (re[j] == ',' || (re[j] >= '0' && re[j] <= '9'))) {
            j++;
        }
        if (digits == 0 || j >= len || re[j] != '}') {
            return 0;   /* a literal brace */
        }
        *i = j + 1;
        kind = lo == 0 ? 2 : 1;
    }
    if (kind && *i < len && (re[*i] == '?' || re[*i] == '+')) {
        (*i)++;
    }
    return kind;
}

size_t cnd_regex_literal(const char *re, size_t len, char *out, size_t cap)
{
    size_t i = 0, cur_len = 0, best_len = 0;
    char cur[256], best[256];

    /* a top-level alternation or extended mode: no single literal */
    {
        size_t j = 0;

        while (j < len) {
            if (re[j] == '\\') {
                j += 2;
            } else if (re[j] == '[') {
                j = skip_class(re, len, j);
            } else if (re[j] == '(') {
                if (j + 2 < len && re[j + 1] == '?') {
                    size_t k = j + 2;

                    while (k < len && re[k] != ')' && re[k] != ':') {
                        if (re[k] == 'x') {
                            return 0;
                        }
                        k++;
                    }
                }
                j = skip_group(re, len, j);
            } else if (re[j] == '|') {
                return 0;
            } else {
                j++;
            }
        }
    }
#define FLUSH()                                                   \
    do {                                                          \
        if (cur_len > best_len) {                                 \
            memcpy(best, cur, cur_len);                           \
            best_len = cur_len;                                   \
        }                                                         \
        cur_len = 0;                                              \
    } while (0)
    while (i < len) {
        unsigned char c = (unsigned char)re[i];
        int lit = -1, q;

        if (c == '\\') {
            unsigned char n = i + 1 < len ? (unsigned char)re[i + 1] : 0;

            if ((n >= 'a' && n <= 'z') || (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9')) {
                /* classes, assertions, back references, \x{..}, \p{..}, \Q..\E */
                if (n == 'Q') {
                    const char *e = NULL;
                    size_t k;

                    for (k = i + 2; k + 1 < len; k++) {
                        if (re[k] == '\\' && re[k + 1] == 'E') {
                            e = re + k;
                            break;
                        }
                    }
                    i = e ? (size_t)(e - re) + 2 : len;
                } else {
                    i += 2;
                    if (i < len && re[i] == '{') {
                        const char *e = memchr(re + i, '}', len - i);

                        i = e ? (size_t)(e - re) + 1 : len;
                    }
                }
                FLUSH();
                quantifier(re, len, &i);
                continue;
            }
            if (n == 0) {
                break;
            }
            lit = n;
            i += 2;
        } else if (c == '[') {
            i = skip_class(re, len, i);
            FLUSH();
            quantifier(re, len, &i);
            continue;
        } else if (c == '(') {
            i = skip_group(re, len, i);
            FLUSH();
            quantifier(re, len, &i);
            continue;
        } else if (c == '.' || c == '^' || c == '$' || c == ')' || c >= 0x80 ||
                   c == '*' || c == '+' || c == '?') {
            i++;
            FLUSH();
            quantifier(re, len, &i);
            continue;
        } else {
            lit = c;
            i++;
        }
        if (lit >= 0x80) {
            FLUSH();
            quantifier(re, len, &i);
            continue;
        }
        q = quantifier(re, len, &i);
        if (q == 2) {
            FLUSH();
            continue;
        }
        if (cur_len < sizeof(cur)) {
            cur[cur_len++] = (char)lower((unsigned char)lit);
        }
        if (q == 1) {
            /* a repeated character: the run ends after its first copy and
             * the next run starts with its last copy */
            FLUSH();
            cur[cur_len++] = (char)lower((unsigned char)lit);
        }
    }
    FLUSH();
#undef FLUSH
    if (best_len == 0 || best_len + 1 > cap) {
        return 0;
    }
    memcpy(out, best, best_len);
    out[best_len] = '\0';
    return best_len;
}
