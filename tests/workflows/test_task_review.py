"""Task review a clerk can trust (toy procedure): what the automatic check found, internal
notes between staff, the expected format of a desk's fields, a decision confirmed before
it is taken, and a failed check drawn as failed."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from workflows import procedures
from workflows import services as engine
from workflows.definitions import DefinitionError, load_file, validate
from workflows.diagrams import case_svg
from workflows.models import AuditEvent, CaseState, Desk, Note, TaskState

from .helpers import advance_until, claim_and_approve, make_permit, start, task_of
from .toy.apps import TOY_DEFINITION_FILE, TOY_PROCEDURE

DESKS = {"guichet", "greffe", "impots", "cnss", "greffier"}


def page(user, task) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("workflows:task", args=[task.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(user, task, action: str, data: dict):
    client = Client()
    client.force_login(user)
    return client.post(reverse("workflows:task_action", args=[task.pk, action]), data)


@pytest.fixture
def failed_case(clerks, applicant):
    case = start(make_permit("Ama Kpodar", check_problem="Extincteur absent"), actor=applicant)
    claim_and_approve(case, "intake", clerks["guichet"])
    return case


# --- evidence -----------------------------------------------------------------------------


def test_a_failed_check_stores_its_evidence_and_the_task_page_shows_it(failed_case, clerks):
    inspection = task_of(failed_case, "inspection")
    assert inspection.state == TaskState.FAILED
    assert inspection.evidence == [
        {"label": "Titulaire", "value": "Ama Kpodar"},
        {"label": "Constat de l'inspecteur", "value": "Extincteur absent"},
    ]
    html = page(clerks["greffe"], inspection)
    assert '<table class="evidence">' in html
    assert "<th scope=\"row\">Constat de l&#x27;inspecteur</th><td>Extincteur absent</td>" in html


def test_a_passing_check_keeps_its_evidence_and_note(case, clerks):
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = task_of(case, "inspection")
    assert inspection.state == TaskState.APPROVED
    assert inspection.comment == "Locaux conformes."
    assert {"label": "Constat de l'inspecteur", "value": "aucun"} in inspection.evidence
    html = page(clerks["greffe"], inspection)
    assert "Locaux conformes." in html and '<table class="evidence">' in html


def test_a_check_returning_a_bare_note_stores_no_evidence(case, clerks, monkeypatch):
    monkeypatch.setitem(procedures.get(TOY_PROCEDURE).handlers, "inspect_premises",
                        lambda **kwargs: "Vu.")
    claim_and_approve(case, "intake", clerks["guichet"])
    inspection = task_of(case, "inspection")
    assert (inspection.state, inspection.comment, inspection.evidence) == (
        TaskState.APPROVED, "Vu.", [])


# --- internal notes -----------------------------------------------------------------------


def note_url(task) -> str:
    return reverse("workflows:task_note", args=[task.pk])


def test_a_clerk_writes_notes_the_desk_reads_newest_first(case, clerks):
    intake = task_of(case, "intake")
    client = Client()
    client.force_login(clerks["guichet"])
    assert client.post(note_url(intake), {"text": "Pièce d'identité floue."}).status_code == 302
    client.post(note_url(intake), {"text": "Rappelé le demandeur."})
    notes = list(Note.objects.filter(case=case))
    assert [note.text for note in notes] == ["Rappelé le demandeur.", "Pièce d'identité floue."]
    assert notes[0].author == clerks["guichet"] and notes[0].task == intake
    html = page(clerks["guichet"], intake)
    assert html.index("Rappelé le demandeur.") < html.index("Pièce d&#x27;identité floue.")
    event = AuditEvent.objects.get(action="note_added", object_id=str(notes[0].pk))
    assert event.actor == clerks["guichet"] and event.case == case
    assert event.comment == "Rappelé le demandeur."


def test_a_later_desk_reads_the_notes_of_the_case(case, clerks):
    intake = task_of(case, "intake")
    engine.add_note(task_id=intake.pk, author=clerks["guichet"], text="Dossier sensible.")
    claim_and_approve(case, "intake", clerks["guichet"])
    assert "Dossier sensible." in page(clerks["greffe"], task_of(case, "inspection"))


def test_an_empty_note_is_refused(case, clerks):
    client = Client()
    client.force_login(clerks["guichet"])
    response = client.post(note_url(task_of(case, "intake")), {"text": "   "})
    assert response.status_code == 302
    assert not Note.objects.exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]


def test_a_desk_the_case_has_not_reached_cannot_write_a_note(case, clerks):
    client = Client()
    client.force_login(clerks["greffier"])
    response = client.post(note_url(task_of(case, "signature")), {"text": "Je passe."})
    assert response.status_code == 404
    assert not Note.objects.exists()


def test_the_applicant_cannot_write_nor_read_notes(case, clerks, applicant):
    intake = task_of(case, "intake")
    engine.add_note(task_id=intake.pk, author=clerks["guichet"], text="Confidentiel.")
    client = Client()
    client.force_login(applicant)
    assert client.post(note_url(intake), {"text": "Bonjour"}).status_code == 403
    assert Note.objects.count() == 1


def test_a_clerk_who_filed_the_case_sees_no_notes_and_writes_none(make_user, clerks):
    filer = make_user("agent-demandeur@cfe.example.tg", desk="guichet")
    case = start(make_permit("Yao Mensah"), actor=filer)
    intake = task_of(case, "intake")
    engine.add_note(task_id=intake.pk, author=clerks["guichet"], text="Confidentiel.")
    assert "Confidentiel." not in page(filer, intake)
    with pytest.raises(engine.WorkflowError):
        engine.add_note(task_id=intake.pk, author=filer, text="Moi-même.")


# --- the expected format of a desk's fields -----------------------------------------------


def test_the_desk_sees_the_expected_format_before_typing(case, clerks):
    advance_until(case, "licence", clerks)
    licence = task_of(case, "licence")
    engine.claim_task(task_id=licence.pk, user=clerks["impots"])
    html = page(clerks["impots"], licence)
    assert "Format attendu : 8 chiffres. À renseigner pour approuver." in html
    assert "Format attendu : une lettre majuscule, un tiret, 1 à 4 chiffres (ex. B-12). " \
           "Facultatif." in html


@pytest.mark.parametrize("hint", ["", "   ", 8, ["8 chiffres"]])
def test_a_field_hint_must_be_text(hint):
    spec = load_file(TOY_DEFINITION_FILE)
    spec["steps"][2]["fields"][0]["hint"] = hint
    with pytest.raises(DefinitionError, match="field 'licence_number' has an empty"):
        validate(spec, desk_codes=DESKS, handlers=None)


def test_the_toy_definition_with_hints_is_valid():
    validate(load_file(TOY_DEFINITION_FILE), desk_codes=DESKS)


# --- a decision is confirmed before it is taken -------------------------------------------


@pytest.fixture
def claimed_intake(case, clerks):
    intake = task_of(case, "intake")
    engine.claim_task(task_id=intake.pk, user=clerks["guichet"])
    return intake


def test_approving_without_confirmation_changes_nothing_and_says_what_comes_next(
    claimed_intake, clerks
):
    events = AuditEvent.objects.count()
    response = post(clerks["guichet"], claimed_intake, "approve", {"comment": "Complet."})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Confirmer la décision" in html
    assert "Inspection des locaux" in html  # the step the approval opens
    assert '<input type="hidden" name="confirm" value="1">' in html
    assert '<input type="hidden" name="comment" value="Complet.">' in html
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.CLAIMED
    assert AuditEvent.objects.count() == events


def test_the_confirmed_approval_is_taken(claimed_intake, clerks):
    response = post(clerks["guichet"], claimed_intake, "approve",
                    {"comment": "Complet.", "confirm": "1"})
    assert response.status_code == 302
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.APPROVED
    assert claimed_intake.comment == "Complet."


def test_the_last_approval_says_the_procedure_ends(case, clerks):
    advance_until(case, "signature", clerks)
    signature = task_of(case, "signature")
    engine.claim_task(task_id=signature.pk, user=clerks["greffier"])
    html = post(clerks["greffier"], signature, "approve", {}).content.decode()
    assert "C'est la dernière étape" in html
    assert "Permis de démonstration" in html
    signature.refresh_from_db()
    assert signature.state == TaskState.CLAIMED


def test_returning_says_which_sections_the_applicant_will_correct(claimed_intake, clerks):
    response = post(clerks["guichet"], claimed_intake, "return",
                    {"comment": "Adresse illisible.", "correction_fields": ["premises"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "invité à corriger" in html and "<li>Locaux</li>" in html
    assert '<input type="hidden" name="correction_fields" value="premises">' in html
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.CLAIMED
    assert claimed_intake.case.state == CaseState.RUNNING


def test_the_confirmed_return_is_taken(claimed_intake, clerks):
    post(clerks["guichet"], claimed_intake, "return",
         {"comment": "Adresse illisible.", "correction_fields": ["premises"], "confirm": "1"})
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.RETURNED
    assert claimed_intake.case.state == CaseState.SUSPENDED


def test_rejecting_says_it_is_final_and_the_applicant_is_told(claimed_intake, clerks):
    response = post(clerks["guichet"], claimed_intake, "reject", {"comment": "Hors champ."})
    html = response.content.decode()
    assert "Décision définitive" in html and "le demandeur en sera informé" in html
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.CLAIMED
    post(clerks["guichet"], claimed_intake, "reject", {"comment": "Hors champ.", "confirm": "1"})
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.REJECTED


def test_an_incomplete_decision_is_refused_before_confirmation(claimed_intake, clerks):
    response = post(clerks["guichet"], claimed_intake, "reject", {"comment": ""})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Motivez le rejet : le demandeur en sera informé."]
    response = post(clerks["guichet"], claimed_intake, "return", {"comment": "À revoir."})
    assert response.status_code == 302
    claimed_intake.refresh_from_db()
    assert claimed_intake.state == TaskState.CLAIMED


def test_no_confirmation_is_offered_to_a_clerk_who_did_not_claim_the_task(case, clerks,
                                                                          colleague):
    Desk.objects.filter(code="guichet").update(decide_without_claim=False)  # claim first
    intake = task_of(case, "intake")
    response = post(colleague, intake, "approve", {"comment": "Complet."})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    intake.refresh_from_db()
    assert intake.state == TaskState.READY


# --- the diagram --------------------------------------------------------------------------


def test_a_failed_check_is_drawn_as_failed_with_words_not_only_colour(failed_case):
    svg = str(case_svg(failed_case))
    start_of_inspection = svg.index('data-step="inspection"')
    inspection = svg[start_of_inspection:svg.index("</g>", start_of_inspection)]
    assert 'data-state="failed"' in inspection
    assert 'stroke-width="4"' in inspection and "stroke-dasharray" in inspection
    assert "contrôle en échec" in inspection
