/* SPDX-License-Identifier: MIT */
/*
 * Prometheus text format for the textfile collector (see metrics.h).
 * A family is a name, a type, a help text and a list of samples; a sample
 * is its rendered label text ({a="x",b="y"}, escaped once when set) and a
 * value. Sizes are small (sources times HTTP statuses), so lookups are
 * linear.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/err.h"
#include "output/metrics.h"
#include "output/output.h"

struct sample {
    char *labels;   /* "" or "{k=\"v\",...}" */
    double value;
};

struct family {
    char *name;
    char *help;
    enum cnd_metric_type type;
    char *label_names;   /* "k1,k2" of the first sample; NULL before it */
    struct sample *samples;
    size_t n, cap;
};

struct cnd_metrics {
    struct family *fams;
    size_t n, cap;
};

/* ---- Names and escaping ---- */

static int name_ok(const char *s, int colon)
{
    const char *p;

    if (s == NULL || s[0] == '\0' || (s[0] >= '0' && s[0] <= '9')) {
        return 0;
    }
    for (p = s; *p; p++) {
        char c = *p;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || (colon && c == ':'))) {
            return 0;
        }
    }
    /* Names starting with "__" are reserved for Prometheus itself. */
    return !(colon == 0 && s[0] == '_' && s[1] == '_');
}

/* Escapes "s" for a label value (quote too) or a help text. */
static int add_escaped(struct cnd_buf *b, const char *s, int quote)
{
    int ret = 0;

    for (; *s && ret == 0; s++) {
        if (*s == '\\') {
            ret = cnd_buf_adds(b, "\\\\");
        } else if (*s == '\n') {
            ret = cnd_buf_adds(b, "\\n");
        } else if (quote && *s == '"') {
            ret = cnd_buf_adds(b, "\\\"");
        } else {
            ret = cnd_buf_addc(b, *s);
        }
    }
    return ret;
}

static int add_value(struct cnd_buf *b, double v)
{
    if (isnan(v)) {
        return cnd_buf_adds(b, "NaN");
    }
    if (isinf(v)) {
        return cnd_buf_adds(b, v > 0 ? "+Inf" : "-Inf");
    }
    if (v == floor(v) && fabs(v) < 9007199254740992.0) {
        return cnd_buf_add_i64(b, (int64_t)v);
    }
    return cnd_buf_addf(b, "%.17g", v);
}

/* ---- Families and samples ---- */

struct cnd_metrics *cnd_metrics_new(void)
{
    return cnd_calloc(1, sizeof(struct cnd_metrics));
}

void cnd_metrics_free(struct cnd_metrics *m)
{
    size_t i, j;

    if (m == NULL) {
        return;
    }
    for (i = 0; i < m->n; i++) {
        struct family *f = &m->fams[i];

        for (j = 0; j < f->n; j++) {
            cnd_free(f->samples[j].labels);
        }
        cnd_free(f->samples);
        cnd_free(f->name);
        cnd_free(f->help);
        cnd_free(f->label_names);
    }
    cnd_free(m->fams);
    cnd_free(m);
}

static struct family *find_family(const struct cnd_metrics *m, const char *name)
{
    size_t i;

    for (i = 0; i < m->n; i++) {
        if (strcmp(m->fams[i].name, name) == 0) {
            return &m->fams[i];
        }
    }
    return NULL;
}

int cnd_metrics_declare(struct cnd_metrics *m, const char *name, enum cnd_metric_type type,
                        const char *help)
{
    struct family *f;

    if (!name_ok(name, 1) || help == NULL || find_family(m, name) != NULL) {
        return CND_EINVAL;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        struct family *grown = cnd_realloc(m->fams, cap * sizeof(*grown));

        if (grown == NULL) {
            return CND_ENOMEM;
        }
        m->fams = grown;
        m->cap = cap;
    }
    f = &m->fams[m->n];
    memset(f, 0, sizeof(*f));
    f->type = type;
    f->name = cnd_strdup(name);
    f->help = cnd_strdup(help);
    if (f->name == NULL || f->help == NULL) {
        cnd_free(f->name);
        cnd_free(f->help);
        return CND_ENOMEM;
    }
    m->n++;
    return 0;
}

/* Renders the label set into "labels" and its names into "names". */
static int render_labels(const char *const *labels, size_t n_labels, struct cnd_buf *text,
                         struct cnd_buf *names)
{
    size_t i;
    int ret = 0;

    for (i = 0; i < n_labels; i++) {
        const char *k = labels[2 * i], *v = labels[2 * i + 1];
        size_t j;

        if (!name_ok(k, 0) || v == NULL) {
            return CND_EINVAL;
        }
        for (j = 0; j < i; j++) {
            if (strcmp(labels[2 * j], k) == 0) {
                return CND_EINVAL;   /* a label given twice */
            }
        }
        ret = cnd_buf_adds(text, i ? "," : "{");
        if (ret == 0) {
            ret = cnd_buf_addf(text, "%s=\"", k);
        }
        if (ret == 0) {
            ret = add_escaped(text, v, 1);
        }
        if (ret == 0) {
            ret = cnd_buf_addc(text, '"');
        }
        if (ret == 0) {
            ret = cnd_buf_addf(names, "%s%s", i ? "," : "", k);
        }
        if (ret < 0) {
            return ret;
        }
    }
    if (n_labels) {
        ret = cnd_buf_addc(text, '}');
    }
    if (ret == 0 && text->data == NULL) {
        ret = cnd_buf_adds(text, "");   /* a buffer with data, even when empty */
    }
    if (ret == 0 && names->data == NULL) {
        ret = cnd_buf_adds(names, "");
    }
    return ret;
}

