#!/usr/bin/env python3
"""The TruthByte benchmark: import, the HTTP API under wrk, pool sizes.

Run it through bench/run.sh, which builds the Release binaries first.
Everything it writes goes to bench/work/ (data, databases, logs) and
bench/results/ (the figures as JSON, the plot as SVG).

Steps:
  1. data: `truthbyte gen-questions N` (1,000,000 by default), plus the real
     sets in ../shared/data/truthbyte/;
  2. import: the generated file into a fresh SQLite store (timed:
     questions/s), then the real sets; smaller pools (first K generated
     questions) for the pool-size comparison;
  3. the server on the full store: RSS after loading, then wrk (-t2 -c32)
     over /health (the floor), fetch-questions (general, a category, a
     category and difficulty), fetch-daily-questions, categories, session,
     submit-answers (7 answers a request, each request a new user, so every
     answer is recorded); each endpoint's ratio to /health in this run;
  4. pool sizes: one server per pool, fetch-questions measured in
     alternating rounds, medians; latency at 1,000,000 over 10,000;
  5. the micro-benchmarks (Google Benchmark), when built.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "wrk" / "endpoint.lua"


def log(message):
    print(message, flush=True)


def run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def count_lines(path):
    with open(path, "rb") as f:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


# ---------------------------------------------------------------- data


def generate(binary, work, n):
    path = work / f"gen-{n}.jsonl"
    if path.exists() and count_lines(path) == n:
        log(f"data: reusing {path.name}")
        return path
    log(f"data: gen-questions {n:,}")
    run([binary, "gen-questions", str(n), "--out", str(path)])
    return path


def head(src, dst, n):
    if dst.exists() and count_lines(dst) == n:
        return dst
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        for i, line in enumerate(fin):
            if i >= n:
                break
            fout.write(line)
    return dst


def fresh_store(db):
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(db) + suffix)
        if p.exists():
            p.unlink()
    return f"sqlite:{db}"


def timed_import(binary, store, files):
    start = time.monotonic()
    out = subprocess.run([binary, "--store", store, "import", *map(str, files)], check=True, capture_output=True,
                         text=True)
    return time.monotonic() - start, out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


# ---------------------------------------------------------------- server


class Server:
    def __init__(self, binary, store, log_path, threads):
        self.log_path = log_path
        self.log_file = open(log_path, "w")
        start = time.monotonic()
        self.proc = subprocess.Popen(
            [binary, "--store", store, "serve", "--host", "127.0.0.1", "--port", "0", "--threads", str(threads),
             "--user-rate-limit", "1000000000", "--session-rate-limit", "1000000000"],
            stdout=subprocess.PIPE, stderr=self.log_file, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            self.stop()
            raise RuntimeError(f"server did not start: {line!r} (see {log_path})")
        self.port = int(match.group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        self.startup_s = time.monotonic() - start
        self.questions = json.loads(self.get("/ready"))["questions"]

    def get(self, path, headers=None):
        req = urllib.request.Request(self.base + path, headers=headers or {})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.read().decode()

    def rss_mb(self):
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
        hwm = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
        return rss / 1024, hwm / 1024

    def cpu_seconds(self):
        """User plus system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def metric(self, name):
        """A counter of /metrics (0 when absent)."""
        m = re.search(rf"^{re.escape(name)} ([0-9.e+]+)$", self.get("/metrics"), re.M)
        return float(m.group(1)) if m else 0.0

    def session(self):
        user = str(uuid.uuid4())
        body = json.loads(self.get("/v1/session", {"X-User-ID": user}))
        return user, body["access_token"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log_file.close()


# ---------------------------------------------------------------- wrk


def wrk(server, args, env, duration):
    out = args.work / "wrk-summary.jsonl"
    if out.exists():
        out.unlink()
    full_env = dict(os.environ, TB_OUT=str(out), **env)
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s",
           "-s", str(LUA), server.base]
    commits = ("truthbyte_sqlite_commits_total", "truthbyte_sqlite_committed_writes_total")
    commits_before = [server.metric(m) for m in commits]
    cpu_before = server.cpu_seconds()
    result = subprocess.run(cmd, env=full_env, capture_output=True, text=True)
    cpu = server.cpu_seconds() - cpu_before
    commits_after = [server.metric(m) for m in commits]
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(f"wrk failed: {result.stderr or result.stdout}")
    summary = json.loads(out.read_text().strip().splitlines()[-1])
    # Server CPU per request: steadier than requests/s on a shared machine.
    summary["server_cpu_us"] = cpu / max(1, summary["requests"]) * 1e6
    # Group commit: how many writes each SQLite commit carried.
    n_commits = commits_after[0] - commits_before[0]
    summary["writes_per_commit"] = (commits_after[1] - commits_before[1]) / n_commits if n_commits else 0.0
    summary["p50_ms"] = summary["p50_us"] / 1000
    summary["p99_ms"] = summary["p99_us"] / 1000
    return summary


