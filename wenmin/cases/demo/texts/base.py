"""What residents write and units answer: the shapes, and the phrases every topic shares.

Placeholders: {place} (township + village), {village}, {township}, {spot}, {n}, {days},
{hours}, {unit}, and the codes of the topic's extra fields ({lamps}, {merchant}, {amount}…).
A problem may preset the extra-field answers its text implies and carry its own reply; a
question may carry its own answer.
All names are made up; no real person or business appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Problem = tuple[str, str, dict[str, Any], str]  # title, detail, preset extras, own reply
Question = tuple[str, str, str]  # title, detail, own answer


def P(title: str, detail: str, reply: str = "", **extra: Any) -> Problem:
    return (title, detail, extra, reply)


def Q(title: str, detail: str, answer: str = "") -> Question:
    return (title, detail, answer)


@dataclass(frozen=True)
class Texts:
    questions: tuple[Question, ...] = ()
    problems: tuple[Problem, ...] = ()
    reports: tuple[Problem, ...] = ()
    suggestions: tuple[tuple[str, str], ...] = ()
    plans: tuple[str, ...] = ()
    replies: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()


SPOTS = ("村口", "小学门口", "文化广场旁", "菜市场附近", "老街", "卫生院对面", "桥头", "公交站旁")
COMMUNITY_SPOTS = ("小区东门", "小区{n}栋楼下", "农贸市场旁", "幼儿园门口", "步行街", "十字路口")
SHOPS = ("鸿福", "兴旺", "好运来", "老街", "惠民", "福满园", "乐家", "金穗")
SHOP_KINDS = ("超市", "饭店", "快餐店", "早餐店", "水果店", "烧烤店", "便利店")
FIRMS = ("宏达", "鑫源", "恒丰", "瑞祥", "华建", "远大", "盛世", "嘉禾")

HELP_ENDINGS = ("请相关部门尽快处理。", "希望尽快派人来看看。", "请帮忙协调解决，谢谢。", "")
COMPLAINT_ENDINGS = (
    "此前已多次反映，一直没有解决，希望有关部门重视。",
    "严重影响群众正常生活，要求尽快处理并给予答复。",
    "对此很不满意，请相关部门核实处理。",
)
REPORT_ENDINGS = ("请有关部门依法查处。", "请尽快派人调查处理，举报人要求保密。")
PRAISE = (
    "我之前反映的{problem}问题，{unit}的工作人员很快就到现场处理了，态度热情，效率很高，特此表示感谢！",
    "感谢{unit}的同志，{problem}的问题已经彻底解决了，群众都说好，希望继续保持。",
)
OTHER_PREFIX = ("反映一个情况：", "", "想反映一下，")
PRAISE_PLAN = "将群众的感谢转达相关科室和工作人员。"
PRAISE_REPLY = "感谢您对我们工作的肯定，我们将继续努力，为群众提供更好的服务。"
SUGGESTION_PLAN = "组织相关股室研究建议的可行性，听取村（社区）意见。"
SUGGESTION_REPLIES = (
    "感谢您的宝贵建议，我单位已组织研究，将结合实际纳入下一步工作计划统筹推进。",
    "感谢您的建议。经现场调研，该建议具有可行性，已列入今年民生实事项目，预计年内实施。",
    "感谢您的建议。经研究，受资金和规划限制暂不具备实施条件，我们将积极争取项目资金。",
)
REWORK_PLAN = "根据回访意见重新办理："
REWORK_REPLY = "根据您的回访意见，我们再次进行了核实办理："
