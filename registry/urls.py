from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.application_list, name="applications"),
    path("nouveau/", views.application_create, name="application_create"),
    path("<str:reference>/", views.application_detail, name="application"),
    path("<str:reference>/modifier/", views.application_edit, name="application_edit"),
    path("<str:reference>/soumettre/", views.application_submit, name="application_submit"),
    path("<str:reference>/retirer/", views.application_withdraw, name="application_withdraw"),
    path("<str:reference>/certificat/", views.certificate_download, name="certificate"),
    path("<str:reference>/extrait-rccm/", views.rccm_extract, name="rccm_extract"),
]
