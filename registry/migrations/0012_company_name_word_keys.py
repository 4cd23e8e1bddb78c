"""An index for the public search by one common word (registry.public.selectors), on
PostgreSQL only, hand-written.

A name search by one word ranks first the names that contain the word itself (word
similarity 1), and among them the names alike as a whole first: the word's trigrams over
all the trigrams of the name, that is the fewer distinct trigrams the name has, the closer.
The trigram index of migration 0002 finds those names but not in that order: a word that
one name in 40 has left 25,000 names to fetch and rank at a million companies, for a page
of 25.

This index keys every word of a name with the name's count of distinct trigrams
("informatique:21" for "kofitalo informatique"): the names with the word and a given count
are then one entry of the index, and a page reads the counts in turn, closest first,
until it is full (selectors._exact_word_rows), a few hundred rows at most.

The expression is the one selectors.WORD_KEYS writes: change both together (a test checks
the search uses the index). Built CONCURRENTLY (hence a non-atomic migration), as 0009's;
not declared on the model, so that the model's state stays as it was; reversing drops it.
On other databases (SQLite in the demo) nothing is done: the search ranks in Python there.
"""

from django.db import migrations

INDEX_NAME = "registry_company_name_word_keys"
WORD_KEYS = (r"string_to_array(regexp_replace(normalized_name, '([a-z0-9]+)', "
             r"'\1:' || array_length(show_trgm(normalized_name), 1)::text, 'g'), ' ')")


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX_NAME} "
                          f"ON registry_company USING gin (({WORD_KEYS}))")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):

    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0011_company_change"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
