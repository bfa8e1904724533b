/* SPDX-License-Identifier: MIT */
/*
 * Line reader over plain or gzip input. The first two bytes decide: the
 * gzip magic (1f 8b) selects inflate, anything else is read as it is.
 * Gzip members are inflated one after another until the file ends
 * (appended segments are normal); bytes after the last member that do
 * not start another member are ignored, as gzip and zlib's gzread do.
 * A stream that ends inside a member is truncated: every complete line
 * before the cut is returned, then CND_ETRUNC.
 *
 * zlib's inflate is driven directly from read(2) rather than through
 * gzread, so that the compressed byte count is known for every input
 * (standard input included, where gzoffset cannot tell) and the
 * decoded/compressed ratio cap holds for pipes too.
 *
 * Lines are found with memchr in one growable buffer; no allocation and
 * no per-byte call happens per line. A line longer than max_line is
 * skipped whole: its bytes are discarded as they arrive, so the buffer
 * never grows past max_line + 2 bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/err.h"
#include "common/lines.h"

#define IN_SIZE (256u * 1024u)        /* raw read size */
#define BUF_INIT (1024u * 1024u)      /* initial line buffer */
#define RATIO_FLOOR (1ULL << 30)      /* ratio checked past 1 GiB decoded */

enum mode { MODE_UNKNOWN, MODE_PLAIN, MODE_GZIP };

struct cnd_lines {
    int fd;
    int own_fd;
    char *path;
    struct cnd_lines_opts o;

    /* Raw input (compressed bytes, or the first bytes of a plain file). */
    unsigned char *in;
    size_t in_pos, in_len;
    int raw_eof;
    enum mode mode;
    z_stream z;
    int z_init;
    int in_member;       /* inside a gzip member (not at its end) */

    /* Decoded bytes: [pos, end) not yet returned; [pos, scan) has no '\n'. */
    char *buf;
    size_t cap, pos, end, scan;
    int eof;             /* no more data will arrive */
    int final;           /* what to return once the buffer is drained */
    int skipping;        /* discarding the rest of an over-long line */
    uint64_t lineno;
    uint64_t raw, decoded;
};

/* ---- zlib allocation through cnd_malloc ---- */

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return cnd_calloc(items, size);
}

static void z_free(voidpf opaque, voidpf ptr)
{
    (void)opaque;
    cnd_free(ptr);
}

/* ---- Opening and closing ---- */

