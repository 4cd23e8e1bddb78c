# Task review: what an automatic check found (Task.evidence) and internal notes (Note).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('workflows', '0002_queue_search'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='evidence',
            field=models.JSONField(blank=True, default=list, verbose_name='constats du contrôle automatique'),
        ),
        migrations.CreateModel(
            name='Note',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(max_length=4000, verbose_name='note')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='écrite le')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='auteur')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='workflows.case')),
                ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notes', to='workflows.task', verbose_name='tâche')),
            ],
            options={
                'verbose_name': 'note interne',
                'verbose_name_plural': 'notes internes',
                'ordering': ('-created_at', '-id'),
                'indexes': [models.Index(fields=['case', '-created_at'], name='note_case_newest')],
            },
        ),
    ]
