/* SPDX-License-Identifier: MIT */
/*
 * Writing verdicts: the JSON object `candor analyze` prints for each post
 * (and the complaint files hold), and the human-readable account that
 * `candor explain` prints. Numbers are printed the same way everywhere,
 * with at most three decimals, so the same input gives the same bytes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analyze/internal.h"
#include "common/err.h"
#include "common/timeutil.h"

int cnd_buf_add_score(struct cnd_buf *b, double x)
{
    char tmp[64];
    int n;

    if (!(x == x) || x > 1e15 || x < -1e15) {
        x = 0;
    }
    if (x == 0) {
        return cnd_buf_addc(b, '0');   /* most posts */
    }
    if (x < 1e9 && x > -1e9) {
        /* in thousandths, unless x * 1000 is too near a half for the product's
         * rounding error not to matter: then as printf rounds */
        double y = x * 1000, f = y - floor(y);

        if (f < 0.499 || f > 0.501) {
            long long r = (long long)floor(y + 0.5);
            unsigned long long u = r < 0 ? (unsigned long long)-r : (unsigned long long)r;
            char *e = tmp + sizeof(tmp), *p = e;
            int frac = 3;

            while (frac > 0 && u % 10 == 0) {
                u /= 10;
                frac--;
            }
            do {
                *--p = (char)('0' + u % 10);
                u /= 10;
                if (--frac == 0) {
                    *--p = '.';
                }
            } while (u > 0 || frac >= 0);
            if (r < 0) {
                *--p = '-';
            }
            return cnd_buf_add(b, p, (size_t)(e - p));
        }
    }
    n = snprintf(tmp, sizeof(tmp), "%.3f", x);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        return CND_EINVAL;
    }
    while (n > 0 && tmp[n - 1] == '0') {
        n--;
    }
    if (n > 0 && tmp[n - 1] == '.') {
        n--;
    }
    tmp[n] = '\0';
    if (strcmp(tmp, "-0") == 0) {
        return cnd_buf_addc(b, '0');
    }
    return cnd_buf_add(b, tmp, (size_t)n);
}

/* A post field as a JSON string, or null when missing. */
static int add_str_or_null(struct cnd_buf *b, const struct cnd_str *s)
{
    if (s->ptr == NULL) {
        return cnd_buf_adds(b, "null");
    }
    return cnd_buf_add_json_str(b, s->ptr, s->len);
}

