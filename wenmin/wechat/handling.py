"""What each message from a follower does: open a case, add to one, keep a picture for the next,
answer "查询", verify a phone, welcome a new follower. Each returns the reply's text.

Runs inside the transaction of message_receive (inbound.py), which claimed the message first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.labels import RESIDENT_STATES
from wenmin.cases.models import Case, Channel
from wenmin.cases.services import case_intake
from wenmin.cases.services.external import case_requester_addition
from wenmin.core import validators
from wenmin.core.geo import gcj02_to_wgs84
from wenmin.core.ratelimit import rate_count
from wenmin.organisation.geo import region_at
from wenmin.organisation.models import Region
from wenmin.wechat.models import Follower, InboundMessage, OfficialAccount, Outcome
from wenmin.wechat.selectors import follower_cases, follower_open_case, follower_pending
from wenmin.wechat.services import (
    follower_phone_link_finish,
    follower_phone_link_pending,
    follower_phone_link_start,
    follower_subscribed,
)

PENDING_FOR = dt.timedelta(hours=1)  # a picture waits this long for the text it goes with
CASES_PER_HOUR = 10  # per follower: more is a script, not a resident
MAX_MEDIA = 9  # pictures and the like attached to one case or addition (WeChat sends 9 at most)
QUERY_KEY = "QUERY"  # the menu button "查询进度"
_ADD = re.compile(r"^补充[\s:：,，、]*", re.S)
_LINK = re.compile(r"^绑定[\s:：,，、]*(.*)$", re.S)
_CODE = re.compile(r"^\d{6}$")
_QUERIES = frozenset({"查询", "查询进度", "进度"})
MEDIA_TYPES = frozenset({"image", "voice", "video", "shortvideo", "link", "location"})
# Called with (case=, account=, openid=) when a WeChat message opens a case, in the intake's
# request: the messaging app records there whom to tell about the case (wechat never imports it).
CASE_OPENED: list[Callable[..., None]] = []


@dataclass
class Handled:
    """What a message did: its outcome, the case it touched, the reply and what to keep."""

    outcome: str
    reply: str
    case: Case | None = None
    content: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def track_link(case: Case) -> str:
    """The public tracking page of a case, as a full address."""
    path = reverse("portal:track", kwargs={"code": case.tracking_code})
    return settings.WENMIN_SITE_URL.rstrip("/") + path


def handle(*, account: OfficialAccount, follower: Follower, fields: dict[str, str]) -> Handled:
    """Do what the message asks; the reply to send back."""
    msg_type = fields.get("MsgType", "").lower()
    if msg_type == "event":
        return _event(account=account, follower=follower, fields=fields)
    if msg_type == "text":
        return _text(account=account, follower=follower, text=fields.get("Content", ""))
    if msg_type == "voice" and fields.get("Recognition", "").strip():
        handled = _text(account=account, follower=follower, text=fields["Recognition"])
        handled.data.update(_media(fields))
        return handled
    if msg_type in MEDIA_TYPES:
        return _media_message(follower=follower, fields=fields)
    return Handled(Outcome.OTHER, _("Send text to report a problem, or “查询” to see your cases."))


def _event(*, account: OfficialAccount, follower: Follower, fields: dict[str, str]) -> Handled:
    event = fields.get("Event", "").lower()
    if event == "subscribe":
        follower_subscribed(follower=follower, subscribed=True)
        return Handled(Outcome.WELCOME, account.welcome.strip() or welcome_text())
    if event == "unsubscribe":
        follower_subscribed(follower=follower, subscribed=False)
        return Handled(Outcome.OTHER, "")
    if event == "click" and fields.get("EventKey", "") == QUERY_KEY:
        return _query(follower)
    if event == "click":
        return Handled(Outcome.OTHER, help_text())
    return Handled(Outcome.OTHER, "")  # VIEW, LOCATION, SCAN…: nothing to answer


def welcome_text() -> str:
    return _(
        "Welcome! Send a message describing a problem (with pictures or your location if you "
        "like) and we reply with a tracking code. Send “查询” to see how your cases are going, "
        "“补充” and more text to add to your latest case, “绑定” and your mobile number to "
        "verify your phone."
    )


def help_text() -> str:
    return _(
        "Send a message describing the problem to report it; “查询” shows your cases; "
        "“补充” and more text adds to your latest case."
    )


def _text(*, account: OfficialAccount, follower: Follower, text: str) -> Handled:
    text = text.strip()
    if text in _QUERIES:
        return _query(follower)
    if match := _LINK.match(text):
        return Handled(Outcome.LINK, follower_phone_link_start(follower=follower, phone=match[1]))
    if _CODE.match(text) and follower_phone_link_pending(follower=follower):
        _linked, reply = follower_phone_link_finish(follower=follower, code=text)
        return Handled(Outcome.LINK, reply)
    if _ADD.match(text):
        return _add(follower=follower, text=_ADD.sub("", text, count=1))
    return _open(account=account, follower=follower, text=text)


def _pending_media(follower: Follower) -> tuple[list[InboundMessage], dict[str, Any]]:
    """The follower's pictures and places waiting for a text, and what they add to it."""
    waiting = list(follower_pending(follower=follower, since=timezone.now() - PENDING_FOR))
    media = [m.data for m in waiting if m.msg_type != "location"][:MAX_MEDIA]
    places = [m.data for m in waiting if m.msg_type == "location"]
    found: dict[str, Any] = {"wechat_media": media} if media else {}
    if places:
        found["location"] = places[-1]
    return waiting, found


