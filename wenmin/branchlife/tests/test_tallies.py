"""Branch meetings as a source of the shared daily counts: each required meeting of a counted
month due on its deadline and on time when held by then (missing ones due too), attendance for
the branch, its township and each member (approved leave excused); the services keep the
counts equal to a rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.branchlife import services
from wenmin.branchlife.models import LeaveRequest, LeaveState, Meeting, MeetingState, MeetingType
from wenmin.branchlife.services import Counts
from wenmin.branchlife.tallies import SOURCE, obligation_of, obligation_record
from wenmin.tallies import readers
from wenmin.tallies.rebuild import tallies_rebuild
from wenmin.tallies.registry import PERSON, REGION, UNIT

from .conftest import Branches

pytestmark = pytest.mark.django_db
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
COUNTERS = ["meetings_on_time", "meetings_due", "attended", "expected"]


def _totals(subject_type: str, subject_id: int) -> dict[str, float]:
    found = readers.totals(SOURCE, subject_type, [subject_id], *YEAR, COUNTERS)
    return {k: v for k, v in found.get(subject_id, {}).items() if abs(v) > 1e-9}


def _no_difference() -> None:
    [report] = tallies_rebuild(sources=[SOURCE], dry_run=True)
    assert report.difference_count == 0, report.differences[:5]


def test_an_obligations_number_holds_its_month_type_and_branch() -> None:
    record = obligation_record(202503, 7, 512)
    assert obligation_of(record) == (202503, 7, 512)
    assert record > 10**17  # above any meeting's id
    with pytest.raises(ValueError):
        obligation_record(202503, 10**4, 1)


def test_march_counted_by_hand(branches: Branches) -> None:
    b = branches
    c = b.desk.county
    admin = c.administrator
    # 青石村: the life day on 5 March 2025 (the 5th working day is the 7th), also counted as the
    # committee; four members: present, online, on leave, absent.
    life_day = services.meeting_create(
        actor=admin,
        branch=c.branch_a,
        meeting_type=b.life_day,
        held_on=dt.date(2025, 3, 5),
        hold=True,
        also_counts_as=[b.committee],
    )
    for member, status in zip(b.members, ("present", "online", "leave", "absent"), strict=True):
        services.attendance_tick(actor=admin, meeting=life_day, member_id=member.pk, status=status)
    # …and the quarter's party course on the 20th, recorded afterwards: 3 of 4.
    services.meeting_create(
        actor=admin,
        branch=c.branch_a,
        meeting_type=b.course,
        held_on=dt.date(2025, 3, 20),
        hold=True,
        counts=Counts(expected=4, present=3),
    )
    # 白沙村: its life day late, on the 12th (its one member came).
    services.meeting_create(
        actor=admin,
        branch=c.branch_b,
        meeting_type=b.life_day,
        held_on=dt.date(2025, 3, 12),
        hold=True,
        counts=Counts(expected=1, present=1),
    )
    # March is judged for the three monthly types and the two quarterly ones: five due a branch.
    # 青石村: life day, committee, course on time; group meeting and members' meeting missing.
    assert _totals(UNIT, c.branch_a.pk) == {
        "meetings_on_time": 3.0,
        "meetings_due": 5.0,
        "attended": 2.0 + 3.0,
        "expected": 4.0 + 4.0,
    }
    assert _totals(REGION, c.township_a.pk) == _totals(UNIT, c.branch_a.pk)
    assert _totals(UNIT, c.branch_b.pk) == {"meetings_due": 5.0, "attended": 1.0, "expected": 1.0}
    # The organs' branch held nothing: five missing, still due (and no township to count for).
    assert _totals(UNIT, c.department_branch.pk) == {"meetings_due": 5.0}
    # Members: on leave excused, absent expected.
    people = [m.person_id for m in b.members]
    assert [_totals(PERSON, p) for p in people] == [
        {"attended": 1.0, "expected": 1.0},
        {"attended": 1.0, "expected": 1.0},
        {},
        {"expected": 1.0},
    ]
    # The life day counts on its deadline, the others on the quarter's last day.
    months = readers.totals_by_month(SOURCE, UNIT, [c.branch_b.pk], *YEAR, ["meetings_due"])
    assert months[dt.date(2025, 3, 1)][c.branch_b.pk] == {"meetings_due": 5.0}
    march_7 = readers.totals(
        SOURCE, UNIT, [c.branch_b.pk], dt.date(2025, 3, 7), dt.date(2025, 3, 7), ["meetings_due"]
    )
    assert march_7[c.branch_b.pk] == {"meetings_due": 1.0}
    _no_difference()

    # 白沙村 fixes its life day on the 15th: held on the 12th, on time after all.
    services.life_day_set(actor=admin, branch=c.branch_b, day=15)
    assert _totals(UNIT, c.branch_b.pk)["meetings_on_time"] == 1.0
    # The group meeting no longer required: four due in March.
    group = MeetingType.objects.get(code="group_meeting")
    services.type_update(
        actor=admin,
        meeting_type=group,
        frequency=group.frequency,
        due_working_day=None,
        required=False,
    )
    assert _totals(UNIT, c.branch_a.pk)["meetings_due"] == 4.0
    assert _totals(REGION, c.township_b.pk)["meetings_due"] == 4.0
    _no_difference()

    rows, total = readers.evidence(
        SOURCE, UNIT, c.branch_b.pk, *YEAR, ["meetings_due", "meetings_on_time"]
    )
    assert total == 4
    assert rows[-1].described.label == f"{c.branch_b.name} · {b.life_day.name} · 2025-03"
    assert rows[-1].amounts == {"meetings_due": 1.0, "meetings_on_time": 1.0}
    assert rows[-1].described.url.endswith(f"/branches/{c.branch_b.pk}/")
    [row], _total = readers.evidence(SOURCE, PERSON, b.members[3].person_id, *YEAR, ["expected"])
    assert row.record == life_day.pk and row.amounts == {"expected": 1.0}
    assert row.described.url.endswith(f"/meetings/{life_day.pk}/")


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["hold", "typed", "plan_start", "tick", "leave", "close", "rule", "day"]),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=ACTIONS)
def test_the_services_keep_the_counts_equal_to_a_rebuild(
    branches: Branches,
    steps: list,  # type: ignore[type-arg]
) -> None:
    b = branches
    c = b.desk.county
    admin = c.administrator
    types = [b.life_day, b.general, b.committee, b.course]
    statuses = ["present", "online", "leave", "absent"]
    for action, n in steps:
        branch = (c.branch_a, c.branch_b)[n % 2]
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
        held = list(Meeting.objects.filter(state=MeetingState.HELD).order_by("pk"))
        if action in ("hold", "typed"):
            kind = types[n % 4]
            services.meeting_create(
                actor=admin,
                branch=branch,
                meeting_type=kind,
                held_on=day,
                hold=True,
                also_counts_as=[b.committee] if kind == b.life_day and n % 3 else [],
                counts=Counts(expected=1, present=n % 2) if action == "typed" else None,
            )
        elif action == "plan_start":
            planned = services.meeting_create(
                actor=admin,
                branch=c.branch_a,
                meeting_type=b.life_day,
                held_on=timezone.localdate(),
                hold=False,
            )
            if n % 3:
                services.leave_request(actor=b.accounts[n % 3], meeting=planned, reason="外出务工")
            services.meeting_start(actor=admin, meeting=planned)
        elif action == "tick" and held:
            meeting = held[n % len(held)]
            rows = list(meeting.attendance.order_by("pk"))
            if rows:
                services.attendance_tick(
                    actor=admin,
                    meeting=meeting,
                    member_id=rows[n % len(rows)].member_id,
                    status=statuses[n % 4],
                )
        elif action == "leave":
            pending = LeaveRequest.objects.filter(state=LeaveState.PENDING).first()
            if pending is not None and pending.meeting.state != MeetingState.CLOSED:
                services.leave_decide(actor=admin, leave=pending, approve=bool(n % 2))
        elif action == "close" and held:
            meeting = held[n % len(held)]
            services.meeting_record_update(actor=admin, meeting=meeting, values={"minutes": "纪要"})
            services.meeting_close(actor=admin, meeting=meeting)
        elif action == "rule":
            services.type_update(
                actor=admin,
                meeting_type=b.committee,
                frequency=("monthly", "quarterly")[n % 2],
                due_working_day=(None, 3)[n % 2],
                required=bool(n % 3),
            )
        elif action == "day":
            services.life_day_set(actor=admin, branch=branch, day=(None, 1 + n % 28)[n % 2])
    _no_difference()
