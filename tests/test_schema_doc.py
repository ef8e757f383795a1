"""docs/schema.md, the contract the city's platform reads, says what the migrated database is.

The page's tables are read as data: per database table its columns (type, null, PK, FK),
its CHECK constraints and the values they allow, its unique constraints and its indexes
with their columns and row conditions. Each is compared with what a database migrated to
head reports, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

DOC = Path(__file__).resolve().parent.parent / "docs" / "schema.md"
OWN_TABLES = {"alembic_version"}


@dataclass
class TableDoc:
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    checks: dict[str, tuple[str, set[str]]] = field(default_factory=dict)
    uniques: dict[str, list[str]] = field(default_factory=dict)
    indexes: dict[str, tuple[str, str]] = field(default_factory=dict)
    postgresql_only: set[str] = field(default_factory=set)


def names(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def markdown_tables(lines: list[str]):  # type: ignore[no-untyped-def]
    """(section heading, header cells, rows as dicts) of each markdown table."""
    heading, i = "", 0
    while i < len(lines):
        if lines[i].startswith("## "):
            heading = lines[i][3:].strip()
        if lines[i].startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            header = [c.strip() for c in lines[i].strip().strip("|").split("|")]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(dict(zip(header, (c.strip() for c in lines[i].strip().strip("|").split("|")))))
                i += 1
            yield heading, header, rows
            continue
        i += 1


def read_doc(source: str) -> dict[str, TableDoc]:
    tables: dict[str, TableDoc] = {}
    for heading, header, rows in markdown_tables(source.splitlines()):
        if header[:3] == ["column", "type", "null"]:
            doc = tables.setdefault(heading, TableDoc())
            for row in rows:
                for column in names(row["column"]):
                    doc.columns[column] = {"type": row["type"], "null": row["null"]}
        elif header[0] == "check":
            for row in rows:
                tables[heading].checks[names(row["check"])[0]] = (names(row["column"])[0],
                                                                  set(names(row["allowed values"])))
        elif header[0] == "unique":
            for row in rows:
                tables[heading].uniques[names(row["unique"])[0]] = names(row["columns"])[0].split(", ")
        elif header[0] == "index":
            for row in rows:
                where = names(row["only rows where"])
                name = names(row["index"])[0]
                tables[heading].indexes[name] = (names(row["columns"])[0], where[0] if where else "")
                if "PostgreSQL only" in row["serves"]:
                    tables[heading].postgresql_only.add(name)
    return tables


DOC_TYPES = {"INTEGER": "integer", "BIGINT": "bigint", "TEXT": "text", "BOOLEAN": "boolean",
             "FLOAT": "float", "DOUBLE PRECISION": "float", "DATETIME": "timestamptz",
             "TIMESTAMP WITH TIME ZONE": "timestamptz", "JSON": "json", "SMALLINT": "smallint",
             "BLOB": "bytea", "BYTEA": "bytea"}


def doc_type(connection: Connection, column: dict) -> str:
    compiled = column["type"].compile(dialect=connection.dialect)
    return re.sub(r"^VARCHAR", "varchar", compiled) if compiled.startswith("VARCHAR") else DOC_TYPES[compiled]


def column_facts(connection: Connection, table: str) -> dict[str, dict[str, str]]:
    """Each column as the page would describe it: `type` and `null` cells."""
    inspector = inspect(connection)
    primary = set(inspector.get_pk_constraint(table)["constrained_columns"])
    foreign = {fk["constrained_columns"][0]: fk for fk in inspector.get_foreign_keys(table)}
    facts = {}
    for column in inspector.get_columns(table):
        name, parts = column["name"], [doc_type(connection, column)]
        if name in primary:
            parts.append("PK")
        if name in foreign:
            fk = foreign[name]
            target = f"FK → {fk['referred_table']}.{fk['referred_columns'][0]}"
            parts.append(target + (" (cascade)" if fk.get("options", {}).get("ondelete") == "CASCADE" else ""))
        facts[name] = {"type": ", ".join(parts), "null": "yes" if column["nullable"] else "no"}
    return facts


def documented_type(cell: str) -> str:
    """The `type` cell without the human-only "unique" marker (uniques have their own table)."""
    return ", ".join(part for part in cell.split(", ") if part != "unique")


INDEX_SQL = re.compile(r"\((?P<columns>[^)]*)\)(?: WHERE (?P<where>.*))?$")


def database_indexes(connection: Connection, table: str) -> dict[str, tuple[str, str]]:
    """Indexes that no constraint owns: name -> (columns, row condition as the database keeps it)."""
    if connection.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = :t"
    else:
        query = ("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                 "AND tablename = :t AND indexname NOT IN (SELECT conname FROM pg_constraint)")
    found = {}
    for name, sql in connection.execute(text(query), {"t": table}):
        match = INDEX_SQL.search(" ".join(sql.split()))
        found[name] = (match["columns"], match["where"] or "")
    return found


def as_stored(connection: Connection, table: str, where: str) -> str:
    """A documented row condition as this database would keep it in an index definition."""
    if not where:
        return ""
    if connection.dialect.name == "sqlite":
        return where.replace("IS false", "IS 0")  # SQLite keeps the text; SQLAlchemy writes 0
    savepoint = connection.begin_nested()
    connection.execute(text(f"CREATE INDEX doc_probe ON {table} (id) WHERE {where}"))
    definition = connection.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'doc_probe'")).scalar()
    savepoint.rollback()
    return INDEX_SQL.search(definition)["where"]


def differences(connection: Connection, source: str) -> list[str]:
    documented = read_doc(source)
    inspector = inspect(connection)
    tables = set(inspector.get_table_names()) - OWN_TABLES
    problems = [f"tables: documented {sorted(documented)} but the database has {sorted(tables)}"] \
        if set(documented) != tables else []
    for table in sorted(tables & set(documented)):
        doc = documented[table]
        actual = column_facts(connection, table)
        wanted = {name: {"type": documented_type(cell["type"]), "null": cell["null"]}
                  for name, cell in doc.columns.items()}
        if wanted != actual:
            problems.append(f"{table} columns: documented {wanted}, database {actual}")
        checks = {c["name"]: (c["sqltext"], set(re.findall(r"'([^']*)'", c["sqltext"])))
                  for c in inspector.get_check_constraints(table)}
        if {n: values for n, (_, values) in checks.items()} != {n: v for n, (_, v) in doc.checks.items()} \
                or any(column not in checks.get(n, ("",))[0] for n, (column, _) in doc.checks.items()):
            problems.append(f"{table} checks: documented {doc.checks}, database {checks}")
        uniques = {u["name"]: u["column_names"] for u in inspector.get_unique_constraints(table)}
        if uniques != doc.uniques:
            problems.append(f"{table} unique: documented {doc.uniques}, database {uniques}")
        indexes = database_indexes(connection, table)
        here = {n: i for n, i in doc.indexes.items()
                if connection.dialect.name == "postgresql" or n not in doc.postgresql_only}
        wanted_indexes = {n: (cols, as_stored(connection, table, where)) for n, (cols, where) in here.items()}
        if wanted_indexes != indexes:
            problems.append(f"{table} indexes: documented {wanted_indexes}, database {indexes}")
    return problems


async def test_schema_doc_matches_the_migrated_database(engine):
    async with engine.connect() as connection:
        problems = await connection.run_sync(differences, DOC.read_text(encoding="utf-8"))
    assert problems == []


async def test_schema_doc_drift_is_seen(engine):
    """The comparison can fail: a doc with one value, one column and one index changed."""
    source = DOC.read_text(encoding="utf-8")
    edits = [("`support`, `oppose`, `neutral` |", "`support`, `oppose` |"),
             ("| `discussion_days` | integer | yes |", "| `discussion_days` | integer | no |"),
             ("| `ix_stances_item_id_updated_at` |", "| `ix_stances_item_id_created_at` |")]
    for old, new in edits:
        assert old in source
        async with engine.connect() as connection:
            problems = await connection.run_sync(differences, source.replace(old, new))
        assert len(problems) == 1, (old, problems)
