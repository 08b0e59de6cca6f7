"""The points' small world: toy sources under the real keys (branchlife, volunteers, deeds keep
their records in the shared ledger through `record_changed`; cases keep their own counts, as the
real source does), the county's rules for 2025 and 2026, and a history for 王建国 (member_b, of
白沙村's branch) whose 2026 points are worked out by hand in test_pages.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import Person
from wenmin.points.models import STAR_FIELDS, Adjustment, PointsRule, PointsYear
from wenmin.tallies.registry import PERSON, SOURCES, Described, Fact, Source, source_register
from wenmin.tallies.services import record_changed
from wenmin.testing import PASSWORD, SmallCounty

COUNTERS = {
    "branchlife": {"attended": "meetings attended", "expected": "meetings expected"},
    "volunteers": {"hours": "hours", "participations": "participations"},
    "deeds": {"deeds": "deeds"},
}


@dataclass
class ToyLedger:
    """Records of the toy sources, in memory: each is a list of facts for one person."""

    records: dict[str, dict[int, list[Fact]]] = field(default_factory=lambda: defaultdict(dict))
    cases: dict[tuple[int, dt.date], float] = field(default_factory=dict)
    next_id: int = 1

    def add(self, source: str, person: Person, day: dt.date, **amounts: float) -> int:
        """One record counting these amounts for the person on the day (through the ledger)."""
        record = self.next_id
        self.next_id += 1
        self.records[source][record] = [
            Fact(PERSON, person.pk, day, counter, amount) for counter, amount in amounts.items()
        ]
        record_changed(source, record)
        return record

    def source(self, key: str) -> Source:
        def facts(ids: Sequence[int]) -> Mapping[int, list[Fact]]:
            return {i: self.records[key][i] for i in ids if i in self.records[key]}

        def records() -> Iterator[int]:
            return iter(sorted(self.records[key]))

        def describe(ids: Sequence[int]) -> Mapping[int, Described]:
            return {i: Described(f"{key} record {i}", f"/{key}/{i}/") for i in ids}

        return Source(
            key=key,
            label=key,
            counters=COUNTERS[key],
            measures=[],
            facts=facts,
            records=records,
            describe=describe,
        )

    def case_totals(
        self,
        subject_type: str,
        ids: Sequence[int],
        start: dt.date,
        end: dt.date,
        counters: Sequence[str],
    ) -> dict[int, dict[str, float]]:
        found: dict[int, dict[str, float]] = defaultdict(dict)
        if subject_type != PERSON or "handled" not in counters:
            return found
        wanted = set(ids)
        for (person_id, day), handled in self.cases.items():
            if person_id in wanted and start <= day <= end:
                found[person_id]["handled"] = found[person_id].get("handled", 0.0) + handled
        return found


@pytest.fixture
def ledger() -> Iterator[ToyLedger]:
    kept = dict(SOURCES)
    found = ToyLedger()
    for key in COUNTERS:
        source_register(found.source(key))
    source_register(
        Source(
            key="cases",
            label="cases",
            counters={"handled": "cases handled", "closed": "cases closed"},
            measures=[],
            totals=found.case_totals,
        )
    )
    yield found
    SOURCES.clear()
    SOURCES.update(kept)


RuleRow = tuple[str, str, str, str, str, str, str | None]


def a_year(year: int, base: str, rules: Sequence[RuleRow]) -> PointsYear:
    """A year's rules written directly (the services are tested on their own)."""
    stars = dict(
        zip(STAR_FIELDS, (Decimal(s) for s in ("60", "70", "80", "90", "100")), strict=True)
    )
    found = PointsYear.objects.create(year=year, base=Decimal(base), **stars)
    for n, (label, source, counter, less, per, points, cap) in enumerate(rules, start=1):
        PointsRule.objects.create(
            year=found, label=label, source=source, counter=counter, less_counter=less,
            per=Decimal(per), points=Decimal(points), cap=Decimal(cap) if cap else None, order=n,
        )  # fmt: skip
    return found


RULES_2026: list[RuleRow] = [
    ("参加会议", "branchlife", "attended", "", "1", "2", None),
    ("缺席会议", "branchlife", "expected", "attended", "1", "-2", "6"),
    ("志愿服务", "volunteers", "hours", "", "1", "0.5", "20"),
    ("实事好事", "deeds", "deeds", "", "1", "3", None),
    ("办理诉求", "cases", "handled", "", "1", "1", "10"),
]
RULES_2025: list[RuleRow] = [("参加会议", "branchlife", "attended", "", "1", "1", None)]


@dataclass
class PointsWorld:
    county: SmallCounty
    ledger: ToyLedger
    year_2025: PointsYear
    year_2026: PointsYear
    member_b: User  # 王建国's own login: a resident who is a party member of 白沙村's branch
    meetings: list[int]

    def rule(self, label: str, year: int = 2026) -> PointsRule:
        return PointsRule.objects.get(year__year=year, label=label)


def d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def world(county: SmallCounty, ledger: ToyLedger) -> PointsWorld:
    c = county
    b = c.member_b
    meetings = [
        ledger.add("branchlife", b, d(1, 5), expected=1, attended=1),
        ledger.add("branchlife", b, d(2, 3), expected=1, attended=1),
        ledger.add("branchlife", b, d(3, 2), expected=1),  # missed
        ledger.add("branchlife", b, d(4, 1), expected=1, attended=1),
        ledger.add("branchlife", b, d(5, 6), expected=1, attended=1),
    ]
    ledger.add("branchlife", b, d(6, 2, 2025), expected=1, attended=1)
    ledger.add("branchlife", b, d(7, 1, 2025), expected=1, attended=1)
    ledger.add("volunteers", b, d(3, 15), hours=12.5, participations=1)
    ledger.add("volunteers", b, d(6, 20), hours=40, participations=1)
    ledger.add("deeds", b, d(4, 9), deeds=1)
    ledger.add("deeds", b, d(4, 20), deeds=1)
    ledger.cases[(b.pk, d(5, 10))] = 3
    # 李秀英 (member_a, the secretary of 青石村's branch): one meeting attended.
    ledger.add("branchlife", c.member_a, d(1, 5), expected=1, attended=1)
    Adjustment.objects.create(
        person=b, day=d(2, 1), points=5, reason="防汛值守", decided_by="支委会"
    )
    Adjustment.objects.create(
        person=b, day=d(6, 1), points=-3, reason="无故缺席主题党日", decided_by="支委会"
    )
    Adjustment.objects.create(
        person=b, day=d(7, 1), points=10, decided_by="支委会", withdrawn_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC),
        withdrawn_reason="记错了人",
    )  # fmt: skip
    member_b = User.objects.create_user(
        username="wangjianguo", password=PASSWORD, role=Role.RESIDENT, person=b
    )
    return PointsWorld(
        county=c,
        ledger=ledger,
        year_2025=a_year(2025, "50", RULES_2025),
        year_2026=a_year(2026, "60", RULES_2026),
        member_b=member_b,
        meetings=meetings,
    )


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
