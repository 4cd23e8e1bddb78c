"""The account e-mails (sign-up, verification, password) speak in the service's name, in
the person's language, never in the name of the host that served the page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def wording(text: str) -> str:
    """The message without its links (which rightly point to the site's address)."""
    return re.sub(r"https?://\S+", "", text)


def _sign_up(client, email: str, language: str = "fr"):
    client.cookies["django_language"] = language
    return client.post(reverse("account_signup"), {
        "first_name": "Awa", "last_name": "Koffi", "email": email,
        "password1": PASSWORD, "password2": PASSWORD,
    }, HTTP_ACCEPT_LANGUAGE=language)


def test_the_verification_e_mail_names_the_service_in_french(client):
    _sign_up(client, "awa@example.tg")
    [message] = mail.outbox
    assert message.subject.startswith("[Guichet unique]")
    assert "Guichet unique des entreprises" in message.body
    assert "testserver" not in wording(message.body) and "testserver" not in message.subject
    assert message.body.startswith("Bonjour,")


def test_the_verification_e_mail_is_in_english_when_english_is_chosen(client):
    _sign_up(client, "ama@example.tg", language="en")
    [message] = mail.outbox
    assert "one-stop shop" in message.body.lower()
    assert "testserver" not in wording(message.body)
    assert message.body.startswith("Hello,")


def test_the_password_reset_e_mail_names_the_service(client, entrepreneur):
    client.post(reverse("account_reset_password"), {"email": entrepreneur.email})
    [message] = mail.outbox
    assert "Guichet unique des entreprises" in message.body
    assert "testserver" not in wording(message.body)
