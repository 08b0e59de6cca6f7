"""Needs that waited for a volunteer activity: listed by township for the staff who read the round,
resolved later (on the spot, by an activity) or made a case, audited; refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from wenmin.cases.models import Case, Channel
from wenmin.core.models import AuditEvent
from wenmin.surveys import services
from wenmin.surveys.models import Need, NeedState, Resolution
from wenmin.surveys.services import NeedInput

from .conftest import Survey


def _client(user: Any, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _waiting(survey: Survey, text: str = "需要志愿者帮忙打扫卫生", code: str = "H-QS-001") -> Need:
    visit = services.visit_submit(
        actor=survey.desk.county.volunteer,
        idempotency_key=f"visit-{code}-{len(text)}",
        version=survey.version,
        assignment=survey.plan.assignments.get(household__code=code),
        answers=survey.answers(),
        needs=[NeedInput("care", text, Resolution.WAITING)],
    ).visit
    return visit.needs.get()


def test_a_waiting_need_resolved_by_an_activity_is_audited(survey: Survey) -> None:
    need = _waiting(survey)
    clerk = survey.desk.county.township_clerk
    done = services.need_resolve(
        need=need, actor=clerk, resolution=Resolution.ACTIVITY, note="党员义工队上门打扫"
    )
    assert done.resolution == Resolution.ACTIVITY and done.state == NeedState.RESOLVED
    assert done.resolved_by == clerk and done.resolved_at is not None
    assert done.resolution_note == "党员义工队上门打扫"
    assert done.deed_ref is None  # the practical deed, once the deeds register exists
    event = AuditEvent.objects.get(action="surveys.need_resolve", target_id=str(need.pk))
    assert event.changes["resolution"] == [Resolution.WAITING, Resolution.ACTIVITY]


def test_a_waiting_need_made_a_case_enters_the_workflow(survey: Survey) -> None:
    need = _waiting(survey)
    done = services.need_resolve(
        need=need, actor=survey.desk.county.township_clerk, resolution=Resolution.CASE, note=""
    )
    assert done.case is not None and done.case.channel == Channel.NEEDS_SURVEY
    assert done.resolution == Resolution.CASE and done.state == NeedState.OPEN
    assert need.text in done.case.content


def _refused(need: Need, field: str, **arguments: Any) -> None:
    cases = Case.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.need_resolve(need=need, **arguments)
    assert field in refused.value.message_dict, refused.value.message_dict
    need.refresh_from_db()
    assert Case.objects.count() == cases
    assert not AuditEvent.objects.filter(action="surveys.need_resolve").exists()


def test_refusals_change_nothing(survey: Survey) -> None:
    need = _waiting(survey)
    clerk = survey.desk.county.township_clerk
    _refused(need, "resolution", actor=clerk, resolution=Resolution.WAITING, note="x")
    _refused(need, "note", actor=clerk, resolution=Resolution.ON_THE_SPOT, note="  ")
    assert need.resolution == Resolution.WAITING and need.state == NeedState.OPEN


def test_a_need_that_does_not_wait_any_more_is_refused(survey: Survey) -> None:
    need = _waiting(survey)
    clerk = survey.desk.county.township_clerk
    services.need_resolve(need=need, actor=clerk, resolution=Resolution.ON_THE_SPOT, note="已办")
    with pytest.raises(ValidationError) as refused:
        services.need_resolve(need=need, actor=clerk, resolution=Resolution.CASE, note="")
    assert "resolution" in refused.value.message_dict
    assert not Case.objects.filter(channel=Channel.NEEDS_SURVEY).exists()


def test_the_waiting_list_counts_by_township_and_links_to_each_list(survey: Survey) -> None:
    c = survey.desk.county
    first = _waiting(survey)
    _waiting(survey, text="需要帮忙修理门锁", code="H-QS-002")
    page = _client(c.township_clerk, "en").get(reverse("surveys:needs_waiting"))
    assert page.status_code == 200
    html = page.content.decode()
    township = reverse("surveys:needs_waiting") + f"?township={c.township_a.pk}"
    assert f'href="{township}">2<' in html
    listed = _client(c.township_clerk).get(township)
    assert listed.context["page"].paginator.count == 2
    assert f'data-need="{first.pk}"' in listed.content.decode()
    # The other township's clerk sees none of them.
    other = _client(c.other_township_clerk).get(reverse("surveys:needs_waiting"))
    assert other.status_code == 200 and other.context["page"].paginator.count == 0
    assert _client(c.volunteer).get(reverse("surveys:needs_waiting")).status_code == 403
    assert (
        _client(c.township_clerk).get(reverse("surveys:needs_waiting") + "?township=x").status_code
        == 400
    )


def test_the_staff_resolve_a_waiting_need_from_the_list(survey: Survey) -> None:
    c = survey.desk.county
    need = _waiting(survey)
    url = reverse("surveys:need_resolve", args=[need.pk])
    other = _client(c.other_township_clerk).post(
        url, {"resolution": Resolution.ACTIVITY, "note": "x"}
    )
    assert other.status_code == 404
    clerk = _client(c.township_clerk, "en")
    refused = clerk.post(url, {"resolution": Resolution.ACTIVITY, "note": ""}, follow=True)
    assert "Say how the need was resolved." in refused.content.decode()
    need.refresh_from_db()
    assert need.resolution == Resolution.WAITING
    done = clerk.post(url, {"resolution": Resolution.CASE, "note": "需要镇里协调"}, follow=True)
    assert "The need is now case" in done.content.decode(), [
        str(m) for m in done.context["messages"]
    ]
    need.refresh_from_db()
    assert need.case is not None and need.resolution == Resolution.CASE
    left = clerk.get(reverse("surveys:needs_waiting"))
    assert left.context["page"].paginator.count == 0


def test_the_waiting_list_reads_in_as_many_queries_for_three_needs_as_for_one(
    survey: Survey,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clerk = _client(survey.desk.county.township_clerk)
    url = reverse("surveys:needs_waiting")
    _waiting(survey)
    clerk.get(url)  # the session and the menus' first reads
    with CaptureQueriesContext(connection) as one:
        assert clerk.get(url).status_code == 200
    _waiting(survey, text="需要帮忙修理门锁", code="H-QS-002")
    _waiting(survey, text="需要帮忙换灯泡", code="H-QS-003")
    with CaptureQueriesContext(connection) as three:
        assert clerk.get(url).context["page"].paginator.count == 3
    assert len(three) == len(one)


def test_my_answers_reads_in_as_many_queries_for_two_rounds_as_for_one(survey: Survey) -> None:
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wenmin.residents.testing import phone_verified

    c = survey.desk.county
    today = timezone.localdate()
    type(survey.plan).objects.filter(pk=survey.plan.pk).update(
        ends_on=today + dt.timedelta(days=60)
    )
    survey.plan.refresh_from_db()
    second = services.plan_create(
        actor=c.township_clerk, version=survey.version, name="2026年秋季走访",
        starts_on=today, ends_on=today + dt.timedelta(days=60), teams=[c.team_a],
        households=survey.households[:1],
    )  # fmt: skip
    for plan in (survey.plan, second):
        services.plan_open_to_residents(
            actor=c.township_clerk, plan=plan, until=today + dt.timedelta(days=30)
        )
    resident = phone_verified(c.resident)
    client = _client(resident)
    url = reverse("surveys:my_answers")

    def answer(plan: Any, key: str) -> None:
        services.answer_submit(
            actor=resident, idempotency_key=key, plan=plan, answers=survey.answers(),
            needs=[NeedInput("care", "需要陪同就医", Resolution.CASE)],
        )  # fmt: skip

    answer(survey.plan, "answer-first")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    answer(second, "answer-second")
    with CaptureQueriesContext(connection) as two:
        page = client.get(url)
    assert page.content.decode().count("data-answer=") == 2
    assert len(two) == len(one)
