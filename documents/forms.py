from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import codes
from .uploads import format_size


def too_large_message() -> str:
    return _("Le fichier dépasse la taille maximale autorisée (%(size)s).") % {
        "size": format_size(settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES)
    }


def declared_body_too_large(request) -> bool:
    """Refuse before reading: the declared body is already beyond the limit (and a form)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES + 64 * 1024


class VerificationUploadForm(forms.Form):
    document = forms.FileField(
        label=_("Document PDF à vérifier"),
        help_text=_("Le certificat ou l'extrait tel que vous l'avez reçu, sans le modifier."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Choisissez le fichier PDF à vérifier."),
            "empty": _("Le fichier envoyé est vide."),
        },
    )

    @property
    def max_size(self) -> int:
        return settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES

    @property
    def max_size_text(self) -> str:
        return format_size(self.max_size)

    def clean_document(self) -> bytes:
        """The file's bytes, once they are known to be a PDF of acceptable size."""
        upload = self.cleaned_data["document"]
        if upload.size > settings.DOCUMENT_VERIFICATION_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        data = upload.read()
        # The signature, not the name or the browser's declared type, tells a PDF.
        if not data.lstrip()[:5] == b"%PDF-":
            raise forms.ValidationError(
                _("Ce fichier n'est pas un document PDF. Seuls les fichiers PDF peuvent "
                  "être vérifiés."),
                code="not_pdf",
            )
        return data


class VerificationCodeForm(forms.Form):
    """The verification code printed on a document, typed by hand (GET ?code=…)."""

    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_("Les 12 caractères imprimés sous le code QR, par exemple ABCD-2345-WXYZ. "
                    "Tirets, espaces et minuscules sont acceptés."),
        max_length=40,
        error_messages={
            "required": _("Saisissez le code de vérification imprimé sur le document."),
            "max_length": _("Ce code est trop long : il compte 12 caractères, par exemple "
                            "ABCD-2345-WXYZ."),
        },
    )

    def clean_code(self) -> str:
        """The code as stored, once it is well-formed (documents.codes)."""
        code = codes.normalize(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("Ce code n'est pas un code de vérification : il compte 12 lettres et "
                  "chiffres, par exemple ABCD-2345-WXYZ. Vérifiez la saisie."),
                code="malformed")
        return code
