"""The comparison across all the work (又比又看): each group ranked on the county's indicator
system, the records behind every indicator, the indicator system's versions, and appeals on any
source's record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wenmin.core.models import User
from wenmin.core.replica import use_replica
from wenmin.organisation.models import Person, Region, Unit
from wenmin.organisation.views import staff_page
from wenmin.scoreboard import selectors, services, trees
from wenmin.scoreboard.forms import (
    AppealForm,
    EvidenceForm,
    OverallForm,
    TreeVersionForm,
    period_choices,
    query_value,
    this_month,
)
from wenmin.scoreboard.indicators import Scored, TreeSpec
from wenmin.scoreboard.models import Direction, Half, TreeGroup
from wenmin.scoreboard.overall import Standing, counted_days, standing_with_trend
from wenmin.scoreboard.presenting import evidence_link, number, shown_value
from wenmin.scoreboard.views_appeals import errors_to_form
from wenmin.tallies import readers
from wenmin.tallies import selectors as tally_selectors
from wenmin.tallies.models import Entry
from wenmin.tallies.registry import COUNT, PERSON, REGION, UNIT, Measure, measures_for
from wenmin.tallies.registry import source_get as tally_source

PAGE_SIZE = 100  # rows of the comparison a page shows


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


@dataclass
class Cell:
    key: str
    text: str
    n: str
    score: str
    href: str
    available: bool


@dataclass
class Line:
    row: Scored
    name: str
    rank: int | None
    trend: int | None
    composite: str
    halves: list[str]
    sample: str
    cells: list[Cell] = field(default_factory=list)
    dossier: str = ""


def _column(tree: TreeSpec, wanted: dict[str, Measure]) -> list[dict[str, Any]]:
    columns = []
    for item in tree.items:
        measure = wanted.get(item.measure)
        columns.append(
            {
                "key": item.measure,
                "label": measure.label if measure else item.measure,
                "half": item.half,
                "weight": number(item.weight, 0),
                "lower": item.direction == Direction.LOWER,
                "available": measure is not None,
            }
        )
    return columns


def lines_of(
    found: Standing, *, county: Region, before: dict[int, int], dossiers: bool
) -> list[Line]:
    lines = []
    for row in found.rows:
        line = Line(
            row=row,
            name=str(row.subject),
            rank=row.rank,
            trend=(before[row.pk] - row.rank) if row.rank and row.pk in before else None,
            composite=number(row.composite, 1),
            halves=[
                number(row.halves[h], 1) if row.halves.get(h) is not None else "—"
                for h in Half.values
            ],
            sample=number(row.sample, 0),
        )
        for item in found.tree.items:
            value = row.values[item.measure]
            measure = value.measure
            line.cells.append(
                Cell(
                    key=item.measure,
                    text=shown_value(measure, value.raw),
                    n=number(value.n, 0) if measure else "",
                    score=number(value.score, 1) if measure else "",
                    href=evidence_link(
                        group=found.group,
                        pk=row.pk,
                        measure=measure,
                        period=found.period,
                        county=county,
                    )
                    if measure
                    else "",
                    available=measure is not None,
                )
            )
        if found.group == TreeGroup.CADRE and dossiers:
            line.dossier = reverse("scoreboard:dossier", args=[row.pk])
        lines.append(line)
    return lines


@staff_page
@require_GET
@use_replica
def overall_page(request: HttpRequest) -> HttpResponse:
    """One group ranked on the indicator system in force, both halves and every indicator,
    each number opening the records it counts."""
    user = _viewer(request)
    form = OverallForm(request.GET)
    form.is_valid()
    county, counties = selectors.county_for(user=user, county_id=form.chosen_county)
    group, period = form.chosen_group, form.chosen_period
    found, before = standing_with_trend(group=group, period=period, county=county)
    # A county's thousands of party members: a page of rows at a time, the ranked first.
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = Standing(found.group, found.period, found.tree, list(page.object_list), found.measures)
    lines = lines_of(shown, county=county, before=before, dossiers=selectors.can_see_dossiers(user))
    context = {
        "form": form,
        "county": county,
        "counties": counties if len(counties) > 1 else [],
        "group": group,
        "groups": TreeGroup.choices,
        "period": period,
        "period_value": query_value(period),
        "period_choices": period_choices(period),
        "standing": found,
        "columns": _column(found.tree, found.measures),
        "halves": Half.choices,
        "ranked": [line for line in lines if line.rank is not None],
        "unranked": [line for line in lines if line.rank is None],
        "can_edit": trees.can_edit_trees(user),
        "page": page,
        "subjects": len(found.rows),
        "ranked_count": len(found.ranked),
        "recount_since": tally_selectors.recount_pending(),
        "page_query": urlencode(
            {"group": group, "period": query_value(period), "county": county.pk}
        ),
    }
    return render(request, "scoreboard/overall.html", context, status=form.status)


def _counted_id(subject: selectors.Subject, subject_type: str) -> int | None:
    """The subject's id as the sources count it for this kind of subject."""
    obj: Any = subject.obj
    if isinstance(obj, Person):
        return obj.pk if subject_type == PERSON else None
    if isinstance(obj, Region):  # a township: its region, or its government
        if subject_type == REGION:
            return int(obj.pk)
        return subject.unit.pk if subject_type == UNIT and subject.unit is not None else None
    if isinstance(obj, Unit):
        if subject_type == UNIT:
            return int(obj.pk)
        return int(obj.region_id) if subject_type == REGION else None
    return None


