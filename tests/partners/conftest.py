"""Fixtures of the partner API tests: partners, their tokens, companies on the register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from partners import services
from partners.models import Partner, PartnerKind, Scope
from registry.models import Application, ApplicationState, Company
from workflows.models import Desk

ALL_SCOPES = [scope.value for scope in Scope]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def make_partner(db):
    def make(name: str = "Banque Atlantique", *, kind: str = PartnerKind.BANK,
             desk: str | None = None) -> Partner:
        partner = Partner(name=name, kind=kind,
                          desk=Desk.objects.get(code=desk) if desk else None)
        return services.save_partner(partner)

    return make


@pytest.fixture
def make_key():
    """A token's full key for `partner` with `scopes` (every scope unless given)."""

    def make(partner: Partner, scopes=None, **kwargs) -> str:
        _token, key = services.issue_token(
            partner=partner, scopes=ALL_SCOPES if scopes is None else scopes, **kwargs)
        return key

    return make


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def bank(make_partner):
    return make_partner()


@pytest.fixture
def bank_key(bank, make_key):
    return make_key(bank, [Scope.COMPANIES_READ, Scope.REGISTRATIONS_READ])


@pytest.fixture
def tax_office(make_partner):
    return make_partner("Office togolais des recettes", kind=PartnerKind.TAX_OFFICE,
                        desk="impots")


@pytest.fixture
def tax_key(tax_office, make_key):
    return make_key(tax_office, [Scope.DESK_ACT])


@pytest.fixture
def make_companies(entrepreneur):
    """`count` companies registered a minute apart, the newest an hour ago (filings made
    directly: these tests read the register, they do not run the procedure)."""

    def make(count: int, *, prefix: str = "Société") -> list[Company]:
        start = Company.objects.count()
        newest = timezone.now() - timedelta(hours=1)
        companies = []
        for index in range(start, start + count):
            application = Application.objects.create(
                owner=entrepreneur, reference=f"T-{index:06d}", company_name=f"{prefix} {index}")
            Application.objects.filter(pk=application.pk).update(
                state=ApplicationState.REGISTERED)
            companies.append(Company.objects.create(
                application=application, name=f"{prefix} {index}", legal_form="SARL",
                rccm_number=f"TG-LOM-2026-B-{index:05d}", nif=f"{1000000000 + index}",
                registered_office="1 rue du Port, Lomé", city="Lomé", region="maritime",
                activity_code="46",
                registered_at=newest - timedelta(minutes=count - (index - start))))
        return companies

    return make
