"""Time the reader's pages on a big article: what a request costs once it is stored.

Usage: python benchmarks/bench_big_article.py [SIZE_IN_CHARACTERS]   (default 1,900,000)

Builds a seed of about SIZE characters from the evaluation corpus's paragraphs (shuffled
with random.Random(0)), loads it into a fresh SQLite database with the real engine (the
load time is printed: parsing, analysis, rendering and storing happen there, once), then
prints the milliseconds per request, best and median of RUNS, for the reading page, the
reading page answered 304 from its ETag, the article list and the JSON API.
This is a timing script, not a test: nothing here asserts anything.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from webapp import create_app  # noqa: E402
from webapp.seedfile import parse_seed  # noqa: E402

CORPUS = PROJECT / "tests" / "corpus"
RUNS = 20
DEFAULT_SIZE = 1_900_000


def big_seed(size: int) -> str:
    """Return a seed file of at least size characters made of corpus paragraphs."""
    pool = []
    for path in sorted(CORPUS.glob("*.txt")):
        pool += list(parse_seed(path.read_bytes(), path.name).paragraphs)
    rng = random.Random(0)
    body: list[str] = []
    length = 0
    while length < size:
        batch = list(pool)
        rng.shuffle(batch)
        for paragraph in batch:
            body.append(paragraph)
            length += len(paragraph) + 2
            if length >= size:
                break
    return "## Big article\n\nJune 9, 2011\n\n" + "\n\n".join(body) + "\n"


def timed(call: object, runs: int = RUNS) -> tuple[float, float]:
    """Return the best and the median time of call() in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    """Load one big article and print the cost of each kind of request."""
    size = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SIZE
    folder = Path(tempfile.mkdtemp(prefix="voices-bench-"))
    seeds = folder / "seeds"
    seeds.mkdir()
    (seeds / "big.txt").write_text(big_seed(size), encoding="utf-8")
    start = time.perf_counter()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "SEEDS_DIR": str(seeds),
            "INSTANCE_PATH": str(folder / "instance"),
        }
    )
    print(f"seed: {(seeds / 'big.txt').stat().st_size:,} bytes")
    print(f"load (parse, analyse, render, store): {time.perf_counter() - start:.1f} s")
    client = app.test_client()
    first = client.get("/articles/big-article")
    etag = first.headers["ETag"]
    print(f"page: {len(first.data):,} bytes, {first.data.count(b' data-quote=')} quote pieces")
    requests = {
        "reading page (200)": lambda: client.get("/articles/big-article").close(),
        "reading page (304)": lambda: client.get(
            "/articles/big-article", headers={"If-None-Match": etag}
        ).close(),
        "article list": lambda: client.get("/").close(),
        "API list": lambda: client.get("/api/articles").close(),
        "API article": lambda: client.get("/api/articles/big-article").close(),
    }
    for name, call in requests.items():
        best, median = timed(call)
        print(f"{name:<20} best {best:8.1f} ms   median {median:8.1f} ms")


if __name__ == "__main__":
    main()
