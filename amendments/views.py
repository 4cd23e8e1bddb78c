"""The pages of a company's life after registration: choose a change, declare it, attach
its documents, sign it, follow it; the up-to-date extract; who may file for the company.
Who may see what is decided in access.py (a filing is seen by those who may file for its
company; everyone else gets a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.client_ip import client_ip
from documents import selectors as document_selectors
from payments import fees
from payments import selectors as payment_selectors
from registry.models import Company
from registry.register import FIELD_LABELS, describe, history
from workflows import diagrams
from workflows import selectors as workflow_selectors
from workflows.access import desk_member_required

from . import access, services
from .forms import (
    FORMS,
    DocumentForm,
    FilerForm,
    SignatureCodeForm,
    SignatureRequestForm,
    StartForm,
)
from .models import AmendmentState, AuthorisedFiler


def _company(request, reference: str) -> Company:
    """A company the user may file for, by its creation filing's reference; else 404."""
    return get_object_or_404(
        access.companies_for_filer(request.user).select_related("application"),
        application__reference=reference)


def _amendment(request, reference: str):
    return get_object_or_404(access.amendments_for(request.user).select_related(
        "company__application", "extract"), reference=reference)


def _fee(amendment) -> int | None:
    try:
        return fees.fee_line(amendment.kind.service, amendment.company.legal_form).amount
    except fees.FeeNotSet:
        return None


def _history_rows(company: Company) -> list[dict]:
    return [{"field": FIELD_LABELS.get(change.field, change.field),
             "old": describe(change.field, change.old_value),
             "new": describe(change.field, change.new_value),
             "effective_at": change.effective_at, "filing": change.filing_reference}
            for change in history(company)]


@require_GET
@login_required
def index(request):
    return render(request, "amendments/index.html", {
        "companies": access.companies_for_filer(request.user).order_by("name"),
        "amendments": access.amendments_for(request.user).select_related("company")[:50],
    })


@require_http_methods(["GET", "POST"])
@login_required
def start(request, reference: str):
    """The company's life: its register history and the changes one may declare."""
    company = _company(request, reference)
    form = StartForm(request.POST or None, company=company)
    if request.method == "POST":
        try:
            amendment = services.start_amendment(
                company_id=company.pk, user=request.user,
                change_type=request.POST.get("change_type", ""))
        except services.AmendmentError as error:
            messages.error(request, str(error))
            return redirect("amendments:start", reference=reference)
        messages.success(request, _("Votre demande %(ref)s est ouverte : déclarez la "
                                    "modification.") % {"ref": amendment.reference})
        return redirect("amendments:edit", reference=amendment.reference)
    return render(request, "amendments/start.html", {
        "company": company, "form": form, "in_flight": services.in_flight(company),
        "history": _history_rows(company),
        "amendments": company.amendments.all()[:20],
        "may_authorise": access.may_authorise_filers(request.user, company),
    })


@require_GET
@login_required
def detail(request, reference: str):
    amendment = _amendment(request, reference)
    case = workflow_selectors.case_for(amendment)
    steps = list(workflow_selectors.case_tasks(case)) if case else []
    return render(request, "amendments/detail.html", {
        "amendment": amendment, "company": amendment.company,
        "changes": amendment.change_rows(),
        "lines": services.document_lines(amendment),
        "problems": services.problems(amendment) if amendment.is_editable else [],
        "steps": steps, "diagram": diagrams.case_svg(case, steps) if case else None,
        "invoice": payment_selectors.invoice_of(amendment),
        "fee": _fee(amendment),
        "signature": amendment.signatures.filter(signed_at__isnull=False).first(),
        "open": amendment.state in (AmendmentState.DRAFT, AmendmentState.PENDING_PAYMENT,
                                    AmendmentState.IN_REVIEW, AmendmentState.RETURNED),
    })


