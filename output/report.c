/* SPDX-License-Identifier: MIT */
/*
 * The HTML report (see output/report.h and docs/REPORT.md). The period's
 * daily files and the previous period's are loaded (only those days: the
 * directory is listed and filtered), summed into per brand, category and
 * day arrays, and written as one page: inline CSS, inline SVG charts with
 * titles and a table alternative each, and no scripts. Every string from
 * the data goes through cnd_html_escape(). Output depends only on the
 * files and the options, never on the clock or on memory addresses.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/strs.h"
#include "common/timeutil.h"
#include "output/report.h"

#define DEFAULT_DAYS 28
#define DEFAULT_RECENT 20
#define DEFAULT_TOP_RULES 15
#define DEFAULT_MAX_TEXT 2000
#define MAX_PERIOD_DAYS 3660
#define N_COLORS 8
#define NO_BRAND "(no brand)"

/* ---- Writer with a sticky error ---- */

struct w {
    struct cnd_buf *b;
    int err;
};

static void w_printf(struct w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void w_printf(struct w *w, const char *fmt, ...)
{
    va_list ap;

    if (w->err) {
        return;
    }
    va_start(ap, fmt);
    w->err = cnd_buf_vaddf(w->b, fmt, ap);
    va_end(ap);
}

static void w_puts(struct w *w, const char *s)
{
    if (!w->err) {
        w->err = cnd_buf_adds(w->b, s);
    }
}

static void w_esc(struct w *w, const char *s)
{
    if (!w->err) {
        w->err = cnd_html_escape(w->b, s, strlen(s));
    }
}

static void w_brand(struct w *w, const char *brand)
{
    w_esc(w, *brand ? brand : NO_BRAND);
}

/* ---- Escaping ---- */

/* Length of the valid UTF-8 sequence at "s" (at most "len" bytes), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t len)
{
    size_t n, i;
    uint32_t cp;

    if (s[0] < 0x80) {
        return 1;
    }
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        cp = s[0] & 0x1f;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        cp = s[0] & 0x0f;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len < n) {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
        return 0;
    }
    return n;
}

int cnd_html_escape(struct cnd_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    int ret = 0;

    while (i < len && ret == 0) {
        const char *rep = NULL;
        unsigned char c = p[i];
        size_t n = 1;

        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
                rep = " ";
            } else if (c >= 0x80) {
                n = utf8_seq(p + i, len - i);
                if (n == 0) {
                    rep = "\xef\xbf\xbd";
                    n = 1;
                } else if (n == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
                    rep = " ";   /* C1 control */
                }
            }
            break;
        }
        if (rep == NULL) {
            run += n;
            i += n;
            continue;
        }
        if (run) {
            ret = cnd_buf_add(out, s + i - run, run);
            run = 0;
        }
        if (ret == 0) {
            ret = cnd_buf_adds(out, rep);
        }
        i += n;
    }
    if (ret == 0 && run) {
        ret = cnd_buf_add(out, s + i - run, run);
    }
    return ret;
}

static int cmp_span(const void *a, const void *b)
{
    const struct cnd_complaint_span *x = a, *y = b;

    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    if (x->end != y->end) {
        return x->end < y->end ? -1 : 1;
    }
    return 0;
}

/* Moves "off" back to the start of the UTF-8 character holding it. */
static size_t char_start(const char *s, size_t len, size_t off)
{
    while (off > 0 && off < len && ((unsigned char)s[off] & 0xc0) == 0x80) {
        off--;
    }
    return off;
}

/* Adds "rule" to the comma-separated list "b" unless it is already there. */
static int add_rule_name(struct cnd_buf *b, const char *rule)
{
    size_t rl = strlen(rule);
    const char *p = b->data;

    while (p && *p) {
        const char *comma = strstr(p, ", ");
        size_t n = comma ? (size_t)(comma - p) : strlen(p);

        if (n == rl && memcmp(p, rule, n) == 0) {
            return 0;
        }
        p = comma ? comma + 2 : p + n;
    }
    if (b->len && cnd_buf_adds(b, ", ") < 0) {
        return CND_ENOMEM;
    }
    return cnd_buf_adds(b, rule);
}

int cnd_html_highlight(struct cnd_buf *out, const char *s, size_t len,
                       const struct cnd_complaint_span *spans, size_t n, size_t max)
{
    struct cnd_complaint_span *sorted = NULL;
    struct cnd_buf rules;
    size_t shown = len, pos = 0, i = 0, m = 0;
    int ret = 0;

    if (max && len > max) {
        shown = char_start(s, len, max);
    }
    cnd_buf_init(&rules, 0);
    if (n) {
        sorted = cnd_malloc(n * sizeof(*sorted));
        if (sorted == NULL) {
            return CND_ENOMEM;
        }
        for (i = 0; i < n; i++) {
            struct cnd_complaint_span sp = spans[i];

            if (sp.start >= shown || sp.end <= sp.start) {
                continue;
            }
            if (sp.end > shown) {
                sp.end = shown;
            }
            sp.start = char_start(s, shown, sp.start);
            /* an end inside a character moves forward to its end */
            while (sp.end < shown && ((unsigned char)s[sp.end] & 0xc0) == 0x80) {
                sp.end++;
            }
            if (sp.end > sp.start) {
                sorted[m++] = sp;
            }
        }
        if (m > 1) {
            qsort(sorted, m, sizeof(*sorted), cmp_span);
        }
    }
    i = 0;
    while (ret == 0 && i < m) {
        size_t start = sorted[i].start, end = sorted[i].end;

        cnd_buf_reset(&rules);
        /* merge every span that overlaps or touches this one */
        while (i < m && sorted[i].start <= end) {
            if (sorted[i].end > end) {
                end = sorted[i].end;
            }
            if (sorted[i].rule && add_rule_name(&rules, sorted[i].rule) < 0) {
                ret = CND_ENOMEM;
            }
            i++;
        }
        if (start < pos) {
            start = pos;
        }
        if (ret == 0 && start > pos) {
            ret = cnd_html_escape(out, s + pos, start - pos);
        }
        if (ret == 0) {
            ret = cnd_buf_adds(out, "<mark");
        }
        if (ret == 0 && rules.len) {
            ret = cnd_buf_adds(out, " title=\"");
            if (ret == 0) {
                ret = cnd_html_escape(out, rules.data, rules.len);
            }
            if (ret == 0) {
                ret = cnd_buf_addc(out, '"');
            }
        }
        if (ret == 0) {
            ret = cnd_buf_addc(out, '>');
        }
        if (ret == 0) {
            ret = cnd_html_escape(out, s + start, end - start);
        }
        if (ret == 0) {
            ret = cnd_buf_adds(out, "</mark>");
        }
        pos = end;
    }
    if (ret == 0 && pos < shown) {
        ret = cnd_html_escape(out, s + pos, shown - pos);
    }
    if (ret == 0 && shown < len) {
        ret = cnd_buf_adds(out, "\xe2\x80\xa6");
    }
    cnd_free(sorted);
    cnd_buf_release(&rules);
    return ret;
}

/* ---- Sorted name tables ---- */

struct names {
    const char **v;     /* borrowed from the loaded days */
    size_t n, cap;
};

static long names_find(const struct names *t, const char *s)
{
    return cnd_strs_find(t->v, t->n, s);
}

