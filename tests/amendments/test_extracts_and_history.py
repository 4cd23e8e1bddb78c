"""The extract before and after a change both verify; the history keeps every value."""

from __future__ import annotations

from django.urls import reverse

from documents.models import DocumentKind, IssuedDocument
from documents.verification import verify_pdf

from .helpers import file, instruct


def _pdf(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_extract_before_and_after_a_change_both_verify(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    before_pdf = _pdf(client.post(reverse("registry:rccm_extract",
                                          args=[company.application.reference])))
    before = IssuedDocument.objects.get(kind=DocumentKind.RCCM_EXTRACT)
    assert before.public_facts["company_name"] == "Éléphant Bleu"

    amendment = file(client, company, entrepreneur, "name", {"name": "Éléphant Vert"})
    instruct(amendment, clerks, django_capture_on_commit_callbacks)
    amendment.refresh_from_db()
    after_pdf = _pdf(client.get(reverse("amendments:extract", args=[amendment.reference])))
    after = amendment.extract

    assert after.pk != before.pk
    assert after.public_facts["company_name"] == "Éléphant Vert"
    assert verify_pdf(before_pdf).is_authentic
    assert verify_pdf(after_pdf).is_authentic
    for document, name in ((before, "Éléphant Bleu"), (after, "Éléphant Vert")):
        page = client.get(document.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert name in html
        assert "révoqué" not in html


def test_the_history_shows_every_changed_value_with_its_date_and_filing(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    office = file(client, company, entrepreneur, "office",
                  {"address": "45 boulevard du 13 Janvier", "city": "Kara", "region": "kara"})
    instruct(office, clerks, django_capture_on_commit_callbacks)
    capital = file(client, company, entrepreneur, "capital", {"capital": "2000000"})
    instruct(capital, clerks, django_capture_on_commit_callbacks)
    office.refresh_from_db()
    capital.refresh_from_db()

    html = client.get(reverse("amendments:start",
                              args=[company.application.reference])).content.decode()
    rows = [
        ("Siège social", "12 rue du Commerce, Lomé", "45 boulevard du 13 Janvier, Kara",
         office),
        ("Ville", "Lomé", "Kara", office),
        ("Région", "Maritime", "Kara", office),
        ("Capital social (FCFA)", "1 000 000 FCFA", "2 000 000 FCFA", capital),
    ]
    for label, old, new, filing in rows:
        row = (f"<tr><td>{filing.decided_at:%d/%m/%Y}</td><td>{label}</td><td>{old}</td>"
               f"<td>{new}</td><td>{filing.reference}</td></tr>")
        assert row in html, row
    # The later extract lists both inscriptions.
    assert capital.extract.public_facts["registered_office"] == \
        "45 boulevard du 13 Janvier, Kara"
