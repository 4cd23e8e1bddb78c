"""Steps of the user journeys, driven through the web views with Django's test client."""

from __future__ import annotations

import io
import re
import time
from contextlib import nullcontext

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from lxml import html as lxml_html
from reportlab.pdfgen import canvas

from registry.models import Application, ApplicationState
from workflows.models import Task, TaskState

from .conftest import COMPANY_DATA, FOUNDER_DATA, PASSWORD
from .fees import pay_fee


def sign_up_and_verify(client, email: str, *, first_name: str = "Awa",
                       last_name: str = "Koffi") -> None:
    """Sign up, open the link of the verification e-mail, confirm: then signed in."""
    outbox_before = len(mail.outbox)
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD,
         "first_name": first_name, "last_name": last_name},
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


# --- the guided filing ---------------------------------------------------------------------


def pdf_bytes(text: str = "Pièce justificative") -> bytes:
    """A small, real PDF (one page with one line of text)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return buffer.getvalue()


def pdf_upload(name: str = "piece.pdf", text: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(text or name), content_type="application/pdf")


def run_on_commit():
    """Run the transaction.on_commit callbacks registered inside the block when it exits
    (Celery is eager in tests: the signature code is then e-mailed)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


# What the applicant types in each section of a SARL, as the forms name the fields.
SECTION_ANSWERS = {
    "names": {"name_1": COMPANY_DATA["company_name"], "name_2": "Lagune Bleue",
              "name_3": "", "acronym": "", "trade_name": ""},
    "activity": {"activity_code": COMPANY_DATA["activity_code"],
                 "business_purpose": COMPANY_DATA["business_purpose"]},
    "office": {"region": COMPANY_DATA["region"], "prefecture": COMPANY_DATA["prefecture"],
               "city": COMPANY_DATA["city"],
               "registered_office": COMPANY_DATA["registered_office"]},
    "capital": {"capital": str(COMPANY_DATA["capital"]),
                "share_count": str(COMPANY_DATA["share_count"]),
                "share_nominal": str(COMPANY_DATA["share_nominal"]), "duration_years": "99"},
}


def party_form_data(**overrides) -> dict:
    """The person form for the founder: sole partner and manager, bringing the whole capital
    in cash (and so, holding 100 %, the beneficial owner the rules require)."""
    data = {
        "kind": "natural",
        "roles": ["partner", "manager", "beneficial_owner"],
        "first_name": FOUNDER_DATA["first_name"],
        "last_name": FOUNDER_DATA["last_name"],
        "birth_date": FOUNDER_DATA["birth_date"].isoformat(),
        "birth_place": "Lomé",
        "nationality": FOUNDER_DATA["nationality"],
        "id_document_number": FOUNDER_DATA["id_document_number"],
        "legal_name": "", "registration_number": "", "representative": "",
        "address": FOUNDER_DATA["address"],
        "shares": str(FOUNDER_DATA["shares"]),
        "cash_contribution": str(COMPANY_DATA["capital"]),
        "in_kind_contribution": "0",
        "in_kind_description": "",
        "ownership_percent": "100",
    }
    data.update(overrides)
    return data


def start_filing(client, legal_form: str = "SARL") -> Application:
    before = set(Application.objects.values_list("pk", flat=True))
    response = client.post(reverse("registry:application_create"), {"legal_form": legal_form})
    assert response.status_code == 302, response.content.decode()[:3000]
    (application,) = Application.objects.exclude(pk__in=before)
    assert response["Location"] == application.get_absolute_url()
    return application


def save_section(client, application: Application, section: str, data: dict) -> None:
    response = client.post(reverse("registry:section", args=[application.reference, section]),
                           data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == application.get_absolute_url()


def add_person(client, application: Application, data: dict) -> None:
    response = client.post(reverse("registry:party_add", args=[application.reference]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("registry:people", args=[application.reference])


def requirements_on_page(client, application: Application) -> list[tuple[str, bool]]:
    """(requirement code, due later?) for every line of the documents page."""
    page = client.get(reverse("registry:documents", args=[application.reference]))
    assert page.status_code == 200
    tree = lxml_html.fromstring(page.content.decode())
    lines = []
    for field in tree.xpath('//input[@name="requirement"]'):
        card = field.xpath('ancestor::div[contains(@class, "card")][1]')[0]
        lines.append((field.get("value"), "plus tard" in card.text_content()))
    return lines


def upload_document(client, application: Application, requirement: str, upload):
    return client.post(reverse("registry:documents", args=[application.reference]),
                       {"requirement": requirement, "file": upload})


def upload_every_document(client, application: Application) -> list[str]:
    """Upload a small PDF for every document the page asks for now (not the later ones)."""
    uploaded = []
    for code, later in requirements_on_page(client, application):
        if later:
            continue
        name = f"{code.replace(':', '-')}.pdf"
        response = upload_document(client, application, code, pdf_upload(name))
        assert response.status_code == 302, response.content.decode()[:3000]
        uploaded.append(code)
    return uploaded


def file_sarl(client) -> Application:
    """The SARL of COMPANY_DATA, filled in section by section through the views."""
    application = start_filing(client, "SARL")
    for section, data in SECTION_ANSWERS.items():
        save_section(client, application, section, data)
    add_person(client, application, party_form_data())
    uploaded = upload_every_document(client, application)
    assert {code.split(":")[0] for code in uploaded} == {
        "statuts", "justificatif_siege", "piece_identite", "declaration_non_interdiction"}
    application.refresh_from_db()
    return application


SIGNATURE_SUBJECT = re.compile(r"^Votre code de signature : (\d{6})$")


def signature_code(email: str, *, after: int = 0, timeout: float = 0.0) -> str:
    """The code of the latest signature e-mail to `email` among mail.outbox[after:];
    with a timeout, wait for it (a real worker sends it)."""
    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(mail.outbox[after:]):
            match = SIGNATURE_SUBJECT.match(message.subject)
            if match and message.to == [email]:
                assert match.group(1) in message.body
                return match.group(1)
        assert time.monotonic() < deadline, "no signature code e-mail"
        time.sleep(0.1)


def request_code(client, application: Application, *, on_commit=run_on_commit,
                 timeout: float = 0.0) -> str:
    """Check your answers, accept the declaration, and read the code the e-mail brings."""
    after = len(mail.outbox)
    with on_commit():
        response = client.post(reverse("registry:review", args=[application.reference]),
                               {"accept": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == reverse("registry:sign", args=[application.reference])
    return signature_code(application.owner.email, after=after, timeout=timeout)


def sign(client, application: Application, *, real_worker: bool = False,
         pay: bool = True) -> None:
    """Request the one-time code and type it in: the filing is signed and owes its fee.
    With `pay` (the default) the fee is then paid at the counter and the case starts at
    the desks; with pay=False the filing is left in pending_payment.

    With a real worker the e-mail leaves when the worker runs the task: wait for it.
    """
    code = request_code(client, application,
                        on_commit=nullcontext if real_worker else run_on_commit,
                        timeout=30.0 if real_worker else 0.0)
    response = client.post(reverse("registry:sign", args=[application.reference]),
                           {"code": code})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == application.get_absolute_url()
    application.refresh_from_db()
    if pay and application.state == ApplicationState.PENDING_PAYMENT:
        with nullcontext() if real_worker else run_on_commit():
            pay_fee(application)


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
        {"confirm": "1", "comment": "Conforme.", **STEP_DATA.get(task.step_id, {})},
    )
    assert approve.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.APPROVED
    return task
