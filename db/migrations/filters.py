"""What Alembic's comparisons leave alone: the full-text search structures, which live in migrations only
(an FTS5 table and its shadow tables on SQLite, an expression index on PostgreSQL)."""

UNMODELLED = ('search_fts', 'ix_search_entry_words')


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    return not (name or '').startswith(UNMODELLED)
