"""Every number of the scoreboard opens exactly the records it counts, and says how many.

A month is built through the real services by the named actors of wenmin/testing.py: handled
cases, returns and re-dispatches, escalations, a rework, an accepted appeal, a merged duplicate,
an unreasonable rejection, and cases whose steps fall on both sides of the month's start. The
county leader then opens every page of the scoreboard, follows every link of every number, and
the list behind it must state the same count (and the same rate, mean or rate per 1,000).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.organisation import services as org
from wenmin.scoreboard import services as scoreboard
from wenmin.scoreboard.figures import (
    COUNTY,
    Counted,
    candidate_events,
    figure_of,
    figure_records,
    period_events,
)
from wenmin.scoreboard.models import Subject
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.rollups import rollups_rebuild
from wenmin.scoreboard.tests.test_pages import _handled, this_month

RANKING = reverse("scoreboard:ranking")


def _new(desk, village=None, content="村口路灯不亮") -> Case:  # type: ignore[no-untyped-def]
    return cases.case_intake(
        channel=Channel.PHONE,
        kind="help",
        content=content,
        region=village or desk.county.village_a,
    )


def _back_to(case: Case, day: dt.date) -> None:
    """Move everything that has happened to a case so far to a day of another month."""
    at = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    for n, event in enumerate(CaseEvent.objects.filter(case=case).order_by("id")):
        CaseEvent.objects.filter(pk=event.pk).update(at=at + dt.timedelta(minutes=n))
    Case.objects.filter(pk=case.pk).update(received_at=at)
    Case.objects.filter(pk=case.pk, dispatched_at__isnull=False).update(dispatched_at=at)


def _month(desk) -> dict[str, Case]:  # type: ignore[no-untyped-def]
    """A month of work in the small county, through the services, by the named actors."""
    c = desk.county
    before = this_month().previous().start + dt.timedelta(days=20)
    made: dict[str, Case] = {}
    # Work that began last month: dispatched then, signed for now; received then, merged now.
    late = cases.case_dispatch(case=_new(desk), actor=desk.dispatcher, unit=c.department)
    _back_to(late, before)
    old = _new(desk, content="上月的诉求")
    _back_to(old, before)
    rollups_rebuild()
    made["late"] = cases.case_sign_for(case=Case.objects.get(pk=late.pk), actor=c.department_clerk)
    # This month: handled cases for both townships and the department.
    for satisfaction in (5, 5, 4, 5, 2, 5):
        _handled(desk, c.government_a, c.township_clerk, satisfaction=satisfaction)
    for satisfaction in (5, 1):
        _handled(
            desk,
            c.government_b,
            c.other_township_clerk,
            village=c.village_b,
            satisfaction=satisfaction,
        )
    for village, satisfaction in ((c.village_a, 5), (c.village_b, 4), (c.village_b, 5)):
        _handled(desk, c.department, c.department_clerk, village=village, satisfaction=satisfaction)
    made["merged_old"] = cases.case_merge(
        case=Case.objects.get(pk=old.pk), actor=desk.dispatcher, primary=made["late"]
    )
    # Returned by the township, re-dispatched to the department, reworked once, then closed.
    case = cases.case_dispatch(case=_new(desk), actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_return(case=case, actor=c.township_clerk, reason="不属本单位")
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.department)
    case = cases.case_sign_for(case=case, actor=c.department_clerk)
    case = cases.case_plan(case=case, actor=c.department_clerk, plan="现场核查")
    case = cases.case_reply(case=case, actor=c.department_clerk, reply="已处理")
    case = cases.case_callback(case=case, actor=desk.dispatcher, resolved=False, satisfaction=2)
    case = cases.case_plan(case=case, actor=c.department_clerk, plan="重新处理")
    case = cases.case_reply(case=case, actor=c.department_clerk, reply="已重新处理")
    made["reworked"] = cases.case_callback(
        case=case, actor=desk.dispatcher, resolved=True, satisfaction=5
    )
    # Returned three times by 白沙乡: escalated, with no lead unit.
    case = _new(desk, c.village_b, content="噪音扰民")
    for _ in range(3):
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_b)
        case = cases.case_return(case=case, actor=c.other_township_clerk, reason="不属本单位")
    made["returned_thrice"] = case
    # Overdue at the department: escalated with the department as lead unit.
    case = cases.case_dispatch(
        case=_new(desk, c.village_b), actor=desk.dispatcher, unit=c.department
    )
    case = cases.case_sign_for(case=case, actor=c.department_clerk)
    Case.objects.filter(pk=case.pk).update(result_due=timezone.now() - dt.timedelta(hours=1))
    assert cases.case_escalate_overdue(case=Case.objects.get(pk=case.pk))
    made["overdue"] = case
    # Appealed and accepted: it no longer counts for 青石镇.
    appealed = _handled(desk, c.government_a, c.township_clerk, satisfaction=1, resolved=False)
    appeal = scoreboard.appeal_submit(actor=c.township_clerk, case=appealed, reason="超出职责")
    scoreboard.appeal_decide(actor=c.leader, appeal=appeal, accept=True, note="经核实")
    made["appealed"] = appealed
    # A duplicate merged and an unreasonable request rejected: not cases received.
    made["duplicate"] = cases.case_merge(
        case=_new(desk), actor=desk.dispatcher, primary=made["reworked"]
    )
    made["unreasonable"] = cases.case_reject(
        case=_new(desk, c.village_b), actor=desk.dispatcher, reason="unreasonable", note="无理诉求"
    )
    # Dispatched, not yet signed for: a trial of the response rate, no success.
    made["waiting"] = cases.case_dispatch(
        case=_new(desk), actor=desk.dispatcher, unit=c.government_a
    )
    assert rollups_rebuild(dry_run=True).differences == []
    return made


# Reading the pages -------------------------------------------------------------------------------

LINK = re.compile(
    r'<a (?:class="n" )?href="([^"]*/scoreboard/figure/\?[^"]*)"([^>]*)>(.*?)</a>', re.S
)


def _links(page: str) -> list[tuple[str, str, str | None, str | None]]:
    """(url, figure, what the link shows, its value text or None, n text or None) per number."""
    found = []
    for href, attributes, inner in LINK.findall(page):
        url = html.unescape(href)
        shows = re.search(r'data-shows="(\w+)"', attributes)
        value = re.search(r'<span class="v">([^<]*)</span>', inner)
        n = re.search(r"n=(\d+)", inner)
        found.append(
            (
                url,
                shows.group(1) if shows else "n",
                value.group(1) if value else None,
                n.group(1) if n else None,
            )
        )
    return found


def _figure(client, url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    page = html.unescape(response.content.decode())
    total = re.search(r'<div class="sb-total"([^>]*)>', page)
    assert total, url
    said = dict(re.findall(r'data-([\w-]+)="([^"]*)"', total.group(1)))
    said["rows"] = str(_rows_on_every_page(client, url, page))
    said["page"] = page
    return said


def _first_table_rows(page: str) -> int:
    first = re.search(r'<table class="sb-cases sb-records">(.*?)</table>', page, re.S)
    return len(re.findall(r"<tr data-case=", first.group(1))) if first else 0


def _rows_on_every_page(client, url: str, page: str) -> int:  # type: ignore[no-untyped-def]
    """The records of the list, following its pages (a month of a county runs to hundreds)."""
    rows, number = _first_table_rows(page), 1
    while re.search(rf"[?&;]page={number + 1}\b", page):
        number += 1
        page = html.unescape(client.get(f"{url}&page={number}").content.decode())
        rows += _first_table_rows(page)
    return rows


def _check_every_number(client, page: str, where: str) -> int:  # type: ignore[no-untyped-def]
    """Follow every number's link on a page; the list must say what the number says."""
    checked = 0
    for url, shows, value, n in _links(page):
        said = _figure(client, url)
        figure = parse_qs(urlsplit(url).query)["figure"][0]
        context = f"{where}: {figure} ({shows}) {url}"
        total = said["total"]
        unit = "件" if figure == "received" else "条"
        assert f"共 {total} {unit}" in said["page"], context
        assert "sb-hidden" not in said["page"], context  # the county leader sees every case
        if n is not None:
            assert n == total, context
        if shows == "count":
            assert value == total, context
            assert said["rows"] == total, context
        elif shows == "rate":
            assert value == said["rate"], context
            assert value == "—" or float(value.rstrip("%")) <= 100, context
        elif shows == "mean":
            assert value == said["mean"], context
        elif shows == "per_thousand":
            assert value == said["per-thousand"], context
            assert said["rows"] == total, context
        if figure != "received" and shows in ("n", "rate") and said.get("apart") != "1":
            assert said["rows"] == total, context
        checked += 1
    return checked


