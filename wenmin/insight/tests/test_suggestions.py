"""Suggestions at analysis: the keyword rules without history, the model once trained, the
dispatcher's panel, one-click apply and the verdicts recorded, and how often they were right."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from wenmin.cases import services as case_services
from wenmin.cases.models import Case
from wenmin.cases.workflow import State
from wenmin.core.models import AuditEvent
from wenmin.insight.learn import MIN_EXAMPLES
from wenmin.insight.models import KeywordRule, Suggestion, SuggestionModel
from wenmin.insight.services import model_train
from wenmin.insight.suggest import suggest_text
from wenmin.insight.tests.history import History, case_made, closed_history
from wenmin.testing import CaseDesk

pytestmark = pytest.mark.django_db


def _login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_without_history_the_keyword_rules_answer(desk: CaseDesk, history: History) -> None:
    answer = suggest_text("投诉：学校门口的路灯不亮，晚上很黑")
    assert answer["source"] == "rules"
    assert answer["model_version"] is None
    assert answer["category"]["code"] == "light"
    assert answer["kind"]["code"] == "complaint"
    assert answer["unit"]["code"] == desk.county.government_a.code
    assert 0 < answer["category"]["confidence"] <= 1


def test_the_rules_are_editable(desk: CaseDesk, history: History) -> None:
    text = "家门口那个窨井盖不见了"
    assert suggest_text(text)["category"]["code"] == ""
    KeywordRule.objects.create(word="窨井盖", category=history.road, weight=2)
    assert suggest_text(text)["category"]["code"] == "road"


def test_training_needs_enough_closed_cases(desk: CaseDesk, history: History) -> None:
    closed_history(desk, history, per_topic=(MIN_EXAMPLES - 1) // 3)
    assert model_train(actor=None) is None
    assert not SuggestionModel.objects.exists()


@pytest.mark.parametrize(
    ("text", "kind", "category", "unit"),
    [
        ("投诉老街那段道路坑洼，一下雨全是水", "complaint", "road", "road_unit"),
        ("求助：桥头路灯不亮了，晚上看不见", "help", "light", "light_unit"),
        ("举报河边水管漏水，自来水一直流", "report", "water.leak", "water_unit"),
    ],
)
def test_a_trained_model_suggests_clear_texts(
    desk: CaseDesk, history: History, text: str, kind: str, category: str, unit: str
) -> None:
    closed_history(desk, history)
    model = model_train(actor=None)
    assert model is not None and model.trained_on == 48
    answer = suggest_text(text, region=desk.county.village_b)
    assert answer["source"] == "model"
    assert answer["model_version"] == model.pk
    assert answer["kind"]["code"] == kind
    assert answer["category"]["code"] == category
    assert answer["unit"]["code"] == getattr(history, unit).code
    for field in ("kind", "category", "unit"):
        alternatives = answer[field]["alternatives"]
        assert len(alternatives) <= 3
        confidences = [answer[field]["confidence"], *(a["confidence"] for a in alternatives)]
        assert confidences == sorted(confidences, reverse=True)
    assert AuditEvent.objects.filter(action="insight.model_train").count() == 1


def test_intake_computes_no_suggestion(desk: CaseDesk, history: History) -> None:
    case_made(desk, "求助：桥头路灯不亮了")
    assert not Suggestion.objects.exists()


def test_the_dispatcher_applies_the_suggestion_in_one_click(
    desk: CaseDesk, history: History
) -> None:
    case = case_made(desk, "求助：新村路灯不亮了好几天", region=desk.county.village_a)
    client = _login(desk.dispatcher)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    html = page.content.decode()
    assert 'data-panel="insight:case"' in html
    assert 'name="category" value="light" checked' in html
    suggestion = Suggestion.objects.get(case=case)
    answer = suggestion.details
    response = client.post(
        reverse("insight:apply", args=[case.pk]),
        {
            "kind": answer["kind"]["code"],
            "category": answer["category"]["code"],
            "unit": answer["unit"]["code"],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.DISPATCHED
    assert case.category == history.light
    assert case.lead_unit == desk.county.government_a
    suggestion.refresh_from_db()
    assert (suggestion.kind_right, suggestion.category_right, suggestion.unit_right) == (
        True,
        True,
        True,
    )
    assert suggestion.accepted_by == desk.dispatcher
    assert AuditEvent.objects.filter(action="insight.suggestion_apply").count() == 1


def test_an_override_is_recorded_as_wrong(desk: CaseDesk, history: History) -> None:
    case = case_made(desk, "求助：新村路灯不亮了好几天", region=desk.county.village_a)
    client = _login(desk.dispatcher)
    client.get(reverse("cases:case_detail", args=[case.pk]))
    # The dispatcher picks an alternative category and another unit on the panel.
    client.post(
        reverse("insight:apply", args=[case.pk]),
        {"kind": "help", "category": "road", "unit": desk.county.department.code},
    )
    suggestion = Suggestion.objects.get(case=case)
    assert (suggestion.kind_right, suggestion.category_right, suggestion.unit_right) == (
        True,
        False,
        False,
    )
    # Classified through the case's own form instead: recorded the same way.
    other = case_made(desk, "举报老街水管漏水", region=desk.county.village_a)
    client.get(reverse("cases:case_detail", args=[other.pk]))
    case_services.case_classify(
        case=other, actor=desk.dispatcher, kind="complaint", category=history.road, urgency="normal"
    )
    verdict = Suggestion.objects.get(case=other)
    assert (verdict.kind_right, verdict.category_right, verdict.unit_right) == (False, False, None)

    home = client.get(reverse("insight:home")).content.decode()
    assert f'{reverse("insight:listed")}?field=category&amp;outcome=wrong">2</a>' in home
    assert f'{reverse("insight:listed")}?field=kind&amp;outcome=right">1</a>' in home
    listed = client.get(reverse("insight:listed"), {"field": "category", "outcome": "wrong"})
    assert 'data-total="2"' in listed.content.decode()
    assert listed.content.decode().count("data-suggestion=") == 2
    listed = client.get(reverse("insight:listed"), {"field": "unit", "outcome": "right"})
    assert 'data-total="0"' in listed.content.decode()


def test_apply_is_refused_cleanly(desk: CaseDesk, history: History) -> None:
    case = case_made(desk, "求助：新村路灯不亮了", region=desk.county.village_a)
    clerk = _login(desk.county.township_clerk)
    url = reverse("insight:apply", args=[case.pk])
    assert clerk.post(url, {"kind": "help", "category": "light"}).status_code == 403
    dispatcher = _login(desk.dispatcher)
    for junk in (
        {"kind": "nonsense", "category": "light"},
        {"kind": "help", "category": "no-such"},
        {"kind": "help", "category": "light\x00"},
        {"kind": "help"},
    ):
        assert dispatcher.post(url, junk).status_code == 302
    case.refresh_from_db()
    assert case.state == State.COLLECTED and case.category is None
    assert not AuditEvent.objects.filter(action="insight.suggestion_apply").exists()
    assert dispatcher.post(reverse("insight:apply", args=["x" * 40]), {}).status_code == 404
    # A case already dispatched: the apply says someone acted first and changes nothing.
    case_services.case_dispatch(case=case, actor=desk.dispatcher, unit=desk.county.department)
    dispatcher.post(url, {"kind": "help", "category": "light"})
    assert Case.objects.get(pk=case.pk).lead_unit == desk.county.department


def test_only_insight_users_see_the_pages(desk: CaseDesk, history: History) -> None:
    assert _login(desk.county.township_clerk).get(reverse("insight:home")).status_code == 403
    assert _login(desk.dispatcher).get(reverse("insight:home")).status_code == 200
    assert _login(desk.dispatcher).get(reverse("insight:listed"), {"field": "x"}).status_code == 400
