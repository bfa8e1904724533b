#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor replay end to end: the real binary on real files (plain and gzip),
checking counts, exactly-once counting, byte-identical re-runs, bad inputs
and time zones."""
import gzip
import json
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import (DEMO_CONFIG, LEXICON, SRC, Tmp, all_bytes, candor, gunzip_text,  # noqa: E402
                     post, read_daily, run_tests, write_lines)

COMPLAINT = "Contoso Cable added a hidden fee at checkout that nobody mentioned when I signed up. They lied."
NEUTRAL = "Lovely weather today, going for a walk in the park with the dog."


def replay(data, *inputs, config=DEMO_CONFIG, extra=()):
    return candor("replay", "--config", config, "--lexicon", LEXICON, "--data", data, *extra, *inputs)


def star_rows(rows):
    return {(r["source"], r["brand"]): r for r in rows if r["category"] == "*"}


def test_sample_replay_counts():
    with Tmp() as t:
        data = os.path.join(t, "data")
        code, _, err = replay(data, os.path.join(SRC, "samples", "posts-2025-11-03_05.ndjson"),
                              os.path.join(SRC, "samples", "posts-2025-11-05_06.ndjson.gz"))
        assert code == 0, err
        days = sorted(f[:10] for f in os.listdir(os.path.join(data, "daily")) if f.endswith(".json.gz"))
        assert days == ["2025-11-03", "2025-11-04", "2025-11-05", "2025-11-06"], days
        total = 0
        flagged = 0
        for day in days:
            header, rows = read_daily(data, day)
            assert header["schema"] == 1 and header["day"] == day
            assert len(header["lexicon_version"]) == 16
            assert header["rows"] == len(rows)
            total += sum(s["posts"] for s in header["sources"])
            flagged += len(gunzip_text(os.path.join(data, "complaints", day + ".ndjson.gz")).splitlines())
            assert os.path.exists(os.path.join(data, "daily", day + ".csv.gz"))
        # 30 distinct posts although the two files overlap on 2025-11-05.
        assert total == 30, total
        assert "30 posts" in err and "8 duplicates dropped" in err, err
        assert flagged >= 12, flagged
        # A day lists the inputs that contributed counted posts: every
        # 2025-11-05 post of the .gz file repeats one of the first file.
        header, _ = read_daily(data, "2025-11-05")
        assert [os.path.basename(i) for i in header["inputs"]] == ["posts-2025-11-03_05.ndjson"], header
        header, _ = read_daily(data, "2025-11-06")
        assert [os.path.basename(i) for i in header["inputs"]] == ["posts-2025-11-05_06.ndjson.gz"], header


def test_twice_identical_bytes():
    with Tmp() as t:
        data = os.path.join(t, "data")
        inputs = [os.path.join(SRC, "samples", "posts-2025-11-03_05.ndjson"),
                  os.path.join(SRC, "samples", "posts-2025-11-05_06.ndjson.gz")]
        assert replay(data, *inputs)[0] == 0
        first = all_bytes(data)
        assert replay(data, *inputs)[0] == 0
        second = all_bytes(data)
        assert first == second
        assert len(first) == 12
        leftovers = [f for f in os.listdir(data) if f not in ("daily", "complaints", ".lock")]
        assert leftovers == [], leftovers
        for sub in ("daily", "complaints"):
            assert not [f for f in os.listdir(os.path.join(data, sub)) if ".tmp." in f]


def test_duplicates_and_overlaps_count_once():
    with Tmp() as t:
        a = os.path.join(t, "a.ndjson")
        b = os.path.join(t, "b.ndjson.gz")
        lines = [post("1", COMPLAINT), post("2", NEUTRAL), post("1", COMPLAINT), post("3", NEUTRAL)]
        write_lines(a, lines)
        # b repeats 2 and 3, adds 4; same id from another source is another post.
        write_lines(b, [post("2", NEUTRAL), post("3", NEUTRAL), post("4", COMPLAINT),
                        post("4", COMPLAINT, source="s2")], gz=True)
        data = os.path.join(t, "data")
        code, _, err = replay(data, a, b, a)
        assert code == 0, err
        header, rows = read_daily(data, "2025-11-03")
        assert {s["source"]: s["posts"] for s in header["sources"]} == {"s1": 4, "s2": 1}, header
        complaints = gunzip_text(os.path.join(data, "complaints", "2025-11-03.ndjson.gz")).splitlines()
        ids = sorted((json.loads(c)["source"], json.loads(c)["id"]) for c in complaints)
        assert ids == [("s1", "1"), ("s1", "4"), ("s2", "4")], ids
        star = star_rows(rows)
        assert star[("s1", "Contoso Cable")]["complaints"] == 2
        assert star[("s1", "")]["posts"] == 2


def test_bad_inputs_lose_no_good_post():
    with Tmp() as t:
        good = [post(str(i), COMPLAINT if i % 2 else NEUTRAL) for i in range(1, 201)]
        # A gzip file cut in the middle: the lines before the cut are kept.
        full = os.path.join(t, "full.ndjson.gz")
        write_lines(full, good, gz=True)
        raw = open(full, "rb").read()
        cut = os.path.join(t, "cut.ndjson.gz")
        open(cut, "wb").write(raw[: len(raw) // 2])
        # Bad lines between good ones.
        mixed = os.path.join(t, "mixed.ndjson")
        with open(mixed, "wb") as f:
            f.write((post("m1", COMPLAINT) + "\n").encode())
            f.write(b'{"id":"bad1","text": "unterminated\n')
            f.write(b'{"id":"bad2","text":"latin1 caf\xe9 byte"}\n')
            f.write(b'{"id":"bad3"}\n')
            f.write(b'[1,2,3]\n')
            f.write((post("m2", "x" * (1 << 20) + " hidden fee at checkout") + "\n").encode())
            f.write((post("m3", NEUTRAL) + "\n").encode())
            f.write(post("m4", NEUTRAL).encode()[:-5])   # truncated last line, no newline
        empty = os.path.join(t, "empty.ndjson")
        open(empty, "wb").close()
        data = os.path.join(t, "data")
        code, _, err = replay(data, cut, mixed, empty)
        assert code == 3, (code, err)
        assert "cut.ndjson.gz: truncated gzip stream" in err, err
        assert "mixed.ndjson:2:" in err and "mixed.ndjson:3:" in err, err
        assert "mixed.ndjson:4:" in err and "mixed.ndjson:5:" in err, err
        assert "mixed.ndjson:8:" in err, err
        assert "invalid UTF-8" in err, err
        header, rows = read_daily(data, "2025-11-03")
        posts = sum(s["posts"] for s in header["sources"])
        complaints = gunzip_text(os.path.join(data, "complaints", "2025-11-03.ndjson.gz")).splitlines()
        ids = {json.loads(c)["id"] for c in complaints}
        assert {"m1", "m2"} <= ids, ids
        # Every complete line before the cut made it: count them with zlib directly.
        partial = zlib.decompressobj(wbits=31).decompress(raw[: len(raw) // 2])
        complete = partial.count(b"\n")
        assert complete > 50
        assert posts == complete + 3, (posts, complete)
        assert "m4" not in ids
        assert "m3" not in ids


def test_empty_input_and_usage_errors():
    with Tmp() as t:
        empty = os.path.join(t, "empty.ndjson")
        open(empty, "wb").close()
        data = os.path.join(t, "data")
        code, _, err = replay(data, empty)
        assert code == 0, err
        assert "0 posts" in err
        assert not os.path.exists(os.path.join(data, "daily")) or os.listdir(os.path.join(data, "daily")) == []
        code, _, err = candor("replay", "--data", data)
        assert code == 2 and "no input files" in err, (code, err)
        code, _, err = replay(data, os.path.join(t, "missing.ndjson"))
        assert code == 3 and "missing.ndjson: cannot open" in err, (code, err)


def test_invalid_config_writes_nothing():
    with Tmp() as t:
        cfg = os.path.join(t, "bad.json")
        with open(cfg, "w") as f:
            f.write('{\n  "data_dir": "x",\n  "brandz": []\n}\n')
        inp = os.path.join(t, "in.ndjson")
        write_lines(inp, [post("1", COMPLAINT)])
        data = os.path.join(t, "data")
        code, _, err = replay(data, inp, config=cfg)
        assert code == 2, (code, err)
        assert "bad.json:3:" in err and "brandz" in err, err
        assert not os.path.exists(data)


def test_unwritable_data_dir_fails_cleanly():
    with Tmp() as t:
        inp = os.path.join(t, "in.ndjson")
        write_lines(inp, [post("1", COMPLAINT)])
        data = os.path.join(t, "data")
        os.makedirs(data)
        open(os.path.join(data, "daily"), "w").close()   # a file where a directory must go
        code, _, err = replay(data, inp)
        assert code == 1, (code, err)
        assert "daily" in err, err


def test_timezone_moves_day():
    with Tmp() as t:
        cfg = os.path.join(t, "tz.json")
        with open(cfg, "w") as f:
            json.dump({"timezone": "America/New_York",
                       "brands": [{"name": "Contoso Cable", "aliases": ["contoso"]}]}, f)
        inp = os.path.join(t, "in.ndjson")
        write_lines(inp, [post("1", COMPLAINT, created="2025-11-03T03:00:00Z"),
                          post("2", COMPLAINT, created="2025-11-03T04:59:00+01:00"),
                          post("3", NEUTRAL, created="1762171200")])   # 2025-11-03T12:00:00Z
        data = os.path.join(t, "data")
        code, _, err = replay(data, inp, config=cfg)
        assert code == 0, err
        days = sorted(os.listdir(os.path.join(data, "daily")))
        assert days == ["2025-11-02.csv.gz", "2025-11-02.json.gz",
                        "2025-11-03.csv.gz", "2025-11-03.json.gz"], days
        header, _ = read_daily(data, "2025-11-02")
        assert header["timezone"] == "America/New_York"
        assert sum(s["posts"] for s in header["sources"]) == 2
        header, _ = read_daily(data, "2025-11-03")
        assert sum(s["posts"] for s in header["sources"]) == 1


def test_field_mapping_for_other_dumps():
    with Tmp() as t:
        inp = os.path.join(t, "other.ndjson")
        write_lines(inp, [json.dumps({"post_id": 114870361973436726, "body": COMPLAINT,
                                      "meta": {"ts": "2025-11-03T10:00:00.123456Z"},
                                      "user": {"name": "zed"}})])
        data = os.path.join(t, "data")
        code, _, err = replay(data, inp, extra=("--field", "id=post_id", "--field", "text=body",
                                                "--field", "created_at=meta.ts",
                                                "--field", "author=user.name", "--source", "dump"))
        assert code == 0, err
        c = json.loads(gunzip_text(os.path.join(data, "complaints", "2025-11-03.ndjson.gz")))
        assert c["id"] == "114870361973436726" and c["source"] == "dump" and c["author"] == "zed", c
        code, _, err = replay(data, inp, extra=("--field", "nope=x"))
        assert code == 2, err


def test_lock_held_by_a_run():
    """Replay writes the same daily files as `candor run`: while another
    writer holds DATA/.lock it exits 75 and writes nothing."""
    import fcntl
    with Tmp() as t:
        data = os.path.join(t, "data")
        os.makedirs(data)
        inp = os.path.join(SRC, "samples", "posts-2025-11-03_05.ndjson")
        with open(os.path.join(data, ".lock"), "a") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            code, _, err = replay(data, inp)
            assert code == 75 and "holds the lock" in err, (code, err)
            assert not os.path.exists(os.path.join(data, "daily")), os.listdir(data)
        assert replay(data, inp)[0] == 0


if __name__ == "__main__":
    run_tests([test_sample_replay_counts, test_twice_identical_bytes,
               test_duplicates_and_overlaps_count_once, test_bad_inputs_lose_no_good_post,
               test_empty_input_and_usage_errors, test_invalid_config_writes_nothing,
               test_unwritable_data_dir_fails_cleanly, test_timezone_moves_day,
               test_field_mapping_for_other_dumps, test_lock_held_by_a_run])
