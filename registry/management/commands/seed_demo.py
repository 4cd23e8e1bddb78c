"""Demo data: one login per role and desk, and filings at every stage of the procedure.

Idempotent: a second run creates nothing and prints the same logins.
"""

from __future__ import annotations

import io
from datetime import date

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from reportlab.pdfgen import canvas

from payments import selectors as payment_selectors
from payments import services as payments
from payments.models import Channel, CounterMethod, Payment
from payments.providers.base import Outcome, ProviderStatus
from registry import filing, services
from registry.models import Application
from registry.services import drafting
from registry.vocabulary import refresh_vocabulary
from workflows import selectors as workflow_selectors
from workflows import services as engine
from workflows.models import Desk, DeskMembership, TaskState

ENTREPRENEUR = ("entrepreneur@demo.tg", "Kossi", "AGBEKO")
STAFF = [
    # e-mail, first name, last name, desk code, supervisor
    ("guichet@demo.tg", "Afi", "MENSAH", "guichet", True),
    ("greffe@demo.tg", "Komla", "ADJOVI", "greffe", False),
    ("impots@demo.tg", "Yawa", "KOUDJO", "impots", False),
    ("cnss@demo.tg", "Edem", "LAWSON", "cnss", False),
    ("greffier@demo.tg", "Essowè", "BATCHO", "greffier", True),
    ("caisse@demo.tg", "Abla", "AMEGAN", "caisse", True),
]
ADMIN = ("admin@demo.tg", "Admin", "CFE")
PASSWORD = "Demo-Togo-2026"

# Filings, and the step each one is left waiting at (None: draft; "payment": signed, its
# fee not paid yet; "done": registered; "correction": sent back by the court registry).
FILINGS = [
    ("Boulangerie du Golfe", "10", "Boulangerie, pâtisserie et vente de pain.", 500_000, None),
    ("Pharmacie Lumière", "47", "Vente de produits parapharmaceutiques.", 1_000_000,
     "payment"),
    ("Menuiserie Atakpamé", "16", "Menuiserie et ébénisterie.", 600_000, "payment"),
    ("Transports Kara Express", "49", "Transport routier de marchandises.", 2_000_000,
     "intake"),
    ("Agro Plateaux", "10", "Transformation et vente de produits agricoles.", 1_000_000,
     "registry"),
    ("Couture Élégance", "14", "Confection et vente de vêtements.", 300_000, "correction"),
    ("Numérique Lomé Services", "62", "Services informatiques et conseil.", 1_500_000, "tax"),
    ("Maison Kpalimé Café", "10", "Torréfaction et vente de café.", 800_000, "registrar"),
    ("Éléphant Bleu", "46", "Import-export de matériel de bureau.", 5_000_000, "done"),
    # Its name is already taken: the automatic name check fails into the intake queue.
    ("Société Éléphant-Bleu SARL", "47", "Vente de fournitures scolaires.", 400_000,
     "registry"),
]


