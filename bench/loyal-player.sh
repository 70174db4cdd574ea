#!/usr/bin/env bash
# fetch-daily-questions for a player with a year of daily history (365
# completed days, about 375 KB of results), against a copy of a store, for
# one or more builds in turn:
#
#   bash bench/loyal-player.sh [--store DB] [--days N] BINARY [BINARY ...]
#
# --store defaults to bench/work/pool-100000.db (made by bench/run.sh). The
# history is written into the copy with SQL before the server starts: into
# users.daily_progress, and into daily_results where the schema has it
# (version 3 on). Prints requests/s, p50 and p99 of wrk -t2 -c32 -d5s.
# A build refuses a store of a newer schema than its own: to compare with
# an older build, make the store with the oldest of them.
set -euo pipefail
cd "$(dirname "$0")/.."
store=bench/work/pool-100000.db
days=365
while [[ $# -gt 0 ]]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    -h|--help) sed -n 2,14p "$0"; exit 0 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { echo "usage: bench/loyal-player.sh [--store DB] [--days N] BINARY [BINARY ...]" >&2; exit 2; }
[[ -f "$store" ]] || { echo "no store $store: run bash bench/run.sh first, or give --store" >&2; exit 1; }
source bench/lib.sh

lua="$PWD/bench/wrk/endpoint.lua"
user=22222222-2222-4222-8222-222222222222
work=$(mktemp -d /tmp/truthbyte-loyal.XXXXXX)
trap 'bench_stop_server; rm -rf "$work"' EXIT

for binary in "$@"; do
  bench_copy_store "$store" "$work/store.db"
  python3 - "$work/store.db" "$user" "$days" <<'PY'
import datetime, json, random, sqlite3, sys
path, user, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(1)
first = datetime.date.today() - datetime.timedelta(days=days + 1)
progress = {}
for i in range(days):
    date = (first + datetime.timedelta(days=i)).isoformat()
    progress[date] = {
        "completed": True, "score": 70.0, "rank": "B", "correct_count": 7, "total_questions": 10,
        "answers": [{"question_id": f"gen-{random.randrange(10**6):07d}", "answer": bool(random.getrandbits(1)),
                     "is_correct": bool(random.getrandbits(1)), "timestamp": 1.7e9 + i * 86400 + k}
                    for k in range(10)],
        "completed_at": date + "T12:00:00.000Z"}
db = sqlite3.connect(path)
db.execute("INSERT INTO users(user_id, created_at, last_active, current_daily_streak, best_daily_streak, "
           "last_counted_date, daily_progress) VALUES (?, ?, ?, ?, ?, ?, ?)",
           (user, first.isoformat() + "T00:00:00.000Z", first.isoformat() + "T00:00:00.000Z", days, days,
            (first + datetime.timedelta(days=days - 1)).isoformat(), json.dumps(progress, separators=(",", ":"))))
if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'daily_results'").fetchone():
    db.executemany("INSERT INTO daily_results(user_id, date, progress) VALUES (?, ?, ?)",
                   [(user, d, json.dumps(p, separators=(",", ":"))) for d, p in progress.items()])
db.commit()
PY
  bench_start_server "$binary" "$work/store.db" "$work/server.log"
  token=$(curl -s -H "X-User-ID: $user" "$url/v1/session" |
          python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  TB_MODE=get TB_PATH=/v1/fetch-daily-questions TB_TOKEN="$token" TB_USER="$user" TB_OUT="$work/out.json" \
    wrk -t2 -c32 -d5s -s "$lua" "$url" >/dev/null
  bench_stop_server
  python3 - "$binary" "$work/out.json" "$days" <<'PY'
import json, sys
r = json.loads(open(sys.argv[2]).read().splitlines()[-1])
print(f"{sys.argv[1]}: fetch-daily-questions, a player with {sys.argv[3]} days: {r['rps']:,.0f} requests/s, "
      f"p50 {r['p50_us'] / 1000:.2f} ms, p99 {r['p99_us'] / 1000:.2f} ms (non-2xx {r['non_2xx']})")
PY
done
