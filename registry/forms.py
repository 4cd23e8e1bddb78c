"""The filing's forms, one per section. Each validates its own fields; the rules that span
sections (capital against contributions, roles against the legal form) are checked by
legal_forms.validate and shown on the task list and the check-your-answers page."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.layout import missing_glyphs

from . import names, reference
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
from .services.registration import REVOCATION_REASONS

# What a filing's text must be to reach the register, the certificate and the statutes
# intact: normalised (NFC; company names NFKC, so full-width or ligatured letters become
# plain ones), free of invisible and control characters, each word in one alphabet, and,
# where a sealed PDF prints it, made of characters the embedded font can draw. The form
# refuses what breaks a rule, with a message saying which character; nothing is cut off
# or dropped silently.

# The columns' bounds on PostgreSQL, whatever database runs the form.
POSITIVE_INTEGER_MAX = 2_147_483_647
POSITIVE_BIGINT_MAX = 9_223_372_036_854_775_807
# An objet social as statutes word it runs to a few hundred characters; the extract
# prints it in full, over a second page if need be.
BUSINESS_PURPOSE_MAX_LENGTH = 2000
_SCRIPT_NAMES = {"LATIN": _("latin"), "CYRILLIC": _("cyrillique"), "GREEK": _("grec"),
                 "ARABIC": _("arabe"), "HEBREW": _("hébreu"), "CJK": _("chinois")}


def _script_label(script: str) -> str:
    return str(_SCRIPT_NAMES.get(script, script.lower()))


def _code_points(chars) -> str:
    return ", ".join(f"U+{ord(char):04X}" for char in chars)


class FilingTextField(forms.CharField):
    """A line of text of the filing (see the rules above); each word in one alphabet."""

    normal_form = "NFC"
    line_breaks = False
    printed = False  # printed on the certificate or the RCCM extract
    one_script_per = "word"  # or "field" (a person's name), or "latin" (a company's name)

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize(self.normal_form, value.replace("\t", " "))

    def validate(self, value):
        super().validate(value)
        refused = names.refused_characters(value, line_breaks=self.line_breaks)
        if refused:
            raise ValidationError(
                _("Ce texte contient un caractère invisible ou de contrôle (%(codes)s), "
                  "souvent venu d'un copier-coller : retapez-le."),
                code="control_character", params={"codes": _code_points(refused)})
        self._check_scripts(value)
        missing = missing_glyphs(value) if self.printed else []
        if missing:
            raise ValidationError(
                _("Ces caractères ne peuvent pas être imprimés sur le certificat ni sur l'extrait "
                  "RCCM : "
                  "%(chars)s. Remplacez-les ou retirez-les."),
                code="unprintable", params={"chars": " ".join(f"« {c} »" for c in missing)})

    def _check_scripts(self, value: str) -> None:
        if self.one_script_per == "latin":
            foreign = [char for char in dict.fromkeys(value)
                       if names.script_of(char) not in (None, "LATIN")
                       or (unicodedata.category(char) == "Nd" and not char.isascii())
                       or unicodedata.category(char) == "So"]  # emoji, pictographs
            if foreign:
                raise ValidationError(
                    _("Écrivez le nom en lettres latines (les accents et les lettres des "
                      "langues nationales, comme ɖ ɛ ƒ ɣ ŋ ɔ ʋ, sont admis), en chiffres "
                      "0 à 9 et avec la ponctuation usuelle ; ne sont pas admis : "
                      "%(chars)s."),
                    code="script", params={"chars": ", ".join(
                        f"« {char} » ({_code_points(char)})" for char in foreign)})
            return
        parts = [value] if self.one_script_per == "field" else value.split()
        for part in parts:
            scripts = names.scripts_in(part)
            if len(scripts) > 1:
                raise ValidationError(
                    _("« %(text)s » mêle des lettres de plusieurs alphabets (%(scripts)s), "
                      "qui se ressemblent sans être les mêmes : écrivez-le dans un seul "
                      "alphabet."),
                    code="mixed_scripts",
                    params={"text": part[:60],
                            "scripts": ", ".join(sorted(map(_script_label, scripts)))})


class PrintedTextField(FilingTextField):
    """Text the certificate or the RCCM extract prints (an address, a city)."""

    printed = True


class BusinessPurposeField(PrintedTextField):
    """The objet social: several lines, printed in full on the extract."""

    line_breaks = True
    widget = forms.Textarea

    def __init__(self, **kwargs):
        kwargs["max_length"] = BUSINESS_PURPOSE_MAX_LENGTH
        super().__init__(**kwargs)


class PersonNameField(PrintedTextField):
    """A person's name (managers are printed), in one alphabet throughout."""

    one_script_per = "field"


class CompanyNameField(PrintedTextField):
    """A name of the company: Latin letters, NFKC (ＡＢＣ and ﬁ are typed as ABC and fi)."""

    normal_form = "NFKC"
    one_script_per = "latin"


