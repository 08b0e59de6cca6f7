from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.deeds import views

app_name = "deeds"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("list/", views.deed_list, name="list"),
    path("export/", views.export, name="export"),
    path("new/", views.deed_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:deed_id>/", views.deed_detail, name="detail"),
    path("<int:deed_id>/confirm/", views.deed_confirm, name="confirm"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("from-need/<int:need_id>/", views.from_need, name="from_need"),
]
