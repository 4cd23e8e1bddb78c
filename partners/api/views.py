"""The partner API, version 1. Views translate HTTP to selectors and services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Scope
from .call_log import LoggedCallMixin
from .serializers import (
    CompanyFilterSerializer,
    CompanySerializer,
    DeskOutcomeSerializer,
    DeskTaskSerializer,
    EmployerNumberSerializer,
    ErrorSerializer,
    NifSerializer,
    RegistrationFeedQuerySerializer,
    RegistrationFeedSerializer,
)

ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description=_("Jeton absent, invalide, révoqué ou "
                                                        "expiré.")),
    403: OpenApiResponse(ErrorSerializer, description=_("Le jeton n'a pas le droit requis.")),
    429: OpenApiResponse(ErrorSerializer, description=_("Trop d'appels : réessayez après le "
                                                        "délai indiqué (Retry-After).")),
}
FEED_PAGE_SIZE = 100


class PartnerView(LoggedCallMixin):
    """Every view of the API: logged, and declaring the scopes it needs."""

    required_scopes: tuple[str, ...] = ()


class CompanyPagination(CursorPagination):
    """Keyset pages, newest first: no OFFSET, no COUNT, the same cost on every page."""

    ordering = ("-registered_at", "-id")
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 200
    invalid_cursor_message = _("Curseur invalide.")


@extend_schema(
    tags=["registre"],
    summary=_("Lister les entreprises immatriculées"),
    description=_("Faits publics du registre, des plus récentes aux plus anciennes, par "
                  "pages (curseur « next »). Droit requis : companies:read."),
    parameters=[CompanyFilterSerializer],
    responses={200: CompanySerializer(many=True), 400: ErrorSerializer, **ERRORS},
)
class CompanyList(PartnerView, generics.ListAPIView):
    required_scopes = (Scope.COMPANIES_READ,)
    serializer_class = CompanySerializer
    pagination_class = CompanyPagination

    def get_queryset(self):
        filters = CompanyFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.filter_companies(selectors.public_companies(),
                                          **filters.validated_data)


@extend_schema(
    tags=["registre"],
    summary=_("Consulter une entreprise"),
    description=_("Faits publics d'une entreprise, par son numéro RCCM. Droit requis : "
                  "companies:read."),
    responses={200: CompanySerializer, 404: ErrorSerializer, **ERRORS},
)
class CompanyDetail(PartnerView, generics.RetrieveAPIView):
    required_scopes = (Scope.COMPANIES_READ,)
    serializer_class = CompanySerializer
    queryset = selectors.public_companies()
    lookup_field = "rccm_number"
    lookup_url_kwarg = "rccm"

    def get_object(self):
        company = self.get_queryset().filter(rccm_number=self.kwargs["rccm"]).first()
        if company is None:
            raise NotFound(_("Aucune entreprise ne porte ce numéro RCCM."))
        self.check_object_permissions(self.request, company)
        return company


@extend_schema(
    tags=["registre"],
    summary=_("Suivre les nouvelles immatriculations"),
    description=_("Les entreprises immatriculées après le curseur « since », de la plus "
                  "ancienne à la plus récente, et le curseur suivant. Une administration "
                  "interroge ce flux régulièrement avec le dernier curseur reçu. Une "
                  "immatriculation y paraît 30 secondes après son enregistrement. Droit "
                  "requis : registrations:read."),
    parameters=[RegistrationFeedQuerySerializer],
    responses={200: RegistrationFeedSerializer, 400: ErrorSerializer, **ERRORS},
)
class RegistrationFeed(PartnerView, APIView):
    required_scopes = (Scope.REGISTRATIONS_READ,)

    def get(self, request):
        query = RegistrationFeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            page = selectors.registrations_after(
                query.validated_data.get("since", selectors.START),
                limit=query.validated_data.get("limit", FEED_PAGE_SIZE))
        except selectors.InvalidCursor:
            raise ValidationError({"since": [_("Curseur invalide.")]}) from None
        return Response(RegistrationFeedSerializer(page).data)


class DeskTaskPagination(CursorPagination):
    ordering = ("id",)
    page_size = 50
    invalid_cursor_message = _("Curseur invalide.")


def _desk_of(request) -> int:
    partner = request.auth.partner
    if partner.desk_id is None:
        raise PermissionDenied(_("Ce partenaire ne traite les tâches d'aucun guichet."))
    return partner.desk_id


@extend_schema(
    tags=["guichet"],
    summary=_("Dossiers à traiter par votre guichet"),
    description=_("Les étapes prêtes que votre guichet doit traiter (p. ex. attribuer un "
                  "NIF), des plus anciennes aux plus récentes. Droit requis : desk:act."),
    responses={200: DeskTaskSerializer(many=True), **ERRORS},
)
class DeskTaskList(PartnerView, generics.ListAPIView):
    required_scopes = (Scope.DESK_ACT,)
    serializer_class = DeskTaskSerializer
    pagination_class = DeskTaskPagination

    def get_queryset(self):
        return selectors.waiting_for_desk(_desk_of(self.request))


class DeskIdentifierView(PartnerView, APIView):
    """Record the number a partner's desk issued, completing its step (idempotent)."""

    required_scopes = (Scope.DESK_ACT,)
    identifier: services.DeskIdentifier
    input_serializer: type

    def post(self, request, reference: str):
        body = self.input_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            outcome = services.record_desk_identifier(
                partner=request.auth.partner, reference=reference, identifier=self.identifier,
                value=body.validated_data[self.identifier.field])
        except services.DeskActionError as error:
            return Response({"detail": str(error)}, status=error.status)
        return Response(DeskOutcomeSerializer(outcome).data, status=status.HTTP_200_OK)


