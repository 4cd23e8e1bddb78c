"""What an amendment starts from: the register's values as it stands (registry.register),
as the filing's form is pre-filled with them."""

from __future__ import annotations

from django.utils import timezone

from registry.models import Company
from registry.register import current_business_purpose, current_managers, current_value


def address_of(company: Company) -> str:
    """The street address of the seat (the register keeps "address, city")."""
    suffix = f", {company.city}"
    office = company.registered_office
    return office[: -len(suffix)] if company.city and office.endswith(suffix) else office


def register_values(company: Company) -> dict:
    """The register's values an amendment starts from (and pre-fills its form with)."""
    return {
        "name": company.name,
        "registered_office": company.registered_office,
        "address": address_of(company),
        "city": company.city,
        "region": company.region,
        "activity_code": company.activity_code,
        "business_purpose": current_business_purpose(company),
        "capital": company.capital,
        "managers": current_managers(company),
        "status": company.status,
        "liquidator": current_value(company, "liquidator", ""),
        "dissolution_date": current_value(company, "dissolution_date", ""),
        "registered_on": timezone.localdate(company.registered_at).isoformat(),
    }
