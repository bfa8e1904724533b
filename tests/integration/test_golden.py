#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end golden test: `candor replay` of tests/data/golden/posts.ndjson
(with its own small lexicon, so edits to the shipped one do not move it)
must produce, unzipped, exactly the files in tests/data/golden/expected/.
The candor version in headers is compared as @VERSION@.
CND_UPDATE_GOLDEN=1 rewrites the expected files (review the diff!)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import CANDOR, SRC, Tmp, gunzip_text, run_tests  # noqa: E402

GOLDEN = os.path.join(SRC, "tests", "data", "golden")
EXPECTED = os.path.join(GOLDEN, "expected")


def version():
    out = subprocess.run([CANDOR, "--version"], capture_output=True, check=True).stdout.decode()
    return out.split()[-1]


def replay_outputs(data):
    """Runs the golden replay into data; returns {relative path: unzipped text}."""
    p = subprocess.run([CANDOR, "replay", "--config", "tests/data/golden/config.json",
                        "--data", data, "tests/data/golden/posts.ndjson"],
                       cwd=SRC, capture_output=True, timeout=60)
    err = p.stderr.decode()
    # The last line of the input is a truncated JSON object: reported, skipped.
    assert p.returncode == 3, (p.returncode, err)
    assert "tests/data/golden/posts.ndjson:10: invalid JSON" in err, err
    assert "8 posts (1 duplicates dropped, 1 bad lines, 0 without a date), 5 complaints" in err, err
    out = {}
    v = version()
    for sub in ("daily", "complaints"):
        for name in sorted(os.listdir(os.path.join(data, sub))):
            assert name.endswith(".gz"), name
            text = gunzip_text(os.path.join(data, sub, name))
            out[sub + "/" + name[:-3]] = text.replace('"candor_version":"%s"' % v,
                                                      '"candor_version":"@VERSION@"')
    return out


def test_replay_matches_expected_files():
    with Tmp() as t:
        got = replay_outputs(os.path.join(t, "data"))
    if os.environ.get("CND_UPDATE_GOLDEN"):
        for rel, text in got.items():
            path = os.path.join(EXPECTED, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    want = {}
    for sub in ("daily", "complaints"):
        for name in sorted(os.listdir(os.path.join(EXPECTED, sub))):
            with open(os.path.join(EXPECTED, sub, name), encoding="utf-8") as f:
                want[sub + "/" + name] = f.read()
    assert sorted(got) == sorted(want), (sorted(got), sorted(want))
    for rel in want:
        if got[rel] != want[rel]:
            g, w = got[rel].splitlines(), want[rel].splitlines()
            for i in range(max(len(g), len(w))):
                gl = g[i] if i < len(g) else "<missing>"
                wl = w[i] if i < len(w) else "<missing>"
                assert gl == wl, "%s line %d:\n  got  %s\n  want %s" % (rel, i + 1, gl, wl)
            assert False, rel


if __name__ == "__main__":
    run_tests([test_replay_matches_expected_files])
