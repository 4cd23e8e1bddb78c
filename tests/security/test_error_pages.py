"""Error pages (400, 403, 404, 500, CSRF failure) in the site's layout, French first, with
DEBUG off as in production; English for a visitor who chose English."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

PAGES = [
    ("/essai/400/", 400, "Demande incorrecte", "Bad request"),
    ("/essai/403/", 403, "Accès refusé", "Access denied"),
    ("/page-qui-n-existe-pas/", 404, "Page introuvable", "Page not found"),
    ("/essai/500/", 500, "Erreur du service", "Service error"),
]


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(("url", "status", "french", "english"), PAGES)
def test_each_error_page_is_in_french_in_the_site_layout(client, url, status, french,
                                                          english):
    response = client.get(url)

    body = response.content.decode()
    assert response.status_code == status
    assert french in body
    assert "Guichet unique des entreprises" in body
    assert 'lang="fr"' in body
    assert "internal reason" not in body


@pytest.mark.parametrize(("url", "status", "french", "english"), PAGES)
def test_each_error_page_follows_the_visitors_english(client, settings, url, status, french,
                                                      english):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(url)

    assert response.status_code == status
    assert 'lang="en"' in response.content.decode()


def test_the_500_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render()

    assert "Erreur du service" in html


def test_a_form_sent_without_its_csrf_token_gets_the_french_csrf_page(entrepreneur):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(entrepreneur)

    response = client.post("/comptes/preferences/", {"preferred_language": "fr"})

    assert response.status_code == 403
    body = response.content.decode()
    assert "Formulaire expiré" in body
    assert "Guichet unique des entreprises" in body
