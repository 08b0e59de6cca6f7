"""What will happen to a case, who acts on it, and the words the steps use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.utils.translation import gettext as _

from wenmin.cases.demo.context import Staffer
from wenmin.cases.demo.walk import CasePlan
from wenmin.cases.models import RejectionReason

REJECTION_NOTES: dict[str, str] = {
    RejectionReason.OUTSIDE_DUTY: "您反映的事项不属于行政机关职责范围（如民事纠纷、企业自主经营事项），建议通过协商、人民调解或向相关企业反映解决。",
    RejectionReason.LEGAL_PROCESS: "您反映的事项已进入诉讼（仲裁）程序或属于信访事项，请依照法定途径办理。",
    RejectionReason.UNREASONABLE: "经核实，您的诉求超出政策规定且缺乏事实依据，不予受理，感谢您的理解。",
}
RETURN_REASONS = (
    "经核实，该事项不属于本单位职责范围，请重新派单。",
    "该事项属地管理，应由所在乡镇办理，申请退回。",
    "诉求涉及的设施不归本单位管理，请转相关单位。",
)
NOTES = (
    "已到现场核实情况，正在协调处理。",
    "已联系诉求人了解具体情况。",
    "处理方案已报分管领导同意，正在组织实施。",
    "材料、人员已落实，预计近期完成。",
)


V = TypeVar("V")


def known(value: V | None) -> V:
    """A field the earlier steps have set (the walk never skips one)."""
    if value is None:
        raise ValueError("a step ran before the one that sets its field")
    return value


@dataclass
class Fate:
    """What will happen to a case, drawn before it starts."""

    reject: str = ""
    primary: CasePlan | None = None
    primary_index: int = -1
    merge_after_dispatch: bool = False
    misroutes: int = 0
    wrong_unit: int | None = None  # where the misroutes go (else look-alike units)
    return_after_sign: bool = False
    late_sign: bool = False
    late_replies: list[bool] = field(default_factory=lambda: [False])  # one per round
    by_requester: bool = False
    co_unit: bool = False


@dataclass
class Cast:
    """Who acts on the case (people, with their accounts where they have one) and for which unit."""

    dispatcher: Staffer
    centre_id: int
    intake: Staffer
    intake_unit: int | None
    requester: str
    supervisor: str
    government_id: int


@dataclass
class Phrases:
    """The services' public notes, translated once per run."""

    passed: str = field(default_factory=lambda: _("Passed to %(unit)s."))
    accepted: str = field(default_factory=lambda: _("Accepted by %(unit)s."))
    planned: str = field(default_factory=lambda: _("A solution has been planned."))
    merged: str = field(default_factory=lambda: _("Merged into case %(number)s."))
    rework: str = field(default_factory=lambda: _("Sent back for rework."))
    closed: str = field(default_factory=lambda: _("Closed."))


@dataclass
class Texts:
    """The case's own plan and reply texts (drawn with its title and content)."""

    plan: str
    reply: str
