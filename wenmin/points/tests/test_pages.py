"""A member's points as the pages show them: worked out by hand from a small history, each rule
with the records behind it, the months adding up to the year; who may see whose."""

from __future__ import annotations

import re

from django.urls import reverse

from wenmin.points.models import Adjustment
from wenmin.residents import mine
from wenmin.tallies.registry import SOURCES

from .conftest import PointsWorld, client_of

# 60 base + 4 meetings × 2 − 1 missed × 2 + min(20, 52 h × 0.5) + 2 deeds × 3 + 3 cases × 1
# + bonus 5 − penalty 3 (the withdrawn bonus of 10 does not count)
TOTAL_2026 = 60 + 8 - 2 + 20 + 6 + 3 + 5 - 3


def _points(page: str) -> dict[str, str]:
    """{rule's data-rule id: its points} and the total, from a member's page."""
    found = dict(
        re.findall(
            r'data-rule="(\d+)">\s*<div class="top"><span>[^<]*</span><span class="pts[^"]*" data-points="([^"]+)"',
            page,
        )
    )
    total = re.search(r'data-total="([^"]+)"', page)
    assert total is not None, page
    found["total"] = total.group(1)
    return found


def test_a_members_points_are_computed_from_the_records_by_hand(world: PointsWorld) -> None:
    page = client_of(world.member_b).get(reverse("points:mine") + "?year=2026").content.decode()
    points = _points(page)
    assert points["total"] == str(TOTAL_2026) == "97"
    assert points[str(world.rule("参加会议").pk)] == "8"
    assert points[str(world.rule("缺席会议").pk)] == "-2"
    assert points[str(world.rule("志愿服务").pk)] == "20"  # 26 capped at 20
    assert points[str(world.rule("实事好事").pk)] == "6"
    assert points[str(world.rule("办理诉求").pk)] == "3"
    assert 'data-stars="4"' in page
    assert "防汛值守" in page and "无故缺席主题党日" in page and "记错了人" in page
    months = dict(
        re.findall(r'data-month="(\d{4}-\d\d)"><td>[^<]*</td><td class="n">([^<]+)</td>', page)
    )
    assert months["2026-01"] == "2" and months["2026-02"] == "7" and months["2026-03"] == "4"
    assert months["2026-06"] == "11"  # the hours reach their cap: 20 − 6; the penalty −3
    assert sum(float(v) for v in months.values()) == TOTAL_2026 - 60


def test_the_records_behind_a_rule_are_listed_and_the_missed_meeting_alone(
    world: PointsWorld,
) -> None:
    client = client_of(world.member_b)
    url = reverse("points:mine_evidence")
    attended = client.get(f"{url}?rule={world.rule('参加会议').pk}&year=2026").content.decode()
    assert 'data-count="4"' in attended and attended.count("data-record") == 4
    missed = client.get(f"{url}?rule={world.rule('缺席会议').pk}&year=2026").content.decode()
    assert missed.count("data-record") == 1
    assert f'href="/branchlife/{world.meetings[2]}/"' in missed
    cases = client.get(f"{url}?rule={world.rule('办理诉求').pk}&year=2026")
    assert cases.status_code == 200  # kept in the cases' own counts: no list here, no error


def test_each_year_is_scored_with_its_own_rules(world: PointsWorld) -> None:
    client = client_of(world.member_b)
    page = client.get(reverse("points:mine") + "?year=2025").content.decode()
    assert _points(page)["total"] == "52"  # 2025: base 50 + 2 meetings × 1
    assert 'data-stars="0"' in page
    rule = world.rule("参加会议")
    rule.points = 5
    rule.save()
    assert (
        _points(client.get(reverse("points:mine") + "?year=2025").content.decode())["total"] == "52"
    )
    assert _points(client.get(reverse("points:mine") + "?year=2026").content.decode())[
        "total"
    ] == str(TOTAL_2026 + 4 * 3)
    page = client.get(reverse("points:mine") + "?year=2024").content.decode()
    assert 'data-empty="no-rules"' in page


def test_a_rule_naming_a_source_not_registered_scores_0(world: PointsWorld) -> None:
    del SOURCES["cases"]
    client = client_of(world.member_b)
    page = client.get(reverse("points:mine") + "?year=2026").content.decode()
    assert _points(page)["total"] == str(TOTAL_2026 - 3)
    assert page.count("data-unavailable") == 1
    evidence = client.get(f"{reverse('points:mine_evidence')}?rule={world.rule('办理诉求').pk}")
    assert evidence.status_code == 200 and b"data-unavailable" in evidence.content
    leader = client_of(world.county.leader)
    assert leader.get(reverse("points:home") + "?year=2026").status_code == 200
    assert leader.get(reverse("points:rules") + "?year=2026").status_code == 200


