"""The register's public face: what the public, journalists, banks and other agencies see.
Public facts only: never a personal field beyond what the law makes public."""
from django.urls import path, re_path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.search, name="search"),
    # RCCM numbers are capitals, digits and hyphens (TG-LOM-2026-B-00042).
    re_path(r"^(?P<rccm_number>[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)/$", views.company,
            name="company"),
]
