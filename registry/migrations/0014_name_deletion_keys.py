"""One-typo keys for short names (registry.similarity.deletion_keys), on PostgreSQL only,
hand-written.

A short name with one letter wrong shares too few trigrams with the right one for the
trigram index of migration 0002 to return it: "BOPL" and "BOAL" share 2 of their 8
trigrams (similarity 0.25). The check finds those by their deletion keys instead: a name
with each of its letters left out in turn, and the name itself ("bopl": bopl, opl, bpl,
bol, bop). Two names one letter replaced, added, left out, or two neighbours swapped apart
share a key, and a short name has few keys: the GIN index below answers with exact keys,
a few entries, however large the register.

Only names of SHORTEST to LONGEST characters are keyed (registry.similarity.KEYED_LENGTHS:
change both together); longer ones keep enough trigrams through a typo. The filings'
index covers the pending states only, as the trigram index of migration 0010 does
(registry.similarity.PENDING_STATES).

The function is the one registry.similarity.deletion_keys computes in Python (the demo's
SQLite). Indexes built CONCURRENTLY (hence a non-atomic migration), as 0012's; not declared
on the models. Reversing drops the indexes and the function.
"""

from django.db import migrations

SHORTEST, LONGEST = 3, 12
FUNCTION = "registry_name_deletion_keys"
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_append(
        ARRAY(SELECT overlay(name PLACING '' FROM position FOR 1)
              FROM generate_series(1, length(name)) AS position),
        name)
$$
"""
KEYED = f"length(normalized_name) BETWEEN {SHORTEST} AND {LONGEST}"
PENDING_STATES = "'pending_payment', 'in_review', 'correction_requested', 'approved'"
INDEXES = {
    "registry_company_name_deletion_keys": (
        "ON registry_company USING gin ((registry_name_deletion_keys(normalized_name))) "
        f"WHERE {KEYED}"
    ),
    "registry_application_pending_name_deletion_keys": (
        "ON registry_application USING gin ((registry_name_deletion_keys(normalized_name))) "
        f"WHERE state IN ({PENDING_STATES}) AND {KEYED}"
    ),
}


def statement(index_name: str, *, concurrently: bool = True) -> str:
    """The index's CREATE statement (the name-check benchmark builds them with it too)."""
    how = "CONCURRENTLY " if concurrently else ""
    return f"CREATE INDEX {how}IF NOT EXISTS {index_name} {INDEXES[index_name]}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    for index_name in INDEXES:
        schema_editor.execute(statement(index_name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index_name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index_name}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")


class Migration(migrations.Migration):

    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0013_application_identifier_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
