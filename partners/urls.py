from django.urls import path

from .api import views

app_name = "partners"

urlpatterns = [
    path("v1/schema/", views.Schema.as_view(), name="schema"),
    path("v1/companies/", views.CompanyList.as_view(), name="companies"),
    path("v1/companies/<str:rccm>/", views.CompanyDetail.as_view(), name="company"),
    path("v1/registrations/", views.RegistrationFeed.as_view(), name="registrations"),
    path("v1/desk/filings/", views.DeskTaskList.as_view(), name="desk_filings"),
    path("v1/desk/filings/<str:reference>/nif/", views.FilingNif.as_view(), name="filing_nif"),
    path("v1/desk/filings/<str:reference>/employer-number/",
         views.FilingEmployerNumber.as_view(), name="filing_employer_number"),
]
