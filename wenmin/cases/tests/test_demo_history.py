"""`wenmin seed` gives the demo county a year of cases that the workflow could really have made."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from statistics import mean
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services
from wenmin.cases.deadlines import Kind
from wenmin.cases.demo.catalogue import county_routing
from wenmin.cases.demo.context import county_context
from wenmin.cases.demo.history import KIND_SHARES, CountyPlanner
from wenmin.cases.demo.load import county_rng, history_policy
from wenmin.cases.demo.topics import GROUPS, TOPICS
from wenmin.cases.dispatch import dispatch_proposal
from wenmin.cases.models import Case, CaseEvent, CaseSequence, Category, DispatchRule
from wenmin.cases.selectors import is_dispatcher
from wenmin.cases.services.events import actor_label_for
from wenmin.cases.services.intake import _TRACKING_ALPHABET, extra_fields_check
from wenmin.cases.views_staff import PAGE_SIZE
from wenmin.cases.workflow import FINAL_STATES, Action, Actor, State, next_state
from wenmin.core import composition
from wenmin.core.models import AuditEvent, User
from wenmin.core.roles import Role
from wenmin.core.workdays import SHANGHAI
from wenmin.organisation.models import Region, RegionLevel, Unit, UnitKind
from wenmin.scoreboard.forms import this_month
from wenmin.scoreboard.ranking import Group, ranking
from wenmin.testing import check_constraints_once

ACTOR_OF = {
    Action.CLASSIFY: Actor.DISPATCHER,
    Action.MERGE: Actor.DISPATCHER,
    Action.REJECT: Actor.DISPATCHER,
    Action.DISPATCH: Actor.DISPATCHER,
    Action.SIGN_FOR: Actor.LEAD_UNIT,
    Action.RETURN: Actor.LEAD_UNIT,
    Action.PLAN: Actor.LEAD_UNIT,
    Action.NOTE: Actor.LEAD_UNIT,
    Action.REPLY: Actor.LEAD_UNIT,
    Action.SUPERVISE: Actor.SUPERVISOR,
    Action.CALLBACK_RESOLVED: Actor.CALLBACK,
    Action.CALLBACK_REWORK: Actor.CALLBACK,
}
HISTORY_APPS = frozenset({"organisation", "cases", "scoreboard"})
MARKS = {"intake", "remind", "escalate"}  # events that leave the state as it is


@dataclass
class Seeded:
    output: str
    histories: list[tuple[Case, list[CaseEvent]]]
    now: dt.datetime  # the moment the history runs up to


def _histories() -> list[tuple[Case, list[CaseEvent]]]:
    events: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.order_by("case_id", "at", "id"):
        events[event.case_id].append(event)
    return [(case, events[case.pk]) for case in Case.objects.select_related("lead_unit")]


# The module's seed must run in the test database, whichever of its tests are selected.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[Seeded]:  # type: ignore[no-untyped-def]
    """The county scale with its history, loaded once for this module and rolled back after it;
    the command's output and every case with its events, read once."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    # Only the case history this module checks: other apps' demo data (问政's matters…) adds
    # cases through the services on top of it, and their own tests check those.
    every = composition.app_hooks

    def history_hooks(name: str) -> list[Any]:
        return [h for h in every(name) if h.__self__.label in HISTORY_APPS]  # type: ignore[attr-defined]

    only_history = mock.patch.object(composition, "app_hooks", history_hooks)
    with django_db_blocker.unblock(), fast, only_history, transaction.atomic():
        out = StringIO()
        call_command("seed", "--scale", "county", "--no-input", stdout=out)
        check_constraints_once()
        now = dt.datetime.fromisoformat(AuditEvent.objects.get(action="seed.cases").changes["now"])
        yield Seeded(out.getvalue(), _histories(), now)
        transaction.set_rollback(True)


@pytest.fixture
def histories(seeded: Seeded) -> list[tuple[Case, list[CaseEvent]]]:
    return seeded.histories


def test_every_history_is_a_valid_workflow_path(seeded, histories):
    assert len(histories) >= 5_800
    cutoff = seeded.now
    assert timezone.now() - dt.timedelta(minutes=30) < cutoff <= timezone.now()
    for case, events in histories:
        first, *rest = events
        assert (first.action, first.state_before, first.state_after) == (
            "intake",
            "",
            State.COLLECTED,
        )
        assert first.at == case.received_at
        state = first.state_after
        for previous, event in zip(events, rest, strict=False):
            assert event.at >= previous.at
            assert event.state_before == state, case.number
            if event.action in MARKS:
                assert event.state_after == state
            else:
                state = next_state(state, event.action, {ACTOR_OF[event.action]})
                assert event.state_after == state
        assert state == case.state, case.number
        assert events[-1].at < cutoff


def _last(events: list[CaseEvent], action: str) -> CaseEvent | None:
    return next((event for event in reversed(events) if event.action == action), None)


def test_case_fields_agree_with_their_events(histories):
    for case, events in histories:
        actions = Counter(event.action for event in events)
        assert case.return_count == actions[Action.RETURN]
        assert case.rework_count == actions[Action.CALLBACK_REWORK]
        escalation = _last(events, "escalate")
        assert case.escalated_at == (escalation.at if escalation else None)
        assert actions["escalate"] <= 1
        dispatch, reply = _last(events, Action.DISPATCH), _last(events, Action.REPLY)
        assert case.dispatched_at == (dispatch.at if dispatch else None)
        assert case.replied_at == (reply.at if reply else None)
        lead_unit = None
        for event in events:
            if event.action == Action.DISPATCH:
                lead_unit = event.data["unit"]
            elif event.action == Action.RETURN:
                lead_unit = None
        assert (case.lead_unit.code if case.lead_unit else None) == lead_unit
        ending = _last(events, Action.CALLBACK_RESOLVED) or _last(events, Action.REJECT)
        assert case.closed_at == (ending.at if ending else None)
        assert (case.merged_into_id is not None) == (case.state == State.MERGED)
        assert bool(case.rejection_reason) == (case.state == State.REJECTED)
        if case.state == State.CLOSED:
            assert case.resolved is True and case.satisfaction in (3, 4, 5)
        reminder = _last(events, "remind")
        assert case.reminded_at is None or case.reminded_at == reminder.at  # type: ignore[union-attr]


def test_events_carry_what_the_scoreboard_counts(histories):
    for case, events in histories:
        lead = None
        for event in events:
            data = event.data
            if event.action == Action.DISPATCH:
                lead = data["lead_unit_id"]
            elif event.action == Action.RETURN:
                assert data["returned_unit_id"] == lead
                lead = None
            assert data["lead_unit_id"] == lead, (case.number, event.action)
            if event.action == Action.SIGN_FOR:
                assert isinstance(data["on_time"], bool)
            elif event.action == Action.REPLY:
                assert data["handling_days"] >= 0 and isinstance(data["on_time"], bool)
            elif event.action in (Action.CALLBACK_RESOLVED, Action.CALLBACK_REWORK):
                assert 1 <= data["satisfaction"] <= 5 and isinstance(data["on_time"], bool)
            elif event.action in (Action.REJECT, Action.MERGE):
                assert data["received_on"] == f"{timezone.localtime(case.received_at):%Y-%m-%d}"
        assert case.lead_unit_id == lead


def test_merged_cases_point_to_an_earlier_case(seeded, db):
    merged = Case.objects.filter(state=State.MERGED).select_related("merged_into")
    assert merged.exists()
    for case in merged:
        primary = case.merged_into
        assert primary is not None
        assert primary.received_at < case.received_at
        assert primary.state not in (State.MERGED, State.REJECTED)
        assert primary.category_id == case.category_id


def test_kinds_come_in_the_domain_proportions(seeded, db):
    total = Case.objects.count()
    counts = Counter(Case.objects.values_list("kind", flat=True))
    for kind, share in KIND_SHARES.items():
        assert abs(100 * counts[kind] / total - share) < 0.5, kind


def test_outcomes_and_channels_are_realistic(seeded, db):
    cases = Case.objects.all()
    total = cases.count()

    def share(**filters: object) -> float:
        return cases.filter(**filters).count() / total

    assert 0.02 <= share(state=State.REJECTED) <= 0.045
    assert 0.01 <= share(state=State.MERGED) <= 0.03
    assert 0.05 <= share(return_count__gt=0) <= 0.11
    assert 0.03 <= share(rework_count__gt=0) <= 0.08
    assert 0.01 <= share(escalated_at__isnull=False) <= 0.1
    assert 0.02 <= share(urgency="urgent") <= 0.045
    assert set(cases.values_list("rejection_reason", flat=True)) == {
        "",
        "outside_duty",
        "legal_process",
        "unreasonable",
    }
    channels = Counter(cases.values_list("channel", flat=True))
    assert channels.most_common(1)[0][0] == "phone"
    assert {"governance_inquiry", "idea_solicitation", "needs_survey", "meeting"} <= set(channels)
    assert 0.03 <= share(requester__isnull=True) <= 0.15
    satisfied = Counter(cases.filter(state=State.CLOSED).values_list("satisfaction", flat=True))
    assert (satisfied[4] + satisfied[5]) / sum(satisfied.values()) > 0.8


def test_older_cases_are_finished_and_recent_ones_open(seeded, db):
    now = timezone.now()
    old = Case.objects.filter(received_at__lt=now - dt.timedelta(days=60))
    assert old.exclude(state__in=FINAL_STATES).count() < old.count() / 500  # a stuck few
    recent = Case.objects.filter(received_at__gte=now - dt.timedelta(days=14))
    open_states = set(recent.exclude(state__in=FINAL_STATES).values_list("state", flat=True))
    assert len(open_states) >= 3
    assert recent.exclude(state__in=FINAL_STATES).count() > recent.count() / 5


def test_units_differ_in_how_satisfied_residents_are(seeded, db):
    by_unit: dict[int | None, list[int | None]] = defaultdict(list)
    for unit, satisfaction in Case.objects.filter(state=State.CLOSED).values_list(
        "lead_unit", "satisfaction"
    ):
        by_unit[unit].append(satisfaction)
    means = [mean(v for v in values if v) for values in by_unit.values() if len(values) >= 60]
    assert len(means) >= 5
    assert max(means) - min(means) > 0.2


def test_numbers_count_up_per_day_and_the_sequences_continue_from_them(seeded, db):
    per_day: dict[str, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for number, received in Case.objects.values_list("number", "received_at"):
        prefix, sequence = number.rsplit("-", 1)
        assert prefix == f"369901-{timezone.localtime(received):%Y%m%d}"
        per_day[prefix].append((received, int(sequence)))
    last = dict(CaseSequence.objects.values_list("prefix", "last"))
    assert set(last) == set(per_day)
    for prefix, rows in per_day.items():
        sequences = [sequence for _received, sequence in sorted(rows)]
        assert sequences == list(range(1, len(rows) + 1))
        assert last[prefix] == len(rows)
    codes = list(Case.objects.values_list("tracking_code", flat=True))
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 10 and set(code) <= set(_TRACKING_ALPHABET) for code in codes)


def test_an_intake_after_seeding_continues_the_days_numbering(seeded, db):
    prefix, last = CaseSequence.objects.order_by("-last").values_list("prefix", "last").first()  # type: ignore[misc]
    day = dt.datetime.strptime(prefix.split("-")[1], "%Y%m%d").replace(hour=15, tzinfo=SHANGHAI)
    village = Region.objects.filter(level=RegionLevel.VILLAGE).first()
    case = services.case_intake(
        channel="phone", content="咨询新农合缴费时间。", region=village, received_at=day
    )
    assert case.number == f"{prefix}-{last + 1:05d}"


def test_the_same_seed_gives_the_same_history(seeded, db):
    county = Region.objects.get(level=RegionLevel.COUNTY)
    routing = county_routing(county)
    categories = dict(Category.objects.values_list("code", "pk"))
    ctx = county_context(county=county, routing=routing, category_ids=categories)

    def history(seed: int, count: int | None = None) -> list[tuple[str, str, str, list[Any]]]:
        planner = CountyPlanner(
            ctx, rng=county_rng(seed, county.code), now=seeded.now, policy=history_policy()
        )
        return [
            (c.number, c.title, c.state, [(e.action, e.at, e.data) for e in c.events])
            for c in planner.plan(count)
        ]

    stored = {
        case.number: (case.title, case.state)
        for case in Case.objects.only("number", "title", "state")
    }
    assert {number: (title, state) for number, title, state, _events in history(1)} == stored
    assert history(1, count=600) == history(1, count=600)
    assert history(2, count=600) != history(1, count=600)


def test_categories_are_a_two_level_tree_with_extra_fields(seeded, db):
    groups = Category.objects.filter(parent=None)
    assert groups.count() == len(GROUPS) >= 10
    for group in groups:
        assert 1 <= group.children.count() <= 5
    datatypes: Counter[str] = Counter()
    for category in Category.objects.exclude(extra_fields=[]):
        for spec in category.extra_fields:
            assert set(spec) == {
                "code",
                "label",
                "datatype",
                "required",
                "order",
                "description",
                "values",
            }
            datatypes[spec["datatype"]] += 1
    assert {"singlevaluelist", "multivaluelist", "number", "string"} <= set(datatypes)
    for case in Case.objects.exclude(extra={}).select_related("category")[:500]:
        assert extra_fields_check(case.category, case.extra) == case.extra


def test_every_rule_leads_to_a_unit_of_its_own_county(seeded, db):
    county = Region.objects.get(level=RegionLevel.COUNTY)
    rules = DispatchRule.objects.select_related("unit__region", "region", "category")
    assert rules.count() >= len(TOPICS)
    townships = Region.objects.filter(level=RegionLevel.TOWNSHIP).count()
    for rule in rules:
        assert rule.unit.region.path.startswith(county.path)
        assert rule.region is not None  # one county's rules must not apply in another county
        if rule.region.level == RegionLevel.TOWNSHIP:
            assert rule.unit.kind == UnitKind.TOWNSHIP_GOVERNMENT
            assert rule.unit.region_id == rule.region_id
    local = [code for code, topic in TOPICS.items() if topic.local]
    assert rules.filter(region__level=RegionLevel.TOWNSHIP).count() == len(local) * townships
    assert rules.get(category__code="labour.wages").unit.name.endswith("人力资源和社会保障局")
    sample = Case.objects.filter(state=State.CLOSED).select_related("category", "region")[:200]
    for case in sample:
        assert dispatch_proposal(category=case.category, region=case.region) == case.lead_unit


def test_texts_are_filled_in(seeded, db):
    for title, content, address in Case.objects.values_list("title", "content", "address"):
        assert title and content and address
        assert "{" not in title + content and "}" not in title + content
    kinds_of_praise = Case.objects.filter(kind=Kind.PRAISE).values_list("title", flat=True)
    assert all(title.startswith("感谢") for title in kinds_of_praise)


def test_the_run_is_audited_once_not_per_case(seeded, db):
    assert AuditEvent.objects.filter(action="seed.cases").count() == 1
    assert not AuditEvent.objects.filter(action__startswith="case.").exists()
    assert f"{Case.objects.count()}" in seeded.output


def test_stats_json_counts_the_cases(seeded, db):
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    cases = json.loads(out.getvalue())["cases"]
    assert cases["total"] == Case.objects.count()
    assert cases["open"] + cases["closed"] == cases["total"]
    assert sum(cases["by_kind"].values()) == cases["total"]
    assert cases["by_state"][State.CLOSED] == Case.objects.filter(state=State.CLOSED).count()


# The demo logins' working day ------------------------------------------------------------------

WORKBENCH = reverse("cases:workbench")
SUPERVISION = reverse("cases:supervision")
# What each demo login acts on (cases/queues.py): the queues that must hold work after the seed.
UNIT_QUEUES = ("to_sign", "in_progress", "due_soon", "overdue", "returned", "replied")
QUEUES_OF = {
    "dispatcher": ("to_analyse", "returned"),
    "township": UNIT_QUEUES,
    "department": UNIT_QUEUES,
    "secretary": ("in_progress", "due_soon", "overdue", "returned", "replied"),  # her village
}
STAFF_STEPS = {
    Action.CLASSIFY,
    Action.REJECT,
    Action.MERGE,
    Action.DISPATCH,
    Action.SIGN_FOR,
    Action.RETURN,
    Action.PLAN,
    Action.NOTE,
    Action.REPLY,
}


def _login(client: Client, username: str) -> None:
    """Log in as the seeded demo login, through the login form, with the published password."""
    response = client.post(
        reverse("login"), {"username": username, "password": settings.WENMIN_DEMO_PASSWORD}
    )
    assert response.status_code == 302, username


def _counts(response) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        queue: int(n)
        for queue, n in re.findall(r'data-count="(\w+)">(\d+)<', response.content.decode())
    }


