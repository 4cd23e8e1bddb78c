"""Personal data pages: one's own data (download, correction, closing the account) under
/comptes/mes-donnees/, and the log of staff accesses for supervisors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry.models import Application
from workflows.access import desk_member_required

from . import selectors, services
from .export import write_archive
from .forms import CloseAccountForm, CorrectionRequestForm

ACCESSES_PER_PAGE = 50


def _references(user) -> list[str]:
    return list(Application.objects.filter(owner=user).order_by("reference")
                .values_list("reference", flat=True))


@login_required
def my_data(request):
    return render(request, "privacy/my_data.html", {
        "correction_form": CorrectionRequestForm(references=_references(request.user)),
        "close_form": CloseAccountForm(user=request.user),
        "requests": request.user.correction_requests.all()[:20],
    })


@never_cache
@login_required
@require_POST
def download(request):
    archive = write_archive(request.user)
    filename = f"mes-donnees-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(archive, as_attachment=True, filename=filename,
                            content_type="application/zip")
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def correction(request):
    form = CorrectionRequestForm(request.POST, references=_references(request.user))
    if form.is_valid():
        try:
            services.request_correction(
                user=request.user, message=form.cleaned_data["message"],
                filing_reference=form.cleaned_data["filing_reference"])
        except services.PrivacyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _(
                "Votre demande de rectification est enregistrée ; un agent vous répondra."))
            return redirect("privacy:my_data")
    return render(request, "privacy/my_data.html", {
        "correction_form": form, "close_form": CloseAccountForm(user=request.user),
        "requests": request.user.correction_requests.all()[:20],
    }, status=400)


@login_required
@require_POST
def close_account(request):
    form = CloseAccountForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.close_account(user=request.user)
        except services.PrivacyError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            messages.success(request, _("Votre compte est fermé."))
            return redirect("home")
    return render(request, "privacy/my_data.html", {
        "correction_form": CorrectionRequestForm(references=_references(request.user)),
        "close_form": form, "requests": request.user.correction_requests.all()[:20],
    }, status=400)


@desk_member_required
def access_log(request):
    """Who among the staff looked at whose data: for desk supervisors and administrators."""
    if not selectors.may_see_staff_accesses(request.user):
        raise PermissionDenied
    reference = request.GET.get("dossier", "")[:40]
    page = Paginator(selectors.staff_accesses_visible_to(
        request.user, filing_reference=reference), ACCESSES_PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "privacy/access_log.html", {"page": page, "reference": reference})
