from __future__ import annotations

from django.urls import path

from wenmin.organisation import views, views_excel

app_name = "organisation"
urlpatterns = [
    path("", views.home, name="home"),
    path("tree/<int:region_id>/", views.tree_children, name="tree_children"),
    path("regions/<int:region_id>/", views.region_detail, name="region_detail"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("pick/<str:kind>/", views.pick, name="pick"),
    path("people/", views.people_search, name="people_search"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/reveal/<str:field>/", views.person_reveal, name="person_reveal"),
    path("excel/", views_excel.excel_home, name="excel_home"),
    path("excel/export/<str:sheet>/", views_excel.excel_export, name="excel_export"),
    path("excel/import/<str:sheet>/", views_excel.excel_import, name="excel_import"),
]
