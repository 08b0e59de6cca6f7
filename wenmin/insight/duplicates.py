"""Likely duplicates and related cases of a text: the index's candidates (cases sharing MinHash
bands, most shared first), scored by text, place and time, each with why.

- duplicate: the same problem, near the same place (same village, or within DUPLICATE_KM when
  both have coordinates; same township when neither says more), received within DUPLICATE_DAYS;
- related: the same problem in the same township within RELATED_DAYS (a problem that comes back).
Open cases come first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.cases.workflow import FINAL_STATES, State
from wenmin.core.geo import distance_km
from wenmin.core.text_zh import tokens, top_shared
from wenmin.insight import snapshot
from wenmin.insight.models import CaseBand
from wenmin.insight.similarity import (
    BUCKET_CAP,
    CANDIDATES,
    feature_keys,
    features,
    jaccard,
    text_of,
)

DUPLICATE_DAYS = 30
RELATED_DAYS = 365
DUPLICATE_KM = 1.0
MIN_TEXT = 0.2  # exact similarity of character pairs below which nothing is shown
SHOWN = 5


@dataclass(frozen=True)
class Probe:
    """What is compared: a text with, when known, its place and time."""

    text: str
    region_path: str = ""
    lat: float | None = None
    lon: float | None = None
    received_at: dt.datetime | None = None
    exclude_id: int | None = None


@dataclass
class Match:
    case: Case
    score: float
    text: float
    shared: list[str]
    km: float | None
    same_place: str  # "village", "township" or ""
    days: int
    duplicate: bool
    why: dict[str, Any] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.case.state not in FINAL_STATES


def probe_of(case: Case) -> Probe:
    return Probe(
        text=text_of(case.title, case.content),
        region_path=case.region.path if case.region_id and case.region else "",
        lat=float(case.latitude) if case.latitude is not None else None,
        lon=float(case.longitude) if case.longitude is not None else None,
        received_at=case.received_at,
        exclude_id=case.pk,
    )


def _place(probe: Probe, case: Case) -> tuple[float, float | None, str]:
    """(place score 0–1, distance in km or None, "village"/"township"/"")."""
    km = None
    if probe.lat is not None and probe.lon is not None and case.latitude is not None:
        km = distance_km((probe.lat, probe.lon), (float(case.latitude), float(case.longitude or 0)))
    mine = [p for p in probe.region_path.split("/") if p]
    theirs = [p for p in (case.region.path if case.region else "").split("/") if p]
    same = ""
    if len(mine) >= 3 and len(theirs) >= 3 and mine[:3] == theirs[:3]:
        same = "village"
    elif len(mine) >= 2 and len(theirs) >= 2 and mine[:2] == theirs[:2]:
        same = "township"
    if km is not None:
        return max(0.0, 1.0 - km / (4 * DUPLICATE_KM)), km, same
    return {"village": 1.0, "township": 0.6}.get(same, 0.0), None, same


def _small_bands(keys: list[int]) -> list[int]:
    """The keys among these shared by at most BUCKET_CAP cases. Each band's rows are counted
    only up to the cap (LIMIT in a subquery per key): a common band of 78,000 cases costs 1,001
    index entries, not all of them. On the (key, case) index alone."""
    table = connection.ops.quote_name(CaseBand._meta.db_table)
    wanted = ", ".join(["(CAST(%s AS BIGINT))"] * len(keys))
    sql = (
        f"WITH k(key) AS (VALUES {wanted}) SELECT k.key FROM k WHERE "  # noqa: S608
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} b WHERE b.key = k.key LIMIT %s) x) <= %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys, BUCKET_CAP + 1, BUCKET_CAP])
        return [int(row[0]) for row in cursor.fetchall()]


def candidate_ids(keys: list[int], *, exclude_id: int | None = None) -> list[int]:
    """The CANDIDATES cases sharing most of these bands (the newest first among equals), bands
    shared by more than BUCKET_CAP cases left out (a common pair's minimum: they say nothing
    and would make the count read much of the index). Two queries, both on the (key, case)
    index alone; the bench times them on a million cases (bench/insight_duplicates.py part 4)
    and models them in memory (`lookup`). When the worker has made a snapshot of the index
    (services/snapshot.py), the same answer comes from it, in memory (snapshot.candidates)."""
    if not keys:
        return []
    loaded = snapshot.current()
    if loaded is not None:  # the same answer from the files every process maps (snapshot.py)
        return loaded.candidates(
            np.array(keys, dtype=np.int64), exclude_id=exclude_id, cap=BUCKET_CAP, limit=CANDIDATES
        )
    # Two statements, the small bands' keys handed to the second as values: as a subquery,
    # PostgreSQL could not tell how few keys pass the cap and scanned all 80 million rows of a
    # million cases in parallel (2 s a lookup; bench/insight_duplicates.py part 4).
    small = _small_bands(keys)
    if not small:
        return []
    shared = (
        CaseBand.objects.filter(key__in=small)
        .values("case_id")
        .annotate(n=Count("case_id"))  # case_id, not id: the index holds it, the table is not read
        .order_by("-n", "-case_id")
    )
    if exclude_id is not None:
        shared = shared.exclude(case_id=exclude_id)
    return [row["case_id"] for row in shared[:CANDIDATES]]


def unindexed_ids(*, exclude_id: int | None = None) -> list[int]:
    """The newest cases the index does not have yet (taken since the worker's last catch-up:
    intake does not write the index, services/index.py), at most CANDIDATES: compared directly,
    so that a report of a minute ago is found as a duplicate all the same. The catch-up indexes
    oldest first, so they are the cases after the newest indexed one (the newest the snapshot
    in memory holds, when one is used: the rows added since it are read every few seconds)."""
    loaded = snapshot.current()
    if loaded is not None:
        newest = loaded.newest_case
    else:
        newest = CaseBand.objects.aggregate(newest=Max("case_id"))["newest"] or 0
    recent = Case.objects.filter(pk__gt=newest).order_by("-pk").values_list("pk", flat=True)
    if exclude_id is not None:
        recent = recent.exclude(pk=exclude_id)
    return list(recent[:CANDIDATES])


def similar_to(probe: Probe, *, among: QuerySet[Case]) -> list[Match]:
    """The index's best matches among `among` (the viewer's cases), duplicates and related,
    open ones first, then by score."""
    mine = features(probe.text)
    if not mine:
        return []
    ids = candidate_ids(feature_keys(mine), exclude_id=probe.exclude_id)
    seen = set(ids)
    ids += [pk for pk in unindexed_ids(exclude_id=probe.exclude_id) if pk not in seen]
    if not ids:
        return []
    now = probe.received_at or timezone.now()
    cases = among.filter(pk__in=ids).exclude(state=State.MERGED).select_related("region")
    my_words = tokens(probe.text)
    matches = []
    for case in cases:
        other = text_of(case.title, case.content)
        text_score = jaccard(mine, features(other))
        if text_score < MIN_TEXT:
            continue
        place, km, same = _place(probe, case)
        days = abs((now - case.received_at).days)
        if days > RELATED_DAYS:
            continue
        recent = max(0.0, 1.0 - days / DUPLICATE_DAYS)
        near = (km is not None and km <= DUPLICATE_KM) or (km is None and same != "")
        if km is None and not probe.region_path:
            near = True  # a text with no place (the CLI): the text and the time decide
        duplicate = near and days <= DUPLICATE_DAYS
        placed = bool(probe.region_path) or probe.lat is not None
        related = same != "" or (km is not None and km <= 5 * DUPLICATE_KM)
        if not duplicate and not related and placed:
            continue  # far away and not recent: neither
        score = round(0.6 * min(1.0, text_score / 0.6) + 0.25 * place + 0.15 * recent, 3)
        matches.append(
            Match(
                case=case,
                score=score,
                text=round(text_score, 3),
                shared=top_shared(my_words, tokens(other)),
                km=round(km, 2) if km is not None else None,
                same_place=same,
                days=days,
                duplicate=duplicate,
            )
        )
    matches.sort(key=lambda m: (not m.open, -m.score, -m.case.pk))
    return matches


def split(matches: list[Match]) -> tuple[list[Match], list[Match]]:
    """(duplicates, related), each at most SHOWN."""
    duplicates = [m for m in matches if m.duplicate][:SHOWN]
    related = [m for m in matches if not m.duplicate][:SHOWN]
    return duplicates, related