def _totals(response) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        name: int(n)
        for name, n in re.findall(r'data-total="(\w+)">(\d+)<', response.content.decode())
    }


def _rows(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', response.content.decode())]


@pytest.mark.parametrize(("username", "queues"), QUEUES_OF.items())
def test_each_demo_login_finds_work_in_every_queue_it_acts_on(seeded, db, client, username, queues):
    _login(client, username)
    counts = _counts(client.get(WORKBENCH))
    assert {queue: counts.get(queue, 0) for queue in queues} == {
        queue: max(counts.get(queue, 0), 1) for queue in queues
    }, counts
    for queue in queues:  # and each tab lists what it counts (a page of it)
        listed = _rows(client.get(WORKBENCH, {"queue": queue}))
        assert len(listed) == min(counts[queue], PAGE_SIZE), queue


@pytest.mark.parametrize("username", ["leader", "dispatcher"])
def test_the_supervision_page_has_overdue_and_escalated_cases(seeded, db, client, username):
    _login(client, username)
    totals = _totals(client.get(SUPERVISION))
    assert totals["overdue"] >= 1 and totals["escalated"] >= 1, totals


def test_the_dispatcher_login_dispatches_and_the_county_leader_only_watches(seeded, db, client):
    dispatcher = User.objects.select_related("unit__region", "person").get(username="dispatcher")
    assert dispatcher.role == Role.DEPARTMENT_STAFF and dispatcher.unit is not None
    assert dispatcher.unit.kind == UnitKind.SERVICE_CENTRE
    assert dispatcher.unit.region.level == RegionLevel.COUNTY and "12345" in dispatcher.unit.name
    assert is_dispatcher(dispatcher)
    leader = User.objects.get(username="leader")
    assert not is_dispatcher(leader)
    _login(client, "dispatcher")
    waiting = _rows(client.get(WORKBENCH, {"queue": "to_analyse"}))
    case = Case.objects.get(pk=waiting[0])
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert f'action="/cases/{case.pk}/act/dispatch/"' in page
    client.logout()
    _login(client, "leader")
    counts = _counts(client.get(WORKBENCH))
    assert "to_analyse" not in counts and counts["all"] == Case.objects.count()
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert case.number in page and "/act/dispatch/" not in page
    unit = Unit.objects.filter(kind=UnitKind.DEPARTMENT).first()
    assert unit is not None
    client.post(reverse("cases:case_act", args=[case.pk, "dispatch"]), {"unit": unit.code})
    assert Case.objects.get(pk=case.pk).state == State.COLLECTED


def test_deadlines_follow_the_working_day_policy(seeded, histories):
    policy = history_policy()
    handling = (State.DISPATCHED, State.SIGNED, State.IN_PROGRESS)
    soon = overdue = 0
    for case, events in histories:
        due = policy.result_due(case.received_at, case.kind, case.urgency)
        sign_for_due = callback_due = None
        for event in events:
            if event.action == Action.SUPERVISE:
                due = dt.datetime.fromisoformat(event.data["new_due"])
            elif event.action == Action.CALLBACK_REWORK:
                due = policy.result_due(event.at, case.kind, case.urgency)
            elif event.action == Action.DISPATCH:
                sign_for_due = policy.sign_for_due(event.at, case.urgency)
            elif event.action == Action.RETURN:
                sign_for_due = None
            elif event.action == Action.REPLY:
                callback_due = policy.callback_due(event.at)
        assert case.result_due == due, case.number
        assert case.sign_for_due == sign_for_due, case.number
        assert case.callback_due == callback_due, case.number
        if case.state in handling and case.result_due < seeded.now - dt.timedelta(minutes=5):
            assert case.escalated_at is not None, case.number  # the sweep escalated it
            overdue += 1
        elif case.state in handling and case.result_due < seeded.now + dt.timedelta(days=1):
            soon += 1
    assert soon and overdue


def test_the_steps_are_taken_by_people_with_their_accounts(histories, db):
    users = {user.pk: user for user in User.objects.select_related("person")}
    centre = User.objects.get(username="dispatcher").unit_id
    actors: Counter[str] = Counter()
    for case, events in histories:
        replier = None
        for event in events:
            if event.action in STAFF_STEPS:
                user = users[event.actor_id]  # type: ignore[index]
                # Named as a live step by the same account would name them.
                assert user.person is not None and event.actor_label == actor_label_for(user)
                assert user.unit_id == event.unit_id, (case.number, event.action)
                actors[user.username] += 1
            if event.action == Action.REPLY:
                replier = users[event.actor_id].person_id  # type: ignore[index]
            elif event.action in (Action.CALLBACK_RESOLVED, Action.CALLBACK_REWORK):
                assert event.data["replied_by_person_id"] == replier
                if event.data["by_requester"]:
                    assert event.actor_id is None
                else:
                    assert users[event.actor_id].unit_id == centre  # type: ignore[index]
    for username in ("dispatcher", "township", "department"):
        assert actors[username] > 20, username  # the demo logins are among the handlers
    assert len(actors) >= 60


def test_the_scoreboard_counts_the_history_and_ranks_real_cadres(seeded, db, client):
    out = StringIO()
    call_command("scoreboard", "check", stdout=out)
    assert "The daily counts equal the history." in out.getvalue()
    county = Region.objects.get(level=RegionLevel.COUNTY)
    period = this_month().previous()
    rows = ranking(group=Group.CADRE, period=period, county=county)
    measured = [row for row in rows if row.sample]
    assert len(measured) >= 60
    assert len({round(row.composite, 6) for row in measured}) > 10
    township = User.objects.get(username="township")
    _login(client, "leader")
    response = client.get(
        reverse("scoreboard:dossier", args=[township.person_id]),
        {"period": period.label},
        follow=True,
    )
    assert response.status_code == 200  # the front line's dossier, where the ranking leads
    cases = next(v.section for v in response.context["sections"] if v.section.key == "cases")
    assert cases.figure("cases").value > 0 and cases.rows


def test_no_rate_of_the_demo_year_is_above_one_hundred_percent(seeded, db):
    """A sign-for counts with the dispatch it answers (as case_sign_for records it), so a unit
    never signs for more cases in a month than were dispatched to it."""
    from wenmin.scoreboard.ranking import Group, last_months, ranking_by_month

    county = Region.objects.get(level=RegionLevel.COUNTY)
    months = last_months(this_month(), 12)
    above = [
        (group, str(month.label), str(row.subject), name, rate.successes, rate.trials)
        for group in Group.values
        for month, rows in ranking_by_month(group=group, county=county, months=months)
        for row in rows
        for name, rate in row.rates.items()
        if rate.trials and rate.successes > rate.trials
    ]
    assert above == []
