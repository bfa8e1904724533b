#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor run --shard I/N against the fixture HTTP server: N = 2 and 3
shards started together, then candor merge, give daily and complaint
files byte-identical to one unsharded candor run of the same feeds; a
shard rerun (also one that lost its state) changes no byte of its parts;
two copies of one shard: the second exits 75; an unsharded run while a
shard runs: 75 (and a shard while an unsharded run holds the lock: 75);
a missing part makes the merge exit 65 and publish nothing of that day
(and the next run of any shard writes it again); --shard auto/N, a bad
--shard (65), a source failing (75), SIGTERM (143, no partial part)."""
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_server import BASE_TIME, FixtureServer  # noqa: E402
from helpers import CANDOR, Tmp, all_bytes, run_tests  # noqa: E402
from test_run import write_config  # noqa: E402

STEP = 3 * 3600
N_POSTS = 16


def start_server(delay=0.0):
    srv = FixtureServer().start()
    srv.httpd.handle_error = lambda request, address: None
    srv.add_feed("generic", n=N_POSTS, step=STEP, delay=delay)
    srv.add_feed("mastodon", n=N_POSTS, step=STEP)
    srv.add_feed("hackernews", n=N_POSTS, step=STEP)
    # Days of their own: only the shard of "lem" has posts on them.
    srv.add_feed("lemmy", n=8, step=STEP, start=BASE_TIME + 6 * 86400)
    return srv


def sources(url):
    gen_fields = {"id": "id", "text": "body", "created_at": "created", "author": "user.name",
                  "url": "permalink"}
    # FNV-1a 64 of the name mod 2: gen-b 0, the others 1; mod 3: masto, lem 0; gen-a, hn 1;
    # gen-b 2 (so every shard of 3 has sources and the lemmy days are one shard's only).
    return [
        {"name": "gen-a", "kind": "generic", "url": url + "/feed.json", "items": "data.posts",
         "cursor": "data.next", "fields": gen_fields, "limit": 2},
        {"name": "gen-b", "kind": "generic", "url": url + "/feed.json", "items": "data.posts",
         "cursor": "data.next", "fields": gen_fields, "limit": 4},
        {"name": "masto", "kind": "mastodon", "base_url": url, "timeline": "tag", "tag": "scam",
         "limit": 40},
        {"name": "hn", "kind": "hackernews", "base_url": url, "query": "fees", "limit": 50},
        {"name": "lem", "kind": "lemmy", "base_url": url, "limit": 3},
    ]


def fnv_shard(name, n):
    h = 0xcbf29ce484222325
    for b in name.encode():
        h = ((h ^ b) * 0x100000001b3) & (2 ** 64 - 1)
    return h % n


def cmd(*args, env=None):
    full_env = dict(os.environ)
    full_env.pop("CANDOR_LOG", None)
    full_env.pop("SLURM_ARRAY_TASK_ID", None)
    full_env.pop("JOB_COMPLETION_INDEX", None)
    if env:
        full_env.update(env)
    return [CANDOR, *args], full_env


def run(cfg, *args, env=None, timeout=120):
    argv, full_env = cmd("run", "--config", cfg, "--tries", "2", "--backoff", "0.05", *args,
                         env=env)
    p = subprocess.run(argv, capture_output=True, env=full_env, timeout=timeout)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def start(cfg, *args, env=None):
    argv, full_env = cmd("run", "--config", cfg, "--tries", "2", "--backoff", "0.05", *args,
                         env=env)
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=full_env)


def merge(cfg, n):
    argv, env = cmd("merge", "--config", cfg, "--shards", str(n))
    p = subprocess.run(argv, capture_output=True, env=env, timeout=120)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def parts(data, n=None):
    """Every part file under data/parts as {DAY/I-of-N: bytes}."""
    out = {}
    root = os.path.join(data, "parts")
    for day in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        for p in sorted(os.listdir(os.path.join(root, day))):
            if ".tmp." in p or (n is not None and not p.endswith("-of-%d" % n)):
                continue
            with open(os.path.join(root, day, p, "part.txt.gz"), "rb") as f:
                out[day + "/" + p] = f.read()
    return out


def unsharded(t, url):
    data = os.path.join(t, "plain")
    cfg = write_config(t, url, data, name="plain.json", srcs=sources(url))
    code, err = run(cfg, "--no-report")
    assert code == 0, (code, err)
    out = all_bytes(data)
    assert len(out) >= 9, sorted(out)       # three days at least, three files each
    return out


def sharded(t, url, n, tag):
    data = os.path.join(t, tag)
    cfg = write_config(t, url, data, name=tag + ".json", srcs=sources(url))
    procs = [start(cfg, "--shard", "%d/%d" % (i, n)) for i in range(n)]
    for i, p in enumerate(procs):
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, (i, p.returncode, err.decode())
    # No daily files, no report before the merge; per-shard state and metrics.
    assert not os.path.exists(os.path.join(data, "daily")), os.listdir(data)
    assert not os.path.exists(os.path.join(data, "report.html"))
    for i in range(n):
        assert os.path.isdir(os.path.join(data, "state", "shard-%d-of-%d" % (i, n), "days"))
        with open(os.path.join(data, "metrics", "candor-shard-%d-of-%d.prom" % (i, n))) as f:
            assert 'shard="%d-of-%d"' % (i, n) in f.read()
    assert not os.path.exists(os.path.join(data, "state", "days"))
    # Every day with parts has all N of them.
    p = parts(data, n)
    days = sorted({k.split("/")[0] for k in p})
    assert len(p) == n * len(days), sorted(p)
    return data, cfg


def test_sharded_runs_merge_to_the_unsharded_bytes():
    with Tmp() as t:
        srv = start_server()
        try:
            want = unsharded(t, srv.url)
            for n in (2, 3):
                data, cfg = sharded(t, srv.url, n, "s%d" % n)
                code, err = merge(cfg, n)
                assert code == 0, (n, code, err)
                got = all_bytes(data)
                assert sorted(got) == sorted(want), (n, sorted(got), sorted(want))
                for k in want:
                    assert got[k] == want[k], (n, k)
                if n == 2:
                    # The lemmy days are shard 1's only: shard 0 wrote empty parts for them.
                    first = time.strftime("%Y-%m-%d", time.gmtime(BASE_TIME + 6 * 86400))
                    assert fnv_shard("lem", 2) == 1 and fnv_shard("gen-b", 2) == 0
                    lem_days = [d for d in os.listdir(os.path.join(data, "parts")) if d >= first]
                    assert lem_days, os.listdir(os.path.join(data, "parts"))
                    for d in lem_days:
                        assert os.path.exists(os.path.join(data, "parts", d, "0-of-2"))
                    rerun_changes_nothing(data, cfg, n)
        finally:
            srv.stop()


def rerun_changes_nothing(data, cfg, n):
    before = parts(data, n)
    for i in range(n):
        code, err = run(cfg, "--shard", "%d/%d" % (i, n))
        assert code == 0, (i, code, err)
    assert parts(data, n) == before
    # A shard that lost its state reads its whole archive again: the same bytes.
    shutil.rmtree(os.path.join(data, "state", "shard-0-of-%d" % n))
    code, err = run(cfg, "--shard", "auto/%d" % n, env={"SLURM_ARRAY_TASK_ID": "0"})
    assert code == 0, (code, err)
    assert os.path.exists(os.path.join(data, "state", "shard-0-of-%d" % n, "days", "lists"))
    assert parts(data, n) == before


def test_locks():
    with Tmp() as t:
        # One second a page: the three runs below, each a process start and
        # a lexicon load (slower under a sanitizer and a loaded machine),
        # all happen while the slow shard still holds its lock.
        srv = start_server(delay=1.0)
        try:
            data = os.path.join(t, "d")
            cfg = write_config(t, srv.url, data, srcs=sources(srv.url))
            slow = start(cfg, "--shard", "0/2")     # gen-b: 4 pages, a second each
            lock = os.path.join(data, ".lock.0-of-2")
            deadline = time.time() + 20
            while time.time() < deadline:
                if os.path.exists(lock) and open(lock).read().strip() == str(slow.pid):
                    break
                time.sleep(0.02)
            assert slow.poll() is None, "the shard ended too soon"
            code, err = run(cfg, "--shard", "0/2")
            assert code == 75, (code, err)
            assert "another copy of this shard" in err, err
            code, err = run(cfg, "--no-report")
            assert code == 75, (code, err)
            # Another shard of the same run goes ahead meanwhile.
            code, err = run(cfg, "--shard", "1/2")
            assert code == 0, (code, err)
            _, err = slow.communicate(timeout=60)
            assert slow.returncode == 0, (slow.returncode, err.decode())
            code, err = merge(cfg, 2)
            assert code == 0, (code, err)
            # An unsharded run or fetch holding DATA/.lock keeps every shard out.
            with open(os.path.join(data, ".lock"), "r+") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                code, err = run(cfg, "--shard", "1/2")
                assert code == 75, (code, err)
                assert "unsharded run or fetch" in err, err
        finally:
            srv.stop()


def test_missing_part_and_usage():
    with Tmp() as t:
        srv = start_server()
        try:
            data, cfg = sharded(t, srv.url, 2, "m")
            before = all_bytes(data)
            assert before == {}
            days = sorted(os.listdir(os.path.join(data, "parts")))
            shutil.rmtree(os.path.join(data, "parts", days[0], "1-of-2"))
            code, err = merge(cfg, 2)
            assert code == 65, (code, err)
            assert days[0] in err and "1-of-2" in err, err
            got = all_bytes(data)
            assert not any(days[0] in k for k in got), sorted(got)
            assert any(days[1] in k for k in got), sorted(got)
            # The missing part comes back with the next run of any shard of that count.
            code, err = run(cfg, "--shard", "0/2")
            assert code == 0, (code, err)
            assert os.path.exists(os.path.join(data, "parts", days[0], "1-of-2", "part.txt.gz"))
            code, err = merge(cfg, 2)
            assert code == 0, (code, err)
            # Usage and config errors are permanent for the scheduler.
            for bad in ("2/2", "x/2", "auto/2"):
                code, err = run(cfg, "--shard", bad)
                assert code == 65, (bad, code, err)
            code, err = run(os.path.join(t, "missing.json"), "--shard", "0/2")
            assert code == 65, (code, err)
        finally:
            srv.stop()


def test_failed_source_is_retryable():
    with Tmp() as t:
        srv = start_server()
        try:
            srv.add_fault("/api/v1/timelines/tag/", "status", nth=1, count=1000, status=503)
            data = os.path.join(t, "f")
            cfg = write_config(t, srv.url, data, srcs=sources(srv.url))
            assert fnv_shard("masto", 3) == 0
            code, err = run(cfg, "--shard", "0/3")
            assert code == 75, (code, err)
            assert "masto" in err, err
            # Its other source was rebuilt all the same.
            assert any(k.endswith("/0-of-3") for k in parts(data, 3)), parts(data, 3)
        finally:
            srv.stop()


def test_sigterm():
    with Tmp() as t:
        srv = start_server(delay=0.25)
        try:
            data = os.path.join(t, "k")
            cfg = write_config(t, srv.url, data, srcs=sources(srv.url))
            p = start(cfg, "--shard", "0/2")
            deadline = time.time() + 20
            while time.time() < deadline and not srv.requests("/feed.json"):
                time.sleep(0.02)
            assert srv.requests("/feed.json"), "no request"
            t0 = time.time()
            p.send_signal(signal.SIGTERM)
            _, err = p.communicate(timeout=40)
            assert p.returncode == 143, (p.returncode, err.decode())
            assert time.time() - t0 < 30
            assert not os.path.exists(os.path.join(data, "parts")) or all(
                ".tmp." not in d for day in os.listdir(os.path.join(data, "parts"))
                for d in os.listdir(os.path.join(data, "parts", day)))
            assert not os.path.exists(os.path.join(data, "daily"))
            # The next run finishes the job.
            code, err = run(cfg, "--shard", "0/2")
            assert code == 0, (code, err)
            assert parts(data, 2)
        finally:
            srv.stop()


if __name__ == "__main__":
    run_tests([test_sharded_runs_merge_to_the_unsharded_bytes, test_locks,
               test_missing_part_and_usage, test_failed_source_is_retryable, test_sigterm])
