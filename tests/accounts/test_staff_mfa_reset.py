"""Staff accounts: recovery codes, a lost second factor reset by a supervisor or an
administrator (audited, refused to others), the staff area named "Espace agents"."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.urls import reverse

from workflows.models import AuditEvent

from ..conftest import PASSWORD


@pytest.fixture
def clerk(make_user):
    user = make_user("greffe@cfe.example.tg", desk="greffe")
    RecoveryCodes.activate(user)
    return user


@pytest.fixture
def supervisor(make_user):
    return make_user("chef.greffe@cfe.example.tg", desk="greffe", supervisor=True)


@pytest.fixture
def other_supervisor(make_user):
    return make_user("chef.impots@cfe.example.tg", desk="impots", supervisor=True)


@pytest.fixture
def administrator(db):
    user = get_user_model().objects.create_superuser("admin@cfe.example.tg", "x-Long-2026!")
    TOTP.activate(user, generate_totp_secret())
    return user


def reset_url(desk: str, member) -> str:
    return reverse("workflows:member_second_factor", args=[desk, member.pk])


def _reauthenticated(client, user) -> None:
    """The codes are shown only after a recent authentication (allauth asks again)."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content


def test_recovery_codes_are_enabled_and_their_page_renders_in_the_site_layout(client, clerk):
    _reauthenticated(client, clerk)

    response = client.get(reverse("mfa_view_recovery_codes"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Guichet unique des entreprises" in page  # templates/base.html
    assert len(response.context["unused_codes"]) == 10
    assert client.get(reverse("mfa_index")).status_code == 200


def test_a_supervisor_resets_a_members_lost_second_factor_after_confirming(
    client, clerk, supervisor
):
    client.force_login(supervisor)
    assert client.get(reset_url("greffe", clerk)).status_code == 200

    unconfirmed = client.post(reset_url("greffe", clerk))
    assert unconfirmed.status_code == 200
    assert Authenticator.objects.filter(user=clerk).count() == 2

    response = client.post(reset_url("greffe", clerk), {"confirmer": "1"})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=clerk).exists()
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(clerk.pk),
                                   action="mfa_reset")
    assert event.actor == supervisor
    assert event.comment == "recovery_codes, totp"
    # At the next visit the member must set up a new authenticator app.
    client.force_login(clerk)
    assert client.get(reverse("workflows:queue"))["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize("who", ["colleague", "other_supervisor"])
def test_the_reset_is_refused_to_a_clerk_and_to_another_desks_supervisor(
    client, make_user, clerk, other_supervisor, who
):
    user = (make_user("collegue@cfe.example.tg", desk="greffe") if who == "colleague"
            else other_supervisor)
    client.force_login(user)

    for response in (client.get(reset_url("greffe", clerk)),
                     client.post(reset_url("greffe", clerk), {"confirmer": "1"})):
        assert response.status_code == 403
    assert Authenticator.objects.filter(user=clerk).count() == 2
    assert not AuditEvent.objects.filter(action="mfa_reset").exists()


def test_a_supervisor_cannot_reset_an_administrators_or_their_own_second_factor(
    client, supervisor, administrator
):
    from workflows.models import Desk, DeskMembership

    DeskMembership.objects.create(user=administrator, desk=Desk.objects.get(code="greffe"))
    client.force_login(supervisor)
    assert client.post(reset_url("greffe", administrator),
                       {"confirmer": "1"}).status_code == 403
    assert client.post(reset_url("greffe", supervisor), {"confirmer": "1"}).status_code == 403
    assert Authenticator.objects.filter(user=administrator).exists()
    assert Authenticator.objects.filter(user=supervisor).exists()


def test_an_administrator_resets_a_second_factor_from_the_admin(client, clerk, administrator):
    client.force_login(administrator)
    changelist = reverse("admin:accounts_user_changelist")
    selection = {"action": "reset_second_factor", "_selected_action": [clerk.pk]}

    confirmation = client.post(changelist, selection)
    assert confirmation.status_code == 200
    assert Authenticator.objects.filter(user=clerk).count() == 2

    client.post(changelist, {**selection, "confirmer": "1"})

    assert not Authenticator.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.filter(object_id=str(clerk.pk), action="mfa_reset",
                                     actor=administrator).exists()


@pytest.mark.parametrize("page", ["workflows:queue", "workflows:supervision_desk",
                                  "preferences"])
def test_the_staff_area_is_called_espace_agents(client, supervisor, page):
    client.force_login(supervisor)
    args = ["greffe"] if page == "workflows:supervision_desk" else []

    content = client.get(reverse(page, args=args)).content.decode()

    assert "Espace agents" in content
    assert "back-office" not in content.lower()
