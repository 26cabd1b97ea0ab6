"""Time the analysis engine: corpus speed, scaling on large articles, adversarial inputs.

Usage: python benchmarks/bench_analysis.py [--quick] [--stages] [--timeout SECONDS]

  --quick           skip the 5 MB article and the crafted inputs (about ten seconds)
  --stages          also print each stage's share of the corpus time, and the tokenizer's
                    regular expression alone (what a pure-Python engine cannot go below)
  --timeout SECONDS wall-clock limit per crafted input, child start-up included (default 120)

What it measures, in one run:

1. Corpus. Each seed of tests/corpus is parsed once with parse_seed (not timed); then
   `analyze(article.text, headline=True)` is timed over the whole corpus, best of RUNS runs
   per article. Headline figure: milliseconds per 1,000 words.
2. Scaling on real-looking text. A synthetic article is built deterministically from the
   corpus paragraphs (random.Random(0) shuffles each pass; every size is a prefix of the
   same paragraph sequence) at 100 KB, 250 KB, 500 KB, 1 MB (best of LARGE_RUNS) and
   5 MB (one run); each is timed with its seconds per MB. Printed: the 1 MB / (4 x 250 KB)
   ratio and the s/MB(5 MB) / s/MB(100 KB) ratio (1.00 = linear; target <= 1.3).
3. Crafted inputs, each a single paragraph analysed once with headline=False in a child
   process (multiprocessing, spawn; timed after a warm-up call that reads the lexicon)
   under a time limit, so that a pathological slowdown
   prints "TIMEOUT (> N s)" instead of hanging the benchmark. Target: < 2 s per MB.

It ends with a summary of each target against the measured figure (PASS / MISS / SKIP).
Runs single-process apart from the crafted inputs' children. This is a timing script, not
a test: nothing here asserts anything, and it exits 0 whatever it measures.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

import webapp.analysis as pipeline  # noqa: E402
from webapp.analysis import analyze  # noqa: E402
from webapp.analysis.document import _TOKEN  # noqa: E402
from webapp.seedfile import SeedArticle, parse_seed  # noqa: E402

CORPUS = PROJECT / "tests" / "corpus"
RUNS = 5
LARGE_RUNS = 3
SIZES = (250_000, 500_000, 1_000_000)
SMALL_SIZE = 100_000
HUGE_SIZE = 5_000_000
HUGE_RUNS = 1
WORDS_PER_ARTICLE = 700
DEFAULT_TIMEOUT = 120.0
SCALING_TARGET = 1.3  # s/MB at 5 MB over s/MB at 100 KB
CRAFTED_TARGET = 2.0  # seconds per MB
SPEED_TARGET = 1.5  # milliseconds per 1,000 words of ordinary news
# Crafted single-paragraph inputs: (label, piece, repeats); the text is piece * repeats.
CRAFTED = (
    ("\"'a' \" x 500,000", "'a' ", 500_000),
    ('"Alpha Beta Gamma Delta " x 100,000', "Alpha Beta Gamma Delta ", 100_000),
    ("'\"Yes,\" said John Smith. ' x 50,000", '"Yes," said John Smith. ', 50_000),
    ("unclosed: 'He said \"no ' x 100,000", 'He said "no ', 100_000),
    ("unclosed: 'He said “no ' x 100,000", "He said “no ", 100_000),
    ("stray closers: 'no\" ' x 100,000", 'no" ', 100_000),
    ("stray run: '\"' x 100,000", '"', 100_000),
)


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


# The stage functions run_stages() calls, as it names them (see webapp/analysis/__init__.py).
STAGES = (
    "build_document",
    "find_quotes",
    "find_roles",
    "find_names",
    "find_organizations",
    "resolve_people",
    "find_cues",
    "build_coreference",
    "learn_genders",
    "find_kinds",
    "attribute_window",
    "inherit",
    "echo_headline",
    "build",
)


def time_stages(articles: list[SeedArticle], runs: int = RUNS) -> Counter[str]:
    """Return the seconds each stage took over `runs` passes of the corpus.

    Each stage function is wrapped in the pipeline module for the duration (run_stages looks
    them up there on every call) and put back afterwards.
    """
    spent: Counter[str] = Counter()

    def timed(name: str, stage: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return stage(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - start

        return wrapper

    originals = {name: getattr(pipeline, name) for name in STAGES if hasattr(pipeline, name)}
    try:
        for name, stage in originals.items():
            setattr(pipeline, name, timed(name, stage))
        for _ in range(runs):
            for article in articles:
                analyze(article.text, headline=True)
    finally:
        for name, stage in originals.items():
            setattr(pipeline, name, stage)
    return spent


def time_tokenizer(articles: list[SeedArticle], runs: int = RUNS) -> float:
    """Return the seconds of the tokenizer's regular expression alone over `runs` passes."""
    start = time.perf_counter()
    for _ in range(runs):
        for article in articles:
            _TOKEN.findall(article.text)
    return time.perf_counter() - start


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


def size_label(size: int) -> str:
    """Return 100 KB, 1 MB, 5 MB, ... for a size in characters."""
    return f"{size // 1000} KB" if size < 1_000_000 else f"{size // 1_000_000} MB"


