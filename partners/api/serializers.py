"""What the API shows of the register: public facts only, never a person's data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.models import Company

from ..selectors import PUBLIC_COMPANY_FIELDS


class CompanySerializer(serializers.ModelSerializer):
    """A company as the public register shows it."""

    class Meta:
        model = Company
        fields = PUBLIC_COMPANY_FIELDS
        read_only_fields = PUBLIC_COMPANY_FIELDS
        extra_kwargs = {
            "rccm_number": {"help_text": _("Numéro RCCM, p. ex. TG-LOM-2026-B-00001.")},
            "name": {"help_text": _("Dénomination sociale.")},
            "legal_form": {"help_text": _("Forme juridique OHADA (SARL, SA, EI...).")},
            "registered_at": {"help_text": _("Date et heure d'immatriculation (UTC).")},
            "activity_code": {"help_text": _("Activité principale (CITI Rév.4).")},
            "status": {"help_text": _("Situation au registre.")},
            "nif": {"help_text": _("Numéro d'identification fiscale (vide s'il n'est pas "
                                   "encore attribué).")},
        }


class CompanyFilterSerializer(serializers.Serializer):
    rccm = serializers.CharField(required=False, max_length=40,
                                 help_text=_("Numéro RCCM exact."))
    nif = serializers.CharField(required=False, max_length=20, help_text=_("NIF exact."))
    name = serializers.CharField(required=False, max_length=200,
                                 help_text=_("Partie de la dénomination (sans tenir compte "
                                             "des majuscules ni des accents)."))
    registered_since = serializers.DateTimeField(
        required=False, help_text=_("Immatriculées à partir de cette date (ISO 8601)."))


class RegistrationFeedQuerySerializer(serializers.Serializer):
    since = serializers.CharField(
        required=False, max_length=200,
        help_text=_("Curseur rendu par l'appel précédent (champ « next ») ; absent, le "
                    "flux commence à la première immatriculation."))
    limit = serializers.IntegerField(required=False, min_value=1, max_value=500,
                                     help_text=_("Nombre maximal de résultats (100 par "
                                                 "défaut, 500 au plus)."))


class RegistrationFeedSerializer(serializers.Serializer):
    results = CompanySerializer(many=True, help_text=_("Immatriculations, de la plus "
                                                       "ancienne à la plus récente."))
    next = serializers.CharField(help_text=_("Curseur à passer en « since » à l'appel "
                                             "suivant (inchangé s'il n'y a rien de neuf)."))
    has_more = serializers.BooleanField(help_text=_("Vrai si d'autres immatriculations "
                                                    "suivent déjà."))


class NifSerializer(serializers.Serializer):
    nif = serializers.CharField(max_length=40, help_text=_("NIF attribué (10 chiffres)."))


class EmployerNumberSerializer(serializers.Serializer):
    employer_number = serializers.CharField(
        max_length=40, help_text=_("Numéro employeur CNSS attribué (6 à 12 chiffres)."))


class DeskOutcomeSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text=_("Référence du dossier."))
    step = serializers.CharField(help_text=_("Étape terminée (tax, social_security)."))
    field = serializers.CharField(help_text=_("Numéro enregistré (nif, employer_number)."))
    value = serializers.CharField(help_text=_("Valeur enregistrée, normalisée."))
    decided_at = serializers.DateTimeField(help_text=_("Date de la décision (UTC)."))


class DeskTaskSerializer(serializers.Serializer):
    """A filing waiting for the partner's desk."""

    reference = serializers.CharField(source="case.reference",
                                      help_text=_("Référence du dossier."))
    title = serializers.CharField(source="case.title", help_text=_("Dénomination demandée."))
    step = serializers.CharField(source="step_id", help_text=_("Étape à traiter."))
    ready_at = serializers.DateTimeField(help_text=_("À traiter depuis."))
    due_at = serializers.DateTimeField(allow_null=True, help_text=_("Échéance."))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("Message d'erreur, en français."))

