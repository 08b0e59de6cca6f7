"""The duplicate index in memory: the newest snapshot's files (services/snapshot.py writes them),
mapped by every process on the machine so that they share one copy in the page cache, with the
index's rows added since read from the table at most every WENMIN_INSIGHT_REFRESH_SECONDS.

A lookup finds the query's band keys (three reads each, through a directory of their top bits),
counts the cases of the bands shared by at most BUCKET_CAP cases and keeps the CANDIDATES
sharing most, the newest first among equals: what duplicates.candidate_ids asks the database
otherwise, the same answer in 0.16–0.29 ms instead of 5–13 at a million cases, by machine
(bench/insight_duplicates.py part 4).

A process with no snapshot to use (none made yet, its files not on this machine, or the table
too far ahead of it) answers None, and the lookup asks the database."""

from __future__ import annotations

import json
import mmap
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Max

from wenmin.insight.models import BandSnapshot, CaseBand
from wenmin.insight.similarity import BUCKET_CAP, CANDIDATES

KEYS = "keys.i64"  # the distinct band keys, sorted
STARTS = "starts.u32"  # where each key's cases start in CASES, then where the last one's end
CASES = "cases.i32"  # each key's cases in order, key after key
DIRECTORY = "directory.u32"  # by the top `bits` bits of a key: where its window of KEYS starts
META = "meta.json"  # {"rows", "keys", "bits", "width", "max_row_id", "newest_case"}
LARGEST_CASE = int(np.iinfo(np.int32).max)
LARGEST_ROW = int(np.iinfo(np.uint32).max) - 1
MOST_BITS = 28
_SIGN = np.uint64(1 << 63)  # a signed key XOR this: an unsigned number in the same order
# The table may run this many snapshot deltas ahead of the snapshot before a process stops
# reading the difference into memory and asks the database instead (the worker is behind).
BEHIND = 4
KEEP = 8  # snapshots recorded: each machine uses the newest of them it has the files of


def _slices(cases: np.ndarray, low: np.ndarray, size: np.ndarray) -> list[np.ndarray]:
    """The cases of the spans (first row, rows), as slices of `cases` (copied once when they are
    concatenated: faster than one `take` of their positions, 19 µs against 32 for some 7,000)."""
    return [cases[a:b] for a, b in zip(low.tolist(), (low + size).tolist(), strict=True)]


