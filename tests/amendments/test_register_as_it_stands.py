"""One register, one truth: the owner's "extrait à jour" says what the register holds after
each inscription (managers, entries, situation), as the extract sealed with the
inscription does; and a new name is checked against the register like a creation's."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentKind, IssuedDocument
from documents.verification import verify_pdf
from registry.models import Company, CompanyStatus, ProhibitedPerson
from workflows import selectors as workflow_selectors
from workflows.models import TaskState

from .helpers import decide, file, instruct, ready_tasks


def _owner_extract(client, company) -> tuple[IssuedDocument, bytes]:
    response = client.post(reverse("registry:rccm_extract",
                                   args=[company.application.reference]))
    assert response.status_code == 200, response
    pdf = b"".join(response.streaming_content)
    return (IssuedDocument.objects.filter(kind=DocumentKind.RCCM_EXTRACT)
            .order_by("-issued_at", "-pk").first(), pdf)


def test_the_owners_extract_follows_a_change_of_managers_the_same_day(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    morning, _pdf = _owner_extract(client, company)
    assert "Afi Mensah" not in morning.public_facts["managers"]

    amendment = file(client, company, entrepreneur, "managers",
                     {"managers": "Afi Mensah", "role": "manager"})
    instruct(amendment, clerks, django_capture_on_commit_callbacks)
    amendment.refresh_from_db()

    # The morning's extract is not handed out again: the register changed since.
    evening, pdf = _owner_extract(client, company)
    assert evening.pk not in (morning.pk,)
    assert evening.public_facts["managers"] == ["Afi Mensah"]
    assert verify_pdf(pdf).is_authentic
    # Asked again, the same (still current) extract comes back.
    again, _pdf = _owner_extract(client, company)
    assert again.pk in (evening.pk, amendment.extract_id)


def test_a_radiated_companys_owner_still_gets_an_extract_that_says_so(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    client.force_login(entrepreneur)
    dissolution = file(client, company, entrepreneur, "dissolution",
                       {"decision_date": timezone.localdate().isoformat(),
                        "liquidator": "Afi Mensah"})
    instruct(dissolution, clerks, django_capture_on_commit_callbacks)
    strike_off = file(client, company, entrepreneur, "strike_off",
                      {"closing_date": timezone.localdate().isoformat()})
    instruct(strike_off, clerks, django_capture_on_commit_callbacks)
    company.refresh_from_db()
    assert company.status == CompanyStatus.STRUCK_OFF

    extract, pdf = _owner_extract(client, company)
    assert extract.public_facts["status"].startswith("Radiée du registre le")
    assert verify_pdf(pdf).is_authentic


def test_a_new_name_close_to_another_companys_goes_to_a_clerk(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    other = Company.objects.create(
        application=company.application.__class__.objects.create(
            reference="CFE-2026-999999", owner=entrepreneur, legal_form="SARL",
            company_name="Panthère Rose"),
        name="Panthère Rose", legal_form="SARL", rccm_number="TG-LOM-2026-B-99999")
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Panthère Rosse"})
    (intake,) = ready_tasks(amendment)
    with django_capture_on_commit_callbacks(execute=True):  # the check runs on commit
        assert decide(clerks["guichet"], intake, "approve").status_code == 302

    case = workflow_selectors.case_for(amendment)
    check = case.tasks.get(step_id="name_check")
    assert check.state == TaskState.FAILED  # a person weighs it, with what was found
    assert other.name in " ".join(f"{row['label']} {row['value']}" for row in check.evidence)
    assert not case.tasks.filter(step_id="registry", state=TaskState.READY).exists()


def test_a_new_manager_barred_from_managing_goes_to_a_clerk(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    ProhibitedPerson.objects.create(last_name="Mensah", first_name="Afi",
                                    decision="Tribunal de Lomé, jugement n° 12/2025")
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "managers",
                     {"managers": "Kossi Agbeko\nAFI MENSAH", "role": "manager"})
    (intake,) = ready_tasks(amendment)
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(clerks["guichet"], intake, "approve").status_code == 302

    check = workflow_selectors.case_for(amendment).tasks.get(step_id="screening")
    assert check.state == TaskState.FAILED
    assert "interdite de gérer" in check.error
    assert [row["label"] for row in check.evidence] == ["Kossi Agbeko", "AFI MENSAH"]


def test_new_managers_not_on_the_list_pass_the_screening(
        client, company, entrepreneur, clerks, django_capture_on_commit_callbacks):
    ProhibitedPerson.objects.create(last_name="Mensah", first_name="Yao",
                                    decision="Tribunal de Lomé, jugement n° 13/2025")
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "managers",
                     {"managers": "Afi Mensah", "role": "manager"})  # another Mensah
    instruct(amendment, clerks, django_capture_on_commit_callbacks)
    check = workflow_selectors.case_for(amendment).tasks.get(step_id="screening")
    assert check.state == TaskState.APPROVED
