"""`wenmin insight suggest|similar|train|evaluate` and the API: the shapes they answer."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from wenmin.insight.evaluate import real_texts
from wenmin.insight.services import cases_index_missing
from wenmin.insight.tests.history import History, case_made, closed_history
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db

FIELD_KEYS = {"code", "name", "confidence", "alternatives"}


def _run(*args: str, stdin: str | None = None) -> list[str]:
    out = io.StringIO()
    if stdin is not None:
        old, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            call_command("insight", *args, stdout=out)
        finally:
            sys.stdin = old
    else:
        call_command("insight", *args, stdout=out)
    return [line for line in out.getvalue().splitlines() if line]


def _field_shape(field: dict) -> None:  # type: ignore[type-arg]
    assert set(field) == FIELD_KEYS
    for alternative in field["alternatives"]:
        assert set(alternative) == {"code", "name", "confidence"}


def test_suggest_json_one_text(desk: CaseDesk, history: History) -> None:
    (line,) = _run("suggest", "--json", "求助：桥头路灯不亮了")
    answer = json.loads(line)
    assert answer["text"] == "求助：桥头路灯不亮了"
    for field in ("kind", "category", "unit"):
        _field_shape(answer[field])
    assert answer["category"] == {**answer["category"], "code": "light", "name": "路灯故障"}
    assert answer["unit"]["code"] == desk.county.government_a.code


def test_suggest_json_reads_lines_in_order(desk: CaseDesk, history: History) -> None:
    lines = _run("suggest", "--json", stdin="举报老街水管漏水\n求助：桥头路灯不亮了\n")
    answers = [json.loads(line) for line in lines]
    assert [a["text"] for a in answers] == ["举报老街水管漏水", "求助：桥头路灯不亮了"]
    assert [a["category"]["code"] for a in answers] == ["water.leak", "light"]


def test_suggest_refuses_a_bad_line(desk: CaseDesk, history: History) -> None:
    with pytest.raises(CommandError, match="text 2"):
        _run("suggest", "--json", stdin="路灯不亮\n坏\x00字\n")


def test_similar_json_open_cases_first(desk: CaseDesk, history: History) -> None:
    text = "青石村村口的自来水管爆了，水流满地"
    closed = closed_history(desk, history, per_topic=1)[-1]  # a closed leaking-pipe case
    opened = case_made(desk, text, region=desk.county.village_a)
    from wenmin.cases.models import Case

    Case.objects.filter(pk=closed.pk).update(content=text, title=text[:20])
    cases_index_missing()
    (line,) = _run("similar", "--json", "村口自来水管爆了，水流满地")
    answer = json.loads(line)
    numbers = [c["number"] for c in answer["cases"]]
    assert numbers[0] == opened.number and closed.number in numbers
    first = answer["cases"][0]
    assert {"number", "state", "state_label", "open", "score"} <= set(first)
    assert first["open"] is True and first["state"] == "collected"


def test_train_and_evaluate_print_their_figures(desk: CaseDesk, history: History) -> None:
    closed_history(desk, history)
    (line,) = _run("train")
    assert "model v" in line and "48" in line
    result = json.loads(_run("evaluate", "--json")[0])
    for part in ("held_out", "real_texts"):
        for field in ("kind", "category", "unit"):
            assert {"n", "accuracy", "macro_f1"} <= set(result[part][field])
    assert result["held_out"]["category"]["n"] == 10
    assert result["real_texts"]["category"]["n"] == len(real_texts())


def test_the_real_texts_have_sources_and_labels() -> None:
    rows = real_texts()
    assert len(rows) >= 100
    for row in rows:
        assert row["source"].startswith("http")
        assert row["text"] and row["kind"] and row["category"]


def test_the_api_answers_suggestion_similar_and_apply(desk: CaseDesk, history: History) -> None:
    case = case_made(desk, "求助：新村路灯不亮了好几天", region=desk.county.village_a)
    client = Client()
    client.force_login(desk.dispatcher)
    base = f"/api/v1/insight/cases/{case.number}"
    answer = client.get(f"{base}/suggestion").json()
    assert answer["number"] == case.number and answer["category"]["code"] == "light"
    assert answer["category_right"] is None
    similar = client.get(f"{base}/similar").json()
    assert set(similar) == {"duplicates", "related"}
    bad = client.post(
        f"{base}/suggestion/apply", {"kind": "nope", "category": "light"}, "application/json"
    )
    assert bad.status_code == 400
    done = client.post(
        f"{base}/suggestion/apply",
        {"kind": "help", "category": "light", "unit": desk.county.government_a.code},
        "application/json",
    )
    assert done.status_code == 200 and done.json()["state"] == "dispatched"
    assert client.get(f"{base}/suggestion").json()["category_right"] is True
    again = client.post(
        f"{base}/suggestion/apply", {"kind": "help", "category": "light"}, "application/json"
    )
    assert again.status_code == 409
    text = client.post("/api/v1/insight/suggest", {"text": "举报水管漏水"}, "application/json")
    assert text.json()["category"]["code"] == "water.leak"
    clerk = Client()
    clerk.force_login(desk.county.township_clerk)
    assert (
        clerk.post("/api/v1/insight/suggest", {"text": "x"}, "application/json").status_code == 403
    )
