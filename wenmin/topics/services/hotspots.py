"""`hotspots_detect`: find clusters and spikes of similar cases, store them, tell the supervisors."""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, Category
from wenmin.cases.services.steps import supervising_unit
from wenmin.cases.workflow import State
from wenmin.core import text_zh
from wenmin.core.audit import audit_record
from wenmin.core.geo import distance_km
from wenmin.core.models import AuditEvent, User
from wenmin.core.notify import Notification, notify
from wenmin.core.roles import Role
from wenmin.organisation.models import Region, RegionLevel
from wenmin.topics import rules
from wenmin.topics.models import Hotspot, HotspotKind

logger = logging.getLogger("wenmin.topics")
DETECT_ACTION = "topics.hotspots_detect"
_SIX = Decimal("0.000001")


@dataclass
class DetectReport:
    spikes: int = 0
    clusters: int = 0
    notified: int = 0
    period_end: dt.datetime | None = None
    labels: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "spikes": self.spikes,
            "clusters": self.clusters,
            "notified": self.notified,
            "period_end": self.period_end.isoformat() if self.period_end else None,
        }


@dataclass
class _Row:
    id: int
    category_id: int
    township_id: int | None
    village_id: int | None
    received_at: dt.datetime
    text: str
    point: tuple[float, float] | None


def period_end_for(now: dt.datetime) -> dt.datetime:
    """The end of the periods detected at `now`: the coming local midnight (today included)."""
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time()), local.tzinfo)


def _villages() -> dict[int, tuple[int | None, int | None]]:
    """Region id → (its village's id, its township's id)."""
    rows = Region.objects.values_list("id", "level", "parent_id", "township_id")
    out: dict[int, tuple[int | None, int | None]] = {}
    for pk, level, parent_id, township_id in rows:
        village = (
            pk
            if level == RegionLevel.VILLAGE
            else (parent_id if level == RegionLevel.GROUP else None)
        )
        out[pk] = (village, township_id)
    return out


def _rows(start: dt.datetime, end: dt.datetime, *, texts: bool) -> list[_Row]:
    places = _villages()
    fields = ["id", "category_id", "region_id", "received_at", "latitude", "longitude"]
    if texts:
        fields += ["title", "content"]
    cases = (
        Case.objects.filter(received_at__gte=start, received_at__lt=end, category__isnull=False)
        .exclude(state=State.REJECTED)
        .order_by("received_at", "id")
        .values(*fields)
    )
    out = []
    for c in cases.iterator(chunk_size=2000):
        village, township = places.get(c["region_id"], (None, None))
        point = (
            (float(c["latitude"]), float(c["longitude"]))
            if c["latitude"] is not None and c["longitude"] is not None
            else None
        )
        text = f"{c['title']} {c['content']}" if texts else ""
        out.append(
            _Row(c["id"], c["category_id"], township, village, c["received_at"], text, point)
        )
    return out


def _centre(rows: list[_Row]) -> tuple[Decimal | None, Decimal | None]:
    points = [r.point for r in rows if r.point is not None]
    if not points:
        return None, None
    lat = sum(p[0] for p in points) / len(points)
    lng = sum(p[1] for p in points) / len(points)
    return Decimal(lat).quantize(_SIX), Decimal(lng).quantize(_SIX)


def _names() -> tuple[dict[int, str], dict[int, str]]:
    categories = dict(Category.objects.values_list("id", "name"))
    townships = dict(Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("id", "name"))
    return categories, townships


def find_spikes(end: dt.datetime, *, days: int = rules.SPIKE_DAYS) -> list[dict[str, Any]]:
    """The (category, township) pairs whose last `days` are a spike (rules.spike_test)."""
    span = dt.timedelta(days=days)
    start = end - span
    window_start = start - rules.BASELINE_PERIODS * span
    counts: dict[tuple[int, int | None], Counter[int]] = defaultdict(Counter)
    members: dict[tuple[int, int | None], list[_Row]] = defaultdict(list)
    for row in _rows(window_start, end, texts=False):
        index = int((end - row.received_at) / span)  # 0: the period itself
        key = (row.category_id, row.township_id)
        counts[key][index] += 1
        if index == 0:
            members[key].append(row)
    found = []
    for key, rows in members.items():
        if key[1] is None:
            continue  # no place: a county-wide rise is not a township's hotspot
        previous = [counts[key][i] for i in range(1, rules.BASELINE_PERIODS + 1)]
        spike = rules.spike_test(len(rows), previous)
        if spike is not None:
            found.append({"key": key, "rows": rows, "spike": spike, "start": start})
    return found


