"""Who may enter the back office: desk members who have set up two-factor authentication,
and managers (read-only: the dashboards of every desk, nothing to claim or decide)."""

from __future__ import annotations

from functools import wraps

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import Desk
from .selectors import desks_of, is_desk_member

# The read-only role: members of this group (created by migration 0005) see the dashboards
# of every desk, and nothing else of the back office unless they are desk members too.
MANAGERS_GROUP = "Gestionnaires"


def has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def is_manager(user) -> bool:
    return bool(user.is_authenticated and user.is_active
                and user.groups.filter(name=MANAGERS_GROUP).exists())


def dashboard_desks(user, *, manager: bool | None = None):
    """The desks whose figures the user sees: every desk for a manager, else their own."""
    manager = is_manager(user) if manager is None else manager
    return Desk.objects.all() if manager else desks_of(user)


def staff_required(view, allowed):
    """Staff allowed by `allowed(user)`, with a second factor (403 for others; anonymous
    users go to the sign-in page). Other apps build their own back-office checks on it."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not allowed(user):
            raise PermissionDenied
        if settings.STAFF_MFA_REQUIRED and not has_mfa(user):
            messages.warning(
                request,
                _("Les agents doivent activer la double authentification avant d'accéder "
                  "à l'espace agents."),
            )
            return redirect("mfa_activate_totp")
        return view(request, *args, **kwargs)

    return wrapped


def desk_member_required(view):
    """Desk members only (with a second factor): the queue, tasks, decisions."""
    return staff_required(view, is_desk_member)


def manager_or_member_required(view):
    """Desk members and managers (with a second factor): figures, never personal data."""
    return staff_required(view, lambda user: is_manager(user) or is_desk_member(user))


def staff_with_mfa(request) -> bool:
    """The admin site's permission check: active staff, with a second factor set up."""
    user = request.user
    return bool(user.is_active and user.is_staff
                and (not settings.STAFF_MFA_REQUIRED or has_mfa(user)))
