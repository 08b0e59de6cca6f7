"""The county's rules and a member's bonuses and penalties: who may write them, what is refused
(nothing half-saved), what each write leaves in the audit log; the Excel list; batched reads."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from wenmin.core.models import AuditEvent
from wenmin.points import scoring, services
from wenmin.points.models import Adjustment, PointsRule, PointsYear
from wenmin.tallies import readers

from .conftest import PointsWorld, client_of


def test_a_penalty_needs_a_reason_and_nothing_is_saved_without_it(world: PointsWorld) -> None:
    c = world.county
    member_a = c.member_a.party_membership
    before = Adjustment.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.adjustment_add(
            actor=c.branch_secretary, member=member_a, day="2026-03-01", points=-2,
            reason="  ", decided_by="支委会",
        )  # fmt: skip
    assert "reason" in refused.value.message_dict
    secretary = client_of(c.branch_secretary)
    url = reverse("points:adjust", args=[c.member_a.pk])
    form = {"day": "2026-03-01", "points": "-2", "reason": "", "decided_by": "支委会"}
    assert secretary.post(url, form).status_code == 400
    assert Adjustment.objects.count() == before
    assert not AuditEvent.objects.filter(action="points.adjustment_add").exists()
    response = secretary.post(url, {**form, "reason": "两次无故缺席"})
    assert response.status_code == 302
    saved = Adjustment.objects.get(person=c.member_a)
    assert (saved.points, saved.reason, saved.recorded_by) == (
        -2,
        "两次无故缺席",
        c.branch_secretary,
    )
    event = AuditEvent.objects.get(action="points.adjustment_add")
    assert event.actor == c.branch_secretary and event.changes["points"] == "-2.00"
    # A bonus needs no reason; a day to come and zero points are refused.
    assert secretary.post(url, {**form, "points": "3"}).status_code == 302
    assert secretary.post(url, {**form, "points": "0", "reason": "x"}).status_code == 400
    assert secretary.post(url, {**form, "day": "2999-01-01", "reason": "x"}).status_code == 400
    assert secretary.post(url, {**form, "points": "1.234", "reason": "x"}).status_code == 400
    assert Adjustment.objects.filter(person=c.member_a).count() == 2


def test_a_withdrawn_bonus_stays_listed_and_no_longer_counts(world: PointsWorld) -> None:
    c = world.county
    bonus = Adjustment.objects.get(person=c.member_b, points=5)
    admin = client_of(c.administrator)
    url = reverse("points:withdraw", args=[c.member_b.pk, bonus.pk])
    assert admin.post(url, {"withdrawn_reason": ""}).status_code == 400
    assert admin.post(url, {"withdrawn_reason": "重复录入"}).status_code == 302
    page = admin.get(reverse("points:member", args=[c.member_b.pk]) + "?year=2026").content
    assert b'data-total="92"' in page and "重复录入".encode() in page
    assert admin.post(url, {"withdrawn_reason": "again"}).status_code == 400
    assert AuditEvent.objects.filter(action="points.adjustment_withdraw").count() == 1
    other = reverse("points:withdraw", args=[c.member_a.pk, bonus.pk])
    assert admin.post(other, {"withdrawn_reason": "x"}).status_code == 404


def test_the_organisation_department_sets_a_years_rules(world: PointsWorld) -> None:
    c = world.county
    admin = client_of(c.administrator)
    stars = {"star_1": "50", "star_2": "60", "star_3": "70", "star_4": "80", "star_5": "95"}
    assert (
        admin.post(reverse("points:year_save", args=[2027]), {"base": "55", **stars}).status_code
        == 302
    )
    year = PointsYear.objects.get(year=2027)
    assert (year.base, year.star_5) == (55, 95)
    descending = {**stars, "star_3": "59"}
    assert (
        admin.post(
            reverse("points:year_save", args=[2027]), {"base": "70", **descending}
        ).status_code
        == 400
    )
    assert PointsYear.objects.get(year=2027).base == 55
    rule = {
        "label": "志愿服务",
        "counter": "volunteers.hours",
        "less_counter": "",
        "per": "1",
        "points": "0.5",
        "cap": "20",
    }
    assert admin.post(reverse("points:rule_new", args=[2027]), rule).status_code == 302
    assert PointsRule.objects.filter(year=year).count() == 1
    for junk in (
        {"counter": "nowhere.hours"},
        {"less_counter": "deeds.deeds"},  # another source's counter
        {"less_counter": "volunteers.hours"},  # itself
        {"points": "0"},
        {"per": "0"},
        {"cap": "-1"},
    ):
        assert (
            admin.post(reverse("points:rule_new", args=[2027]), {**rule, **junk}).status_code == 400
        )
    assert PointsRule.objects.filter(year=year).count() == 1
    assert (
        admin.post(reverse("points:year_copy", args=[2028]), {"from_year": "2026"}).status_code
        == 302
    )
    assert PointsRule.objects.filter(year__year=2028).count() == 5
    assert (
        admin.post(reverse("points:year_copy", args=[2028]), {"from_year": "2026"}).status_code
        == 400
    )
    edited = world.rule("志愿服务")
    changed = {**rule, "label": "志愿服务时长", "points": "1", "cap": ""}
    assert admin.post(reverse("points:rule_edit", args=[edited.pk]), changed).status_code == 302
    edited.refresh_from_db()
    assert (edited.label, edited.points, edited.cap) == ("志愿服务时长", 1, None)
    assert admin.post(reverse("points:rule_remove", args=[edited.pk])).status_code == 302
    assert not PointsRule.objects.filter(pk=edited.pk).exists()
    actions = set(
        AuditEvent.objects.filter(action__startswith="points.").values_list("action", flat=True)
    )
    assert actions == {
        "points.year_set", "points.rule_add", "points.year_copy", "points.rule_update",
        "points.rule_remove",
    }  # fmt: skip
    secretary = client_of(c.branch_secretary)
    assert secretary.get(reverse("points:rules") + "?year=2026").status_code == 200
    assert secretary.post(reverse("points:rule_new", args=[2026]), rule).status_code == 403
    assert (
        secretary.post(reverse("points:year_save", args=[2026]), {"base": "1", **stars}).status_code
        == 403
    )


def test_a_rule_whose_source_is_gone_can_still_be_renamed(world: PointsWorld) -> None:
    gone = PointsRule.objects.create(
        year=world.year_2026, label="旧规则", source="retired", counter="things", points=1
    )
    admin = client_of(world.county.administrator)
    data = {"label": "旧规则（停用）", "counter": "retired.things", "per": "1", "points": "1"}
    assert admin.post(reverse("points:rule_edit", args=[gone.pk]), data).status_code == 302
    gone.refresh_from_db()
    assert gone.label == "旧规则（停用）"


def test_the_excel_list_is_the_ranked_page_and_only_for_exporting_roles(world: PointsWorld) -> None:
    c = world.county
    response = client_of(c.leader).get(reverse("points:export") + "?year=2026")
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    book = openpyxl.load_workbook(BytesIO(content))
    rows = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
    assert [(r[1], r[-2], r[-1]) for r in rows] == [
        (c.member_b.name, 97, 4), (c.member_a.name, 62, 1), (c.cadre_department.name, 60, 1)
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="points.export").count() == 1
    assert client_of(c.branch_secretary).get(reverse("points:export")).status_code == 403


def test_the_whole_county_is_read_with_one_call_per_source(
    world: PointsWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    original = readers.totals

    def counting(source, subject_type, ids, start, end, counters):  # type: ignore[no-untyped-def]
        calls.append((source, len(ids)))
        return original(source, subject_type, ids, start, end, counters)

    monkeypatch.setattr(scoring.readers, "totals", counting)
    client_of(world.county.leader).get(reverse("points:home") + "?year=2026")
    assert sorted(calls) == [("branchlife", 3), ("cases", 3), ("deeds", 3), ("volunteers", 3)]


def test_the_list_reads_as_many_queries_for_twenty_more_members(world: PointsWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wenmin.organisation import services as org

    c = world.county
    client = client_of(c.leader)
    url = reverse("points:home") + "?year=2026"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for n in range(20):
        person = org.person_create(actor=None, name=f"党员{n}", region=c.village_b)
        org.party_member_set(
            actor=None, person=person, branch=c.branch_b, joined_on=dt.date(2010, 1, 1)
        )
        world.ledger.add("deeds", person, dt.date(2026, 2, 1), deeds=n % 3)
    assert queries() == before
    page = client.get(url).content.decode()
    assert page.count("data-member=") == 23
