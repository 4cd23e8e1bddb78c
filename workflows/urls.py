from django.urls import path

from . import views

app_name = "workflows"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tache-suivante/", views.take_next, name="take_next"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("taches/<int:task_id>/", views.task_detail, name="task"),
    path("taches/<int:task_id>/<slug:action>/", views.task_action, name="task_action"),
]
