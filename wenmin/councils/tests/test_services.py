"""四议两公开 through the services: every stage in order, and each refusal saving nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wenmin.cases.services import case_intake
from wenmin.core.models import AuditEvent
from wenmin.councils import services
from wenmin.councils.models import (
    Comment,
    CommentState,
    Objection,
    ObjectionState,
    Proposal,
    StageMeeting,
    Support,
)
from wenmin.councils.procedure import MEETING_STAGES, Stage, State
from wenmin.councils.tests.conftest import Village, at, decide, meeting
from wenmin.residents.testing import phone_verified

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_every_stage_in_order_to_the_published_result(village: Village) -> None:
    proposal, secretary = village.proposal, village.secretary
    assert proposal.raised_by == "council_member"  # the secretary sits on the council
    assert proposal.council == village.council
    for number, stage in enumerate(MEETING_STAGES, start=1):
        record = services.stage_meeting_record(proposal=proposal, actor=secretary, **meeting(stage))
        assert record.passed and record.quorum
        proposal.refresh_from_db()
        assert proposal.state == (State.DECIDED if number == 4 else State.IN_PROCEDURE)
    assert proposal.decided_at is not None
    services.decision_publish(proposal=proposal, actor=secretary)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_NOTICE and proposal.notice_until is not None
    assert proposal.notice_until is not None
    with at(proposal.notice_until + dt.timedelta(minutes=1)):
        services.proposal_send_to_projects(proposal=proposal, actor=secretary)
    proposal.refresh_from_db()
    assert proposal.state == State.SENT_TO_PROJECTS
    assert (proposal.project_ref_type, proposal.project_ref_id) == ("project", None)
    services.result_publish(proposal=proposal, actor=secretary, result="便民桥已建成通行。")
    proposal.refresh_from_db()
    assert proposal.state == State.RESULT_PUBLISHED and proposal.result_published_at
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "councils.meeting_record",
        "councils.publish_decision",
        "councils.notice_end",
        "councils.send_to_projects",
        "councils.publish_result",
    } <= actions


def _refused(village: Village, field: str, **counts: object) -> None:
    stage = counts.pop("stage", Stage.BRANCH_PROPOSAL)
    audited = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.stage_meeting_record(
            proposal=village.proposal, actor=village.secretary, **meeting(str(stage), **counts)
        )
    assert field in error.value.message_dict
    assert not StageMeeting.objects.exists()
    assert AuditEvent.objects.count() == audited
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.RAISED


def test_more_votes_than_members_present_is_refused(village: Village) -> None:
    _refused(village, "votes_for", present=5, votes_for=4, votes_against=1, abstentions=1)


def test_more_present_than_expected_is_refused(village: Village) -> None:
    _refused(village, "present", expected=5, present=6)


def test_negative_counts_are_refused(village: Village) -> None:
    _refused(village, "votes_against", votes_against=-1)


def test_a_meeting_out_of_order_is_refused(village: Village) -> None:
    _refused(village, "stage", stage=Stage.MEMBERS_REVIEW)


def test_a_meeting_in_the_future_is_refused(village: Village) -> None:
    _refused(village, "held_on", held_on=timezone.localdate() + dt.timedelta(days=3))


def test_a_meeting_without_quorum_is_refused_and_nothing_saved(village: Village) -> None:
    decide(village.proposal, village.secretary, MEETING_STAGES[:1])
    meetings, audited = StageMeeting.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.stage_meeting_record(
            proposal=village.proposal,
            actor=village.secretary,
            **meeting(
                Stage.COMMITTEES_DISCUSSION, expected=30, present=12, votes_for=12, votes_against=0
            ),
        )
    message = error.value.message_dict["present"][0]
    assert "12" in message and "30" in message and "流会" in message
    assert (StageMeeting.objects.count(), AuditEvent.objects.count()) == (meetings, audited)
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.IN_PROCEDURE


def test_exactly_half_present_is_no_quorum(village: Village) -> None:
    _refused(village, "present", expected=10, present=5, votes_for=5, votes_against=0)


def test_an_adjourned_meeting_keeps_the_proposal_at_its_stage_and_is_held_again(
    village: Village,
) -> None:
    proposal, secretary = village.proposal, village.secretary
    decide(proposal, secretary, MEETING_STAGES[:2])
    for _try in range(2):
        adjourned = services.stage_meeting_adjourn(
            proposal=proposal,
            actor=secretary,
            **_without_votes(meeting(Stage.MEMBERS_REVIEW, expected=30, present=12)),
        )
        assert adjourned.adjourned and not adjourned.passed
        assert (adjourned.votes_for, adjourned.votes_against, adjourned.abstentions) == (0, 0, 0)
        proposal.refresh_from_db()
        assert proposal.state == State.IN_PROCEDURE
        with pytest.raises(ValidationError):  # nothing decided, nothing to publish
            services.decision_publish(proposal=proposal, actor=secretary)
    assert AuditEvent.objects.filter(action="councils.meeting_adjourn").count() == 2
    with pytest.raises(ValidationError) as error:  # the adjourned stage is still the one due
        services.stage_meeting_record(
            proposal=proposal, actor=secretary, **meeting(Stage.REPRESENTATIVES_RESOLUTION)
        )
    assert "stage" in error.value.message_dict
    decide(proposal, secretary, MEETING_STAGES[2:])
    assert proposal.state == State.DECIDED
    stages = list(proposal.meetings.values_list("stage", "quorum", "passed"))
    assert stages.count((Stage.MEMBERS_REVIEW, False, False)) == 2
    assert stages.count((Stage.MEMBERS_REVIEW, True, True)) == 1
    services.decision_publish(proposal=proposal, actor=secretary)
    proposal.refresh_from_db()
    assert proposal.state == State.IN_NOTICE


def _without_votes(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not k.startswith("votes_") and k != "abstentions"}


def test_a_meeting_that_had_its_quorum_cannot_be_recorded_as_adjourned(village: Village) -> None:
    with pytest.raises(ValidationError) as error:
        services.stage_meeting_adjourn(
            proposal=village.proposal,
            actor=village.secretary,
            **_without_votes(meeting(Stage.BRANCH_PROPOSAL, expected=9, present=5)),
        )
    assert "present" in error.value.message_dict
    assert not StageMeeting.objects.exists()
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.RAISED


def test_an_adjournment_follows_the_stage_order_and_the_state(village: Village) -> None:
    with pytest.raises(ValidationError) as error:
        services.stage_meeting_adjourn(
            proposal=village.proposal,
            actor=village.secretary,
            **_without_votes(meeting(Stage.MEMBERS_REVIEW, present=2)),
        )
    assert "stage" in error.value.message_dict
    proposal = decide(village.proposal, village.secretary)
    with pytest.raises(ValidationError):
        services.stage_meeting_adjourn(
            proposal=proposal,
            actor=village.secretary,
            **_without_votes(meeting(Stage.REPRESENTATIVES_RESOLUTION, present=2)),
        )
    assert not StageMeeting.objects.filter(quorum=False).exists()
    with pytest.raises(PermissionDenied):
        services.stage_meeting_adjourn(
            proposal=proposal,
            actor=village.county.other_township_clerk,
            **_without_votes(meeting(Stage.BRANCH_PROPOSAL, present=2)),
        )


def test_a_meeting_without_majority_fails_the_proposal(village: Village) -> None:
    decide(village.proposal, village.secretary, MEETING_STAGES[:3])
    record = services.stage_meeting_record(
        proposal=village.proposal,
        actor=village.secretary,
        **meeting(Stage.REPRESENTATIVES_RESOLUTION, present=8, votes_for=4, votes_against=4),
    )
    assert record.quorum and not record.passed
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.FAILED
    with pytest.raises(ValidationError):
        services.decision_publish(proposal=village.proposal, actor=village.secretary)


def test_a_county_procedure_with_two_meetings(village: Village) -> None:
    services.procedure_set(
        actor=village.county.administrator,
        county=village.county.county,
        stages=[Stage.BRANCH_PROPOSAL, Stage.REPRESENTATIVES_RESOLUTION],
        quorum=(2, 3),
        majority=(1, 2),
        notice_working_days=7,
    )
    with pytest.raises(ValidationError) as error:  # 6/9 is not more than 2/3
        services.stage_meeting_record(
            proposal=village.proposal,
            actor=village.secretary,
            **meeting(Stage.BRANCH_PROPOSAL, expected=9, present=6, votes_for=5),
        )
    assert "2/3" in error.value.message_dict["present"][0]
    record = services.stage_meeting_adjourn(
        proposal=village.proposal,
        actor=village.secretary,
        **_without_votes(meeting(Stage.BRANCH_PROPOSAL, expected=9, present=6)),
    )
    assert record.adjourned
    record = services.stage_meeting_record(
        proposal=village.proposal,
        actor=village.secretary,
        **meeting(Stage.BRANCH_PROPOSAL, expected=9, present=7, votes_for=5),
    )
    assert record.quorum and record.passed


def test_a_bad_procedure_is_refused(village: Village) -> None:
    with pytest.raises(ValidationError) as error:
        services.procedure_set(
            actor=village.county.administrator,
            county=village.county.county,
            stages=[Stage.REPRESENTATIVES_RESOLUTION, Stage.BRANCH_PROPOSAL],
            quorum=(1, 2),
            majority=(1, 2),
            notice_working_days=5,
        )
    assert "stages" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.procedure_set(
            actor=village.secretary,
            county=village.county.county,
            stages=list(MEETING_STAGES),
            quorum=(1, 2),
            majority=(1, 2),
            notice_working_days=5,
        )


def test_the_notice_period_counts_working_days_across_the_national_day(
    village: Village,
) -> None:
    decide(village.proposal, village.secretary)
    # Published on Wednesday 30 September 2026: 1–7 October are holidays, Saturday 10 October a
    # make-up working day; five working days end on Tuesday 13 October at close of office.
    with at(dt.datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)):
        services.decision_publish(proposal=village.proposal, actor=village.secretary)
    village.proposal.refresh_from_db()
    assert village.proposal.notice_until == dt.datetime(2026, 10, 13, 17, 30, tzinfo=SHANGHAI)
    with at(dt.datetime(2026, 10, 13, 17, 0, tzinfo=SHANGHAI)):
        services.objection_file(proposal=village.proposal, actor=village.resident, body="选址不妥")
        with pytest.raises(ValidationError):
            services.proposal_send_to_projects(proposal=village.proposal, actor=village.secretary)
    with at(dt.datetime(2026, 10, 13, 18, 0, tzinfo=SHANGHAI)):
        with pytest.raises(ValidationError) as error:
            services.objection_file(
                proposal=village.proposal, actor=village.resident, body="再提一次"
            )
        assert "text" in error.value.message_dict
        assert services.notices_end_due() == 1
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.NOTICE_ENDED
    assert Objection.objects.count() == 1


def test_an_objection_outside_the_notice_is_refused(village: Village) -> None:
    with pytest.raises(ValidationError) as error:
        services.objection_file(proposal=village.proposal, actor=village.resident, body="反对")
    assert "text" in error.value.message_dict
    assert not Objection.objects.exists()


def test_a_pending_objection_holds_the_decision_and_an_upheld_one_sets_it_aside(
    village: Village,
) -> None:
    decide(village.proposal, village.secretary)
    services.decision_publish(proposal=village.proposal, actor=village.secretary)
    village.proposal.refresh_from_db()
    objection = services.objection_file(
        proposal=village.proposal, actor=village.resident, body="桥址占用耕地"
    )
    until = village.proposal.notice_until
    assert until is not None
    with at(until + dt.timedelta(hours=1)):
        with pytest.raises(ValidationError) as error:
            services.proposal_send_to_projects(proposal=village.proposal, actor=village.secretary)
        assert "proposal" in error.value.message_dict
        village.proposal.refresh_from_db()
        assert village.proposal.state == State.NOTICE_ENDED  # ended, but held by the objection
        services.objection_handle(
            objection=objection, actor=village.secretary, uphold=True, note="重新选址"
        )
    village.proposal.refresh_from_db()
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD
    assert village.proposal.state == State.SET_ASIDE
    with pytest.raises(ValidationError):
        services.proposal_send_to_projects(proposal=village.proposal, actor=village.secretary)


def test_one_support_per_verified_resident(village: Village) -> None:
    services.proposal_support(proposal=village.proposal, actor=village.resident)
    with pytest.raises(ValidationError) as error:
        services.proposal_support(proposal=village.proposal, actor=village.resident)
    assert "proposal" in error.value.message_dict
    assert Support.objects.count() == 1


def test_an_unverified_resident_cannot_support(village: Village) -> None:
    with pytest.raises(PermissionDenied):
        services.proposal_support(proposal=village.proposal, actor=village.county.volunteer)
    assert not Support.objects.exists()


def test_comment_moderation_keeps_the_original(village: Village) -> None:
    comment = services.comment_post(
        proposal=village.proposal, actor=village.resident, body="支持！联系电话13800001111"
    )
    assert comment.state == CommentState.PENDING
    services.comment_moderate(
        comment=comment, actor=village.secretary, publish=True, body="支持！", note="去掉电话"
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
    assert comment.text == "支持！"
    assert comment.original_text == "支持！联系电话13800001111"
    services.comment_moderate(comment=comment, actor=village.secretary, publish=False)
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert comment.original_text == "支持！联系电话13800001111"


def test_another_townships_clerk_keeps_nothing_here(village: Village) -> None:
    comment = services.comment_post(proposal=village.proposal, actor=village.resident, body="好")
    with pytest.raises(PermissionDenied):
        services.comment_moderate(
            comment=comment, actor=village.county.other_township_clerk, publish=True
        )
    with pytest.raises(PermissionDenied):
        services.stage_meeting_record(
            proposal=village.proposal,
            actor=village.county.other_township_clerk,
            **meeting(Stage.BRANCH_PROPOSAL),
        )
    assert Comment.objects.get().state == CommentState.PENDING
    assert not StageMeeting.objects.exists()


def test_a_resident_raises_a_proposal_and_a_stranger_cannot(village: Village) -> None:
    proposal = services.proposal_raise(
        actor=village.resident,
        region=village.county.group_a,
        title="安装路灯",
        description="第一村民小组的主路晚上太黑。",
    )
    assert proposal.raised_by == "resident"
    assert proposal.raised_by_person == village.county.resident_a
    with pytest.raises(PermissionDenied):
        services.proposal_raise(
            actor=village.county.volunteer,
            region=village.county.village_a,
            title="x",
            description="y",
        )
    with pytest.raises(ValidationError) as error:
        services.proposal_raise(
            actor=village.resident,
            region=village.county.township_a,
            title="x",
            description="y",
        )
    assert "region" in error.value.message_dict
    assert Proposal.objects.count() == 2


def test_promotion_from_a_suggestion_case_keeps_the_link(village: Village) -> None:
    county = village.county
    case = case_intake(
        channel="phone",
        kind="suggestion",
        title="建议修建文化广场",
        content="村里没有活动场地，建议在旧小学旧址修建文化广场。",
        requester_name="陈明",
        requester_phone="18600003333",
        region=county.village_a,
        actor=county.administrator,
    )
    proposal = services.proposal_promote_from_case(case=case, actor=village.secretary)
    assert proposal.source_case_id == case.pk
    assert proposal.raised_by == "case" and proposal.title == case.title
    assert proposal.region == county.village_a
    with pytest.raises(ValidationError) as error:
        services.proposal_promote_from_case(case=case, actor=village.secretary)
    assert "case" in error.value.message_dict
    complaint = case_intake(
        channel="phone",
        kind="complaint",
        title="噪音",
        content="夜间施工噪音。",
        requester_name="陈明",
        requester_phone="18600003333",
        region=county.village_a,
        actor=county.administrator,
    )
    with pytest.raises(ValidationError):
        services.proposal_promote_from_case(case=complaint, actor=village.secretary)
    assert Proposal.objects.filter(source_case__isnull=False).count() == 1


def test_a_member_must_live_in_the_village(village: Village) -> None:
    with pytest.raises(ValidationError) as error:
        services.council_member_add(
            actor=village.secretary,
            council=village.council,
            person=village.county.member_b,  # lives in 白沙村
            kind="elected",
            start_date=dt.date(2024, 1, 1),
        )
    assert "person" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.council_member_add(
            actor=village.secretary,
            council=village.council,
            person=village.county.member_a,  # already a member
            kind="elected",
            start_date=dt.date(2024, 1, 1),
        )
    assert village.council.members.count() == 1


def test_verified_phone_helper_is_what_supports_need(village: Village) -> None:
    volunteer = phone_verified(village.county.volunteer)
    services.proposal_support(proposal=village.proposal, actor=volunteer)
    assert Support.objects.filter(person=village.county.volunteer_a).exists()


def test_a_dismissed_objection_lets_the_decision_go_to_the_projects_register(
    village: Village,
) -> None:
    decide(village.proposal, village.secretary)
    services.decision_publish(proposal=village.proposal, actor=village.secretary)
    village.proposal.refresh_from_db()
    objection = services.objection_file(
        proposal=village.proposal, actor=village.resident, body="担心噪音"
    )
    services.objection_handle(
        objection=objection, actor=village.secretary, uphold=False, note="施工限定白天"
    )
    with pytest.raises(ValidationError) as error:  # answered twice
        services.objection_handle(
            objection=objection, actor=village.secretary, uphold=True, note="再议"
        )
    assert "handled_note" in error.value.message_dict
    until = village.proposal.notice_until
    assert until is not None
    with at(until + dt.timedelta(minutes=5)):
        services.proposal_send_to_projects(proposal=village.proposal, actor=village.secretary)
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.SENT_TO_PROJECTS
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED


def test_a_proposal_is_withdrawn_before_publication_only(village: Village) -> None:
    services.proposal_withdraw(proposal=village.proposal, actor=village.secretary)
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.WITHDRAWN
    other = services.proposal_raise(
        actor=village.secretary, region=village.county.village_a, title="路灯", description="亮化"
    )
    decide(other, village.secretary)
    services.decision_publish(proposal=other, actor=village.secretary)
    with pytest.raises(ValidationError):
        services.proposal_withdraw(proposal=other, actor=village.secretary)
    other.refresh_from_db()
    assert other.state == State.IN_NOTICE


def test_a_membership_ends_and_the_chair_with_it(village: Village) -> None:
    member = village.council.members.get()
    with pytest.raises(ValidationError):
        services.council_member_end(
            actor=village.secretary, member=member, end_date=dt.date(2023, 1, 1)
        )
    services.council_member_end(
        actor=village.secretary, member=member, end_date=dt.date(2025, 6, 30)
    )
    member.refresh_from_db()
    village.council.refresh_from_db()
    assert member.end_date == dt.date(2025, 6, 30) and village.council.chair is None
    # The person can be a member again, in a new row.
    services.council_member_add(
        actor=village.secretary,
        council=village.council,
        person=member.person,
        kind="elected",
        start_date=dt.date(2025, 7, 1),
    )
    assert village.council.members.count() == 2


def test_a_residents_supports_are_listed_for_my_supports(village: Village) -> None:
    from wenmin.councils.selectors import proposals_supported_by

    other = services.proposal_raise(
        actor=village.secretary, region=village.county.village_a, title="路灯", description="亮化"
    )
    services.proposal_support(proposal=village.proposal, actor=village.resident)
    services.proposal_support(proposal=other, actor=village.resident)
    services.proposal_support(proposal=other, actor=phone_verified(village.county.volunteer))
    person = village.county.resident_a.pk
    mine = list(proposals_supported_by(person))
    assert [p.pk for p in mine] == [other.pk, village.proposal.pk]
    assert mine[0].support_count == 2  # type: ignore[attr-defined]  # annotated


def test_the_worker_ends_notice_periods_that_are_over(village: Village) -> None:
    from wenmin.core.periodic import periodic_run

    decide(village.proposal, village.secretary)
    services.decision_publish(proposal=village.proposal, actor=village.secretary)
    Proposal.objects.filter(pk=village.proposal.pk).update(
        notice_until=timezone.now() - dt.timedelta(minutes=1)
    )
    periodic_run()
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.NOTICE_ENDED
    assert AuditEvent.objects.filter(action="councils.notice_end", actor=None).count() == 1
