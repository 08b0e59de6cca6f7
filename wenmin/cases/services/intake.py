"""Step 1, collect (收集建议): one intake for every channel."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from contextlib import suppress
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.deadlines import Kind, Urgency
from wenmin.cases.models import Case, CaseSequence, Category, Channel
from wenmin.cases.purposes import purposes_check
from wenmin.cases.services.attachments import attachments_check, attachments_save
from wenmin.cases.services.events import event_record
from wenmin.cases.services.policy import policy_current
from wenmin.cases.workflow import State
from wenmin.core import validators
from wenmin.core.cache_outage import CACHE_ERRORS, cache_failed
from wenmin.core.models import User
from wenmin.organisation.geo import region_at
from wenmin.organisation.models import Person, Region, RegionLevel
from wenmin.organisation.services import resident_find_or_create

MAX_CONTENT = 4000
MAX_TITLE = 120
MAX_ADDRESS = 255
MAX_NAME = 64
MAX_ANSWER = 1000  # characters of a text answer to a category's question
_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def tracking_code_new() -> str:
    """Ten unambiguous characters: unguessable, easy to read out on the phone."""
    return "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(10))


def case_number_next(*, county_code: str, day: dt.date) -> str:
    """County code + date + a daily sequence, e.g. 369901-20261126-00042 (inside a transaction)."""
    prefix = f"{county_code}-{day:%Y%m%d}"
    # One statement where a locked read, an update (and on a new day a savepoint and an insert)
    # took four: the row is locked by the upsert until the commit, so numbers never repeat.
    # PostgreSQL and SQLite (3.35+) both speak ON CONFLICT … RETURNING.
    table, key, last = (
        connection.ops.quote_name(name) for name in (CaseSequence._meta.db_table, "prefix", "last")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {last}) VALUES (%s, 1) "  # noqa: S608  (our names)
            f"ON CONFLICT ({key}) DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}",
            [prefix],
        )
        (number,) = cursor.fetchone()
    return f"{prefix}-{number:05d}"


def _county_code(region: Region | None) -> str:
    if region is not None:
        return region.path.split("/", 1)[0][:6]
    # A case with no place is numbered in the first county; counties come and go rarely.
    try:
        county: str | None = cache.get("wenmin:cases:first-county-code")
    except CACHE_ERRORS as error:
        cache_failed(error, doing="reading the first county")
        county = _first_county()
    if county is None:
        county = _first_county()
        with suppress(*CACHE_ERRORS):
            cache.set("wenmin:cases:first-county-code", county, 600)
    return county[:6]


def _first_county() -> str:
    return (
        Region.objects.filter(level=RegionLevel.COUNTY)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    ) or "000000"


def _answer_text(value: Any) -> str:
    """One answer as text: a string, or a number a client sent for one; anything else is refused."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    raise ValidationError(_("Give one value as text."))


def _extra_answer(field: dict[str, Any], value: Any) -> Any:
    """One answer, checked against its field's datatype (ValidationError otherwise)."""
    allowed = {str(option["key"]) for option in field.get("values", [])}
    datatype = field.get("datatype")
    if datatype == "multivaluelist":
        values = [_answer_text(v) for v in (value if isinstance(value, list) else [value])]
        if allowed and not set(values) <= allowed:
            raise ValidationError(_("Choose from the listed values."))
        return [validators.check_text(v, max_length=MAX_ANSWER) for v in values]
    if datatype == "singlevaluelist":
        text = _answer_text(value)
        if allowed and text not in allowed:
            raise ValidationError(_("Choose from the listed values."))
        return validators.check_text(text, max_length=MAX_ANSWER)
    if datatype == "number":
        return float(validators.check_number(value))
    text = _answer_text(value)
    return validators.check_text(text, max_length=MAX_ANSWER, multiline=datatype == "text")


def extra_fields_check(category: Category | None, extra: dict[str, Any]) -> dict[str, Any]:
    """The category's extra answers: required ones present, list answers among the listed
    values, numbers finite and bounded, text without control characters."""
    if category is None or not category.extra_fields:
        return {}
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field in category.extra_fields:
        code, value = field["code"], extra.get(field["code"])
        if value in (None, "", []):
            if field.get("required"):
                errors[f"extra.{code}"] = [
                    _("“%(label)s” is required.") % {"label": field.get("label", code)}
                ]
            continue
        try:
            clean[code] = _extra_answer(field, value)
        except ValidationError as error:
            errors[f"extra.{code}"] = error.messages
    if errors:
        raise ValidationError(errors)
    return clean


def _coordinate(
    value: Any, check: Callable[[Any], Decimal], field: str, errors: dict[str, list[str]]
) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return check(value)
    except ValidationError as error:
        errors[field] = error.messages
        return None


def _texts(errors: dict[str, list[str]], **fields: tuple[Any, int, bool]) -> dict[str, str]:
    """Each text field stripped and checked (value, length limit, multi-line); the clean values."""
    clean: dict[str, str] = {}
    for name, (value, limit, multiline) in fields.items():
        try:
            text = value.strip() if isinstance(value, str) else value
            clean[name] = validators.check_text(text or "", max_length=limit, multiline=multiline)
        except ValidationError as error:
            errors[name] = error.messages
            clean[name] = ""
    return clean