def fetch_env(user, token, path):
    return {"TB_MODE": "get", "TB_PATH": path, "TB_USER": user, "TB_TOKEN": token}


# ---------------------------------------------------------------- output


def fmt_row(cols, widths):
    return "  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(cols, widths)))


def svg_plot(points, path):
    """Latency (p50 and p99) of fetch-questions against pool size, log x."""
    import math
    w, h, left, right, top, bottom = 640, 360, 70, 20, 30, 50
    xs = [math.log10(p["pool"]) for p in points]
    ymax = max(p["p99_ms"] for p in points) * 1.25 or 1
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    if x1 == x0:
        x1 = x0 + 1

    def px(x):
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def py(y):
        return h - bottom - y / ymax * (h - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" '
             f'font-size="12"><rect width="100%" height="100%" fill="white"/>',
             f'<text x="{w / 2}" y="18" text-anchor="middle" font-size="14">fetch-questions latency against pool '
             f'size (wrk -c32)</text>',
             f'<line x1="{left}" y1="{h - bottom}" x2="{w - right}" y2="{h - bottom}" stroke="black"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{h - bottom}" stroke="black"/>']
    for e in range(x0, x1 + 1):
        parts.append(f'<text x="{px(e)}" y="{h - bottom + 18}" text-anchor="middle">{10 ** e:,}</text>')
        parts.append(f'<line x1="{px(e)}" y1="{h - bottom}" x2="{px(e)}" y2="{h - bottom + 5}" stroke="black"/>')
    for i in range(6):
        y = ymax * i / 5
        parts.append(f'<text x="{left - 8}" y="{py(y) + 4}" text-anchor="end">{y:.2f}</text>')
        parts.append(f'<line x1="{left}" y1="{py(y)}" x2="{w - right}" y2="{py(y)}" stroke="#ddd"/>')
    parts.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">questions in the pool</text>')
    parts.append(f'<text x="16" y="{h / 2}" text-anchor="middle" transform="rotate(-90 16 {h / 2})">latency (ms)'
                 f'</text>')
    for key, colour in (("p50_ms", "#1f77b4"), ("p99_ms", "#d62728")):
        pts = " ".join(f"{px(x)},{py(p[key])}" for x, p in zip(xs, points))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, p in zip(xs, points):
            parts.append(f'<circle cx="{px(x)}" cy="{py(p[key])}" r="3.5" fill="{colour}"/>')
    parts.append(f'<text x="{w - right - 90}" y="{top + 10}" fill="#d62728">p99</text>')
    parts.append(f'<text x="{w - right - 50}" y="{top + 10}" fill="#1f77b4">p50</text>')
    parts.append("</svg>\n")
    path.write_text("\n".join(parts))


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build-bench" / "truthbyte"))
    parser.add_argument("--micro", default=str(ROOT / "build-bench" / "bench" / "micro" / "truthbyte_micro_bench"))
    parser.add_argument("--shared", default=str(ROOT.parent / "shared" / "data" / "truthbyte"))
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--questions", type=int, default=1_000_000, help="generated questions (default 1,000,000)")
    parser.add_argument("--pools", default="1000,10000,100000", help="smaller pools for the pool-size comparison")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per endpoint")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds for the pool-size comparison")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--server-threads", type=int, default=0, help="0: one per core")
    parser.add_argument("--skip-micro", action="store_true")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        sys.exit("bench: wrk is not installed (apt-get install wrk)")
    args.work.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    binary = args.binary
    shared = Path(args.shared)
    real_sets = sorted(shared.glob("*.jsonl"))
    results = {"machine": {"cores": os.cpu_count(), "uname": os.uname().release}, "args": {
        "questions": args.questions, "duration_s": args.duration, "connections": args.connections,
        "wrk_threads": args.wrk_threads}}

    # 1-2. data and import
    generated = generate(binary, args.work, args.questions)
    main_db = args.work / "main.db"
    store = fresh_store(main_db)
    run([binary, "--store", store, "init"], capture_output=True)
    seconds, summary = timed_import(binary, store, [generated])
    rate = args.questions / seconds
    log(f"import: {args.questions:,} generated questions in {seconds:.2f} s = {rate:,.0f} questions/s ({summary})")
    real_seconds, real_summary = timed_import(binary, store, real_sets) if real_sets else (0, "no real sets")
    log(f"import: real sets {', '.join(p.name for p in real_sets)} in {real_seconds:.2f} s ({real_summary})")
    db_mb = main_db.stat().st_size / 1e6
    results["import"] = {"questions": args.questions, "seconds": seconds, "questions_per_s": rate,
                         "db_mb": db_mb, "real_sets_seconds": real_seconds}

    pools = [int(p) for p in args.pools.split(",") if p]
    pool_stores = {}
    for k in pools:
        db = args.work / f"pool-{k}.db"
        s = fresh_store(db)
        timed_import(binary, s, [head(generated, args.work / f"gen-{k}.jsonl", k)])
        pool_stores[k] = s

    # 3. the endpoints on the full store
    server = Server(binary, store, args.work / "server-main.log", args.server_threads)
    servers = [server]
    try:
        rss, hwm = server.rss_mb()
        log(f"server: {server.questions:,} questions loaded in {server.startup_s:.2f} s; RSS {rss:,.0f} MB "
            f"(peak {hwm:,.0f} MB)")
        results["server"] = {"questions": server.questions, "startup_s": server.startup_s, "rss_mb": rss,
                             "peak_rss_mb": hwm}
        user, token = server.session()
        categories = json.loads(server.get("/v1/categories"))["categories"]
        names = [c["name"] if isinstance(c, dict) else c for c in categories]
        category = next((n for n in names if n != "general"), "general")
        ids_file = args.work / "ids.txt"
        with open(generated) as f, open(ids_file, "w") as out:
            for i, line in enumerate(f):
                if i >= 20000:
                    break
                out.write(json.loads(line)["id"] + "\n")
        users_prefix = str(args.work / "users")

        d = args.duration
        plan = [
            ("/health", "health", {"TB_MODE": "get", "TB_PATH": "/health"}, "floor"),
            ("fetch-questions (general)", "read", fetch_env(user, token, "/v1/fetch-questions"), None),
            (f"fetch-questions ({category})", "read",
             fetch_env(user, token, f"/v1/fetch-questions?category={category}"), None),
            (f"fetch-questions ({category}, difficulty 3)", "read",
             fetch_env(user, token, f"/v1/fetch-questions?category={category}&difficulty=3"), None),
            ("fetch-daily-questions", "read", fetch_env(user, token, "/v1/fetch-daily-questions"), None),
            ("categories", "read", fetch_env(user, token, "/v1/categories"), None),
            ("session (new user)", "write", {"TB_MODE": "session", "TB_USERS": users_prefix}, None),
            ("submit-answers (7, new user)", "write",
             {"TB_MODE": "submit", "TB_USERS": users_prefix, "TB_IDS": str(ids_file)}, None),
        ]
        for t in range(1, args.wrk_threads + 1):
            Path(f"{users_prefix}.{t}").unlink(missing_ok=True)
        rows = []
        health = None
        for name, kind, env, _ in plan:
            # Sessions run longer than submits so that every submit has a new user.
            duration = d * 2 if env.get("TB_MODE") == "session" else d
            r = wrk(server, args, env, duration)
            r.update(name=name, kind=kind)
            if kind == "health":
                health = r
            r["ratio"] = r["rps"] / health["rps"]
            rows.append(r)
            log(f"  {name}: {r['rps']:,.0f} req/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                f"ratio {r['ratio']:.2f}, server CPU {r['server_cpu_us']:.1f} us/request, non-2xx {r['non_2xx']}, "
                f"socket errors {r['socket_errors']}")
        results["endpoints"] = rows
        rss, hwm = server.rss_mb()
        results["server"].update(rss_after_mb=rss, peak_rss_after_mb=hwm)

        # 4. pool sizes (the full store is the largest pool)
        pool_servers = {args.questions: server}
        for k, s in pool_stores.items():
            pool_servers[k] = Server(binary, s, args.work / f"server-pool-{k}.log", args.server_threads)
            servers.append(pool_servers[k])
        samples = {k: [] for k in pool_servers}
        for _ in range(args.rounds):
            for k, srv in sorted(pool_servers.items()):
                u, tk = srv.session()
                samples[k].append(wrk(srv, args, fetch_env(u, tk, "/v1/fetch-questions"), max(3, d // 2)))
        points = []
        for k in sorted(samples):
            runs = samples[k]
            points.append({"pool": pool_servers[k].questions, "generated": k,
                           "rps": statistics.median(r["rps"] for r in runs),
                           "p50_ms": statistics.median(r["p50_ms"] for r in runs),
                           "p99_ms": statistics.median(r["p99_ms"] for r in runs),
                           "cpu_us": statistics.median(r["server_cpu_us"] for r in runs),
                           "rss_mb": pool_servers[k].rss_mb()[0]})
        results["pools"] = points
    finally:
        for s in servers:
            s.stop()

    # 5. micro-benchmarks
    micro = Path(args.micro)
    if not args.skip_micro and micro.exists():
        out = subprocess.run([str(micro), "--benchmark_format=json", "--benchmark_min_time=0.2"],
                             capture_output=True, text=True)
        if out.returncode == 0:
            data = json.loads(out.stdout)
            results["micro"] = [{"name": b["name"], "ns": b["real_time"] if b.get("time_unit") == "ns" else
                                 b["real_time"] * {"us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]}
                                for b in data["benchmarks"]]

    # report
    log("\n== TruthByte benchmark")
    log(f"machine: {os.cpu_count()} cores, wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration}s on "
        f"loopback, sharing the cores with the server")
    imp = results["import"]
    log(f"import: {imp['questions']:,} questions in {imp['seconds']:.2f} s = {imp['questions_per_s']:,.0f}/s "
        f"(target >= 50,000/s: {'met' if imp['questions_per_s'] >= 50000 else 'NOT met'}); "
        f"database {imp['db_mb']:,.0f} MB")
    srv = results["server"]
    log(f"server: {srv['questions']:,} questions, loaded in {srv['startup_s']:.1f} s, RSS {srv['rss_mb']:,.0f} MB "
        f"after loading (target < 1,536 MB: {'met' if srv['rss_mb'] < 1536 else 'NOT met'}), "
        f"{srv['rss_after_mb']:,.0f} MB after the run")
    widths = [44, 10, 9, 9, 8, 10, 8]
    log("")
    log(fmt_row(["endpoint", "req/s", "p50 ms", "p99 ms", "ratio", "CPU us/req", "target"], widths))
    for r in results["endpoints"]:
        if r["kind"] == "read":
            ok = r["ratio"] >= 0.6 and r["p99_ms"] < 5
        elif r["name"].startswith("submit"):
            ok = r["ratio"] >= 0.3
        else:
            ok = None
        verdict = "" if ok is None else ("met" if ok else "NOT met")
        if r["non_2xx"] or r["socket_errors"]:
            verdict += f" ({r['non_2xx']} non-2xx, {r['socket_errors']} socket errors)"
        if r.get("users_reused"):
            verdict += f" (users reused {r['users_reused']}x)"
        if r["kind"] == "write" and r.get("writes_per_commit"):
            verdict += f" ({r['writes_per_commit']:.1f} writes a commit)"
        log(fmt_row([r["name"], f"{r['rps']:,.0f}", f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}",
                     f"{r['ratio']:.2f}", f"{r['server_cpu_us']:.1f}", verdict], widths))
    log("")
    log(fmt_row(["pool (fetch-questions, general)", "req/s", "p50 ms", "p99 ms", "RSS MB", "CPU us/req"], widths[:6]))
    for p in results["pools"]:
        log(fmt_row([f"{p['pool']:,}", f"{p['rps']:,.0f}", f"{p['p50_ms']:.2f}", f"{p['p99_ms']:.2f}",
                     f"{p['rss_mb']:,.0f}", f"{p['cpu_us']:.1f}"], widths[:6]))
    by_gen = {p["generated"]: p for p in results["pools"]}
    if 10000 in by_gen and args.questions in by_gen:
        big, small = by_gen[args.questions], by_gen[10000]
        ratio50 = big["p50_ms"] / small["p50_ms"]
        ratio99 = big["p99_ms"] / small["p99_ms"]
        results["pool_ratio"] = {"p50": ratio50, "p99": ratio99}
        log(f"latency at {big['pool']:,} over {small['pool']:,}: p50 {ratio50:.2f}x, p99 {ratio99:.2f}x "
            f"(target <= 1.2x: {'met' if ratio50 <= 1.2 else 'NOT met'})")
    if "micro" in results:
        log("")
        log("micro-benchmarks (ns per operation):")
        for b in results["micro"]:
            log(f"  {b['name']:<60} {b['ns']:>12,.0f}")

    (args.results / "latest.json").write_text(json.dumps(results, indent=2) + "\n")
    svg_plot(results["pools"], args.results / "latency-vs-pool.svg")
    log(f"\nresults: {args.results / 'latest.json'}; plot: {args.results / 'latency-vs-pool.svg'}")


if __name__ == "__main__":
    main()