struct cnd_lines *cnd_lines_open(const char *path, const struct cnd_lines_opts *opts,
                                 int *err)
{
    struct cnd_lines *lr;
    struct stat st;
    int dummy;

    if (err == NULL) {
        err = &dummy;
    }
    if (path == NULL) {
        *err = CND_EINVAL;
        return NULL;
    }
    lr = cnd_calloc(1, sizeof(*lr));
    if (lr == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    lr->fd = -1;
    lr->o.max_line = 16u * 1024u * 1024u;
    lr->o.max_decoded = 64ULL * 1024 * 1024 * 1024;
    lr->o.max_ratio = 1000;
    if (opts != NULL) {
        if (opts->max_line) {
            lr->o.max_line = opts->max_line;
        }
        if (opts->max_decoded) {
            lr->o.max_decoded = opts->max_decoded;
        }
        if (opts->max_ratio) {
            lr->o.max_ratio = opts->max_ratio;
        }
    }
    lr->final = CND_LINES_EOF;
    lr->path = cnd_strdup(path);
    lr->in = cnd_malloc(IN_SIZE);
    lr->cap = BUF_INIT;
    lr->buf = cnd_malloc(lr->cap);
    if (lr->path == NULL || lr->in == NULL || lr->buf == NULL) {
        cnd_lines_close(lr);
        *err = CND_ENOMEM;
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        lr->fd = 0;
        lr->own_fd = 0;
    } else {
        lr->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (lr->fd < 0) {
            *err = (errno == ENOENT || errno == ENOTDIR) ? CND_ENOENT : CND_EIO;
            cnd_lines_close(lr);
            return NULL;
        }
        lr->own_fd = 1;
        if (fstat(lr->fd, &st) != 0 || S_ISDIR(st.st_mode)) {
            cnd_lines_close(lr);
            *err = CND_EIO;
            return NULL;
        }
    }
    return lr;
}

void cnd_lines_close(struct cnd_lines *lr)
{
    if (lr == NULL) {
        return;
    }
    if (lr->z_init) {
        inflateEnd(&lr->z);
    }
    if (lr->own_fd && lr->fd >= 0) {
        close(lr->fd);
    }
    cnd_free(lr->buf);
    cnd_free(lr->in);
    cnd_free(lr->path);
    cnd_free(lr);
}

const char *cnd_lines_path(const struct cnd_lines *lr)
{
    return lr->path;
}

uint64_t cnd_lines_raw_bytes(const struct cnd_lines *lr)
{
    return lr->raw;
}

uint64_t cnd_lines_decoded_bytes(const struct cnd_lines *lr)
{
    return lr->decoded;
}

/* ---- Reading and decoding ---- */

/* read(2) with EINTR retried; counts raw bytes. Returns bytes, 0 or -1. */
static ssize_t raw_read(struct cnd_lines *lr, void *dst, size_t n)
{
    ssize_t got;

    do {
        got = read(lr->fd, dst, n);
    } while (got < 0 && errno == EINTR);
    if (got > 0) {
        lr->raw += (uint64_t)got;
    }
    return got;
}

/* Makes raw input available in "in". Returns 1, 0 at end of file, or -1. */
static int in_fill(struct cnd_lines *lr)
{
    ssize_t got;

    if (lr->in_pos < lr->in_len) {
        return 1;
    }
    if (lr->raw_eof) {
        return 0;
    }
    got = raw_read(lr, lr->in, IN_SIZE);
    if (got < 0) {
        return -1;
    }
    if (got == 0) {
        lr->raw_eof = 1;
        return 0;
    }
    lr->in_pos = 0;
    lr->in_len = (size_t)got;
    return 1;
}

/* Reads until two bytes are known (or the input ends), then picks a mode. */
static int detect(struct cnd_lines *lr)
{
    while (lr->in_len < 2 && !lr->raw_eof) {
        ssize_t got = raw_read(lr, lr->in + lr->in_len, IN_SIZE - lr->in_len);

        if (got < 0) {
            return CND_EIO;
        }
        if (got == 0) {
            lr->raw_eof = 1;
        }
        lr->in_len += (size_t)got;
    }
    if (lr->in_len >= 2 && lr->in[0] == 0x1f && lr->in[1] == 0x8b) {
        memset(&lr->z, 0, sizeof(lr->z));
        lr->z.zalloc = z_alloc;
        lr->z.zfree = z_free;
        if (inflateInit2(&lr->z, 15 + 16) != Z_OK) {
            return CND_ENOMEM;
        }
        lr->z_init = 1;
        lr->in_member = 1;
        lr->mode = MODE_GZIP;
    } else {
        lr->mode = MODE_PLAIN;
    }
    return 0;
}

/* Stops the input with "status" (CND_LINES_EOF or a negative code). */
static size_t stop(struct cnd_lines *lr, int status)
{
    lr->eof = 1;
    lr->final = status;
    return 0;
}

/*
 * Inflates into "dst" (at most "space" bytes). Returns the bytes produced;
 * 0 means the input is over and "final" says why.
 */
static size_t gz_fill(struct cnd_lines *lr, char *dst, size_t space)
{
    for (;;) {
        size_t produced;
        int r, ret;

        r = in_fill(lr);
        if (r < 0) {
            return stop(lr, CND_EIO);
        }
        if (r == 0) {
            return stop(lr, lr->in_member ? CND_ETRUNC : CND_LINES_EOF);
        }
        if (!lr->in_member) {
            /* Between members: another one, or trailing bytes to ignore. */
            if (lr->in[lr->in_pos] != 0x1f) {
                lr->in_pos = lr->in_len;
                return stop(lr, CND_LINES_EOF);
            }
            if (inflateReset(&lr->z) != Z_OK) {
                return stop(lr, CND_EIO);
            }
            lr->in_member = 1;
        }
        lr->z.next_in = lr->in + lr->in_pos;
        lr->z.avail_in = (uInt)(lr->in_len - lr->in_pos);
        lr->z.next_out = (Bytef *)dst;
        lr->z.avail_out = (uInt)space;
        ret = inflate(&lr->z, Z_NO_FLUSH);
        lr->in_pos = lr->in_len - lr->z.avail_in;
        produced = space - lr->z.avail_out;
        switch (ret) {
        case Z_STREAM_END:
            lr->in_member = 0;
            break;
        case Z_OK:
            break;
        case Z_BUF_ERROR:
            /* No progress: more input is needed (avail_in is 0). */
            if (lr->z.avail_in != 0 && produced == 0) {
                return stop(lr, CND_EPARSE);
            }
            break;
        case Z_MEM_ERROR:
            return stop(lr, CND_ENOMEM);
        default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
            return stop(lr, CND_EPARSE);
        }
        if (produced > 0) {
            return produced;
        }
    }
}

/* Appends decoded bytes at buf + end; returns how many (0: input over). */
static size_t fill(struct cnd_lines *lr)
{
    size_t space = lr->cap - 1 - lr->end; /* one byte kept for the NUL */
    char *dst = lr->buf + lr->end;
    size_t n;

    if (lr->mode == MODE_UNKNOWN) {
        int ret = detect(lr);

        if (ret < 0) {
            return stop(lr, ret);
        }
    }
    if (lr->mode == MODE_GZIP) {
        n = gz_fill(lr, dst, space);
    } else if (lr->in_pos < lr->in_len) {
        n = lr->in_len - lr->in_pos;
        if (n > space) {
            n = space;
        }
        memcpy(dst, lr->in + lr->in_pos, n);
        lr->in_pos += n;
    } else {
        ssize_t got = lr->raw_eof ? 0 : raw_read(lr, dst, space);

        if (got < 0) {
            return stop(lr, CND_EIO);
        }
        if (got == 0) {
            return stop(lr, CND_LINES_EOF);
        }
        n = (size_t)got;
    }
    if (n == 0) {
        return 0;
    }
    lr->decoded += n;
    if (lr->decoded > lr->o.max_decoded ||
        (lr->decoded > RATIO_FLOOR && lr->raw > 0 &&
         lr->decoded / lr->raw > lr->o.max_ratio)) {
        return stop(lr, CND_ETOOBIG);
    }
    return n;
}

/* ---- Lines ---- */

int cnd_lines_next(struct cnd_lines *lr, const char **line, size_t *len, uint64_t *lineno)
{
    for (;;) {
        size_t n;

        if (lr->scan < lr->end) {
            char *nl = memchr(lr->buf + lr->scan, '\n', lr->end - lr->scan);

            if (nl != NULL) {
                char *start = lr->buf + lr->pos;

                n = (size_t)(nl - start);
                lr->pos = (size_t)(nl - lr->buf) + 1;
                lr->scan = lr->pos;
                if (lr->skipping) {
                    /* The end of a line already reported as too long. */
                    lr->skipping = 0;
                    continue;
                }
                lr->lineno++;
                *lineno = lr->lineno;
                if (n > lr->o.max_line) {
                    return CND_LINES_LONG;
                }
                if (n > 0 && start[n - 1] == '\r') {
                    n--;
                }
                start[n] = '\0';
                *line = start;
                *len = n;
                return CND_LINES_OK;
            }
            lr->scan = lr->end;
        }
        if (lr->eof) {
            if (lr->pos < lr->end && lr->final == CND_LINES_EOF) {
                char *start = lr->buf + lr->pos;

                n = lr->end - lr->pos;
                lr->pos = lr->end;
                lr->scan = lr->end;
                if (lr->skipping) {
                    lr->skipping = 0;
                    continue;
                }
                lr->lineno++;
                *lineno = lr->lineno;
                if (n > lr->o.max_line) {
                    return CND_LINES_LONG;
                }
                if (n > 0 && start[n - 1] == '\r') {
                    n--;
                }
                start[n] = '\0';
                *line = start;
                *len = n;
                return CND_LINES_PARTIAL;
            }
            /* A cut line before an error is dropped, never returned. */
            lr->pos = lr->end;
            lr->scan = lr->end;
            return lr->final;
        }

        /* No '\n' in [pos, end): make room and read more. */
        if (lr->skipping) {
            lr->pos = lr->end = lr->scan = 0;
        } else if (lr->end - lr->pos > lr->o.max_line) {
            lr->skipping = 1;
            lr->lineno++;
            *lineno = lr->lineno;
            lr->pos = lr->end = lr->scan = 0;
            return CND_LINES_LONG;
        } else if (lr->pos > 0) {
            memmove(lr->buf, lr->buf + lr->pos, lr->end - lr->pos);
            lr->end -= lr->pos;
            lr->scan = lr->end;
            lr->pos = 0;
        }
        if (lr->cap - 1 - lr->end == 0) {
            /* The line fills the buffer but is within max_line: grow. */
            size_t ncap = lr->cap * 2;
            char *nbuf;

            if (ncap > lr->o.max_line + 2) {
                ncap = lr->o.max_line + 2;
            }
            if (ncap <= lr->cap) {
                ncap = lr->cap + 1;
            }
            nbuf = cnd_realloc(lr->buf, ncap);
            if (nbuf == NULL) {
                stop(lr, CND_ENOMEM);
                continue;
            }
            lr->buf = nbuf;
            lr->cap = ncap;
        }
        n = fill(lr);
        lr->end += n;
    }
}
