"""Loading speed: articles per second into a fresh SQLite database.

Usage: python benchmarks/bench_load.py [--articles N] [--workers W] [--reanalyze] [--profile]

Writes N news-length seed files (default 1,000: the evaluation corpora's articles, each
copy with a headline of its own, so an address of its own) into a temporary folder, then
times `load-seeds` as the command line runs it (parse, analyse, render, store) into a
fresh SQLite database, and prints articles per second and the CPU time per article of the
storing process and of the worker processes; --reanalyze then times `reanalyze` of them
all, --profile prints where the storing process spends its time.
This is a timing script, not a test: nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from webapp import create_app, library  # noqa: E402

SOURCES = sorted((PROJECT / "tests").glob("*/*.txt"))


def write_seeds(folder: Path, count: int) -> int:
    """Write count seed files into folder; return their words."""
    words = 0
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^(##.*)$", rf"\1 ({number})", text, count=1, flags=re.MULTILINE)
        (folder / f"{number:05d}-{source.name}").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def main() -> int:
    """Write the seeds, load them, print the speed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--workers", type=int, help="LOAD_WORKERS (default: one per core)")
    parser.add_argument("--reanalyze", action="store_true", help="then time `reanalyze` too")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        seeds = Path(work) / "seeds"
        seeds.mkdir()
        words = write_seeds(seeds, options.articles)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(work) / 'load.sqlite'}",
                "SEEDS_DIR": str(Path(work) / "none"),
                "INSTANCE_PATH": str(Path(work) / "instance"),
                **({"LOAD_WORKERS": options.workers} if options.workers else {}),
            }
        )
        with app.app_context():
            profile = cProfile.Profile() if options.profile else None
            own_before = resource.getrusage(resource.RUSAGE_SELF)
            start = time.perf_counter()
            if profile:
                profile.enable()
            report = library.load_seeds(seeds)
            if profile:
                profile.disable()
            elapsed = time.perf_counter() - start
            own = resource.getrusage(resource.RUSAGE_SELF)
            workers = resource.getrusage(resource.RUSAGE_CHILDREN)
            again = None
            if options.reanalyze:
                start_again = time.perf_counter()
                library.reanalyze()
                again = time.perf_counter() - start_again
        print(f"{options.articles} articles, {words / options.articles:.0f} words each on average")
        print(report.summary())
        print(f"{elapsed:.2f} s: {options.articles / elapsed:.0f} articles/s")
        per_article = 1000 / options.articles
        print(
            "CPU per article: "
            f"storing process {_cpu(own, own_before) * per_article:.1f} ms,"
            f" worker processes {_cpu(workers) * per_article:.1f} ms"
        )
        if again is not None:
            print(f"reanalyze: {again:.2f} s: {options.articles / again:.0f} articles/s")
        if profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


def _cpu(usage: resource.struct_rusage, before: resource.struct_rusage | None = None) -> float:
    """Return the CPU seconds (user and system) of usage, less those of before."""
    spent = usage.ru_utime + usage.ru_stime
    return spent - (before.ru_utime + before.ru_stime if before else 0.0)


if __name__ == "__main__":
    raise SystemExit(main())
