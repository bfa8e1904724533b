#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds every libFuzzer target (tests/fuzz/fuzz_*.c) with clang, ASan and
# UBSan, and runs each for SECONDS seconds (default 20) with the recorded
# and synthetic fixtures as seed corpus. Exits non-zero when a target
# crashes, leaks or fails to build; crash inputs are left in the build
# directory (crash-*, leak-*).
#
# usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#   env: CND_FUZZ_BUILD (default build-fuzz), CND_SHARED_DIR (default ../shared)
set -eu

here=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-20}
[ $# -gt 0 ] && shift
build=${CND_FUZZ_BUILD:-$here/build-fuzz}
shared=${CND_SHARED_DIR:-$here/../shared}

cmake -S "$here" -B "$build" -DCMAKE_C_COMPILER=clang -DCND_FUZZ=ON \
      -DCND_SANITIZE=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

if [ $# -gt 0 ]; then
    targets="$*"
else
    targets=$(cd "$here/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi

# The seed corpus of a target: the fixtures of its kind.
seeds_of() {
    case "$1" in
        fuzz_mastodon*) echo "$shared/fixtures/mastodon $here/tests/fixtures/mastodon" ;;
        fuzz_bluesky) echo "$shared/fixtures/bluesky" ;;
        fuzz_reddit) echo "$shared/fixtures/reddit $here/tests/fixtures/reddit" ;;
        fuzz_hackernews) echo "$shared/fixtures/hn_algolia $here/tests/fixtures/hackernews" ;;
        fuzz_lemmy*) echo "$here/tests/fixtures/lemmy" ;;
        fuzz_generic*) echo "$shared/fixtures/generic $here/tests/fixtures/generic" ;;
        fuzz_html) echo "$shared/fixtures/hn_algolia $shared/fixtures/mastodon" ;;
        fuzz_lexicon) echo "$here/tests/data/golden $here/tests/fuzz/seeds/lexicon" ;;
        fuzz_post) echo "$here/tests/fuzz/seeds/post" ;;
        fuzz_archive) echo "$here/tests/fixtures/archive" ;;
    esac
}

failed=0
for t in $targets; do
    if ! cmake --build "$build" --target "$t" -j2 >"$build/$t.build.log" 2>&1; then
        echo "fuzz: $t: build failed (see $build/$t.build.log)" >&2
        failed=1
        continue
    fi
    corpus="$build/corpus/$t"
    mkdir -p "$corpus"
    for d in $(seeds_of "$t"); do
        [ -d "$d" ] || continue
        for f in "$d"/*; do
            case "$f" in *.meta.json|*.md) continue ;; esac
            [ -f "$f" ] && cp "$f" "$corpus/" 2>/dev/null || true
        done
    done
    echo "fuzz: $t for ${secs}s"
    if ! (cd "$build" && "./tests/$t" -max_total_time="$secs" -max_len=1048576 \
            -rss_limit_mb=2048 -timeout=10 -print_final_stats=0 "$corpus" \
            >"$build/$t.log" 2>&1); then
        echo "fuzz: $t: FAILED (see $build/$t.log)" >&2
        tail -n 30 "$build/$t.log" >&2
        failed=1
    else
        grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$build/$t.log" | tail -n 1 || true
    fi
done
exit $failed