def _case_unnumbered(
    *,
    channel: str,
    kind: str,
    urgency: str,
    texts: dict[str, str],
    category: Category | None,
    extra: dict[str, Any],
    lat: Decimal | None,
    lng: Decimal | None,
    region: Region | None,
    actor: User | None,
    received: dt.datetime,
    purposes: list[str],
) -> Case:
    """The checked case, located and given its deadline, still without requester and number."""
    if region is None and lat is not None and lng is not None:
        region = region_at(latitude=lat, longitude=lng)
    return Case(
        tracking_code=tracking_code_new(),
        channel=channel,
        received_at=received,
        registered_by=actor if actor is not None and actor.pk else None,
        kind=kind,
        category=category,
        urgency=urgency,
        title=texts["title"] or texts["content"][:30],
        content=texts["content"],
        extra=extra,
        address=texts["address"],
        latitude=lat,
        longitude=lng,
        region=region,
        state=State.COLLECTED,
        result_due=policy_current().result_due(received, kind, urgency),
        purposes=purposes,
    )


def case_intake(
    *,
    channel: str,
    content: str,
    kind: str = Kind.CONSULT,
    urgency: str = Urgency.NORMAL,
    title: str = "",
    category: Category | None = None,
    extra: dict[str, Any] | None = None,
    requester: Person | None = None,
    requester_name: str = "",
    requester_phone: str = "",
    address: str = "",
    latitude: Any = None,
    longitude: Any = None,
    region: Region | None = None,
    files: Sequence[UploadedFile] = (),
    actor: User | None = None,
    received_at: dt.datetime | None = None,
    data: dict[str, Any] | None = None,
    purposes: Sequence[str] | None = None,
    coordinator: Person | None = None,
) -> Case:
    """Register a case from any channel: checked, numbered, located, given its deadline, audited.
    `purposes`: why its personal data is processed, as told (None: the channel's default);
    `coordinator`: the county leader who coordinates it from the start (问政's matters)."""
    errors: dict[str, list[str]] = {}
    texts = _texts(
        errors,
        content=(content, MAX_CONTENT, True),
        title=(title, MAX_TITLE, False),
        address=(address, MAX_ADDRESS, False),
        requester_name=(requester_name, MAX_NAME, False),
    )
    content = texts["content"]
    if not content and "content" not in errors:
        errors["content"] = [_("Describe the matter.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if kind not in Kind.values:
        errors["kind"] = [_("Unknown kind.")]
    if urgency not in Urgency.values:
        errors["urgency"] = [_("Urgency is normal or urgent.")]
    if category is not None and not category.is_active:
        errors["category"] = [_("This category is no longer in use.")]
    if received_at is not None:
        try:
            validators.check_datetime(received_at)
        except ValidationError as error:
            errors["received_at"] = error.messages
    lat = _coordinate(latitude, validators.check_latitude, "latitude", errors)
    lng = _coordinate(longitude, validators.check_longitude, "longitude", errors)
    if (lat is None) != (lng is None) and "latitude" not in errors and "longitude" not in errors:
        errors["latitude"] = [_("Give both latitude and longitude, or neither.")]
    try:
        clean_extra = extra_fields_check(category, extra or {})
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        clean_purposes = purposes_check(purposes, channel=channel)
    except ValidationError as error:
        errors["purposes"] = error.messages
    try:
        checked_files = attachments_check(list(files))
    except ValidationError as error:
        errors["files"] = error.messages
    # What needs no lock is worked out before the write transaction: SQLite holds its one write
    # lock, and PostgreSQL the day's number, from the first write to the commit.
    case = (
        None
        if errors
        else _case_unnumbered(
            channel=channel,
            kind=kind,
            urgency=urgency,
            texts=texts,
            category=category,
            extra=clean_extra,
            lat=lat,
            lng=lng,
            region=region,
            actor=actor,
            received=received_at or timezone.now(),
            purposes=clean_purposes,
        )
    )
    # The resident is found or created in the same transaction as the case, so a refused
    # intake leaves no orphan person behind.
    with transaction.atomic():
        if requester is None and (requester_phone or "").strip():
            try:
                requester = resident_find_or_create(
                    name=texts["requester_name"] or _("Resident"),
                    phone=requester_phone,
                    actor=actor,
                )
            except ValidationError as error:
                errors["requester_phone"] = error.message_dict.get("phone", error.messages)
        if errors or case is None:
            raise ValidationError(errors)
        case.requester = requester
        case.coordinator = coordinator
        case.number = case_number_next(
            county_code=_county_code(case.region),
            day=timezone.localtime(case.received_at).date(),
        )
        case.save()
        event = event_record(
            case=case,
            action="intake",
            actor=actor,
            state_before="",
            data={
                "channel": channel,
                **({"coordinator": coordinator.pk} if coordinator else {}),
                **(data or {}),
            },
        )
        attachments_save(case=case, event=event, files=checked_files)
    return case
