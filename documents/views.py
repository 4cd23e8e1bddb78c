"""Public verification pages: by code (the QR code's link) and by uploading the PDF."""

from __future__ import annotations

from django.shortcuts import redirect, render

from . import codes, selectors, verification
from .forms import (
    VerificationCodeForm,
    VerificationUploadForm,
    declared_body_too_large,
    too_large_message,
)


def verify_code(request, code: str):
    document = selectors.issued_document_by_code(code)
    return render(request, "documents/verify_code.html",
                  {"document": document, "code": code},
                  status=200 if document else 404)


def verify_upload(request):
    """Verify a document: upload its PDF (POST), or type its code (GET ?code=…), which
    leads to the code's own page once it is well-formed."""
    typed = request.method == "GET" and "code" in request.GET
    code_form = VerificationCodeForm(request.GET if typed else None)
    if code_form.is_bound and code_form.is_valid():
        return redirect("documents:verify_code",
                        code=codes.grouped(code_form.cleaned_data["code"]))
    if request.method == "POST" and declared_body_too_large(request):
        return render(request, "documents/verify_upload.html",
                      {"form": VerificationUploadForm(), "code_form": code_form,
                       "refusal": too_large_message()},
                      status=413)
    verdict = None
    if request.method == "POST":
        form = VerificationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = verification.verify_pdf(form.cleaned_data["document"])
    else:
        form = VerificationUploadForm()
    return render(request, "documents/verify_upload.html",
                  {"form": form, "code_form": code_form, "verdict": verdict})
