"""Shared fixtures: users for every role, a filing ready to submit, and test isolation."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from config.celery import app as celery_app
from registry import services as registry_services
from tests.fees import submit_and_pay
from workflows.models import Desk, DeskMembership

PASSWORD = "Un-mot-de-passe-solide-2026"


class _OneRequestAtATime:
    """The live server's application, serving one request at a time.

    On in-memory SQLite (the embedded defaults) every thread of the live server shares the
    test's one connection, so two requests at once (a page and the name check it starts as
    one types) interleave their transactions' savepoints on it and break it for the rest
    of the session. A browser makes such requests; PostgreSQL, where each thread has its
    own connection, keeps them concurrent.
    """

    def __init__(self, application):
        self.application = application
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            response = self.application(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]


def _serialise_live_server_on_shared_connection():
    from django.test.testcases import LiveServerThread

    create_server = LiveServerThread._create_server

    def _create_server(self, connections_override=None):
        server = create_server(self, connections_override=connections_override)
        if connections_override:
            set_app = server.set_app
            server.set_app = lambda application: set_app(_OneRequestAtATime(application))
        return server

    LiveServerThread._create_server = _create_server


_serialise_live_server_on_shared_connection()


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Files go to a temporary folder; Celery runs eagerly unless a test starts a worker.

    The cache is emptied so that allauth's rate limits (kept in the cache) do not leak
    from one test to the next.
    """
    from django.core.cache import cache

    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    def make(email: str, *, desk: str | None = None, mfa: bool = True, supervisor=False):
        user = get_user_model().objects.create_user(
            email=email, password=PASSWORD, first_name="Ama", last_name="DOE"
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        if desk:
            DeskMembership.objects.create(
                user=user, desk=Desk.objects.get(code=desk), is_supervisor=supervisor
            )
            if mfa:
                user.totp_secret = generate_totp_secret()
                TOTP.activate(user, user.totp_secret)
        return user

    return make


@pytest.fixture
def entrepreneur(make_user):
    return make_user("kossi@example.tg")


@pytest.fixture
def other_entrepreneur(make_user):
    return make_user("yawo@example.tg")


@pytest.fixture
def clerks(make_user):
    """One clerk per desk of the company-creation procedure, keyed by desk code."""
    return {
        code: make_user(f"{code}@cfe.example.tg", desk=code)
        for code in ("guichet", "greffe", "impots", "cnss", "greffier")
    }


COMPANY_DATA = {
    "legal_form": "SARL",
    "company_name": "Éléphant Bleu",
    "activity_code": "46",
    "business_purpose": "Import-export de matériel de bureau.",
    "capital": 1_000_000,
    "share_count": 200,
    "share_nominal": 5_000,
    "region": "maritime",
    "prefecture": "golfe",
    "registered_office": "12 rue du Commerce",
    "city": "Lomé",
}
FOUNDER_DATA = {
    "first_name": "Kossi",
    "last_name": "Agbeko",
    "birth_date": date(1985, 3, 14),
    "nationality": "Togolaise",
    "id_document_number": "TG-CNI-123456",
    "address": "Bè, Lomé",
    "shares": 200,
}


@pytest.fixture
def draft(entrepreneur):
    return registry_services.application_create(
        owner=entrepreneur, data=dict(COMPANY_DATA), founder=dict(FOUNDER_DATA)
    )


@pytest.fixture
def submitted(draft, entrepreneur):
    return submit_and_pay(application_id=draft.pk, user=entrepreneur)


@pytest.fixture
def registered(submitted, clerks):
    """The submitted filing taken through every desk, its certificate issued."""
    from registry.models import ApplicationState

    from .registry.procedure.helpers import case_of, complete

    complete(case_of(submitted), clerks, certificate=True)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.REGISTERED
    return submitted
