from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User

# Togolese numbers: 8 digits, optionally after +228 or 00228.
PHONE = re.compile(r"(?:\+|00)?(?:228)?(\d{8})")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "phone", "preferred_language", "notify_by_email",
                  "notify_by_sms")
        help_texts = {"phone": _("Numéro togolais à 8 chiffres, par exemple 90 12 34 56.")}

    def clean_phone(self) -> str:
        raw = "".join(self.cleaned_data["phone"].split()).replace("-", "").replace(".", "")
        if not raw:
            return ""
        match = PHONE.fullmatch(raw)
        if not match:
            raise forms.ValidationError(
                _("Numéro de téléphone invalide : 8 chiffres, précédés ou non de +228."))
        return f"+228{match.group(1)}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("notify_by_sms") and not cleaned.get("phone"):
            self.add_error("phone", _("Indiquez un numéro pour recevoir les SMS."))
        return cleaned


class SignupForm(forms.Form):
    """The names asked at sign-up: the declaration and the certificates need them."""

    first_name = forms.CharField(label=_("Prénoms"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)

    field_order = ("first_name", "last_name")

    def signup(self, request, user) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.preferred_language = getattr(request, "LANGUAGE_CODE", user.preferred_language)
        user.save(update_fields=["first_name", "last_name", "preferred_language"])
