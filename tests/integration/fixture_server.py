#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A fixture HTTP server for candor's integration tests (Python standard
library only), on 127.0.0.1 with an ephemeral port.

It serves multi-page feeds in the shape of every API candor reads, each
with its own paging, from posts generated deterministically:

  mastodon    GET  /api/v1/timelines/tag/TAG     Link rel=next/prev, min_id/max_id
  bluesky     POST /xrpc/com.atproto.server.createSession, refreshSession
              GET  /xrpc/app.bsky.feed.searchPosts   cursor, since; Bearer required
  reddit      POST /api/v1/access_token (Basic client id:secret)
              GET  /r/SUB/new                   after/before fullnames; Bearer required
  hackernews  GET  /search_by_date               numericFilters=created_at_i>T,created_at_i<=U
  lemmy       GET  /api/v3/post/list            page_cursor / next_page
  generic     GET  /feed.json                   {"data":{"posts":[...],"next":C}}
  webhook     POST /hook/...                    records the JSON bodies it gets

and injects faults, each on the Nth request (or from it on) to a path:

  status      any status with a body and headers (401, 403, 500, 502, 503, ...)
  429         with a dialect: retry-after (seconds), retry-after-date (HTTP-date),
              mastodon (X-RateLimit-Reset ISO), bluesky (RateLimit-Reset epoch),
              reddit (x-ratelimit-reset seconds, remaining "0.0")
  stall       sends the headers and a few bytes, then stalls
  truncate    Content-Length larger than the body sent, then closes
  invalid     200 with a body that is not JSON
  gzip_cut    200, Content-Encoding gzip, the gzip stream cut in half
  repeat      the previous page's response again
  delay       the normal response, after a pause

Feeds can also answer gzip-encoded (feed option "gzip") and send
rate-limit headers on every page (option "ratelimit": remaining, reset).

Use it from Python:

    from fixture_server import FixtureServer
    with FixtureServer() as srv:
        srv.add_feed("mastodon", n=25)
        srv.add_fault("/api/v1/timelines/tag/", "429", nth=2, dialect="mastodon", wait=1)
        ... srv.url ... srv.served_ids("mastodon") ... srv.log

or as a process (for other tests and manual runs):

    fixture_server.py --port-file PORT [--feeds mastodon,bluesky,...] [--posts N]

which writes its port into PORT once it listens and serves until SIGTERM.
Control endpoints (JSON): POST /_control/fault {"path":...,"kind":...,...},
POST /_control/feed {"kind":...,"n":...}, POST /_control/add_posts
{"kind":...,"n":...}, GET /_control/log, GET /_control/webhooks,
GET /_control/served.
"""
import argparse
import base64
import email.utils
import gzip
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BASE_TIME = 1762164000        # 2025-11-03T10:00:00Z
DEFAULT_SECRETS = {
    "bsky_handle": "tester.bsky.social",
    "bsky_password": "app-pass-S3CRET",
    "reddit_id": "client-ID-1",
    "reddit_secret": "client-S3CRET-2",
    "mastodon_token": "masto-T0KEN-S3CRET",
}


def iso(t, ms=0):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + (".%03dZ" % ms)


def b36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    s = ""
    while True:
        n, r = divmod(n, 36)
        s = digits[r] + s
        if n == 0:
            return s


class Post:
    """One post of a feed: a sequence number and a time (seconds)."""

    def __init__(self, kind, seq, t):
        self.kind = kind
        self.seq = seq
        self.t = t

    @property
    def id(self):
        """The id candor records for this post (what replay counts)."""
        k = self.kind
        if k == "mastodon":
            return str(self.t * 1000 << 16 | self.seq % 65536)
        if k == "bluesky":
            return "at://did:plc:fixture/app.bsky.feed.post/r%06d" % self.seq
        if k == "reddit":
            return "t3_" + b36(1000000 + self.seq)
        if k == "hackernews":
            return str(40000000 + self.seq)
        if k == "lemmy":
            return "https://lemmy.example/post/%d" % self.seq
        return "g%d" % self.seq

    def text(self):
        return "Post %d about Contoso Cable: they added a hidden fee at checkout." % self.seq


class Feed:
    """The posts of one kind, oldest first, with the API's paging."""

    def __init__(self, kind, n=20, start=BASE_TIME, step=60, limit=None, gzip_body=False,
                 ratelimit=None, delay=0.0):
        self.kind = kind
        self.posts = []
        self.step = step
        self.next_t = start
        self.gzip = gzip_body
        self.ratelimit = ratelimit      # (remaining, reset seconds) sent on every page
        self.delay = delay              # pause before each page (for kill tests)
        self.add(n)

    def add(self, n):
        for _ in range(n):
            self.posts.append(Post(self.kind, len(self.posts) + 1, self.next_t))
            self.next_t += self.step

    def expected_ids(self):
        return {p.id for p in self.posts}


