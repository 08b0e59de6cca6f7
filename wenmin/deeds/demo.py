"""The demo county's practical deeds: about 2,000 over the past year, done by village branches,
party members, volunteer teams and cadres, for households and groups; the survey needs solved on
the spot recorded as deeds; most confirmed by the village or the resident. County by county in
batches (flat memory at --scale city)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.deeds.models import (
    BeneficiaryKind,
    ConfirmerKind,
    Deed,
    DeedState,
    DoerKind,
    SourceKind,
)
from wenmin.households.models import Household
from wenmin.organisation.models import Cadre, PartyMember, Region, RegionLevel, Unit, UnitKind
from wenmin.surveys.models import Need, NeedState, Resolution

DEEDS_PER_COUNTY = 2000
BATCH = 1000
TITLES = [
    "帮助独居老人打扫卫生、清理房前屋后",
    "为留守老人代购生活用品和药品",
    "陪同行动不便的老人到卫生院复查",
    "帮助修缮漏雨屋顶",
    "更换老化电线，消除用电隐患",
    "帮助困难户抢收晚稻",
    "为留守儿童辅导功课",
    "协助办理医保缴费和低保年审",
    "疏通村组排水沟",
    "修复村口路灯",
    "帮助农户联系销售农产品",
    "为独居老人安装烟雾报警器",
    "组织义诊，为老人测量血压血糖",
    "清理村道塌方土石",
    "帮助困难家庭申请助学金",
    "为五保户送去过冬棉被",
]
GROUPS = [
    "本村留守老人%(n)s人",
    "第%(g)s村民小组群众%(n)s户",
    "村小留守儿童%(n)s名",
    "本村困难群众%(n)s户",
    "沿线农户%(n)s户",
]
DOER_WEIGHTS = [(DoerKind.BRANCH, 4), (DoerKind.MEMBER, 3), (DoerKind.TEAM, 2), (DoerKind.CADRE, 1)]


def _day(rng: random.Random, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=int(rng.triangular(0, 364, 60)))


def _confirm(rng: random.Random, deed: Deed, today: dt.date, now: dt.datetime) -> None:
    age = (today - deed.done_on).days
    if rng.random() > (0.9 if age > 14 else 0.4):
        return
    deed.state = DeedState.CONFIRMED
    resident = deed.household_id is not None and rng.random() < 0.3
    deed.confirmer_kind = ConfirmerKind.RESIDENT if resident else ConfirmerKind.VILLAGE
    when = timezone.make_aware(
        dt.datetime.combine(deed.done_on + dt.timedelta(days=rng.randrange(1, 8)), dt.time(16))
    )
    deed.confirmed_at = min(when, now)


class _County:
    """What one county's deeds are drawn from (ids only)."""

    def __init__(self, county: Region) -> None:
        prefix = county.path
        villages = list(
            Region.objects.filter(path__startswith=prefix, level=RegionLevel.VILLAGE)
            .values_list("id", "township_id")
            .order_by("id")
        )
        self.township_of = dict(villages)
        self.villages = [pk for pk, _t in villages]
        self.branch_of: dict[int, int] = {}
        for pk, region_id in Unit.objects.filter(
            kind=UnitKind.PARTY_BRANCH, region_id__in=self.villages
        ).values_list("id", "region_id"):
            self.branch_of.setdefault(region_id, pk)
        self.members: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for person_id, branch_id, region_id in PartyMember.objects.filter(
            branch__region_id__in=self.villages
        ).values_list("person_id", "branch_id", "branch__region_id"):
            self.members[region_id].append((person_id, branch_id))
        self.teams = list(
            Unit.objects.filter(kind=UnitKind.VOLUNTEER_TEAM, region__path__startswith=prefix)
            .values_list("id", flat=True)
            .order_by("id")
        )
        self.cadres = list(
            Cadre.objects.filter(unit__region__path__startswith=prefix)
            .values_list("person_id", flat=True)
            .order_by("person_id")[:400]
        )
        self.households: dict[int, list[int]] = defaultdict(list)
        for pk, region_id, parent_id, level in Household.objects.filter(
            region__path__startswith=prefix
        ).values_list("id", "region_id", "region__parent_id", "region__level"):
            village = parent_id if level == RegionLevel.GROUP else region_id
            if village is not None:
                self.households[village].append(pk)


