"""The staff workbench and the supervisor's view, read as their users would: queues and counts per
role, filters, bulk actions, access, and query counts that do not grow with the cases."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, Channel
from wenmin.cases.workflow import State

WORKBENCH = reverse("cases:workbench")
SUPERVISION = reverse("cases:supervision")


def _intake(desk, **overrides) -> Case:  # type: ignore[no-untyped-def]
    fields = {
        "channel": Channel.PHONE,
        "content": "青石村路口水管漏水三天了，请尽快修理。",
        "kind": "help",
        "category": desk.water,
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def _dispatched(desk, unit=None, **overrides) -> Case:  # type: ignore[no-untyped-def]
    case = _intake(desk, **overrides)
    return cases.case_dispatch(
        case=case, actor=desk.dispatcher, unit=unit or desk.county.government_a
    )


def _get(client, user, url: str = WORKBENCH, **params: str):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(url, params)


def _counts(response) -> dict[str, int]:  # type: ignore[no-untyped-def]
    found = re.findall(r'data-count="(\w+)">(\d+)<', response.content.decode())
    return {queue: int(n) for queue, n in found}


def _rows(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', response.content.decode())}


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in response.context["messages"]]


def _set_due(case: Case, due: dt.datetime) -> None:
    Case.objects.filter(pk=case.pk).update(result_due=due)


def test_only_staff_use_the_workbench(client, desk):
    c = desk.county
    assert client.get(WORKBENCH).status_code == 302  # to the login page
    assert "/accounts/login/" in client.get(WORKBENCH)["Location"]
    for outsider in (c.volunteer, c.resident):
        assert _get(client, outsider).status_code == 403
    for staff in (c.township_clerk, c.leader, c.branch_secretary, desk.dispatcher):
        assert _get(client, staff).status_code == 200


def test_the_dispatcher_starts_on_the_cases_to_analyse_with_returned_ones_marked(client, desk):
    fresh = _intake(desk)
    returned = _dispatched(desk)
    cases.case_return(case=returned, actor=desk.county.township_clerk, reason="不归我镇")
    response = _get(client, desk.dispatcher)
    assert response.status_code == 200
    assert _rows(response) == {fresh.pk, returned.pk}
    counts = _counts(response)
    assert counts["to_analyse"] == 2 and counts["returned"] == 1 and counts["all"] == 2
    assert 'class="badge returned"' in response.content.decode()
    assert _rows(_get(client, desk.dispatcher, queue="returned")) == {returned.pk}


def test_a_township_clerk_sees_what_is_dispatched_to_her_government_and_the_other_nothing(
    client, desk
):
    c = desk.county
    case = _dispatched(desk)
    # In her township too, but the department's to sign for: she sees it, it is not her work.
    departments = _dispatched(desk, unit=c.other_department)
    response = _get(client, c.township_clerk)
    assert 'data-queue="to_analyse"' not in response.content.decode()  # not a dispatcher
    assert _rows(response) == {case.pk}  # her first tab: to sign for
    assert _counts(response)["to_sign"] == 1 and _counts(response)["all"] == 2
    assert _rows(_get(client, c.township_clerk, queue="all")) == {case.pk, departments.pk}
    other = _get(client, c.other_township_clerk, queue="all")
    assert _rows(other) == set() and _counts(other)["all"] == 0
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 404


def test_the_queues_follow_the_case_and_its_deadline(client, desk):
    c = desk.county
    case = _dispatched(desk)
    cases.case_sign_for(case=case, actor=c.township_clerk)
    counts = _counts(_get(client, c.township_clerk))
    assert counts["to_sign"] == 0 and counts["in_progress"] == 1 and counts["overdue"] == 0
    _set_due(case, timezone.now() + dt.timedelta(hours=3))
    response = _get(client, c.township_clerk, queue="due_soon")
    assert _rows(response) == {case.pk} and "due-due_soon" in response.content.decode()
    _set_due(case, timezone.now() - dt.timedelta(hours=1))
    response = _get(client, c.township_clerk, queue="overdue")
    assert _rows(response) == {case.pk} and "due-overdue" in response.content.decode()
    assert _counts(response)["due_soon"] == 0
    cases.case_plan(case=case, actor=c.township_clerk, plan="维修")
    cases.case_reply(case=case, actor=c.township_clerk, reply="已修好")
    counts = _counts(_get(client, desk.dispatcher))
    assert counts["replied"] == 1 and counts["overdue"] == 0


def test_staff_find_a_case_by_the_callers_phone_or_name(client, desk):
    chen = _intake(desk)  # 陈明, 186 0000 3333
    zhao = _intake(desk, requester_name="赵丽", requester_phone="18600004444")

    def rows(text: str) -> set[int]:
        return _rows(_get(client, desk.dispatcher, queue="all", q=text))

    assert rows("18600003333") == {chen.pk}
    assert rows("186 0000 4444") == {zhao.pk}
    assert rows("+86 186-0000-4444") == {zhao.pk}
    assert rows("赵丽") == {zhao.pk}
    assert rows("陈") == {chen.pk}
    assert rows("13900000000") == set()


def test_the_phone_search_uses_the_digest_and_decrypts_no_row(client, desk, monkeypatch):
    _intake(desk)
    from wenmin.core import crypto

    def refuse(token: str) -> str:
        raise AssertionError("a search must not decrypt phones")

    monkeypatch.setattr(crypto, "decrypt", refuse)
    client.force_login(desk.dispatcher)
    response = client.get(WORKBENCH, {"queue": "all", "q": "18600003333"})
    assert response.status_code == 200 and len(_rows(response)) == 1


def test_filters_search_and_sorting_narrow_the_list(client, desk):
    c = desk.county
    leak = _intake(desk, content="路口水管漏水", title="水管漏水", kind="complaint")
    road = _intake(
        desk,
        content="村道坑洼需要修补",
        category=desk.housing,
        kind="suggestion",
        channel=Channel.COUNTER,
        urgency="urgent",
        region=c.village_b,
    )
    old = _intake(desk, content="去年的咨询", received_at=timezone.now() - dt.timedelta(days=40))
    _set_due(leak, timezone.now() + dt.timedelta(days=9))
    _set_due(road, timezone.now() + dt.timedelta(days=1))

    def rows(**params: str) -> set[int]:
        return _rows(_get(client, desk.dispatcher, queue="all", **params))

    assert rows() == {leak.pk, road.pk, old.pk}
    assert rows(q="漏水") == {leak.pk}
    assert rows(q=road.number) == {road.pk}
    assert rows(kind="suggestion") == {road.pk}
    assert rows(category=str(desk.housing.pk)) == {road.pk}
    assert rows(channel="counter", urgency="urgent") == {road.pk}
    assert rows(township=c.township_b.code) == {road.pk}
    assert rows(state="collected") == {leak.pk, road.pk, old.pk}
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    assert rows(received_from=since) == {leak.pk, road.pk}
    assert rows(received_to=since) == {old.pk}
    order = re.findall(
        r'<tr data-case="(\d+)"',
        _get(client, desk.dispatcher, queue="all", sort="due").content.decode(),
    )
    assert order == [str(old.pk), str(road.pk), str(leak.pk)]
    filtered = _get(client, desk.dispatcher, queue="all", kind="suggestion")
    assert _counts(filtered)["all"] == 1  # the tab counts follow the filters
    assert "kind=suggestion" in filtered.content.decode()  # the export link keeps them
    # A bad filter: the page still lists (without it) and shows its error, answering 400.
    refused = _get(client, desk.dispatcher, received_from="not-a-date")
    assert refused.status_code == 400 and "received_from" in refused.context["form"].errors
    assert _counts(refused)["all"] == 3


def test_bulk_sign_for_signs_what_it_can_and_names_the_refused_case(client, desk):
    c = desk.county
    mine = [_dispatched(desk), _dispatched(desk)]
    # In her township, so she sees it, but dispatched to a department: not hers to sign for.
    theirs = _dispatched(desk, unit=c.other_department)
    client.force_login(c.township_clerk)
    response = client.post(
        reverse("cases:bulk"),
        {"op": "sign_for", "case": [mine[0].pk, theirs.pk, mine[1].pk], "next": WORKBENCH},
        follow=True,
    )
    assert response.status_code == 200
    states = dict(Case.objects.values_list("pk", "state"))
    assert [states[case.pk] for case in mine] == [State.SIGNED, State.SIGNED]
    assert states[theirs.pk] == State.DISPATCHED
    refusals = [m for m in _messages(response) if m.startswith("369901-")]
    assert len(refusals) == 1 and refusals[0].startswith(theirs.number)
    assert refusals[0][len(theirs.number)] in ":："  # the number, then the reason


def test_bulk_dispatch_needs_a_unit_and_refuses_cases_no_longer_waiting(client, desk):
    c = desk.county
    waiting, taken = _intake(desk), _dispatched(desk)
    client.force_login(desk.dispatcher)
    url = reverse("cases:bulk")
    client.post(url, {"op": "dispatch", "case": [waiting.pk]})
    assert Case.objects.get(pk=waiting.pk).state == State.COLLECTED  # no unit chosen
    response = client.post(
        url, {"op": "dispatch", "unit": c.department.code, "case": [waiting.pk, taken.pk]}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    taken.refresh_from_db()
    assert (waiting.state, waiting.lead_unit) == (State.DISPATCHED, c.department)
    assert taken.lead_unit == c.government_a  # refused: already dispatched


def _workbench_queries(client, user, **params: str) -> int:  # type: ignore[no-untyped-def]
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(WORKBENCH, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_workbench_queries_do_not_grow_with_the_cases(
    client, desk, django_assert_max_num_queries
):
    c = desk.county
    for _ in range(2):
        _dispatched(desk)
    few = _workbench_queries(client, c.township_clerk, queue="all")
    for n in range(12):
        case = _dispatched(desk, unit=c.government_a if n % 2 else c.other_department)
        if n % 4 == 1:
            cases.case_sign_for(case=case, actor=c.township_clerk)
    many = _workbench_queries(client, c.township_clerk, queue="all")
    assert many == few
    client.force_login(desk.dispatcher)
    with django_assert_max_num_queries(15):  # 14 + the lead unit filter's choices
        assert len(_rows(client.get(WORKBENCH, {"queue": "all"}))) == 14


def test_supervision_is_for_leaders_dispatchers_and_the_supervising_unit(client, desk, settings):
    c = desk.county
    assert _get(client, c.township_clerk, SUPERVISION).status_code == 403
    assert _get(client, c.volunteer, SUPERVISION).status_code == 403
    assert _get(client, c.department_clerk, SUPERVISION).status_code == 403
    for allowed in (c.leader, c.administrator, desk.dispatcher):
        assert _get(client, allowed, SUPERVISION).status_code == 200
    settings.WENMIN_SUPERVISING_UNIT = c.department.code
    assert _get(client, c.department_clerk, SUPERVISION).status_code == 200


def test_supervision_lists_overdue_and_escalated_cases_with_counts_per_unit(client, desk):
    c = desk.county
    late = _dispatched(desk)
    _set_due(late, timezone.now() - dt.timedelta(days=2))
    escalated = _dispatched(desk, unit=c.department)
    # Escalated for signing late; its result deadline has not passed.
    assert escalated.sign_for_due is not None
    unsigned_late = escalated.sign_for_due + dt.timedelta(minutes=1)
    assert cases.case_escalate_overdue(case=escalated, now=unsigned_late)
    on_time = _dispatched(desk)
    closed_late = _intake(desk)
    cases.case_reject(case=closed_late, actor=desk.dispatcher, reason="outside_duty", note="不属")
    _set_due(closed_late, timezone.now() - dt.timedelta(days=2))
    response = _get(client, c.leader, SUPERVISION, by="name")
    assert _rows(response) == {late.pk, escalated.pk}
    assert on_time.pk not in _rows(response)
    page = response.content.decode()
    assert f'data-unit="{c.government_a.pk}"' in page and f'data-unit="{c.department.pk}"' in page
    assert re.search(r'data-total="total">2<', page)
    assert re.search(r'data-total="overdue">1<', page)
    one_unit = _get(client, c.leader, SUPERVISION, unit=str(c.department.pk))
    assert _rows(one_unit) == {escalated.pk}


@pytest.mark.parametrize("sort", ["due", "escalated", "received", "unit", "bogus"])
def test_supervision_sorts_every_way(client, desk, sort):
    late = _dispatched(desk)
    _set_due(late, timezone.now() - dt.timedelta(days=1))
    response = _get(client, desk.county.leader, SUPERVISION, sort=sort, by=sort)
    assert response.status_code == 200 and _rows(response) == {late.pk}


def test_a_unit_sees_the_open_cases_it_returned(client, desk):
    c = desk.county
    returned, kept = _dispatched(desk), _dispatched(desk)
    cases.case_return(case=returned, actor=c.township_clerk, reason="应由水利局处理")
    # In her township and returned, but by the department: not her unit's return.
    theirs = _dispatched(desk, unit=c.other_department)
    c.department_clerk.unit = c.other_department
    c.department_clerk.save(update_fields=["unit"])
    cases.case_return(case=theirs, actor=c.department_clerk, reason="应由镇政府处理")
    response = _get(client, c.township_clerk, queue="returned")
    assert _rows(response) == {returned.pk} and kept.pk not in _rows(response)
    cases.case_reject(case=returned, actor=desk.dispatcher, reason="outside_duty", note="不属")
    assert _rows(_get(client, c.township_clerk, queue="returned")) == set()  # closed now
