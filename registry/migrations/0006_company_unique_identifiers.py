# One company per NIF and per CNSS employer number on the register (empty: not yet known).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0004_sealed_storage"),
        ("registry", "0005_recompute_name_keys"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="company",
            constraint=models.UniqueConstraint(
                condition=models.Q(("nif", ""), _negated=True),
                fields=("nif",), name="company_unique_nif"),
        ),
        migrations.AddConstraint(
            model_name="company",
            constraint=models.UniqueConstraint(
                condition=models.Q(("employer_number", ""), _negated=True),
                fields=("employer_number",), name="company_unique_employer_number"),
        ),
    ]
