#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The shipped lexicon: `candor lexicon check` accepts it, every regex rule
has a positive example in tests/data/en.examples (no dead rule), each example
is confirmed by its rule's regex through `candor explain`, and no example
names a rule the lexicon does not have."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import LEXICON, SRC, candor, run_tests  # noqa: E402

EXAMPLES = os.path.join(SRC, "tests", "data", "en.examples")


def lexicon_rules():
    """Ids of the lexicon's rules: {id: 'regex' or 'phrase'}."""
    rules = {}
    with open(LEXICON, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*(regex|phrase)\s+(\S+)\s", line)
            if m:
                rules[m.group(2)] = m.group(1)
    return rules


def examples():
    out = []
    with open(EXAMPLES, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            assert "\t" in line, "%s:%d: want RULE<TAB>TEXT" % (EXAMPLES, n)
            rule, text = line.split("\t", 1)
            assert rule and text.strip(), "%s:%d: empty rule or text" % (EXAMPLES, n)
            out.append((n, rule, text))
    return out


def test_lexicon_check():
    code, out, err = candor("lexicon", "check", LEXICON)
    assert code == 0, (code, out, err)
    assert "ok" in out + err, out + err
    assert "error" not in (out + err).lower(), out + err


def test_bench_floor_lexicon():
    """scripts/bench's one-rule lexicon loads and its rule fires: the floor
    it measures is the pipeline with a working lexicon, not a failed load."""
    floor = os.path.join(SRC, "bench", "floor.lex")
    code, out, err = candor("lexicon", "check", floor)
    assert code == 0 and "1 rules" in out + err, (code, out, err)
    code, out, err = candor("explain", "--lexicon", floor, stdin=b"The dealer sold me a counterfeit warranty.")
    assert code == 0, (code, out, err)
    assert "match: rule 'floor.only'" in out, out
    # the language is told with the shipped lexicon's stopwords, as it is there
    stops = lambda path: [l.split()[1:] for l in open(path, encoding="utf-8") if l.startswith("stopwords")]
    assert stops(floor) == stops(LEXICON) and stops(floor), "bench/floor.lex's stopwords differ from " + LEXICON


def test_every_regex_rule_has_an_example():
    rules = lexicon_rules()
    have = {rule for _, rule, _ in examples()}
    missing = sorted(r for r, kind in rules.items() if kind == "regex" and r not in have)
    assert not missing, "regex rules without an example in %s: %s" % (EXAMPLES, ", ".join(missing))
    unknown = sorted(have - set(rules))
    assert not unknown, "examples for rules the lexicon does not have: %s" % ", ".join(unknown)


def test_every_example_fires():
    """One `candor analyze` over all examples (the rule's evidence is there
    unless a negator cancelled it); `candor explain`, which lists every
    regex confirmation, for the few that are not."""
    exs = examples()
    feed = "".join(json.dumps({"id": str(i), "text": text}) + "\n" for i, (_, _, text) in enumerate(exs))
    code, out, err = candor("analyze", "--lexicon", LEXICON, stdin=feed.encode("utf-8"))
    assert code in (0, 3), (code, err)
    verdicts = [json.loads(l) for l in out.splitlines() if l.strip()]
    assert len(verdicts) == len(exs), (len(verdicts), len(exs))
    failed = []
    explained = 0
    for (line, rule, text), v in zip(exs, verdicts):
        if any(e["rule"] == rule for e in v.get("evidence", [])):
            continue
        explained += 1
        code, out, err = candor("explain", "--lexicon", LEXICON, text)
        assert code == 0, (line, code, err)
        if not re.search(r"candidate: rule '%s' \([^)]*\): confirmed" % re.escape(rule), out):
            failed.append("%s:%d: rule %s does not fire on: %s" % (EXAMPLES, line, rule, text))
    print("%d examples checked (%d through explain)" % (len(exs), explained))
    assert not failed, "\n".join(failed)


if __name__ == "__main__":
    run_tests([test_lexicon_check, test_bench_floor_lexicon, test_every_regex_rule_has_an_example,
               test_every_example_fires])