int cnd_verdict_json(const struct cnd_verdict *v, const struct cnd_post *post,
                     int with_post, struct cnd_buf *out)
{
    size_t i, start = out->len;
    int ret = 0;

#define TRY(x)                  \
    do {                        \
        ret = (x);              \
        if (ret < 0) {          \
            goto fail;          \
        }                       \
    } while (0)
    TRY(cnd_buf_adds(out, "{\"id\":"));
    TRY(add_str_or_null(out, &post->id));
    if (with_post) {
        TRY(cnd_buf_adds(out, ",\"source\":"));
        TRY(add_str_or_null(out, &post->source));
        TRY(cnd_buf_adds(out, ",\"created_at\":"));
        if (post->has_created_at) {
            char iso[21];

            cnd_time_format(post->created_at, iso);
            TRY(cnd_buf_add_json_str(out, iso, strlen(iso)));
        } else {
            TRY(cnd_buf_adds(out, "null"));
        }
        TRY(cnd_buf_adds(out, ",\"author\":"));
        TRY(add_str_or_null(out, &post->author));
        TRY(cnd_buf_adds(out, ",\"url\":"));
        TRY(add_str_or_null(out, &post->url));
        TRY(cnd_buf_adds(out, ",\"text\":"));
        TRY(cnd_buf_add_json_str(out, post->text.ptr ? post->text.ptr : "", post->text.len));
    }
    TRY(cnd_buf_adds(out, v->complaint ? ",\"complaint\":true,\"categories\":["
                                       : ",\"complaint\":false,\"categories\":["));
    for (i = 0; i < v->n_categories; i++) {
        if (i > 0) {
            TRY(cnd_buf_addc(out, ','));
        }
        TRY(cnd_buf_add_json_str(out, v->categories[i], strlen(v->categories[i])));
    }
    TRY(cnd_buf_adds(out, "],\"brands\":["));
    for (i = 0; i < v->n_brands; i++) {
        if (i > 0) {
            TRY(cnd_buf_addc(out, ','));
        }
        TRY(cnd_buf_add_json_str(out, v->brands[i], strlen(v->brands[i])));
    }
    TRY(cnd_buf_adds(out, "],\"score\":"));
    TRY(cnd_buf_add_score(out, v->score));
    TRY(cnd_buf_adds(out, ",\"lang\":"));
    TRY(cnd_buf_add_json_str(out, v->lang ? v->lang : "", v->lang ? strlen(v->lang) : 0));
    TRY(cnd_buf_adds(out, ",\"evidence\":["));
    for (i = 0; i < v->n_evidence; i++) {
        const struct cnd_evidence *e = &v->evidence[i];
        size_t s = e->start, en = e->end;

        if (en > post->text.len) {
            en = post->text.len;
        }
        if (s > en) {
            s = en;
        }
        TRY(cnd_buf_adds(out, i > 0 ? ",{\"rule\":" : "{\"rule\":"));
        TRY(cnd_buf_add_json_str(out, e->rule, strlen(e->rule)));
        TRY(cnd_buf_adds(out, ",\"category\":"));
        TRY(cnd_buf_add_json_str(out, e->category, strlen(e->category)));
        TRY(cnd_buf_adds(out, ",\"match\":"));
        TRY(cnd_buf_add_json_str(out, post->text.ptr ? post->text.ptr + s : "", en - s));
        TRY(cnd_buf_adds(out, ",\"start\":"));
        TRY(cnd_buf_add_i64(out, (int64_t)e->start));
        TRY(cnd_buf_adds(out, ",\"end\":"));
        TRY(cnd_buf_add_i64(out, (int64_t)e->end));
        TRY(cnd_buf_addc(out, '}'));
    }
    TRY(cnd_buf_adds(out, "]}"));
#undef TRY
    return 0;
fail:
    /* leave the buffer as it was */
    out->len = start;
    if (out->data != NULL) {
        out->data[start] = '\0';
    }
    return ret;
}

int cnd_analyze_explain(struct cnd_analyzer *a, const char *text, size_t len,
                        struct cnd_buf *out)
{
    const struct cnd_lexicon *lex = cnd_analyzer_lexicon(a);
    const double *scores;
    struct cnd_verdict v;
    size_t i;
    int ret, r2 = 0;

    ret = cnd_classify(a, text, len, NULL, 0, &v, out);
    if (ret < 0 && ret != CND_ELIMIT) {
        return ret;
    }
    scores = cnd_analyzer_scores(a);
    for (i = 0; i < lex->n_categories && r2 == 0; i++) {
        r2 = cnd_buf_addf(out, "score: %s ", lex->categories[i]);
        if (r2 == 0) {
            r2 = cnd_buf_add_score(out, scores[i]);
        }
        if (r2 == 0) {
            r2 = cnd_buf_addc(out, '\n');
        }
    }
    if (r2 == 0) {
        r2 = cnd_buf_adds(out, "threshold: ");
    }
    if (r2 == 0) {
        r2 = cnd_buf_add_score(out, cnd_analyzer_threshold(a));
    }
    if (r2 == 0) {
        r2 = cnd_buf_adds(out, v.complaint ? "\nverdict: complaint:" : "\nverdict: not a complaint");
    }
    for (i = 0; i < v.n_categories && r2 == 0; i++) {
        r2 = cnd_buf_addf(out, " %s (", v.categories[i]);
        if (r2 == 0) {
            r2 = cnd_buf_add_score(out, v.category_scores[i]);
        }
        if (r2 == 0) {
            r2 = cnd_buf_addc(out, ')');
        }
    }
    if (r2 == 0 && !v.complaint) {
        r2 = cnd_buf_adds(out, " (best score ");
        if (r2 == 0) {
            r2 = cnd_buf_add_score(out, v.score);
        }
        if (r2 == 0) {
            r2 = cnd_buf_addf(out, ", language %s)", v.lang);
        }
    }
    if (r2 == 0) {
        r2 = cnd_buf_addc(out, '\n');
    }
    return r2 < 0 ? r2 : ret;
}
