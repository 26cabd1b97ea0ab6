"""The folder each seed file was loaded from (articles.source_dir), for load-seeds --prune.

Revision ID: 0002
Revises: 0001
Created: 2026-12-05 08:37:55
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_dir", sa.Text(), nullable=True))


def downgrade() -> None:
    """Undo this revision."""
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("source_dir")
