"""The entrepreneur's filing pages: validation in French, ownership, read-only once sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from registry.models import Application, ApplicationState

from ..conftest import COMPANY_DATA, FOUNDER_DATA


def form_data(**overrides) -> dict:
    data = {f"company-{k}": v for k, v in COMPANY_DATA.items()}
    data.update({f"founder-{k}": v for k, v in FOUNDER_DATA.items()})
    data["founder-birth_date"] = FOUNDER_DATA["birth_date"].isoformat()
    data.update(overrides)
    return data


def test_a_valid_filing_is_saved_as_a_draft_with_its_founder(client, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(reverse("registry:application_create"), form_data())
    application = Application.objects.get(owner=entrepreneur)
    assert response["Location"] == application.get_absolute_url()
    assert application.state == ApplicationState.DRAFT
    assert application.reference.startswith("CFE-")
    founder = application.parties.get()
    assert founder.is_partner and founder.is_manager
    assert founder.shares == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("company-capital", "0", "Le capital social doit être d&#x27;au moins"),
        ("company-company_name", " ", "Ce champ est obligatoire."),
        ("founder-birth_date", "2015-01-01", "Le gérant doit être majeur"),
        ("founder-shares", "0", "supérieure ou égale à 1"),
        ("company-legal_form", "XX", "Sélectionnez un choix valide."),
    ],
)
def test_a_bad_field_is_refused_in_french_and_nothing_is_saved(
    client, entrepreneur, field, value, message
):
    client.force_login(entrepreneur)
    response = client.post(reverse("registry:application_create"), form_data(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert not Application.objects.exists()


def test_another_entrepreneur_gets_404_on_a_filing(client, draft, other_entrepreneur):
    client.force_login(other_entrepreneur)
    for name in ("registry:application", "registry:application_edit"):
        assert client.get(reverse(name, args=[draft.reference])).status_code == 404
    response = client.post(reverse("registry:application_submit", args=[draft.reference]))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


def test_after_submission_a_post_to_the_edit_view_changes_nothing(client, submitted, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(
        reverse("registry:application_edit", args=[submitted.reference]),
        form_data(**{"company-company_name": "Autre Nom", "company-capital": "5"}),
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.company_name == "Éléphant Bleu"
    assert submitted.capital == 1_000_000


def test_an_owner_can_edit_a_draft(client, draft, entrepreneur):
    client.force_login(entrepreneur)
    client.post(reverse("registry:application_edit", args=[draft.reference]),
                form_data(**{"company-capital": "2500000", "founder-last_name": "Mensah"}))
    draft.refresh_from_db()
    assert draft.capital == 2_500_000
    assert draft.parties.get().last_name == "Mensah"


def test_submitting_twice_is_refused_with_a_message(client, submitted, entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(
        reverse("registry:application_submit", args=[submitted.reference]), follow=True
    )
    assert "Ce dossier a déjà été soumis." in response.content.decode()


def test_the_status_page_shows_where_the_file_is(client, submitted, entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "en cours d&#x27;instruction" in html
    assert "Recevabilité du dossier" in html
    assert "à traiter" in html


def test_withdrawing_a_submitted_filing_cancels_its_tasks(client, submitted, entrepreneur):
    client.force_login(entrepreneur)
    client.post(reverse("registry:application_withdraw", args=[submitted.reference]))
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.WITHDRAWN
    from workflows.services import case_for

    case = case_for(submitted)
    assert case.state == "cancelled"
    assert set(case.tasks.values_list("state", flat=True)) == {"cancelled"}
