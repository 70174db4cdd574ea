#!/usr/bin/env bash
# Paired A/B runs of the write path: for each build in turn, a fresh copy of
# a store, `truthbyte serve` on it, a session phase (each request a new
# user, the tokens kept) and then a submit phase (7 answers a request, each
# request one of those users, so every answer is recorded), with wrk -t2
# -c32 as in bench/run.sh. Prints, per run, requests/s of both phases, the
# submit phase's p50 and p99, and the server's CPU per submit request.
#
#   bash bench/write-ab.sh [--rounds N] [--duration S] [--store DB] [--ids FILE] BINARY_A [BINARY_B]
#
# --store defaults to bench/work/pool-100000.db (made by bench/run.sh; the
# pool size does not matter to writes, and a small pool starts fast).
# --ids: the question ids to answer, one a line (default: 20,000 of the
# store's own; ids the store lacks measure the request path with nothing
# to record). The builds alternate A B A B ..., so drift of the shared
# machine falls on both.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
duration=6
store=bench/work/pool-100000.db
ids=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --store) store=$2; shift 2 ;;
    --ids) ids=$2; shift 2 ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { echo "usage: bench/write-ab.sh [--rounds N] [--duration S] [--store DB] [--ids FILE] BINARY_A [BINARY_B]" >&2; exit 2; }
[[ -f "$store" ]] || { echo "no store $store: run bash bench/run.sh first, or give --store" >&2; exit 1; }
source bench/lib.sh

lua="$PWD/bench/wrk/endpoint.lua"
work=$(mktemp -d /tmp/truthbyte-write-ab.XXXXXX)
trap 'bench_stop_server; rm -rf "$work"' EXIT

# Question ids to answer: a sample of the store's own, unless given.
if [[ -n "$ids" ]]; then
  cp "$ids" "$work/ids.txt"
else
  python3 - "$store" "$work/ids.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
with open(sys.argv[2], "w") as out:
    for (qid,) in db.execute("SELECT id FROM questions ORDER BY random() LIMIT 20000"):
        out.write(qid + "\n")
PY
fi

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_once() {
  local label=$1 binary=$2 dir="$work/run"
  rm -rf "$dir"; mkdir -p "$dir"
  bench_copy_store "$store" "$dir/store.db"
  bench_start_server "$binary" "$dir/store.db" "$dir/server.log"
  TB_MODE=session TB_USERS="$dir/users" TB_OUT="$dir/session.json" \
    wrk -t2 -c32 -d"${duration}s" -s "$lua" "$url" >/dev/null
  local before after
  before=$(cpu_ticks "$server_pid")
  TB_MODE=submit TB_USERS="$dir/users" TB_IDS="$work/ids.txt" TB_OUT="$dir/submit.json" \
    wrk -t2 -c32 -d"${duration}s" -s "$lua" "$url" >/dev/null
  after=$(cpu_ticks "$server_pid")
  bench_stop_server
  python3 - "$label" "$dir" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import json, sys
label, d, before, after, hz = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
last = lambda f: json.loads(open(f"{d}/{f}").read().splitlines()[-1])
s, r = last("session.json"), last("submit.json")
cpu_us = (after - before) / hz * 1e6 / max(1, r["requests"])
print(f"{label}: session {s['rps']:,.0f}/s; submit {r['rps']:,.0f}/s, p50 {r['p50_us'] / 1000:.2f} ms, "
      f"p99 {r['p99_us'] / 1000:.2f} ms, server CPU {cpu_us:.0f} us/request "
      f"(non-2xx {r['non_2xx']}, users reused {r['users_reused']})")
PY
}

for round in $(seq 1 "$rounds"); do
  run_once "round $round A" "$1"
  if [[ $# -ge 2 ]]; then run_once "round $round B" "$2"; fi
done
