#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor run end to end against the fixture HTTP server: repeat runs give
identical bytes, SIGKILL at 20 random moments then a normal run gives the
uninterrupted run's bytes, the lock (exit 75, --wait), a source failing
with 503 forever (exit 4), an invalid config (exit 2, nothing written), a
read-only data directory and a full disk (the documented error, earlier
outputs intact), the metrics file in strict Prometheus text format, and
`candor prune`."""
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_server import FixtureServer  # noqa: E402
from helpers import CANDOR, LEXICON, Tmp, all_bytes, candor, read_daily, run_tests  # noqa: E402

STEP = 3 * 3600          # posts three hours apart: a feed spans several days
N_POSTS = 16


def start_server(delay=0.0):
    srv = FixtureServer().start()
    # Clients killed on purpose reset connections: not worth a traceback.
    srv.httpd.handle_error = lambda request, address: None
    srv.add_feed("generic", n=N_POSTS, step=STEP, delay=delay)
    srv.add_feed("mastodon", n=N_POSTS, step=STEP)
    srv.add_feed("hackernews", n=N_POSTS, step=STEP)
    return srv


def sources(url):
    gen_fields = {"id": "id", "text": "body", "created_at": "created", "author": "user.name",
                  "url": "permalink"}
    return [
        # two sources paging through the same generic feed, 2 posts a page
        {"name": "gen-a", "kind": "generic", "url": url + "/feed.json", "items": "data.posts",
         "cursor": "data.next", "fields": gen_fields, "limit": 2},
        {"name": "gen-b", "kind": "generic", "url": url + "/feed.json", "items": "data.posts",
         "cursor": "data.next", "fields": gen_fields, "limit": 2},
        {"name": "masto", "kind": "mastodon", "base_url": url, "timeline": "tag", "tag": "scam",
         "limit": 40},
        {"name": "hn", "kind": "hackernews", "base_url": url, "query": "fees", "limit": 50},
    ]


# A small lexicon that flags the fixture posts (they all add a hidden fee):
# it compiles in a blink, even under the sanitizers, which keeps the many
# runs of these tests fast. test_run_twice_identical uses the real one.
SMALL_LEXICON = """# candor run tests
threshold 1.0
category hidden_fees
category pressure_tactics
phrase   fee.hidden   hidden_fees       1.5  hidden fee*
phrase   fee.added    hidden_fees       0.5  added .. fee*
phrase   push.now     pressure_tactics  1.2  sign today
cue      exp.they     experience        1.0  they added
"""


def write_config(t, url, data, name="cfg.json", extra=None, srcs=None, real_lexicon=False):
    # A copy of the real lexicon: the one in the tree may change while a test runs.
    lexicon = os.path.join(t, "en.lex" if real_lexicon else "small.lex")
    if not os.path.exists(lexicon):
        if real_lexicon:
            shutil.copy(LEXICON, lexicon)
        else:
            with open(lexicon, "w") as f:
                f.write(SMALL_LEXICON)
    cfg = {"data_dir": data, "lexicon": lexicon,
           "brands": [{"name": "Contoso Cable", "aliases": ["contoso"]}],
           "sources": srcs if srcs is not None else sources(url)}
    if extra:
        cfg.update(extra)
    path = os.path.join(t, name)
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    return path


def run(cfg, *args, env=None, preexec=None, timeout=120):
    full_env = dict(os.environ)
    full_env.pop("CANDOR_LOG", None)
    if env:
        full_env.update(env)
    p = subprocess.run([CANDOR, "run", "--config", cfg, "--tries", "2", "--backoff", "0.05",
                        *args], capture_output=True, env=full_env, timeout=timeout,
                       preexec_fn=preexec)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def outputs(data):
    """The daily files, complaint files and the report, as {relative path: bytes}."""
    out = all_bytes(data)
    path = os.path.join(data, "report.html")
    if os.path.exists(path):
        with open(path, "rb") as f:
            out["report.html"] = f.read()
    return out


def tmp_files(data):
    out = []
    for root, _, files in os.walk(data):
        out += [os.path.join(root, f) for f in files if ".tmp." in f]
    return out


def total_posts(data):
    total = {}
    for name in sorted(os.listdir(os.path.join(data, "daily"))):
        if name.endswith(".json.gz"):
            header, _ = read_daily(data, name[:10])
            for s in header["sources"]:
                total[s["source"]] = total.get(s["source"], 0) + s["posts"]
    return total


def run_lines(data):
    lines = []
    d = os.path.join(data, "runs")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name)) as f:
            lines += [json.loads(l) for l in f if l.strip()]
    return lines


# ---- A strict parser of the Prometheus text format (0.0.4) ----

NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def parse_value(s):
    if s in ("+Inf", "-Inf", "NaN"):
        return float(s.replace("Inf", "inf").replace("NaN", "nan"))
    if not re.match(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", s):
        raise ValueError("bad value %r" % s)
    return float(s)


def parse_labels(s, i, lineno):
    """Parses {a="x",b="y"} from s[i] == '{'; returns (labels, index after '}')."""
    labels = {}
    i += 1
    while True:
        if s[i] == "}":
            return labels, i + 1
        m = LABEL_RE.match(s, i)
        if not m:
            raise ValueError("line %d: bad label name at %d" % (lineno, i))
        name = m.group(0)
        i = m.end()
        if s[i:i + 2] != '="':
            raise ValueError("line %d: want =\" after label %s" % (lineno, name))
        i += 2
        val = []
        while s[i] != '"':
            if s[i] == "\\":
                nxt = s[i + 1]
                if nxt not in ('\\', '"', 'n'):
                    raise ValueError("line %d: bad escape \\%s" % (lineno, nxt))
                val.append({"n": "\n"}.get(nxt, nxt))
                i += 2
            elif s[i] == "\n":
                raise ValueError("line %d: raw newline in label value" % lineno)
            else:
                val.append(s[i])
                i += 1
        i += 1
        if name in labels:
            raise ValueError("line %d: label %s twice" % (lineno, name))
        labels[name] = "".join(val)
        if s[i] == ",":
            i += 1
        elif s[i] != "}":
            raise ValueError("line %d: want , or } after a label" % lineno)


def parse_prom(text):
    """Returns {name: {"type":..., "help":..., "samples": {labels tuple: value}}}; raises
    ValueError on anything the text format does not allow."""
    if text and not text.endswith("\n"):
        raise ValueError("no final newline")
    fams = {}
    current = None
    done = set()
    for lineno, line in enumerate(text.split("\n")[:-1], 1):
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
                name = parts[2]
                if not NAME_RE.match(name):
                    raise ValueError("line %d: bad metric name %r" % (lineno, name))
                if name in done:
                    raise ValueError("line %d: family %s is not contiguous" % (lineno, name))
                fam = fams.setdefault(name, {"type": None, "help": None, "samples": {}})
                if current and current != name:
                    done.add(current)
                current = name
                if parts[1] == "TYPE":
                    if fam["type"] is not None or fam["samples"]:
                        raise ValueError("line %d: TYPE twice or after samples" % lineno)
                    if len(parts) != 4 or parts[3] not in ("counter", "gauge", "histogram",
                                                           "summary", "untyped"):
                        raise ValueError("line %d: bad TYPE" % lineno)
                    fam["type"] = parts[3]
                else:
                    if fam["help"] is not None:
                        raise ValueError("line %d: HELP twice" % lineno)
                    fam["help"] = parts[3] if len(parts) == 4 else ""
            continue
        if not line.strip():
            raise ValueError("line %d: empty line" % lineno)
        m = re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line)
        if not m:
            raise ValueError("line %d: bad sample %r" % (lineno, line))
        name = m.group(0)
        i = m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = parse_labels(line, i, lineno)
        if line[i:i + 1] != " ":
            raise ValueError("line %d: want a space before the value" % lineno)
        rest = line[i + 1:].split(" ")
        if len(rest) not in (1, 2):
            raise ValueError("line %d: bad value part" % lineno)
        value = parse_value(rest[0])
        if len(rest) == 2 and not re.match(r"^-?\d+$", rest[1]):
            raise ValueError("line %d: bad timestamp" % lineno)
        if name in done or (current and current != name):
            raise ValueError("line %d: sample of %s outside its family" % (lineno, name))
        fam = fams.setdefault(name, {"type": None, "help": None, "samples": {}})
        current = name
        key = tuple(sorted(labels.items()))
        if key in fam["samples"]:
            raise ValueError("line %d: duplicate series" % lineno)
        fam["samples"][key] = value
    return fams


def check_metrics(data):
    path = os.path.join(data, "metrics", "candor.prom")
    with open(path) as f:
        text = f.read()
    fams = parse_prom(text)
    for name, fam in fams.items():
        assert fam["type"] == "gauge" and fam["help"], name
    if shutil.which("promtool"):
        p = subprocess.run(["promtool", "check", "metrics"], input=text.encode(),
                           capture_output=True)
        assert p.returncode == 0, p.stdout + p.stderr
    return fams


def sample(fams, name, **labels):
    return fams[name]["samples"].get(tuple(sorted(labels.items())))


# ---- Tests ----

def test_strict_parser_rejects_bad_text():
    good = '# HELP a x\n# TYPE a gauge\na{s="q\\"\\\\\\n"} 1\na{s="r"} +Inf\n'
    assert parse_prom(good)["a"]["samples"][(("s", 'q"\\\n'),)] == 1
    for bad in ['a 1', '# TYPE a gauge\na{s="x} 1\n', '# TYPE a gauge\na{s="\\x"} 1\n',
                '# TYPE a gauge\na 1\na 2\n', '# TYPE a gauge\na one\n',
                '# TYPE a gauge\n# TYPE b gauge\nb 1\na 1\n', '# TYPE a gauge\n\na 1\n',
                '# TYPE 1a gauge\n']:
        try:
            parse_prom(bad)
        except (ValueError, IndexError):
            continue
        raise AssertionError("accepted %r" % bad)


def test_run_twice_identical():
    srv = start_server()
    try:
        with Tmp() as t:
            data = os.path.join(t, "data")
            cfg = write_config(t, srv.url, data, real_lexicon=True)
            code, out, err = run(cfg)
            assert code == 0, err
            assert out == "" and err == "", (out, err)      # silent when not on a terminal
            first = outputs(data)
            assert "report.html" in first
            days = sorted(k for k in first if k.startswith("daily/") and k.endswith(".json.gz"))
            assert len(days) >= 2, days
            assert total_posts(data) == {"gen-a": N_POSTS, "gen-b": N_POSTS,
                                         "masto": N_POSTS, "hn": N_POSTS}, total_posts(data)
            header, _ = read_daily(data, days[0][6:16])
            assert header["inputs"] == ["archive/gen-a", "archive/gen-b", "archive/hn",
                                        "archive/masto"], header
            fams = check_metrics(data)
            assert sample(fams, "candor_last_run_exit_status") == 0
            assert sample(fams, "candor_source_up", source="hn") == 1
            assert sample(fams, "candor_last_run_posts_analyzed", source="gen-a") == N_POSTS
            assert sample(fams, "candor_last_run_posts_flagged", source="masto") == N_POSTS
            assert sample(fams, "candor_last_run_pages_fetched", source="gen-a") >= N_POSTS / 2
            start1 = sample(fams, "candor_last_run_start_timestamp_seconds")
            assert abs(start1 - time.time()) < 120
            assert sample(fams, "candor_last_success_timestamp_seconds") >= start1

            code, out, err = run(cfg)
            assert code == 0, err
            assert outputs(data) == first
            lines = run_lines(data)
            assert len(lines) == 8, lines
            second = [l for l in lines[4:]]
            assert all(l["ok"] and l["error"] is None for l in second), second
            # no new posts: mastodon and HN ask for newer posts only
            assert {l["source"]: l["posts"] for l in second}["masto"] == 0, second
            assert {l["source"]: l["posts"] for l in second}["hn"] == 0, second
            for l in lines:
                assert set(l) >= {"run_start", "run_end", "source", "ok", "error", "pages",
                                  "posts"}, l
                assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", l["run_start"]), l
            assert tmp_files(data) == []

            # Lost day lists: the index is not trusted, every segment is read again.
            shutil.rmtree(os.path.join(data, "state", "days"))
            code, _, err = run(cfg)
            assert code == 0, err
            assert outputs(data) == first
            assert os.path.exists(os.path.join(data, "state", "days", "lists"))

            # Damaged state: an index line and a day list line. The index line's
            # segment is read again; the damaged day is left alone for one run,
            # then everything is read again: the bytes never change.
            idx = os.path.join(data, "state", "index", "masto")
            (idx,) = [os.path.join(idx, f) for f in os.listdir(idx)]
            with open(idx) as f:
                lines = f.read().splitlines()
            with open(idx, "w") as f:
                # the segment's size damaged: it is read again, all its days touched
                f.write("\n".join(lines[:1] + [l.replace("\t", "\tx", 1) for l in lines[1:]])
                        + "\ngarbage line\n")
            segs = sorted(os.listdir(os.path.join(data, "state", "days")))
            with open(os.path.join(data, "state", "days", segs[0]), "a") as f:
                f.write("../../etc/passwd\n")
            for _ in range(2):
                code, _, err = run(cfg)
                assert code == 0, err
                assert outputs(data) == first
            assert os.path.exists(os.path.join(data, "state", "days", "lists"))
            with open(os.path.join(data, "state", "days", segs[0])) as f:
                assert "passwd" not in f.read()

            # New posts arrive: only their days change, and every post counts once.
            srv.add_posts("mastodon", 3)
            code, _, err = run(cfg)
            assert code == 0, err
            assert total_posts(data)["masto"] == N_POSTS + 3
            third = outputs(data)
            changed = sorted(k for k in third if third[k] != first.get(k))
            assert changed and all(k.endswith(".gz") or k == "report.html" for k in changed), \
                changed
    finally:
        srv.stop()


def test_sigkill_20_moments():
    """SIGKILL at 20 random moments (seeded), each followed by a normal run:
    every data directory ends byte-identical to the uninterrupted run's."""
    srv = start_server(delay=0.04)
    rng = random.Random(20261123)
    # On a tmpfs when there is one: fsync costs nothing there, and a SIGKILL
    # leaves the page cache as it is anyway (the kernel does not die).
    shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    try:
        t = tempfile.mkdtemp(prefix="candor-kill-", dir=shm)
        try:
            base = os.path.join(t, "base")
            cfg = write_config(t, srv.url, base, name="base.json")
            t0 = time.time()
            code, _, err = run(cfg)
            took = time.time() - t0
            assert code == 0, err
            want = outputs(base)
            assert len(want) >= 6
            began = time.time()
            delays = sorted(rng.uniform(0.0, took * 1.05) for _ in range(20))
            for i, delay in enumerate(delays):
                data = os.path.join(t, "k%02d" % i)
                kcfg = write_config(t, srv.url, data, name="k%02d.json" % i)
                env = dict(os.environ)
                env.pop("CANDOR_LOG", None)
                p = subprocess.Popen([CANDOR, "run", "--config", kcfg], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(delay)
                p.send_signal(signal.SIGKILL)
                p.wait()
                code, _, err = run(kcfg)
                assert code == 0, (i, delay, err)
                got = outputs(data)
                assert got == want, (i, delay, sorted(set(got) ^ set(want)),
                                     [k for k in want if got.get(k) != want[k]])
                assert not [f for f in tmp_files(data) if "/daily/" in f or "/complaints/" in f]
            print("     20 kills and reruns in %.1f s (uninterrupted run %.2f s)"
                  % (time.time() - began, took))
        finally:
            shutil.rmtree(t, ignore_errors=True)
    finally:
        srv.stop()


def wait_for_holder(lock, pid):
    """Waits until the run "pid" holds the lock (its pid is in the file)."""
    deadline = time.time() + 60
    while time.time() < deadline:
        if os.path.exists(lock):
            with open(lock) as f:
                if f.read().strip() == str(pid):
                    return
        time.sleep(0.02)
    raise AssertionError("run %d never took the lock" % pid)


def test_concurrent_runs_lock():
    srv = start_server(delay=0.15)
    try:
        with Tmp() as t:
            data = os.path.join(t, "data")
            cfg = write_config(t, srv.url, data)
            env = dict(os.environ)
            env.pop("CANDOR_LOG", None)
            a = subprocess.Popen([CANDOR, "run", "--config", cfg], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            lock = os.path.join(data, ".lock")
            wait_for_holder(lock, a.pid)
            code, _, err = run(cfg)
            assert code == 75, (code, err)
            assert "another run holds the lock" in err and str(a.pid) in err, err
            c = subprocess.Popen([CANDOR, "run", "--config", cfg, "--wait"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            _, aerr = a.communicate(timeout=60)
            assert a.returncode == 0, aerr
            a_end = time.time()
            _, cerr = c.communicate(timeout=60)
            assert c.returncode == 0, cerr
            assert time.time() >= a_end
            # the waiting run ran after the first one (two run records per source)
            assert len(run_lines(data)) == 8
            # --wait with --max-runtime gives up at the deadline
            srv.add_posts("generic", 10)
            b = subprocess.Popen([CANDOR, "run", "--config", cfg], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            wait_for_holder(lock, b.pid)
            t0 = time.time()
            code, _, err = run(cfg, "--wait", "--max-runtime", "0.3")
            assert code == 75 and time.time() - t0 < 5, (code, err)
            b.communicate(timeout=60)
    finally:
        srv.stop()


def test_source_503_forever():
    srv = start_server()
    srv.add_fault("/search_by_date", "status", nth=1, count=10 ** 6, status=503)
    try:
        with Tmp() as t:
            data = os.path.join(t, "data")
            cfg = write_config(t, srv.url, data)
            code, _, err = run(cfg)
            assert code == 4, (code, err)
            assert "1 of 4 sources failed: hn" in err, err
            assert "gen-a" not in err.split("failed:")[1].split("\n")[0]
            totals = total_posts(data)
            assert totals == {"gen-a": N_POSTS, "gen-b": N_POSTS, "masto": N_POSTS}, totals
            lines = {l["source"]: l for l in run_lines(data)}
            assert lines["hn"]["ok"] is False and lines["hn"]["error"], lines["hn"]
            assert lines["masto"]["ok"] is True
            fams = check_metrics(data)
            assert sample(fams, "candor_source_up", source="hn") == 0
            assert sample(fams, "candor_last_run_http_errors", source="hn", status="503") >= 2
            assert sample(fams, "candor_last_run_exit_status") == 4
            assert sample(fams, "candor_last_success_timestamp_seconds") == 0
            # the source recovers: the next run completes it
            srv.faults.clear()
            code, _, err = run(cfg)
            assert code == 0, err
            assert total_posts(data)["hn"] == N_POSTS
    finally:
        srv.stop()


def test_invalid_config_writes_nothing():
    with Tmp() as t:
        data = os.path.join(t, "data")
        bad = write_config(t, "http://127.0.0.1:9", data, extra={"bogus": 1})
        code, out, err = run(bad)
        assert code == 2, (code, err)
        assert re.search(r"cfg\.json:\d+: bogus: unknown key", err), err
        assert not os.path.exists(data)
        # a source key of the wrong type and a secret that is not set
        srcs = sources("http://127.0.0.1:9")
        srcs[2]["limit"] = "forty"
        srcs.append({"name": "bsky", "kind": "bluesky", "base_url": "http://127.0.0.1:9",
                     "query": "fees", "handle_env": "CND_TEST_UNSET_HANDLE",
                     "password_env": "CND_TEST_UNSET_PASSWORD"})
        bad = write_config(t, "", data, name="bad2.json", srcs=srcs)
        code, _, err = run(bad, env={"CND_TEST_UNSET_HANDLE": ""})
        os.environ.pop("CND_TEST_UNSET_HANDLE", None)
        assert code == 2, (code, err)
        assert re.search(r"bad2\.json:\d+: sources\[2\]\.limit: ", err), err
        assert "CND_TEST_UNSET_PASSWORD is not set" in err, err
        assert not os.path.exists(data)
        code, out, err = candor("config", "check", "--config", bad)
        assert code == 2 and "sources[2].limit" in err, err
        # a missing lexicon is found up front too
        bad = write_config(t, "", data, name="bad3.json", srcs=[],
                           extra={"lexicon": os.path.join(t, "nope.lex")})
        code, _, err = run(bad)
        assert code == 2 and "lexicon: cannot read" in err, err
        assert not os.path.exists(data)
        # nothing to fetch (no source, or every one disabled) is a config error for run
        srcs = sources("http://127.0.0.1:9")
        for src in srcs:
            src["enabled"] = False
        bad = write_config(t, "", data, name="bad4.json", srcs=srcs)
        code, _, err = run(bad)
        assert code == 2 and "sources: no enabled source to fetch" in err, err
        assert not os.path.exists(data)
        code, _, err = run(bad, "--max-runtime", "zero")
        assert code == 2 and "--max-runtime" in err


def can_mount():
    # CND_TEST_NO_MOUNT=1 tries the fallbacks (nobody, chmod, a file size limit).
    if os.geteuid() != 0 or os.environ.get("CND_TEST_NO_MOUNT"):
        return False
    with Tmp() as t:
        d = os.path.join(t, "m")
        os.mkdir(d)
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", d],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", d], check=True)
        return ok


def as_nobody():
    os.setgid(65534)
    os.setgroups([])
    os.setuid(65534)


def test_read_only_data_dir():
    srv = start_server()
    try:
        with Tmp() as t:
            os.chmod(t, 0o755)
            data = os.path.join(t, "data")
            cfg = write_config(t, srv.url, data)
            code, _, err = run(cfg)
            assert code == 0, err
            before = all_bytes(data)
            srv.add_posts("mastodon", 2)
            mounted = False
            preexec = None
            if can_mount():
                # a read-only bind mount stops root too
                subprocess.run(["mount", "--bind", data, data], check=True)
                mounted = True
                subprocess.run(["mount", "-o", "remount,ro,bind", data], check=True)
                expect = "Read-only file system"
            elif os.geteuid() == 0:
                # root without mount: run as nobody over a tree nobody may not write
                preexec = as_nobody
                expect = "Permission denied"
            else:
                os.chmod(data, 0o555)
                expect = "Permission denied"
            try:
                code, _, err = run(cfg, preexec=preexec)
            finally:
                if mounted:
                    subprocess.run(["umount", data], check=True)
                os.chmod(data, 0o755)
            assert code == 2, (code, err)
            assert re.search(r"data_dir: '[^']*' is not writable: " + expect, err), err
            assert "nothing fetched or written" in err, err
            assert all_bytes(data) == before
            code, _, err = run(cfg)
            assert code == 0, err
            assert total_posts(data)["masto"] == N_POSTS + 2
    finally:
        srv.stop()


def test_full_disk():
    srv = start_server()
    try:
        with Tmp() as t:
            data = os.path.join(t, "data")
            os.mkdir(data)
            cfg = write_config(t, srv.url, data)
            mounted = can_mount()
            if mounted:
                subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", data],
                               check=True)
            try:
                code, _, err = run(cfg)
                assert code == 0, err
                before = all_bytes(data)
                srv.add_posts("mastodon", 3)
                srv.add_posts("generic", 3)
                preexec = None
                filler = os.path.join(data, "filler")
                if mounted:
                    # fill the tmpfs up: a real ENOSPC
                    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
                    try:
                        while True:
                            os.write(fd, b"\0" * 4096)
                    except OSError:
                        pass
                    os.close(fd)
                    expect = "No space left on device"
                else:
                    # an injected write failure: a file size limit (EFBIG)
                    def preexec():
                        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
                    expect = "File too large"
                code, _, err = run(cfg, preexec=preexec)
                assert code == 1, (code, err)
                assert expect in err, err
                assert all_bytes(data) == before
                assert not [f for f in tmp_files(data) if "/daily/" in f or "/complaints/" in f]
                if os.path.exists(filler):
                    os.unlink(filler)
                code, _, err = run(cfg)
                assert code == 0, err
                totals = total_posts(data)
                assert totals["masto"] == N_POSTS + 3 and totals["gen-a"] == N_POSTS + 3, totals
            finally:
                if mounted:
                    subprocess.run(["umount", data], check=True)
    finally:
        srv.stop()


def test_json_logs_and_prune():
    srv = start_server()
    try:
        with Tmp() as t:
            data = os.path.join(t, "data")
            cfg = write_config(t, srv.url, data)
            code, _, err = run(cfg, "--log-format", "json")
            assert code == 0, err
            lines = [json.loads(l) for l in err.splitlines()]
            assert lines and all(set(l) >= {"ts", "level", "module", "msg"} for l in lines), err
            want = all_bytes(data)
            # Make every segment look 10 days old (its fetch-day directory and index).
            old = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 10 * 86400))
            for src in os.listdir(os.path.join(data, "archive")):
                sdir = os.path.join(data, "archive", src)
                (day,) = os.listdir(sdir)
                os.rename(os.path.join(sdir, day), os.path.join(sdir, old))
                idir = os.path.join(data, "state", "index", src)
                os.rename(os.path.join(idir, day + ".idx"), os.path.join(idir, old + ".idx"))
            ddir = os.path.join(data, "state", "days")
            for name in os.listdir(ddir):
                with open(os.path.join(ddir, name)) as f:
                    text = f.read()
                with open(os.path.join(ddir, name), "w") as f:
                    f.write(text.replace("/" + day + "/", "/" + old + "/"))
            # an old segment not indexed yet (its days are not built): kept
            stray = os.path.join(data, "archive", "masto", old, "20000101T000000Z-1.ndjson.gz")
            shutil.copy(os.path.join(data, "archive", "hn", old,
                                     os.listdir(os.path.join(data, "archive", "hn", old))[0]),
                        stray)
            code, _, err = candor("prune", "--config", cfg, "--archive-days", "30", "--dry-run")
            assert code == 0 and "would remove 0 segments" in err, err
            code, _, err = candor("prune", "--config", cfg, "--archive-days", "5")
            assert code == 0, err
            assert "removed 4 segments" in err and "1 kept" in err, err
            left = [f for r, _, fs in os.walk(os.path.join(data, "archive")) for f in fs]
            assert left == [os.path.basename(stray)], left
            os.unlink(stray)
            days = os.listdir(os.path.join(data, "state", "days"))
            for d in days:
                with open(os.path.join(data, "state", "days", d)) as f:
                    assert all(l.startswith("- ") for l in f.read().splitlines()[1:])
            # The generic sources fetch their last page again: posts of pruned days, left alone.
            code, _, err = run(cfg)
            assert code == 0, err
            assert all_bytes(data) == want
            code, _, err = candor("prune", "--config", cfg)
            assert code == 2
    finally:
        srv.stop()


