"""A county form's results read by a township see that township's households only; the demo's
rounds and the figures `wenmin stats` reports; the results page's queries do not grow with visits."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.households.models import Household
from wenmin.surveys import services
from wenmin.surveys.demo import demo_surveys, surveys_stats
from wenmin.surveys.models import Resolution, SurveyForm, VisitPlan
from wenmin.surveys.services import NeedInput

from .conftest import Survey


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _county_round(survey: Survey) -> VisitPlan:
    c = survey.desk.county
    form = services.form_create(
        actor=c.administrator, title="全县关爱走访", owner=c.county_committee
    )
    version = form.versions.get()
    services.question_add(actor=c.administrator, version=version, kind="yes_no", text="是否独居")
    services.version_publish(actor=c.administrator, version=version)
    version.refresh_from_db()
    return services.plan_create(
        actor=c.administrator,
        version=version,
        name="全县秋季走访",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 10, 31),
        teams=[c.team_a],
        households=list(Household.objects.all()),
    )


def test_a_township_reads_a_county_rounds_results_for_its_own_households(survey: Survey) -> None:
    c = survey.desk.county
    plan = _county_round(survey)
    url = reverse("surveys:plan_households", args=[plan.pk])
    listed = {
        user.username: set(
            re.findall(r'data-household="([^"]+)"', _client(user).get(url).content.decode())
        )
        for user in (c.township_clerk, c.other_township_clerk, c.administrator)
    }
    assert listed[c.township_clerk.username] == {"H-QS-001", "H-QS-002", "H-QS-003"}
    assert listed[c.other_township_clerk.username] == {"H-BS-001"}
    assert len(listed[c.administrator.username]) == 4
    assert _client(c.department_clerk).get(url).status_code == 404


def test_the_results_page_reads_in_a_fixed_number_of_queries(
    survey: Survey, django_assert_max_num_queries: Any
) -> None:
    c = survey.desk.county
    client = _client(c.township_clerk)
    url = reverse("surveys:plan_results", args=[survey.plan.pk])
    client.get(url)  # sessions, caches
    for n, code in enumerate(["H-QS-001", "H-QS-002", "H-QS-003"]):
        services.visit_submit(
            actor=c.volunteer,
            idempotency_key=f"visit-key-{n:04d}",
            version=survey.version,
            assignment=survey.plan.assignments.get(household__code=code),
            answers=survey.answers(),
            needs=[NeedInput("care", "打扫卫生", Resolution.ON_THE_SPOT)],
        )
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_the_demo_surveys_two_rounds_and_counts_them(survey: Survey) -> None:
    from wenmin.households.models import HouseholdMember, MemberRelation

    VisitPlan.objects.all().delete()
    SurveyForm.objects.all().delete()
    HouseholdMember.objects.create(
        household=survey.households[0], person=survey.desk.county.resident_a,
        relation=MemberRelation.HEAD,
    )  # fmt: skip
    [line] = demo_surveys(seed=1, now=timezone.now())
    figures = surveys_stats()
    # The autumn round was open to residents: the household's member answered it online.
    assert figures["resident_answers"] == 1
    assert figures["forms"] == 1 and figures["plans"] == 2
    assert figures["visits_planned"] == 2 * Household.objects.count()
    assert 0 < figures["visits"] <= figures["visits_planned"]
    assert sum(figures["needs_by_resolution"].values()) == figures["needs"]
    assert str(figures["visits"]) in line
    spring, autumn = VisitPlan.objects.order_by("starts_on")
    assert spring.version.retired_at is not None and autumn.version.is_open
    assert demo_surveys(seed=1, now=timezone.now()) != [line]  # a second load leaves it as it was
    assert surveys_stats() == figures


def test_the_demo_says_so_when_no_household_is_in_care(desk: Any) -> None:
    [line] = demo_surveys(seed=1, now=timezone.now())
    assert SurveyForm.objects.count() == 1
    assert VisitPlan.objects.count() == 0
    assert "农户" in line


def test_the_stats_of_an_empty_database_are_zeros(db: Any) -> None:
    assert surveys_stats() == {
        "forms": 0,
        "plans": 0,
        "visits_planned": 0,
        "visits": 0,
        "resident_answers": 0,
        "needs": 0,
        "needs_by_resolution": {
            "resolved_on_spot": 0,
            "case": 0,
            "waiting_for_activity": 0,
            "resolved_by_activity": 0,
        },
    }


def test_the_lists_read_in_as_many_queries_for_one_visit_as_for_three(survey: Survey) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = survey.desk.county
    staff, volunteer = _client(c.township_clerk), _client(c.volunteer)
    pages = [
        (staff, reverse("surveys:plan_visits", args=[survey.plan.pk])),
        (staff, reverse("surveys:plan_needs", args=[survey.plan.pk])),
        (staff, reverse("surveys:plan_households", args=[survey.plan.pk]) + "?visited=yes"),
        (volunteer, reverse("surveys:my_visits")),
    ]

    def counts() -> list[int]:
        found = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    def visit(n: int, code: str) -> None:
        services.visit_submit(
            actor=c.volunteer,
            idempotency_key=f"visit-key-{n:04d}",
            version=survey.version,
            assignment=survey.plan.assignments.get(household__code=code),
            answers=survey.answers(),
            needs=[NeedInput("repair", "屋顶漏雨", Resolution.CASE)],
        )

    visit(0, "H-QS-001")
    one = counts()
    visit(1, "H-QS-002")
    visit(2, "H-QS-003")
    assert counts() == one
