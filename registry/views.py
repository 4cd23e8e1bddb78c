"""The entrepreneur's pages: the filing's task list and sections, check your answers and
sign, the status page, and the company's documents. Who may see what is decided in
selectors.applications_for (a filing is its owner's alone)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.client_ip import client_ip
from documents import selectors as document_selectors
from documents.issuing import DocumentError
from payments import fees
from payments import selectors as payment_selectors
from workflows import charts, diagrams, figures
from workflows import selectors as workflow_selectors
from workflows.access import desk_member_required, manager_or_member_required

from . import filing, selectors, services
from . import reference as reference_data
from .forms import (
    ActivityForm,
    CapitalForm,
    DocumentForm,
    LegalFormForm,
    NamesForm,
    OfficeForm,
    PartyForm,
    RevocationForm,
    SignatureCodeForm,
    SignatureRequestForm,
    StartForm,
)
from .models import ApplicationState, Company
from .services import drafting, signature
from .statutes import DOCX_CONTENT_TYPE, render_statutes

SECTION_FORMS = {
    "names": NamesForm,
    "form": LegalFormForm,
    "activity": ActivityForm,
    "office": OfficeForm,
    "capital": CapitalForm,
}


def home(request):
    return render(request, "registry/home.html")


def _own(request, reference_code: str):
    return get_object_or_404(selectors.applications_for(request.user), reference=reference_code)


@login_required
def application_list(request):
    applications = selectors.applications_for(request.user).select_related("company")
    return render(request, "registry/application_list.html", {"applications": applications})


@login_required
def application_start(request):
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        application = drafting.start_application(owner=request.user,
                                                 legal_form=form.cleaned_data["legal_form"])
        messages.success(request, _("Votre dossier %(ref)s est ouvert : remplissez-le partie "
                                    "par partie, à votre rythme.") % {"ref": application.reference})
        return redirect(application)
    return render(request, "registry/start.html", {"form": form})


@login_required
def application_detail(request, reference: str):
    application = _own(request, reference)
    if application.state == ApplicationState.DRAFT:
        return _task_list(request, application)
    return _status(request, application)


def _task_list(request, application):
    sections, problems, lines = filing.statuses(application)
    return render(request, "registry/task_list.html", {
        "application": application,
        "sections": sections,
        "ready_to_sign": not problems and not filing.missing_documents(lines),
        "done_count": sum(1 for s in sections if s.done and s.applicable),
        "applicable_count": sum(1 for s in sections if s.applicable),
        "fee": _fee(application),
    })


def _fee(application) -> int | None:
    """The fee the filing will owe on signing (None when the schedule has no line)."""
    try:
        return fees.creation_fee(application.legal_form)
    except fees.FeeNotSet:
        return None


def _status(request, application):
    case = workflow_selectors.case_for(application)
    steps = list(workflow_selectors.case_tasks(case)) if case else []
    sections = []
    if application.state == ApplicationState.CORRECTION_REQUESTED:
        sections = [filing.SECTION_BY_CODE[code] for code in application.correction_fields
                    if code in filing.SECTION_BY_CODE]
    return render(request, "registry/application_detail.html", {
        "application": application,
        "steps": steps,
        "diagram": diagrams.case_svg(case, steps) if case else None,
        "company": getattr(application, "company", None),
        "correction_sections": sections,
        "signature": application.signatures.first(),
        "timeline": selectors.timeline(application, steps),
        "later_documents": selectors.later_documents(application),
        "invoice": payment_selectors.invoice_of(application),
    })


@login_required
def section_edit(request, reference: str, section: str):
    application = _own(request, reference)
    if section not in SECTION_FORMS or (section == "capital"
                                        and not filing.has_capital(application)):
        raise Http404
    if not application.may_edit(section):
        messages.error(request, _("Cette partie du dossier ne peut plus être modifiée."))
        return redirect(application)
    form_class = SECTION_FORMS[section]
    data = request.POST or None
    form = (form_class.for_application(application, data) if form_class is NamesForm
            else form_class(data, instance=application))
    if request.method == "POST" and form.is_valid():
        section_data = (form.section_data() if form_class is NamesForm
                        else form.cleaned_data)
        try:
            drafting.save_section(application_id=application.pk, user=request.user,
                                  section=section, data=section_data)
        except services.FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("« %(section)s » enregistré.")
                             % {"section": filing.SECTION_BY_CODE[section].title})
        return redirect(application)
    return render(request, "registry/section_form.html", {
        "application": application, "form": form,
        "section": filing.SECTION_BY_CODE[section],
    })


@login_required
def people(request, reference: str):
    application = _own(request, reference)
    parties = list(application.parties.all())
    people_problems = [p for p in filing.problems(application, parties)
                       if filing.section_of(p.field) == "people"]
    return render(request, "registry/people.html", {
        "application": application, "parties": parties, "problems": people_problems,
        "editable": application.may_edit("people"),
    })


@login_required
def party_edit(request, reference: str, party_id: int | None = None):
    application = _own(request, reference)
    party = get_object_or_404(application.parties, pk=party_id) if party_id else None
    if not application.may_edit("people"):
        messages.error(request, _("Cette partie du dossier ne peut plus être modifiée."))
        return redirect(application)
    form = PartyForm(request.POST or None, instance=party, legal_form=application.legal_form)
    if request.method == "POST" and form.is_valid():
        drafting.save_party(application_id=application.pk, user=request.user,
                            data=form.cleaned_data, party_id=party_id)
        messages.success(request, _("Personne enregistrée."))
        return redirect("registry:people", reference=application.reference)
    return render(request, "registry/party_form.html",
                  {"application": application, "form": form, "party": party})


@require_POST
@login_required
def party_remove(request, reference: str, party_id: int):
    application = _own(request, reference)
    get_object_or_404(application.parties, pk=party_id)
    try:
        drafting.remove_party(application_id=application.pk, user=request.user,
                              party_id=party_id)
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Personne retirée du dossier."))
    return redirect("registry:people", reference=application.reference)


@login_required
def documents(request, reference: str):
    application = _own(request, reference)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                drafting.attach_document(application_id=application.pk, user=request.user,
                                         requirement=request.POST.get("requirement", ""),
                                         uploaded_file=form.cleaned_data["file"])
            except services.FilingError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Pièce enregistrée."))
                return redirect("registry:documents", reference=application.reference)
        else:
            messages.error(request, _("Choisissez un fichier à envoyer."))
    return render(request, "registry/documents.html", {
        "application": application,
        "lines": filing.document_lines(application),
        "editable": application.may_edit("documents"),
        "statutes": application.legal_form in filing.STATUTES_FORMS,
    })


@login_required
def statutes(request, reference: str):
    """Draft statutes (DOCX) from what is filed, to print, sign and upload."""
    application = _own(request, reference)
    if application.legal_form not in filing.STATUTES_FORMS:
        raise Http404
    try:
        data = render_statutes(filing.statutes_facts(application))
    except ValueError as error:
        messages.error(request, _("Les statuts ne peuvent pas encore être rédigés : %(why)s")
                       % {"why": error})
        return redirect("registry:documents", reference=application.reference)
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="statuts-{application.reference}.docx"')
    return response


@login_required
def review(request, reference: str):
    """Check your answers, then sign (request the one-time code)."""
    application = _own(request, reference)
    if not application.is_editable:
        return redirect(application)
    sections, problems, lines = filing.statuses(application)
    form = SignatureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signature.request_signature_code(application_id=application.pk, user=request.user)
        except services.FilingError as error:
            messages.error(request, str(error))
        else:
            return redirect("registry:sign", reference=application.reference)
    return render(request, "registry/review.html", {
        "application": application, "sections": sections, "problems": problems,
        "lines": lines, "parties": application.parties.all(), "form": form,
        "declaration": signature.declaration_text(application, request.user),
        "activity": reference_data.division_for(application.activity_code)
        if application.activity_code else None,
        "area": ", ".join(filter(None, [
            reference_data.prefecture(application.prefecture).name
            if application.prefecture else "",
            reference_data.region(application.region).name if application.region else ""])),
        "missing_documents": filing.missing_documents(lines),
        "fee": _fee(application) if application.state == ApplicationState.DRAFT else None,
    })


@login_required
def sign(request, reference: str):
    application = _own(request, reference)
    if not application.is_editable:
        return redirect(application)
    form = SignatureCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signature.confirm_signature(application_id=application.pk, user=request.user,
                                       code=form.cleaned_data["code"],
                                       ip_address=client_ip(request))
        except services.FilingError as error:
            form.add_error("code", str(error))
        else:
            application.refresh_from_db()
            if application.state == ApplicationState.PENDING_PAYMENT:
                messages.success(request, _("Dossier signé. Réglez les frais : il sera "
                                            "transmis aux services dès le paiement reçu."))
            else:
                messages.success(request, _("Dossier signé et transmis au guichet unique."))
            return redirect(application)
    return render(request, "registry/sign.html", {"application": application, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def application_withdraw(request, reference: str):
    """Abandon a draft or withdraw a filing: a page says what will be lost, then the
    applicant confirms (nothing happens on a POST without the confirmation)."""
    application = _own(request, reference)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        try:
            services.application_withdraw(application_id=application.pk, user=request.user)
        except services.FilingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Votre dossier a été retiré."))
        return redirect(application)
    return render(request, "registry/withdraw_confirm.html", {
        "application": application,
        "is_draft": application.state == ApplicationState.DRAFT,
        "retention_days": settings.PRIVACY_DRAFT_RETENTION_DAYS,
    })


@require_GET
@login_required
def name_check(request):
    """As the applicant types a name (htmx): is it free, similar to others, reserved?

    Each name field of the names page (name_1, name_2, name_3) has its own check, the
    field named by ?champ=; the name is read from that field (or from ?name=)."""
    from .similarity import check_name

    field = request.GET.get("champ", "name_1")
    if field not in ("name_1", "name_2", "name_3"):
        field = "name_1"
    name = request.GET.get(field, request.GET.get("name", ""))
    own = selectors.applications_for(request.user).filter(
        reference=request.GET.get("dossier", "")).first()
    result = (check_name(name, exclude_application_id=own.pk if own else None, public=True)
              if name.strip() else None)
    return render(request, "registry/_name_check.html", {"result": result, "field": field})


@require_GET
@login_required
def activity_search(request):
    query = request.GET.get("q", "")
    return render(request, "registry/_activity_results.html", {
        "query": query,
        "results": reference_data.search_activities(query) if len(query.strip()) >= 2 else [],
    })


@desk_member_required
def staff_document(request, reference: str, document_id: int):
    """A supporting document, opened by a clerk whose desk has a task on the filing:
    downloaded, or with ?apercu=1 (a PDF or an image) shown inline in the task page."""
    application = get_object_or_404(selectors.applications_for_staff(request.user),
                                    reference=reference)
    document = document_selectors.supporting_document_of(application, document_id)
    if document is None:
        raise Http404
    stored = document.stored_file
    if request.GET.get("apercu") == "1" and _previewable(stored.content_type):
        return _inline_preview(stored)
    return _stored_file_response(stored)


def _previewable(content_type: str) -> bool:
    return content_type == "application/pdf" or content_type.startswith("image/")


@xframe_options_sameorigin
def _inline_preview(stored) -> FileResponse:
    """Inline, and framable by this site's own pages only (the task page's preview).

    Set here, so SecurityHeadersMiddleware's setdefault keeps it: the site's policy with
    frame-ancestors 'self' instead of 'none'."""
    response = _stored_file_response(stored, as_attachment=False)
    directives = [directive.strip()
                  for directive in settings.SECURITY_CONTENT_SECURITY_POLICY.split(";")
                  if directive.strip() and not directive.strip().startswith("frame-ancestors")]
    response.headers["Content-Security-Policy"] = "; ".join(
        [*directives, "frame-ancestors 'self'"])
    return response


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
    try:
        extract = services.issue_rccm_extract(company=company)
    except services.FilingError as error:
        messages.error(request, str(error))
        return redirect("registry:application", reference=reference)
    return _pdf_response(extract.stored_file)


def _pdf_response(stored):
    return _stored_file_response(stored, content_type="application/pdf")


def _stored_file_response(stored, *, as_attachment: bool = True,
                          content_type: str | None = None) -> FileResponse:
    """A kept file, read in clear, under its original name."""
    return FileResponse(stored.file.open("rb"), as_attachment=as_attachment,
                        filename=stored.original_name,
                        content_type=content_type or stored.content_type)


# --- the registrar's tools: the register's documents, revocation --------------------------

REGISTRAR_DESK = "greffier"


def _require_desk(request, code: str) -> None:
    """Members of the desk `code` only: other desks' clerks are refused (403)."""
    if not workflow_selectors.desks_of(request.user).filter(code=code).exists():
        raise PermissionDenied


