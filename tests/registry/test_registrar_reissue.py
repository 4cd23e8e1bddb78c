"""The registrar re-issues a certificate after a correction of the register: the current one
is revoked as replaced (its public page says so), a new one is drawn from the corrected
register in the background, and the registrar's screen shows where it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outbox.models import Message, MessageState
from registry.models import Company, PublicEvent, PublicEventKind
from registry.tasks import issue_certificate
from workflows.models import AuditEvent

pytestmark = pytest.mark.django_db


def _register(client, application) -> str:
    return client.get(reverse("registry:company_register",
                              args=[application.reference])).content.decode()


def _reissue(client, application, **data):
    return client.post(reverse("registry:reissue_certificate", args=[application.reference]),
                       data)


def test_a_corrected_register_gets_a_new_certificate_and_the_old_one_says_replaced(
        client, registered, clerks, django_capture_on_commit_callbacks):
    company = registered.company
    old = company.certificate
    Company.objects.filter(pk=company.pk).update(name="Éléphant Bleu Import")  # corrected
    client.force_login(clerks["greffier"])
    assert "Réémettre le certificat" in _register(client, registered)

    asked = _reissue(client, registered, reason="register_corrected")
    assert asked.status_code == 200 and "Confirmez la réémission" in asked.content.decode()
    old.refresh_from_db()
    assert old.revoked_at is None  # nothing done before the confirmation

    with django_capture_on_commit_callbacks(execute=True):
        response = _reissue(client, registered, reason="register_corrected", confirm="1")
    assert response.status_code == 302

    company.refresh_from_db()
    old.refresh_from_db()
    assert old.revoked_at is not None and "réémis" in old.public_reason
    assert company.certificate is not None and company.certificate != old
    assert company.certificate.public_facts["company_name"] == "Éléphant Bleu Import"
    assert AuditEvent.objects.filter(object_type="registry.company",
                                     action="reissue_certificate").count() == 1
    assert PublicEvent.objects.filter(company=company,
                                      kind=PublicEventKind.CERTIFICATE_REVOKED).exists()
    page = _register(client, registered)
    assert old.grouped_code in page and company.certificate.grouped_code in page
    client.logout()
    verdict = client.get(old.get_absolute_url()).content.decode()
    assert "Document révoqué." in verdict and "réémis" in verdict


def test_while_the_new_certificate_is_prepared_the_screen_says_so(client, registered, clerks):
    client.force_login(clerks["greffier"])
    # Not run: the outbox row stays queued, as when the worker has not taken it yet.
    _reissue(client, registered, reason="certificate_damaged", confirm="1")
    page = _register(client, registered)
    assert "En préparation" in page
    message = (Message.objects.filter(task_name=issue_certificate.name)
               .order_by("-created_at").first())
    Message.objects.filter(pk=message.pk).update(state=MessageState.FAILED,
                                                 error="Cannot read the PKCS#12 file")
    page = _register(client, registered)
    assert "Échec de l'émission" in page and "Cannot read the PKCS#12 file" in page
    again = _reissue(client, registered, reason="certificate_damaged", confirm="1")
    assert again.status_code == 302  # refused with a message: already being prepared
    # The first certificate's row and the re-issue's: no third one.
    assert Message.objects.filter(task_name=issue_certificate.name).count() == 2


def test_a_reason_outside_the_list_and_other_desks_are_refused(client, registered, clerks):
    client.force_login(clerks["greffier"])
    _reissue(client, registered, reason="whim", confirm="1")
    registered.company.refresh_from_db()
    assert registered.company.certificate.revoked_at is None
    client.force_login(clerks["greffe"])
    assert _reissue(client, registered, reason="register_corrected",
                    confirm="1").status_code == 403
    registered.company.certificate.refresh_from_db()
    assert registered.company.certificate.revoked_at is None
