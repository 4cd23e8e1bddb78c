"""The name check's ways into the register (registry.similarity), on the distinctive form of
the names, on PostgreSQL only, hand-written.

The check decides on a name's distinctive form: the normalised name without its common
words ("Groupe", "Services", "Togo"; registry.similarity.COMMON_WORDS). Its candidates are
now found on that same form, by exact keys or at the threshold itself, so that the index
is never asked for the looser band a typo needs: asked for names less similar than the
threshold (0.55 for 0.75), the trigram index of migration 0002 answers a name with one long
common word ("Melo Assainissement Anfame") with every name holding that word, 7,000 rows to
read at a million companies, 50 ms; asked at the threshold, 30 rows. On the distinctive
form (SQL function registry_name_distinctive, as stored_distinctive):

- a trigram index: the names as close as the threshold, on the measure the check decides on;
- a b-tree: the names of the same form ("Multimédia Group Kuevi" for "Multimédia Kuevi"),
  or of a run of the wanted name's words (an existing name extended: "Banque Éléphant
  Bleu" for "Éléphant Bleu");
- typo keys (registry_name_typo_keys, as typo_keys): the form with each of its words in turn
  replaced by the word's length ("kaseso *12"); a name one typo away in one of its words
  shares a key with one length of the three (one letter more, as many, one fewer);
- one-word keys (registry_name_word_keys, as word_keys): a form of one word, up to 24
  letters, with each letter left out in turn (migration 0014's function): a long word one
  typo away keeps too few trigrams in common ("Électrotechnique", "Électrotechnuque": 0.70).

Short names (up to 12 characters) keep the deletion keys of migration 0014.

The functions are the ones registry.similarity computes in Python (tests compare them),
with the same word list: change both together. The filings' indexes cover the pending
states only, as those of migrations 0010 and 0014 do. Indexes built CONCURRENTLY (hence a
non-atomic migration); not declared on the models. Reversing drops indexes and functions.
"""

from django.db import migrations

TYPO_KEYS = "registry_name_typo_keys"
WORD_KEYS = "registry_name_word_keys"
DISTINCTIVE = "registry_name_distinctive"
# registry.similarity.COMMON_WORDS, TYPO_KEY_LENGTH and WORD_KEY_LENGTHS.
COMMON_WORDS = ("group", "groupe", "groupes", "service", "services", "togo")
TYPO_KEY_LENGTH = 3
WORD_KEY_SHORTEST, WORD_KEY_LONGEST = 3, 24
CREATE_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION {DISTINCTIVE}(name text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(nullif(array_to_string(ARRAY(
        SELECT word FROM unnest(string_to_array(name, ' ')) WITH ORDINALITY AS split(word, at)
        WHERE word NOT IN ({", ".join(f"'{word}'" for word in COMMON_WORDS)})
        ORDER BY at), ' '), ''), name)
$$
""",
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
CREATE OR REPLACE FUNCTION {WORD_KEYS}(name text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN strpos(name, ' ') = 0
                     AND length(name) BETWEEN {WORD_KEY_SHORTEST} AND {WORD_KEY_LONGEST}
                THEN registry_name_deletion_keys(name) ELSE '{{}}'::text[] END
$$
""",
]
PENDING = ("WHERE state IN ('pending_payment', 'in_review', 'correction_requested', "
           "'approved')")
FORM = f"{DISTINCTIVE}(normalized_name)"
INDEXES = {
    "registry_company_distinctive_trgm":
        f"ON registry_company USING gin (({FORM}) gin_trgm_ops)",
    "registry_company_distinctive":
        f"ON registry_company (({FORM}))",
    "registry_company_distinctive_typo_keys":
        f"ON registry_company USING gin (({TYPO_KEYS}({FORM})))",
    "registry_company_distinctive_word_keys":
        f"ON registry_company USING gin (({WORD_KEYS}({FORM})))",
    "registry_application_pending_distinctive_trgm":
        f"ON registry_application USING gin (({FORM}) gin_trgm_ops) {PENDING}",
    "registry_application_pending_distinctive":
        f"ON registry_application (({FORM})) {PENDING}",
    "registry_application_pending_distinctive_typo_keys":
        f"ON registry_application USING gin (({TYPO_KEYS}({FORM}))) {PENDING}",
    "registry_application_pending_distinctive_word_keys":
        f"ON registry_application USING gin (({WORD_KEYS}({FORM}))) {PENDING}",
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
    for function in (WORD_KEYS, TYPO_KEYS, DISTINCTIVE):
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
