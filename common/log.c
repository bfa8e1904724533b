/* SPDX-License-Identifier: MIT */
/* Level-checked logging to stderr, as text or JSON lines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/log.h"

int cnd_log_level = CND_LOG_INFO;
static int log_json;
static unsigned long log_counts[4];

static const char *const level_names[] = { "error", "warn", "info", "debug" };

void cnd_log_set_level(int level)
{
    cnd_log_level = level;
}

void cnd_log_set_json(int on)
{
    log_json = on;
}

unsigned long cnd_log_count(int level)
{
    if (level < 0 || level > CND_LOG_DEBUG) {
        return 0;
    }
    return log_counts[level];
}

void cnd_log_write(int level, const char *module, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;

    if (level < 0) {
        level = 0;
    }
    if (level > CND_LOG_DEBUG) {
        level = CND_LOG_DEBUG;
    }
    log_counts[level]++;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);

    if (log_json) {
        struct cnd_buf b;
        char ts[32];
        time_t now = time(NULL);
        struct tm tm;

        gmtime_r(&now, &tm);
        strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
        cnd_buf_init(&b, 0);
        if (cnd_buf_addf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":", ts,
                         level_names[level]) == 0 &&
            cnd_buf_add_json_str(&b, module, strlen(module)) == 0 &&
            cnd_buf_adds(&b, ",\"msg\":") == 0 &&
            cnd_buf_add_json_str(&b, msg, strlen(msg)) == 0 &&
            cnd_buf_adds(&b, "}\n") == 0) {
            fputs(b.data, stderr);
        }
        cnd_buf_release(&b);
    } else {
        fprintf(stderr, "[%s] [%s] %s\n", level_names[level], module, msg);
    }
}
