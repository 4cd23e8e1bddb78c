"""Who may file for a company, and who sees which filing: decided here and only here.

A company's filings are made by its owner (the account that filed its creation) and by the
users the owner authorised (AuthorisedFiler). Every filing is seen by the people who may
file for its company; everyone else gets a 404, never a hint that it exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from registry.models import Company
from workflows import selectors as workflow_selectors

from .models import Amendment


def may_file_for(user, company: Company) -> bool:
    """May `user` file amendments, dissolution or radiation for `company`?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return companies_for_filer(user).filter(pk=company.pk).exists()


def may_authorise_filers(user, company: Company) -> bool:
    """Only the owner account chooses who else may file for the company."""
    return (getattr(user, "is_authenticated", False)
            and company.application.owner_id == user.pk)


def companies_for_filer(user) -> QuerySet[Company]:
    """The registered companies `user` may file for."""
    if not getattr(user, "is_authenticated", False):
        return Company.objects.none()
    return Company.objects.filter(
        Q(application__owner=user) | Q(authorised_filers__user=user)).distinct()


def amendments_for(user) -> QuerySet[Amendment]:
    """The filings `user` may see and act on: those of the companies they may file for."""
    if not getattr(user, "is_authenticated", False):
        return Amendment.objects.none()
    return Amendment.objects.filter(company__in=companies_for_filer(user))


def amendments_for_staff(user) -> QuerySet[Amendment]:
    """Filings a clerk may look into: those that reached one of the clerk's desks."""
    return Amendment.objects.filter(
        pk__in=workflow_selectors.subjects_reached_by(Amendment, user))
