"""Every matter raised with a leader becomes a case coordinated by that leader."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as services_cases
from wenmin.cases.models import Case, Channel
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import State
from wenmin.inquiry import services
from wenmin.inquiry.models import Conversation, Matter, Visit
from wenmin.inquiry.rules import BookingState, VisitKind
from wenmin.inquiry.testing import Office
from wenmin.organisation import services as org
from wenmin.organisation.models import Person
from wenmin.residents.testing import phone_verified

pytestmark = pytest.mark.django_db


def _today(office: Office) -> None:
    """The reception day is today (booked yesterday)."""
    office.day.date = timezone.localdate()
    office.day.save(update_fields=["date"])


def _book_now(office: Office):  # type: ignore[no-untyped-def]
    resident = phone_verified(office.desk.county.resident)
    booking = services.booking_make(
        user=resident, slot=office.day.slots.order_by("starts")[0], topic="村道"
    )
    _today(office)
    return booking


def test_a_booked_visitor_s_matters_become_reception_cases_coordinated_by_the_leader(
    client, office
):
    booking = _book_now(office)
    client.force_login(office.clerk)
    url = reverse("inquiry:reception_new", args=[office.day.pk])
    response = client.post(
        url,
        {
            "booking": booking.pk,
            "kind": "help",
            "matter_1": "青石村村道坑洼，雨天无法通行",
            "matter_2": "村小学门口缺少减速带",
            "matter_3": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    conversation = Conversation.objects.get()
    cases = Case.objects.filter(inquiry_matter__conversation=conversation).order_by("id")
    assert [(c.channel, c.coordinator, c.requester, c.kind, c.state) for c in cases] == [
        (Channel.RECEPTION, office.leader, office.desk.county.resident_a, "help", State.COLLECTED)
    ] * 2
    assert [c.content for c in cases] == ["青石村村道坑洼，雨天无法通行", "村小学门口缺少减速带"]
    booking.refresh_from_db()
    assert booking.state == BookingState.ATTENDED
    page = client.get(reverse("inquiry:desk_day", args=[office.day.pk])).content.decode()
    assert all(c.number in page for c in cases)


def test_a_walk_in_is_found_or_created_as_a_resident_with_an_encrypted_phone(office):
    _today(office)
    conversation = services.reception_record(
        actor=office.clerk,
        day=office.day,
        visitor_name="孙大爷",
        visitor_phone="13511112222",
        matters=["低保申请一直没有回音"],
    )
    visitor = conversation.visitor
    assert visitor.name == "孙大爷" and visitor.is_resident
    assert visitor.phone == "13511112222" and visitor.phone_digest
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM organisation_person WHERE id = %s", [visitor.pk])
        (raw,) = cursor.fetchone()
    assert raw and "13511112222" not in str(raw)  # encrypted at rest
    again = services.reception_record(
        actor=office.clerk,
        day=office.day,
        visitor_name="孙大爷",
        visitor_phone="13511112222",
        matters=["再问一次"],
    )
    assert again.visitor == visitor
    case = Case.objects.get(inquiry_matter__conversation=conversation)
    assert (case.channel, case.coordinator, case.requester) == (
        Channel.RECEPTION,
        office.leader,
        visitor,
    )


def test_a_record_with_a_bad_matter_or_no_visitor_saves_nothing(office):
    _today(office)
    refusals: list[tuple[dict[str, Any], str]] = [
        (
            {"visitor_name": "孙大爷", "visitor_phone": "13511112222", "matters": ["", ""]},
            "matter_1",
        ),
        ({"visitor_name": "", "visitor_phone": "13511112222", "matters": ["x"]}, "visitor_name"),
        ({"visitor_name": "孙大爷", "visitor_phone": "123", "matters": ["x"]}, "visitor_phone"),
        (
            {"visitor_name": "孙大爷", "visitor_phone": "13511112222", "matters": ["好", "坏\x00"]},
            "matter_2",
        ),
    ]
    for kwargs, field in refusals:
        with pytest.raises(ValidationError) as refused:
            services.reception_record(actor=office.clerk, day=office.day, **kwargs)
        assert field in refused.value.message_dict, kwargs
    assert not Case.objects.exists() and not Conversation.objects.exists()
    assert not Person.objects.filter(name="孙大爷").exists()


def test_a_future_reception_day_cannot_be_recorded(office):
    with pytest.raises(ValidationError) as refused:
        services.reception_record(
            actor=office.clerk,
            day=office.day,
            visitor_name="孙大爷",
            visitor_phone="13511112222",
            matters=["x"],
        )
    assert "day" in refused.value.message_dict
    assert not Case.objects.exists()


def test_a_field_visit_s_matters_become_visit_cases(client, office):
    client.force_login(office.clerk)
    response = client.post(
        reverse("inquiry:visit_new"),
        {
            "leader": office.leader.pk,
            "kind": VisitKind.DOWN,
            "date": timezone.localdate().isoformat(),
            "place": "青石村村委会",
            "region": office.desk.county.village_a.code,
            "met": "村两委干部和十余位村民",
            "matter_1": "灌溉水渠年久失修",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get()
    case = Case.objects.get(inquiry_matter__visit=visit)
    assert (case.channel, case.coordinator, visit.met, case.region, visit.region) == (
        Channel.VISIT,
        office.leader,
        "村两委干部和十余位村民",
        office.desk.county.village_a,
        office.desk.county.village_a,
    )
    assert case.number in client.get(reverse("inquiry:visits")).content.decode()


def test_a_visit_in_the_future_is_refused(office):
    with pytest.raises(ValidationError) as refused:
        services.visit_record(
            actor=office.clerk,
            leader=office.leader,
            kind=VisitKind.RESEARCH,
            date=timezone.localdate() + dt.timedelta(days=2),
            place="x",
            met="y",
            matters=["z"],
        )
    assert "date" in refused.value.message_dict
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_a_mailbox_letter_is_a_case_the_leader_s_office_sees_first(client, office):
    resident = phone_verified(office.desk.county.resident)
    client.force_login(resident)
    url = reverse("inquiry:mailbox", args=[office.mailbox.pk])
    assert "<form" in client.get(url).content.decode()
    response = client.post(url, {"title": "关于村道", "content": "村道坑洼多年未修"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:mine")
    case = Case.objects.get()
    assert (case.channel, case.coordinator, case.requester, case.lead_unit, case.state) == (
        Channel.MAILBOX,
        office.leader,
        resident.person,
        office.desk.county.county_committee,  # the 县委's office signs for it first
        State.DISPATCHED,
    )
    assert Matter.objects.get().mailbox == office.mailbox
    # the office's clerk sees it in the inbox and may sign for it; the dispatcher's queue to
    # analyse does not hold it
    assert case in cases_visible_to(office.clerk)
    client.force_login(office.clerk)
    inbox = client.get(reverse("inquiry:inbox")).content.decode()
    assert case.number in inbox
    assert not Case.objects.filter(state=State.COLLECTED).exists()
    # the resident finds it among their own reports
    client.force_login(resident)
    assert case.number in client.get(reverse("portal:mine")).content.decode()


def test_a_letter_needs_a_verified_phone_and_an_open_mailbox(client, office):
    url = reverse("inquiry:mailbox", args=[office.mailbox.pk])
    client.force_login(office.desk.county.resident)
    assert "data-verify" in client.get(url).content.decode()
    response = client.post(url, {"content": "x"})
    assert response["Location"].startswith("/residents/verify/?next=")
    services.mailbox_set(actor=office.clerk, leader=office.leader, title="书记信箱", is_open=False)
    office.mailbox.refresh_from_db()
    resident = phone_verified(office.desk.county.resident)
    with pytest.raises(ValidationError) as refused:
        services.mailbox_send(user=resident, mailbox=office.mailbox, content="x")
    assert "mailbox" in refused.value.message_dict
    client.force_login(resident)
    assert client.get(url).status_code == 404
    assert not Case.objects.exists()


def test_the_leader_page_counts_link_to_exactly_those_cases(client, office):
    _today(office)
    services.reception_record(
        actor=office.clerk,
        day=office.day,
        visitor_name="孙大爷",
        visitor_phone="13511112222",
        matters=["一", "二"],
    )
    services.visit_record(
        actor=office.clerk,
        leader=office.leader,
        kind=VisitKind.CALL,
        date=timezone.localdate(),
        place="白沙村",
        met="留守老人",
        matters=["三"],
    )
    letter = services.mailbox_send(
        user=phone_verified(office.desk.county.resident), mailbox=office.mailbox, content="四"
    )
    services_cases.case_intake(channel=Channel.PHONE, content="不是问政", coordinator=office.leader)
    client.force_login(office.clerk)
    page = client.get(reverse("inquiry:leader", args=[office.leader.pk])).content.decode()
    assert "data-days-held>1<" in page
    expected = {
        (Channel.RECEPTION, State.COLLECTED): 2,
        (Channel.VISIT, State.COLLECTED): 1,
        (Channel.MAILBOX, State.DISPATCHED): 1,
    }
    for (channel, state), n in expected.items():
        link = (
            reverse("inquiry:leader_cases", args=[office.leader.pk])
            + f"?channel={channel}&amp;state={state}"
        )
        assert f'{link}" data-count="{channel}-{state}">{n}</a>' in page
        listing = client.get(link.replace("&amp;", "&")).content.decode()
        assert f'data-total="{n}"' in listing
        numbers = set(
            Case.objects.filter(
                inquiry_matter__leader=office.leader, channel=channel, state=state
            ).values_list("number", flat=True)
        )
        assert len(numbers) == n and all(number in listing for number in numbers)
    assert (
        letter.case.number
        not in client.get(
            reverse("inquiry:leader_cases", args=[office.leader.pk]) + "?channel=visit"
        ).content.decode()
    )
    assert 'data-count="all">4</a>' in page


def test_the_leader_page_days_and_visits_link_to_exactly_those(client, office):
    _today(office)
    coming = services.reception_day_create(
        actor=office.clerk,
        leader=office.leader,
        date=timezone.localdate() + dt.timedelta(days=9),
        place="县委大院",
        starts=dt.time(9, 0),
        ends=dt.time(10, 0),
        slot_minutes=30,
        capacity=1,
        publish=True,
    )
    services.visit_record(
        actor=office.clerk,
        leader=office.leader,
        kind=VisitKind.RESEARCH,
        date=timezone.localdate(),
        place="白沙村",
        met="村民",
        matters=[],
    )
    client.force_login(office.clerk)
    base = f"?leader={office.leader.pk}"
    page = client.get(reverse("inquiry:leader", args=[office.leader.pk])).content.decode()
    for when, day in (("held", office.day), ("coming", coming)):
        link = f"{reverse('inquiry:desk')}{base}&amp;when={when}"
        assert f'href="{link}" data-days-{when}>1</a>' in page
        listing = client.get(link.replace("&amp;", "&")).content.decode()
        assert listing.count("<tr data-day=") == 1 and f'data-day="{day.pk}"' in listing
    assert f'href="{reverse("inquiry:visits")}{base}" data-visits>1</a>' in page
    visits = client.get(reverse("inquiry:visits") + base).content.decode()
    assert visits.count("<tr data-visit=") == 1


def test_a_letter_to_a_leader_without_an_office_waits_for_the_dispatcher(office):
    c = office.desk.county
    liaison = org.person_create(actor=None, name="包联领导", phone="13600001234")
    org.position_start(
        actor=None,
        person=liaison,
        kind="county_leader_liaison",
        region=c.township_a,
        start_date=dt.date(2024, 1, 1),
    )
    mailbox = services.mailbox_set(
        actor=c.administrator, leader=liaison, title="包联领导信箱", is_open=True
    )
    matter = services.mailbox_send(
        user=phone_verified(c.resident), mailbox=mailbox, content="村道坑洼"
    )
    assert (matter.case.state, matter.case.lead_unit, matter.case.coordinator) == (
        State.COLLECTED,
        None,
        liaison,
    )


def test_only_the_leader_s_office_sets_the_mailbox(office):
    with pytest.raises(PermissionDenied):
        services.mailbox_set(
            actor=office.desk.county.township_clerk,
            leader=office.leader,
            title="改名",
            is_open=False,
        )
    office.mailbox.refresh_from_db()
    assert (office.mailbox.title, office.mailbox.is_open) == ("书记信箱", True)


def test_letters_are_limited_per_hour(client, office, settings):
    settings.WENMIN_MAILBOX_LETTERS_PER_HOUR = 1
    client.force_login(phone_verified(office.desk.county.resident))
    url = reverse("inquiry:mailbox", args=[office.mailbox.pk])
    assert client.post(url, {"content": "第一封"}).status_code == 302
    assert client.post(url, {"content": "第二封"}).status_code == 429
    assert Case.objects.count() == 1
