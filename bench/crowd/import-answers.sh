#!/usr/bin/env bash
# Throughput of `truthbyte import --what answers` (docs/CROWD.md, "Speed"):
# generated questions imported into a fresh SQLite store, then a JSON Lines
# file of answers to them (each player answering distinct questions, so
# that none is a duplicate) imported and timed, whole process; then
# `crowd analyze` over the store (every answer read, one fit), timed too.
#
#   bash bench/crowd/import-answers.sh [--answers N] [--questions N] [BINARY]
#
# Defaults: 1,000,000 answers by 10,000 players (100 each) to 100,000
# questions. Work files go to a temporary directory, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
answers=1000000 questions=100000 bin=build/truthbyte
while [ $# -gt 0 ]; do
  case "$1" in
    --answers) answers=$2; shift 2 ;;
    --questions) questions=$2; shift 2 ;;
    *) bin=$1; shift ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
store="sqlite:$work/answers.db"
"$bin" gen-questions "$questions" --out "$work/questions.jsonl"
"$bin" --store "$store" import "$work/questions.jsonl" >/dev/null
python3 - "$answers" "$questions" "$work/answers.jsonl" <<'PY'
import json, random, sys
answers, questions, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
per_player = min(100, questions)
rng = random.Random(1)
with open(path, "w") as out:
    for i in range(answers):
        player, k = divmod(i, per_player)
        # Player p answers questions p*per_player + k (mod the catalog): distinct for one player.
        q = (player * per_player + k) % questions
        out.write(json.dumps({"user_id": f"bench-{player}", "question_id": f"gen-{q:07d}",
                              "answer": rng.random() < 0.5, "timestamp": 1700000000 + i}) + "\n")
PY
size=$(du -m "$work/answers.jsonl" | cut -f1)
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB max RSS" \
  "$bin" --store "$store" import --what answers "$work/answers.jsonl" 2>"$work/time" | tail -n 1
db=$(du -m "$work/answers.db" | cut -f1)
/usr/bin/time -f "%e s wall, %U s user, %S s system, %M KB max RSS" \
  "$bin" --store "$store" crowd analyze --json >"$work/analysis.json" 2>"$work/analyze-time"
python3 - "$answers" "$size" "$db" "$work" <<'PY'
import json, sys
answers, size, db, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
last = lambda name: open(f"{work}/{name}").read().strip().splitlines()[-1]
line = last("time")
print(f"{answers:,} answers ({size} MB of JSON Lines) imported in {line}: "
      f"{answers / float(line.split()[0]):,.0f} answers/s; store {db} MB")
analysis = json.load(open(f"{work}/analysis.json"))
print(f"crowd analyze: {analysis['answers']:,} answers, {analysis['players']:,} players, "
      f"{analysis['questions']:,} questions in {last('analyze-time')}; the fit {analysis['seconds'] * 1000:.0f} ms "
      f"({analysis['iterations']} iterations)")
PY
