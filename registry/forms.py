from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .legal_forms import FILEABLE_FORMS, RULES
from .models import Application, Party

ADULT_AGE = 18


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("legal_form", "company_name", "business_purpose", "capital",
                  "registered_office", "city")
        widgets = {"business_purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "company_name": _("Le nom sous lequel la société sera immatriculée."),
            "capital": _("Montant en francs CFA, sans espaces ni points."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["legal_form"].choices = [
            (code, label) for code, label in self.fields["legal_form"].choices
            if code in FILEABLE_FORMS
        ]

    def clean_company_name(self) -> str:
        name = " ".join(self.cleaned_data["company_name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("La dénomination doit compter au moins 2 caractères."))
        return name

    def clean(self):
        cleaned = super().clean()
        legal_form, capital = cleaned.get("legal_form"), cleaned.get("capital")
        if legal_form and capital is not None:
            minimum = RULES[legal_form].min_capital
            if capital < max(minimum, 1):
                self.add_error(
                    "capital",
                    _("Le capital social doit être d'au moins %(minimum)s FCFA.")
                    % {"minimum": f"{max(minimum, 1):,}".replace(",", " ")},
                )
        return cleaned


class FounderForm(forms.ModelForm):
    """The single partner, who is also the manager (gérant) of the SARL."""

    shares = forms.IntegerField(
        label=_("Nombre de parts sociales"), min_value=1, max_value=10_000_000
    )

    class Meta:
        model = Party
        fields = ("first_name", "last_name", "birth_date", "nationality",
                  "id_document_number", "address", "shares")
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_birth_date(self) -> date:
        birth_date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        age = today.year - birth_date.year - ((today.month, today.day) < (birth_date.month,
                                                                          birth_date.day))
        if birth_date > today:
            raise forms.ValidationError(_("La date de naissance est dans le futur."))
        if age < ADULT_AGE:
            raise forms.ValidationError(
                _("Le gérant doit être majeur (au moins %(age)s ans).") % {"age": ADULT_AGE}
            )
        return birth_date