def test_a_member_sees_only_their_own_points(world: PointsWorld) -> None:
    c = world.county
    member = client_of(world.member_b)
    assert member.get(reverse("points:member", args=[c.member_a.pk])).status_code == 403
    assert member.get(reverse("points:member", args=[c.member_b.pk])).status_code == 403
    assert member.get(reverse("points:home")).status_code == 403
    assert member.get(reverse("points:rules")).status_code == 403
    # 陈明 is a resident but no party member: no section on his page, no points page.
    resident = client_of(c.resident)
    assert resident.get(reverse("points:mine")).status_code == 403
    shown = {s.url_name for s in mine.sections_for(c.resident)}
    assert "points:mine" not in shown
    assert "points:mine" in {s.url_name for s in mine.sections_for(world.member_b)}
    me = member.get(reverse("residents:me")).content.decode()
    assert reverse("points:mine") in me


def test_a_secretary_reads_and_adjusts_only_their_branch(world: PointsWorld) -> None:
    c = world.county
    secretary = client_of(c.branch_secretary)
    listed = secretary.get(reverse("points:home") + "?year=2026").content.decode()
    assert re.findall(r'data-member="(\d+)"', listed) == [str(c.member_a.pk)]
    assert secretary.get(reverse("points:member", args=[c.member_b.pk])).status_code == 404
    evidence = reverse("points:member_evidence", args=[c.member_b.pk])
    assert secretary.get(f"{evidence}?rule={world.rule('参加会议').pk}").status_code == 404
    assert secretary.get(reverse("points:member", args=[c.member_a.pk])).status_code == 200
    form = {"day": "2026-03-01", "points": "2", "reason": "", "decided_by": "支委会"}
    refused = secretary.post(reverse("points:adjust", args=[c.member_b.pk]), form)
    assert refused.status_code == 404
    assert not Adjustment.objects.filter(person=c.member_b, points=2).exists()
    # 青石镇's clerk reads 青石村's branch; 白沙乡's clerk 白沙村's; neither adjusts.
    clerk = client_of(c.township_clerk)
    assert re.findall(
        r'data-member="(\d+)"', clerk.get(reverse("points:home")).content.decode()
    ) == [str(c.member_a.pk)]
    assert clerk.get(reverse("points:member", args=[c.member_b.pk])).status_code == 404
    other = client_of(c.other_township_clerk)
    assert other.get(reverse("points:member", args=[c.member_b.pk])).status_code == 200
    assert other.post(reverse("points:adjust", args=[c.member_b.pk]), form).status_code == 403
    assert client_of(c.department_clerk).get(reverse("points:home")).status_code == 403


def test_the_county_ranks_every_member_by_points(world: PointsWorld) -> None:
    c = world.county
    page = client_of(c.leader).get(reverse("points:home") + "?year=2026").content.decode()
    ranked = re.findall(r'data-member="(\d+)"', page)
    assert ranked == [str(c.member_b.pk), str(c.member_a.pk), str(c.cadre_department.pk)]
    totals = re.findall(r'data-total="([^"]+)"', page)
    assert totals == ["97", "62", "60"]
    assert 'data-stars-count="4">1<' in page and 'data-stars-count="1">2<' in page
    filtered = client_of(c.leader).get(
        reverse("points:home") + f"?year=2026&township={c.township_a.pk}&stars=1"
    )
    assert re.findall(r'data-member="(\d+)"', filtered.content.decode()) == [str(c.member_a.pk)]
    four = client_of(c.leader).get(reverse("points:home") + "?year=2026&stars=4").content.decode()
    assert re.findall(r'data-member="(\d+)"', four) == [str(c.member_b.pk)]
    assert 'data-stars-count="1">2<' in four  # the cards still count every member
    member_page = client_of(c.leader).get(
        reverse("points:member", args=[c.member_b.pk]) + "?year=2026"
    )
    assert _points(member_page.content.decode())["total"] == "97"


def test_junk_query_parameters_answer_4xx(world: PointsWorld) -> None:
    c = world.county
    member = client_of(world.member_b)
    leader = client_of(c.leader)
    for year in ("abc", "99999999999999999999", "-1", "1999", "2101", "\x00", "2026.5"):
        assert member.get(reverse("points:mine"), {"year": year}).status_code == 400
        assert leader.get(reverse("points:home"), {"year": year}).status_code == 400
        assert leader.get(reverse("points:rules"), {"year": year}).status_code == 400
    url = reverse("points:mine_evidence")
    for rule in ("", "abc", "0", "-3", "99999999999999999999", "999999"):
        assert member.get(url, {"rule": rule}).status_code == 404
    other_year = str(world.rule("参加会议", 2025).pk)
    assert member.get(url, {"rule": other_year, "year": "2026"}).status_code == 404
    assert member.get(url, {"rule": other_year, "year": "junk"}).status_code == 400
    junks: list[dict[str, str]] = [
        {"stars": "9"}, {"township": "x"}, {"branch": "-1"}, {"name": "a\x00b"}
    ]  # fmt: skip
    for junk in junks:
        assert leader.get(reverse("points:home"), junk).status_code == 400
        assert leader.get(reverse("points:export"), junk).status_code == 400
    assert leader.get(reverse("points:home"), {"page": "junk"}).status_code == 200
    assert leader.get("/points/member/99999999999999999999/").status_code == 404
    assert leader.get("/points/rules/rule/99999999999999999999/").status_code == 404
