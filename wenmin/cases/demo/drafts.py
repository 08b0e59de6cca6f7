"""A case's words: title, content, extra answers, address, the unit's plan and reply."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from wenmin.cases.deadlines import Kind
from wenmin.cases.demo import texts as T
from wenmin.cases.demo.context import CountyContext, Village
from wenmin.cases.demo.fate import Texts
from wenmin.cases.demo.topics import TOPICS
from wenmin.cases.demo.walk import CasePlan
from wenmin.cases.models import Channel
from wenmin.organisation.models import RegionKind

_LOCATED = frozenset({Channel.WEB, Channel.WECHAT})
_SIX = Decimal("0.000001")
_AGAIN = ("这个问题还没解决，再次反映。", "同样的问题，我家这边也有。")


def _extra(
    rng: random.Random, topic: str, preset: dict[str, Any], *, question: bool
) -> dict[str, Any]:
    """Answers to the topic's extra fields: required ones always, optional ones mostly (not for
    a question: nobody asks them then)."""
    answers: dict[str, Any] = {}
    for spec in TOPICS[topic].extra_fields:
        code = spec["code"]
        if code in preset:
            answers[code] = preset[code]
        elif not spec["required"] and (question or rng.random() < 0.25):
            continue
        elif spec["datatype"] == "singlevaluelist":
            answers[code] = rng.choice(spec["values"])["key"]
        elif spec["datatype"] == "multivaluelist":
            keys = [value["key"] for value in spec["values"]]
            answers[code] = sorted(rng.sample(keys, rng.randint(1, 3)), key=keys.index)
        elif spec["datatype"] == "number":
            answers[code] = float(_number(rng, code, topic))
        else:
            answers[code] = _string(rng, code)
    return answers


def _number(rng: random.Random, code: str, topic: str) -> int:
    if code == "area":
        return rng.randint(1, 30)
    if code == "lamps":
        return rng.randint(1, 8)
    if code == "amount" and topic == "labour.wages":
        return rng.randint(2, 90) * 1000
    if code == "amount":
        return rng.randint(5, 300)
    return rng.randint(1, 40)


def _string(rng: random.Random, code: str) -> str:
    if code == "employer":
        return rng.choice(T.FIRMS) + rng.choice(("建筑工程有限公司", "劳务有限公司", "项目工地"))
    return rng.choice(T.SHOPS) + rng.choice(T.SHOP_KINDS)


def _pick(rng: random.Random, kind: str, texts: T.Texts) -> tuple[str, str, dict[str, Any], str]:
    """The resident's own words for this kind of case, and the reply they call for (if any)."""
    if kind == Kind.CONSULT and texts.questions:
        title, detail, answer = rng.choice(texts.questions)
        return title, detail, {}, answer
    if kind == Kind.SUGGESTION and texts.suggestions:
        title, detail = rng.choice(texts.suggestions)
        return "建议" + title.removeprefix("建议"), detail, {}, rng.choice(T.SUGGESTION_REPLIES)
    if kind == Kind.REPORT and texts.reports:
        title, detail, preset, reply = rng.choice(texts.reports)
        return "举报" + title, "举报：" + detail + rng.choice(T.REPORT_ENDINGS), preset, reply
    if texts.problems:
        title, detail, preset, reply = rng.choice(texts.problems)
    else:
        (title, detail, reply), preset = rng.choice(texts.questions), {}
    if kind == Kind.COMPLAINT:
        return "投诉" + title, detail + rng.choice(T.COMPLAINT_ENDINGS), preset, reply
    if kind == Kind.OTHER:
        return title, rng.choice(T.OTHER_PREFIX) + detail, preset, reply
    return title, detail + rng.choice(T.HELP_ENDINGS), preset, reply


def _values(rng: random.Random, village: Village, unit_name: str) -> dict[str, Any]:
    """What the templates' placeholders stand for in this case."""
    community = village.kind == RegionKind.COMMUNITY
    spot = rng.choice(T.COMMUNITY_SPOTS if community else T.SPOTS)
    values: dict[str, Any] = {
        "place": village.township + village.name,
        "village": village.name,
        "township": village.township,
        "n": rng.randint(2, 6),
        "days": rng.randint(2, 10),
        "hours": rng.randint(2, 12),
        "unit": unit_name,
    }
    values["spot"] = spot.format(**values)
    return values


def _locate(rng: random.Random, case: CasePlan, village: Village, values: dict[str, Any]) -> None:
    """The address; a point near the village when the resident shared a location online."""
    case.address = values["place"] + ("" if case.kind == Kind.CONSULT else values["spot"])
    if village.latitude is None or village.longitude is None:
        return
    if case.channel in _LOCATED and rng.random() < 0.5:
        case.latitude = (village.latitude + Decimal(rng.uniform(-0.01, 0.01))).quantize(_SIX)
        case.longitude = (village.longitude + Decimal(rng.uniform(-0.01, 0.01))).quantize(_SIX)


def _unit_words(
    rng: random.Random, case: CasePlan, texts: T.Texts, values: dict[str, Any], reply: str
) -> Texts:
    """The lead unit's plan and its reply (the one the resident's words call for, if any)."""
    plan = rng.choice(texts.plans or ("核实情况，研究处理办法。",))
    if case.kind == Kind.SUGGESTION:
        plan = T.SUGGESTION_PLAN
    elif case.kind == Kind.PRAISE:
        plan, reply = T.PRAISE_PLAN, T.PRAISE_REPLY
    if not reply:
        answers = texts.answers if case.kind == Kind.CONSULT and texts.answers else texts.replies
        reply = rng.choice(answers or ("已核实处理，感谢您的反映。",))
    return Texts(plan=plan.format(**values), reply=reply.format(**values))


def draft(
    rng: random.Random,
    case: CasePlan,
    ctx: CountyContext,
    *,
    lead_unit: int,
    primary: CasePlan | None = None,
) -> Texts:
    """Fill the case's words in place; return the unit's plan and reply for it."""
    village = ctx.villages[case.village]
    values = _values(rng, village, ctx.units[lead_unit].name)
    texts = T.TEXTS[case.topic]
    title, detail, preset, reply = _pick(rng, case.kind, texts)
    case.extra = _extra(rng, case.topic, preset, question=case.kind == Kind.CONSULT)
    values.update({k: int(v) if isinstance(v, float) else v for k, v in case.extra.items()})
    for spec in TOPICS[case.topic].extra_fields:  # the text may name an unanswered field
        code = spec["code"]
        if code not in values:
            values[code] = (
                _number(rng, code, case.topic)
                if spec["datatype"] == "number"
                else _string(rng, code)
            )
    if case.kind == Kind.PRAISE:
        problem = title.format(**values)
        title = f"感谢{values['unit']}及时解决{problem}问题"
        detail = rng.choice(T.PRAISE).replace("{problem}", problem)
    if primary is not None:
        title = primary.title
        detail = primary.content + rng.choice(_AGAIN)
        case.extra = dict(primary.extra)
    else:
        title, detail = title.format(**values), detail.format(**values)
    case.title, case.content = title[:120], detail
    _locate(rng, case, village, values)
    return _unit_words(rng, case, texts, values, reply)
