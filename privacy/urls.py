from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("comptes/mes-donnees/", views.my_data, name="my_data"),
    path("comptes/mes-donnees/telecharger/", views.download, name="download"),
    path("comptes/mes-donnees/rectification/", views.correction, name="correction"),
    path("comptes/mes-donnees/fermer/", views.close_account, name="close_account"),
    path("guichet/acces-aux-donnees/", views.access_log, name="access_log"),
]
