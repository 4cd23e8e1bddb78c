"""A signed filing waiting for its fee holds its name like one at the desks (registry.
similarity.PENDING_STATES): the filings' partial trigram index covers that state too, on
PostgreSQL. Elsewhere nothing is done (the check computes the similarity in Python)."""

from django.db import migrations

OLD = ("'in_review', 'correction_requested', 'approved'")
NEW = ("'pending_payment', 'in_review', 'correction_requested', 'approved'")
INDEX = "registry_application_pending_name_trgm"


def statement(states: str = NEW) -> str:
    """The filings' partial index as it stands after this migration (the name-check
    benchmark builds it with this statement too)."""
    return (f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_application "
            f"USING gin (normalized_name gin_trgm_ops) WHERE state IN ({states})")


def _rebuild(states: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(statement(states))
    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_public_search_indexes")]
    operations = [migrations.RunPython(_rebuild(NEW), _rebuild(OLD))]
