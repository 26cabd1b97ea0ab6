"""The library's version (library_state), which validates cached pages, an index in the
article list's order, and one on content hashes (every new seed file looks for a rename).

Revision ID: 0003
Revises: 0002
Created: 2026-12-05 11:10:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NEWEST_FIRST = "ix_articles_newest_first"
CONTENT_HASH = "ix_articles_content_hash"  # the name SQLAlchemy gives index=True


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "library_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # A random start, as for a new database (models.first_version): never a number that
    # workers serving an older copy of the database hold pages for.
    start = secrets.randbelow(2**30)
    op.execute(
        sa.text("INSERT INTO library_state (id, version) VALUES (1, :start)").bindparams(
            start=start
        )
    )
    published = sa.text("published DESC")
    if op.get_bind().dialect.name == "postgresql":
        published = sa.text("published DESC NULLS LAST")
    op.create_index(NEWEST_FIRST, "articles", [published, "title", "id"])
    op.create_index(CONTENT_HASH, "articles", ["content_hash"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(CONTENT_HASH, table_name="articles")
    op.drop_index(NEWEST_FIRST, table_name="articles")
    op.drop_table("library_state")
