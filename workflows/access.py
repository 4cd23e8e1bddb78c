"""Who may enter the back office: desk members who have set up two-factor authentication."""

from __future__ import annotations

from functools import wraps

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .selectors import is_desk_member


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def desk_member_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_desk_member(user):
            raise PermissionDenied
        if settings.STAFF_MFA_REQUIRED and not has_mfa(user):
            messages.warning(
                request,
                _("Les agents doivent activer la double authentification avant d'accéder "
                  "au back-office."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapped


def staff_with_mfa(request) -> bool:
    """The admin site's permission check: active staff, with a second factor set up."""
    user = request.user
    return bool(user.is_active and user.is_staff
                and (not settings.STAFF_MFA_REQUIRED or has_mfa(user)))
