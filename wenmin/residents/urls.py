from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "residents"
urlpatterns: list[URLPattern | URLResolver] = []
