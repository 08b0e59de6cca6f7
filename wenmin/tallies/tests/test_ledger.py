from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.organisation.models import Position, PositionKind
from wenmin.tallies import readers
from wenmin.tallies.models import Entry, Tally
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, SOURCES, UNIT
from wenmin.tallies.services import exclusion_add, exclusion_remove, record_changed
from wenmin.tallies.testing import TOY
from wenmin.testing import build_small_county

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("toy_source")]
DAY = dt.date(2026, 3, 2)


def _county():
    county = build_small_county()
    tallies_rebuild(sources=[TOY])  # the posts the small county starts with
    return county


def _post(person, unit, start=DAY, end=None):
    return Position.objects.create(
        person=person, unit=unit, kind=PositionKind.CASE_HANDLER, start_date=start, end_date=end
    )


def _tally(subject_type, subject_id, counter):
    return sum(
        Tally.objects.filter(
            source=TOY, subject_type=subject_type, subject_id=subject_id, counter=counter
        ).values_list("amount", flat=True)
    )


def test_a_change_moves_the_daily_counts_and_a_rebuild_agrees():
    county = _county()
    unit, person = county.department.pk, county.cadre_department.pk
    posts, days = _tally(UNIT, unit, "posts"), _tally(PERSON, person, "days")
    post = _post(county.cadre_department, county.department, end=DAY + dt.timedelta(days=10))
    record_changed(TOY, post.pk)
    assert _tally(UNIT, unit, "posts") == posts + 1
    assert _tally(PERSON, person, "days") == days + 10
    post.end_date = DAY + dt.timedelta(days=4)
    post.save()
    record_changed(TOY, post.pk)
    assert _tally(PERSON, person, "days") == days + 4
    [report] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert report.difference_count == 0 and report.records == Position.objects.count()
    pk = post.pk
    post.delete()
    record_changed(TOY, pk)
    assert (_tally(UNIT, unit, "posts"), _tally(PERSON, person, "days")) == (posts, days)
    assert not Entry.objects.filter(source=TOY, record=pk).exists()


def test_a_write_past_the_hook_is_found_by_check_and_repaired_by_rebuild():
    county = _county()
    _post(county.cadre_department, county.department)  # no record_changed: bulk-loaded
    [report] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert report.difference_count > 0
    assert {kind for kind, *_ in report.differences} == {"entry", "daily"}
    before = _tally(UNIT, county.department.pk, "posts")
    tallies_rebuild(sources=[TOY])
    assert _tally(UNIT, county.department.pk, "posts") == before + 1
    [again] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert again.difference_count == 0
    # Without a comparison (after a bulk load) the ledger is written in place: the same counts.
    _post(county.cadre_department, county.department)
    [direct] = tallies_rebuild(sources=[TOY], compare=False)
    assert (
        direct.difference_count == 0
        and direct.entries
        == 4 * Position.objects.filter(unit__isnull=False).count()
        + 2 * Position.objects.filter(unit__isnull=True).count()
    )
    assert _tally(UNIT, county.department.pk, "posts") == before + 2
    [checked] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert checked.difference_count == 0


def test_an_exclusion_takes_a_record_away_from_its_unit_and_back():
    county = _county()
    before_unit = _tally(UNIT, county.department.pk, "posts")
    before_person = _tally(PERSON, county.cadre_department.pk, "posts")
    post = _post(county.cadre_department, county.department)
    record_changed(TOY, post.pk)
    exclusion_add(source=TOY, record=post.pk, unit_id=county.department.pk)
    assert _tally(UNIT, county.department.pk, "posts") == before_unit
    assert _tally(PERSON, county.cadre_department.pk, "posts") == before_person
    rows, total = readers.evidence(TOY, UNIT, county.department.pk, DAY, DAY, ["posts"])
    assert total == 1 and rows[0].excluded and rows[0].amounts == {}
    [report] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert report.difference_count == 0
    exclusion_remove(source=TOY, record=post.pk, unit_id=county.department.pk)
    assert _tally(UNIT, county.department.pk, "posts") == before_unit + 1


