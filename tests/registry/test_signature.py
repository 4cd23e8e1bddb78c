"""Signing the filing with a one-time code: the code e-mailed, wrong, worn out, expired or
sent for another version of the filing; the signature recorded over the snapshot; and the
submission it makes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from payments.models import InvoiceState
from payments.selectors import invoice_of
from registry import filing
from registry.models import ApplicationState, FilingSignature, SignatureChallenge
from registry.services import FilingError
from registry.services import signature as signing
from registry.templatetags.money import fcfa
from workflows.models import AuditEvent, CaseState, TaskState

from ..fees import pay_fee
from ..journeys import SECTION_ANSWERS, party_form_data, pdf_upload, request_code
from .filings import build, field_error, fingerprint, sarl_plan, text, tree
from .procedure.helpers import case_of, task_of

PUBLIC_IP = "41.207.160.12"


@pytest.fixture
def ready(entrepreneur):
    """A complete SARL, every document uploaded: it may be signed."""
    return build(entrepreneur, sarl_plan())


@pytest.fixture
def applicant(client, entrepreneur):
    client.force_login(entrepreneur)
    return client


def sign_url(application) -> str:
    return reverse("registry:sign", args=[application.reference])


def type_code(client, application, code: str):
    return client.post(sign_url(application), {"code": code}, REMOTE_ADDR=PUBLIC_IP)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def challenge_of(application) -> SignatureChallenge:
    return application.signature_challenges.latest("created_at")


def assert_not_signed(application) -> None:
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert not FilingSignature.objects.filter(application=application).exists()
    assert case_of(application) is None


def test_the_code_is_emailed_and_only_its_hash_is_kept(applicant, ready, entrepreneur):
    code = request_code(applicant, ready)

    [message] = mail.outbox
    assert message.to == [entrepreneur.email]
    assert message.subject == f"Votre code de signature : {code}"
    assert ready.reference in message.body and "10 minutes" in message.body
    challenge = challenge_of(ready)
    assert challenge.user == entrepreneur
    assert code not in challenge.code_hash
    assert check_password(code, challenge.code_hash)
    assert abs(challenge.expires_at - challenge.created_at - timedelta(minutes=10)) < (
        timedelta(seconds=1))
    assert challenge.snapshot_sha256 == fingerprint(ready)
    assert challenge.attempts == 0 and challenge.used_at is None
    page = applicant.get(sign_url(ready))
    assert f"vient d'être envoyé à {entrepreneur.email}" in text(page)
    assert_not_signed(ready)


def test_the_code_also_goes_by_sms_to_an_applicant_who_gave_a_number(
    applicant, ready, entrepreneur, settings, tmp_path
):
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    entrepreneur.phone = "+22890123456"
    entrepreneur.save()

    code = request_code(applicant, ready)

    [sms] = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
    assert sms["to"] == "+22890123456"
    assert code in sms["text"]


def test_a_wrong_code_is_refused_and_counted(applicant, ready):
    code = request_code(applicant, ready)

    response = type_code(applicant, ready, wrong(code))

    assert response.status_code == 200
    assert "Code incorrect : vérifiez-le et réessayez." in field_error(response, "code")
    assert challenge_of(ready).attempts == 1
    assert_not_signed(ready)
    # What is not six digits is not an attempt.
    response = type_code(applicant, ready, "12ab56")
    assert "Le code compte 6 chiffres." in field_error(response, "code")
    assert challenge_of(ready).attempts == 1


def test_after_five_wrong_codes_the_code_is_dead(applicant, ready):
    code = request_code(applicant, ready)
    for attempt in range(1, 5):
        response = type_code(applicant, ready, wrong(code))
        assert "Code incorrect : vérifiez-le et réessayez." in field_error(response, "code")
        assert challenge_of(ready).attempts == attempt

    response = type_code(applicant, ready, wrong(code))

    assert "Code incorrect : demandez un nouveau code." in field_error(response, "code")
    challenge = challenge_of(ready)
    assert challenge.attempts == 5 and challenge.used_at is not None
    response = type_code(applicant, ready, code)
    assert "Aucun code en attente : demandez un nouveau code." in field_error(response, "code")
    assert_not_signed(ready)

    new_code = request_code(applicant, ready)
    assert type_code(applicant, ready, new_code).status_code == 302
    ready.refresh_from_db()
    assert ready.state == ApplicationState.PENDING_PAYMENT
    assert FilingSignature.objects.filter(application=ready).count() == 1


def test_an_expired_code_is_refused(applicant, ready):
    code = request_code(applicant, ready)
    SignatureChallenge.objects.filter(application=ready).update(
        expires_at=timezone.now() - timedelta(seconds=1))

    response = type_code(applicant, ready, code)

    assert "Ce code a expiré : demandez un nouveau code." in field_error(response, "code")
    assert challenge_of(ready).used_at is not None
    assert_not_signed(ready)
    response = type_code(applicant, ready, code)
    assert "Aucun code en attente" in field_error(response, "code")


def _rename(client, application):
    client.post(reverse("registry:section", args=[application.reference, "names"]),
                {**SECTION_ANSWERS["names"], "name_1": "Éléphant Rouge"})


def _edit_person(client, application):
    client.post(reverse("registry:party_edit",
                        args=[application.reference, application.parties.get().pk]),
                party_form_data(address="Adidogomé, Lomé"))


def _replace_document(client, application):
    client.post(reverse("registry:documents", args=[application.reference]),
                {"requirement": "statuts", "file": pdf_upload("statuts.pdf", "Autres statuts")})


@pytest.mark.parametrize("change", [_rename, _edit_person, _replace_document],
                         ids=["section", "person", "document"])
def test_a_code_is_refused_when_the_filing_changed_after_it_was_sent(applicant, ready, change):
    code = request_code(applicant, ready)
    sent_for = challenge_of(ready).snapshot_sha256
    change(applicant, ready)
    assert fingerprint(ready) != sent_for

    response = type_code(applicant, ready, code)

    # Editing the filing voids the code sent for it (the snapshot check stands behind).
    assert "demandez un nouveau code." in field_error(response, "code")
    assert challenge_of(ready).used_at is not None
    assert_not_signed(ready)
    # A new code covers the filing as it is now.
    assert type_code(applicant, ready, request_code(applicant, ready)).status_code == 302
    assert FilingSignature.objects.get(application=ready).snapshot_sha256 == fingerprint(ready)


def _a_minute_later(application):
    SignatureChallenge.objects.filter(application=application).update(
        created_at=timezone.now() - timedelta(minutes=2))


def test_a_new_code_replaces_the_previous_one(applicant, ready):
    first = request_code(applicant, ready)
    _a_minute_later(ready)
    second = request_code(applicant, ready)
    if first == second:  # one chance in a million
        _a_minute_later(ready)
        second = request_code(applicant, ready)
    assert SignatureChallenge.objects.filter(application=ready, used_at__isnull=True).count() == 1

    response = type_code(applicant, ready, first)

    assert "Code incorrect" in field_error(response, "code")
    assert type_code(applicant, ready, second).status_code == 302


def test_the_right_code_records_the_signature_and_submits_the_filing(
    applicant, ready, entrepreneur
):
    code = request_code(applicant, ready)
    ready.refresh_from_db()
    expected_snapshot = filing.snapshot(ready)
    before = timezone.now()

    response = type_code(applicant, ready, f" {code[:3]} {code[3:]} ")

    assert response.status_code == 302
    assert response["Location"] == ready.get_absolute_url()
    signature = FilingSignature.objects.get(application=ready)
    assert signature.signer == entrepreneur
    assert signature.ip_address == PUBLIC_IP
    assert before <= signature.signed_at <= timezone.now()
    assert signature.signed_at.utcoffset() == timedelta(0)  # kept in UTC
    assert signature.declaration == signing.declaration_text(ready, entrepreneur)
    assert ready.reference in signature.declaration
    assert "loi n°2017-07" in signature.declaration
    # The fingerprint is that of the snapshot as stored, and of the filing when the code
    # was sent.
    assert signature.snapshot == json.loads(json.dumps(expected_snapshot))
    assert signature.snapshot_sha256 == filing.snapshot_sha256(signature.snapshot)
    assert signature.snapshot_sha256 == challenge_of(ready).snapshot_sha256
    documents = signature.snapshot["documents"]
    assert set(documents) == {line.requirement.code
                              for line in filing.document_lines(ready)
                              if not line.requirement.later}
    assert signature.snapshot["people"][0]["id_document_number"] == "TG-CNI-123456"
    assert challenge_of(ready).used_at is not None
    assert AuditEvent.objects.get(object_type="registry.application", action="sign",
                                  object_id=str(ready.pk)).comment == signature.snapshot_sha256

    # Signed, the filing owes its fee: invoiced, and no desk works it yet.
    ready.refresh_from_db()
    assert ready.state == ApplicationState.PENDING_PAYMENT
    assert ready.submitted_at is not None
    assert case_of(ready) is None
    invoice = invoice_of(ready)
    assert invoice.state == InvoiceState.OPEN and invoice.amount > 0
    status = applicant.get(ready.get_absolute_url())
    assert ("Dossier signé. Réglez les frais : il sera transmis aux services dès le "
            "paiement reçu.") in text(status)
    assert fcfa(invoice.amount) in text(status) and invoice.number in text(status)
    [pay_link] = tree(status).xpath('//a[normalize-space()="Payer les frais"]')
    assert pay_link.get("href") == reverse("payments:invoice", args=[invoice.number])

    # Once the fee is paid, the case starts at the desks.
    pay_fee(ready)
    assert ready.state == ApplicationState.IN_REVIEW
    case = case_of(ready)
    assert case.state == CaseState.RUNNING
    assert task_of(case, "intake").state == TaskState.READY


def test_a_used_code_cannot_sign_twice(applicant, ready, entrepreneur):
    code = request_code(applicant, ready)
    type_code(applicant, ready, code)

    response = type_code(applicant, ready, code)

    assert response["Location"] == ready.get_absolute_url()
    with pytest.raises(FilingError):
        signing.confirm_signature(application_id=ready.pk, user=entrepreneur, code=code,
                                   ip_address=PUBLIC_IP)
    assert FilingSignature.objects.filter(application=ready).count() == 1


def test_without_a_code_requested_there_is_nothing_to_confirm(applicant, ready):
    response = type_code(applicant, ready, "123456")
    assert "Aucun code en attente : demandez un nouveau code." in field_error(response, "code")
    assert_not_signed(ready)


def test_codes_are_not_sent_again_within_a_minute_nor_without_limit(applicant, ready):
    request_code(applicant, ready)
    with pytest.raises(FilingError, match="attendez une minute"):
        signing.request_signature_code(application_id=ready.pk, user=ready.owner)
    _a_minute_later(ready)
    for _ in range(signing.SIGNATURE_CODES_PER_DAY - 1):
        signing.request_signature_code(application_id=ready.pk, user=ready.owner)
        _a_minute_later(ready)
    with pytest.raises(FilingError, match="Trop de codes"):
        signing.request_signature_code(application_id=ready.pk, user=ready.owner)


def test_a_change_made_behind_the_services_back_still_voids_the_code(applicant, ready):
    """The snapshot's fingerprint is the last line of defence (e.g. a change in the admin)."""
    code = request_code(applicant, ready)
    type(ready).objects.filter(pk=ready.pk).update(business_purpose="Autre chose.")

    response = type_code(applicant, ready, code)

    assert ("Le dossier a changé depuis l'envoi du code : demandez un nouveau code."
            in field_error(response, "code"))
    assert_not_signed(ready)
