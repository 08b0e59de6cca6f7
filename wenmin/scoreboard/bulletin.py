"""The monthly bulletin (又比又看月报): the county's headline figures, the rankings of townships
and departments, the red and black lists and the month's escalations; as a page and as Excel.

The workbook's sheet names and headers are fixed Chinese, like every Excel file of Wenmin: the
bulletin is published in Chinese whatever the page language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Q, QuerySet, Sum

from wenmin.cases.models import Case
from wenmin.cases.selectors import cases_visible_to
from wenmin.core.audit import audit_record
from wenmin.core.excel import StreamedWorkbook, Styled
from wenmin.core.models import User
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Region, RegionLevel, Unit
from wenmin.scoreboard.models import DailyStat, Subject
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import Group, Row, Weights, ranking_with_trend, red_and_black

ESCALATIONS_SHOWN = 100
PERCENT = "0.0%"


@dataclass(frozen=True)
class Figure:
    successes: int
    trials: int

    @property
    def rate(self) -> float | None:
        return self.successes / self.trials if self.trials else None


@dataclass
class Headline:
    received: int = 0
    closed: int = 0
    callbacks: int = 0
    escalated: int = 0
    response: Figure = Figure(0, 0)
    resolution: Figure = Figure(0, 0)
    satisfaction: Figure = Figure(0, 0)


@dataclass
class Bulletin:
    county: Region
    period: Period
    weights: Weights
    headline: Headline
    townships: list[Row] = field(default_factory=list)
    departments: list[Row] = field(default_factory=list)
    lists: list[tuple[str, str, list[Row], list[Row]]] = field(default_factory=list)
    escalations: list[Case] = field(default_factory=list)  # those the viewer sees, the first 100
    escalations_seen: int = 0  # how many of the headline's escalations the viewer sees

    @property
    def escalations_hidden(self) -> int:
        return self.headline.escalated - self.escalations_seen

    @property
    def escalations_cut(self) -> bool:
        return self.escalations_seen > len(self.escalations)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=SHANGHAI)


def county_headline(*, county: Region, period: Period) -> Headline:
    """The county's figures over a period, from the daily counts (two queries)."""
    days = (period.start, period.end)
    units = Unit.objects.filter(region__path__startswith=county.path).values("pk")
    sums = DailyStat.objects.filter(
        subject_type=Subject.UNIT, subject_id__in=units, day__range=days
    ).aggregate(
        **{
            name: Sum(name)
            for name in (
                "dispatched",
                "signed_on_time",
                "callbacks",
                "resolved",
                "rated",
                "satisfied",
                "closed",
            )
        }
    )
    n = {name: int(value or 0) for name, value in sums.items()}
    townships = Region.objects.filter(
        level=RegionLevel.TOWNSHIP, path__startswith=county.path
    ).values("pk")
    received = DailyStat.objects.filter(
        subject_type=Subject.REGION, subject_id__in=townships, day__range=days
    ).aggregate(total=Sum("received"))["total"]
    escalated = escalated_cases(county=county, period=period).count()
    return Headline(
        received=int(received or 0),
        closed=n["closed"],
        callbacks=n["callbacks"],
        escalated=escalated,
        response=Figure(n["signed_on_time"], n["dispatched"]),
        resolution=Figure(n["resolved"], n["callbacks"]),
        satisfaction=Figure(n["satisfied"], n["rated"]),
    )


def _in_county(county: Region) -> Q:
    return Q(region__path__startswith=county.path) | Q(
        lead_unit__region__path__startswith=county.path
    )


def _between(field: str, period: Period) -> dict[str, dt.datetime]:
    return {
        f"{field}__gte": _day_start(period.start),
        f"{field}__lt": _day_start(period.end + dt.timedelta(days=1)),
    }


