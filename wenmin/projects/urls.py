from __future__ import annotations

from django.urls import path

from wenmin.projects import views, views_overview

app_name = "projects"

urlpatterns = [
    path("", views.register, name="home"),
    path("new/", views.project_new, name="new"),
    path("dashboard/", views_overview.dashboard_page, name="dashboard"),
    path("tasks/fast/", views_overview.fast_tasks, name="fast_tasks"),
    path("bulletin/", views_overview.bulletin_page, name="bulletin"),
    path("bulletin.xlsx", views_overview.bulletin_xlsx, name="bulletin_xlsx"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/edit/", views.project_edit, name="edit"),
    path("<int:project_id>/plan/", views.project_plan, name="plan"),
    path("<int:project_id>/status/", views.project_status, name="status"),
    path("<int:project_id>/report/", views.project_report, name="report"),
    path("<int:project_id>/cases/link/", views.project_case_link, name="case_link"),
    path("public/", views_overview.public_list, name="public_list"),
    path("public/<int:project_id>/", views_overview.public_page, name="public"),
    path("photo/<int:photo_id>/", views_overview.photo, name="photo"),
]
