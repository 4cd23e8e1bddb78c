"""The counter through its pages: a cashier finds an invoice, records its payment in two
steps, closes the day and downloads the report; a clerk allowed to waive a fee waives it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from payments.models import CounterClosing, Invoice, InvoiceState, Payment, PaymentState
from payments.selectors import invoice_of
from registry.models import ApplicationState
from registry.services import application_submit
from workflows.models import AuditEvent
from workflows.selectors import case_for

pytestmark = pytest.mark.django_db


# --- fixtures and helpers -----------------------------------------------------------------

@pytest.fixture
def cashier(make_user):
    return make_user("caissiere@cfe.example.tg", desk="caisse")


@pytest.fixture
def other_cashier(make_user):
    return make_user("caissier2@cfe.example.tg", desk="caisse")


@pytest.fixture
def filing(draft, entrepreneur):
    """A signed filing waiting for its fee, with its open invoice."""
    application = application_submit(application_id=draft.pk, user=entrepreneur)
    assert application.state == ApplicationState.PENDING_PAYMENT
    return application


@pytest.fixture
def invoice(filing) -> Invoice:
    invoice = invoice_of(filing)
    assert invoice.state == InvoiceState.OPEN and invoice.amount > 0
    return invoice


@pytest.fixture
def waiver_clerk(make_user):
    clerk = make_user("exoneration@cfe.example.tg", desk="guichet")
    clerk.user_permissions.add(Permission.objects.get(codename="waive_invoice",
                                                      content_type__app_label="payments"))
    return clerk


def invoice_url(invoice) -> str:
    return reverse("payments:counter_invoice", args=[invoice.number])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def pay(client, invoice, *, confirm=True, **data):
    fields = {"method": "cash", "amount": invoice.amount, "reference": ""} | data
    if confirm:
        fields["confirm"] = "1"
    return client.post(invoice_url(invoice), fields)


@pytest.fixture
def paid(client, cashier, invoice, django_capture_on_commit_callbacks) -> Payment:
    """The invoice paid in cash at the counter (the receipt issued after the commit)."""
    client.force_login(cashier)
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(client, invoice)
    assert response.status_code == 302
    return Payment.objects.get(invoice=invoice)


# --- recording a payment ------------------------------------------------------------------

def test_a_cash_payment_settles_the_invoice_and_sends_the_filing_to_the_desks(
        client, cashier, invoice, filing, paid):
    assert paid.state == PaymentState.SUCCEEDED
    assert (paid.channel, paid.method, paid.amount) == ("counter", "cash", invoice.amount)
    assert paid.initiated_by == cashier
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.PAID
    filing.refresh_from_db()
    assert filing.state == ApplicationState.IN_REVIEW
    assert case_for(filing) is not None
    assert AuditEvent.objects.filter(object_type="payments.payment", object_id=str(paid.pk),
                                     action="succeed", actor=cashier).exists()
    assert paid.receipt is not None


def test_the_cashier_is_told_and_prints_the_receipt(client, paid, invoice):
    response = client.get(invoice_url(invoice))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("payments:receipt", args=[paid.reference]) in content
    assert "Facture payée" in content
    receipt = client.get(reverse("payments:receipt", args=[paid.reference]))
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert b"".join(receipt.streaming_content).startswith(b"%PDF")


def test_the_success_message_names_the_payment(client, cashier, invoice,
                                               django_capture_on_commit_callbacks):
    client.force_login(cashier)
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(client, invoice)
    payment = Payment.objects.get(invoice=invoice)
    assert response.url == invoice_url(invoice)
    assert any(payment.reference in message and "payée" in message
               for message in messages_of(response))


def test_the_page_says_the_receipt_is_being_prepared_until_it_exists(client, cashier,
                                                                      invoice):
    client.force_login(cashier)
    pay(client, invoice)  # the on-commit work (the receipt) does not run here
    payment = Payment.objects.get(invoice=invoice)
    assert payment.receipt is None
    content = client.get(invoice_url(invoice)).content.decode()
    assert "Reçu en préparation" in content
    assert reverse("payments:receipt", args=[payment.reference]) not in content


def test_the_counter_page_sums_up_the_day(client, paid, invoice):
    response = client.get(reverse("payments:counter"))
    assert response.context["takings"] == {"count": 1, "total": invoice.amount}
    assert reverse("payments:counter_day") in response.content.decode()


def test_the_first_post_only_asks_for_confirmation(client, cashier, invoice):
    client.force_login(cashier)
    response = pay(client, invoice, confirm=False, method="bank", reference="BOR-2026-77")
    assert response.status_code == 200
    content = response.content.decode()
    assert invoice.number in content and "BOR-2026-77" in content
    assert 'name="confirm" value="1"' in content
    assert not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


def test_a_wrong_amount_is_refused_and_nothing_is_written(client, cashier, invoice):
    client.force_login(cashier)
    events = AuditEvent.objects.count()
    response = pay(client, invoice, amount=invoice.amount - 1)
    assert response.status_code == 400
    assert "Le montant doit être celui de la facture" in response.content.decode()
    assert not Payment.objects.exists()
    assert AuditEvent.objects.count() == events
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "2147483648", ""])
def test_an_impossible_amount_is_refused(client, cashier, invoice, amount):
    client.force_login(cashier)
    response = pay(client, invoice, amount=amount)
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_a_bank_payment_needs_its_slip_reference(client, cashier, invoice):
    client.force_login(cashier)
    response = pay(client, invoice, method="bank", reference="  ")
    assert response.status_code == 400
    assert "référence du bordereau bancaire" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_bank_payment_keeps_its_slip_reference(client, cashier, invoice):
    client.force_login(cashier)
    pay(client, invoice, method="bank", reference="BOR-2026-77")
    payment = Payment.objects.get(invoice=invoice)
    assert (payment.method, payment.counter_reference) == ("bank", "BOR-2026-77")


def test_an_already_paid_invoice_is_refused(client, paid, invoice):
    response = pay(client, invoice)
    assert response.status_code == 302
    assert any("déjà payée" in message for message in messages_of(response))
    assert Payment.objects.filter(invoice=invoice).count() == 1
    page = client.get(invoice_url(invoice)).content.decode()
    assert "Encaisser le paiement" not in page


# --- finding an invoice -------------------------------------------------------------------

def test_the_number_is_found_whatever_its_spaces_and_case(client, cashier, invoice):
    client.force_login(cashier)
    typed = " " + invoice.number.lower().replace("-", " - ", 1) + " "
    response = client.get(reverse("payments:counter"), {"number": typed})
    assert response.status_code == 302
    assert response.url == invoice_url(invoice)


def test_an_unknown_number_is_said_plainly(client, cashier, invoice):
    client.force_login(cashier)
    response = client.get(reverse("payments:counter"), {"number": "FAC-1999-0000001"})
    assert response.status_code == 200
    assert "Aucune facture ne porte le numéro FAC-1999-0000001" in response.content.decode()
    assert client.get(reverse("payments:counter_invoice",
                              args=["FAC-1999-0000001"])).status_code == 404


def test_the_invoice_page_shows_what_the_cashier_needs(client, cashier, invoice, filing):
    client.force_login(cashier)
    content = client.get(invoice_url(invoice)).content.decode()
    assert invoice.number in content
    assert filing.reference in content
    assert "Éléphant Bleu" in content
    assert "Ama DOE" in content  # the payer
    assert f'value="{invoice.amount}"' in content  # the amount is pre-filled
    assert "Exonérer" not in content  # a cashier without the permission


# --- who may use the counter --------------------------------------------------------------

def test_another_desks_clerk_is_refused(client, make_user, invoice):
    client.force_login(make_user("greffe@cfe.example.tg", desk="greffe"))
    for url in (reverse("payments:counter"), invoice_url(invoice),
                reverse("payments:counter_day"), reverse("payments:closings")):
        assert client.get(url).status_code == 403
    assert pay(client, invoice).status_code == 403
    assert not Payment.objects.exists()


def test_the_applicant_is_refused(client, entrepreneur, invoice):
    client.force_login(entrepreneur)
    assert client.get(reverse("payments:counter")).status_code == 403
    assert pay(client, invoice).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client, invoice):
    for url in (reverse("payments:counter"), invoice_url(invoice),
                reverse("payments:counter_day")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_a_cashier_without_a_second_factor_must_set_it_up(client, make_user, invoice):
    client.force_login(make_user("sans-mfa@cfe.example.tg", desk="caisse", mfa=False))
    response = client.get(reverse("payments:counter"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


# --- waiving the fee ----------------------------------------------------------------------

def waive(client, invoice, reason, *, confirm=True):
    data = {"reason": reason} | ({"confirm": "1"} if confirm else {})
    return client.post(reverse("payments:waive", args=[invoice.number]), data)


def test_waiving_needs_the_permission(client, cashier, invoice):
    client.force_login(cashier)
    assert waive(client, invoice, "Décision du ministre").status_code == 403
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


def test_a_waiver_needs_a_reason(client, waiver_clerk, invoice):
    client.force_login(waiver_clerk)
    response = waive(client, invoice, "   ")
    assert response.status_code == 400
    assert "Indiquez le motif de l&#x27;exonération." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


def test_a_waiver_is_confirmed_first(client, waiver_clerk, invoice):
    client.force_login(waiver_clerk)
    response = waive(client, invoice, "Programme jeunes entrepreneurs", confirm=False)
    assert response.status_code == 200
    assert "Programme jeunes entrepreneurs" in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


def test_an_authorised_clerk_waives_the_fee(client, waiver_clerk, invoice, filing):
    client.force_login(waiver_clerk)
    page = client.get(invoice_url(invoice)).content.decode()
    assert "Exonérer cette facture" in page
    assert "Encaisser le paiement" not in page  # not a cashier
    response = waive(client, invoice, "Programme jeunes entrepreneurs")
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.WAIVED
    assert invoice.waived_by == waiver_clerk
    assert invoice.waiver_reason == "Programme jeunes entrepreneurs"
    filing.refresh_from_db()
    assert filing.state == ApplicationState.IN_REVIEW
    assert AuditEvent.objects.filter(object_type="payments.invoice", object_id=str(invoice.pk),
                                     action="waive", actor=waiver_clerk).exists()
    assert not Payment.objects.exists()


def test_the_waiver_clerk_cannot_record_a_payment(client, waiver_clerk, invoice):
    client.force_login(waiver_clerk)
    assert pay(client, invoice).status_code == 403
    assert not Payment.objects.exists()


# --- the day and its closing --------------------------------------------------------------

def close(client, *, confirm=True):
    return client.post(reverse("payments:counter_day"), {"confirm": "1"} if confirm else {})


def test_closing_the_day_counts_and_links_its_payments(client, cashier, paid, invoice):
    day = client.get(reverse("payments:counter_day")).content.decode()
    assert invoice.number in day
    response = close(client, confirm=False)
    assert response.status_code == 200
    assert not CounterClosing.objects.exists()
    response = close(client)
    assert response.status_code == 302
    closing = CounterClosing.objects.get(cashier=cashier)
    assert (closing.day, closing.count, closing.total) == (timezone.localdate(), 1,
                                                           invoice.amount)
    paid.refresh_from_db()
    assert paid.closing == closing
    assert AuditEvent.objects.filter(object_type="payments.counterclosing",
                                     action="close").exists()
    day = client.get(reverse("payments:counter_day")).content.decode()
    assert reverse("payments:closing_csv", args=[closing.pk]) in day
    assert reverse("payments:closing_pdf", args=[closing.pk]) in day
    listing = client.get(reverse("payments:closings")).content.decode()
    assert reverse("payments:closing_pdf", args=[closing.pk]) in listing


def test_a_day_is_closed_once(client, cashier, paid):
    close(client)
    response = close(client)
    assert any("déjà clôturée" in message for message in messages_of(response))
    assert CounterClosing.objects.count() == 1


def test_nothing_is_recorded_after_the_closing(client, cashier, entrepreneur, invoice):
    client.force_login(cashier)
    close(client)
    response = pay(client, invoice)
    assert response.status_code == 302
    assert any("clôturée" in message for message in messages_of(response))
    assert not Payment.objects.exists()
    invoice.refresh_from_db()
    assert invoice.state == InvoiceState.OPEN


def test_an_empty_day_closes_at_zero(client, cashier):
    client.force_login(cashier)
    close(client)
    closing = CounterClosing.objects.get(cashier=cashier)
    assert (closing.count, closing.total) == (0, 0)


def test_the_report_downloads_as_csv_and_pdf(client, cashier, paid, invoice, filing):
    close(client)
    closing = CounterClosing.objects.get()
    response = client.get(reverse("payments:closing_csv", args=[closing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Heure", "Facture"]
    paid.refresh_from_db()
    assert rows[1][1:3] == [invoice.number, filing.reference]
    assert rows[1][4] == str(invoice.amount)
    assert rows[1][5] == paid.receipt.grouped_code
    assert len(rows) == 2

    pdf = client.get(reverse("payments:closing_pdf", args=[closing.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment")
    assert pdf.content.startswith(b"%PDF")


def test_another_cashier_does_not_see_the_report(client, cashier, other_cashier, paid):
    close(client)
    closing = CounterClosing.objects.get()
    client.force_login(other_cashier)
    assert client.get(reverse("payments:closing_csv", args=[closing.pk])).status_code == 404
    assert client.get(reverse("payments:closing_pdf", args=[closing.pk])).status_code == 404
    assert closing.pk not in [c.pk for c in
                              client.get(reverse("payments:closings")).context["closings"]]


def test_the_cashier_desks_supervisor_sees_the_report(client, cashier, make_user, paid):
    close(client)
    closing = CounterClosing.objects.get()
    client.force_login(make_user("chef-caisse@cfe.example.tg", desk="caisse",
                                 supervisor=True))
    assert client.get(reverse("payments:closing_csv", args=[closing.pk])).status_code == 200


def test_only_the_last_closings_are_listed(client, cashier):
    today = timezone.localdate()
    CounterClosing.objects.bulk_create([
        CounterClosing(cashier=cashier, day=today - timedelta(days=n), total=0, count=0)
        for n in range(1, 66)])
    client.force_login(cashier)
    shown = client.get(reverse("payments:closings")).context["closings"]
    assert len(shown) == 60
    assert shown[0].day == today - timedelta(days=1)
