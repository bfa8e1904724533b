#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The classifier measured by scripts/eval on the test split of
tests/data/labeled.ndjson (the tune split is printed too). Issue 5's target is
F1 >= 0.90 with precision >= 0.90 on the test split, which the lexicon meets
(F1 0.913, precision 0.960): this test fails when either falls below the
target. Also: the labeled set itself must hold at least 600 posts, about half
of them negatives, every negative kind of TAXONOMY.md and every category in
both splits; and ../shared/data/cfpb_dev.ndjson (long, redacted complaint
letters) must stay at F1 >= 0.45.

tests/data/blind.ndjson holds 740 posts written by other hands without
sight of the lexicon or of our labeled set: its "tune" split (480 posts) has
been tuned on, its "test" split (260 posts) never. The test split is far
below issue 5's target (recall about 0.52: posts that tell a practice in
words no rule has seen); it is measured here so that the figure is printed
and no change makes it worse than the floor below."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import CANDOR, LEXICON, SHARED, SRC, run_tests  # noqa: E402

EVAL = os.path.join(SRC, "scripts", "eval")
LABELED = os.path.join(SRC, "tests", "data", "labeled.ndjson")
BRANDS = os.path.join(SRC, "tests", "data", "brands.json")
CFPB = os.path.join(SHARED, "data", "cfpb_dev.ndjson")
KINDS = {"ad", "praise", "denial", "question", "hypothetical", "news", "other_complaint", "figurative"}
CATEGORIES = {"misrepresentation", "hidden_fees", "bait_and_switch", "pressure_tactics", "fake_discount",
              "unauthorized_charges", "forced_addons", "cancellation_trap"}
TARGET_F1 = 0.90       # issue 5
MIN_F1 = TARGET_F1
MIN_PRECISION = 0.90
MIN_CFPB_F1 = 0.45
BLIND = os.path.join(SRC, "tests", "data", "blind.ndjson")
MIN_BLIND_TEST_F1 = 0.62         # measured 0.641 (precision 0.848, recall 0.515)
MIN_BLIND_TEST_PRECISION = 0.82


def run_eval(path, *extra):
    """Runs scripts/eval --json; returns (exit status, summary)."""
    p = subprocess.run([sys.executable, EVAL, "--candor", CANDOR, "--lexicon", LEXICON, "--config", BRANDS,
                        "--json"] + list(extra) + [path], capture_output=True, timeout=300)
    out = p.stdout.decode("utf-8", "replace")
    assert p.returncode in (0, 1), (p.returncode, p.stderr.decode("utf-8", "replace"))
    return p.returncode, json.loads(out)


def show(name, s):
    print("%s: %d posts, precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d tn %d)"
          % (name, s["posts"], s["precision"], s["recall"], s["f1"], s["tp"], s["fp"], s["fn"], s["tn"]))
    if s.get("brand_accuracy") is not None:
        print("  brand attribution accuracy %.3f" % s["brand_accuracy"])


def test_labeled_set_shape():
    rows = [json.loads(l) for l in open(LABELED, encoding="utf-8") if l.strip()]
    assert len(rows) >= 600, "only %d labeled posts" % len(rows)
    ids = [r["id"] for r in rows]
    assert len(set(ids)) == len(ids), "duplicate ids"
    assert len({r["text"] for r in rows}) == len(rows), "duplicate texts"
    neg = [r for r in rows if int(r["label"]) == 0]
    assert 0.4 <= len(neg) / len(rows) <= 0.6, "%d negatives of %d" % (len(neg), len(rows))
    for split in ("tune", "test"):
        part = [r for r in rows if r.get("split") == split]
        assert len(part) >= 150, "%s split has %d posts" % (split, len(part))
        kinds = {r["kind"] for r in part if int(r["label"]) == 0}
        assert kinds >= KINDS, "%s split lacks kinds %s" % (split, KINDS - kinds)
        cats = {r["category"] for r in part if int(r["label"]) == 1}
        assert cats >= CATEGORIES, "%s split lacks categories %s" % (split, CATEGORIES - cats)
    for r in rows:
        assert r.get("split") in ("tune", "test"), r["id"]
        if int(r["label"]) == 1:
            assert r["category"] in CATEGORIES and r["kind"] == "complaint", r["id"]
        else:
            assert r["kind"] in KINDS and not r["category"], r["id"]
    print("%d posts, %d negatives" % (len(rows), len(neg)))


