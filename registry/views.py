"""The entrepreneur's pages: their filings, the filing form, status and certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workflows import diagrams
from workflows import selectors as workflow_selectors
from workflows import services as engine

from . import selectors, services
from .forms import ApplicationForm, FounderForm
from .models import ApplicationState


def home(request):
    return render(request, "registry/home.html")


@login_required
def application_list(request):
    applications = selectors.applications_for(request.user).select_related("company")
    return render(request, "registry/application_list.html", {"applications": applications})


@login_required
def application_create(request):
    form = ApplicationForm(request.POST or None, prefix="company")
    founder_form = FounderForm(request.POST or None, prefix="founder")
    if request.method == "POST" and form.is_valid() and founder_form.is_valid():
        application = services.application_create(
            owner=request.user, data=form.cleaned_data, founder=founder_form.cleaned_data
        )
        messages.success(request, _("Votre dossier %(ref)s est enregistré en brouillon.")
                         % {"ref": application.reference})
        return redirect(application)
    return render(request, "registry/application_form.html",
                  {"form": form, "founder_form": founder_form})


@login_required
def application_edit(request, reference: str):
    application = get_object_or_404(selectors.applications_for(request.user),
                                    reference=reference)
    if not application.is_editable:
        messages.error(request, _("Ce dossier ne peut plus être modifié."))
        return redirect(application)
    founder = application.parties.get(is_manager=True)
    form = ApplicationForm(request.POST or None, instance=application, prefix="company")
    founder_form = FounderForm(request.POST or None, instance=founder, prefix="founder")
    if application.state == ApplicationState.CORRECTION_REQUESTED:
        # Only what the desk asked to correct can change; the rest is shown, locked.
        for bound_form in (form, founder_form):
            for name, field in bound_form.fields.items():
                field.disabled = f"{bound_form.prefix}-{name}" not in application.correction_fields
    if request.method == "POST" and form.is_valid() and founder_form.is_valid():
        try:
            services.application_update(application_id=application.pk, user=request.user,
                                        data=form.cleaned_data,
                                        founder=founder_form.cleaned_data)
        except services.FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Modifications enregistrées."))
        return redirect(application)
    return render(request, "registry/application_form.html",
                  {"form": form, "founder_form": founder_form, "application": application})


@login_required
def application_detail(request, reference: str):
    application = get_object_or_404(
        selectors.applications_for(request.user).select_related("company"),
        reference=reference,
    )
    case = engine.case_for(application)
    steps = list(workflow_selectors.case_tasks(case)) if case else []
    return render(request, "registry/application_detail.html", {
        "application": application,
        "parties": application.parties.all(),
        "steps": steps,
        "diagram": diagrams.case_svg(case, steps) if case else None,
        "company": getattr(application, "company", None),
    })


@require_POST
@login_required
def application_submit(request, reference: str):
    application = get_object_or_404(selectors.applications_for(request.user),
                                    reference=reference)
    try:
        services.application_submit(application_id=application.pk, user=request.user)
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre dossier est transmis au guichet unique."))
    return redirect(application)


@require_POST
@login_required
def application_withdraw(request, reference: str):
    application = get_object_or_404(selectors.applications_for(request.user),
                                    reference=reference)
    try:
        services.application_withdraw(application_id=application.pk, user=request.user)
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre dossier a été retiré."))
    return redirect(application)


def certificate_download(request, reference: str):
    """Only the filing's owner gets the file; everyone else, signed in or not, gets 404."""
    company = selectors.company_for_owner(request.user, reference=reference)
    if company is None or company.certificate is None:
        raise Http404
    return _pdf_response(company.certificate.stored_file)


@require_POST
def rccm_extract(request, reference: str):
    """A fresh sealed extract of the register, for the company's owner only."""
    company = selectors.company_for_owner(request.user, reference=reference)
    if company is None:
        raise Http404
    return _pdf_response(services.issue_rccm_extract(company=company).stored_file)


def _pdf_response(stored):
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type="application/pdf",
    )
