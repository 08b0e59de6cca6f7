from __future__ import annotations

from django.urls import path

from wenmin.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("<int:group_id>/", views.group_page, name="group"),
    path("<int:group_id>/paste/", views.group_paste, name="paste"),
    path("<int:group_id>/upload/", views.group_upload, name="upload"),
    path("<int:group_id>/cases/", views.group_open_cases, name="open_cases"),
]
