"""Tests of the public register (search, company pages), and the companies they build."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from registry.models import Application, ApplicationState, Company, Party, PublicEvent

_numbers = itertools.count(1)
BASE_TIME = timezone.make_aware(datetime(2026, 6, 1, 10, 0))


def applicant():
    users = get_user_model().objects
    return users.filter(email="public-register@example.tg").first() or users.create_user(
        email="public-register@example.tg", first_name="Afi", last_name="SOSSOU")


def make_company(name: str, *, legal_form: str = "SARL", region: str = "maritime",
                 city: str = "Lomé", activity_code: str = "4690", status: str = "active",
                 registered_at: datetime | None = None, nif: str = "",
                 parties: list[dict] | None = None) -> Company:
    """A company on the register, straight in the database (the procedure is tested
    elsewhere), with its filing, its parties and its registration event."""
    number = next(_numbers)
    registered_at = registered_at or BASE_TIME + timedelta(minutes=number)
    rccm = f"TG-LOM-2026-B-{number:05d}"
    application = Application(
        reference=f"CFE-PUB-{number:05d}", owner=applicant(), legal_form=legal_form,
        company_name=name, region=region, city=city, activity_code=activity_code,
        registered_office="7 avenue de la Paix", rccm_number=rccm, nif=nif,
        state=ApplicationState.REGISTERED)
    application.save()
    for party in parties or []:
        Party.objects.create(application=application, **party)
    company = Company.objects.create(
        application=application, name=name, legal_form=legal_form, rccm_number=rccm,
        registered_office=f"7 avenue de la Paix, {city}", region=region, city=city,
        activity_code=activity_code, status=status, registered_at=registered_at, nif=nif,
        capital=1_000_000)
    PublicEvent.objects.create(company=company, kind="registered", occurred_at=registered_at)
    return company