@require_http_methods(["GET", "POST"])
@login_required
def edit(request, reference: str):
    amendment = _amendment(request, reference)
    if not amendment.may_edit("changes"):
        return redirect(amendment)
    form_class = FORMS[amendment.change_type]
    kwargs = {"before": amendment.register_before, "legal_form": amendment.company.legal_form}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.save_changes(amendment_id=amendment.pk, user=request.user,
                                      changes=form.changes())
            except services.AmendmentError as error:  # e.g. signed meanwhile in another tab
                messages.error(request, str(error))
                return redirect(amendment)
            messages.success(request, _("Modification enregistrée. Joignez maintenant les "
                                        "pièces demandées."))
            return redirect("amendments:documents", reference=reference)
    else:
        form = form_class(initial=form_class.initial_from(amendment.register_before,
                                                          amendment.changes), **kwargs)
    return render(request, "amendments/edit.html", {"amendment": amendment, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def documents(request, reference: str):
    amendment = _amendment(request, reference)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attach_document(
                    amendment_id=amendment.pk, user=request.user,
                    requirement=form.cleaned_data["requirement"],
                    uploaded_file=form.cleaned_data["file"])
            except services.AmendmentError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Pièce reçue."))
            return redirect("amendments:documents", reference=reference)
        messages.error(request, _("Choisissez un fichier à envoyer."))
    return render(request, "amendments/documents.html", {
        "amendment": amendment, "lines": services.document_lines(amendment),
        "editable": amendment.may_edit("documents"),
    })


@require_http_methods(["GET", "POST"])
@login_required
def sign(request, reference: str):
    """Check, accept the declaration (a code is sent), then type the code: signed."""
    amendment = _amendment(request, reference)
    if not amendment.is_editable:
        return redirect(amendment)
    request_form = SignatureRequestForm(request.POST if "accept" in request.POST else None)
    code_form = SignatureCodeForm(request.POST if "code" in request.POST else None)
    code_sent = False
    if request.method == "POST" and request_form.is_bound and request_form.is_valid():
        try:
            services.request_signature_code(amendment_id=amendment.pk, user=request.user)
        except services.AmendmentError as error:
            messages.error(request, str(error))
        else:
            code_sent = True
    if request.method == "POST" and code_form.is_bound:
        code_sent = True
        if code_form.is_valid():
            try:
                services.confirm_signature(amendment_id=amendment.pk, user=request.user,
                                           code=code_form.cleaned_data["code"],
                                           ip_address=client_ip(request))
            except services.AmendmentError as error:
                code_form.add_error("code", str(error))
            else:
                amendment.refresh_from_db()
                if amendment.state == AmendmentState.PENDING_PAYMENT:
                    messages.success(request, _("Demande signée. Réglez les frais : elle "
                                                "sera transmise aux services dès le "
                                                "paiement reçu."))
                else:
                    messages.success(request, _("Demande signée et transmise au guichet "
                                                "unique."))
                return redirect(amendment)
    return render(request, "amendments/sign.html", {
        "amendment": amendment, "request_form": request_form, "code_form": code_form,
        "code_sent": code_sent, "problems": services.problems(amendment),
        "changes": amendment.change_rows(),
        "declaration": services.declaration_text(amendment, request.user),
        "fee": _fee(amendment) if amendment.state == AmendmentState.DRAFT else None,
    })


@require_POST
@login_required
def withdraw(request, reference: str):
    amendment = _amendment(request, reference)
    try:
        services.withdraw(amendment_id=amendment.pk, user=request.user)
    except services.AmendmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre demande a été retirée."))
    return redirect(amendment)


@require_GET
@login_required
def extract(request, reference: str):
    """The sealed extract issued when the filing was inscribed."""
    amendment = _amendment(request, reference)
    if amendment.extract is None:
        raise Http404
    stored = amendment.extract.stored_file
    return FileResponse(stored.file.open("rb"), as_attachment=True,
                        filename=stored.original_name, content_type="application/pdf")


@require_http_methods(["GET", "POST"])
@login_required
def filers(request, reference: str):
    """The owner chooses who else may file for the company."""
    company = _company(request, reference)
    if not access.may_authorise_filers(request.user, company):
        raise Http404
    form = FilerForm(request.POST if "email" in request.POST else None)
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                services.revoke_filer(company=company, owner=request.user,
                                      user_id=int(request.POST["remove"] or 0))
                messages.success(request, _("L'autorisation a été retirée."))
            elif form.is_valid():
                services.authorise_filer(company=company, owner=request.user,
                                         email=form.cleaned_data["email"])
                messages.success(request, _("Ce compte peut désormais déposer des demandes "
                                            "pour l'entreprise."))
            else:
                messages.error(request, _("Indiquez une adresse e-mail valide."))
        except (services.AmendmentError, ValueError) as error:
            messages.error(request, str(error))
        return redirect("amendments:filers", reference=reference)
    return render(request, "amendments/filers.html", {
        "company": company, "form": form,
        "mandates": AuthorisedFiler.objects.filter(company=company).select_related("user"),
    })


@require_GET
@desk_member_required
def staff_document(request, reference: str, document_id: int):
    """A supporting document of a filing, for a clerk whose desk the filing reached."""
    amendment = get_object_or_404(access.amendments_for_staff(request.user),
                                  reference=reference)
    document = document_selectors.supporting_document_of(amendment, document_id)
    if document is None:
        raise Http404
    stored = document.stored_file
    return FileResponse(stored.file.open("rb"), as_attachment=True,
                        filename=stored.original_name, content_type=stored.content_type)
