/* SPDX-License-Identifier: MIT */
/*
 * Rate limits and retry delays, as pure functions (no clock, no I/O, no
 * randomness of their own) so that every dialect is unit-tested:
 *   Retry-After            seconds ("120") or an HTTP-date (RFC 9110)
 *   Mastodon               X-RateLimit-Limit/-Remaining, -Reset an ISO time
 *   Bluesky                RateLimit-Limit/-Remaining, -Reset epoch seconds
 *   Reddit                 x-ratelimit-used/-remaining ("598.0"), -reset
 *                          seconds until the window ends
 * Header names are compared case-insensitively. A reset value is read by
 * its form: an ISO date-time is absolute, a number of at least 1e9 is
 * epoch seconds, a smaller number is seconds from now.
 */
#ifndef CND_RATELIMIT_H
#define CND_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "ingest/source.h"

/* What the headers of one response said. */
struct cnd_ratelimit {
    int has_limit, has_remaining, has_reset, has_retry_after;
    double limit;        /* requests per window */
    double remaining;    /* requests left in the window */
    double reset_at;     /* UTC seconds (with fraction) when the window resets */
    double retry_at;     /* UTC seconds when Retry-After allows a new request */
};

/*
 * Parses an HTTP-date "s" (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
 * the obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime
 * "Sun Nov  6 08:49:37 1994" forms) into UTC seconds. Returns 0 or
 * CND_EPARSE ("*out" untouched).
 */
int cnd_http_date_parse(const char *s, int64_t *out);

/*
 * Parses a Retry-After value "v" (delay seconds or an HTTP-date) received
 * at UTC time "now" into the UTC time "*at" after which a request may be
 * sent. Returns 0 or CND_EPARSE.
 */
int cnd_retry_after_parse(const char *v, double now, double *at);

/*
 * Parses a rate-limit reset value "v" received at "now" (ISO date-time,
 * epoch seconds, or seconds from now; see above) into "*at". Returns 0 or
 * CND_EPARSE.
 */
int cnd_ratelimit_reset_parse(const char *v, double now, double *at);

/*
 * Reads the rate-limit headers among "h" ("n" headers) of a response
 * received at "now" into "*rl" (fields absent or unreadable are left
 * unset: has_* = 0). Never fails.
 */
void cnd_ratelimit_parse(const struct cnd_header *h, size_t n, double now,
                         struct cnd_ratelimit *rl);

/*
 * How long to wait, in seconds from "now", before the next request, given
 * what a response with status "status" said ("rl"):
 *  - 429 and 503: until Retry-After, else until the reset when the
 *    response said when that is; -1 when it said neither (the caller
 *    then backs off exponentially: a 429 is never retried at once);
 *  - any other status (pacing): until the reset when nothing remains,
 *    the time to the reset spread over the requests left when fewer
 *    than a tenth of the limit remain (10 when the limit is unknown),
 *    else 0.
 * The result is never negative except for the -1 above.
 */
double cnd_ratelimit_wait(const struct cnd_ratelimit *rl, long status, double now);

/*
 * The delay before try number "attempt" + 1 (attempt >= 1 failed tries so
 * far): exponential from "base" seconds, at most "cap", with "equal
 * jitter": half of it fixed and half scaled by "rnd" in [0, 1).
 */
double cnd_backoff_delay(double base, double cap, unsigned attempt, double rnd);

#endif
