"""Forms say how their fields are grouped; a page shows each field once."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from registry.forms import PartyForm
from registry.legal_forms import RULES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("legal_form", sorted(RULES))
def test_every_field_of_the_people_form_is_in_exactly_one_section(legal_form):
    form = PartyForm(legal_form=legal_form)
    placed = [field.name for _, fields in form.sections() for field in fields]
    assert sorted(placed) == sorted(form.fields)
    assert len(placed) == len(set(placed))


def duplicate_ids(html: str) -> list[str]:
    ids = Counter(re.findall(r'\bid="([^"]+)"', html))
    return sorted(name for name, count in ids.items() if count > 1)


def test_the_add_a_person_page_shows_nature_once_and_no_id_twice(client, draft, entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(reverse("registry:party_add", args=[draft.reference])).content.decode()
    assert html.count('name="kind"') == 2  # the two radio buttons of one "Nature" field
    assert duplicate_ids(html) == []


def test_the_activity_search_is_labelled_and_above_the_list_it_narrows(client, draft,
                                                                     entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(reverse("registry:section", args=[draft.reference, "activity"])
                      ).content.decode()
    assert '<label for="activity-search">' in html
    assert html.index('id="activity-search"') < html.index('name="activity_code"')
    assert duplicate_ids(html) == []
