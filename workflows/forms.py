from django import forms
from django.utils.translation import gettext_lazy as _


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Observation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Obligatoire pour un renvoi en correction ou un rejet : "
                    "le demandeur la lira."),
    )
