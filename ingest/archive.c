/* SPDX-License-Identifier: MIT */
/*
 * The page archive (see archive.h): a writer that appends one gzip member
 * per page and fsyncs it, and a reader that yields the pages back for
 * replay. A member is compressed in memory and written with one write()
 * loop; when writing or fsync fails, the file is cut back to where it was,
 * so a later page never follows half a member.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "common/alloc.h"
#include "common/buf.h"
#include "common/err.h"
#include "common/lines.h"
#include "common/log.h"
#include "common/timeutil.h"
#include "common/utf8.h"
#include "ingest/archive.h"
#include "ingest/http.h"
#include "ingest/jsonpath.h"

#define ARCHIVE_MAX_LINE (96u << 20)
#define ARCHIVE_MAX_HEADERS 64

/* ---- Base64 ---- */

static const char b64tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int b64_val(char c)
{
    const char *p = c ? strchr(b64tab, c) : NULL;

    return p ? (int)(p - b64tab) : -1;
}

static int b64_decode(struct cnd_buf *b, const char *s, size_t len)
{
    unsigned v = 0;
    int bits = 0, ret = 0;
    size_t i;

    for (i = 0; i < len && ret == 0; i++) {
        int d;

        if (s[i] == '=') {
            break;
        }
        d = b64_val(s[i]);
        if (d < 0) {
            return CND_EPARSE;
        }
        v = (v << 6) | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            ret = cnd_buf_addc(b, (char)((v >> bits) & 0xff));
        }
    }
    return ret;
}

/* ---- Writing ---- */

struct cnd_archive {
    char *data_dir;
    char *source;
    char *run_id;
    char day[11];
    char *path;           /* current segment */
    int fd;
    struct cnd_buf line;
    unsigned char *gz;
    size_t gz_cap;
};

struct cnd_archive *cnd_archive_new(const char *data_dir, const char *source, const char *run_id,
                                    int *err)
{
    struct cnd_archive *a = cnd_calloc(1, sizeof(*a));

    if (a == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    a->fd = -1;
    a->data_dir = cnd_strdup(data_dir);
    a->source = cnd_strdup(source);
    a->run_id = cnd_strdup(run_id);
    cnd_buf_init(&a->line, 0);
    if (a->data_dir == NULL || a->source == NULL || a->run_id == NULL) {
        cnd_archive_free(a);
        *err = CND_ENOMEM;
        return NULL;
    }
    return a;
}

const char *cnd_archive_segment(const struct cnd_archive *a)
{
    return a->path;
}

void cnd_archive_free(struct cnd_archive *a)
{
    if (a == NULL) {
        return;
    }
    if (a->fd >= 0) {
        close(a->fd);
    }
    cnd_free(a->data_dir);
    cnd_free(a->source);
    cnd_free(a->run_id);
    cnd_free(a->path);
    cnd_free(a->gz);
    cnd_buf_release(&a->line);
    cnd_free(a);
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int ret = 0;

    if (fd < 0) {
        return -1;
    }
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) {
        ret = -1;
    }
    close(fd);
    return ret;
}

/*
 * Creates directory "path" and its missing parents (0755). Kept here rather
 * than calling output/'s cnd_mkdirs so that the archive (and its reader,
 * which replay and the fuzz target link) needs nothing from output/.
 */
static int make_dirs(const char *path)
{
    char *copy = cnd_strdup(path), *p;
    struct stat st;
    int ret = 0;

    if (copy == NULL) {
        return CND_ENOMEM;
    }
    for (p = copy + 1;; p++) {
        char c = *p;

        if (c != '/' && c != '\0') {
            continue;
        }
        *p = '\0';
        if (mkdir(copy, 0755) != 0 && (stat(copy, &st) != 0 || !S_ISDIR(st.st_mode))) {
            cnd_log(CND_LOG_ERROR, "archive", "cannot create directory '%s': %s", copy,
                    strerror(errno == EEXIST ? ENOTDIR : errno));
            ret = CND_EIO;
            break;
        }
        *p = c;
        if (c == '\0') {
            break;
        }
    }
    cnd_free(copy);
    return ret;
}

