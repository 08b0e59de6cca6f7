"""The duplicate index's snapshot: files every process maps into memory, giving exactly the
database lookup's candidates, kept current with the rows added since, remade by the worker when
the index has grown, and never used when they are not this database's or not on this machine."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from wenmin.cases.models import Case
from wenmin.core.models import AuditEvent
from wenmin.insight import duplicates, schedule, snapshot
from wenmin.insight.duplicates import candidate_ids, probe_of, similar_to, split
from wenmin.insight.models import BandSnapshot, CaseBand
from wenmin.insight.services import cases_index_missing
from wenmin.insight.services import snapshot as building
from wenmin.insight.services.snapshot import snapshot_build, snapshot_due
from wenmin.insight.similarity import BANDS, text_keys
from wenmin.insight.tests.history import History, case_made
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db

BURST = "青石村村口的自来水管爆了，水流满地，路都淹了"


@pytest.fixture(autouse=True)
def files(tmp_path: Path, settings) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """Each test's snapshots in a folder of its own, looked at again at every lookup."""
    settings.WENMIN_INSIGHT_SNAPSHOT_DIR = tmp_path / "bands"
    settings.WENMIN_INSIGHT_REFRESH_SECONDS = 0
    snapshot.forget()
    yield tmp_path / "bands"
    snapshot.forget()


def _sql_candidates(keys: list[int], **kwargs: object) -> list[int]:
    """candidate_ids as the database answers it (no snapshot)."""
    with override_settings(WENMIN_INSIGHT_SNAPSHOT_DIR="/nonexistent/wenmin-bands"):
        snapshot.forget()
        assert snapshot.current() is None
        answer = candidate_ids(keys, **kwargs)  # type: ignore[arg-type]
    snapshot.forget()
    return answer