@pytest.mark.parametrize("month", ["this", "previous"])
def test_every_number_of_every_page_opens_as_many_records_as_it_says(client, desk, month):
    c = desk.county
    made = _month(desk)
    period = this_month() if month == "this" else this_month().previous()
    client.force_login(c.leader)
    checked = 0
    for group in ("township", "department", "branch", "cadre"):
        response = client.get(RANKING, {"group": group, "period": period.label})
        page = response.content.decode()
        checked += _check_every_number(client, page, f"ranking {group}")
        for pk in re.findall(r'<tr data-subject="(\d+)"', page):
            card = client.get(
                reverse("scoreboard:scorecard", args=[group, pk]), {"period": period.label}
            )
            checked += _check_every_number(client, card.content.decode(), f"card {group} {pk}")
    for url in (reverse("scoreboard:lists"), reverse("scoreboard:bulletin")):
        page = client.get(url, {"period": period.label}).content.decode()
        checked += _check_every_number(client, page, url)
    assert checked > (200 if month == "this" else 20)
    if month == "this":
        # The cases that must not be in this month's received cases, and those that must be.
        url = _url("township", c.township_a.pk, "received", period)
        listed = {
            int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', _figure(client, url)["page"])
        }
        assert made["duplicate"].pk not in listed and made["reworked"].pk in listed
        escalations = _figure(client, _url("department", c.department.pk, "escalated", period))
        assert (
            escalations["total"] == "1"
            and f'data-case="{made["overdue"].pk}"' in escalations["page"]
        )
    else:
        # Signed for in time this month, it answers last month's dispatch: a success of last
        # month's response rate, beside that dispatch.
        said = _figure(client, _url("department", c.department.pk, "response", period))
        assert said["total"] == "1" and said["successes"] == "1" and said["rate"] == "100.0%"
        assert said["page"].count(f'data-case="{made["late"].pk}"') == 2


