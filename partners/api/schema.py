"""How the OpenAPI schema describes the partner token (drf-spectacular extension)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "partners.authentication.PartnerTokenAuthentication"
    name = "jetonPartenaire"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(_("Jeton remis par le registre : « Authorization: Bearer "
                                 "<préfixe>.<secret> ». Chaque opération exige un droit "
                                 "(companies:read, registrations:read, desk:act).")),
        }