@staff_page
@require_GET
@use_replica
def evidence_page(request: HttpRequest) -> HttpResponse:
    """The records behind one indicator of a subject over a period, and how many there are."""
    user = _viewer(request)
    form = EvidenceForm(request.GET)
    if not form.is_valid():
        return render(request, "scoreboard/evidence.html", {"form": form}, status=400)
    group, key, period = (
        form.cleaned_data["group"],
        form.cleaned_data["measure"],
        form.cleaned_data["period"],
    )
    subject = selectors.overall_subject_get_for(
        user=user, group=group, pk=form.cleaned_data["subject"]
    )
    measure = measures_for(group).get(key)
    if measure is None:
        raise Http404
    source = tally_source(measure.source)
    if source.evidence_url is not None:
        url = source.evidence_url(group=group, pk=subject.obj.pk, measure=key, period=period)
        if not url:
            raise Http404
        return redirect(url)
    subject_type = measure.subjects[group]
    counted = _counted_id(subject, subject_type)
    start, end = counted_days(period)
    rows, total = (
        readers.evidence(measure.source, subject_type, counted, start, end, measure.counters)
        if counted is not None
        else ([], 0)
    )
    sums = readers.totals(
        measure.source,
        subject_type,
        [counted] if counted else [],
        start,
        end,
        measure.counters,
    ).get(counted or 0, {})
    amount, base = (
        sums.get(measure.counter, 0.0),
        sums.get(measure.base, 0.0) if measure.base else 0.0,
    )
    raw = amount if measure.kind == COUNT else (amount / base if base else None)
    mine: set[int] = set()
    if selectors.can_appeal(user) and rows:
        mine = set(
            Entry.objects.filter(
                source=measure.source,
                record__in=[r.record for r in rows],
                for_unit=user.unit_id,
                excluded=False,
            ).values_list("record", flat=True)
        )
    context = {
        "form": form,
        "subject": subject,
        "group": group,
        "measure": measure,
        "source": source,
        "period": period,
        "rows": [
            {
                "row": r,
                "counter": number(r.amounts.get(measure.counter, 0.0), 2),
                "base": number(r.amounts.get(measure.base, 0.0), 2) if measure.base else "",
                "appeal": reverse("scoreboard:record_appeal_new")
                + "?"
                + urlencode({"source": measure.source, "record": r.record})
                if r.record in mine
                else "",
            }
            for r in rows
        ],
        "total": total,
        "listed": len(rows),
        "amount": number(amount, 2),
        "base": number(base, 2),
        "value": shown_value(measure, raw),
        "counter_label": source.counters.get(measure.counter, measure.counter),
        "base_label": source.counters.get(measure.base, measure.base) if measure.base else "",
        "back": reverse("scoreboard:overall")
        + "?"
        + urlencode({"group": group, "period": query_value(period), "county": subject.county.pk}),
    }
    return render(request, "scoreboard/evidence.html", context)


