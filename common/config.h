/* SPDX-License-Identifier: MIT */
/*
 * The configuration file: one JSON object, comments allowed (// line and
 * slash-star block comments).
 * Validated against a table of known keys: an unknown key, a wrong type or
 * a bad value is an error reported as "FILE:LINE: key.path: message".
 * Sections that later parts of candor own (e.g. "sources") are kept as
 * positioned JSON trees so they can be validated by their owners with the
 * same message format.
 */
#ifndef CND_CONFIG_H
#define CND_CONFIG_H

#include <stddef.h>

#include "common/postjson.h"

/* ---- Positioned JSON values ---- */

enum cnd_jtype { CND_JNULL, CND_JBOOL, CND_JNUM, CND_JSTR, CND_JARR, CND_JOBJ };

struct cnd_jval {
    enum cnd_jtype type;
    unsigned line;           /* 1-based line where the value starts */
    char *str;               /* JSTR: the string; JNUM: the number's text */
    int boolean;             /* JBOOL */
    double num;              /* JNUM */
    size_t n;                /* JARR/JOBJ: number of items */
    char **keys;             /* JOBJ: keys, in file order */
    unsigned *key_lines;     /* JOBJ: line of each key */
    struct cnd_jval **items; /* JARR/JOBJ: values */
};

/*
 * Parses "len" bytes of JSON (comments allowed) from "text" into a tree.
 * "name" is the file name for messages. On failure returns NULL and writes
 * "NAME:LINE: message" into "err" ("errlen" bytes).
 */
struct cnd_jval *cnd_jval_parse(const char *name, const char *text, size_t len,
                                char *err, size_t errlen);
void cnd_jval_free(struct cnd_jval *v);
/* The value of key "key" in object "obj", or NULL. */
const struct cnd_jval *cnd_jval_get(const struct cnd_jval *obj, const char *key);

/* ---- The configuration ---- */

struct cnd_brand {
    char *name;
    char **aliases;
    size_t n_aliases;
};

/* "alerts": defaults of `candor alerts` (and of `candor run`'s alerts step); 0/NULL = unset. */
struct cnd_alerts_config {
    char *webhook_env;       /* environment variable holding the webhook URL */
    double baseline_days, min_baseline_days, min_count, min_ratio, max_p;
};

struct cnd_config {
    char *path;              /* the file read, or NULL for defaults */
    char *data_dir;          /* "data_dir"; default "data" */
    char *lexicon;           /* "lexicon", made relative to the config file; NULL = the CLI's search order */
    char *timezone;          /* "timezone" (IANA); NULL = UTC */
    char *user_agent;        /* "user_agent" for HTTP; NULL = the default */
    struct cnd_brand *brands;
    size_t n_brands;
    struct cnd_fieldmap fields; /* "replay": {"fields": {"id": "...", ...}} */
    double threshold;        /* "analyze": {"threshold": N}; <0 = the lexicon's */
    struct cnd_jval *sources; /* "sources": kept raw for ingest; may be NULL */
    struct cnd_alerts_config alerts; /* "alerts" */
    struct cnd_jval *root;   /* the whole parsed file (owns the strings above) */
};

/*
 * Sets "cfg" to the defaults (no file). Never fails.
 */
void cnd_config_defaults(struct cnd_config *cfg);

/*
 * Reads and validates "path" into "cfg". On failure returns a negative
 * code, writes every problem found (one per line, "FILE:LINE: key.path:
 * message") into "err" (truncated to "errlen"), and leaves "cfg" released.
 */
int cnd_config_load(const char *path, struct cnd_config *cfg, char *err, size_t errlen);

void cnd_config_release(struct cnd_config *cfg);

#endif
