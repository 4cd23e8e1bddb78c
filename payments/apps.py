from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Paiements")

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the system checks)
        from .fees import load_initial_schedule

        post_migrate.connect(load_initial_schedule, sender=self,
                             dispatch_uid="payments.initial_schedule")
