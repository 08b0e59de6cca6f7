"""The shapes of the demo catalogue: a topic, a group of topics, an extra field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wenmin.cases.deadlines import Kind
from wenmin.cases.models import RejectionReason

# How a county's units are named, after the county's name (see organisation/seed/catalogue.py).
HOTLINE = "政务服务中心（12345热线）"
GOVERNMENT = "人民政府"


def field_spec(
    code: str,
    label: str,
    datatype: str,
    *,
    required: bool = False,
    order: int = 1,
    description: str = "",
    values: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """One extra field in the shape the intake checks (and Open311 service definitions reuse)."""
    return {
        "code": code,
        "label": label,
        "datatype": datatype,
        "required": required,
        "order": order,
        "description": description,
        "values": [{"key": key, "name": name} for key, name in values],
    }


@dataclass(frozen=True)
class Topic:
    """A leaf of the category tree and how its cases arise and are routed."""

    code: str
    name: str
    department: str  # the lead unit's name after the county's name
    kinds: Mapping[str, float]  # the share of each kind's cases that are about this topic
    local: bool = False  # a neighbourhood matter: each township's government leads
    urgent: float = 0.0  # share of its help, complaint and report cases that are urgent
    peak_months: tuple[int, ...] = ()
    confused_with: tuple[str, ...] = ()  # units a dispatcher may pick by mistake
    rejections: tuple[str, ...] = ()  # why a request on this topic may be refused
    urban: bool = False  # only where there are housing estates: in the urban communities
    keywords: str = ""
    extra_fields: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    topics: tuple[Topic, ...] = field(default_factory=tuple)


DUTY = RejectionReason.OUTSIDE_DUTY
LEGAL = RejectionReason.LEGAL_PROCESS
UNREASONABLE = RejectionReason.UNREASONABLE
CONSULT, HELP, COMPLAINT = Kind.CONSULT, Kind.HELP, Kind.COMPLAINT
SUGGESTION, REPORT = Kind.SUGGESTION, Kind.REPORT
PRAISE, OTHER = Kind.PRAISE, Kind.OTHER
