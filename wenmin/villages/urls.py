from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.villages import views, views_import, views_report

app_name = "villages"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("indicators/<int:indicator_id>/", views.indicator_detail, name="indicator_detail"),
    path("records/", views.records, name="records"),
    path("targets/", views.targets, name="targets"),
    path("targets/edit/", views_report.targets_edit, name="targets_edit"),
    path("report/", views_report.report_new, name="report_new"),
    path("reports/", views_report.reports, name="reports"),
    path("reports/<int:report_id>/", views_report.report_detail, name="report_detail"),
    path("photos/<int:photo_id>/", views_report.photo, name="photo"),
    path("import/", views_import.import_reports, name="import"),
    path("import/template/", views_import.import_template, name="import_template"),
]
