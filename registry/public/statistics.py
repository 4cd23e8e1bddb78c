"""Public statistics of the register: registrations per month (last 24 months), companies
per legal form and per region. Aggregates only (GROUP BY in the database, a few rows back),
never a company's row; the month figure reads registered_at over two years only (index
company_public_newest), the others count by legal form and region (their indexes); each
figure is cached an hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import reference, selectors
from ..models import Company

MONTHS = 24
# Anyone may load the page: its figures are computed at most once an hour per language
# (setting PUBLIC_STATISTICS_CACHE_SECONDS; 0: on every view).
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class Row:
    code: str  # "2026-03" for a month, a LegalForm value, a region code ("" for unknown)
    label: str
    count: int


def _first_month(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _month_label(month: date) -> str:
    return _("%(month)s/%(year)s") % {"month": f"{month.month:02d}", "year": month.year}


def registrations_by_month(*, months: int = MONTHS, now: datetime | None = None) -> list[Row]:
    """Companies registered in each calendar month (Lomé time) of the last `months` months,
    the current one included, oldest first; months without any count zero."""
    today = timezone.localdate(now or timezone.now())
    first = _first_month(today, months)
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    counts = {
        timezone.localtime(month).date() if isinstance(month, datetime) else month: count
        for month, count in Company.objects.filter(registered_at__gte=since)
        .annotate(month=TruncMonth("registered_at")).values("month")
        .annotate(count=Count("pk")).values_list("month", "count")
    }
    rows = []
    for offset in range(months):
        index = first.year * 12 + first.month - 1 + offset
        month = date(index // 12, index % 12 + 1, 1)
        rows.append(Row(f"{month:%Y-%m}", _month_label(month), counts.get(month, 0)))
    return rows


def registrations_by_legal_form() -> list[Row]:
    """Companies on the register per legal form, every form listed (the staff page's
    figure, registry.selectors)."""
    return [Row(row.code, row.label, row.count)
            for row in selectors.registrations_by_legal_form()]


def registrations_by_region() -> list[Row]:
    """Companies on the register per region of their seat (south to north), then those
    with no known region. Counted on the company's own region (copied from the filing at
    registration): no join."""
    counts = dict(Company.objects.values("region").annotate(count=Count("pk"))
                  .values_list("region", "count"))
    rows = [Row(region.code, region.name, counts.pop(region.code, 0))
            for region in reference.regions()]
    unknown = sum(counts.values())
    if unknown:
        rows.append(Row("", _("Non renseignée"), unknown))
    return rows


@dataclass(frozen=True)
class Figure:
    code: str  # what ?figure= names
    title: str
    column: str  # the heading of the first column
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


FIGURE_CODES = ("mois", "formes", "regions")


def figure(code: str, *, now: datetime | None = None) -> Figure:
    """One figure of the page by its code (KeyError for any other code), cached
    CACHE_SECONDS when `now` is not given."""
    if code not in FIGURE_CODES:
        raise KeyError(code)
    seconds = getattr(settings, "PUBLIC_STATISTICS_CACHE_SECONDS", CACHE_SECONDS)
    if now is not None or not seconds:
        return _compute(code, now=now)
    key = f"registry:public-statistics:{code}:{get_language()}"
    return cache.get_or_set(key, lambda: _compute(code, now=None), seconds)


def _compute(code: str, *, now: datetime | None) -> Figure:
    if code == "mois":
        return Figure(code, _("Immatriculations par mois (24 derniers mois)"), _("Mois"),
                      registrations_by_month(now=now))
    if code == "formes":
        return Figure(code, _("Entreprises immatriculées par forme juridique"),
                      _("Forme juridique"), registrations_by_legal_form())
    return Figure(code, _("Entreprises immatriculées par région"), _("Région"),
                  registrations_by_region())
