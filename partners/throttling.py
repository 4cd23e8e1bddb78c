"""Rate limits per token, counted in the shared cache (Redis in production)."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import PartnerToken


class PartnerRateThrottle(SimpleRateThrottle):
    """REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["partner"] calls per token; calls without
    a token (the public schema) are counted per client address."""

    scope = "partner"

    def get_rate(self):
        # Read at each request, not frozen at import (DRF's class attribute), so a settings
        # change (environment, tests) takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        token = request.auth
        if isinstance(token, PartnerToken):
            ident = f"token-{token.pk}"
        else:
            ident = f"addr-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
