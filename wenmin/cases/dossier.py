"""The cases a cadre led, for their front-line dossier (wenmin.core.dossier): the cases their
accounts signed for or replied to in the period, and the outcomes of those cases as they stand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.cases.models import CaseEvent
from wenmin.cases.selectors import cases_visible_to
from wenmin.cases.workflow import Action, State
from wenmin.core import dossier

# A satisfaction of 4 or 5 (of 5) counts as satisfied, as the scoreboard counts it.
SATISFIED_FROM = 4
STILL_HANDLED = (State.SIGNED, State.IN_PROGRESS, State.REPLIED)
LED = (Action.SIGN_FOR, Action.REPLY)


def dossier_section_register() -> None:
    dossier.section_register("cases", gettext_lazy("Cases led"), 10, cases_section)


def _tags(case: Mapping[str, Any]) -> tuple[str, ...]:
    """The figures a case counts in."""
    tags = ["cases"]
    closed = case["state"] == State.CLOSED
    if closed:
        tags.append("closed")
        due = case["result_due"]
        if case["closed_at"] is not None and due is not None and case["closed_at"] <= due:
            tags.append("on_time")
    if case["resolved"]:
        tags.append("resolved")
    if case["satisfaction"] is not None and case["satisfaction"] >= SATISFIED_FROM:
        tags.append("satisfied")
    if case["rework_count"]:
        tags.append("reworked")
    if case["state"] in STILL_HANDLED:
        tags.append("open")
    return tuple(tags)


def _detail(case: Mapping[str, Any]) -> str:
    parts = [str(State(case["state"]).label)]
    if case["resolved"] is not None:
        parts.append(_("resolved") if case["resolved"] else _("not resolved"))
    if case["satisfaction"] is not None:
        parts.append(_("satisfaction %(n)s of 5") % {"n": case["satisfaction"]})
    if case["rework_count"]:
        parts.append(_("reworked %(n)s times") % {"n": case["rework_count"]})
    return " · ".join(parts)


def cases_section(*, person: Any, start: dt.date, end: dt.date, viewer: Any) -> dossier.Section:
    """The cases the person's accounts signed for or replied to in start…end that the viewer
    sees, with their outcomes as they stand (two queries)."""
    first, after = dossier.moments(start, end)
    led = CaseEvent.objects.filter(
        actor__person=person, action__in=LED, at__gte=first, at__lt=after
    ).values("case_id")
    cases = list(
        cases_visible_to(viewer)
        .filter(pk__in=led)
        .order_by("-received_at", "-id")
        .values(
            "pk",
            "number",
            "title",
            "received_at",
            "state",
            "resolved",
            "satisfaction",
            "rework_count",
            "closed_at",
            "result_due",
        )
    )
    rows = [
        dossier.Row(
            label=f"{case['number']} {case['title']}",
            day=timezone.localdate(case["received_at"]),
            detail=_detail(case),
            url=reverse("cases:case_detail", args=[case["pk"]]),
            figures=_tags(case),
        )
        for case in cases
    ]
    counts = {key: sum(1 for row in rows if key in row.figures) for key in _LABELS}
    return dossier.Section(
        title=gettext_lazy("Cases led"),
        figures=[dossier.Figure(key, label, counts[key]) for key, label in _LABELS.items()],
        rows=rows,
        empty=gettext_lazy("No case signed for or replied to by this cadre's account."),
        note=gettext_lazy(
            "Cases their account signed for or replied to in the period; the outcomes are those "
            "of the cases as they stand."
        ),
    )


_LABELS = {
    "cases": gettext_lazy("cases"),
    "closed": gettext_lazy("closed"),
    "resolved": gettext_lazy("resolved"),
    "satisfied": gettext_lazy("satisfied (4–5 of 5)"),
    "reworked": gettext_lazy("reworked"),
    "on_time": gettext_lazy("closed on time"),
    "open": gettext_lazy("still being handled"),
}
