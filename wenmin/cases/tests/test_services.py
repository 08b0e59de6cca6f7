"""The intake and every step of the five, through the services, with the named actors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.dispatch import dispatch_proposal
from wenmin.cases.models import Attachment, Case, CaseEvent, Channel
from wenmin.cases.services.rating import RequesterProof
from wenmin.cases.workflow import State, TransitionNotAllowed
from wenmin.core.models import AuditEvent
from wenmin.organisation.models import Person

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _intake(desk, **overrides):
    fields = {
        "channel": Channel.WEB,
        "content": "青石村路口水管漏水三天了，请尽快修理。",
        "kind": "help",
        "category": desk.leaking_pipe,
        "extra": {"where": "street"},
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def _to_replied(desk, case):
    c = desk.county
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    case = cases.case_plan(case=case, actor=c.township_clerk, plan="安排水务站维修")
    return cases.case_reply(case=case, actor=c.township_clerk, reply="已更换阀门，恢复供水。")


def test_intake_numbers_locates_and_sets_the_deadline(desk):
    case = _intake(desk)
    assert case.state == State.COLLECTED
    assert case.number.startswith("369901-" + timezone.localdate().strftime("%Y%m%d") + "-")
    assert len(case.tracking_code) == 10
    assert case.requester == desk.county.resident_a  # found by phone, not duplicated
    assert case.result_due is not None and case.result_due > case.received_at
    event = CaseEvent.objects.get(case=case)
    assert (event.action, event.state_before, event.state_after) == ("intake", "", State.COLLECTED)
    assert AuditEvent.objects.filter(action="case.intake", target_id=str(case.pk)).exists()


def test_case_numbers_count_up_within_a_day(desk):
    first, second = _intake(desk), _intake(desk)
    assert int(second.number[-5:]) == int(first.number[-5:]) + 1


def test_a_new_phone_creates_a_resident_and_bad_input_saves_nothing(desk):
    _intake(desk, requester_name="新居民", requester_phone="13511112222")
    assert Person.objects.get(name="新居民").is_resident
    before = Case.objects.count()
    with pytest.raises(ValidationError) as error:
        _intake(desk, content="", requester_phone="12345", extra={}, latitude="91", longitude="1")
    assert {"content", "requester_phone", "extra.where", "latitude"} <= set(
        error.value.message_dict
    )
    assert Case.objects.count() == before


def test_photos_are_checked_by_content_and_stored(desk):
    photo = SimpleUploadedFile("leak.png", PNG, content_type="image/png")
    case = _intake(desk, files=[photo])
    assert Attachment.objects.get(case=case).content_type == "image/png"
    fake = SimpleUploadedFile("leak.png", b"MZ not a picture", content_type="image/png")
    with pytest.raises(ValidationError):
        _intake(desk, files=[fake])


def test_coordinates_find_the_nearest_village(desk):
    village = desk.county.village_a
    village.latitude, village.longitude = 28.42, 117.60
    village.save(update_fields=["latitude", "longitude"])
    case = _intake(desk, region=None, latitude="28.4210", longitude="117.6010")
    assert case.region == village


def test_of_two_villages_the_nearer_one_is_found_and_none_beyond_the_window(desk):
    a, b = desk.county.village_a, desk.county.village_b
    a.latitude, a.longitude = 28.42, 117.60
    b.latitude, b.longitude = 28.45, 117.64
    a.save(update_fields=["latitude", "longitude"])
    b.save(update_fields=["latitude", "longitude"])
    near_b = _intake(desk, region=None, latitude="28.4450", longitude="117.6350")
    assert near_b.region == b
    near_a = _intake(desk, region=None, latitude="28.4300", longitude="117.6100")
    assert near_a.region == a
    far = _intake(desk, region=None, latitude="28.6000", longitude="117.6000")
    assert far.region is None


def test_the_catalogue_proposes_the_most_specific_rule(desk):
    c = desk.county
    assert dispatch_proposal(category=desk.leaking_pipe, region=c.village_a) == c.government_a
    assert dispatch_proposal(category=desk.leaking_pipe, region=c.village_b) == c.other_department
    assert dispatch_proposal(category=desk.housing, region=c.village_a) == c.department
    assert dispatch_proposal(category=None, region=c.village_a) is None


def test_the_five_steps_end_in_a_rated_closed_case(desk):
    case = _to_replied(desk, _intake(desk))
    assert case.state == State.REPLIED and case.callback_due is not None
    case = cases.case_callback(case=case, actor=desk.dispatcher, resolved=True, satisfaction=5)
    assert case.state == State.CLOSED and case.closed_at is not None
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", "state_after"))
    assert actions == [
        ("intake", "collected"),
        ("dispatch", "dispatched"),
        ("sign_for", "signed"),
        ("plan", "in_progress"),
        ("reply", "replied"),
        ("callback_resolved", "closed"),
    ]


def test_an_unsatisfied_requester_sends_the_case_back_for_rework(desk):
    case = _to_replied(desk, _intake(desk))
    proof = RequesterProof(tracking_code=case.tracking_code, phone_last4="3333")
    case = cases.case_callback(
        case=case, actor=None, resolved=True, satisfaction=2, proof=proof, note="还在漏"
    )
    assert case.state == State.SIGNED and case.rework_count == 1


def test_three_returns_escalate_the_case(desk):
    c = desk.county
    case = _intake(desk)
    for _ in range(3):
        case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.department)
        case = cases.case_return(case=case, actor=c.department_clerk, reason="不属于本单位职责")
    assert case.return_count == 3 and case.escalated_at is not None
    assert CaseEvent.objects.filter(case=case, action="escalate").count() == 1


def test_three_reworks_escalate_the_case(desk):
    case = _intake(desk)
    case = _to_replied(desk, case)
    clerk = desk.county.township_clerk
    for round_ in range(3):
        case = cases.case_callback(case=case, actor=desk.dispatcher, resolved=False, satisfaction=1)
        if round_ < 2:
            case = cases.case_plan(case=case, actor=clerk, plan="再次维修")
            case = cases.case_reply(case=case, actor=clerk, reply="已再次维修")
    assert case.rework_count == 3 and case.escalated_at is not None


def test_only_the_lead_unit_signs_for_and_only_a_dispatcher_dispatches(desk):
    c = desk.county
    case = _intake(desk)
    with pytest.raises(PermissionDenied):
        cases.case_dispatch(case=case, actor=c.township_clerk, unit=c.government_a)
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    for outsider in (c.other_township_clerk, c.department_clerk, c.resident, c.leader):
        with pytest.raises(PermissionDenied):
            cases.case_sign_for(case=case, actor=outsider)
    assert Case.objects.get(pk=case.pk).state == State.DISPATCHED


def test_an_action_the_state_does_not_allow_is_refused_and_changes_nothing(desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    with pytest.raises(TransitionNotAllowed):
        cases.case_reply(case=case, actor=c.township_clerk, reply="提前回复")
    events = CaseEvent.objects.filter(case=case).count()
    cases.case_sign_for(case=case, actor=c.township_clerk)
    with pytest.raises(TransitionNotAllowed):  # the second of two handlers acting on stale state
        cases.case_sign_for(case=case, actor=c.township_clerk)
    assert CaseEvent.objects.filter(case=case).count() == events + 1


def test_rejection_needs_a_reason_and_a_note(desk):
    case = _intake(desk)
    with pytest.raises(ValidationError):
        cases.case_reject(case=case, actor=desk.dispatcher, reason="bored", note="x")
    with pytest.raises(ValidationError):
        cases.case_reject(case=case, actor=desk.dispatcher, reason="unreasonable", note=" ")
    case = cases.case_reject(
        case=case, actor=desk.dispatcher, reason="unreasonable", note="重复无理诉求"
    )
    assert case.state == State.REJECTED and case.rejection_reason == "unreasonable"


def test_a_duplicate_merges_into_its_primary(desk):
    primary, duplicate = _intake(desk), _intake(desk)
    merged = cases.case_merge(case=duplicate, actor=desk.dispatcher, primary=primary)
    assert merged.state == State.MERGED and merged.merged_into == primary
    with pytest.raises(ValidationError):
        cases.case_merge(case=primary, actor=desk.dispatcher, primary=primary)


def test_a_supervision_order_sets_a_new_deadline(desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    new_due = timezone.now() + dt.timedelta(days=2)
    case = cases.case_supervise(case=case, actor=c.leader, new_due=new_due, note="请两日内办结")
    assert case.result_due == new_due and case.state == State.DISPATCHED
    with pytest.raises(PermissionDenied):
        cases.case_supervise(case=case, actor=c.other_township_clerk, new_due=new_due, note="x")


def test_reminders_and_overdue_escalation_happen_once(desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    # The services judge the time themselves: at 80 % of the sign-for time, then after it.
    assert case.sign_for_due is not None and case.dispatched_at is not None
    window = case.sign_for_due - case.dispatched_at
    nearly, late = case.dispatched_at + window * 0.8, case.sign_for_due + dt.timedelta(minutes=1)
    assert cases.case_remind(case=case, now=nearly) is True
    assert cases.case_remind(case=case, now=nearly) is False
    assert cases.case_escalate_overdue(case=case, now=late) is True
    assert cases.case_escalate_overdue(case=case, now=late) is False
    assert list(
        CaseEvent.objects.filter(case=case, action__in=["remind", "escalate"]).values_list(
            "action", flat=True
        )
    ) == ["remind", "escalate"]


def test_a_refused_intake_leaves_no_new_resident_behind(desk):
    people = Person.objects.count()
    with pytest.raises(ValidationError):
        _intake(desk, requester_name="新居民", requester_phone="13511119999", content="")
    assert Person.objects.count() == people
