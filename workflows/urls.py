from django.urls import path

from . import views
from .views.dashboard import dashboard_csv

app_name = "workflows"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("tache-suivante/", views.take_next, name="take_next"),
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("tableau-de-bord/<slug:figure>.csv", dashboard_csv, name="dashboard_csv"),
    path("taches/<int:task_id>/", views.task_detail, name="task"),
    path("taches/<int:task_id>/notes/", views.tasks.task_note, name="task_note"),
    path("taches/<int:task_id>/<slug:action>/", views.task_action, name="task_action"),
    path("supervision/", views.supervision_index, name="supervision"),
    path("supervision/<slug:desk_code>/", views.supervision, name="supervision_desk"),
    path("supervision/<slug:desk_code>/taches/<int:task_id>/<slug:action>/",
         views.supervision_task_action, name="supervision_task_action"),
    path("supervision/<slug:desk_code>/agents/<int:user_id>/absence/", views.member_absence,
         name="member_absence"),
    path("supervision/<slug:desk_code>/agents/<int:user_id>/double-authentification/",
         views.member_second_factor, name="member_second_factor"),
    path("mon-absence/", views.my_absence, name="my_absence"),
]
