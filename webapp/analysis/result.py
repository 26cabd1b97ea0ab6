"""The engine's output: plain dataclasses with offsets into the analysed text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ENGINE_VERSION = "voices-analysis 2"  # 2: speaker evidence for every quotation, reasons

QuoteKind = Literal["direct", "partial", "indirect"]
OrgKind = Literal["outlet", "organization"]


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range [start, end) of str indices into the analysed text."""

    start: int
    end: int

    def to_json(self) -> dict[str, int]:
        """Return the span as the JSON object of DESIGN.md."""
        return {"start": self.start, "end": self.end}


@dataclass
class Person:
    """A person in the story, with every place the text names them."""

    id: str
    name: str
    role: str | None = None
    gender: Literal["m", "f"] | None = None
    aliases: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the person as the JSON object of DESIGN.md."""
        return {
            "id": self.id,
            "name": self.name,
            "role": self.role,
            "aliases": self.aliases,
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass
class Organization:
    """A named organisation or news outlet."""

    id: str
    name: str
    kind: OrgKind
    mentions: list[Span] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the organisation as the JSON object of DESIGN.md."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "mentions": [m.to_json() for m in self.mentions],
        }


@dataclass
class Quote:
    """A quotation, its kind and who said it (speaker/channel are ids or None)."""

    id: str
    start: int
    end: int
    text: str
    kind: QuoteKind
    speaker: str | None = None
    speaker_span: Span | None = None
    reason: str | None = None  # the rule that decided the speaker (README: "reason")
    cue: str | None = None
    cue_span: Span | None = None
    channel: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the quotation as the JSON object of DESIGN.md."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_span": self.speaker_span.to_json() if self.speaker_span else None,
            "reason": self.reason,
            "cue": self.cue,
            "cue_span": self.cue_span.to_json() if self.cue_span else None,
            "channel": self.channel,
        }


@dataclass
class Analysis:
    """Everything the engine found in one text."""

    people: list[Person] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    engine: str = ENGINE_VERSION

    def entity(self, entity_id: str | None) -> Person | Organization | None:
        """Return the person or organisation with this id, or None."""
        for item in (*self.people, *self.organizations):
            if item.id == entity_id:
                return item
        return None

    def to_json(self) -> dict[str, Any]:
        """Return the whole analysis as the JSON of DESIGN.md."""
        return {
            "engine": self.engine,
            "people": [p.to_json() for p in self.people],
            "organizations": [o.to_json() for o in self.organizations],
            "quotes": [q.to_json() for q in self.quotes],
        }
