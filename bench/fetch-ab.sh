#!/usr/bin/env bash
# Paired A/B runs of fetch-questions (mode random, 7 questions, one player,
# the starter questions): for each build in turn, a fresh store, `truthbyte
# serve` on it, a session, and wrk -t2 -c16 on fetch-questions. Prints, per
# pair, requests/s and p99 of both and the ratio B/A. The builds alternate
# A B A B ..., so drift of the shared machine falls on both.
#
#   bash bench/fetch-ab.sh [--rounds N] [--duration S] [--path PATH] BINARY_A BINARY_B
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
duration=5
path="/v1/fetch-questions?num_questions=7"
while [[ $# -gt 2 ]]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --path) path="$2"; shift 2 ;;
    *) echo "usage: bash bench/fetch-ab.sh [--rounds N] [--duration S] [--path PATH] BINARY_A BINARY_B" >&2; exit 2 ;;
  esac
done
[[ $# -eq 2 ]] || { echo "usage: bash bench/fetch-ab.sh [--rounds N] [--duration S] [--path PATH] BINARY_A BINARY_B" >&2; exit 2; }
source bench/lib.sh
work=$(mktemp -d)
trap 'bench_stop_server; rm -rf "$work"' EXIT

run() {  # BINARY LABEL
  local db="$work/$2.db"
  rm -f "$db" "$db-wal" "$db-shm"
  "$1" --store "sqlite:$db" import --starter >/dev/null
  bench_start_server "$1" "$db" "$work/$2.log"
  local uid token
  uid=$(python3 -c 'import uuid; print(uuid.uuid4())')
  token=$(curl -s -H "X-User-ID: $uid" "$url/v1/session" | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  TB_MODE=get TB_PATH="$path" TB_TOKEN="$token" TB_USER="$uid" TB_OUT="$work/$2.jsonl" \
    wrk -t2 -c16 -d"${duration}s" -s bench/wrk/endpoint.lua "$url" >/dev/null
  bench_stop_server
}

for _ in $(seq 1 "$rounds"); do run "$1" A; run "$2" B; done
python3 - "$work" <<'PY'
import json, statistics, sys
work = sys.argv[1]
a = [json.loads(l) for l in open(f"{work}/A.jsonl")]
b = [json.loads(l) for l in open(f"{work}/B.jsonl")]
ratios = []
for x, y in zip(a, b):
    ratios.append(y["rps"] / x["rps"])
    print(f"A {x['rps']:.0f} rps p99 {x['p99_us']} us | B {y['rps']:.0f} rps p99 {y['p99_us']} us | B/A {ratios[-1]:.3f}")
print(f"median B/A {statistics.median(ratios):.3f}")
PY
