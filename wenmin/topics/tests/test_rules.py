"""The pure rules: the Poisson tail, the spike test, the clusters' groups."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wenmin.topics.rules import UnionFind, poisson_tail, spike_test


def test_the_poisson_tail_against_hand_figures() -> None:
    # P(X ≥ 1 | 2) = 1 − e^−2; P(X ≥ 3 | 1) = 1 − e^−1 (1 + 1 + 1/2)
    assert poisson_tail(1, 2.0) == pytest.approx(1 - math.exp(-2))
    assert poisson_tail(3, 1.0) == pytest.approx(1 - math.exp(-1) * 2.5)
    assert poisson_tail(0, 5.0) == 1.0
    assert poisson_tail(400, 300.0) < 1e-6  # a large mean does not overflow


def test_a_spike_needs_five_cases_twice_the_usual_and_a_small_chance() -> None:
    assert spike_test(6, [1] * 8) is not None  # P ≈ 0.0006
    assert spike_test(4, [0] * 8) is None  # too few, whatever the history
    assert spike_test(5, [3] * 8) is None  # not twice the usual level
    assert spike_test(9, [4] * 8) is None  # twice, but P ≈ 0.021: a busy week
    spike = spike_test(14, [4] * 8)
    assert spike is not None and spike.baseline == 4.0 and spike.score > 3


@given(
    count=st.integers(min_value=0, max_value=60),
    previous=st.lists(st.integers(min_value=0, max_value=30), min_size=0, max_size=8),
)
def test_more_cases_never_turn_a_spike_into_noise(count: int, previous: list[int]) -> None:
    if spike_test(count, previous) is not None:
        assert spike_test(count + 1, previous) is not None
    assert 0.0 <= poisson_tail(count, max(1.0, sum(previous) / max(len(previous), 1))) <= 1.0


@given(pairs=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=20))
def test_union_find_groups_partition_the_items(pairs: list[tuple[int, int]]) -> None:
    union = UnionFind(10)
    for a, b in pairs:
        union.union(a, b)
    groups = union.groups()
    assert sorted(i for g in groups for i in g) == list(range(10))
    for a, b in pairs:
        assert union.find(a) == union.find(b)
