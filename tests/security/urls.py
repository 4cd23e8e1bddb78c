"""The site's URLs plus views that fail on purpose, for the error pages."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def refuse(request):
    raise PermissionDenied("internal reason that must not be shown")


def malformed(request):
    raise BadRequest("internal reason that must not be shown")


def crash(request):
    raise RuntimeError("internal reason that must not be shown")


urlpatterns = [
    path("essai/403/", refuse),
    path("essai/400/", malformed),
    path("essai/500/", crash),
    *site_urlpatterns,
]