def _open(*, account: OfficialAccount, follower: Follower, text: str) -> Handled:
    if not rate_count(
        scope="wechat-case", key=str(follower.pk), limit=CASES_PER_HOUR, window=3600
    ).allowed:
        return Handled(Outcome.REFUSED, _("You have sent many reports in a short time; try later."))
    waiting, found = _pending_media(follower)
    place = found.pop("location", None)
    data: dict[str, Any] = {
        "wechat": account.name,
        "wechat_account_id": account.pk,
        **(
            {"unit_hint_id": account.unit_id, "unit_hint": account.unit.name}
            if account.unit
            else {}
        ),
        **found,
    }
    try:
        case = case_intake(
            channel=Channel.WECHAT,
            content=text,
            title=text.splitlines()[0][:120] if text else "",
            requester=follower.person,
            region=_region(account, place),
            latitude=place["lat"] if place else None,
            longitude=place["lng"] if place else None,
            address=place.get("label", "")[:255] if place else "",
            data=data,
        )
    except ValidationError as error:
        return Handled(Outcome.REFUSED, _refusal(error))
    InboundMessage.objects.filter(pk__in=[m.pk for m in waiting]).update(
        outcome=Outcome.ATTACHED, case=case
    )
    for hook in CASE_OPENED:
        hook(case=case, account=account, openid=follower.openid)
    reply = _(
        "Received. Your tracking code is %(code)s; follow your case at %(link)s . "
        "To add to it, send “补充” and more text; send “查询” to see your cases."
    ) % {"code": case.tracking_code, "link": track_link(case)}
    return Handled(Outcome.OPENED, reply, case=case, content=text)


def _region(account: OfficialAccount, place: dict[str, Any] | None) -> Region | None:
    """Where the resident says they are, else the region the account serves."""
    if place is not None:
        found = region_at(latitude=Decimal(place["lat"]), longitude=Decimal(place["lng"]))
        if found is not None:
            return found
    return account.region


def _add(*, follower: Follower, text: str) -> Handled:
    case = follower_open_case(follower=follower)
    if case is None:
        return Handled(
            Outcome.REFUSED,
            _("You have no case being handled. Send a message describing the problem instead."),
        )
    waiting, found = _pending_media(follower)
    if not text and not found:
        return Handled(Outcome.REFUSED, _("Write what to add after “补充”."))
    try:
        case_requester_addition(
            case=case, channel=Channel.WECHAT, text=text, source=_("Requester (WeChat)"), data=found
        )
    except ValidationError as error:
        return Handled(Outcome.REFUSED, _refusal(error))
    InboundMessage.objects.filter(pk__in=[m.pk for m in waiting]).update(
        outcome=Outcome.ATTACHED, case=case
    )
    reply = _("Added to your case %(code)s.") % {"code": case.tracking_code}
    return Handled(Outcome.ADDED, reply, case=case, content=text)


def _query(follower: Follower) -> Handled:
    cases = follower_cases(follower=follower)
    if not cases:
        return Handled(
            Outcome.QUERY,
            _("You have no cases yet. Send a message describing a problem to report it."),
        )
    lines = [
        _("%(code)s %(title)s: %(state)s %(link)s")
        % {
            "code": case.tracking_code,
            "title": case.title[:20],
            "state": RESIDENT_STATES[case.state],
            "link": track_link(case),
        }
        for case in cases
    ]
    return Handled(Outcome.QUERY, _("Your cases:") + "\n" + "\n".join(lines))


def _media(fields: dict[str, str]) -> dict[str, Any]:
    """What a picture, voice, video or link carries, as data: never fetched during the request."""
    keep = ("MediaId", "PicUrl", "Format", "ThumbMediaId", "Title", "Description", "Url", "MsgId")
    data = {"type": fields.get("MsgType", "").lower()}
    for name in keep:
        value = fields.get(name, "")
        if value and validators.text_problem(value) is None:
            data[name.lower()] = value[:500]
    return data


def _location(fields: dict[str, str]) -> dict[str, Any] | None:
    """A location message's place in WGS-84 (WeChat sends GCJ-02), or None when invalid."""
    try:
        lat = validators.check_latitude(fields.get("Location_X", ""))
        lng = validators.check_longitude(fields.get("Location_Y", ""))
    except ValidationError:
        return None
    w_lat, w_lng = gcj02_to_wgs84(float(lat), float(lng))
    label = fields.get("Label", "").strip()
    if validators.text_problem(label) is not None:
        label = ""
    q = validators.COORDINATE_PLACES
    return {
        "type": "location",
        "lat": str(Decimal(w_lat).quantize(q)),
        "lng": str(Decimal(w_lng).quantize(q)),
        "label": label[:255],
    }


def _media_message(*, follower: Follower, fields: dict[str, str]) -> Handled:
    msg_type = fields.get("MsgType", "").lower()
    if msg_type == "location":
        place = _location(fields)
        if place is None:
            return Handled(Outcome.REFUSED, _("The location could not be read; send it again."))
        data = place
    else:
        data = _media(fields)
    reply = _(
        "Received. Now send a message describing the problem and we register them together; "
        "to add this to your latest case, send “补充”."
    )
    return Handled(Outcome.PENDING, reply, data=data)


def _refusal(error: ValidationError) -> str:
    texts = [str(m) for m in (error.messages if error.messages else [])]
    return _("Your message could not be registered: %(problem)s") % {
        "problem": " ".join(texts)[:300]
    }
