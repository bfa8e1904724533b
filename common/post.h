/* SPDX-License-Identifier: MIT */
/*
 * The normalized post record every stage shares: ingest adapters and the
 * NDJSON reader produce it, analyze reads it, output aggregates it.
 * Strings are borrowed views ("ptr" + "len", not necessarily
 * NUL-terminated) into a buffer owned by whoever filled the record; a
 * missing field has ptr == NULL and len == 0.
 */
#ifndef CND_POST_H
#define CND_POST_H

#include <stddef.h>
#include <stdint.h>

struct cnd_str {
    const char *ptr;
    size_t len;
};

struct cnd_post {
    struct cnd_str source;      /* configured source name */
    struct cnd_str id;          /* the API's stable id, as a string */
    struct cnd_str author;
    struct cnd_str text;        /* UTF-8, HTML stripped, entities decoded */
    struct cnd_str url;
    struct cnd_str lang;        /* may be empty */
    struct cnd_str created_raw; /* created_at as found in the input */
    int64_t created_at;         /* UTC seconds since the epoch */
    int has_created_at;         /* 0 when missing or unparseable */
};

#endif
