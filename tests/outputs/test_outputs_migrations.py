"""The migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from outputs import records, schema  # noqa: F401
from outputs.schema import Base


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    names = set(inspect(engine).get_table_names())
    for table in ("subjects", "children", "summaries", "audit_log", "users", "corrections", "destructions"):
        assert table in names
