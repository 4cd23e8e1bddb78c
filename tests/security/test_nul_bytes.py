"""A NUL byte (%00) anywhere in a URL's path or query string is a 400, never a 500: on
PostgreSQL, which refuses NUL in text, a lookup by reference or a search used to fail."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URLS = [
    "/%00",
    "/dossiers/%00/",
    "/dossiers/TG%00-2026/",
    "/dossiers/TG-2026/statuts.docx%00",
    "/dossiers/TG-2026/pieces/%00/consulter/",
    "/dossiers/?q=%00",
    "/dossiers/verifier-nom/?name_1=Soci%C3%A9t%C3%A9%00&dossier=%00",
    "/dossiers/activites/?q=com%00merce",
    "/guichet/?guichet=%00",
    "/guichet/?guichet=greffe&q=a%00b",
    "/guichet/taches/1/?x=%00",
    "/verifier/%00/",
    "/verifier/ABCD%00EFGH/",
    "/verifier/?code=%00",
    "/notifications/?page=%00",
    "/comptes/login/?next=/%00",
    "/static/css/site.css%00",
    "/media/%00.pdf",
    "/admin/%00/",
]


@pytest.fixture
def visitors(entrepreneur, clerks):
    """Anonymous, an entrepreneur and a clerk: each walks through different views."""
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name, user in (("entrepreneur", entrepreneur), ("clerk", clerks["guichet"])):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[name] = client
    return clients


@pytest.mark.parametrize("url", URLS)
def test_a_nul_byte_in_the_url_is_a_bad_request_for_everyone(visitors, url):
    for name, client in visitors.items():
        for method in (client.get, client.post):
            response = method(url)

            assert response.status_code == 400, (name, method.__name__, url)
            assert "Demande incorrecte" in response.content.decode()


def test_a_raw_nul_in_the_query_string_is_refused_too(visitors):
    response = visitors["clerk"].get("/guichet/", QUERY_STRING="guichet=greffe\x00")

    assert response.status_code == 400


def test_urls_without_nul_are_untouched(visitors):
    assert visitors["anonymous"].get("/").status_code == 200
    assert visitors["anonymous"].get("/verifier/INCONNU/").status_code == 404
    assert visitors["entrepreneur"].get("/dossiers/?q=%2500").status_code == 200
