#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""candor alerts end to end: synthetic daily series with a known spike
(found, exit 5, NDJSON on stdout) and with noise only (none, exit 0),
days with zero posts and a missing day, and the webhook against a local
HTTP server (payload checked; a 500 then a success is retried; a server
that keeps failing gives exit 1; the URL, which holds a secret, never
appears in any output)."""
import datetime
import gzip
import http.server
import json
import os
import random
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import Tmp, candor, run_tests  # noqa: E402

SECRET = "s3cr3t-T0KEN-9f8e7d"


def write_day(data, day, series, posts=50):
    """series: {(brand, category): count}; None: a day with no posts at all."""
    rows = []
    if series is not None:
        brands = sorted({b for b, _ in series} | {"Acme"})
        for brand in brands:
            cats = {c: n for (b, c), n in series.items() if b == brand}
            rows.append({"source": "s1", "brand": brand, "category": "*", "posts": posts,
                         "complaints": min(posts, sum(cats.values())), "samples": []})
            for c in sorted(cats):
                if cats[c]:
                    rows.append({"source": "s1", "brand": brand, "category": c, "posts": posts,
                                 "complaints": cats[c],
                                 "samples": ["%s-%s-%d" % (day, c, k) for k in range(min(5, cats[c]))]})
    header = {"schema": 1, "day": day, "lexicon_version": "0123456789abcdef",
              "sources": [{"source": "s1", "posts": posts if series is not None else 0}],
              "rows": len(rows)}
    os.makedirs(os.path.join(data, "daily"), exist_ok=True)
    with gzip.GzipFile(os.path.join(data, "daily", day + ".json.gz"), "wb", mtime=0) as f:
        f.write("".join(json.dumps(x) + "\n" for x in [header] + rows).encode())


def poisson(rnd, lam):
    import math
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rnd.random()
        if p <= limit:
            return k
        k += 1


def make_series(data, spike=None, missing=(), empty=(), days=40, seed=3):
    """40 days from 2025-01-01 of Poisson noise for two brands and two categories."""
    rnd = random.Random(seed)
    first = datetime.date(2025, 1, 1)
    names = []
    for i in range(days):
        day = (first + datetime.timedelta(days=i)).isoformat()
        names.append(day)
        if day in missing:
            continue
        if day in empty:
            write_day(data, day, None)
            continue
        s = {("Acme", "hidden_fees"): poisson(rnd, 3), ("Acme", "pressure_tactics"): poisson(rnd, 1),
             ("Globex", "hidden_fees"): poisson(rnd, 2), ("Globex", "fake_discount"): poisson(rnd, 0.3)}
        if spike and day == spike[0]:
            s[spike[1]] = spike[2]
        write_day(data, day, s)
    return names


def test_spike_found():
    with Tmp() as t:
        days = make_series(t, spike=("2025-02-09", ("Globex", "hidden_fees"), 19),
                           missing={"2025-01-20"}, empty={"2025-01-25", "2025-01-26"})
        assert days[-1] == "2025-02-09"
        code, out, err = candor("alerts", "--data", t)
        assert code == 5, (code, out, err)
        alerts = [json.loads(l) for l in out.splitlines()]
        assert len(alerts) == 1, alerts
        a = alerts[0]
        assert (a["brand"], a["category"], a["day"], a["count"]) == \
            ("Globex", "hidden_fees", "2025-02-09", 19), a
        assert a["baseline_days"] == 27 and a["missing_days"] == 1, a
        assert 1.0 < a["baseline"] < 3.5 and a["p"] < 1e-6 and a["score"] > 6, a
        assert abs(a["score"] + __import__("math").log10(a["p"])) < 0.01, a
        assert a["samples"] == ["2025-02-09-hidden_fees-%d" % k for k in range(5)], a
        assert "left out, no daily file: 2025-01-20" in err, err
        assert "baseline 27 of 28 days" in err, err
        # the same day with --day, and a stricter test: none
        code, out, _ = candor("alerts", "--data", t, "--day", "2025-02-09", "--min-count", "20")
        assert code == 0 and out == "", out
        # the same stricter test from the config's "alerts" section; the
        # command line still wins over it
        cfg = os.path.join(t, "candor.json")
        with open(cfg, "w") as f:
            f.write('{\n  "data_dir": "%s",\n  "alerts": {"min_count": 20, "baseline_days": 28}\n}\n' % t)
        code, out, err = candor("alerts", "--config", cfg)
        assert code == 0 and out == "", (code, out, err)
        code, out, _ = candor("alerts", "--config", cfg, "--min-count", "5")
        assert code == 5 and len(out.splitlines()) == 1, out
        with open(cfg, "w") as f:
            f.write('{\n  "alerts": {\n    "min_count": "many"\n  }\n}\n')
        code, _, err = candor("alerts", "--config", cfg, "--data", t)
        assert code == 2 and cfg + ":3: alerts.min_count:" in err, err


def test_noise_only():
    with Tmp() as t:
        days = make_series(t, empty={"2025-01-15"}, missing={"2025-01-30"})
        raised = []
        for day in days[29:]:
            code, out, err = candor("alerts", "--data", t, "--day", day, "--quiet")
            if day == "2025-01-30":
                assert code == 0 and out == "", (out, err)
                continue
            assert code in (0, 5), err
            raised += out.splitlines()
        assert raised == [], raised
        # a day with no daily file is said, not an error
        code, out, err = candor("alerts", "--data", t, "--day", "2025-01-30")
        assert code == 0 and "no daily file, nothing to test" in err, err
        # the default window is 28 days; a shorter one is honoured
        code, out, err = candor("alerts", "--data", t, "--day", "2025-02-09",
                                "--baseline-days", "7")
        assert "baseline 7 of 7 days" in err, err


def test_usage():
    with Tmp() as t:
        assert candor("alerts", "--data", t)[0] == 1
        assert candor("alerts", "--data", t, "--day", "2025-02-30")[0] == 2
        assert candor("alerts", "--data", t, "--max-p", "2")[0] == 2
        assert candor("alerts", "--data", t, "--min-count", "0")[0] == 2
        code, _, err = candor("alerts", "--data", t, "--webhook-env", "CND_TEST_UNSET_HOOK",
                              env={"CND_TEST_UNSET_HOOK": ""})
        assert code == 2 and "CND_TEST_UNSET_HOOK" in err, err


class Hook(http.server.BaseHTTPRequestHandler):
    fail_first = 1
    requests = []

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        Hook.requests.append((self.path, self.headers.get("Content-Type"), body))
        status = 500 if len(Hook.requests) <= Hook.fail_first else 200
        payload = b'{"ok":true}' if status == 200 else b"oops"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def serve():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    return srv


def test_webhook_retried_and_secret_kept():
    with Tmp() as t:
        make_series(t, spike=("2025-02-09", ("Acme", "hidden_fees"), 25))
        srv = serve()
        try:
            Hook.requests = []
            Hook.fail_first = 1
            url = "http://127.0.0.1:%d/hooks/%s?token=%s" % (srv.server_address[1], SECRET, SECRET)
            env = {"CND_TEST_HOOK": url, "CANDOR_LOG": "debug"}
            code, out, err = candor("alerts", "--data", t, "--webhook-env", "CND_TEST_HOOK",
                                    "--webhook-backoff", "0.2", env=env)
            assert code == 5, (code, err)
            assert len(Hook.requests) == 2, Hook.requests
            path, ctype, body = Hook.requests[-1]
            assert path == "/hooks/%s?token=%s" % (SECRET, SECRET)
            assert ctype.startswith("application/json"), ctype
            sent = json.loads(body)
            assert sent["source"] == "candor" and sent["day"] == "2025-02-09", sent
            assert sent["count"] == 1 and sent["alerts"] == [json.loads(l) for l in out.splitlines()]
            assert Hook.requests[0][2] == body
            assert "webhook: 1 alert delivered" in err, err
            assert SECRET not in out and SECRET not in err and "127.0.0.1" not in err, err

            # a server that keeps failing: exit 1, the alerts still printed, no URL
            Hook.requests = []
            Hook.fail_first = 99
            code, out2, err = candor("alerts", "--data", t, "--webhook-env", "CND_TEST_HOOK",
                                     "--webhook-backoff", "0.1", env=env)
            assert code == 1, (code, err)
            assert out2 == out
            assert len(Hook.requests) == 4, len(Hook.requests)
            assert "webhook not delivered" in err, err
            assert SECRET not in err and "127.0.0.1" not in err, err

            # no alert: nothing is posted
            Hook.requests = []
            code, _, err = candor("alerts", "--data", t, "--day", "2025-02-08", "--webhook-env",
                                  "CND_TEST_HOOK", env=env)
            assert code == 0 and Hook.requests == [], err
        finally:
            srv.shutdown()
            srv.server_close()


if __name__ == "__main__":
    run_tests([test_spike_found, test_noise_only, test_usage, test_webhook_retried_and_secret_kept])
