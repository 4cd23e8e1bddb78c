"""The back office says which procedure a task belongs to; dashboards split by procedure."""

from __future__ import annotations

from django.urls import reverse

from workflows import figures
from workflows.models import Desk

from .helpers import decide, file, ready_tasks


def test_the_queue_and_the_task_name_the_procedure(client, company, entrepreneur, clerks):
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Éléphant Vert"})
    intake, = ready_tasks(amendment)
    client.force_login(clerks["guichet"])
    queue = client.get(reverse("workflows:queue")).content.decode()
    assert "Inscription modificative : changement de dénomination" in queue
    assert amendment.reference in queue
    task = client.get(reverse("workflows:task", args=[intake.pk])).content.decode()
    assert "Procédure : Inscription modificative : changement de dénomination" in task
    assert "Éléphant Vert" in task  # the desk sees what is declared


def test_the_dashboard_splits_steps_by_procedure(client, company, entrepreneur, clerks):
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Éléphant Vert"})
    intake, = ready_tasks(amendment)
    decide(clerks["guichet"], intake, "approve")
    steps = figures.step_figures([Desk.objects.get(code="guichet")])
    intakes = {(row.procedure, row.decided) for row in steps if row.step_id == "intake"}
    assert intakes == {("Création d'entreprise", 1),
                       ("Inscription modificative : changement de dénomination", 1)}


def test_the_desk_opens_the_documents_of_the_filing(client, company, entrepreneur, clerks):
    client.force_login(entrepreneur)
    amendment = file(client, company, entrepreneur, "name", {"name": "Éléphant Vert"})
    intake, = ready_tasks(amendment)
    (_requirement, document), *_ = amendment.document_lines()
    url = reverse("amendments:staff_document", args=[amendment.reference, document.pk])
    assert client.get(url).status_code == 403  # the filer is no clerk
    client.force_login(clerks["guichet"])
    assert url in client.get(reverse("workflows:task", args=[intake.pk])).content.decode()
    assert client.get(url).status_code == 200
    client.force_login(clerks["greffier"])  # not reached yet
    assert client.get(url).status_code == 404