def _url(group: str, pk: int, figure: str, period: Period) -> str:
    return (
        f"{reverse('scoreboard:figure')}?group={group}&subject={pk}&figure={figure}"
        f"&period={period.label}"
    )


# Who sees which records ------------------------------------------------------------------------


def test_a_township_clerk_gets_the_full_count_and_only_the_cases_in_her_scope(client, desk):
    c = desk.county
    ours = _handled(desk, c.department, c.department_clerk, village=c.village_a)
    theirs = [
        _handled(desk, c.department, c.department_clerk, village=c.village_b) for _ in range(2)
    ]
    url = _url("department", c.department.pk, "resolution", this_month())
    client.force_login(c.leader)
    assert _figure(client, url)["total"] == "3"
    client.force_login(c.township_clerk)
    ranking = client.get(RANKING, {"group": "department", "period": this_month().label})
    assert ranking.status_code == 200  # every staff role sees the county's rankings
    said = _figure(client, url)
    assert said["total"] == "3" and said["rows"] == "1" and said["hidden"] == "2"
    assert "共 3 条" in said["page"] and "其中 2 条属于您查看范围以外的诉求" in said["page"]
    assert f'data-case="{ours.pk}"' in said["page"]
    for case in theirs:  # nothing of them: no link, no number, no title
        assert f'data-case="{case.pk}"' not in said["page"]
        assert case.number not in said["page"]


def test_a_branch_counts_its_village_and_the_township_all_its_villages(client, desk):
    c = desk.county
    other_village = org.region_create(
        actor=None,
        code="369901101202",
        name="石桥村",
        level="village",
        kind="village",
        parent=c.township_a,
        population=1000,
    )
    in_village = _handled(desk, c.government_a, c.township_clerk, village=c.village_a)
    elsewhere = _handled(desk, c.government_a, c.township_clerk, village=other_village)
    client.force_login(c.leader)
    branch = _figure(client, _url("branch", c.branch_a.pk, "received", this_month()))
    assert branch["total"] == "1" and f'data-case="{in_village.pk}"' in branch["page"]
    assert f'data-case="{elsewhere.pk}"' not in branch["page"]
    assert branch["per-thousand"] == f"{1000 * 1 / c.village_a.population:.2f}"
    township = _figure(client, _url("township", c.township_a.pk, "received", this_month()))
    assert township["total"] == "2"
    resolution = _figure(client, _url("branch", c.branch_a.pk, "resolution", this_month()))
    assert resolution["total"] == "1" and resolution["rows"] == "1"


