"""Fixtures of the personal-data tests: filings with uploaded documents, in every state
that matters to erasure."""

from __future__ import annotations

import pytest

from documents.uploads import attach
from registry import services as registry_services
from registry.services import drafting

from ..journeys import pdf_bytes, pdf_upload

ID_CARD_TEXT = "CARTE NATIONALE D'IDENTITE Kossi AGBEKO"


def upload(application, user, requirement: str = "statuts", text: str = "statuts"):
    return drafting.attach_document(application_id=application.pk, user=user,
                                    requirement=requirement,
                                    uploaded_file=pdf_upload(f"{requirement}.pdf", text))


def upload_after_submission(application, user, requirement: str, text: str):
    """A new version kept outside the filing's rules (as a desk-requested correction would)."""
    return attach(subject=application, requirement=requirement,
                  uploaded_file=pdf_upload(f"{requirement}.pdf", text), user=user)


@pytest.fixture
def id_card_pdf() -> bytes:
    return pdf_bytes(ID_CARD_TEXT)


@pytest.fixture
def second_draft(entrepreneur):
    from ..conftest import COMPANY_DATA, FOUNDER_DATA

    return registry_services.application_create(
        owner=entrepreneur, data={**COMPANY_DATA, "company_name": "Lagune Verte"},
        founder=dict(FOUNDER_DATA))
