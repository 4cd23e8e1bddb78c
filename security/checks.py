"""System checks: the rate limits in settings must be readable."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

from .ratelimit import parse_rate


@register()
def rate_limits_are_well_formed(app_configs, **kwargs):
    errors = []
    for view_name, rule in settings.SECURITY_RATE_LIMITS.items():
        rate = rule["rate"] if isinstance(rule, dict) else rule
        try:
            parse_rate(rate)
        except ValueError:
            errors.append(Error(f"SECURITY_RATE_LIMITS[{view_name!r}]: bad rate {rate!r}",
                                hint='Write "<count>/<period>", e.g. "10/m" or "5/15m".',
                                id="security.E001"))
    return errors
