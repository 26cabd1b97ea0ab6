"""Alembic's environment for Voices: the app's database and models, in batch mode on SQLite.

Run through the app (`flask --app webapp db upgrade`, or the server at start); the app's
logging is left as it is configured (no fileConfig here).
"""

from __future__ import annotations

from alembic import context
from flask import current_app

from webapp.models import db

config = context.config


def run_migrations_offline() -> None:
    """Write the SQL of the migrations instead of running them (`--sql`)."""
    context.configure(
        url=db.engine.url.render_as_string(hide_password=False),
        target_metadata=db.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the app's database, in one transaction."""
    connection = config.attributes.get("connection")
    if connection is not None:  # given by webapp.db, under the first-start lock
        _run(connection)
        return
    with db.engine.connect() as connection:
        _run(connection)


def _run(connection: object) -> None:
    """Configure Alembic on an open connection and run the pending revisions."""
    settings = {
        "render_as_batch": True,  # SQLite changes columns by copying the table
        "compare_type": True,
        **current_app.extensions["migrate"].configure_args,
    }
    context.configure(connection=connection, target_metadata=db.metadata, **settings)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
