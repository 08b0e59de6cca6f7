"""The comparison across all the work through the API: GET /api/v1/scoreboard/standing. The same
selectors as the page decide the county the viewer may see; the same scoring answers."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from wenmin.cases.api import READ
from wenmin.core.api_support import ApiError, errors, require_staff, viewer
from wenmin.core.schematypes import Line
from wenmin.scoreboard import selectors
from wenmin.scoreboard.forms import OverallForm
from wenmin.scoreboard.models import TreeGroup
from wenmin.scoreboard.overall import standing_with_trend
from wenmin.scoreboard.presenting import evidence_link

router = Router(tags=["scoreboard"])


class IndicatorOut(Schema):
    measure: str
    half: str
    weight: float
    direction: str
    available: bool
    value: float | None = Field(description="A rate (0–1), a mean or a count; null: no sample")
    n: float
    score: float = Field(description="0–100 within the group")
    records: str = Field(description="The page listing the records this figure counts")


class RowOut(Schema):
    id: int
    name: str
    rank: int | None
    previous_rank: int | None
    composite: float
    quality: float | None
    efficiency: float | None
    sample: float
    indicators: list[IndicatorOut]


class StandingOut(Schema):
    group: str
    period: str
    county: int
    tree_version: int | None = Field(description="The indicator system's version; null: built-in")
    tree_valid_from: str
    minimum_sample: int
    rows: list[RowOut]


@router.get(
    "/standing",
    response={200: StandingOut, **errors(400, 401, 403, 404)},
    auth=READ,
    summary="A group ranked on the indicator system across all the work",
)
def standing_get(
    request: HttpRequest, group: Line = TreeGroup.TOWNSHIP, period: Line = "", county: Line = ""
) -> dict[str, Any]:
    """?group=township|department|branch|cadre|member&period=2026-11 (or 2026Q3, 2026)&county=id"""
    user = viewer(request)
    require_staff(user)
    form = OverallForm({"group": group, "period": period, "county": county})
    if not form.is_valid():
        raise ApiError(
            400, "invalid_input", fields={k: [str(m) for m in v] for k, v in form.errors.items()}
        )
    chosen, _counties = selectors.county_for(user=user, county_id=form.chosen_county)
    found, before = standing_with_trend(
        group=form.chosen_group, period=form.chosen_period, county=chosen
    )
    rows = []
    for row in found.rows:
        indicators = []
        for item in found.tree.items:
            value = row.values[item.measure]
            measure = value.measure
            indicators.append(
                {
                    "measure": item.measure,
                    "half": item.half,
                    "weight": item.weight,
                    "direction": item.direction,
                    "available": measure is not None,
                    "value": value.raw,
                    "n": value.n,
                    "score": round(value.score, 4),
                    "records": evidence_link(
                        group=found.group,
                        pk=row.pk,
                        measure=measure,
                        period=found.period,
                        county=chosen,
                    )
                    if measure
                    else "",
                }
            )
        rows.append(
            {
                "id": row.pk,
                "name": str(row.subject),
                "rank": row.rank,
                "previous_rank": before.get(row.pk),
                "composite": round(row.composite, 4),
                "quality": row.halves.get("quality"),
                "efficiency": row.halves.get("efficiency"),
                "sample": row.sample,
                "indicators": indicators,
            }
        )
    return {
        "group": found.group,
        "period": found.period.label,
        "county": chosen.pk,
        "tree_version": found.tree.version,
        "tree_valid_from": found.tree.valid_from.isoformat(),
        "minimum_sample": found.tree.minimum_sample,
        "rows": rows,
    }
