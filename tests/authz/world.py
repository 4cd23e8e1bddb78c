"""The people and filings the authorization tests look at, built once per module.

One owner with four filings at different points of the procedure, and one user for each
role. Built through the services, as the application builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from amendments import services as amendment_services
from amendments.models import Amendment, AmendmentSignature, AuthorisedFiler
from documents.models import SupportingDocument
from notifications.models import Notification
from payments import selectors as payment_selectors
from payments import services as payment_services
from registry import services as registry_services
from registry.models import Application
from tests.fees import submit_and_pay
from workflows.access import MANAGERS_GROUP
from workflows.models import Desk, DeskMembership, Task

from ..conftest import COMPANY_DATA, FOUNDER_DATA, PASSWORD
from ..fees import cashier
from ..journeys import pdf_bytes
from ..registry.filings import attach_all
from ..registry.procedure.helpers import advance_until, case_of, complete, task_of
from ..workflows.helpers import approve_ready

# Who asks, in the order of the matrix's columns.
ROLES = ("anonymous", "owner", "other", "desk", "other_desk", "later_desk", "supervisor",
         "registrar", "cashier", "admin", "no_mfa", "manager")
ROLE_HELP = {
    "anonymous": "not signed in",
    "owner": "the entrepreneur who filed every filing below",
    "other": "another entrepreneur",
    "desk": "clerk of the court registry (greffe), where filing A waits",
    "other_desk": "clerk of the one-stop shop (guichet): A went through it already",
    "later_desk": "clerk of the tax office (impots): A has not reached it yet",
    "supervisor": "supervisor of the court registry (greffe)",
    "registrar": "registrar (greffier): C waits for them, A has not reached them",
    "cashier": "cashier: member of the 'caisse' desk (the counter), no procedure step",
    "admin": "superuser with a second factor, member of no desk",
    "no_mfa": "court registry clerk, staff, without a second factor",
    "manager": "read-only manager (group Gestionnaires, second factor): every desk's figures",
}
# B's company, after registration: one amendment inscribed (its extract issued), and the
# owner's next one in draft (the one filing in flight).
# The counter's desk (payments): no procedure step belongs to it.
CASHIER_DESK = "caisse"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    draft: Application | None = None  # the owner's draft: every section editable
    filing: Application | None = None  # "A": waits at the court registry (greffe)
    registered: Application | None = None  # "B": company registered, certificate issued
    at_registrar: Application | None = None  # "C": waits for the registrar
    tasks: dict = field(default_factory=dict)  # "A:registry" -> Task
    party_id: int = 0
    document_id: int = 0  # a supporting document of A
    registrar_document_id: int = 0  # a supporting document of C
    verification_code: str = ""
    notification_id: int = 0
    unpaid: Application | None = None  # "D": signed, its invoice open
    unpaid_invoice: str = ""  # D's invoice number
    paid_payment: str = ""  # the reference of A's counter payment (its receipt issued)
    closing_id: int = 0  # the cashier's closed day (no payment in it)
    amended: Amendment | None = None  # B's inscribed amendment (capital), extract issued
    amendment: Amendment | None = None  # B's amendment in draft (name)
    amended_document_id: int = 0  # a supporting document of the inscribed amendment


def _user(email: str, *, desk: str | None = None, mfa: bool = True, supervisor: bool = False,
          **extra):
    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, first_name="Ama", last_name="DOE", **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if desk:
        DeskMembership.objects.create(user=user, desk=Desk.objects.get(code=desk),
                                      is_supervisor=supervisor)
    if mfa and (desk or extra.get("is_staff")):
        user.totp_secret = generate_totp_secret()
        TOTP.activate(user, user.totp_secret)
    return user


def _manager(email: str):
    user = _user(email)
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    TOTP.activate(user, generate_totp_secret())
    return user


def _submitted(owner, company_name: str) -> Application:
    application = registry_services.application_create(
        owner=owner, data={**COMPANY_DATA, "company_name": company_name},
        founder=dict(FOUNDER_DATA))
    attach_all(application, owner)
    return submit_and_pay(application_id=application.pk, user=owner)


def build_world() -> World:
    Desk.objects.get_or_create(code=CASHIER_DESK, defaults={"name": "Caisse"})
    users = {
        "owner": _user("kossi@example.tg"),
        "other": _user("yawo@example.tg"),
        "desk": _user("greffe@cfe.example.tg", desk="greffe"),
        "other_desk": _user("guichet@cfe.example.tg", desk="guichet"),
        "later_desk": _user("impots@cfe.example.tg", desk="impots"),
        "supervisor": _user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True),
        "registrar": _user("greffier@cfe.example.tg", desk="greffier"),
        "cashier": _user("caisse@cfe.example.tg", desk=CASHIER_DESK),
        "admin": _user("admin@cfe.example.tg", is_staff=True, is_superuser=True),
        "no_mfa": _user("sans.2fa@cfe.example.tg", desk="greffe", mfa=False, is_staff=True),
        "manager": _manager("gestion@cfe.example.tg"),
    }
    clerks = {"guichet": users["other_desk"], "greffe": users["desk"],
              "impots": users["later_desk"], "cnss": _user("cnss@cfe.example.tg", desk="cnss"),
              "greffier": users["registrar"]}
    owner = users["owner"]
    world = World(users=users)

    world.draft = registry_services.application_create(
        owner=owner, data={**COMPANY_DATA, "company_name": "Baobab Conseil"},
        founder=dict(FOUNDER_DATA))
    attach_all(world.draft, owner)
    world.party_id = world.draft.parties.get().pk

    world.filing = _submitted(owner, "Kara Transport")
    case = case_of(world.filing)
    advance_until(case, "registry", clerks)
    for step in ("intake", "registry", "tax", "registrar"):
        world.tasks[f"A:{step}"] = task_of(case, step)

    world.registered = _submitted(owner, "Mono Agro")
    complete(case_of(world.registered), clerks, certificate=True)
    world.registered.refresh_from_db()
    world.verification_code = world.registered.company.certificate.grouped_code

    world.at_registrar = _submitted(owner, "Zio Menuiserie")
    case = case_of(world.at_registrar)
    advance_until(case, "registrar", clerks)
    world.tasks["C:registrar"] = task_of(case, "registrar")

    world.unpaid = registry_services.application_create(
        owner=owner, data={**COMPANY_DATA, "company_name": "Lac Togo Pêche"},
        founder=dict(FOUNDER_DATA))
    attach_all(world.unpaid, owner)
    registry_services.application_submit(application_id=world.unpaid.pk, user=owner)
    world.unpaid_invoice = payment_selectors.invoice_of(world.unpaid).number
    paid = payment_selectors.invoice_of(world.filing).payments.get(state="succeeded")
    payment_services.issue_receipt(payment_id=paid.pk)  # the outbox's task, run here
    world.paid_payment = paid.reference
    world.closing_id = payment_services.close_counter_day(cashier=users["cashier"]).pk

    company = world.registered.company
    world.amended = _inscribed_amendment(owner, company, clerks)
    world.amendment = amendment_services.start_amendment(
        company_id=company.pk, user=owner, change_type="name")

    world.amended_document_id = SupportingDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Amendment),
        subject_id=world.amended.pk).values_list("pk", flat=True).first()
    world.document_id = _document_of(world.filing)
    world.registrar_document_id = _document_of(world.at_registrar)
    world.notification_id = Notification.objects.filter(recipient=owner).values_list(
        "pk", flat=True).first()
    for task in world.tasks.values():
        task.refresh_from_db()
    return world


def _inscribed_amendment(owner, company, clerks) -> Amendment:
    """A change of capital filed, signed, paid and approved by every desk of its procedure."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    amendment = amendment_services.start_amendment(company_id=company.pk, user=owner,
                                                   change_type="capital")
    amendment_services.save_changes(amendment_id=amendment.pk, user=owner,
                                    changes={"capital": 500_000})
    for requirement in amendment_services.required_documents(amendment):
        amendment_services.attach_document(
            amendment_id=amendment.pk, user=owner, requirement=requirement.code,
            uploaded_file=SimpleUploadedFile(f"{requirement.code}.pdf", pdf_bytes(),
                                             content_type="application/pdf"))
    challenge = amendment_services.request_signature_code(amendment_id=amendment.pk,
                                                          user=owner)
    AmendmentSignature.objects.filter(pk=challenge.pk).update(code_hash=make_password("123456"))
    amendment_services.confirm_signature(amendment_id=amendment.pk, user=owner, code="123456",
                                         ip_address=None)
    invoice = payment_selectors.invoice_of(amendment)
    payment_services.record_counter_payment(invoice_number=invoice.number, cashier=cashier(),
                                            method="cash", amount=invoice.amount)
    case = case_of(amendment)
    for step in ("intake", "registry", "registrar"):
        approve_ready(case, step, clerks)  # the registrar's approval issues the extract
    amendment.refresh_from_db()
    assert amendment.extract is not None
    return amendment


def _document_of(application: Application) -> int:
    return SupportingDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application),
        subject_id=application.pk).values_list("pk", flat=True).first()


def snapshot() -> tuple:
    """What a refused request must leave as it was: tasks, filings, people, documents,
    the audit trail, issued documents, notifications read."""
    from documents.models import IssuedDocument
    from registry.models import Party
    from workflows.models import AuditEvent

    return (
        list(Task.objects.order_by("pk").values_list("pk", "state", "assignee_id")),
        list(Application.objects.order_by("pk").values_list(
            "pk", "state", "company_name", "registered_office")),
        list(Party.objects.order_by("pk").values_list("pk", "last_name", "address")),
        SupportingDocument.objects.count(),
        AuditEvent.objects.count(),
        IssuedDocument.objects.count(),
        list(Notification.objects.order_by("pk").values_list("pk", "read_at")),
        list(get_user_model().objects.order_by("pk").values_list("pk", "preferred_language")),
        list(Amendment.objects.order_by("pk").values_list("pk", "state", "changes")),
        list(AuthorisedFiler.objects.order_by("pk").values_list("pk", "user_id")),
    )
