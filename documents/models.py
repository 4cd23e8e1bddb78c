from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _upload_path(instance: StoredFile, filename: str) -> str:
    now = timezone.now()
    return f"documents/{now:%Y/%m}/{uuid.uuid4().hex}/{filename}"


class StoredFile(models.Model):
    """A file kept for the legal retention period: written once, never overwritten.

    The SHA-256 and size are taken from the bytes when stored, so integrity can be proven.
    """

    file = models.FileField(_("fichier"), upload_to=_upload_path, max_length=300)
    original_name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("fichier conservé")
        verbose_name_plural = _("fichiers conservés")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.original_name
