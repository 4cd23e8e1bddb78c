"""`manage.py workflow summaries`: the queues' copy of each case's summary rebuilt from its
subject, for cases opened before the subject described itself."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from workflows.models import Case

pytestmark = pytest.mark.django_db


def test_blanked_summaries_are_rebuilt_and_a_second_run_changes_nothing(submitted):
    case = Case.objects.get(subject_id=submitted.pk)
    expected = {name: getattr(case, name) for name in ("reference", "title", "applicant",
                                                       "search_text")}
    assert expected["reference"] == submitted.reference
    Case.objects.filter(pk=case.pk).update(reference="", title="", applicant="",
                                           search_text="")

    out = StringIO()
    call_command("workflow", "summaries", "--batch", "1", stdout=out)
    assert "summaries changed: 1" in out.getvalue()
    case.refresh_from_db()
    assert {name: getattr(case, name) for name in expected} == expected

    out = StringIO()
    call_command("workflow", "summaries", "--open", stdout=out)
    assert "summaries changed: 0" in out.getvalue()
