#!/usr/bin/env bash
# The whole test suite: builds Release and the sanitizer build, and runs
# every test (unit, store conformance on SQLite and dynalite, DynamoDB
# protocol, CLI, end-to-end, the game in headless Chromium) in both.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"

for kind in release sanitize; do
  dir=build; select=()
  # The sanitizer pass runs the end-to-end suite once (on SQLite); the
  # Release pass runs it on both engines.
  [ "$kind" = sanitize ] && dir=build-asan && select=(-LE e2e_dynalite)
  echo "== $kind build"
  bash scripts/build.sh "$kind"
  echo "== $kind tests"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs" "${select[@]}"
done
echo "All tests passed."
