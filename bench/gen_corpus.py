#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a deterministic NDJSON corpus of synthetic posts for scripts/bench.

Texts are ~250 bytes and look like real posts: URLs, @mentions, #hashtags,
emoji, HTML entities, curly quotes, JSON escapes; about 6% use complaint
wording, 3% of lines repeat an earlier post (pages overlap in real feeds).
Usage: gen_corpus.py N OUT [SEED]
"""
import json
import random
import sys

BRANDS = ["Contoso Cable", "@contosocable", "#contoso", "Fabrikam Motors", "@fabrikam_motors",
          "Northwind Energy", "#northwind", "Tailspin Travel", "Litware Fitness", "Woodgrove Bank"]
FILLER = ("just got back from the store and honestly the line was long but whatever "
          "my phone battery keeps dying and the update did nothing about it lol "
          "anyone watching the game tonight? thread below for spoilers "
          "coffee number three of the day, send help please "
          "the new season drops friday and i have cleared my whole weekend "
          "switched to dark mode everywhere and my eyes thank me "
          "reading a long article about trains in europe, fascinating stuff").split()
COMPLAINT = [
    "they added a {fee} fee at checkout that was never mentioned",
    "charged me twice after I cancelled, no refund in sight",
    "the rep swore the car was accident free, the report says otherwise",
    "advertised price was gone when I got there, only the pricier model left",
    "salesman would not take no for an answer and refused to leave",
    "the was $199 price never existed, it has been $99 all year",
    "said the extended warranty was mandatory for the loan",
    "I never signed up for this plan and they keep billing me",
    "you can sign up online but to cancel you have to call and wait for an hour",
]
NEGATIVE = [
    "no hidden fees, love it, highly recommend",
    "is this a scam or legit? anyone tried it",
    "FTC sues a retailer over junk fees, report says",
    "my cat pulled a bait and switch with her toy again",
    "delivery was late again and the tracking page is useless",
    "Switch today and get your first month free! Limited time only",
]
EMOJI = ["\U0001F621", "\U0001F644", "\U0001F4B8", "\U0001F525", "\u2728", "\U0001F602", "\U0001F92C"]
EXTRAS = ["&amp;", "&quot;", "\u201cquoted\u201d", "it\u2019s", "caf\u00e9", "line\nbreak", "tab\there",
          "back\\slash", "\"quote\""]


def text_for(rng):
    parts = []
    if rng.random() < 0.06:
        parts.append(rng.choice(COMPLAINT).format(fee=rng.choice(["service", "resort", "admin", "convenience"])))
    elif rng.random() < 0.1:
        parts.append(rng.choice(NEGATIVE))
    if rng.random() < 0.5:
        parts.append(rng.choice(BRANDS))
    while sum(len(p) + 1 for p in parts) < 200:
        r = rng.random()
        if r < 0.07:
            parts.append("https://example.%s/%s?id=%d" % (rng.choice(["com", "org", "net"]),
                                                          rng.choice(["p", "news", "t"]), rng.randrange(10**6)))
        elif r < 0.14:
            parts.append("@user%d" % rng.randrange(5000))
        elif r < 0.18:
            parts.append("#tag%d" % rng.randrange(300))
        elif r < 0.23:
            parts.append(rng.choice(EMOJI))
        elif r < 0.27:
            parts.append(rng.choice(EXTRAS))
        else:
            parts.append(rng.choice(FILLER))
    rng.shuffle(parts)
    return " ".join(parts)[:280]


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    sources = ["mastodon-main", "bluesky-search", "reddit-deals", "hn"]
    base = 1761955200  # 2025-11-01T00:00:00Z
    recent = []
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            if recent and rng.random() < 0.03:
                f.write(rng.choice(recent))
                continue
            t = base + rng.randrange(30 * 86400)
            ts = t
            post = {
                "id": str(10**17 + i * 7919),
                "source": rng.choice(sources),
                "created_at": "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (
                    *__import__("time").gmtime(ts)[:6], rng.randrange(1000)),
                "author": "user%d@example.social" % rng.randrange(200000),
                "url": "https://example.social/@u/%d" % i,
                "lang": "en",
                "text": text_for(rng),
            }
            line = json.dumps(post, ensure_ascii=False, separators=(",", ":")) + "\n"
            f.write(line)
            recent.append(line)
            if len(recent) > 64:
                recent.pop(0)


if __name__ == "__main__":
    main()
