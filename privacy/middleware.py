"""Staff accesses to personal data are logged (law 2019-014): for the views named in
PRIVACY_LOGGED_VIEWS (or LOGGED_VIEWS below), a successful response to a staff member
(a desk member, or is_staff) records who, when, which view, and which filing or document,
from the URL's own arguments. The views themselves need not know about it; if the record
cannot be written, the page is not given (500)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from registry.models import Application, Party
from workflows.models import Task
from workflows.selectors import is_desk_member

from .services import log_staff_access

logger = logging.getLogger(__name__)

LOGGED_VIEWS = frozenset({
    "registry:staff_document",        # a supporting document, opened by a clerk
    "registry:statutes",              # the statutes drafted from a filing
    "workflows:task",                 # a filing as a desk sees it (people, documents)
    "admin:registry_application_change",
    "admin:registry_party_change",
    "admin:registry_filingsignature_change",
    "admin:documents_supportingdocument_change",
    "admin:accounts_user_change",
})


def logged_views() -> frozenset[str]:
    return frozenset(getattr(settings, "PRIVACY_LOGGED_VIEWS", LOGGED_VIEWS))


@dataclass(frozen=True)
class Target:
    filing_reference: str = ""
    document_id: int | None = None
    data_subject_id: int | None = None


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _application(pk) -> Target:
    application = Application.objects.filter(pk=_int(pk)).values(
        "reference", "owner_id").first() if _int(pk) is not None else None
    if application is None:
        return Target()
    return Target(filing_reference=application["reference"],
                  data_subject_id=application["owner_id"])


def target_of(view_name: str, kwargs: dict) -> Target:
    """The filing (and document, and person) a logged view's URL arguments name."""
    if view_name == "admin:registry_application_change":
        return _application(kwargs.get("object_id"))
    if view_name == "admin:registry_party_change":
        party = Party.objects.filter(pk=_int(kwargs.get("object_id")) or 0).first()
        return _application(party.application_id) if party else Target()
    if view_name == "admin:accounts_user_change":
        return Target(data_subject_id=_int(kwargs.get("object_id")))
    if view_name == "admin:documents_supportingdocument_change":
        return Target(document_id=_int(kwargs.get("object_id")))
    if "task_id" in kwargs:
        case = (Task.objects.filter(pk=_int(kwargs["task_id"]) or 0)
                .values("case__subject_type_id", "case__subject_id").first())
        if case is None or ContentType.objects.get_for_id(  # cached: no query
                case["case__subject_type_id"]).model_class() is not Application:
            return Target()
        return _application(case["case__subject_id"])
    reference = str(kwargs.get("reference", ""))
    owner_id = (Application.objects.filter(reference=reference)
                .values_list("owner_id", flat=True).first() if reference else None)
    return Target(filing_reference=reference, document_id=_int(kwargs.get("document_id")),
                  data_subject_id=owner_id)


def _is_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or is_desk_member(user)))


class StaffAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (match is None or match.view_name not in logged_views()
                or not 200 <= response.status_code < 300):
            return response
        user = getattr(request, "user", None)
        if user is None or not _is_staff(user):
            return response
        target = target_of(match.view_name, match.kwargs)
        if target.data_subject_id == user.pk:
            return response  # one's own filing
        try:
            log_staff_access(
                staff=user, view_name=match.view_name, method=request.method,
                path=request.path, filing_reference=target.filing_reference,
                document_id=target.document_id, data_subject_id=target.data_subject_id,
                arguments={key: str(value) for key, value in match.kwargs.items()},
            )
        except Exception:
            response.close()
            logger.exception("Could not log a staff access to %s", request.path)
            raise
        return response
