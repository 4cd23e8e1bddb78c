"""A company's public page: the register's facts, its managers by name, its public history
newest first; 404 for a number the register does not hold."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry.models import PublicEvent, PublicEventKind

from . import make_company

pytestmark = pytest.mark.django_db

MANAGER = {"first_name": "Kossi", "last_name": "Agbeko", "roles": ["manager", "partner"]}


def page(client, company):
    response = client.get(f"/registre/{company.rccm_number}/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_page_shows_the_registers_facts(client):
    company = make_company("Éléphant Bleu", legal_form="SARL", region="maritime",
                           city="Lomé", activity_code="4690", nif="1000123456",
                           parties=[MANAGER])

    text = page(client, company)

    for fact in ("Éléphant Bleu", "Société à responsabilité limitée (SARL)",
                 company.rccm_number, "1 juin 2026", "Lomé", "région Maritime", "4690",
                 "Commerce de gros", "en activité", "1000123456"):
        assert fact in text, fact


def test_the_managers_are_shown_by_name_with_their_managing_role_only(client):
    company = make_company("Baobab", parties=[MANAGER])

    text = page(client, company)

    assert "Kossi AGBEKO" in text
    assert response_managers(client, company) == [("Kossi AGBEKO", ("gérant",))]


def response_managers(client, company) -> list[tuple[str, tuple[str, ...]]]:
    response = client.get(f"/registre/{company.rccm_number}/")
    return [(manager.name, manager.roles) for manager in response.context["managers"]]


def test_a_legal_person_managing_is_shown_by_its_name(client):
    company = make_company("Baobab", legal_form="SA", parties=[
        {"kind": "legal", "legal_name": "Holding Kpalimé SA", "roles": ["administrator"],
         "representative": "Yao Représentant"}])

    text = page(client, company)

    assert "Holding Kpalimé SA" in text and "administrateur" in text
    assert "Yao Représentant" not in text


def test_the_history_is_newest_first(client):
    company = make_company("Soleil Levant")
    PublicEvent.objects.create(company=company, kind=PublicEventKind.AMENDED,
                               occurred_at=company.registered_at + timedelta(days=30),
                               summary="Transfert du siège à Kara.")

    text = page(client, company)

    assert text.index("Transfert du siège à Kara.") < text.index("Immatriculation")


def test_no_link_to_verify_the_certificate_is_given(client, registered):
    company = registered.company

    text = page(client, company)

    # The site's menu may offer the verification page; never this certificate's code.
    assert re.search(r"/verifier/[^/\"]+/", text) is None
    assert company.certificate.grouped_code not in text
    assert company.certificate.verification_code not in text


def test_a_number_typed_in_small_letters_finds_the_company(client):
    company = make_company("Soleil Levant")

    response = client.get(f"/registre/{company.rccm_number.lower()}/")

    assert response.status_code == 200 and response.context["company"] == company


@pytest.mark.parametrize("number", ["TG-LOM-2026-B-99999", "inconnu"])
def test_an_unknown_number_is_a_404(client, number):
    make_company("Soleil Levant")

    assert client.get(f"/registre/{number}/").status_code == 404


def test_the_page_costs_a_few_queries_whatever_the_history(client):
    company = make_company("Soleil Levant", parties=[MANAGER])
    with CaptureQueriesContext(connection) as before:
        page(client, company)
    for day in range(20):
        PublicEvent.objects.create(company=company, kind=PublicEventKind.AMENDED,
                                   occurred_at=company.registered_at + timedelta(days=day))

    with CaptureQueriesContext(connection) as after:
        page(client, company)

    assert len(after) == len(before) <= 3
