"""Content-Security-Policy without inline script, and nothing personal left in the cache of
a shared computer: responses to signed-in users and files are `private, no-store`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from security.middleware import SecurityHeadersMiddleware

ROOT = Path(settings.BASE_DIR)
pytestmark = pytest.mark.django_db


def test_every_page_carries_a_policy_without_inline_script(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def _site_templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        yield from folder.rglob("*.html")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"<style|\sstyle\s*=", re.IGNORECASE)


def test_no_template_needs_inline_script_or_style():
    """The policy forbids them, so a template that uses them would break in browsers.
    E-mails are not pages: they keep their inline styles."""
    offending = []
    for template in _site_templates():
        text = template.read_text(encoding="utf-8")
        checks = [INLINE_SCRIPT, EVENT_HANDLER]
        if "email" not in template.name:
            checks.append(STYLE)
        for pattern in checks:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offending.append(f"{template.relative_to(ROOT)}:{line}")
    assert offending == []


def test_pages_for_a_signed_in_user_are_not_stored(client, entrepreneur):
    client.force_login(entrepreneur)

    for url in ("/", "/dossiers/", "/comptes/preferences/"):
        assert client.get(url)["Cache-Control"] == "private, no-store", url


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_a_file_is_never_stored_even_for_an_anonymous_visitor(tmp_path):
    path = tmp_path / "extrait.pdf"
    path.write_bytes(b"%PDF-1.7")
    request = RequestFactory().get("/")
    middleware = SecurityHeadersMiddleware(
        lambda request: FileResponse(path.open("rb"), as_attachment=True,
                                     filename="extrait.pdf"))

    response = middleware(request)
    response.close()

    assert response["Cache-Control"] == "private, no-store"
    plain = SecurityHeadersMiddleware(lambda request: HttpResponse("ok"))(request)
    assert not plain.has_header("Cache-Control")


def test_a_document_download_is_not_stored(client, entrepreneur, draft):
    client.force_login(entrepreneur)

    response = client.get(f"/dossiers/{draft.reference}/statuts.docx")

    assert response.status_code == 200
    assert response.has_header("Content-Disposition")
    assert response["Cache-Control"] == "private, no-store"


def test_sessions_suit_shared_computers():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 4 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY is True
    # Idle sessions end: a session in use is written back often enough to slide.
    assert settings.SESSION_REFRESH_SECONDS <= 600
    middleware = settings.MIDDLEWARE
    assert (middleware.index("security.middleware.SlidingSessionMiddleware")
            > middleware.index("django.contrib.sessions.middleware.SessionMiddleware"))


def _session_writes(queries) -> int:
    return sum(query["sql"].startswith(("UPDATE \"django_session\"",
                                        "INSERT INTO \"django_session\""))
               for query in queries.captured_queries)


def test_a_session_in_use_slides_but_is_not_written_on_every_request(client, entrepreneur):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from security.middleware import SlidingSessionMiddleware

    client.force_login(entrepreneur)
    client.get("/dossiers/")  # the first request after signing in marks the session
    key = client.session.session_key
    marked = client.session[SlidingSessionMiddleware.KEY]
    expiry = Session.objects.get(pk=key).expire_date

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dossiers/").status_code == 200
    assert _session_writes(queries) == 0
    assert Session.objects.get(pk=key).expire_date == expiry

    # Five minutes later (the mark set back), the next request writes it, and the session
    # then ends two hours after that request.
    session = client.session
    session[SlidingSessionMiddleware.KEY] = marked - settings.SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(pk=key).update(expire_date=expiry)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dossiers/").status_code == 200
    assert _session_writes(queries) == 1
    assert Session.objects.get(pk=key).expire_date > expiry
    assert client.session[SlidingSessionMiddleware.KEY] >= marked


def test_a_public_page_leaves_the_session_alone(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert _session_writes(queries) == 0
