#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds, and
# runs TruthByte on the embedded store with the bundled starter questions.
# The store is ./truthbyte.db unless TRUTHBYTE_STORE says otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh release truthbyte >/dev/null
tb=./build/truthbyte

$tb init
$tb import --starter
echo
$tb categories
echo
$tb daily
