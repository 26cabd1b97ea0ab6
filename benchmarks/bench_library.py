"""The library's pages at one article and at 10,000: latency, queries, export memory.

Usage: python benchmarks/bench_library.py [--articles 1 10000] [--runs 40]

For each library size, writes that many news-length seed files (bench_load's: the test
corpora's articles, each copy with a numbered headline of its own), loads them into a
fresh SQLite database, then times in-process requests (Flask's test client, so the
numbers are the app's own work, not the network's) of the list, the people page, the
most quoted person's page, a search for a word found in one article (the headline's
number) and one found in nearly all ("said"), with the median of --runs requests each.
"rendered" requests carry a cookie, which the page cache never answers, so they are
what a request costs after any change to the library; "replayed" ones are the common
case. It also counts the SQL statements of each request, and the peak memory (tracemalloc)
of streaming every quotation of the library as CSV.
This is a timing script, not a test: nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
for folder in (PROJECT, PROJECT / "benchmarks"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_load import write_seeds  # noqa: E402
from sqlalchemy import event, select  # noqa: E402

from webapp import create_app, library  # noqa: E402
from webapp.models import Person, Quote, db  # noqa: E402


def timed(client: Any, url: str, runs: int) -> float:
    """Return the median milliseconds of a GET of url."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def statements(app: Any, client: Any, url: str) -> int:
    """Return how many SQL statements one rendered request of url runs."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(url).get_data()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def export_peak(client: Any) -> tuple[float, int]:
    """Return the peak traced memory (MB) and the bytes of streaming the CSV export."""
    tracemalloc.start()
    response = client.get("/quotations.csv", buffered=False)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6, size


def measure(count: int, runs: int) -> dict[str, Any]:
    """Build a library of count articles and measure its pages."""
    with tempfile.TemporaryDirectory() as work:
        seeds = Path(work) / "seeds"
        seeds.mkdir()
        write_seeds(seeds, count)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(work) / 'library.sqlite'}",
                "SEEDS_DIR": str(Path(work) / "none"),
                "INSTANCE_PATH": str(Path(work) / "instance"),
            }
        )
        with app.app_context():
            start = time.perf_counter()
            library.load_seeds(seeds)
            loaded = time.perf_counter() - start
            top = db.session.execute(
                select(Person.slug, Person.quote_count).order_by(Person.quote_count.desc())
            ).first()
            quotes = db.session.query(Quote).count()
        client = app.test_client()
        cookied = app.test_client()
        cookied.set_cookie("bench", "1")  # any cookie: the page cache leaves it to the app
        unique = str(count // 2)  # the number in one article's headline
        urls = {
            "list /": "/",
            "people": "/people",
            f"person ({top.quote_count} quotations)": f"/people/{top.slug}",
            "search, 1 match": f"/search?q={unique}",
            "search, common word": "/search?q=said",
            "API search, common word": "/api/search?q=said",
        }
        results = {}
        for label, url in urls.items():
            results[label] = (
                timed(cookied, url, runs),
                timed(client, url, runs),
                statements(app, cookied, url),
            )
        peak, size = export_peak(client)
        with app.app_context():
            db.engine.dispose()
        return {
            "loaded": loaded,
            "quotes": quotes,
            "pages": results,
            "export": (peak, size),
        }


def main() -> int:
    """Measure each library size, then print the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="+", default=[1, 10_000])
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    found = {}
    for count in options.articles:
        print(f"building a library of {count} articles ...", file=sys.stderr)
        found[count] = measure(count, options.runs)
    sizes = list(found)
    print(f"{'page':<34}" + "".join(f"{n:>9} art." for n in sizes) + "   ratio  queries")
    for row in range(len(next(iter(found.values()))["pages"])):
        for kind, index in (("rendered", 0), ("replayed", 1)):
            labels = [list(found[n]["pages"])[row] for n in sizes]
            values = [list(found[n]["pages"].values())[row] for n in sizes]
            cells = "".join(f"{v[index]:>10.2f}ms" for v in values)
            ratio = values[-1][index] / values[0][index]
            queries = "/".join(str(v[2]) for v in values)
            print(f"{labels[-1] + ', ' + kind:<34}{cells}   {ratio:5.2f}  {queries}")
    for n in sizes:
        peak, size = found[n]["export"]
        print(
            f"{n} articles ({found[n]['quotes']} quotations, loaded in"
            f" {found[n]['loaded']:.1f} s): CSV export {size / 1e6:.1f} MB, peak traced"
            f" memory {peak:.1f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
