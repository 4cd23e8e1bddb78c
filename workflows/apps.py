from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _publish_definitions(sender, **kwargs) -> None:
    from .definitions import sync_all

    sync_all()


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Procédures et guichets")

    def ready(self) -> None:
        # Desks and procedure definitions live in files; each migrate publishes changes.
        post_migrate.connect(_publish_definitions, sender=self)
