#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Quick precision/recall/F1 of `candor analyze` on a labeled NDJSON file.

A lighter companion to scripts/eval for lexicon tuning: runs the analyzer
once over the labeled rows (optionally one split), prints the overall
figures, recall per category, false positives per kind, category accuracy
on true positives, brand accuracy, and (with --errors) every mistake with
the rules that fired.

usage: scripts/eval-quick.py [--candor BIN] [--lexicon FILE] [--config FILE]
                             [--split tune|test] [--errors] [--json]
                             LABELED.ndjson
Rows: {"id", "text", "label"} plus optional "category", "kind", "brand",
"split", "product"/"issue" (any extra fields are passed through to candor).
Exit status 0, 2 on bad input or when candor fails.
"""
import argparse
import collections
import json
import os
import signal
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def default_candor():
    env = os.environ.get("CANDOR")
    if env:
        return env
    for d in sorted(os.listdir(ROOT)):
        cand = os.path.join(ROOT, d, "candor")
        if d.startswith("build") and os.access(cand, os.X_OK):
            return cand
    return os.path.join(ROOT, "build", "candor")


def load(path, split):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as e:
                sys.exit("%s:%d: bad json: %s" % (path, n, e))
            if "id" not in row or "text" not in row or "label" not in row:
                sys.exit("%s:%d: want id, text and label" % (path, n))
            if split and row.get("split") != split:
                continue
            rows.append(row)
    return rows


def run(args, rows):
    cmd = [args.candor, "analyze", "--lexicon", args.lexicon]
    if args.config:
        cmd += ["--config", args.config]
    data = "".join(json.dumps({"id": str(r["id"]), "text": r["text"]}, ensure_ascii=False) + "\n"
                   for r in rows)
    try:
        p = subprocess.run(cmd, input=data.encode("utf-8"), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, check=False)
    except OSError as e:
        sys.exit("cannot run %s: %s" % (args.candor, e))
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        sys.exit("candor analyze exited with status %d" % p.returncode)
    verdicts = {}
    for line in p.stdout.decode("utf-8").splitlines():
        if line.strip():
            v = json.loads(line)
            verdicts[str(v["id"])] = v
    missing = [r["id"] for r in rows if str(r["id"]) not in verdicts]
    if missing:
        sys.exit("no verdict for %d rows (first: %s)" % (len(missing), missing[0]))
    return verdicts


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # quiet when piped into head
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("labeled")
    ap.add_argument("--candor", default=default_candor())
    ap.add_argument("--lexicon", default=os.path.join(ROOT, "lexicons", "en.lex"))
    ap.add_argument("--config", default=os.path.join(ROOT, "tests", "data", "brands.json"))
    ap.add_argument("--split", help="only rows whose \"split\" is this")
    ap.add_argument("--errors", action="store_true", help="list every mistake")
    ap.add_argument("--json", action="store_true", help="print a JSON summary only")
    args = ap.parse_args()

    rows = load(args.labeled, args.split)
    if not rows:
        sys.exit("no rows")
    verdicts = run(args, rows)

    tp = fp = fn = tn = 0
    cat_total = collections.Counter()
    cat_hit = collections.Counter()
    cat_right = collections.Counter()
    kind_total = collections.Counter()
    kind_fp = collections.Counter()
    group_total = collections.Counter()
    group_hit = collections.Counter()
    brand_ok = brand_n = 0
    errors = []
    for r in rows:
        v = verdicts[str(r["id"])]
        pred = bool(v.get("complaint"))
        gold = int(r["label"]) == 1
        group = r.get("product") or r.get("issue")
        if gold:
            cat = r.get("category") or "?"
            cat_total[cat] += 1
            if pred:
                tp += 1
                cat_hit[cat] += 1
                if v.get("categories") and v["categories"][0] == cat:
                    cat_right[cat] += 1
            else:
                fn += 1
        else:
            kind = r.get("kind") or "?"
            kind_total[kind] += 1
            if pred:
                fp += 1
                kind_fp[kind] += 1
            else:
                tn += 1
        if group:
            group_total[group] += 1
            group_hit[group] += int(pred == gold)
        if "brand" in r:
            brand_n += 1
            want = [r["brand"]] if r["brand"] else []
            got = v.get("brands") or []
            brand_ok += int(bool((not want and not got) or (want and want[0] in got)))
        if pred != gold:
            errors.append((r, v))

    p, rc, f = prf(tp, fp, fn)
    summary = {"rows": len(rows), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
               "precision": round(p, 4), "recall": round(rc, 4), "f1": round(f, 4)}
    if args.json:
        print(json.dumps(summary))
        return 0
    print("%s%s: %d rows  tp %d fp %d fn %d tn %d" %
          (os.path.basename(args.labeled), " [%s]" % args.split if args.split else "",
           len(rows), tp, fp, fn, tn))
    print("precision %.3f  recall %.3f  F1 %.3f" % (p, rc, f))
    if cat_total:
        print("recall per category (and top category right on hits):")
        for c in sorted(cat_total):
            print("  %-22s %3d/%-3d %.2f   cat ok %d" %
                  (c, cat_hit[c], cat_total[c], cat_hit[c] / cat_total[c], cat_right[c]))
    if kind_total and any(k != "?" for k in kind_total):
        print("false positives per kind:")
        for k in sorted(kind_total):
            print("  %-22s %3d/%-3d" % (k, kind_fp[k], kind_total[k]))
    if brand_n:
        print("brand accuracy %d/%d" % (brand_ok, brand_n))
    if group_total and len(group_total) > 1:
        print("accuracy per product/issue:")
        for g, n in group_total.most_common():
            print("  %4d/%-4d %s" % (group_hit[g], n, g[:70]))
    if args.errors:
        print("errors:")
        for r, v in errors:
            ev = ", ".join("%s(%s)" % (e["rule"], e["match"][:30]) for e in v.get("evidence", []))
            print("  %s %s label=%s %s score=%s  %s\n      %s" %
                  ("FN" if r["label"] == 1 else "FP", r["id"], r["label"],
                   r.get("category") or r.get("kind") or "", v.get("score"), ev,
                   r["text"][:300].replace("\n", " ")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
