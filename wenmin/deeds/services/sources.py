"""Deeds recorded from elsewhere: a survey visit's need solved on the spot (the surveys app links
here, it never imports the deeds), and a volunteer activity whose hours were confirmed (this app
hooks `deed_from_activity` into the volunteers app's ACTIVITY_COMPLETED list)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.deeds.models import BeneficiaryKind, Deed, DoerKind, SourceKind
from wenmin.deeds.services.deeds import DeedInput, deed_record
from wenmin.surveys.models import Need, NeedState, Resolution


def need_recordable(need: Need) -> bool:
    """Whether a need may become a deed: solved on the spot and not recorded yet."""
    return (
        need.resolution == Resolution.ON_THE_SPOT
        and need.state == NeedState.RESOLVED
        and need.deed_ref is None
    )


def deed_from_need(*, need: Need, actor: User | None, data: DeedInput) -> Deed:
    """Record a need solved on the spot as a deed (source: the need), and note the deed on it;
    refused for a need not solved on the spot or already recorded."""
    with transaction.atomic():
        locked = Need.objects.select_for_update().get(pk=need.pk)
        if not need_recordable(locked):
            raise ValidationError(
                {"source": [_("Only a need solved on the spot, not yet recorded, becomes a deed.")]}
            )
        deed = deed_record(
            actor=actor, data=data, source_kind=SourceKind.SURVEY_NEED, source_id=locked.pk
        )
        Need.objects.filter(pk=locked.pk).update(deed_ref=deed.pk)
    return deed


def need_deed_input(need: Need) -> DeedInput:
    """What a need solved on the spot says about the deed, for the form to start from."""
    visit = need.visit
    return DeedInput(
        title=f"{need.kind.name}：{need.text}"[:200],
        done_on=timezone.localdate(visit.visited_at),
        beneficiary_kind=BeneficiaryKind.HOUSEHOLD if need.household_id else BeneficiaryKind.GROUP,
        doer_kind=DoerKind.TEAM,
        household=need.household,
        village=need.village,
        team=visit.team,
    )


class ActivityLike(Protocol):
    """What `deed_from_activity` reads of a completed volunteer activity (the volunteers app's
    Activity, not imported here)."""

    pk: Any
    team: Any  # organisation.Unit of kind volunteer_team


def _attribute(activity: Any, *names: str) -> Any:
    for name in names:
        value = getattr(activity, name, None)
        if value is not None:
            return value
    return None


def deed_from_activity(activity: ActivityLike, *, actor: User | None = None) -> Deed | None:
    """The deed a completed volunteer activity did, recorded once (a second call returns the
    same deed); None for an activity with no village to place it in.

    Reads: pk, team, title (or name), village (or region; a township's activity has none), the
    end (ends_at, ended_at or starts_at), household (optional) and group_text or description."""
    existing = Deed.objects.filter(
        source_kind=SourceKind.VOLUNTEER_ACTIVITY, source_id=activity.pk
    ).first()
    if existing is not None:
        return existing
    village = _attribute(activity, "village", "region")
    if village is None or getattr(village, "level", "") not in ("village", "group"):
        return None
    if village.level == "group" and village.parent is not None:
        village = village.parent
    when = _attribute(activity, "ends_at", "ended_at", "starts_at") or timezone.now()
    household = _attribute(activity, "household")
    title = str(_attribute(activity, "title", "name") or _("Volunteer activity"))[:200]
    data = DeedInput(
        title=title,
        done_on=timezone.localdate(when) if isinstance(when, dt.datetime) else when,
        beneficiary_kind=BeneficiaryKind.HOUSEHOLD if household else BeneficiaryKind.GROUP,
        doer_kind=DoerKind.TEAM,
        household=household,
        group_text=str(_attribute(activity, "group_text", "description") or title)[:200],
        village=village,
        # The volunteers app's team is its register unit (organisation.Unit) with a number.
        team=getattr(activity.team, "unit", activity.team),
    )
    return deed_record(
        actor=None,
        data=data,
        source_kind=SourceKind.VOLUNTEER_ACTIVITY,
        source_id=int(activity.pk),
    )
