"""Each change type through the pages: filed (pre-filled, documents computed, signed by
one-time code, paid), instructed by its procedure's desks, applied by the registrar's
approval with the previous value kept as dated history, an up-to-date extract issued."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amendments.models import AmendmentState
from amendments.services import required_documents
from documents.verification import verify_pdf
from registry.models import CompanyChange, PublicEvent, PublicEventKind
from workflows import selectors as workflow_selectors

from .helpers import file, instruct, open_amendment

CASES = {
    "managers": ({"managers": "Kossi Agbeko\nAfi Mensah", "role": "manager"},
                 "managers", None,
                 [{"name": "Kossi Agbeko", "roles": ["manager"]},
                  {"name": "Afi Mensah", "roles": ["manager"]}]),
    "office": ({"address": "45 boulevard du 13 Janvier", "city": "Kara", "region": "kara"},
               "registered_office", "registered_office", "45 boulevard du 13 Janvier, Kara"),
    "name": ({"name": "Éléphant Vert"}, "name", "name", "Éléphant Vert"),
    "activity": ({"activity_code": "47", "business_purpose": "Commerce de détail."},
                 "activity_code", "activity_code", "47"),
    "capital": ({"capital": "2000000"}, "capital", "capital", 2_000_000),
    "share_transfer": ({"transferor": "Kossi Agbeko", "transferee": "Afi Mensah",
                        "shares": "50"}, "share_transfer", None,
                       {"transferor": "Kossi Agbeko", "transferee": "Afi Mensah",
                        "shares": 50}),
}
# The desks each change type's procedure sends the filing to (SARL: CNSS applies).
DESKS = {
    "managers": ["guichet", "greffe", "greffier"],
    "office": ["guichet", "greffe", "impots", "greffier"],
    "name": ["guichet", "greffe", "impots", "cnss", "greffier"],
    "activity": ["guichet", "greffe", "impots", "greffier"],
    "capital": ["guichet", "greffe", "greffier"],
    "share_transfer": ["guichet", "greffe", "impots", "greffier"],
}


@pytest.mark.parametrize("change_type", list(CASES))
def test_each_change_type_is_applied_with_its_history_and_extract(
        change_type, client, company, entrepreneur, clerks,
        django_capture_on_commit_callbacks):
    data, field, column, expected = CASES[change_type]
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, change_type, data)
    assert amendment.state == AmendmentState.IN_REVIEW
    case = workflow_selectors.case_for(amendment)
    assert case.definition.code == amendment.kind.procedure
    assert sorted({task.desk.code for task in case.tasks.all()}) == sorted(DESKS[change_type])

    instruct(amendment, clerks, django_capture_on_commit_callbacks)

    amendment.refresh_from_db()
    company.refresh_from_db()
    assert amendment.state == AmendmentState.APPROVED
    if column:
        assert getattr(company, column) == expected
    change = CompanyChange.objects.get(company=company, field=field)
    assert change.new_value == expected
    assert change.filing_reference == amendment.reference
    assert change.effective_at == amendment.decided_at
    assert PublicEvent.objects.filter(company=company, kind=PublicEventKind.AMENDED).count() == 1
    # The certificate of registration stays valid; a new sealed extract tells the change.
    assert company.certificate.revoked_at is None
    assert amendment.extract is not None
    response = client.get(reverse("amendments:extract", args=[amendment.reference]))
    assert verify_pdf(b"".join(response.streaming_content)).is_authentic


def test_the_form_is_pre_filled_from_the_register(client, company, entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "office")
    html = client.get(reverse("amendments:edit", args=[amendment.reference])).content.decode()
    assert 'value="12 rue du Commerce"' in html
    assert 'value="Lomé"' in html


def test_a_declaration_that_changes_nothing_is_refused(client, company, entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "capital")
    response = client.post(reverse("amendments:edit", args=[amendment.reference]),
                           {"capital": "1000000"})
    assert response.status_code == 200
    assert "C&#x27;est le capital actuel" in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.changes == {}


def test_the_documents_follow_the_change_and_the_legal_form(client, company, entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "capital")
    client.post(reverse("amendments:edit", args=[amendment.reference]),
                {"capital": "3000000"})
    amendment.refresh_from_db()
    codes = [requirement.code for requirement in required_documents(amendment)]
    # A SARL decides in a meeting, changes its statutes, and brings the new money in.
    assert codes == ["pv_decision", "statuts_mis_a_jour", "attestation_depot_fonds"]
    client.post(reverse("amendments:edit", args=[amendment.reference]), {"capital": "500000"})
    amendment.refresh_from_db()
    assert "attestation_depot_fonds" not in [r.code for r in required_documents(amendment)]


def test_signing_is_refused_while_documents_are_missing(client, company, entrepreneur):
    client.force_login(entrepreneur)
    amendment = open_amendment(client, company, "name")
    client.post(reverse("amendments:edit", args=[amendment.reference]),
                {"name": "Éléphant Vert"})
    response = client.post(reverse("amendments:sign", args=[amendment.reference]),
                           {"accept": "on"})
    assert "Des pièces justificatives manquent." in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.state == AmendmentState.DRAFT
    assert not amendment.signatures.exists()


def test_the_fee_is_billed_from_the_schedule_for_the_amendment(client, company,
                                                               entrepreneur):
    from payments import selectors as payment_selectors

    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Éléphant Vert"})
    invoice = payment_selectors.invoice_of(amendment)
    assert invoice.service == "company_amendment"
    assert invoice.amount == 15_000
    assert invoice.fee.legal_basis.startswith("AUDCG OHADA art. 52")
    assert amendment.signatures.filter(signed_at__isnull=False).count() == 1


def test_the_public_page_names_the_managers_after_a_change(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "managers",
                     {"managers": "Afi Mensah", "role": "manager"})
    instruct(amendment, clerks, django_capture_on_commit_callbacks)
    page = client.get(reverse("public:company", args=[company.rccm_number])).content.decode()
    assert "Afi Mensah" in page
    assert "Kossi AGBEKO" not in page
    amendment.refresh_from_db()
    assert amendment.extract.public_facts["managers"] == ["Afi Mensah"]