DESK_ACTION_RESPONSES = {
    200: OpenApiResponse(DeskOutcomeSerializer, description=_(
        "Étape terminée. Le même appel répété rend la même réponse sans rien changer.")),
    400: OpenApiResponse(ErrorSerializer, description=_("Numéro au mauvais format.")),
    404: OpenApiResponse(ErrorSerializer, description=_("Aucun dossier avec cette "
                                                        "référence.")),
    409: OpenApiResponse(ErrorSerializer, description=_(
        "Étape pas encore à traiter, déjà terminée avec un autre numéro, ou numéro déjà "
        "attribué à une autre entreprise.")),
    **ERRORS,
}
REFERENCE = OpenApiParameter("reference", str, OpenApiParameter.PATH,
                             description=_("Référence du dossier."))


@extend_schema(
    tags=["guichet"],
    summary=_("Transmettre le NIF d'un dossier"),
    description=_("L'administration fiscale transmet le NIF attribué : l'étape « Immatriculation "
                  "fiscale » du dossier est terminée par le compte de service du partenaire, "
                  "comme par un agent du guichet. Droit requis : desk:act ; le partenaire "
                  "doit représenter le guichet de l'étape."),
    parameters=[REFERENCE],
    request=NifSerializer,
    responses=DESK_ACTION_RESPONSES,
)
class FilingNif(DeskIdentifierView):
    identifier = services.NIF
    input_serializer = NifSerializer


@extend_schema(
    tags=["guichet"],
    summary=_("Transmettre le numéro employeur CNSS d'un dossier"),
    description=_("La CNSS transmet le numéro employeur attribué : l'étape « Immatriculation "
                  "employeur » du dossier est terminée par le compte de service du "
                  "partenaire. Droit requis : desk:act."),
    parameters=[REFERENCE],
    request=EmployerNumberSerializer,
    responses=DESK_ACTION_RESPONSES,
)
class FilingEmployerNumber(DeskIdentifierView):
    identifier = services.EMPLOYER_NUMBER
    input_serializer = EmployerNumberSerializer


class Schema(LoggedCallMixin, SpectacularAPIView):
    """The OpenAPI 3 schema: public, so partners can read it before they hold a token."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
