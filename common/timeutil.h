/* SPDX-License-Identifier: MIT */
/*
 * Timestamps and days. Parses the forms the APIs use and buckets a UTC
 * time into a calendar day, in UTC or in a configured IANA time zone.
 */
#ifndef CND_TIMEUTIL_H
#define CND_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Parses "len" bytes at "s" as a timestamp and stores UTC seconds in
 * "*out". Accepted: ISO-8601 / RFC 3339 date-times
 * "YYYY-MM-DDTHH:MM:SS" (or a space instead of T) with an optional
 * fraction of any number of digits (truncated), then "Z", "+HH:MM",
 * "+HHMM", "+HH", "-..." or nothing (= UTC); a plain date "YYYY-MM-DD"
 * (midnight UTC); and epoch seconds as an integer or a decimal
 * ("1431396317", "1431396317.0", "1.4e9" is not accepted). A leap second
 * ":60" is clamped to ":59". Returns 0, or CND_EPARSE (out untouched).
 */
int cnd_time_parse(const char *s, size_t len, int64_t *out);

/* Formats "t" as "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with the NUL). */
void cnd_time_format(int64_t t, char out[21]);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t cnd_days_from_civil(int64_t y, unsigned m, unsigned d);
void cnd_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/*
 * Day bucketing. A zone is set once per process (the config names at most
 * one); NULL or "" or "UTC" means UTC, computed without the C library's
 * time-zone state.
 */
struct cnd_tz;

/*
 * Returns a zone for the IANA name "name" (e.g. "America/New_York"), or
 * NULL with CND_EINVAL in "*err" when no such zone exists under
 * /usr/share/zoneinfo (or $TZDIR). Free with cnd_tz_free (NULL is fine).
 */
struct cnd_tz *cnd_tz_new(const char *name, int *err);
void cnd_tz_free(struct cnd_tz *tz);

/*
 * Writes the local calendar day of UTC time "t" in zone "tz" (NULL: UTC)
 * as "YYYY-MM-DD" plus a NUL into "day".
 */
void cnd_day_of(const struct cnd_tz *tz, int64_t t, char day[11]);

/* Checks that "s" is a valid "YYYY-MM-DD" date. Returns 0 or CND_EPARSE. */
int cnd_day_check(const char *s);

#endif
