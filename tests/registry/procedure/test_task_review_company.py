"""Task review on company filings: documents previewed inline for the desks only, the name
check's similar names with their scores, notes never shown to the applicant, and the
formats the tax and social security desks type."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from privacy.models import StaffAccess
from registry.services import drafting
from tests.fees import submit_and_pay
from workflows import services as engine

from ...journeys import pdf_upload
from .helpers import advance_until, case_of, claim_and_approve, task_of
from .test_company_checks import file_and_submit, registered_elephant  # noqa: F401


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def document(draft, entrepreneur):
    document = drafting.attach_document(application_id=draft.pk, user=entrepreneur,
                                        requirement="statuts",
                                        uploaded_file=pdf_upload("statuts.pdf"))

    submit_and_pay(application_id=draft.pk, user=entrepreneur)
    return document


def document_url(application, document) -> str:
    return reverse("registry:staff_document", args=[application.reference, document.pk])


# --- documents previewed inline -----------------------------------------------------------


def test_the_preview_is_inline_framable_by_the_site_only_and_not_stored(draft, document,
                                                                        clerks):
    response = logged_in(clerks["guichet"]).get(document_url(draft, document) + "?apercu=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'none'; frame" not in policy
    assert "frame-ancestors 'none'" not in policy
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert response["Cache-Control"] == "private, no-store"


def test_without_apercu_the_document_is_downloaded_and_never_framed(draft, document, clerks):
    response = logged_in(clerks["guichet"]).get(document_url(draft, document))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_preview_is_refused_to_a_desk_the_filing_has_not_reached(draft, document, clerks):
    for desk in ("impots", "cnss", "greffier"):
        url = document_url(draft, document) + "?apercu=1"
        assert logged_in(clerks[desk]).get(url).status_code == 404, desk


def test_the_preview_is_recorded_in_the_staff_access_log(draft, document, clerks):
    logged_in(clerks["guichet"]).get(document_url(draft, document) + "?apercu=1")
    access = StaffAccess.objects.get(view_name="registry:staff_document")
    assert access.staff == clerks["guichet"]
    assert access.filing_reference == draft.reference


def test_the_task_page_previews_the_pdf_with_its_full_hash_and_version(draft, document,
                                                                       clerks):
    intake = task_of(case_of(draft), "intake")
    html = logged_in(clerks["guichet"]).get(
        reverse("workflows:task", args=[intake.pk])).content.decode()
    url = document_url(draft, document)
    assert f'<iframe class="document-preview" src="{url}?apercu=1"' in html
    assert document.stored_file.sha256 in html
    assert f"version {document.version}" in html


# --- the name check's evidence ------------------------------------------------------------


def test_the_name_check_shows_the_similar_names_found_and_their_scores(
    registered_elephant, entrepreneur, clerks  # noqa: F811
):
    filing = file_and_submit(entrepreneur, "Éléphant Bleu Export")
    case = case_of(filing)
    claim_and_approve(case, "intake", clerks["guichet"])
    name_check = task_of(case, "name_check")
    assert name_check.evidence[0] == {"label": "Dénomination contrôlée",
                                      "value": "Éléphant Bleu Export"}
    close = [row for row in name_check.evidence if "ELEPHANT BLEU" in row["label"]]
    assert close and "TG-LOM-2025-B-00042" in close[0]["label"]
    assert close[0]["value"].startswith("similarité ") and close[0]["value"].endswith("%")
    html = logged_in(clerks["guichet"]).get(
        reverse("workflows:task", args=[name_check.pk])).content.decode()
    assert close[0]["value"] in html and '<table class="evidence">' in html


def test_the_screening_lists_each_manager_checked(submitted, clerks):
    case = case_of(submitted)
    claim_and_approve(case, "intake", clerks["guichet"])
    screening = task_of(case, "screening")
    assert screening.comment == "Dirigeants contrôlés."
    assert screening.evidence and all("absent(e) de la liste" in row["value"]
                                      for row in screening.evidence)


# --- notes never shown to the applicant ---------------------------------------------------


def test_notes_are_absent_from_every_page_of_the_applicant(submitted, entrepreneur, clerks):
    intake = task_of(case_of(submitted), "intake")
    engine.add_note(task_id=intake.pk, author=clerks["guichet"], text="NOTE-INTERNE-7391")
    staff_page = logged_in(clerks["guichet"]).get(reverse("workflows:task", args=[intake.pk]))
    assert "NOTE-INTERNE-7391" in staff_page.content.decode()
    owner = logged_in(entrepreneur)
    for url in (reverse("registry:application", args=[submitted.reference]),
                reverse("registry:applications"), reverse("notifications:list"),
                reverse("privacy:my_data")):
        response = owner.get(url)
        assert response.status_code == 200, url
        assert "NOTE-INTERNE-7391" not in response.content.decode(), url


# --- the formats typed at the desks -------------------------------------------------------


def test_the_tax_and_social_security_desks_see_the_expected_formats(submitted, clerks):
    case = case_of(submitted)
    advance_until(case, "tax", clerks)
    for step, desk, hint in (("tax", "impots", "10 chiffres"),
                             ("social_security", "cnss", "6 à 12 chiffres")):
        task = task_of(case, step)
        engine.claim_task(task_id=task.pk, user=clerks[desk])
        html = logged_in(clerks[desk]).get(
            reverse("workflows:task", args=[task.pk])).content.decode()
        assert f"Format attendu : {hint}. À renseigner pour approuver." in html


# --- what the task page reads --------------------------------------------------------------


def test_the_task_page_reads_the_filing_its_people_and_the_desks_once(draft, document,
                                                                      clerks):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = task_of(case_of(draft), "intake")
    client = logged_in(clerks["guichet"])
    client.get(reverse("workflows:queue"))  # the first page after signing in marks the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("workflows:task", args=[task.pk]))
    assert response.status_code == 200
    assert draft.owner.email in response.content.decode()

    def reading(table: str) -> list[str]:
        """The reads of `table` itself (not those naming it in a join or a subquery)."""
        return [query["sql"] for query in queries.captured_queries
                if query["sql"].startswith("SELECT")
                and query["sql"].split(' FROM "')[1].startswith(f'{table}"')]

    # The filing with its applicant; its people once, for the facts and the documents.
    assert len(reading("registry_party")) == 1
    assert len(reading("accounts_user")) == 1  # the clerk signed in; the applicant joined
    assert len(reading("workflows_desk")) == 1  # access, layout, access log: one read
    assert not reading("django_content_type")  # the access log's lookup is Django's cache
    # Reading a page is not a write: only the access log (law 2019-014) is written.
    writes = [query["sql"] for query in queries.captured_queries
              if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split(" (")[0] for sql in writes] == ['INSERT INTO "privacy_staffaccess"']
