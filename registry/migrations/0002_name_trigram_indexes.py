"""Trigram indexes for the company-name check (registry.similarity), on PostgreSQL only.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it. The
filings' index is partial: only pending filings are compared, and registered ones, which
would otherwise fill the index with the same names as the companies, are left out. Its
states are registry.similarity.PENDING_STATES: change both together.

On other databases (SQLite in the demo) nothing is done: the check computes the same
similarity in Python. Reversing drops the indexes and keeps the extension, which other
objects may use.

Also brings the stored normalised names up to date with registry.names.normalize, which
now also drops "Sté", splits "Ets.Kodjo" at the dot and spells out œ and æ.
"""

from django.db import migrations

INDEXES = {
    "registry_company_normalized_name_trgm": (
        "CREATE INDEX IF NOT EXISTS registry_company_normalized_name_trgm "
        "ON registry_company USING gin (normalized_name gin_trgm_ops)"
    ),
    "registry_application_pending_name_trgm": (
        "CREATE INDEX IF NOT EXISTS registry_application_pending_name_trgm "
        "ON registry_application USING gin (normalized_name gin_trgm_ops) "
        "WHERE state IN ('in_review', 'correction_requested', 'approved')"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in INDEXES.values():
        schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index_name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {index_name}")


def renormalize_names(apps, schema_editor):
    from registry.names import normalize

    for model_name, name_field in (("Application", "company_name"), ("Company", "name")):
        model = apps.get_model("registry", model_name)
        changed = []
        for row in model.objects.only("pk", name_field, "normalized_name").iterator():
            normalized = normalize(getattr(row, name_field))
            if normalized != row.normalized_name:
                row.normalized_name = normalized
                changed.append(row)
        model.objects.bulk_update(changed, ["normalized_name"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(renormalize_names, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