def bound_integers(form: forms.BaseForm, bounds: dict[str, int]) -> None:
    """Give integer fields their column's bound on PostgreSQL, also when the form runs on
    SQLite (where the same column holds more)."""
    for name, bound in bounds.items():
        field = form.fields[name]
        field.max_value = bound
        field.validators.append(MaxValueValidator(bound))
        field.widget.attrs["max"] = bound


class StartForm(forms.Form):
    legal_form = forms.ChoiceField(label=_("Forme juridique de l'entreprise"),
                                   choices=LegalForm.choices, initial=LegalForm.SARL,
                                   widget=forms.RadioSelect)


class NamesForm(forms.Form):
    name_1 = CompanyNameField(label=_("Dénomination souhaitée"), max_length=200,
                              help_text=_("Le nom sous lequel l'entreprise sera "
                                          "immatriculée."))
    name_2 = CompanyNameField(label=_("Deuxième choix (facultatif)"), max_length=200,
                              required=False)
    name_3 = CompanyNameField(label=_("Troisième choix (facultatif)"), max_length=200,
                              required=False)
    acronym = CompanyNameField(label=_("Sigle (facultatif)"), max_length=40, required=False)
    trade_name = CompanyNameField(label=_("Nom commercial (facultatif)"), max_length=200,
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
        field_classes = {"business_purpose": BusinessPurposeField}
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
        field_classes = {"city": PrintedTextField, "registered_office": PrintedTextField}
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
        bound_integers(self, {"capital": POSITIVE_BIGINT_MAX,
                              "share_count": POSITIVE_INTEGER_MAX,
                              "share_nominal": POSITIVE_BIGINT_MAX})
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
        field_classes = {
            "first_name": PersonNameField, "last_name": PersonNameField,
            "legal_name": PersonNameField, "representative": PersonNameField,
            "birth_place": FilingTextField, "nationality": FilingTextField,
            "id_document_number": FilingTextField, "registration_number": FilingTextField,
            "address": FilingTextField, "in_kind_description": FilingTextField,
        }
        widgets = {"kind": forms.RadioSelect,
                   "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {"shares": _("Parts ou actions reçues en échange des apports.")}

    # How the page groups the fields: (legend or None, field names). Every field of the form
    # appears once (tests/registry/test_form_sections.py checks it).
    SECTIONS = (
        (_("Qui est-ce ?"), ("kind", "roles")),
        (_("Personne physique"), ("first_name", "last_name", "birth_date", "birth_place",
                                  "nationality", "id_document_number")),
        (_("Personne morale (société associée)"), ("legal_name", "registration_number",
                                                    "representative")),
        (None, ("address",)),
        (_("Apports et participation"), ("shares", "cash_contribution", "in_kind_contribution",
                                         "in_kind_description", "skills_contribution",
                                         "ownership_percent")),
    )

    def sections(self) -> list[tuple[str | None, list]]:
        """The form's bound fields in the groups the page shows, in order."""
        return [(legend, [self[name] for name in names if name in self.fields])
                for legend, names in self.SECTIONS]

    def __init__(self, *args, legal_form: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ownership_percent"].help_text = _(
            "Pour un bénéficiaire effectif : part détenue, directement ou non (%(threshold)s "
            "ou plus)."
        ) % {"threshold": format_percent(legal_rules.POLICY.beneficial_owner_threshold_percent)}
        allowed = RULES[legal_form].allowed_roles
        self.fields["roles"].choices = [(r.value, r.label) for r in Role if r.value in allowed]
        self.fields["address"].required = True
        bound_integers(self, {"shares": POSITIVE_INTEGER_MAX,
                              "cash_contribution": POSITIVE_BIGINT_MAX,
                              "in_kind_contribution": POSITIVE_BIGINT_MAX})

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == PersonKind.LEGAL:
            required = ("legal_name", "registration_number", "representative")
        else:
            required = ("first_name", "last_name", "birth_date", "id_document_number")
        for name in required:
            if not cleaned.get(name):
                self.add_error(name, _("Ce champ est obligatoire."))
        id_number = cleaned.get("id_document_number")
        # The screening step checks the same pattern: refused here, not days later.
        if (cleaned.get("kind") != PersonKind.LEGAL and id_number
                and not re.fullmatch(settings.REGISTRY_ID_NUMBER_PATTERN, id_number)):
            self.add_error("id_document_number", _(
                "Numéro de pièce d'identité mal formé : de 6 à 30 caractères, lettres "
                "sans accents, chiffres, tirets, barres obliques ou espaces, commençant et "
                "finissant par une lettre ou un chiffre."))
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


class RevocationForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Motif de la révocation (interne)"),
        choices=list(REVOCATION_REASONS.items()),
        widget=forms.RadioSelect,
    )
    public_reason = forms.CharField(
        label=_("Mention publique (facultative)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affichée sur la page publique de vérification, à la place "
                               "du motif. Laissée vide, la page indique seulement la "
                               "révocation et sa date."),
    )
