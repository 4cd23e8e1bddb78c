"""The register's reads, scoped to who may see them: the one place for filing access."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Application, Company


def applications_for(user) -> QuerySet[Application]:
    """An applicant sees their own filings; anyone else sees none of them."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(owner=user)


def company_for_owner(user, *, reference: str) -> Company | None:
    return (
        Company.objects.select_related("certificate__stored_file", "application")
        .filter(application__in=applications_for(user), application__reference=reference)
        .first()
    )
