"""A cadre's complete front-line dossier: the posts with their periods, a section per module with
one record of each kind, every figure opening the records it counts; for the organisation
department only; in a constant number of queries."""

from __future__ import annotations

import html
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from wenmin.core import dossier
from wenmin.frontline.services import inspection_add
from wenmin.organisation import services as org
from wenmin.organisation.models import PositionKind

from .conftest import Front, a_case, client_for


def _dossier(front: Front, user=None):  # type: ignore[no-untyped-def]
    url = reverse("frontline:cadre", args=[front.zhang.pk])
    return client_for(user or front.desk.county.leader).get(url, {"year": front.today.year})


def _figure(page: str, section: str, key: str) -> tuple[str, str]:
    """(value, link) of a figure of a section on the page."""
    part = re.search(rf'data-section="{section}">(.*?)</section>', page, re.S)
    assert part, section
    found = re.search(
        rf'data-figure="{key}"><a href="([^"]+)"><span class="v">([^<]+)', part.group(1)
    )
    assert found, (section, key)
    return found.group(2).strip(), html.unescape(found.group(1))


def test_the_dossier_shows_every_kind_of_record_and_each_figure_opens_its_records(
    front: Front,
) -> None:
    response = _dossier(front)
    assert response.status_code == 200
    page = response.content.decode()
    expected = {
        ("cases", "cases"): "1",
        ("cases", "satisfied"): "1",
        ("cases", "closed"): "1",
        ("projects", "responsible"): "1",
        ("projects", "behind"): "1",
        ("projects", "late"): "1",
        ("projects", "on_time"): "0",
        ("branchlife", "held"): "1",
        ("branchlife", "attended"): "1",
        ("branchlife", "missed"): "0",
        ("volunteers", "activities"): "1",
        ("volunteers", "hours"): "1.50",
        ("deeds", "deeds"): "1",
        ("inspections", "inspections"): "1",
        ("inspections", "fair"): "1",
        ("inspections", "poor"): "0",
    }
    records = {
        "cases": reverse("cases:case_detail", args=[front.case.pk]),
        "projects": reverse("projects:detail", args=[front.road.project.pk]),
        "branchlife": reverse("branchlife:meeting", args=[front.meeting.pk]),
        # A county leader organises no team: the activity's team page.
        "volunteers": reverse("volunteers:team", args=[front.participation.activity.team_id]),
        "deeds": reverse("deeds:detail", args=[front.deed.pk]),
        "inspections": reverse("frontline:inspection", args=[front.inspection.pk]),
    }
    client = client_for(front.desk.county.leader)
    for (section, key), value in expected.items():
        shown, link = _figure(page, section, key)
        assert shown == value, (section, key, shown)
        listed = client.get(link)
        assert listed.status_code == 200, link
        rows = listed.context["rows"]
        if key != "hours":  # hours are a sum: its list holds the one activity counted
            assert len(rows) == int(value), (section, key)
        else:
            assert len(rows) == 1
        if rows:
            assert rows[0].url == records[section], (section, key)
    # The records themselves are on the page, linked.
    for section, url in records.items():
        assert f'href="{url}"' in page, section


def test_the_dossier_shows_the_posts_held_with_their_periods(front: Front) -> None:
    c = front.desk.county
    org.position_start(
        actor=None,
        person=front.zhang,
        kind="case_handler",
        unit=c.department,
        start_date=front.today.replace(year=front.today.year - 3, month=1, day=1),
    )
    page = html.unescape(_dossier(front).content.decode())
    posts = re.search(r'id="posts">(.*?)</section>', page, re.S)
    assert posts
    text = posts.group(1)
    assert "科员" in text and "县住房和城乡建设局" in text  # the register's current post
    assert "县住建局机关党支部" in text and "2020-01-01" in text  # secretary since 2020
    with translation.override("zh-hans"):
        handler = str(PositionKind.CASE_HANDLER.label)
    assert re.search(rf"{handler}</td>.*?{front.today.year - 3}-01-01</td><td>现在<", text, re.S)


def test_the_dossier_reads_in_a_constant_number_of_queries(front: Front) -> None:
    client = client_for(front.desk.county.leader)
    url = reverse("frontline:cadre", args=[front.zhang.pk])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    c = front.desk.county
    for n in range(3):
        a_case(front.desk)
        inspection_add(
            actor=c.leader,
            cadre=front.zhang,
            inspected_on=front.today,
            region=c.village_b,
            observed=f"第{n + 2}次一线考察：现场进度正常。",
            rating="good",
        )
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert _figure(page, "cases", "cases")[0] == "4"
    assert _figure(page, "inspections", "good")[0] == "3"
    assert len(more.captured_queries) == len(first.captured_queries)


def test_the_dossier_is_for_the_organisation_department_only(front: Front) -> None:
    c = front.desk.county
    url = reverse("frontline:cadre", args=[front.zhang.pk])
    for user in (c.administrator, c.leader):
        assert client_for(user).get(url).status_code == 200
    for user in (c.township_clerk, c.department_clerk, c.branch_secretary):
        assert client_for(user).get(url).status_code == 403, user.role
    assert client_for(c.resident).get(url).status_code == 403
    assert client_for(c.volunteer).get(url).status_code == 403
    anonymous = client_for(c.leader)
    anonymous.logout()
    assert anonymous.get(url).status_code == 302
    not_a_cadre = reverse("frontline:cadre", args=[c.member_a.pk])
    assert client_for(c.leader).get(not_a_cadre).status_code == 404
    bad_year = client_for(c.leader).get(url, {"year": "1066"})
    assert bad_year.status_code == 400 and bad_year.context["year"] == front.today.year


def test_the_rankings_link_leads_to_the_dossier(front: Front) -> None:
    c = front.desk.county
    old = reverse("scoreboard:dossier", args=[front.zhang.pk])
    response = client_for(c.leader).get(old)
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('frontline:cadre', args=[front.zhang.pk])}?year={front.today.year}"
    )
    assert client_for(c.township_clerk).get(old).status_code == 403


def test_a_section_registered_later_appears_in_the_dossier_and_the_report(front: Front) -> None:
    def scores(*, person, start, end, viewer):  # type: ignore[no-untyped-def]
        return dossier.Section(
            title="比对得分",
            figures=[dossier.Figure("composite", "综合得分", 87.5, url="/scoreboard/")],
        )

    kept = dossier.section_get("scores")  # the scoreboard's own, put back after
    dossier.section_register("scores", "比对得分", 5, scores)
    try:
        page = _dossier(front).content.decode()
        assert _figure(page, "scores", "composite") == ("87.5", "/scoreboard/")
        report = client_for(front.desk.county.leader).get(
            reverse("frontline:report_cadre", args=[front.zhang.pk])
        )
        assert report.context["report"].scores.section.figures[0].value == 87.5
        assert "综合得分" in report.content.decode()
    finally:
        dossier.section_unregister("scores")
        if kept is not None:
            dossier.section_register(kept.key, kept.title, kept.order, kept.fn)