def escalated_cases(*, county: Region, period: Period) -> QuerySet[Case]:
    """The county's cases escalated in the period, whoever led them (one escalated after three
    returns has no lead unit): the headline counts them, the bulletin lists them."""
    return Case.objects.filter(_in_county(county), **_between("escalated_at", period))


def escalations_for(*, user: User, county: Region, period: Period) -> list[Case]:
    """Cases of the county escalated in the period that the viewer sees, oldest first."""
    return list(
        escalated_cases(county=county, period=period)
        .filter(pk__in=cases_visible_to(user).values("pk"))
        .select_related("lead_unit", "region", "category", "escalated_to")
        .order_by("escalated_at", "id")[: ESCALATIONS_SHOWN + 1]
    )


def bulletin_build(*, user: User, county: Region, period: Period, size: int = 3) -> Bulletin:
    """Everything the month's bulletin shows."""
    weights = Weights.current()
    townships = ranking_with_trend(
        group=Group.TOWNSHIP, period=period, county=county, weights=weights
    )
    departments = ranking_with_trend(
        group=Group.DEPARTMENT, period=period, county=county, weights=weights
    )
    lists = []
    for group, rows in ((Group.TOWNSHIP, townships), (Group.DEPARTMENT, departments)):
        red, black = red_and_black(rows, size)
        lists.append((str(group), str(Group(group).label), red, black))
    escalations = escalations_for(user=user, county=county, period=period)
    seen = len(escalations)
    if seen > ESCALATIONS_SHOWN:
        seen = (
            escalated_cases(county=county, period=period)
            .filter(pk__in=cases_visible_to(user).values("pk"))
            .count()
        )
    return Bulletin(
        county=county,
        period=period,
        weights=weights,
        headline=county_headline(county=county, period=period),
        townships=townships,
        departments=departments,
        lists=lists,
        escalations=escalations[:ESCALATIONS_SHOWN],
        escalations_seen=seen,
    )


# The workbook ---------------------------------------------------------------------------------

RANKING_HEADERS = [
    "排名",
    "名次变化",
    "名称",
    "综合得分",
    "响应率",
    "响应样本",
    "解决率",
    "解决样本",
    "满意率",
    "满意样本",
    "按时办结率",
    "重办率",
    "退单数",
    "提级督办数",
    "平均办理工作日",
    "每千人诉求量",
]
LIST_HEADERS = ["类别", "榜单", "名次", "名称", "综合得分", "样本量"]
ESCALATION_HEADERS = ["编号", "标题", "类别", "区划", "承办单位", "提级督办时间", "督办单位"]
GROUP_WORDS = {Group.TOWNSHIP.value: "乡镇", Group.DEPARTMENT.value: "部门"}


def _trend_word(row: Row) -> str:
    if not row.ranked:
        return "—"
    if row.trend is None:
        return "新上榜"
    if row.trend > 0:
        return f"上升{row.trend}位"
    if row.trend < 0:
        return f"下降{-row.trend}位"
    return "持平"


def _ranking_cells(row: Row) -> list[Any]:
    rates = row.rates
    place: Any = row.rank if row.ranked else "样本不足"
    cells: list[Any] = [place, _trend_word(row), str(row.subject), round(row.composite, 1)]
    for name in ("response", "resolution", "satisfaction"):
        rate = rates.get(name)
        cells += [rate.raw if rate else None, rate.trials if rate else None]
    for name in ("on_time_closure", "rework"):
        rate = rates.get(name)
        cells.append(rate.raw if rate else None)
    cells += [
        int(row.counts.get("returned", 0)),
        int(row.counts.get("escalated", 0)),
        round(row.mean_handling_days, 2) if row.mean_handling_days is not None else None,
        round(row.per_thousand, 2) if row.per_thousand is not None else None,
    ]
    return cells


_PERCENT_COLUMNS = (4, 6, 8, 10, 11)  # 响应率, 解决率, 满意率, 按时办结率, 重办率 (from 0)


