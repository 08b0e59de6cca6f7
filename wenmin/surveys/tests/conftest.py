from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from wenmin.households.models import CareCategory, Household
from wenmin.households.services import household_care_set
from wenmin.surveys import services
from wenmin.surveys.models import NeedKind, Question, SurveyForm, SurveyVersion, VisitPlan
from wenmin.testing import CaseDesk


@dataclass
class Survey:
    desk: CaseDesk
    form: SurveyForm
    version: SurveyVersion
    plan: VisitPlan
    households: list[Household]
    single: Question
    multiple: Question
    text: Question
    number: Question
    yes_no: Question
    photo: Question

    def answers(self) -> dict[str, object]:
        """A complete, valid set of answers."""
        return {
            str(self.single.pk): "良好",
            str(self.multiple.pk): ["看病", "修房"],
            str(self.text.pk): "屋顶漏雨",
            str(self.number.pk): "3",
            str(self.yes_no.pk): "yes",
        }


def build_survey(desk: CaseDesk) -> Survey:
    """A form of the 青石镇 government with one question of each kind, published, and a round
    over 青石镇 visiting its households with its party volunteer team."""
    c = desk.county
    # The migration's list, again: a transactional test before this one flushed the tables.
    for code, name in (("care", "生活照料"), ("repair", "房屋修缮"), ("medical", "看病就医")):
        NeedKind.objects.get_or_create(code=code, defaults={"name": name})
    households = [
        Household.objects.create(code="H-QS-001", region=c.village_a),
        Household.objects.create(code="H-QS-002", region=c.group_a),
        Household.objects.create(code="H-QS-003", region=c.village_a),
        Household.objects.create(code="H-BS-001", region=c.village_b),
    ]
    # Households a round visits are those in a care category that must be visited.
    CareCategory.objects.get_or_create(
        code="left_behind_elderly", defaults={"name": "留守老人", "must_visit": True}
    )
    for household in households:
        household_care_set(actor=None, household=household, codes=["left_behind_elderly"])
    form = services.form_create(
        actor=c.township_clerk, title="留守老人需求走访", owner=c.government_a
    )
    version = form.versions.get()
    add = services.question_add
    single = add(
        actor=c.township_clerk,
        version=version,
        kind="single",
        text="身体状况",
        required=True,
        choices=["良好", "一般", "较差"],
    )
    multiple = add(
        actor=c.township_clerk,
        version=version,
        kind="multiple",
        text="需要哪些帮助",
        choices=["看病", "修房", "代购"],
    )
    text = add(actor=c.township_clerk, version=version, kind="text", text="其他困难")
    number = add(
        actor=c.township_clerk,
        version=version,
        kind="number",
        text="家中常住人数",
        required=True,
        min_value=1,
        max_value=20,
    )
    yes_no = add(
        actor=c.township_clerk, version=version, kind="yes_no", text="是否独居", required=True
    )
    photo = add(actor=c.township_clerk, version=version, kind="photo", text="住房照片")
    services.version_publish(actor=c.township_clerk, version=version)
    version.refresh_from_db()
    plan = services.plan_create(
        actor=c.township_clerk,
        version=version,
        name="2026年春季走访",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 12, 31),
        teams=[c.team_a],
        regions=[c.township_a],
        # Chosen directly: who is "in care" is the households register's rule, not these tests'.
        households=households[:3],
    )
    return Survey(
        desk, form, version, plan, households, single, multiple, text, number, yes_no, photo
    )


@pytest.fixture
def survey(desk: CaseDesk) -> Survey:
    return build_survey(desk)
