from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Protections that cut across the apps: rate limits, headers, error pages."""

    name = "security"
    verbose_name = _("Sécurité")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