class Command(BaseCommand):
    help = "Load demo users and filings (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        entrepreneur = self._user(*ENTREPRENEUR)
        staff = {}
        for email, first, last, desk_code, supervisor in STAFF:
            user = self._user(email, first, last)
            DeskMembership.objects.get_or_create(
                user=user, desk=Desk.objects.get(code=desk_code),
                defaults={"is_supervisor": supervisor},
            )
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, generate_totp_secret())
            staff[desk_code] = user
        admin = self._user(*ADMIN, superuser=True)
        if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(admin, generate_totp_secret())
        if not Application.objects.filter(owner=entrepreneur).exists():
            for name, activity, purpose, capital, stage in FILINGS:
                self._filing(entrepreneur, staff, name, activity, purpose, capital, stage)
        refresh_vocabulary()  # the name check's word counts, as the nightly task keeps them
        self._print_logins()

    def _user(self, email: str, first: str, last: str, superuser: bool = False):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(email=email, password=PASSWORD, first_name=first, last_name=last)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _filing(self, owner, staff, name, activity, purpose, capital, stage) -> None:
        with transaction.atomic():
            application = services.application_create(
                owner=owner,
                data={
                    "legal_form": "SARL",
                    "company_name": name,
                    "activity_code": activity,
                    "business_purpose": purpose,
                    "capital": capital,
                    "share_count": capital // 5_000,
                    "share_nominal": 5_000,
                    "region": "maritime",
                    "prefecture": "golfe",
                    "registered_office": "Boulevard du 13 Janvier, quartier Nyékonakpoè",
                    "city": "Lomé",
                },
                founder={
                    "first_name": owner.first_name,
                    "last_name": owner.last_name,
                    "birth_date": date(1988, 4, 27),
                    "nationality": "Togolaise",
                    "id_document_number": "TG-CNI-0012345678",
                    "address": "Rue des Cocotiers, Lomé",
                    "shares": capital // 5_000,
                    "cash_contribution": capital,
                    "roles": ["partner", "manager", "beneficial_owner"],
                    "ownership_percent": 100,
                },
            )
        if stage is None:
            return
        self._documents(application, owner)
        services.application_submit(application_id=application.pk, user=owner)
        if stage == "payment":
            return
        self._pay(application, staff["caisse"])
        case = workflow_selectors.case_for(application)
        while True:
            ready = list(case.tasks.filter(state=TaskState.READY, kind="manual")
                         .select_related("desk").order_by("position"))
            if not ready or any(task.step_id == stage for task in ready):
                return
            for task in ready:
                clerk = staff[task.desk.code]
                engine.claim_task(task_id=task.pk, user=clerk)
                if stage == "correction" and task.step_id == "registry":
                    engine.return_task(
                        task_id=task.pk, user=clerk,
                        comment="Le numéro de la pièce d'identité du gérant est illisible : "
                                "merci de le vérifier.",
                        fields=["people"],
                    )
                    return
                engine.approve_task(task_id=task.pk, user=clerk, comment="Conforme.",
                                    data=self._step_data(application, task.step_id))

    @staticmethod
    def _pay(application, cashier) -> None:
        """Pay the fee: every other filing online (as if the provider's webhook had come:
        the simulators may not run while the demo loads), the others at the counter."""
        invoice = payment_selectors.invoice_of(application)
        if application.pk % 2:
            payments.record_counter_payment(invoice_number=invoice.number, cashier=cashier,
                                            method=CounterMethod.CASH, amount=invoice.amount)
            return
        payment = Payment.objects.create(
            reference=f"PAY-DEMO-{application.reference}", invoice=invoice,
            channel=Channel.FEDAPAY, amount=invoice.amount, initiated_by=application.owner,
            provider_reference=f"demo-{application.pk}")
        payments.apply_status(payment_id=payment.pk, source="demo", status=ProviderStatus(
            reference=payment.reference, outcome=Outcome.SUCCEEDED, amount=invoice.amount,
            provider_reference=payment.provider_reference, method="mtn_tg"))

    @staticmethod
    def _documents(application, owner) -> None:
        """A one-page PDF for each document the checklist asks for now."""
        for line in filing.document_lines(application):
            if line.requirement.later:
                continue
            buffer = io.BytesIO()
            pdf = canvas.Canvas(buffer)
            pdf.drawString(72, 760, str(line.requirement.label)[:90])
            pdf.drawString(72, 740, f"{application.reference} - document de démonstration")
            pdf.save()
            drafting.attach_document(
                application_id=application.pk, user=owner,
                requirement=line.requirement.code,
                uploaded_file=SimpleUploadedFile(f"{line.requirement.code.split(':')[0]}.pdf",
                                                 buffer.getvalue(), "application/pdf"))

    @staticmethod
    def _step_data(application, step_id: str) -> dict:
        if step_id == "tax":
            return {"nif": f"{1_000_000_000 + application.pk}"}
        if step_id == "social_security":
            return {"employer_number": f"{100_000 + application.pk}"}
        return {}

    def _print_logins(self) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Comptes de démonstration (mot de passe : {PASSWORD})"))
        out.write(f"  Entrepreneur          {ENTREPRENEUR[0]}")
        for email, _first, _last, desk_code, _sup in STAFF:
            desk = Desk.objects.get(code=desk_code)
            out.write(f"  {desk_code:<20}  {email}  ({desk.name})")
        out.write(f"  Administrateur        {ADMIN[0]}  (/admin/)")
        bypass = getattr(settings, "MFA_TOTP_INSECURE_BYPASS_CODE", None)
        if bypass:
            out.write(f"  Code de double authentification des agents (démo) : {bypass}")
        out.write(f"Site : {settings.SITE_URL}/  (liens des e-mails et codes QR : même adresse)")
