from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.residents import views

app_name = "residents"
urlpatterns: list[URLPattern | URLResolver] = [
    path("verify/", views.verify, name="verify"),
    path("me/", views.me, name="me"),
]
