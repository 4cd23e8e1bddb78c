"""Registrations per legal form and per region: counted by hand, the same in the CSV, shown
to desk members and managers only."""

from __future__ import annotations

import csv
import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group
from django.urls import reverse

from registry import selectors
from registry.models import Application, Company
from workflows.access import MANAGERS_GROUP

URL = "registry:registration_statistics"


def _company(owner, number: int, *, legal_form: str, region: str) -> Company:
    application = Application.objects.create(
        reference=f"CFE-STAT-{number:04d}", owner=owner, legal_form=legal_form, region=region,
        company_name=f"Entreprise {number}")
    return Company.objects.create(
        application=application, name=application.company_name, legal_form=legal_form,
        rccm_number=f"TG-LOM-2026-B-9{number:04d}", registered_office="1 rue, Lomé")


@pytest.fixture
def register(entrepreneur):
    """Three SARL and one EI in Maritime, one SA in Kara, one EI with no region; and a
    filing not registered (no company: not counted)."""
    for number, (form, region) in enumerate((
            ("SARL", "maritime"), ("SARL", "maritime"), ("SARL", "maritime"),
            ("EI", "maritime"), ("SA", "kara"), ("EI", "")), start=1):
        _company(entrepreneur, number, legal_form=form, region=region)
    Application.objects.create(reference="CFE-STAT-0099", owner=entrepreneur,
                               legal_form="SAS", region="savanes")


@pytest.fixture
def manager(make_user):
    user = make_user("gestion@cfe.example.tg")
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    TOTP.activate(user, generate_totp_secret())
    return user


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_registrations_per_legal_form_equal_those_counted_by_hand(register):
    counts = {row.code: row.count for row in selectors.registrations_by_legal_form()}
    assert counts == {"EI": 2, "SARL": 3, "SARLU": 0, "SA": 1, "SAS": 0, "SASU": 0,
                      "SNC": 0, "SCS": 0, "GIE": 0}


def test_registrations_per_region_equal_those_counted_by_hand(register):
    rows = selectors.registrations_by_region()
    counts = {row.code: row.count for row in rows}
    assert counts == {"maritime": 4, "plateaux": 0, "centrale": 0, "kara": 1, "savanes": 0,
                      "": 1}
    assert rows[-1].label == "Non renseignée"


def test_the_csv_equals_the_figures(client, clerks, register):
    client.force_login(clerks["greffe"])
    forms = _csv(client.get(reverse(URL) + "?format=csv&figure=formes"))
    regions = _csv(client.get(reverse(URL) + "?format=csv&figure=regions"))

    assert forms[0] == ["Forme juridique", "Code", "Entreprises immatriculées"]
    assert forms[1:] == [[row.label, row.code, str(row.count)]
                         for row in selectors.registrations_by_legal_form()]
    assert ["Société anonyme (SA)", "SA", "1"] in forms
    assert regions[0] == ["Région", "Code", "Entreprises immatriculées"]
    assert regions[1:] == [[row.label, row.code, str(row.count)]
                           for row in selectors.registrations_by_region()]


def test_the_page_draws_both_charts_for_a_manager(client, manager, register):
    client.force_login(manager)
    response = client.get(reverse(URL))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 2 and "Entreprise 1" not in page
    assert response.context["total"] == 6


def test_an_unknown_csv_figure_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(reverse(URL) + "?format=csv&figure=autre").status_code == 404


def test_an_entrepreneur_is_refused(client, entrepreneur):
    client.force_login(entrepreneur)
    assert client.get(reverse(URL)).status_code == 403


def test_a_manager_cannot_open_a_filing_s_documents(client, manager, submitted):
    client.force_login(manager)
    url = reverse("registry:staff_document", args=[submitted.reference, 1])
    assert client.get(url).status_code == 403
    assert client.get(reverse("registry:register_search")).status_code == 403
