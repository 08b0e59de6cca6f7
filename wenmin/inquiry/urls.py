"""问政: the portal's reception days and mailboxes; the leaders' offices' desk."""

from __future__ import annotations

from django.urls import path

from wenmin.inquiry import views_desk, views_portal

app_name = "inquiry"
urlpatterns = [
    path("", views_portal.leaders, name="leaders"),
    path("days/<int:day_id>/", views_portal.day_page, name="day"),
    path("slots/<int:slot_id>/book/", views_portal.book, name="book"),
    path("mine/", views_portal.mine, name="mine"),
    path("bookings/<int:booking_id>/cancel/", views_portal.cancel, name="cancel"),
    path("mailbox/<int:mailbox_id>/", views_portal.mailbox, name="mailbox"),
    path("desk/", views_desk.desk, name="desk"),
    path("desk/days/new/", views_desk.day_new, name="day_new"),
    path("desk/days/<int:day_id>/", views_desk.day_detail, name="desk_day"),
    path("desk/days/<int:day_id>/publish/", views_desk.day_publish, name="day_publish"),
    path("desk/days/<int:day_id>/record/", views_desk.reception_new, name="reception_new"),
    path(
        "desk/bookings/<int:booking_id>/no-show/",
        views_desk.booking_no_show,
        name="booking_no_show",
    ),
    path("desk/visits/", views_desk.visits, name="visits"),
    path("desk/visits/new/", views_desk.visit_new, name="visit_new"),
    path("desk/inbox/", views_desk.inbox, name="inbox"),
    path("desk/leaders/<int:leader_id>/", views_desk.leader, name="leader"),
    path("desk/leaders/<int:leader_id>/mailbox/", views_desk.leader_mailbox, name="leader_mailbox"),
    path("desk/leaders/<int:leader_id>/cases/", views_desk.leader_cases, name="leader_cases"),
]
