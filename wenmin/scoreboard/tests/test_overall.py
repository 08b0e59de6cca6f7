"""The comparison across all the work, end to end on a small county with a toy source: the tree
version in force each month, the ranking page's numbers opening their records, the indicator
system's versions, and an appeal on a record of a source other than the cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.organisation import services as org
from wenmin.organisation.models import Position, PositionKind
from wenmin.scoreboard import trees
from wenmin.scoreboard.models import Appeal, AppealStatus, IndicatorTree
from wenmin.scoreboard.overall import standing
from wenmin.scoreboard.periods import Period
from wenmin.tallies.models import RecountOwed, Tally
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.recount import recount_run
from wenmin.tallies.registry import SOURCES, UNIT
from wenmin.tallies.selectors import recount_pending
from wenmin.tallies.services import record_changed
from wenmin.tallies.testing import TOY, toy_source_register
from wenmin.testing import build_small_county

pytestmark = pytest.mark.django_db
OVERALL = reverse("scoreboard:overall")


@pytest.fixture
def county():  # type: ignore[no-untyped-def]
    kept = dict(SOURCES)
    toy_source_register()
    county = build_small_county()
    tallies_rebuild(sources=[TOY])
    yield county
    SOURCES.clear()
    SOURCES.update(kept)


def _post(county, start, days):  # type: ignore[no-untyped-def]
    post = Position.objects.create(
        person=county.cadre_department,
        unit=county.department,
        kind=PositionKind.CASE_HANDLER,
        start_date=start,
        end_date=start + dt.timedelta(days=days),
    )
    record_changed(TOY, post.pk)
    return post


def _version(group, month, measure, today):  # type: ignore[no-untyped-def]
    return trees.tree_version_save(
        actor=None,
        group=group,
        valid_from=month,
        indicators=[trees.IndicatorInput(measure, "quality", "1", "higher")],
        minimum_sample=1,
        prior_weight=0,
        note="",
        today=today,
    )


def test_each_month_is_scored_with_the_version_in_force_that_month(county):  # type: ignore[no-untyped-def]
    spring = _version("department", dt.date(2026, 1, 1), "toy.posts", dt.date(2026, 1, 5))
    summer = _version("department", dt.date(2026, 7, 1), "toy.days", dt.date(2026, 6, 20))
    _post(county, dt.date(2026, 3, 2), 12)
    _post(county, dt.date(2026, 8, 3), 7)
    march = standing(group="department", period=Period.month(2026, 3), county=county.county)
    august = standing(group="department", period=Period.month(2026, 8), county=county.county)
    assert march.tree.version == spring.pk and august.tree.version == summer.pk
    [m] = [r for r in march.rows if r.pk == county.department.pk]
    [a] = [r for r in august.rows if r.pk == county.department.pk]
    assert list(m.values) == ["toy.posts"] and m.values["toy.posts"].amount == 1
    assert list(a.values) == ["toy.days"] and a.values["toy.days"].raw == 7
    # December 2025 is before either version: the built-in default, which has no toy indicator.
    before = standing(group="department", period=Period.month(2025, 12), county=county.county)
    assert before.tree.version is None and "toy.posts" not in before.rows[0].values


def test_a_month_already_begun_keeps_its_version(county):  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _version("department", dt.date(2026, 3, 1), "toy.posts", dt.date(2026, 4, 2))
    with pytest.raises(ValidationError):  # a township has no toy indicator
        _version("township", dt.date(2026, 5, 1), "toy.posts", dt.date(2026, 4, 2))
    assert not IndicatorTree.objects.exists()


def test_every_number_opens_its_records_and_an_appeal_takes_one_away(client, county):  # type: ignore[no-untyped-def]
    _version("department", dt.date(2026, 1, 1), "toy.posts", dt.date(2026, 1, 5))
    first = _post(county, dt.date(2026, 3, 2), 12)
    _post(county, dt.date(2026, 3, 9), 5)
    client.force_login(county.leader)
    page = client.get(OVERALL, {"group": "department", "period": "2026-03"})
    assert page.status_code == 200
    body = page.content.decode()
    row = re.search(
        rf'<tr data-subject="{county.department.pk}" data-rank="1">(.*?)</tr>', body, re.S
    )
    assert row is not None
    cell = re.search(
        r'data-figure="toy.posts"><a href="([^"]+)"[^>]*><span class="v">(\d+)</span>', row.group(1)
    )
    assert cell is not None and cell.group(2) == "2"
    evidence = client.get(cell.group(1).replace("&amp;", "&"))
    assert evidence.status_code == 200
    listed = re.findall(r'<tr data-record="(\d+)"', evidence.content.decode())
    assert len(listed) == 2 and 'data-total="2"' in evidence.content.decode()
    # The department's clerk appeals the first post; the leader accepts; it no longer counts.
    client.logout()
    client.force_login(county.department_clerk)
    evidence = client.get(cell.group(1).replace("&amp;", "&"))
    assert "appeals/record/" in evidence.content.decode()
    sent = client.post(
        reverse("scoreboard:record_appeal_new"),
        {"source": TOY, "record": first.pk, "reason": "这不是本单位的岗位"},
    )
    assert sent.status_code == 302
    appeal = Appeal.objects.get(source=TOY, record=first.pk)
    assert appeal.case is None and appeal.status == AppealStatus.PENDING
    again = client.post(
        reverse("scoreboard:record_appeal_new"),
        {"source": TOY, "record": first.pk, "reason": "再次申诉"},
    )
    assert again.status_code == 400
    client.logout()
    client.force_login(county.leader)
    detail = client.get(reverse("scoreboard:appeal_detail", args=[appeal.pk]))
    assert detail.status_code == 200
    decided = client.post(
        reverse("scoreboard:appeal_detail", args=[appeal.pk]),
        {"decision": "accept", "note": "属实"},
    )
    assert decided.status_code == 302
    march = standing(group="department", period=Period.month(2026, 3), county=county.county)
    [dept] = [r for r in march.rows if r.pk == county.department.pk]
    assert dept.values["toy.posts"].amount == 1
    [report] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert report.difference_count == 0
    kept = Tally.objects.filter(
        source=TOY, subject_type=UNIT, subject_id=county.department.pk, counter="posts"
    )
    assert (
        sum(t.amount for t in kept) == Position.objects.filter(unit=county.department).count() - 1
    )


def test_a_record_of_another_unit_cannot_be_appealed(client, county):  # type: ignore[no-untyped-def]
    post = Position.objects.create(
        person=county.cadre_department,
        unit=county.other_department,
        kind=PositionKind.CASE_HANDLER,
        start_date=dt.date(2026, 3, 2),
    )
    record_changed(TOY, post.pk)
    client.force_login(county.department_clerk)
    url = reverse("scoreboard:record_appeal_new")
    assert client.get(url, {"source": TOY, "record": post.pk}).status_code == 404
    assert client.get(url, {"source": "nope", "record": post.pk}).status_code == 404
    assert client.get(url, {"source": TOY, "record": "１２"}).status_code == 404


def test_the_indicator_system_page_saves_a_version_for_the_administrator_only(client, county):  # type: ignore[no-untyped-def]
    url = reverse("scoreboard:indicators")
    client.force_login(county.leader)
    page = client.get(url, {"group": "department"})
    body = page.content.decode()
    assert page.status_code == 200 and 'data-measure="cases.response"' in body
    assert "weight_0" not in body  # the form is the administrator's
    assert client.post(f"{url}?group=department", {}).status_code == 403
    client.logout()
    client.force_login(county.administrator)
    page = client.get(url, {"group": "department"})
    rows = re.findall(r'<tr data-measure="([^"]+)"><td><label for="w-(\d+)"', page.content.decode())
    index = {key: i for key, i in rows}
    month = trees.timezone.localdate() + dt.timedelta(days=40)
    data = {
        "valid_from": f"{month:%Y-%m}",
        "minimum_sample": "3",
        "prior_weight": "5",
        "note": "加入岗位数",
    }
    for key, i in index.items():
        data[f"weight_{i}"] = "2" if key == "toy.posts" else "0"
        data[f"half_{i}"] = "efficiency"
        data[f"direction_{i}"] = "higher"
    saved = client.post(f"{url}?group=department", data)
    assert saved.status_code == 302
    tree = IndicatorTree.objects.get(group="department")
    assert [(i.measure, i.half, float(i.weight)) for i in tree.indicators.all()] == [
        ("toy.posts", "efficiency", 2.0)
    ]
    assert tree.minimum_sample == 3 and tree.valid_from == month.replace(day=1)
    data["weight_" + index["toy.posts"]] = "abc"
    assert client.post(f"{url}?group=department", data).status_code == 400
    assert client.get(url, {"group": "nope"}).status_code == 404


@pytest.mark.parametrize("group", ["township", "department", "branch", "cadre", "member"])
def test_every_group_opens_and_junk_is_refused(client, county, group):  # type: ignore[no-untyped-def]
    client.force_login(county.leader)
    assert client.get(OVERALL, {"group": group, "period": "2026-03"}).status_code == 200
    assert client.get(OVERALL, {"group": group, "period": "20x6"}).status_code == 400
    evidence = reverse("scoreboard:evidence")
    assert client.get(evidence, {"group": group, "subject": "x"}).status_code == 400
    assert (
        client.get(
            evidence, {"group": group, "subject": 999999, "measure": "toy.posts"}
        ).status_code
        == 404
    )


def test_the_api_answers_the_same_standing_as_the_page(client, county):  # type: ignore[no-untyped-def]
    _version("department", dt.date(2026, 1, 1), "toy.posts", dt.date(2026, 1, 5))
    _post(county, dt.date(2026, 3, 2), 12)
    url = "/api/v1/scoreboard/standing"
    assert client.get(url, {"group": "department"}).status_code == 401
    client.force_login(county.leader)
    answer = client.get(url, {"group": "department", "period": "2026-03"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["tree_valid_from"] == "2026-01-01" and body["group"] == "department"
    [row] = [r for r in body["rows"] if r["id"] == county.department.pk]
    [posts] = row["indicators"]
    assert posts["measure"] == "toy.posts" and posts["value"] == 1 and row["rank"] == 1
    assert posts["records"].startswith(reverse("scoreboard:evidence"))
    assert client.get(url, {"group": "nope"}).status_code == 400
    assert client.get(url, {"period": "2026-13"}).status_code == 400
    client.force_login(county.resident)
    assert client.get(url).status_code == 403


def test_the_dossier_shows_the_cadres_scores_month_by_month(county):  # type: ignore[no-untyped-def]
    from wenmin.core import dossier
    from wenmin.scoreboard.dossier import scores_section

    _version("cadre", dt.date(2026, 1, 1), "toy.posts", dt.date(2026, 1, 5))
    _post(county, dt.date(2026, 3, 2), 12)
    _post(county, dt.date(2026, 4, 2), 12)
    found = scores_section(
        person=county.cadre_department,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 4, 30),
        viewer=county.leader,
    )
    figures = {f.key: f for f in found.figures}
    assert figures["rank"].value == "1 / 1" and figures["composite"].url.startswith(OVERALL)
    months = {row.label: row for row in found.rows}
    assert set(months) == {"2026-01", "2026-02", "2026-03", "2026-04"}
    assert "1" in str(months["2026-03"].detail) and "period=2026-03" in months["2026-03"].url
    assert dossier.section_get("scores") is not None
    refused = scores_section(
        person=county.cadre_department,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 4, 30),
        viewer=county.resident,
    )
    assert not refused.figures and not refused.rows


def test_a_long_comparison_is_shown_a_page_at_a_time(client, county, monkeypatch):  # type: ignore[no-untyped-def]
    from wenmin.scoreboard import views_overall

    monkeypatch.setattr(views_overall, "PAGE_SIZE", 1)
    client.force_login(county.leader)
    first = client.get(OVERALL, {"group": "department", "period": "2026-03"}).content.decode()
    subjects = int(re.search(r'data-subjects="(\d+)"', first).group(1))  # type: ignore[union-attr]
    assert subjects >= 2 and len(re.findall(r"<tr data-subject=", first)) == 1
    assert 'rel="next"' in first
    last = client.get(
        OVERALL, {"group": "department", "period": "2026-03", "page": subjects}
    ).content.decode()
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert client.get(OVERALL, {"group": "department", "page": "junk"}).status_code == 200


def test_the_page_says_while_the_figures_are_recounted_after_the_organisation_changed(  # type: ignore[no-untyped-def]
    client, county
):
    RecountOwed.objects.all().delete()  # what building the county noted
    client.force_login(county.leader)
    query = {"group": "department", "period": "2026-03"}
    assert "data-recount-pending" not in client.get(OVERALL, query).content.decode()
    org.party_member_set(
        actor=county.administrator,
        person=county.member_a,
        branch=county.branch_b,
        joined_on=dt.date(2001, 7, 1),
    )
    since = recount_pending()
    assert since is not None
    body = client.get(OVERALL, query).content.decode()
    notice = re.search(r"<p class=\"notice\" data-recount-pending[^>]*>([^<]*)</p>", body)
    assert notice is not None
    assert notice.group(1) == (
        f"组织架构已于 {timezone.localtime(since):%H:%M} 调整，数据正在重新统计，"
        "可能仍有记录计入原单位或原支部。"
    )
    recount_run()
    assert "data-recount-pending" not in client.get(OVERALL, query).content.decode()
