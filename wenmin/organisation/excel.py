"""The Excel sheets of regions, units and people: their columns and how a cell becomes a value.

The headers and the words in the cells (县, 党支部, 男, 是…) are the file format, fixed in Chinese
whatever the page language, so a file exported in one language imports in the other. English
header names and the stored values (county, party_branch, male…) are accepted on import too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.core import validators
from wenmin.core.excel import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE  # named with the sheets
from wenmin.core.excel import restore
from wenmin.organisation.models import (
    CadreRank,
    Gender,
    MembershipStatus,
    RegionKind,
    RegionLevel,
    UnitKind,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ERROR_HEADER = "错误"

LEVEL_WORDS: dict[str, str] = {
    RegionLevel.COUNTY: "县",
    RegionLevel.TOWNSHIP: "乡镇级",
    RegionLevel.VILLAGE: "村社区",
    RegionLevel.GROUP: "村民小组",
}
REGION_KIND_WORDS: dict[str, str] = {
    RegionKind.COUNTY: "县",
    RegionKind.TOWN: "镇",
    RegionKind.TOWNSHIP: "乡",
    RegionKind.FARM: "场",
    RegionKind.SUBDISTRICT: "街道",
    RegionKind.OFFICE: "办事处",
    RegionKind.VILLAGE: "村",
    RegionKind.COMMUNITY: "社区",
    RegionKind.GROUP: "村民小组",
}
UNIT_KIND_WORDS: dict[str, str] = {
    UnitKind.LEADERSHIP_BODY: "四套班子",
    UnitKind.DEPARTMENT: "政府部门",
    UnitKind.PARTY_COMMITTEE: "党委",
    UnitKind.TOWNSHIP_GOVERNMENT: "乡镇政府",
    UnitKind.PARTY_BRANCH: "党支部",
    UnitKind.SERVICE_CENTRE: "便民服务中心",
    UnitKind.WORK_STATION: "群众工作站",
    UnitKind.VOLUNTEER_TEAM: "党员义工队",
    UnitKind.VILLAGERS_COUNCIL: "村民理事会",
    UnitKind.OFFICIAL_ACCOUNT: "公众号",
    UnitKind.WORK_GROUP: "工作群",
    UnitKind.SENTIMENT_GROUP: "民情微群",
}
GENDER_WORDS: dict[str, str] = {Gender.MALE: "男", Gender.FEMALE: "女"}
STATUS_WORDS: dict[str, str] = {
    MembershipStatus.FULL: "正式",
    MembershipStatus.PROBATIONARY: "预备",
}
RANK_WORDS: dict[str, str] = {
    CadreRank.CLERK: "科员",
    CadreRank.DEPUTY_SECTION: "副科级",
    CadreRank.SECTION: "正科级",
    CadreRank.DEPUTY_DIVISION: "副处级",
    CadreRank.DIVISION: "正处级",
}
YES, NO = "是", "否"
_TRUE = {"是", "yes", "y", "true", "1", "√"}
_FALSE = {"否", "no", "n", "false", "0", "×"}


def word(words: dict[str, str], value: str) -> str:
    """The Chinese word for a stored value, as written in a cell."""
    return words.get(value, value)


# Cells → values ------------------------------------------------------------------------------


def text(cell: object) -> str:
    """A cell as text; whole numbers lose Excel's ".0" (a code or phone typed as a number)."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return YES if cell else NO
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    # A text Wenmin exported with its formula guard comes back as it was typed.
    return restore(str(cell)).strip()


def integer(cell: object) -> int | None:
    """A whole number, or None for an empty cell."""
    value = text(cell).replace(",", "")
    if not value:
        return None
    if not re.fullmatch(r"-?\d+", value):
        raise ValidationError(_("Enter a whole number."))
    # The range of an integer column on PostgreSQL.
    return validators.check_int(value, minimum=-(2**31), maximum=2**31 - 1)


def decimal(cell: object) -> Decimal | None:
    """A finite, bounded decimal number with six places, or None for an empty cell."""
    value = text(cell)
    if not value:
        return None
    return validators.check_number(value).quantize(validators.COORDINATE_PLACES)


def latitude(cell: object) -> Decimal | None:
    """A WGS-84 latitude, or None for an empty cell."""
    value = text(cell)
    return validators.check_latitude(value) if value else None


