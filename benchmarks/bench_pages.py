"""Requests per second over HTTP: Voices' pages against a one-line Flask "hello" app.

Usage: python benchmarks/bench_pages.py [--articles N] [--seconds S] [--runs R]

Starts gunicorn twice with the same settings (2 sync workers, the packaged configuration):
once on a "hello" app, once on Voices with a fresh SQLite database holding N articles
(default 1, and 10,000 with --articles 10000: copies of the test seeds, loaded once). Then
runs wrk (Debian's package: apt-get install wrk) R times (default 3) for S seconds
(default 5) at 8 and at 64 connections on each URL, taking turns with hello, as a browser
asks (accepting gzip). It prints the median requests per second and p99 latency of the
runs, the errors of all of them, and the ratios to hello's medians: on a shared machine a
single run can be off by half. This is a timing script, not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SEEDS = sorted((PROJECT / "tests" / "corpus").glob("*.txt"))
HELLO = """from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
"""


# As browsers ask: every one accepts gzip (sent to hello too, which is too small to compress).
HEADERS = ["-H", "Accept-Encoding: gzip, deflate, br"]


def free_port() -> int:
    """Return a TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(app: str, cwd: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start gunicorn with the packaged configuration; return it and its base URL."""
    port = free_port()
    config = PROJECT / "webapp" / "gunicorn.conf.py"
    command = [sys.executable, "-m", "gunicorn", "-c", str(config), app]
    settings = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", "ACCESS_LOG": ""}
    process = subprocess.Popen(
        command, cwd=cwd, env=settings, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn on {app} did not answer")


def wrk(url: str, connections: int, seconds: int) -> tuple[float, float, int]:
    """Run wrk; return requests per second, the p99 latency in ms, and errors."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *HEADERS, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\b", out, re.MULTILINE)
    latency = float(p99.group(1)) * UNITS[p99.group(2)] if p99 else float("nan")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    return rps, latency, errors


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def main() -> int:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "hello.py").write_text(HELLO, encoding="utf-8")
        seeds = work / "seeds"
        seeds.mkdir()
        for number in range(options.articles):
            source = SEEDS[number % len(SEEDS)]
            text = source.read_text(encoding="utf-8")
            if number >= len(SEEDS):  # a copy: a title of its own, so an address of its own
                text = re.sub(r"^(##.*)$", rf"\1 {number}", text, count=1, flags=re.MULTILINE)
            (seeds / f"{number:05d}-{source.name}").write_text(text, encoding="utf-8")
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite'}",
            "SEEDS_DIR": str(seeds),
            "GUNICORN_TIMEOUT": "3600",
        }
        print(f"loading {options.articles} articles ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "webapp", "load-seeds"],
            cwd=PROJECT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # the copies' warnings; a failure still stops here
        )
        slug = urllib.parse.quote(_first_slug(work / "bench.sqlite"))
        hello, hello_base = start("hello:app", work, dict(os.environ))
        voices, base = start("wsgi:app", PROJECT, env)
        try:
            paths = ("/", f"/articles/{slug}", "/api/articles")
            print(
                f"{'url':<28} {'conns':>5} {'req/s':>8} {'p99 ms':>8} {'errors':>6}"
                f" {'x hello':>8} {'p99 x':>6}"
            )
            for connections in (8, 64):
                # Turns: hello, every page, hello again, R times; medians of each.
                runs: dict[str, list[tuple[float, float, int]]] = {}
                for _ in range(options.runs):
                    for name, url in [("hello", hello_base + "/")] + [
                        (path, base + path) for path in paths
                    ]:
                        runs.setdefault(name, []).append(wrk(url, connections, options.seconds))
                    runs["hello"].append(wrk(hello_base + "/", connections, options.seconds))
                table = {
                    name: (
                        statistics.median(r[0] for r in results),
                        statistics.median(r[1] for r in results),
                        sum(r[2] for r in results),
                    )
                    for name, results in runs.items()
                }
                reference, reference_p99, _ = table["hello"]
                for name, (rps, p99, errors) in table.items():
                    ratios = (
                        f" {rps / reference:>8.2f} {p99 / reference_p99:>6.2f}"
                        if name != "hello"
                        else ""
                    )
                    print(
                        f"{name[:28]:<28} {connections:>5} {rps:>8.0f} {p99:>8.2f} {errors:>6}"
                        + ratios
                    )
        finally:
            for process in (hello, voices):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
    return 0


def _first_slug(database: Path) -> str:
    """Return the slug of the first article stored."""
    import sqlite3

    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT slug FROM articles ORDER BY id LIMIT 1").fetchone()[0]


if __name__ == "__main__":
    raise SystemExit(main())
