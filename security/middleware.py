"""Middleware for the whole site: NUL bytes refused, security headers, sessions that end
when left idle, rate limits."""

from __future__ import annotations

import time
from urllib.parse import unquote_to_bytes

from django.conf import settings

from . import ratelimit, views


class RejectNulBytesMiddleware:
    """A NUL byte in the path or query string is a bad request (400), before any view,
    database (PostgreSQL refuses NUL in text) or file lookup can trip on it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if ("\x00" in request.path or "\x00" in request.path_info
                or b"\x00" in unquote_to_bytes(query)):
            return views.bad_request(request, exception=None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response, and nothing personal left in a browser's
    cache: responses to a signed-in user and files (Content-Disposition) are not stored.

    Django's SecurityMiddleware already sends X-Content-Type-Options (nosniff),
    Referrer-Policy and Cross-Origin-Opener-Policy; XFrameOptionsMiddleware X-Frame-Options.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.SECURITY_CONTENT_SECURITY_POLICY
        if policy:
            response.headers.setdefault("Content-Security-Policy", policy)
        permissions = settings.SECURITY_PERMISSIONS_POLICY
        if permissions:
            response.headers.setdefault("Permissions-Policy", permissions)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


class SlidingSessionMiddleware:
    """A session in use stays alive, and one left idle ends: SESSION_COOKIE_AGE after its
    last request (two hours, for shared computers), as SESSION_SAVE_EVERY_REQUEST would
    have it, but written back at most once every SESSION_REFRESH_SECONDS (five minutes)
    instead of on every request, so that reading a page is not also a write and a commit.
    The idle limit is then between SESSION_COOKIE_AGE less that interval and
    SESSION_COOKIE_AGE. Listed after SessionMiddleware, which saves what this marks."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A session the request never read (static files, public pages) is left as it is.
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            refreshed = session.get(self.KEY)
            if (not isinstance(refreshed, int)
                    or not 0 <= now - refreshed < settings.SESSION_REFRESH_SECONDS):
                session[self.KEY] = now
        return response


class RateLimitMiddleware:
    """The app's sensitive views, limited per client by SECURITY_RATE_LIMITS: view name ->
    "count/period" for every method, or {"rate": ..., "methods": [...]}. Over the limit the
    answer is 429 with Retry-After. Goes after AuthenticationMiddleware (counts per user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = settings.SECURITY_RATE_LIMITS.get(match.view_name) if match else None
        if rule is None:
            return None
        if isinstance(rule, dict):
            rate_text, methods = rule["rate"], rule.get("methods")
        else:
            rate_text, methods = rule, None
        if methods and request.method not in {method.upper() for method in methods}:
            return None
        retry_after = ratelimit.hit(scope=match.view_name,
                                    identity=ratelimit.client_identity(request),
                                    rate=ratelimit.parse_rate(rate_text))
        if retry_after is None:
            return None
        return views.too_many_requests(request, retry_after=retry_after)
