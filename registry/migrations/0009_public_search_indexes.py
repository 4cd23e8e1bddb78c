"""Indexes for the public register's search (registry.public.selectors), hand-written.

Every page of the search is newest first (registered_at, then id, both descending) unless
words are searched: the indexes below let a page walk the register in that order, whole
or narrowed to a legal form, a region (and a form within it), a situation or an activity,
and stop once the page is full, at any depth (keyset pagination).

Already indexed elsewhere, so not repeated: the RCCM number (unique), the NIF (the partial
unique constraint company_unique_nif serves `nif = '…'`), and the normalised name, by a
B-tree (the field's db_index) and, on PostgreSQL, the GIN trigram index of migration
0002_name_trigram_indexes that the name search's `%>` operator uses.

On PostgreSQL the indexes are built CONCURRENTLY (hence a non-atomic migration): the
register keeps taking registrations while a million rows are indexed. Other databases
(SQLite in the demo) get the same indexes the ordinary way. They are not declared on the
model, so that the model's state stays as it was; reversing drops them.
"""

from django.db import migrations

INDEXES = {
    "company_public_newest": "(registered_at DESC, id DESC)",
    "company_public_form_newest": "(legal_form, registered_at DESC, id DESC)",
    "company_public_region_newest": "(region, registered_at DESC, id DESC)",
    "company_public_region_form_newest": "(region, legal_form, registered_at DESC, id DESC)",
    "company_public_status_newest": "(status, registered_at DESC, id DESC)",
    "company_public_activity_newest": "(activity_code, registered_at DESC, id DESC)",
}


def create_indexes(apps, schema_editor):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX{concurrently} IF NOT EXISTS {name} ON registry_company {columns}")


def drop_indexes(apps, schema_editor):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX{concurrently} IF EXISTS {name}")


class Migration(migrations.Migration):

    # CREATE INDEX CONCURRENTLY cannot run inside a transaction.
    atomic = False

    dependencies = [
        ("registry", "0008_public_register"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
