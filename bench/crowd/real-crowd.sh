#!/usr/bin/env bash
# A real crowd through the product: RTE or TEMP (../shared/data/crowd) mapped
# to questions and answers, imported into a fresh SQLite store with
# `truthbyte import` and `import --what answers`, analysed with `truthbyte
# crowd analyze`, and the disputed list scored against the labels this
# script flipped on purpose.
#
#   bash bench/crowd/real-crowd.sh [--data rte|temp] [--corrupt SHARE] [--seed N] [BINARY]
#
# Prints the import throughput of the answers and the precision and recall
# of the disputed list (docs/CROWD.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
data=rte corrupt=0.1 seed=42 bin=build/truthbyte
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --corrupt) corrupt=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) bin=$1; shift ;;
  esac
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$data" "$corrupt" "$seed" "$work" <<'PY'
import csv, html, json, random, sys
data, corrupt, seed, work = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rows = list(csv.DictReader(open(f"../shared/data/crowd/{data}.standardized.csv", encoding="utf-8")))
truthy = lambda v: v in ("1", "after")
items, gold = {}, {}
for r in rows:
    items.setdefault(r["orig_id"], r)
    gold[r["orig_id"]] = truthy(r["gold"])
rng = random.Random(seed)
flipped = []
with open(f"{work}/questions.jsonl", "w") as q:
    for item, r in items.items():
        label = gold[item]
        if rng.random() < corrupt:
            label = not label
            flipped.append(f"{data}-{item}")
        text = html.unescape(r.get("hypothesis") or f"Event {item}: does the first event come after the second?")
        passage = html.unescape(r.get("text") or "")
        q.write(json.dumps({"id": f"{data}-{item}", "question": text[:1000], "passage": passage[:50000],
                            "answer": label, "categories": [data]}) + "\n")
with open(f"{work}/answers.jsonl", "w") as a:
    for r in rows:
        a.write(json.dumps({"user_id": "mturk-" + r["!amt_worker_ids"], "question_id": f"{data}-{r['orig_id']}",
                            "answer": truthy(r["response"])}) + "\n")
json.dump(flipped, open(f"{work}/flipped.json", "w"))
PY
store="sqlite:$work/crowd.db"
"$bin" --store "$store" import "$work/questions.jsonl" >/dev/null
start=$(date +%s.%N)
"$bin" --store "$store" import --what answers "$work/answers.jsonl"
end=$(date +%s.%N)
"$bin" --store "$store" crowd analyze --json >"$work/analysis.json"
python3 - "$work" "$start" "$end" "$data" "$corrupt" <<'PY'
import json, sys
work, start, end, data, corrupt = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
analysis = json.load(open(f"{work}/analysis.json"))
flipped = set(json.load(open(f"{work}/flipped.json")))
disputed = {q["question_id"] for q in analysis["disputed_questions"]}
tp = len(disputed & flipped)
print(f"{data}: {analysis['answers']} answers imported in {float(end) - float(start):.2f} s "
      f"({analysis['answers'] / (float(end) - float(start)):,.0f}/s)")
print(f"{data}, {float(corrupt) * 100:.0f}% of labels flipped ({len(flipped)}), label prior {analysis['label_prior']}: "
      f"disputed {len(disputed)}, of them flipped {tp}; precision {tp / max(1, len(disputed)):.3f}, "
      f"recall {tp / max(1, len(flipped)):.3f}")
PY
