from __future__ import annotations

from django.urls import path

from wenmin.cases import views_portal

app_name = "portal"
urlpatterns = [
    path("", views_portal.submit, name="submit"),
    path("mine/", views_portal.mine, name="mine"),
    path("submitted/<str:code>/", views_portal.submitted, name="submitted"),
    path("track/", views_portal.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views_portal.track, name="track"),
    path("track/<str:code>/rate/", views_portal.rate, name="rate"),
    path("r/<str:token>/", views_portal.rate_link, name="rate_link"),
]
