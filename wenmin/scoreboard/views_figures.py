"""The records behind one number of the scoreboard (/scoreboard/figure/?group=…&subject=…&figure=…).

Every number on the ranking, the lists, the scorecards, the dossier and the bulletin links here.
The page states the full count; it lists the records of the cases the viewer may see and says
how many others are outside the viewer's scope, showing nothing of them.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from wenmin.cases.labels import EVENT_LABELS
from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.views import staff_page
from wenmin.scoreboard import selectors
from wenmin.scoreboard.figures import COUNTY, Figure, Record
from wenmin.scoreboard.forms import ScoreboardForm, query_value
from wenmin.scoreboard.presenting import number, percent
from wenmin.scoreboard.ranking import Group

PAGE_SIZE = 200


def _whole(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 4)


def _rows(records: list[Record], figure: Figure) -> list[dict[str, Any]]:
    return [
        {
            "record": r,
            "case": r.case,
            "event": EVENT_LABELS.get(r.event.action, r.event.action),
            "amount": _whole(r.amount(figure.count)),
            "success": bool(r.amount(figure.successes)) if figure.is_rate else None,
            "value": number(r.amount(figure.value), 2) if figure.value else "",
        }
        for r in records
    ]


def _population(subject: selectors.Subject) -> int | None:
    obj: Any = subject.obj
    if subject.group in (Group.TOWNSHIP, COUNTY):
        return int(obj.population) or None
    if subject.group == Group.BRANCH:
        return int(obj.region.population) or None
    return None


@staff_page
@require_GET
@use_replica
def figure_page(request: HttpRequest) -> HttpResponse:
    """The records one number counts, as many as the number says."""
    user = cast(User, request.user)  # staff_page has let only logged-in staff through
    group = request.GET.get("group") or ""
    if group not in (*Group.values, COUNTY):
        raise Http404
    subject = selectors.subject_get_for(user=user, group=group, pk=request.GET.get("subject"))
    form = ScoreboardForm(request.GET)
    form.is_valid()
    period = form.chosen_period
    found = selectors.figure_list_for(
        user=user, subject=subject, key=request.GET.get("figure") or "", period=period
    )
    figure = found.figure
    total = found.total(figure.count)
    successes = found.total(figure.successes) if figure.is_rate else 0.0
    # A rate whose successes are other events than its trials (a unit's response rate: the
    # dispatches are the trials, the sign-fors in time the successes) lists them apart.
    apart = figure.is_rate and any(
        not r.amount(figure.count) for r in found.records.records if r.amount(figure.successes)
    )
    trials = [r for r in found.visible if r.amount(figure.count)]
    others = [r for r in found.visible if not r.amount(figure.count)]
    hidden_trials = sum(1 for r in found.hidden if r.amount(figure.count))
    hidden_others = len(found.hidden) - hidden_trials
    trial_page = Paginator(trials, PAGE_SIZE).get_page(request.GET.get("page"))
    other_page = Paginator(others, PAGE_SIZE).get_page(request.GET.get("spage"))
    population = _population(subject) if figure.count == "received" else None
    back = (
        reverse("scoreboard:bulletin")
        if group == COUNTY
        else reverse("scoreboard:scorecard", args=[group, subject.obj.pk])
    )
    context: dict[str, Any] = {
        "subject": subject,
        "group": group,
        "group_label": Group(group).label if group != COUNTY else "",
        "figure": figure,
        "period": period,
        "period_value": query_value(period),
        "period_error": "period" in form.errors or "end" in form.errors,
        "total": _whole(total),
        "successes": _whole(successes),
        "rate": percent(successes / total) if figure.is_rate and total else "—",
        "mean": number(found.total(figure.value) / total) if figure.value and total else "—",
        "per_thousand": number(1000 * total / population, 2) if population else "",
        "apart": apart,
        "success_column": figure.is_rate and not apart,
        "per_case": figure.per_case,
        "trial_page": trial_page,
        "trial_rows": _rows(list(trial_page.object_list), figure),
        "other_page": other_page,
        "other_rows": _rows(list(other_page.object_list), figure),
        "shown": len(trials),
        "hidden": hidden_trials,
        "hidden_others": hidden_others,
        "other_total": _whole(
            sum(
                r.amount(figure.successes)
                for r in found.records.records
                if not r.amount(figure.count)
            )
        ),
        "unusual": any(r.amount(figure.count) not in (0, 1) for r in found.visible),
        "rollup": _whole(found.rollup),
        "rollup_differs": abs(found.rollup - total) > 1e-6,
        "back": back,
    }
    return render(request, "scoreboard/figure.html", context)