def _need_deeds(
    rng: random.Random, county: Region, author: User | None, now: dt.datetime
) -> list[tuple[Deed, int]]:
    """The survey needs solved on the spot, as deeds of the team that visited (and the need)."""
    rows = []
    needs = (
        Need.objects.filter(
            resolution=Resolution.ON_THE_SPOT,
            state=NeedState.RESOLVED,
            deed_ref__isnull=True,
            village__path__startswith=county.path,
        )
        .select_related("kind", "visit", "village")
        .order_by("id")
    )
    for need in needs.iterator(chunk_size=BATCH):
        if need.village_id is None or need.visit.team_id is None:
            continue
        day = timezone.localdate(need.visit.visited_at)
        deed = Deed(
            title=f"{need.kind.name}：{need.text}"[:200],
            done_on=day,
            beneficiary_kind=BeneficiaryKind.HOUSEHOLD
            if need.household_id
            else BeneficiaryKind.GROUP,
            household_id=need.household_id,
            group_text="" if need.household_id else "走访中群众",
            village_id=need.village_id,
            township_id=need.village.township_id if need.village else None,
            doer_kind=DoerKind.TEAM,
            team_id=need.visit.team_id,
            source_kind=SourceKind.SURVEY_NEED,
            source_id=need.pk,
            author=author,
            recorded_at=min(need.visit.visited_at + dt.timedelta(hours=2), now),
        )
        _confirm(rng, deed, timezone.localdate(now), now)
        rows.append((deed, need.pk))
    return [row for row in rows if row[0].village_id is not None and row[0].team_id is not None]


def _direct_deed(
    rng: random.Random, place: _County, today: dt.date, now: dt.datetime
) -> Deed | None:
    village = rng.choice(place.villages)
    kind = rng.choices([k for k, _w in DOER_WEIGHTS], weights=[w for _k, w in DOER_WEIGHTS])[0]
    branch = team = person = None
    if kind == DoerKind.BRANCH:
        branch = place.branch_of.get(village)
    elif kind == DoerKind.MEMBER and place.members.get(village):
        person, branch = rng.choice(place.members[village])
    elif kind == DoerKind.TEAM and place.teams:
        team = rng.choice(place.teams)
    elif kind == DoerKind.CADRE and place.cadres:
        person = rng.choice(place.cadres)
    if branch is None and team is None and person is None:
        branch = place.branch_of.get(village)
        kind = DoerKind.BRANCH
        if branch is None:
            return None
    households = place.households.get(village)
    household = rng.choice(households) if households and rng.random() < 0.65 else None
    day = _day(rng, today)
    deed = Deed(
        title=rng.choice(TITLES),
        done_on=day,
        beneficiary_kind=BeneficiaryKind.HOUSEHOLD if household else BeneficiaryKind.GROUP,
        household_id=household,
        group_text=""
        if household
        else rng.choice(GROUPS) % {"n": rng.randrange(3, 40), "g": rng.randrange(1, 9)},
        village_id=village,
        township_id=place.township_of[village],
        doer_kind=kind,
        branch_id=branch,
        team_id=team,
        person_id=person,
        recorded_at=min(
            timezone.make_aware(
                dt.datetime.combine(day + dt.timedelta(days=rng.randrange(3)), dt.time(18))
            ),
            now,
        ),
    )
    _confirm(rng, deed, today, now)
    return deed


def demo_deeds(*, seed: int, now: dt.datetime) -> list[str]:
    """Write the demo deeds; the line to print."""
    if Deed.objects.exists():
        return [_("Practical deeds: already there, left as they were.")]
    rng = random.Random(seed * 7919 + 12)  # noqa: S311  (demo data, not secrets)
    today = timezone.localdate(now)
    secretary = User.objects.filter(username="secretary").select_related("unit").first()
    written = 0
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
        place = _County(county)
        if not place.villages:
            continue
        from_needs = _need_deeds(rng, county, None, now)
        created = Deed.objects.bulk_create([deed for deed, _n in from_needs], batch_size=BATCH)
        Need.objects.bulk_update(
            [
                Need(pk=need_id, deed_ref=deed.pk)
                for deed, (_d, need_id) in zip(created, from_needs, strict=True)
            ],
            ["deed_ref"],
            batch_size=BATCH,
        )
        batch: list[Deed] = []
        for _i in range(max(DEEDS_PER_COUNTY - len(created), 0)):
            deed = _direct_deed(rng, place, today, now)
            if deed is None:
                continue
            if secretary is not None and deed.branch_id == secretary.unit_id:
                deed.author = secretary
            batch.append(deed)
            if len(batch) >= BATCH:
                Deed.objects.bulk_create(batch)
                written += len(batch)
                batch = []
        Deed.objects.bulk_create(batch)
        written += len(batch) + len(created)
    return [
        _("Practical deeds: %(n)s, %(c)s confirmed.")
        % {"n": written, "c": Deed.objects.filter(state=DeedState.CONFIRMED).count()}
    ]


def deeds_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "deeds"."""
    by_source = dict(
        Deed.objects.values_list("source_kind")
        .annotate(n=Count("id"))
        .values_list("source_kind", "n")
    )
    return {
        "count": Deed.objects.count(),
        "confirmed": Deed.objects.filter(state=DeedState.CONFIRMED).count(),
        "by_source": {kind: by_source.get(kind, 0) for kind in SourceKind.values},
    }