def _require_registrar(request) -> None:
    """Revocation is the registrar's alone: other desks' clerks are refused (403)."""
    _require_desk(request, REGISTRAR_DESK)


def _registered_company(reference: str) -> Company:
    return get_object_or_404(Company.objects.select_related("application", "certificate"),
                             application__reference=reference)


@require_GET
@desk_member_required
def register_search(request):
    """The registrar finds a registered company by its RCCM number or its file number."""
    _require_registrar(request)
    query = " ".join(request.GET.get("q", "").split())
    company = None
    if query:
        company = Company.objects.filter(rccm_number__iexact=query).first() or \
            Company.objects.filter(application__reference__iexact=query).first()
        if company is not None:
            return redirect("registry:company_register",
                            reference=company.application.reference)
    return render(request, "registry/register_search.html",
                  {"query": query, "not_found": bool(query)})


@require_GET
@desk_member_required
def company_register(request, reference: str):
    """A registered company's documents (certificate, extracts), each with its status."""
    _require_registrar(request)
    company = _registered_company(reference)
    return render(request, "registry/company_register.html", {
        "company": company,
        "documents": selectors.documents_of_company(company),
        "progress": selectors.certificate_progress(company),
        "reissue_reasons": [(code, label) for code, label in services.REISSUE_REASONS.items()],
    })


