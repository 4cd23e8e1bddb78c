"""Error pages in the site's layout, French first (English for English-speaking users)."""

from __future__ import annotations

import math

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: usually a form left open too long, or cookies refused."""
    return render(request, "403_csrf.html", status=403)


def too_many_requests(request, retry_after: int | None = None):
    """429 with Retry-After; allauth's own limits render the same template, without a delay."""
    minutes = math.ceil(retry_after / 60) if retry_after else None
    response = render(request, "429.html", {"retry_minutes": minutes}, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
