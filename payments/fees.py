"""The fee schedule: what a service costs, per legal form, on a given day (integer FCFA).

Togo's one-stop shop charges about 25,000 to 30,000 FCFA since registration and stamp
duties were abolished. The amounts are set by decree, so they are data (FeeSchedule rows,
edited in the admin, each with the date it takes effect), never code.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FeeSchedule, Service

# The schedule in force since the one-stop shop's reform: loaded into a database that has
# no line yet (after migrate, see apps.py). Later decrees are new lines, entered in the
# admin with the date they take effect.
INITIAL_SCHEDULE = {
    Service.COMPANY_CREATION: {
        "EI": 10_000, "SARL": 25_000, "SARLU": 25_000, "SA": 30_000, "SAS": 25_000,
        "SASU": 25_000, "SNC": 25_000, "SCS": 25_000, "GIE": 25_000,
    },
    # Life after registration. The amounts are not confirmed by a published decree: they
    # are the schedule's starting lines, to be corrected in the admin from the CFE's tariff.
    Service.COMPANY_AMENDMENT: {
        "EI": 5_000, "SARL": 15_000, "SARLU": 15_000, "SA": 20_000, "SAS": 15_000,
        "SASU": 15_000, "SNC": 15_000, "SCS": 15_000, "GIE": 15_000,
    },
    Service.COMPANY_DISSOLUTION: {
        "EI": 5_000, "SARL": 15_000, "SARLU": 15_000, "SA": 20_000, "SAS": 15_000,
        "SASU": 15_000, "SNC": 15_000, "SCS": 15_000, "GIE": 15_000,
    },
    Service.COMPANY_STRIKE_OFF: {
        "EI": 5_000, "SARL": 10_000, "SARLU": 10_000, "SA": 10_000, "SAS": 10_000,
        "SASU": 10_000, "SNC": 10_000, "SCS": 10_000, "GIE": 10_000,
    },
}
INITIAL_EFFECTIVE_FROM = date(2020, 1, 1)
INITIAL_LEGAL_BASIS = "Barème du guichet unique (CFE), frais de création"
# Each service's line cites what sets it (OHADA AUDCG: inscriptions modificatives, art. 52
# ff.; radiation, art. 61 ff.), the CFE's tariff to be confirmed.
INITIAL_LEGAL_BASES = {
    Service.COMPANY_CREATION: INITIAL_LEGAL_BASIS,
    Service.COMPANY_AMENDMENT: "AUDCG OHADA art. 52 et s. ; barème du CFE, inscription "
                               "modificative (montant à confirmer)",
    Service.COMPANY_DISSOLUTION: "AUDSCGIE OHADA art. 200 et s. ; barème du CFE, "
                                 "dissolution (montant à confirmer)",
    Service.COMPANY_STRIKE_OFF: "AUDCG OHADA art. 61 et s. ; barème du CFE, radiation "
                                "(montant à confirmer)",
}


def load_initial_schedule(**kwargs) -> None:
    """Give a service with no line at all its initial schedule (idempotent)."""
    for service, amounts in INITIAL_SCHEDULE.items():
        if FeeSchedule.objects.filter(service=service).exists():
            continue
        FeeSchedule.objects.bulk_create(
            [FeeSchedule(service=service, legal_form=form, amount=amount,
                         effective_from=INITIAL_EFFECTIVE_FROM,
                         legal_basis=INITIAL_LEGAL_BASES[service])
             for form, amount in amounts.items()],
            ignore_conflicts=True)


class FeeNotSet(Exception):
    """No line of the schedule covers this service, form and day."""


def fee_line(service: str, legal_form: str, on: date | None = None) -> FeeSchedule:
    """The line of the schedule in force on `on` (today by default)."""
    on = on or timezone.localdate()
    line = (FeeSchedule.objects
            .filter(service=service, legal_form=legal_form, effective_from__lte=on)
            .order_by("-effective_from").first())
    if line is None:
        raise FeeNotSet(_("Aucun tarif n'est fixé pour cette prestation et cette forme "
                          "juridique : contactez le guichet unique."))
    return line


def creation_fee(legal_form: str, on: date | None = None) -> int:
    """The company-creation fee for a legal form, in FCFA."""
    return fee_line(Service.COMPANY_CREATION, legal_form, on).amount


def schedule(service: str = Service.COMPANY_CREATION, on: date | None = None) -> dict[str, int]:
    """Every legal form's fee in force on a day: {legal form: amount}."""
    on = on or timezone.localdate()
    lines = (FeeSchedule.objects.filter(service=service, effective_from__lte=on)
             .order_by("legal_form", "-effective_from"))
    fees: dict[str, int] = {}
    for line in lines:
        fees.setdefault(line.legal_form, line.amount)
    return fees
