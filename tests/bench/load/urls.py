"""The site's URLs and the load test's baseline view."""

from django.shortcuts import get_object_or_404, render
from django.urls import include, path

from registry.models import Company


def baseline(request, pk: int):
    """One indexed query (a company by primary key), one small template: the floor any page
    of this server stands on."""
    company = get_object_or_404(Company.objects.only("pk", "name", "rccm_number"), pk=pk)
    return render(request, "bench/baseline.html", {"company": company})


urlpatterns = [
    path("bench/baseline/<int:pk>/", baseline, name="bench_baseline"),
    path("", include("config.urls")),
]
