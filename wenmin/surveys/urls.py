from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.surveys import views, views_answer, views_needs, views_results, views_visit

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("new/", views.form_new, name="form_new"),
    path("<int:survey_id>/", views.form_detail, name="form_detail"),
    path("<int:survey_id>/versions/new/", views.version_draft, name="version_draft"),
    path("<int:survey_id>/plans/new/", views.plan_new, name="plan_new"),
    path("versions/<int:version_id>/questions/", views.question_add, name="question_add"),
    path("versions/<int:version_id>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:version_id>/retire/", views.version_retire, name="version_retire"),
    path("plans/<int:plan_id>/", views_results.plan_results, name="plan_results"),
    path("plans/<int:plan_id>/households/", views_results.plan_households, name="plan_households"),
    path("plans/<int:plan_id>/visits/", views_results.plan_visits, name="plan_visits"),
    path("plans/<int:plan_id>/needs/", views_results.plan_needs, name="plan_needs"),
    path("plans/<int:plan_id>/residents/", views_needs.plan_residents, name="plan_residents"),
    path("plans/<int:plan_id>/export/", views_results.plan_export, name="plan_export"),
    path("results/visits/<int:visit_id>/", views_results.visit_detail, name="visit_detail"),
    path("visits/", views_visit.my_visits, name="my_visits"),
    path("visits/<int:assignment_id>/", views_visit.visit_new, name="visit_new"),
    path("visits/done/<int:visit_id>/", views_visit.visit_done, name="visit_done"),
    path("answer/<int:plan_id>/", views_answer.answer, name="answer"),
    path("answers/mine/", views_answer.my_answers, name="my_answers"),
    path("needs/waiting/", views_needs.needs_waiting, name="needs_waiting"),
    path("needs/<int:need_id>/resolve/", views_needs.need_resolve, name="need_resolve"),
]
