"""A resident's own answer to a round opened to residents: verified phone, once per round, the
same checks as a visit, stored once per key; counted apart from the door-to-door visits."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.models import Case, Channel
from wenmin.core.models import AuditEvent
from wenmin.households.models import MemberRelation
from wenmin.households.services import household_member_add
from wenmin.residents import mine
from wenmin.residents.testing import phone_verified
from wenmin.surveys import results, services
from wenmin.surveys.models import Need, NeedState, Resolution, Visit, VisitSource
from wenmin.surveys.services import NeedInput

from .conftest import Survey


def _client(user: Any, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _open(survey: Survey, days: int = 30) -> None:
    # The round lasts beyond the last day residents may answer, whatever today is.
    type(survey.plan).objects.filter(pk=survey.plan.pk).update(
        ends_on=timezone.localdate() + dt.timedelta(days=days + 30)
    )
    survey.plan.refresh_from_db()
    services.plan_open_to_residents(
        actor=survey.desk.county.township_clerk,
        plan=survey.plan,
        until=timezone.localdate() + dt.timedelta(days=days),
    )
    survey.plan.refresh_from_db()


def _resident(survey: Survey) -> Any:
    return phone_verified(survey.desk.county.resident)


def _answer(survey: Survey, key: str = "answer-key-0001", **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "actor": survey.desk.county.resident,
        "idempotency_key": key,
        "plan": survey.plan,
        "answers": survey.answers(),
        **overrides,
    }
    return services.answer_submit(**arguments)


def _refused(survey: Survey, field: str, **overrides: Any) -> list[str]:
    stored = Visit.objects.count(), Need.objects.count(), Case.objects.count()
    with pytest.raises(ValidationError) as refused:
        _answer(survey, **overrides)
    assert (Visit.objects.count(), Need.objects.count(), Case.objects.count()) == stored
    assert field in refused.value.message_dict, refused.value.message_dict
    return refused.value.message_dict[field]


def _post(survey: Survey, key: str = "answer-page-0001") -> dict[str, object]:
    return {
        "idempotency_key": key,
        f"q_{survey.single.pk}": "一般",
        f"q_{survey.multiple.pk}": ["看病"],
        f"q_{survey.number.pk}": "2",
        f"q_{survey.yes_no.pk}": "no",
        "need_kind_0": "medical",
        "need_text_0": "需要定期量血压",
        "need_resolution_0": Resolution.WAITING,
    }


# The service -----------------------------------------------------------------------------------


def test_a_verified_resident_answers_once_with_their_household(survey: Survey) -> None:
    c = survey.desk.county
    _open(survey)
    household = survey.households[0]
    household_member_add(
        actor=None, household=household, person=c.resident_a, relation=MemberRelation.HEAD
    )
    _resident(survey)
    result = _answer(
        survey,
        needs=[
            NeedInput("repair", "屋顶漏雨需修缮", Resolution.CASE),
            NeedInput("care", "需要有人陪同买菜", Resolution.WAITING),
        ],
    )
    answer = result.visit
    assert result.created
    assert answer.source == VisitSource.RESIDENT
    assert answer.respondent == c.resident_a and answer.household == household
    assert answer.volunteer is None and answer.team is None
    assert answer.village == c.village_a
    assert answer.answers[str(survey.number.pk)] == 3
    case_need, waiting = answer.needs.order_by("id")
    assert case_need.case is not None and case_need.case.channel == Channel.NEEDS_SURVEY
    assert case_need.case.requester == c.resident_a
    assert waiting.resolution == Resolution.WAITING and waiting.state == NeedState.OPEN
    assert AuditEvent.objects.filter(action="surveys.answer_submit", target_id=str(answer.pk))


def test_a_resident_outside_the_households_register_answers_with_their_place(
    survey: Survey,
) -> None:
    _open(survey)
    _resident(survey)
    answer = _answer(survey).visit
    assert answer.household is None
    # 陈明 lives in a villagers' group of 青石村: the answer counts in the village.
    assert answer.village == survey.desk.county.village_a


def test_the_same_answer_sent_twice_is_stored_once(survey: Survey) -> None:
    _open(survey)
    _resident(survey)
    needs = [NeedInput("repair", "屋顶漏雨需修缮", Resolution.CASE)]
    first = _answer(survey, needs=needs)
    again = _answer(survey, needs=needs)
    assert first.created and not again.created and again.visit.pk == first.visit.pk
    assert Visit.objects.count() == 1
    assert Case.objects.filter(channel=Channel.NEEDS_SURVEY).count() == 1


def test_a_second_answer_of_the_same_resident_is_refused(survey: Survey) -> None:
    _open(survey)
    _resident(survey)
    _answer(survey)
    [message] = _refused(survey, "resident", key="answer-key-0002")
    assert "one answer per resident" in message or "每位居民" in message


def test_an_unverified_resident_is_refused(survey: Survey) -> None:
    _open(survey)
    [message] = _refused(survey, "resident")
    assert message


def test_an_answer_to_a_round_not_open_to_residents_is_refused(survey: Survey) -> None:
    _resident(survey)
    _refused(survey, "plan")


def test_an_answer_after_the_last_day_is_refused(survey: Survey) -> None:
    _open(survey)
    _resident(survey)
    type(survey.plan).objects.filter(pk=survey.plan.pk).update(
        residents_until=timezone.localdate() - dt.timedelta(days=1)
    )
    survey.plan.refresh_from_db()
    _refused(survey, "plan")


def test_an_answer_to_a_retired_version_is_refused(survey: Survey) -> None:
    _open(survey)
    _resident(survey)
    services.version_retire(actor=survey.desk.county.township_clerk, version=survey.version)
    survey.plan.refresh_from_db()
    survey.plan.version.refresh_from_db()
    _refused(survey, "version")


def test_a_resident_answer_goes_through_the_visits_checks(survey: Survey) -> None:
    _open(survey)
    _resident(survey)
    answers = {**survey.answers(), str(survey.number.pk): "99"}
    _refused(survey, f"answers.{survey.number.pk}", answers=answers)
    _refused(survey, "needs.0.text", needs=[NeedInput("care", "", Resolution.WAITING)])


def test_a_resident_cannot_say_their_need_was_resolved_on_the_spot(survey: Survey) -> None:
    _open(survey)
    _resident(survey)
    _refused(
        survey, "needs.0.resolution", needs=[NeedInput("care", "打扫卫生", Resolution.ON_THE_SPOT)]
    )


def test_opening_to_residents_is_refused_after_the_round_and_for_others(survey: Survey) -> None:
    c = survey.desk.county
    _open(survey)
    services.plan_open_to_residents(actor=c.township_clerk, plan=survey.plan, until=None)
    with pytest.raises(ValidationError) as refused:
        services.plan_open_to_residents(
            actor=c.township_clerk, plan=survey.plan, until=survey.plan.ends_on.replace(year=2099)
        )
    assert "residents_until" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.plan_open_to_residents(
            actor=c.township_clerk, plan=survey.plan, until=dt.date(2000, 1, 1)
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.plan_open_to_residents(
            actor=c.other_township_clerk, plan=survey.plan, until=timezone.localdate()
        )
    survey.plan.refresh_from_db()
    assert survey.plan.residents_until is None


# Results ---------------------------------------------------------------------------------------


def test_results_count_residents_answers_apart_from_visits(survey: Survey) -> None:
    c = survey.desk.county
    _open(survey)
    services.visit_submit(
        actor=c.volunteer,
        idempotency_key="visit-key-0001",
        version=survey.version,
        assignment=survey.plan.assignments.get(household__code="H-QS-001"),
        answers=survey.answers(),
        latitude="36.1", longitude="117.2",
    )  # fmt: skip
    _resident(survey)
    _answer(survey, answers={**survey.answers(), str(survey.single.pk): "较差"})
    counted = results.sources(survey.plan, None)
    assert (counted.door, counted.located, counted.resident) == (1, 1, 1)
    assert results.coverage(survey.plan, None).total.visited == 1
    tally = next(t for t in results.tallies(survey.plan, None) if t.question == survey.single)
    rows = {value: (n, door, online) for value, _, n, door, online in tally.rows}
    assert rows["良好"] == (1, 1, 0) and rows["较差"] == (1, 0, 1)
    assert (tally.answered, tally.answered_door, tally.answered_resident) == (2, 1, 1)

    page = _client(c.township_clerk).get(reverse("surveys:plan_results", args=[survey.plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    online = reverse("surveys:plan_visits", args=[survey.plan.pk]) + "?source=resident"
    assert f'data-count="resident" href="{online}">1<' in html
    listed = _client(c.township_clerk).get(online)
    assert listed.context["page"].paginator.count == 1


# Pages -----------------------------------------------------------------------------------------


def test_an_unverified_visitor_is_sent_to_verify_their_phone(survey: Survey) -> None:
    _open(survey)
    url = reverse("surveys:answer", args=[survey.plan.pk])
    response = _client(survey.desk.county.resident).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:verify") + "?next=" + quote(url, safe="")
    posted = _client(survey.desk.county.resident).post(url, _post(survey))
    assert posted.status_code == 302 and Visit.objects.count() == 0


def test_a_round_never_opened_to_residents_is_not_public(survey: Survey) -> None:
    _resident(survey)
    url = reverse("surveys:answer", args=[survey.plan.pk])
    assert _client(survey.desk.county.resident).get(url).status_code == 404


@pytest.mark.parametrize(
    ("language", "words"), [("en", "Send my answer"), ("zh-hans", "提交我的回答")]
)
def test_a_resident_answers_on_the_page_and_sees_it_in_their_answers(
    survey: Survey, language: str, words: str
) -> None:
    c = survey.desk.county
    _open(survey)
    client = _client(_resident(survey), language)
    url = reverse("surveys:answer", args=[survey.plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert words in html and survey.single.text in html
    assert c.resident_a.name not in html  # nothing personal on the public page
    listed = client.get(reverse("surveys:my_answers")).content.decode()
    assert f'data-open-plan="{survey.plan.pk}"' in listed  # the round waits for their answer
    sent = client.post(url, _post(survey))
    assert sent.status_code == 302 and sent["Location"] == reverse("surveys:my_answers")
    answer = Visit.objects.get(source=VisitSource.RESIDENT)
    assert answer.needs.get().resolution == Resolution.WAITING
    mine_page = client.get(reverse("surveys:my_answers")).content.decode()
    assert f'data-answer="{answer.pk}"' in mine_page
    assert f'data-open-plan="{survey.plan.pk}"' not in mine_page
    again = client.get(url)
    assert f'data-answered="{answer.pk}"' in again.content.decode()
    refused = client.post(url, _post(survey, key="answer-page-0002"))
    assert refused.status_code == 400 and Visit.objects.count() == 1


def test_a_refused_answer_shows_why_and_stores_nothing(survey: Survey) -> None:
    _open(survey)
    client = _client(_resident(survey), "en")
    data = {**_post(survey), f"q_{survey.number.pk}": "99"}
    refused = client.post(reverse("surveys:answer", args=[survey.plan.pk]), data)
    assert refused.status_code == 400
    assert 'class="errorlist"' in refused.content.decode()
    assert Visit.objects.count() == 0


def test_the_closed_round_says_so(survey: Survey) -> None:
    _open(survey)
    type(survey.plan).objects.filter(pk=survey.plan.pk).update(
        residents_until=timezone.localdate() - dt.timedelta(days=1)
    )
    client = _client(_resident(survey), "en")
    url = reverse("surveys:answer", args=[survey.plan.pk])
    assert "data-closed" in client.get(url).content.decode()
    refused = client.post(url, _post(survey))
    assert refused.status_code == 400 and Visit.objects.count() == 0


def test_my_survey_answers_is_a_section_of_the_residents_page(survey: Survey) -> None:
    _open(survey)
    resident = _resident(survey)
    rows = {row.url_name: row for row in mine.sections_for(resident)}
    assert rows["surveys:my_answers"].count == 0
    _answer(survey)
    rows = {row.url_name: row for row in mine.sections_for(resident)}
    assert rows["surveys:my_answers"].count == 1
    me = _client(resident, "en").get(reverse("residents:me")).content.decode()
    assert "My survey answers" in me and reverse("surveys:my_answers") in me
    empty = _client(survey.desk.county.township_clerk)
    assert empty.get(reverse("surveys:my_answers")).status_code == 302  # not verified


def test_the_owner_opens_and_closes_the_round_on_the_results_page(survey: Survey) -> None:
    c = survey.desk.county
    clerk = _client(c.township_clerk, "en")
    _open(survey)
    clerk.post(reverse("surveys:plan_residents", args=[survey.plan.pk]), {"residents_until": ""})
    url = reverse("surveys:plan_residents", args=[survey.plan.pk])
    until = timezone.localdate() + dt.timedelta(days=7)
    assert clerk.post(url, {"residents_until": until.isoformat()}).status_code == 302
    survey.plan.refresh_from_db()
    assert survey.plan.residents_until == until
    results_page = clerk.get(reverse("surveys:plan_results", args=[survey.plan.pk]))
    assert reverse("surveys:answer", args=[survey.plan.pk]) in results_page.content.decode()
    assert clerk.post(url, {"residents_until": ""}).status_code == 302
    survey.plan.refresh_from_db()
    assert survey.plan.residents_until is None
    other = _client(c.other_township_clerk)
    assert other.post(url, {"residents_until": until.isoformat()}).status_code in (403, 404)


def test_a_need_of_a_resident_whose_place_is_not_known_is_counted_and_listed(
    survey: Survey,
) -> None:
    from wenmin.organisation.models import Person

    c = survey.desk.county
    _open(survey)
    Person.objects.filter(pk=c.resident_a.pk).update(region=None)
    assert c.resident.person is not None
    c.resident.person.refresh_from_db()
    _resident(survey)
    answer = _answer(
        survey, needs=[NeedInput("care", "需要有人陪同买菜", Resolution.WAITING)]
    ).visit
    assert answer.village is None and answer.household is None
    table = results.needs_summary(survey.plan, None)
    assert [(v, n) for v, _, _, n in table.villages] == [(0, 1)] and table.total == 1
    county = _client(c.leader, "en")
    html = county.get(reverse("surveys:plan_results", args=[survey.plan.pk])).content.decode()
    listed = reverse("surveys:plan_needs", args=[survey.plan.pk]) + "?village=0"
    assert f'href="{listed}">1<' in html
    assert county.get(listed).context["page"].paginator.count == 1
    # Another township's staff read nothing of this round.
    assert _client(c.other_township_clerk).get(listed).status_code == 404
