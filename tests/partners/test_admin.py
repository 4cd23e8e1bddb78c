"""The partners admin: a token's key is shown once, never stored; tokens are revoked there;
a partner gets its service account; the call log is read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from partners.models import ApiCall, Partner, PartnerToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_in(client):
    """A superuser signed in, with the second factor the admin requires."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = get_user_model().objects.create_superuser(email="admin@example.tg",
                                                     password="x" * 20)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def test_creating_a_token_shows_its_key_once_and_stores_its_hash(admin_in, bank):
    response = admin_in.post("/admin/partners/partnertoken/add/", {
        "partner": bank.pk, "label": "production", "scopes": ["companies:read"],
    })
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request) if "Jeton" in str(m)]
    key = message.rsplit(" ", 1)[1]
    token = PartnerToken.objects.get()
    prefix, secret = key.split(".")
    assert (token.prefix, token.scopes) == (prefix, ["companies:read"])
    assert token.matches(secret) and secret not in token.secret_hash
    page = f"/admin/partners/partnertoken/{token.pk}/change/"
    assert key in admin_in.get(page).content.decode()  # the page after the save shows it
    assert key not in admin_in.get(page).content.decode()  # and no page after that


def test_a_token_s_change_page_saves_without_touching_its_scopes(admin_in, bank, make_key):
    make_key(bank, ["companies:read"])
    token = PartnerToken.objects.get()
    response = admin_in.post(f"/admin/partners/partnertoken/{token.pk}/change/",
                             {"label": "renommé"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert (token.label, token.scopes) == ("renommé", ["companies:read"])


def test_the_revoke_action_revokes(admin_in, bank, make_key):
    make_key(bank)
    token = PartnerToken.objects.get()
    response = admin_in.post("/admin/partners/partnertoken/", {
        "action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_partner_created_in_the_admin_gets_its_service_account_in_its_desk(admin_in):
    from workflows.models import Desk

    response = admin_in.post("/admin/partners/partner/add/", {
        "name": "OTR", "kind": "tax_office", "desk": Desk.objects.get(code="impots").pk,
        "active": "on"})
    assert response.status_code == 302
    partner = Partner.objects.get()
    assert partner.service_user.desks.get().code == "impots"


def test_the_call_log_is_read_only(admin_in):
    ApiCall.objects.create(method="GET", path="/api/v1/companies/", status=200,
                           duration_ms=3)
    assert admin_in.get("/admin/partners/apicall/").status_code == 200
    assert admin_in.get("/admin/partners/apicall/add/").status_code == 403


def test_failed_deliveries_are_resent_from_their_list(admin_in, bank):
    from outbox.models import Message
    from partners.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

    subscription = WebhookSubscription.objects.create(
        partner=bank, url="https://partenaire.example.tg/hooks",
        events=["company.registered"])
    delivery = WebhookDelivery.objects.create(subscription=subscription,
                                              event="company.registered", payload={},
                                              status=DeliveryStatus.FAILED, attempts=9)
    response = admin_in.post("/admin/partners/webhookdelivery/", {
        "action": "resend", "_selected_action": [delivery.pk]})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert Message.objects.get().args == [delivery.pk]  # sent once the action commits
