"""The GeoReport v2 documents, built from categories and cases as plain data.

Nothing personal is ever put here: no requester, phone, email or staff name; a case's own words,
place and media only when `mapping.is_open_data` allows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.labels import PUBLIC_ACTIONS
from wenmin.cases.models import Case, CaseEvent, Category
from wenmin.cases.workflow import HANDLING_STATES, State, step_of
from wenmin.channels.open311.mapping import (
    OPEN_STATES,
    extended_status_of,
    is_open_data,
    status_of,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's GeoReport documents last changed shape.
CHANGESET = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def discovery_document(*, url: str, contact: str, production: bool) -> dict[str, Any]:
    """Where this endpoint is, which spec it follows and in which formats."""
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": _("API keys are issued by the county administrator."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production" if production else "test",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_document(category: Category) -> dict[str, Any]:
    """One category as a service; metadata is true when it asks extra questions."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.extra_fields),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.parent.name if category.parent_id and category.parent else "",
    }


def attribute_document(field: dict[str, Any], position: int) -> dict[str, Any]:
    """One extra field as a service-definition attribute."""
    document: dict[str, Any] = {
        "variable": True,
        "code": str(field["code"]),
        "datatype": field.get("datatype", "string"),
        "required": bool(field.get("required")),
        "datatype_description": field.get("description", "") or "",
        "order": int(field.get("order") or position),
        "description": field.get("label") or field["code"],
    }
    if field.get("values"):
        document["values"] = [
            {"key": str(option["key"]), "name": str(option["name"])} for option in field["values"]
        ]
    return document


def service_definition_document(category: Category) -> dict[str, Any]:
    """The category's extra fields, in their order."""
    attributes = [
        attribute_document(field, position)
        for position, field in enumerate(category.extra_fields or [], start=1)
    ]
    attributes.sort(key=lambda attribute: attribute["order"])
    return {"service_code": category.code, "attributes": attributes}


def service_notice(case: Case) -> str:
    """Where the case stands and, while units work on it, when a result is due."""
    label = str(State(case.state).label)
    if case.state in HANDLING_STATES and case.result_due is not None:
        return _("%(state)s. A result is due by %(due)s.") % {
            "state": label,
            "due": timezone.localtime(case.result_due).strftime("%Y-%m-%d %H:%M"),
        }
    return label


def _related(case: Case, relation: str, name: str) -> str:
    """A related row's column: annotated on a list's cases as `relation_name` (no related
    instances built for a thousand requests), else read through the relation."""
    annotated = f"{relation}_{name}"
    if hasattr(case, annotated):
        return str(getattr(case, annotated) or "")
    related = getattr(case, relation)
    return str(getattr(related, name)) if related is not None else ""


def _events(case: Case) -> list[CaseEvent]:
    return list(getattr(case, "public_events", None) or [])


def _label(event: CaseEvent) -> str:
    label = PUBLIC_ACTIONS.get(event.action)
    return str(label) if label is not None else _("Update")


def _media_url(case: Case) -> str:
    for event in _events(case):
        if event.action == "intake":
            media = event.data.get("media_url") or ""
            return str(media[0] if isinstance(media, list) and media else media or "")
    return ""


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _status_notes(case: Case, open_data: bool) -> str:
    for event in reversed(_events(case)):
        if open_data and event.public_note:
            return event.public_note
        if not open_data and event.action in PUBLIC_ACTIONS:
            return _label(event)
    return ""


def note_document(case: Case, event: CaseEvent, open_data: bool) -> dict[str, Any]:
    """One step of the public history (extensions=true)."""
    return {
        "update_id": str(event.pk),
        "datetime": event.at,
        "status": extended_status_of(event.state_after, case.rejection_reason),
        "summary": _label(event),
        "description": event.public_note if open_data else "",
    }


def request_document(case: Case, *, extensions: bool = False) -> dict[str, Any]:
    """One case as a GeoReport request; with extensions, its finer status and public history."""
    open_data = is_open_data(case)
    events = _events(case)
    updated = events[-1].at if events else case.received_at
    document: dict[str, Any] = {
        "service_request_id": case.number,
        "status": status_of(case.state),
        "status_notes": _status_notes(case, open_data),
        "service_name": _related(case, "category", "name"),
        "service_code": _related(case, "category", "code"),
        "description": case.content if open_data else "",
        "agency_responsible": _related(case, "lead_unit", "name"),
        "service_notice": service_notice(case),
        "requested_datetime": case.received_at,
        "updated_datetime": max(updated, case.received_at),
        "expected_datetime": case.result_due if case.state in OPEN_STATES else None,
        "address": case.address if open_data else "",
        "address_id": _related(case, "region", "code") if open_data else "",
        "zipcode": "",
        "lat": _number(case.latitude) if open_data else None,
        "long": _number(case.longitude) if open_data else None,
        "media_url": _media_url(case) if open_data else "",
    }
    if extensions:
        document["extended_attributes"] = {
            "status": extended_status_of(case.state, case.rejection_reason),
            "state": case.state,
            "step": step_of(case.state),
            "notes": [note_document(case, event, open_data) for event in events],
        }
    return document


def requests_document(cases: Iterable[Case], *, extensions: bool = False) -> list[dict[str, Any]]:
    """Several cases as GeoReport requests."""
    return [request_document(case, extensions=extensions) for case in cases]


def update_document(event: CaseEvent) -> dict[str, Any]:
    """One public event as a FixMyStreet request_update; the status in its upper-case spelling."""
    case = event.case
    return {
        "update_id": str(event.pk),
        "service_request_id": case.number,
        "status": extended_status_of(event.state_after, case.rejection_reason).upper(),
        "updated_datetime": event.at,
        "description": event.public_note if is_open_data(case) else _label(event),
        "media_url": "",
    }
