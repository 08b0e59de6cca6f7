from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.wechat import views

app_name = "wechat"
urlpatterns: list[URLPattern | URLResolver] = [
    path("callback/<str:callback_key>/", views.callback, name="callback"),
]
