"""The rules that decide what a hotspot is and how 每月一题 candidates rank. Pure: no database.

Spike (a sudden rise of one topic in one township). For each (category, township), the cases of
the period (SPIKE_DAYS, the last days up to the detection) are counted, and so are those of each
of the BASELINE_PERIODS periods of the same length before it; their mean is the usual level λ
(at least LAMBDA_FLOOR, so that a topic never seen before needs several cases, not one). If the
cases came at the usual rate, the period's count would follow a Poisson law of mean λ: the
period is a spike when the chance of so many or more, P(X ≥ count | λ), is at most SPIKE_P,
with at least SPIKE_MIN cases and at least SPIKE_RATIO times the usual level. Its score is
−log10 of that chance. With λ = 1 a week, 6 cases in a week have P ≈ 0.0006 (a spike); 3 have
P ≈ 0.08 (noise).

Cluster (the same problem in the same place). Within a (category, township), two cases of the
period are linked when their texts are alike (TF-IDF cosine over the shared Chinese tokeniser,
at least CLUSTER_SIMILARITY) and, when both have a location, at most CLUSTER_KM apart (a case
without one is placed by its township only); a cluster is a connected group of at least
CLUSTER_MIN cases.

Candidates (每月一题). Each category with at least CANDIDATE_MIN cases in the month is a
candidate, ranked by a score out of 100:
  30 × residents / the month's most residents     (how many raised it; each anonymous case one)
+ 20 × villages / the month's most villages        (how widely)
+ 20 × mean days unsolved / the month's longest   (how long it stays unsolved)
+ 20 × share of unhappy callbacks                 (satisfaction ≤ 2 or not resolved)
+ 10 × months raised among the last RECUR_MONTHS  (how often it comes back)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SPIKE_DAYS = 7
BASELINE_PERIODS = 8
LAMBDA_FLOOR = 1.0
SPIKE_P = 0.001
SPIKE_MIN = 5
SPIKE_RATIO = 2.0

CLUSTER_DAYS = 30
CLUSTER_SIMILARITY = 0.3
CLUSTER_KM = 2.0
CLUSTER_MIN = 4

CANDIDATE_MIN = 3
RECUR_MONTHS = 6
UNHAPPY_SATISFACTION = 2  # a rating of 1 or 2 out of 5


def poisson_tail(count: int, mean: float) -> float:
    """P(X ≥ count) for X a Poisson variable of this mean."""
    if count <= 0:
        return 1.0
    # 1 − P(X ≤ count − 1), the terms summed in log space so a large mean cannot overflow.
    below = 0.0
    for k in range(count):
        below += (
            math.exp(k * math.log(mean) - mean - math.lgamma(k + 1)) if mean > 0 else float(k == 0)
        )
    return max(0.0, 1.0 - below)


@dataclass(frozen=True)
class Spike:
    count: int
    baseline: float
    p_value: float

    @property
    def score(self) -> float:
        return -math.log10(max(self.p_value, 1e-300))


def spike_test(count: int, previous: Sequence[int]) -> Spike | None:
    """A spike when this period's count is far above the previous periods' mean; else None."""
    baseline = sum(previous) / len(previous) if previous else 0.0
    mean = max(baseline, LAMBDA_FLOOR)
    if count < SPIKE_MIN or count < SPIKE_RATIO * mean:
        return None
    p_value = poisson_tail(count, mean)
    if p_value > SPIKE_P:
        return None
    return Spike(count=count, baseline=baseline, p_value=p_value)


@dataclass(frozen=True)
class CandidateFigures:
    key: int
    residents: int
    villages: int
    unsolved_days: float
    unhappy_share: float
    months_seen: int


def candidate_scores(rows: Sequence[CandidateFigures]) -> dict[int, float]:
    """Each candidate's score out of 100 (see the module's text), by key."""
    if not rows:
        return {}
    most_residents = max(r.residents for r in rows) or 1
    most_villages = max(r.villages for r in rows) or 1
    longest = max(r.unsolved_days for r in rows) or 1.0
    return {
        r.key: round(
            30 * r.residents / most_residents
            + 20 * r.villages / most_villages
            + 20 * r.unsolved_days / longest
            + 20 * r.unhappy_share
            + 10 * min(r.months_seen, RECUR_MONTHS) / RECUR_MONTHS,
            2,
        )
        for r in rows
    }


class UnionFind:
    """Connected groups of items 0…n−1."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())
