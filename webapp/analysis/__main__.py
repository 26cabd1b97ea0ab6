"""python -m webapp.analysis [--seed] FILE: print the analysis of a file as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..seedfile import SeedError, parse_seed
from . import analyze


def analysis_json(path: Path, *, seed: bool) -> dict[str, Any]:
    """Return the DESIGN.md JSON for a file, parsed as a seed when asked."""
    data = path.read_bytes()
    if not seed:
        text = data.decode("utf-8")
        return analyze(text).to_json()
    article = parse_seed(data, path.name)
    result = analyze(article.text, headline=True).to_json()
    result["text"] = article.text
    result["article"] = {
        "title": article.title,
        "date": article.published.isoformat() if article.published else None,
        "source_url": article.source_url,
        "caption": article.caption,
        "photo_credit": article.photo_credit,
    }
    result["parts"] = [{"kind": p.kind, "start": p.start, "end": p.end} for p in article.parts]
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the command line; exit 2 with a message naming the file on bad input."""
    parser = argparse.ArgumentParser(prog="python -m webapp.analysis", description=__doc__)
    parser.add_argument("--seed", action="store_true", help="parse FILE as a seed article")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    try:
        result = analysis_json(args.file, seed=args.seed)
    except SeedError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as err:
        print(f"error: {args.file}: {err}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
