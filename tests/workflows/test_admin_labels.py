"""The admin shows what codes mean: procedure and step titles, states and actions by their
French labels."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.urls import reverse

from .helpers import claim_and_approve


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin@cfe.example.tg", "x-Long-2026!")
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def test_the_case_list_shows_the_procedure_title_and_filters_by_it(admin_client, case):
    page = admin_client.get(reverse("admin:workflows_case_changelist")).content.decode()
    assert "Permis de démonstration" in page
    assert "en cours" in page
    filtered = admin_client.get(reverse("admin:workflows_case_changelist")
                                + "?procedure=toy_permit")
    assert filtered.status_code == 200
    assert filtered.context["cl"].result_count == 1


def test_the_audit_trail_shows_actions_and_states_by_their_labels(admin_client, case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])
    page = admin_client.get(reverse("admin:workflows_auditevent_changelist")).content.decode()
    assert "prise en charge" in page
    assert "approbation" in page
    assert "à traiter" in page


def test_the_task_list_shows_titles_desks_and_states(admin_client, case):
    page = admin_client.get(reverse("admin:workflows_task_changelist")).content.decode()
    assert "Réception de la demande" in page
    assert "à traiter" in page
    assert "manuelle" in page
