"""The platforms' objects in the small county, for the junk tests (tests/robustness)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wenmin.platforms import services
from wenmin.platforms.models import ErrandStep, Result
from wenmin.testing import CaseDesk


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    """A centre with its catalogue, a called ticket, a service record, an errand taken by the
    volunteer, a station with a duty shift."""
    from wenmin.platforms.tests.conftest import build_platforms

    p = build_platforms(desk.county)
    now = timezone.now()
    services.ticket_take(actor=None, unit=p.centre, now=now - dt.timedelta(minutes=30))
    ticket = services.ticket_call_next(
        actor=None, unit=p.centre, now=now - dt.timedelta(minutes=20)
    )
    record = services.service_record(
        actor=None,
        unit=p.centre,
        item=p.certificate,
        resident_name="陈明",
        resident_phone="18600003333",
        started_at=now - dt.timedelta(minutes=20),
        ended_at=now - dt.timedelta(minutes=10),
        result=Result.DONE,
        ticket=ticket,
    )
    services.ticket_take(actor=None, unit=p.centre, now=now - dt.timedelta(minutes=5))
    errand = services.errand_request(
        actor=None,
        unit=p.centre,
        item=p.pension,
        resident_name="陈明",
        resident_phone="18600003333",
        request="代办养老保险参保",
        office="社保所",
        now=now - dt.timedelta(hours=2),
    )
    services.errand_take(actor=desk.county.volunteer, errand=errand)
    shift = services.duty_set(actor=None, unit=p.station, day=timezone.localdate(), cadre=p.cadre)
    local = timezone.localtime(now - dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    return {
        "paths": {
            "unit_id": p.centre.pk,
            "record_id": record.pk,
            "item_id": p.pension.pk,
            "errand_id": errand.pk,
            "shift_id": shift.pk,
        },
        "form": {
            "resident_name": "陈明",
            "resident_phone": "18600003333",
            "visitor_name": "陈明",
            "visitor_phone": "18600003333",
            "item": p.certificate.pk,
            "started_at": local,
            "ended_at": local,
            "arrived_at": local,
            "at": local,
            "result": Result.DONE,
            "kind": "help",
            "content": "排水沟堵塞",
            "matter": "咨询医保",
            "outcome": "answered",
            "answer": "已答复",
            "name": "新事项",
            "documents": "身份证",
            "time_limit_days": "3",
            "fee": "0",
            "hours": "工作日 8:30—17:30",
            "request": "代办",
            "office": "社保所",
            "step": ErrandStep.RECEIVED,
            "counterpart": "本人",
            "day": timezone.localdate().isoformat(),
            "cadre": p.cadre.pk,
            "code": record.rating_code,
            "score": "5",
            "month": timezone.localdate().strftime("%Y-%m"),
            "offered": "1",
        },
    }
