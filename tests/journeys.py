"""Steps of the user journeys, driven through the web views with Django's test client."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from registry.models import Application
from workflows.models import Task, TaskState

from .conftest import COMPANY_DATA, FOUNDER_DATA, PASSWORD


def sign_up_and_verify(client, email: str) -> None:
    """Sign up, open the link of the verification e-mail, confirm: then signed in."""
    outbox_before = len(mail.outbox)
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(mail.outbox) == outbox_before + 1
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/comptes/confirm-email/[^\s]+/)", body).group(1)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302


def log_in_with_totp(client, user) -> None:
    """Password, then the authenticator code: the staff login."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(user.totp_secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:2000]


def file_sarl(client) -> Application:
    data = {f"company-{k}": v for k, v in COMPANY_DATA.items()}
    data.update({f"founder-{k}": v for k, v in FOUNDER_DATA.items()})
    data["founder-birth_date"] = FOUNDER_DATA["birth_date"].isoformat()
    response = client.post(reverse("registry:application_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    application = Application.objects.latest("pk")
    assert response["Location"] == application.get_absolute_url()
    return application


def submit(client, application: Application) -> None:
    response = client.post(reverse("registry:application_submit", args=[application.reference]))
    assert response.status_code == 302


# What each desk types in when it approves (the step's fields in the definition).
STEP_DATA = {
    "tax": {"data_nif": "1000 428 517"},
    "social_security": {"data_employer_number": "123456"},
}
# The desks in the order the company-creation procedure reaches them.
DESK_ORDER = ("guichet", "greffe", "impots", "cnss", "greffier")


def approve_ready_task(client, application_id: int, desk: str) -> Task:
    """As a desk clerk: find the task in the queue, claim it, approve it.

    With a real worker the automatic checks before it run asynchronously: wait for it.
    """
    deadline = time.monotonic() + 30
    while True:
        task = Task.objects.filter(
            case__subject_id=application_id, desk__code=desk, state=TaskState.READY,
            kind="manual",
        ).first()
        if task is not None:
            break
        assert time.monotonic() < deadline, f"no ready task at desk {desk}"
        time.sleep(0.1)
    queue = client.get(reverse("workflows:queue"))
    assert queue.status_code == 200
    assert reverse("workflows:task", args=[task.pk]).encode() in queue.content
    claim = client.post(reverse("workflows:task_action", args=[task.pk, "claim"]))
    assert claim.status_code == 302
    approve = client.post(
        reverse("workflows:task_action", args=[task.pk, "approve"]),
        {"comment": "Conforme.", **STEP_DATA.get(task.step_id, {})},
    )
    assert approve.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.APPROVED
    return task
