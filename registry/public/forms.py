"""The public register's search form (GET): words, then filters by public facts only."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from ..legal_forms import LegalForm
from ..models import CompanyStatus
from ..reference import activity_divisions, regions
from .selectors import RegisterFilters

QUERY_MAX_LENGTH = 200


def _region_choices() -> list[tuple[str, str]]:
    return [("", _("Toutes les régions")), *((item.code, item.name) for item in regions())]


def _activity_choices() -> list[tuple[str, str]]:
    return [("", _("Toutes les activités")),
            *((item.code, f"{item.code} – {item.label}") for item in activity_divisions())]


# The register's dates: the bounds keep a typed year (0001, 9999) from reaching date
# arithmetic (the day after 9999-12-31 does not exist).
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)

class RegisterSearchForm(forms.Form):
    """Field names are the page's French query parameters (?q=…&forme=…)."""

    q = forms.CharField(
        label=_("Dénomination, numéro RCCM ou NIF"), required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=_("Majuscules, accents et fautes de frappe légères sont sans importance."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    forme = forms.ChoiceField(
        label=_("Forme juridique"), required=False,
        choices=[("", _("Toutes les formes")), *LegalForm.choices])
    region = forms.ChoiceField(label=_("Région du siège"), required=False,
                               choices=_region_choices)
    activite = forms.ChoiceField(label=_("Activité principale (division CITI)"),
                                 required=False, choices=_activity_choices)
    du = forms.DateField(label=_("Immatriculée à partir du"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    au = forms.DateField(label=_("Immatriculée jusqu'au"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    situation = forms.ChoiceField(label=_("Situation"), required=False,
                                  choices=[("", _("Toutes")), *CompanyStatus.choices])

    def _clean_day(self, name: str):
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise forms.ValidationError(
                _("Saisissez une date entre %(first)s et %(last)s.")
                % {"first": EARLIEST_DAY.year, "last": LATEST_DAY.year})
        return day

    def clean_du(self):
        return self._clean_day("du")

    def clean_au(self):
        return self._clean_day("au")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("du"), cleaned.get("au")
        if start and end and start > end:
            # Neither date filters: which one was mistyped is not known.
            self.add_error("au", _("La date de fin précède la date de début."))
            cleaned.pop("du", None)
        return cleaned

    def filters(self) -> RegisterFilters:
        """The valid criteria (call after is_valid()); a field in error does not filter."""
        data = self.cleaned_data
        return RegisterFilters(
            query=data.get("q") or "", legal_form=data.get("forme") or "",
            region=data.get("region") or "", activity=data.get("activite") or "",
            registered_from=data.get("du"), registered_to=data.get("au"),
            status=data.get("situation") or "")

    @property
    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name != "q"]

    @property
    def filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields if name != "q")
