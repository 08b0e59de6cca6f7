"""The demo county's needs surveys: the county committee's form, a spring and an autumn round of
the households in care by the party volunteer teams, with visits, answers and needs."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Channel
from wenmin.cases.services import case_intake
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.households.models import HouseholdMember
from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind
from wenmin.surveys import services
from wenmin.surveys.models import (
    Need,
    NeedKind,
    NeedState,
    Question,
    QuestionKind,
    Resolution,
    SurveyForm,
    SurveyVersion,
    Visit,
    VisitAssignment,
    VisitPlan,
    VisitSource,
)
from wenmin.surveys.rules import content_digest
from wenmin.surveys.selectors import households_to_visit
from wenmin.surveys.services.plans import village_of

QUESTIONS: list[dict[str, Any]] = [
    {
        "kind": QuestionKind.SINGLE,
        "text": "家庭生活状况",
        "required": True,
        "choices": ["较好", "一般", "困难", "特别困难"],
    },
    {
        "kind": QuestionKind.MULTIPLE,
        "text": "目前最需要哪些帮助",
        "choices": ["生活照料", "看病就医", "房屋修缮", "就业帮扶", "子女教育", "政策咨询"],
    },
    {
        "kind": QuestionKind.NUMBER,
        "text": "家中常住人数",
        "required": True,
        "min_value": 1,
        "max_value": 15,
    },
    {"kind": QuestionKind.YES_NO, "text": "是否有人独居", "required": True},
    {"kind": QuestionKind.YES_NO, "text": "对村里的帮扶工作是否满意", "required": True},
    {"kind": QuestionKind.TEXT, "text": "其他意见和建议"},
    {"kind": QuestionKind.PHOTO, "text": "住房情况照片"},
]
NEED_TEXTS = {
    "care": ["老人独居，希望有人定期上门看望", "需要帮忙打扫卫生、代购生活用品"],
    "medical": ["老人腿脚不便，希望有人陪同去卫生院复查", "慢性病用药需要代为购买"],
    "repair": ["屋顶漏雨，需要修缮", "厨房电线老化，存在安全隐患"],
    "employment": ["家中劳动力希望在附近找到工作", "想参加电商培训"],
    "education": ["孩子放学后无人照看", "希望了解助学金申请办法"],
    "policy": ["咨询低保年审的办理时间", "咨询医保缴费标准"],
    "other": ["村口路灯不亮，晚上出行不便"],
}
# What a volunteer records at the door, in the order of the demo's weights.
AT_THE_DOOR_ORDER = (Resolution.ON_THE_SPOT, Resolution.CASE, Resolution.WAITING)
MAX_CASES = 40  # the needs that became cases: enough to follow, not a flood in the 12345 queue


def _owner() -> Unit | None:
    return (
        # The county party committee (its organisation department builds the survey).
        Unit.objects.filter(kind=UnitKind.LEADERSHIP_BODY, code__endswith="LB-PC")
        .order_by("code")
        .first()
        or Unit.objects.filter(kind=UnitKind.LEADERSHIP_BODY).order_by("code").first()
        or Unit.objects.filter(region__level=RegionLevel.COUNTY).order_by("code").first()
    )


def _form(owner: Unit) -> tuple[SurveyForm, SurveyVersion, SurveyVersion]:
    form = services.form_create(actor=None, title="关爱对象入户需求走访问卷", owner=owner)
    first = form.versions.get()
    for question in QUESTIONS:
        services.question_add(actor=None, version=first, **question)
    services.version_publish(actor=None, version=first)
    # Autumn asks one more thing: version 2 (the spring version is retired once its round is in).
    second = services.version_draft(actor=None, form=form)
    services.question_add(
        actor=None,
        version=second,
        kind=QuestionKind.SINGLE,
        text="冬季取暖是否有保障",
        required=True,
        choices=["有保障", "基本有保障", "没有保障"],
    )
    services.version_publish(actor=None, version=second)
    first.refresh_from_db()
    second.refresh_from_db()
    return form, first, second


def _answers(rng: random.Random, questions: list[Question]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in questions:
        key = str(question.pk)
        if question.kind == QuestionKind.SINGLE:
            answers[key] = rng.choices(
                question.choices, weights=[3, 5, 3, 1][: len(question.choices)]
            )[0]
        elif question.kind == QuestionKind.MULTIPLE:
            answers[key] = [c for c in question.choices if rng.random() < 0.25]
            if not answers[key]:
                del answers[key]
        elif question.kind == QuestionKind.NUMBER:
            answers[key] = rng.choice([1, 1, 2, 2, 3, 4, 5])
        elif question.kind == QuestionKind.YES_NO:
            answers[key] = rng.random() < (0.3 if question.order == 4 else 0.85)
        elif question.kind == QuestionKind.TEXT and rng.random() < 0.15:
            answers[key] = rng.choice(["希望多来看看", "感谢志愿者", "希望修好村道"])
    return answers


def _round(
    *,
    rng: random.Random,
    version: SurveyVersion,
    name: str,
    starts: dt.date,
    ends: dt.date,
    households: list[Any],
    teams: list[Unit],
    volunteer: User | None,
    share: float,
    cases_left: list[int],
    now: dt.datetime,
) -> VisitPlan:
    plan = services.plan_create(
        actor=None,
        version=version,
        name=name,
        starts_on=starts,
        ends_on=ends,
        teams=teams,
        households=households,
    )
    volunteer_team = getattr(
        getattr(getattr(volunteer, "person", None), "volunteer", None), "team_id", None
    )
    kinds = list(NeedKind.objects.filter(is_active=True))
    questions = list(version.questions.order_by("order"))
    assignments = list(VisitAssignment.objects.filter(plan=plan).select_related("household"))
    span = max((ends - starts).days, 1)
    visits: list[Visit] = []
    for assignment in assignments:
        # The demo volunteer's team still has doors to knock on in the latest round.
        leave = share if assignment.team_id != volunteer_team else min(share, 0.6)
        if rng.random() > leave:
            continue
        day = starts + dt.timedelta(days=rng.randrange(span))
        when = timezone.make_aware(
            dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60)))
        )
        when = min(when, now - dt.timedelta(hours=1))
        answers = _answers(rng, questions)
        visits.append(
            Visit(
                plan=plan,
                assignment=assignment,
                household=assignment.household,
                version=version,
                volunteer=volunteer if assignment.team_id == volunteer_team else None,
                team_id=assignment.team_id,
                village_id=assignment.village_id,
                visited_at=when,
                idempotency_key=f"demo-{plan.pk}-{assignment.pk}",
                content_digest=content_digest(answers),
                answers=answers,
            )
        )
    visits = Visit.objects.bulk_create(visits, batch_size=1000)
    needs: list[Need] = []
    for visit in visits:
        if rng.random() > 0.35:
            continue
        kind = rng.choice(kinds)
        text = rng.choice(NEED_TEXTS.get(kind.code, NEED_TEXTS["other"]))
        resolution = rng.choices(list(AT_THE_DOOR_ORDER), weights=[4, 3, 3])[0]
        case = None
        if resolution == Resolution.CASE:
            if cases_left[0] <= 0:
                resolution = Resolution.WAITING
            else:
                cases_left[0] -= 1
                case = case_intake(
                    channel=Channel.NEEDS_SURVEY,
                    kind=Kind.HELP,
                    title=f"{kind.name}：{text}"[:120],
                    content=text,
                    region=visit.household.region if visit.household else None,
                    actor=visit.volunteer,
                    received_at=visit.visited_at,
                    data={"survey_visit": visit.pk},
                )
        needs.append(
            Need(
                visit=visit,
                household=visit.household,
                village_id=visit.village_id,
                kind=kind,
                text=text,
                resolution=resolution,
                case=case,
                state=NeedState.RESOLVED
                if resolution == Resolution.ON_THE_SPOT
                else NeedState.OPEN,
            )
        )
    Need.objects.bulk_create(needs, batch_size=1000)
    return plan


MAX_RESIDENT_ANSWERS = 30


def _resident_answers(*, rng: random.Random, plan: VisitPlan, now: dt.datetime) -> None:
    """The round was open to residents too: some members of the households visited answered
    online themselves (once each), on the round's version."""
    VisitPlan.objects.filter(pk=plan.pk).update(residents_until=plan.ends_on)
    members = list(
        HouseholdMember.objects.filter(household__visit_assignments__plan=plan)
        .select_related("household__region__parent", "person")
        .order_by("id")
    )
    chosen = rng.sample(members, min(MAX_RESIDENT_ANSWERS, (len(members) + 3) // 4))
    questions = list(plan.version.questions.order_by("order"))
    span = max((plan.ends_on - plan.starts_on).days, 1)
    answers = []
    for member in chosen:
        day = plan.starts_on + dt.timedelta(days=rng.randrange(span))
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(19, rng.randrange(60))))
        given = _answers(rng, questions)
        answers.append(
            Visit(
                plan=plan,
                source=VisitSource.RESIDENT,
                household=member.household,
                respondent=member.person,
                version=plan.version,
                village=village_of(member.household.region),
                visited_at=min(when, now - dt.timedelta(hours=1)),
                idempotency_key=f"demo-resident-{plan.pk}-{member.person_id}",
                content_digest=content_digest(given),
                answers=given,
            )
        )
    Visit.objects.bulk_create(answers, batch_size=1000)


