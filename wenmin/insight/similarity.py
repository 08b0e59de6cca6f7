"""Near-duplicate texts: MinHash signatures (datasketch) of a text's character pairs, cut into
bands for locality-sensitive hashing, and the exact similarity used to rank what the bands find.
Pure: no database; the index in the database (models.CaseBand) and the bench's in-memory index
use the same functions."""

from __future__ import annotations

import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from datasketch import MinHash

from wenmin.core.text_zh import shingles

NUM_PERM = 96
BANDS = 48
ROWS = NUM_PERM // BANDS  # 2 rows a band: texts sharing a third of their pairs meet (95 %)
SEED = 12345
_MASK = (1 << 63) - 1


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


def signature(items: Iterable[str]) -> list[int]:
    """The MinHash of a set of features (NUM_PERM values)."""
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=_PERMUTATIONS, scheme=_SCHEME, hashfunc=_crc32
    )
    encoded = [item.encode("utf-8") for item in items]
    if encoded:
        minhash.update_batch(encoded)
    return [int(v) for v in minhash.hashvalues]


def band_keys(values: Sequence[int]) -> list[int]:
    """One signed 63-bit key per band: the band's number and its values, mixed."""
    keys = []
    for band in range(BANDS):
        h = band + 1
        for value in values[band * ROWS : (band + 1) * ROWS]:
            h = (h * 1_000_003 ^ int(value)) & _MASK
        keys.append(h - (1 << 62))  # into the range of a signed BIGINT
    return keys


def text_keys(text: str) -> list[int]:
    """The band keys of a text; none for a text with nothing to compare."""
    items = features(text)
    return band_keys(signature(items)) if items else []


def jaccard(a: set[str], b: set[str]) -> float:
    """Shared features over all features."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class BandIndex:
    """An in-memory LSH index: band key → ids (the bench's, and a model of the database's)."""

    def __init__(self) -> None:
        self.buckets: dict[int, list[int]] = defaultdict(list)

    def add(self, item: int, keys: Iterable[int]) -> None:
        for key in keys:
            self.buckets[key].append(item)

    def candidates(self, keys: Iterable[int], limit: int = 100) -> list[int]:
        """Ids sharing the most bands with the query, most first."""
        counts: Counter[int] = Counter()
        for key in keys:
            bucket = self.buckets.get(key)
            if bucket:
                counts.update(bucket)
        return [item for item, _n in counts.most_common(limit)]
