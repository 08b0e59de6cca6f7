"""Building a survey: a draft's questions, publishing freezes them, retiring, planning a round."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wenmin.households.models import Household
from wenmin.surveys import services
from wenmin.surveys.models import Question, SurveyForm, VisitPlan

from .conftest import Survey


def test_a_published_version_is_frozen_and_a_new_draft_copies_it(survey: Survey) -> None:
    clerk = survey.desk.county.township_clerk
    with pytest.raises(ValidationError) as refused:
        services.question_add(actor=clerk, version=survey.version, kind="text", text="新问题")
    assert "version" in refused.value.message_dict
    assert survey.version.questions.count() == 6
    draft = services.version_draft(actor=clerk, form=survey.form)
    assert draft.number == 2
    assert list(draft.questions.values_list("text", flat=True)) == list(
        survey.version.questions.values_list("text", flat=True)
    )
    with pytest.raises(ValidationError):  # one draft at a time
        services.version_draft(actor=clerk, form=survey.form)


def test_publish_and_retire_refuse_what_makes_no_sense(survey: Survey) -> None:
    clerk = survey.desk.county.township_clerk
    with pytest.raises(ValidationError):
        services.version_publish(actor=clerk, version=survey.version)  # already published
    draft = services.version_draft(actor=clerk, form=survey.form)
    Question.objects.filter(version=draft).delete()
    with pytest.raises(ValidationError):
        services.version_publish(actor=clerk, version=draft)  # no question
    with pytest.raises(ValidationError):
        services.version_retire(actor=clerk, version=draft)  # never published
    services.version_retire(actor=clerk, version=survey.version)
    with pytest.raises(ValidationError):
        services.version_retire(actor=clerk, version=survey.version)


@pytest.mark.parametrize(
    ("kind", "fields", "field"),
    [
        ("single", {"choices": ["只有一个"]}, "choices"),
        ("multiple", {"choices": ["甲", "甲"]}, "choices"),
        ("number", {"min_value": 5, "max_value": 1}, "max_value"),
        ("number", {"min_value": "abc"}, "min_value"),
        ("essay", {}, "kind"),
        ("text", {"text": ""}, "text"),
    ],
)
def test_a_bad_question_is_refused(survey: Survey, kind: str, fields: dict, field: str) -> None:  # type: ignore[type-arg]
    clerk = survey.desk.county.township_clerk
    draft = services.version_draft(actor=clerk, form=survey.form)
    before = draft.questions.count()
    with pytest.raises(ValidationError) as refused:
        services.question_add(actor=clerk, version=draft, kind=kind, **{"text": "问题", **fields})
    assert field in refused.value.message_dict
    assert draft.questions.count() == before


def test_only_the_owner_units_staff_build_its_forms(survey: Survey) -> None:
    c = survey.desk.county
    with pytest.raises(PermissionDenied):
        services.form_create(actor=c.other_township_clerk, title="走访", owner=c.government_a)
    with pytest.raises(PermissionDenied):
        services.version_draft(actor=c.department_clerk, form=survey.form)
    assert SurveyForm.objects.count() == 1
    form = services.form_create(actor=c.administrator, title="全县走访", owner=c.county_committee)
    assert form.versions.get().is_draft


def test_a_plan_assigns_each_household_to_the_nearest_team(survey: Survey) -> None:
    c = survey.desk.county
    assert sorted(survey.plan.assignments.values_list("household__code", "team", "village")) == [
        ("H-QS-001", c.team_a.pk, c.village_a.pk),
        ("H-QS-002", c.team_a.pk, c.village_a.pk),  # a villagers' group counts in its village
        ("H-QS-003", c.team_a.pk, c.village_a.pk),
    ]
    assert set(survey.plan.assignments.values_list("due", flat=True)) == {dt.date(2026, 12, 31)}


def test_a_round_over_regions_visits_only_the_households_in_care(survey: Survey) -> None:
    c = survey.desk.county
    Household.objects.create(code="H-QS-004", region=c.village_a)  # in no care category
    plan = services.plan_create(
        actor=c.township_clerk,
        version=survey.version,
        name="第二轮走访",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 31),
        teams=[c.team_a],
        regions=[c.village_a],
    )
    assert sorted(plan.assignments.values_list("household__code", flat=True)) == [
        "H-QS-001",
        "H-QS-002",
        "H-QS-003",
    ]


def test_a_bad_plan_is_refused_and_nothing_saved(survey: Survey) -> None:
    c = survey.desk.county
    plans = VisitPlan.objects.count()
    base: dict[str, Any] = {
        "actor": c.township_clerk,
        "version": survey.version,
        "name": "秋季走访",
        "starts_on": dt.date(2026, 9, 1),
        "ends_on": dt.date(2026, 10, 31),
        "teams": [c.team_a],
        "households": list(Household.objects.all()),
    }
    for overrides, field in (
        ({"ends_on": dt.date(2026, 8, 1)}, "ends_on"),
        ({"teams": []}, "teams"),
        ({"teams": [c.branch_a]}, "teams"),
        ({"name": " "}, "name"),
        ({"households": []}, "regions"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.plan_create(**{**base, **overrides})
        assert field in refused.value.message_dict
    services.version_retire(actor=c.township_clerk, version=survey.version)
    survey.version.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.plan_create(**base)
    assert "version" in refused.value.message_dict
    assert VisitPlan.objects.count() == plans
