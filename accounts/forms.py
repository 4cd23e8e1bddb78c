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
