#!/usr/bin/env bash
# Installs what TruthByte needs to build, test and benchmark, skipping what is
# already present: the Debian packages, and for the tests Node.js, Chromium
# and the npm packages of tests/package.json (dynalite, the DynamoDB-compatible
# server the DynamoDB tests run against; puppeteer-core, which drives
# /usr/bin/chromium in the browser tests). Needs root (or sudo) only when a
# Debian package is missing.
#
# Usage: scripts/install-deps.sh [--no-test-deps]
#   --no-test-deps (or TRUTHBYTE_TESTS=OFF): skip Node.js, Chromium and
#   tests/node_modules.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

test_deps=1
[ "${TRUTHBYTE_TESTS:-ON}" = OFF ] && test_deps=0
for arg in "$@"; do
  case "$arg" in
    --no-test-deps) test_deps=0 ;;
    *) echo "usage: scripts/install-deps.sh [--no-test-deps]" >&2; exit 2 ;;
  esac
done

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev nlohmann-json3-dev libsimdjson-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev libssl-dev
  libcli11-dev libspdlog-dev libfmt-dev libicu-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The tests start dynalite with node; Debian's nodejs and npm only when no
# node is installed at all (the machines may carry a newer one of their own).
if [ "$test_deps" = 1 ] && ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
# The browser tests run Debian's Chromium; puppeteer-core downloads none.
if [ "$test_deps" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing missing Debian packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The test-only npm packages, exactly as locked in tests/package-lock.json.
if [ "$test_deps" = 1 ] && { [ ! -f "$root/tests/node_modules/dynalite/cli.js" ] ||
                             [ ! -f "$root/tests/node_modules/puppeteer-core/package.json" ]; }; then
  echo "Installing the tests' npm packages (tests/package-lock.json)" >&2
  (cd "$root" && npm ci --prefix tests --no-audit --no-fund)
fi
