"""Public verification pages: by code (the QR code's link) and by uploading the PDF."""

from __future__ import annotations

from django.shortcuts import render

from . import selectors, verification
from .forms import VerificationUploadForm, declared_body_too_large, too_large_message


def verify_code(request, code: str):
    document = selectors.issued_document_by_code(code)
    return render(request, "documents/verify_code.html",
                  {"document": document, "code": code},
                  status=200 if document else 404)


def verify_upload(request):
    if request.method == "POST" and declared_body_too_large(request):
        return render(request, "documents/verify_upload.html",
                      {"form": VerificationUploadForm(), "refusal": too_large_message()},
                      status=413)
    verdict = None
    if request.method == "POST":
        form = VerificationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            verdict = verification.verify_pdf(form.cleaned_data["document"])
    else:
        form = VerificationUploadForm()
    return render(request, "documents/verify_upload.html", {"form": form, "verdict": verdict})
