"""A rating comes from the resident: staff never see tracking codes, and the code alone is not
enough where a phone is on file (the last four digits, or the one-time link sent with the reply).

The lead unit — 青石镇人民政府, whose clerk handles 陈明's leaking pipe — must not be able to rate
its own case 5 of 5 and lift its own ranking.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.cases.notifications import notifications_for
from wenmin.cases.services import rating
from wenmin.cases.services.rating import ProofRefused, RequesterProof
from wenmin.cases.tests.api_client import Api
from wenmin.cases.workflow import Action, State
from wenmin.core.models import AuditEvent, InAppNotification

PHONE = "18600003333"  # 陈明's; its last four digits are the proof
GOOD = {"resolved": "yes", "satisfaction": "5"}


def _intake(desk: Any, **overrides: Any) -> Case:
    fields = {
        "channel": Channel.WEB,
        "content": "青石村路口水管漏水三天了。",
        "kind": "help",
        "category": desk.water,
        "requester_name": "陈明",
        "requester_phone": PHONE,
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def _replied(desk: Any, case: Case, reply: str = "已更换阀门，恢复供水。") -> Case:
    c = desk.county
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    case = cases.case_plan(case=case, actor=c.township_clerk, plan="内部方案：安排水务站维修")
    return cases.case_reply(case=case, actor=c.township_clerk, reply=reply)


def _rate_url(case: Case) -> str:
    return reverse("portal:rate", args=[case.tracking_code])


def _state(case: Case) -> str:
    return Case.objects.values_list("state", flat=True).get(pk=case.pk)


def _link_in_reply_sms(case: Case) -> str:
    """The path of the one-time link in the SMS the latest reply sends to the requester."""
    reply = CaseEvent.objects.filter(case=case, action=Action.REPLY).latest("id")
    (sms,) = notifications_for(reply)
    assert sms.phone == PHONE
    found = re.search(r"https?://[^/\s]+(/portal/r/\S+/)", sms.text)
    assert found is not None, sms.text
    return found.group(1)


# Staff never see the code -------------------------------------------------------------------


def test_the_lead_units_clerk_sees_the_tracking_code_nowhere(client, desk, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    c = desk.county
    case = _replied(desk, _intake(desk))
    code = case.tracking_code
    client.force_login(c.township_clerk)
    pages = [
        client.get(reverse("cases:case_detail", args=[case.pk])),
        client.get(reverse("cases:workbench")),
        client.get(reverse("cases:workbench"), {"q": case.number}),
    ]
    for page in pages:
        assert page.status_code == 200
        assert code not in page.content.decode()
    api = Api(Client(), c.township_clerk)
    for path in (f"/cases/{case.number}", f"/cases/{case.number}/events", "/cases"):
        response = api.get(path)
        assert response.status_code == 200 and code not in response.content.decode()
    assert "tracking_code" not in api.get(f"/cases/{case.number}").json()
    assert not InAppNotification.objects.filter(text__contains=code).exists()
    assert not AuditEvent.objects.filter(changes__icontains=code).exists()
    admin = Client()
    admin.force_login(c.administrator)
    change = admin.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert change.status_code == 200 and case.number in change.content.decode()
    assert code not in change.content.decode()


def test_the_lead_units_clerk_cannot_rate_their_case_through_the_portal(client, desk):
    c = desk.county
    case = _replied(desk, _intake(desk))
    client.force_login(c.township_clerk)  # who knows the phone: the lead unit sees it in clear
    for proof in ({}, {"phone_last4": PHONE[-4:]}):
        response = client.post(_rate_url(case), {**GOOD, **proof})
        assert response.status_code in (400, 403)
    anonymous = _intake(desk, requester_name="", requester_phone="")  # the code alone would do
    anonymous = _replied(desk, anonymous)
    refused = client.post(_rate_url(anonymous), GOOD)
    assert refused.status_code == 403
    assert refused.context["rate_form"].non_field_errors()  # staff never rate as the requester
    client.logout()  # logged out, without the code's proof
    assert client.post(_rate_url(case), GOOD).status_code == 400
    assert (_state(case), _state(anonymous)) == (State.REPLIED, State.REPLIED)
    assert not CaseEvent.objects.filter(action=Action.CALLBACK_RESOLVED).exists()


def test_registering_by_phone_sends_the_code_by_sms_and_shows_it_to_nobody(client, desk):
    c = desk.county
    client.force_login(c.township_clerk)
    fields = {
        "channel": "phone",
        "requester_name": "新居民",
        "requester_phone": "13511112222",
        "kind": "help",
        "category": desk.housing.pk,
        "urgency": "normal",
        "content": "门口路灯坏了",
        "region": c.village_a.code,
    }
    response = client.post(reverse("cases:case_new"), fields, follow=True)
    case = Case.objects.get(content="门口路灯坏了")
    html = response.content.decode()
    (message,) = [str(m) for m in response.context["messages"]]
    assert case.number in message and "短信" in message and "135****2222" in message
    assert case.tracking_code not in html and case.tracking_code not in message
    intake = CaseEvent.objects.get(case=case, action="intake")
    (sms,) = notifications_for(intake)  # what the worker sends once the step has committed
    assert sms.phone == "13511112222" and case.tracking_code in sms.text


def test_without_a_phone_the_clerk_prints_an_acknowledgement_once_at_the_counter(client, desk):
    c = desk.county
    client.force_login(c.township_clerk)
    fields = {"channel": "counter", "kind": "consult", "urgency": "normal", "content": "咨询低保"}
    response = client.post(reverse("cases:case_new"), fields, follow=True)
    case = Case.objects.get(content="咨询低保")
    slip = reverse("cases:case_acknowledgement", args=[case.pk])
    assert response.redirect_chain == [(slip, 302)]
    (message,) = [str(m) for m in response.context["messages"]]
    assert "回执" in message and case.tracking_code not in message
    html = response.content.decode()
    # On paper only: the screen shows a placeholder, the print style the code.
    assert f'<span class="code print-only" data-code>{case.tracking_code}</span>' in html
    assert AuditEvent.objects.filter(
        action="case.acknowledgement_printed", actor=c.township_clerk, target_id=str(case.pk)
    ).exists()
    other = Client()
    other.force_login(desk.dispatcher)  # sees every case, but did not register this one
    assert other.get(slip).status_code == 404
    Case.objects.filter(pk=case.pk).update(received_at=case.received_at.replace(year=2020))
    assert client.get(slip).status_code == 404  # the requester has long left the counter
    texted = _intake(desk, channel=Channel.COUNTER, actor=c.township_clerk)
    assert client.get(reverse("cases:case_acknowledgement", args=[texted.pk])).status_code == 404


# The proof --------------------------------------------------------------------------------------


def test_the_code_with_the_phones_last_four_digits_rates_the_case(client, desk):
    case = _replied(desk, _intake(desk))
    page = client.get(reverse("portal:track", args=[case.tracking_code]))
    assert 'name="phone_last4"' in page.content.decode()
    assert PHONE[-4:] not in page.content.decode()  # never a hint
    response = client.post(_rate_url(case), {**GOOD, "phone_last4": PHONE[-4:]})
    assert response.status_code == 302 and _state(case) == State.CLOSED
    event = CaseEvent.objects.get(case=case, action=Action.CALLBACK_RESOLVED)
    assert (event.actor, event.data["rated_by"], event.data["proof"]) == (
        None,
        "requester",
        "phone_last4",
    )
    assert event.actor_label == "诉求人（查询码和手机号后四位）"
    audit = AuditEvent.objects.get(action="case.callback_resolved", target_id=str(case.pk))
    assert audit.actor is None and audit.actor_label == event.actor_label
    assert (audit.changes["rated_by"], audit.changes["proof"]) == ("requester", "phone_last4")


def test_a_wrong_last_four_is_refused_and_counted_by_the_limit(client, desk, settings):
    settings.WENMIN_PORTAL_RATINGS_PER_HOUR = 3
    case = _replied(desk, _intake(desk))
    for guess in ("0000", "1234", "3334"):
        response = client.post(_rate_url(case), {**GOOD, "phone_last4": guess})
        assert response.status_code == 403
        assert response.context["rate_form"].errors["phone_last4"]
    assert client.post(_rate_url(case), {**GOOD, "phone_last4": PHONE[-4:]}).status_code == 429
    assert _state(case) == State.REPLIED
    assert not CaseEvent.objects.filter(case=case, action__startswith="callback").exists()


def test_the_one_time_link_sent_with_the_reply_works_once(client, desk):
    c = desk.county
    case = _replied(desk, _intake(desk))
    link = _link_in_reply_sms(case)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and 'name="link"' in html and 'name="phone_last4"' not in html
    token = page.context["rate_form"]["link"].value()
    sent = client.post(_rate_url(case), {"resolved": "no", "satisfaction": "2", "link": token})
    assert sent.status_code == 302 and _state(case) == State.SIGNED  # back for rework
    event = CaseEvent.objects.get(case=case, action=Action.CALLBACK_REWORK)
    assert event.data["proof"] == "rating_link"
    assert client.get(link).status_code == 410  # spent
    again = client.post(_rate_url(case), {**GOOD, "link": token})
    assert again.status_code == 409
    # The unit answers again: the old link stays spent, the new SMS brings a new one.
    case = cases.case_plan(case=case, actor=c.township_clerk, plan="再次维修")
    case = cases.case_reply(case=case, actor=c.township_clerk, reply="已再次维修")
    assert client.get(link).status_code == 410
    old = client.post(_rate_url(case), {**GOOD, "link": token})
    assert old.status_code == 403 and _state(case) == State.REPLIED
    fresh = _link_in_reply_sms(case)
    assert fresh != link
    token = client.get(fresh).context["rate_form"]["link"].value()
    assert client.post(_rate_url(case), {**GOOD, "link": token}).status_code == 302
    assert _state(case) == State.CLOSED


def test_a_forged_or_expired_link_is_refused(client, desk, monkeypatch):
    case = _replied(desk, _intake(desk))
    link = _link_in_reply_sms(case)
    assert client.get(link[:-3] + "x/").status_code == 410
    monkeypatch.setattr(rating, "RATING_LINK_MAX_AGE", rating.RATING_LINK_MAX_AGE * -1)
    assert client.get(link).status_code == 410
    token = link.removeprefix("/portal/r/").removesuffix("/")
    assert client.post(_rate_url(case), {**GOOD, "link": token}).status_code == 403
    assert _state(case) == State.REPLIED


def test_a_case_with_no_phone_on_file_takes_the_tracking_code_alone(client, desk):
    case = _replied(desk, _intake(desk, requester_name="", requester_phone=""))
    page = client.get(reverse("portal:track", args=[case.tracking_code])).content.decode()
    assert 'name="phone_last4"' not in page
    assert client.post(_rate_url(case), GOOD).status_code == 302
    event = CaseEvent.objects.get(case=case, action=Action.CALLBACK_RESOLVED)
    assert event.data["proof"] == "tracking_code"


def test_the_requester_logged_in_needs_no_more_proof(client, desk):
    c = desk.county
    case = _replied(desk, _intake(desk, requester=c.resident_a, requester_phone=""))
    client.force_login(c.resident)
    page = client.get(reverse("portal:track", args=[case.tracking_code])).content.decode()
    assert 'id="rate"' in page and 'name="phone_last4"' not in page
    assert client.post(_rate_url(case), GOOD).status_code == 302
    event = CaseEvent.objects.get(case=case, action=Action.CALLBACK_RESOLVED)
    assert (event.actor, event.data["proof"]) == (c.resident, "login")


def test_the_service_checks_the_proof_it_is_given(desk):
    c = desk.county
    case = _replied(desk, _intake(desk))
    attempts: list[tuple[Any, RequesterProof | None, type[Exception]]] = [
        (None, None, PermissionDenied),  # no account and no proof: nobody
        (None, RequesterProof(tracking_code=case.tracking_code, phone_last4="0000"), ProofRefused),
        (None, RequesterProof(tracking_code="ABCDEFGHJK", phone_last4="3333"), ProofRefused),
        (None, RequesterProof(tracking_code=case.tracking_code, link="1.2:x:y"), ProofRefused),
        (c.township_clerk, None, PermissionDenied),  # the lead unit is not the callback
        (
            c.township_clerk,
            RequesterProof(tracking_code=case.tracking_code, phone_last4="3333"),
            ProofRefused,
        ),
    ]
    for actor, proof, refusal in attempts:
        with pytest.raises(refusal):
            cases.case_callback(case=case, actor=actor, resolved=True, satisfaction=5, proof=proof)
    assert _state(case) == State.REPLIED
    assert not CaseEvent.objects.filter(case=case, action__startswith="callback").exists()
    staff = cases.case_callback(case=case, actor=desk.dispatcher, resolved=True, satisfaction=4)
    event = CaseEvent.objects.get(case=staff, action=Action.CALLBACK_RESOLVED)
    assert (event.actor, event.data["rated_by"], event.data["by_requester"]) == (
        desk.dispatcher,
        "callback_staff",
        False,
    )
    assert "proof" not in event.data
    assert event.actor_label == "周敏（县12345政务服务便民热线·派单员）"


# The native API: the requester sees what the portal shows ---------------------------------------


def test_a_requester_reads_her_case_through_the_api_as_the_portal_shows_it(client, desk):
    c = desk.county
    case = _intake(desk, requester=c.resident_a, requester_phone="")
    cases.case_classify(
        case=case,
        actor=desk.dispatcher,
        kind="help",
        category=None,
        urgency="normal",
        note="内部分类",
    )
    case = _replied(desk, case)
    resident = Api(client, c.resident)
    body = resident.get(f"/cases/{case.number}").json()
    assert body["tracking_code"] == case.tracking_code  # hers to see
    assert body["reply"] == "已更换阀门，恢复供水。" and body["allowed_actions"] == ["callback"]
    assert body["state_label"] == "已答复，等待您评价"
    for internal in ("plan", "co_units", "requester", "content", "return_count", "escalated_to"):
        assert internal not in body
    everything = json.dumps(
        [body, resident.get(f"/cases/{case.number}/events").json()], ensure_ascii=False
    )
    for secret in ("内部方案", "内部分类", "周敏", "dispatcher", "qingshi", "18600003333"):
        assert secret not in everything
    assert resident.get(f"/cases/{case.number}/attachments").status_code == 403
    staff = Api(Client(), desk.dispatcher).get(f"/cases/{case.number}").json()
    assert staff["plan"] == "内部方案：安排水务站维修" and "tracking_code" not in staff
