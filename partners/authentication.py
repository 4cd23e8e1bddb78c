"""Bearer tokens: `Authorization: Bearer <prefix>.<secret>`."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.client_ip import client_ip

from .models import PartnerToken
from .services import touch_token

KEYWORD = "Bearer"
# Wrong tokens a client address may present per minute before it is refused (429): token
# guessing stays slow, and the call log cannot be flooded through failures.
FAILURES_PER_MINUTE = 20


def _failures_key(request) -> str:
    return f"partners:auth-failures:{client_ip(request) or 'unknown'}"


def _refuse_guessers(request) -> None:
    if cache.get(_failures_key(request), 0) >= FAILURES_PER_MINUTE:
        raise exceptions.Throttled(wait=60)


def _count_failure(request) -> None:
    key = _failures_key(request)
    if not cache.add(key, 1, 60):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, 60)


class PartnerTokenAuthentication(authentication.BaseAuthentication):
    """The partner's token, looked up by its prefix and checked by the SHA-256 of its
    secret (constant-time comparison). Revoked, expired or deactivated: 401.

    The token found is kept on the request (`partner_token_seen`), even when refused, so
    the call log says whose call was refused.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("En-tête Authorization invalide : attendu « Bearer <jeton> »."))
        _refuse_guessers(request)
        try:
            prefix, secret = header[1].decode("ascii").split(".", 1)
        except (UnicodeDecodeError, ValueError):
            _count_failure(request)
            raise exceptions.AuthenticationFailed(_("Jeton invalide.")) from None
        token = (PartnerToken.objects.select_related("partner__service_user")
                 .filter(prefix=prefix).first())
        if token is None or not secret or not token.matches(secret):
            _count_failure(request)
            raise exceptions.AuthenticationFailed(_("Jeton invalide."))
        request.partner_token_seen = token
        refusal = token.refusal()
        if refusal:
            raise exceptions.AuthenticationFailed(refusal)
        touch_token(token)
        return token.partner.service_user, token

    def authenticate_header(self, request) -> str:
        # Present, so a missing or refused token answers 401 (not 403).
        return f'{KEYWORD} realm="api"'
