"""The scene the speaker rules read: the document and every earlier stage's result."""

from __future__ import annotations

from dataclasses import dataclass

from .coreference import Coreference
from .cues import Cues
from .document import Document
from .organizations import Entity
from .people import Entities
from .role_mentions import role_phrase_at
from .roles import Roles

Named = tuple[Entity | None, tuple[int, int]]  # who (None: unnamed), and the words naming them


@dataclass(frozen=True, eq=False)
class Scene:
    """What the speaker rules read: the document and every earlier stage's result."""

    doc: Document
    cues: Cues
    entities: Entities
    coref: Coreference
    roles: Roles

    def is_outlet(self, entity: Entity | None) -> bool:
        """Return True if the entity is a news outlet."""
        return (
            bool(entity) and entity[0] == "org" and self.entities.orgs[entity[1]].kind == "outlet"
        )

    def role_phrase(self, at: int) -> tuple[int, int, int] | None:
        """Return the role phrase at token at and the person it names."""
        people = self.entities.people
        return role_phrase_at(self.doc, people, self.entities.roles, at)