def _percent(value: Any) -> Any:
    return Styled(value, number_format=PERCENT) if isinstance(value, float) else value


def _summary_sheet(book: StreamedWorkbook, b: Bulletin) -> None:
    h = b.headline
    sheet = book.sheet("概况", widths={"A": 14, "B": 16})
    sheet.append([Styled(f"{b.county.name}“又比又看”月报（{b.period.label}）", bold=True, size=14)])
    sheet.header(["指标", "数值", "样本量"])
    rows: list[list[Any]] = [
        ["受理诉求", h.received, None],
        ["办结", h.closed, None],
        ["回访", h.callbacks, None],
        ["响应率", h.response.rate, h.response.trials],
        ["解决率", h.resolution.rate, h.resolution.trials],
        ["满意率", h.satisfaction.rate, h.satisfaction.trials],
        ["提级督办", h.escalated, None],
    ]
    for name, value, trials in rows:
        sheet.append([name, _percent(value), trials])
    w = b.weights
    sheet.append([])
    sheet.append(
        [
            "计分方法",
            f"综合得分 = 响应率×{w.response:.0%} + 解决率×{w.resolution:.0%} + 满意率×{w.satisfaction:.0%}；"
            f"各率按贝叶斯平均向同类平均值收缩（先验权重 {w.prior} 件）；"
            "经审核的无理诉求、重复诉求及申诉成立的诉求不计入。",
        ]
    )


def _ranking_sheet(book: StreamedWorkbook, title: str, rows: list[Row]) -> None:
    sheet = book.sheet(title, headers=RANKING_HEADERS, widths={"C": 24}, freeze="D2")
    for row in rows:
        cells = _ranking_cells(row)
        for column in _PERCENT_COLUMNS:
            cells[column] = _percent(cells[column])
        sheet.append(cells)


def _lists_sheet(book: StreamedWorkbook, b: Bulletin) -> None:
    sheet = book.sheet("红黑榜", headers=LIST_HEADERS, widths={"D": 24})
    for group, _label, red, black in b.lists:
        word = GROUP_WORDS[group]
        for board, rows in (("红榜", red), ("黑榜", black)):
            for place, row in enumerate(rows, start=1):
                sheet.append(
                    [word, board, place, str(row.subject), round(row.composite, 1), row.sample]
                )


def _escalations_sheet(book: StreamedWorkbook, b: Bulletin) -> None:
    sheet = book.sheet("提级督办", headers=ESCALATION_HEADERS, widths={"B": 36})
    for case in b.escalations:
        sheet.append(
            [
                case.number,
                case.title,
                case.category.name if case.category else "",
                case.region.name if case.region else "",
                case.lead_unit.name if case.lead_unit else "",
                Styled(case.escalated_at, number_format="yyyy-mm-dd hh:mm"),
                case.escalated_to.name if case.escalated_to else "县级督办",
            ]
        )


def bulletin_workbook(*, bulletin: Bulletin, target: IO[bytes]) -> None:
    """Write the bulletin as a workbook of five sheets with Chinese names and headers."""
    book = StreamedWorkbook()
    _summary_sheet(book, bulletin)
    _ranking_sheet(book, "乡镇排名", bulletin.townships)
    _ranking_sheet(book, "部门排名", bulletin.departments)
    _lists_sheet(book, bulletin)
    _escalations_sheet(book, bulletin)
    book.save(target)


def bulletin_filename(bulletin: Bulletin) -> str:
    return f"又比又看月报_{bulletin.county.name}_{bulletin.period.label}.xlsx"


def bulletin_export(*, actor: User, bulletin: Bulletin, target: IO[bytes]) -> None:
    """Write the bulletin's workbook and audit the export."""
    bulletin_workbook(bulletin=bulletin, target=target)
    audit_record(
        actor=actor,
        action="scoreboard.bulletin_export",
        target=bulletin.county,
        changes={"period": bulletin.period.label, "format": "xlsx"},
    )
