"""Filings built with the drafting services (where the web pages would be tedious), and
ways to read the pages the tests then look at. No assertions about the application here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import html as lxml_html

from registry import filing
from registry.models import Application, ApplicationState
from registry.services import drafting
from registry.services import signature as signing
from workflows.models import AuditEvent

from ..conftest import COMPANY_DATA
from ..fees import pay_fee
from ..journeys import pdf_bytes, run_on_commit, signature_code

KOSSI = {"first_name": "Kossi", "last_name": "Agbeko", "birth_date": date(1985, 3, 14),
         "birth_place": "Lomé", "nationality": "Togolaise", "id_document_number": "TG-CNI-123456",
         "address": "Bè, Lomé"}
AFI = {"first_name": "Afi", "last_name": "Mensah", "birth_date": date(1990, 7, 2),
       "birth_place": "Kpalimé", "nationality": "Togolaise", "id_document_number": "TG-CNI-777888",
       "address": "Tokoin, Lomé"}
AUDIT_FIRM = {"kind": "legal", "legal_name": "Cabinet Audit Lagune", "registration_number":
              "TG-LOM-2010-B-01234", "representative": "Yao Dossou", "address": "Lomé"}


def person(base: dict, *roles: str, shares: int = 0, cash: int = 0,
           percent: int | None = None, **extra) -> dict:
    """Party data for drafting.save_party: who, with which roles and contributions."""
    return {"kind": "natural", **base, "roles": list(roles), "shares": shares,
            "cash_contribution": cash, "ownership_percent": percent, **extra}


@dataclass(frozen=True)
class Plan:
    """A filing to build: the legal form, the capital (None: no capital section) and people."""

    legal_form: str
    people: list[dict]
    capital: int | None = None
    share_count: int | None = None
    share_nominal: int | None = None
    names: tuple[str, ...] = (COMPANY_DATA["company_name"],)
    extra: dict = field(default_factory=dict)


def sarl_plan(legal_form: str = "SARL") -> Plan:
    """The conftest SARL, with the founder declared as its beneficial owner (100 %)."""
    return Plan(legal_form, [person(KOSSI, "partner", "manager", "beneficial_owner",
                                    shares=200, cash=1_000_000, percent=100)],
                capital=1_000_000, share_count=200, share_nominal=5_000)


def build(owner, plan: Plan, *, documents: bool = True) -> Application:
    """Start a draft and fill every section through the drafting services."""
    application = drafting.start_application(owner=owner, legal_form=plan.legal_form)
    names = list(plan.names)
    sections = {
        "names": {"company_name": names[0], "alternative_names": names[1:]},
        "activity": {"activity_code": COMPANY_DATA["activity_code"],
                     "business_purpose": COMPANY_DATA["business_purpose"]},
        "office": {name: COMPANY_DATA[name]
                   for name in ("region", "prefecture", "city", "registered_office")},
    }
    if plan.capital is not None:
        sections["capital"] = {"capital": plan.capital, "share_count": plan.share_count,
                               "share_nominal": plan.share_nominal, "duration_years": 99}
    for section, data in sections.items():
        drafting.save_section(application_id=application.pk, user=owner, section=section,
                              data={**data, **plan.extra.get(section, {})})
    for data in plan.people:
        drafting.save_party(application_id=application.pk, user=owner, data=data)
    if documents:
        attach_all(application, owner)
    application.refresh_from_db()
    return application


def attach_all(application: Application, owner) -> None:
    """A PDF for every document required now (not those due after registration)."""
    for line in filing.document_lines(application):
        if not line.requirement.later and line.document is None:
            drafting.attach_document(application_id=application.pk, user=owner,
                                     requirement=line.requirement.code,
                                     uploaded_file=pdf_file(line.requirement.code))


@cache
def _pdf(text: str) -> bytes:
    return pdf_bytes(text)


def pdf_file(text: str = "piece", name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or f"{text.replace(':', '-')}.pdf", _pdf(text),
                              content_type="application/pdf")


def sign_with_services(application: Application, user, *, ip: str = "127.0.0.1",
                       pay: bool = True):
    """Request a code and confirm it (what the review and sign pages do). With `pay`, a
    filing the signature left owing its fee is then paid at the counter: its case starts.
    With pay=False it stays in pending_payment."""
    after = len(mail.outbox)
    with run_on_commit():
        signing.request_signature_code(application_id=application.pk, user=user)
    code = signature_code(user.email, after=after)
    signature = signing.confirm_signature(application_id=application.pk, user=user,
                                          code=code, ip_address=ip)
    if pay and Application.objects.filter(
            pk=application.pk, state=ApplicationState.PENDING_PAYMENT).exists():
        pay_fee(application)
    return signature


# --- reading pages -----------------------------------------------------------------------


def tree(response):
    return lxml_html.fromstring(response.content.decode())


def text(response) -> str:
    """The page's text as a reader sees it (entities decoded), spaces folded; no-break
    spaces are kept."""
    return re.sub(r"[ \t\r\n]+", " ", tree(response).text_content())


def task_statuses(response) -> dict[str, str]:
    """Section title -> status tag, as the task list shows them."""
    found = {}
    for item in tree(response).xpath('//ol[contains(@class, "task-list")]/li'):
        link, tag = item.xpath("./a")[0], item.xpath("./strong")[0]
        found[link.text_content().strip()] = tag.text_content().strip()
    return found


def field_error(response, name: str) -> str:
    """The error text the form links to field `name` (through aria-describedby), or ""
    when the field is not marked invalid."""
    page = tree(response)
    widget = page.xpath(f'//*[@name="{name}"][not(@type="hidden")]')[0]
    if widget.get("aria-invalid") != "true":
        return ""
    described = widget.get("aria-describedby") or next(
        (fs.get("aria-describedby") for fs in widget.xpath("ancestor::fieldset")
         if fs.get("aria-describedby")), "")
    return " ".join(page.get_element_by_id(ref).text_content().strip()
                    for ref in described.split() if ref.endswith("_error"))


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def edit_events(application: Application) -> int:
    return AuditEvent.objects.filter(object_type="registry.application",
                                     object_id=str(application.pk),
                                     action__startswith="edit:").count()


def fingerprint(application: Application) -> str:
    """Everything declared and uploaded, as the signature would fix it (read afresh from
    the database, not from the instance at hand)."""
    return filing.snapshot_sha256(filing.snapshot(Application.objects.get(pk=application.pk)))