def test_totals_by_month_and_the_records_behind_them():
    county = _county()
    march = _post(county.cadre_department, county.department)
    april = _post(county.cadre_department, county.department, start=dt.date(2026, 4, 9))
    record_changed(TOY, march.pk, april.pk)
    ids = [county.department.pk]
    months = readers.totals_by_month(
        TOY, UNIT, ids, dt.date(2026, 1, 1), dt.date(2026, 12, 31), ["posts", "days"]
    )
    assert months[dt.date(2026, 3, 1)][county.department.pk] == {"posts": 1.0, "days": 30.0}
    assert months[dt.date(2026, 4, 1)][county.department.pk]["posts"] == 1.0
    spring = readers.totals(TOY, UNIT, ids, dt.date(2026, 3, 1), dt.date(2026, 4, 30), ["posts"])
    assert spring[county.department.pk]["posts"] == 2.0
    rows, total = readers.evidence(
        TOY, UNIT, county.department.pk, dt.date(2026, 3, 1), dt.date(2026, 4, 30), ["posts"]
    )
    assert total == 2 and [r.record for r in rows] == [april.pk, march.pk]
    assert rows[0].described.label.endswith("2026-04-09")


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["add", "change", "delete", "exclude"]), st.integers(0, 40)),
        min_size=1,
        max_size=12,
    )
)
def test_incremental_counts_equal_a_rebuild_over_random_histories(steps, django_db_blocker):
    from wenmin.organisation.models import Person, Unit

    if not Unit.objects.exists():
        _county()
    person = Person.objects.order_by("pk").first()
    unit = Unit.objects.order_by("pk").first()
    assert unit is not None
    for action, n in steps:
        posts = list(Position.objects.order_by("pk"))
        if action == "add" or not posts:
            post = _post(person, unit, DAY + dt.timedelta(days=n), None)
            record_changed(TOY, post.pk)
            continue
        post = posts[n % len(posts)]
        if action == "change":
            post.end_date = post.start_date + dt.timedelta(days=n)
            post.save()
            record_changed(TOY, post.pk)
        elif action == "delete":
            pk = post.pk
            post.delete()
            record_changed(TOY, pk)
        else:
            exclusion_add(source=TOY, record=post.pk, unit_id=unit.pk)
    [report] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]


def test_an_appeal_takes_a_record_from_a_region_only_for_the_regions_own_unit():
    from wenmin.tallies.registry import REGION, Fact
    from wenmin.tallies.services import is_excluded

    township, other = 7, 8
    department = {30: 1}  # a department, in the county's region
    government = {40: township}  # the township's own government
    assert is_excluded(Fact(UNIT, 30, DAY, "x", 1.0, 30), department)
    assert is_excluded(Fact(PERSON, 5, DAY, "x", 1.0, 30), department)
    assert not is_excluded(Fact(REGION, township, DAY, "x", 1.0, 30), department)
    assert is_excluded(Fact(REGION, township, DAY, "x", 1.0, 40), government)
    assert not is_excluded(Fact(REGION, other, DAY, "x", 1.0, 40), government)
    assert not is_excluded(Fact(UNIT, 30, DAY, "x", 1.0, None), department)
    assert not is_excluded(Fact(UNIT, 31, DAY, "x", 1.0, 31), department)


def test_a_live_recount_keeps_what_the_module_wrote_while_it_counted():
    county = _county()
    person, unit = county.cadre_department, county.department
    posts = {name: _post(person, unit, end=DAY + dt.timedelta(days=10)) for name in "abc"}
    record_changed(TOY, *(p.pk for p in posts.values()))
    source = SOURCES[TOY]
    written: list[int] = []

    def facts_read_before_the_module_writes(ids):  # type: ignore[no-untyped-def]
        found = source.facts(ids)  # type: ignore[misc]
        if not written:
            new = _post(person, unit)  # a new record…
            posts["b"].end_date = DAY + dt.timedelta(days=3)  # …one changed…
            posts["b"].save()
            written.extend([new.pk, posts["b"].pk, posts["c"].pk])
            posts["c"].delete()  # …and one gone, each counted in its own write
            record_changed(TOY, *written)
        return found

    SOURCES[TOY] = dataclasses.replace(source, facts=facts_read_before_the_module_writes)
    tallies_rebuild(sources=[TOY], live=True)
    SOURCES[TOY] = source
    assert written
    [report] = tallies_rebuild(sources=[TOY], dry_run=True)
    assert report.difference_count == 0, report.differences
