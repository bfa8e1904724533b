# SPDX-License-Identifier: MIT
"""Shared by the integration tests: find the binary and data, run candor,
read gzip outputs, and a tiny test runner that prints 'N passed, N failed'."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import traceback

SRC = os.environ.get("CND_SRC_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CANDOR = os.environ.get("CANDOR") or os.path.join(SRC, "build", "candor")
SHARED = os.environ.get("CND_SHARED_DIR") or os.path.join(SRC, "..", "shared")
LEXICON = os.path.join(SRC, "lexicons", "en.lex")
DEMO_CONFIG = os.path.join(SRC, "samples", "demo-config.json")


def candor(*args, stdin=None, env=None):
    """Runs candor; returns (exit status, stdout, stderr) as text."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    p = subprocess.run([CANDOR] + list(args), input=stdin, capture_output=True, env=full_env,
                       timeout=300)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def gunzip_text(path):
    with gzip.open(path, "rb") as f:
        return f.read().decode("utf-8")


def read_daily(data, day):
    lines = gunzip_text(os.path.join(data, "daily", day + ".json.gz")).splitlines()
    return json.loads(lines[0]), [json.loads(l) for l in lines[1:]]


def all_bytes(data):
    """Every output file under data (daily/, complaints/) as {relative path: bytes}."""
    out = {}
    for sub in ("daily", "complaints"):
        d = os.path.join(data, sub)
        if os.path.isdir(d):
            for name in sorted(os.listdir(d)):
                with open(os.path.join(d, name), "rb") as f:
                    out[sub + "/" + name] = f.read()
    return out


def write_lines(path, lines, gz=False):
    data = "".join(l + "\n" for l in lines).encode("utf-8")
    if gz:
        with gzip.GzipFile(path, "wb", mtime=0) as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def post(pid, text, created="2025-11-03T10:00:00Z", source="s1", author="a", **extra):
    d = {"id": pid, "source": source, "created_at": created, "author": author, "text": text}
    d.update(extra)
    return json.dumps(d, ensure_ascii=False)


class Tmp:
    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="candor-it-")
        return self.path

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)


def run_tests(tests):
    only = sys.argv[1:]
    passed = failed = 0
    for t in tests:
        if only and t.__name__ not in only:
            continue
        try:
            t()
            print("ok   " + t.__name__)
            passed += 1
        except Exception:
            print("FAIL " + t.__name__)
            traceback.print_exc()
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed or passed == 0 else 0)
