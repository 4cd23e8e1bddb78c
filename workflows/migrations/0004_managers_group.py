"""The read-only managers' group (workflows.access.MANAGERS_GROUP): its members see the
dashboards of every desk and nothing else of the back office."""

from django.db import migrations

MANAGERS_GROUP = "Gestionnaires"


def create_managers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=MANAGERS_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("workflows", "0003_internal_notes"),
    ]

    operations = [
        migrations.RunPython(create_managers_group, migrations.RunPython.noop),
    ]
