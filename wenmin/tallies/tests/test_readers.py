"""Reading the daily counts of a long list of subjects: dense runs of ids are read as ranges, and
the rows of ids in a range that were not asked for never reach the totals."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wenmin.tallies import readers
from wenmin.tallies.models import Tally
from wenmin.tallies.registry import PERSON
from wenmin.tallies.testing import TOY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("toy_source")]
DAY = dt.date(2026, 3, 2)


def test_dense_runs_are_ranges_and_the_rest_in_lists() -> None:
    dense = list(range(1000, 2000, 2))  # 500 ids, one in two: a range
    sparse = [5, 50_000, 90_000]
    reads = readers.id_reads(dense + sparse + dense[:3])
    ranges = [r for r in reads if r.is_range]
    lists = [r for r in reads if not r.is_range]
    assert [(r.lo, r.hi, len(r.ids)) for r in ranges] == [(1000, 1998, 500)]
    assert [r.ids for r in lists] == [sparse]
    assert readers.id_reads([]) == [readers.IdRead([])]


def test_a_range_leaves_out_the_ids_in_it_not_asked_for() -> None:
    Tally.objects.bulk_create(
        Tally(source=TOY, counter="n", subject_type=PERSON, subject_id=i, day=DAY, amount=i)
        for i in range(1, 1001)
    )
    asked = [i for i in range(1, 1001) if i % 3]
    assert any(r.is_range for r in readers.id_reads(asked))
    found = readers.totals(TOY, PERSON, asked, DAY, DAY, ["n"])
    assert set(found) == set(asked)


@settings(max_examples=25, deadline=None)
@given(
    dropped=st.sets(st.integers(min_value=1, max_value=1400), max_size=900),
    step=st.integers(min_value=1, max_value=3),
)
def test_totals_read_exactly_the_subjects_asked_for(dropped: set[int], step: int) -> None:
    # mostly dense lists (read as ranges, with ids in them not asked for), some sparse (IN)
    asked = set(range(1, 1401)) - dropped
    Tally.objects.all().delete()
    # every id from 1 to 1,400 (one in `step`) has a count; only `asked` are read
    Tally.objects.bulk_create(
        Tally(source=TOY, counter="n", subject_type=PERSON, subject_id=i, day=DAY, amount=i)
        for i in range(1, 1401, step)
    )
    found = readers.totals(TOY, PERSON, sorted(asked), DAY, DAY, ["n"])
    assert dict(found) == {i: {"n": float(i)} for i in asked if (i - 1) % step == 0}
    by_month = readers.totals_by_month(TOY, PERSON, sorted(asked), DAY, DAY, ["n"])
    assert {k: dict(v) for k, v in by_month.items()} == (
        {DAY.replace(day=1): dict(found)} if found else {}
    )
