"""The needs surveys in the shared daily counts: each need raised counts one need, and once met
(resolved by the volunteers, or its case closed) one need met, both on the day it was raised, for
the village's township and party branch, the department its case went to and the volunteer at the
door; the counts kept by the services and the case steps equal a recount from the records."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db.models import Q

from wenmin.cases import services as cases
from wenmin.cases.models import Case
from wenmin.cases.workflow import State as CaseState
from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import Unit
from wenmin.surveys import services
from wenmin.surveys.models import Need, NeedState, Resolution, Visit
from wenmin.surveys.services import NeedInput
from wenmin.surveys.tally import SOURCE
from wenmin.tallies import readers
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, REGION, UNIT, source_get
from wenmin.testing import CaseDesk

from .conftest import Survey

ZONE = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 2)
COUNTERS = ["needs", "needs_met"]


def _visit(survey: Survey, code: str, day: dt.date, needs: list[NeedInput], key: str) -> Visit:
    return services.visit_submit(
        actor=survey.desk.county.volunteer,
        idempotency_key=f"tally-visit-{key}",
        version=survey.version,
        assignment=survey.plan.assignments.get(household__code=code),
        answers=survey.answers(),
        needs=needs,
        visited_at=dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZONE),
    ).visit


def _close(desk: CaseDesk, case: Case, unit: Unit) -> Case:
    """The case dispatched to `unit` (unless it was), handled and closed by a satisfied callback."""
    c = desk.county
    if case.state == CaseState.COLLECTED:
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=unit)
    case = cases.case_sign_for(case=case, actor=c.department_clerk)
    case = cases.case_plan(case=case, actor=c.department_clerk, plan="安排医生上门")
    case = cases.case_reply(case=case, actor=c.department_clerk, reply="已安排医生上门。")
    return cases.case_callback(case=case, actor=desk.dispatcher, resolved=True, satisfaction=5)


def _totals(subject_type: str, subject_id: int, start=DAY, end=DAY + dt.timedelta(days=9)):  # type: ignore[no-untyped-def]
    found = readers.totals(SOURCE, subject_type, [subject_id], start, end, COUNTERS)
    return {k: v for k, v in found.get(subject_id, {}).items() if v}


def test_needs_met_count_on_the_day_raised_for_township_branch_department_and_volunteer(
    survey: Survey,
) -> None:
    desk, c = survey.desk, survey.desk.county
    first = _visit(
        survey,
        "H-QS-001",
        DAY,
        [
            NeedInput("care", "帮忙打扫卫生", Resolution.ON_THE_SPOT),
            NeedInput("repair", "屋顶漏雨", Resolution.WAITING),
            NeedInput("medical", "需要医生上门", Resolution.CASE),
        ],
        "first",
    )
    # 青石村第一村民小组 is in 青石村: its needs count for 青石村's branch.
    second = _visit(
        survey,
        "H-QS-002",
        DAY + dt.timedelta(days=1),
        [NeedInput("repair", "院墙开裂", Resolution.WAITING)],
        "second",
    )
    care, roof, doctor = first.needs.order_by("pk")
    [wall] = second.needs.all()
    assert _totals(REGION, c.township_a.pk) == {"needs": 4, "needs_met": 1}
    # 孙磊 of 青石镇 takes the two waiting needs on: one resolved, one made a case.
    cadre = org.person_create(actor=None, name="孙磊", phone="13900007777")
    org.cadre_set(actor=None, person=cadre, unit=c.government_a, position="副镇长")
    clerk = User.objects.create_user(
        username="sunlei", role=Role.TOWNSHIP_STAFF, unit=c.government_a, person=cadre
    )
    services.need_resolve(
        need=roof, actor=clerk, resolution=Resolution.ACTIVITY, note="义工队修好屋顶"
    )
    services.need_resolve(need=wall, actor=clerk, resolution=Resolution.CASE, note="")
    wall.refresh_from_db()
    assert wall.case is not None
    cases.case_dispatch(case=wall.case, actor=desk.dispatcher, unit=c.other_department)
    assert doctor.case is not None
    doctor_case = cases.case_dispatch(case=doctor.case, actor=desk.dispatcher, unit=c.department)
    assert _totals(UNIT, c.department.pk) == {"needs": 1}
    _close(desk, doctor_case, c.department)

    # Four needs; met: cleaning on the spot, the roof by an activity, the doctor by the closed case.
    for subject_type, subject_id in (
        (REGION, c.township_a.pk),
        (UNIT, c.branch_a.pk),
        (PERSON, c.volunteer_a.pk),  # the volunteer who took them at the door
    ):
        assert _totals(subject_type, subject_id) == {"needs": 4, "needs_met": 3}
    # Met needs count on the day they were raised: none on the day the roof was mended.
    assert _totals(REGION, c.township_a.pk, DAY, DAY) == {"needs": 3, "needs_met": 3}
    assert _totals(REGION, c.township_a.pk, DAY + dt.timedelta(1), DAY + dt.timedelta(1)) == {
        "needs": 1
    }
    assert _totals(UNIT, c.department.pk) == {"needs": 1, "needs_met": 1}
    assert _totals(PERSON, cadre.pk) == {"needs": 2, "needs_met": 1}
    assert _totals(UNIT, c.other_department.pk) == {"needs": 1}
    assert _totals(REGION, c.township_b.pk) == {}
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    assert report.records == 4
    describe = source_get(SOURCE).describe
    assert describe is not None
    described = describe([care.pk])[care.pk]
    assert described.label == "生活照料：帮忙打扫卫生"
    assert described.url.endswith(f"/results/visits/{first.pk}/")
    assert "H-QS-001" not in described.label + described.detail


def test_a_mixed_history_is_counted_as_a_recount_counts_it(survey: Survey) -> None:
    desk, c = survey.desk, survey.desk.county
    rng = random.Random(16)
    codes = ["H-QS-001", "H-QS-002", "H-QS-003"]
    for n in range(14):
        step = rng.choice(["visit", "visit", "resolve", "case"])
        waiting = list(Need.objects.filter(resolution=Resolution.WAITING, state=NeedState.OPEN))
        open_cases = list(
            Case.objects.filter(survey_needs__isnull=False, state=CaseState.COLLECTED).distinct()
        )
        if step == "resolve" and waiting:
            services.need_resolve(
                need=rng.choice(waiting),
                actor=c.township_clerk,
                resolution=rng.choice(
                    [Resolution.ACTIVITY, Resolution.ON_THE_SPOT, Resolution.CASE]
                ),
                note="已办",
            )
        elif step == "case" and open_cases:
            case = rng.choice(open_cases)
            if rng.random() < 0.5:
                _close(desk, case, c.department)
            else:
                cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.other_department)
        else:
            needs = [
                NeedInput(
                    rng.choice(["care", "repair", "medical"]),
                    f"需求 {n}-{i}",
                    rng.choice([Resolution.ON_THE_SPOT, Resolution.WAITING, Resolution.CASE]),
                )
                for i in range(rng.randint(1, 3))
            ]
            day = DAY + dt.timedelta(days=rng.randrange(5))
            _visit(survey, rng.choice(codes), day, needs, f"mixed-{n}")
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    raised = Need.objects.count()
    met = Need.objects.filter(Q(state=NeedState.RESOLVED) | Q(case__state=CaseState.CLOSED)).count()
    assert raised > met > 0
    assert report.records == raised
    assert _totals(REGION, c.township_a.pk) == {"needs": raised, "needs_met": met}
