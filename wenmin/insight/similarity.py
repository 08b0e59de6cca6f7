"""Near-duplicate texts: MinHash signatures (datasketch) of a text's character pairs, cut into
bands for locality-sensitive hashing, and the exact similarity used to rank what the bands find.
Pure: no database; the index in the database (models.CaseBand) and the bench's in-memory model
of it use the same functions and constants."""

from __future__ import annotations

import zlib
from collections.abc import Collection, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.minhash import _FMIX_CONSTANTS

from wenmin.core.text_zh import shingles

NUM_PERM = 240
ROWS = 3
BANDS = NUM_PERM // ROWS  # 80 bands of 3 rows: texts sharing half their pairs meet (99.998 %),
# a third of them 95 %, a fifth 47 %; three rows (not two) keep a band's bucket small
# (bench/insight_duplicates.py)
SEED = 12345
# A band shared by more cases than this says nothing about any of them (a common pair's
# minimum): the lookup skips it (bench/insight_duplicates.py chose it on a million cases).
BUCKET_CAP = 1000
# The cases sharing most bands that are compared exactly (their texts' Jaccard).
CANDIDATES = 300


def text_of(title: str, content: str) -> str:
    """The text a case is compared by: title and content (the title is often the content's start)."""
    if content.startswith(title):
        return content
    return f"{title} {content}"


def features(text: str) -> set[str]:
    """The character pairs of a text (no segmentation: robust to how people write)."""
    return shingles(text, 2)


# Drawing the permutations costs more than hashing a text's pairs: draw them once.
def _crc32(data: bytes) -> int:
    return zlib.crc32(data)  # ten times faster than datasketch's default SHA-1, as good here


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=_crc32)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme
_EMPTY = np.array(_TEMPLATE.hashvalues)  # the signature of nothing (the scheme's maximum)
# A band's key: its number and its rows' values, each times an odd 64-bit constant, summed
# modulo 2**64 (a few operations on the whole signature), as a signed BIGINT.
_BAND_MULTIPLIER = 0x9E3779B97F4A7C15
_ROW_MULTIPLIERS = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB, 0xD6E8FEB86659FD93)[:ROWS]
_BAND_OFFSETS = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(_BAND_MULTIPLIER)
_ROWS_MIX = np.array(_ROW_MULTIPLIERS, dtype=np.uint64)
_ROWS_MIX_TILE = np.tile(_ROWS_MIX, BANDS)  # each value's multiplier, by its row in its band
_FMIX = tuple(int(c) for c in _FMIX_CONSTANTS[32])


@lru_cache(maxsize=1 << 17)
def _pair_hash(item: str) -> int:
    """A feature's 32-bit hash as datasketch's MinHash takes it (CRC32, then MurmurHash3's
    finaliser), remembered: texts keep using the same few thousand pairs."""
    s1, m1, s2, m2, s3 = _FMIX
    h = zlib.crc32(item.encode("utf-8"))
    h ^= h >> s1
    h = (h * m1) & 0xFFFFFFFF
    h ^= h >> s2
    h = (h * m2) & 0xFFFFFFFF
    return h ^ (h >> s3)


# Pairs permuted at once. The permutations are laid out once per pair of a chunk, so that the
# work is flat element-wise operations (no broadcasting, no reduction along an axis: each of those
# costs tens of microseconds more when a lookup starts with cold caches, bench/insight_duplicates.py).
_CHUNK = 64
_A_TILE = np.tile(_PERMUTATIONS[0], _CHUNK)
_B_TILE = np.tile(_PERMUTATIONS[1], _CHUNK)


def signature_array(items: Collection[str]) -> np.ndarray:
    """The MinHash of a set of features (NUM_PERM uint32 values): datasketch's MinHash with the
    same permutations, scheme and hash (equal value for value, tests/test_duplicates.py) in a
    few numpy operations instead of an object a text."""
    hashes = np.fromiter(map(_pair_hash, items), dtype=np.uint32, count=len(items))
    best: np.ndarray | None = None
    for start in range(0, len(hashes), _CHUNK):
        rows = min(_CHUNK, len(hashes) - start)
        values = hashes[start : start + rows].repeat(NUM_PERM)  # row i: pair i, every permutation
        values *= _A_TILE[: rows * NUM_PERM]  # uint32: wraps as datasketch's affine32 scheme does
        values += _B_TILE[: rows * NUM_PERM]
        while rows > 1:  # the rows' minimum, halving: the first half against the last
            half = rows // 2
            low = values[: half * NUM_PERM]
            np.minimum(low, values[(rows - half) * NUM_PERM : rows * NUM_PERM], out=low)
            rows -= half
        best = values[:NUM_PERM] if best is None else np.minimum(best, values[:NUM_PERM])
    return _EMPTY.copy() if best is None else best  # nothing: the scheme's maximum


def signature(items: Collection[str]) -> list[int]:
    """The MinHash of a set of features (NUM_PERM values)."""
    return [int(v) for v in signature_array(items)]


def band_keys_array(values: Sequence[int] | np.ndarray) -> np.ndarray:
    """band_keys as an int64 array (uint64 arithmetic wraps modulo 2**64 as the Python does)."""
    mixed = np.array(values, dtype=np.uint64)
    mixed *= _ROWS_MIX_TILE
    keys = mixed[0::ROWS] + _BAND_OFFSETS
    for row in range(1, ROWS):
        keys += mixed[row::ROWS]
    return keys.view(np.int64)


def band_keys(values: Sequence[int] | np.ndarray) -> list[int]:
    """One signed 64-bit key per band: the band's number and its values, mixed."""
    return band_keys_array(values).tolist()


def band_keys_slow(values: Sequence[int]) -> list[int]:
    """band_keys in plain Python (what the arrays must equal; the tests compare them)."""
    keys = []
    for band in range(BANDS):
        h = (band + 1) * _BAND_MULTIPLIER
        for r, value in enumerate(values[band * ROWS : (band + 1) * ROWS]):
            h += int(value) * _ROW_MULTIPLIERS[r]
        h &= (1 << 64) - 1
        keys.append(h - (1 << 64) if h >= 1 << 63 else h)  # a signed BIGINT
    return keys


def feature_keys_array(items: set[str]) -> np.ndarray:
    """The band keys of a text's features as an int64 array (empty: nothing to compare)."""
    if not items:
        return np.zeros(0, dtype=np.int64)
    return band_keys_array(signature_array(items))


def feature_keys(items: set[str]) -> list[int]:
    """The band keys of a text's features; none for a text with nothing to compare."""
    return feature_keys_array(items).tolist()


def text_keys(text: str) -> list[int]:
    """The band keys of a text; none for a text with nothing to compare."""
    return feature_keys(features(text))


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared features over all features."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
