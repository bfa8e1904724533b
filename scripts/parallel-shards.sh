#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A sharded replay over ssh with GNU parallel, then the merge (docs/SCALE.md).
# Every host must see the same DATA directory (shared storage) and have
# candor on its PATH.
#   scripts/parallel-shards.sh N HOSTS DATA CONFIG INPUT...
#   e.g. scripts/parallel-shards.sh 8 2/node1,2/node2,2/node3 /shared/data /shared/candor.json /shared/data/archive
# HOSTS is parallel's --sshlogin list (":" is this machine). Rerun the same
# command after a failure: --resume-failed reruns only the shards that failed
# (the joblog remembers the others), then the merge runs again.
set -euo pipefail
if [ $# -lt 5 ]; then
    echo "usage: $0 N HOSTS DATA CONFIG INPUT..." >&2
    exit 65
fi
n=$1 hosts=$2 data=$3 config=$4
shift 4
joblog="$data/parallel-shards-$n.joblog"
mkdir -p "$data"

# One job per shard; exit 65 stops everything (no point retrying), 75 retries.
seq 0 $((n - 1)) |
    parallel --sshlogin "$hosts" --joblog "$joblog" --resume-failed --retries 3 \
        --halt now,fail=1 --line-buffer --tagstring 'shard {}' \
        candor replay --config "$config" --data "$data" --shard "{}/$n" --quiet "$@"

candor merge --config "$config" --data "$data"
