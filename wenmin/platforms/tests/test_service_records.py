"""The service records: a clerk records a walk-in at the counter (who, which service, start and
end, the result) or opens a case instead; bad input is refused with nothing saved."""

from __future__ import annotations

from django.urls import reverse

from wenmin.cases.models import Case, Channel
from wenmin.core.models import AuditEvent
from wenmin.organisation.models import Person
from wenmin.platforms import services
from wenmin.platforms.models import QueueTicket, Result, ServiceRecord
from wenmin.platforms.tests.conftest import Platforms, client_for, minutes_ago


def _walkin(p: Platforms, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "resident_name": "陈明",
        "resident_phone": "18600003333",
        "item": p.certificate.pk,
        "started_at": minutes_ago(20),
        "ended_at": minutes_ago(5),
        "result": Result.DONE,
        "note": "",
    }
    data.update(changes)
    return data


def test_a_clerk_records_a_walk_in_and_sees_the_phone_masked(platforms: Platforms) -> None:
    p = platforms
    client = client_for(p.county.township_clerk)
    response = client.post(reverse("platforms:record_new", args=[p.centre.pk]), _walkin(p))
    record = ServiceRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("platforms:record_detail", args=[record.pk])
    assert record.item == p.certificate
    assert record.resident == p.county.resident_a  # found by the phone, not a new person
    assert record.result == Result.DONE
    assert record.clerk == p.county.township_clerk
    assert (record.ended_at - record.started_at).total_seconds() == 15 * 60
    page = client.get(response["Location"]).content.decode()
    assert "186****3333" in page
    assert "18600003333" not in page
    assert record.rating_code in page
    assert "data:image/svg+xml" in page  # the QR code the resident scans to rate it
    assert AuditEvent.objects.filter(action="platforms.service_record").count() == 1
    desk = client.get(reverse("platforms:desk", args=[p.centre.pk])).content.decode()
    assert "186****3333" in desk and "18600003333" not in desk


def test_a_new_resident_is_registered_with_the_phone_encrypted(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    data = _walkin(platforms, resident_name="吴强", resident_phone="13500001234")
    assert (
        client.post(reverse("platforms:record_new", args=[platforms.centre.pk]), data).status_code
        == 302
    )
    person = Person.objects.get(name="吴强")
    assert person.is_resident and person.phone == "13500001234"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM organisation_person WHERE id = %s", [person.pk])
        (stored,) = cursor.fetchone()
    assert "13500001234" not in stored


def _refused(p: Platforms, message: str, **changes: object) -> None:
    client = client_for(p.county.township_clerk)
    persons = Person.objects.count()
    response = client.post(
        reverse("platforms:record_new", args=[p.centre.pk]), _walkin(p, **changes)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ServiceRecord.objects.count() == 0
    assert Person.objects.count() == persons
    assert not AuditEvent.objects.filter(action="platforms.service_record").exists()


def test_an_end_before_the_start_is_refused_and_nothing_saved(platforms: Platforms) -> None:
    _refused(
        platforms,
        "服务结束时间不能早于开始时间",
        started_at=minutes_ago(5),
        ended_at=minutes_ago(20),
        resident_name="新人",
        resident_phone="13500009999",
    )


def test_a_service_still_to_come_is_refused(platforms: Platforms) -> None:
    _refused(platforms, "尚未到来", started_at=minutes_ago(-60), ended_at=minutes_ago(-90))


def test_a_service_of_another_centre_is_refused(platforms: Platforms) -> None:
    _refused(platforms, "选择一个有效的选项", item=platforms.other_item.pk)
    assert services is not None


def test_a_result_that_is_not_a_service_is_refused(platforms: Platforms) -> None:
    _refused(platforms, "选择一个有效的选项", result=Result.CASE)


def test_a_bad_phone_is_refused(platforms: Platforms) -> None:
    _refused(platforms, "手机", resident_phone="12345", resident_name="某人")


def test_the_service_is_checked_again_by_the_service(platforms: Platforms) -> None:
    """The form limits the choice; the service judges again (a command, the API)."""
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.service_record(
            actor=platforms.county.township_clerk,
            unit=platforms.centre,
            item=platforms.other_item,
            resident_name="陈明",
            resident_phone="18600003333",
            started_at=None,
            ended_at=None,
            result=Result.DONE,
        )
    assert set(error.value.message_dict) == {"item", "started_at", "ended_at"}
    assert ServiceRecord.objects.count() == 0


def test_a_clerk_of_another_township_sees_nothing(platforms: Platforms) -> None:
    client = client_for(platforms.county.other_township_clerk)
    assert client.get(reverse("platforms:desk", args=[platforms.centre.pk])).status_code == 404
    response = client.post(
        reverse("platforms:record_new", args=[platforms.centre.pk]), _walkin(platforms)
    )
    assert response.status_code == 404
    assert ServiceRecord.objects.count() == 0
    # A resident or volunteer has no counter at all.
    resident = client_for(platforms.county.resident)
    assert resident.get(reverse("platforms:desk", args=[platforms.centre.pk])).status_code == 403


def test_a_problem_is_opened_as_a_counter_case(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    response = client.post(
        reverse("platforms:case_new", args=[platforms.centre.pk]),
        {
            "resident_name": "陈明",
            "resident_phone": "18600003333",
            "kind": "complaint",
            "content": "村口排水沟堵塞，下雨积水",
            "started_at": minutes_ago(10),
            "ended_at": minutes_ago(2),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.COUNTER
    assert case.requester == platforms.county.resident_a
    record = ServiceRecord.objects.get()
    assert record.result == Result.CASE and record.case == case
    page = client.get(response["Location"]).content.decode()
    assert case.number in page


def test_a_case_without_its_text_opens_nothing(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    response = client.post(
        reverse("platforms:case_new", args=[platforms.centre.pk]),
        {
            "resident_name": "陈明",
            "resident_phone": "18600003333",
            "kind": "help",
            "content": "",
            "started_at": minutes_ago(10),
            "ended_at": minutes_ago(2),
        },
    )
    assert response.status_code == 400
    assert Case.objects.count() == 0 and ServiceRecord.objects.count() == 0


def test_a_called_ticket_is_served_once(platforms: Platforms) -> None:
    p = platforms
    client = client_for(p.county.township_clerk)
    client.post(reverse("platforms:ticket_take", args=[p.centre.pk]))
    client.post(reverse("platforms:ticket_call", args=[p.centre.pk]))
    ticket = QueueTicket.objects.get()
    first = client.post(
        reverse("platforms:record_new", args=[p.centre.pk]), _walkin(p, ticket=ticket.pk)
    )
    assert first.status_code == 302
    assert ServiceRecord.objects.get().ticket == ticket
    again = client.post(
        reverse("platforms:record_new", args=[p.centre.pk]), _walkin(p, ticket=ticket.pk)
    )
    assert again.status_code == 400
    assert ServiceRecord.objects.count() == 1