def test_fetch_then_run():
    """What `candor fetch` archived alone is rebuilt by the next `candor run`."""
    srv = start_server()
    try:
        with Tmp() as t:
            data = os.path.join(t, "data")
            cfg = write_config(t, srv.url, data)
            code, _, err = candor("fetch", "--config", cfg, "--quiet")
            assert code == 0, err
            assert not os.path.exists(os.path.join(data, "daily"))
            code, _, err = run(cfg)
            assert code == 0, err
            assert total_posts(data) == {"gen-a": N_POSTS, "gen-b": N_POSTS, "masto": N_POSTS,
                                         "hn": N_POSTS}, total_posts(data)
    finally:
        srv.stop()


def test_installed_binary_finds_lexicon():
    """`cmake --install BUILD --prefix P` puts the binary, the lexicon and the example
    config in place, and the installed candor finds the lexicon without being told."""
    build = os.environ.get("CND_BUILD_DIR") or os.path.dirname(CANDOR)
    assert os.path.exists(os.path.join(build, "cmake_install.cmake")), build
    srv = start_server()
    try:
        with Tmp() as t:
            prefix = os.path.join(t, "prefix")
            p = subprocess.run(["cmake", "--install", build, "--prefix", prefix],
                               capture_output=True, timeout=120)
            assert p.returncode == 0, p.stdout + p.stderr
            binary = os.path.join(prefix, "bin", "candor")
            lex = os.path.join(prefix, "share", "candor", "en.lex")
            example = os.path.join(prefix, "etc", "candor", "candor.example.json")
            assert os.access(binary, os.X_OK) and os.path.exists(lex) and os.path.exists(example)
            data = os.path.join(t, "data")
            cfg = os.path.join(t, "cfg.json")
            with open(cfg, "w") as f:
                json.dump({"data_dir": data, "sources": sources(srv.url)}, f)
            env = dict(os.environ)
            env.pop("CANDOR_LEXICON", None)
            env.pop("CANDOR_LOG", None)
            ver = subprocess.run([binary, "lexicon", "version", lex], capture_output=True,
                                 env=env).stdout.decode().strip()
            assert re.match(r"^[0-9a-f]{16}$", ver), ver
            p = subprocess.run([binary, "config", "check", "--config", cfg], capture_output=True,
                               env=env)
            assert p.returncode == 0, p.stderr
            assert ("lexicon version " + ver) in p.stdout.decode(), p.stdout
            p = subprocess.run([binary, "run", "--config", cfg], capture_output=True, env=env,
                               cwd=t)
            assert p.returncode == 0, p.stderr
            header, _ = read_daily(data, sorted(os.listdir(os.path.join(data, "daily")))[0][:10])
            assert header["lexicon_version"] == ver, header
    finally:
        srv.stop()


if __name__ == "__main__":
    run_tests([test_strict_parser_rejects_bad_text, test_run_twice_identical,
               test_sigkill_20_moments, test_concurrent_runs_lock, test_source_503_forever,
               test_invalid_config_writes_nothing, test_read_only_data_dir, test_full_disk,
               test_json_logs_and_prune, test_fetch_then_run,
               test_installed_binary_finds_lexicon])
