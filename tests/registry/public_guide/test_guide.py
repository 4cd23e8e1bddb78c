"""The procedure guide is read from what runs: the published definition (its steps and
conditions, desks, SLAs), the legal-form rules (documents), the fee schedule in force, and
the tasks the desks decided (live medians)."""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from payments import fees
from payments.models import FeeSchedule, Service
from registry.legal_forms import LegalForm
from registry.models import Application
from registry.public import guide
from workflows.definitions import applies, publish
from workflows.models import Case, Desk, StepKind, Task, TaskState, WorkflowDefinition
from workflows.services import latest_definition

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.get_fixed_timezone(0))


def _expected_steps(form: str) -> list[str]:
    definition = latest_definition("company_creation")
    return [step["id"] for step in definition.spec["steps"]
            if applies(step, {"legal_form": form})]


@pytest.mark.parametrize("form", LegalForm.values)
def test_the_guide_lists_exactly_the_definitions_steps_for_each_form(form):
    found = guide.procedure_guide(form)

    assert [step.step_id for step in found.steps] == _expected_steps(form)
    definition = latest_definition("company_creation")
    for step in found.steps:
        spec = definition.step(step.step_id)
        assert step.title == spec["title"]
        assert step.desk == Desk.objects.get(code=spec["desk"]).name
        assert step.sla_hours == spec["sla_hours"]
        assert step.automatic == (spec.get("kind") == StepKind.AUTOMATIC)


def test_a_step_conditioned_on_a_form_appears_only_for_it(client):
    social_security = "Immatriculation employeur (CNSS)"

    assert "social_security" not in [step.step_id for step in guide.procedure_guide("EI").steps]
    assert "social_security" in [step.step_id for step in guide.procedure_guide("SARL").steps]
    assert social_security not in client.get(
        reverse("guide:detail", args=["EI"])).content.decode()
    assert social_security in client.get(
        reverse("guide:detail", args=["SARL"])).content.decode()


def test_the_total_target_time_follows_the_longest_chain_of_prerequisites():
    # intake 4, checks 2 (in parallel), registry 8, tax and social security 8 (in parallel),
    # registrar 4: 26 hours, whether or not the form has the social-security step.
    assert guide.procedure_guide("SARL").target_hours == 26
    assert guide.procedure_guide("EI").target_hours == 26


@pytest.mark.parametrize("form", LegalForm.values)
def test_the_fee_is_the_schedules_fee_in_force(form):
    found = guide.procedure_guide(form)

    assert found.fee is not None
    assert found.fee.amount == fees.creation_fee(form)


def test_a_new_fee_shows_from_the_day_it_takes_effect(client):
    FeeSchedule.objects.create(service=Service.COMPANY_CREATION, legal_form="SARL",
                               amount=17_500, effective_from=timezone.localdate(),
                               legal_basis="Décret de test")

    assert guide.procedure_guide("SARL").fee.amount == 17_500 == fees.creation_fee("SARL")
    page = client.get(reverse("guide:detail", args=["SARL"])).content.decode()
    assert "17\u00a0500\u00a0FCFA" in page
    index = client.get(reverse("guide:index")).content.decode()
    assert "17\u00a0500\u00a0FCFA" in index


def test_a_newly_published_definition_shows_without_code_change(client):
    before = latest_definition("company_creation")
    spec = copy.deepcopy(before.spec)
    spec["steps"][0]["sla_hours"] = 30
    spec["steps"][0]["title"] = "Recevabilité du dossier (nouvelle version)"
    published = publish(spec)
    assert published.version == before.version + 1

    found = guide.procedure_guide("SARL")
    assert found.definition_version == published.version
    assert found.steps[0].sla_hours == 30
    assert found.target_hours == 26 - 4 + 30
    page = client.get(reverse("guide:detail", args=["SARL"])).content.decode()
    assert "Recevabilité du dossier (nouvelle version)" in page
    assert "1 j 6 h" in page


def test_the_documents_are_the_legal_form_rules():
    sarl = [document.label for document in guide.procedure_guide("SARL").documents]
    gie = [document.label for document in guide.procedure_guide("GIE").documents]
    ei = guide.procedure_guide("EI").documents

    assert "Statuts signés" in sarl
    assert "Contrat de groupement signé" in gie
    assert "Pièce d'identité de chaque dirigeant" in sarl
    later = [line.label for line in ei if line.later]
    assert len(later) == 1
    assert later[0].startswith("Extrait de casier judiciaire de chaque dirigeant")
    assert ei[-1].later  # due after registration: listed last
    assert not any(line.label.startswith("Statuts") for line in ei)


def _case(definition: WorkflowDefinition, number: int) -> Case:
    return Case.objects.create(
        definition=definition, subject_type=ContentType.objects.get_for_model(Application),
        subject_id=10_000 + number, reference=f"CFE-T-{number}")


def _task(case: Case, step_id: str, *, hours: float, decided_at: datetime,
          state: str = TaskState.APPROVED) -> Task:
    return Task.objects.create(
        case=case, step_id=step_id, title=step_id, desk=Desk.objects.get(code="guichet"),
        state=state, ready_at=decided_at - timedelta(hours=hours), decided_at=decided_at)


def test_the_live_median_is_taken_over_approved_tasks_of_the_last_90_days(client):
    definition = latest_definition("company_creation")
    recent = NOW - timedelta(days=3)
    for number, hours in enumerate((1, 2, 3, 4)):
        _task(_case(definition, number), "intake", hours=hours, decided_at=recent)
    # Not counted: a returned task, one decided 100 days ago, one of another procedure.
    _task(_case(definition, 10), "intake", hours=50, decided_at=recent,
          state=TaskState.RETURNED)
    _task(_case(definition, 11), "intake", hours=60, decided_at=NOW - timedelta(days=100))
    other = WorkflowDefinition.objects.create(code="autre", version=1, title="Autre",
                                              spec={"steps": []}, checksum="0" * 64)
    _task(_case(other, 12), "intake", hours=70, decided_at=recent)
    _task(_case(definition, 13), "registry", hours=0.5, decided_at=recent)

    medians = guide.step_medians(now=NOW)

    assert medians["intake"].median == timedelta(hours=2, minutes=30)
    assert medians["intake"].decided == 4
    assert medians["registry"].median == timedelta(minutes=30)
    assert "tax" not in medians
    steps = {step.step_id: step for step in guide.procedure_guide("SARL", now=NOW).steps}
    assert steps["intake"].median_text == "2 h 30 min"
    assert steps["tax"].median is None


def test_the_page_says_when_there_is_no_data_yet(client):
    response = client.get(reverse("guide:detail", args=["SARL"]))

    assert response.status_code == 200
    assert "pas encore de données" in response.content.decode()


def test_the_index_lists_every_legal_form(client):
    page = client.get(reverse("guide:index")).content.decode()

    for form in LegalForm:
        assert reverse("guide:detail", args=[form.value]) in page
    assert client.get(reverse("guide:detail", args=["XYZ"])).status_code == 404


def test_the_guide_shows_the_fee_line_in_force_on_the_day():
    line = fees.fee_line(Service.COMPANY_CREATION, "SA")

    found = guide.procedure_guide("SA")
    assert found.fee.effective_from == line.effective_from <= date.today()
