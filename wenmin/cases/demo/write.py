"""Write a county's planned cases: cases, their events and co-handling units, in batches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wenmin.cases.demo.context import CountyContext
from wenmin.cases.demo.walk import CasePlan
from wenmin.cases.models import Case, CaseEvent, CaseSequence
from wenmin.cases.purposes import purposes_default

BATCH_SIZE = 2_000


def _case(plan: CasePlan, ctx: CountyContext) -> Case:
    return Case(
        number=plan.number,
        tracking_code=plan.tracking_code,
        channel=plan.channel,
        received_at=plan.received_at,
        requester_id=plan.requester_id,
        kind=plan.kind,
        category_id=ctx.category_ids[plan.topic],
        urgency=plan.urgency,
        title=plan.title,
        content=plan.content,
        extra=plan.extra,
        address=plan.address,
        latitude=plan.latitude,
        longitude=plan.longitude,
        region_id=ctx.villages[plan.village].id,
        lead_unit_id=plan.lead_unit_id,
        coordinator_id=plan.coordinator_id,
        state=plan.state,
        dispatched_at=plan.dispatched_at,
        sign_for_due=plan.sign_for_due,
        signed_at=plan.signed_at,
        result_due=plan.result_due,
        plan=plan.plan,
        planned_due=plan.planned_due,
        replied_at=plan.replied_at,
        reply=plan.reply,
        callback_due=plan.callback_due,
        closed_at=plan.closed_at,
        reminded_at=plan.reminded_at,
        escalated_at=plan.escalated_at,
        escalated_to_id=plan.escalated_to_id,
        return_count=plan.return_count,
        rework_count=plan.rework_count,
        rejection_reason=plan.rejection_reason,
        purposes=purposes_default(plan.channel),
        resolved=plan.resolved,
        satisfaction=plan.satisfaction,
    )


class HistoryWriter:
    """Inserts one county's cases; progress(n) is called after each batch of n rows."""

    def __init__(
        self, ctx: CountyContext, progress: Callable[[int], Any], batch_size: int = BATCH_SIZE
    ) -> None:
        self.ctx, self.progress, self.batch_size = ctx, progress, batch_size

    def insert(self, model: type[Any], rows: Sequence[Any]) -> None:
        for start in range(0, len(rows), self.batch_size):
            batch = rows[start : start + self.batch_size]
            model._default_manager.bulk_create(batch)
            self.progress(len(batch))

    def write(self, plans: list[CasePlan], last_numbers: dict[str, int]) -> tuple[int, int]:
        """Cases, then merges (primaries first), co-handling units, events, day sequences."""
        ctx = self.ctx
        cases = [_case(plan, ctx) for plan in plans]
        self.insert(Case, cases)
        merged = []
        for plan, case in zip(plans, cases, strict=True):
            if plan.merged_into is not None:
                case.merged_into_id = cases[plan.merged_into].pk
                merged.append(case)
        Case.objects.bulk_update(merged, ["merged_into"], batch_size=self.batch_size)
        through = Case.co_units.through
        self.insert(
            through,
            [
                through(case_id=case.pk, unit_id=unit)
                for plan, case in zip(plans, cases, strict=True)
                for unit in plan.co_unit_ids
            ],
        )
        events = [
            CaseEvent(
                case_id=case.pk,
                action=event.action,
                actor_id=event.actor_id,
                actor_label=event.actor_label,
                unit_id=event.unit_id,
                at=event.at,
                state_before=event.state_before,
                state_after=event.state_after,
                note=event.note,
                public_note=event.public_note,
                data=event.data,
            )
            for plan, case in zip(plans, cases, strict=True)
            for event in plan.events
        ]
        self.insert(CaseEvent, events)
        CaseSequence.objects.bulk_create(
            [CaseSequence(prefix=prefix, last=last) for prefix, last in last_numbers.items()],
            update_conflicts=True,
            unique_fields=["prefix"],
            update_fields=["last"],
        )
        return len(cases), len(events)
