"""Time the analysis engine on the evaluation corpus and on large synthetic articles.

Usage: python benchmarks/bench_analysis.py

Runs single-process. Each corpus seed is parsed once with parse_seed (not timed); then
`analyze(article.text, headline=True)` is timed over the whole corpus, best of RUNS runs.
Then a synthetic article of >= 1,000,000 characters is built deterministically from the
corpus paragraphs (random.Random(0) shuffles), with 250 KB and 500 KB prefixes, and each is
timed, with the time per MB and the 1 MB / (4 x 250 KB) ratio so linearity can be read.
"""

from __future__ import annotations

import platform
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from webapp.analysis import analyze  # noqa: E402
from webapp.seedfile import SeedArticle, parse_seed  # noqa: E402

CORPUS = PROJECT / "tests" / "corpus"
RUNS = 5
LARGE_RUNS = 3
SIZES = (250_000, 500_000, 1_000_000)
WORDS_PER_ARTICLE = 700


def load_corpus(folder: Path = CORPUS) -> list[SeedArticle]:
    """Parse every seed of the corpus folder (sorted by name)."""
    return [parse_seed(path.read_bytes(), path.name) for path in sorted(folder.glob("*.txt"))]


def time_corpus(articles: list[SeedArticle], runs: int = RUNS) -> list[float]:
    """Return each article's best time in seconds over `runs` runs of the whole corpus."""
    best = [float("inf")] * len(articles)
    for _ in range(runs):
        for index, article in enumerate(articles):
            start = time.perf_counter()
            analyze(article.text, headline=True)
            best[index] = min(best[index], time.perf_counter() - start)
    return best


def synthetic_paragraphs(articles: list[SeedArticle], size: int) -> list[str]:
    """Return corpus paragraphs, reshuffled with Random(0) each pass, until >= size chars."""
    pool = [p for article in articles for p in article.paragraphs]
    rng = random.Random(0)
    chosen: list[str] = []
    length = len("Synthetic benchmark article")
    while length < size:
        batch = list(pool)
        rng.shuffle(batch)
        for paragraph in batch:
            chosen.append(paragraph)
            length += len(paragraph) + 2
            if length >= size:
                break
    return chosen


def synthetic_text(paragraphs: list[str], size: int) -> str:
    """Return a headline plus the shortest prefix of paragraphs that reaches size chars."""
    pieces = ["Synthetic benchmark article"]
    length = len(pieces[0])
    for paragraph in paragraphs:
        if length >= size:
            break
        pieces.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(pieces)


def time_text(text: str, runs: int) -> float:
    """Return the best time in seconds of `runs` analyses of one text."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        analyze(text, headline=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    """Run both benchmarks and print the numbers."""
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), single process"
    )
    articles = load_corpus()
    if not articles:
        print(f"error: no seeds in {CORPUS}", file=sys.stderr)
        return 2
    words = [len(article.text.split()) for article in articles]
    times = time_corpus(articles)
    total = sum(times)
    ms = [t * 1000 for t in times]
    print(f"\nCorpus: {len(articles)} articles, {sum(words)} words, best of {RUNS} runs")
    print(f"  articles/second     {len(articles) / total:10.1f}")
    print(f"  mean ms/article     {statistics.mean(ms):10.2f}")
    print(f"  median ms/article   {statistics.median(ms):10.2f}")
    per_words = total * 1000 / sum(words) * WORDS_PER_ARTICLE
    print(f"  ms per {WORDS_PER_ARTICLE} words     {per_words:10.2f}")

    paragraphs = synthetic_paragraphs(articles, max(SIZES))
    print(f"\nSynthetic article (corpus paragraphs, Random(0)), best of {LARGE_RUNS} runs")
    print(f"  {'size':>10} {'chars':>9} {'words':>7} {'seconds':>9} {'s per MB':>9}")
    results: dict[int, float] = {}
    for size in SIZES:
        text = synthetic_text(paragraphs, size)
        seconds = time_text(text, LARGE_RUNS)
        results[size] = seconds
        per_mb = seconds / (len(text) / 1_000_000)
        label = f"{size // 1000} KB" if size < 1_000_000 else "1 MB"
        print(f"  {label:>10} {len(text):>9} {len(text.split()):>7} {seconds:>9.3f} {per_mb:>9.3f}")
    ratio = results[1_000_000] / (4 * results[250_000])
    print(f"\n  linearity: t(1 MB) / (4 x t(250 KB)) = {ratio:.2f}  (1.00 = linear)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