class Fault:
    def __init__(self, path, kind, nth=1, count=1, **kw):
        self.path = path
        self.kind = kind
        self.nth = nth          # the Nth matching request is the first faulty one
        self.count = count      # how many requests in a row get the fault
        self.kw = kw
        self.seen = 0

    def take(self, path):
        if not path.startswith(self.path):
            return False
        self.seen += 1
        return self.nth <= self.seen < self.nth + self.count


class FixtureServer:
    def __init__(self, secrets=None, token_uses=None):
        self.secrets = dict(DEFAULT_SECRETS)
        if secrets:
            self.secrets.update(secrets)
        self.feeds = {}
        self.faults = []
        self.log = []            # (time, method, path, status, headers)
        self.served = {}         # kind -> list of ids in 2xx pages, in order
        self.webhooks = []       # (path, headers, body)
        self.last_page = {}      # path (no query) -> (status, headers, body)
        self.lock = threading.RLock()
        self.tokens = {}         # access token -> uses left (None: unlimited)
        self.refresh_tokens = set()
        self.token_uses = token_uses     # bluesky access tokens expire after this many uses
        self.token_serial = 0
        self.httpd = None
        self.thread = None

    # ---- setup ----

    def add_feed(self, kind, n=20, **kw):
        with self.lock:
            self.feeds[kind] = Feed(kind, n, **kw)
            return self.feeds[kind]

    def add_posts(self, kind, n):
        with self.lock:
            self.feeds[kind].add(n)

    def add_fault(self, path, kind, nth=1, count=1, **kw):
        with self.lock:
            self.faults.append(Fault(path, kind, nth, count, **kw))

    def expected_ids(self, kind):
        with self.lock:
            return self.feeds[kind].expected_ids()

    def served_ids(self, kind):
        with self.lock:
            return list(self.served.get(kind, []))

    def requests(self, prefix):
        with self.lock:
            return [e for e in self.log if e[2].startswith(prefix)]

    # ---- lifecycle ----

    def start(self, port=0):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server._handle(self, "GET")

            def do_POST(self):
                server._handle(self, "POST")

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass   # clients killed mid-response (the SIGKILL tests) are expected

        self.httpd = Server(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    @property
    def port(self):
        return self.httpd.server_address[1]

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---- responses ----

    def _send(self, h, status, body, headers=None, path=None, kind=None, ids=None):
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
        elif isinstance(body, str):
            body = body.encode("utf-8")
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        raw = body
        feed = self.feeds.get(kind) if kind else None
        if feed is not None and feed.gzip and status == 200 and \
                "gzip" in h.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Length"] = str(len(body))
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
        with self.lock:
            self.log.append((time.time(), h.command, h.path, status, headers))
            if path is not None and 200 <= status < 300:
                plain = {n: v for n, v in headers.items()
                         if n not in ("Content-Encoding", "Content-Length")}
                self.last_page[path] = (status, plain, raw, kind, ids)
            if kind is not None and ids is not None and 200 <= status < 300:
                self.served.setdefault(kind, []).extend(ids)

    def _fault(self, h, f, path, kind):
        k = f.kind
        kw = f.kw
        with self.lock:
            idx = len(self.log)
            self.log.append((time.time(), h.command, h.path, "fault:" + k, {}))
        if k == "status":
            body = kw.get("body", {"error": "injected %d" % kw.get("status", 500)})
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            body = body.encode("utf-8")
            h.send_response(kw.get("status", 500))
            for name, v in kw.get("headers", {}).items():
                h.send_header(name, v)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        if k == "429":
            wait = kw.get("wait", 1)
            now = time.time()
            d = kw.get("dialect", "retry-after")
            hdrs = {}
            if d == "retry-after":
                hdrs["Retry-After"] = str(int(wait))
            elif d == "retry-after-date":
                hdrs["Retry-After"] = email.utils.formatdate(int(now) + int(wait) + 1, usegmt=True)
            elif d == "mastodon":
                hdrs["X-RateLimit-Limit"] = "300"
                hdrs["X-RateLimit-Remaining"] = "0"
                hdrs["X-RateLimit-Reset"] = iso(int(now) + int(wait) + 1, 0)
            elif d == "bluesky":
                hdrs["RateLimit-Limit"] = "3000"
                hdrs["RateLimit-Remaining"] = "0"
                hdrs["RateLimit-Reset"] = str(int(now) + int(wait) + 1)
                hdrs["RateLimit-Policy"] = "3000;w=300"
            elif d == "reddit":
                hdrs["x-ratelimit-used"] = "600"
                hdrs["x-ratelimit-remaining"] = "0.0"
                hdrs["x-ratelimit-reset"] = str(int(wait))
            body = json.dumps({"error": "RateLimitExceeded", "message": "slow down"}).encode()
            h.send_response(429)
            for name, v in hdrs.items():
                h.send_header(name, v)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            with self.lock:
                self.log[idx] = (now, h.command, h.path, "fault:429", hdrs)
            return
        if k == "stall":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", "1000")
            h.end_headers()
            h.wfile.write(b"[")
            h.wfile.flush()
            time.sleep(kw.get("seconds", 5))
            h.close_connection = True
            return
        if k == "truncate":
            body = b'[{"id": "1", "content": "cut'
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body) + 500))
            h.end_headers()
            h.wfile.write(body)
            h.wfile.flush()
            h.close_connection = True
            return
        if k == "invalid":
            body = b'{"this is": not json at all'
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body)
            return
        if k == "gzip_cut":
            status, headers, body, fkind, ids = self._page(h, path, kind, record=False)
            z = gzip.compress(body)
            z = z[:len(z) // 2]
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Encoding", "gzip")
            h.send_header("Content-Length", str(len(z)))
            h.end_headers()
            h.wfile.write(z)
            return
        if k == "repeat":
            with self.lock:
                prev = self.last_page.get(path)
            if prev is not None:
                status, headers, body, fkind, ids = prev
                self._send(h, status, body, dict(headers), path=None, kind=fkind, ids=ids)
                return
        if k == "delay":
            time.sleep(kw.get("seconds", 1))
        self._normal(h, path, kind)

    def _handle(self, h, method):
        parsed = urllib.parse.urlsplit(h.path)
        path = parsed.path
        q = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        h._q = q
        h._body = body
        if path.startswith("/_control/"):
            return self._control(h, method, path, body)
        if path.startswith("/hook"):
            with self.lock:
                self.webhooks.append((path, dict(h.headers), body))
        kind = self._kind_of(path)
        fault = None
        with self.lock:
            for f in self.faults:
                if f.take(path) and fault is None:
                    fault = f
        if fault is not None:
            return self._fault(h, fault, path, kind)
        self._normal(h, path, kind)

    def _kind_of(self, path):
        if path.startswith("/api/v1/timelines/"):
            return "mastodon"
        if path.startswith("/xrpc/app.bsky.feed.searchPosts"):
            return "bluesky"
        if path.startswith("/r/"):
            return "reddit"
        if path.startswith("/search_by_date"):
            return "hackernews"
        if path.startswith("/api/v3/"):
            return "lemmy"
        if path.startswith("/feed.json"):
            return "generic"
        return None

    def _normal(self, h, path, kind):
        if path == "/xrpc/com.atproto.server.createSession":
            return self._bsky_login(h)
        if path == "/xrpc/com.atproto.server.refreshSession":
            return self._bsky_refresh(h)
        if path == "/api/v1/access_token":
            return self._reddit_token(h)
        if path.startswith("/hook"):
            return self._send(h, 200, {"ok": True})
        if kind is None or kind not in self.feeds:
            return self._send(h, 404, {"error": "no such feed"})
        auth = self._check_auth(h, kind)
        if auth is not None:
            return self._send(h, auth[0], auth[1])
        feed = self.feeds[kind]
        if feed.delay:
            time.sleep(feed.delay)
        status, headers, body, kind, ids = self._page(h, path, kind)
        self._send(h, status, body, headers, path=path, kind=kind, ids=ids)

    # ---- auth ----

    def _new_tokens(self):
        self.token_serial += 1
        acc = "acc-%d-S3CRET" % self.token_serial
        ref = "ref-%d-S3CRET" % self.token_serial
        self.tokens[acc] = self.token_uses
        self.refresh_tokens.add(ref)
        return acc, ref

    def _bsky_login(self, h):
        try:
            d = json.loads(h._body or b"{}")
        except ValueError:
            d = {}
        if d.get("identifier") != self.secrets["bsky_handle"] or \
                d.get("password") != self.secrets["bsky_password"]:
            return self._send(h, 401, {"error": "AuthenticationRequired",
                                       "message": "Invalid identifier or password"})
        with self.lock:
            acc, ref = self._new_tokens()
        self._send(h, 200, {"accessJwt": acc, "refreshJwt": ref, "handle": d["identifier"],
                            "did": "did:plc:fixture"})

    def _bsky_refresh(self, h):
        tok = h.headers.get("Authorization", "")[7:]
        with self.lock:
            if tok not in self.refresh_tokens:
                return self._send(h, 400, {"error": "ExpiredToken", "message": "bad refresh"})
            self.refresh_tokens.discard(tok)
            acc, ref = self._new_tokens()
        self._send(h, 200, {"accessJwt": acc, "refreshJwt": ref, "handle": "x", "did": "d"})

    def _reddit_token(self, h):
        want = "Basic " + base64.b64encode(("%s:%s" % (self.secrets["reddit_id"],
                                                       self.secrets["reddit_secret"])).encode()).decode()
        if h.headers.get("Authorization") != want:
            return self._send(h, 401, {"message": "Unauthorized", "error": 401})
        with self.lock:
            acc, _ = self._new_tokens()
        self._send(h, 200, {"access_token": acc, "token_type": "bearer", "expires_in": 86400,
                            "scope": "*"})

    def _check_auth(self, h, kind):
        if kind not in ("bluesky", "reddit"):
            return None
        tok = h.headers.get("Authorization", "")
        if not tok.startswith("Bearer "):
            return (401, {"error": "AuthMissing", "message": "Authentication Required"})
        tok = tok[7:]
        with self.lock:
            if tok not in self.tokens:
                return (401, {"error": "InvalidToken", "message": "unknown token"})
            left = self.tokens[tok]
            if left is not None:
                if left <= 0:
                    if kind == "bluesky":
                        return (400, {"error": "ExpiredToken", "message": "Token has expired"})
                    return (401, {"message": "Unauthorized", "error": 401})
                self.tokens[tok] = left - 1
        return None

    # ---- pages per kind ----

    def _rl_headers(self, feed, kind):
        if not feed.ratelimit:
            return {}
        remaining, reset = feed.ratelimit
        now = time.time()
        if kind == "mastodon":
            return {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": str(remaining),
                    "X-RateLimit-Reset": iso(int(now) + reset, 0)}
        if kind == "bluesky":
            return {"RateLimit-Limit": "3000", "RateLimit-Remaining": str(remaining),
                    "RateLimit-Reset": str(int(now) + reset)}
        return {"x-ratelimit-used": "10", "x-ratelimit-remaining": "%d.0" % remaining,
                "x-ratelimit-reset": str(reset)}

    def _page(self, h, path, kind, record=True):
        with self.lock:
            feed = self.feeds[kind]
            posts = list(feed.posts)
        q = h._q
        fn = getattr(self, "_page_" + kind)
        status, headers, body, ids = fn(h, q, posts)
        headers.update(self._rl_headers(feed, kind))
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
        return status, headers, body, kind, ids

    def _base(self, h):
        return "http://" + h.headers.get("Host", "127.0.0.1:%d" % self.port)

    def _page_mastodon(self, h, q, posts):
        limit = int(q.get("limit", 20))
        by_id = sorted(posts, key=lambda p: int(p.id))
        if "min_id" in q:
            m = int(q["min_id"])
            page = [p for p in by_id if int(p.id) > m][:limit]
        elif "max_id" in q:
            m = int(q["max_id"])
            page = [p for p in by_id if int(p.id) < m][-limit:]
        else:
            page = by_id[-limit:]
        page.reverse()
        statuses = [{
            "id": p.id, "created_at": iso(p.t, p.seq % 1000),
            "content": "<p>" + p.text().replace("&", "&amp;") + "<br>second line</p>",
            "spoiler_text": "", "language": "en",
            "url": "https://mastodon.example/@user%d/%s" % (p.seq % 5, p.id),
            "uri": "https://mastodon.example/users/u/statuses/" + p.id,
            "account": {"id": "1", "acct": "user%d@mastodon.example" % (p.seq % 5)},
        } for p in page]
        headers = {}
        if page:
            base = self._base(h) + h.path.split("?")[0]
            headers["Link"] = ('<%s?limit=%d&max_id=%s>; rel="next", <%s?limit=%d&min_id=%s>; '
                               'rel="prev"' % (base, limit, page[-1].id, base, limit, page[0].id))
        return 200, headers, statuses, [p.id for p in page]

    def _page_bluesky(self, h, q, posts):
        limit = int(q.get("limit", 25))
        newest_first = sorted(posts, key=lambda p: -p.t)
        if "since" in q:
            since = q["since"]
            newest_first = [p for p in newest_first if iso(p.t, 0) >= since]
        off = int(q.get("cursor", "0"))
        page = newest_first[off:off + limit]
        body = {"posts": [{
            "uri": p.id, "cid": "bafy%d" % p.seq,
            "author": {"did": "did:plc:u%d" % p.seq, "handle": "user%d.bsky.social" % (p.seq % 7)},
            "record": {"$type": "app.bsky.feed.post", "text": p.text(),
                       "createdAt": iso(p.t, 0), "langs": ["en"]},
            "indexedAt": iso(p.t, 500),
        } for p in page]}
        if off + limit < len(newest_first):
            body["cursor"] = str(off + limit)
        return 200, {}, body, [p.id for p in page]

    def _page_reddit(self, h, q, posts):
        limit = int(q.get("limit", 25))
        newest_first = sorted(posts, key=lambda p: -p.seq)
        names = [p.id for p in newest_first]
        if q.get("after"):
            i = names.index(q["after"]) + 1 if q["after"] in names else len(names)
            page = newest_first[i:i + limit]
            more_after = i + limit < len(names)
        elif q.get("before"):
            i = names.index(q["before"]) if q["before"] in names else 0
            page = newest_first[max(0, i - limit):i]
            more_after = False
        else:
            page = newest_first[:limit]
            more_after = limit < len(names)
        children = [{"kind": "t3", "data": {
            "name": p.id, "id": p.id[3:], "title": "Title %d" % p.seq, "selftext": p.text(),
            "author": "redditor%d" % (p.seq % 4), "created_utc": float(p.t) + 0.0,
            "permalink": "/r/Scams/comments/%s/t/" % p.id[3:], "subreddit": "Scams",
        }} for p in page]
        body = {"kind": "Listing", "data": {
            "after": page[-1].id if page and more_after else None, "before": None,
            "dist": len(page), "children": children}}
        return 200, {}, body, [p.id for p in page]

    def _page_hackernews(self, h, q, posts):
        limit = int(q.get("hitsPerPage", 20))
        lo, hi = None, None
        for part in q.get("numericFilters", "").split(","):
            if part.startswith("created_at_i>") and not part.startswith("created_at_i>="):
                lo = int(part[len("created_at_i>"):])
            elif part.startswith("created_at_i<="):
                hi = int(part[len("created_at_i<="):])
        match = [p for p in sorted(posts, key=lambda p: -p.t)
                 if (lo is None or p.t > lo) and (hi is None or p.t <= hi)]
        page = match[:limit]
        body = {"hits": [{
            "objectID": p.id, "author": "hn%d" % (p.seq % 3), "comment_text": "<p>" + p.text(),
            "created_at": iso(p.t, 0), "created_at_i": p.t, "story_id": 1, "_tags": ["comment"],
        } for p in page], "nbHits": len(match), "page": 0, "nbPages": (len(match) + limit - 1) // limit,
            "hitsPerPage": limit, "exhaustive": {"nbHits": True}, "query": q.get("query", "")}
        return 200, {}, body, [p.id for p in page]

    def _page_lemmy(self, h, q, posts):
        limit = int(q.get("limit", 10))
        newest_first = sorted(posts, key=lambda p: -p.t)
        pc = q.get("page_cursor", "")
        off = int(pc[2:]) if pc.startswith("Pa") else 0
        page = newest_first[off:off + limit]
        body = {"posts": [{
            "post": {"id": p.seq, "name": "Post %d" % p.seq, "body": p.text(), "published": iso(p.t, 0),
                     "deleted": False, "removed": False, "ap_id": p.id},
            "creator": {"id": p.seq % 3, "name": "lemming%d" % (p.seq % 3),
                        "actor_id": "https://lemmy.example/u/lemming%d" % (p.seq % 3)},
            "community": {"id": 1, "name": "scams"}, "counts": {"comments": 0},
        } for p in page]}
        if off + limit < len(newest_first):
            body["next_page"] = "Pa%d" % (off + limit)
        return 200, {}, body, [p.id for p in page]

    def _page_generic(self, h, q, posts):
        limit = int(q.get("limit", 10))
        off = int(q.get("cursor", "0"))
        page = posts[off:off + limit]
        data = {"posts": [{
            "id": p.id, "body": p.text(), "created": p.t, "user": {"name": "gen%d" % (p.seq % 2)},
            "permalink": "https://forum.example/t/%d" % p.seq,
        } for p in page]}
        if off + limit < len(posts):
            data["next"] = str(off + limit)
        return 200, {}, {"data": data}, [p.id for p in page]

    # ---- control ----

    def _control(self, h, method, path, body):
        try:
            d = json.loads(body or b"{}")
        except ValueError:
            return self._send(h, 400, {"error": "bad json"})
        if path == "/_control/fault" and method == "POST":
            kw = {k: v for k, v in d.items() if k not in ("path", "kind", "nth", "count")}
            self.add_fault(d["path"], d["kind"], d.get("nth", 1), d.get("count", 1), **kw)
            return self._send(h, 200, {"ok": True})
        if path == "/_control/feed" and method == "POST":
            kw = {k: v for k, v in d.items() if k in ("step", "limit", "delay")}
            if d.get("gzip"):
                kw["gzip_body"] = True
            self.add_feed(d["kind"], d.get("n", 20), **kw)
            return self._send(h, 200, {"ok": True})
        if path == "/_control/add_posts" and method == "POST":
            self.add_posts(d["kind"], d.get("n", 1))
            return self._send(h, 200, {"ok": True})
        if path == "/_control/log":
            with self.lock:
                entries = [{"t": e[0], "method": e[1], "path": e[2], "status": e[3]} for e in self.log]
            return self._send(h, 200, entries)
        if path == "/_control/webhooks":
            with self.lock:
                hooks = [{"path": w[0], "body": w[2].decode("utf-8", "replace")} for w in self.webhooks]
            return self._send(h, 200, hooks)
        if path == "/_control/served":
            with self.lock:
                served = {k: list(v) for k, v in self.served.items()}
                expected = {k: sorted(f.expected_ids()) for k, f in self.feeds.items()}
            return self._send(h, 200, {"served": served, "expected": expected})
        return self._send(h, 404, {"error": "no such control"})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port-file", required=True, help="write the port here once listening")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--feeds", default="mastodon,bluesky,reddit,hackernews,lemmy,generic")
    ap.add_argument("--posts", type=int, default=20)
    args = ap.parse_args()
    srv = FixtureServer()
    for kind in [k for k in args.feeds.split(",") if k]:
        srv.add_feed(kind, args.posts)
    srv.start(args.port)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.port)
    os.rename(tmp, args.port_file)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    signal.signal(signal.SIGINT, lambda *a: done.set())
    while not done.wait(0.5):
        pass
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
