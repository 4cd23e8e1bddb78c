"""Two more ways into the register for the name check (registry.similarity), on PostgreSQL
only, hand-written, so that the trigram index of migration 0002 is asked only for names as
close as the threshold, never for the looser band a typo needs.

Asked for names less similar than the threshold (0.55 for 0.75), that index answers a name
with one long common word ("Melo Assainissement Anfame") with every name holding that word,
7,000 rows to read at a million companies, 50 ms; asked at the threshold, 30 rows. What the
looser band was for is now found by exact keys:

- a name one typo away in one of its words ("Kaseso Distribtuion" for "Kaseso
  Distribution"): its typo keys, the name with each of its words in turn replaced by the
  word's length ("kaseso *12"); the names one typo away share a key with one length of the
  three (one letter more, as many, one fewer). registry.similarity.typo_keys;
- a name the same but for common words ("Multimédia Group Kuevi" for "Multimédia
  Kuevi"), or an existing name with words added around it ("Banque Éléphant Bleu"): its
  distinctive form, the name without its common words (registry.similarity.COMMON_WORDS),
  looked up exactly. registry.similarity.stored_distinctive.

Short names (up to 12 characters) keep the deletion keys of migration 0014.

The functions are the ones registry.similarity computes in Python (a test compares them),
with the same word list: change both together. The filings' indexes cover the pending
states only, as those of migrations 0010 and 0014 do. Indexes built CONCURRENTLY (hence a
non-atomic migration); not declared on the models. Reversing drops indexes and functions.
"""

from django.db import migrations

TYPO_KEYS = "registry_name_typo_keys"
DISTINCTIVE = "registry_name_distinctive"
# registry.similarity.COMMON_WORDS and TYPO_KEY_LENGTH.
COMMON_WORDS = ("group", "groupe", "groupes", "service", "services", "togo")
TYPO_KEY_LENGTH = 3
CREATE_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION {TYPO_KEYS}(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(
        SELECT array_to_string(
            words[1:position - 1] || ('*' || length(words[position])) || words[position + 1:],
            ' ')
        FROM (SELECT string_to_array(name, ' ') AS words) AS split,
             generate_series(1, coalesce(array_length(words, 1), 0)) AS position
        WHERE array_length(words, 1) >= 2 AND length(words[position]) >= {TYPO_KEY_LENGTH})
$$
""",
    f"""
CREATE OR REPLACE FUNCTION {DISTINCTIVE}(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(nullif(array_to_string(ARRAY(
        SELECT word FROM unnest(string_to_array(name, ' ')) WITH ORDINALITY AS split(word, at)
        WHERE word NOT IN ({", ".join(f"'{word}'" for word in COMMON_WORDS)})
        ORDER BY at), ' '), ''), name)
$$
""",
]
PENDING = ("WHERE state IN ('pending_payment', 'in_review', 'correction_requested', "
           "'approved')")
INDEXES = {
    "registry_company_name_typo_keys":
        f"ON registry_company USING gin (({TYPO_KEYS}(normalized_name)))",
    "registry_company_name_distinctive":
        f"ON registry_company (({DISTINCTIVE}(normalized_name)))",
    "registry_application_pending_name_typo_keys":
        f"ON registry_application USING gin (({TYPO_KEYS}(normalized_name))) {PENDING}",
    "registry_application_pending_name_distinctive":
        f"ON registry_application (({DISTINCTIVE}(normalized_name))) {PENDING}",
}


def statement(index_name: str, *, concurrently: bool = True) -> str:
    """The index's CREATE statement (the name-check benchmark builds them with it too)."""
    how = "CONCURRENTLY " if concurrently else ""
    return f"CREATE INDEX {how}IF NOT EXISTS {index_name} {INDEXES[index_name]}"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for function in CREATE_FUNCTIONS:
        schema_editor.execute(function)
    for index_name in INDEXES:
        schema_editor.execute(statement(index_name))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index_name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index_name}")
    for function in (TYPO_KEYS, DISTINCTIVE):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}(text)")


class Migration(migrations.Migration):

    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0014_name_deletion_keys"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
