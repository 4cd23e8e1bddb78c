"""The name check's vocabulary (registry.NameWord): how many registered names hold each
word. Counted here once, from the register as it stands, so that the check weighs words
from the first deploy on; the daily task (registry.tasks.refresh_name_vocabulary) keeps it
up to date afterwards. The count is registry.vocabulary.refresh_vocabulary's, frozen here
as migrations are."""

from collections import Counter

from django.db import migrations, models


def count_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "INSERT INTO registry_nameword (word, companies) "
            "SELECT word, count(*) FROM registry_company, LATERAL (SELECT DISTINCT "
            "unnest(string_to_array(normalized_name, ' ')) AS word) AS words "
            "WHERE word <> '' GROUP BY word")
        schema_editor.execute("ANALYZE registry_nameword")
        return
    Company = apps.get_model("registry", "Company")
    NameWord = apps.get_model("registry", "NameWord")
    counts = Counter(word for name in Company.objects.values_list("normalized_name", flat=True)
                     .iterator() for word in set(name.split()))
    NameWord.objects.bulk_create(
        (NameWord(word=word, companies=count) for word, count in counts.items()),
        batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0015_name_distinctive_keys'),
    ]

    operations = [
        migrations.CreateModel(
            name='NameWord',
            fields=[
                ('word', models.CharField(max_length=200, primary_key=True, serialize=False)),
                ('companies', models.PositiveIntegerField()),
            ],
        ),
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
