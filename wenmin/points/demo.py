"""The demo county's points: the county's rules for last year and this year (this year's give
more for volunteering and count cases handled), and a few bonuses and penalties decided by
branches, the demo secretary's branch among them. Bulk-inserted, as every app's demo data."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.core.models import User
from wenmin.core.roles import Role
from wenmin.organisation.models import PartyMember
from wenmin.points.models import STAR_FIELDS, Adjustment, PointsRule, PointsYear

D = Decimal
# (label, source, counter, less counter, per, points, cap) for each year's rules.
RULES_LAST_YEAR = [
    ("参加支部会议", "branchlife", "attended", "", D(1), D(2), None),
    ("无故缺席支部会议", "branchlife", "expected", "attended", D(1), D(-2), D(20)),
    ("志愿服务时长", "volunteers", "hours", "", D(1), D("0.5"), D(20)),
    ("实事好事", "deeds", "deeds", "", D(1), D(3), None),
]
RULES_THIS_YEAR = [
    *RULES_LAST_YEAR[:2],
    ("志愿服务时长", "volunteers", "hours", "", D(1), D(1), D(30)),
    RULES_LAST_YEAR[3],
    ("办理群众诉求", "cases", "handled", "", D(1), D(1), D(10)),
]
STARS = (D(60), D(70), D(80), D(90), D(100))
BONUSES = [
    (D(5), "防汛抢险中带头值守三昼夜"),
    (D(3), "带领群众销售农产品，成效明显"),
    (D(2), "主动调解邻里纠纷"),
]
PENALTIES = [
    (D(-3), "无故不参加主题党日活动两次，经支委会研究扣分"),
    (D(-5), "未按时交纳党费，经提醒仍未补交"),
]


def _year(year: int, rules: list[Any]) -> PointsYear:
    found, _created = PointsYear.objects.get_or_create(
        year=year, defaults={"base": D(60), **dict(zip(STAR_FIELDS, STARS, strict=True))}
    )
    if not found.rules.exists():
        PointsRule.objects.bulk_create(
            PointsRule(
                year=found, label=label, source=source, counter=counter, less_counter=less,
                per=per, points=points, cap=cap, order=n,
            )
            for n, (label, source, counter, less, per, points, cap) in enumerate(rules, start=1)
        )  # fmt: skip
    return found


def demo_points(*, seed: int, now: dt.datetime) -> list[str]:
    """The rules of last year and this year and about 60 bonuses and penalties."""
    today = timezone.localdate(now)
    _year(today.year - 1, RULES_LAST_YEAR)
    _year(today.year, RULES_THIS_YEAR)
    if Adjustment.objects.exists():
        return [_("Points: already there, left as they were.")]
    rng = random.Random(seed * 7919 + 16)  # noqa: S311  (demo data, not secrets)
    secretary = User.objects.filter(username="secretary", role=Role.BRANCH_SECRETARY).first()
    members = list(PartyMember.objects.order_by("id").values_list("person_id", "branch_id"))
    if not members:
        return []
    own = [m for m in members if secretary is not None and m[1] == secretary.unit_id]
    chosen = own[:4] + rng.sample(members, min(56, len(members)))
    rows = []
    for n, (person_id, branch_id) in enumerate(chosen):
        points, reason = rng.choice(PENALTIES if n % 4 == 3 else BONUSES)
        year = today.year if n % 3 else today.year - 1
        start = dt.date(year, 1, 1)
        last = today if year == today.year else dt.date(year, 12, 31)
        day = start + dt.timedelta(days=rng.randrange(max(1, (last - start).days + 1)))
        rows.append(
            Adjustment(
                person_id=person_id,
                day=day,
                points=points,
                reason=reason,
                decided_by="支部委员会",
                recorded_by=secretary if (person_id, branch_id) in own else None,
                recorded_at=now,
            )
        )
    Adjustment.objects.bulk_create(rows)
    return [
        _("Points: the rules of %(last)s and %(this)s, %(n)s bonuses and penalties.")
        % {"last": today.year - 1, "this": today.year, "n": len(rows)}
    ]


def points_stats() -> dict[str, Any]:
    """The figures `wenmin stats --json` reports under "points"."""
    years = dict(
        PointsYear.objects.annotate(n=Count("rules")).values_list("year", "n").order_by("year")
    )
    return {
        "years": {str(year): rules for year, rules in years.items()},
        "adjustments": Adjustment.objects.filter(withdrawn_at__isnull=True).count(),
    }
