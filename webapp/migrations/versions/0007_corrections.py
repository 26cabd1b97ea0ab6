"""Owners' corrections of quotations, kept apart from the engine's rows, and on each
quotation whether a correction decided it and what the engine had said.

Revision ID: 0007
Revises: 0006
Created: 2026-12-05 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "article_id",
            sa.Integer(),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=False),
        sa.Column("after", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("speaker_kind", sa.String(16)),
        sa.Column("speaker_name", sa.Text()),
        sa.Column("speaker_role", sa.Text()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("orphaned", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_corrections_article_id", "corrections", ["article_id"])
    op.add_column("quotes", sa.Column("corrected", sa.String(16)))
    op.add_column("quotes", sa.Column("engine_speaker", sa.Text()))


def downgrade() -> None:
    """Undo this revision."""
    op.drop_column("quotes", "engine_speaker")
    op.drop_column("quotes", "corrected")
    op.drop_index("ix_corrections_article_id", table_name="corrections")
    op.drop_table("corrections")
