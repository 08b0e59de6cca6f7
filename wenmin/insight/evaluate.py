"""`wenmin insight evaluate`: accuracy and macro-F1 for kind, category and unit on the newest
fifth of the closed cases (a model trained on the older four fifths), and on real public case
texts kept in data/real_texts.jsonl (from published 12345 replies and leaders' message boards,
labelled by hand against the demo county's catalogue; the unit as the kind of unit, e.g.
"自来水有限公司", matched against the end of the suggested unit's name)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wenmin.cases.dispatch import dispatch_proposal
from wenmin.cases.models import Category
from wenmin.insight.history import closed_cases
from wenmin.insight.learn import MIN_EXAMPLES, Example, scores, train
from wenmin.insight.suggest import blend_kinds, blend_units, kind_rules, kind_words, suggest_text
from wenmin.organisation.models import Region

REAL_TEXTS = Path(__file__).parent / "data" / "real_texts.jsonl"
HELD_OUT = 0.2


def real_texts(path: Path = REAL_TEXTS) -> list[dict[str, Any]]:
    """The labelled real texts: text, kind, category, unit, source."""
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                rows.append(json.loads(line))
    return rows


def held_out() -> dict[str, Any]:
    """Train on the older 80 % of the closed cases, score on the newest 20 % (by receipt)."""
    examples = [example for _received, example in closed_cases()]
    cut = int(len(examples) * (1 - HELD_OUT))
    train_part, test_part = examples[:cut], examples[cut:]
    if len(train_part) < MIN_EXAMPLES or not test_part:
        return {"n": len(examples), "error": "too few closed cases"}
    model = train(train_part)
    ranked = model.rank([e.text for e in test_part], [e.place for e in test_part])
    categories = Category.objects.in_bulk(field_name="code")
    regions = Region.objects.in_bulk([e.place for e in test_part if e.place], field_name="code")
    routes: dict[tuple[str, str], str | None] = {}

    def route_for(place: str) -> Callable[[str], str | None]:
        def route(code: str) -> str | None:
            if (code, place) not in routes:
                unit = dispatch_proposal(category=categories.get(code), region=regions.get(place))
                routes[code, place] = unit.code if unit else None
            return routes[code, place]

        return route

    rules = kind_rules()
    kinds = [
        blend_kinds(r[0], kind_words(e.text, rules)).labels[0]
        for r, e in zip(ranked, test_part, strict=True)
    ]
    blended = []
    for (_k, category_rank, unit_rank), example in zip(ranked, test_part, strict=True):
        pairs = [(c, s) for c, s in category_rank.top(5) if c in categories]
        units = blend_units(pairs, unit_rank, route_for(example.place))
        blended.append(units[0][0] if units else "")
    return {
        "train": len(train_part),
        "kind": scores([e.kind for e in test_part], kinds),
        "category": scores([e.category for e in test_part], [r[1].labels[0] for r in ranked]),
        "unit": scores([e.unit for e in test_part], blended),
    }


def on_real_texts(rows: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The current suggestion (model or rules) on the real texts."""
    rows = real_texts() if rows is None else rows
    kinds, categories, units = [], [], []
    source = ""
    for row in rows:
        answer = suggest_text(row["text"])
        source = answer["source"]
        kinds.append((row["kind"], answer["kind"]["code"]))
        categories.append((row["category"], answer["category"]["code"]))
        unit_name = answer["unit"]["name"] or ""
        wanted = row.get("unit", "")
        units.append((wanted, wanted if wanted and unit_name.endswith(wanted) else unit_name))
    return {
        "source": source,
        "kind": scores([t for t, _ in kinds], [p for _, p in kinds]),
        "category": scores([t for t, _ in categories], [p for _, p in categories]),
        "unit": scores([t for t, _ in units], [p for _, p in units]),
    }


def examples_count() -> int:
    return sum(1 for _ in closed_cases())


__all__ = ["Example", "held_out", "on_real_texts", "real_texts"]
