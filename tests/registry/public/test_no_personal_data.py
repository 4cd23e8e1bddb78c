"""The public register never shows a personal field: companies whose people have distinctive
personal values are searched and opened, and none of those values may appear anywhere in
the pages; the managers' names do. A revoked certificate shows in the history with the
public wording only."""

from __future__ import annotations

import html
from datetime import date

import pytest

from registry import services as registry_services
from registry.models import Company

from . import make_company

pytestmark = pytest.mark.django_db

MANAGER = {
    "first_name": "Komlanvi", "last_name": "Dzifanu", "roles": ["manager", "partner"],
    "birth_date": date(1961, 7, 23), "birth_place": "Tsévié-Zongodjigbé",
    "nationality": "Burkinabè-Témoin", "id_document_number": "CNI-TEMOIN-998877",
    "address": "Rue Témoin 414, Nyékonakpoè", "shares": 137, "cash_contribution": 6_850_001,
    "ownership_percent": "68.51",
}
PARTNER = {
    "first_name": "Abla-Associée", "last_name": "Nyonouglo", "roles": ["partner"],
    "birth_place": "Aného-Glidji", "id_document_number": "PASSEPORT-TEMOIN-4321",
    "address": "Quartier Témoin Adidogomé", "nationality": "Ghanéenne-Témoin", "shares": 63,
}
BENEFICIAL_OWNER = {
    "first_name": "Edem-Bénéficiaire", "last_name": "Tagbata", "roles": ["beneficial_owner"],
    "id_document_number": "CNI-BENEF-5555", "ownership_percent": "31.49",
}
LEGAL_PARTNER = {
    "kind": "legal", "legal_name": "Holding Secrète Témoin SA", "roles": ["partner"],
    "registration_number": "TG-LOM-2019-B-77777", "representative": "Mawuli Représentant",
}
# Every value the register holds but must never publish.
PRIVATE = [
    "Tsévié-Zongodjigbé", "23 juillet 1961", "1961-07-23", "23/07/1961", "Burkinabè-Témoin",
    "CNI-TEMOIN-998877", "Rue Témoin 414", "Nyékonakpoè", "6850001", "6 850 001", "68,51",
    "68.51",
    "Abla-Associée", "Nyonouglo", "NYONOUGLO", "Aného-Glidji", "PASSEPORT-TEMOIN-4321",
    "Quartier Témoin Adidogomé", "Ghanéenne-Témoin",
    "Edem-Bénéficiaire", "Tagbata", "TAGBATA", "CNI-BENEF-5555", "31,49", "31.49",
    "Holding Secrète Témoin", "TG-LOM-2019-B-77777", "Mawuli Représentant",
    # The filing and its applicant: address of the seat, capital, e-mail, phone, CNSS.
    "7 avenue de la Paix", "1000000", "1 000 000", "public-register@example.tg",
    "CNSS-TEMOIN-31337", "CFE-PUB-",
]


@pytest.fixture
def company() -> Company:
    company = make_company("Entreprise Témoin Confidentiel", nif="NIF-PUBLIC-2026",
                           parties=[MANAGER, PARTNER, BENEFICIAL_OWNER, LEGAL_PARTNER])
    Company.objects.filter(pk=company.pk).update(employer_number="CNSS-TEMOIN-31337")
    return company


def pages(client, company) -> dict[str, str]:
    urls = {
        "search_newest": "/registre/",
        "search_name": "/registre/?q=temoin+confidentiel",
        "search_rccm": f"/registre/?q={company.rccm_number}",
        "search_nif": "/registre/?q=NIF-PUBLIC-2026",
        "company": f"/registre/{company.rccm_number}/",
    }
    texts = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        texts[name] = html.unescape(response.content.decode())
    return texts


def test_no_personal_field_appears_on_any_public_page(client, company):
    for name, text in pages(client, company).items():
        assert "Entreprise Témoin Confidentiel" in text, name
        for value in PRIVATE:
            assert value not in text, (name, value)


def test_the_managers_name_does_appear_on_the_company_page(client, company):
    text = pages(client, company)["company"]

    assert "Komlanvi DZIFANU" in text
    assert "NIF-PUBLIC-2026" in text


def test_the_selectors_read_public_columns_only(company):
    from registry.public import selectors

    found = selectors.public_company(company.rccm_number)

    assert found.get_deferred_fields() >= {"capital", "registered_office", "employer_number",
                                           "certificate_id", "normalized_name"}
    assert [manager.name for manager in selectors.public_managers(found)] == [
        "Komlanvi DZIFANU"]


def test_a_revoked_certificate_shows_with_its_public_wording_only(client, registered, clerks):
    company = registered.company
    registry_services.revoke_company_document(
        company=company, document_id=company.certificate_id, reason_code="false_declaration",
        public_reason="Certificat annulé par le greffe.", actor=clerks["greffier"])

    response = client.get(f"/registre/{company.rccm_number}/")

    text = html.unescape(response.content.decode())
    assert "Révocation du certificat : Certificat annulé par le greffe." in text
    assert "fausse déclaration" not in text
    assert text.index("Révocation du certificat") < text.index("Immatriculation")
    # The registered company of the full procedure: its founder's personal data stays out.
    for value in ("TG-CNI-123456", "14 mars 1985", "Bè, Lomé", "kossi@example.tg",
                  "12 rue du Commerce", company.certificate.grouped_code):
        assert value not in text, value
    assert "Kossi AGBEKO" in text  # the founder manages: his name is public


def test_a_revocation_without_public_wording_publishes_no_reason(client, registered,
                                                                  clerks):
    company = registered.company
    registry_services.revoke_company_document(
        company=company, document_id=company.certificate_id, reason_code="court_decision",
        public_reason="", actor=clerks["greffier"])

    text = html.unescape(client.get(f"/registre/{company.rccm_number}/").content.decode())

    assert "Révocation du certificat" in text
    assert "Décision de justice" not in text
