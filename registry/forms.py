"""The filing's forms, one per section. Each validates its own fields; the rules that span
sections (capital against contributions, roles against the legal form) are checked by
legal_forms.validate and shown on the task list and the check-your-answers page."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import reference
from .legal_forms import (
    RULES,
    LegalForm,
    PersonKind,
    Role,
    format_percent,
    shares_capital_mismatch,
)
from .legal_forms import rules as legal_rules
from .models import Application, Party


class StartForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("Forme juridique de l'entreprise"),
                                   choices=LegalForm.choices, initial=LegalForm.SARL,
                                   widget=forms.RadioSelect)


class NamesForm(forms.Form):
    name_1 = forms.CharField(label=_("Dénomination souhaitée"), max_length=200,
                             help_text=_("Le nom sous lequel l'entreprise sera immatriculée."))
    name_2 = forms.CharField(label=_("Deuxième choix (facultatif)"), max_length=200,
                             required=False)
    name_3 = forms.CharField(label=_("Troisième choix (facultatif)"), max_length=200,
                             required=False)
    acronym = forms.CharField(label=_("Sigle (facultatif)"), max_length=40, required=False)
    trade_name = forms.CharField(label=_("Nom commercial (facultatif)"), max_length=200,
                                 required=False)

    @classmethod
    def for_application(cls, application: Application, data=None):
        names = [application.company_name, *application.alternative_names, "", ""]
        return cls(data, initial={"name_1": names[0], "name_2": names[1], "name_3": names[2],
                                  "acronym": application.acronym,
                                  "trade_name": application.trade_name})

    def clean(self):
        cleaned = super().clean()
        names = [" ".join(cleaned.get(f"name_{i}", "").split()) for i in (1, 2, 3)]
        seen = set()
        for index, name in enumerate(names, start=1):
            if name and name.casefold() in seen:
                self.add_error(f"name_{index}", _("Ce nom est déjà proposé plus haut."))
            seen.add(name.casefold())
        return cleaned

    def section_data(self) -> dict:
        names = [" ".join(self.cleaned_data[f"name_{i}"].split()) for i in (1, 2, 3)]
        return {"company_name": names[0], "alternative_names": [n for n in names[1:] if n],
                "acronym": self.cleaned_data["acronym"].strip(),
                "trade_name": self.cleaned_data["trade_name"].strip()}


class LegalFormForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("legal_form",)
        widgets = {"legal_form": forms.RadioSelect}


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("activity_code", "business_purpose")
        widgets = {"business_purpose": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "business_purpose": _("Ce que fera l'entreprise, tel que les statuts le diront."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— Choisissez une activité —"))]
        for section in reference.activity_sections():
            divisions = reference.activity_divisions(section.code)
            choices.append((f"{section.code} – {section.label}",
                            [(d.code, f"{d.code} – {d.label}") for d in divisions]))
        self.fields["activity_code"] = forms.ChoiceField(
            label=_("Activité principale"), choices=choices,
            help_text=_("Classification CITI Rév.4 (division). Tapez un mot pour chercher."),
        )
        self.fields["business_purpose"].required = True


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("region", "prefecture", "city", "registered_office")
        help_texts = {"registered_office": _("Rue, quartier, numéro ou repère.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(
            label=_("Région"),
            choices=[("", "—")] + [(r.code, r.name) for r in reference.regions()])
        self.fields["prefecture"] = forms.ChoiceField(
            label=_("Préfecture"),
            choices=[("", "—")] + [
                (r.name, [(p.code, p.name) for p in reference.prefectures(r.code)])
                for r in reference.regions()])
        self.fields["city"].required = True
        self.fields["registered_office"].required = True

    def clean(self):
        cleaned = super().clean()
        region, prefecture = cleaned.get("region"), cleaned.get("prefecture")
        if region and prefecture and reference.prefecture(prefecture).region_code != region:
            self.add_error("prefecture", _("Cette préfecture n'est pas dans la région choisie."))
        return cleaned


class CapitalForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ("capital", "share_count", "share_nominal", "duration_years")
        help_texts = {"capital": _("En francs CFA, sans espaces ni points.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A GIE may be formed without capital: then the three stay optional.
        required = RULES[self.instance.legal_form].capital == "required"
        for name in ("capital", "share_count", "share_nominal"):
            self.fields[name].required = required
        longest = legal_rules.POLICY.max_duration_years
        duration = self.fields["duration_years"]
        duration.max_value = longest
        duration.validators.append(forms.fields.validators.MaxValueValidator(longest))
        duration.help_text = _("%(years)s ans au plus (OHADA).") % {"years": longest}

    def clean(self):
        cleaned = super().clean()
        mismatch = shares_capital_mismatch(
            self.instance.legal_form, capital=cleaned.get("capital"),
            share_count=cleaned.get("share_count"), share_nominal=cleaned.get("share_nominal"))
        if mismatch:
            self.add_error("share_nominal", mismatch)
        return cleaned


class PartyForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label=_("Qualités"), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Party
        fields = ("kind", "roles", "first_name", "last_name", "birth_date", "birth_place",
                  "nationality", "id_document_number", "legal_name", "registration_number",
                  "representative", "address", "shares", "cash_contribution",
                  "in_kind_contribution", "in_kind_description", "skills_contribution",
                  "ownership_percent")
        widgets = {"kind": forms.RadioSelect,
                   "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"shares": _("Parts ou actions reçues en échange des apports.")}

    def __init__(self, *args, legal_form: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ownership_percent"].help_text = _(
            "Pour un bénéficiaire effectif : part détenue, directement ou non (%(threshold)s "
            "ou plus)."
        ) % {"threshold": format_percent(legal_rules.POLICY.beneficial_owner_threshold_percent)}
        allowed = RULES[legal_form].allowed_roles
        self.fields["roles"].choices = [(r.value, r.label) for r in Role if r.value in allowed]
        self.fields["address"].required = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PersonKind.LEGAL:
            required = ("legal_name", "registration_number", "representative")
        else:
            required = ("first_name", "last_name", "birth_date", "id_document_number")
        for name in required:
            if not cleaned.get(name):
                self.add_error(name, _("Ce champ est obligatoire."))
        birth_date = cleaned.get("birth_date")
        if birth_date and birth_date > timezone.localdate():
            self.add_error("birth_date", _("La date de naissance est dans le futur."))
        if cleaned.get("in_kind_contribution") and not cleaned.get("in_kind_description"):
            self.add_error("in_kind_description", _("Décrivez le bien apporté en nature."))
        percent = cleaned.get("ownership_percent")
        if percent is not None and not 0 < percent <= 100:
            self.add_error("ownership_percent", _("Un pourcentage entre 0 et 100."))
        return cleaned


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Fichier (PDF, JPEG ou PNG)"))


class SignatureRequestForm(forms.Form):
    accept = forms.BooleanField(
        label=_("Je certifie l'exactitude de ces informations et je signe la déclaration."),
        error_messages={"required": _("Cochez la case pour signer la déclaration.")},
    )


class SignatureCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code reçu"), regex=r"^\s*\d{3}\s?\d{3}\s*$", max_length=10,
        error_messages={"invalid": _("Le code compte 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
