"""What the owner of a registered company can download: certificate and RCCM extract."""

from __future__ import annotations

from django.urls import reverse

from documents.models import DocumentKind, IssuedDocument
from documents.verification import verify_pdf


def test_the_owner_gets_a_sealed_rccm_extract_with_the_identifiers(client, registered,
                                                                    entrepreneur):
    client.force_login(entrepreneur)
    response = client.post(reverse("registry:rccm_extract", args=[registered.reference]))
    assert response.status_code == 200
    pdf = b"".join(response.streaming_content)
    assert verify_pdf(pdf).outcome == "authentic"
    extract = IssuedDocument.objects.get(kind=DocumentKind.RCCM_EXTRACT)
    assert extract.public_facts["rccm_number"] == registered.company.rccm_number


def test_nobody_else_gets_the_extract_or_the_certificate(client, registered, other_entrepreneur):
    client.force_login(other_entrepreneur)
    assert client.post(reverse("registry:rccm_extract",
                               args=[registered.reference])).status_code == 404
    assert client.get(reverse("registry:certificate",
                              args=[registered.reference])).status_code == 404
    assert not IssuedDocument.objects.filter(kind=DocumentKind.RCCM_EXTRACT).exists()


def test_the_status_page_gives_the_verification_code(client, registered, entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(registered.get_absolute_url()).content.decode()
    certificate = registered.company.certificate
    assert certificate.grouped_code in html
    assert certificate.get_absolute_url() in html


def test_the_status_page_tells_the_story_in_plain_french_in_order(client, registered,
                                                                  entrepreneur):
    client.force_login(entrepreneur)
    html = client.get(registered.get_absolute_url()).content.decode()
    rccm = registered.company.rccm_number
    story = ["Dossier transmis au guichet unique.",
             "« Recevabilité du dossier » validé par Guichet unique (CFE)",
             "Numéro d&#x27;identification fiscale (NIF) attribué",
             "Immatriculation approuvée par le greffier en chef.",
             # Drawn at the registrar's approval, when nothing can undo the filing.
             f"Numéro RCCM attribué : {rccm}.",
             "Certificat d&#x27;immatriculation délivré."]
    positions = [html.find(sentence) for sentence in story]
    assert -1 not in positions, list(zip(story, positions, strict=True))
    assert positions == sorted(positions)


def test_revoking_a_certificate_shows_on_its_page_and_tells_the_owner(
    client, registered, entrepreneur, django_capture_on_commit_callbacks
):
    from django.core import mail
    from django.core.management import call_command

    company = registered.company
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("revoke_certificate", company.rccm_number,
                     reason="Immatriculation obtenue sur fausse déclaration.")
    company.certificate.refresh_from_db()
    assert company.certificate.revoked_at is not None
    page = client.get(company.certificate.get_absolute_url()).content.decode()
    assert "Immatriculation obtenue sur fausse déclaration." in page
    [message] = mail.outbox
    assert message.to == [entrepreneur.email]
    assert message.subject == f"Certificat de « {company.name} » révoqué"
