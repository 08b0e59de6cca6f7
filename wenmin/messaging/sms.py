"""Texts residents send to the county's SMS number, posted in by an SMS gateway.

The gateway posts `sender`, `text`, `time` (Unix seconds), `message_id` and `signature`: the
hex HMAC-SHA256, keyed with the secret the administrator shared with that gateway, of

    <gateway slug> "\\n" <time> "\\n" <message_id> "\\n" <sender> "\\n" <text>

A post with a wrong signature, a time more than WENMIN_SMS_INBOUND_MAX_AGE seconds away, a
message id already received (a replay), or fields that make no text is refused whole: nothing
stored. Otherwise the text opens a case (channel SMS, the sender as requester) whose tracking
code the intake notification texts back; "补充…" adds to the sender's latest open case; "查询"
texts back the state of the sender's cases.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, Channel
from wenmin.cases.services.external import case_requester_addition
from wenmin.cases.services.intake import case_intake
from wenmin.core import validators
from wenmin.core.crypto import digest
from wenmin.core.notify import Notification, notify
from wenmin.messaging.models import SmsAction, SmsGateway, SmsInbound
from wenmin.messaging.selectors import open_case_of_phone, sms_query_reply
from wenmin.messaging.services import case_follower_add
from wenmin.organisation.validation import normalise_phone

logger = logging.getLogger("wenmin.messaging.sms")

MAX_TEXT = 1000  # characters: a long SMS is at most a few hundred
MAX_MESSAGE_ID = 64
SUPPLEMENT = "补充"
QUERIES = frozenset({"查询", "查询进度"})
SOURCE = "sms"


class SmsRefused(Exception):
    """The post is refused; `status` is the HTTP answer, `reason` a word for the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class SmsPost:
    sender: str
    text: str
    time: str
    message_id: str
    signature: str


@dataclass(frozen=True)
class SmsOutcome:
    action: str
    case: Case | None


def sms_signature(*, secret: str, gateway: str, post: SmsPost) -> str:
    """The signature a gateway puts on a post (hex HMAC-SHA256)."""
    message = "\n".join((gateway, post.time, post.message_id, post.sender, post.text))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _sent_at(post: SmsPost, now: dt.datetime) -> dt.datetime:
    try:
        seconds = int(post.time)
        sent_at = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise SmsRefused(400, "bad time") from None
    max_age = getattr(settings, "WENMIN_SMS_INBOUND_MAX_AGE", 300)
    if abs((now - sent_at).total_seconds()) > max_age:
        raise SmsRefused(403, "stale")
    return sent_at


def sms_post_check(*, gateway: SmsGateway, post: SmsPost, now: dt.datetime) -> dt.datetime:
    """The moment the text was sent, if the post is signed, fresh and well-formed."""
    expected = sms_signature(secret=gateway.secret, gateway=gateway.slug, post=post)
    if not hmac.compare_digest(expected.encode(), post.signature.lower().encode()):
        raise SmsRefused(403, "bad signature")
    sent_at = _sent_at(post, now)
    if not post.message_id or len(post.message_id) > MAX_MESSAGE_ID:
        raise SmsRefused(400, "bad message id")
    return sent_at


def _reply(phone: str, subject: str, text: str, case_id: int | None = None) -> None:
    """Text the sender back once the text's transaction committed."""
    notification = Notification(subject=subject, text=text, phone=phone, case_id=case_id)
    transaction.on_commit(lambda: notify(notification))


def sms_inbound_receive(
    *, gateway: SmsGateway, post: SmsPost, now: dt.datetime | None = None
) -> SmsOutcome:
    """Check a gateway's post and act on the text (one door for every inbound SMS)."""
    now = now or timezone.now()
    sent_at = sms_post_check(gateway=gateway, post=post, now=now)
    try:
        sender = normalise_phone(post.sender)
        text = validators.text_field_check(
            post.text.strip(), field="text", max_length=MAX_TEXT, multiline=True
        )
    except ValidationError:
        raise SmsRefused(400, "junk") from None
    if not sender or not text:
        raise SmsRefused(400, "junk")
    try:
        with transaction.atomic():
            inbound = SmsInbound.objects.create(
                gateway=gateway,
                message_id=post.message_id,
                sender_digest=digest(sender),
                action=SmsAction.OPENED,
                sent_at=sent_at,
            )
            outcome = _act(sender=sender, text=text, sent_at=sent_at)
            inbound.action, inbound.case = outcome.action, outcome.case
            inbound.save(update_fields=["action", "case"])
    except IntegrityError:
        raise SmsRefused(409, "replay") from None
    except ValidationError:
        raise SmsRefused(400, "refused by intake") from None
    return outcome


def _act(*, sender: str, text: str, sent_at: dt.datetime) -> SmsOutcome:
    if text in QUERIES:
        _reply(sender, _("Your cases"), sms_query_reply(phone=sender))
        return SmsOutcome(SmsAction.QUERY, None)
    if text.startswith(SUPPLEMENT):
        addition = text[len(SUPPLEMENT) :].lstrip(" :：,，")
        case = open_case_of_phone(phone=sender)
        if case is not None and addition:
            case_requester_addition(
                case=case, channel=Channel.SMS, text=addition, source=_("Requester (SMS)")
            )
            _reply(
                sender,
                _("Addition received"),
                _("Wenmin: your addition to case %(number)s has been received.")
                % {"number": case.number},
                case.pk,
            )
            return SmsOutcome(SmsAction.ADDED, case)
    case = case_intake(
        channel=Channel.SMS,
        content=text,
        requester_phone=sender,
        received_at=sent_at,
        data={"sms": True},
    )
    case_follower_add(case=case, channel=Channel.SMS)
    # The intake notification texts the tracking code back (cases.notifications).
    return SmsOutcome(SmsAction.OPENED, case)
