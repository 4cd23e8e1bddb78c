"""Dissolution (with the liquidator), then closure of liquidation and radiation: the
company's page, its certificate's verification and its last extract say it is radiée."""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from amendments.models import Amendment, AmendmentState
from documents.verification import verify_pdf
from registry.models import CompanyChange, CompanyStatus, PublicEvent, PublicEventKind

from .helpers import file, instruct, start


def _dissolve(client, company, entrepreneur, clerks, capture) -> Amendment:
    amendment = file(client, company, entrepreneur, "dissolution",
                     {"decision_date": timezone.localdate().isoformat(),
                      "liquidator": "Afi  Mensah"})
    instruct(amendment, clerks, capture)
    amendment.refresh_from_db()
    return amendment


def test_radiation_before_dissolution_is_refused(client, company, entrepreneur):
    client.force_login(entrepreneur)
    response = start(client, company, "strike_off")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "La radiation suit la clôture de la liquidation : faites d'abord inscrire la "
        "dissolution de la société."]
    assert not Amendment.objects.exists()


def test_dissolution_records_the_liquidator_and_the_company_is_in_liquidation(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    amendment = _dissolve(client, company, entrepreneur, clerks,
                          django_capture_on_commit_callbacks)
    assert amendment.state == AmendmentState.APPROVED
    company.refresh_from_db()
    assert company.status == CompanyStatus.DISSOLVED
    assert CompanyChange.objects.get(company=company, field="liquidator").new_value == \
        "Afi Mensah"
    assert CompanyChange.objects.get(company=company, field="status").old_value == "active"
    assert amendment.extract.public_facts["status"] == \
        "Dissoute, en liquidation (liquidateur : Afi Mensah)"
    assert PublicEvent.objects.filter(company=company, kind=PublicEventKind.DISSOLVED).exists()
    # In liquidation, only the radiation may still be filed.
    response = start(client, company, "name")
    assert "seule la radiation" in str(list(get_messages(response.wsgi_request))[-1])
    page = client.get(reverse("public:company", args=[company.rccm_number])).content.decode()
    assert "dissoute, en liquidation" in page


def test_radiation_strikes_the_company_off_and_everything_public_says_so(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    _dissolve(client, company, entrepreneur, clerks, django_capture_on_commit_callbacks)
    amendment = file(client, company, entrepreneur, "strike_off",
                     {"closing_date": timezone.localdate().isoformat()})
    assert amendment.kind.procedure == "company_strike_off"
    instruct(amendment, clerks, django_capture_on_commit_callbacks)
    amendment.refresh_from_db()
    company.refresh_from_db()

    assert amendment.state == AmendmentState.APPROVED
    assert company.status == CompanyStatus.STRUCK_OFF
    assert PublicEvent.objects.filter(company=company,
                                      kind=PublicEventKind.STRUCK_OFF).exists()
    # The public page of the register.
    page = client.get(reverse("public:company", args=[company.rccm_number])).content.decode()
    assert "radiée" in page
    # The certificate's verification: revoked, because the company was struck off.
    certificate = company.certificate
    certificate.refresh_from_db()
    assert certificate.is_revoked
    html = client.get(certificate.get_absolute_url()).content.decode()
    assert "Entreprise radiée du registre du commerce le" in html
    # The last extract says it, and verifies.
    extract = amendment.extract
    assert extract.public_facts["status"].startswith("Radiée du registre le")
    html = client.get(extract.get_absolute_url()).content.decode()
    assert "Radiée du registre le" in html
    pdf = b"".join(client.get(reverse("amendments:extract",
                                      args=[amendment.reference])).streaming_content)
    assert verify_pdf(pdf).is_authentic
    # Nothing more may be filed for it.
    response = start(client, company, "name")
    assert "radiée" in str(list(get_messages(response.wsgi_request))[-1])