def _crafted_child(piece: str, repeats: int, connection: Connection) -> None:
    """Analyse piece * repeats once and send back the seconds (or the error)."""
    text = piece * repeats
    try:
        analyze("Warm-up.")  # the lexicon is read once per process, not per text
        start = time.perf_counter()
        analyze(text, headline=False)
        connection.send(("ok", time.perf_counter() - start))
    except BaseException as error:  # reported by the parent, never raised there
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def time_crafted(piece: str, repeats: int, timeout: float) -> tuple[str, float | str]:
    """Time one crafted input in a child process: ("ok", s), ("timeout", "") or ("error", why).

    The limit counts from the child's start (interpreter start-up and import included).
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_crafted_child, args=(piece, repeats, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if receiver.poll(timeout):
            return receiver.recv()
        if not child.is_alive():
            return ("error", f"child exited with code {child.exitcode}")
        return ("timeout", "")
    except EOFError:
        child.join(5)
        return ("error", f"child exited with code {child.exitcode}")
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
            child.join(10)
            if child.is_alive():
                child.kill()
                child.join()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the numbers and the targets."""
    parser = argparse.ArgumentParser(description="Time the analysis engine.")
    parser.add_argument(
        "--quick", action="store_true", help="skip the 5 MB article and the crafted inputs"
    )
    parser.add_argument(
        "--stages", action="store_true", help="print each stage's time on the corpus"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds allowed per crafted input (default {DEFAULT_TIMEOUT:g})",
    )
    options = parser.parse_args(argv)
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
    per_thousand = total * 1000 / sum(words) * 1000
    print(f"  ms per 1,000 words  {per_thousand:10.2f}   <- headline figure")
    if options.stages:
        scale = 1000 * 1000 / (sum(words) * RUNS)  # seconds over RUNS passes -> ms/1,000 words
        print(f"\nStages on the corpus, ms per 1,000 words ({RUNS} passes, wrapped: a bit slower)")
        for name, seconds in time_stages(articles).most_common():
            print(f"  {name:<20} {seconds * scale:8.3f}")
        print(f"  {'tokenizer regex only':<20} {time_tokenizer(articles) * scale:8.3f}")

    sizes = sorted({SMALL_SIZE, *SIZES} | (set() if options.quick else {HUGE_SIZE}))
    paragraphs = synthetic_paragraphs(articles, max(sizes))
    huge_note = "" if options.quick else f" ({size_label(HUGE_SIZE)}: {HUGE_RUNS} run)"
    print(
        f"\nSynthetic article (corpus paragraphs, Random(0)), best of {LARGE_RUNS} runs{huge_note}"
    )
    print(f"  {'size':>10} {'chars':>9} {'words':>7} {'seconds':>9} {'s per MB':>9}")
    results: dict[int, float] = {}
    per_mb_of: dict[int, float] = {}
    for size in sizes:
        text = synthetic_text(paragraphs, size)
        seconds = time_text(text, HUGE_RUNS if size == HUGE_SIZE else LARGE_RUNS)
        results[size] = seconds
        per_mb = seconds / (len(text) / 1_000_000)
        per_mb_of[size] = per_mb
        label = size_label(size)
        print(f"  {label:>10} {len(text):>9} {len(text.split()):>7} {seconds:>9.3f} {per_mb:>9.3f}")
        del text
    if options.quick:
        print(f"  {size_label(HUGE_SIZE):>10}   skipped (--quick)")
    ratio = results[1_000_000] / (4 * results[250_000])
    print(f"\n  linearity: t(1 MB) / (4 x t(250 KB)) = {ratio:.2f}  (1.00 = linear)")
    scaling: float | None = None
    if HUGE_SIZE in per_mb_of:
        scaling = per_mb_of[HUGE_SIZE] / per_mb_of[SMALL_SIZE]
        print(
            f"  scaling:   s/MB({size_label(HUGE_SIZE)}) / s/MB({size_label(SMALL_SIZE)})"
            f" = {scaling:.2f}  (1.00 = linear; target <= {SCALING_TARGET})"
        )

    crafted: list[tuple[str, int, str, float | str]] = []
    if options.quick:
        print("\nCrafted inputs: skipped (--quick)")
    else:
        limit = f"{options.timeout:g} s"
        print(f"\nCrafted inputs (one paragraph, one run each in a child process, limit {limit})")
        print(f"  {'input':<42} {'chars':>9} {'seconds':>9} {'s per MB':>9}")
        for label, piece, repeats in CRAFTED:
            chars = len(piece) * repeats
            status, value = time_crafted(piece, repeats, options.timeout)
            crafted.append((label, chars, status, value))
            if status == "ok":
                assert isinstance(value, float)
                shown = f"{value:>9.3f} {value / (chars / 1_000_000):>9.3f}"
            elif status == "timeout":
                shown = f"TIMEOUT (> {limit})"
            else:
                shown = f"ERROR {value}"
            print(f"  {label:<42} {chars:>9} {shown}", flush=True)

    print("\nSummary (target vs measured)")
    target = f"corpus speed, ms per 1,000 words <= {SPEED_TARGET}"
    verdict = "PASS" if per_thousand <= SPEED_TARGET else "MISS"
    print(f"  {target:<52} {per_thousand:>10.2f}  {verdict}")
    target = f"s/MB 5 MB / s/MB 100 KB <= {SCALING_TARGET}"
    if scaling is None:
        print(f"  {target:<52} {'-':>10}  SKIP")
    else:
        verdict = "PASS" if scaling <= SCALING_TARGET else "MISS"
        print(f"  {target:<52} {scaling:>10.2f}  {verdict}")
    if options.quick:
        print(f"  {f'crafted inputs < {CRAFTED_TARGET:g} s/MB':<52} {'-':>10}  SKIP")
    for label, chars, status, value in crafted:
        target = f"{label} < {CRAFTED_TARGET:g} s/MB"
        if status == "ok":
            assert isinstance(value, float)
            per_mb = value / (chars / 1_000_000)
            verdict = "PASS" if per_mb < CRAFTED_TARGET else "MISS"
            print(f"  {target:<52} {per_mb:>10.3f}  {verdict}")
        elif status == "timeout":
            print(f"  {target:<52} {'TIMEOUT':>10}  MISS")
        else:
            print(f"  {target:<52} {'ERROR':>10}  MISS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
