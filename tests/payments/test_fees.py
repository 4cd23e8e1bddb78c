"""The fee schedule as data, the invoice a signature issues, and the reconciliation
command's exit status."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments import fees
from payments import selectors as payment_selectors
from payments.models import FeeSchedule, InvoiceState, Service
from registry import services as registry_services
from registry.models import ApplicationState
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_every_legal_form_has_a_fee_in_force():
    schedule = fees.schedule()
    assert set(schedule) == {"EI", "SARL", "SARLU", "SA", "SAS", "SASU", "SNC", "SCS", "GIE"}
    assert all(isinstance(amount, int) and amount > 0 for amount in schedule.values())


def test_a_new_line_takes_effect_on_its_date_and_not_before():
    today = timezone.localdate()
    FeeSchedule.objects.create(service=Service.COMPANY_CREATION, legal_form="SARL",
                               amount=20_000, effective_from=today + timedelta(days=1))
    assert fees.creation_fee("SARL") == 25_000
    assert fees.creation_fee("SARL", on=today + timedelta(days=1)) == 20_000
    with pytest.raises(fees.FeeNotSet):
        fees.creation_fee("SARL", on=date(2019, 12, 31))


def test_signing_issues_a_numbered_invoice_at_the_schedules_amount(draft, entrepreneur):
    application = registry_services.application_submit(application_id=draft.pk,
                                                       user=entrepreneur)
    invoice = payment_selectors.invoice_of(application)
    assert application.state == ApplicationState.PENDING_PAYMENT
    assert invoice.state == InvoiceState.OPEN
    assert invoice.amount == fees.creation_fee("SARL")
    assert invoice.number == f"FAC-{timezone.localdate().year}-0000001"
    assert invoice.fee.legal_form == "SARL"
    assert AuditEvent.objects.filter(object_type="payments.invoice", action="issue").exists()


def test_a_zero_fee_starts_the_case_at_once(draft, entrepreneur):
    FeeSchedule.objects.filter(legal_form="SARL").update(amount=0)
    application = registry_services.application_submit(application_id=draft.pk,
                                                       user=entrepreneur)
    assert application.state == ApplicationState.IN_REVIEW
    assert payment_selectors.invoice_of(application).state == InvoiceState.PAID


def test_no_line_for_the_form_refuses_to_sign_with_a_french_message(draft, entrepreneur):
    FeeSchedule.objects.filter(legal_form="SARL").delete()
    with pytest.raises(registry_services.FilingError, match="Aucun tarif"):
        registry_services.application_submit(application_id=draft.pk, user=entrepreneur)
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


def test_reconcile_command_with_nothing_to_compare_exits_cleanly():
    out = StringIO()
    call_command("payments", "reconcile", "--date", "2026-01-05", stdout=out)
    assert "mismatches: 0" in out.getvalue()
