"""The analysis engine stands alone: importing and running it loads no web-app code.

`webapp.analysis` is pure Python with no I/O at call time; a batch job or another service
must be able to use it without Flask, SQLAlchemy, Jinja, Werkzeug, bleach or the rest of
the `webapp` package. A fresh interpreter is used so that no other test's imports count.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("flask", "sqlalchemy", "jinja2", "werkzeug", "bleach")

SCRIPT = f"""
import json, sys
from webapp.analysis import analyze
result = analyze('"We will not wait," said Jane Roe, the minister. NATO declined to comment.')
forbidden = {FORBIDDEN!r}
offending = sorted(
    name
    for name in sys.modules
    if name.split(".")[0] in forbidden
    or (
        name.startswith("webapp.")
        and name != "webapp.analysis"
        and not name.startswith("webapp.analysis.")
    )
)
print(json.dumps({{"quotes": len(result.quotes), "offending": offending}}))
"""


def test_engine_imports_no_web_app_code() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["quotes"] >= 1, report
    offending = report["offending"]
    assert not offending, (
        "importing and running webapp.analysis loaded web-app modules: " + summarize(offending)
    )


def summarize(modules: list[str]) -> str:
    """Name each offending package once with its module count, and each webapp module."""
    counts: dict[str, int] = {}
    for name in modules:
        key = name if name.startswith("webapp.") else name.split(".")[0]
        counts[key] = counts.get(key, 0) + 1
    return ", ".join(
        f"{key} ({count} modules)" if count > 1 else key for key, count in sorted(counts.items())
    )