/* Opens a new segment for "day"; fsyncs the directories it lives in. */
static int open_segment(struct cnd_archive *a, const char *day)
{
    struct cnd_buf dir, path;
    size_t dlen[4];
    int ret, fd = -1, i;

    cnd_buf_init(&dir, 0);
    cnd_buf_init(&path, 0);
    ret = cnd_buf_addf(&dir, "%s/archive", a->data_dir);
    dlen[0] = dir.len;
    if (ret == 0) {
        ret = cnd_buf_addf(&dir, "/%s", a->source);
    }
    dlen[1] = dir.len;
    if (ret == 0) {
        ret = cnd_buf_addf(&dir, "/%s", day);
    }
    dlen[2] = dir.len;
    if (ret == 0) {
        ret = make_dirs(dir.data);
    }
    for (i = 0; ret == 0 && i < 100 && fd < 0; i++) {
        cnd_buf_reset(&path);
        ret = i == 0 ? cnd_buf_addf(&path, "%s/%s.ndjson.gz", dir.data, a->run_id)
                     : cnd_buf_addf(&path, "%s/%s-%d.ndjson.gz", dir.data, a->run_id, i);
        if (ret == 0) {
            fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
            if (fd < 0 && errno != EEXIST) {
                cnd_log(CND_LOG_ERROR, "archive", "cannot create '%s': %s", path.data,
                        strerror(errno));
                ret = CND_EIO;
            }
        }
    }
    if (ret == 0 && fd < 0) {
        cnd_log(CND_LOG_ERROR, "archive", "cannot create a segment in '%s'", dir.data);
        ret = CND_EIO;
    }
    /* the new entries must survive a crash before any checkpoint points past them */
    dlen[3] = 0;
    for (i = 2; ret == 0 && i >= 0; i--) {
        dir.data[dlen[i]] = '\0';
        if (fsync_dir(dir.data) != 0) {
            cnd_log(CND_LOG_ERROR, "archive", "cannot fsync directory '%s': %s", dir.data,
                    strerror(errno));
            ret = CND_EIO;
        }
    }
    if (ret == 0) {
        if (a->fd >= 0) {
            close(a->fd);
        }
        cnd_free(a->path);
        a->fd = fd;
        a->path = cnd_buf_detach(&path);
        memcpy(a->day, day, sizeof(a->day));
        if (a->path == NULL) {
            ret = CND_ENOMEM;
        }
    } else if (fd >= 0) {
        close(fd);
        unlink(path.data);
    }
    cnd_buf_release(&dir);
    cnd_buf_release(&path);
    return ret;
}

static int keep_header(const char *name)
{
    return strcasecmp(name, "link") == 0 || strcasecmp(name, "content-type") == 0 ||
           strcasecmp(name, "date") == 0 || strcasecmp(name, "retry-after") == 0 ||
           strncasecmp(name, "x-ratelimit-", 12) == 0 || strncasecmp(name, "ratelimit-", 10) == 0;
}

static int add_str_or_null(struct cnd_buf *b, const char *s)
{
    return s ? cnd_buf_add_json_str(b, s, strlen(s)) : cnd_buf_adds(b, "null");
}

/* The JSON line of page "p" (without the newline) into "b". */
static int format_page(struct cnd_buf *b, const struct cnd_archive_page *p)
{
    struct cnd_buf url;
    char when[21];
    size_t i, n = 0;
    int ret;

    cnd_buf_init(&url, 0);
    ret = cnd_url_redact(&url, p->url ? p->url : "");
    cnd_time_format((int64_t)p->fetched_at, when);
    if (ret == 0) {
        ret = cnd_buf_adds(b, "{\"archive\":1,\"source\":");
    }
    if (ret == 0) {
        ret = add_str_or_null(b, p->source);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"kind\":");
    }
    if (ret == 0) {
        ret = add_str_or_null(b, p->kind);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"url\":");
    }
    if (ret == 0) {
        ret = cnd_buf_add_json_str(b, url.data ? url.data : "", url.len);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(b, ",\"status\":%ld,\"fetched_at\":\"%s\",\"cursor_in\":", p->status,
                           when);
    }
    if (ret == 0) {
        ret = add_str_or_null(b, p->cursor_in);
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, ",\"cursor_out\":");
    }
    if (ret == 0) {
        ret = add_str_or_null(b, p->cursor_out);
    }
    if (ret == 0) {
        ret = cnd_buf_addf(b, ",\"more\":%s,\"posts\":%ld,\"headers\":[", p->more ? "true" : "false",
                           p->posts);
    }
    for (i = 0; ret == 0 && i < p->n_headers; i++) {
        const struct cnd_header *h = &p->headers[i];

        if (h->name == NULL || h->value == NULL || !keep_header(h->name) ||
            !cnd_utf8_valid(h->value, strlen(h->value), NULL) ||
            !cnd_utf8_valid(h->name, strlen(h->name), NULL)) {
            continue;
        }
        ret = cnd_buf_adds(b, n++ ? ",[" : "[");
        if (ret == 0) {
            ret = cnd_buf_add_json_str(b, h->name, strlen(h->name));
        }
        if (ret == 0) {
            ret = cnd_buf_addc(b, ',');
        }
        if (ret == 0) {
            ret = cnd_buf_add_json_str(b, h->value, strlen(h->value));
        }
        if (ret == 0) {
            ret = cnd_buf_addc(b, ']');
        }
    }
    if (ret == 0) {
        if (cnd_utf8_valid(p->body ? p->body : "", p->len, NULL)) {
            ret = cnd_buf_adds(b, "],\"body\":");
            if (ret == 0) {
                ret = cnd_buf_add_json_str(b, p->body ? p->body : "", p->len);
            }
        } else {
            ret = cnd_buf_adds(b, "],\"body_b64\":\"");
            if (ret == 0) {
                ret = cnd_buf_add_base64(b, (const unsigned char *)p->body, p->len);
            }
            if (ret == 0) {
                ret = cnd_buf_addc(b, '"');
            }
        }
    }
    if (ret == 0) {
        ret = cnd_buf_adds(b, "}\n");
    }
    cnd_buf_release(&url);
    return ret;
}

