"""Payment receipts (sealed, verifiable like certificates), amounts in French words, and the
cashier's day closing report."""

from __future__ import annotations

import html
import io
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from documents.counter_report import (
    CounterPayment,
    CounterReportFacts,
    counter_report_csv_rows,
    render_counter_report,
)
from documents.issuing import issue_document
from documents.models import DocumentKind, IssuedDocument
from documents.receipts import ReceiptFacts, render_receipt
from documents.verification import Outcome
from documents.words import fcfa_in_words, number_in_words

from .conftest import SEAL_NAME
from .helpers import pdfsig, read_pdf, validate

RECEIPT_FACTS = ReceiptFacts(
    invoice_number="FAC-2026-000123",
    amount=25_000,
    paid_at=datetime(2026, 11, 30, 9, 15, tzinfo=UTC),
    method_label="Mobile money — Flooz",
    provider_reference="FLZ-889900112",
    payer_name="Ama KOFFI",
    filing_reference="CR-2026-00042",
    company_name="Société Éléphant Bleu",
    purpose="Frais de création d'entreprise — SARL",
)


def text_of(pdf: bytes) -> str:
    # pypdf reads the no-break spaces back as plain spaces
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace("\u00a0", " ")


# --- Amounts in words -------------------------------------------------------------------


@pytest.mark.parametrize(("number", "words"), [
    (0, "zéro"),
    (1, "un"),
    (16, "seize"),
    (17, "dix-sept"),
    (21, "vingt et un"),
    (22, "vingt-deux"),
    (31, "trente et un"),
    (61, "soixante et un"),
    (70, "soixante-dix"),
    (71, "soixante et onze"),
    (77, "soixante-dix-sept"),
    (80, "quatre-vingts"),
    (81, "quatre-vingt-un"),
    (90, "quatre-vingt-dix"),
    (91, "quatre-vingt-onze"),
    (99, "quatre-vingt-dix-neuf"),
    (100, "cent"),
    (101, "cent un"),
    (180, "cent quatre-vingts"),
    (200, "deux cents"),
    (201, "deux cent un"),
    (1000, "mille"),
    (1001, "mille un"),
    (2000, "deux mille"),
    (21_000, "vingt et un mille"),
    (25_000, "vingt-cinq mille"),
    (80_000, "quatre-vingt mille"),
    (200_000, "deux cent mille"),
    (1_000_000, "un million"),
    (2_500_000, "deux millions cinq cent mille"),
    (80_000_000, "quatre-vingts millions"),
    (200_000_000, "deux cents millions"),
    (999_999_999, "neuf cent quatre-vingt-dix-neuf millions neuf cent quatre-vingt-dix-neuf "
                  "mille neuf cent quatre-vingt-dix-neuf"),
])
def test_numbers_are_written_the_french_way(number, words):
    assert number_in_words(number) == words


@pytest.mark.parametrize("number", [-1, 1_000_000_000])
def test_numbers_out_of_range_are_refused(number):
    with pytest.raises(ValueError):
        number_in_words(number)


@pytest.mark.parametrize("number", [2.5, "25000", True])
def test_only_whole_numbers_are_written(number):
    with pytest.raises(TypeError):
        number_in_words(number)


@pytest.mark.parametrize(("amount", "words"), [
    (0, "zéro franc CFA"),
    (1, "un franc CFA"),
    (25_000, "vingt-cinq mille francs CFA"),
    (1_000_000, "un million de francs CFA"),
    (2_500_000, "deux millions cinq cent mille francs CFA"),
])
def test_amounts_in_words_name_the_currency(amount, words):
    assert fcfa_in_words(amount) == words


# --- Receipt facts ----------------------------------------------------------------------


def test_the_public_facts_of_a_receipt_hold_no_personal_data():
    assert RECEIPT_FACTS.public_facts() == {
        "invoice_number": "FAC-2026-000123",
        "amount": 25_000,
        "paid_on": "2026-11-30",
        "company_name": "Société Éléphant Bleu",
        "reference": "CR-2026-00042",
    }
    assert RECEIPT_FACTS.filename() == "recu-FAC-2026-000123.pdf"


@pytest.mark.parametrize("changes", [
    {"currency": "EUR"},
    {"amount": -1},
    {"amount": 25_000.0},
    {"paid_at": datetime(2026, 11, 30, 9, 15)},
])
def test_a_receipt_refuses_facts_it_cannot_print_truthfully(changes):
    with pytest.raises((TypeError, ValueError)):
        replace(RECEIPT_FACTS, **changes)