def _similar_pairs(rows: list[_Row]) -> list[tuple[int, int]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [r.text for r in rows]
    try:
        matrix = TfidfVectorizer(analyzer=text_zh.analyzer).fit_transform(texts)
    except ValueError:  # no word at all in any text
        return []
    similar = cosine_similarity(matrix)
    pairs = []
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            if similar[i, j] < rules.CLUSTER_SIMILARITY:
                continue
            a, b = rows[i], rows[j]
            # Both located: by distance; otherwise the township they share (the group) is the place.
            if (
                a.point is None
                or b.point is None
                or distance_km(a.point, b.point) <= rules.CLUSTER_KM
            ):
                pairs.append((i, j))
    return pairs


def _top_words(rows: list[_Row], place: str, limit: int = 5) -> list[str]:
    """The words most of the cases share, but the place's own name (it says nothing new)."""
    counter: Counter[str] = Counter()
    for row in rows:
        counter.update(w for w in set(text_zh.analyzer(row.text)) if w not in place)
    return [w for w, n in counter.most_common(limit) if n > 1]


def find_clusters(end: dt.datetime, *, days: int = rules.CLUSTER_DAYS) -> list[dict[str, Any]]:
    """Groups of at least CLUSTER_MIN alike, near cases of one category and township."""
    start = end - dt.timedelta(days=days)
    groups: dict[tuple[int, int | None], list[_Row]] = defaultdict(list)
    for row in _rows(start, end, texts=True):
        groups[(row.category_id, row.township_id)].append(row)
    found = []
    for key, rows in groups.items():
        if key[1] is None or len(rows) < rules.CLUSTER_MIN:
            continue
        union = rules.UnionFind(len(rows))
        for i, j in _similar_pairs(rows):
            union.union(i, j)
        for group in union.groups():
            if len(group) >= rules.CLUSTER_MIN:
                members = [rows[i] for i in group]
                found.append({"key": key, "rows": members, "start": start})
    return found


def _recipients() -> list[User]:
    unit = supervising_unit()
    users = User.objects.filter(is_active=True)
    users = users.filter(unit=unit) if unit is not None else users.filter(role=Role.COUNTY_LEADER)
    return list(users.order_by("pk"))


def _notify(hotspot_ids: list[int]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        recipients = _recipients()
        for hotspot in Hotspot.objects.filter(pk__in=hotspot_ids).order_by("pk"):
            link = settings.WENMIN_SITE_URL + reverse("topics:hotspot", args=[hotspot.pk])
            subject = _("Hotspot: %(label)s") % {"label": hotspot.label}
            text = _("%(count)s cases from %(start)s to %(end)s: %(label)s. %(link)s") % {
                "count": hotspot.case_count,
                "start": timezone.localtime(hotspot.period_start).date().isoformat(),
                "end": (
                    timezone.localtime(hotspot.period_end).date() - dt.timedelta(days=1)
                ).isoformat(),
                "label": hotspot.label,
                "link": link,
            }
            for user in recipients:
                notify(Notification(subject=subject, text=text, user=user, link=link))


def _already_told(kind: str, key: tuple[int, int | None], end: dt.datetime, days: int) -> bool:
    return Hotspot.objects.filter(
        kind=kind,
        category_id=key[0],
        township_id=key[1],
        notified_at__isnull=False,
        period_end__gt=end - dt.timedelta(days=days),
    ).exists()


def hotspots_detect(
    *, actor: User | None = None, now: dt.datetime | None = None, notify_new: bool = True
) -> DetectReport:
    """Find the spikes of the last week and the clusters of the last month up to `now`, replace
    the hotspots stored for the same period end, and send the new ones to the supervisors."""
    now = now or timezone.now()
    end = period_end_for(now)
    categories, townships = _names()
    spikes = find_spikes(end)
    clusters = find_clusters(end)
    report = DetectReport(period_end=end)
    to_tell: list[int] = []
    with transaction.atomic():
        # A second run for the same period end replaces the first; what was told stays told.
        told = {
            (h.kind, h.category_id, h.township_id): h.notified_at
            for h in Hotspot.objects.filter(period_end=end, notified_at__isnull=False)
        }
        Hotspot.objects.filter(period_end=end).delete()
        found = [(HotspotKind.SPIKE, s) for s in spikes] + [
            (HotspotKind.CLUSTER, c) for c in clusters
        ]
        for kind, item in found:
            category_id, township_id = item["key"]
            rows: list[_Row] = item["rows"]
            place = townships.get(township_id or 0, "")
            words = _top_words(rows, place) if kind == HotspotKind.CLUSTER else []
            label = f"{townships.get(township_id or 0, '')} · {categories.get(category_id, '')}"
            if words:
                label += f" · {'、'.join(words[:3])}"
            latitude, longitude = _centre(rows)
            spike = item.get("spike")
            notified_at = told.get((kind, category_id, township_id))
            hotspot = Hotspot.objects.create(
                kind=kind,
                period_start=item["start"],
                period_end=end,
                category_id=category_id,
                township_id=township_id,
                label=label[:200],
                words=words,
                case_count=len(rows),
                baseline=round(spike.baseline, 2) if spike else 0.0,
                score=round(spike.score, 2) if spike else float(len(rows)),
                latitude=latitude,
                longitude=longitude,
                detected_at=now,
                notified_at=notified_at,
            )
            hotspot.cases.set([r.id for r in rows])
            if kind == HotspotKind.SPIKE:
                report.spikes += 1
            else:
                report.clusters += 1
            report.labels.append(label)
            days = rules.SPIKE_DAYS if kind == HotspotKind.SPIKE else rules.CLUSTER_DAYS
            if (
                notify_new
                and notified_at is None
                and not _already_told(kind, (category_id, township_id), end, days)
            ):
                hotspot.notified_at = now
                hotspot.save(update_fields=["notified_at"])
                to_tell.append(hotspot.pk)
        report.notified = len(to_tell)
        audit_record(actor=actor, action=DETECT_ACTION, changes=report.as_dict())
        if to_tell:
            transaction.on_commit(lambda: _notify(to_tell))
    return report


def last_detection_at() -> dt.datetime | None:
    """When hotspots were last detected (from the audit log: several workers agree)."""
    return (
        AuditEvent.objects.filter(action=DETECT_ACTION)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def hotspots_detect_if_due() -> DetectReport | None:
    """The worker's job: detect when WENMIN_TOPICS_DETECT_HOURS have passed since the last run."""
    last = last_detection_at()
    every = dt.timedelta(hours=int(getattr(settings, "WENMIN_TOPICS_DETECT_HOURS", 6)))
    if last is not None and timezone.now() - last < every:
        return None
    return hotspots_detect()
