#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor fetch against the fixture server (tests/integration/fixture_server.py):
every adapter shape fetched and archived, each fault injected (429 in every
rate-limit dialect, 5xx, a stalled connection, a truncated body, invalid JSON,
a cut gzip body, 401/403, a repeated page), checkpoints, waits honoured,
SIGKILL mid-run then resume, and replay of the archive counting every post
exactly once."""
import glob
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_server import DEFAULT_SECRETS, FixtureServer  # noqa: E402
from helpers import CANDOR, LEXICON, Tmp, candor, run_tests  # noqa: E402

FAST = ["--backoff", "0.05", "--backoff-max", "0.2", "--tries", "4", "--stall-timeout", "1",
        "--timeout", "20", "--connect-timeout", "5", "--no-progress"]
ENV = {
    "BSKY_HANDLE": DEFAULT_SECRETS["bsky_handle"],
    "BSKY_PASSWORD": DEFAULT_SECRETS["bsky_password"],
    "REDDIT_ID": DEFAULT_SECRETS["reddit_id"],
    "REDDIT_SECRET": DEFAULT_SECRETS["reddit_secret"],
    "MASTO_TOKEN": DEFAULT_SECRETS["mastodon_token"],
    "no_proxy": "127.0.0.1", "NO_PROXY": "127.0.0.1",
    "http_proxy": "", "https_proxy": "", "HTTP_PROXY": "", "HTTPS_PROXY": "",
    "CANDOR_LOG": "info",
}
KINDS = ["mastodon", "bluesky", "reddit", "hackernews", "lemmy", "generic"]


def source_cfg(kind, url, **extra):
    if kind == "mastodon":
        d = {"name": "masto", "kind": "mastodon", "base_url": url, "tag": "scam", "limit": 10,
             "token_env": "MASTO_TOKEN"}
    elif kind == "bluesky":
        d = {"name": "bsky", "kind": "bluesky", "base_url": url, "auth_url": url, "query": "fee",
             "limit": 10, "handle_env": "BSKY_HANDLE", "password_env": "BSKY_PASSWORD"}
    elif kind == "reddit":
        d = {"name": "reddit", "kind": "reddit", "base_url": url,
             "token_url": url + "/api/v1/access_token", "subreddit": "Scams", "limit": 10,
             "client_id_env": "REDDIT_ID", "client_secret_env": "REDDIT_SECRET"}
    elif kind == "hackernews":
        d = {"name": "hn", "kind": "hackernews", "base_url": url, "query": "fee", "limit": 10}
    elif kind == "lemmy":
        d = {"name": "lemmy", "kind": "lemmy", "base_url": url, "limit": 10}
    else:
        d = {"name": "forum", "kind": "generic", "url": url + "/feed.json", "items": "data.posts",
             "cursor": "data.next", "limit": 10,
             "fields": {"id": "id", "text": "body", "created_at": "created",
                        "author": "user.name", "url": "permalink"}}
    d.update(extra)
    return d


NAME = {"mastodon": "masto", "bluesky": "bsky", "reddit": "reddit", "hackernews": "hn",
        "lemmy": "lemmy", "generic": "forum"}


def write_config(t, srv, kinds, **per_kind):
    data = os.path.join(t, "data")
    cfg = {"data_dir": data, "user_agent": "candor-test/1 (fixture)",
           "sources": [source_cfg(k, srv.url, **per_kind.get(k, {})) for k in kinds]}
    path = os.path.join(t, "config.json")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    return path, data


def fetch(cfg, *extra, env=None):
    e = dict(ENV)
    if env:
        e.update(env)
    return candor("fetch", "--config", cfg, *FAST, *extra, env=e)


def read_segment(path):
    """The archived pages of one segment (a cut tail is where reading stops)."""
    pages = []
    with open(path, "rb") as f:
        raw = f.read()
    text = b""
    while raw:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            text += d.decompress(raw)
        except zlib.error:
            break
        if not d.eof:
            break
        raw = d.unused_data
    for line in text.decode("utf-8").splitlines():
        pages.append(json.loads(line))
    return pages


def page_ids(page):
    body = page.get("body")
    if body is None:
        import base64
        body = base64.b64decode(page["body_b64"]).decode("utf-8", "replace")
    d = json.loads(body)
    k = page["kind"]
    if k == "mastodon":
        return [s["id"] for s in d]
    if k == "bluesky":
        return [p["uri"] for p in d["posts"]]
    if k == "reddit":
        return [c["data"]["name"] for c in d["data"]["children"]]
    if k == "hackernews":
        return [h["objectID"] for h in d["hits"]]
    if k == "lemmy":
        return [p["post"]["ap_id"] for p in d["posts"]]
    return [p["id"] for p in d["data"]["posts"]]


def archived(data, name):
    """{id: times archived} and the pages of source "name", in segment order."""
    counts = {}
    pages = []
    for seg in sorted(glob.glob(os.path.join(data, "archive", name, "*", "*.ndjson.gz"))):
        for p in read_segment(seg):
            assert p["source"] == name, p["source"]
            pages.append(p)
            for i in page_ids(p):
                counts[i] = counts.get(i, 0) + 1
    return counts, pages


def checkpoint(data, name):
    with open(os.path.join(data, "state", name + ".json")) as f:
        return json.load(f)


def replay_count(t, cfg, data):
    out = os.path.join(t, "out")
    code, _, err = candor("replay", "--config", cfg, "--lexicon", LEXICON, "--data", out,
                          os.path.join(data, "archive"))
    m = re.search(r"(\d+) posts \((\d+) duplicates dropped, (\d+) bad lines", err)
    assert m, err
    return code, int(m.group(1)), int(m.group(3)), err


def no_secrets(data, *texts):
    for t in texts:
        assert "S3CRET" not in t, t
    for root, _, files in os.walk(data):
        for fn in files:
            with open(os.path.join(root, fn), "rb") as f:
                raw = f.read()
            if fn.endswith(".gz"):
                raw = b"".join(json.dumps(p).encode() for p in read_segment(os.path.join(root, fn)))
            assert b"S3CRET" not in raw, os.path.join(root, fn)


def check_complete(srv, data, kinds, max_times=2):
    for k in kinds:
        counts, _ = archived(data, NAME[k])
        want = srv.expected_ids(k)
        assert set(counts) == want, (k, sorted(want - set(counts))[:5], sorted(set(counts) - want)[:5])
        worst = max(counts.values())
        assert worst <= max_times, (k, worst)


def summary_line(err, name):
    for line in err.splitlines():
        if line.startswith("candor fetch: %s (" % name):
            return line
    raise AssertionError("no summary for %s in:\n%s" % (name, err))


# ---- tests ----

def test_every_kind_then_incremental():
    with Tmp() as t, FixtureServer() as srv:
        for k in KINDS:
            srv.add_feed(k, 23, gzip_body=k in ("mastodon", "reddit"))
        cfg, data = write_config(t, srv, KINDS)
        code, _, err = fetch(cfg, "--since", "2025-11-01")
        assert code == 0, err
        check_complete(srv, data, KINDS)
        for k in KINDS:
            cp = checkpoint(data, NAME[k])
            assert cp["kind"] == k and cp["cursor"], cp
            line = summary_line(err, NAME[k])
            assert ": ok," in line and "caught up" in line, line
        cp = checkpoint(data, "masto")
        newest = max(int(i) for i in srv.expected_ids("mastodon"))
        assert cp["cursor"] == "min_id=%d" % newest, cp
        # every page says where it came from, and what it was asked with
        _, pages = archived(data, "forum")
        assert [p["cursor_in"] for p in pages] == [None, "cursor=10", "cursor=20"], pages
        assert pages[0]["status"] == 200 and pages[0]["url"].startswith(srv.url + "/feed.json")
        assert any(h[0].lower() == "content-type" for h in pages[0]["headers"])
        code, n, bad, rerr = replay_count(t, cfg, data)
        assert code == 0 and n == 6 * 23 and bad == 0, rerr
        # without the config, each archived page goes through its recorded kind's
        # defaults: enough for every kind but the generic one, which needs its paths
        code, _, rerr = candor("replay", "--lexicon", LEXICON, "--data", os.path.join(t, "o2"),
                               os.path.join(data, "archive"))
        assert code == 3 and "115 posts" in rerr and "3 bad lines" in rerr, rerr
        assert re.search(r"archive/forum/[0-9-]+/[^ ]+\.ndjson\.gz:1: archived page of 'forum' "
                         r"does not parse", rerr), rerr

        # the next run takes only what is new, from the checkpoints
        for k in KINDS:
            srv.add_posts(k, 7)
        before = len(srv.log)
        code, _, err = fetch(cfg)
        assert code == 0, err
        check_complete(srv, data, KINDS, max_times=3)
        assert len(srv.log) - before < 40, len(srv.log) - before
        code, n, bad, rerr = replay_count(t, cfg, data)
        assert code == 0 and n == 6 * 30, rerr
        no_secrets(data, err)


def test_faults_recovered():
    with Tmp() as t, FixtureServer(token_uses=2) as srv:
        for k in KINDS:
            srv.add_feed(k, 34, gzip_body=k in ("mastodon", "hackernews"))
        srv.add_fault("/api/v1/timelines/tag/", "429", nth=2, dialect="mastodon", wait=1)
        srv.add_fault("/api/v1/timelines/tag/", "status", nth=4, status=502)
        srv.add_fault("/xrpc/app.bsky.feed.searchPosts", "429", nth=2, dialect="bluesky", wait=1)
        srv.add_fault("/r/", "429", nth=2, dialect="reddit", wait=1)
        srv.add_fault("/r/", "truncate", nth=4)
        srv.add_fault("/search_by_date", "429", nth=2, dialect="retry-after", wait=1)
        srv.add_fault("/search_by_date", "gzip_cut", nth=4)
        srv.add_fault("/api/v3/", "429", nth=2, dialect="retry-after-date", wait=1)
        srv.add_fault("/api/v3/", "invalid", nth=4)
        srv.add_fault("/api/v3/", "stall", nth=6, seconds=3)
        srv.add_fault("/feed.json", "status", nth=2, count=2, status=503)
        srv.add_fault("/feed.json", "status", nth=5, status=500)
        cfg, data = write_config(t, srv, KINDS)
        t0 = time.time()
        code, _, err = fetch(cfg, "--since", "2025-11-01")
        assert code == 0, err
        assert time.time() - t0 < 30
        check_complete(srv, data, KINDS, max_times=2)
        # every 429 was waited out as told, none retried at once
        for prefix in ("/api/v1/timelines/tag/", "/xrpc/app.bsky.feed.searchPosts", "/r/",
                       "/search_by_date", "/api/v3/"):
            reqs = srv.requests(prefix)
            i = [n for n, e in enumerate(reqs) if e[3] == "fault:429"]
            assert len(i) == 1, (prefix, [e[3] for e in reqs])
            gap = reqs[i[0] + 1][0] - reqs[i[0]][0]
            assert gap >= 0.95, (prefix, gap)
        for k in ("mastodon", "bluesky", "reddit", "hackernews", "lemmy"):
            line = summary_line(err, NAME[k])
            assert "HTTP 429 x1" in line and "rate-limit sleep" in line, line
        assert "HTTP 502 x1" in summary_line(err, "masto")
        assert "transport x1" in summary_line(err, "reddit")
        assert "HTTP 503 x2" in summary_line(err, "forum") and "HTTP 500 x1" in summary_line(err, "forum")
        assert "did not parse" in err       # the invalid JSON and the cut gzip body
        assert "transport x1" in summary_line(err, "lemmy")   # the stall
        # expired Bluesky sessions were renewed, Reddit tokens asked again
        assert len(srv.requests("/xrpc/com.atproto.server.refreshSession")) >= 1
        assert len(srv.requests("/api/v1/access_token")) >= 2
        code, n, bad, rerr = replay_count(t, cfg, data)
        assert code == 0 and n == 6 * 34 and bad == 0, rerr
        no_secrets(data, err)


def test_failures_then_resume():
    with Tmp() as t, FixtureServer() as srv:
        for k in KINDS:
            srv.add_feed(k, 25)
        srv.add_fault("/search_by_date", "status", nth=2, count=100, status=503)
        srv.add_fault("/api/v1/timelines/tag/", "status", nth=1, count=100, status=401,
                      body={"error": "The access token is invalid"})
        srv.add_fault("/api/v3/", "status", nth=1, count=100, status=403,
                      body={"error": "community_ban"})
        srv.add_fault("/feed.json", "repeat", nth=2)
        cfg, data = write_config(t, srv, KINDS)
        code, _, err = fetch(cfg, "--since", "2025-11-01",
                             env={"BSKY_PASSWORD": "wrong-password"})
        assert code == 4, err
        assert ": ok," in summary_line(err, "reddit")
        hn = summary_line(err, "hn")
        assert "FAILED" in hn and "HTTP 503" in hn and "4 tries" in hn, hn
        m = summary_line(err, "masto")
        assert "FAILED" in m and "HTTP 401" in m and "credentials" in m, m
        assert "access token is invalid" in m
        assert "FAILED" in summary_line(err, "lemmy") and "HTTP 403" in summary_line(err, "lemmy")
        b = summary_line(err, "bsky")
        assert "FAILED" in b and "login failed" in b, b
        # a 401 is one clear error, not a retry loop
        assert len(srv.requests("/api/v1/timelines/tag/")) == 1
        assert len(srv.requests("/xrpc/app.bsky.feed.searchPosts")) == 0
        # hn failed after its first page: its checkpoint is that page
        counts, pages = archived(data, "hn")
        assert len(pages) == 1 and checkpoint(data, "hn")["pages"] == 1
        assert not os.path.exists(os.path.join(data, "state", "masto.json"))
        # the repeated page ended the generic source's run early, nothing twice counted
        _, gpages = archived(data, "forum")
        assert len(gpages) == 2 and page_ids(gpages[0]) == page_ids(gpages[1])
        no_secrets(data, err)

        # the next run, with the problems gone, resumes from the checkpoints
        srv.faults.clear()
        code, _, err = fetch(cfg, "--since", "2025-11-01")
        assert code == 0, err
        check_complete(srv, data, KINDS, max_times=3)
        code, n, bad, rerr = replay_count(t, cfg, data)
        assert code == 0 and n == 6 * 25 and bad == 0, rerr


def test_limits_deadline_pacing():
    with Tmp() as t, FixtureServer() as srv:
        srv.add_feed("generic", 50)
        srv.add_feed("mastodon", 20, ratelimit=(1, 2))
        srv.add_feed("hackernews", 5)
        cfg, data = write_config(t, srv, ["generic", "mastodon"])
        code, _, err = fetch(cfg, "--since", "2025-11-01", "--max-pages", "2", "--source", "forum")
        assert code == 0, err
        _, pages = archived(data, "forum")
        assert len(pages) == 2 and checkpoint(data, "forum")["cursor"] == "cursor=20"
        assert "max pages" in summary_line(err, "forum")
        assert not os.path.exists(os.path.join(data, "archive", "masto"))

        # near the limit (1 left until a reset 1-2 s away) the source paces itself
        t0 = time.time()
        code, _, err = fetch(cfg, "--since", "2025-11-01", "--source", "masto")
        assert code == 0, err
        reqs = srv.requests("/api/v1/timelines/tag/")
        assert len(reqs) >= 3
        gaps = [b[0] - a[0] for a, b in zip(reqs, reqs[1:])]
        assert min(gaps) >= 0.9, gaps
        assert "rate-limit sleep" in summary_line(err, "masto")

        # a wait beyond the deadline ends the source at the deadline, not after the wait
        srv.add_fault("/feed.json", "429", nth=1, count=5, dialect="retry-after", wait=30)
        t0 = time.time()
        code, _, err = fetch(cfg, "--max-runtime", "2", "--source", "forum")
        assert time.time() - t0 < 6, err
        assert code == 0, err
        line = summary_line(err, "forum")
        assert "stopped" in line and "deadline" in line, line
        assert checkpoint(data, "forum")["cursor"] == "cursor=20"
        # a wait longer than --max-wait fails the source
        srv.faults.clear()
        srv.add_fault("/feed.json", "429", nth=1, count=5, dialect="retry-after", wait=3000)
        code, _, err = fetch(cfg, "--max-wait", "60", "--source", "forum")
        assert code == 4 and "longer than the longest wait" in summary_line(err, "forum"), err
        # the size cap
        srv.faults.clear()
        cfg2, data2 = write_config(t, srv, ["hackernews"])
        code, _, err = fetch(cfg2, "--since", "2025-11-01", "--max-body", "1024")
        assert code == 4 and "larger than 1024 bytes" in summary_line(err, "hn"), err
        # usage and config errors
        code, _, err = fetch(cfg2, "--source", "nope")
        assert code == 2 and "nope" in err, err
        code, _, err = candor("fetch", "--config", cfg2, "--since", "yesterday")
        assert code == 2, err


def test_sigkill_then_resume():
    with Tmp() as t, FixtureServer() as srv:
        srv.add_feed("generic", 80, delay=0.06)
        srv.add_feed("mastodon", 80, delay=0.06)
        cfg, data = write_config(t, srv, ["generic", "mastodon"],
                                 generic={"limit": 4}, mastodon={"limit": 4})
        env = dict(os.environ)
        env.update(ENV)
        args = [CANDOR, "fetch", "--config", cfg, "--since", "2025-11-01"] + FAST
        for kill_at in (3, 9):
            p = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    if checkpoint(data, "forum")["pages"] >= kill_at:
                        break
                except (OSError, ValueError):
                    pass
                time.sleep(0.01)
            p.send_signal(signal.SIGKILL)
            p.wait()
            p.stderr.close()
            assert p.returncode == -signal.SIGKILL
        code, _, err = fetch(cfg, "--since", "2025-11-01")
        assert code == 0, err
        check_complete(srv, data, ["generic", "mastodon"])
        code, n, bad, rerr = replay_count(t, cfg, data)
        assert code in (0, 3) and n == 160 and bad == 0, rerr


def test_sigterm_stops_cleanly():
    with Tmp() as t, FixtureServer() as srv:
        srv.add_feed("generic", 200, delay=0.05)
        cfg, data = write_config(t, srv, ["generic"], generic={"limit": 5})
        env = dict(os.environ)
        env.update(ENV)
        p = subprocess.Popen([CANDOR, "fetch", "--config", cfg, "--since", "2025-11-01"] + FAST,
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                if checkpoint(data, "forum")["pages"] >= 2:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
        t0 = time.time()
        p.send_signal(signal.SIGTERM)
        err = p.communicate(timeout=10)[1].decode()
        assert time.time() - t0 < 2, err
        assert p.returncode == 1 and "stopped by a signal" in err, err
        counts, pages = archived(data, "forum")
        cp = checkpoint(data, "forum")
        assert cp["pages"] == len(pages) and cp["cursor"] == "cursor=%d" % (5 * len(pages))


def test_lock_held_by_another_writer():
    """A second writer on the same data directory (another fetch or a run,
    here a process holding DATA/.lock) makes fetch exit 75, touching nothing."""
    import fcntl
    with Tmp() as t, FixtureServer() as srv:
        srv.add_feed("generic", 20)
        cfg, data = write_config(t, srv, ["generic"], generic={"limit": 5})
        os.makedirs(data, exist_ok=True)
        with open(os.path.join(data, ".lock"), "a") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            code, _, err = candor("fetch", "--config", cfg, "--since", "2025-11-01", *FAST,
                                  env=ENV)
            assert code == 75 and "holds the lock" in err, (code, err)
            assert not os.path.exists(os.path.join(data, "archive")), os.listdir(data)
        code, _, err = candor("fetch", "--config", cfg, "--since", "2025-11-01", *FAST, env=ENV)
        assert code == 0, err
        assert sum(archived(data, "forum")[0].values()) == 20


if __name__ == "__main__":
    run_tests([test_every_kind_then_incremental, test_faults_recovered, test_failures_then_resume,
               test_limits_deadline_pacing, test_sigkill_then_resume, test_sigterm_stops_cleanly,
               test_lock_held_by_another_writer])