def demo_surveys(*, seed: int, now: dt.datetime) -> list[str]:
    """Write the demo surveys; the line to print."""
    if SurveyForm.objects.exists():
        return [_("Needs surveys: already there, left as they were.")]
    counties = Region.objects.filter(level=RegionLevel.COUNTY)
    households = list(
        households_to_visit(regions=list(counties))
        .select_related("region__parent")
        .order_by("code")
    )
    teams = list(Unit.objects.filter(kind=UnitKind.VOLUNTEER_TEAM).select_related("region"))
    owner = _owner()
    if owner is None or not teams:
        return [_("Needs surveys: no county or no volunteer team to survey with; none written.")]
    _survey, spring_version, autumn_version = _form(owner)
    if not households:
        return [
            _(
                "Needs surveys: one survey form; no household in care in the register yet, so "
                "no round was planned (load the households' demo first)."
            )
        ]
    rng = random.Random(seed * 7919 + 10)  # noqa: S311  (demo data, not secrets)
    volunteer = (
        User.objects.filter(role=Role.VOLUNTEER, username="volunteer")
        .select_related("person__volunteer")
        .first()
    )
    today = timezone.localdate(now)
    year = today.year if today.month >= 11 else today.year - 1
    cases_left = [MAX_CASES]
    common: dict[str, Any] = {
        "rng": rng,
        "households": households,
        "teams": teams,
        "volunteer": volunteer,
        "cases_left": cases_left,
        "now": now,
    }
    _round(
        version=spring_version,
        name=f"{year}年春季关爱对象入户走访",
        starts=dt.date(year, 3, 1),
        ends=dt.date(year, 4, 30),
        share=0.93,
        **common,
    )
    services.version_retire(actor=None, version=spring_version)
    autumn = _round(
        version=autumn_version,
        name=f"{year}年秋季关爱对象入户走访",
        starts=dt.date(year, 9, 1),
        ends=dt.date(year, 10, 31),
        share=0.85,
        **common,
    )
    _resident_answers(rng=rng, plan=autumn, now=now)
    figures = surveys_stats()
    return [
        _(
            "Needs surveys: %(plans)s rounds, %(visits)s of %(planned)s visits made, %(needs)s needs."
        )
        % {
            "plans": figures["plans"],
            "visits": figures["visits"],
            "planned": figures["visits_planned"],
            "needs": figures["needs"],
        }
    ]


def surveys_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "surveys"."""
    by_resolution = Counter(
        dict(
            Need.objects.values_list("resolution")
            .annotate(n=Count("id"))
            .values_list("resolution", "n")
        )
    )
    return {
        "forms": SurveyForm.objects.count(),
        "plans": VisitPlan.objects.count(),
        "visits_planned": VisitAssignment.objects.count(),
        "visits": Visit.objects.filter(source=VisitSource.DOOR).count(),
        "resident_answers": Visit.objects.filter(source=VisitSource.RESIDENT).count(),
        "needs": Need.objects.count(),
        "needs_by_resolution": {value: by_resolution.get(value, 0) for value in Resolution.values},
    }
