/* SPDX-License-Identifier: MIT */
/*
 * Error codes shared by every module. Functions return 0 on success and a
 * negative CND_E* on failure; cnd_strerror() names each code.
 */
#ifndef CND_ERR_H
#define CND_ERR_H

enum cnd_err {
    CND_OK = 0,
    CND_ENOMEM = -1,   /* allocation failed */
    CND_EINVAL = -2,   /* bad argument or bad configuration */
    CND_EIO = -3,      /* read, write, fsync or rename failed (errno kept) */
    CND_EPARSE = -4,   /* malformed input (JSON, lexicon, timestamp) */
    CND_ETOOBIG = -5,  /* input over a size cap */
    CND_EAGAIN = -6,   /* transient: retry later (HTTP 408/429/5xx, timeouts) */
    CND_EHTTP = -7,    /* permanent HTTP error (other 4xx) */
    CND_ENOENT = -8,   /* no such file, key or item */
    CND_EUTF8 = -9,    /* invalid UTF-8 */
    CND_ETRUNC = -10,  /* truncated input (gzip stream, last line) */
    CND_ELOCK = -11,   /* another process holds the lock */
    CND_ELIMIT = -12,  /* a safety limit was hit (regex match limit, depth) */
    CND_EAUTH = -13,   /* 401/403: credentials or permissions */
    CND_ESTOP = -14,   /* stopped on request (signal, deadline) */
};

/* Returns a static, lowercase description of "code". */
const char *cnd_strerror(int code);

#endif
