"""Paying a filing's fee in tests that are about something else: at the counter, by a
cashier of the "caisse" desk, through the same service the counter's screen calls."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from payments import selectors as payment_selectors
from payments import services as payments
from payments.models import CounterMethod
from registry import services as registry_services
from registry.models import Application, ApplicationState
from workflows.models import Desk, DeskMembership

CASHIER_EMAIL = "caisse.tests@guichet.tg"


def cashier():
    user, created = get_user_model().objects.get_or_create(
        email=CASHIER_EMAIL, defaults={"first_name": "Ama", "last_name": "Caisse"})
    if created:
        desk, _ = Desk.objects.get_or_create(code="caisse", defaults={"name": "Caisse"})
        DeskMembership.objects.create(desk=desk, user=user)
    return user


def pay_fee(application: Application) -> Application:
    """Pay the signed filing's invoice at the counter: its case starts."""
    invoice = payment_selectors.invoice_of(application)
    payments.record_counter_payment(invoice_number=invoice.number, cashier=cashier(),
                                    method=CounterMethod.CASH, amount=invoice.amount)
    application.refresh_from_db()
    return application


def submit_and_pay(*, application_id: int, user) -> Application:
    """application_submit, then (for a first submission) the fee paid: the filing is at
    the desks, as it was before payments existed."""
    application = registry_services.application_submit(application_id=application_id,
                                                        user=user)
    if application.state == ApplicationState.PENDING_PAYMENT:
        pay_fee(application)
    return application
