"""Derive the head nouns of unnamed sources from an attribution corpus.

python -m webapp.analysis.learn_sources PATH [--min-count N] [--min-share F]

PATH is a PolNeAR checkout (or a folder laid out like it; see learn_cues). For every
attribution whose Source opens with a determiner ("the nominee", "a campaign aide", "one
poll"), the head is the last word of the source's first noun phrase: the words after the
determiner up to a relative pronoun, a preposition or a mark. A head is kept when it is a
lower-case word, heads a source at least --min-count times and in at least --min-share of
all its uses, looks like a noun (it follows a determiner in at least NOUN_SHARE of its uses,
or is a plural), and is no stop word. The result is lexicon/source_heads_learned.txt: words
of the language (nominee, poll, campaign), never the corpus's names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .learn_cues import run_learner, train_articles
from .lexicon import FOLDER, Lexicon, load_lexicon

OUTPUT = FOLDER / "source_heads_learned.txt"
NOUN_SHARE = 0.05  # a noun follows a determiner this often at least ("the poll")
_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*|\S")
_LOWER_WORD = re.compile(r"[a-z][a-z\-]+")


def source_head(source: str, lex: Lexicon) -> str | None:
    """Return the head noun of a source that opens with a determiner, else None."""
    tokens = _TOKEN.findall(source)
    classes = lex.classes
    openers = classes.unnamed_determiners | classes.role_leads
    if len(tokens) < 2 or tokens[0].lower() not in openers:
        return None
    enders = (
        classes.relative_pronouns
        | classes.place_prepositions
        | classes.workplace_prepositions
        | classes.phrase_breaking_marks
    )
    phrase = []
    for token in tokens[1:]:
        if token.lower() in enders:
            break
        phrase.append(token)
    head = phrase[-1] if phrase else ""
    return head if _LOWER_WORD.fullmatch(head) else None


def count_heads(sources: Iterable[str], lex: Lexicon) -> Counter[str]:
    """Count the head nouns of the sources that open with a determiner."""
    return Counter(head for source in sources if (head := source_head(source, lex)))


def learn(corpus: Path, min_count: int, min_share: float, lex: Lexicon | None = None) -> list[str]:
    """Return the learned source heads of the corpus's train split, sorted."""
    lex = lex or load_lexicon()
    openers = "|".join(sorted(lex.classes.unnamed_determiners | lex.classes.role_leads))
    after_determiner = re.compile(rf"\b(?i:{openers})\s+([a-z][a-z\-]+)\b")
    heads: Counter[str] = Counter()
    uses: Counter[str] = Counter()
    nouns: Counter[str] = Counter()
    for text, events in train_articles(corpus):
        uses.update(_LOWER_WORD.findall(text))
        nouns.update(after_determiner.findall(text))
        sources = (text[s[0] : s[1]] for event in events if (s := event.get("Source")))
        heads.update(count_heads(sources, lex))
    return sorted(
        word
        for word, count in heads.items()
        if count >= min_count
        and count >= min_share * uses[word]
        and (nouns[word] >= NOUN_SHARE * uses[word] or word.endswith("s"))
        and not word.endswith(("ed", "ing"))  # participles: "people involved", "those polled"
        and word.capitalize() not in lex.stopwords
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line."""
    what = "Head nouns of unnamed sources"
    return run_learner(argv, "webapp.analysis.learn_sources", learn, OUTPUT, 0.02, what)


if __name__ == "__main__":
    raise SystemExit(main())
