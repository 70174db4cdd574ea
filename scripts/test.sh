#!/usr/bin/env bash
# The whole test suite: builds Release and the sanitizer build, and runs
# every test (unit, store conformance, CLI) in both.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="$(nproc)"

for kind in release sanitize; do
  dir=build; [ "$kind" = sanitize ] && dir=build-asan
  echo "== $kind build"
  bash scripts/build.sh "$kind"
  echo "== $kind tests"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j "$jobs"
done
echo "All tests passed."
