from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from wenmin.points import views, views_rules

app_name = "points"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("mine/evidence/", views.mine_evidence, name="mine_evidence"),
    path("member/<int:person_id>/", views.member, name="member"),
    path("member/<int:person_id>/evidence/", views.member_evidence, name="member_evidence"),
    path("member/<int:person_id>/adjust/", views.adjust, name="adjust"),
    path(
        "member/<int:person_id>/adjustments/<int:adjustment_id>/withdraw/",
        views.withdraw,
        name="withdraw",
    ),
    path("rules/", views_rules.rules, name="rules"),
    path("rules/<int:year>/", views_rules.year_save, name="year_save"),
    path("rules/<int:year>/copy/", views_rules.year_copy, name="year_copy"),
    path("rules/<int:year>/new/", views_rules.rule_new, name="rule_new"),
    path("rules/rule/<int:rule_id>/", views_rules.rule_edit, name="rule_edit"),
    path("rules/rule/<int:rule_id>/remove/", views_rules.rule_remove, name="rule_remove"),
]
