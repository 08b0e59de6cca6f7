"""The privacy sweep: expired cases lose their personal data, keep their statistics; idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation

from wenmin.cases.models import Attachment, Case, CaseEvent
from wenmin.core.models import AuditEvent
from wenmin.organisation.models import Person
from wenmin.privacy.models import AnonymisedCase, AnonymisedPerson, LegalHold
from wenmin.privacy.scrub import ADDRESS_MARK, ID_MARK, NAME_MARK, PERSON_NAME, PHONE_MARK
from wenmin.privacy.services.sweep import privacy_sweep
from wenmin.privacy.tests.conftest import texts_of
from wenmin.scoreboard import services as scoreboard
from wenmin.scoreboard.models import DailyStat


def _sweep(*args: str) -> str:
    out = StringIO()
    call_command("privacy", "sweep", "--no-progress", *args, stdout=out)
    return out.getvalue()


def _scoreboard_check() -> str:
    out = StringIO()
    call_command("scoreboard", "check", stdout=out)
    return out.getvalue()


def _daily_stats() -> list[tuple[Any, ...]]:
    return sorted(DailyStat.objects.values_list())


def test_an_expired_case_loses_its_personal_data_and_keeps_its_statistics(
    desk, closed, django_capture_on_commit_callbacks
):
    case = closed()
    person = case.requester
    assert person is not None and Attachment.objects.filter(case=case).count() == 1
    stored = Path(Attachment.objects.get(case=case).file.path)
    assert stored.exists()
    kept = (
        Case.objects.filter(pk=case.pk)
        .values(
            "number",
            "kind",
            "category",
            "region",
            "channel",
            "state",
            "received_at",
            "closed_at",
            "lead_unit",
            "satisfaction",
            "resolved",
            "result_due",
            "replied_at",
            "dispatched_at",
        )
        .get()
    )
    events = list(CaseEvent.objects.filter(case=case).values_list("action", "at", "unit", "actor"))

    with django_capture_on_commit_callbacks(execute=True):  # the files go after the commit
        _sweep()
    case.refresh_from_db()
    assert case.requester is None
    assert case.address == ADDRESS_MARK
    assert (float(case.latitude), float(case.longitude)) == (28.30, 117.70)
    text = texts_of(case)
    for secret in (
        "孙大海",
        "13911112222",
        "0793-2345678",
        "sun.dahai@example.cn",
        "36990119800101002X",
    ):
        assert secret not in text, secret
    assert NAME_MARK in case.content and PHONE_MARK in case.content and ID_MARK in case.content
    assert "369901101201" in case.content  # a region code is not a phone number
    assert PHONE_MARK in case.plan and NAME_MARK in case.reply
    assert Case.objects.filter(pk=case.pk).values(*kept).get() == kept
    assert (
        list(CaseEvent.objects.filter(case=case).values_list("action", "at", "unit", "actor"))
        == events
    )
    assert not Attachment.objects.filter(case=case).exists() and not stored.exists()
    person = Person.objects.get(pk=person.pk)
    assert (person.name, person.phone, person.phone_digest, person.region) == (
        PERSON_NAME,
        "",
        "",
        None,
    )
    assert AnonymisedCase.objects.get(case=case).attachments_deleted == 1
    assert AnonymisedPerson.objects.filter(person=person).exists()
    assert (
        AuditEvent.objects.filter(action="privacy.case_anonymise", target_id=str(case.pk)).count()
        == 1
    )
    sweep = AuditEvent.objects.filter(action="privacy.sweep").get()
    assert sweep.changes["cases"] == 1 and sweep.changes["people"] == 1
    # No audit event names the anonymised resident.
    assert not AuditEvent.objects.filter(
        action__startswith="privacy.", target_label__contains="孙大海"
    )


def test_the_sweep_reports_what_it_did(desk, closed):
    closed()
    with translation.override("en"):
        out = _sweep()
    assert "Cases anonymised: 1; people anonymised: 1; attachments deleted: 1;" in out


def test_the_sweep_is_idempotent(desk, closed):
    case = closed()
    privacy_sweep()
    first = texts_of(case)
    audits = AuditEvent.objects.filter(action="privacy.case_anonymise").count()
    again = privacy_sweep()
    assert (again.cases, again.people, again.attachments) == (0, 0, 0)
    assert texts_of(case) == first
    assert AuditEvent.objects.filter(action="privacy.case_anonymise").count() == audits == 1
    assert AuditEvent.objects.filter(action="privacy.sweep").count() == 2


def test_the_scoreboard_counts_are_the_same_before_and_after(desk, closed):
    for _ in range(3):
        closed()
    closed(closed_years_ago=1)
    before_check, before_stats = _scoreboard_check(), _daily_stats()
    assert "equal the history" in before_check
    assert privacy_sweep().cases == 3
    assert _scoreboard_check() == before_check
    assert _daily_stats() == before_stats


def test_cases_within_their_period_held_under_appeal_or_open_are_kept(desk, closed):
    recent = closed(closed_years_ago=2, name="钱小红", phone="13922223333")
    held = closed(name="周大伟", phone="13933334444")
    appealed = closed(name="吴小兰", phone="13944445555")
    LegalHold.objects.create(case=held, reason="行政诉讼中")
    scoreboard.appeal_submit(
        case=appealed, actor=desk.county.township_clerk, reason="群众诉求不合理"
    )
    report = privacy_sweep()
    assert (report.cases, report.held) == (0, 2)
    for case, name in ((recent, "钱小红"), (held, "周大伟"), (appealed, "吴小兰")):
        case.refresh_from_db()
        assert case.requester is not None and case.requester.name == name
        assert "13911112222" in case.content


def test_a_merged_or_rejected_case_expires_from_when_it_ended(desk, closed):
    from wenmin.cases import services as cases

    rejected = cases.case_intake(
        channel="phone",
        content="咨询低保政策，电话13955556666",
        requester_name="郑老伯",
        requester_phone="13955556666",
    )
    cases.case_reject(case=rejected, actor=desk.dispatcher, reason="outside_duty", note="不属于")
    Case.objects.filter(pk=rejected.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=4 * 366)
    )
    assert privacy_sweep().cases == 1
    rejected.refresh_from_db()
    assert rejected.requester is None and "13955556666" not in rejected.content


def test_a_person_in_the_register_stays_in_it(desk, closed):
    member = desk.county.member_a  # a party member and branch secretary
    case = closed(requester=member, content="我是李秀英，13812345678，路灯坏了")
    privacy_sweep()
    case.refresh_from_db()
    member.refresh_from_db()
    assert case.requester is None and "李秀英" not in case.content
    assert (member.name, member.phone) == ("李秀英", "13812345678")
    assert not AnonymisedPerson.objects.filter(person=member).exists()


def test_a_resident_with_a_case_still_kept_keeps_their_contact(desk, closed):
    old = closed()
    newer = closed(closed_years_ago=1)
    assert old.requester == newer.requester  # found again by their phone's digest
    privacy_sweep()
    person = Person.objects.get(pk=newer.requester_id)
    assert (person.name, person.phone) == ("孙大海", "13911112222")
    assert not AnonymisedPerson.objects.filter(person=person).exists()


def test_the_events_the_requester_took_with_their_login_name_them_as_requester(desk, closed):
    resident = desk.county.resident  # logged in as 陈明 (resident_a)
    case = closed(requester=desk.county.resident_a, content="路灯坏了")
    CaseEvent.objects.filter(case=case, action="callback_resolved").update(
        actor=resident, actor_label="陈明"
    )
    privacy_sweep()
    event = CaseEvent.objects.get(case=case, action="callback_resolved")
    assert (event.actor_id, event.actor_label) == (resident.pk, "诉求人")


def test_the_administrator_sets_a_kind_s_period_in_the_admin(desk, closed):
    complaint = closed(kind="complaint", closed_years_ago=2, name="冯一", phone="13966667777")
    help_case = closed(kind="help", closed_years_ago=2, name="陈二", phone="13977778888")
    admin = Client()
    admin.force_login(desk.county.administrator)
    url = "/admin/privacy/retentionrule/add/"
    refused = admin.post(url, {"kind": "complaint", "years": "0"})
    assert refused.status_code == 200 and "errornote" in refused.content.decode()
    assert admin.post(url, {"kind": "complaint", "years": "1"}).status_code == 302
    assert AuditEvent.objects.filter(action="privacy.retention_set").count() == 1
    periods = {row.kind: row for row in admin.get("/privacy/").context["retention"]}
    assert (periods["complaint"].years, periods["complaint"].from_rule) == (1, True)
    assert (periods["help"].years, periods["help"].from_rule) == (3, False)
    report = privacy_sweep()
    assert report.cases == 1
    complaint.refresh_from_db()
    help_case.refresh_from_db()
    assert complaint.requester is None and help_case.requester is not None


def test_the_sweep_streams_in_chunks_with_a_progress_count(desk, closed):
    for index in range(3):
        closed(name=f"居民{index}", phone=f"1390000000{index}", photo=False)
    totals: list[int] = []
    steps: list[int] = []
    report = privacy_sweep(chunk=2, total=totals.append, progress=steps.append)
    assert (totals, steps, report.cases) == ([3], [2, 1], 3)
