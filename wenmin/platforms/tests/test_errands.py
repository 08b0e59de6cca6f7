"""代办: a clerk records an errand, a post volunteer takes it and records each hand-over in its
order; the resident is told by text message each time."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.organisation import services as org
from wenmin.platforms.models import Errand, ErrandStep, Handover
from wenmin.platforms.tests.conftest import Platforms, client_for, minutes_ago


def _request(p: Platforms, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "resident_name": "陈明",
        "resident_phone": "18600003333",
        "item": p.pension.pk,
        "request": "母亲腿脚不便，委托办理养老保险参保",
        "office": "青石镇社保所",
    }
    data.update(changes)
    return data


@pytest.fixture
def errand(platforms: Platforms) -> Errand:
    client = client_for(platforms.county.township_clerk)
    response = client.post(
        reverse("platforms:errands", args=[platforms.centre.pk]), _request(platforms)
    )
    assert response.status_code == 302
    # Asked for an hour ago, so the hand-overs of the last hour follow it.
    Errand.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    return Errand.objects.get()


def test_an_errand_is_due_in_the_services_working_days(errand: Errand) -> None:
    assert errand.volunteer is None and errand.step == ""
    assert errand.due_at > errand.created_at


def test_a_service_not_done_by_errand_is_refused(platforms: Platforms) -> None:
    client = client_for(platforms.county.township_clerk)
    response = client.post(
        reverse("platforms:errands", args=[platforms.centre.pk]),
        _request(platforms, item=platforms.certificate.pk),
    )
    assert response.status_code == 400
    assert Errand.objects.count() == 0


def test_the_volunteer_carries_it_there_and_back_and_the_resident_is_told(
    platforms: Platforms,
    errand: Errand,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    volunteer = client_for(platforms.county.volunteer)
    mine = volunteer.get(reverse("platforms:my_errands")).content.decode()
    assert "城乡居民养老保险参保登记" in mine
    assert volunteer.post(reverse("platforms:errand_take", args=[errand.pk])).status_code == 302
    caplog.set_level(logging.INFO, logger="wenmin.notify.sms")
    url = reverse("platforms:handover", args=[errand.pk])
    for minutes, step, who in (
        (50, ErrandStep.RECEIVED, "陈明本人"),
        (40, ErrandStep.AT_OFFICE, "社保所窗口"),
        (30, ErrandStep.COLLECTED, "社保所窗口"),
        (20, ErrandStep.RETURNED, "陈明本人"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = volunteer.post(
                url, {"step": step, "counterpart": who, "at": minutes_ago(minutes)}
            )
        assert response.status_code == 302, response.content.decode()[-800:]
    errand.refresh_from_db()
    assert errand.step == ErrandStep.RETURNED and errand.done
    assert list(errand.handovers.values_list("step", flat=True)) == [
        ErrandStep.RECEIVED,
        ErrandStep.AT_OFFICE,
        ErrandStep.COLLECTED,
        ErrandStep.RETURNED,
    ]
    assert all(h.resident_told for h in errand.handovers.all())
    texts = [r.getMessage() for r in caplog.records if "SMS NOT SENT" in r.getMessage()]
    assert len(texts) == 4
    assert "186****3333" in texts[0] and "18600003333" not in texts[0]
    page = volunteer.get(reverse("platforms:errand_detail", args=[errand.pk])).content.decode()
    assert "每个交接环节都已登记" in page


def test_hand_overs_out_of_order_or_too_early_are_refused(
    platforms: Platforms, errand: Errand
) -> None:
    volunteer = client_for(platforms.county.volunteer)
    volunteer.post(reverse("platforms:errand_take", args=[errand.pk]))
    url = reverse("platforms:handover", args=[errand.pk])
    skipped = volunteer.post(
        url, {"step": ErrandStep.AT_OFFICE, "counterpart": "窗口", "at": minutes_ago(5)}
    )
    assert skipped.status_code == 400 and "下一个交接环节是" in skipped.content.decode()
    future = volunteer.post(
        url, {"step": ErrandStep.RECEIVED, "counterpart": "本人", "at": minutes_ago(-120)}
    )
    assert future.status_code == 400
    assert Handover.objects.count() == 0
    volunteer.post(url, {"step": ErrandStep.RECEIVED, "counterpart": "本人", "at": minutes_ago(1)})
    before = volunteer.post(
        url, {"step": ErrandStep.AT_OFFICE, "counterpart": "窗口", "at": minutes_ago(30)}
    )
    assert before.status_code == 400
    assert Handover.objects.count() == 1


def test_an_errand_is_taken_once_and_recorded_by_its_volunteer_only(
    platforms: Platforms, errand: Errand
) -> None:
    c = platforms.county
    other = org.person_create(actor=None, name="黄敏", phone="15800001111", region=c.township_a)
    org.volunteer_set(actor=None, person=other, post="代办员", team=c.team_a)
    from wenmin.testing import _user

    second = _user("volunteer2", "volunteer", person=other)
    first = client_for(c.volunteer)
    first.post(reverse("platforms:errand_take", args=[errand.pk]))
    late = client_for(second)
    response = late.post(reverse("platforms:errand_take", args=[errand.pk]))
    assert response.status_code == 404  # no longer open to them
    errand.refresh_from_db()
    assert errand.volunteer is not None and errand.volunteer.person == c.volunteer_a
    handover = late.post(
        reverse("platforms:handover", args=[errand.pk]),
        {"step": ErrandStep.RECEIVED, "counterpart": "本人", "at": minutes_ago(1)},
    )
    assert handover.status_code == 404
    assert Handover.objects.count() == 0
