"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): every resource in .xml and .json.

Reads are public and show no personal data; posting a request needs an `api_key`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import Case, Category, Channel
from wenmin.cases.selectors import case_by_tracking_code
from wenmin.cases.services import case_intake
from wenmin.channels.models import ApiKey
from wenmin.channels.open311 import resources
from wenmin.channels.open311.endpoint import (
    api_key_required,
    endpoint,
    jurisdiction_check,
    param,
)
from wenmin.channels.open311.mapping import STATES_OF_STATUS
from wenmin.channels.open311.params import (
    Open311Error,
    boolean,
    comma_list,
    coordinates,
    date_window,
    number,
    page_number,
    parse_datetime,
    positive_int,
)
from wenmin.channels.open311.serializers import XML, render, render_errors
from wenmin.channels.selectors import (
    open311_request,
    open311_requests_filtered,
    open311_requests_page,
    open311_service,
    open311_services,
    region_by_code,
)
from wenmin.organisation.validation import normalise_phone

MAX_RESULTS = 1000  # the spec's default cap on GET requests
MAX_DESCRIPTION = 4000
# Open311 has no kind of case: a report of a problem to fix is a request for help (求助);
# the dispatcher reclassifies it when it is something else.
OPEN311_KIND = Kind.HELP
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# What the intake calls a field, and what the client sent it as.
_FIELD_NAMES = {
    "content": "description",
    "latitude": "lat",
    "longitude": "long",
    "category": "service_code",
    "requester_phone": "phone",
    "requester_name": "first_name",
    "address": "address_string",
    "title": "description",
    "files": "media_url",
}


@endpoint("GET")
def discovery(request: HttpRequest, *, format: str) -> HttpResponse:
    """Service discovery: this endpoint, its spec and formats."""
    url = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
    document = resources.discovery_document(
        url=url.rsplit("/", 1)[0],
        contact=_("Wenmin (问民): %(email)s") % {"email": settings.DEFAULT_FROM_EMAIL},
        production=bool(getattr(settings, "PRODUCTION", False)),
    )
    return render(format, "discovery", document)


@endpoint("GET")
def services(request: HttpRequest, *, format: str) -> HttpResponse:
    """GET services: every active category."""
    document = [resources.service_document(category) for category in open311_services()]
    return render(format, "services", document)


def _service_or_error(code: str, status: int) -> Category:
    category = open311_service(code=code)
    if category is None:
        raise Open311Error(status, _("service_code %(code)s was not found.") % {"code": code[:64]})
    return category


@endpoint("GET")
def service_definition(request: HttpRequest, *, service_code: str, format: str) -> HttpResponse:
    """GET a service definition: the category's extra fields as attributes."""
    category = _service_or_error(service_code, 404)
    return render(format, "service_definition", resources.service_definition_document(category))


@endpoint("GET", "POST")
def requests(request: HttpRequest, *, format: str) -> HttpResponse:
    """GET requests (public, filtered, capped) or POST a request (with an api_key)."""
    if request.method == "POST":
        return _post_request(request, format)
    return _get_requests(request, format)


def _get_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET
    extensions = boolean("extensions", query.get("extensions"))
    numbers = comma_list("service_request_id", query.get("service_request_id"))
    page = page_number("page", query.get("page"))
    page_size = min(positive_int("page_size", query.get("page_size"), MAX_RESULTS), MAX_RESULTS)
    if numbers:  # the spec: service_request_id overrides every other argument
        cases = open311_requests_filtered(numbers=numbers)
    else:
        statuses = comma_list("status", query.get("status"))
        if unknown := [status for status in statuses if status not in STATES_OF_STATUS]:
            raise Open311Error(
                400, _("status must be open or closed, not %(value)s.") % {"value": unknown[0][:32]}
            )
        start, end = date_window(query.get("start_date"), query.get("end_date"))
        cases = open311_requests_filtered(
            service_codes=comma_list("service_code", query.get("service_code")),
            states=set().union(*(STATES_OF_STATUS[s] for s in statuses)) if statuses else None,
            start=start,
            end=end,
        )
    offset = (page - 1) * page_size
    document = resources.requests_document(
        open311_requests_page(cases, offset=offset, limit=page_size), extensions=extensions
    )
    return render(fmt, "service_requests", document)


@endpoint("GET")
def request_detail(request: HttpRequest, *, service_request_id: str, format: str) -> HttpResponse:
    """GET one request by its id (the case number)."""
    extensions = boolean("extensions", request.GET.get("extensions"))
    case = open311_request(number=service_request_id)
    if case is None:
        raise Open311Error(
            404,
            _("service_request_id %(id)s was not found.") % {"id": service_request_id[:64]},
        )
    return render(
        format, "service_requests", [resources.request_document(case, extensions=extensions)]
    )


