from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.topics import views, views_map

app_name = "topics"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("hotspots/<int:hotspot_id>/", views.hotspot, name="hotspot"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:candidate_id>/cases/", views.candidate_cases, name="candidate_cases"),
    path("pick/", views.pick, name="pick"),
    path("<int:topic_id>/", views.topic, name="topic"),
    path("<int:topic_id>/link/", views.topic_link, name="topic_link"),
    path("<int:topic_id>/unlink/", views.topic_unlink, name="topic_unlink"),
    path("<int:topic_id>/project/", views.topic_project, name="topic_project"),
    path("map/", views_map.map_page, name="map"),
    path("map/data/", views_map.map_data, name="map_data"),
]
