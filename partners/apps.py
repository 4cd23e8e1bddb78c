from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partenaires (API)")

    def ready(self) -> None:
        from registry.models import Company
        from registry.signals import company_registered

        from . import webhooks
        from .api import schema  # noqa: F401  (describes the token in the OpenAPI schema)

        company_registered.connect(webhooks.on_company_registered, sender=Company,
                                   dispatch_uid="partners.webhooks.company_registered")
