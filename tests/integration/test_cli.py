#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor analyze / explain / lexicon / help through the real binary."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import DEMO_CONFIG, LEXICON, Tmp, candor, post, run_tests  # noqa: E402

COMPLAINT = "Contoso Cable added a hidden fee at checkout that nobody mentioned when I signed up. They lied to me."


def test_analyze_one_line_per_input_in_order():
    lines = [
        post("a1", COMPLAINT).encode(),
        b'{"id":"b2","text":"unterminated',
        post("c3", "Nice weather for a walk today.").encode(),
        b'',
        b'{"id":42,"txt":"no text field"}',
        b'{"id":"e5","text":"bad \xff byte"}',
        post("f6", "Is Contoso a scam? Thinking of signing up.").encode(),
    ]
    data = b"\n".join(lines) + b"\n"
    code, out, err = candor("analyze", "--config", DEMO_CONFIG, "--lexicon", LEXICON, stdin=data)
    assert code == 3, (code, err)
    got = [json.loads(l) for l in out.splitlines()]
    assert len(got) == len(lines), out
    assert [g.get("id") for g in got] == ["a1", "b2", "c3", None, "42", "e5", "f6"], got
    assert got[0]["complaint"] is True and "hidden_fees" in got[0]["categories"], got[0]
    assert got[0]["brands"] == ["Contoso Cable"], got[0]
    ev = got[0]["evidence"]
    assert ev and all(COMPLAINT.encode()[e["start"]:e["end"]].decode() == e["match"] for e in ev), ev
    for i in (1, 3, 4, 5):
        assert "error" in got[i], got[i]
    assert got[2]["complaint"] is False and got[2]["categories"] == []
    assert "<stdin>:2:" in err and "<stdin>:4:" in err and "<stdin>:5:" in err and "<stdin>:6:" in err, err


def test_analyze_offsets_after_multibyte_text():
    text = "Caf\u00e9 \u2615 \U0001F621 \u201cContoso\u201d charged me a junk fee they never mentioned. Hidden fees!"
    code, out, err = candor("analyze", "--config", DEMO_CONFIG, "--lexicon", LEXICON,
                            stdin=(post("x", text) + "\n").encode())
    assert code == 0, err
    v = json.loads(out)
    raw = text.encode("utf-8")
    assert v["evidence"], v
    for e in v["evidence"]:
        assert raw[e["start"]:e["end"]].decode("utf-8") == e["match"], e


def test_analyze_stats():
    """--stats: the verdicts are unchanged; stderr gives the cost per post and the costliest
    patterns, whose runs and matches add up to what the verdicts show."""
    data = "".join(post("s%d" % i, COMPLAINT if i % 2 else "Nice weather for a walk today.") + "\n"
                   for i in range(10)).encode()
    code, plain, _ = candor("analyze", "--config", DEMO_CONFIG, "--lexicon", LEXICON, stdin=data)
    assert code == 0
    code, out, err = candor("analyze", "--stats", "--config", DEMO_CONFIG, "--lexicon", LEXICON,
                            stdin=data)
    assert code == 0, err
    assert out == plain
    lines = err.splitlines()
    assert lines[0].startswith("candor analyze: 10 posts analyzed; per post: "), err
    assert "prefilter hits" in lines[0] and "candidate patterns" in lines[0] and "regex runs" in lines[0], err
    assert "PCRE2 runs took" in lines[1], err
    top = [l.split() for l in lines[2:]]
    assert 1 <= len(top) <= 10, err
    ids = [t[5] for t in top]
    secs = [float(t[6]) for t in top]
    assert secs == sorted(secs, reverse=True), err
    # every rule in the evidence of the 5 complaints ran at least 5 times and matched
    fired = {e["rule"] for l in plain.splitlines() for e in json.loads(l)["evidence"]}
    for t in top:
        if t[5] in fired:
            assert int(t[8]) >= 5 and int(t[10]) >= 5, t
    assert any(i in fired for i in ids) or len(top) == 10, (ids, fired)


def test_explain_shows_rules_and_verdict():
    code, out, err = candor("explain", "--config", DEMO_CONFIG, "--lexicon", LEXICON,
                            "They", "did", "not", "charge", "any", "hidden", "fees,", "love", "it")
    assert code == 0, err
    assert "verdict" in out.lower(), out
    code2, out2, _ = candor("explain", "--lexicon", LEXICON, stdin=COMPLAINT.encode())
    assert code2 == 0 and "hidden_fees" in out2, out2


def test_lexicon_check():
    code, out, err = candor("lexicon", "check", LEXICON)
    assert code == 0, err
    assert "ok" in out and "8 categories" in out, out
    with Tmp() as t:
        bad = os.path.join(t, "bad.lex")
        with open(bad, "w") as f:
            f.write("# broken on purpose\nthreshold abc\ncategory x\nfrobnicate 1 2 3\n"
                    "regex r1 x 1.0 /(unclosed/\n")
        code, out, err = candor("lexicon", "check", bad)
        assert code == 1, (code, out, err)
        for line in (2, 4, 5):
            assert "bad.lex:%d:" % line in err, err
        code, out, _ = candor("lexicon", "version", LEXICON)
        assert code == 0 and len(out.strip()) == 16


def test_help():
    code, out, _ = candor("help")
    assert code == 0
    for cmd in ("replay", "analyze", "explain", "lexicon"):
        assert cmd in out
    code, out, _ = candor("help", "replay")
    assert code == 0 and "exit status" in out
    code, out, _ = candor("replay", "--help")
    assert code == 0 and "--field" in out
    code, _, err = candor("frobnicate")
    assert code == 2 and "no command" in err
    code, _, err = candor("analyze", "--threshold", "abc")
    assert code == 2


def test_missing_lexicon_is_a_usage_error():
    code, _, err = candor("analyze", "--lexicon", "/nonexistent/x.lex", stdin=b"")
    assert code == 2, (code, err)
    assert "/nonexistent/x.lex" in err


if __name__ == "__main__":
    run_tests([test_analyze_one_line_per_input_in_order, test_analyze_offsets_after_multibyte_text, test_analyze_stats,
               test_explain_shows_rules_and_verdict, test_lexicon_check, test_help,
               test_missing_lexicon_is_a_usage_error])