def test_the_cashier_is_named_on_counter_receipts_only():
    assert "Caissier" not in text_of(render_receipt(RECEIPT_FACTS))
    counter = replace(RECEIPT_FACTS, method_label="Espèces au guichet",
                      provider_reference="G2-000417", cashier_name="Yao MENSAH")
    text = text_of(render_receipt(counter))
    assert "Caissier" in text and "Yao MENSAH" in text
    assert "Espèces au guichet" in text and "G2-000417" in text


# --- Issued receipts --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_issued_receipt_is_a_sealed_pdf_with_the_amount_in_figures_and_words(test_pki):
    document = issue_document(kind=DocumentKind.RECEIPT, facts=RECEIPT_FACTS)
    document.refresh_from_db()
    pdf = read_pdf(document.stored_file)

    assert document.kind == DocumentKind.RECEIPT
    assert document.sealed
    assert document.stored_file.original_name == "recu-FAC-2026-000123.pdf"
    assert validate(pdf, root=test_pki / "root.pem").bottom_line
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    for expected in ("REÇU DE PAIEMENT", "FAC-2026-000123", "25 000 FCFA",
                     "vingt-cinq mille francs CFA", "Mobile money — Flooz", "FLZ-889900112",
                     "Ama KOFFI", "CR-2026-00042", "Société Éléphant Bleu",
                     "Frais de création d'entreprise — SARL", "30 novembre 2026",
                     document.grouped_code, f"/verifier/{document.grouped_code}/",
                     "SCEAU ÉLECTRONIQUE"):
        assert expected in text, expected
    assert "non scellé" not in text
    assert "\x00" not in text  # no glyph missing from the embedded font
    assert document.public_facts == RECEIPT_FACTS.public_facts()


@pytest.mark.django_db
def test_a_receipt_verifies_by_its_code_with_its_public_facts_only(client):
    document = issue_document(kind=DocumentKind.RECEIPT, facts=RECEIPT_FACTS)

    response = client.get(f"/verifier/{document.grouped_code}/")

    assert response.status_code == 200
    text = html.unescape(response.content.decode()).replace("\u00a0", " ")
    for expected in ("Reçu de paiement", document.grouped_code, "Document authentique.",
                     "Facture n°", "FAC-2026-000123", "Montant payé", "25 000 FCFA",
                     "Payé le", "30 novembre 2026", "Société Éléphant Bleu", "CR-2026-00042",
                     document.stored_file.sha256):
        assert expected in text, expected
    for private in ("Ama KOFFI", "FLZ-889900112", "Flooz"):
        assert private not in text, private


@pytest.mark.django_db
def test_an_uploaded_receipt_is_recognised_as_authentic(client):
    document = issue_document(kind=DocumentKind.RECEIPT, facts=RECEIPT_FACTS)
    upload = SimpleUploadedFile("recu.pdf", read_pdf(document.stored_file), "application/pdf")

    response = client.post("/verifier/", {"document": upload})

    verdict = response.context["verdict"]
    assert verdict.outcome == Outcome.AUTHENTIC
    assert verdict.document == document


@pytest.mark.django_db
def test_a_free_receipt_shows_its_zero_amount_on_the_verify_page():
    document = issue_document(kind=DocumentKind.RECEIPT, facts=replace(RECEIPT_FACTS, amount=0))
    rows = dict(IssuedDocument.objects.get(pk=document.pk).public_fact_rows())
    assert rows["Montant payé"] == "0\u00a0FCFA"


@pytest.mark.django_db
def test_the_receipt_validates_in_poppler_pdfsig(nss_db, tmp_path):
    document = issue_document(kind=DocumentKind.RECEIPT, facts=RECEIPT_FACTS)
    report = pdfsig(read_pdf(document.stored_file), nss_db=nss_db, tmp_path=tmp_path)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert f"Signer Certificate Common Name: {SEAL_NAME}" in report
    assert "Total document signed" in report


# --- Counter day closing ----------------------------------------------------------------


