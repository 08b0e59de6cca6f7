"""The demo dispatch catalogue: a county's 12345 topics, who leads each, and reply templates.

Categories and response templates are county-wide and created once; dispatch rules are made for
each county, matching the lead unit by its name among that county's seeded units.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from wenmin.cases.demo.topics import GOVERNMENT, GROUPS, TOPICS
from wenmin.cases.models import Category, DispatchRule, ResponseTemplate
from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind

RESPONSE_TEMPLATES: tuple[tuple[str, str], ...] = (
    (
        "受理告知",
        "您好，您反映的问题已受理，已转交相关单位办理，办理结果将及时回复您，请保持电话畅通。",
    ),
    ("转办说明", "经核实，该事项属于{unit}职责范围，已转交其办理，请耐心等待。"),
    ("阶段性答复", "您反映的问题正在办理中，相关单位已到现场核实并制定处理方案，预计近期办结。"),
    ("办结回复", "您好，您反映的问题已处理完毕，处理情况如下：……如仍有疑问，可再次拨打12345反映。"),
    (
        "咨询答复",
        "您好，关于您咨询的问题，答复如下：……具体可携带相关材料到县政务服务中心窗口办理。",
    ),
    ("不予受理说明", "您好，您反映的事项不属于12345热线受理范围，建议您通过……途径依法解决。"),
    (
        "回访",
        "您好，这里是12345热线，您反映的问题办理单位已答复，请问问题是否已解决？对办理结果是否满意？",
    ),
)


def catalogue_install() -> dict[str, Category]:
    """Create the category tree and the county-wide response templates, once; the topics by code."""
    existing = {category.code: category for category in Category.objects.all()}
    for order, group in enumerate(GROUPS, start=1):
        parent = existing.get(group.code) or Category.objects.create(
            code=group.code, name=group.name, order=order
        )
        existing[group.code] = parent
        new = [
            Category(
                code=topic.code,
                name=topic.name,
                parent=parent,
                keywords=topic.keywords,
                extra_fields=list(topic.extra_fields),
                order=position,
            )
            for position, topic in enumerate(group.topics, start=1)
            if topic.code not in existing
        ]
        for category in Category.objects.bulk_create(new):
            existing[category.code] = category
    titles = set(ResponseTemplate.objects.filter(unit=None).values_list("title", flat=True))
    ResponseTemplate.objects.bulk_create(
        ResponseTemplate(title=title, text=text)
        for title, text in RESPONSE_TEMPLATES
        if title not in titles
    )
    return {code: existing[code] for code in TOPICS}


@dataclass
class CountyRouting:
    """Who leads each topic in one county: a county unit, or each township's government."""

    county_unit: dict[str, Unit]
    township_unit: dict[tuple[str, int], Unit]  # (topic, township region id) → its government
    confused: dict[str, list[Unit]]

    def lead_unit(self, topic: str, township_id: int | None) -> Unit:
        """The unit the catalogue proposes for a topic in a township."""
        return self.township_unit.get((topic, township_id or 0)) or self.county_unit[topic]


def _by_suffix(units: list[Unit], suffix: str) -> Unit | None:
    return next((unit for unit in units if unit.name.endswith(suffix)), None)


def county_routing(county: Region) -> CountyRouting:
    """Match each topic's lead unit by name among the county's units and townships' governments."""
    county_units = list(
        Unit.objects.filter(
            region=county,
            kind__in=(UnitKind.DEPARTMENT, UnitKind.SERVICE_CENTRE, UnitKind.LEADERSHIP_BODY),
        ).order_by("code")
    )
    fallback = _by_suffix(county_units, GOVERNMENT) or county_units[0]
    governments = {
        unit.region_id: unit
        for unit in Unit.objects.filter(
            kind=UnitKind.TOWNSHIP_GOVERNMENT,
            region__level=RegionLevel.TOWNSHIP,
            region__path__startswith=county.path,
        ).order_by("code")
    }
    routing = CountyRouting({}, {}, {})
    for code, topic in TOPICS.items():
        routing.county_unit[code] = _by_suffix(county_units, topic.department) or fallback
        if topic.local:
            for township_id, unit in governments.items():
                routing.township_unit[(code, township_id)] = unit
        wrong = [_by_suffix(county_units, name) for name in topic.confused_with]
        routing.confused[code] = [unit for unit in wrong if unit is not None]
    return routing


def county_rules_install(
    *, county: Region, routing: CountyRouting, categories: Mapping[str, Category]
) -> int:
    """The county's dispatch rules: each topic → its unit (region = the county), and for
    neighbourhood topics each township → its government. Returns how many were created."""
    have = set(
        DispatchRule.objects.filter(region__path__startswith=county.path).values_list(
            "category_id", "region_id"
        )
    )
    rules = [
        DispatchRule(category=categories[code], region=county, unit=unit)
        for code, unit in routing.county_unit.items()
    ]
    rules += [
        DispatchRule(category=categories[code], region_id=township_id, unit=unit)
        for (code, township_id), unit in routing.township_unit.items()
    ]
    new = [rule for rule in rules if (rule.category.pk, rule.region_id) not in have]
    DispatchRule.objects.bulk_create(new)
    return len(new)