@require_POST
@desk_member_required
def reissue_certificate(request, reference: str):
    """The registrar issues the certificate again from the register as it now is (after a
    correction): a first POST asks for confirmation, the second (confirm=1) does it."""
    _require_registrar(request)
    company = _registered_company(reference)
    reason_code = request.POST.get("reason", "")
    if reason_code not in services.REISSUE_REASONS:
        messages.error(request, _("Choisissez le motif de la réémission."))
        return redirect("registry:company_register", reference=reference)
    if request.POST.get("confirm") != "1":
        return render(request, "registry/reissue_confirm.html", {
            "company": company, "reason_code": reason_code,
            "reason": services.REISSUE_REASONS[reason_code]})
    try:
        services.reissue_certificate(company=company, reason_code=reason_code,
                                     actor=request.user)
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Le certificat en vigueur est révoqué comme remplacé ; "
                                    "le nouveau certificat est en préparation."))
    return redirect("registry:company_register", reference=reference)


@desk_member_required
def revoke_document(request, reference: str, document_id: int):
    """Revoke a certificate or an extract: choose the reason, then confirm what will happen."""
    _require_registrar(request)
    company = _registered_company(reference)
    document = next((doc for doc in selectors.documents_of_company(company)
                     if doc.pk == document_id), None)
    if document is None:
        raise Http404
    form = RevocationForm(request.POST or None)
    confirming = False
    if request.method == "POST" and form.is_valid() and not document.is_revoked:
        if request.POST.get("confirm") == "1":
            try:
                services.revoke_company_document(
                    company=company, document_id=document.pk,
                    reason_code=form.cleaned_data["reason"],
                    public_reason=form.cleaned_data["public_reason"], actor=request.user)
            except (services.FilingError, DocumentError) as error:
                messages.error(request, str(error))
                return redirect("registry:company_register", reference=reference)
            messages.success(request, _("Document révoqué : la vérification publique "
                                        "l'indique désormais."))
            return redirect("registry:company_register", reference=reference)
        confirming = True
    elif request.method == "POST" and document.is_revoked:
        messages.error(request, _("Ce document est déjà révoqué."))
        return redirect("registry:company_register", reference=reference)
    return render(request, "registry/revoke_document.html", {
        "company": company,
        "document": document,
        "is_certificate": document.pk == company.certificate_id,
        "form": form,
        "confirming": confirming,
        "reason_label": services.REVOCATION_REASONS.get(form.cleaned_data["reason"])
        if confirming else "",
    }, status=200)


