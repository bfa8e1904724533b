/* SPDX-License-Identifier: MIT */
/* Names of the CND_E* error codes. */
#include "common/err.h"

const char *cnd_strerror(int code)
{
    switch (code) {
    case CND_OK: return "success";
    case CND_ENOMEM: return "out of memory";
    case CND_EINVAL: return "invalid argument";
    case CND_EIO: return "input/output error";
    case CND_EPARSE: return "parse error";
    case CND_ETOOBIG: return "input too large";
    case CND_EAGAIN: return "temporary failure, try again";
    case CND_EHTTP: return "HTTP error";
    case CND_ENOENT: return "not found";
    case CND_EUTF8: return "invalid UTF-8";
    case CND_ETRUNC: return "truncated input";
    case CND_ELOCK: return "locked by another process";
    case CND_ELIMIT: return "safety limit reached";
    case CND_EAUTH: return "not authorized";
    case CND_ESTOP: return "stopped";
    }
    return "unknown error";
}