def test_the_figure_page_refuses_what_it_does_not_know(client, desk):
    c = desk.county
    client.force_login(c.leader)
    page = reverse("scoreboard:figure")
    assert client.get(page, {"group": "township", "subject": c.township_a.pk}).status_code == 404
    for query in (
        {"group": "nothing", "subject": c.township_a.pk, "figure": "response"},
        {"group": "branch", "subject": c.branch_a.pk, "figure": "response"},  # no sign-for there
        {"group": "cadre", "subject": c.cadre_department.pk, "figure": "escalated"},
        {"group": "township", "subject": "x", "figure": "response"},
        {"group": "township", "subject": "99999999999999999999", "figure": "response"},
        {"group": "township", "subject": c.village_a.pk, "figure": "response"},
        {"group": "county", "subject": c.township_a.pk, "figure": "received"},
    ):
        assert client.get(page, query).status_code == 404, query
    client.force_login(c.volunteer)
    query = {"group": "township", "subject": c.township_a.pk, "figure": "response"}
    assert client.get(page, query).status_code == 403


def test_the_figure_page_reads_a_constant_number_of_queries(
    client, desk, django_assert_max_num_queries
):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    client.force_login(c.township_clerk)
    url = _url("township", c.township_a.pk, "resolution", this_month())
    with django_assert_max_num_queries(12) as few:  # 11 today: session, viewer, subject,
        client.get(url)  # events, exclusions, the viewer's cases, the daily counts' cross-check
    for satisfaction in (5, 4, 1, 5, 2, 5):
        _handled(desk, c.government_a, c.township_clerk, satisfaction=satisfaction)
    with django_assert_max_num_queries(len(few.captured_queries)):
        said = _figure(client, url)
    assert said["total"] == "7" and said["rows"] == "7"


# One rule, one place ---------------------------------------------------------------------------


def test_the_records_behind_every_count_equal_the_rollups_for_every_subject(desk):
    """For every subject that has counts and every counter: the drill-down's sum equals the
    rollup's (figure_records against DailyStat), this month and the month before."""
    from django.db.models import Sum

    from wenmin.scoreboard.figures import Figure
    from wenmin.scoreboard.models import COUNTERS, DailyStat

    _month(desk)
    for period in (this_month(), this_month().previous()):
        sums = (
            DailyStat.objects.filter(day__range=(period.start, period.end))
            .values("subject_type", "subject_id")
            .annotate(**{n: Sum(n) for n in (*COUNTERS, "handling_days")})
        )
        compared = 0
        for row in sums:
            counted = Counted(row["subject_type"], frozenset({row["subject_id"]}))
            for name in (*COUNTERS, "handling_days"):
                figure = Figure(name, name, name)
                found = figure_records(counted=counted, figure=figure, period=period)
                assert found.count == pytest.approx(float(row[name] or 0)), (row, name)
                compared += 1
        assert compared > 20


def test_the_candidate_events_use_the_action_and_time_index(desk):
    """The drill-down narrows by (action, at) before reading any event's data."""
    from django.db import connection

    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    counted = Counted(Subject.UNIT, frozenset({c.government_a.pk}))
    figure = figure_of("township", "response")
    events = period_events(counted=counted, figure=figure, period=this_month())
    if connection.vendor == "sqlite":
        sql, params = events.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        index = next(i.name for i in CaseEvent._meta.indexes if i.fields == ["action", "at"])
        assert f"USING INDEX {index} (action=? AND at>? AND at<?)" in plan, plan
    assert events.count() == 2  # the dispatch and the sign-for
    candidates = candidate_events(counted=counted, figure=figure, period=this_month())
    assert [e.action for e in candidates] == ["dispatch", "sign_for"]