# The register's figures, as a CSV download: ?format=csv&figure=<one of these>.
STATISTICS_CSV = {
    "formes": (selectors.registrations_by_legal_form, "Forme juridique"),
    "regions": (selectors.registrations_by_region, "Région"),
}


@require_GET
@manager_or_member_required
def registration_statistics(request):
    """Companies registered per legal form and per region: counts only, for desk members
    and managers, linked from the back office's dashboard."""
    if request.GET.get("format") == "csv":
        if request.GET.get("figure") not in STATISTICS_CSV:
            raise Http404
        read, label = STATISTICS_CSV[request.GET["figure"]]
        return figures.csv_response(
            f"immatriculations-{request.GET['figure']}.csv",
            [_(label), _("Code"), _("Entreprises immatriculées")],
            [[row.label, row.code, row.count] for row in read()])
    by_form = selectors.registrations_by_legal_form()
    by_region = selectors.registrations_by_region()
    return render(request, "registry/registration_statistics.html", {
        "by_form": by_form,
        "by_region": by_region,
        "total": sum(row.count for row in by_form),
        "form_chart": charts.bar_chart(
            _("Immatriculations par forme juridique"),
            [charts.Bar(row.code, row.count) for row in by_form]),
        "region_chart": charts.bar_chart(
            _("Immatriculations par région"),
            [charts.Bar(row.label, row.count) for row in by_region],
            colour=charts.COLOURS[2]),
    })


# --- After registration: the documents due later (criminal-record extracts) --------------

GREFFE_DESK = "greffe"


@require_POST
@login_required
def later_document_upload(request, reference: str):
    """The owner uploads a document due after registration, from the filing's page."""
    application = _own(request, reference)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choisissez un fichier à envoyer."))
        return redirect(application)
    try:
        services.attach_later_document(application_id=application.pk, user=request.user,
                                       requirement=request.POST.get("requirement", ""),
                                       uploaded_file=form.cleaned_data["file"])
    except services.FilingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Pièce enregistrée."))
    return redirect(application)


@require_GET
@desk_member_required
def overdue_extracts(request):
    """The court registry (greffe) sees the companies whose criminal-record extracts are
    past due: company, RCCM number, due date, days late; keyset pages (?apres=<id>)."""
    _require_desk(request, GREFFE_DESK)
    try:
        after = int(request.GET["apres"]) if request.GET.get("apres") else None
    except ValueError:
        after = None
    page = selectors.overdue_extracts(after=after)
    return render(request, "registry/overdue_extracts.html", {"page": page, "after": after})
