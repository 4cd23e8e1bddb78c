from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.application_list, name="applications"),
    path("nouveau/", views.application_start, name="application_create"),
    path("verifier-nom/", views.name_check, name="name_check"),
    path("activites/", views.activity_search, name="activity_search"),
    path("registre/", views.register_search, name="register_search"),
    path("statistiques/", views.registration_statistics, name="registration_statistics"),
    path("extraits-en-retard/", views.overdue_extracts, name="overdue_extracts"),
    path("<str:reference>/", views.application_detail, name="application"),
    path("<str:reference>/partie/<slug:section>/", views.section_edit, name="section"),
    path("<str:reference>/personnes/", views.people, name="people"),
    path("<str:reference>/personnes/ajouter/", views.party_edit, name="party_add"),
    path("<str:reference>/personnes/<int:party_id>/", views.party_edit, name="party_edit"),
    path("<str:reference>/personnes/<int:party_id>/retirer/", views.party_remove,
         name="party_remove"),
    path("<str:reference>/pieces/", views.documents, name="documents"),
    path("<str:reference>/statuts.docx", views.statutes, name="statutes"),
    path("<str:reference>/verifier/", views.review, name="review"),
    path("<str:reference>/signer/", views.sign, name="sign"),
    path("<str:reference>/retirer/", views.application_withdraw, name="application_withdraw"),
    path("<str:reference>/certificat/", views.certificate_download, name="certificate"),
    path("<str:reference>/pieces/<int:document_id>/consulter/", views.staff_document,
         name="staff_document"),
    path("<str:reference>/pieces-apres-immatriculation/", views.later_document_upload,
         name="later_document_upload"),
    path("<str:reference>/extrait-rccm/", views.rccm_extract, name="rccm_extract"),
    path("<str:reference>/registre/", views.company_register, name="company_register"),
    path("<str:reference>/registre/<int:document_id>/revoquer/", views.revoke_document,
         name="revoke_document"),
    path("<str:reference>/registre/reemettre/", views.reissue_certificate,
         name="reissue_certificate"),
]
