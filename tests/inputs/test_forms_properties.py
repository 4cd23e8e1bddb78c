"""Property-based: whatever the owner posts to a section's page (any Unicode text but lone
surrogates, NUL and other controls, huge strings, numbers far past their column's bounds),
the answer is never a server error, and the section is either saved whole, exactly as its
form cleaned it, or not changed at all."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.forms import ActivityForm, CapitalForm, NamesForm, OfficeForm, PartyForm
from registry.models import Application
from registry.services import drafting

from ..conftest import COMPANY_DATA

BOUNDED = settings(max_examples=50, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(["", " ", "\x00", "a\x00b", "\u202eLomé", "x" * 5000, "Lomé",
                          "SОCIÉTÉ", "Ɖokui Ŋlɔla", "💥", "NaN", "Infinity", "1e9", "-1",
                          "maritime", "golfe", "46", "natural", "legal", "partner"])
numbers = st.integers(min_value=-(2**70), max_value=2**70).map(str)
bounds = st.sampled_from([str(2**31 - 1), str(2**31), str(2**63 - 1), str(2**63), "0",
                          "9" * 5000])
value = st.one_of(any_text, tricky, numbers, bounds)

SECTIONS = {
    "names": (NamesForm, ("name_1", "name_2", "name_3", "acronym", "trade_name")),
    "activity": (ActivityForm, ("activity_code", "business_purpose")),
    "office": (OfficeForm, ("region", "prefecture", "city", "registered_office")),
    "capital": (CapitalForm, ("capital", "share_count", "share_nominal", "duration_years")),
}
SECTION_COLUMNS = {
    "names": ("company_name", "alternative_names", "acronym", "trade_name"),
    "activity": ("activity_code", "business_purpose"),
    "office": ("region", "prefecture", "city", "registered_office"),
    "capital": ("capital", "share_count", "share_nominal", "duration_years"),
}
PARTY_FIELDS = ("kind", "first_name", "last_name", "birth_date", "birth_place", "nationality",
                "id_document_number", "legal_name", "registration_number", "representative",
                "address", "shares", "cash_contribution", "in_kind_contribution",
                "in_kind_description", "ownership_percent")


def columns(application_id: int, section: str) -> dict:
    return Application.objects.filter(pk=application_id).values(
        *SECTION_COLUMNS[section]).get()


def expected_after(section: str, data: dict, application: Application) -> dict | None:
    """What the section holds once the form took `data`; None when the form refuses it."""
    form_class = SECTIONS[section][0]
    form = (form_class.for_application(application, data) if form_class is NamesForm
            else form_class(data, instance=application))
    if not form.is_valid():
        return None
    cleaned = form.section_data() if form_class is NamesForm else form.cleaned_data
    return {name: cleaned[name] for name in SECTION_COLUMNS[section] if name in cleaned}


@pytest.fixture
def owner_client(client, entrepreneur):
    client.force_login(entrepreneur)
    return client


@pytest.fixture
def application(entrepreneur):
    application = drafting.application_create(
        owner=entrepreneur, data=dict(COMPANY_DATA),
        founder={"first_name": "Kossi", "last_name": "Agbeko", "shares": 200})
    return application


@pytest.mark.parametrize("section", SECTIONS)
def test_a_section_is_saved_whole_or_not_at_all_and_never_fails(owner_client, application,
                                                                 section):
    fields = SECTIONS[section][1]

    @BOUNDED
    @given(st.fixed_dictionaries({}, optional={name: value for name in fields}))
    def post(data):
        before = columns(application.pk, section)
        expected = expected_after(section, data,
                                  Application.objects.get(pk=application.pk))
        response = owner_client.post(
            reverse("registry:section", args=[application.reference, section]), data)
        assert response.status_code in (200, 302)
        after = columns(application.pk, section)
        if expected is None:
            assert after == before
        else:
            assert after == {**before, **expected}

    post()


def test_a_person_is_added_whole_or_not_at_all_and_never_fails(owner_client, application):
    url = reverse("registry:party_add", args=[application.reference])

    @BOUNDED
    @given(st.fixed_dictionaries(
        {"kind": st.sampled_from(["natural", "legal", "x\x00"])},
        optional={**{name: value for name in PARTY_FIELDS[1:]},
                  "roles": st.lists(st.sampled_from(["partner", "manager", "\x00", "x"]),
                                    max_size=3)}))
    def post(data):
        count = application.parties.count()
        form = PartyForm(data, legal_form=application.legal_form)
        valid = form.is_valid()
        response = owner_client.post(url, data)
        assert response.status_code in (200, 302)
        assert application.parties.count() == count + (1 if valid else 0)
        if valid:
            party = application.parties.order_by("-pk").first()
            for name in ("first_name", "last_name", "address", "shares",
                         "cash_contribution", "ownership_percent"):
                assert getattr(party, name) == form.cleaned_data[name]

    post()
