from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


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
            self.fields[name] = forms.CharField(
                label=field["label"], required=False, max_length=60,
                help_text=_("À renseigner pour approuver."),
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


class ReassignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Attribuer à"), queryset=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members