def longitude(cell: object) -> Decimal | None:
    """A WGS-84 longitude, or None for an empty cell."""
    value = text(cell)
    return validators.check_longitude(value) if value else None


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def date(cell: object) -> dt.date | None:
    """A date cell, or text such as 2001-07-01, 2001/7/1 or 2001年7月1日; None when empty."""
    if isinstance(cell, dt.datetime):
        return validators.check_date(cell.date())
    if isinstance(cell, dt.date):
        return validators.check_date(cell)
    value = text(cell)
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            # A calendar date, not an instant: no time zone applies.
            day = dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
        return validators.check_date(day)
    raise ValidationError(_("Enter a date such as 2001-07-01."))


def yes_no(cell: object) -> bool:
    """是/否 (or yes/no, true/false, 1/0); an empty cell is 否."""
    if isinstance(cell, bool):
        return cell
    value = text(cell).lower()
    if value in _TRUE:
        return True
    if not value or value in _FALSE:
        return False
    raise ValidationError(_("Enter 是 (yes) or 否 (no)."))


def choice(words: dict[str, str]) -> Callable[[object], str]:
    """A parser taking the Chinese word or the stored value; anything else is passed on
    unchanged for the service's build function to reject, so that rule lives in one place."""
    by_word = {chinese: value for value, chinese in words.items()}

    def parse(cell: object) -> str:
        value = text(cell)
        if value in by_word:
            return by_word[value]
        if value.lower() in words:
            return value.lower()
        return value

    return parse


# Sheets --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its Chinese header, its English name (also the key of the parsed value),
    how a cell is parsed, and which service error fields are reported under it."""

    header: str
    key: str
    parse: Callable[[object], Any] = text
    error_keys: tuple[str, ...] = ()

    def shows(self, error_key: str) -> bool:
        return error_key == self.key or error_key in self.error_keys


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str  # fixed Chinese, used in file names like the headers
    label: str | Promise
    columns: tuple[Column, ...]

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def column_for(self, error_key: str) -> Column | None:
        return next((column for column in self.columns if column.shows(error_key)), None)

    def filename(self, suffix: str = "") -> str:
        """人员_20260101.xlsx, or with a suffix such as 模板 or 错误报告."""
        return f"{self.title}_{suffix or timezone.localdate().strftime('%Y%m%d')}.xlsx"


REGIONS = Sheet(
    key="regions",
    title="区划",
    label=gettext_lazy("Regions"),
    columns=(
        Column("区划代码", "code"),
        Column("名称", "name"),
        Column("层级", "level", choice(LEVEL_WORDS)),
        Column("类型", "kind", choice(REGION_KIND_WORDS)),
        Column("上级区划代码", "parent_code", error_keys=("parent",)),
        Column("人口", "population", integer),
        Column("纬度", "latitude", latitude),
        Column("经度", "longitude", longitude),
    ),
)
UNITS = Sheet(
    key="units",
    title="单位",
    label=gettext_lazy("Units"),
    columns=(
        Column("单位代码", "code"),
        Column("名称", "name"),
        Column("类型", "kind", choice(UNIT_KIND_WORDS)),
        Column("所在区划代码", "region_code", error_keys=("region",)),
        Column("上级单位代码", "parent_code", error_keys=("parent",)),
        Column("成员数", "member_count", integer),
    ),
)
PEOPLE = Sheet(
    key="people",
    title="人员",
    label=gettext_lazy("People"),
    columns=(
        Column("姓名", "name"),
        Column("性别", "gender", choice(GENDER_WORDS)),
        Column("出生年份", "birth_year", integer),
        Column("手机号", "phone"),
        Column("身份证号", "id_number"),
        Column("居住地区划代码", "region_code", error_keys=("region",)),
        Column("是否群众", "is_resident", yes_no),
        Column("党支部代码", "branch_code", error_keys=("branch",)),
        Column("入党日期", "joined_on", date),
        Column("党员状态", "membership_status", choice(STATUS_WORDS), error_keys=("status",)),
        Column("任职单位代码", "cadre_unit_code", error_keys=("unit",)),
        Column("职务", "position"),
        Column("职级", "rank", choice(RANK_WORDS)),
        Column("志愿者岗位", "volunteer_post", error_keys=("post",)),
        Column("义工队代码", "team_code", error_keys=("team",)),
    ),
)
SHEETS: dict[str, Sheet] = {sheet.key: sheet for sheet in (REGIONS, UNITS, PEOPLE)}
