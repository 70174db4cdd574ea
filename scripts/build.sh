#!/usr/bin/env bash
# Builds TruthByte. Usage: scripts/build.sh [release|sanitize] (default release).
# release  -> build/        (Release, what you run and benchmark)
# sanitize -> build-asan/   (Debug with AddressSanitizer and UBSan)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

kind="${1:-release}"
case "$kind" in
  release)  dir=build;      flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  sanitize) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DTRUTHBYTE_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh [release|sanitize]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" "${@:2}"
