"""The registrar revokes a certificate or an RCCM extract from a screen: a reason from the
list, an optional public wording, a confirmation; the public verification then says revoked
with the date and that wording, never the internal reason; the owner is told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from documents.models import DocumentKind, IssuedDocument
from registry import services as registry_services
from workflows.models import AuditEvent

PUBLIC = "Certificat annulé par décision du greffe."
INTERNAL = "Immatriculation obtenue sur fausse déclaration"


def _revoke_url(application, document) -> str:
    return reverse("registry:revoke_document", kwargs={
        "reference": application.reference, "document_id": document.pk})


def _verification(client, document) -> str:
    client.logout()
    return client.get(document.get_absolute_url()).content.decode()


def _state(document) -> tuple:
    document.refresh_from_db()
    return (document.revoked_at, document.revocation_reason, document.public_reason,
            AuditEvent.objects.count())


def test_revocation_from_the_screen_changes_the_public_verdict(
    client, registered, clerks, entrepreneur, django_capture_on_commit_callbacks
):
    certificate = registered.company.certificate
    before = _verification(client, certificate)
    assert "Document authentique." in before and "Document révoqué." not in before

    client.force_login(clerks["greffier"])
    register = client.get(reverse("registry:company_register", args=[registered.reference]))
    assert register.status_code == 200
    assert _revoke_url(registered, certificate) in register.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_revoke_url(registered, certificate), {
            "reason": "false_declaration", "public_reason": PUBLIC, "confirm": "1"})

    assert response.status_code == 302
    assert response.url == reverse("registry:company_register", args=[registered.reference])
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_by == clerks["greffier"]
    assert certificate.revocation_reason == INTERNAL
    assert certificate.public_reason == PUBLIC
    after = _verification(client, certificate)
    assert "Document révoqué." in after
    assert PUBLIC in after
    assert INTERNAL not in after and "fausse déclaration" not in after
    [message] = mail.outbox
    assert message.to == [entrepreneur.email]


def test_choosing_the_reason_first_shows_what_will_happen_and_changes_nothing(
    client, registered, clerks
):
    certificate = registered.company.certificate
    before = _state(certificate)
    client.force_login(clerks["greffier"])
    form = client.get(_revoke_url(registered, certificate))
    assert form.status_code == 200
    body = form.content.decode()
    for reason in ("Immatriculation obtenue sur fausse déclaration", "Décision de justice",
                   "Erreur matérielle du registre", "Radiation"):
        assert reason in body

    response = client.post(_revoke_url(registered, certificate), {
        "reason": "court_decision", "public_reason": PUBLIC})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Confirmez la révocation" in page
    assert PUBLIC in page and "Décision de justice" in page
    assert "Le titulaire du dossier est informé" in page
    assert 'name="confirm" value="1"' in page
    assert _state(certificate) == before


def test_a_reason_outside_the_list_is_refused(client, registered, clerks):
    certificate = registered.company.certificate
    before = _state(certificate)
    client.force_login(clerks["greffier"])
    response = client.post(_revoke_url(registered, certificate),
                           {"reason": "because", "public_reason": "", "confirm": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert _state(certificate) == before


def test_without_a_public_wording_the_page_says_revoked_and_nothing_more(
    client, registered, clerks
):
    certificate = registered.company.certificate
    client.force_login(clerks["greffier"])
    client.post(_revoke_url(registered, certificate),
                {"reason": "register_error", "public_reason": "", "confirm": "1"})
    page = _verification(client, certificate)
    assert "Document révoqué." in page
    assert "Erreur matérielle" not in page and "Mention du registre" not in page


def test_an_rccm_extract_is_revoked_the_same_way(client, registered, clerks):
    extract = registry_services.issue_rccm_extract(company=registered.company)
    assert extract.kind == DocumentKind.RCCM_EXTRACT
    client.force_login(clerks["greffier"])
    assert _revoke_url(registered, extract) in client.get(
        reverse("registry:company_register", args=[registered.reference])).content.decode()

    client.post(_revoke_url(registered, extract),
                {"reason": "register_error", "public_reason": "Extrait erroné.", "confirm": "1"})

    extract.refresh_from_db()
    registered.company.certificate.refresh_from_db()
    assert extract.is_revoked and not registered.company.certificate.is_revoked
    page = _verification(client, extract)
    assert "Document révoqué." in page and "Extrait erroné." in page


def test_revoking_twice_is_refused_with_a_message(client, registered, clerks):
    certificate = registered.company.certificate
    client.force_login(clerks["greffier"])
    data = {"reason": "struck_off", "public_reason": "", "confirm": "1"}
    client.post(_revoke_url(registered, certificate), data)
    before = _state(certificate)
    response = client.post(_revoke_url(registered, certificate), data)
    assert response.status_code == 302
    assert _state(certificate) == before


@pytest.mark.parametrize("who", ["greffe", "impots", "owner", "anonymous"])
def test_nobody_but_the_registrar_may_revoke(client, registered, clerks, entrepreneur, who):
    certificate = registered.company.certificate
    before = _state(certificate)
    if who == "owner":
        client.force_login(entrepreneur)
    elif who != "anonymous":
        client.force_login(clerks[who])
    urls = [_revoke_url(registered, certificate),
            reverse("registry:company_register", args=[registered.reference]),
            reverse("registry:register_search")]
    for url in urls:
        response = client.post(url, {"reason": "struck_off", "confirm": "1"}) \
            if url == urls[0] else client.get(url)
        if who == "anonymous":
            assert response.status_code == 302
            assert response.url.startswith(reverse("account_login"))
        else:
            assert response.status_code == 403, url
    assert _state(certificate) == before


def test_a_registrar_without_a_second_factor_is_sent_to_set_one_up(
    client, registered, make_user
):
    registrar = make_user("greffier2@cfe.example.tg", desk="greffier", mfa=False)
    client.force_login(registrar)
    response = client.get(_revoke_url(registered, registered.company.certificate))
    assert response.url == reverse("mfa_activate_totp")


def test_a_document_of_another_company_is_not_found(client, registered, clerks):
    other = IssuedDocument.objects.exclude(pk=registered.company.certificate_id).first()
    client.force_login(clerks["greffier"])
    url = reverse("registry:revoke_document", kwargs={
        "reference": registered.reference, "document_id": (other.pk if other else 0) + 10_000})
    assert client.get(url).status_code == 404


def test_the_registrar_finds_the_company_by_its_rccm_number(client, registered, clerks):
    client.force_login(clerks["greffier"])
    search = reverse("registry:register_search")
    response = client.get(search, {"q": registered.company.rccm_number})
    assert response.url == reverse("registry:company_register", args=[registered.reference])
    assert "Aucune entreprise" in client.get(search, {"q": "TG-XXX"}).content.decode()
