"""The forms of a filing after registration: one per change type, pre-filled from the
register; each turns its cleaned data into the JSON the filing keeps (`changes()`)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import reference
from registry.forms import (
    POSITIVE_BIGINT_MAX,
    BusinessPurposeField,
    CompanyNameField,
    PersonNameField,
    PrintedTextField,
    bound_integers,
)
from registry.legal_forms import Role
from registry.models import CITY_MAX_LENGTH, MANAGING_ROLES, OFFICE_ADDRESS_MAX_LENGTH
from registry.names import normalize

from .changes import CHANGE_TYPES, ChangeKind

MANAGING_ROLE_CHOICES = [(role.value, role.label) for role in Role if role in MANAGING_ROLES]


class StartForm(forms.Form):
    change_type = forms.ChoiceField(label=_("Que voulez-vous déclarer ?"),
                                    widget=forms.RadioSelect)

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["change_type"].choices = [
            (code, change.label) for code, change in CHANGE_TYPES.items()
            if not change.refusal(company)]


class ChangeForm(forms.Form):
    """A change type's form: initial values from the register (`before`)."""

    def __init__(self, *args, before: dict, legal_form: str, **kwargs):
        self.before = before
        self.legal_form = legal_form
        super().__init__(*args, **kwargs)

    def changes(self) -> dict:
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, before: dict, saved: dict) -> dict:
        return saved or {}


class ManagerNamesField(PersonNameField):
    """Persons' names, one per line."""

    line_breaks = True


class ManagersForm(ChangeForm):
    managers = ManagerNamesField(
        label=_("Dirigeants après la modification"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Un nom par ligne (prénoms puis nom) : ceux qui restent et ceux qui "
                    "sont nommés ; retirez ceux qui partent."))
    role = forms.ChoiceField(label=_("Qualité"), choices=MANAGING_ROLE_CHOICES)

    @classmethod
    def initial_from(cls, before, saved):
        managers = saved.get("managers") or before.get("managers") or []
        roles = [role for manager in managers for role in manager.get("roles", [])]
        return {"managers": "\n".join(manager["name"] for manager in managers),
                "role": roles[0] if roles else Role.MANAGER}

    def changes(self):
        names = [" ".join(line.split()) for line in self.cleaned_data["managers"].splitlines()]
        return {"managers": [{"name": name, "roles": [self.cleaned_data["role"]]}
                             for name in names if name]}

    def clean(self):
        cleaned = super().clean()
        if "managers" in cleaned and "role" in cleaned:
            new = self.changes()["managers"]
            if not new:
                self.add_error("managers", _("Indiquez au moins un dirigeant."))
            elif new == self.before.get("managers"):
                raise forms.ValidationError(_("Rien ne change : modifiez la liste des "
                                              "dirigeants."))
        return cleaned


class OfficeForm(ChangeForm):
    address = PrintedTextField(label=_("Nouvelle adresse du siège"),
                              max_length=OFFICE_ADDRESS_MAX_LENGTH,
                              help_text=_("Rue, quartier, numéro ou repère."))
    city = PrintedTextField(label=_("Ville"), max_length=CITY_MAX_LENGTH)
    region = forms.ChoiceField(label=_("Région"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—")] + [(r.code, r.name)
                                                       for r in reference.regions()]

    @classmethod
    def initial_from(cls, before, saved):
        return saved or {"address": before.get("address"), "city": before.get("city"),
                         "region": before.get("region")}

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("address") and cleaned.get("city")
                and f"{cleaned['address']}, {cleaned['city']}"
                == self.before.get("registered_office")
                and cleaned.get("region") == self.before.get("region")):
            raise forms.ValidationError(_("Rien ne change : indiquez la nouvelle adresse."))
        return cleaned


class NameForm(ChangeForm):
    name = CompanyNameField(label=_("Nouvelle dénomination sociale"), max_length=200)

    @classmethod
    def initial_from(cls, before, saved):
        return saved or {"name": before.get("name")}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if normalize(name) == normalize(self.before.get("name", "")):
            raise forms.ValidationError(_("C'est la dénomination actuelle : indiquez la "
                                          "nouvelle."))
        from registry.models import Company

        if Company.objects.filter(normalized_name=normalize(name)).exists():
            raise forms.ValidationError(_("Une entreprise du registre porte déjà cette "
                                          "dénomination."))
        return name


class ActivityForm(ChangeForm):
    activity_code = forms.CharField(label=_("Activité principale (code CITI Rév.4)"),
                                    max_length=4)
    business_purpose = BusinessPurposeField(label=_("Objet social"),
                                            widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def initial_from(cls, before, saved):
        return saved or {"activity_code": before.get("activity_code"),
                         "business_purpose": before.get("business_purpose")}

    def clean_activity_code(self):
        code = self.cleaned_data["activity_code"].strip()
        if reference.division_for(code) is None:
            raise forms.ValidationError(_("Code d'activité inconnu de la nomenclature "
                                          "CITI Rév.4."))
        return code

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("activity_code") == self.before.get("activity_code")
                and cleaned.get("business_purpose") == self.before.get("business_purpose")):
            raise forms.ValidationError(_("Rien ne change : modifiez l'activité ou l'objet "
                                          "social."))
        return cleaned