def test_the_county_figures_of_the_bulletin_open_their_records(client, desk):
    c = desk.county
    _month(desk)
    client.force_login(c.leader)
    said = _figure(client, _url(COUNTY, c.county.pk, "closed", this_month()))
    bulletin = client.get(reverse("scoreboard:bulletin"), {"period": this_month().label})
    assert said["total"] == str(bulletin.context["bulletin"].headline.closed)
    page = bulletin.content.decode()
    escalated = bulletin.context["bulletin"].headline.escalated
    assert escalated == 2
    section = re.search(r'<section class="sb-section" id="escalations">(.*?)</section>', page, re.S)
    assert section and f'data-total="{escalated}"' in section.group(1)
    assert len(re.findall(r"<tr data-case=", section.group(1))) == escalated
    client.force_login(c.department_clerk)  # sees the department's escalation, not 白沙乡's
    page = client.get(reverse("scoreboard:bulletin"), {"period": this_month().label})
    section = re.search(
        r'<section class="sb-section" id="escalations">(.*?)</section>', page.content.decode(), re.S
    )
    assert section and 'data-hidden="1"' in section.group(1)
    assert len(re.findall(r"<tr data-case=", section.group(1))) == 1


# Cadres: the people whose accounts took the steps ------------------------------------------------


def test_a_cadres_figures_and_dossier_come_from_the_steps_their_account_took(client, desk):
    c = desk.county
    zhang = c.department_clerk  # 张伟's account, linked to the cadre 张伟 of the department
    assert zhang.person_id == c.cadre_department.pk
    handled = [
        _handled(desk, c.department, zhang, satisfaction=s, village=c.village_b)
        for s in (5, 5, 4, 2, 5)
    ]
    late = cases.case_dispatch(case=_new(desk), actor=desk.dispatcher, unit=c.department)
    Case.objects.filter(pk=late.pk).update(sign_for_due=timezone.now() - dt.timedelta(hours=1))
    late = cases.case_sign_for(case=Case.objects.get(pk=late.pk), actor=zhang)
    returned = cases.case_dispatch(case=_new(desk), actor=desk.dispatcher, unit=c.department)
    returned = cases.case_return(case=returned, actor=zhang, reason="不属本单位")
    _handled(desk, c.government_a, c.township_clerk)  # not his: another account's steps
    mine = {e.pk for e in CaseEvent.objects.filter(actor=zhang)}
    client.force_login(c.leader)
    response = client.get(RANKING, {"group": "cadre", "period": this_month().label})
    row = re.search(
        rf'<tr data-subject="{c.cadre_department.pk}" data-rank="1">(.*?)</tr>',
        html.unescape(response.content.decode()),
        re.S,
    )
    assert row, "张伟 is ranked first"
    assert re.search(r'data-figure="response">.*?>83\.3%</span> <span class="n">n=6<', row[1], re.S)
    assert re.search(r'data-figure="returned">.*?>1<', row[1], re.S)
    for figure, total in (("response", "6"), ("signed", "6"), ("returned", "1"), ("handling", "5")):
        said = _figure(client, _url("cadre", c.cadre_department.pk, figure, this_month()))
        assert said["total"] == total, figure
        events = {int(pk) for pk in re.findall(r'data-event="(\d+)"', said["page"])}
        assert events and events <= mine, figure  # only steps his account took
    response_rate = _figure(client, _url("cadre", c.cadre_department.pk, "response", this_month()))
    assert response_rate["successes"] == "5"  # the late sign-for is not a success
    assert f'data-case="{late.pk}" data-event' in response_rate["page"]
    # Callbacks count for the cadre who replied, whoever made the call.
    satisfaction = _figure(
        client, _url("cadre", c.cadre_department.pk, "satisfaction", this_month())
    )
    listed = {int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', satisfaction["page"])}
    assert listed == {case.pk for case in handled} and satisfaction["successes"] == "4"
    # The dossier (the front line's page the ranking leads to) lists the cases he led.
    dossier = client.get(reverse("scoreboard:dossier", args=[c.cadre_department.pk]), follow=True)
    cases_led = next(v.section for v in dossier.context["sections"] if v.section.key == "cases")
    listed = {row.url for row in cases_led.rows}
    assert {reverse("cases:case_detail", args=[case.pk]) for case in [*handled, late]} <= listed
