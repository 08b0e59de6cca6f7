from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest

from wenmin.core.models import User
from wenmin.councils import services
from wenmin.councils.models import Proposal, VillagersCouncil
from wenmin.councils.procedure import MEETING_STAGES
from wenmin.residents.testing import phone_verified
from wenmin.testing import SmallCounty

MEETING_DAY = dt.date(2026, 3, 2)


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """The services' clock stands at this moment (rows' creation defaults keep the real one)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass
class Village:
    county: SmallCounty
    council: VillagersCouncil
    proposal: Proposal
    secretary: User
    resident: User  # verified


def meeting(stage: str, **counts: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "stage": stage,
        "held_on": MEETING_DAY,
        "place": "村委会会议室",
        "expected": 9,
        "present": 7,
        "minutes": "讨论修建村口道路。",
        "votes_for": 6,
        "votes_against": 1,
        "abstentions": 0,
    }
    values.update(counts)
    return values


def decide(proposal: Proposal, actor: User, stages: tuple[str, ...] = MEETING_STAGES) -> Proposal:
    """Every meeting of the procedure held and passed."""
    for stage in stages:
        services.stage_meeting_record(proposal=proposal, actor=actor, **meeting(stage))
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def village(county: SmallCounty) -> Village:
    """青石村's council (the branch secretary keeps it) with a proposal raised by its secretary."""
    secretary = county.branch_secretary
    council = services.council_create(
        actor=secretary,
        region=county.village_a,
        name="青石村村民理事会",
        term_start=dt.date(2024, 1, 1),
    )
    services.council_member_add(
        actor=secretary,
        council=council,
        person=county.member_a,
        kind="party_member",
        start_date=dt.date(2024, 1, 1),
        chair=True,
    )
    proposal = services.proposal_raise(
        actor=secretary,
        region=county.village_a,
        title="修建村口便民桥",
        description="村口小河上的木桥年久失修，雨季无法通行。",
        location="村口小河",
        latitude="28.123456",
        longitude="115.654321",
    )
    return Village(
        county=county,
        council=council,
        proposal=proposal,
        secretary=secretary,
        resident=phone_verified(county.resident),
    )
