#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor report end to end: the page for the bundled sample (after a
replay) and for a generated year of daily files (timed), byte-identical
re-runs, hostile texts escaped, only the period's days opened, and the
page opened in headless Chromium (DOM dump: charts and tables are there,
nothing overflows a narrow window; screenshot: not blank)."""
import datetime
import gzip
import html.parser
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import CANDOR, DEMO_CONFIG, LEXICON, SRC, Tmp, candor, run_tests  # noqa: E402

CATEGORIES = ["bait_and_switch", "cancellation_trap", "fake_discount", "forced_addons",
              "hidden_fees", "misrepresentation", "pressure_tactics", "unauthorized_charges"]
BRANDS = ["Contoso Cable", "Fabrikam Motors", "Northwind Energy", "Tailspin Travel",
          "Litware Fitness", ""]
SOURCES = ["mastodon", "reddit"]
HOSTILE = ("<script>alert('x')</script> \"quoted\" & 'single' hidden fee " + "W" * 3000 +
           " end")


def sanitized_build():
    """True when the binary under test was built with sanitizers (much slower)."""
    for d in (os.environ.get("CND_BUILD_DIR"), os.path.dirname(os.path.abspath(CANDOR))):
        if d and os.path.exists(os.path.join(d, "CMakeCache.txt")):
            with open(os.path.join(d, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
                for line in f:
                    if line.startswith("CND_SANITIZE:") and line.split("=", 1)[1].strip():
                        return True
            return False
    return False


def gz_write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with gzip.GzipFile(path, "wb", mtime=0) as f:
        f.write("".join(l + "\n" for l in lines).encode("utf-8"))


def day_str(d):
    return d.strftime("%Y-%m-%d")


def generate(data, first, n_days, seed=7, skip=(), failed=(), hostile_day=None):
    """Writes daily files (header + rows, the documented format), complaint
    files and run logs for n_days from `first` (a date). Days in `skip` get
    no files; days in `failed` a run log where one source failed."""
    rnd = random.Random(seed)
    for i in range(n_days):
        d = first + datetime.timedelta(days=i)
        day = day_str(d)
        if day in skip:
            continue
        rows = []
        complaints = []
        src_posts = {}
        for src in SOURCES:
            for brand in BRANDS:
                posts = rnd.randint(20, 60)
                src_posts[src] = src_posts.get(src, 0) + posts
                cats = {c: (rnd.randint(0, 3) if rnd.random() < 0.6 else 0) for c in CATEGORIES}
                n = min(posts, sum(cats.values()))
                ids = ["%s-%s-%d" % (src, day, k) for k in range(n)]
                rows.append({"source": src, "brand": brand, "category": "*", "posts": posts,
                             "complaints": n, "authors": n, "score_sum": round(n * 2.5, 3),
                             "top_rules": [{"rule": "hid.fee_word", "count": n}] if n else [],
                             "samples": ids[:5]})
                for c in CATEGORIES:
                    if cats[c]:
                        rows.append({"source": src, "brand": brand, "category": c,
                                     "posts": posts, "complaints": min(cats[c], posts),
                                     "authors": cats[c], "score_sum": 2.0,
                                     "top_rules": [{"rule": c[:3] + ".rule", "count": cats[c]}],
                                     "samples": ids[:2]})
                for k in range(min(n, 2)):
                    text = "%s charged me a hidden fee they never mentioned (%s #%d)" % (
                        brand or "A shop", day, k)
                    at = text.encode().find(b"hidden fee")
                    complaints.append({"id": "%s-%s-%d" % (src, day, k), "source": src,
                                       "created_at": "%sT%02d:%02d:00Z" % (day, 8 + k, i % 60),
                                       "author": "user%d" % k,
                                       "url": "https://example.social/%s/%s/%d" % (src, day, k),
                                       "text": text, "complaint": True,
                                       "categories": ["hidden_fees"],
                                       "brands": [brand] if brand else [], "score": 2.5,
                                       "lang": "en",
                                       "evidence": [{"rule": "hid.hidden_fee",
                                                     "category": "hidden_fees",
                                                     "match": "hidden fee",
                                                     "start": at, "end": at + 10}]})
        if day == hostile_day:
            t = HOSTILE
            complaints.append({"id": "evil\"<1>", "source": "reddit",
                               "created_at": day + "T23:59:00Z",
                               "author": "\"><img src=x onerror=alert(1)>",
                               "url": "javascript:alert(document.cookie)", "text": t,
                               "categories": ["hidden_fees"], "brands": ["Contoso Cable"],
                               "evidence": [{"rule": "hid.hidden_fee", "category": "hidden_fees",
                                             "start": t.find("hidden fee"),
                                             "end": t.find("hidden fee") + 10}]})
        lex = "aaaabbbbccccdddd" if i < n_days // 2 else "1111222233334444"
        header = {"schema": 1, "day": day, "lexicon_version": lex, "candor_version": "0.1.0",
                  "timezone": "UTC", "inputs": ["gen"],
                  "sources": [{"source": s, "posts": src_posts[s]} for s in SOURCES],
                  "rows": len(rows)}
        lines = [json.dumps(header)] + [json.dumps(r) for r in rows]
        gz_write(os.path.join(data, "daily", day + ".json.gz"), lines)
        gz_write(os.path.join(data, "complaints", day + ".ndjson.gz"),
                 [json.dumps(c) for c in complaints])
        runs = []
        for s in SOURCES:
            ok = not (day in failed and s == "reddit")
            runs.append(json.dumps({"run_start": day + "T06:00:00Z", "run_end": day + "T06:01:00Z",
                                    "source": s, "ok": ok,
                                    "error": "" if ok else "HTTP 503 after 5 tries",
                                    "pages": 3, "posts": src_posts[s] if ok else 0}))
        os.makedirs(os.path.join(data, "runs"), exist_ok=True)
        if i % 10 != 3:   # some days have no run log: completeness unknown
            with open(os.path.join(data, "runs", day + ".ndjson"), "w") as f:
                f.write("".join(r + "\n" for r in runs))


class Checker(html.parser.HTMLParser):
    """Checks that elements nest and close properly, and counts tags."""
    VOID = {"meta", "br", "img", "link", "input", "hr", "line", "rect", "path", "polyline"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.counts = {}
        self.errors = []

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unexpected </%s> (open: %s)" % (tag, self.stack[-3:]))
        else:
            self.stack.pop()


def check_html(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    c = Checker()
    c.feed(text)
    c.close()
    assert not c.errors, c.errors[:5]
    assert c.stack == [], c.stack
    assert c.counts.get("script", 0) == 0, "the report must not need scripts"
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", ""), "no network"
    return text, c.counts


# ---- Chromium ----

def chromium_bin():
    for name in ("chromium", "chromium-browser"):
        p = shutil.which(name)
        if p:
            return p
    return None


def ensure_chromium():
    """Installs Debian's chromium when missing; fails clearly when it cannot."""
    if chromium_bin():
        return chromium_bin()
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = []
    for cmd in (sudo + ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
                sudo + ["apt-get", "update"],
                sudo + ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        try:
            p = subprocess.run(cmd, capture_output=True, env=env, timeout=900)
            log.append("%s: exit %d %s" % (" ".join(cmd), p.returncode,
                                           p.stderr.decode("utf-8", "replace")[-300:]))
        except (OSError, subprocess.TimeoutExpired) as e:
            log.append("%s: %s" % (" ".join(cmd), e))
        if chromium_bin():
            return chromium_bin()
    raise AssertionError("headless Chromium is needed and could not be installed "
                         "(apt-get install chromium):\n" + "\n".join(log))


def chromium(*args, timeout=120):
    cmd = [ensure_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
           "--disable-dev-shm-usage", "--hide-scrollbars", "--no-first-run",
           "--allow-file-access-from-files", "--disable-extensions"] + list(args)
    p = subprocess.run(cmd, capture_output=True, timeout=timeout,
                       env=dict(os.environ, HOME=os.environ.get("TMPDIR", "/tmp")))
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def png_pixels(path):
    """Decodes an 8-bit RGB/RGBA PNG with zlib only: (width, height, rows of bytes, bpp)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = ihdr
    assert depth == 8 and ctype in (2, 6) and interlace == 0, ihdr
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        ft = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, bpp


def check_screenshot(path, min_colors=12):
    w, h, rows, bpp = png_pixels(path)
    colors, ink = set(), 0
    for y in range(0, h, 2):
        row = rows[y]
        for x in range(0, w * bpp, bpp * 2):
            px = row[x:x + 3]
            colors.add(px)
            if px != b"\xff\xff\xff":
                ink += 1
    total = ((h + 1) // 2) * ((w + 1) // 2)
    assert len(colors) >= min_colors, "screenshot looks blank: %d colours" % len(colors)
    assert ink > total * 0.02, "screenshot looks blank: %d of %d pixels not white" % (ink, total)
    return len(colors), ink / total


# ---- Tests ----

def replay_sample(data):
    code, _, err = candor("replay", "--config", DEMO_CONFIG, "--lexicon", LEXICON, "--data", data,
                          os.path.join(SRC, "samples", "posts-2025-11-03_05.ndjson"),
                          os.path.join(SRC, "samples", "posts-2025-11-05_06.ndjson.gz"))
    assert code == 0, err


def test_sample_report():
    with Tmp() as t:
        data = os.path.join(t, "data")
        replay_sample(data)
        code, out, err = candor("report", "--data", data)
        assert code == 0, err
        page = os.path.join(data, "report.html")
        text, counts = check_html(page)
        assert "2025-11-03 .. 2025-11-06 (4 days, 4 daily files" in err, err
        for brand in ("Contoso Cable", "Fabrikam Motors", "Northwind Energy", "Tailspin Travel",
                      "Litware Fitness"):
            assert "<th scope=\"row\">%s</th>" % brand in text, brand
        # one chart per brand (and the posts naming none), each with a title and a table
        assert counts["svg"] == 6, counts
        assert text.count('role="img"') == 6
        assert counts["table"] >= 6 + 4
        assert "<mark" in text and "source post</a>" in text
        assert "lang=\"en\"" in text and "@media print" in text
        header = json.loads(gzip.open(os.path.join(data, "daily", "2025-11-03.json.gz"), "rt")
                            .readline())
        assert "<code>%s</code>" % header["lexicon_version"] in text
        assert "6 days without a run log" not in text and "4 days without a run log" in text
        # same data, same bytes; no clock unless asked
        with open(page, "rb") as f:
            first = f.read()
        code, _, err = candor("report", "--data", data, "--quiet")
        assert code == 0 and err == "", err
        with open(page, "rb") as f:
            assert f.read() == first
        assert b"Generated at" not in first
        code, _, err = candor("report", "--data", data, "--out", os.path.join(t, "b.html"),
                              env={"SOURCE_DATE_EPOCH": "1762473600"})
        assert code == 0, err
        with open(os.path.join(t, "b.html"), "rb") as f:
            assert b"Generated at 2025-11-07T00:00:00Z." in f.read()
        code, _, err = candor("report", "--data", data, "--out", os.path.join(t, "c.html"),
                              "--now", "2025-11-07T08:00:00+01:00")
        assert code == 0, err
        with open(os.path.join(t, "c.html"), "rb") as f:
            assert b"Generated at 2025-11-07T07:00:00Z." in f.read()
        assert not [f for f in os.listdir(data) if ".tmp." in f]


def test_usage_and_failures():
    with Tmp() as t:
        code, _, err = candor("report", "--data", os.path.join(t, "none"))
        assert code == 1 and "no daily files" in err, (code, err)
        code, _, err = candor("report", "--data", t, "--from", "2025-13-01")
        assert code == 2 and "--from wants a day" in err, err
        code, _, err = candor("report", "--data", t, "--from", "2025-11-05", "--to", "2025-11-01")
        assert code == 2, err
        code, _, err = candor("report", "--data", t, "--now", "yesterday")
        assert code == 2 and "--now" in err, err
        data = os.path.join(t, "data")
        replay_sample(data)
        code, _, err = candor("report", "--data", data, "--out", "/nonexistent-dir/x.html")
        assert code == 1 and "cannot write '/nonexistent-dir/x.html'" in err, err
        # a damaged daily file: reported with its name, the rest rendered, exit 3
        with open(os.path.join(data, "daily", "2025-11-04.json.gz"), "wb") as f:
            f.write(b"garbage\n")
        code, _, err = candor("report", "--data", data)
        assert code == 3, (code, err)
        assert "daily/2025-11-04.json.gz:1: bad header:" in err, err


def test_year_of_data_fast_and_only_needed_days():
    with Tmp() as t:
        data = os.path.join(t, "data")
        first = datetime.date(2024, 11, 1)
        t0 = time.time()
        generate(data, first, 365, skip={"2025-02-10", "2025-10-20"},
                 failed={"2025-10-05", "2025-03-03"}, hostile_day="2025-10-30")
        gen_s = time.time() - t0
        # A corrupt file far before the default period and its previous
        # period: it must never be opened.
        with open(os.path.join(data, "daily", "2024-09-01.json.gz"), "wb") as f:
            f.write(b"\x1f\x8b corrupt")
        t0 = time.time()
        code, _, err = candor("report", "--data", data, "--out", os.path.join(t, "last28.html"))
        last28 = time.time() - t0
        assert code == 0, err
        assert "2025-10-04 .. 2025-10-31 (28 days, 27 daily files, 28 in the previous" in err, err
        text, counts = check_html(os.path.join(t, "last28.html"))
        assert "2025-10-20: no daily file" in text
        assert "reddit failed 1 of 1 run (HTTP 503 after 5 tries)" in text
        assert "1 day with a failed source" in text
        assert "unknown (no run log)" in text
        # the whole year, with the previous period (empty but for the corrupt file)
        t0 = time.time()
        code, _, err = candor("report", "--data", data, "--from", "2024-11-01", "--to",
                              "2025-10-31", "--out", os.path.join(t, "year.html"))
        year = time.time() - t0
        assert code == 3, (code, err)   # the corrupt 2024-09-01 is in the previous year
        assert "2024-09-01.json.gz" in err, err
        assert "(365 days, 363 daily files" in err, err
        text, counts = check_html(os.path.join(t, "year.html"))
        assert counts["svg"] == len(BRANDS)
        assert "more than one lexicon version" in text
        assert "2 days with a failed source" in text
        size = os.path.getsize(os.path.join(t, "year.html"))
        print("    generated 365 days in %.2f s; report of the last 28 days %.3f s; "
              "of the whole year %.3f s (%d bytes)" % (gen_s, last28, year, size))
        # the goal is a second or two; sanitizer builds (CI's second run) are ~10x slower
        limit = 20.0 if sanitized_build() else 2.0
        assert last28 < limit, last28
        assert year < limit, year


def test_hostile_texts_escaped():
    with Tmp() as t:
        data = os.path.join(t, "data")
        generate(data, datetime.date(2025, 10, 25), 6, hostile_day="2025-10-30")
        # a hostile brand name and category in a daily row too
        path = os.path.join(data, "daily", "2025-10-30.json.gz")
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
        header = json.loads(lines[0])
        evil = {"source": "x", "brand": "<b onmouseover=\"alert(1)\">Evil & Co's</b>",
                "category": "</td><script>x()</script>", "posts": 3, "complaints": 2,
                "top_rules": [{"rule": "<i>rule</i>", "count": 2}], "samples": ["a"]}
        star = dict(evil, category="*")
        header["rows"] += 2
        gz_write(path, [json.dumps(header)] + lines[1:] + [json.dumps(star), json.dumps(evil)])
        out = os.path.join(t, "r.html")
        code, _, err = candor("report", "--data", data, "--out", out)
        assert code == 0, err
        text, counts = check_html(out)
        assert "<script" not in text and "<img" not in text and "<b " not in text
        assert "javascript:" not in text.split("id=\"recent\"")[1].split("</ol>")[0] or \
            'href="javascript:' not in text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot; &amp; " \
               "&#39;single&#39; <mark title=\"hid.hidden_fee\">hidden fee</mark> WWWW" in text
        assert "&lt;b onmouseover=&quot;alert(1)&quot;&gt;Evil &amp; Co&#39;s&lt;/b&gt;" in text
        assert "&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt;" in text
        assert "&lt;i&gt;rule&lt;/i&gt;" in text
        assert "W" * 1900 in text and "W" * 3000 not in text and "\u2026" in text
        assert ".text{margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere" in text
        # in a browser: no script element, and the long string wraps at a narrow
        # width (headless Chromium's narrowest window is 500 px); the control
        # copy without the wrapping rules must overflow, or the probe proves nothing
        def probe(page_text, name):
            path = os.path.join(t, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(page_text.replace(
                    "</body>",
                    "<script>document.body.setAttribute('data-probe', "
                    "document.documentElement.scrollWidth + ' ' + "
                    "document.documentElement.clientWidth + ' ' + "
                    "document.querySelectorAll('script').length)</script></body>"))
            code, dom, cerr = chromium("--window-size=390,844", "--dump-dom", "file://" + path)
            assert code == 0, cerr[-2000:]
            return [int(x) for x in dom.split('data-probe="')[1].split('"')[0].split()]

        width, viewport, scripts = probe(text, "probe.html")
        assert scripts == 1, "only the probe's own script may exist: %d" % scripts
        assert width <= viewport, "the page is %d px wide in a %d px window" % (width, viewport)
        unwrapped = text.replace("overflow-wrap:anywhere", "overflow-wrap:normal") \
            .replace("word-break:break-word", "word-break:normal")
        width, viewport, _ = probe(unwrapped, "control.html")
        assert width > viewport * 2, "control page did not overflow: %d / %d" % (width, viewport)


def test_chromium_dom_and_screenshot():
    with Tmp() as t:
        data = os.path.join(t, "data")
        generate(data, datetime.date(2025, 9, 1), 45, skip={"2025-10-01"}, failed={"2025-10-10"})
        out = os.path.join(t, "report.html")
        code, _, err = candor("report", "--data", data, "--out", out, "--days", "30")
        assert code == 0, err
        code, dom, cerr = chromium("--dump-dom", "file://" + out)
        assert code == 0, cerr[-2000:]
        assert dom.count("<svg") == len(BRANDS), dom.count("<svg")
        assert dom.count('role="img"') == len(BRANDS)
        assert dom.count("<rect") > 100
        assert "<polyline" in dom
        assert dom.count("<table") >= len(BRANDS) + 4
        assert '<th scope="col"' in dom and '<th scope="row"' in dom
        assert "<mark" in dom and "Newest complaints" in dom
        shot = os.path.join(t, "shot.png")
        code, _, cerr = chromium("--window-size=1024,1024", "--screenshot=" + shot,
                                 "file://" + out)
        assert code == 0 and os.path.exists(shot), cerr[-2000:]
        colors, ink = check_screenshot(shot)
        print("    desktop screenshot: %d colours, %.0f%% of pixels not white" % (colors, ink * 100))


def test_png_decoder_sees_blank():
    # The screenshot check must be able to fail: a white PNG is blank.
    with Tmp() as t:
        w, h = 40, 30
        raw = b"".join(b"\x00" + b"\xff" * (w * 3) for _ in range(h))

        def chunk(kind, body):
            return struct.pack(">I", len(body)) + kind + body + \
                struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff)
        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) \
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
        path = os.path.join(t, "white.png")
        with open(path, "wb") as f:
            f.write(png)
        try:
            check_screenshot(path)
        except AssertionError as e:
            assert "blank" in str(e)
        else:
            raise AssertionError("a white PNG passed as not blank")


if __name__ == "__main__":
    run_tests([test_sample_report, test_usage_and_failures,
               test_year_of_data_fast_and_only_needed_days, test_hostile_texts_escaped,
               test_chromium_dom_and_screenshot, test_png_decoder_sees_blank])
