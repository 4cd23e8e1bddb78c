"""A desk's policy of deciding without a separate claim step (desks.yaml:
decide_without_claim), and the indexes the dashboards read when computed on the request:
a desk's decided tasks by decision time (partial: decided tasks only) and cases by state
and closing time."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0004_managers_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="desk",
            name="decide_without_claim",
            field=models.BooleanField(
                default=False, verbose_name="décision sans prise en charge préalable"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["state", "ended_at"], name="case_state_ended"),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(condition=models.Q(("decided_at__isnull", False)),
                               fields=["desk", "decided_at"], name="task_decided_by_desk"),
        ),
    ]
