"""问计: villagers' councils, proposals and the 四议两公开 decisions."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.councils import views, views_staff

app_name = "councils"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.proposal_list, name="proposal_list"),
    path("new/", views.proposal_new, name="proposal_new"),
    path("mine/", views.my_supports, name="my_supports"),
    path("<int:proposal_id>/", views.proposal_detail, name="proposal_detail"),
    path("<int:proposal_id>/support/", views.proposal_support, name="proposal_support"),
    path("<int:proposal_id>/comment/", views.comment_post, name="comment_post"),
    path("<int:proposal_id>/objection/", views.objection_file, name="objection_file"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("staff/", views_staff.home, name="home"),
    path("staff/proposals/", views_staff.proposals, name="proposals"),
    path("staff/promote/", views_staff.promote, name="promote"),
    path("staff/councils/new/", views_staff.council_new, name="council_new"),
    path("staff/councils/<int:council_id>/", views_staff.council_detail, name="council_detail"),
    path("staff/councils/<int:council_id>/members/", views_staff.member_add, name="member_add"),
    path("staff/members/<int:council_member_id>/end/", views_staff.member_end, name="member_end"),
    path("staff/<int:proposal_id>/", views_staff.proposal_manage, name="proposal_manage"),
    path("staff/<int:proposal_id>/meeting/", views_staff.meeting_record, name="meeting_record"),
    path("staff/<int:proposal_id>/adjourn/", views_staff.meeting_adjourn, name="meeting_adjourn"),
    path("staff/<int:proposal_id>/publish/", views_staff.decision_publish, name="decision_publish"),
    path("staff/<int:proposal_id>/send/", views_staff.send_to_projects, name="send_to_projects"),
    path("staff/<int:proposal_id>/result/", views_staff.result_publish, name="result_publish"),
    path("staff/<int:proposal_id>/withdraw/", views_staff.withdraw, name="withdraw"),
    path(
        "staff/comments/<int:comment_id>/moderate/",
        views_staff.comment_moderate,
        name="comment_moderate",
    ),
    path(
        "staff/objections/<int:objection_id>/answer/",
        views_staff.objection_answer,
        name="objection_answer",
    ),
]
