from __future__ import annotations

from django.urls import path

from wenmin.cases import views_case, views_export, views_staff

app_name = "cases"
urlpatterns = [
    path("", views_staff.workbench, name="workbench"),
    path("supervision/", views_staff.supervision, name="supervision"),
    path("new/", views_staff.case_new, name="case_new"),
    path("bulk/", views_staff.bulk, name="bulk"),
    path("export/", views_export.case_export, name="export"),
    path("<int:case_id>/", views_staff.case_detail, name="case_detail"),
    path("<int:case_id>/act/<str:action>/", views_staff.case_act, name="case_act"),
    path(
        "<int:case_id>/acknowledgement/",
        views_case.case_acknowledgement,
        name="case_acknowledgement",
    ),
    path("attachments/<int:attachment_id>/", views_staff.attachment_download, name="attachment"),
]
