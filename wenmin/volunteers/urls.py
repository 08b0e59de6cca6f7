from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.volunteers import views_certificates, views_phone, views_teams

app_name = "volunteers"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_phone.me, name="me"),
    path("register/", views_phone.register, name="register"),
    path("hours/", views_phone.hours, name="hours"),
    path("activities/<int:activity_id>/", views_phone.activity, name="activity"),
    path("activities/<int:activity_id>/sign-up/", views_phone.sign_up, name="sign_up"),
    path("scan/<str:checkin_token>/", views_phone.scan, name="scan"),
    path("certificates/new/", views_certificates.certificate_issue, name="certificate_issue"),
    path("certificates/<int:certificate_id>/", views_certificates.certificate, name="certificate"),
    path(
        "certificates/<int:certificate_id>/pdf/",
        views_certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "certificates/<int:certificate_id>/revoke/",
        views_teams.certificate_revoke,
        name="certificate_revoke",
    ),
    path("verify/", views_certificates.verify_lookup, name="verify_lookup"),
    path("verify/<str:certificate_number>/", views_certificates.verify, name="verify"),
    path("teams/", views_teams.teams, name="teams"),
    path("teams/<int:team_id>/", views_teams.team, name="team"),
    path("teams/<int:team_id>/members/", views_teams.team_members, name="team_members"),
    path(
        "teams/<int:team_id>/members/new/",
        views_teams.team_member_register,
        name="team_member_register",
    ),
    path("activities/new/", views_teams.activity_new, name="activity_new"),
    path(
        "activities/<int:activity_id>/manage/",
        views_teams.activity_manage,
        name="activity_manage",
    ),
    path("activities/<int:activity_id>/qr/", views_teams.activity_qr, name="activity_qr"),
    path(
        "activities/<int:activity_id>/confirm/",
        views_teams.hours_confirm,
        name="hours_confirm",
    ),
    path(
        "participations/<int:participation_id>/correct/",
        views_teams.hours_correct,
        name="hours_correct",
    ),
]
