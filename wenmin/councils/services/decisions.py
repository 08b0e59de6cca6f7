"""After the meetings: the decision made public (公示), objections, and what follows a decision."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.services.policy import calendar_current
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.councils.models import (
    Objection,
    ObjectionState,
    ProjectRefType,
    Proposal,
)
from wenmin.councils.procedure import (
    Action,
    State,
    TransitionNotAllowed,
    may_send_to_projects,
    next_state,
)
from wenmin.councils.selectors import notice_running, objection_counts, rules_for
from wenmin.councils.services.common import (
    TEXT_MAX,
    refuse,
    require_manager,
    text,
)
from wenmin.councils.tally import SOURCE
from wenmin.residents.selectors import verified_person
from wenmin.tallies.services import record_changed

OBJECTION_MAX = 2000


def not_now(proposal: Proposal, field: str = "proposal") -> NoReturn:
    """Refuse an action the proposal's state does not allow."""
    refuse(
        field,
        _("This proposal is now “%(state)s”; that is not possible.")
        % {"state": State(proposal.state).label},
    )


def _transition(
    *, proposal: Proposal, actor: User | None, action: str, set_fields: dict[str, Any]
) -> Proposal:
    """Lock, check the table, set the fields and the state, audit."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        before = locked.state
        try:
            locked.state = next_state(before, action)
        except TransitionNotAllowed:
            not_now(locked)
        for name, value in set_fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["state", *set_fields])
        audit_record(
            actor=actor,
            action=f"councils.{action}",
            target=locked,
            changes={"state": [before, locked.state]}
            | {k: str(v) for k, v in set_fields.items() if k != "result"},
        )
        record_changed(SOURCE, locked.pk)
    return locked


def decision_publish(*, proposal: Proposal, actor: User | None) -> Proposal:
    """Make the decision public: the notice period (公示) of the county's working days opens."""
    require_manager(actor, proposal.region)
    now = timezone.now()
    rules = rules_for(proposal.region)
    until = calendar_current().add_working_days(now, rules.notice_working_days)
    return _transition(
        proposal=proposal,
        actor=actor,
        action=Action.PUBLISH_DECISION,
        set_fields={"published_at": now, "notice_until": until},
    )


def objection_file(*, proposal: Proposal, actor: User | None, body: str) -> Objection:
    """A verified resident's objection, only while the notice period runs."""
    person = verified_person(user=actor)
    if person is None:
        raise PermissionDenied(_("Verify your phone to file an objection."))
    body = text(body, field="text", max_length=OBJECTION_MAX, required=True, multiline=True)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not notice_running(locked):
            refuse("text", _("Objections are taken only during the notice period."))
        objection = Objection.objects.create(proposal=locked, person=person, text=body)
        audit_record(actor=actor, action="councils.objection_file", target=objection)
    return objection


def objection_handle(*, objection: Objection, actor: User, uphold: bool, note: str) -> Objection:
    """Answer an objection; upholding it sets the decision aside."""
    proposal = objection.proposal
    require_manager(actor, proposal.region)
    note = text(note, field="handled_note", max_length=TEXT_MAX, required=True, multiline=True)
    with transaction.atomic():
        locked_proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.state != ObjectionState.PENDING:
            refuse("handled_note", _("This objection has already been answered."))
        action = Action.OBJECTION_UPHOLD if uphold else Action.OBJECTION_DISMISS
        before = locked_proposal.state
        try:
            locked_proposal.state = next_state(before, action)
        except TransitionNotAllowed:
            not_now(locked_proposal, "handled_note")
        locked_proposal.save(update_fields=["state"])
        locked.state = ObjectionState.UPHELD if uphold else ObjectionState.DISMISSED
        locked.handled_note = note
        locked.handled_at = timezone.now()
        locked.handled_by = actor
        locked.save(update_fields=["state", "handled_note", "handled_at", "handled_by"])
        audit_record(
            actor=actor,
            action="councils.objection_handle",
            target=locked,
            changes={"state": locked.state, "proposal": [before, locked_proposal.state]},
        )
        record_changed(SOURCE, locked_proposal.pk)
    return locked


def notice_end(*, proposal: Proposal, actor: User | None = None) -> Proposal:
    """Close a notice period whose last working day is over (the worker's job, or on demand)."""
    if proposal.notice_until is None or timezone.now() <= proposal.notice_until:
        refuse("proposal", _("The notice period has not ended yet."))
    return _transition(proposal=proposal, actor=actor, action=Action.NOTICE_END, set_fields={})


def notices_end_due() -> int:
    """End every notice period that is over; the number ended (a periodic job)."""
    due = Proposal.objects.filter(state=State.IN_NOTICE, notice_until__lt=timezone.now())
    ended = 0
    for proposal in due.only("pk", "state", "notice_until")[:500]:
        notice_end(proposal=proposal)
        ended += 1
    return ended


def proposal_send_to_projects(*, proposal: Proposal, actor: User | None) -> Proposal:
    """After the notice period, with no objection pending or upheld: the decision goes to the
    projects register as a project proposal (a typed reference the register fills in)."""
    require_manager(actor, proposal.region)
    if proposal.state == State.IN_NOTICE and not notice_running(proposal):
        proposal = notice_end(proposal=proposal)
    pending, upheld = objection_counts(proposal)
    if not may_send_to_projects(
        state=proposal.state, pending_objections=pending, upheld_objections=upheld
    ):
        if proposal.state == State.IN_NOTICE:
            refuse("proposal", _("The notice period has not ended yet."))
        if pending:
            refuse("proposal", _("Answer every objection first."))
        not_now(proposal)
    return _transition(
        proposal=proposal,
        actor=actor,
        action=Action.SEND_TO_PROJECTS,
        set_fields={"sent_at": timezone.now(), "project_ref_type": ProjectRefType.PROJECT},
    )


def proposal_project_taken(*, proposal: Proposal, project_id: int, actor: User | None) -> Proposal:
    """The projects register took a decision sent to it in as its project `project_id`: the
    typed reference gets its id (once; the register calls this in its own transaction)."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.project_ref_type != ProjectRefType.PROJECT or locked.project_ref_id is not None:
            refuse("proposal", _("This decision is not waiting for the projects register."))
        locked.project_ref_id = project_id
        locked.save(update_fields=["project_ref_id"])
        audit_record(
            actor=actor,
            action="councils.project_taken",
            target=locked,
            changes={"project_ref_id": [None, project_id]},
        )
    return locked


def result_publish(*, proposal: Proposal, actor: User | None, result: str) -> Proposal:
    """Make public how the decision was carried out (实施结果公开)."""
    require_manager(actor, proposal.region)
    result = text(result, field="result", max_length=TEXT_MAX, required=True, multiline=True)
    return _transition(
        proposal=proposal,
        actor=actor,
        action=Action.PUBLISH_RESULT,
        set_fields={"result": result, "result_published_at": timezone.now()},
    )
