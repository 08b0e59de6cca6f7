from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.branchlife import views, views_away, views_config, views_meeting, views_member

app_name = "branchlife"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("grid/", views.grid, name="grid"),
    path("report/", views.report, name="report"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("branches/<int:branch_id>/", views.branch, name="branch"),
    path(
        "branches/<int:branch_id>/<int:year>/<int:month>/",
        views.branch_month,
        name="branch_month",
    ),
    path("away/", views_away.register, name="away"),
    path("away/<int:away_id>/end/", views_away.away_end, name="away_end"),
    path("branches/<int:branch_id>/away/", views_away.branch_register, name="branch_away"),
    path("branches/<int:branch_id>/life-day/", views_config.life_day, name="life_day"),
    path("branches/<int:branch_id>/ledger/<int:year>/", views.ledger_page, name="ledger"),
    path("branches/<int:branch_id>/new/", views_meeting.meeting_new, name="meeting_new"),
    path("meetings/<int:meeting_id>/", views_meeting.meeting, name="meeting"),
    path("meetings/<int:meeting_id>/start/", views_meeting.meeting_start, name="meeting_start"),
    path("meetings/<int:meeting_id>/record/", views_meeting.meeting_record, name="meeting_record"),
    path("meetings/<int:meeting_id>/close/", views_meeting.meeting_close, name="meeting_close"),
    path("meetings/<int:meeting_id>/tick/", views_meeting.attendance_tick, name="tick"),
    path("meetings/<int:meeting_id>/photos/", views_meeting.photos_add, name="photos_add"),
    path("meetings/<int:meeting_id>/outcomes/", views_meeting.outcome_open, name="outcome_open"),
    path("meetings/<int:meeting_id>/qr/", views_meeting.meeting_qr, name="qr"),
    path("meetings/<int:meeting_id>/leave/", views_member.leave_request, name="leave_request"),
    path("leave/<int:leave_id>/decide/", views_meeting.leave_decide, name="leave_decide"),
    path("signin/<str:code>/", views_member.signin, name="signin"),
    path("mine/", views_member.mine, name="mine"),
    path("types/", views_config.types, name="types"),
    path("types/<int:type_id>/", views_config.type_edit, name="type_edit"),
    path("themes/", views_config.themes, name="themes"),
    path("themes/materials/<int:material_id>/", views_config.material, name="material"),
]