static int update(struct cnd_metrics *m, const char *name, const char *const *labels,
                  size_t n_labels, double value, int add)
{
    struct family *f = find_family(m, name);
    struct cnd_buf text, names;
    size_t i;
    int ret;

    if (f == NULL || (n_labels && labels == NULL)) {
        return CND_EINVAL;
    }
    cnd_buf_init(&text, 0);
    cnd_buf_init(&names, 0);
    ret = render_labels(labels, n_labels, &text, &names);
    if (ret < 0) {
        goto out;
    }
    if (f->label_names && strcmp(f->label_names, names.data) != 0) {
        ret = CND_EINVAL;
        goto out;
    }
    for (i = 0; i < f->n; i++) {
        if (strcmp(f->samples[i].labels, text.data) == 0) {
            f->samples[i].value = add ? f->samples[i].value + value : value;
            goto out;
        }
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        struct sample *grown = cnd_realloc(f->samples, cap * sizeof(*grown));

        if (grown == NULL) {
            ret = CND_ENOMEM;
            goto out;
        }
        f->samples = grown;
        f->cap = cap;
    }
    if (f->label_names == NULL) {
        f->label_names = cnd_buf_detach(&names);
        if (f->label_names == NULL) {
            ret = CND_ENOMEM;
            goto out;
        }
    }
    f->samples[f->n].labels = cnd_buf_detach(&text);
    if (f->samples[f->n].labels == NULL) {
        ret = CND_ENOMEM;
        goto out;
    }
    f->samples[f->n].value = value;
    f->n++;
out:
    cnd_buf_release(&text);
    cnd_buf_release(&names);
    return ret;
}

int cnd_metrics_set(struct cnd_metrics *m, const char *name, const char *const *labels,
                    size_t n_labels, double value)
{
    return update(m, name, labels, n_labels, value, 0);
}

int cnd_metrics_add(struct cnd_metrics *m, const char *name, const char *const *labels,
                    size_t n_labels, double value)
{
    return update(m, name, labels, n_labels, value, 1);
}

/* ---- Rendering ---- */

static int cmp_sample(const void *a, const void *b)
{
    const struct sample *const *x = a, *const *y = b;

    return strcmp((*x)->labels, (*y)->labels);
}

int cnd_metrics_render(const struct cnd_metrics *m, struct cnd_buf *out)
{
    const struct sample **order = NULL;
    size_t i, j, max = 0;
    int ret = 0;

    for (i = 0; i < m->n; i++) {
        if (m->fams[i].n > max) {
            max = m->fams[i].n;
        }
    }
    if (max) {
        order = cnd_malloc(max * sizeof(*order));
        if (order == NULL) {
            return CND_ENOMEM;
        }
    }
    for (i = 0; ret == 0 && i < m->n; i++) {
        const struct family *f = &m->fams[i];

        if (f->n == 0) {
            continue;
        }
        ret = cnd_buf_addf(out, "# HELP %s ", f->name);
        if (ret == 0) {
            ret = add_escaped(out, f->help, 0);
        }
        if (ret == 0) {
            ret = cnd_buf_addf(out, "\n# TYPE %s %s\n", f->name,
                               f->type == CND_METRIC_COUNTER ? "counter" : "gauge");
        }
        for (j = 0; j < f->n; j++) {
            order[j] = &f->samples[j];
        }
        qsort(order, f->n, sizeof(*order), cmp_sample);
        for (j = 0; ret == 0 && j < f->n; j++) {
            ret = cnd_buf_addf(out, "%s%s ", f->name, order[j]->labels);
            if (ret == 0) {
                ret = add_value(out, order[j]->value);
            }
            if (ret == 0) {
                ret = cnd_buf_addc(out, '\n');
            }
        }
    }
    cnd_free(order);
    return ret;
}

int cnd_metrics_write(const struct cnd_metrics *m, const char *path)
{
    struct cnd_buf text;
    const char *slash = strrchr(path, '/');
    int ret;

    if (slash && slash != path) {
        char *dir = cnd_strndup(path, (size_t)(slash - path));

        if (dir == NULL) {
            return CND_ENOMEM;
        }
        ret = cnd_mkdirs(dir);
        cnd_free(dir);
        if (ret < 0) {
            return ret;
        }
    }
    cnd_buf_init(&text, 0);
    ret = cnd_metrics_render(m, &text);
    if (ret == 0) {
        ret = cnd_write_file_atomic(path, text.data ? text.data : "", text.len);
    }
    cnd_buf_release(&text);
    return ret;
}
