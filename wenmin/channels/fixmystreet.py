"""FixMyStreet's Open311 extension: servicerequestupdates, so an installation can sync both ways.

GET lists the public steps taken on cases in a date window (what FixMyStreet's fetch-updates
job reads: update_id, service_request_id, status, updated_datetime, description, media_url).
POST records a FixMyStreet user's update on a case that installation sent, as a note; it never
changes the case's state (https://github.com/mysociety/fixmystreet/wiki/Open311-FMS---Complete-Spec).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.services.external import case_external_update
from wenmin.channels.models import ApiKey
from wenmin.channels.open311 import resources
from wenmin.channels.open311.endpoint import (
    api_key_check,
    api_key_required,
    endpoint,
    jurisdiction_check,
    param,
)
from wenmin.channels.open311.params import Open311Error, date_window, parse_datetime
from wenmin.channels.open311.serializers import render
from wenmin.channels.selectors import (
    case_submitted_with,
    external_update_by,
    open311_request,
    open311_updates,
)

MAX_UPDATES = 1000


@endpoint("GET", "POST")
def servicerequestupdates(request: HttpRequest, *, format: str) -> HttpResponse:
    """GET the updates in a window, or POST one update on a case this key sent."""
    if request.method == "POST":
        return _post_update(request, format)
    api_key_check(request, required=False)
    start, end = date_window(request.GET.get("start_date"), request.GET.get("end_date"))
    events = open311_updates(start=start, end=end)[:MAX_UPDATES]
    document = [resources.update_document(event) for event in events]
    return render(format, "service_request_updates", document)


def _post_update(request: HttpRequest, fmt: str) -> HttpResponse:
    key = api_key_required(request)
    jurisdiction_check(request, key)
    number = param(request, "service_request_id").strip()
    if not number:
        raise Open311Error(400, _("service_request_id was not provided."))
    case = open311_request(number=number)
    if case is None:
        raise Open311Error(404, _("service_request_id %(id)s was not found.") % {"id": number[:64]})
    if not case_submitted_with(case=case, key=key):
        raise Open311Error(
            403, _("This api_key did not send service request %(id)s.") % {"id": number}
        )
    update_id = param(request, "update_id").strip()[:64]
    event = external_update_by(case=case, key=key, update_id=update_id)
    if event is None:
        event = _record(request, key, case, update_id)
    return render(fmt, "service_request_updates", [{"update_id": str(event.pk)}])


def _record(request: HttpRequest, key: ApiKey, case: Case, update_id: str) -> CaseEvent:
    updated = param(request, "updated_datetime").strip()
    if updated:
        updated = parse_datetime("updated_datetime", updated).isoformat()
    media = param(request, "media_url").strip()[:500]
    try:
        return case_external_update(
            case=case,
            source=f"{key.name} ({key.prefix})",
            text=param(request, "description").replace("\r\n", "\n"),
            status=param(request, "status").strip().upper(),
            data={
                "api_key": key.prefix,
                "external_update_id": update_id,
                "updated_datetime": updated,
                "media_url": media,
            },
        )
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from None
