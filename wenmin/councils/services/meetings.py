"""The procedure's meetings: each recorded with its attendance (应到/实到) and vote, or, without
its quorum, as adjourned (流会)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.councils.models import Proposal, StageMeeting
from wenmin.councils.procedure import (
    Attendance,
    Rules,
    Stage,
    StageOutOfOrder,
    State,
    TransitionNotAllowed,
    after_adjournment,
    after_meeting,
    attendance_problems,
    expected_stage,
    has_majority,
    has_quorum,
)
from wenmin.councils.selectors import rules_for
from wenmin.councils.services.common import PLACE_MAX, TEXT_MAX, refuse, require_manager, text
from wenmin.councils.services.decisions import not_now
from wenmin.councils.tally import SOURCE
from wenmin.tallies.services import record_changed

COUNT_MAX = 100_000


def _counts_problems(a: Attendance) -> dict[str, list[str]]:
    words = {
        "negative": _("Enter a number of zero or more."),
        "zero": _("At least one member must be expected at a meeting."),
        "more_than_expected": _("More members present (%(present)s) than expected (%(expected)s)."),
        "more_votes_than_present": _(
            "%(votes)s votes recorded, but only %(present)s members present."
        ),
    }
    params = {
        "present": a.present,
        "expected": a.expected,
        "votes": a.votes_for + a.votes_against + a.abstentions,
    }
    return {field: [words[code] % params] for field, code in attendance_problems(a).items()}


def _count(value: Any, field: str) -> int:
    try:
        return validators.check_int(value, minimum=-COUNT_MAX, maximum=COUNT_MAX)
    except Exception:  # noqa: BLE001  (any junk is "not a number")
        refuse(field, _("Enter a whole number."))


def _share(rules: Rules) -> str:
    if rules.quorum == Fraction(1, 2):
        return pgettext("quorum share", "half")
    return f"{rules.quorum.numerator}/{rules.quorum.denominator}"


def _meeting_clean(
    *, counts: Attendance, held_on: dt.date, place: str, minutes: str
) -> tuple[str, str]:
    """Refuse impossible counts, a missing place or minutes, a bad or future date."""
    problems = _counts_problems(counts)
    if problems:
        raise ValidationError(problems)
    place = text(place, field="place", max_length=PLACE_MAX, required=True)
    minutes = text(minutes, field="minutes", max_length=TEXT_MAX, required=True, multiline=True)
    try:
        validators.check_date(held_on)
    except Exception:  # noqa: BLE001
        refuse("held_on", _("Enter a valid date."))
    if held_on > timezone.localdate():
        refuse("held_on", _("A meeting is recorded once it has been held."))
    return place, minutes


def _meeting_save(
    *,
    proposal: Proposal,
    actor: User | None,
    stage: str,
    held_on: dt.date,
    place: str,
    minutes: str,
    counts: Attendance,
    rules: Rules,
) -> StageMeeting:
    """Lock, check the stage and the state, save the meeting and the new state, audit."""
    quorum = has_quorum(counts, rules)
    adopted = quorum and has_majority(counts, rules)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        held = list(locked.meetings.order_by("held_on", "id"))
        passed = [m.stage for m in held if m.passed]
        if held and held_on < held[-1].held_on:
            refuse("held_on", _("This meeting cannot be earlier than the one before it."))
        before = locked.state
        try:
            if quorum:
                after = after_meeting(
                    rules=rules, state=before, passed=passed, stage=stage, adopted=adopted
                )
            else:
                after = after_adjournment(rules=rules, state=before, passed=passed, stage=stage)
        except TransitionNotAllowed:
            not_now(locked, "stage")
        except StageOutOfOrder:
            due = expected_stage(rules, passed)
            refuse(
                "stage",
                _("The next meeting of this procedure is “%(stage)s”.")
                % {"stage": Stage(due).label if due else "—"},
            )
        meeting = StageMeeting.objects.create(
            proposal=locked,
            stage=stage,
            held_on=held_on,
            place=place,
            expected=counts.expected,
            present=counts.present,
            minutes=minutes,
            votes_for=counts.votes_for,
            votes_against=counts.votes_against,
            abstentions=counts.abstentions,
            quorum=quorum,
            passed=adopted,
            recorded_by=actor,
        )
        locked.state = after
        fields = ["state"]
        if after == State.DECIDED:
            locked.decided_at = timezone.now()
            fields.append("decided_at")
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="councils.meeting_record" if quorum else "councils.meeting_adjourn",
            target=locked,
            changes={
                "stage": stage,
                "expected": counts.expected,
                "present": counts.present,
                "for": counts.votes_for,
                "against": counts.votes_against,
                "abstain": counts.abstentions,
                "quorum": quorum,
                "passed": adopted,
                "state": [before, after],
            },
        )
        record_changed(SOURCE, locked.pk)
    return meeting


def stage_meeting_record(
    *,
    proposal: Proposal,
    actor: User | None,
    stage: str,
    held_on: dt.date,
    place: str,
    expected: int,
    present: int,
    minutes: str,
    votes_for: int,
    votes_against: int,
    abstentions: int,
) -> StageMeeting:
    """Record the next meeting of the procedure and its vote. A meeting without its quorum is
    refused (it decides nothing: hold it again, or record it with stage_meeting_adjourn); one
    that misses the majority is recorded and ends the proposal (never published)."""
    require_manager(actor, proposal.region)
    counts = Attendance(
        expected=_count(expected, "expected"),
        present=_count(present, "present"),
        votes_for=_count(votes_for, "votes_for"),
        votes_against=_count(votes_against, "votes_against"),
        abstentions=_count(abstentions, "abstentions"),
    )
    place, minutes = _meeting_clean(counts=counts, held_on=held_on, place=place, minutes=minutes)
    rules = rules_for(proposal.region)
    if not has_quorum(counts, rules):
        refuse(
            "present",
            _(
                "%(present)s present is not more than %(share)s of the %(expected)s members "
                "expected: the meeting cannot decide. Hold it again another day, or record it "
                "as adjourned (流会)."
            )
            % {"present": counts.present, "expected": counts.expected, "share": _share(rules)},
        )
    return _meeting_save(
        proposal=proposal,
        actor=actor,
        stage=stage,
        held_on=held_on,
        place=place,
        minutes=minutes,
        counts=counts,
        rules=rules,
    )


def stage_meeting_adjourn(
    *,
    proposal: Proposal,
    actor: User | None,
    stage: str,
    held_on: dt.date,
    place: str,
    expected: int,
    present: int,
    minutes: str,
) -> StageMeeting:
    """Record a meeting that could not be held for want of its quorum (流会): no vote, the
    proposal stays at this stage and the meeting is held again. A quorate meeting is refused."""
    require_manager(actor, proposal.region)
    counts = Attendance(
        expected=_count(expected, "expected"),
        present=_count(present, "present"),
        votes_for=0,
        votes_against=0,
        abstentions=0,
    )
    place, minutes = _meeting_clean(counts=counts, held_on=held_on, place=place, minutes=minutes)
    rules = rules_for(proposal.region)
    if has_quorum(counts, rules):
        refuse(
            "present",
            _(
                "%(present)s present is more than %(share)s of the %(expected)s members expected: "
                "the meeting had its quorum, so it is not adjourned. Record its vote."
            )
            % {"present": counts.present, "expected": counts.expected, "share": _share(rules)},
        )
    return _meeting_save(
        proposal=proposal,
        actor=actor,
        stage=stage,
        held_on=held_on,
        place=place,
        minutes=minutes,
        counts=counts,
        rules=rules,
    )
