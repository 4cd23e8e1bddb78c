"""Scopes: each API view declares `required_scopes`; the token must hold them all."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from .models import PartnerToken


class HasScope(permissions.BasePermission):
    """Allow a valid partner token holding every scope the view requires.

    A view that declares no `required_scopes` is closed to everyone (fails closed), unless
    it opts out of permissions altogether (the public schema).
    """

    message = _("Ce jeton n'a pas le droit requis pour cette opération.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, PartnerToken):
            return False  # DRF answers 401: the authenticator names a scheme
        required = getattr(view, "required_scopes", None)
        if not required:
            return False
        return all(token.has_scope(scope) for scope in required)
