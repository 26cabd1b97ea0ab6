"""Each person's totals over the library (quotations, articles) in the order /people
lists them, their quotations in the order their page shows them, and each article's
source site for the library's filter.

Revision ID: 0005
Revises: 0004
Created: 2026-12-05 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from webapp.links import url_label

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

MOST_QUOTED = "ix_people_most_quoted"
SITE = "ix_articles_site"  # the name SQLAlchemy gives index=True
BY_SPEAKER = "ix_quotes_by_speaker"


def upgrade() -> None:
    """Apply this revision: add the columns, then fill them from the rows there are."""
    op.add_column("people", sa.Column("quote_count", sa.Integer(), server_default="0"))
    op.add_column("people", sa.Column("article_count", sa.Integer(), server_default="0"))
    op.add_column("articles", sa.Column("site", sa.String(255)))
    op.execute(
        "UPDATE people SET"
        " quote_count = (SELECT COALESCE(SUM(article_people.quote_count), 0) FROM article_people"
        " WHERE article_people.person_id = people.id),"
        " article_count = (SELECT COUNT(*) FROM article_people"
        " WHERE article_people.person_id = people.id)"
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, source_url FROM articles")).all()
    sites = [{"id": row.id, "site": url_label(row.source_url)} for row in rows if row.source_url]
    if sites:
        bind.execute(sa.text("UPDATE articles SET site = :site WHERE id = :id"), sites)
    op.create_index(MOST_QUOTED, "people", [sa.text("quote_count DESC"), "name", "id"])
    op.create_index(SITE, "articles", ["site"])
    op.create_index(BY_SPEAKER, "quotes", ["speaker_id", sa.text("article_id DESC"), "number"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index(BY_SPEAKER, table_name="quotes")
    op.drop_index(SITE, table_name="articles")
    op.drop_index(MOST_QUOTED, table_name="people")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of `articles` would
    # lose the search index's triggers (0004).
    op.drop_column("articles", "site")
    op.drop_column("people", "article_count")
    op.drop_column("people", "quote_count")
