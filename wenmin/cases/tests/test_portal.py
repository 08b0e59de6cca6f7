"""The resident portal, as a resident on a phone would use it: report, follow, rate."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from wenmin.cases import services as cases
from wenmin.cases.models import Attachment, Case, CaseEvent, Category, Channel
from wenmin.cases.workflow import State, Step
from wenmin.organisation.models import Person

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SUBMIT = reverse("portal:submit")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def _report(desk: Any, **overrides: Any) -> dict[str, Any]:
    fields = {
        "content": "青石村路口水管漏水三天了，请尽快修理。",
        "kind": "help",
        "category": str(desk.leaking_pipe.pk),
        "extra.where": "street",
        "address": "青石村村口",
        "requester_name": "新居民",
        "requester_phone": "13511112222",
        "notice_read": "on",  # the privacy notice is acknowledged before anything is sent
    }
    return {**fields, **overrides}


def _text(response: Any) -> str:
    return response.content.decode()


def _intake(desk: Any, **overrides: Any) -> Case:
    fields = {
        "channel": Channel.WEB,
        "content": "路灯坏了，晚上很黑。我是陈明。",
        "kind": "help",
        "category": desk.leaking_pipe,
        "extra": {"where": "street"},
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def _to_replied(desk: Any, case: Case) -> Case:
    c = desk.county
    case = cases.case_dispatch(
        case=case, actor=desk.dispatcher, unit=c.government_a, note="内部：请青石镇尽快处理"
    )
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    case = cases.case_plan(case=case, actor=c.township_clerk, plan="内部方案：安排水务站维修")
    case = cases.case_note(case=case, actor=c.township_clerk, note="内部进度：联系了陈明")
    return cases.case_reply(case=case, actor=c.township_clerk, reply="已更换阀门，恢复供水。")


def test_a_report_with_a_photo_becomes_a_web_case_with_its_attachment(client, desk):
    photo = SimpleUploadedFile("leak.png", PNG, content_type="image/png")
    response = client.post(SUBMIT, {**_report(desk), "urgent": "on", "photos": [photo]})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:submitted", args=[case.tracking_code])
    assert (case.channel, case.kind, case.urgency) == (Channel.WEB, "help", "urgent")
    assert case.category == desk.leaking_pipe and case.extra == {"where": "street"}
    assert case.requester is not None and case.requester.name == "新居民"
    assert Attachment.objects.get(case=case).content_type == "image/png"
    page = client.get(response["Location"])
    assert case.tracking_code in _text(page)
    assert reverse("portal:track", args=[case.tracking_code]) in _text(page)


def test_bad_input_shows_every_error_by_its_field_and_saves_nothing(client, desk):
    fake = SimpleUploadedFile("leak.png", b"MZ not a picture", content_type="image/png")
    people = Person.objects.count()
    response = client.post(
        SUBMIT,
        _report(desk, **{"content": " ", "requester_phone": "12345", "extra.where": ""})
        | {"photos": [fake]},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"content", "requester_phone", "extra.where", "photos"} <= set(errors)
    html = _text(response)
    assert 'id="id_extra.where_error"' in html and 'id="id_photos_error"' in html
    assert "青石村村口" in html  # what was typed is kept
    assert (Case.objects.count(), Attachment.objects.count()) == (0, 0)
    assert Person.objects.count() == people


def test_a_refused_report_leaves_no_new_resident_behind(client, desk):
    people = Person.objects.count()
    response = client.post(SUBMIT, _report(desk, **{"extra.where": ""}))
    assert response.status_code == 400
    assert "extra.where" in response.context["form"].errors
    assert Person.objects.count() == people and not Case.objects.exists()


def test_coordinates_out_of_range_are_reported_by_the_location_button(client, desk):
    response = client.post(SUBMIT, _report(desk, latitude="91", longitude="120"))
    assert response.status_code == 400
    assert response.context["form"].location_errors
    assert not Case.objects.exists()


def test_a_logged_in_resident_without_a_phone_is_the_requester(client, desk):
    client.force_login(desk.county.resident)
    response = client.post(SUBMIT, _report(desk, requester_name="", requester_phone=""))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.requester == desk.county.resident_a
    assert case.registered_by == desk.county.resident


def test_an_anonymous_report_has_no_requester(client, desk):
    response = client.post(SUBMIT, _report(desk, requester_name="", requester_phone=""))
    assert response.status_code == 302
    assert Case.objects.get().requester is None


def test_the_form_offers_active_categories_grouped_by_parent(client, desk):
    Category.objects.create(code="old", name="已停用类别", is_active=False)
    response = client.get(SUBMIT)
    html = _text(response)
    assert response.status_code == 200
    assert '<optgroup label="供水">' in html and "水管漏水" in html
    assert "住房城建" in html and "已停用类别" not in html
    assert 'name="photos"' in html and "multiple" in html and 'accept="image/*"' in html
    assert 'name="latitude"' in html and "data-locate" in html


def test_a_category_s_extra_fields_come_as_a_fragment(client, desk):
    url = f"{SUBMIT}?category={desk.leaking_pipe.pk}&fields=1"
    response = client.get(url, headers={"HX-Request": "true"})
    html = _text(response)
    assert response.status_code == 200
    assert 'name="extra.where"' in html and "路面" in html and "户内" in html
    assert "<html" not in html
    plain = _text(client.get(f"{SUBMIT}?category={desk.housing.pk}&fields=1"))
    assert "extra." not in plain
    full = _text(client.get(f"{SUBMIT}?category={desk.leaking_pipe.pk}"))
    assert 'name="extra.where"' in full and "<html" in full


def test_without_javascript_the_topic_questions_come_on_request(client, desk):
    response = client.post(SUBMIT, {**_report(desk), "extra.where": "", "show_fields": "1"})
    assert response.status_code == 200
    assert 'name="extra.where"' in _text(response)
    assert not Case.objects.exists()


def test_the_tracking_page_shows_the_steps_and_public_notes_and_no_personal_data(client, desk):
    case = _to_replied(desk, _intake(desk))
    response = client.get(reverse("portal:track", args=[case.tracking_code]))
    html = _text(response)
    assert response.status_code == 200
    assert case.number in html and "已更换阀门，恢复供水。" in html
    assert desk.county.government_a.name in html  # the unit, at most
    with translation.override("zh-hans"):
        labels = [str(label) for label in Step.labels]
        current = str(Step.FEEDBACK.label)
    assert all(label in html for label in labels)
    assert f'<li class="current" aria-current="step">{current}</li>' in html
    for secret in ("陈明", "18600003333", "3333", "内部：请青石镇尽快处理", "内部方案", "内部进度"):
        assert secret not in html
    for username in ("dispatcher", "qingshi"):
        assert username not in html
    assert "路灯坏了" not in html  # the content may itself hold personal data
    assert 'id="rate"' in html


def test_the_tracking_page_says_when_a_result_is_due(client, desk):
    case = _intake(desk)
    html = _text(client.get(reverse("portal:track", args=[case.tracking_code])))
    with translation.override("zh-hans"):
        current = str(Step.COLLECT.label)
    assert f'<li class="current" aria-current="step">{current}</li>' in html
    assert 'id="rate"' not in html
    assert case.result_due is not None
    due = timezone.localtime(case.result_due).strftime("%Y-%m-%d %H:%M")
    assert due in html


def test_an_unknown_tracking_code_gives_a_clear_404(client, desk):
    case = _intake(desk)
    response = client.get(reverse("portal:track", args=["NOSUCHCODE"]))
    assert response.status_code == 404
    assert "NOSUCHCODE" in _text(response) and 'name="code"' in _text(response)
    lookup = reverse("portal:track_lookup")
    assert client.get(lookup, {"code": "NOSUCHCODE"}).status_code == 404
    assert client.get(reverse("portal:submitted", args=["NOSUCHCODE"])).status_code == 404
    spaced = f" {case.tracking_code[:5].lower()} {case.tracking_code[5:].lower()} "
    found = client.get(lookup, {"code": spaced})
    assert found.status_code == 302
    assert found["Location"] == reverse("portal:track", args=[case.tracking_code])
    assert client.get(lookup).status_code == 200


def test_a_satisfied_requester_closes_the_case(client, desk):
    case = _to_replied(desk, _intake(desk))
    url = reverse("portal:rate", args=[case.tracking_code])
    rating = {"resolved": "yes", "satisfaction": "5", "comment": "谢谢", "phone_last4": "3333"}
    response = client.post(url, rating)
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.resolved, case.satisfaction) == (State.CLOSED, True, 5)
    event = CaseEvent.objects.filter(case=case).last()
    assert event is not None and event.data["by_requester"] is True and event.note == "谢谢"
    assert event.data["proof"] == "phone_last4" and event.actor is None
    page = client.get(response["Location"])
    assert 'id="rate"' not in _text(page) and page.context["messages"]


@pytest.mark.parametrize(("resolved", "satisfaction"), [("no", "4"), ("yes", "2")])
def test_an_unsolved_or_unsatisfied_rating_sends_the_case_back(
    client, desk, resolved, satisfaction
):
    case = _to_replied(desk, _intake(desk))
    url = reverse("portal:rate", args=[case.tracking_code])
    response = client.post(
        url, {"resolved": resolved, "satisfaction": satisfaction, "phone_last4": "3333"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.rework_count) == (State.SIGNED, 1)


def test_rating_before_the_reply_is_refused_with_409(client, desk):
    case = _intake(desk)
    url = reverse("portal:rate", args=[case.tracking_code])
    response = client.post(url, {"resolved": "yes", "satisfaction": "5"})
    assert response.status_code == 409
    assert 'id="rate"' not in _text(response)
    case.refresh_from_db()
    assert (case.state, case.satisfaction) == (State.COLLECTED, None)


def test_an_incomplete_rating_is_shown_again_with_its_errors(client, desk):
    case = _to_replied(desk, _intake(desk))
    url = reverse("portal:rate", args=[case.tracking_code])
    response = client.post(url, {"resolved": "yes"})
    assert response.status_code == 400
    assert "satisfaction" in response.context["rate_form"].errors
    case.refresh_from_db()
    assert case.state == State.REPLIED


def test_submissions_over_the_hourly_limit_get_429(client, desk, settings):
    settings.WENMIN_PORTAL_SUBMISSIONS_PER_HOUR = 2
    assert client.post(SUBMIT, _report(desk)).status_code == 302
    assert client.post(SUBMIT, _report(desk)).status_code == 302
    refused = client.post(SUBMIT, _report(desk))
    assert refused.status_code == 429 and refused["Retry-After"]
    assert Case.objects.count() == 2
    other = client.post(SUBMIT, _report(desk), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_ratings_over_the_hourly_limit_get_429(client, desk, settings):
    settings.WENMIN_PORTAL_RATINGS_PER_HOUR = 1
    case = _to_replied(desk, _intake(desk))
    url = reverse("portal:rate", args=[case.tracking_code])
    assert client.post(url, {"resolved": "yes"}).status_code == 400
    rating = {"resolved": "yes", "satisfaction": "5", "phone_last4": "3333"}
    assert client.post(url, rating).status_code == 429
    case.refresh_from_db()
    assert case.state == State.REPLIED