@staff_page
@require_http_methods(["GET", "POST"])
def indicators_page(request: HttpRequest) -> HttpResponse:
    """A group's indicator system: the version in force and the earlier ones; the administrator
    saves a new version from a month on."""
    user = _viewer(request)
    if not selectors.can_see_rankings(user):
        raise PermissionDenied
    group = request.GET.get("group") or TreeGroup.TOWNSHIP
    if group not in TreeGroup.values:
        raise Http404
    offered = measures_for(group)
    month = this_month()
    current = trees.tree_in_force(group=group, day=month.end)
    chosen = {item.measure: item for item in current.items}
    form = TreeVersionForm(
        request.POST or None,
        initial={
            "valid_from": f"{month.end + dt.timedelta(days=1):%Y-%m}",
            "minimum_sample": current.minimum_sample,
            "prior_weight": current.prior,
        },
    )
    rows = []
    for index, (key, measure) in enumerate(offered.items()):
        item = chosen.get(key)
        rows.append(
            {
                "index": index,
                "key": key,
                "measure": measure,
                "weight": request.POST.get(
                    f"weight_{index}", number(item.weight, 2) if item else "0"
                )
                if request.method == "POST"
                else (number(item.weight, 2) if item else "0"),
                "half": request.POST.get(f"half_{index}") or (item.half if item else measure.half),
                "direction": request.POST.get(f"direction_{index}")
                or (item.direction if item else measure.direction),
            }
        )
    status = 200
    if request.method == "POST":
        if not trees.can_edit_trees(user):
            raise PermissionDenied
        if form.is_valid():
            inputs = []
            for row in rows:
                raw = str(row["weight"]).strip() or "0"
                if raw in ("0", "0.0", "0.00"):
                    continue
                inputs.append(
                    trees.IndicatorInput(
                        str(row["key"]), str(row["half"]), raw, str(row["direction"])
                    )
                )
            try:
                tree = trees.tree_version_save(
                    actor=user,
                    group=group,
                    valid_from=form.cleaned_data["valid_from"],
                    indicators=inputs,
                    minimum_sample=form.cleaned_data["minimum_sample"],
                    prior_weight=form.cleaned_data["prior_weight"],
                    note=form.cleaned_data.get("note") or "",
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The new indicator system is in force from %(month)s.")
                    % {"month": f"{tree.valid_from:%Y-%m}"},
                )
                return redirect(f"{reverse('scoreboard:indicators')}?group={group}")
        status = 400
    context = {
        "group": group,
        "groups": TreeGroup.choices,
        "current": current,
        "current_rows": [
            {"item": item, "measure": offered.get(item.measure)} for item in current.items
        ],
        "versions": trees.versions(group=group),
        "rows": rows,
        "form": form,
        "halves": Half.choices,
        "directions": Direction.choices,
        "can_edit": trees.can_edit_trees(user),
    }
    return render(request, "scoreboard/indicators.html", context, status=status)


@staff_page
@require_http_methods(["GET", "POST"])
def record_appeal_new(request: HttpRequest) -> HttpResponse:
    """The appeal form for a record of any source other than the cases
    (?source=projects&record=12), for the staff of the unit it counts for."""
    user = _viewer(request)
    if not selectors.can_appeal(user):
        raise PermissionDenied
    source_key = (request.GET.get("source") or request.POST.get("source") or "").strip()
    record_text = (request.GET.get("record") or request.POST.get("record") or "").strip()
    if not record_text.isdecimal() or len(record_text) > 18:
        raise Http404
    record = int(record_text)
    try:
        source = tally_source(source_key)
    except KeyError:
        raise Http404 from None
    if not Entry.objects.filter(source=source_key, record=record, for_unit=user.unit_id).exists():
        raise Http404
    described = source.describe([record]).get(record) if source.describe else None
    form = AppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.record_appeal_submit(
                actor=user,
                source=source_key,
                record=record,
                reason=form.cleaned_data["reason"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("Your appeal was sent for review."))
            return redirect("scoreboard:appeal_detail", appeal_id=appeal.pk)
    status = 400 if request.method == "POST" else 200
    context = {"source": source, "record": record, "described": described, "form": form}
    return render(request, "scoreboard/appeal_record_new.html", context, status=status)
