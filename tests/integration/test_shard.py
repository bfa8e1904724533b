#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sharded replay and candor merge end to end: N shards (1, 3, 8) then a
merge give the same bytes as one unsharded replay (samples/ plus a
generated corpus over 30 days and 4 sources, with duplicates across
files); a rerun shard changes nothing; missing, corrupt or mixed parts make
merge exit 65 and publish nothing for that day; SIGTERM during a shard
exits 143 within 30 s and publishes nothing; the scheduler exit statuses."""
import gzip
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import (CANDOR, DEMO_CONFIG, LEXICON, SRC, Tmp, all_bytes, candor,  # noqa: E402
                     run_tests, write_lines)

SAMPLES = [os.path.join(SRC, "samples", "posts-2025-11-03_05.ndjson"),
           os.path.join(SRC, "samples", "posts-2025-11-05_06.ndjson.gz")]
BASE = ["--config", DEMO_CONFIG, "--lexicon", LEXICON]


def make_corpus(t, n=3000):
    """Writes the generated corpus as three overlapping files (one gzip); returns their paths."""
    whole = os.path.join(t, "corpus.ndjson")
    subprocess.run([sys.executable, os.path.join(SRC, "bench", "gen_corpus.py"), str(n), whole, "7"],
                   check=True)
    with open(whole, encoding="utf-8") as f:
        lines = f.read().splitlines()
    rng = random.Random(11)
    a = os.path.join(t, "a.ndjson")
    b = os.path.join(t, "b.ndjson.gz")
    c = os.path.join(t, "c.ndjson")
    write_lines(a, lines[: n // 2])
    write_lines(b, lines[n // 2 - 300:], gz=True)           # 300 lines also in a
    write_lines(c, rng.sample(lines, 200))                  # repeats from both
    return [a, b, c]


def replay(data, inputs, *extra, env=None):
    return candor("replay", *BASE, "--data", data, *extra, *inputs, env=env)


def sharded(data, inputs, n):
    for i in range(n):
        code, _, err = replay(data, inputs, "--shard", "%d/%d" % (i, n), "--quiet")
        assert code == 0, (i, n, code, err)
    code, _, err = candor("merge", "--data", data)
    assert code == 0, (code, err)
    return err


def parts_bytes(data):
    out = {}
    root = os.path.join(data, "parts")
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


def check_same_as_unsharded(inputs, shard_counts):
    with Tmp() as t:
        ref = os.path.join(t, "ref")
        code, _, err = replay(ref, inputs)
        assert code == 0, err
        expect = all_bytes(ref)
        assert len(expect) >= 12, sorted(expect)
        for n in shard_counts:
            data = os.path.join(t, "n%d" % n)
            err = sharded(data, inputs, n)
            got = all_bytes(data)
            assert sorted(got) == sorted(expect), (n, sorted(set(got) ^ set(expect)))
            for name in expect:
                assert got[name] == expect[name], "%s differs with %d shards" % (name, n)
            days = len([f for f in os.listdir(os.path.join(data, "daily")) if f.endswith(".json.gz")])
            assert ("%d days merged, 0 refused" % days) in err, err
            # Every day has exactly N parts, nothing temporary left.
            for day in os.listdir(os.path.join(data, "parts")):
                names = sorted(os.listdir(os.path.join(data, "parts", day)))
                assert names == sorted("%d-of-%d" % (i, n) for i in range(n)), (day, names)


def test_corpus_sharded_equal_unsharded():
    with Tmp() as t:
        inputs = make_corpus(t) + SAMPLES
        check_same_as_unsharded(inputs, (1, 3, 8))


def test_complaints_in_time_order():
    # The complaint file is sorted by created_at (then post key) in both paths.
    with Tmp() as t:
        data = os.path.join(t, "d")
        assert replay(data, SAMPLES)[0] == 0
        import json
        for name in os.listdir(os.path.join(data, "complaints")):
            with gzip.open(os.path.join(data, "complaints", name), "rt") as f:
                times = [json.loads(l)["created_at"] for l in f]
            assert times == sorted(times), (name, times)


def test_rerun_shard_changes_nothing():
    with Tmp() as t:
        inputs = make_corpus(t, 1200)
        data = os.path.join(t, "d")
        sharded(data, inputs, 2)
        parts1, out1 = parts_bytes(data), all_bytes(data)
        mtimes = {p: os.stat(os.path.join(data, "parts", p)).st_mtime_ns for p in parts1}
        for _ in range(2):
            code, _, err = replay(data, inputs, "--shard", "1/2", "--quiet")
            assert code == 0, err
        code, _, err = candor("merge", "--data", data)
        assert code == 0, err
        parts2 = parts_bytes(data)
        assert parts1 == parts2
        assert all_bytes(data) == out1
        # The rerun really rewrote shard 1's parts (same bytes, new files).
        rewritten = [p for p in parts2 if p.split(os.sep)[1] == "1-of-2"
                     and os.stat(os.path.join(data, "parts", p)).st_mtime_ns != mtimes[p]]
        assert rewritten, "shard 1 was not rewritten"
        leftovers = [d for day in os.listdir(os.path.join(data, "parts"))
                     for d in os.listdir(os.path.join(data, "parts", day)) if ".tmp." in d]
        assert leftovers == [], leftovers


def test_auto_index_from_scheduler_env():
    with Tmp() as t:
        a, b = os.path.join(t, "a"), os.path.join(t, "b")
        assert replay(a, SAMPLES, "--shard", "2/3")[0] == 0
        code, _, err = replay(b, SAMPLES, "--shard", "auto/3", env={"SLURM_ARRAY_TASK_ID": "2"})
        assert code == 0, err
        assert parts_bytes(a) == parts_bytes(b) and parts_bytes(a)
        c = os.path.join(t, "c")
        code, _, err = replay(c, SAMPLES, "--shard", "auto/3",
                              env={"SLURM_ARRAY_TASK_ID": "", "JOB_COMPLETION_INDEX": "2"})
        assert code == 0, err
        assert parts_bytes(a) == parts_bytes(c)
        env = {"SLURM_ARRAY_TASK_ID": "", "JOB_COMPLETION_INDEX": ""}
        code, _, err = replay(os.path.join(t, "x"), SAMPLES, "--shard", "auto/3", env=env)
        assert code == 65 and "JOB_COMPLETION_INDEX" in err, (code, err)
        code, _, err = replay(os.path.join(t, "x"), SAMPLES, "--shard", "auto/3",
                              env={"SLURM_ARRAY_TASK_ID": "3"})
        assert code == 65 and "SLURM_ARRAY_TASK_ID='3'" in err, (code, err)


def test_scheduler_exit_statuses():
    with Tmp() as t:
        data = os.path.join(t, "d")
        for spec in ("3/3", "x/2", "1/0", "1", "-1/2"):
            code, _, err = replay(data, SAMPLES, "--shard", spec)
            assert code == 65, (spec, code, err)
        # A missing input fails a shard (65) instead of being skipped.
        code, _, err = replay(data, SAMPLES + [os.path.join(t, "missing.ndjson")], "--shard", "0/2")
        assert code == 65 and "missing.ndjson" in err, (code, err)
        assert not os.path.exists(os.path.join(data, "parts"))
        # So does a truncated gzip input: another shard could have read more of it.
        raw = open(SAMPLES[1], "rb").read()
        cut = os.path.join(t, "cut.ndjson.gz")
        open(cut, "wb").write(raw[: len(raw) // 2])
        code, _, err = replay(data, [SAMPLES[0], cut], "--shard", "0/2")
        assert code == 65 and "cut.ndjson.gz" in err, (code, err)
        assert not os.path.exists(os.path.join(data, "parts"))
        # Bad lines are reported but do not fail a shard.
        bad = os.path.join(t, "bad.ndjson")
        open(bad, "w").write('{"id": 1\n')
        code, _, err = replay(data, SAMPLES + [bad], "--shard", "0/2")
        assert code == 0 and "bad.ndjson:1:" in err, (code, err)
        # Config errors are permanent too; unsharded replay keeps its statuses.
        cfg = os.path.join(t, "bad.json")
        open(cfg, "w").write('{"brandz": []}')
        code, _, err = candor("replay", "--config", cfg, "--data", data, "--shard", "0/2", *SAMPLES)
        assert code == 65, (code, err)
        code, _, err = candor("replay", "--config", cfg, "--data", data, *SAMPLES)
        assert code == 2, (code, err)
        code, _, err = candor("merge", "--data", data, "--from", "2025-13-01")
        assert code == 65, (code, err)
        code, _, err = candor("merge", "--data", data, "--shards", "0")
        assert code == 65, (code, err)
        # Nothing to merge in an empty data directory is not an error.
        code, _, err = candor("merge", "--data", os.path.join(t, "empty"))
        assert code == 0, (code, err)


def test_missing_or_corrupt_part_refused():
    with Tmp() as t:
        inputs = SAMPLES
        ref = os.path.join(t, "ref")
        assert replay(ref, inputs)[0] == 0
        data = os.path.join(t, "d")
        for i in range(3):
            assert replay(data, inputs, "--shard", "%d/3" % i, "--quiet")[0] == 0
        days = sorted(os.listdir(os.path.join(data, "parts")))
        assert len(days) == 4, days
        # A missing part: that day is refused and nothing of it is published.
        missing = os.path.join(data, "parts", days[1], "2-of-3")
        os.rename(missing, missing + ".away")
        code, _, err = candor("merge", "--data", data)
        assert code == 65, (code, err)
        assert "day %s: missing part 2-of-3" % days[1] in err, err
        published = sorted(os.listdir(os.path.join(data, "daily")))
        assert not [f for f in published if f.startswith(days[1])], published
        assert not os.path.exists(os.path.join(data, "complaints", days[1] + ".ndjson.gz"))
        # The other days were merged, and are right.
        assert len(published) == 6, published
        expect = all_bytes(ref)
        for name, b in all_bytes(data).items():
            assert expect[name] == b, name
        os.rename(missing + ".away", missing)
        # A corrupt part (cut short): refused naming it; the old files stay as they were.
        code, _, err = candor("merge", "--data", data)
        assert code == 0, err
        before = all_bytes(data)
        part = os.path.join(data, "parts", days[0], "0-of-3", "part.txt.gz")
        raw = open(part, "rb").read()
        open(part, "wb").write(raw[: len(raw) - 9])
        code, _, err = candor("merge", "--data", data)
        assert code == 65, (code, err)
        assert "corrupt part " + part in err, err
        assert all_bytes(data) == before
        # A part whose text was altered (valid gzip): refused too.
        text = gzip.decompress(raw).decode().replace("\nend ", "\nend 9", 1)
        with gzip.GzipFile(part, "wb", mtime=0) as f:
            f.write(text.encode())
        code, _, err = candor("merge", "--data", data)
        assert code == 65 and "corrupt part " + part in err and "'end'" in err, (code, err)
        # An empty part directory.
        os.remove(part)
        code, _, err = candor("merge", "--data", data)
        assert code == 65 and "no part.txt.gz" in err, (code, err)
        assert all_bytes(data) == before
        # Parts of another shard count beside them: refused unless --shards picks one.
        assert replay(data, inputs, "--shard", "0/3", "--quiet")[0] == 0
        assert replay(data, inputs, "--shard", "0/1", "--quiet")[0] == 0
        code, _, err = candor("merge", "--data", data)
        assert code == 65 and "pass --shards N" in err, (code, err)
        code, _, err = candor("merge", "--data", data, "--shards", "3")
        assert code == 0, err
        assert all_bytes(data) == expect
        code, _, err = candor("merge", "--data", data, "--shards", "1", "--from", days[1],
                              "--to", days[2])
        assert code == 0 and "2 days merged" in err, err
        # Parts made with another lexicon (a different lexicon_version) disagree.
        other = os.path.join(t, "other.lex")
        with open(LEXICON, "rb") as f, open(other, "wb") as g:
            g.write(f.read() + b"\n# changed\n")
        code, _, err = candor("replay", "--config", DEMO_CONFIG, "--lexicon", other, "--data", data,
                              "--shard", "1/3", "--quiet", *inputs)
        assert code == 0, err
        code, _, err = candor("merge", "--data", data, "--shards", "3")
        assert code == 65 and "another lexicon version" in err, (code, err)


def feed_slowly(path, lines, pause, stop, per_tick=5, tick=0.05):
    """Opens the FIFO and writes a few lines per tick until paused (the FIFO stays
    open, the reader blocks) or stopped (closed), or the reader left."""
    try:
        with open(path, "w", encoding="utf-8") as f:
            i = 0
            while not pause.is_set() and not stop.is_set():
                for _ in range(per_tick):
                    f.write(lines[i % len(lines)] + "\n")
                    i += 1
                f.flush()
                time.sleep(tick)
            stop.wait(60)
    except (BrokenPipeError, OSError):
        pass


def sigterm_case(t, name, shard, keep_feeding):
    with open(SAMPLES[0], encoding="utf-8") as f:
        base = f.read().splitlines()
    import json
    lines = []
    for i in range(20000):
        d = json.loads(base[i % len(base)])
        d["id"] = "%s-%d" % (d["id"], i)
        lines.append(json.dumps(d))
    fifo = os.path.join(t, name + ".fifo")
    os.mkfifo(fifo)
    data = os.path.join(t, name)
    stop = threading.Event()
    pause = threading.Event()
    args = [CANDOR, "replay", *BASE, "--data", data, fifo]
    if shard:
        args[2:2] = ["--shard", "0/2"]
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    feeder = threading.Thread(target=feed_slowly, args=(fifo, lines, pause, stop))
    feeder.start()
    time.sleep(1.5)
    if not keep_feeding:
        pause.set()       # the writer stalls: keeps the FIFO open but writes nothing more
        time.sleep(0.3)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    try:
        code = p.wait(timeout=30)
    finally:
        stop.set()
        if p.poll() is None:
            p.kill()
            p.wait()
        feeder.join()
    took = time.monotonic() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    assert code == 143, (code, err)
    assert took < 30, took
    # Nothing published, nothing temporary left behind.
    published = []
    for dirpath, dirs, files in os.walk(data):
        # (the data directory's lock file is not output)
        published += [os.path.join(dirpath, x) for x in files + [d for d in dirs if ".tmp." in d]
                      if not (dirpath == data and x == ".lock")]
    assert published == [], published
    return took, err


def test_sigterm_during_shard():
    with Tmp() as t:
        took, err = sigterm_case(t, "feeding", True, True)
        assert took < 5, took
        assert "stopped by signal 15" in err, err
        took, err = sigterm_case(t, "unsharded", False, True)
        assert took < 5, took
        # A writer that stalls: the read blocks, the grace timer ends the process.
        took, _ = sigterm_case(t, "stalled", True, False)
        assert 15 <= took < 30, took


if __name__ == "__main__":
    run_tests([test_corpus_sharded_equal_unsharded,
               test_complaints_in_time_order, test_rerun_shard_changes_nothing,
               test_auto_index_from_scheduler_env, test_scheduler_exit_statuses,
               test_missing_or_corrupt_part_refused, test_sigterm_during_shard])