def _synthetic_bands(desk: CaseDesk, cases: int, keys: int, seed: int) -> list[int]:
    """`cases` cases whose bands are drawn from `keys` keys: many shared buckets and ties."""
    rng = random.Random(seed)
    made = [
        case_made(desk, f"第{i}号：村口自来水管爆了", region=desk.county.village_a)
        for i in range(cases)
    ]
    CaseBand.objects.bulk_create(
        CaseBand(case=case, key=key)
        for case in made
        for key in rng.sample(range(-keys // 2, keys // 2), rng.randint(1, 12))
    )
    return [case.pk for case in made]


def test_the_snapshot_answers_exactly_what_the_database_answers(
    desk: CaseDesk, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _synthetic_bands(desk, cases=40, keys=30, seed=3)
    monkeypatch.setattr(building, "CHUNK", 7)  # streamed in many chunks
    made = snapshot_build(actor=None)
    assert made.rows == CaseBand.objects.count()
    assert snapshot.current() is not None
    rng = random.Random(5)
    # A small cap and limit: buckets over the cap are left out, ties cut at the limit.
    for cap, limit in ((1000, 300), (6, 300), (1000, 7), (9, 5)):
        monkeypatch.setattr(duplicates, "BUCKET_CAP", cap)
        monkeypatch.setattr(duplicates, "CANDIDATES", limit)
        for _ in range(25):
            keys = rng.sample(range(-20, 20), rng.randint(1, 10))
            keys += keys[:2]  # a key twice counts once, as in SQL
            exclude = rng.choice([None, *ids])
            assert snapshot.current() is not None
            from_files = candidate_ids(keys, exclude_id=exclude)
            assert from_files == _sql_candidates(keys, exclude_id=exclude), (cap, limit, keys)
            assert len(from_files) <= limit
    monkeypatch.setattr(duplicates, "BUCKET_CAP", 1000)
    assert candidate_ids([10**15]) == []  # a key no case has


def test_rows_added_after_the_snapshot_are_read_from_the_table(
    desk: CaseDesk, history: History
) -> None:
    first = case_made(desk, BURST, region=desk.county.village_a, days_ago=2)
    cases_index_missing()
    snapshot_build(actor=None)
    new = case_made(desk, "村口自来水管爆了，水流得满地都是", region=desk.county.village_a)
    # Not indexed yet: the newest case after the snapshot's newest is compared directly.
    loaded = snapshot.current()
    assert loaded is not None and loaded.newest_case == first.pk
    assert new.pk in duplicates.unindexed_ids()
    cases_index_missing()
    loaded = snapshot.current()
    assert loaded is not None and len(loaded.added) == BANDS and loaded.newest_case == new.pk
    assert candidate_ids(text_keys(new.content)) == candidate_ids(text_keys(new.content))
    assert set(candidate_ids(text_keys(BURST))) == {first.pk, new.pk}
    assert duplicates.unindexed_ids() == []
    dup, _related = split(similar_to(probe_of(new), among=Case.objects.all()))
    assert [m.case for m in dup] == [first]
    # The same files (no new snapshot): only the rows added were read.
    assert BandSnapshot.objects.count() == 1
    assert candidate_ids(text_keys(BURST)) == _sql_candidates(text_keys(BURST))


def test_a_new_snapshot_replaces_the_old_one_and_its_files_with_an_audit_event(
    desk: CaseDesk, history: History, files: Path
) -> None:
    case_made(desk, BURST, region=desk.county.village_a)
    cases_index_missing()
    old = snapshot_build(actor=desk.dispatcher)
    assert (files / old.token / snapshot.CASES).stat().st_size == 4 * old.rows == 4 * BANDS
    meta = json.loads((files / old.token / snapshot.META).read_text())
    assert meta["max_row_id"] == old.max_row_id == CaseBand.objects.latest("id").id
    new = snapshot_build(actor=None)
    assert snapshot.current().token == new.token  # type: ignore[union-attr]
    assert not (files / old.token).exists()
    assert sorted(p.name for p in files.iterdir()) == [new.token]
    # The newest few stay recorded (another machine may use its own), no more.
    for _ in range(snapshot.KEEP):
        snapshot_build(actor=None)
    assert BandSnapshot.objects.count() == snapshot.KEEP
    assert not BandSnapshot.objects.filter(token=old.token).exists()
    assert len(list(files.iterdir())) == 1
    events = AuditEvent.objects.filter(action="insight.snapshot_build").order_by("id")
    assert [e.actor_id for e in events[:2]] == [desk.dispatcher.pk, None]
    assert events.latest("id").changes["rows"] == BANDS


def test_files_missing_or_broken_or_of_another_database_are_never_used(
    desk: CaseDesk, history: History, files: Path
) -> None:
    twin_a = case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    twin_b = case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    cases_index_missing()
    made = snapshot_build(actor=None)
    assert snapshot.current() is not None
    # Cut short (a disk that filled up): not whole, not used; the worker makes it again.
    keys = files / made.token / snapshot.KEYS
    keys.write_bytes(keys.read_bytes()[:-8])
    snapshot.forget()
    assert snapshot.current() is None
    assert snapshot_due() is False  # below WENMIN_INSIGHT_SNAPSHOT_ROWS: the database answers
    assert set(candidate_ids(text_keys(BURST))) == {twin_a.pk, twin_b.pk}
    # Another server that does not share the data directory: no files at all.
    BandSnapshot.objects.all().delete()
    BandSnapshot.objects.create(token="f" * 32, max_row_id=1, rows=1, seconds=0)
    assert snapshot.current() is None
    # A database made afresh (no snapshot recorded) beside old files: they are not its own.
    snapshot_build(actor=None)
    BandSnapshot.objects.all().delete()
    assert snapshot.current() is None
    assert set(candidate_ids(text_keys(BURST))) == {twin_a.pk, twin_b.pk}


def test_a_table_far_ahead_of_its_snapshot_is_asked_directly(
    desk: CaseDesk,
    history: History,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WENMIN_INSIGHT_SNAPSHOT_DELTA = 20  # 4 deltas: 80 rows, one case's bands
    case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    cases_index_missing()
    snapshot_build(actor=None)
    case_made(desk, "村口自来水管爆了，水流得满地都是", region=desk.county.village_a)
    cases_index_missing()
    assert snapshot.current() is not None  # 80 rows behind: read into memory
    assert snapshot_due() is True
    case_made(desk, "路灯不亮了好几天", region=desk.county.village_a)
    cases_index_missing()
    assert snapshot.current() is None  # 160 behind: the worker is late, the database answers


def test_the_worker_makes_a_snapshot_once_the_index_is_large_and_again_when_it_grows(
    desk: CaseDesk,
    history: History,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WENMIN_INSIGHT_SNAPSHOT_ROWS = 2 * BANDS
    settings.WENMIN_INSIGHT_SNAPSHOT_DELTA = 2 * BANDS
    case_made(desk, BURST, region=desk.county.village_a)
    schedule.insight_periodic()
    assert not BandSnapshot.objects.exists()  # one case: below the threshold
    case_made(desk, "村口自来水管爆了，水流得满地都是", region=desk.county.village_a)
    schedule.insight_periodic()
    first = BandSnapshot.objects.get()
    assert first.rows == 2 * BANDS
    case_made(desk, "路灯不亮了好几天", region=desk.county.village_a)
    schedule.insight_periodic()
    assert BandSnapshot.objects.get() == first  # one case more: not yet
    case_made(desk, "想咨询一下新农合医保怎么缴费", region=desk.county.village_a)
    schedule.insight_periodic()
    assert BandSnapshot.objects.latest("id").rows == 4 * BANDS


def test_below_the_threshold_the_worker_reads_one_max_and_counts_nothing(
    desk: CaseDesk,
    history: History,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    """A county's index is far below WENMIN_INSIGHT_SNAPSHOT_ROWS: each tick reads the newest id
    and never counts the rows; once ids reach the threshold the rows are counted, since deleted
    rows leave ids behind them (a merged case's bands)."""
    twin = case_made(desk, BURST, region=desk.county.village_a)
    cases_index_missing()
    # Ids need not start at 1 (PostgreSQL's sequences go on between tests): the threshold is
    # set just above the newest id, so that the rows cannot reach it.
    newest = CaseBand.objects.order_by("-id").values_list("id", flat=True)[0]
    settings.WENMIN_INSIGHT_SNAPSHOT_ROWS = newest + 1
    with CaptureQueriesContext(connection) as below:
        assert snapshot_due() is False
    assert not any("COUNT(" in query["sql"].upper() for query in below.captured_queries)
    case_made(desk, "村口自来水管爆了，水流得满地都是", region=desk.county.village_a)
    cases_index_missing()
    CaseBand.objects.filter(case=twin).delete()  # the ids reach the threshold, the rows do not
    with CaptureQueriesContext(connection) as counted:
        assert snapshot_due() is False
    assert any("COUNT(" in query["sql"].upper() for query in counted.captured_queries)
    settings.WENMIN_INSIGHT_SNAPSHOT_ROWS = BANDS  # the rows left: enough
    assert snapshot_due() is True


def test_the_command_makes_a_snapshot(
    desk: CaseDesk, history: History, capsys: pytest.CaptureFixture[str]
) -> None:
    case_made(desk, BURST, region=desk.county.village_a)
    cases_index_missing()
    call_command("insight", "snapshot", "--no-progress")
    made = BandSnapshot.objects.get()
    assert f"snapshot {made.token}: {BANDS} index entries" in capsys.readouterr().out


def test_case_ids_beyond_32_bits_are_refused_with_nothing_left(
    desk: CaseDesk, history: History, files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_made(desk, BURST, region=desk.county.village_a)
    cases_index_missing()
    monkeypatch.setattr(snapshot, "LARGEST_CASE", 0)
    with pytest.raises(ValueError, match="32 bits"):
        snapshot_build(actor=None)
    assert not BandSnapshot.objects.exists()
    assert list(files.iterdir()) == []


def test_the_candidates_of_arrays_rank_by_shared_bands_then_newest() -> None:
    files = snapshot.Bands.of_rows(
        np.array([5, 5, 5, 7, 7, 9], dtype=np.int64), np.array([3, 1, 2, 2, 1, 4], dtype=np.int64)
    )
    added = snapshot.Bands.of_rows(np.array([9, 7], dtype=np.int64), np.array([8, 8]))
    query = np.array([5, 7, 9, 11], dtype=np.int64)
    assert snapshot.candidates(query, [files]) == [2, 1, 4, 3]
    assert snapshot.candidates(query, [files, added]) == [8, 2, 1, 4, 3]
    assert snapshot.candidates(query, [files, added], cap=2) == [8, 4]  # 5 and 7 too big
    assert snapshot.candidates(query, [files, added], exclude_id=8, limit=2) == [2, 1]
    assert snapshot.candidates(np.zeros(0, dtype=np.int64), [files]) == []


def _files_of(tmp: Path, keys: np.ndarray, cases: np.ndarray, chunk: int) -> snapshot.Files:
    rows = snapshot.Bands.of_rows(keys, cases)
    where = tmp / uuid.uuid4().hex
    where.mkdir()
    chunks = (
        (rows.keys[i : i + chunk], rows.cases[i : i + chunk]) for i in range(0, len(rows), chunk)
    )
    meta = snapshot.write_files(where, chunks)
    (where / snapshot.META).write_text(json.dumps(meta))
    with override_settings(WENMIN_INSIGHT_SNAPSHOT_DIR=tmp):
        opened = snapshot.open_files(where.name)
    assert opened is not None
    return opened[0]


_KEYS = st.one_of(
    st.integers(-(2**63), 2**63 - 1),  # spread as real band keys are
    st.integers(-3, 3),  # crowded into one window
    st.sampled_from([-(2**63), 2**63 - 1, 0, -1]),  # the ends of the range
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.tuples(_KEYS, st.integers(1, 50)), max_size=120),
    asked=st.lists(_KEYS, max_size=30),
    chunk=st.integers(1, 40),
)
def test_the_files_find_each_keys_rows_as_a_binary_search_does(
    tmp_path: Path, rows: list[tuple[int, int]], asked: list[int], chunk: int
) -> None:
    keys = np.array([k for k, _c in rows], dtype=np.int64)
    cases = np.array([c for _k, c in rows], dtype=np.int64)
    files = _files_of(tmp_path, keys, cases, chunk)
    plain = snapshot.Bands.of_rows(keys, cases)
    query = np.unique(np.array(asked + [k for k, _c in rows[:5]], dtype=np.int64))
    low, size = files.spans(query)
    expected_low, expected_size = plain.spans(query)
    assert size.tolist() == expected_size.tolist()
    ours = files.members(low, size)
    theirs = plain.members(expected_low, expected_size)
    assert [piece.tolist() for piece in ours] == [piece.tolist() for piece in theirs]
    for cap, limit in ((1000, 300), (2, 3)):
        assert snapshot.candidates(query, [files], cap=cap, limit=limit) == snapshot.candidates(
            query, [plain], cap=cap, limit=limit
        )
    assert files.width >= 1 and len(files.directory) == (1 << files.bits) + 1


def test_each_machine_uses_the_newest_snapshot_it_has_the_files_of(
    desk: CaseDesk,
    history: History,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.WENMIN_INSIGHT_SNAPSHOT_ROWS = BANDS
    twin_a = case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    twin_b = case_made(desk, BURST, region=desk.county.village_a, days_ago=1)
    cases_index_missing()
    ours = snapshot_build(actor=None)
    # `wenmin insight snapshot` on another web server, newer, its files there only.
    BandSnapshot.objects.create(
        token="e" * 32, max_row_id=ours.max_row_id, rows=ours.rows, seconds=1
    )
    loaded = snapshot.current()
    assert loaded is not None and loaded.token == ours.token
    assert set(candidate_ids(text_keys(BURST))) == {twin_a.pk, twin_b.pk}
    assert snapshot_due() is False  # the worker here does not make one again because of it
