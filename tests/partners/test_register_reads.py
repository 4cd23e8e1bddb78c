"""What partners read: the register's public facts only, in keyset pages, and the feed of
new registrations an agency polls."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from partners import selectors
from registry.models import Company

from .conftest import bearer

pytestmark = pytest.mark.django_db
COMPANIES = "/api/v1/companies/"
REGISTRATIONS = "/api/v1/registrations/"
PUBLIC_FIELDS = {"rccm_number", "name", "legal_form", "registered_at", "city", "region",
                 "activity_code", "status", "nif"}


def test_a_registered_company_shows_public_facts_and_no_personal_data(api, bank_key,
                                                                     registered):
    company = registered.company
    party = registered.parties.get()
    party.birth_place = "Kpalimé-Kusuntu"
    party.save()
    owner = registered.owner
    owner.phone = "+228 90 12 34 56"
    owner.save()
    listing = api.get(COMPANIES, **bearer(bank_key))
    detail = api.get(f"{COMPANIES}{company.rccm_number}/", **bearer(bank_key))
    assert listing.status_code == detail.status_code == 200
    assert set(detail.json()) == PUBLIC_FIELDS
    assert [set(row) for row in listing.json()["results"]] == [PUBLIC_FIELDS]
    assert detail.json()["rccm_number"] == company.rccm_number
    assert detail.json()["nif"] == company.nif != ""
    personal = [party.birth_place, party.id_document_number, party.address, owner.email,
                owner.phone, party.first_name, "1985-03-14", "12 rue du Commerce"]
    for text in (listing.content.decode(), detail.content.decode()):
        for value in personal:
            assert value and value not in text


def test_an_unknown_company_is_404_in_french(api, bank_key):
    response = api.get(f"{COMPANIES}TG-LOM-1999-B-99999/", **bearer(bank_key))
    assert response.status_code == 404
    assert response.json() == {"detail": "Aucune entreprise ne porte ce numéro RCCM."}


def test_cursor_pages_cover_every_company_once_newest_first(api, bank_key, make_companies):
    companies = make_companies(7)
    seen, url = [], f"{COMPANIES}?limit=3"
    while url:
        page = api.get(url, **bearer(bank_key)).json()
        seen += [row["rccm_number"] for row in page["results"]]
        url = page["next"]
    expected = [company.rccm_number for company in sorted(
        companies, key=lambda company: (company.registered_at, company.pk), reverse=True)]
    assert seen == expected


def test_pages_use_no_offset_and_no_count(api, bank_key, make_companies):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_companies(5)
    first = api.get(f"{COMPANIES}?limit=2", **bearer(bank_key)).json()
    with CaptureQueriesContext(connection) as queries:
        api.get(first["next"], **bearer(bank_key))
    company_queries = [q["sql"] for q in queries if "registry_company" in q["sql"]]
    assert company_queries
    assert not any("OFFSET" in sql.upper() or "COUNT(" in sql.upper()
                   for sql in company_queries)


def test_filters_by_rccm_nif_name_and_date(api, bank_key, make_companies):
    first, second, third = make_companies(3, prefix="Éléphant")
    make_companies(1, prefix="Autre")

    def rccms(query: str) -> list[str]:
        response = api.get(f"{COMPANIES}?{query}", **bearer(bank_key))
        assert response.status_code == 200, response.content
        return [row["rccm_number"] for row in response.json()["results"]]

    assert rccms(f"rccm={second.rccm_number}") == [second.rccm_number]
    assert rccms(f"nif={third.nif}") == [third.rccm_number]
    assert len(rccms("name=elephant")) == 3
    since = second.registered_at.isoformat().replace("+00:00", "Z")
    assert set(rccms(f"registered_since={since}&name=ELEPHANT")) == {
        second.rccm_number, third.rccm_number}
    assert first.rccm_number not in rccms(f"registered_since={since}")


def test_a_bad_filter_is_400_in_french(api, bank_key):
    response = api.get(f"{COMPANIES}?registered_since=hier", **bearer(bank_key))
    assert response.status_code == 400
    assert "registered_since" in response.json()


def test_the_feed_gives_new_registrations_oldest_first_with_a_cursor(api, bank_key,
                                                                     make_companies):
    companies = make_companies(5)
    page = api.get(f"{REGISTRATIONS}?limit=2", **bearer(bank_key)).json()
    assert [row["rccm_number"] for row in page["results"]] == [
        company.rccm_number for company in companies[:2]]
    assert page["has_more"] is True
    rest = api.get(f"{REGISTRATIONS}?since={page['next']}", **bearer(bank_key)).json()
    assert [row["rccm_number"] for row in rest["results"]] == [
        company.rccm_number for company in companies[2:]]
    assert rest["has_more"] is False
    # Nothing new: the same cursor comes back, to poll with again.
    idle = api.get(f"{REGISTRATIONS}?since={rest['next']}", **bearer(bank_key)).json()
    assert idle == {"results": [], "next": rest["next"], "has_more": False}
    later = make_companies(1)
    Company.objects.filter(pk=later[0].pk).update(
        registered_at=timezone.now() - selectors.FEED_SETTLE)
    news = api.get(f"{REGISTRATIONS}?since={rest['next']}", **bearer(bank_key)).json()
    assert [row["rccm_number"] for row in news["results"]] == [later[0].rccm_number]


def test_the_feed_waits_for_a_registration_to_settle(api, bank_key, make_companies):
    (company,) = make_companies(1)
    Company.objects.filter(pk=company.pk).update(registered_at=timezone.now())
    page = api.get(REGISTRATIONS, **bearer(bank_key)).json()
    assert page["results"] == []
    Company.objects.filter(pk=company.pk).update(
        registered_at=timezone.now() - selectors.FEED_SETTLE - timedelta(seconds=1))
    page = api.get(REGISTRATIONS, **bearer(bank_key)).json()
    assert [row["rccm_number"] for row in page["results"]] == [company.rccm_number]


def test_the_feed_breaks_ties_on_the_same_instant_by_id(api, bank_key, make_companies):
    companies = make_companies(3)
    Company.objects.update(registered_at=timezone.now() - timedelta(hours=1))
    first = api.get(f"{REGISTRATIONS}?limit=1", **bearer(bank_key)).json()
    rest = api.get(f"{REGISTRATIONS}?since={first['next']}", **bearer(bank_key)).json()
    assert [row["rccm_number"] for row in first["results"] + rest["results"]] == [
        company.rccm_number for company in companies]


@pytest.mark.parametrize("cursor", ["garbage!", "YWJj", "MjAyNi0wMS0wMXwx"])
def test_a_bad_feed_cursor_is_400(api, bank_key, cursor):
    response = api.get(f"{REGISTRATIONS}?since={cursor}", **bearer(bank_key))
    assert response.status_code == 400
    assert response.json() == {"since": ["Curseur invalide."]}


def test_the_feed_needs_its_own_scope(api, bank, make_key):
    key = make_key(bank, ["companies:read"])
    assert api.get(REGISTRATIONS, **bearer(key)).status_code == 403