class CapitalForm(ChangeForm):
    capital = forms.IntegerField(label=_("Nouveau capital social (FCFA)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bound_integers(self, {"capital": POSITIVE_BIGINT_MAX})  # Company.capital's column

    @classmethod
    def initial_from(cls, before, saved):
        return saved or {"capital": before.get("capital")}

    def clean_capital(self):
        from registry.legal_forms import RULES

        capital = self.cleaned_data["capital"]
        if capital == self.before.get("capital"):
            raise forms.ValidationError(_("C'est le capital actuel : indiquez le nouveau."))
        minimum = RULES[self.legal_form].min_capital
        if capital < minimum:
            raise forms.ValidationError(
                _("Le capital minimum de cette forme juridique est de %(min)s FCFA.")
                % {"min": f"{minimum:,}".replace(",", " ")})
        return capital


class ShareTransferForm(ChangeForm):
    transferor = PersonNameField(label=_("Cédant"), max_length=200)
    transferee = PersonNameField(label=_("Cessionnaire"), max_length=200)
    shares = forms.IntegerField(label=_("Nombre de parts ou d'actions cédées"), min_value=1,
                                max_value=2_147_483_647)

    def clean(self):
        cleaned = super().clean()
        for field in ("transferor", "transferee"):
            if cleaned.get(field):
                cleaned[field] = " ".join(cleaned[field].split())
        if (cleaned.get("transferor") and cleaned.get("transferee")
                and cleaned["transferor"].casefold() == cleaned["transferee"].casefold()):
            raise forms.ValidationError(_("Le cédant et le cessionnaire sont la même "
                                          "personne."))
        return cleaned


def _not_in_the_future(day):
    if day > timezone.localdate():
        raise forms.ValidationError(_("Cette date est dans le futur."))
    return day


class DissolutionForm(ChangeForm):
    decision_date = forms.DateField(label=_("Date de la décision de dissolution"),
                                    widget=forms.DateInput(attrs={"type": "date"}))
    liquidator = PersonNameField(label=_("Liquidateur (prénoms et nom)"), max_length=200)

    def clean_decision_date(self):
        day = _not_in_the_future(self.cleaned_data["decision_date"])
        registered = self.before.get("registered_on")
        if registered and day.isoformat() < registered:
            raise forms.ValidationError(_("La dissolution ne peut précéder "
                                          "l'immatriculation."))
        return day

    def changes(self):
        return {"decision_date": self.cleaned_data["decision_date"].isoformat(),
                "liquidator": " ".join(self.cleaned_data["liquidator"].split())}


class StrikeOffForm(ChangeForm):
    closing_date = forms.DateField(label=_("Date de clôture de la liquidation (ou de "
                                           "cessation d'activité)"),
                                   widget=forms.DateInput(attrs={"type": "date"}))

    def clean_closing_date(self):
        day = _not_in_the_future(self.cleaned_data["closing_date"])
        dissolved = self.before.get("dissolution_date")
        if dissolved and day.isoformat() < dissolved:
            raise forms.ValidationError(_("La clôture de la liquidation ne peut précéder la "
                                          "dissolution (%(date)s).") % {"date": dissolved})
        registered = self.before.get("registered_on")
        if registered and day.isoformat() < registered:
            raise forms.ValidationError(_("Cette date précède l'immatriculation."))
        return day

    def changes(self):
        return {"closing_date": self.cleaned_data["closing_date"].isoformat()}


FORMS = {
    ChangeKind.MANAGERS: ManagersForm,
    ChangeKind.OFFICE: OfficeForm,
    ChangeKind.NAME: NameForm,
    ChangeKind.ACTIVITY: ActivityForm,
    ChangeKind.CAPITAL: CapitalForm,
    ChangeKind.SHARE_TRANSFER: ShareTransferForm,
    ChangeKind.DISSOLUTION: DissolutionForm,
    ChangeKind.STRIKE_OFF: StrikeOffForm,
}


class DocumentForm(forms.Form):
    requirement = forms.CharField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("Fichier (PDF, JPEG ou PNG)"))


class SignatureRequestForm(forms.Form):
    accept = forms.BooleanField(
        label=_("Je certifie l'exactitude de ces informations et je signe la déclaration."),
        error_messages={"required": _("Cochez la case pour signer la déclaration.")})


class SignatureCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code reçu"), regex=r"^\s*\d{3}\s?\d{3}\s*$", max_length=10,
        error_messages={"invalid": _("Le code compte 6 chiffres.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric",
                                      "autocomplete": "one-time-code"}))


class FilerForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail du compte à autoriser"))