/* Compresses "len" bytes into one gzip member in a->gz; returns its size or 0. */
static size_t gzip_member(struct cnd_archive *a, const char *data, size_t len)
{
    z_stream zs;
    size_t need;
    int zr;

    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return 0;
    }
    need = deflateBound(&zs, (uLong)len) + 64;
    if (need > a->gz_cap) {
        unsigned char *n = cnd_realloc(a->gz, need);

        if (n == NULL) {
            deflateEnd(&zs);
            return 0;
        }
        a->gz = n;
        a->gz_cap = need;
    }
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)len;
    zs.next_out = a->gz;
    zs.avail_out = (uInt)a->gz_cap;
    zr = deflate(&zs, Z_FINISH);
    need = zs.total_out;
    if (deflateEnd(&zs) != Z_OK || zr != Z_STREAM_END) {
        return 0;
    }
    return need;
}

int cnd_archive_append(struct cnd_archive *a, const struct cnd_archive_page *p)
{
    char day[11];
    struct stat st;
    size_t n, off = 0;
    int ret;

    if (p->len > (size_t)UINT32_MAX / 8) {
        return CND_ETOOBIG;
    }
    cnd_day_of(NULL, (int64_t)p->fetched_at, day);
    if (a->fd < 0 || strcmp(day, a->day) != 0) {
        ret = open_segment(a, day);
        if (ret < 0) {
            return ret;
        }
    }
    cnd_buf_reset(&a->line);
    ret = format_page(&a->line, p);
    if (ret < 0) {
        return ret;
    }
    n = gzip_member(a, a->line.data, a->line.len);
    if (n == 0) {
        return CND_ENOMEM;
    }
    if (fstat(a->fd, &st) != 0) {
        cnd_log(CND_LOG_ERROR, "archive", "cannot stat '%s': %s", a->path, strerror(errno));
        return CND_EIO;
    }
    while (off < n) {
        ssize_t w = write(a->fd, a->gz + off, n - off);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            break;
        }
        off += (size_t)w;
    }
    if (off < n || fsync(a->fd) != 0) {
        int e = errno;

        /* never leave half a member for the next page to follow */
        if (ftruncate(a->fd, st.st_size) != 0 || fsync(a->fd) != 0) {
            cnd_log(CND_LOG_ERROR, "archive", "cannot cut '%s' back after a failed write",
                    a->path);
            close(a->fd);
            a->fd = -1;   /* the next page opens a new segment */
            a->day[0] = '\0';
        }
        cnd_log(CND_LOG_ERROR, "archive", "cannot write '%s': %s", a->path,
                strerror(e ? e : EIO));
        return CND_EIO;
    }
    return 0;
}

/* ---- Reading ---- */

enum {
    R_ROOT, R_ARCHIVE, R_SOURCE, R_KIND, R_URL, R_STATUS, R_FETCHED, R_CIN, R_COUT, R_MORE,
    R_POSTS, R_BODY, R_B64, R_HPAIR, R_HVAL, R_COUNT
};

static const char *const r_pats[R_COUNT] = {
    "", "archive", "source", "kind", "url", "status", "fetched_at", "cursor_in", "cursor_out",
    "more", "posts", "body", "body_b64", "headers.*", "headers.*.*",
};

#define R_NSTR 8   /* string fields kept: source .. body_b64 mapped below */

