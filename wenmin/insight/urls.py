from __future__ import annotations

from django.urls import path

from wenmin.insight import views

app_name = "insight"
urlpatterns = [
    path("", views.home, name="home"),
    path("suggestions/", views.listed, name="listed"),
    path("cases/<str:case_id>/apply/", views.apply, name="apply"),
    path("cases/<str:case_id>/merge/<str:primary_id>/", views.merge, name="merge"),
]
