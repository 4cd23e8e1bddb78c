"""The name check's keys again, now that names.normalize folds look-alike letters (Cyrillic
and Greek homoglyphs, the letters of Ewe and Kabiyè): a key computed before would miss a
spoofed or re-spelled name."""

from django.db import migrations

from registry.names import normalize

BATCH = 2000


def recompute(apps, schema_editor):
    for model_name, name_field in (("Application", "company_name"), ("Company", "name")):
        model = apps.get_model("registry", model_name)
        changed = []
        for row in model.objects.only("pk", name_field, "normalized_name").iterator(
                chunk_size=BATCH):
            key = normalize(getattr(row, name_field))
            if key != row.normalized_name:
                row.normalized_name = key
                changed.append(row)
            if len(changed) >= BATCH:
                model.objects.bulk_update(changed, ["normalized_name"])
                changed = []
        model.objects.bulk_update(changed, ["normalized_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_company_registered_office_length"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True),
    ]
