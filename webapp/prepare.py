"""Reading, parsing and analysing seed files ahead of storing them, on every core.

Storing is done by one process (one writer to the database); what comes before it needs
no database and is done here, in worker processes, while the loader stores the files before.
The work is handed out in file order, a few files ahead, so memory stays bounded.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import traceback
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webapp import store
from webapp.analysis.result import Analysis
from webapp.seedfile import SeedArticle, SeedError, decode_seed, parse_seed
from webapp.store import Prerendered

AHEAD_PER_WORKER = 8  # files handed out ahead of the one being stored, per worker
BATCH = 4  # files in one call to a worker process
MIN_FILES = 4  # fewer files than this are not worth starting processes for


@dataclass(frozen=True)
class Prepared:
    """A seed file read, parsed and analysed (or the reason it could not be)."""

    digest: str  # of the bytes that were parsed
    seed: SeedArticle | None = None
    analysis: Analysis | None = None
    source: str | None = None  # the file as text, kept for `reanalyze`
    prerendered: Prerendered | None = None  # the page, rendered here too
    refused: str | None = None  # the parser's message (a SeedError): the file is skipped
    failure: tuple[str, str, str] | None = None  # (stage, error, traceback) of a bug


def prepare(raw: bytes, name: str) -> Prepared:
    """Parse and analyse one seed file's bytes; never raises for a bad or odd file."""
    digest = digest_of(raw)
    try:
        seed = parse_seed(raw, name)
    except SeedError as err:
        return Prepared(digest, refused=str(err))
    except Exception as err:  # a parser bug must not stop the other files
        return Prepared(digest, failure=("parse", _error(err), traceback.format_exc()))
    try:
        analysis = store.analyze_seed(seed)
    except Exception as err:
        return Prepared(digest, failure=("analyse", _error(err), traceback.format_exc()))
    try:
        prerendered = store.prerender(seed, analysis)
    except Exception:  # rendered again when stored, where a failure is reported
        prerendered = None
    return Prepared(digest, seed, analysis, decode_seed(raw, name), prerendered)


def digest_of(raw: bytes) -> str:
    """Return the content hash of a seed file's bytes."""
    return hashlib.sha256(raw).hexdigest()


def _error(err: BaseException) -> str:
    return f"{type(err).__name__}: {err}"


def _prepare_file(path: str) -> Prepared | None:
    """Read and prepare one file in a worker; None when it cannot be read (the loader,
    reading it again, reports why)."""
    from webapp.library import read_seed  # its safe, size-limited read

    try:
        raw = read_seed(path)
    except Exception:
        return None
    return prepare(raw, Path(path).name)


Job = tuple[Callable[..., "Prepared | None"], tuple[Any, ...]]


def _run_batch(jobs: list[Job]) -> list[Prepared | None]:
    """Run a few jobs in one worker call (one round trip between processes for several)."""
    return [function(*args) for function, args in jobs]


class Ahead:
    """Work handed to worker processes in order, a window ahead, taken back by key.

    Keys go out in batches of BATCH: a call to a worker process costs about as much as
    parsing a short article, so it carries several.
    """

    def __init__(
        self,
        pool: ProcessPoolExecutor,
        keys: list[Hashable],
        window: int,
        job: Callable[[Hashable], Job | None],
    ) -> None:
        self.pool = pool
        self.waiting = deque(keys)
        # key -> (the batch's future, the key's place in the batch)
        self.running: dict[Hashable, tuple[Future[list[Prepared | None]], int]] = {}
        self.window = window
        self.job = job  # made when handed out: its input is read then, not all at once
        self._fill()

    def _fill(self) -> None:
        while self.waiting and len(self.running) < self.window:
            batch: list[tuple[Hashable, Job]] = []
            while self.waiting and len(batch) < BATCH:
                key = self.waiting.popleft()
                try:
                    work = self.job(key)
                except Exception:  # e.g. its input could not be read: the caller does it
                    continue
                if work is not None:
                    batch.append((key, work))
            if not batch:
                continue
            try:
                future = self.pool.submit(_run_batch, [work for _, work in batch])
            except Exception:  # the pool broke (a worker was killed): hand out no more
                self.waiting.clear()
                return
            for place, (key, _) in enumerate(batch):
                self.running[key] = (future, place)

    def take(self, key: Hashable, digest: str) -> Prepared | None:
        """Return the prepared input of key if it was handed out and had this content."""
        handed = self.running.pop(key, None)
        self._fill()
        if handed is None:
            return None
        future, place = handed
        try:
            prepared = future.result()[place]
        except Exception:  # a worker died (killed, out of memory): prepare it here instead
            return None
        return prepared if prepared is not None and prepared.digest == digest else None

    def cancel(self) -> None:
        """Cancel what has not started (the caller stopped early)."""
        for future, _ in self.running.values():
            future.cancel()


def workers_wanted(setting: int | None) -> int:
    """Return how many worker processes to use: the setting, else one per core."""
    return setting if setting is not None else (os.cpu_count() or 1)


@contextmanager
def preparing_ahead(paths: list[Path], workers: int) -> Iterator[Ahead | None]:
    """Prepare seed files in worker processes while the caller stores them one by one.

    Yields None (prepare in the caller) for one worker, a few files, or no fork().
    """
    with working_ahead(list(paths), workers, lambda path: (_prepare_file, (str(path),))) as ahead:
        yield ahead


@contextmanager
def working_ahead(
    keys: list[Hashable], workers: int, job: Callable[[Hashable], Job | None]
) -> Iterator[Ahead | None]:
    """Run job(key) for each key in worker processes, in order, a window ahead of the
    caller, who takes each result back with Ahead.take (None: do the work yourself)."""
    if (
        workers < 2
        or len(keys) < MIN_FILES
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield None
        return
    # fork: the workers start at once with the engine's word lists already loaded, and
    # never touch the parent's database connections (they run only prepare()).
    context = multiprocessing.get_context("fork")
    # What the workers inherit (word lists, the app) is moved out of the collector's
    # reach: their collections then scan only their own objects, and never write to the
    # inherited pages (which would copy them). https://docs.python.org/3/library/gc.html#gc.freeze
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            ahead = Ahead(pool, keys, workers * AHEAD_PER_WORKER, job)
            try:
                yield ahead
            finally:
                ahead.cancel()
    finally:
        gc.unfreeze()