static int names_add(struct names *t, const char *s)
{
    long at = names_find(t, s);
    size_t pos;

    if (at >= 0) {
        return 0;
    }
    pos = (size_t)(-1 - at);
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        const char **grown = cnd_realloc(t->v, cap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        t->v = grown;
        t->cap = cap;
    }
    memmove(t->v + pos + 1, t->v + pos, (t->n - pos) * sizeof(*t->v));
    t->v[pos] = s;
    t->n++;
    return 0;
}

/* ---- Loading a period ---- */

struct period {
    int64_t first;            /* day number of the first day */
    size_t n;
    struct cnd_daily **days;  /* n entries; NULL where no file was read */
    size_t read;
};

static void period_release(struct period *p)
{
    size_t i;

    if (p->days) {
        for (i = 0; i < p->n; i++) {
            cnd_daily_free(p->days[i]);
        }
    }
    cnd_free(p->days);
    memset(p, 0, sizeof(*p));
}

static int period_load(const char *data_dir, int64_t first, size_t n, struct cnd_issues *iss,
                       struct period *p)
{
    struct cnd_day *list = NULL;
    size_t n_list = 0, i;
    char from[11], to[11];
    int ret;

    p->first = first;
    p->n = n;
    p->read = 0;
    p->days = cnd_calloc(n ? n : 1, sizeof(*p->days));
    if (p->days == NULL) {
        return CND_ENOMEM;
    }
    if (n == 0) {
        return 0;
    }
    cnd_day_from_num(first, from);
    cnd_day_from_num(first + (int64_t)n - 1, to);
    ret = cnd_daily_list(data_dir, "daily", ".json.gz", from, to, &list, &n_list);
    if (ret < 0) {
        cnd_issues_add(iss, data_dir, 0, "cannot list the daily directory: %s",
                       cnd_strerror(ret));
        return ret;
    }
    for (i = 0; i < n_list; i++) {
        int64_t k = cnd_day_num(list[i].s) - first;
        int err = 0;
        struct cnd_daily *d = cnd_daily_load(data_dir, list[i].s, iss, &err);

        if (d == NULL) {
            if (err == CND_ENOMEM) {
                cnd_free(list);
                return err;
            }
            continue;   /* recorded in "iss" (or removed meanwhile) */
        }
        p->days[k] = d;
        p->read++;
    }
    cnd_free(list);
    return 0;
}

/* ---- The model ---- */

struct rule_count {
    const char *rule;
    const char *category;
    uint64_t count;
};

struct lexver {
    const char *version;
    char first[11], last[11];
    size_t days;
};

struct model {
    const struct cnd_report_opts *o;
    struct period cur, prev;
    size_t n;                    /* days in the period */
    char from[11], to[11], pfrom[11], pto[11];
    struct names brands, cats;
    size_t nb, nc;
    size_t *border;              /* brands in display order */
    uint64_t *bposts, *bcompl;   /* [b * n + d] */
    uint64_t *bcat;              /* [(b * nc + c) * n + d] */
    uint64_t *dposts;            /* [d]: posts of the day (headers' sources) */
    uint64_t *tot_posts, *tot_compl, *prev_posts, *prev_compl;   /* [b] */
    uint64_t *tot_bc, *prev_bc;  /* [b * nc + c] */
    struct rule_count *rules;
    size_t n_rules, cap_rules;
    struct lexver *lex;
    size_t n_lex;
    struct cnd_runs_day *runs;   /* [d] */
    struct cnd_complaint **recent;
    size_t n_recent;
    size_t complaint_files;
};

static void model_release(struct model *m)
{
    size_t i;

    period_release(&m->cur);
    period_release(&m->prev);
    cnd_free(m->brands.v);
    cnd_free(m->cats.v);
    cnd_free(m->border);
    cnd_free(m->bposts);
    cnd_free(m->bcompl);
    cnd_free(m->bcat);
    cnd_free(m->dposts);
    cnd_free(m->tot_posts);
    cnd_free(m->tot_compl);
    cnd_free(m->prev_posts);
    cnd_free(m->prev_compl);
    cnd_free(m->tot_bc);
    cnd_free(m->prev_bc);
    cnd_free(m->rules);
    cnd_free(m->lex);
    if (m->runs) {
        for (i = 0; i < m->n; i++) {
            cnd_runs_day_release(&m->runs[i]);
        }
    }
    cnd_free(m->runs);
    for (i = 0; i < m->n_recent; i++) {
        cnd_complaint_free(m->recent[i]);
    }
    cnd_free(m->recent);
}

static int collect_names(struct model *m, const struct period *p)
{
    size_t i, r;

    for (i = 0; i < p->n; i++) {
        const struct cnd_daily *d = p->days[i];

        for (r = 0; d && r < d->n_rows; r++) {
            if (names_add(&m->brands, d->rows[r].brand) < 0) {
                return CND_ENOMEM;
            }
            if (strcmp(d->rows[r].category, "*") != 0 &&
                names_add(&m->cats, d->rows[r].category) < 0) {
                return CND_ENOMEM;
            }
        }
    }
    return 0;
}

