"""The pages, through HTTP: the public's and the village keepers'."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.core.models import User
from wenmin.councils import services
from wenmin.councils.models import (
    Comment,
    CommentState,
    Objection,
    ProcedureConfig,
    Proposal,
    ProposalPhoto,
    StageMeeting,
    Support,
    VillagersCouncil,
)
from wenmin.councils.procedure import Stage, State
from wenmin.councils.selectors import rules_for
from wenmin.councils.tests.conftest import Village, decide, meeting
from wenmin.residents.testing import phone_verified


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_public_list_and_page_show_the_proposal(village: Village) -> None:
    client = _client()
    listing = client.get(reverse("councils:proposal_list"))
    assert listing.status_code == 200
    assert "修建村口便民桥" in listing.content.decode()
    filtered = client.get(
        reverse("councils:proposal_list"), {"village": village.county.village_b.pk}
    )
    assert "修建村口便民桥" not in filtered.content.decode()
    page = client.get(reverse("councils:proposal_detail", args=[village.proposal.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "村口小河" in body and "28.123456" in body


def test_the_public_list_costs_the_same_for_many_proposals(
    village: Village, django_assert_max_num_queries: Any
) -> None:
    for number in range(15):
        services.proposal_raise(
            actor=village.secretary,
            region=village.county.village_a,
            title=f"议题{number}",
            description="说明",
        )
    client = _client()
    with django_assert_max_num_queries(3):
        response = client.get(reverse("councils:proposal_list"))
    assert response.status_code == 200


def test_supporting_without_a_verified_phone_asks_for_it(village: Village) -> None:
    client = _client(village.county.volunteer)
    url = reverse("councils:proposal_support", args=[village.proposal.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert "next=" in response["Location"]
    assert not Support.objects.exists()


def test_a_verified_resident_supports_once(village: Village) -> None:
    client = _client(village.resident)
    url = reverse("councils:proposal_support", args=[village.proposal.pk])
    assert client.post(url).status_code == 302
    page = client.get(reverse("councils:proposal_detail", args=[village.proposal.pk]))
    assert 'id="support-count">1<' in page.content.decode()
    client.post(url)
    assert Support.objects.count() == 1


def test_a_comment_shows_only_once_published(village: Village) -> None:
    client = _client(village.resident)
    url = reverse("councils:comment_post", args=[village.proposal.pk])
    assert client.post(url, {"text": "建议用水泥桥"}).status_code == 302
    detail = reverse("councils:proposal_detail", args=[village.proposal.pk])
    assert "建议用水泥桥" not in _client().get(detail).content.decode()
    comment = Comment.objects.get()
    staff = _client(village.secretary)
    response = staff.post(
        reverse("councils:comment_moderate", args=[comment.pk]),
        {"decision": "publish", "text": "建议用水泥桥。", "note": ""},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED and comment.original_text == "建议用水泥桥"
    assert "建议用水泥桥。" in _client().get(detail).content.decode()


def test_staff_record_a_meeting_and_bad_counts_are_refused(village: Village) -> None:
    staff = _client(village.secretary)
    url = reverse("councils:meeting_record", args=[village.proposal.pk])
    bad = meeting(Stage.BRANCH_PROPOSAL, present=5, votes_for=5, votes_against=1)
    response = staff.post(url, bad)
    assert response.status_code == 400
    assert not StageMeeting.objects.exists()
    response = staff.post(url, meeting(Stage.BRANCH_PROPOSAL))
    assert response.status_code == 302
    assert StageMeeting.objects.get().passed


def test_the_notice_and_the_objection_form_on_the_public_page(village: Village) -> None:
    decide(village.proposal, village.secretary)
    staff = _client(village.secretary)
    response = staff.post(reverse("councils:decision_publish", args=[village.proposal.pk]))
    assert response.status_code == 302
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.IN_NOTICE
    page = _client(village.resident).get(
        reverse("councils:proposal_detail", args=[village.proposal.pk])
    )
    body = page.content.decode()
    assert 'id="notice"' in body
    assert reverse("councils:objection_file", args=[village.proposal.pk]) in body


def test_another_township_sees_no_council_of_this_one(village: Village) -> None:
    other = _client(village.county.other_township_clerk)
    assert (
        other.get(reverse("councils:council_detail", args=[village.council.pk])).status_code == 404
    )
    assert (
        other.get(reverse("councils:proposal_manage", args=[village.proposal.pk])).status_code
        == 404
    )
    home = other.get(reverse("councils:home"))
    assert home.status_code == 200 and "青石村村民理事会" not in home.content.decode()


@pytest.mark.parametrize("name", ["resident", "volunteer", "department_clerk"])
def test_staff_pages_are_closed_to_others(village: Village, name: str) -> None:
    user = getattr(village.county, name)
    assert _client(user).get(reverse("councils:home")).status_code == 403


def test_the_keeper_creates_a_council_and_adds_a_member(village: Village) -> None:
    staff = _client(village.county.township_clerk)
    response = staff.post(
        reverse("councils:council_new"),
        {"region": village.county.group_a.pk, "name": "第一组理事会", "term_start": "2025-01-01"},
    )
    assert response.status_code == 302
    council = VillagersCouncil.objects.get(region=village.county.group_a)
    response = staff.post(
        reverse("councils:member_add", args=[council.pk]),
        {
            "person": village.county.resident_a.pk,
            "kind": "elder",
            "start_date": "2025-01-01",
            "chair": "on",
        },
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.chair == village.county.resident_a


def test_the_administrator_sets_a_countys_procedure_in_the_admin(village: Village) -> None:
    admin = _client(village.county.administrator)
    url = reverse("admin:councils_procedureconfig_add")
    values = {
        "county": village.county.county.pk,
        "stages": ["branch_proposal", "representatives_resolution"],
        "quorum_numerator": "2",
        "quorum_denominator": "3",
        "majority_numerator": "1",
        "majority_denominator": "2",
        "notice_working_days": "7",
    }
    refused = admin.post(url, {**values, "stages": ["branch_proposal"]})
    assert refused.status_code == 200 and not ProcedureConfig.objects.exists()
    assert admin.post(url, values).status_code == 302
    rules = rules_for(village.county.village_a)
    assert rules.stages == ("branch_proposal", "representatives_resolution")
    assert rules.notice_working_days == 7 and rules.quorum == Fraction(2, 3)


def test_the_keepers_home_counts_proposals_by_state_and_links_to_them(village: Village) -> None:
    services.proposal_support(proposal=village.proposal, actor=village.resident)
    services.proposal_support(
        proposal=village.proposal, actor=phone_verified(village.county.volunteer)
    )
    staff = _client(village.secretary)
    home = staff.get(reverse("councils:home"))
    assert dict((code, n) for code, _label, n in home.context["by_state"])[State.RAISED] == 1
    listed = staff.get(reverse("councils:proposals"), {"state": State.RAISED})
    assert [p.pk for p in listed.context["page"].object_list] == [village.proposal.pk]
    assert listed.context["page"].object_list[0].support_count == 2


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_a_verified_resident_raises_a_proposal_with_a_photo_everyone_sees(
    village: Village, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = _client(village.resident)
    response = client.post(
        reverse("councils:proposal_new"),
        {
            "region": village.county.group_a.pk,
            "title": "安装路灯",
            "description": "第一组主路太黑。",
            "location": "第一组主路",
            "latitude": "28.1",
            "longitude": "115.6",
            "photos": [SimpleUploadedFile("road.png", PNG, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    photo = ProposalPhoto.objects.get()
    assert photo.proposal.raised_by == "resident"
    shown = _client().get(reverse("councils:photo", args=[photo.pk]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    refused = client.post(
        reverse("councils:proposal_new"),
        {
            "region": village.county.group_a.pk,
            "title": "假照片",
            "description": "说明",
            "photos": [SimpleUploadedFile("fake.png", b"not a png", content_type="image/png")],
        },
    )
    assert refused.status_code == 400
    assert ProposalPhoto.objects.count() == 1


def test_raising_a_proposal_without_a_verified_phone_asks_for_it(village: Village) -> None:
    response = _client(village.county.volunteer).get(reverse("councils:proposal_new"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_the_keepers_proposal_list_costs_the_same_for_many(
    village: Village, django_assert_max_num_queries: Any
) -> None:
    for number in range(12):
        services.proposal_raise(
            actor=village.secretary,
            region=village.county.village_a,
            title=f"议题{number}",
            description="说明",
        )
    staff = _client(village.secretary)
    # each includes the unread-notifications count every staff page's header shows
    with django_assert_max_num_queries(7):
        assert staff.get(reverse("councils:proposals")).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            staff.get(reverse("councils:council_detail", args=[village.council.pk])).status_code
            == 200
        )


def test_a_meeting_without_quorum_is_refused_then_recorded_as_adjourned(village: Village) -> None:
    staff = _client(village.secretary)
    url = reverse("councils:meeting_record", args=[village.proposal.pk])
    counts = meeting(Stage.BRANCH_PROPOSAL, expected=30, present=12, votes_for=12, votes_against=0)
    response = staff.post(url, counts)
    assert response.status_code == 400
    page = response.content.decode()
    assert "实到 12 人，未超过应到 30 人的一半" in page and "记为流会" in page
    assert not StageMeeting.objects.exists()
    adjourn = reverse("councils:meeting_adjourn", args=[village.proposal.pk])
    assert f'formaction="{adjourn}"' in page
    no_votes = {k: v for k, v in counts.items() if k not in ("votes_for", "votes_against")}
    response = staff.post(adjourn, {**no_votes, "abstentions": ""}, follow=True)
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.RAISED
    assert StageMeeting.objects.get().adjourned
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "12" in shown[0] and "30" in shown[0]
    assert response.context["may_meet"] and response.context["next_stage"] == Stage.BRANCH_PROPOSAL
    public = _client().get(reverse("councils:proposal_detail", args=[village.proposal.pk]))
    assert "流会（未达法定人数）" in public.content.decode()
    quorate = meeting(Stage.BRANCH_PROPOSAL, expected=9, present=7)
    assert staff.post(adjourn, quorate).status_code == 400
    assert StageMeeting.objects.count() == 1


def test_a_vote_without_majority_ends_the_proposal_and_the_keeper_is_told_why(
    village: Village,
) -> None:
    staff = _client(village.secretary)
    url = reverse("councils:meeting_record", args=[village.proposal.pk])
    counts = meeting(Stage.BRANCH_PROPOSAL, expected=9, present=7, votes_for=3, votes_against=4)
    response = staff.post(url, counts, follow=True)
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.FAILED
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "3" in shown[0] and "7" in shown[0]
    assert not response.context["may_publish"] and not response.context["may_meet"]


def test_a_keeper_makes_a_suggestion_case_a_proposal_from_its_number(village: Village) -> None:
    from wenmin.cases.services import case_intake

    case = case_intake(
        channel="phone",
        kind="suggestion",
        title="建议建设老年食堂",
        content="留守老人吃饭难。",
        requester_phone="18600003333",
        region=village.county.village_a,
        actor=village.county.administrator,
    )
    staff = _client(village.secretary)
    found = staff.get(reverse("councils:promote"), {"number": case.number})
    assert found.status_code == 200 and found.context["case"] == case
    response = staff.post(reverse("councils:promote"), {"case": case.pk})
    assert response.status_code == 302
    proposal = Proposal.objects.get(source_case=case)
    assert proposal.raised_by == "case"
    again = staff.post(reverse("councils:promote"), {"case": case.pk})
    assert again.status_code == 400
    other = _client(village.county.other_township_clerk)
    assert other.get(reverse("councils:promote"), {"number": case.number}).context["case"] is None


def test_the_keeper_ends_a_membership_from_the_council_page(village: Village) -> None:
    member = village.council.members.get()
    staff = _client(village.secretary)
    response = staff.post(
        reverse("councils:member_end", args=[member.pk]), {"end_date": "2025-06-30"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.end_date is not None
    other = _client(village.county.other_township_clerk)
    assert (
        other.post(
            reverse("councils:member_end", args=[member.pk]), {"end_date": "2025-07-01"}
        ).status_code
        == 404
    )


def test_a_county_with_two_meetings_decides_after_the_second(village: Village) -> None:
    services.procedure_set(
        actor=village.county.administrator,
        county=village.county.county,
        stages=[Stage.BRANCH_PROPOSAL, Stage.REPRESENTATIVES_RESOLUTION],
        quorum=(1, 2),
        majority=(1, 2),
        notice_working_days=7,
    )
    staff = _client(village.secretary)
    manage = reverse("councils:proposal_manage", args=[village.proposal.pk])
    choices = staff.get(manage).context["meeting_form"].fields["stage"].choices
    assert [code for code, _label in choices] == [
        Stage.BRANCH_PROPOSAL,
        Stage.REPRESENTATIVES_RESOLUTION,
    ]
    url = reverse("councils:meeting_record", args=[village.proposal.pk])
    assert staff.post(url, meeting(Stage.COMMITTEES_DISCUSSION)).status_code == 400
    assert staff.post(url, meeting(Stage.BRANCH_PROPOSAL)).status_code == 302
    assert staff.post(url, meeting(Stage.REPRESENTATIVES_RESOLUTION)).status_code == 302
    village.proposal.refresh_from_db()
    assert village.proposal.state == State.DECIDED
    public = _client().get(reverse("councils:proposal_detail", args=[village.proposal.pk]))
    assert len(public.context["marks"]) == 4


def test_a_verified_resident_objects_during_the_notice_and_not_after(village: Village) -> None:
    decide(village.proposal, village.secretary)
    services.decision_publish(proposal=village.proposal, actor=village.secretary)
    village.proposal.refresh_from_db()
    client = _client(village.resident)
    url = reverse("councils:objection_file", args=[village.proposal.pk])
    assert client.post(url, {"text": "占用耕地"}).status_code == 302
    # The last working day of the notice is over.
    Proposal.objects.filter(pk=village.proposal.pk).update(
        notice_until=timezone.now() - dt.timedelta(minutes=1)
    )
    late = client.post(url, {"text": "再提一次"})
    assert late.status_code == 400
    assert Objection.objects.count() == 1
    unverified = _client(village.county.volunteer).post(url, {"text": "反对"})
    assert unverified.status_code == 302 and "next=" in unverified["Location"]
    assert Objection.objects.count() == 1


def test_a_hidden_comment_never_shows_publicly(village: Village) -> None:
    comment = services.comment_post(
        proposal=village.proposal, actor=village.resident, body="骂人的话"
    )
    services.comment_moderate(comment=comment, actor=village.secretary, publish=False)
    page = _client().get(reverse("councils:proposal_detail", args=[village.proposal.pk]))
    assert "骂人的话" not in page.content.decode()
    manage = _client(village.secretary).get(
        reverse("councils:proposal_manage", args=[village.proposal.pk])
    )
    assert "骂人的话" in manage.content.decode()  # staff still read what was written


def test_the_public_page_costs_the_same_with_more_comments_and_meetings(village: Village) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    detail = reverse("councils:proposal_detail", args=[village.proposal.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _client(village.resident).get(detail).status_code == 200
        return len(captured.captured_queries)

    def comment(text: str) -> None:
        written = services.comment_post(
            proposal=village.proposal, actor=village.resident, body=text
        )
        services.comment_moderate(comment=written, actor=village.secretary, publish=True)

    comment("第一条")
    services.stage_meeting_record(
        proposal=village.proposal, actor=village.secretary, **meeting(Stage.BRANCH_PROPOSAL)
    )
    few = queries()
    for number in range(8):
        comment(f"第{number}条")
    decide_rest = (Stage.COMMITTEES_DISCUSSION, Stage.MEMBERS_REVIEW)
    decide(village.proposal, village.secretary, decide_rest)
    assert queries() == few


def test_my_supports_lists_what_the_verified_resident_supports(
    village: Village, django_assert_max_num_queries: Any
) -> None:
    mine_url = reverse("councils:my_supports")
    assert mine_url == "/councils/mine/"
    other = services.proposal_raise(
        actor=village.secretary,
        region=village.county.village_a,
        title="安装路灯",
        description="亮化",
    )
    unsupported = services.proposal_raise(
        actor=village.secretary,
        region=village.county.village_a,
        title="修建广场",
        description="场地",
    )
    services.proposal_support(proposal=village.proposal, actor=village.resident)
    services.proposal_support(proposal=other, actor=village.resident)
    services.proposal_support(proposal=other, actor=phone_verified(village.county.volunteer))
    services.proposal_support(proposal=unsupported, actor=village.county.volunteer)
    decide(village.proposal, village.secretary)
    client = _client(village.resident)
    with django_assert_max_num_queries(8):
        response = client.get(mine_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "安装路灯" in page and "修建村口便民桥" in page and "修建广场" not in page
    assert str(State.DECIDED.label) in page and str(State.RAISED.label) in page
    for proposal in (village.proposal, other):
        assert reverse("councils:proposal_detail", args=[proposal.pk]) in page
    me = client.get(reverse("residents:me")).content.decode()
    assert f'data-section="councils:my_supports"><a href="{mine_url}">' in me
    assert 'data-section="councils:my_supports"' in me and "我的支持" in me
    counts = {
        row.url_name: row.count for row in client.get(reverse("residents:me")).context["sections"]
    }
    assert counts["councils:my_supports"] == 2


def test_my_supports_of_an_unverified_account_asks_for_the_phone(village: Village) -> None:
    for client in (_client(village.county.volunteer), _client()):
        response = client.get(reverse("councils:my_supports"))
        assert response.status_code == 302
        assert response["Location"] == reverse("residents:verify") + "?next=%2Fcouncils%2Fmine%2F"


def test_my_supports_says_what_to_do_when_empty(village: Village) -> None:
    response = _client(village.resident).get(reverse("councils:my_supports"))
    assert response.status_code == 200
    assert reverse("councils:proposal_list") in response.content.decode()
    assert not response.context["page"].object_list


def _suggestion(village: Village, desk: Any) -> Any:
    from wenmin.cases.services import case_intake

    return case_intake(
        channel="phone",
        kind="suggestion",
        title="建议开办老年食堂",
        content="留守老人吃饭难，建议利用闲置村部用房开办老年食堂。",
        requester_phone="18600003333",
        region=village.county.village_a,
        category=desk.water,
    )


def test_the_case_page_links_to_promotion_and_then_to_the_proposal(
    village: Village, desk: Any
) -> None:
    case = _suggestion(village, desk)
    case_page = reverse("cases:case_detail", args=[case.pk])
    promote = reverse("councils:promote") + f"?number={case.number}"
    keeper = _client(village.county.township_clerk)
    page = keeper.get(case_page).content.decode()
    assert f'href="{promote}">转为村级议题<' in page
    assert "转为村级议题" not in _client(desk.dispatcher).get(case_page).content.decode()
    assert keeper.post(reverse("councils:promote"), {"case": case.pk}).status_code == 302
    proposal = Proposal.objects.get(source_case=case)
    page = keeper.get(case_page).content.decode()
    assert "转为村级议题" not in page
    manage = reverse("councils:proposal_manage", args=[proposal.pk])
    assert f'href="{manage}">查看由本件转来的村级议题<' in page


def test_promotion_notes_the_case_when_the_promoter_handles_it(village: Village, desk: Any) -> None:
    from wenmin.cases import services as cases
    from wenmin.cases.models import CaseEvent
    from wenmin.core.models import AuditEvent

    clerk = village.county.township_clerk
    case = _suggestion(village, desk)
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=village.county.government_a)
    case = cases.case_sign_for(case=case, actor=clerk)
    notes = CaseEvent.objects.filter(case=case, action="note")
    assert not notes.exists()
    proposal = services.proposal_promote_from_case(case=case, actor=clerk)
    note = notes.get()
    assert proposal.title in note.note
    assert reverse("councils:proposal_manage", args=[proposal.pk]) in note.note
    event = AuditEvent.objects.get(action="councils.proposal_promote")
    assert event.changes["case_note"] is True


def test_promotion_of_a_case_the_promoter_does_not_handle_leaves_only_the_audit(
    village: Village, desk: Any
) -> None:
    from wenmin.cases.models import CaseEvent
    from wenmin.core.models import AuditEvent

    case = _suggestion(village, desk)  # received, not yet dispatched: nobody may note it
    services.proposal_promote_from_case(case=case, actor=village.secretary)
    assert not CaseEvent.objects.filter(case=case, action="note").exists()
    event = AuditEvent.objects.get(action="councils.proposal_promote")
    assert event.changes == {"case": case.number, "case_note": False}
