"""Who goes on the organisation department's lists: the cadres who excelled in the key projects
(先进) and those whose projects fell behind (推进不力). Pure: no database.

The lists are evidence for a decision people take (提拔 or 调整), never the decision: the
criteria are stated once here, with their thresholds, and printed on the page that uses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

EXCELLED, BEHIND = "excelled", "behind"


@dataclass(frozen=True)
class Thresholds:
    """The lines the criteria draw (the margin is the county's, WENMIN_PROJECTS_BEHIND_MARGIN)."""

    margin: Decimal = Decimal(10)  # points behind its plan that make a project "behind"
    behind_share: Decimal = Decimal("0.25")  # of the running key projects, behind: fell behind
    min_projects: int = 1  # key projects patronised or run, to be on either list
    on_time_share: Decimal = Decimal("0.9")  # of the milestones due, on time, to excel
    min_lead: Decimal = Decimal(5)  # points ahead of plan on average (running), to excel …
    min_faster: int = 1  # … or this many tasks finished faster than normal
    late_milestones: int = 2  # milestones late in the year that put a cadre behind …
    late_share: Decimal = Decimal("0.5")  # … when more than this share of those due
    escalations: int = 1  # escalations to the patron (提级督办) that put a cadre behind

    def rules(self) -> dict[str, list[str]]:
        """The criteria in words, as the page shows them."""
        margin = {"n": self.margin}
        return {
            EXCELLED: [
                _("at least %(n)s key project patronised or run;") % {"n": self.min_projects},
                _("none of them behind its plan by more than %(n)s points now;") % margin,
                _("no supervision order or escalation in the year;"),
                _("at least %(share)s%% of the milestones due in the year finished on time;")
                % {"share": int(self.on_time_share * 100)},
                _(
                    "speed: at least %(faster)s task finished faster than normal, a project "
                    "finished in less than its planned time, or the running projects on average "
                    "%(lead)s points or more ahead of plan;"
                )
                % {"faster": self.min_faster, "lead": self.min_lead},
                _("no field inspection rated poor (差) in the year."),
            ],
            BEHIND: [
                _(
                    "more than %(share)s%% of the key projects under construction behind their "
                    "plan by more than %(n)s points now;"
                )
                % {**margin, "share": int(self.behind_share * 100)},
                _(
                    "or %(n)s or more milestones late in the year, more than %(share)s%% of those due;"
                )
                % {"n": self.late_milestones, "share": int(self.late_share * 100)},
                _("or %(n)s or more escalations to the patron (提级督办) in the year;")
                % {"n": self.escalations},
                _("or a field inspection rated poor (差) in the year."),
            ],
        }


@dataclass(frozen=True)
class Facts:
    """What is known of one cadre's key projects and inspections over a year."""

    projects: int = 0
    running: int = 0  # projects under construction
    behind: int = 0  # running projects behind their plan now
    on_time: int = 0  # milestones due in the year, finished by their day
    late: int = 0  # milestones due in the year, finished after it or still open
    faster: int = 0  # tasks finished in the year faster than their normal duration
    finished_early: int = 0  # projects finished in less than their planned time
    mean_lead: Decimal | None = None  # points ahead of plan, on average, of the running ones
    orders: int = 0  # supervision orders (督办) in the year
    escalations: int = 0  # escalations to the patron (提级督办) in the year
    poor: int = 0  # field inspections rated poor in the year


@dataclass(frozen=True)
class Judgement:
    """Which list a cadre's facts put them on (or none), and the criteria that did."""

    verdict: str | None
    reasons: tuple[str, ...]


def judge(facts: Facts, thresholds: Thresholds) -> Judgement:
    """The list the facts meet: 推进不力 when any of its criteria holds, 先进 when all of its
    criteria hold, else none. Only cadres with key projects are judged."""
    t = thresholds
    if facts.projects < t.min_projects:
        return Judgement(None, ())
    behind = []
    if facts.behind and Decimal(facts.behind) > t.behind_share * facts.running:
        behind.append(
            _("%(n)s of %(m)s key projects under construction behind plan")
            % {"n": facts.behind, "m": facts.running}
        )
    due = facts.on_time + facts.late
    if facts.late >= t.late_milestones and Decimal(facts.late) > t.late_share * due:
        behind.append(_("%(n)s of %(m)s milestones late") % {"n": facts.late, "m": due})
    if facts.escalations >= t.escalations:
        behind.append(_("%(n)s escalation(s) to the patron") % {"n": facts.escalations})
    if facts.poor:
        behind.append(_("%(n)s inspection(s) rated poor") % {"n": facts.poor})
    if behind:
        return Judgement(BEHIND, tuple(behind))
    on_time = due == 0 or Decimal(facts.on_time) >= t.on_time_share * due
    fast = (
        facts.faster >= t.min_faster
        or facts.finished_early > 0
        or (facts.mean_lead is not None and facts.mean_lead >= t.min_lead)
    )
    if on_time and fast and not facts.behind and not facts.orders and not facts.escalations:
        reasons = [_("no project behind plan")]
        if due:
            reasons.append(_("%(n)s of %(m)s milestones on time") % {"n": facts.on_time, "m": due})
        if facts.faster:
            reasons.append(_("%(n)s task(s) faster than normal") % {"n": facts.faster})
        if facts.finished_early:
            reasons.append(_("%(n)s project(s) finished early") % {"n": facts.finished_early})
        if facts.mean_lead is not None and facts.mean_lead >= t.min_lead:
            reasons.append(_("%(n)s points ahead of plan on average") % {"n": facts.mean_lead})
        return Judgement(EXCELLED, tuple(reasons))
    return Judgement(None, ())
