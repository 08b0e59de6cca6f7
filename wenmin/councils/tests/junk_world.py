"""The councils' objects for the junk tests (tests/robustness): a council of 青石村 and a
decided proposal in its notice period, with a photo, a comment and an objection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from wenmin.councils import services
from wenmin.councils.procedure import MEETING_STAGES
from wenmin.residents.testing import phone_verified
from wenmin.testing import CaseDesk

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def junk_world(desk: CaseDesk) -> dict[str, dict[str, Any]]:
    c = desk.county
    keeper = c.township_clerk
    council = services.council_create(
        actor=keeper, region=c.village_a, name="青石村村民理事会", term_start=dt.date(2024, 1, 1)
    )
    services.council_member_add(
        actor=keeper,
        council=council,
        person=c.member_a,
        kind="party_member",
        start_date=dt.date(2024, 1, 1),
        chair=True,
    )
    proposal = services.proposal_raise(
        actor=keeper,
        region=c.village_a,
        title="修建村口便民桥",
        description="木桥年久失修。",
        photos=[SimpleUploadedFile("bridge.png", PNG, content_type="image/png")],
    )
    for stage in MEETING_STAGES:
        services.stage_meeting_record(
            proposal=proposal,
            actor=keeper,
            stage=stage,
            held_on=dt.date(2026, 3, 2),
            place="村委会",
            expected=9,
            present=7,
            minutes="通过。",
            votes_for=6,
            votes_against=1,
            abstentions=0,
        )
    services.decision_publish(proposal=proposal, actor=keeper)
    resident = phone_verified(c.resident)
    comment = services.comment_post(proposal=proposal, actor=resident, body="支持")
    objection = services.objection_file(proposal=proposal, actor=resident, body="选址不妥")
    return {
        "paths": {
            "proposal_id": proposal.pk,
            "council_id": council.pk,
            "council_member_id": council.members.get().pk,
            "comment_id": comment.pk,
            "objection_id": objection.pk,
            "photo_id": proposal.photos.get().pk,
        },
        "form": {
            "stage": "branch_proposal",
            "held_on": "2026-03-02",
            "expected": "9",
            "present": "7",
            "votes_for": "6",
            "votes_against": "1",
            "abstentions": "0",
            "minutes": "会议纪要",
            "term_start": "2025-01-01",
        },
    }
