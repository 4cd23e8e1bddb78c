"""A case's copy of what its subject says of itself (WorkflowSummary): the columns the
desks' queues show and search, kept on the case so a queue never reads the subjects."""

from __future__ import annotations

from django.db import transaction

from . import procedures
from .models import Case, search_form

SUMMARY_FIELDS = ("reference", "title", "applicant", "search_text")


def summary_fields(subject) -> dict[str, str]:
    """The case's copy of what the subject says of itself (WorkflowSummary), cut to the
    columns' lengths; a subject without workflow_summary() is shown by its str()."""
    if isinstance(subject, procedures.SummarisedSubject):
        summary = subject.workflow_summary()
    else:
        summary = {"title": str(subject)}
    reference = str(summary.get("reference") or "")[:40]
    title = str(summary.get("title") or "")[:200]
    applicant = str(summary.get("applicant") or "")[:200]
    identifiers = [str(value) for value in summary.get("identifiers") or () if value]
    return {"reference": reference, "title": title, "applicant": applicant,
            "search_text": search_form(" ".join([reference, title, applicant, *identifiers]))}


def refresh_summary(case: Case) -> Case:
    """Copy the subject's summary onto its case again, read from the database as it is
    now in this transaction (e.g. after the subject's app recorded an RCCM number)."""
    subjects = case.subject_rows()
    subject = subjects.select_related(
        *getattr(subjects.model, "workflow_summary_related", ())).get(pk=case.subject_id)
    fields = summary_fields(subject)
    if any(getattr(case, name) != value for name, value in fields.items()):
        Case.objects.filter(pk=case.pk).update(**fields)
        for name, value in fields.items():
            setattr(case, name, value)
    return case


def refresh_summaries(*, batch_size: int = 1000, open_only: bool = False) -> int:
    """Copy every case's summary from its subject again (after a subject model learnt to
    describe itself, or its identifiers changed outside the engine); returns how many
    changed. Cases are read in keyset batches by id, each batch in its own transaction,
    subjects fetched in one query per model and batch."""
    changed, last_id = 0, 0
    cases = Case.objects.select_related("subject_type").order_by("pk")
    if open_only:
        cases = cases.filter(ended_at__isnull=True)
    while batch := list(cases.filter(pk__gt=last_id)[:batch_size]):
        last_id = batch[-1].pk
        by_type: dict = {}
        for case in batch:
            by_type.setdefault(case.subject_type, []).append(case)
        with transaction.atomic():
            for subject_type, group in by_type.items():
                model = subject_type.model_class()
                subjects = model._default_manager.in_bulk([case.subject_id for case in group])
                for case in group:
                    subject = subjects.get(case.subject_id)
                    if subject is None:
                        continue
                    fields = summary_fields(subject)
                    if any(getattr(case, name) != value for name, value in fields.items()):
                        Case.objects.filter(pk=case.pk).update(**fields)
                        changed += 1
    return changed
