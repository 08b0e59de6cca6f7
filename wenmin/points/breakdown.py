"""A member's year as the pages show it (their own page and the staff's): each rule with its
amount, points and the records behind it, the bonuses and penalties, the months, the stars; and
the ranked list of the members a viewer reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from wenmin.organisation.models import Cadre, PartyMember
from wenmin.points import scoring, selectors
from wenmin.points.models import Adjustment
from wenmin.scoreboard.periods import Period
from wenmin.tallies import readers
from wenmin.tallies.registry import CADRE, PERSON, SOURCES, Source

EVIDENCE_LIMIT = 500


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (5 - stars)


def counter_label(source: str, counter: str) -> str:
    found = SOURCES.get(source)
    if found is None:
        return f"{source}.{counter}"
    return str(found.counters.get(counter, counter))


def rule_text(rule: scoring.Rule) -> str:
    """ "each 1 of attended: 2 points, at most 20 a year" in the viewer's language."""
    what = counter_label(rule.source, rule.counter)
    if rule.less_counter:
        what = _("%(counter)s less %(less)s") % {
            "counter": what,
            "less": counter_label(rule.source, rule.less_counter),
        }
    text = _("points: %(points)s for each %(per)s of %(what)s") % {
        "per": f"{rule.per:g}",
        "what": what,
        "points": f"{rule.points:g}",
    }
    if rule.cap is not None:
        text += _(", at most %(cap)s a year") % {"cap": f"{rule.cap:g}"}
    return text


@dataclass
class MonthBar:
    month: dt.date
    points: float
    width: int  # % of the widest month


@dataclass
class Breakdown:
    year: int
    rules: scoring.YearRules | None
    points: scoring.MemberPoints | None
    lines: list[dict[str, Any]]
    adjustments: list[Adjustment]
    months: list[MonthBar]
    start: dt.date
    end: dt.date

    @property
    def stars(self) -> str:
        return stars_text(self.points.stars) if self.points else ""


def breakdown(member: PartyMember, year: int) -> Breakdown:
    """One member's year with the year's own rules (no rules: the bonuses and penalties only)."""
    rules = selectors.year_rules(year)
    start, end = selectors.period(year)
    adjustments = list(selectors.adjustments_of(member.person_id, year))
    counting = [(a.day, float(a.points)) for a in adjustments if a.counts]
    if rules is None:
        return Breakdown(year, None, None, [], adjustments, [], start, end)
    pid = member.person_id
    points = scoring.members_points(rules, [pid], start, end, {pid: sum(p for _d, p in counting)})[
        pid
    ]
    months = scoring.member_months(rules, pid, start, end, counting)
    widest = max((abs(m.points) for m in months), default=0.0) or 1.0
    lines = [
        {
            "line": line,
            "rule": rule_text(line.rule),
            "counted": counter_label(line.rule.source, line.rule.counter),
        }
        for line in points.lines
    ]
    bars = [MonthBar(m.month, m.points, round(100 * abs(m.points) / widest)) for m in months]
    return Breakdown(year, rules, points, lines, adjustments, bars, start, end)


@dataclass
class EvidenceLine:
    day: dt.date
    label: str
    url: str
    detail: str
    amount: float
    excluded: bool


def _own_counts_url(
    source: Source, rule: scoring.Rule, person_id: int, start: dt.date, end: dt.date
) -> str:
    """The page of a source that keeps its own counts (the cases) listing a person's records of
    the rule's counter: its figure page for the person as a cadre ("" when they are none)."""
    measure = next(
        (m for m in source.measures if rule.counter in m.counters and CADRE in m.subjects), None
    )
    if source.evidence_url is None or measure is None or end < start:
        return ""
    if not Cadre.objects.filter(person_id=person_id).exists():
        return ""
    period = Period(start, end, "year" if (start.month, start.day) == (1, 1) else "custom")
    return str(source.evidence_url(group=CADRE, pk=person_id, measure=measure.key, period=period))


def evidence(rule: scoring.Rule, person_id: int, year: int) -> dict[str, Any]:
    """The records behind a rule's amount for a member: what each counted for the rule."""
    start, end = selectors.period(year)
    source = SOURCES.get(rule.source)
    if source is None or not scoring.available(rule):
        return {"available": False, "rows": [], "total": 0, "elsewhere": ""}
    if source.keeps_own_counts:
        # The source keeps its own counts (the cases): its own page lists the records.
        url = _own_counts_url(source, rule, person_id, start, end)
        return {"available": True, "rows": [], "total": 0, "elsewhere": url or ""}
    rows, total = (
        readers.evidence(
            rule.source, PERSON, person_id, start, end, rule.counters, limit=EVIDENCE_LIMIT
        )
        if end >= start
        else ([], 0)
    )
    lines = []
    for row in rows:
        amount = row.amounts.get(rule.counter, 0.0)
        if rule.less_counter:
            amount -= row.amounts.get(rule.less_counter, 0.0)
        if abs(amount) < scoring.EPSILON and not row.excluded:
            continue
        lines.append(
            EvidenceLine(
                row.day,
                row.described.label,
                row.described.url,
                row.described.detail,
                amount,
                row.excluded,
            )
        )
    return {
        "available": True,
        "rows": lines,
        "total": total,
        "more": total > EVIDENCE_LIMIT,
        "elsewhere": "",
    }


@dataclass
class RankedRow:
    rank: int
    person_id: int
    name: str
    branch: str
    township: str
    points: scoring.MemberPoints

    @property
    def stars(self) -> str:
        return stars_text(self.points.stars)


def ranked(members: QuerySet[PartyMember], rules: scoring.YearRules, year: int) -> list[RankedRow]:
    """Every member listed ranked by points (equal points share a rank), then by name."""
    found: Sequence[tuple[int, str, str, str | None]] = list(
        members.order_by().values_list(
            "person_id", "person__name", "branch__name", "branch__region__township__name"
        )
    )
    ids = [row[0] for row in found]
    start, end = selectors.period(year)
    points = scoring.members_points(rules, ids, start, end, selectors.adjustment_sums(ids, year))
    rows = sorted(found, key=lambda r: (-points[r[0]].total, r[1], r[0]))
    ranked_rows: list[RankedRow] = []
    for n, (pid, name, branch, township) in enumerate(rows, start=1):
        previous = ranked_rows[-1] if ranked_rows else None
        same = previous is not None and abs(previous.points.total - points[pid].total) < 1e-9
        rank = previous.rank if same and previous is not None else n
        ranked_rows.append(RankedRow(rank, pid, name, branch, township or "", points[pid]))
    return ranked_rows


def star_counts(rows: Sequence[RankedRow]) -> list[tuple[int, int, str]]:
    """(stars, how many members, the stars drawn) from five stars down to none."""
    counts = [0] * 6
    for row in rows:
        counts[row.points.stars] += 1
    return [(stars, counts[stars], stars_text(stars)) for stars in range(5, -1, -1)]