@endpoint("GET")
def token(request: HttpRequest, *, token: str, format: str) -> HttpResponse:
    """GET service_request_id from a token: a case's tracking code answers with its number."""
    try:
        case = case_by_tracking_code(token)
    except Http404:
        raise Open311Error(
            404, _("token %(token)s was not found.") % {"token": token[:32]}
        ) from None
    document = [{"service_request_id": case.number, "token": case.tracking_code}]
    return render(format, "service_requests", document)


@csrf_exempt
def not_found(request: HttpRequest, format: str = XML) -> HttpResponse:
    """Anything else under /open311/v2/: the spec's 404, in XML unless .json was asked for."""
    return render_errors(format, 404, [_("No such resource. Use .xml or .json.")])


# --- POST requests --------------------------------------------------------------------------


def _attributes(request: HttpRequest, category: Category) -> dict[str, Any]:
    """attribute[code] and attribute[code][] answers, checked against the field's datatype."""
    fields = {str(field["code"]): field for field in category.extra_fields or []}
    given: dict[str, list[str]] = {}
    for key in request.POST:
        if match := _ATTRIBUTE.match(key):
            given.setdefault(match.group(1), []).extend(request.POST.getlist(key))
    answers: dict[str, Any] = {}
    problems: list[str] = []
    for code, values in given.items():
        field = fields.get(code)
        if field is None:
            continue  # the spec lets clients send attributes a service does not define
        values = [value for value in values if value.strip()]
        datatype = field.get("datatype", "string")
        name = f"attribute[{code}]"
        if datatype == "multivaluelist":
            answers[code] = values
            continue
        value = values[0] if values else ""
        try:
            if datatype == "number" and value:
                number(name, value)
            elif datatype == "datetime" and value:
                value = parse_datetime(name, value).isoformat()
        except Open311Error as error:
            problems.extend(error.descriptions)
        answers[code] = value
    if problems:
        raise Open311Error(400, *problems)
    return answers


def _location(request: HttpRequest) -> dict[str, Any]:
    lat, lng = coordinates(param(request, "lat"), param(request, "long"))
    address = param(request, "address_string").strip()
    address_id = param(request, "address_id").strip()
    if not (lat or address or address_id):
        raise Open311Error(
            400, _("A location is required: lat and long, address_string or address_id.")
        )
    return {
        "latitude": lat or None,
        "longitude": lng or None,
        "address": address[:255],
        "region": region_by_code(code=address_id) if address_id else None,
        "address_id": address_id[:64],
    }


def _requester(request: HttpRequest) -> tuple[str, str]:
    """The requester's name and phone; a phone that is not a mainland mobile is left out."""
    name = " ".join(
        part for part in (param(request, "first_name"), param(request, "last_name")) if part
    )
    try:
        phone = normalise_phone(param(request, "phone"))
    except ValidationError:
        phone = ""  # kept nowhere: the case simply has no callback number
    return name.strip()[:64], phone


def _intake_errors(error: ValidationError) -> list[str]:
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    described: list[str] = []
    for field, texts in messages.items():
        name = _FIELD_NAMES.get(field, field)
        if field.startswith("extra."):
            name = f"attribute[{field.removeprefix('extra.')}]"
        described.extend(f"{name}: {text}" if name else str(text) for text in texts)
    return described


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    key = api_key_required(request)
    jurisdiction_check(request, key)
    code = param(request, "service_code").strip()
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    # A POST naming an unknown service is a bad request (400), as in mySociety's reference
    # server; only a resource that is not there (a service definition) is 404.
    category = _service_or_error(code, 400)
    # FixMyStreet's HTTP library sends line breaks as CR LF, as HTML forms do.
    description = param(request, "description").replace("\r\n", "\n").strip()
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(
            400, _("description: at most %(n)s characters.") % {"n": MAX_DESCRIPTION}
        )
    case = _intake(request, key, category, description)
    document = [
        {
            "service_request_id": case.number,
            "token": case.tracking_code,
            "service_notice": resources.service_notice(case),
            "account_id": param(request, "account_id")[:64] or None,
        }
    ]
    return render(fmt, "service_requests", document)


def _intake(request: HttpRequest, key: ApiKey, category: Category, description: str) -> Case:
    location = _location(request)
    answers = _attributes(request, category)
    name, phone = _requester(request)
    media = [url.strip()[:500] for url in request.POST.getlist("media_url") if url.strip()]
    try:
        return case_intake(
            channel=Channel.API,
            kind=OPEN311_KIND,
            category=category,
            extra=answers,
            content=description or category.name,
            title=description.splitlines()[0][:120] if description else category.name,
            requester_name=name if phone else "",
            requester_phone=phone,
            latitude=location["latitude"],
            longitude=location["longitude"],
            address=location["address"],
            region=location["region"],
            data={
                "api_key": key.prefix,
                "open311": True,
                "device_id": (param(request, "device_id") or param(request, "deviceid"))[:100],
                "account_id": param(request, "account_id")[:64],
                "address_id": location["address_id"],
                "media_url": media[0] if len(media) == 1 else (media or ""),
            },
        )
    except ValidationError as error:
        raise Open311Error(400, *_intake_errors(error)) from None
