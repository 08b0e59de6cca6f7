"""The centres and stations in the shared daily counts: a service counts on the day it started
(a walk-in opened as a case does not), a rating on the day it was given (4 or 5 satisfied), for
the centre's township, the department whose window the centre is and the clerk who served; the
counts kept by the services equal a recount from the records."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.urls import reverse

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation import services as org
from wenmin.organisation.models import Person, Unit, UnitKind
from wenmin.platforms import services
from wenmin.platforms.models import SERVICE_RESULTS, Rating, Result, ServiceItem, ServiceRecord
from wenmin.platforms.tally import SOURCE
from wenmin.platforms.tests.conftest import Platforms
from wenmin.tallies import readers
from wenmin.tallies.models import Entry
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, REGION, UNIT, source_get
from wenmin.tallies.services import exclusion_add

ZONE = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 3, 2)
COUNTERS = ["served", "rated", "satisfied"]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def _serve(p: Platforms, clerk: User | None, unit=None, item=None, *, start, result=Result.DONE):  # type: ignore[no-untyped-def]
    return services.service_record(
        actor=clerk,
        unit=unit or p.centre,
        item=item or p.certificate,
        resident_name="陈明",
        resident_phone="18600003333",
        started_at=start,
        ended_at=start + dt.timedelta(minutes=10),
        result=result,
        now=start + dt.timedelta(hours=1),
    )


def _rate(record: ServiceRecord, score: int, day: dt.date) -> Rating:
    return services.rating_submit(code=record.rating_code, score=score, now=_at(day, 15))


def _clerk(p: Platforms) -> User:
    """孙磊, a cadre of 青石镇, serving at its centre."""
    return User.objects.create_user(
        username="sunlei",
        role=Role.TOWNSHIP_STAFF,
        unit=p.county.government_a,
        person=p.cadre.person,
    )


def _window(p: Platforms) -> tuple[tuple[Unit, ServiceItem], User]:
    """The housing department's service window in 青石镇 and its clerk (吴涛)."""
    window = org.unit_create(
        actor=None,
        code="D-ZJ-W1",
        name="县住建局青石镇服务窗口",
        kind=UnitKind.SERVICE_CENTRE,
        region=p.county.township_a,
        parent=p.county.department,
    )
    item = services.item_save(actor=None, unit=window, name="建房许可咨询", errand_allowed=False)
    person = org.person_create(actor=None, name="吴涛", phone="13900008888")
    clerk = User.objects.create_user(
        username="window", role=Role.DEPARTMENT_STAFF, unit=window, person=person
    )
    return (window, item), clerk


def _totals(subject_type: str, subject_id: int, start=DAY, end=DAY + dt.timedelta(days=2)):  # type: ignore[no-untyped-def]
    found = readers.totals(SOURCE, subject_type, [subject_id], start, end, COUNTERS)
    return {k: v for k, v in found.get(subject_id, {}).items() if v}


def test_services_and_ratings_count_for_the_township_the_department_and_the_clerk(
    platforms: Platforms,
) -> None:
    p, c = platforms, platforms.county
    clerk = _clerk(p)
    (window, window_item), window_clerk = _window(p)
    done = _serve(p, clerk, start=_at(DAY, 9))
    papers = _serve(p, clerk, start=_at(DAY, 9, 30), result=Result.NEEDS_DOCUMENTS)
    case = services.walkin_case_open(
        actor=clerk,
        unit=p.centre,
        resident_name="陈明",
        resident_phone="18600003333",
        content="村口路灯坏了",
        started_at=_at(DAY, 10),
        ended_at=_at(DAY, 10, 5),
        now=_at(DAY, 11),
    )
    _serve(p, None, unit=p.other_centre, item=p.other_item, start=_at(DAY, 9))
    at_window = _serve(p, window_clerk, unit=window, item=window_item, start=_at(DAY, 14))
    _rate(done, 5, DAY + dt.timedelta(days=1))
    _rate(papers, 3, DAY + dt.timedelta(days=1))
    _rate(case, 4, DAY + dt.timedelta(days=2))
    _rate(at_window, 4, DAY + dt.timedelta(days=1))

    # 青石镇: two services at its centre and one at the window (the case is none); four ratings,
    # three of them 4 or 5.
    assert _totals(REGION, c.township_a.pk) == {"served": 3, "rated": 4, "satisfied": 3}
    assert _totals(REGION, c.township_b.pk) == {"served": 1}
    assert _totals(UNIT, c.department.pk) == {"served": 1, "rated": 1, "satisfied": 1}
    assert _totals(PERSON, p.cadre.person_id) == {"served": 2, "rated": 3, "satisfied": 2}
    assert _totals(PERSON, Person.objects.get(name="吴涛").pk) == {
        "served": 1,
        "rated": 1,
        "satisfied": 1,
    }
    # Each on its own day: services on the day, the ratings the day after (and the next).
    assert _totals(REGION, c.township_a.pk, DAY, DAY) == {"served": 3}
    assert _totals(REGION, c.township_a.pk, DAY + dt.timedelta(days=2), DAY + dt.timedelta(2)) == {
        "rated": 1,
        "satisfied": 1,
    }
    # The centre's appeal takes a record away from everyone it counts for.
    assert set(
        Entry.objects.filter(source=SOURCE, record=done.pk).values_list("for_unit", flat=True)
    ) == {p.centre.pk}
    exclusion_add(source=SOURCE, record=done.pk, unit_id=p.centre.pk)
    assert _totals(PERSON, p.cadre.person_id) == {"served": 1, "rated": 2, "satisfied": 1}
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    describe = source_get(SOURCE).describe
    assert describe is not None
    described = describe([at_window.pk])[at_window.pk]
    assert described.label == "县住建局青石镇服务窗口 · 建房许可咨询"
    assert described.url == reverse("platforms:record_detail", args=[at_window.pk])
    assert "陈明" not in described.label + described.detail


def test_a_mixed_history_is_counted_as_a_recount_counts_it(platforms: Platforms) -> None:
    p, c = platforms, platforms.county
    clerk = _clerk(p)
    rng = random.Random(16)
    records: list[ServiceRecord] = []
    for n in range(24):
        day = DAY + dt.timedelta(days=rng.randrange(6))
        action = rng.choice(["serve", "serve", "case", "rate", "rate"])
        unrated = [r for r in records if not Rating.objects.filter(record=r).exists()]
        if action == "rate" and unrated:
            record = rng.choice(unrated)
            _rate(record, rng.randint(1, 5), record.started_at.date() + dt.timedelta(days=2))
        elif action == "case":
            records.append(
                services.walkin_case_open(
                    actor=clerk,
                    unit=p.centre,
                    resident_name="陈明",
                    resident_phone="18600003333",
                    content=f"问题 {n}",
                    started_at=_at(day, 10),
                    ended_at=_at(day, 10, 5),
                    now=_at(day, 11),
                )
            )
        else:
            result = rng.choice([Result.DONE, Result.NEEDS_DOCUMENTS, Result.REFERRED])
            records.append(
                _serve(p, rng.choice([clerk, None]), start=_at(day, 9, n), result=result)
            )
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]
    assert report.records == len(records)
    served = ServiceRecord.objects.filter(result__in=SERVICE_RESULTS).count()
    ratings = Rating.objects.count()
    satisfied = Rating.objects.filter(score__gte=4).count()
    assert (served, ratings) != (0, 0)
    end = DAY + dt.timedelta(days=10)
    assert _totals(REGION, c.township_a.pk, DAY, end) == {
        k: v for k, v in {"served": served, "rated": ratings, "satisfied": satisfied}.items() if v
    }
