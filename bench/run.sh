#!/usr/bin/env bash
# The benchmark, in one command: builds Release (with the micro-benchmarks)
# in build-bench/, generates 1,000,000 questions, imports them with the real
# sets, drives the server with wrk and prints the figures.
#   bash bench/run.sh [--questions N] [--duration S] [--rounds R] ...
# (bench/bench.py --help lists the options). Data, databases and logs go to
# bench/work/; the figures to bench/results/latest.json and the plot to
# bench/results/latency-vs-pool.svg.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
command -v wrk >/dev/null || apt-get install -y --no-install-recommends wrk >/dev/null
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTRUTHBYTE_TESTS=OFF -DTRUTHBYTE_BENCH=ON >/dev/null
ninja -C build-bench
exec python3 bench/bench.py "$@"
