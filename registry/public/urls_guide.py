"""The procedure guide, the open data and the public statistics (included at the root)."""

from django.urls import path

from . import views_guide

app_name = "guide"

urlpatterns = [
    path("guide/", views_guide.guide_index, name="index"),
    path("guide/<str:legal_form>/", views_guide.guide_detail, name="detail"),
    path("donnees-ouvertes/", views_guide.open_data, name="open_data"),
    path("donnees-ouvertes/telecharger/<str:name>", views_guide.open_data_download,
         name="open_data_download"),
    path("statistiques/", views_guide.public_statistics, name="statistics"),
]
