from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Travaux en arrière-plan")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the Celery signals)