def payment(n: int, *, method: str = "Espèces au guichet", amount: int = 25_000):
    return CounterPayment(time=time(8 + n // 60, n % 60), invoice_number=f"FAC-2026-{n:06d}",
                          filing_reference=f"CR-2026-{n:05d}", method_label=method,
                          amount=amount, receipt_code=f"{n:04d}-2345-WXYZ")


def report_facts(rows) -> CounterReportFacts:
    return CounterReportFacts(cashier_name="Yao MENSAH", day=date(2026, 11, 30),
                              desk_name="Guichet 2", rows=rows,
                              closed_at=datetime(2026, 11, 30, 17, 5, tzinfo=UTC))


def test_the_counter_report_lists_every_payment_and_the_total():
    rows = [payment(1), payment(2, method="Mobile money — T-Money", amount=30_000),
            payment(3, amount=10_000)]
    facts = report_facts(rows)
    assert (facts.total, facts.count) == (65_000, 3)
    assert facts.filename() == "cloture-caisse-2026-11-30-guichet-2.pdf"

    pdf = render_counter_report(facts)

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    text = text_of(pdf)
    for row in rows:
        for value in (row.invoice_number, row.filing_reference, row.receipt_code,
                      row.time.strftime("%H:%M")):
            assert value in text, value
    for expected in ("CLÔTURE DE CAISSE", "Yao MENSAH", "Guichet 2", "30 novembre 2026",
                     "Total encaissé", "65 000 FCFA", "Nombre de paiements",
                     "Mobile money — T-Money", "30 000 FCFA", "35 000 FCFA",
                     "Caisse clôturée le 30 novembre 2026 à 17:05."):
        assert expected in text, expected
    assert "\x00" not in text


def test_a_busy_day_spans_pages_with_the_header_on_each_and_the_total_at_the_end():
    rows = [payment(n, amount=25_000 + n) for n in range(120)]
    facts = report_facts(rows)

    reader = PdfReader(io.BytesIO(render_counter_report(facts)))

    pages = [page.extract_text().replace("\u00a0", " ") for page in reader.pages]
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "CLÔTURE DE CAISSE" in page
        assert f"Page {number} sur {len(pages)}" in page
    for page in pages[:-1]:
        assert "Heure" in page and "Code du reçu" in page
        assert "Total encaissé" not in page
    text = "\n".join(pages)
    for row in rows:
        assert row.invoice_number in text, row.invoice_number
        assert text.count(row.invoice_number) == 1
    total = sum(25_000 + n for n in range(120))
    assert facts.total == total
    assert f"{total:,} FCFA".replace(",", " ") in pages[-1]
    assert "Total encaissé" in pages[-1]


def test_a_day_without_counter_payments_still_closes():
    text = text_of(render_counter_report(report_facts([])))
    assert "Aucun paiement au guichet ce jour." in text
    assert "0 FCFA" in text


def test_totals_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError):
        CounterReportFacts(cashier_name="Yao MENSAH", day=date(2026, 11, 30),
                           desk_name="Guichet 2", rows=[payment(1)], total=30_000,
                           closed_at=datetime(2026, 11, 30, 17, 5, tzinfo=UTC))
    with pytest.raises(ValueError):
        CounterReportFacts(cashier_name="Yao MENSAH", day=date(2026, 11, 30),
                           desk_name="Guichet 2", rows=[payment(1)], count=2,
                           closed_at=datetime(2026, 11, 30, 17, 5, tzinfo=UTC))


def test_the_csv_rows_are_the_facts_with_integer_amounts():
    rows = [payment(1), payment(2, method="Mobile money — Flooz", amount=30_000)]

    csv_rows = counter_report_csv_rows(report_facts(rows))

    assert csv_rows == [
        ["Heure", "Facture", "Dossier", "Mode de paiement", "Montant (FCFA)", "Code du reçu"],
        ["08:01", "FAC-2026-000001", "CR-2026-00001", "Espèces au guichet", 25_000,
         rows[0].receipt_code],
        ["08:02", "FAC-2026-000002", "CR-2026-00002", "Mobile money — Flooz", 30_000,
         rows[1].receipt_code],
    ]


def test_payment_times_given_as_datetimes_are_shown_in_the_registers_time_zone(settings):
    settings.TIME_ZONE = "Africa/Lagos"  # UTC+1: the conversion shows
    row = payment(1)._replace(time=datetime(2026, 11, 30, 10, 42, tzinfo=UTC))
    assert counter_report_csv_rows(report_facts([row]))[1][0] == "11:42"
