"""The engine's reason for each quotation's speaker, kept so the page can say why.

Revision ID: 0006
Revises: 0005
Created: 2026-12-05 15:10:00

Articles stored before have no reason until they are analysed again (`flask reanalyze`,
or the next load after an engine change); their pages simply do not say why.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("quotes", sa.Column("reason", sa.Text()))


def downgrade() -> None:
    """Undo this revision."""
    op.drop_column("quotes", "reason")
