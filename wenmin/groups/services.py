"""The only doors for writes to groups: set a group's cadre, bring a conversation in, open cases.

Several selected messages open one case each: they are usually different residents' matters, and
the case desk merges duplicates with its own merge step, which keeps the history of both."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, Channel
from wenmin.cases.services import case_intake
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.groups import parsing
from wenmin.groups.marking import marking
from wenmin.groups.models import GroupImport, GroupMessage, GroupProfile, SourceKind
from wenmin.groups.selectors import GROUP_KINDS
from wenmin.organisation.models import Person, Region, Unit

MAX_SELECTED = 50
_CHUNK = 500


def fingerprint(*, sender: str, sent_at: dt.datetime, text: str) -> str:
    """The same message however it was brought in: normalised sender and text, time to the
    minute (a paste shows minutes, an export seconds)."""
    minute = sent_at.astimezone(dt.UTC).replace(second=0, microsecond=0).isoformat()
    key = "\x1f".join((parsing.normalised(sender), minute, parsing.normalised(text)))
    return hashlib.sha256(key.encode()).hexdigest()


def _zone() -> dt.tzinfo:
    return ZoneInfo(settings.TIME_ZONE)


def group_profile_set(
    *, group: Unit, cadre: Person | None, region: Region | None, actor: User | None
) -> GroupProfile:
    """Say who runs a registered group and which place it serves (default: the group's region)."""
    if group.kind not in GROUP_KINDS:
        raise ValidationError({"group": [_("This unit is not a WeChat group.")]})
    with transaction.atomic():
        profile, created = GroupProfile.objects.select_for_update().get_or_create(
            unit=group, defaults={"cadre": cadre, "region": region or group.region}
        )
        if not created:
            profile.cadre = cadre
            profile.region = region or group.region
            profile.save(update_fields=["cadre", "region"])
        audit_record(
            actor=actor,
            action="group.profile_set",
            target=group,
            changes={"cadre": cadre.pk if cadre else None, "region": profile.region_id},
        )
    return profile


def _chat(
    *, source: str, text: str, data: bytes, columns: parsing.Columns, now: dt.datetime
) -> parsing.Chat:
    zone = _zone()
    field = "text" if source == SourceKind.PASTE else "file"
    try:
        if source == SourceKind.PASTE:
            return parsing.chat_parse(text, now=now, zone=zone)
        if source == SourceKind.CSV:
            return parsing.table_parse(data, columns=columns, now=now, zone=zone)
        return parsing.chat_parse(parsing.decoded(data), now=now, zone=zone)
    except parsing.ChatFormatError as error:
        raise ValidationError({field: [str(error)]}) from None


def _known(group: Unit, keys: list[str]) -> set[str]:
    """Which of these fingerprints the group already has."""
    known: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        known |= set(
            GroupMessage.objects.filter(
                group=group, fingerprint__in=keys[start : start + _CHUNK]
            ).values_list("fingerprint", flat=True)
        )
    return known


def _rows(
    group: Unit, imported: GroupImport, fresh: dict[str, parsing.ChatMessage]
) -> list[GroupMessage]:
    """The new messages, each marked (or not) as a request, with why."""
    rows = []
    for key, message in fresh.items():
        marked = marking(message.text)
        rows.append(
            GroupMessage(
                group=group,
                sender=message.sender,
                sent_at=message.sent_at,
                text=message.text,
                fingerprint=key,
                looks_like_request=marked.looks_like_request,
                request_rule=marked.rule,
                request_words="、".join(marked.words)[:200],
                imported=imported,
            )
        )
    return rows


def group_chat_import(
    *,
    group: Unit,
    actor: User | None,
    source: str,
    text: str = "",
    data: bytes = b"",
    file_name: str = "",
    columns: parsing.Columns | None = None,
    now: dt.datetime | None = None,
) -> GroupImport:
    """Bring a conversation in: split it, skip what the group already has, mark what looks like
    a request. A conversation that cannot be read is refused whole, nothing saved."""
    if source not in SourceKind.values:
        raise ValidationError({"source": [_("Paste the conversation or upload a file.")]})
    if group.kind not in GROUP_KINDS:
        raise ValidationError({"group": [_("This unit is not a WeChat group.")]})
    chat = _chat(
        source=source,
        text=text,
        data=data,
        columns=columns or parsing.Columns(),
        now=now or timezone.now(),
    )
    found: dict[str, parsing.ChatMessage] = {}
    for message in chat.messages:
        found.setdefault(
            fingerprint(sender=message.sender, sent_at=message.sent_at, text=message.text), message
        )
    with transaction.atomic():
        # One import of a group at a time: two cadres' overlapping pastes count right.
        Unit.objects.select_for_update().filter(pk=group.pk).first()
        known = _known(group, list(found))
        fresh = {key: message for key, message in found.items() if key not in known}
        imported = GroupImport.objects.create(
            group=group,
            uploaded_by=actor if actor is not None and actor.pk else None,
            source=source,
            file_name=file_name[:255],
            read_count=len(chat.messages),
            new_count=len(fresh),
            skipped_count=len(chat.messages) - len(fresh),
            notice_count=chat.notices,
        )
        rows = _rows(group, imported, fresh)
        GroupMessage.objects.bulk_create(rows, batch_size=_CHUNK)
        imported.marked_count = sum(row.looks_like_request for row in rows)
        imported.save(update_fields=["marked_count"])
        audit_record(
            actor=actor,
            action="group.import",
            target=group,
            changes={
                "import": imported.pk,
                "source": source,
                "read": imported.read_count,
                "new": imported.new_count,
                "skipped": imported.skipped_count,
                "marked": imported.marked_count,
            },
        )
    return imported


def _selected(group: Unit, message_ids: Sequence[int]) -> list[GroupMessage]:
    ids = sorted(set(message_ids))
    if not ids:
        raise ValidationError({"messages": [_("Select at least one message.")]})
    if len(ids) > MAX_SELECTED:
        raise ValidationError(
            {"messages": [_("Select at most %(max)s messages at once.") % {"max": MAX_SELECTED}]}
        )
    messages = list(
        GroupMessage.objects.select_for_update()
        .filter(group=group, pk__in=ids)
        .order_by("sent_at", "id")
    )
    if len(messages) != len(ids):
        raise ValidationError({"messages": [_("Some selected messages are not in this group.")]})
    return messages


def _refusals(messages: list[GroupMessage], phone: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    taken = [m for m in messages if m.case_id is not None]
    if taken:
        numbers = "、".join(
            Case.objects.filter(pk__in=[m.case_id for m in taken]).values_list("number", flat=True)
        )
        errors["messages"] = [
            _("Already a case: %(numbers)s. Leave those messages out.") % {"numbers": numbers}
        ]
    elif any(parsing.is_media(m.text) for m in messages):
        errors["messages"] = [
            _("A picture, sticker or other attachment cannot be a case on its own.")
        ]
    if phone and len({parsing.normalised(m.sender) for m in messages}) > 1:
        errors["phone"] = [
            _("A phone number belongs to one sender: select only that sender's messages.")
        ]
    return errors


def group_messages_open_cases(
    *,
    group: Unit,
    message_ids: Sequence[int],
    actor: User | None,
    phone: str = "",
    received_at: dt.datetime | None = None,
) -> list[Case]:
    """Open one case per selected message (channel 民情微群), the group, the sender's nickname and
    the message's time recorded on the case's intake; the sender's phone when the cadre knows it.
    All or nothing: one refusal and no case is opened. `received_at`: when the cadre brought them
    in (now unless said; the demo's chats came in days ago)."""
    phone = (phone or "").strip()
    profile = GroupProfile.objects.filter(unit=group).select_related("region").first()
    region = profile.region if profile is not None else group.region
    cases = []
    with transaction.atomic():
        messages = _selected(group, message_ids)
        errors = _refusals(messages, phone)
        if errors:
            raise ValidationError(errors)
        for message in messages:
            try:
                case = case_intake(
                    channel=Channel.SENTIMENT_GROUP,
                    content=message.text,
                    requester_phone=phone,
                    region=region,
                    actor=actor,
                    received_at=received_at,
                    data={
                        "group": group.pk,
                        "group_name": group.name,
                        "sender_nickname": message.sender,
                        "sent_at": message.sent_at.isoformat(),
                        "group_message": message.pk,
                    },
                )
            except ValidationError as error:
                raise ValidationError(_remapped(error)) from None
            message.case = case
            message.save(update_fields=["case"])
            audit_record(
                actor=actor,
                action="group.case_open",
                target=group,
                changes={"message": message.pk, "case": case.number},
            )
            cases.append(case)
    return cases


def _remapped(error: ValidationError) -> dict[str, list[str]]:
    """The intake's refusal in this form's words: the phone is `phone`, the rest the messages'."""
    found = error.message_dict if hasattr(error, "error_dict") else {"messages": error.messages}
    remapped: dict[str, list[str]] = {}
    for name, messages in found.items():
        remapped.setdefault("phone" if name == "requester_phone" else "messages", []).extend(
            messages
        )
    return remapped
