/* SPDX-License-Identifier: MIT */
/*
 * Logging to stderr. cnd_log() checks the level before formatting, so a
 * disabled debug line costs one comparison. Lines look like
 *   [warn] [ingest:mastodon] HTTP 429 from 'https://...'
 * or, with cnd_log_set_json(1), one JSON object per line for log shippers:
 *   {"ts":"2026-11-23T07:00:00Z","level":"warn","module":"ingest:mastodon","msg":"..."}
 * Messages are lowercase, without a full stop, subjects in quotes.
 */
#ifndef CND_LOG_H
#define CND_LOG_H

enum cnd_log_level {
    CND_LOG_ERROR = 0,
    CND_LOG_WARN = 1,
    CND_LOG_INFO = 2,
    CND_LOG_DEBUG = 3,
};

extern int cnd_log_level;

void cnd_log_set_level(int level);
void cnd_log_set_json(int on);
/* Counts of error and warning lines printed so far (for exit codes, metrics). */
unsigned long cnd_log_count(int level);

void cnd_log_write(int level, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define cnd_log(level, module, ...)                                  \
    do {                                                             \
        if ((level) <= cnd_log_level) {                              \
            cnd_log_write((level), (module), __VA_ARGS__);           \
        }                                                            \
    } while (0)

#endif
