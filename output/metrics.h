/* SPDX-License-Identifier: MIT */
/*
 * Metrics in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector: families declared with their type
 * and help text, samples set by label set, rendered in declaration order
 * with samples sorted by their labels (so the same figures give the same
 * bytes), and written atomically, because the collector may read the file
 * at any moment:
 *
 *   # HELP candor_last_run_posts_fetched Posts fetched by the last run, per source.
 *   # TYPE candor_last_run_posts_fetched gauge
 *   candor_last_run_posts_fetched{source="masto-scam"} 120
 *
 * Label values are escaped (backslash, double quote, newline) and help
 * texts too (backslash, newline); metric and label names are checked
 * against [a-zA-Z_:][a-zA-Z0-9_:]* and [a-zA-Z_][a-zA-Z0-9_]*.
 */
#ifndef CND_METRICS_H
#define CND_METRICS_H

#include "common/buf.h"

enum cnd_metric_type { CND_METRIC_GAUGE, CND_METRIC_COUNTER };

struct cnd_metrics;

struct cnd_metrics *cnd_metrics_new(void);
/* Frees everything; NULL is fine. */
void cnd_metrics_free(struct cnd_metrics *m);

/*
 * Declares the family "name" of type "type" with help text "help" (both
 * copied). Returns 0, CND_EINVAL for a bad name or a name declared twice,
 * CND_ENOMEM.
 */
int cnd_metrics_declare(struct cnd_metrics *m, const char *name, enum cnd_metric_type type,
                        const char *help);

/*
 * Sets the sample of family "name" with labels "labels" (pairs of name
 * and value strings, "n_labels" pairs; NULL when 0) to "value", replacing
 * an earlier value of the same label set. Returns 0, CND_EINVAL (family
 * not declared, bad label name, label names in a different order than
 * the family's first sample), CND_ENOMEM.
 */
int cnd_metrics_set(struct cnd_metrics *m, const char *name, const char *const *labels,
                    size_t n_labels, double value);

/* Like cnd_metrics_set, but adds "value" to the sample (created at 0). */
int cnd_metrics_add(struct cnd_metrics *m, const char *name, const char *const *labels,
                    size_t n_labels, double value);

/*
 * Appends the text format to "out": per family HELP, TYPE, then its
 * samples sorted by label text (families without samples are left out).
 * Values are integers when they are whole (|v| < 2^53), else %.17g; NaN
 * and infinities as Prometheus spells them. Returns 0 or CND_ENOMEM.
 */
int cnd_metrics_render(const struct cnd_metrics *m, struct cnd_buf *out);

/*
 * Renders and writes "path" atomically (temporary file, fsync, rename),
 * creating its directory. Returns 0, CND_EIO (errno kept; the old file
 * stays), CND_ENOMEM.
 */
int cnd_metrics_write(const struct cnd_metrics *m, const char *path);

#endif
