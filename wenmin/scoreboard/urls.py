from __future__ import annotations

from django.urls import path

from wenmin.scoreboard import views, views_appeals, views_figures, views_overall

app_name = "scoreboard"
urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("lists/", views.lists_page, name="lists"),
    path("overall/", views_overall.overall_page, name="overall"),
    path("evidence/", views_overall.evidence_page, name="evidence"),
    path("indicators/", views_overall.indicators_page, name="indicators"),
    path("appeals/record/", views_overall.record_appeal_new, name="record_appeal_new"),
    path("bulletin/", views.bulletin_page, name="bulletin"),
    path("card/<str:group>/<int:pk>/", views.scorecard_page, name="scorecard"),
    path("figure/", views_figures.figure_page, name="figure"),
    path("dossier/<int:person_id>/", views.dossier_page, name="dossier"),
    path("appeals/", views_appeals.appeals_page, name="appeals"),
    path("appeals/new/", views_appeals.appeal_new, name="appeal_new"),
    path("appeals/<int:appeal_id>/", views_appeals.appeal_detail, name="appeal_detail"),
    path(
        "appeals/<int:appeal_id>/evidence/",
        views_appeals.appeal_evidence,
        name="appeal_evidence",
    ),
]
