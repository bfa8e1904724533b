#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""scripts/bench driver: measures, in one run on one core, a yajl parse-only
pass (the baseline), `candor analyze` and `candor replay` over the same
deterministic corpus, and prints posts/s, MB/s, peak RSS and the ratio of
each to the baseline (medians of several rounds, each round running every
command once). The same two commands with a one-rule lexicon
(bench/floor.lex) show the pipeline's floor: what a post costs before the
lexicon's rules do. Then checks that peak RSS
stays flat as the input grows. Last, the sharded figure: the same replay as
N shards run as N processes at once (one per core, round robin) plus
`candor merge`, against the single-process replay (wall time and ratio),
checking that the merged files are the same bytes.
Usage: bench.py BUILD_DIR [--posts N] [--runs R] [--shards N]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def corpus(build, n):
    path = os.path.join(build, "bench-corpus-%d.ndjson" % n)
    if not os.path.exists(path):
        print("generating %d posts -> %s" % (n, path), file=sys.stderr)
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_corpus.py"), str(n), path + ".part"],
                       check=True)
        os.rename(path + ".part", path)
    return path


def run(cmd, stdin=None):
    """Runs cmd pinned to one core; returns (seconds, peak RSS in KiB)."""
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    t0 = time.perf_counter()
    p = subprocess.Popen(["taskset", "-c", "0"] + cmd, stdin=fin, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    if stdin:
        fin.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        sys.exit("benchmark command failed (%d): %s\n%s" % (code, " ".join(cmd), err))
    return dt, ru.ru_maxrss


def measure_rounds(jobs, runs):
    """Runs every job once per round, "runs" rounds, so that a slow spell of
    a noisy machine falls on all of them alike. Jobs are (name, command,
    stdin file or None, function to call before each run or None); returns
    (name, median seconds, peak RSS in KiB, all times) for each."""
    times = [[] for _ in jobs]
    rss = [[] for _ in jobs]
    for _ in range(runs):
        for k, (_, cmd, stdin, before) in enumerate(jobs):
            if before:
                before()
            dt, kb = run(cmd, stdin)
            times[k].append(dt)
            rss[k].append(kb)
    return [(job[0], statistics.median(times[k]), max(rss[k]), times[k]) for k, job in enumerate(jobs)]


def sharded_replay(candor, common, inputs, data, n):
    """N shard processes at once, then the merge; returns wall seconds."""
    shutil.rmtree(data, ignore_errors=True)
    cpus = os.cpu_count() or 1
    t0 = time.perf_counter()
    procs = [subprocess.Popen(["taskset", "-c", str(i % cpus), candor, "replay", "--quiet", *common,
                               "--data", data, "--shard", "%d/%d" % (i, n), *inputs],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(n)]
    for i, p in enumerate(procs):
        err = p.stderr.read().decode(errors="replace")
        p.stderr.close()
        if p.wait() != 0:
            sys.exit("shard %d/%d failed (%d):\n%s" % (i, n, p.returncode, err))
    m = subprocess.run([candor, "merge", "--quiet", "--data", data], capture_output=True)
    if m.returncode != 0:
        sys.exit("merge failed (%d):\n%s" % (m.returncode, m.stderr.decode(errors="replace")))
    return time.perf_counter() - t0


def tree_bytes(data):
    out = {}
    for sub in ("daily", "complaints"):
        d = os.path.join(data, sub)
        for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
            with open(os.path.join(d, name), "rb") as f:
                out[sub + "/" + name] = f.read()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build")
    ap.add_argument("--posts", type=int, default=1000000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--shards", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    candor = os.path.join(args.build, "candor")
    baseline = os.path.join(args.build, "cnd_parse_baseline")
    lexicon = os.path.join(ROOT, "lexicons", "en.lex")
    config = os.path.join(ROOT, "samples", "demo-config.json")
    path = corpus(args.build, args.posts)
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        lines = sum(1 for _ in f)
    tmp = tempfile.mkdtemp(prefix="candor-bench-")

    def clean():
        shutil.rmtree(os.path.join(tmp, "data"), ignore_errors=True)

    floor = os.path.join(ROOT, "bench", "floor.lex")

    def analyze(lex):
        return [candor, "analyze", "--config", config, "--lexicon", lex]

    def replay(lex, inp=path):
        return [candor, "replay", "--quiet", "--config", config, "--lexicon", lex,
                "--data", os.path.join(tmp, "data"), inp]

    results = measure_rounds([
        ("yajl parse-only (baseline)", [baseline, path], None, None),
        ("candor analyze", analyze(lexicon), path, None),
        ("candor replay", replay(lexicon), None, clean),
        ("analyze, one-rule lexicon", analyze(floor), path, None),
        ("replay, one-rule lexicon", replay(floor), None, clean),
    ], args.runs)
    base = results[0][1]
    print("corpus: %d posts, %.1f MB (%s); %d rounds of every command, medians, pinned to one core"
          % (lines, size / 1e6, os.path.basename(path), args.runs))
    print("%-28s %10s %12s %9s %10s %8s" % ("", "seconds", "posts/s", "MB/s", "peak RSS", "ratio"))
    for name, t, kb, _ in results:
        print("%-28s %10.3f %12.0f %9.1f %8.1f MB %8.3f" % (name, t, lines / t, size / 1e6 / t, kb / 1024,
                                                            base / t))
    ratios = {"analyze": base / results[1][1], "replay": base / results[2][1]}
    goals = {"analyze": 0.25, "replay": 0.35}
    for k in ("analyze", "replay"):
        print("goal %-8s >= %.2f x baseline: %.3f %s" % (k, goals[k], ratios[k],
                                                       "met" if ratios[k] >= goals[k] else "NOT MET"))
    # Where a post's time goes: the pipeline with one rule (the floor) and
    # what the full lexicon adds to it, in microseconds per post.
    us = [t / lines * 1e6 for _, t, _, _ in results]
    for k, (full, one) in (("analyze", (us[1], us[3])), ("replay", (us[2], us[4]))):
        print("per post, %-8s %.2f us: one-rule floor %.2f us (%.3f x baseline), the full lexicon adds %.2f us"
              % (k, full, one, us[0] / one, full - one))

    # RSS flatness: the same commands on a quarter of the corpus.
    quarter = os.path.join(tmp, "quarter.ndjson")
    with open(path, "rb") as fi, open(quarter, "wb") as fo:
        for i, line in enumerate(fi):
            if i >= lines // 4:
                break
            fo.write(line)
    (_, _, rss_a, _), (_, _, rss_r, _) = measure_rounds([
        ("analyze", analyze(lexicon), quarter, None),
        ("replay", replay(lexicon, quarter), None, clean),
    ], 1)
    print("peak RSS at 1/4 of the corpus: analyze %.1f MB, replay %.1f MB (full: %.1f MB, %.1f MB)"
          % (rss_a / 1024, rss_r / 1024, results[1][2] / 1024, results[2][2] / 1024))

    # Sharded: N processes plus the merge, against the single-process replay above.
    common = ["--config", config, "--lexicon", lexicon]
    clean()
    subprocess.run(replay(lexicon), check=True)
    single_bytes = tree_bytes(os.path.join(tmp, "data"))
    times = [sharded_replay(candor, common, [path], os.path.join(tmp, "sharded"), args.shards)
             for _ in range(args.runs)]
    same = tree_bytes(os.path.join(tmp, "sharded")) == single_bytes
    t_sharded = statistics.median(times)
    t_single = results[2][1]
    print("sharded replay: %d shards as %d processes on %d cores + merge: %.3f s "
          "(single process %.3f s): %.2fx; merged files %s"
          % (args.shards, args.shards, os.cpu_count() or 1, t_sharded, t_single, t_single / t_sharded,
             "byte-identical" if same else "DIFFER"))
    if not same:
        sys.exit("sharded replay + merge differs from the single-process replay")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
