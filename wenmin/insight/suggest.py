"""The suggestion for one text (and place): kind, category and lead unit, each with a confidence
and three alternatives. The newest trained model answers, blended with the dispatch catalogue
(category × region → unit); a county with no model yet gets its keyword rules' answer."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from wenmin.cases.deadlines import Kind
from wenmin.cases.dispatch import dispatch_proposal
from wenmin.cases.models import Category
from wenmin.insight.learn import Ranked, TextModel
from wenmin.insight.models import KeywordRule, SuggestionModel
from wenmin.organisation.models import Region, Unit

ALTERNATIVES = 3
RULE_WEIGHT = 0.5  # the kind rules' share when a kind word is in the text
CATALOGUE_WEIGHT = 0.5  # the unit: half the catalogue's routing of the likely categories, half text
_TOP_CATEGORIES = 5
_lock = threading.Lock()
_loaded: dict[str, Any] = {"id": None, "model": None}


def model_current() -> tuple[int | None, TextModel | None]:
    """The newest stored model (loaded once per process and version)."""
    newest = SuggestionModel.objects.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return None, None
    with _lock:
        if _loaded["id"] != newest:
            blob = SuggestionModel.objects.values_list("blob", flat=True).get(pk=newest)
            try:
                _loaded["model"] = TextModel.loads(bytes(blob))
            except (ValueError, AttributeError, ImportError, EOFError):
                _loaded["model"] = None  # a model of an older format: rules until retrained
            _loaded["id"] = newest
        return newest, _loaded["model"]


def township_code(region: Region | None) -> str:
    if region is None:
        return ""
    parts = region.path.split("/")
    return parts[1] if len(parts) > 1 else ""


def _field(pairs: list[tuple[str, float]], names: dict[str, str]) -> dict[str, Any]:
    """{"code", "name", "confidence", "alternatives"} from (code, score) best first."""
    pairs = [(code, score) for code, score in pairs if code]
    if not pairs:
        return {"code": "", "name": "", "confidence": 0.0, "alternatives": []}
    (code, score), rest = pairs[0], pairs[1 : 1 + ALTERNATIVES]
    return {
        "code": code,
        "name": names.get(code, code),
        "confidence": round(score, 3),
        "alternatives": [
            {"code": c, "name": names.get(c, c), "confidence": round(s, 3)} for c, s in rest
        ],
    }


def _normalised(scores: dict[str, float]) -> list[tuple[str, float]]:
    total = sum(scores.values())
    if total <= 0:
        return []
    return sorted(((k, v / total) for k, v in scores.items()), key=lambda kv: (-kv[1], kv[0]))


def _rule_words(category: Category) -> list[str]:
    return [w for w in re.split(r"[\s,，、;；]+", category.keywords or "") if w]


def kind_rules() -> list[tuple[str, str, int]]:
    """(kind, word, weight) of the county's kind rules."""
    return list(KeywordRule.objects.exclude(kind="").values_list("kind", "word", "weight"))


def kind_words(text: str, rules: list[tuple[str, str, int]] | None = None) -> dict[str, float]:
    """The kind rules' words found in the text, weighed."""
    kinds: dict[str, float] = defaultdict(float)
    for kind, word, weight in kind_rules() if rules is None else rules:
        if word and word in text:
            kinds[kind] += weight
    return kinds


def blend_kinds(model: Ranked, words: dict[str, float]) -> Ranked:
    """The model's kind, moved by the kind words the county keeps (投诉, 举报, 请问…): how
    people say what they want carries over from one county's history to another's texts."""
    if not words:
        return model
    blended: dict[str, float] = defaultdict(float)
    for code, score in zip(model.labels, model.scores, strict=True):
        blended[code] += (1 - RULE_WEIGHT) * score
    for code, score in _normalised(words):
        blended[code] += RULE_WEIGHT * score
    pairs = _normalised(blended)
    return Ranked([k for k, _ in pairs], [v for _, v in pairs])