static int add_rule(struct model *m, const char *rule, const char *category, uint64_t count)
{
    size_t lo = 0, hi = m->n_rules;
    struct rule_count *rc;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->rules[mid].rule, rule);

        if (c == 0) {
            rc = &m->rules[mid];
            rc->count += count;
            if (rc->category == NULL) {
                rc->category = category;
            }
            return 0;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (m->n_rules == m->cap_rules) {
        size_t cap = m->cap_rules ? m->cap_rules * 2 : 64;
        struct rule_count *grown = cnd_realloc(m->rules, cap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        m->rules = grown;
        m->cap_rules = cap;
    }
    memmove(m->rules + lo + 1, m->rules + lo, (m->n_rules - lo) * sizeof(*m->rules));
    m->rules[lo].rule = rule;
    m->rules[lo].category = category;
    m->rules[lo].count = count;
    m->n_rules++;
    return 0;
}

static struct model *sort_model;

static int cmp_brand_order(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const char *nx = sort_model->brands.v[x], *ny = sort_model->brands.v[y];

    /* posts naming no brand last; then most complaints first; then by name */
    if ((*nx == '\0') != (*ny == '\0')) {
        return *nx == '\0' ? 1 : -1;
    }
    if (sort_model->tot_compl[x] != sort_model->tot_compl[y]) {
        return sort_model->tot_compl[x] > sort_model->tot_compl[y] ? -1 : 1;
    }
    return strcmp(nx, ny);
}

static int cmp_rule_count(const void *a, const void *b)
{
    const struct rule_count *x = a, *y = b;

    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return strcmp(x->rule, y->rule);
}

static void *alloc_u64(size_t n)
{
    if (n && n > SIZE_MAX / sizeof(uint64_t)) {
        return NULL;
    }
    return cnd_calloc(n ? n : 1, sizeof(uint64_t));
}

static int sum_period(struct model *m)
{
    size_t nb = m->nb, nc = m->nc, n = m->n, d, r, b;

    m->bposts = alloc_u64(nb * n);
    m->bcompl = alloc_u64(nb * n);
    m->bcat = alloc_u64(nb * nc * n);
    m->dposts = alloc_u64(n);
    m->tot_posts = alloc_u64(nb);
    m->tot_compl = alloc_u64(nb);
    m->prev_posts = alloc_u64(nb);
    m->prev_compl = alloc_u64(nb);
    m->tot_bc = alloc_u64(nb * nc);
    m->prev_bc = alloc_u64(nb * nc);
    m->border = cnd_calloc(nb ? nb : 1, sizeof(size_t));
    if (!m->bposts || !m->bcompl || !m->bcat || !m->dposts || !m->tot_posts ||
        !m->tot_compl || !m->prev_posts || !m->prev_compl || !m->tot_bc || !m->prev_bc ||
        !m->border) {
        return CND_ENOMEM;
    }
    for (d = 0; d < n; d++) {
        const struct cnd_daily *day = m->cur.days[d];
        size_t s;

        if (day == NULL) {
            continue;
        }
        for (s = 0; s < day->n_sources; s++) {
            m->dposts[d] += day->sources[s].posts;
        }
        for (r = 0; r < day->n_rows; r++) {
            const struct cnd_daily_row *row = &day->rows[r];
            size_t bi = (size_t)names_find(&m->brands, row->brand), k;

            if (strcmp(row->category, "*") == 0) {
                m->bposts[bi * n + d] += row->posts;
                m->bcompl[bi * n + d] += row->complaints;
                m->tot_posts[bi] += row->posts;
                m->tot_compl[bi] += row->complaints;
                for (k = 0; k < row->n_rules; k++) {
                    if (add_rule(m, row->rules[k].rule, NULL, row->rules[k].count) < 0) {
                        return CND_ENOMEM;
                    }
                }
            } else {
                size_t ci = (size_t)names_find(&m->cats, row->category);

                m->bcat[(bi * nc + ci) * n + d] += row->complaints;
                m->tot_bc[bi * nc + ci] += row->complaints;
                for (k = 0; k < row->n_rules; k++) {
                    /* a rule's category: the first category row naming it */
                    if (add_rule(m, row->rules[k].rule, row->category, 0) < 0) {
                        return CND_ENOMEM;
                    }
                }
            }
        }
    }
    for (d = 0; d < m->prev.n; d++) {
        const struct cnd_daily *day = m->prev.days[d];

        for (r = 0; day && r < day->n_rows; r++) {
            const struct cnd_daily_row *row = &day->rows[r];
            size_t bi = (size_t)names_find(&m->brands, row->brand);

            if (strcmp(row->category, "*") == 0) {
                m->prev_posts[bi] += row->posts;
                m->prev_compl[bi] += row->complaints;
            } else {
                m->prev_bc[bi * nc + (size_t)names_find(&m->cats, row->category)] +=
                    row->complaints;
            }
        }
    }
    for (b = 0; b < nb; b++) {
        m->border[b] = b;
    }
    sort_model = m;
    qsort(m->border, nb, sizeof(size_t), cmp_brand_order);
    sort_model = NULL;
    if (m->n_rules > 1) {
        qsort(m->rules, m->n_rules, sizeof(*m->rules), cmp_rule_count);
    }
    while (m->n_rules && m->rules[m->n_rules - 1].count == 0) {
        m->n_rules--;   /* rules only seen in category rows of other brands */
    }
    return 0;
}

static int collect_lexicons(struct model *m)
{
    size_t d, i;

    m->lex = cnd_calloc(m->n ? m->n : 1, sizeof(*m->lex));
    if (m->lex == NULL) {
        return CND_ENOMEM;
    }
    for (d = 0; d < m->n; d++) {
        const struct cnd_daily *day = m->cur.days[d];

        if (day == NULL) {
            continue;
        }
        for (i = 0; i < m->n_lex; i++) {
            if (strcmp(m->lex[i].version, day->lexicon_version) == 0) {
                break;
            }
        }
        if (i == m->n_lex) {
            m->lex[i].version = day->lexicon_version;
            memcpy(m->lex[i].first, day->day, 11);
            m->n_lex++;
        }
        memcpy(m->lex[i].last, day->day, 11);
        m->lex[i].days++;
    }
    return 0;
}

static int load_runs(struct model *m, struct cnd_issues *iss)
{
    struct cnd_day *list = NULL;
    size_t n_list = 0, i;
    int ret;

    m->runs = cnd_calloc(m->n ? m->n : 1, sizeof(*m->runs));
    if (m->runs == NULL) {
        return CND_ENOMEM;
    }
    ret = cnd_daily_list(m->o->data_dir, "runs", ".ndjson", m->from, m->to, &list, &n_list);
    if (ret < 0) {
        cnd_issues_add(iss, m->o->data_dir, 0, "cannot list the runs directory: %s",
                       cnd_strerror(ret));
        return ret == CND_ENOMEM ? ret : 0;
    }
    for (i = 0; i < n_list; i++) {
        size_t k = (size_t)(cnd_day_num(list[i].s) - m->cur.first);

        ret = cnd_runs_load(m->o->data_dir, list[i].s, iss, &m->runs[k]);
        if (ret == CND_ENOMEM) {
            break;
        }
        ret = 0;
    }
    cnd_free(list);
    return ret;
}

/* Newer first: created time, then id, then source. */
static int newer(const struct cnd_complaint *a, const struct cnd_complaint *b)
{
    int c;

    if (a->created != b->created) {
        return a->created > b->created;
    }
    c = strcmp(a->id, b->id);
    if (c != 0) {
        return c < 0;
    }
    return strcmp(a->source, b->source) < 0;
}

static int load_recent(struct model *m, struct cnd_issues *iss)
{
    size_t want = m->o->recent ? m->o->recent : DEFAULT_RECENT;
    size_t d;
    int ret = 0;

    m->recent = cnd_calloc(want, sizeof(*m->recent));
    if (m->recent == NULL) {
        return CND_ENOMEM;
    }
    /* newest day first; older days hold older posts, so stop once full */
    for (d = m->n; d-- > 0 && m->n_recent < want;) {
        struct cnd_complaints *cr;
        struct cnd_complaint *c;
        char day[11];
        int err = 0;

        if (m->cur.days[d] == NULL) {
            continue;
        }
        cnd_day_from_num(m->cur.first + (int64_t)d, day);
        cr = cnd_complaints_open(m->o->data_dir, day, &err);
        if (cr == NULL) {
            if (err == CND_ENOMEM) {
                return err;
            }
            if (err != CND_ENOENT) {
                cnd_issues_add(iss, m->o->data_dir, 0, "cannot open the complaints of %s: %s",
                               day, cnd_strerror(err));
            }
            continue;
        }
        m->complaint_files++;
        while ((ret = cnd_complaints_next(cr, iss, &c)) == 1) {
            size_t pos = m->n_recent;

            while (pos > 0 && newer(c, m->recent[pos - 1])) {
                pos--;
            }
            if (pos >= want) {
                cnd_complaint_free(c);
                continue;
            }
            if (m->n_recent == want) {
                cnd_complaint_free(m->recent[want - 1]);
                m->n_recent--;
            }
            memmove(m->recent + pos + 1, m->recent + pos,
                    (m->n_recent - pos) * sizeof(*m->recent));
            m->recent[pos] = c;
            m->n_recent++;
        }
        cnd_complaints_close(cr);
        if (ret < 0) {
            return ret;
        }
    }
    return 0;
}

/* ---- Rendering helpers ---- */

/* The smallest of 1, 2, 5 x 10^k that is >= "v" (1 for nothing). */
static double nice_ceil(double v)
{
    double p, steps[] = { 1, 2, 5, 10 };
    size_t i;

    if (!(v > 0)) {
        return 1;
    }
    p = pow(10, floor(log10(v)));
    for (i = 0; i < 4; i++) {
        if (steps[i] * p >= v * (1 - 1e-12)) {
            return steps[i] * p;
        }
    }
    return 10 * p;
}

/* An axis top for counts whose half is a whole number: 2, 4, 6, 8, 10 x 10^k. */
static double nice_count(uint64_t v)
{
    double p, steps[] = { 2, 4, 6, 8, 10 };
    size_t i;

    if (v <= 2) {
        return 2;
    }
    p = pow(10, floor(log10((double)v)));
    for (i = 0; i < 5; i++) {
        if (steps[i] * p >= (double)v) {
            return steps[i] * p;
        }
    }
    return 10 * p;
}

static void w_share(struct w *w, uint64_t part, uint64_t whole)
{
    if (whole == 0) {
        w_puts(w, "&ndash;");
    } else {
        w_printf(w, "%.1f%%", 100.0 * (double)part / (double)whole);
    }
}

/* "+3 (+50%)", "&minus;2 (&minus;40%)", "new", "&plusmn;0" */
static void w_change(struct w *w, uint64_t now, uint64_t before, int prev_known)
{
    if (!prev_known) {
        w_puts(w, "<span class=\"na\">n/a</span>");
        return;
    }
    if (now == before) {
        w_puts(w, "<span class=\"same\">&plusmn;0</span>");
    } else if (before == 0) {
        w_printf(w, "<span class=\"up\">+%llu, new</span>", (unsigned long long)now);
    } else if (now > before) {
        w_printf(w, "<span class=\"up\">+%llu (+%.0f%%)</span>",
                 (unsigned long long)(now - before),
                 100.0 * (double)(now - before) / (double)before);
    } else {
        w_printf(w, "<span class=\"down\">&minus;%llu (&minus;%.0f%%)</span>",
                 (unsigned long long)(before - now),
                 100.0 * (double)(before - now) / (double)before);
    }
}

static const char *run_status_class(const struct cnd_runs_day *r)
{
    if (!r->known) {
        return "unknown";
    }
    return r->failed ? "fail" : "ok";
}

/* ---- Page parts ---- */

static const char page_css[] =
    ":root{color-scheme:light}\n"
    "*{box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,"
    "Arial,sans-serif;color:#1a1a1a;background:#fff}\n"
    "header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}\n"
    "h1{font-size:1.6rem;line-height:1.2;margin:1rem 0 .5rem}\n"
    "h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid #bbb}\n"
    "h3{font-size:1.05rem;margin:1.2rem 0 .3rem}\n"
    "a{color:#0b4f9c}\n"
    "nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;list-style:none}\n"
    "p,li{overflow-wrap:anywhere}\n"
    ".lead{color:#333}\n"
    "figure{margin:0 0 1rem}\n"
    "svg.chart{display:block;width:100%;height:auto;max-height:22rem}\n"
    "svg text{font:11px system-ui,sans-serif;fill:#333}\n"
    "svg .grid{stroke:#d0d0d0;stroke-width:1}\n"
    "svg .axis{stroke:#555;stroke-width:1}\n"
    "svg .nodata{fill:#ececec}\n"
    "svg .share{fill:none;stroke:#111;stroke-width:1.5;stroke-dasharray:4 2}\n"
    "svg .failmark{fill:#b00020}\n"
    "svg rect.seg{stroke:#fff;stroke-width:.4}\n"
    ".c0{fill:#1f77b4;background:#1f77b4}.c1{fill:#b35806;background:#b35806}\n"
    ".c2{fill:#2b8a2b;background:#2b8a2b}.c3{fill:#7b3294;background:#7b3294}\n"
    ".c4{fill:#c51b7d;background:#c51b7d}.c5{fill:#01665e;background:#01665e}\n"
    ".c6{fill:#8c6d31;background:#8c6d31}.c7{fill:#525252;background:#525252}\n"
    ".legend{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;"
    "gap:.2rem 1rem;font-size:.9rem}\n"
    ".sw{display:inline-block;width:.9em;height:.9em;margin-right:.35em;vertical-align:-.1em}\n"
    ".sw.line{height:0;border-top:2px dashed #111;vertical-align:.25em;background:none}\n"
    ".sw.fail{background:#b00020;clip-path:polygon(50% 0,100% 100%,0 100%)}\n"
    ".sw.nodata{background:#ececec;border:1px solid #999}\n"
    ".scroll{overflow-x:auto;max-width:100%}\n"
    "table{border-collapse:collapse;font-size:.9rem;margin:.3rem 0 1rem}\n"
    "caption{text-align:left;color:#333;font-size:.85rem;padding:.2rem 0;caption-side:top}\n"
    "th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:right;vertical-align:top}\n"
    "thead th{background:#f2f2f2}\n"
    "th[scope=row],.l{text-align:left}\n"
    "td.n{white-space:nowrap}\n"
    ".up{color:#a40000}.down{color:#17602a}.same,.na{color:#555}\n"
    ".fail{color:#a40000;font-weight:600}.unknown{color:#555;font-style:italic}\n"
    ".ok{color:#17602a}\n"
    "details{margin:.3rem 0 1rem}summary{cursor:pointer;color:#0b4f9c}\n"
    "ol.complaints{padding-left:1.2rem}\n"
    "ol.complaints li{margin:0 0 1rem}\n"
    ".meta{color:#444;font-size:.85rem;overflow-wrap:anywhere}\n"
    ".text{margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}\n"
    "mark{background:#ffe08a;color:#000;padding:0 .1em;border-radius:2px}\n"
    ".tag{display:inline-block;border:1px solid #999;border-radius:3px;padding:0 .3em;"
    "margin-right:.25em;font-size:.8rem}\n"
    "footer{color:#444;font-size:.85rem;margin-top:2rem;padding-bottom:2rem}\n"
    "@media (max-width:40rem){body{font-size:15px}th,td{padding:.2rem .3rem}"
    "h1{font-size:1.35rem}}\n"
    "@media print{body{font-size:10.5pt}nav,summary{display:none}"
    "header,main,footer{max-width:none;padding:0}"
    "h2,h3{break-after:avoid}figure,tr,li{break-inside:avoid}"
    ".scroll{overflow:visible}a{color:#000}svg.chart{max-height:none}}\n";

static void render_head(struct w *w, const struct model *m)
{
    w_puts(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              "<meta name=\"generator\" content=\"candor report\">\n");
    w_printf(w, "<title>Complaints about sales practices, %s to %s</title>\n", m->from, m->to);
    w_printf(w, "<style>\n%s</style>\n</head>\n<body>\n", page_css);
}

static void render_header(struct w *w, const struct model *m)
{
    uint64_t posts = 0;
    size_t d;

    for (d = 0; d < m->n; d++) {
        posts += m->dposts[d];
    }
    w_puts(w, "<header>\n<h1>Complaints about dishonest sales practices</h1>\n");
    w_printf(w, "<p class=\"lead\">Period <strong>%s</strong> to <strong>%s</strong> "
                "(%zu day%s; daily files for %zu), compared with the previous %zu days, "
                "%s to %s (daily files for %zu). %llu posts read in the period.",
             m->from, m->to, m->n, m->n == 1 ? "" : "s", m->cur.read, m->n, m->pfrom, m->pto,
             m->prev.read, (unsigned long long)posts);
    if (m->o->generated_at) {
        w_puts(w, " Generated at ");
        w_esc(w, m->o->generated_at);
        w_puts(w, ".");
    }
    w_puts(w, "</p>\n<nav aria-label=\"Sections\"><ul>"
              "<li><a href=\"#trend\">Complaints per day</a></li>"
              "<li><a href=\"#brands\">Brands and categories</a></li>"
              "<li><a href=\"#rules\">Rules</a></li>"
              "<li><a href=\"#recent\">Newest complaints</a></li>"
              "<li><a href=\"#lexicons\">Lexicon versions</a></li>"
              "<li><a href=\"#sources\">Sources' completeness</a></li>"
              "</ul></nav>\n</header>\n<main>\n");
}

static void render_legend(struct w *w, const struct model *m)
{
    size_t c;

    w_puts(w, "<ul class=\"legend\" aria-label=\"Legend\">");
    for (c = 0; c < m->nc; c++) {
        w_printf(w, "<li><span class=\"sw c%zu\"></span>", c % N_COLORS);
        w_esc(w, m->cats.v[c]);
        w_puts(w, "</li>");
    }
    w_puts(w, "<li><span class=\"sw line\"></span>share of posts (right axis)</li>"
              "<li><span class=\"sw fail\"></span>a source failed that day</li>"
              "<li><span class=\"sw nodata\"></span>no daily file</li></ul>\n");
}

/* The run status of day "d" as a short phrase for titles. */
static void w_run_note(struct w *w, const struct cnd_runs_day *r)
{
    size_t s;
    int first = 1;

    for (s = 0; s < r->n_sources; s++) {
        if (!r->sources[s].failed) {
            continue;
        }
        w_puts(w, first ? "" : "; ");
        w_esc(w, r->sources[s].source);
        w_printf(w, " failed %u of %u run%s", r->sources[s].failed, r->sources[s].runs,
                 r->sources[s].runs == 1 ? "" : "s");
        if (r->sources[s].last_error) {
            w_puts(w, " (");
            w_esc(w, r->sources[s].last_error);
            w_puts(w, ")");
        }
        first = 0;
    }
}

#define CW 720.0
#define CH 220.0
#define ML 44.0
#define MR 56.0
#define MT 14.0
#define MB 34.0

static void render_chart(struct w *w, const struct model *m, size_t bi, size_t idx)
{
    const size_t n = m->n, nc = m->nc;
    const double pw = CW - ML - MR, ph = CH - MT - MB, step = pw / (double)n;
    const double bw = step * (step < 4 ? 0.9 : 0.75);
    uint64_t maxc = 0, peak_day = 0, total = m->tot_compl[bi];
    double maxs = 0, ymax, smax;
    size_t d, c, k;
    int in_line = 0;
    char day[11];

    for (d = 0; d < n; d++) {
        uint64_t v = m->bcompl[bi * n + d];

        if (v > maxc) {
            maxc = v;
            peak_day = d;
        }
        if (m->bposts[bi * n + d]) {
            double s = 100.0 * (double)v / (double)m->bposts[bi * n + d];

            if (s > maxs) {
                maxs = s;
            }
        }
    }
    ymax = nice_count(maxc);
    smax = nice_ceil(maxs);
    w_printf(w, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                "aria-labelledby=\"ct%zu cd%zu\" xmlns=\"http://www.w3.org/2000/svg\">\n",
             CW, CH, idx, idx);
    w_printf(w, "<title id=\"ct%zu\">", idx);
    w_brand(w, m->brands.v[bi]);
    w_printf(w, ": complaints per day, %s to %s</title>\n", m->from, m->to);
    w_printf(w, "<desc id=\"cd%zu\">%llu complaint%s in %zu days", idx,
             (unsigned long long)total, total == 1 ? "" : "s", n);
    if (m->tot_posts[bi]) {
        w_printf(w, ", %.1f%% of %llu posts",
                 100.0 * (double)total / (double)m->tot_posts[bi],
                 (unsigned long long)m->tot_posts[bi]);
    }
    if (maxc) {
        cnd_day_from_num(m->cur.first + (int64_t)peak_day, day);
        w_printf(w, "; most on %s (%llu)", day, (unsigned long long)maxc);
    }
    w_puts(w, ". Bars: complaints per day, coloured by category; dashed line: share of "
              "posts; the table below gives every number.</desc>\n");
    /* grid and axes */
    for (k = 0; k <= 2; k++) {
        double y = MT + ph - ph * (double)k / 2.0;

        w_printf(w, "<line class=\"grid\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>"
                    "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%g</text>"
                    "<text x=\"%.0f\" y=\"%.1f\">%g%%</text>\n",
                 ML, ML + pw, y, y, ML - 5, y + 4, ymax * (double)k / 2.0, ML + pw + 5,
                 y + 4, smax * (double)k / 2.0);
    }
    w_printf(w, "<text x=\"2\" y=\"9\">complaints</text>"
                "<text x=\"%.0f\" y=\"9\" text-anchor=\"end\">share</text>\n", CW - 2);
    /* days without a daily file */
    for (d = 0; d < n; d++) {
        if (m->cur.days[d] == NULL) {
            cnd_day_from_num(m->cur.first + (int64_t)d, day);
            w_printf(w, "<rect class=\"nodata\" x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" "
                        "height=\"%.0f\"><title>%s: no daily file</title></rect>\n",
                     ML + step * (double)d, MT, step, ph, day);
        }
    }
    /* bars: the height is the day's complaints, split by category in proportion */
    for (d = 0; d < n; d++) {
        uint64_t v = m->bcompl[bi * n + d], sum = 0;
        double x = ML + step * (double)d + (step - bw) / 2, y = MT + ph, h;

        if (v == 0) {
            continue;
        }
        for (c = 0; c < nc; c++) {
            sum += m->bcat[(bi * nc + c) * n + d];
        }
        cnd_day_from_num(m->cur.first + (int64_t)d, day);
        w_printf(w, "<g><title>%s: %llu complaint%s of %llu posts (", day,
                 (unsigned long long)v, v == 1 ? "" : "s",
                 (unsigned long long)m->bposts[bi * n + d]);
        w_share(w, v, m->bposts[bi * n + d]);
        w_puts(w, ")");
        for (c = 0; c < nc; c++) {
            uint64_t cv = m->bcat[(bi * nc + c) * n + d];

            if (cv) {
                w_puts(w, "; ");
                w_esc(w, m->cats.v[c]);
                w_printf(w, " %llu", (unsigned long long)cv);
            }
        }
        w_puts(w, "</title>");
        h = ph * (double)v / ymax;
        if (sum == 0) {
            w_printf(w, "<rect class=\"seg c7\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                        "height=\"%.2f\"/>", x, y - h, bw, h);
        }
        for (c = 0; c < nc && sum; c++) {
            uint64_t cv = m->bcat[(bi * nc + c) * n + d];
            double sh = h * (double)cv / (double)sum;

            if (cv == 0) {
                continue;
            }
            y -= sh;
            w_printf(w, "<rect class=\"seg c%zu\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                        "height=\"%.2f\"/>", c % N_COLORS, x, y, bw, sh);
        }
        w_puts(w, "</g>\n");
    }
    /* share of posts: a dashed line, broken where there were no posts */
    for (d = 0; d < n; d++) {
        uint64_t p = m->bposts[bi * n + d];

        if (p == 0) {
            if (in_line) {
                w_puts(w, "\"/>\n");
                in_line = 0;
            }
            continue;
        }
        w_printf(w, "%s%.2f,%.2f", in_line ? " " : "<polyline class=\"share\" points=\"",
                 ML + step * ((double)d + 0.5),
                 MT + ph - ph * (100.0 * (double)m->bcompl[bi * n + d] / (double)p) / smax);
        in_line = 1;
    }
    if (in_line) {
        w_puts(w, "\"/>\n");
    }
    /* failed sources under the axis */
    for (d = 0; d < n; d++) {
        if (m->runs[d].known && m->runs[d].failed) {
            double x = ML + step * ((double)d + 0.5);

            cnd_day_from_num(m->cur.first + (int64_t)d, day);
            w_printf(w, "<path class=\"failmark\" d=\"M%.2f,%.1f l-4,7 h8 z\"><title>%s: ", x,
                     MT + ph + 2, day);
            w_run_note(w, &m->runs[d]);
            w_puts(w, "</title></path>\n");
        }
    }
    w_printf(w, "<line class=\"axis\" x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\"/>\n", ML,
             ML + pw, MT + ph, MT + ph);
    w_printf(w, "<text x=\"%.0f\" y=\"%.0f\">%s</text>", ML, CH - 6, m->from);
    if (n > 2) {
        cnd_day_from_num(m->cur.first + (int64_t)(n / 2), day);
        w_printf(w, "<text x=\"%.2f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>",
                 ML + step * ((double)(n / 2) + 0.5), CH - 6, day);
    }
    if (n > 1) {
        w_printf(w, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>", ML + pw,
                 CH - 6, m->to);
    }
    w_puts(w, "\n</svg>\n");
}

static void render_day_table(struct w *w, const struct model *m, size_t bi)
{
    const size_t n = m->n, nc = m->nc;
    size_t d, c;

    w_puts(w, "<details><summary>Daily numbers for ");
    w_brand(w, m->brands.v[bi]);
    w_puts(w, " (table)</summary>\n<div class=\"scroll\"><table>\n<caption>");
    w_brand(w, m->brands.v[bi]);
    w_puts(w, ": posts, complaints and complaints per category each day (a complaint filed "
              "under several categories counts in each)</caption>\n<thead><tr>"
              "<th scope=\"col\" class=\"l\">Day</th><th scope=\"col\">Posts</th>"
              "<th scope=\"col\">Complaints</th><th scope=\"col\">Share</th>");
    for (c = 0; c < nc; c++) {
        if (m->tot_bc[bi * nc + c]) {
            w_puts(w, "<th scope=\"col\">");
            w_esc(w, m->cats.v[c]);
            w_puts(w, "</th>");
        }
    }
    w_puts(w, "<th scope=\"col\" class=\"l\">Note</th></tr></thead>\n<tbody>\n");
    for (d = 0; d < n; d++) {
        char day[11];

        cnd_day_from_num(m->cur.first + (int64_t)d, day);
        w_printf(w, "<tr><th scope=\"row\">%s</th>", day);
        if (m->cur.days[d] == NULL) {
            w_puts(w, "<td>&ndash;</td><td>&ndash;</td><td>&ndash;</td>");
            for (c = 0; c < nc; c++) {
                if (m->tot_bc[bi * nc + c]) {
                    w_puts(w, "<td>&ndash;</td>");
                }
            }
        } else {
            w_printf(w, "<td>%llu</td><td>%llu</td><td>",
                     (unsigned long long)m->bposts[bi * n + d],
                     (unsigned long long)m->bcompl[bi * n + d]);
            w_share(w, m->bcompl[bi * n + d], m->bposts[bi * n + d]);
            w_puts(w, "</td>");
            for (c = 0; c < nc; c++) {
                if (m->tot_bc[bi * nc + c]) {
                    w_printf(w, "<td>%llu</td>",
                             (unsigned long long)m->bcat[(bi * nc + c) * n + d]);
                }
            }
        }
        w_puts(w, "<td class=\"l\">");
        if (m->cur.days[d] == NULL) {
            w_puts(w, "<span class=\"unknown\">no daily file</span>");
        }
        if (m->runs[d].known && m->runs[d].failed) {
            w_puts(w, m->cur.days[d] ? "" : "; ");
            w_puts(w, "<span class=\"fail\">source failed: ");
            w_run_note(w, &m->runs[d]);
            w_puts(w, "</span>");
        }
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table></div></details>\n");
}

static void render_trend(struct w *w, const struct model *m)
{
    size_t i;

    w_puts(w, "<section id=\"trend\" aria-labelledby=\"h-trend\">\n"
              "<h2 id=\"h-trend\">Complaints per day</h2>\n"
              "<p>For each brand: the complaints of each day (bar height), coloured by "
              "category in proportion to the complaints filed under each, and the share of "
              "the brand's posts that were complaints (dashed line). Days without a daily "
              "file are shaded; a triangle under a day marks a source that failed in that "
              "day's runs, so a low count there may be missing data.</p>\n");
    render_legend(w, m);
    if (m->nb == 0) {
        w_puts(w, "<p>No posts in this period.</p>\n");
    }
    for (i = 0; i < m->nb; i++) {
        size_t bi = m->border[i];

        w_printf(w, "<figure aria-labelledby=\"fb%zu\">\n<h3 id=\"fb%zu\">", i, i);
        w_brand(w, m->brands.v[bi]);
        w_printf(w, " <small>(%llu complaint%s, ", (unsigned long long)m->tot_compl[bi],
                 m->tot_compl[bi] == 1 ? "" : "s");
        w_share(w, m->tot_compl[bi], m->tot_posts[bi]);
        w_printf(w, " of %llu posts)</small></h3>\n", (unsigned long long)m->tot_posts[bi]);
        render_chart(w, m, bi, i);
        render_day_table(w, m, bi);
        w_puts(w, "</figure>\n");
    }
    w_puts(w, "</section>\n");
}

static void render_brand_table(struct w *w, const struct model *m)
{
    const size_t nc = m->nc;
    int prev_known = m->prev.read > 0;
    size_t i, c;

    w_puts(w, "<section id=\"brands\" aria-labelledby=\"h-brands\">\n"
              "<h2 id=\"h-brands\">Brands and categories</h2>\n<div class=\"scroll\">"
              "<table>\n<caption>");
    w_printf(w, "Complaints per brand and category, %s to %s; below each count, the change "
                "against the previous %zu days (%s to %s)", m->from, m->to, m->n, m->pfrom,
             m->pto);
    if (!prev_known) {
        w_puts(w, "; there is no daily file for the previous period, so no change is shown");
    }
    w_puts(w, ". A post naming two brands counts for each.</caption>\n<thead><tr>"
              "<th scope=\"col\" class=\"l\">Brand</th>");
    for (c = 0; c < nc; c++) {
        w_puts(w, "<th scope=\"col\">");
        w_esc(w, m->cats.v[c]);
        w_puts(w, "</th>");
    }
    w_puts(w, "<th scope=\"col\">All complaints</th><th scope=\"col\">Posts</th>"
              "<th scope=\"col\">Share</th></tr></thead>\n<tbody>\n");
    for (i = 0; i < m->nb; i++) {
        size_t bi = m->border[i];

        w_puts(w, "<tr><th scope=\"row\">");
        w_brand(w, m->brands.v[bi]);
        w_puts(w, "</th>");
        for (c = 0; c < nc; c++) {
            w_printf(w, "<td class=\"n\">%llu<br>", (unsigned long long)m->tot_bc[bi * nc + c]);
            w_change(w, m->tot_bc[bi * nc + c], m->prev_bc[bi * nc + c], prev_known);
            w_puts(w, "</td>");
        }
        w_printf(w, "<td class=\"n\"><strong>%llu</strong><br>",
                 (unsigned long long)m->tot_compl[bi]);
        w_change(w, m->tot_compl[bi], m->prev_compl[bi], prev_known);
        w_printf(w, "</td><td>%llu</td><td class=\"n\">", (unsigned long long)m->tot_posts[bi]);
        w_share(w, m->tot_compl[bi], m->tot_posts[bi]);
        if (prev_known && m->prev_posts[bi]) {
            w_puts(w, "<br><span class=\"same\">was ");
            w_share(w, m->prev_compl[bi], m->prev_posts[bi]);
            w_puts(w, "</span>");
        }
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table></div>\n</section>\n");
}

static void render_rules(struct w *w, const struct model *m)
{
    size_t top = m->o->top_rules ? m->o->top_rules : DEFAULT_TOP_RULES, i;

    w_puts(w, "<section id=\"rules\" aria-labelledby=\"h-rules\">\n"
              "<h2 id=\"h-rules\">Rules that fired most</h2>\n");
    if (m->n_rules == 0) {
        w_puts(w, "<p>No rule fired in this period.</p>\n</section>\n");
        return;
    }
    w_puts(w, "<div class=\"scroll\"><table>\n<caption>Lexicon rules by the number of "
              "complaints they fired in (from each day's top rules per source and brand; a "
              "post naming two brands counts for each)</caption>\n<thead><tr>"
              "<th scope=\"col\">#</th><th scope=\"col\" class=\"l\">Rule</th>"
              "<th scope=\"col\" class=\"l\">Category</th><th scope=\"col\">Complaints</th>"
              "</tr></thead>\n<tbody>\n");
    for (i = 0; i < m->n_rules && i < top; i++) {
        w_printf(w, "<tr><td>%zu</td><th scope=\"row\"><code>", i + 1);
        w_esc(w, m->rules[i].rule);
        w_puts(w, "</code></th><td class=\"l\">");
        w_esc(w, m->rules[i].category ? m->rules[i].category : "");
        w_printf(w, "</td><td>%llu</td></tr>\n", (unsigned long long)m->rules[i].count);
    }
    w_puts(w, "</tbody></table></div>\n</section>\n");
}

static int is_web_url(const char *u)
{
    const char *p;

    if (u == NULL || (strncasecmp(u, "https://", 8) != 0 && strncasecmp(u, "http://", 7) != 0)) {
        return 0;
    }
    for (p = u; *p; p++) {
        if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
            return 0;
        }
    }
    return 1;
}

static void render_recent(struct w *w, const struct model *m)
{
    size_t max_text = m->o->max_text ? m->o->max_text : DEFAULT_MAX_TEXT, i, k;

    w_puts(w, "<section id=\"recent\" aria-labelledby=\"h-recent\">\n"
              "<h2 id=\"h-recent\">Newest complaints</h2>\n");
    if (m->n_recent == 0) {
        w_puts(w, "<p>No complaint in this period.</p>\n</section>\n");
        return;
    }
    w_printf(w, "<p>The %zu newest flagged posts of the period, as their authors wrote them; "
                "the words that triggered a rule are highlighted.</p>\n<ol class=\"complaints\">\n",
             m->n_recent);
    for (i = 0; i < m->n_recent; i++) {
        const struct cnd_complaint *c = m->recent[i];

        w_puts(w, "<li><article>\n<p class=\"meta\">");
        if (c->created_at) {
            w_puts(w, "<time datetime=\"");
            w_esc(w, c->created_at);
            w_puts(w, "\">");
            w_esc(w, c->created_at);
            w_puts(w, "</time> &middot; ");
        }
        w_esc(w, c->source);
        if (c->author && *c->author) {
            w_puts(w, " &middot; ");
            w_esc(w, c->author);
        }
        for (k = 0; k < c->n_brands; k++) {
            w_puts(w, k ? ", " : " &middot; brand: ");
            w_esc(w, c->brands[k]);
        }
        w_puts(w, "<br>");
        for (k = 0; k < c->n_categories; k++) {
            w_puts(w, "<span class=\"tag\">");
            w_esc(w, c->categories[k]);
            w_puts(w, "</span>");
        }
        w_puts(w, "</p>\n<p class=\"text\">");
        if (!w->err) {
            w->err = cnd_html_highlight(w->b, c->text, c->text_len, c->evidence, c->n_evidence,
                                        max_text);
        }
        w_puts(w, "</p>\n<p class=\"meta\">");
        if (is_web_url(c->url)) {
            w_puts(w, "<a href=\"");
            w_esc(w, c->url);
            w_puts(w, "\" rel=\"nofollow noopener noreferrer\">source post</a> (");
            w_esc(w, c->url);
            w_puts(w, ")");
        } else {
            w_puts(w, "no link");
        }
        w_puts(w, " &middot; id ");
        w_esc(w, c->id);
        w_puts(w, "</p>\n</article></li>\n");
    }
    w_puts(w, "</ol>\n</section>\n");
}

static void render_lexicons(struct w *w, const struct model *m)
{
    size_t i;

    w_puts(w, "<section id=\"lexicons\" aria-labelledby=\"h-lexicons\">\n"
              "<h2 id=\"h-lexicons\">Lexicon versions</h2>\n");
    if (m->n_lex == 0) {
        w_puts(w, "<p>No daily file in this period.</p>\n</section>\n");
        return;
    }
    if (m->n_lex > 1) {
        w_puts(w, "<p class=\"fail\">The period was classified with more than one lexicon "
                  "version: counts before and after a change are not strictly "
                  "comparable.</p>\n");
    }
    w_puts(w, "<table>\n<caption>The lexicon version (first 16 hex digits of its SHA-256) "
              "stamped on each day's file</caption>\n<thead><tr>"
              "<th scope=\"col\" class=\"l\">Version</th><th scope=\"col\">First day</th>"
              "<th scope=\"col\">Last day</th><th scope=\"col\">Days</th></tr></thead>\n"
              "<tbody>\n");
    for (i = 0; i < m->n_lex; i++) {
        w_puts(w, "<tr><th scope=\"row\"><code>");
        w_esc(w, *m->lex[i].version ? m->lex[i].version : "(none)");
        w_printf(w, "</code></th><td>%s</td><td>%s</td><td>%zu</td></tr>\n", m->lex[i].first,
                 m->lex[i].last, m->lex[i].days);
    }
    w_puts(w, "</tbody></table>\n</section>\n");
}

static void render_sources(struct w *w, const struct model *m)
{
    size_t d, s, failed = 0, unknown = 0, missing = 0;

    for (d = 0; d < m->n; d++) {
        failed += m->runs[d].known && m->runs[d].failed;
        unknown += !m->runs[d].known;
        missing += m->cur.days[d] == NULL;
    }
    w_puts(w, "<section id=\"sources\" aria-labelledby=\"h-sources\">\n"
              "<h2 id=\"h-sources\">Sources' completeness</h2>\n<ul>\n");
    w_printf(w, "<li>%zu day%s with a failed source%s</li>\n", failed, failed == 1 ? "" : "s",
             failed ? ": their counts may be low (marked below and under the charts)" : "");
    w_printf(w, "<li>%zu day%s without a run log (completeness unknown, e.g. days rebuilt "
                "with <code>candor replay</code>)</li>\n", unknown, unknown == 1 ? "" : "s");
    w_printf(w, "<li>%zu day%s without a daily file</li>\n</ul>\n", missing,
             missing == 1 ? "" : "s");
    w_printf(w, "<details%s><summary>Every day of the period (table)</summary>\n"
                "<div class=\"scroll\"><table>\n<caption>Posts per day and the state of the "
                "sources in that day's runs</caption>\n<thead><tr>"
                "<th scope=\"col\" class=\"l\">Day</th><th scope=\"col\">Posts</th>"
                "<th scope=\"col\">Runs</th><th scope=\"col\" class=\"l\">Sources</th>"
                "</tr></thead>\n<tbody>\n", m->n <= 62 ? " open" : "");
    for (d = 0; d < m->n; d++) {
        const struct cnd_runs_day *r = &m->runs[d];
        char day[11];

        cnd_day_from_num(m->cur.first + (int64_t)d, day);
        w_printf(w, "<tr><th scope=\"row\">%s</th>", day);
        if (m->cur.days[d]) {
            w_printf(w, "<td>%llu</td>", (unsigned long long)m->dposts[d]);
        } else {
            w_puts(w, "<td><span class=\"unknown\">no file</span></td>");
        }
        if (!r->known) {
            w_puts(w, "<td>&ndash;</td><td class=\"l\"><span class=\"unknown\">unknown (no run "
                      "log)</span></td></tr>\n");
            continue;
        }
        w_printf(w, "<td>%u</td><td class=\"l\"><span class=\"%s\">%s</span>", r->lines,
                 run_status_class(r), r->failed ? "FAILED:" : "ok:");
        for (s = 0; s < r->n_sources; s++) {
            const struct cnd_run_source *src = &r->sources[s];

            w_puts(w, s ? "; " : " ");
            w_esc(w, src->source);
            if (src->failed) {
                w_printf(w, " <span class=\"fail\">failed %u of %u</span>", src->failed,
                         src->runs);
                if (src->last_error) {
                    w_puts(w, " (");
                    w_esc(w, src->last_error);
                    w_puts(w, ")");
                }
            } else {
                w_printf(w, " %llu post%s", (unsigned long long)src->posts,
                         src->posts == 1 ? "" : "s");
            }
        }
        w_puts(w, "</td></tr>\n");
    }
    w_puts(w, "</tbody></table></div></details>\n</section>\n");
}

static void render_footer(struct w *w, const struct model *m)
{
    w_puts(w, "</main>\n<footer>\n<p>Made by <code>candor report</code> from the daily files "
              "(<code>daily/DAY.json.gz</code>), complaint files and run logs of the data "
              "directory. Counts are posts, each counted once per day; a complaint is a post "
              "the lexicon flagged, so some are false positives: read the texts.");
    w_printf(w, " Period %s to %s.</p>\n</footer>\n</body>\n</html>\n", m->from, m->to);
}

/* ---- Entry point ---- */

int cnd_report_render(const struct cnd_report_opts *o, struct cnd_buf *html,
                      struct cnd_issues *iss, struct cnd_report_stats *st)
{
    struct model m;
    struct w w;
    int64_t first, last, earliest = INT64_MIN;
    size_t days = o->days ? o->days : DEFAULT_DAYS;
    int ret;

    memset(&m, 0, sizeof(m));
    m.o = o;
    if ((o->from && cnd_day_check(o->from) < 0) || (o->to && cnd_day_check(o->to) < 0)) {
        return CND_EINVAL;
    }
    if (o->to) {
        last = cnd_day_num(o->to);
    } else {
        struct cnd_day *list = NULL;
        size_t n = 0;

        ret = cnd_daily_list(o->data_dir, "daily", ".json.gz", o->from, NULL, &list, &n);
        if (ret < 0) {
            return ret;
        }
        if (n == 0) {
            cnd_free(list);
            if (o->from == NULL) {
                return CND_ENOENT;
            }
            last = cnd_day_num(o->from) + (int64_t)days - 1;
        } else {
            last = cnd_day_num(list[n - 1].s);
            earliest = cnd_day_num(list[0].s);
            cnd_free(list);
        }
    }
    if (o->from) {
        first = cnd_day_num(o->from);
    } else {
        /* the last "days" days, but not before the first daily file */
        first = last - (int64_t)days + 1;
        if (o->to == NULL && earliest > first && earliest <= last) {
            first = earliest;
        }
    }
    if (first > last || last - first + 1 > MAX_PERIOD_DAYS) {
        return CND_EINVAL;
    }
    m.n = (size_t)(last - first + 1);
    cnd_day_from_num(first, m.from);
    cnd_day_from_num(last, m.to);
    cnd_day_from_num(first - (int64_t)m.n, m.pfrom);
    cnd_day_from_num(first - 1, m.pto);
    ret = period_load(o->data_dir, first, m.n, iss, &m.cur);
    if (ret == 0) {
        ret = period_load(o->data_dir, first - (int64_t)m.n, m.n, iss, &m.prev);
    }
    if (ret == 0) {
        ret = collect_names(&m, &m.cur);
    }
    if (ret == 0) {
        ret = collect_names(&m, &m.prev);
    }
    if (ret == 0) {
        m.nb = m.brands.n;
        m.nc = m.cats.n;
        ret = sum_period(&m);
    }
    if (ret == 0) {
        ret = collect_lexicons(&m);
    }
    if (ret == 0) {
        ret = load_runs(&m, iss);
    }
    if (ret == 0) {
        ret = load_recent(&m, iss);
    }
    if (ret < 0) {
        model_release(&m);
        return ret;
    }
    w.b = html;
    w.err = 0;
    render_head(&w, &m);
    render_header(&w, &m);
    render_trend(&w, &m);
    render_brand_table(&w, &m);
    render_rules(&w, &m);
    render_recent(&w, &m);
    render_lexicons(&w, &m);
    render_sources(&w, &m);
    render_footer(&w, &m);
    if (st) {
        size_t d;

        memset(st, 0, sizeof(*st));
        memcpy(st->from, m.from, 11);
        memcpy(st->to, m.to, 11);
        st->n_days = m.n;
        st->days_read = m.cur.read;
        st->prev_days_read = m.prev.read;
        st->complaint_files = m.complaint_files;
        for (d = 0; d < m.n; d++) {
            st->posts += m.dposts[d];
        }
        st->brands = m.nb;
        st->categories = m.nc;
    }
    model_release(&m);
    return w.err;
}
