"""The surveys through their pages: the volunteer's plain-POST form, the results whose every number
opens the exact list it counts, the export, and who may open what."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from wenmin.surveys import services
from wenmin.surveys.models import Need, Resolution, Visit
from wenmin.surveys.services import NeedInput

from .conftest import Survey


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _post_data(survey: Survey, key: str) -> dict[str, object]:
    return {
        "idempotency_key": key,
        f"q_{survey.single.pk}": "一般",
        f"q_{survey.multiple.pk}": ["看病", "代购"],
        f"q_{survey.number.pk}": "2",
        f"q_{survey.yes_no.pk}": "no",
        f"q_{survey.text.pk}": "",
        "need_kind_0": "repair",
        "need_text_0": "屋顶漏雨",
        "need_resolution_0": Resolution.CASE,
        "need_kind_1": "",
        "need_text_1": "",
        "need_resolution_1": Resolution.WAITING,
    }


def _visit(survey: Survey, code: str, key: str, **answers: object) -> Visit:
    assignment = survey.plan.assignments.get(household__code=code)
    return services.visit_submit(
        actor=survey.desk.county.volunteer,
        idempotency_key=key,
        version=survey.version,
        assignment=assignment,
        answers={**survey.answers(), **{str(getattr(survey, k).pk): v for k, v in answers.items()}},
        needs=[NeedInput("care", "帮助打扫卫生", Resolution.ON_THE_SPOT)],
    ).visit


def test_a_volunteer_sees_the_teams_households_and_sends_a_visit_without_javascript(
    survey: Survey,
) -> None:
    client = _client(survey.desk.county.volunteer)
    page = client.get(reverse("surveys:my_visits")).content.decode()
    assert page.count('data-assignment="') == 3
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    form = client.get(reverse("surveys:visit_new", args=[assignment.pk])).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', form)
    assert key is not None
    url = reverse("surveys:visit_new", args=[assignment.pk])
    sent = client.post(url, _post_data(survey, key.group(1)))
    visit = Visit.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("surveys:visit_done", args=[visit.pk])
    again = client.post(url, _post_data(survey, key.group(1)), HTTP_ACCEPT="application/json")
    assert again.json() == {"visit": visit.pk, "created": False, "url": sent["Location"]}
    assert Visit.objects.count() == 1
    assert Need.objects.get().case is not None
    done = client.get(sent["Location"]).content.decode()
    assert "屋顶漏雨" in done


def test_a_refused_visit_shows_each_error_at_its_question_and_keeps_the_answers(
    survey: Survey,
) -> None:
    client = _client(survey.desk.county.volunteer)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    url = reverse("surveys:visit_new", args=[assignment.pk])
    data = {**_post_data(survey, "a" * 32), f"q_{survey.number.pk}": "99"}
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"' in page  # the same visit, sent again later
    assert 'value="一般" checked' in page
    assert Visit.objects.count() == 0
    json = client.post(url, data, HTTP_ACCEPT="application/json")
    assert list(json.json()["errors"]) == [f"answers.{survey.number.pk}"]


def test_the_volunteer_pages_are_for_the_teams_volunteers_only(survey: Survey) -> None:
    c = survey.desk.county
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    assert _client(c.resident).get(reverse("surveys:my_visits")).status_code == 403
    assert (
        _client(c.township_clerk)
        .get(reverse("surveys:visit_new", args=[assignment.pk]))
        .status_code
        == 403
    )
    assignment.team = c.branch_a
    assignment.save()
    assert (
        _client(c.volunteer).get(reverse("surveys:visit_new", args=[assignment.pk])).status_code
        == 404
    )


def _links(page: str) -> dict[str, tuple[str, str]]:
    """{data-count: (href, number)} of the counting links in a piece of page."""
    return {
        match.group(1): (match.group(2).replace("&amp;", "&"), match.group(3))
        for match in re.finditer(r'data-count="([^"]+)" href="([^"]+)">(\d+)<', page)
    }


def test_every_coverage_number_opens_the_households_it_counts(survey: Survey) -> None:
    c = survey.desk.county
    _visit(survey, "H-QS-001", "visit-0001")
    _visit(survey, "H-QS-002", "visit-0002")
    _visit(survey, "H-QS-002", "visit-0003")  # a second visit to one household counts it once
    client = _client(c.township_clerk)
    page = client.get(reverse("surveys:plan_results", args=[survey.plan.pk])).content.decode()
    row = page[page.index(f'data-village="{c.village_a.pk}"') :]
    expected = {
        "planned": (3, {"H-QS-001", "H-QS-002", "H-QS-003"}),
        "visited": (2, {"H-QS-001", "H-QS-002"}),
    }
    for count, (number, codes) in expected.items():
        href, shown = _links(row)[count]
        assert int(shown) == number
        listed = client.get(href).content.decode()
        assert set(re.findall(r'data-household="([^"]+)"', listed)) == codes
    waiting_href, waiting = _links(page)["waiting"]
    assert waiting == "1"
    assert re.findall(r'data-household="([^"]+)"', client.get(waiting_href).content.decode()) == [
        "H-QS-003"
    ]


def test_every_tally_opens_the_visits_it_counts(survey: Survey) -> None:
    c = survey.desk.county
    first = _visit(survey, "H-QS-001", "visit-0001", multiple=["看病"])
    _visit(survey, "H-QS-002", "visit-0002", multiple=["修房"])
    client = _client(c.administrator)
    page = client.get(reverse("surveys:plan_results", args=[survey.plan.pk])).content.decode()
    section = page[page.index(f'<section class="tally" data-question="{survey.multiple.pk}"') :]
    section = section[: section.index("</section>")]
    href, shown = _links(section)["看病"]
    assert shown == "1"
    assert re.findall(r'data-visit="(\d+)"', client.get(href).content.decode()) == [str(first.pk)]
    assert f'id="tally-{survey.multiple.pk}"' in page  # the chart's data


def test_needs_by_type_and_village_open_their_needs(survey: Survey) -> None:
    _visit(survey, "H-QS-001", "visit-0001")
    client = _client(survey.desk.county.township_clerk)
    page = client.get(reverse("surveys:plan_results", args=[survey.plan.pk])).content.decode()
    href, shown = _links(page)[Resolution.ON_THE_SPOT]
    assert shown == "1"
    assert len(re.findall(r'data-need="\d+"', client.get(href).content.decode())) == 1


def test_results_are_for_the_owner_the_county_and_the_township(survey: Survey) -> None:
    c = survey.desk.county
    url = reverse("surveys:plan_results", args=[survey.plan.pk])
    for user in (c.township_clerk, c.administrator, c.leader):
        assert _client(user).get(url).status_code == 200
    for user in (c.other_township_clerk, c.department_clerk):
        assert _client(user).get(url).status_code == 404
    assert _client(c.volunteer).get(url).status_code == 403


def test_junk_filters_are_refused_not_crashed(survey: Survey) -> None:
    client = _client(survey.desk.county.administrator)
    url = reverse("surveys:plan_visits", args=[survey.plan.pk])
    assert client.get(url, {"village": "x"}).status_code == 400
    assert (
        client.get(
            reverse("surveys:plan_needs", args=[survey.plan.pk]), {"resolution": "nope"}
        ).status_code
        == 400
    )


def test_the_export_has_a_row_per_visit_and_per_need(survey: Survey) -> None:
    _visit(survey, "H-QS-001", "visit-0001", text="=HYPERLINK(1)")
    response = _client(survey.desk.county.township_clerk).get(
        reverse("surveys:plan_export", args=[survey.plan.pk])
    )
    book = openpyxl.load_workbook(BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    visits, needs = book.worksheets
    rows = list(visits.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "H-QS-001"
    assert "'=HYPERLINK(1)" in rows[1]
    assert list(needs.iter_rows(values_only=True))[1][3] == "帮助打扫卫生"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_staff_can_build_a_survey_through_the_pages(survey: Survey, lang: str) -> None:
    c = survey.desk.county
    client = _client(c.township_clerk)
    client.cookies["django_language"] = lang
    created = client.post(
        reverse("surveys:form_new"), {"title": "秋季走访", "owner": c.government_a.pk}
    )
    assert created.status_code == 302
    form_id = int(created["Location"].rstrip("/").split("/")[-1])
    version = survey.form.__class__.objects.get(pk=form_id).versions.get()
    bad = client.post(
        reverse("surveys:question_add", args=[version.pk]),
        {"kind": "single", "text": "状况", "choices": "好"},
    )
    assert bad.status_code == 400
    good = client.post(
        reverse("surveys:question_add", args=[version.pk]),
        {"kind": "single", "text": "状况", "choices": "好\n不好", "required": "on"},
    )
    assert good.status_code == 302
    client.post(reverse("surveys:version_publish", args=[version.pk]))
    version.refresh_from_db()
    assert version.is_open
    plan = client.post(
        reverse("surveys:plan_new", args=[form_id]),
        {
            "name": "秋季",
            "version": version.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-31",
            "regions": [c.village_a.pk],
            "teams": [c.team_a.pk],
        },
    )
    assert plan.status_code == 302, plan.content.decode()[-2000:]


JUNK = ["\x00", "x" * 5000, "-1", "1e400", "NaN", "<script>", "9" * 40, ""]


@pytest.mark.parametrize("junk", JUNK)
def test_junk_in_any_field_of_the_visit_form_is_refused_not_crashed(
    survey: Survey, junk: str
) -> None:
    """The junk tests' actors include no volunteer: the volunteer's form gets its own."""
    client = _client(survey.desk.county.volunteer)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    url = reverse("surveys:visit_new", args=[assignment.pk])
    base = _post_data(survey, "b" * 32)
    fields = [*base, "latitude", "longitude", "visited_at", "need_kind_2"]
    for n, field in enumerate(fields):
        data = {**base, field: junk, "idempotency_key": f"{n:04d}" + "c" * 28}
        if field == "idempotency_key":
            data[field] = junk
        response = client.post(url, data)
        assert response.status_code in (302, 400), (field, response.status_code)
    stored = Visit.objects.count()
    assert stored < len(fields)  # the junk was refused somewhere, not all swallowed


def test_a_visit_kept_on_the_phone_after_its_version_was_retired_is_refused_with_the_reason(
    survey: Survey,
) -> None:
    client = _client(survey.desk.county.volunteer)
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    url = reverse("surveys:visit_new", args=[assignment.pk])
    services.version_retire(actor=survey.desk.county.township_clerk, version=survey.version)
    data = {**_post_data(survey, "d" * 32), "version": str(survey.version.pk)}
    response = client.post(url, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    [message] = response.json()["errors"]["version"]
    assert "留守老人需求走访" in message and "停用" in message
    assert Visit.objects.count() == 0


def test_the_volunteers_pages_speak_english_too(survey: Survey) -> None:
    client = _client(survey.desk.county.volunteer)
    client.cookies["django_language"] = "en"
    assignment = survey.plan.assignments.get(household__code="H-QS-001")
    listed = client.get(reverse("surveys:my_visits")).content.decode()
    assert "Waiting for a visit" in listed
    form = client.get(reverse("surveys:visit_new", args=[assignment.pk])).content.decode()
    assert "Send the visit" in form and "Resolved on the spot" in form
    client.cookies["django_language"] = "zh-hans"
    form = client.get(reverse("surveys:visit_new", args=[assignment.pk])).content.decode()
    assert "发送走访" in form and "当场解决" in form
