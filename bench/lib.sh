# Shared by the bench/*.sh scripts: wrk, and a server on a store of its own.
# Source it; it sets server_pid and url.

command -v wrk >/dev/null || apt-get install -y --no-install-recommends wrk >/dev/null

server_pid=
url=

# bench_start_server BINARY STORE_DB LOG: `truthbyte serve` on a free
# loopback port with the rate limits out of the way; waits for its URL.
bench_start_server() {
  "$1" --store "sqlite:$2" serve --host 127.0.0.1 --port 0 --threads 2 \
    --user-rate-limit 1000000000 --session-rate-limit 1000000000 >"$3" 2>&1 &
  server_pid=$!
  url=
  for _ in $(seq 1 240); do
    url=$(grep -o 'http://[0-9.]*:[0-9]*' "$3" | head -1 || true)
    [[ -n "$url" ]] && return 0
    sleep 0.25
  done
  echo "server did not start (see $3)" >&2
  exit 1
}

bench_stop_server() {
  [[ -n "$server_pid" ]] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

# bench_copy_store SOURCE DEST: the database with its WAL, if any.
bench_copy_store() {
  rm -f "$2" "$2-wal" "$2-shm"
  cp "$1" "$2"
  [[ -f "$1-wal" ]] && cp "$1-wal" "$2-wal"
  return 0
}
