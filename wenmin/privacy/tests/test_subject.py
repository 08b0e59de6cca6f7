"""A resident's request: the administrator finds them, exports everything, erases what the law
allows."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Case
from wenmin.core.models import AuditEvent
from wenmin.organisation.models import Person
from wenmin.privacy.models import AccessLogEntry, AnonymisedPerson, LegalHold
from wenmin.privacy.scrub import PERSON_NAME
from wenmin.scoreboard import services as scoreboard


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _workbook(response) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_the_administrator_finds_a_person_by_phone_id_number_or_name(desk, closed):
    case = closed()
    admin = _as(desk.county.administrator)
    for text in ("139 1111 2222", "大海"):
        page = admin.get(reverse("privacy:people"), {"q": text})
        assert [p.pk for p in page.context["page"].object_list] == [case.requester_id], text
        assert page.context["page"].object_list[0].case_count == 1
    by_id = admin.get(reverse("privacy:people"), {"q": "369901198001010019"})
    assert [p.pk for p in by_id.context["page"].object_list] == [desk.county.cadre_department.pk]
    nobody = admin.get(reverse("privacy:people"), {"q": "13900000000"})
    assert list(nobody.context["page"].object_list) == []


def test_the_export_holds_everything_about_the_person_and_is_logged_as_an_access(desk, closed):
    case = closed()
    person = case.requester
    admin = _as(desk.county.administrator)
    _as(desk.dispatcher).get(reverse("cases:case_detail", args=[case.pk]))  # the dispatcher: clear
    book = _workbook(admin.post(reverse("privacy:person_export", args=[person.pk])))
    assert len(book.sheetnames) == 5
    details, register, cases_sheet, events, accesses = (book[name] for name in book.sheetnames)
    values = {row[0]: row[1] for row in details.iter_rows(min_row=2, values_only=True)}
    assert "13911112222" in values.values() and "孙大海" in values.values()
    rows = list(cases_sheet.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == [case.number]
    assert "13911112222" in str(rows[0][6])  # the content as they sent it
    actions = [row[2] for row in events.iter_rows(min_row=2, values_only=True)]
    assert len(actions) == case.events.count()
    seen = list(accesses.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in seen] == ["dispatcher"]
    assert register.max_row == 1  # a resident: nothing in the register
    entry = AccessLogEntry.objects.filter(reason="privacy.subject_export").get()
    assert (entry.viewer, entry.person) == (desk.county.administrator, person)
    audit = AuditEvent.objects.get(action="privacy.subject_export")
    assert audit.target_id == str(person.pk) and "孙大海" not in audit.target_label


def test_erasure_takes_what_the_law_allows_and_says_what_it_kept(desk, closed):
    c = desk.county
    done = closed()
    person = done.requester
    held = closed(closed_years_ago=0)
    LegalHold.objects.create(case=held, reason="行政诉讼中")
    appealed = closed(closed_years_ago=0)
    scoreboard.appeal_submit(case=appealed, actor=c.township_clerk, reason="不应计入")
    still_open = cases.case_intake(
        channel="web", content="又漏了", requester=person, region=c.village_a
    )
    assert {done.requester_id, held.requester_id, appealed.requester_id} == {person.pk}
    admin = _as(c.administrator)
    page = admin.get(reverse("privacy:person", args=[person.pk]))
    plan = page.context["plan"]
    assert [case.pk for case in plan.erasable] == [done.pk]
    assert {case.pk for case, _reasons in plan.kept} == {held.pk, appealed.pk, still_open.pk}

    refused = admin.post(reverse("privacy:person_erase", args=[person.pk]), {})
    assert refused.status_code == 400 and Case.objects.get(pk=done.pk).requester_id == person.pk
    response = admin.post(reverse("privacy:person_erase", args=[person.pk]), {"confirm": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=done.pk).requester_id is None
    for kept in (held, appealed, still_open):
        assert Case.objects.get(pk=kept.pk).requester_id == person.pk
    person.refresh_from_db()
    assert person.name == "孙大海"  # still needed by the kept cases
    audit = AuditEvent.objects.get(action="privacy.subject_erase")
    assert audit.changes["erased"] == [done.number]
    assert set(audit.changes["kept"]) == {held.number, appealed.number, still_open.number}
    assert (
        AuditEvent.objects.filter(action="privacy.case_anonymise", actor=c.administrator).count()
        == 1
    )
    page = admin.get(reverse("privacy:person", args=[person.pk]))
    assert [case.pk for case in page.context["plan"].done] == [done.pk]
    assert page.context["plan"].erasable == []


def test_erasing_a_resident_whose_cases_are_all_finished_anonymises_them(desk, closed):
    case = closed(closed_years_ago=0)
    person = case.requester
    _as(desk.county.administrator).post(
        reverse("privacy:person_erase", args=[person.pk]), {"confirm": "on"}
    )
    person = Person.objects.get(pk=person.pk)
    assert (person.name, person.phone, person.phone_digest) == (PERSON_NAME, "", "")
    assert AnonymisedPerson.objects.get(person=person).reason == "erasure"
    assert not AuditEvent.objects.filter(
        target_label__contains="孙大海", action__startswith="privacy"
    )


def test_erasing_a_party_member_s_request_keeps_them_in_the_register(desk, closed):
    member = desk.county.member_a
    case = closed(requester=member, closed_years_ago=0, content="李秀英反映路灯坏了")
    _as(desk.county.administrator).post(
        reverse("privacy:person_erase", args=[member.pk]), {"confirm": "on"}
    )
    case.refresh_from_db()
    member.refresh_from_db()
    assert case.requester is None and "李秀英" not in case.content
    assert (member.name, member.phone) == ("李秀英", "13812345678")


@pytest.mark.parametrize("who", ["leader", "township_clerk", "dispatcher"])
def test_only_the_administrator_exports_or_erases(desk, closed, who):
    case = closed()
    user = desk.dispatcher if who == "dispatcher" else getattr(desk.county, who)
    client = _as(user)
    person = case.requester_id
    assert client.post(reverse("privacy:person_export", args=[person])).status_code == 403
    assert (
        client.post(reverse("privacy:person_erase", args=[person]), {"confirm": "on"}).status_code
        == 403
    )
    assert Case.objects.get(pk=case.pk).requester_id == person
    assert not AccessLogEntry.objects.filter(reason="privacy.subject_export").exists()
