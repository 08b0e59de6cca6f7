"""每月一题: candidates ranked by hand, a leader picking one, its page tracking exactly its cases,
new cases linked as they come, and links by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from wenmin.cases.models import Case, Category
from wenmin.cases.workflow import State
from wenmin.core.models import AuditEvent
from wenmin.topics.models import MonthlyTopic, TopicCandidate, TopicCase
from wenmin.topics.rules import CandidateFigures, candidate_scores
from wenmin.topics.services import candidates_compute
from wenmin.topics.tests.conftest import NOW, History, client_for

pytestmark = pytest.mark.django_db
OCTOBER = dt.date(2026, 10, 1)


def _day(day: int) -> dt.datetime:
    return dt.datetime(2026, 10, day, 10, 0, tzinfo=NOW.tzinfo)


def _october(history: History) -> dict[str, Category]:
    """Three problems of October 2026:
    water — 4 residents, 2 villages, open 10 days each on average, 2 of 2 callbacks unhappy,
            raised in September too;
    housing — 3 residents, 1 village, closed in 2 days, 1 of 2 unhappy;
    road — 2 cases only: no candidate."""
    d = history.desk
    c = d.county
    road = Category.objects.create(code="road", name="道路")
    people = [c.resident_a, c.resident_b, c.member_a, c.member_b]
    for i, person in enumerate(people):
        history.case(
            category=d.water,
            region=c.village_a if i < 2 else c.village_b,
            when=_day(1 + i),
            requester=person,
            state=State.CLOSED,
            closed_at=_day(11 + i),
            satisfaction=1 if i < 2 else None,
            resolved=False if i < 2 else None,
        )
    history.case(
        category=d.water, region=c.village_a, when=dt.datetime(2026, 9, 5, tzinfo=NOW.tzinfo)
    )
    for i, person in enumerate(people[:3]):
        history.case(
            category=d.housing,
            region=c.group_a,
            when=_day(5 + i),
            requester=person,
            state=State.CLOSED,
            closed_at=_day(7 + i),
            satisfaction=(2, 5, None)[i],
            resolved=(True, True, None)[i],
        )
    for i in range(2):
        history.case(category=road, region=c.village_a, when=_day(20 + i))
    # Rejected cases count for nothing.
    history.case(category=road, region=c.village_a, when=_day(22), state=State.REJECTED)
    return {"road": road}


def test_the_candidates_rank_as_computed_by_hand(history: History) -> None:
    _october(history)
    d = history.desk
    rows = candidates_compute(month=OCTOBER, now=NOW)
    assert [r.category_id for r in rows] == [d.water.pk, d.housing.pk]
    water, housing = rows
    assert (water.case_count, water.residents, water.townships, water.villages) == (4, 4, 2, 2)
    assert (water.unsolved_days, water.unhappy_share, water.rated, water.months_seen) == (
        10.0,
        1.0,
        2,
        2,
    )
    assert (housing.case_count, housing.residents, housing.villages) == (3, 3, 1)
    assert (housing.unsolved_days, housing.unhappy_share, housing.months_seen) == (2.0, 0.5, 1)
    # water:   30·4/4 + 20·2/2 + 20·10/10 + 20·1.0 + 10·2/6 = 93.33
    # housing: 30·3/4 + 20·1/2 + 20·2/10  + 20·0.5 + 10·1/6 = 48.17
    assert water.score == pytest.approx(93.33, abs=0.01)
    assert housing.score == pytest.approx(48.17, abs=0.01)


def test_the_score_weighs_residents_spread_time_unhappiness_and_recurrence() -> None:
    rows = [
        CandidateFigures(
            key=1, residents=10, villages=1, unsolved_days=1, unhappy_share=0, months_seen=1
        ),
        CandidateFigures(
            key=2, residents=5, villages=4, unsolved_days=8, unhappy_share=0.5, months_seen=6
        ),
    ]
    assert candidate_scores(rows) == {
        1: pytest.approx(30 + 5 + 2.5 + 0 + 1.67, abs=0.01),
        2: pytest.approx(15 + 20 + 20 + 10 + 10, abs=0.01),
    }
    assert candidate_scores([]) == {}


def _counts(page: str) -> dict[str, tuple[str, int]]:
    """{data-count: (href, number)} of the first counting link of each name in the page."""
    found: dict[str, tuple[str, int]] = {}
    for m in re.finditer(r'data-count="([^"]+)" href="([^"]+)">(\d+)<', page):
        found.setdefault(m[1], (m[2].replace("&amp;", "&"), int(m[3])))
    return found


def _listed(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-case="(\d+)"', page)}


def test_a_leader_picks_a_topic_whose_page_tracks_exactly_its_cases(history: History) -> None:
    _october(history)
    d = history.desk
    c = d.county
    candidates_compute(month=OCTOBER, now=NOW)
    leader = client_for(c.leader)
    page = leader.get(reverse("topics:candidates") + "?month=2026-10").content.decode()
    water = TopicCandidate.objects.get(month=OCTOBER, category=d.water)
    href, shown = _counts(page[page.index(f'data-candidate="{water.pk}"') :])["cases"]
    assert shown == 4
    october_water = {
        x.pk for x in history.cases if x.category_id == d.water.pk and x.received_at.month == 10
    }
    assert _listed(leader.get(href).content.decode()) == october_water

    response = leader.post(reverse("topics:pick"), {"candidate": water.pk, "title": "农村供水保障"})
    topic = MonthlyTopic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("topics:topic", args=[topic.pk])
    assert (topic.title, topic.month, topic.category_id, topic.picked_by_id) == (
        "农村供水保障",
        OCTOBER,
        d.water.pk,
        c.leader.pk,
    )
    # October's water cases (a leak, a sub-category, written later without intake, is not).
    leaking = history.case(category=d.leaking_pipe, region=c.village_a, when=NOW)  # a sub-category
    assert set(topic.links.values_list("case_id", flat=True)) == october_water
    assert AuditEvent.objects.filter(action="topics.topic_pick").count() == 1

    # A new case through the intake joins it at once; another problem's does not.
    new = history.intake(category=d.water, region=c.village_b, text="今天又停水了")
    history.intake(category=d.housing, region=c.village_b, text="房屋漏雨")
    linked = october_water | {new.pk}
    assert set(topic.links.values_list("case_id", flat=True)) == linked

    page = leader.get(reverse("topics:topic", args=[topic.pk])).content.decode()
    assert _listed(page) == linked
    counts = _counts(page)
    assert counts["all"][1] == 5 and counts["open"][1] == 1 and counts["closed"][1] == 4
    assert _listed(leader.get(counts["open"][0]).content.decode()) == {new.pk}
    assert _listed(leader.get(counts["closed"][0]).content.decode()) == october_water

    # By hand: link a case by its number, unlink one; an unlinked case is not linked again.
    leader.post(reverse("topics:topic_link", args=[topic.pk]), {"number": leaking.number})
    leader.post(reverse("topics:topic_unlink", args=[topic.pk]), {"case": new.pk})
    page = leader.get(reverse("topics:topic", args=[topic.pk])).content.decode()
    assert _listed(page) == october_water | {leaking.pk}
    Case.objects.filter(pk=new.pk).update(category=d.housing)
    from wenmin.cases.services import case_classify  # noqa: PLC0415

    case_classify(
        case=Case.objects.get(pk=new.pk),
        actor=d.dispatcher,
        kind="complaint",
        category=d.water,
        urgency="normal",
    )
    assert TopicCase.objects.get(topic=topic, case=new).unlinked is True


def test_picking_and_linking_are_for_county_leaders_and_refuse_bad_input(history: History) -> None:
    _october(history)
    d = history.desk
    c = d.county
    candidates_compute(month=OCTOBER, now=NOW)
    water = TopicCandidate.objects.get(month=OCTOBER, category=d.water)
    # The dispatcher supervises and sees the candidates, but a leader picks.
    dispatcher = client_for(d.dispatcher)
    assert dispatcher.get(reverse("topics:candidates")).status_code == 200
    assert dispatcher.post(reverse("topics:pick"), {"candidate": water.pk}).status_code == 403
    assert (
        client_for(c.township_clerk)
        .post(reverse("topics:pick"), {"candidate": water.pk})
        .status_code
        == 403
    )
    assert MonthlyTopic.objects.count() == 0
    leader = client_for(c.leader)
    for junk in (
        {"candidate": "x"},
        {"candidate": str(2**70)},
        {"candidate": water.pk, "title": "a\x00b"},
        {"candidate": water.pk, "title": "长" * 121},
    ):
        assert leader.post(reverse("topics:pick"), junk).status_code == 400
    assert leader.post(reverse("topics:pick"), {"candidate": 999999}).status_code == 404
    assert leader.get(reverse("topics:candidates") + "?month=2026-13").status_code == 400
    assert MonthlyTopic.objects.count() == 0 and TopicCase.objects.count() == 0
    leader.post(reverse("topics:pick"), {"candidate": water.pk})
    # Picking the same problem twice for a month is refused, with nothing half-saved.
    response = leader.post(reverse("topics:pick"), {"candidate": water.pk}, follow=True)
    assert (
        "已是该月的题目" in response.content.decode()
        or "already a topic" in response.content.decode()
    )
    assert MonthlyTopic.objects.count() == 1
    topic = MonthlyTopic.objects.get()
    links = TopicCase.objects.count()
    response = leader.post(
        reverse("topics:topic_link", args=[topic.pk]), {"number": "NO-SUCH"}, follow=True
    )
    assert response.status_code == 200 and TopicCase.objects.count() == links
    assert (
        leader.post(reverse("topics:topic_unlink", args=[topic.pk]), {"case": "junk"}).status_code
        == 400
    )
    assert (
        leader.post(reverse("topics:topic_project", args=[topic.pk]), {"project": "-1"}).status_code
        == 400
    )
    leader.post(reverse("topics:topic_project", args=[topic.pk]), {"project": "12"})
    topic.refresh_from_db()
    assert topic.project_id == 12
    assert (
        client_for(c.township_clerk).get(reverse("topics:topic", args=[topic.pk])).status_code
        == 403
    )
    assert leader.get(reverse("topics:topic", args=[topic.pk]) + "?state=bogus").status_code == 400


def test_the_worker_ranks_last_month_once(history: History, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from wenmin.topics.services import candidates_compute_if_due

    _october(history)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 20))
    first = candidates_compute_if_due()
    assert first is not None and len(first) == 2
    assert candidates_compute_if_due() is None