@dataclass(frozen=True)
class Bands:
    """Index rows in memory sorted by band key, then case (a process's rows added since its
    snapshot): a key's cases are one slice, found by binary search."""

    keys: np.ndarray  # int64, one per row
    cases: np.ndarray  # int32

    @classmethod
    def of_rows(cls, keys: np.ndarray, cases: np.ndarray) -> Bands:
        order = np.lexsort((cases, keys))
        return cls(keys=keys[order], cases=cases[order].astype(np.int32))

    def __len__(self) -> int:
        return len(self.keys)

    def spans(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(first row, rows) of each of the query's keys (0 rows: none)."""
        low = self.keys.searchsorted(query)
        return low, self.keys.searchsorted(query, "right") - low

    def members(self, low: np.ndarray, size: np.ndarray) -> list[np.ndarray]:
        return _slices(self.cases, low, size)


NO_BANDS = Bands(keys=np.zeros(0, dtype=np.int64), cases=np.zeros(0, dtype=np.int32))


@lru_cache(maxsize=8)
def _steps(width: int, count: int) -> np.ndarray:
    """0 … width - 1, `count` times: each query key's window, one after the other."""
    return np.tile(np.arange(width, dtype=np.int64), count)


@dataclass(frozen=True)
class Files:
    """A snapshot's files mapped into memory. A key is found in three reads whatever their size,
    as in a hash table: the directory gives the window of distinct keys sharing its top bits
    (at most `width`, about one on average), the window holds it or nothing, STARTS says where
    its cases are. (The first version searched the sorted keys, some 24 steps at random places
    for each key: 0.49 ms a lookup at a million cases, against 0.33 with this and two other
    changes; bench/README.md.)"""

    keys: np.ndarray  # int64, distinct, sorted
    starts: np.ndarray  # uint32, len(keys) + 1
    cases: np.ndarray  # int32
    directory: np.ndarray  # uint32, 2**bits + 1
    bits: int
    width: int

    def __len__(self) -> int:
        return len(self.cases)

    def spans(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        low = np.zeros(len(query), dtype=np.int64)
        high = np.zeros(len(query), dtype=np.int64)
        if not len(self.keys) or not len(query):
            return low, high
        width = self.width
        top = query.view(np.uint64) ^ _SIGN
        top >>= np.uint64(64 - self.bits)
        where = self.directory.take(top.view(np.int64)).astype(np.int64).repeat(width)
        where += _steps(width, len(query))
        # Past its window: a greater key, never the query's; past the last key: the last (a hit
        # there twice says the same twice)
        np.minimum(where, len(self.keys) - 1, out=where)
        hit = (self.keys.take(where) == query.repeat(width)).nonzero()[0]
        found = where.take(hit)
        asked = hit // width
        low[asked] = self.starts.take(found)
        found += 1
        high[asked] = self.starts.take(found)
        high -= low
        return low, high

    def members(self, low: np.ndarray, size: np.ndarray) -> list[np.ndarray]:
        return _slices(self.cases, low, size)


def write_files(where: Path, chunks: Iterator[tuple[np.ndarray, np.ndarray]]) -> dict[str, int]:
    """Write a snapshot's files from index rows in (key, case) order, a chunk (keys, cases) at a
    time (memory: a chunk, and the directory's chunks); its meta (without META's row ids)."""
    rows = distinct = newest_case = 0
    previous: int | None = None
    with (
        open(where / KEYS, "wb") as keys,
        open(where / STARTS, "wb") as starts,
        open(where / CASES, "wb") as cases,
    ):
        for chunk_keys, chunk_cases in chunks:
            if not len(chunk_keys):
                continue
            largest = int(chunk_cases.max())
            if largest > LARGEST_CASE:
                raise ValueError(f"case id {largest} does not fit the snapshot's 32 bits")
            if rows + len(chunk_keys) > LARGEST_ROW:
                raise ValueError("more index entries than the snapshot's 32 bits can count")
            new = np.empty(len(chunk_keys), dtype=bool)
            new[0] = previous is None or int(chunk_keys[0]) != previous
            np.not_equal(chunk_keys[1:], chunk_keys[:-1], out=new[1:])
            first = new.nonzero()[0]
            keys.write(chunk_keys.astype(np.int64).take(first).tobytes())
            starts.write((first + rows).astype(np.uint32).tobytes())
            cases.write(chunk_cases.astype(np.int32).tobytes())
            rows += len(chunk_keys)
            distinct += len(first)
            newest_case = max(newest_case, largest)
            previous = int(chunk_keys[-1])
        starts.write(np.array([rows], dtype=np.uint32).tobytes())
    bits, width = _write_directory(where, distinct)
    return {
        "rows": rows,
        "keys": distinct,
        "bits": bits,
        "width": width,
        "newest_case": newest_case,
    }


def _write_directory(where: Path, distinct: int) -> tuple[int, int]:
    """The directory: for each value of a key's top bits (about one distinct key each), the
    first distinct key with those bits or more; (bits, the widest window)."""
    bits = min(MOST_BITS, max(1, (max(distinct, 2) - 1).bit_length()))
    keys = (
        np.memmap(where / KEYS, dtype=np.int64, mode="r", shape=(distinct,))
        if distinct
        else np.zeros(0, dtype=np.int64)
    )
    width, before, step = 1, 0, 1 << 20
    with open(where / DIRECTORY, "wb") as out:
        for start in range(0, 1 << bits, step):
            tops = np.arange(start, min(start + step, 1 << bits), dtype=np.uint64)
            lowest = ((tops << np.uint64(64 - bits)) ^ _SIGN).view(np.int64)
            first = np.searchsorted(keys, lowest).astype(np.int64)
            out.write(first.astype(np.uint32).tobytes())
            ends = np.r_[first[1:], distinct if start + step >= 1 << bits else first[-1]]
            width = max(width, int((ends - first).max(initial=0)), int(first[0]) - before)
            before = int(first[-1])
        out.write(np.array([distinct], dtype=np.uint32).tobytes())
    del keys
    return bits, width


def candidates(
    query: np.ndarray,
    parts: Sequence[Files | Bands],
    *,
    exclude_id: int | None = None,
    cap: int = BUCKET_CAP,
    limit: int = CANDIDATES,
) -> list[int]:
    """The `limit` cases sharing most of the query's bands (distinct keys), the newest first
    among equals, over the rows of all parts; a band of more than `cap` rows in all is left
    out, as duplicates.candidate_ids leaves it out in SQL."""
    query = np.sort(query)
    if len(query) > 1 and (query[1:] == query[:-1]).any():
        query = np.unique(query)  # a key twice counts once, as in SQL
    spans = [part.spans(query) for part in parts]
    sizes = spans[0][1] if len(spans) == 1 else sum(size for _low, size in spans)
    small = (sizes > 0) & (sizes <= cap)
    pieces = [_FIRST]
    for part, (low, size) in zip(parts, spans, strict=True):
        pieces += part.members(low[small], size[small])
    pieces.append(_LAST)
    members = np.concatenate(pieces)
    if exclude_id is not None:
        members = members[members != exclude_id]
    if len(members) == 2:
        return []
    # Each case's bands shared: the members sorted (as 32-bit integers, twice as many a vector),
    # between a first and a last that are no case, then where each run of equal members ends.
    members.sort()
    ends = (members[1:] != members[:-1]).nonzero()[0]
    cases = members.take(ends[1:])  # each case once, in order
    shared = np.diff(ends)
    # ORDER BY shared DESC, case DESC LIMIT limit: the cases sharing more than one band (few)
    # by rank (the case in its low bits), then those sharing one, already in order: the newest
    # are the last (no partition of thousands of ranks)
    many = (shared > 1).nonzero()[0]
    rank = shared.take(many).astype(np.int64)
    rank <<= 32
    rank |= cases.take(many)
    if len(rank) > limit:
        rank = np.partition(rank, len(rank) - limit)[-limit:]
    rank.sort()
    best = (rank[::-1] & 0xFFFFFFFF).tolist()
    if len(best) < limit:
        ones = cases[shared == 1]
        best += ones[max(0, len(ones) - (limit - len(best))) :][::-1].tolist()
    return best


_FIRST = np.array([-1], dtype=np.int32)
_LAST = np.array([np.iinfo(np.int32).max], dtype=np.int32)


@dataclass(frozen=True)
class Loaded:
    """A snapshot's files with the rows added after them."""

    token: str
    files: Files
    added: Bands
    files_row_id: int  # the newest row in the files
    last_row_id: int  # the newest row held (in the files or added)
    newest_case: int  # the newest case the rows held are of

    def candidates(
        self, query: np.ndarray, *, exclude_id: int | None, cap: int, limit: int
    ) -> list[int]:
        parts: list[Files | Bands] = [self.files, self.added] if len(self.added) else [self.files]
        return candidates(query, parts, exclude_id=exclude_id, cap=cap, limit=limit)


def folder(token: str) -> Path:
    return Path(settings.WENMIN_INSIGHT_SNAPSHOT_DIR) / token


def _shapes(token: str) -> tuple[dict[str, Any], dict[str, tuple[Any, int]]] | None:
    """The snapshot's meta and each file's (type, length), when its files are on this machine
    and whole (each as long as its meta says); None otherwise. Reads no array."""
    where = folder(token)
    try:
        meta = json.loads((where / META).read_text())
        rows, distinct, bits = int(meta["rows"]), int(meta["keys"]), int(meta["bits"])
        shapes: dict[str, tuple[Any, int]] = {
            KEYS: (np.int64, distinct),
            STARTS: (np.uint32, distinct + 1),
            CASES: (np.int32, rows),
            DIRECTORY: (np.uint32, (1 << bits) + 1),
        }
        for name, (kind, length) in shapes.items():
            if (where / name).stat().st_size != np.dtype(kind).itemsize * length:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return meta, shapes


def files_here(token: str) -> bool:
    """Whether the snapshot's files are on this machine and whole (the worker's check: it maps
    nothing)."""
    return _shapes(token) is not None


def open_files(token: str) -> tuple[Files, dict[str, int]] | None:
    """The snapshot's files mapped into memory, and its meta; None when they are not on this
    machine or not whole."""
    found = _shapes(token)
    if found is None:
        return None
    meta, shapes = found
    where = folder(token)
    try:
        arrays = {
            name: _mapped(where / name, kind) if length else np.zeros(0, dtype=kind)
            for name, (kind, length) in shapes.items()
        }
        files = Files(
            keys=arrays[KEYS],
            starts=arrays[STARTS],
            cases=arrays[CASES],
            directory=arrays[DIRECTORY],
            bits=int(meta["bits"]),
            width=int(meta["width"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return files, meta


def _mapped(path: Path, kind: Any) -> np.ndarray:
    """A file as a read-only array over its pages, shared with every process that maps it. Its
    pages are mapped at once (MAP_POPULATE, Linux): otherwise a lookup's first touch of each of
    the some 300 pages it reads costs a page fault, more than the lookup itself (at a million
    cases, 0.49 ms a lookup with them, bench/insight_duplicates.py part 4). A plain array, not a
    np.memmap: a memmap's slices cost microseconds each."""
    with open(path, "rb") as file:
        flags = mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0)
        mapped = mmap.mmap(file.fileno(), 0, flags=flags, prot=mmap.PROT_READ)
    return np.frombuffer(mapped, dtype=kind)


class _State:
    def __init__(self) -> None:
        self.loaded: Loaded | None = None
        self.checked: float | None = None
        self.lock = threading.Lock()


_state = _State()


def forget() -> None:
    """Look again at the next lookup (after a snapshot is made, and between tests)."""
    with _state.lock:
        _state.loaded, _state.checked = None, None


def current() -> Loaded | None:
    """The snapshot in use with the rows added since, or None (ask the database). Looks at the
    database at most every WENMIN_INSIGHT_REFRESH_SECONDS."""
    checked = _state.checked
    if checked is not None and time.monotonic() - checked < settings.WENMIN_INSIGHT_REFRESH_SECONDS:
        return _state.loaded
    with _state.lock:
        _state.loaded = _refresh(_state.loaded)
        _state.checked = time.monotonic()
        return _state.loaded


def _refresh(loaded: Loaded | None) -> Loaded | None:
    """The newest recorded snapshot whose files are on this machine (another machine may have
    made a newer one for itself with `wenmin insight snapshot`), with the rows added since."""
    recorded = BandSnapshot.objects.order_by("-id").values_list("token", "max_row_id")[:KEEP]
    chosen = None
    for token, max_row_id in recorded:
        if loaded is not None and loaded.token == token:
            chosen = loaded  # still the newest of those on this machine
            break
        opened = open_files(token)
        if opened is not None:
            files, meta = opened
            chosen = Loaded(
                token=token,
                files=files,
                added=NO_BANDS,
                files_row_id=int(max_row_id),
                last_row_id=int(max_row_id),
                newest_case=int(meta.get("newest_case", 0)),
            )
            break
    if chosen is None:
        return None
    loaded = chosen
    top = CaseBand.objects.aggregate(top=Max("id"))["top"] or 0
    if top - loaded.files_row_id > BEHIND * settings.WENMIN_INSIGHT_SNAPSHOT_DELTA:
        return None  # the worker is late: the rows added would fill the memory
    if top > loaded.last_row_id:
        rows = np.array(
            CaseBand.objects.filter(id__gt=loaded.last_row_id, id__lte=top).values_list(
                "key", "case_id"
            ),
            dtype=np.int64,
        ).reshape(-1, 2)
        keys = np.concatenate([loaded.added.keys, rows[:, 0]])
        cases = np.concatenate([loaded.added.cases.astype(np.int64), rows[:, 1]])
        loaded = replace(
            loaded,
            added=Bands.of_rows(keys, cases),
            last_row_id=top,
            newest_case=max(loaded.newest_case, int(rows[:, 1].max(initial=0))),
        )
    return loaded
