"""Insight's speed: duplicate lookup with a million cases indexed, against brute force in the
same run; what insight adds to intake; training on a city's year.

    .venv/bin/python bench/insight_duplicates.py [--cases 1000000] [--queries 200] [--block 20]
        [--data-dir DIR]   # a seeded WENMIN_DATA_DIR (copied) for the intake part; none: skipped
        [--intakes 1000] [--city-year 60000] [--skip 1,2,3]   # --skip 2,3: duplicates only
        [--database sqlite|postgresql|sqlite,postgresql]   # part 4: none unless asked
        [--lookups sql,snapshot]   # part 4's lookups: the SQL queries, the snapshot, or both

1. Duplicates. Texts are generated in memory (no database): clusters of reports of one problem
   (11–20 reports of the same topic, place and details, written differently), 1,000,000 in all.
   Each gets its MinHash bands (insight.similarity, as the app stores them: 240 permutations,
   80 bands of 3 rows; signatures computed in bulk and checked equal to the app's). The index
   is an in-memory MODEL of the database's CaseBand index (the app's database lookup is not
   what is timed): every (band key, case) sorted by key and a hash table of the distinct keys.
   A query does what duplicates.candidate_ids asks the database: its band keys (the app's
   feature_keys), the cases in its bands shared by at most BUCKET_CAP (1,000) cases, the
   CANDIDATES (300) sharing most bands, newest first among equals, then ranked by exact Jaccard
   of their character pairs. Brute force: exact Jaccard against every case, vectorised (a
   sparse matrix product), unchanged. Timed two ways over the same --queries (200) new texts:
   - blocks (the main figure, as pyperf-like benches time): --block (20) lookups, each timed,
     then the same queries by brute force, block after block, so both share the machine's drift
     and each method runs with its own working set in cache, as an intake would;
   - interleaved per query (the worst case, printed beside): lookup then brute force, query
     after query, so every lookup starts with the caches the brute force's 200 MB scan evicted
     (no intake sees that: each of the lookup's numpy operations costs 3–40 µs instead of 1–5).
   Reported for each: median and p99 per query, the time ratio index ÷ brute force (goal
   ≤ 0.01); and the recall of brute force's top 10 (goal ≥ 0.95; a case tied with the tenth
   counts), the same in both designs (checked).
2. Intake. The case intake service on a copy of a seeded database (the index caught up first),
   one intake with insight's hooks and one without in turn, --intakes of each: p50/p99 and the
   ratio (goal: at most 10 % slower). Intake writes no band: the worker's catch-up
   (cases_index_missing) indexes the new cases; its time a case is printed, off the intake's
   path, and the suggestion computed on first view (never paid by intake) beside.
3. Training on a city's year: learn.train on that many generated closed cases.
4. The app's own lookup in a database (--database; part 1's model is not what ships). The same
   cases' band keys (case ids 1..n, 80 rows a case: 80,000,000 rows) are loaded into the real
   insight_caseband table of a fresh database migrated with the app's migrations (`wenmin
   migrate`); cases_case stays EMPTY: SQLite loads with PRAGMA foreign_keys=OFF (the app's
   reads check nothing), PostgreSQL has the foreign key constraint dropped (it is not made
   again). SQLite: executemany in one transaction (journal off, rows in case order, so the
   table's unique (case_id, key) index, part of CREATE TABLE, is written in order), the key
   index dropped during the load and made after it, then WAL as the app opens it; no ANALYZE
   (nothing in the app analyses the table after the bands come). PostgreSQL (a throwaway
   database, as bench/serverload.py's): binary COPY, the unique constraint and the key index
   dropped during the load and made after it, then VACUUM ANALYZE (as `wenmin seed` does after
   bulk inserts; autovacuum would come round). The load's time and the sizes are printed. Then
   a child process of the bench's (forked: it shares part 1's index, matrix and vocabulary)
   sets Django up on that database (WENMIN_DATA_DIR / DATABASE_URL) and calls the app's
   duplicates.candidate_ids(keys) itself, in the process that also runs the brute force, as
   part 1 runs its model. The app's lookup = the probe's features and
   feature_keys + candidate_ids + the candidates ranked by exact Jaccard as similar_to ranks
   them (from the bench's matrix rows, not from Case rows: similar_to also reads the 300 cases
   and their texts, not counted here), timed in blocks against the same brute force as part 1,
   recall the same way; candidate_ids' time alone, its inner grouped query alone, the rows a
   query reads, and the plan (EXPLAIN QUERY PLAN; EXPLAIN ANALYZE on PostgreSQL) are printed.
   --lookups: "sql" times candidate_ids as it asks the database (no snapshot yet); "snapshot"
   then runs `wenmin insight snapshot` as the worker would (its time, its peak memory, the
   files' size), and times candidate_ids again in a new process, which now answers from the
   snapshot's files mapped into memory (insight/snapshot.py). In both, the candidates are
   ranked with part 1's `ranked`, so that the app's lookup and the model differ only in how the
   candidates are found. The temporary databases are removed at the end.

Last run (2026-12-06, later still, another machine: an Intel Xeon whose numpy sorts with
AVX-512, some 7,000 int32 in 14 µs where the AMD's took 90; brute force 35 ms; otherwise idle),
`--skip 2,3 --database sqlite,postgresql --lookups sql,snapshot` (log in the session's notes):
1. blocks: the model's lookup median 0.195 ms against brute force 35.1 ms: ratio 0.0056;
   interleaved 0.552 against 35.0 ms, 0.0158; recall 0.975.
4. The SQL lookup: SQLite 4.92 ms (p99 8.5) against 35.1 ms, ratio 0.140; PostgreSQL 6.27 ms
   (p99 13.8) against 35.4 ms, 0.177. The snapshot (made in 41 s on SQLite and 50 s on
   PostgreSQL, peak memory 413 and 417 MB, files 575 MB): the app's lookup median 0.29 ms
   (p99 2.0; candidate_ids alone 0.16 ms) against 35.1 ms on SQLite, ratio 0.0084; 0.30 ms
   (p99 3.6; candidate_ids 0.17 ms) against 36.2 ms on PostgreSQL, ratio 0.0082: the goal
   (≤ 0.01) met on both; recall 0.975, the same top 10 as the model for 200 of 200.
2, 3. `--skip 1 --data-dir` on the demo county (6,113 cases): intake p99 7.4 against 7.2 ms
   without insight's hooks, ratio 1.027 (median 1.003; goal ≤ 1.10); training 60,000 cases
   8.8 s.

Earlier runs (2026-12-06, later, another machine: an AMD EPYC whose brute force takes 30 to 35 ms
where the earlier runs' took 18 to 20; the machine otherwise idle, load about 1), `--skip 2,3
--database sqlite,postgresql --lookups snapshot`:
1. blocks: the model's lookup median 0.343 ms against brute force 35.0 ms: ratio 0.0098 (goal
   met, at its edge on this machine); interleaved 0.576 against 31.7 ms, 0.0182; recall 0.975.
4. The snapshot (insight/snapshot.py; `wenmin insight snapshot`: 45 s on SQLite, 79 s on
   PostgreSQL, peak memory 407 and 413 MB, files 575 MB), timed in the process that runs the
   brute force: the app's lookup median 0.36 ms (p99 4.6; candidate_ids alone 0.24 ms) against
   30.1 ms on SQLite, ratio 0.0120; 0.45 ms (p99 3.4; candidate_ids 0.29 ms) against 32.4 ms on
   PostgreSQL, ratio 0.0139; recall 0.975, the same top 10 as the model for 200 of 200. The goal
   (≤ 0.01) is missed by 20 and 39 %. The same day on the same machine, the SQL lookup
   (`--lookups sql`, in a process of its own then): 8.95 ms against 31.1 ms (0.29) on SQLite,
   12.6 ms against 40.8 ms (0.31) on PostgreSQL.

Earlier runs (2026-12-06, 2 CPUs shared with other sessions' tests, load 1.5 to 2.9),
`.venv/bin/python bench/insight_duplicates.py --skip 2,3`, two runs one after the other:
1. blocks: index median 0.145 and 0.146 ms (p99 4.26, 4.29 ms) against brute force 20.4 and
   18.0 ms (p99 42.0, 50.7 ms): ratio 0.0071 and 0.0081 (goal ≤ 0.01: met). Interleaved (cold
   caches): 0.381 and 0.388 ms (p99 4.72, 4.42) against 30.6 and 21.0 ms (p99 41.3, 44.7):
   ratio 0.0125 and 0.0184 (not met). Recall 0.975 (goal ≥ 0.95: met). Just before, with the
   lookup of the previous run (members sorted as int64, the 300 candidates by a full sort):
   blocks 0.172 ms against 17.8 ms, 0.0097; interleaved 0.371 against 18.0 ms, 0.0207.
   Parts 2 and 3, last run 2026-12-05 with --data-dir (bench/README.md): intake p99 ratio
   1.143 (median 0.975), the catch-up 2.51 ms a case; training 14.6 s, model 1.2 MB.
4. The app's own database lookup (2026-12-06, load 1.6 to 4; `--skip 2,3 --database sqlite
   --covering`, then `--skip 1,2,3 --database postgresql --covering`), blocks of 20, 200 probes,
   1,000,000 cases (80,000,000 rows): the goal is NOT met by what ships. SQLite (as the
   migrations make it, index on key): lookup median 46.7 ms (p99 107) against brute force
   24.8 ms: ratio 1.88 (slower than brute force), recall 0.975 (the same top 10 as the model for
   all 200); candidate_ids alone 46.1 ms. The outer query reads each of its some 7,000 rows'
   case_id from the table by rowid (the key index does not hold it). With (key, case_id)
   instead: 9.9 ms (p99 38) against 25.6 ms, ratio 0.39. PostgreSQL: 2,003 ms against 17.9 ms,
   ratio 112 (1,981 ms with (key, case_id)): the planner, unable to tell how few keys pass the
   HAVING, hash-joins them with a parallel sequential scan of all 80,000,000 rows.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serverload import throwaway_postgres  # noqa: E402
from bench.serverload import wenmin as _wenmin  # noqa: E402
from wenmin.insight.similarity import (  # noqa: E402
    BANDS,
    BUCKET_CAP,
    CANDIDATES,
    band_keys,
    feature_keys,
    feature_keys_array,
    features,
    signature,
)

TOP = 10

TOPICS = [
    ("urban.road", "交通运输局", ["路面", "坑洼", "塌陷", "积水", "破损", "大坑", "泥泞", "颠簸"]),
    ("urban.streetlight", "城市管理局", ["路灯", "不亮", "漆黑", "照明", "灯杆", "坏了", "闪烁"]),
    ("water.leak", "自来水有限公司", ["水管", "漏水", "爆管", "冒水", "自来水", "阀门", "流了"]),
    ("water.outage", "自来水有限公司", ["停水", "水压", "没水", "供水", "不出水", "水质", "浑浊"]),
    ("power.outage", "供电公司", ["停电", "跳闸", "电压", "变压器", "断电", "来电", "线路"]),
    ("env.noise", "生态环境局", ["噪音", "施工", "广场舞", "夜间", "音响", "吵", "扰民"]),
    ("env.garbage", "城市管理局", ["垃圾", "清运", "垃圾桶", "臭味", "堆积", "苍蝇", "满了"]),
    ("labour.wages", "人力资源和社会保障局", ["工资", "拖欠", "农民工", "老板", "工地", "欠薪"]),
    ("edu.enrolment", "教育体育局", ["入学", "学位", "转学", "学区", "孩子", "报名", "划片"]),
    ("police.traffic", "公安局", ["违停", "乱停", "堵车", "红绿灯", "车辆", "占道", "拥堵"]),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余"
SYLLABLES = "东西南北上下前后大小新老山河桥塘坑湾岭坪坳冲垄田源溪岗口坊店铺庄寨屯洲堡"
PLACES = ["村口", "学校门口", "菜市场", "卫生院", "老街", "桥头", "路口", "祠堂边", "广场", "组里"]
FILLERS = [
    "好几天了",
    "一直没人管",
    "希望尽快处理",
    "很危险",
    "老人小孩不方便",
    "反映多次",
    "晚上特别明显",
    "下雨更严重",
    "麻烦领导看看",
    "影响大家生活",
    "已经一个星期",
]


def _village(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + "村"


def _problem(rng: random.Random) -> tuple[int, str, str, list[str]]:
    topic = rng.randrange(len(TOPICS))
    words = rng.sample(TOPICS[topic][2], 3)
    return topic, _village(rng), rng.choice(PLACES) + str(rng.randrange(1, 40)) + "号", words


def _report(rng: random.Random, problem: tuple[int, str, str, list[str]]) -> str:
    _topic, village, spot, words = problem
    parts = [village, spot, *words, *rng.sample(FILLERS, 2)]
    head, rest = parts[:2], parts[2:]
    rng.shuffle(rest)
    return "".join(head) + "，".join(rest)


def generate(n: int, seed: int = 7) -> tuple[list[str], list[int]]:
    """n texts in clusters of 11–20 reports of one problem (so that brute force's top 10 are
    reports of the same problem); the cluster of each."""
    rng = random.Random(seed)
    texts: list[str] = []
    cluster: list[int] = []
    c = 0
    while len(texts) < n:
        problem = _problem(rng)
        for _ in range(rng.randint(11, 20)):
            texts.append(_report(rng, problem))
            cluster.append(c)
        c += 1
    return texts[:n], cluster[:n]


class Vocabulary:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def of(self, items: set[str]) -> list[int]:
        return [self.ids.setdefault(item, len(self.ids)) for item in items]


def bulk_signatures(feature_sets: list[set[str]]) -> np.ndarray:
    """The app's MinHash signatures (similarity.signature) of many texts at once: the same
    CRC32 of each pair, the same finaliser and permutations, the minimum taken per text with
    numpy instead of one datasketch object per text (checked equal on a sample in `build`)."""
    from datasketch.minhash import _fmix

    from wenmin.insight.similarity import _PERMUTATIONS

    lengths = np.fromiter((len(f) for f in feature_sets), dtype=np.int64, count=len(feature_sets))
    hashes = np.fromiter(
        (zlib.crc32(item.encode("utf-8")) for f in feature_sets for item in f),
        dtype=np.uint32,
        count=int(lengths.sum()),
    )
    hashes = _fmix(hashes, 32)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    a, b = _PERMUTATIONS
    out = np.empty((len(feature_sets), len(a)), dtype=np.uint32)
    for i in range(len(a)):
        out[:, i] = np.minimum.reduceat(hashes * a[i] + b[i], starts)
    return out


def bulk_band_keys(signatures: np.ndarray) -> np.ndarray:
    """similarity.band_keys for every row at once (the same uint64 arithmetic)."""
    from wenmin.insight.similarity import _BAND_OFFSETS, _ROWS_MIX

    rows = signatures.shape[1] // BANDS
    out = np.empty((signatures.shape[0], BANDS), dtype=np.int64)
    for band in range(BANDS):
        values = signatures[:, band * rows : (band + 1) * rows].astype(np.uint64)
        out[:, band] = (values @ _ROWS_MIX + _BAND_OFFSETS[band]).view(np.int64)
    return out


class Index:
    """The CaseBand index in memory: every (band key, case) sorted by key, and a hash table of
    the distinct keys (slot: the key's low bits): a directory of the slots, then the keys by slot,
    each with one word saying where its cases start and how many they are. A band costs three
    reads, as the database reads an index page or two.

    Laid out for a lookup that starts with cold caches (the brute force has just read some
    200 MB): flat arrays read with `take`, and few kinds of numpy operation, since each kind
    pays its own cold start (some 5 to 40 µs, against 1 to 5 warm)."""

    BITS = 24
    SIZE_BITS = 20  # a bucket's size in the low bits of its word (more than BUCKET_CAP: counted)

    def __init__(self, keys: np.ndarray, ids: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        self.ids = ids[order].astype(np.int32)
        del order
        edge = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        distinct = sorted_keys[edge]
        sizes = np.diff(np.r_[edge, len(sorted_keys)])
        del sorted_keys
        slots = distinct & ((1 << self.BITS) - 1)
        by_slot = np.argsort(slots, kind="stable")
        self.size = sizes[by_slot]
        big = (1 << self.SIZE_BITS) - 1
        self.where = (edge[by_slot] << self.SIZE_BITS) | np.minimum(self.size, big)
        counts = np.bincount(slots, minlength=1 << self.BITS)
        self.directory = np.r_[0, np.cumsum(counts)]
        self.width = width = int(counts.max())
        # keys past the last slot's, for its window: 0 is in slot 0, never equal to its keys
        self.keys = np.r_[distinct[by_slot], np.zeros(width, dtype=np.int64)]
        self.steps = np.tile(np.arange(width), BANDS)  # a query's windows, one after the other
        # a case id after every case's: the last case's run of members ends before it (int32 as
        # the ids: the members are sorted as 32-bit integers, twice as many a vector as 64-bit)
        self.ends = np.array([-1, np.iinfo(np.int32).max], dtype=np.int32)
        self.pairs = np.zeros((0, 0), dtype=np.int32)
        self.sizes = np.zeros(0, dtype=np.int32)
        self.mark_slots = 0

    def buckets(self, query: np.ndarray) -> list[int]:
        """The words (first position in `ids` << SIZE_BITS | size) of the query's BANDS keys that
        the index has. A key is in its slot's window or nowhere (the window may run into the
        next slots: other keys)."""
        width = self.width
        window = self.directory.take(query & ((1 << self.BITS) - 1)).repeat(width)
        window += self.steps
        hit = (self.keys.take(window) == query.repeat(width)).nonzero()[0]
        return self.where.take(window.take(hit)).tolist()

    def bucket_sizes(self) -> np.ndarray:
        return self.size

    def pairs_of(self, matrix: sparse.csr_matrix) -> None:
        """Each case's pairs (vocabulary ids) in a row of its own, padded with an id that is no
        pair: what the exact Jaccard of a candidate reads (as the app reads the case's text)."""
        sizes = np.diff(matrix.indptr)
        width = matrix.shape[1]
        small = np.uint16 if width < np.iinfo(np.uint16).max else np.int32  # fewer bytes to read
        # a multiple of 8 pairs a row: a lookup sums a candidate's marks 8 bytes at a time
        longest = -(-int(sizes.max()) // 8) * 8
        if longest > 255:
            raise ValueError(
                "a text of more than 255 pairs: the sum of its marks needs a wider byte"
            )
        self.pairs = np.full((matrix.shape[0], longest), width, dtype=small)
        column = np.arange(len(matrix.indices)) - np.repeat(matrix.indptr[:-1], sizes)
        self.pairs[np.repeat(np.arange(matrix.shape[0]), sizes), column] = matrix.indices
        self.sizes = sizes.astype(np.int64)
        # a lookup's marks: the vocabulary's pairs, the padding, last the query's unknown pairs
        self.mark_slots = width + 2
        self.order = np.arange(CANDIDATES)


def build(
    texts: list[str], keep: dict[str, np.ndarray] | None = None
) -> tuple[Index, sparse.csr_matrix, Vocabulary]:
    """(the band index, the feature matrix, the vocabulary); with `keep`, keep["keys"] is every
    case's BANDS keys one after the other (what part 4 loads into a database)."""
    vocabulary = Vocabulary()
    started = time.perf_counter()
    feature_sets = [features(text) for text in texts]
    print(f"  features in {time.perf_counter() - started:.0f} s", flush=True)
    signatures = bulk_signatures(feature_sets)
    for i in range(0, len(texts), max(1, len(texts) // 50)):
        assert [int(v) for v in signatures[i]] == signature(feature_sets[i]), "not the app's"
    print(f"  signatures in {time.perf_counter() - started:.0f} s", flush=True)
    keys = bulk_band_keys(signatures).ravel()
    del signatures
    for i in range(0, len(texts), max(1, len(texts) // 50)):
        assert keys[i * BANDS : (i + 1) * BANDS].tolist() == band_keys(signature(feature_sets[i]))
    print(f"  bands in {time.perf_counter() - started:.0f} s", flush=True)
    indptr = [0]
    indices: list[int] = []
    for items in feature_sets:
        indices.extend(vocabulary.of(items))
        indptr.append(len(indices))
    del feature_sets
    index = Index(keys, np.repeat(np.arange(len(texts), dtype=np.int64), BANDS))
    if keep is not None:
        keep["keys"] = keys
    del keys
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(texts), len(vocabulary.ids)),
    )
    index.pairs_of(matrix)
    return index, matrix, vocabulary


def _query_vector(text: str, vocabulary: Vocabulary, width: int) -> np.ndarray:
    """The query's features as a 0/1 vector over the vocabulary (unknown pairs match nothing)."""
    vector = np.zeros(width, dtype=np.float32)
    ids = [vocabulary.ids[item] for item in features(text) if item in vocabulary.ids]
    vector[ids] = 1.0
    return vector


def _jaccard(rows: sparse.csr_matrix, q: np.ndarray, q_size: int) -> np.ndarray:
    inter = rows @ q
    sizes = np.diff(rows.indptr)
    return inter / np.maximum(sizes + q_size - inter, 1)


def lookup(text: str, index: Index, matrix, vocabulary) -> list[int]:  # type: ignore[no-untyped-def]
    """The index's top 10, as duplicates.similar_to finds them: the query's band keys (the app's
    feature_keys), the cases in its bands of at most BUCKET_CAP cases, the CANDIDATES sharing
    most bands (the newest first among equals), ranked by exact Jaccard."""
    items = features(text)
    if not items:
        return []
    ids, shift, size = index.ids, Index.SIZE_BITS, (1 << Index.SIZE_BITS) - 1
    found = [
        ids[word >> shift : (word >> shift) + (word & size)]
        for word in index.buckets(feature_keys_array(items))
        if word & size <= BUCKET_CAP
    ]
    if not found:
        return []
    found.append(index.ends)
    members = np.concatenate(found)  # int32, as the index's ids
    members.sort()
    # Where each run of equal members ends: -1's, then each case's (its bands shared: the gap).
    ends = (members[1:] != members[:-1]).nonzero()[0]
    cases = members.take(ends[1:])
    if len(cases) > CANDIDATES:
        # ORDER BY shared bands DESC, case id DESC LIMIT CANDIDATES: the ranks are distinct (the
        # case id in their low bits), so the CANDIDATES largest are found by partition, and only
        # they are sorted (their order breaks ties of the exact score below, as before)
        rank = ends[1:] - ends[:-1]
        rank <<= 32
        rank |= cases
        top = np.partition(rank, len(rank) - CANDIDATES)[-CANDIDATES:]
        top.sort()
        cases = top & 0xFFFFFFFF
    return ranked(cases, items, index, vocabulary)


def ranked(cases: np.ndarray, items: set[str], index: Index, vocabulary: Vocabulary) -> list[int]:
    """The TOP of these candidates (case indexes, in the lookup's order) by exact Jaccard of
    their character pairs with the query's, equal scores in the candidates' order: what
    similar_to does with the cases' texts, on the bench's rows of pairs (parts 1 and 4 alike)."""
    # Exact Jaccard of each candidate's pairs with the query's: the shared pairs are the marked
    # bytes of its row, summed eight at a time (each byte 0 or 1, a row under 256: no carry).
    get = vocabulary.ids.get
    marks = np.zeros(index.mark_slots, dtype=np.uint8)
    marks[[get(item, -1) for item in items]] = 1  # an unknown pair: the last mark, in no row
    words = marks.take(index.pairs.take(cases, axis=0)).view(np.uint64)
    shared = words[:, 0].copy()
    for column in range(1, words.shape[1]):
        shared += words[:, column]
    shared *= 0x0101010101010101
    shared >>= 56
    # shared / (size + n - shared) orders as shared / (size + n): as integers, the floor of 2**33
    # times it (distinct fractions with denominators under 2**16 stay distinct), then the
    # candidate's position, sorted as the ranks were.
    score = (shared.view(np.int64) << 33) // (index.sizes.take(cases) + len(items))
    score <<= 16
    score += index.order[: len(cases)]
    score.sort()
    return cases.take(score[: -TOP - 1 : -1] & 0xFFFF).tolist()


def brute(text: str, matrix, vocabulary) -> tuple[list[int], np.ndarray]:  # type: ignore[no-untyped-def]
    """Brute force's top 10, and every case's exact score (to judge ties)."""
    q = _query_vector(text, vocabulary, matrix.shape[1])
    scores = _jaccard(matrix, q, len(features(text)))
    top = np.argpartition(-scores, TOP)[:TOP]
    return [int(i) for i in top[np.argsort(-scores[top], kind="stable")]], scores


def recall(mine: list[int], truth: list[int], scores: np.ndarray) -> float:
    """Share of brute force's top 10 the index found; a case tied with the tenth counts as the
    one it ties with (which of equal cases is "the" tenth is arbitrary)."""
    tenth = scores[truth[-1]]
    found = len(set(mine) & set(truth)) + sum(
        1 for i in mine if i not in truth and scores[i] >= tenth
    )
    return min(found, TOP) / TOP


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def duplicates(
    n: int,
    queries: int,
    block: int = 20,
    *,
    model: bool = True,
    databases: tuple[str, ...] = (),
    lookups: tuple[str, ...] = ("sql", "snapshot"),
) -> None:
    """Part 1 (the in-memory model) when `model`, then part 4 (the app's lookup in each of
    `databases`) on the same cases and probes."""
    print(f"1. duplicates: generating {n:,} texts", flush=True)
    texts, clusters = generate(n + queries)
    indexed, probes = texts[:n], texts[n:]
    started = time.perf_counter()
    keep: dict[str, np.ndarray] | None = {} if databases else None
    index, matrix, vocabulary = build(indexed, keep)
    print(f"  index built in {time.perf_counter() - started:.0f} s", flush=True)
    sizes = index.bucket_sizes()
    print(
        f"  buckets: {len(sizes):,}, largest {sizes.max():,}, over the cap {int((sizes > BUCKET_CAP).sum())}"
    )
    if model:
        _model(probes, index, matrix, vocabulary, block)
    for backend in databases:
        assert keep is not None
        database(backend, probes, indexed, index, matrix, vocabulary, keep["keys"], block, lookups)


def _model(probes: list[str], index: Index, matrix, vocabulary, block: int) -> None:  # type: ignore[no-untyped-def]
    # The main figure: each method on its own in blocks (a block's lookups, then the same
    # queries by brute force), as pyperf-like benches do; the blocks alternate over the whole
    # run, so both methods share the machine's drift.
    blocks = _blocks(probes, index, matrix, vocabulary, block)
    # The worst case: lookup and brute force alternate per query, so every lookup starts with
    # the caches the brute force's 200 MB scan has just evicted (no intake sees that).
    interleaved = _interleaved(probes, index, matrix, vocabulary)
    for name, (fast, slow, _recalls) in (
        (f"blocks of {block} (main figure)", blocks),
        ("interleaved per query (cold caches, worst case)", interleaved),
    ):
        ratio = statistics.median(fast) / statistics.median(slow)
        print(f"  {name}:")
        print(
            f"    index: median {1000 * statistics.median(fast):.3f} ms, p99 {1000 * _p(fast, 0.99):.2f} ms; "
            f"brute force: median {1000 * statistics.median(slow):.1f} ms, p99 {1000 * _p(slow, 0.99):.1f} ms"
        )
        print(f"    time ratio index ÷ brute force: {ratio:.4f} (goal ≤ 0.01)")
    # The same lookups and brute force in both designs: the same recall.
    assert blocks[2] == interleaved[2], "the two designs found different cases"
    print(f"  recall of brute force's top {TOP}: {statistics.mean(blocks[2]):.3f} (goal ≥ 0.95)")


Timings = tuple[list[float], list[float], list[float]]


def _blocks(probes: list[str], index: Index, matrix, vocabulary, block: int) -> Timings:  # type: ignore[no-untyped-def]
    """Each query timed on its own, `block` lookups in a row, then the same queries by brute
    force, block after block: (lookup times, brute force times, recall of each query)."""
    fast, slow, recalls = [], [], []
    for start in range(0, len(probes), block):
        chunk = probes[start : start + block]
        found = []
        for text in chunk:
            t0 = time.perf_counter()
            mine = lookup(text, index, matrix, vocabulary)
            fast.append(time.perf_counter() - t0)
            found.append(mine)
        for text, mine in zip(chunk, found, strict=True):
            t0 = time.perf_counter()
            truth, scores = brute(text, matrix, vocabulary)
            slow.append(time.perf_counter() - t0)
            recalls.append(recall(mine, truth, scores))
    return fast, slow, recalls


def _interleaved(probes: list[str], index: Index, matrix, vocabulary) -> Timings:  # type: ignore[no-untyped-def]
    """Lookup then brute force, query after query: every lookup starts with the caches the
    brute force left."""
    fast, slow, recalls = [], [], []
    for text in probes:
        t0 = time.perf_counter()
        mine = lookup(text, index, matrix, vocabulary)
        t1 = time.perf_counter()
        truth, scores = brute(text, matrix, vocabulary)
        t2 = time.perf_counter()
        fast.append(t1 - t0)
        slow.append(t2 - t1)
        recalls.append(recall(mine, truth, scores))
    return fast, slow, recalls


# 4. The app's own lookup in a database --------------------------------------------------------

LOAD_ROWS = 1_000_000  # rows an executemany (SQLite) or a COPY chunk (PostgreSQL)


def _sqlite_load(path: Path, keys: np.ndarray, n: int) -> dict[str, str]:
    """Every case's bands into insight_caseband (case ids 1..n, rows in case order as the
    catch-up writes them), the key index dropped during the load and made after it; foreign
    keys off (cases_case stays empty). The sizes, as text."""
    con = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "foreign_keys=OFF",
        "cache_size=-1000000",
    ):
        con.execute(f"PRAGMA {pragma}")
    # the index on key (the unique (case_id, key) one is the table's own: it stays, and is
    # written in order since the rows come in case order)
    ((name, index_sql),) = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = 'insight_caseband' AND sql IS NOT NULL"
    ).fetchall()
    con.execute(f'DROP INDEX "{name}"')
    started = time.perf_counter()
    con.execute("BEGIN")
    per = max(1, LOAD_ROWS // BANDS)
    for first in range(0, n, per):
        last = min(n, first + per)
        rows = zip(
            range(first * BANDS + 1, last * BANDS + 1),
            np.repeat(np.arange(first + 1, last + 1), BANDS).tolist(),
            keys[first * BANDS : last * BANDS].tolist(),
            strict=True,
        )
        con.executemany('INSERT INTO insight_caseband (id, case_id, "key") VALUES (?, ?, ?)', rows)
        if (last // per) % 20 == 0 or last == n:
            print(f"    {last * BANDS:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
    con.execute("COMMIT")
    loaded = time.perf_counter() - started
    table = path.stat().st_size
    started = time.perf_counter()
    con.execute(index_sql)
    indexed = time.perf_counter() - started
    con.execute("PRAGMA journal_mode=WAL")  # as the app opens it
    con.close()
    total = path.stat().st_size
    print(
        f"  loaded {n * BANDS:,} rows in {loaded:.0f} s, the key index made in {indexed:.0f} s; "
        f"file {total / 1e9:.2f} GB (table with its unique (case_id, key) index "
        f"{table / 1e9:.2f} GB, the key index {(total - table) / 1e9:.2f} GB)",
        flush=True,
    )
    return {"load": f"{loaded:.0f} s", "index": f"{indexed:.0f} s", "size": f"{total / 1e9:.2f} GB"}


def _pg_load(url: str, keys: np.ndarray, n: int) -> None:
    """The same rows by binary COPY; the foreign key, the key index and the unique (case_id,
    key) constraint dropped before and made again after (the foreign key not: cases_case stays
    empty), then VACUUM ANALYZE as `wenmin seed` does after its bulk inserts."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        fk = con.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'insight_caseband'::regclass"
            " AND contype = 'f'"
        ).fetchall()
        for (name,) in fk:
            con.execute(f'ALTER TABLE insight_caseband DROP CONSTRAINT "{name}"')
        once = con.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'insight_caseband'::regclass AND contype = 'u'"
        ).fetchall()
        for name, _definition in once:
            con.execute(f'ALTER TABLE insight_caseband DROP CONSTRAINT "{name}"')
        plain = con.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'insight_caseband'"
            " AND indexname NOT LIKE '%pkey'"
        ).fetchall()
        for name, _definition in plain:
            con.execute(f'DROP INDEX "{name}"')
        row = np.dtype(
            [("fields", ">i2"), ("l1", ">i4"), ("id", ">i8"), ("l2", ">i4"), ("case", ">i8")]
            + [("l3", ">i4"), ("key", ">i8")]
        )
        started = time.perf_counter()
        with (
            con.transaction(),
            con.cursor() as cursor,
            cursor.copy(
                "COPY insight_caseband (id, case_id, key) FROM STDIN (FORMAT BINARY)"
            ) as copy,
        ):
            copy.write(b"PGCOPY\n\xff\r\n\x00" + bytes(8))
            per = max(1, LOAD_ROWS // BANDS)
            for first in range(0, n, per):
                last = min(n, first + per)
                chunk = np.empty((last - first) * BANDS, dtype=row)
                chunk["fields"], chunk["l1"], chunk["l2"], chunk["l3"] = 3, 8, 8, 8
                chunk["id"] = np.arange(first * BANDS + 1, last * BANDS + 1)
                chunk["case"] = np.repeat(np.arange(first + 1, last + 1), BANDS)
                chunk["key"] = keys[first * BANDS : last * BANDS]
                copy.write(chunk.tobytes())
                if (last // per) % 20 == 0 or last == n:
                    print(
                        f"    {last * BANDS:,} rows, {time.perf_counter() - started:.0f} s",
                        flush=True,
                    )
            copy.write(b"\xff\xff")
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("SET maintenance_work_mem = '1GB'")
        for name, definition in once:
            con.execute(f'ALTER TABLE insight_caseband ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in plain:
            con.execute(definition)
        con.execute(
            "SELECT setval(pg_get_serial_sequence('insight_caseband', 'id'), %s)", [n * BANDS]
        )
        indexed = time.perf_counter() - started
        started = time.perf_counter()
        con.execute("VACUUM ANALYZE insight_caseband")
        vacuumed = time.perf_counter() - started
        sizes = con.execute(
            "SELECT pg_relation_size('insight_caseband'), pg_indexes_size('insight_caseband')"
        ).fetchone()
        assert sizes is not None
        print(
            f"  loaded {n * BANDS:,} rows in {loaded:.0f} s (COPY), indexes made in {indexed:.0f} s, "
            f"VACUUM ANALYZE {vacuumed:.0f} s; table {sizes[0] / 1e9:.2f} GB, "
            f"indexes {sizes[1] / 1e9:.2f} GB",
            flush=True,
        )


class Lookups:
    """The app's duplicates.candidate_ids in this process, inside Django on the bench's database
    (a child forked for it, the environment's WENMIN_DATA_DIR / DATABASE_URL): asked as part 1
    asks its model, in the process that also runs the brute force."""

    def __init__(self) -> None:
        import django

        django.setup()

    def ask(self, **ask: object) -> dict:  # type: ignore[type-arg]
        """{"keys": [...]}: candidate_ids of those keys and its time; {"small": [...]}: the time
        of its former inner grouped query alone; {"explain": [...]}: its SQL and plan."""
        from django.db import connection
        from django.db.models import Count
        from django.test.utils import CaptureQueriesContext

        from wenmin.insight.duplicates import candidate_ids
        from wenmin.insight.models import CaseBand

        if "keys" in ask:
            t0 = time.perf_counter()
            ids = candidate_ids(ask["keys"])  # type: ignore[arg-type]
            return {"ids": ids, "seconds": time.perf_counter() - t0}
        if "small" in ask:
            t0 = time.perf_counter()
            small = list(
                CaseBand.objects.filter(key__in=ask["small"])  # type: ignore[misc]
                .values("key")
                .annotate(n=Count("id"))
                .filter(n__lte=BUCKET_CAP)
                .values_list("key", flat=True)
            )
            return {"small": len(small), "seconds": time.perf_counter() - t0}
        with CaptureQueriesContext(connection) as done:
            candidate_ids(ask["explain"])  # type: ignore[arg-type]
        if not done.captured_queries:
            return {"sql": "", "plan": ["no query: the snapshot in memory"]}
        sql = done.captured_queries[-1]["sql"]
        explain = (
            "EXPLAIN QUERY PLAN "
            if connection.vendor == "sqlite"
            else "EXPLAIN (ANALYZE, BUFFERS) "
        )
        with connection.cursor() as cursor:
            cursor.execute(explain + sql)
            plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
        return {"sql": sql, "plan": plan}


def app_lookup(  # type: ignore[no-untyped-def]
    text: str, lookups: Lookups, index: Index, vocabulary
) -> tuple[list[int], float, float]:
    """(the top 10 case indexes, the lookup's time, the query's time alone): the app's band keys
    of the text (feature_keys), candidate_ids in its process (the database's queries, or the
    snapshot in memory), then the candidates ranked by exact Jaccard as similar_to does, with
    part 1's `ranked` on the bench's rows of pairs (similar_to reads the cases' texts instead:
    not counted, in either part)."""
    t0 = time.perf_counter()
    items = features(text)
    keys = feature_keys(items)
    answer = lookups.ask(keys=keys)
    cases = np.array(answer["ids"], dtype=np.int64) - 1  # case id = case index + 1
    # best first from candidate_ids; the model's candidates come worst first (ties: the later)
    top = ranked(cases[::-1].copy(), items, index, vocabulary) if len(cases) else []
    t3 = time.perf_counter()
    return top, t3 - t0, answer["seconds"]


def database(  # type: ignore[no-untyped-def]
    backend: str,
    probes: list[str],
    indexed: list[str],
    index: Index,
    matrix,
    vocabulary,
    keys: np.ndarray,
    block: int,
    lookups: tuple[str, ...],
) -> None:
    n = matrix.shape[0]
    print(f"4. the app's lookup in {backend}: {n:,} cases' bands loaded", flush=True)
    data_dir = tempfile.mkdtemp(prefix="insight-db-bench-")
    env = {**os.environ, "WENMIN_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "wenmin.settings"}
    env.pop("DATABASE_URL", None)
    try:
        with (
            throwaway_postgres("wenmin_insight_db_bench")
            if backend == "postgresql"
            else _nothing() as url
        ):
            if backend == "postgresql":
                if url is None:
                    return
                env["DATABASE_URL"] = url
                env["WENMIN_DB_POOL"] = "0"  # one connection, kept (the bench's own process)
            started = time.perf_counter()
            _wenmin(env, "migrate", "--no-input", "--skip-checks")
            print(f"  migrated in {time.perf_counter() - started:.0f} s", flush=True)
            where = url if backend == "postgresql" else str(Path(data_dir) / "wenmin.sqlite3")
            if backend == "sqlite":
                _sqlite_load(Path(where), keys, n)
            else:
                _pg_load(where, keys, n)
            print(f"  disk: {shutil.disk_usage(data_dir).free / 1e9:.0f} GB free", flush=True)
            if "sql" in lookups:
                _measure_database(
                    env, probes, indexed, index, matrix, vocabulary, block, "the SQL lookup"
                )
            if "snapshot" in lookups:
                _snapshot(env, data_dir)
                _measure_database(
                    env,
                    probes,
                    indexed,
                    index,
                    matrix,
                    vocabulary,
                    block,
                    "the snapshot in memory (insight/snapshot.py)",
                )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


_PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stdout.write(done.stdout + done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)


def _snapshot(env: dict[str, str], data_dir: str) -> None:
    """`wenmin insight snapshot`, as the worker makes it: its time, its peak memory (measured by
    a parent of its own, which runs nothing else) and the files' size."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603  (our own command)
        [
            sys.executable,
            "-c",
            _PEAK,
            sys.executable,
            "-m",
            "wenmin.cli",
            "insight",
            "snapshot",
            "--no-progress",
        ],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"wenmin insight snapshot failed:\n{done.stdout}")
    *lines, peak = done.stdout.strip().splitlines()
    said = [line for line in lines if line.startswith("snapshot ")]
    folder = Path(data_dir) / "insight-bands"
    size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    print(
        f"  `wenmin insight snapshot`: {seconds:.0f} s, peak memory {int(peak) / 1024:.0f} MB, "
        f"files {size / 1e6:,.0f} MB ({' '.join(said)})",
        flush=True,
    )


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def _measure_database(  # type: ignore[no-untyped-def]
    env: dict[str, str],
    probes: list[str],
    indexed: list[str],
    index: Index,
    matrix,
    vocabulary,
    block: int,
    name: str,
) -> None:
    print(f"  {name}:", flush=True)
    # In a child of its own (Django set up on this database; the index, matrix and vocabulary
    # shared with the parent), lookups and brute force in one process, as part 1 runs them.
    sys.stdout.flush()
    child = os.fork()
    if child:
        _pid, status = os.waitpid(child, 0)
        if status:
            raise SystemExit(f"the measuring process ended with status {status}")
        return
    try:
        os.environ.update(env)
        lookups = Lookups()
        _measure(lookups, probes, indexed, index, matrix, vocabulary, block)
        sys.stdout.flush()
    except BaseException:
        import traceback

        traceback.print_exc()
        sys.stdout.flush()
        os._exit(1)
    os._exit(0)


def _measure(  # type: ignore[no-untyped-def]
    lookups: Lookups,
    probes: list[str],
    indexed: list[str],
    index: Index,
    matrix,
    vocabulary,
    block: int,
) -> None:
    # a first lookup opens the connection (an indexed case's text: not a probe)
    lookups.ask(keys=feature_keys(features(indexed[0])))
    fast, alone, slow, recalls, tops = [], [], [], [], []
    for start in range(0, len(probes), block):
        chunk = probes[start : start + block]
        for text in chunk:
            top, spent, query = app_lookup(text, lookups, index, vocabulary)
            fast.append(spent)
            alone.append(query)
            tops.append(top)
        for text, top in zip(chunk, tops[start:], strict=False):
            t0 = time.perf_counter()
            truth, scores = brute(text, matrix, vocabulary)
            slow.append(time.perf_counter() - t0)
            recalls.append(recall(top, truth, scores))
    ratio = statistics.median(fast) / statistics.median(slow)
    print(
        f"    the app's lookup (features, keys, candidate_ids, exact Jaccard): median "
        f"{1000 * statistics.median(fast):.2f} ms, p99 {1000 * _p(fast, 0.99):.1f} ms; "
        f"candidate_ids' query alone: median {1000 * statistics.median(alone):.2f} ms, "
        f"p99 {1000 * _p(alone, 0.99):.1f} ms",
    )
    print(
        f"    brute force: median {1000 * statistics.median(slow):.1f} ms, "
        f"p99 {1000 * _p(slow, 0.99):.1f} ms"
    )
    print(f"    time ratio the app's lookup ÷ brute force: {ratio:.4f} (goal ≤ 0.01)")
    print(f"    recall of brute force's top {TOP}: {statistics.mean(recalls):.3f} (goal ≥ 0.95)")
    same = sum(
        1
        for text, top in zip(probes, tops, strict=True)
        if set(top) == set(lookup(text, index, matrix, vocabulary))
    )
    print(
        f"    the same top {TOP} as the in-memory model (part 1; equal scores may be broken differently): {same} of {len(probes)} queries"
    )
    # What the query reads: the inner query counts every row of the probe's buckets; the
    # outer one reads the case of each row in the buckets of at most BUCKET_CAP.
    counted, fetched = [], []
    size_mask = (1 << Index.SIZE_BITS) - 1
    for text in probes:
        sizes = [w & size_mask for w in index.buckets(feature_keys_array(features(text)))]
        counted.append(sum(sizes))
        fetched.append(sum(s for s in sizes if s <= BUCKET_CAP))
    small = [lookups.ask(small=feature_keys(features(text)))["seconds"] for text in probes]
    print(
        f"    rows a query reads: its buckets' rows counted median {statistics.median(counted):,.0f} "
        f"(p99 {_p(counted, 0.99):,.0f}), their cases read median "
        f"{statistics.median(fetched):,.0f} (p99 {_p(fetched, 0.99):,.0f}); the inner grouped "
        f"query alone (the buckets' counts): median {1000 * statistics.median(small):.2f} ms, "
        f"p99 {1000 * _p(small, 0.99):.1f} ms"
    )
    slowest = int(np.argmax(alone))
    for label, k in (
        ("median query", int(np.argsort(alone)[len(alone) // 2])),
        ("slowest", slowest),
    ):
        plan = lookups.ask(explain=feature_keys(features(probes[k])))
        print(f"    plan ({label}, probe {k}, {1000 * alone[k]:.1f} ms):")
        for line in plan["plan"]:
            print(f"      {line if len(line) < 160 else line[:150] + ' …'}")
    print(f"    SQL: {plan['sql'][:300]} … {plan['sql'][-260:]}", flush=True)


def intake(data_dir: str, intakes: int = 1000) -> None:
    print("2. intake with and without insight's hooks", flush=True)
    work = tempfile.mkdtemp(prefix="insight-bench-")
    for name in os.listdir(data_dir):
        path = Path(data_dir) / name
        if path.is_file():
            shutil.copy(path, work)
    os.environ["WENMIN_DATA_DIR"] = work
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenmin.settings")
    import django

    django.setup()
    from wenmin.cases.models import Case
    from wenmin.cases.services import events
    from wenmin.cases.services.intake import case_intake
    from wenmin.insight.models import CaseBand
    from wenmin.insight.services import cases_index_missing, suggestion_for_case
    from wenmin.insight.services.suggestions import suggestion_verdict
    from wenmin.organisation.models import Region

    region = Region.objects.filter(level="village").order_by("id").first()
    cases_index_missing()  # the worker has caught up before the intakes start
    indexed = CaseBand.objects.values("case_id").distinct().count()
    print(f"  {Case.objects.count():,} cases, {indexed:,} indexed", flush=True)
    texts, _ = generate(intakes * 2, seed=11)
    times: dict[str, list[float]] = {"with": [], "without": []}
    made: list[int] = []
    # One intake with, one without, in turn: the machine's load drifts less between neighbours.
    # With: everything insight hooks into intake (the verdict hook, in the intake's transaction,
    # which does nothing at intake); the index is the worker's (timed below, off intake's path).
    for k in range(intakes * 2):
        name = ("with", "without")[k % 2]
        while suggestion_verdict in events.AFTER_EVENT:
            events.AFTER_EVENT.remove(suggestion_verdict)
        if name == "with":
            events.AFTER_EVENT.append(suggestion_verdict)
        t0 = time.perf_counter()
        case = case_intake(channel="phone", content=texts[k], region=region)
        times[name].append(time.perf_counter() - t0)
        made.append(case.pk)
    for name, values in times.items():
        print(
            f"  {name:8} p50 {1000 * statistics.median(values):.1f} ms  p99 {1000 * _p(values, 0.99):.1f} ms"
        )
    ratio = _p(times["with"], 0.99) / _p(times["without"], 0.99)
    median = statistics.median(times["with"]) / statistics.median(times["without"])
    print(f"  with ÷ without: p99 {ratio:.3f}, median {median:.3f} (goal ≤ 1.10)")
    lazy = []
    # Before the worker's tick: the new cases are compared directly (duplicates.unindexed_ids).
    for case in Case.objects.filter(pk__in=made[:100]):
        t0 = time.perf_counter()
        suggestion_for_case(case=case)
        lazy.append(time.perf_counter() - t0)
    print(
        f"  the suggestion, computed on first view (not at intake): p50 "
        f"{1000 * statistics.median(lazy):.1f} ms, p99 {1000 * _p(lazy, 0.99):.1f} ms"
    )
    t0 = time.perf_counter()
    caught_up = cases_index_missing()
    spent = time.perf_counter() - t0
    print(
        f"  the worker's catch-up, off the intake's path: {caught_up} cases indexed in "
        f"{1000 * spent:.0f} ms ({1000 * spent / max(caught_up, 1):.2f} ms a case)"
    )
    shutil.rmtree(work, ignore_errors=True)


def training(n: int) -> None:
    from wenmin.insight.learn import Example, train

    print(f"3. training on a city's year: {n:,} closed cases", flush=True)
    texts, clusters = generate(n, seed=13)
    rng = random.Random(5)
    kinds = ["help", "complaint", "consult", "report", "suggestion"]
    examples = []
    for text, _c in zip(texts, clusters, strict=True):
        topic = next(i for i, t in enumerate(TOPICS) if any(w in text for w in t[2]))
        place = f"T{rng.randrange(110)}"
        examples.append(Example(text, rng.choice(kinds), TOPICS[topic][0], TOPICS[topic][1], place))
    t0 = time.perf_counter()
    model = train(examples)
    print(f"  trained in {time.perf_counter() - t0:.1f} s; model {len(model.dumps()) / 1e6:.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--block", type=int, default=20, help="queries a block in the main (block) design"
    )
    parser.add_argument("--data-dir", default="")
    parser.add_argument(
        "--intakes",
        type=int,
        default=1000,
        help="intakes with insight's hooks (and as many without)",
    )
    parser.add_argument("--city-year", type=int, default=60_000)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: 1,2,3")
    parser.add_argument(
        "--database",
        default="",
        help="part 4, the app's lookup in a database: sqlite, postgresql or sqlite,postgresql",
    )
    parser.add_argument(
        "--lookups",
        default="sql,snapshot",
        help="part 4's lookups: sql (the database's queries), snapshot (insight/snapshot.py), both",
    )
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    databases = tuple(b for b in args.database.split(",") if b)
    if set(databases) - {"sqlite", "postgresql"}:
        parser.error("--database: sqlite, postgresql or both")
    if "1" not in skip or databases:
        duplicates(
            args.cases,
            args.queries,
            args.block,
            model="1" not in skip,
            databases=databases,
            lookups=tuple(x for x in args.lookups.split(",") if x),
        )
    if "2" not in skip and args.data_dir:
        intake(args.data_dir, args.intakes)
    if "3" not in skip:
        training(args.city_year)


if __name__ == "__main__":
    main()
