"""Public statistics: registrations per month (24 months), per legal form and per region,
equal to a data set built by hand; each CSV equal to its figure; charts without script."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from registry.models import Application, Company
from registry.public import statistics

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
URL = "guide:statistics"


def _company(owner, number: int, *, form: str, region: str, at: datetime) -> Company:
    application = Application.objects.create(
        reference=f"CFE-PS-{number:04d}", owner=owner, legal_form=form,
        company_name=f"Entreprise {number}")
    return Company.objects.create(
        application=application, name=application.company_name, legal_form=form,
        rccm_number=f"TG-LFW-01-2026-B12-{number:05d}", registered_office="1 rue, Lomé",
        region=region, registered_at=at)


@pytest.fixture
def register(entrepreneur):
    """Two SARL in Maritime in November 2026, one EI in Kara in January 2025, one SA with no
    region in December 2024 (the first of the 24 months), one SARL in November 2024 (too
    old for the months, counted in the other figures)."""
    for number, (form, region, at) in enumerate((
            ("SARL", "maritime", datetime(2026, 11, 1, 0, 0, tzinfo=UTC)),
            ("SARL", "maritime", datetime(2026, 11, 15, 11, 0, tzinfo=UTC)),
            ("EI", "kara", datetime(2025, 1, 31, 23, 59, tzinfo=UTC)),
            ("SA", "", datetime(2024, 12, 1, 0, 0, tzinfo=UTC)),
            ("SARL", "savanes", datetime(2024, 11, 30, 23, 59, tzinfo=UTC))), start=1):
        _company(entrepreneur, number, form=form, region=region, at=at)


def test_registrations_per_month_equal_the_hand_counts(register):
    rows = statistics.registrations_by_month(now=NOW)

    assert len(rows) == 24
    assert rows[0].code == "2024-12" and rows[-1].code == "2026-11"
    counts = {row.code: row.count for row in rows if row.count}
    assert counts == {"2024-12": 1, "2025-01": 1, "2026-11": 2}
    assert rows[-1].label == "11/2026"


def test_registrations_per_form_and_region_equal_the_hand_counts(register):
    forms = {row.code: row.count for row in statistics.registrations_by_legal_form()}
    regions = statistics.registrations_by_region()

    assert forms == {"EI": 1, "SARL": 3, "SARLU": 0, "SA": 1, "SAS": 0, "SASU": 0, "SNC": 0,
                     "SCS": 0, "GIE": 0}
    assert {row.code: row.count for row in regions} == {
        "maritime": 2, "plateaux": 0, "centrale": 0, "kara": 1, "savanes": 1, "": 1}
    assert regions[-1].label == "Non renseignée"


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("code", statistics.FIGURE_CODES)
def test_each_csv_equals_its_figure(client, register, code):
    rows = _csv(client.get(reverse(URL), {"format": "csv", "figure": code}))
    figure = statistics.figure(code)

    assert rows[0] == [figure.column, "Code", "Entreprises immatriculées"]
    assert rows[1:] == [[row.label, row.code, str(row.count)] for row in figure.rows]


def test_the_page_draws_each_figure_without_script_or_style(client, register):
    response = client.get(reverse(URL))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") == 3
    for svg in page.split("<svg")[1:]:
        drawing = svg.split("</svg>")[0]
        assert "<script" not in drawing and "style=" not in drawing
    for code in statistics.FIGURE_CODES:
        assert f"?format=csv&amp;figure={code}" in page
    assert "Non renseignée" in page


def test_an_unknown_figure_is_a_404(client, db):
    assert client.get(reverse(URL), {"format": "csv", "figure": "personnes"}).status_code == 404


def test_the_page_is_public_and_bounded(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get(reverse(URL)).status_code == 200


def test_the_figures_are_cached_an_hour(client, register, entrepreneur,
                                        django_assert_max_num_queries):
    client.get(reverse(URL))
    _company(entrepreneur, 99, form="GIE", region="centrale", at=NOW)

    with django_assert_max_num_queries(1):
        client.get(reverse(URL))
    assert {row.code: row.count for row in statistics.figure("formes").rows}["GIE"] == 0
