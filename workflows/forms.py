"""The back office's forms: a clerk's decision, the queue's filters (GET)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OPEN_STATES
from .selectors import Claimed, QueueFilters


class DecisionForm(forms.Form):
    """A clerk's decision: an observation, the step's own fields, what to correct."""

    comment = forms.CharField(
        label=_("Observation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Obligatoire pour un renvoi en correction ou un rejet : "
                    "le demandeur la lira."),
    )

    def __init__(self, *args, step: dict | None = None, correctable=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.step_field_names = []
        for field in (step or {}).get("fields", []):
            name = f"data_{field['name']}"
            # The expected format (the definition's hint) is read before typing.
            when = (_("À renseigner pour approuver.") if field.get("required", True)
                    else _("Facultatif."))
            hint = field.get("hint")
            self.fields[name] = forms.CharField(
                label=field["label"], required=False, max_length=60,
                help_text=(_("Format attendu : %(hint)s. %(when)s")
                           % {"hint": hint, "when": when}) if hint else when,
            )
            self.step_field_names.append(name)
        if correctable:
            self.fields["correction_fields"] = forms.MultipleChoiceField(
                label=_("Éléments que le demandeur doit corriger (en cas de renvoi)"),
                choices=list(correctable),
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    def step_data(self) -> dict:
        return {name.removeprefix("data_"): self.cleaned_data.get(name, "")
                for name in self.step_field_names}


class NoteForm(forms.Form):
    """An internal note between staff on a case: never shown to the applicant."""

    text = forms.CharField(
        label=_("Note interne"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible des seuls agents ; le demandeur ne la voit jamais."),
    )


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Attribuer à"), queryset=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


class QueueFilterForm(forms.Form):
    guichet = forms.ChoiceField(label=_("Guichet"), required=False)
    procedure = forms.ChoiceField(label=_("Procédure"), required=False)
    etape = forms.ChoiceField(label=_("Étape"), required=False)
    etat = forms.ChoiceField(
        label=_("État"), required=False,
        choices=[("", _("Tous"))] + [(state.value, state.label) for state in OPEN_STATES])
    prise = forms.ChoiceField(label=_("Prise en charge"), required=False, choices=[
        ("", _("À traiter et les miennes")),
        (Claimed.UNCLAIMED, _("Non prises en charge")),
        (Claimed.MINE, _("Prises par moi")),
        (Claimed.ANYONE, _("Prises par un agent")),
    ])
    en_retard = forms.BooleanField(label=_("En retard seulement"), required=False)
    q = forms.CharField(
        label=_("Rechercher"), required=False, max_length=100,
        help_text=_("Numéro de dossier, dénomination, demandeur ou numéro RCCM."))

    def __init__(self, *args, desks, procedures, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.desks = {desk.code: desk for desk in desks}
        self.fields["guichet"].choices = [("", _("Tous mes guichets"))] + [
            (desk.code, desk.name) for desk in desks]
        self.fields["procedure"].choices = [("", _("Toutes")), *procedures]
        self.fields["etape"].choices = [("", _("Toutes")), *steps]

    def filters(self) -> QueueFilters:
        """The valid filters (an invalid one is dropped, not an error page)."""
        self.is_valid()
        data = self.cleaned_data
        return QueueFilters(
            desk=self.desks.get(data.get("guichet") or ""),
            procedure=data.get("procedure") or "",
            step=data.get("etape") or "",
            state=data.get("etat") or "",
            overdue=bool(data.get("en_retard")),
            claimed=data.get("prise") or "",
            search=data.get("q") or "",
        )
