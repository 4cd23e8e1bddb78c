"""Driving a filing after registration through the web pages (no assertions here but the
ones that say a step of the journey did what it must to go on)."""

from __future__ import annotations

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from amendments.models import Amendment
from amendments.services import required_documents
from payments import selectors as payment_selectors
from payments import services as payments
from payments.models import CounterMethod
from workflows import selectors as workflow_selectors
from workflows.models import Task, TaskState

from ..fees import cashier
from ..journeys import pdf_bytes, run_on_commit, signature_code


def start(client: Client, company, change_type: str):
    return client.post(reverse("amendments:start", args=[company.application.reference]),
                       {"change_type": change_type})


def open_amendment(client: Client, company, change_type: str) -> Amendment:
    response = start(client, company, change_type)
    assert response.status_code == 302, response.content.decode()[:500]
    return Amendment.objects.filter(company=company).order_by("-pk").first()


def declare(client: Client, amendment: Amendment, data: dict):
    return client.post(reverse("amendments:edit", args=[amendment.reference]), data)


def attach_all(client: Client, amendment: Amendment) -> None:
    amendment.refresh_from_db()
    for requirement in required_documents(amendment):
        response = client.post(
            reverse("amendments:documents", args=[amendment.reference]),
            {"requirement": requirement.code,
             "file": SimpleUploadedFile(f"{requirement.code}.pdf", pdf_bytes(requirement.code),
                                        content_type="application/pdf")})
        assert response.status_code == 302


def sign(client: Client, amendment: Amendment, user) -> None:
    url = reverse("amendments:sign", args=[amendment.reference])
    before = len(mail.outbox)
    with run_on_commit():  # the code goes out after commit
        response = client.post(url, {"accept": "on"})
    assert response.status_code == 200
    code = signature_code(user.email, after=before)
    response = client.post(url, {"code": code})
    assert response.status_code == 302, response.content.decode()[:3000]


def pay(amendment: Amendment) -> None:
    invoice = payment_selectors.invoice_of(amendment)
    payments.record_counter_payment(invoice_number=invoice.number, cashier=cashier(),
                                    method=CounterMethod.CASH, amount=invoice.amount)


def file(client: Client, company, user, change_type: str, data: dict) -> Amendment:
    """Start, declare, attach, sign and pay: the filing is at the desks."""
    amendment = open_amendment(client, company, change_type)
    response = declare(client, amendment, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    attach_all(client, amendment)
    sign(client, amendment, user)
    pay(amendment)
    amendment.refresh_from_db()
    return amendment


def ready_tasks(amendment: Amendment) -> list[Task]:
    case = workflow_selectors.case_for(amendment)
    return list(Task.objects.filter(case=case, state=TaskState.READY).order_by("position"))


def decide(clerk, task: Task, action: str, **data):
    """A clerk decides through the back office's pages (claim, then the decision)."""
    client = Client()
    client.force_login(clerk)
    client.post(reverse("workflows:task_action", args=[task.pk, "claim"]))
    return client.post(reverse("workflows:task_action", args=[task.pk, action]),
                       {"confirm": "1", "comment": data.pop("comment", "Conforme."), **data})


def instruct(amendment: Amendment, clerks: dict, capture) -> None:
    """Every desk of the filing's procedure approves, the registrar last; what runs on
    commit runs (the automatic checks a decision readies, the extract sealed after the
    registrar's approval). A ready automatic check is the worker's, not a clerk's."""
    while True:
        tasks = [task for task in ready_tasks(amendment) if task.kind == "manual"]
        if not tasks:
            assert not ready_tasks(amendment), "an automatic check was left waiting"
            return
        for task in tasks:
            with capture(execute=True):
                response = decide(clerks[task.desk.code], task, "approve")
            assert response.status_code == 302
