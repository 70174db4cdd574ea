#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds, and
# serves the game (/), the moderation page (/admin) and the API on the
# embedded store with the bundled starter questions (imported on first
# run). The store is ./truthbyte.db unless TRUTHBYTE_STORE says otherwise;
# extra arguments go to `truthbyte serve` (e.g. --port 9000). Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release truthbyte >/dev/null
exec ./build/truthbyte serve --demo "$@"
