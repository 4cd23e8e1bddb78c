from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CorrectionRequestForm(forms.Form):
    filing_reference = forms.ChoiceField(label=_("Dossier concerné"), required=False)
    message = forms.CharField(
        label=_("Correction demandée"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Indiquez ce qui est inexact et ce qui doit figurer à la place."),
    )

    def __init__(self, *args, references: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filing_reference"].choices = [
            ("", _("Mon compte (aucun dossier en particulier)")),
            *[(reference, reference) for reference in references],
        ]


class CloseAccountForm(forms.Form):
    password = forms.CharField(label=_("Mot de passe"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete":
                                                                 "current-password"}))
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte sera fermé définitivement."), required=True)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mot de passe incorrect."))
        return password
