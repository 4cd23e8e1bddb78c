from django.urls import path

from . import views

app_name = "amendments"

urlpatterns = [
    path("", views.index, name="index"),
    path("entreprise/<str:reference>/", views.start, name="start"),
    path("entreprise/<str:reference>/mandataires/", views.filers, name="filers"),
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/modification/", views.edit, name="edit"),
    path("<str:reference>/pieces/", views.documents, name="documents"),
    path("<str:reference>/signer/", views.sign, name="sign"),
    path("<str:reference>/retirer/", views.withdraw, name="withdraw"),
    path("<str:reference>/extrait-rccm.pdf", views.extract, name="extract"),
    path("<str:reference>/pieces/<int:document_id>/consulter/", views.staff_document,
         name="staff_document"),
]