def test_test_split_holds_its_level():
    _, tune = run_eval(LABELED, "--split", "tune")
    show("tune split", tune)
    code, test = run_eval(LABELED, "--split", "test", "--min-f1", str(MIN_F1),
                          "--min-precision", str(MIN_PRECISION))
    show("test split", test)
    for c, s in sorted(test["categories"].items()):
        print("  %-22s P %.3f R %.3f F1 %.3f (n=%d)" % (c, s["precision"], s["recall"], s["f1"], s["support"]))
    for k, s in sorted(test["false_positives_by_kind"].items()):
        print("  false positives %-16s %d of %d" % (k, s["fp"], s["of"]))
    print("target F1 >= %.2f with precision >= %.2f: %s" % (
        TARGET_F1, MIN_PRECISION,
        "met" if test["f1"] >= TARGET_F1 and test["precision"] >= MIN_PRECISION else "NOT MET"))
    assert test["f1"] >= MIN_F1, "test split F1 %.3f < %.2f" % (test["f1"], MIN_F1)
    assert test["precision"] >= MIN_PRECISION, "test split precision %.3f < %.2f" % (test["precision"], MIN_PRECISION)
    assert code == 0
    assert test["brand_accuracy"] is not None and test["brand_accuracy"] >= 0.9, test["brand_accuracy"]


def test_blind_set():
    rows = [json.loads(line) for line in open(BLIND, encoding="utf-8")]
    assert len(rows) >= 700, "only %d blind posts" % len(rows)
    assert len({r["id"] for r in rows}) == len(rows), "duplicate ids"
    ours = {json.loads(line)["text"] for line in open(LABELED, encoding="utf-8")}
    assert not ours & {r["text"] for r in rows}, "a blind post is also in labeled.ndjson"
    for split in ("tune", "test"):
        part = [r for r in rows if r.get("split") == split]
        assert {r["category"] for r in part if r["label"] == 1} == CATEGORIES, split
        assert {r["kind"] for r in part if r["label"] == 0} == KINDS, split
    _, tune = run_eval(BLIND, "--split", "tune")
    show("blind set, tune split", tune)
    _, test = run_eval(BLIND, "--split", "test")
    show("blind set, test split (never tuned on)", test)
    assert test["f1"] >= MIN_BLIND_TEST_F1, "blind test F1 %.3f < %.2f" % (test["f1"], MIN_BLIND_TEST_F1)
    assert test["precision"] >= MIN_BLIND_TEST_PRECISION, \
        "blind test precision %.3f < %.2f" % (test["precision"], MIN_BLIND_TEST_PRECISION)


def test_cfpb_dev():
    if not os.path.exists(CFPB):
        print("SKIPPED: no %s" % CFPB)
        return
    code, s = run_eval(CFPB, "--min-f1", str(MIN_CFPB_F1))
    show("cfpb_dev", s)
    for k, p in sorted(s["products"].items()):
        print("  %-60s P %.3f R %.3f F1 %.3f (+%d/-%d)" % (k[:60], p["precision"], p["recall"], p["f1"],
                                                          p["positives"], p["negatives"]))
    assert s["f1"] >= MIN_CFPB_F1, "cfpb_dev F1 %.3f < %.2f" % (s["f1"], MIN_CFPB_F1)
    assert code == 0


if __name__ == "__main__":
    run_tests([test_labeled_set_shape, test_test_split_holds_its_level, test_blind_set, test_cfpb_dev])
