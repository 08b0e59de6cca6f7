"""The cases API, the workflow: one POST per step through the same services as the case page;
404 outside the scope, 403 not the viewer's step, 409 the state moved on, 400 bad input, each
refusal writing nothing; attachments as progress notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Attachment, Case, CaseEvent
from wenmin.cases.tests.api_client import PNG, Api, intake, refusal, state_of
from wenmin.cases.workflow import State, TransitionNotAllowed


def test_the_five_steps_through_the_api(client, desk):
    c = desk.county
    case = intake(desk)
    dispatcher, clerk = Api(client, desk.dispatcher), Api(client, c.township_clerk)
    path = f"/cases/{case.number}"
    assert dispatcher.get(path).json()["allowed_actions"] == [
        "classify",
        "merge",
        "reject",
        "dispatch",
    ]
    body = dispatcher.post(f"{path}/classify", {"kind": "complaint", "urgency": "normal"}).json()
    assert body["kind"] == "complaint" and body["category"] is None
    body = dispatcher.post(f"{path}/dispatch", {"unit": "T1-GOV", "co_units": ["D-SL"]}).json()
    assert (body["state"], body["lead_unit"], body["co_units"]) == (
        "dispatched",
        "T1-GOV",
        ["D-SL"],
    )
    assert clerk.get(path).json()["allowed_actions"] == ["sign-for", "return"]
    assert clerk.post(f"{path}/sign-for", {"note": "收到"}).json()["state"] == "signed"
    due = timezone.localdate() + dt.timedelta(days=3)
    body = clerk.post(f"{path}/plan", {"plan": "安排水务站维修", "planned_due": str(due)}).json()
    assert body["state"] == "in_progress" and body["planned_due"].startswith(f"{due}T17:30")
    assert clerk.post(f"{path}/notes", {"note": "已到现场"}).status_code == 200
    assert clerk.post(f"{path}/reply", {"reply": "已更换阀门。"}).json()["state"] == "replied"
    body = dispatcher.post(f"{path}/callback", {"resolved": True, "satisfaction": 5}).json()
    assert body["state"] == "closed" and body["allowed_actions"] == []
    events = [e["action"] for e in dispatcher.get(f"{path}/events").json()]
    assert events == [
        "intake",
        "classify",
        "dispatch",
        "sign_for",
        "plan",
        "note",
        "reply",
        "callback_resolved",
    ]


def test_merge_reject_return_and_supervise_through_the_api(client, desk):
    c = desk.county
    dispatcher, clerk = Api(client, desk.dispatcher), Api(client, c.township_clerk)
    primary, duplicate, refused = intake(desk), intake(desk), intake(desk)
    body = dispatcher.post(f"/cases/{duplicate.number}/merge", {"primary": primary.number}).json()
    assert (body["state"], body["merged_into"]) == ("merged", primary.number)
    body = dispatcher.post(
        f"/cases/{refused.number}/reject", {"reason": "outside_duty", "note": "不属于政府职责"}
    ).json()
    assert (body["state"], body["rejection_reason"]) == ("rejected", "outside_duty")
    cases.case_dispatch(case=primary, actor=desk.dispatcher, unit=c.government_a)
    body = clerk.post(f"/cases/{primary.number}/return", {"reason": "不属于本镇"}).json()
    assert (body["state"], body["return_count"]) == ("collected", 1)
    cases.case_dispatch(case=primary, actor=desk.dispatcher, unit=c.government_a)
    new_due = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = Api(client, c.leader).post(
        f"/cases/{primary.number}/supervise", {"new_due": new_due, "note": "请加快办理"}
    )
    assert response.status_code == 200, response.content
    assert CaseEvent.objects.filter(case=primary, action="supervise").exists()


def test_a_clerk_gets_404_for_a_case_she_cannot_see_and_403_for_a_step_not_hers(client, desk):
    c = desk.county
    in_a = intake(desk)
    in_b = intake(desk, region=c.village_b, requester_phone="18600004444")
    cases.case_dispatch(case=in_b, actor=desk.dispatcher, unit=c.government_a)
    other = Api(client, c.other_township_clerk)
    assert refusal(other.post(f"/cases/{in_a.number}/sign-for"), 404)["code"] == "not_found"
    # She sees the case in her township, but it was dispatched to Qingshi, not to her.
    assert refusal(other.post(f"/cases/{in_b.number}/sign-for"), 403)["code"] == "forbidden"
    assert refusal(other.post(f"/cases/{in_b.number}/return", {"reason": "x"}), 403)
    clerk = Api(client, c.township_clerk)
    assert refusal(clerk.post(f"/cases/{in_a.number}/dispatch", {"unit": "T1-GOV"}), 403)
    classify = {"kind": "help", "urgency": "normal"}
    assert refusal(Api(client, c.volunteer).post(f"/cases/{in_a.number}/classify", classify), 404)
    assert state_of(in_a) == State.COLLECTED and state_of(in_b) == State.DISPATCHED


def test_a_step_the_state_no_longer_allows_answers_409_bilingually(client, desk):
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=desk.county.government_a)
    api = Api(client, desk.dispatcher)
    response = api.post(
        f"/cases/{case.number}/dispatch", {"unit": "D-ZJ"}, headers={"Accept-Language": "en"}
    )
    error = refusal(response, 409)
    assert error["code"] == "transition_not_allowed"
    assert "Dispatched, awaiting sign-for" in error["message_en"] == error["message"]
    assert "已派单，待签收" in error["message_zh"]
    assert Case.objects.get(pk=case.pk).lead_unit == desk.county.government_a


def test_a_race_lost_inside_the_service_answers_409(client, desk, monkeypatch):
    case = intake(desk)

    def moved_on(**kwargs):  # type: ignore[no-untyped-def]
        raise TransitionNotAllowed("someone else was first")

    monkeypatch.setattr(cases, "case_classify", moved_on)
    response = Api(client, desk.dispatcher).post(
        f"/cases/{case.number}/classify", {"kind": "help", "urgency": "normal"}
    )
    assert refusal(response, 409)["code"] == "conflict"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("dispatch", {"unit": "NOPE"}, "unit"),
        ("dispatch", {"unit": "T1-GOV", "co_units": ["T1-GOV", "NOPE"]}, "co_units"),
        ("dispatch", {"unit": 42}, "unit"),
        ("classify", {"kind": "help", "urgency": "normal", "category": "no.such"}, "category"),
        ("classify", {"kind": "help"}, "urgency"),
        ("reject", {"reason": "bored", "note": "x"}, "reason"),
        ("reject", {"reason": "outside_duty", "note": "   "}, "note"),
        ("merge", {"primary": "no-such-case"}, "primary"),
    ],
)
def test_bad_step_input_answers_400_and_writes_nothing(client, desk, action, body, field):
    case = intake(desk)
    before = CaseEvent.objects.count()
    error = refusal(Api(client, desk.dispatcher).post(f"/cases/{case.number}/{action}", body), 400)
    assert field in error["fields"], error
    assert CaseEvent.objects.count() == before and state_of(case) == State.COLLECTED


def test_bad_handling_input_answers_400_and_writes_nothing(client, desk):
    c = desk.county
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    cases.case_sign_for(case=case, actor=c.township_clerk)
    clerk, path = Api(client, c.township_clerk), f"/cases/{case.number}"
    before = CaseEvent.objects.count()
    assert (
        "planned_due"
        in refusal(clerk.post(f"{path}/plan", {"plan": "x", "planned_due": "2020-01-01"}), 400)[
            "fields"
        ]
    )
    assert (
        "planned_due"
        in refusal(clerk.post(f"{path}/plan", {"plan": "x", "planned_due": "soon"}), 400)["fields"]
    )
    assert (
        "coordinator"
        in refusal(clerk.post(f"{path}/plan", {"plan": "x", "coordinator": 99999}), 400)["fields"]
    )
    naive = (timezone.now() + dt.timedelta(days=1)).replace(tzinfo=None).isoformat()
    supervisor = Api(client, c.leader)
    assert (
        "new_due"
        in refusal(supervisor.post(f"{path}/supervise", {"new_due": naive, "note": "x"}), 400)[
            "fields"
        ]
    )
    past = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert (
        "new_due"
        in refusal(supervisor.post(f"{path}/supervise", {"new_due": past, "note": "x"}), 400)[
            "fields"
        ]
    )
    assert CaseEvent.objects.count() == before and state_of(case) == State.SIGNED


def test_a_callback_checks_its_input_and_a_resident_may_call_back_her_own_case(client, desk):
    c = desk.county
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    cases.case_sign_for(case=case, actor=c.township_clerk)
    cases.case_plan(case=case, actor=c.township_clerk, plan="维修")
    cases.case_reply(case=case, actor=c.township_clerk, reply="已修好")
    resident = Api(client, c.resident)
    path = f"/cases/{case.number}/callback"
    for body in ({"resolved": True, "satisfaction": 9}, {"resolved": "maybe", "satisfaction": 3}):
        assert refusal(resident.post(path, body), 400)
    assert state_of(case) == State.REPLIED
    body = resident.post(path, {"resolved": False, "satisfaction": 2, "note": "还在漏"}).json()
    assert (body["state"], body["allowed_actions"]) == ("signed", [])
    assert "rework_count" not in body and "plan" not in body  # the requester's view of her case
    data = CaseEvent.objects.get(case=case, action="callback_rework").data
    assert (data["by_requester"], data["rated_by"], data["proof"]) == (True, "requester", "login")


def test_a_resident_sees_the_public_timeline_of_her_case(client, desk):
    c = desk.county
    case = intake(desk)
    cases.case_classify(
        case=case,
        actor=desk.dispatcher,
        kind="help",
        category=None,
        urgency="normal",
        note="内部备注",
    )
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a, note="内部派单说明")
    events = Api(client, c.resident).get(f"/cases/{case.number}/events").json()
    assert [e["action"] for e in events] == ["intake", "dispatch"]
    assert all(e["note"] == "" and e["actor"] is None and e["data"] == {} for e in events)
    staff = Api(client, desk.dispatcher).get(f"/cases/{case.number}/events").json()
    assert "内部派单说明" in [e["note"] for e in staff]


# Attachments -----------------------------------------------------------------------------------


def test_photos_are_attached_as_a_progress_note_and_listed(client, desk):
    c = desk.county
    case = intake(desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    clerk, path = Api(client, c.township_clerk), f"/api/v1/cases/{case.number}/attachments"
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    early = client.post(path, {"files": [photo], "note": "现场"}, headers=clerk.headers)
    assert refusal(early, 409)["code"] == "transition_not_allowed"  # not signed for yet
    cases.case_sign_for(case=case, actor=c.township_clerk)
    photo.seek(0)
    response = client.post(path, {"files": [photo], "note": "现场"}, headers=clerk.headers)
    assert response.status_code == 201, response.content
    (added,) = response.json()
    assert (added["name"], added["content_type"], added["size"]) == (
        "site.png",
        "image/png",
        len(PNG),
    )
    assert added["url"].endswith(f"/cases/attachments/{added['id']}/")
    listed = Api(client, c.leader).get(f"/cases/{case.number}/attachments").json()
    assert [a["id"] for a in listed] == [added["id"]]
    fake = SimpleUploadedFile("site.png", b"MZ not a picture", content_type="image/png")
    error = refusal(client.post(path, {"files": [fake]}, headers=clerk.headers), 400)
    assert "files" in error["fields"]
    assert refusal(client.post(path, {"note": "x"}, headers=clerk.headers), 400)
    assert Attachment.objects.count() == 1
    other = Api(client, c.other_township_clerk)
    assert refusal(other.get(f"/cases/{case.number}/attachments"), 404)
