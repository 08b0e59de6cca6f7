from __future__ import annotations

from django.urls import path

from wenmin.organisation import views_volunteer

app_name = "volunteer"
urlpatterns = [path("", views_volunteer.volunteer_home, name="home")]
