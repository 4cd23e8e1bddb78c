"""The verification page's second form: the code typed by hand (GET ?code=…) leads to the
code's page when it is well-formed, however it was typed; otherwise the page says why, in
French, and the upload form still works as before."""

from __future__ import annotations

import html

import pytest

from documents.models import IssuedDocument

from .originals import keep, sealed_certificate

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/verifier/"
CODE = "01AB23CD45EF"
CODE_URL = "/verifier/01AB-23CD-45EF/"
MALFORMED = ("Ce code n'est pas un code de vérification : il compte 12 lettres et chiffres, "
             "par exemple ABCD-2345-WXYZ. Vérifiez la saisie.")


@pytest.fixture
def original() -> IssuedDocument:
    return keep(sealed_certificate(code=CODE), code=CODE)


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_page_offers_to_type_the_code(client):
    text = text_of(client.get(UPLOAD_URL))

    assert "Saisir le code" in text
    assert '<form method="get" action="/verifier/" novalidate>' in text
    assert 'name="code"' in text


def test_a_valid_code_leads_to_its_verification(client, original):
    response = client.get(UPLOAD_URL, {"code": "01AB-23CD-45EF"})

    assert response.status_code == 302 and response.url == CODE_URL
    followed = client.get(response.url)
    assert followed.context["document"] == original
    assert "Document authentique." in text_of(followed)


@pytest.mark.parametrize("typed", ["01ab23cd45ef", " 01 AB 23 CD 45 EF ", "olab-23cd-45ef",
                                   "0Iab 23cd-45ef"])
def test_a_code_typed_with_spaces_small_letters_or_look_alikes_works(client, original,
                                                                   typed):
    response = client.get(UPLOAD_URL, {"code": typed})

    assert response.status_code == 302 and response.url == CODE_URL


def test_a_well_formed_unknown_code_says_so_on_its_page(client, original):
    response = client.get(UPLOAD_URL, {"code": "ZZZZ-ZZZZ-ZZZZ"})

    assert response.url == "/verifier/ZZZZ-ZZZZ-ZZZZ/"
    assert client.get(response.url).status_code == 404


@pytest.mark.parametrize("typed", ["n'importe quoi", "01AB-23CD-45E", "01AB-23CD-45EU",
                                   "01AB-23CD-45EF-0000"])
def test_nonsense_gives_the_french_error_and_no_redirect(client, original, typed):
    response = client.get(UPLOAD_URL, {"code": typed})

    assert response.status_code == 200
    text = text_of(response)
    assert MALFORMED in text
    assert f'value="{typed}"' in text  # given back to correct
    assert "Document authentique." not in text


def test_an_empty_code_asks_for_it(client):
    text = text_of(client.get(UPLOAD_URL, {"code": ""}))

    assert "Saisissez le code de vérification imprimé sur le document." in text


def test_a_code_too_long_to_be_one_is_refused_in_french(client):
    text = text_of(client.get(UPLOAD_URL, {"code": "A" * 41}))

    assert "Ce code est trop long" in text


def test_the_plain_page_shows_no_error(client):
    text = text_of(client.get(UPLOAD_URL))

    assert MALFORMED not in text and "imprimé sur le document." not in text
    assert 'role="alert"' not in text