def _by_rules(text: str) -> tuple[Ranked, Ranked]:
    """Kind and category by counting the rules' words found in the text."""
    kinds: dict[str, float] = defaultdict(float)
    categories: dict[str, float] = defaultdict(float)
    for category in Category.objects.filter(is_active=True, children__isnull=True):
        for word in _rule_words(category):
            if word in text:
                categories[category.code] += 1.0
    for rule in KeywordRule.objects.select_related("category"):
        if rule.word and rule.word in text:
            if rule.kind:
                kinds[rule.kind] += rule.weight
            if rule.category is not None:
                categories[rule.category.code] += rule.weight
    if not kinds:
        kinds[Kind.CONSULT] = 1.0  # the commonest kind at a hotline (DOMAIN: 64 %)
    # Confidence as the share of the evidence, with one vote of doubt against a lone match.
    kind_pairs = _normalised({**kinds, "": 1.0})
    category_pairs = _normalised({**categories, "": 1.0}) if categories else []
    return (
        Ranked([k for k, _ in kind_pairs], [s for _, s in kind_pairs]),
        Ranked([k for k, _ in category_pairs], [s for _, s in category_pairs]),
    )


def blend_units(
    categories: list[tuple[str, float]],
    text_units: Ranked | None,
    route: Callable[[str], str | None],
) -> list[tuple[str, float]]:
    """The unit: the catalogue's routing of the likely categories (`route(category code)` gives
    its unit's code), blended with the text-and-place model's own ranking when there is one."""
    routed: dict[str, float] = defaultdict(float)
    for code, score in categories[:_TOP_CATEGORIES]:
        unit = route(code)
        if unit:
            routed[unit] += score
    if text_units is None:
        return _normalised(routed)
    blended: dict[str, float] = defaultdict(float)
    routed_total = sum(routed.values()) or 1.0
    weight = CATALOGUE_WEIGHT if routed else 0.0
    for code, score in routed.items():
        blended[code] += weight * score / routed_total
    for code, score in text_units.top(8):
        blended[code] += (1 - weight) * score
    return _normalised(blended)


def catalogue_route(
    region: Region | None, found: dict[str, Category]
) -> Callable[[str], str | None]:
    """The dispatch catalogue as a function of the category's code, for one place."""

    def route(code: str) -> str | None:
        category = found.get(code)
        unit = dispatch_proposal(category=category, region=region) if category else None
        return unit.code if unit else None

    return route


def suggest_text(text: str, *, region: Region | None = None) -> dict[str, Any]:
    """The suggestion for a text: a JSON-ready dict (see the module's docstring)."""
    version, model = model_current()
    text_units: Ranked | None = None
    if model is not None:
        kind_rank, category_rank, text_units = model.rank([text], [township_code(region)])[0]
        kind_rank = blend_kinds(kind_rank, kind_words(text))
        source = "model"
    else:
        kind_rank, category_rank = _by_rules(text)
        source = "rules"
    category_pairs = [(c, s) for c, s in category_rank.top(_TOP_CATEGORIES) if c]
    found = Category.objects.in_bulk([c for c, _ in category_pairs], field_name="code")
    category_pairs = [(c, s) for c, s in category_pairs if c in found]
    unit_pairs = blend_units(category_pairs, text_units, catalogue_route(region, found))
    unit_names = dict(
        Unit.objects.filter(code__in=[c for c, _ in unit_pairs[: 1 + ALTERNATIVES]]).values_list(
            "code", "name"
        )
    )
    kind_names = {k: str(label) for k, label in Kind.choices}
    return {
        "source": source,
        "model_version": version if source == "model" else None,
        "kind": _field(kind_rank.top(1 + ALTERNATIVES + 1), kind_names),
        "category": _field(category_pairs, {c: cat.name for c, cat in found.items()}),
        "unit": _field(unit_pairs, unit_names),
    }