struct cnd_archive_reader {
    struct cnd_lines *lr;
    struct cnd_jp *jp;
    struct cnd_buf source, kind, url, cin, cout, body, hdrs;
    int has_cin, has_cout, has_body, has_b64, version, root_map;
    long status;
    int has_status;
    double fetched_at;
    long posts;
    int more;
    size_t hoff[ARCHIVE_MAX_HEADERS][2];
    size_t n_h;
    int pair_pos;
    struct cnd_header h[ARCHIVE_MAX_HEADERS];
    char error[256];
};

int cnd_archive_is_page(const char *line, size_t len)
{
    static const char prefix[] = "{\"archive\":";

    return len >= sizeof(prefix) - 1 && memcmp(line, prefix, sizeof(prefix) - 1) == 0;
}

static long to_long(const char *s, size_t len)
{
    long v = 0;
    size_t i;

    for (i = 0; i < len && i < 18 && s[i] >= '0' && s[i] <= '9'; i++) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int rd_open(void *ud, int id, enum cnd_jp_type t)
{
    struct cnd_archive_reader *r = ud;

    if (id == R_ROOT) {
        r->root_map = t == CND_JP_MAP;
    } else if (id == R_HPAIR && t == CND_JP_ARR) {
        r->pair_pos = 0;
    }
    return 0;
}

static int rd_scalar(void *ud, int id, enum cnd_jp_type t, const char *s, size_t len)
{
    struct cnd_archive_reader *r = ud;
    struct cnd_buf *dst = NULL;
    int ret;

    switch (id) {
    case R_ARCHIVE:
        r->version = t == CND_JP_NUM ? (int)to_long(s, len) : -1;
        return 0;
    case R_STATUS:
        if (t == CND_JP_NUM) {
            r->status = to_long(s, len);
            r->has_status = 1;
        }
        return 0;
    case R_POSTS:
        r->posts = t == CND_JP_NUM ? to_long(s, len) : -1;
        return 0;
    case R_MORE:
        r->more = t == CND_JP_BOOL && len == 4;
        return 0;
    case R_FETCHED:
        if (t == CND_JP_STR) {
            int64_t v;

            if (cnd_time_parse(s, len, &v) == 0) {
                r->fetched_at = (double)v;
            }
        }
        return 0;
    case R_SOURCE: dst = &r->source; break;
    case R_KIND: dst = &r->kind; break;
    case R_URL: dst = &r->url; break;
    case R_CIN: dst = &r->cin; r->has_cin = t == CND_JP_STR; break;
    case R_COUT: dst = &r->cout; r->has_cout = t == CND_JP_STR; break;
    case R_BODY: dst = &r->body; r->has_body = t == CND_JP_STR; break;
    case R_B64:
        if (t != CND_JP_STR) {
            return 0;
        }
        r->has_b64 = 1;
        cnd_buf_reset(&r->body);
        return b64_decode(&r->body, s, len);
    case R_HVAL:
        if (t != CND_JP_STR || r->pair_pos > 1 || r->n_h >= ARCHIVE_MAX_HEADERS) {
            return 0;
        }
        r->hoff[r->n_h][r->pair_pos] = r->hdrs.len;
        ret = cnd_buf_add(&r->hdrs, s, len);
        if (ret == 0) {
            ret = cnd_buf_addc(&r->hdrs, '\0');
        }
        if (ret == 0 && ++r->pair_pos == 2) {
            r->n_h++;
        }
        return ret;
    default:
        return 0;
    }
    if (t != CND_JP_STR) {
        return 0;
    }
    cnd_buf_reset(dst);
    ret = cnd_buf_add(dst, s, len);
    if (ret == 0 && dst->data == NULL) {
        /* an empty string: still a NUL-terminated one */
        ret = cnd_buf_addc(dst, '\0');
        dst->len = 0;
    }
    return ret;
}

static const struct cnd_jp_handler rd_handler = { rd_open, NULL, rd_scalar };

struct cnd_archive_reader *cnd_archive_reader_new(void)
{
    struct cnd_archive_reader *r = cnd_calloc(1, sizeof(*r));

    if (r == NULL) {
        return NULL;
    }
    r->jp = cnd_jp_new(r_pats, R_COUNT, &rd_handler, r, 16, 0);
    if (r->jp == NULL) {
        cnd_free(r);
        return NULL;
    }
    cnd_buf_init(&r->source, 4096);
    cnd_buf_init(&r->kind, 4096);
    cnd_buf_init(&r->url, 1 << 16);
    cnd_buf_init(&r->cin, 1 << 16);
    cnd_buf_init(&r->cout, 1 << 16);
    cnd_buf_init(&r->body, ARCHIVE_MAX_LINE);
    cnd_buf_init(&r->hdrs, 1 << 20);
    return r;
}

struct cnd_archive_reader *cnd_archive_reader_open(const char *path, int *err)
{
    struct cnd_lines_opts lo;
    struct cnd_archive_reader *r = cnd_archive_reader_new();

    if (r == NULL) {
        *err = CND_ENOMEM;
        return NULL;
    }
    memset(&lo, 0, sizeof(lo));
    lo.max_line = ARCHIVE_MAX_LINE;
    r->lr = cnd_lines_open(path, &lo, err);
    if (r->lr == NULL) {
        cnd_archive_reader_close(r);
        return NULL;
    }
    return r;
}

void cnd_archive_reader_close(struct cnd_archive_reader *r)
{
    if (r == NULL) {
        return;
    }
    cnd_lines_close(r->lr);
    cnd_jp_free(r->jp);
    cnd_buf_release(&r->source);
    cnd_buf_release(&r->kind);
    cnd_buf_release(&r->url);
    cnd_buf_release(&r->cin);
    cnd_buf_release(&r->cout);
    cnd_buf_release(&r->body);
    cnd_buf_release(&r->hdrs);
    cnd_free(r);
}

const char *cnd_archive_reader_error(const struct cnd_archive_reader *r)
{
    return r->error;
}

int cnd_archive_reader_next(struct cnd_archive_reader *r, struct cnd_archive_page *p,
                            uint64_t *lineno)
{
    const char *line;
    size_t len;
    int st, ret;

    r->error[0] = '\0';
    if (r->lr == NULL) {
        return 0;
    }
    st = cnd_lines_next(r->lr, &line, &len, lineno);
    if (st == CND_LINES_EOF) {
        return 0;
    }
    if (st < 0) {
        if (st == CND_ETRUNC) {
            snprintf(r->error, sizeof(r->error), "truncated gzip stream after line %llu "
                     "(a write cut short); the pages before it were read",
                     (unsigned long long)*lineno);
        } else {
            snprintf(r->error, sizeof(r->error), "read error after line %llu: %s",
                     (unsigned long long)*lineno, cnd_strerror(st));
        }
        return st;
    }
    if (st == CND_LINES_LONG) {
        snprintf(r->error, sizeof(r->error), "line too long, skipped");
        return CND_EPARSE;
    }
    ret = cnd_archive_parse_line(r, line, len, p);
    if (ret == CND_EPARSE && st == CND_LINES_PARTIAL) {
        snprintf(r->error, sizeof(r->error), "truncated last line (no newline, not a "
                 "complete page)");
    }
    return ret < 0 ? ret : 1;
}

int cnd_archive_parse_line(struct cnd_archive_reader *r, const char *line, size_t len,
                           struct cnd_archive_page *p)
{
    size_t i;
    int ret;

    r->error[0] = '\0';
    r->has_cin = r->has_cout = r->has_body = r->has_b64 = r->has_status = 0;
    r->version = 0;
    r->root_map = 0;
    r->posts = -1;
    r->more = 0;
    r->fetched_at = 0;
    r->n_h = 0;
    cnd_buf_reset(&r->source);
    cnd_buf_reset(&r->kind);
    cnd_buf_reset(&r->url);
    cnd_buf_reset(&r->body);
    cnd_buf_reset(&r->hdrs);
    ret = cnd_jp_parse(r->jp, line, len);
    if (ret < 0) {
        snprintf(r->error, sizeof(r->error), "%s", ret == CND_ENOMEM ? "out of memory" :
                 ret == CND_ETOOBIG ? "a field is too large" : cnd_jp_error(r->jp));
        return ret == CND_ENOMEM ? ret : CND_EPARSE;
    }
    if (!r->root_map || r->version != 1 || r->source.len == 0 || r->kind.len == 0 ||
        !r->has_status || !(r->has_body || r->has_b64)) {
        snprintf(r->error, sizeof(r->error), "not an archive page (version 1 with source, kind, "
                 "status and body)");
        return CND_EPARSE;
    }
    memset(p, 0, sizeof(*p));
    for (i = 0; i < r->n_h; i++) {
        r->h[i].name = r->hdrs.data + r->hoff[i][0];
        r->h[i].value = r->hdrs.data + r->hoff[i][1];
    }
    p->source = r->source.data;
    p->kind = r->kind.data;
    p->url = r->url.data ? r->url.data : "";
    p->status = r->status;
    p->headers = r->h;
    p->n_headers = r->n_h;
    p->fetched_at = r->fetched_at;
    p->cursor_in = r->has_cin ? r->cin.data : NULL;
    p->cursor_out = r->has_cout ? r->cout.data : NULL;
    p->more = r->more;
    p->posts = r->posts;
    p->body = r->body.data ? r->body.data : "";
    p->len = r->body.len;
    return 0;
}
