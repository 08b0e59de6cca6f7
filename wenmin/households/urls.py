from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.households import views

app_name = "households"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.household_list, name="list"),
    path("new/", views.household_create, name="create"),
    path("export/", views.household_export, name="export"),
    path("<int:household_id>/", views.household_detail, name="detail"),
    path("<int:household_id>/edit/", views.household_edit, name="edit"),
    path("<int:household_id>/address/", views.household_reveal_address, name="reveal_address"),
    path("<int:household_id>/members/", views.household_member_add, name="member_add"),
    path(
        "<int:household_id>/members/<int:person_id>/remove/",
        views.household_member_remove,
        name="member_remove",
    ),
    path("<int:household_id>/care/", views.household_care, name="care"),
]
