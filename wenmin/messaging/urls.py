from __future__ import annotations

from django.urls import path

from wenmin.messaging import views

app_name = "messaging"
urlpatterns = [
    path("sms/<slug:gateway>/", views.sms_inbound, name="sms_inbound"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path(
        "notifications/<int:notification_id>/read/",
        views.notification_read,
        name="notification_read",
    ),
]
