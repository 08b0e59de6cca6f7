"""The only door for writes to the centres and stations."""

from __future__ import annotations

from wenmin.platforms.services.catalogue import hours_set, item_save, item_set_offered
from wenmin.platforms.services.errands import errand_request, errand_take, handover_record
from wenmin.platforms.services.queue import ticket_call_next, ticket_take
from wenmin.platforms.services.ratings import rating_submit
from wenmin.platforms.services.stations import duty_remove, duty_set, station_visit_record
from wenmin.platforms.services.walkins import service_record, walkin_case_open

__all__ = [
    "duty_remove",
    "duty_set",
    "errand_request",
    "errand_take",
    "handover_record",
    "hours_set",
    "item_save",
    "item_set_offered",
    "rating_submit",
    "service_record",
    "station_visit_record",
    "ticket_call_next",
    "ticket_take",
    "walkin_case_open",
]
