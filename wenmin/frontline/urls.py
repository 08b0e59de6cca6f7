from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.frontline import views, views_dossier

app_name = "frontline"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("inspections/new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:inspection_id>/", views.inspection, name="inspection"),
    path("inspections/<int:inspection_id>/edit/", views.inspection_edit, name="inspection_edit"),
    path("cadres/<int:person_id>/", views_dossier.cadre, name="cadre"),
    path(
        "cadres/<int:person_id>/records/<slug:section>/<slug:figure>/",
        views_dossier.records,
        name="records",
    ),
    path("lists/", views_dossier.lists, name="lists"),
    path("report/cadre/<int:person_id>/", views_dossier.report_cadre, name="report_cadre"),
    path("report/unit/<int:unit_id>/", views_dossier.report_unit, name="report_unit"),
]
