"""Background work: notifications queued on commit, the deadline sweep, the calendar warning,
the worker's loop."""

from __future__ import annotations

import datetime as dt
import io
import logging

import pytest
from django.core import checks
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django_tasks import TaskResult, task_backends
from django_tasks.backends.database.models import DBTaskResult
from django_tasks.backends.dummy import DummyBackend

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel, WorkdayOverride
from wenmin.cases.services.automation import reminder_candidates, sweep_deadlines
from wenmin.cases.tasks import case_event_notify, sweep_deadlines_task
from wenmin.cases.workflow import State
from wenmin.core.models import InAppNotification
from wenmin.core.workdays import Calendar

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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


def _in_progress(desk):
    clerk = desk.county.township_clerk
    case = cases.case_dispatch(
        case=_intake(desk), actor=desk.dispatcher, unit=desk.county.government_a
    )
    case = cases.case_sign_for(case=case, actor=clerk)
    return cases.case_plan(case=case, actor=clerk, plan="安排水务站维修")


def _queued() -> list[TaskResult]:
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    return backend.results


def _queued_actions():
    return [CaseEvent.objects.get(pk=result.kwargs["event_id"]).action for result in _queued()]


# Notifications, queued on commit -----------------------------------------------------------------


def test_intake_dispatch_and_reply_queue_their_notifications_on_commit(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY
    with django_capture_on_commit_callbacks(execute=True):
        case = _in_progress(desk)
        assert _queued() == []  # nothing before the commit
        cases.case_reply(case=case, actor=desk.county.township_clerk, reply="已修复")
    assert _queued_actions() == ["intake", "dispatch", "reply"]
    assert all(r.task.func is case_event_notify.func for r in _queued())


def test_a_step_that_rolls_back_queues_nothing(desk, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _intake(desk)
        raise RuntimeError("the request failed after the intake")
    assert _queued() == []


DATABASE = {"default": {"BACKEND": "django_tasks.backends.database.DatabaseBackend"}}


def test_a_database_queue_gets_the_task_row_in_the_step_s_own_transaction(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        case = _intake(desk)
        queued = DBTaskResult.objects.filter(task_path__endswith="case_event_notify")
        intake = CaseEvent.objects.get(case=case, action="intake")
        assert [r.args_kwargs["kwargs"] for r in queued] == [{"event_id": intake.pk}]
    # Once committed it is there once: the hook after the commit does not queue it again.
    assert queued.count() == 1


def test_a_database_queue_loses_the_task_of_a_step_that_rolls_back(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _intake(desk)
        raise RuntimeError("the request failed after the intake")
    assert not DBTaskResult.objects.exists()


def test_a_queue_table_that_cannot_be_written_does_not_fail_the_step(
    desk, settings, caplog, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE

    def broken(*args, **kwargs):
        raise DatabaseError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(DBTaskResult, "save", broken)
    with (
        caplog.at_level(logging.ERROR, logger="wenmin.notify"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = _intake(desk)
    assert Case.objects.filter(pk=case.pk, state=State.COLLECTED).exists()
    assert "could not queue the notifications" in caplog.text


def test_the_delivery_texts_the_requester_and_tells_the_lead_unit(
    desk, settings, caplog, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp", "sms"]
    c = desk.county
    with caplog.at_level(logging.INFO, logger="wenmin.notify"):
        with django_capture_on_commit_callbacks(execute=True):
            case = _intake(desk)
        assert "186****3333" in caplog.text and case.tracking_code[:2] + "******" in caplog.text
        assert case.tracking_code not in caplog.text
        with django_capture_on_commit_callbacks(execute=True):
            cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    notified = InAppNotification.objects.filter(case_id=case.pk)
    assert list(notified.values_list("user__username", flat=True)) == ["qingshi"]
    assert case.number in notified.get().subject
    assert "18600003333" not in caplog.text


def test_an_escalation_without_a_supervising_unit_tells_the_county_leaders(
    desk, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.WENMIN_NOTIFY_BACKENDS = ["inapp"]
    case = _in_progress(desk)
    Case.objects.filter(pk=case.pk).update(result_due=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        sweep_deadlines()
    users = InAppNotification.objects.filter(case_id=case.pk).values_list(
        "user__username", flat=True
    )
    assert list(users) == ["leader"]


# The deadline sweep -----------------------------------------------------------------------------


def _timed(case, *, used: float, hours: float = 10, **fields):
    """Give the case a result deadline of `hours`, of which the share `used` has passed."""
    now = timezone.now()
    start = now - dt.timedelta(hours=hours * used)
    Case.objects.filter(pk=case.pk).update(
        dispatched_at=start, result_due=start + dt.timedelta(hours=hours), **fields
    )
    return now


def _events(case, action):
    return CaseEvent.objects.filter(case=case, action=action).count()


def test_a_case_at_80_percent_of_its_time_gets_one_reminder(desk):
    case = _in_progress(desk)
    now = _timed(case, used=0.8)
    assert sweep_deadlines(now=now).reminded == 1
    assert sweep_deadlines(now=now).reminded == 0
    assert _events(case, "remind") == 1 and _events(case, "escalate") == 0


def test_a_case_at_half_its_time_is_left_alone(desk):
    case = _in_progress(desk)
    now = _timed(case, used=0.5)
    assert sweep_deadlines(now=now).as_dict() == {"reminded": 0, "escalated": 0, "failed": 0}
    assert not reminder_candidates(now=now).exists()


def test_an_unsigned_case_is_reminded_of_sign_for_then_of_its_result(desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        dispatched_at=now - dt.timedelta(minutes=80), sign_for_due=now + dt.timedelta(minutes=20)
    )
    assert sweep_deadlines(now=now).reminded == 1
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    assert sweep_deadlines(now=now).reminded == 0  # the result deadline is days away
    later = _timed(case, used=0.9)
    assert sweep_deadlines(now=later).reminded == 1
    assert _events(case, "remind") == 2


def test_an_overdue_case_is_escalated_once_and_not_reminded(desk):
    case = _in_progress(desk)
    now = _timed(case, used=1.2)
    report = sweep_deadlines(now=now)
    assert (report.escalated, report.reminded) == (1, 0)
    assert sweep_deadlines(now=now).escalated == 0
    assert _events(case, "escalate") == 1 and _events(case, "remind") == 0
    assert Case.objects.get(pk=case.pk).escalated_at is not None


def test_a_case_unsigned_past_its_sign_for_deadline_is_escalated(desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(sign_for_due=now - dt.timedelta(minutes=1))
    assert sweep_deadlines(now=now).escalated == 1


def test_closed_cases_are_untouched(desk):
    c = desk.county
    case = _in_progress(desk)
    case = cases.case_reply(case=case, actor=c.township_clerk, reply="已修复")
    case = cases.case_callback(case=case, actor=desk.dispatcher, resolved=True, satisfaction=5)
    _timed(case, used=1.5)
    report = sweep_deadlines()
    assert (report.reminded, report.escalated) == (0, 0)
    assert Case.objects.get(pk=case.pk).state == State.CLOSED
    assert not CaseEvent.objects.filter(action__in=["remind", "escalate"]).exists()


def test_a_case_never_dispatched_past_its_deadline_is_escalated_as_supervision_shows_it(
    desk, client
):
    """One definition of "overdue": what the supervision page lists, the sweep escalates."""
    waiting = _intake(desk)
    now = _timed(waiting, used=1.5)
    client.force_login(desk.county.leader)
    page = client.get("/cases/supervision/").content.decode()
    assert waiting.number in page
    report = sweep_deadlines(now=now)
    assert (report.reminded, report.escalated) == (0, 1)
    assert _events(waiting, "escalate") == 1 and _events(waiting, "remind") == 0


def test_running_the_sweep_twice_changes_nothing_the_second_time(desk):
    due, late = _in_progress(desk), _in_progress(desk)
    _timed(due, used=0.8)
    now = _timed(late, used=1.1)
    assert sweep_deadlines(now=now, chunk_size=1).as_dict() == {
        "reminded": 1,
        "escalated": 1,
        "failed": 0,
    }
    before = list(Case.objects.order_by("pk").values("reminded_at", "escalated_at"))
    events = CaseEvent.objects.count()
    assert sweep_deadlines(now=now, chunk_size=1).as_dict() == {
        "reminded": 0,
        "escalated": 0,
        "failed": 0,
    }
    assert list(Case.objects.order_by("pk").values("reminded_at", "escalated_at")) == before
    assert CaseEvent.objects.count() == events


def test_one_failing_case_does_not_stop_the_sweep(desk, monkeypatch):
    first, second = _in_progress(desk), _in_progress(desk)
    _timed(first, used=1.1)
    now = _timed(second, used=1.1)
    real = cases.case_escalate_overdue

    def flaky(*, case):
        if case.pk == first.pk:
            raise RuntimeError("database is locked")
        return real(case=case)

    monkeypatch.setattr("wenmin.cases.services.automation.case_escalate_overdue", flaky)
    assert sweep_deadlines(now=now).as_dict() == {"reminded": 0, "escalated": 1, "failed": 1}


def test_the_sweep_task_returns_its_report(desk, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    _timed(_in_progress(desk), used=0.9)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep_deadlines_task.enqueue()
    assert result.return_value == {"reminded": 1, "escalated": 0, "failed": 0}


# The calendar warning ---------------------------------------------------------------------------


@pytest.fixture
def calendar_unknown(monkeypatch):
    """chinese-calendar knows nothing after this year."""
    this_year = timezone.localdate().year
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: year <= this_year))
    return this_year + 1


def _w001(**kwargs):
    return [m for m in checks.run_checks(**kwargs) if m.id == "wenmin.W001"]


def test_the_system_check_warns_when_next_years_calendar_is_unknown(db, calendar_unknown):
    [warning] = _w001(databases=["default"])
    assert warning.level == checks.WARNING and str(calendar_unknown) in warning.msg
    assert _w001() == []  # a database check: not run by a plain `check`


def test_days_off_entered_for_the_year_quiet_the_check(db, calendar_unknown):
    WorkdayOverride.objects.create(date=dt.date(calendar_unknown, 2, 17), is_working_day=False)
    assert _w001(databases=["default"]) == []


def test_no_warning_when_the_calendar_is_known(db, monkeypatch):
    monkeypatch.setattr(Calendar, "covers", staticmethod(lambda year: True))
    assert _w001(databases=["default"]) == []


def test_the_sweep_command_prints_its_report_and_the_calendar_warning(desk, calendar_unknown):
    _timed(_in_progress(desk), used=0.9)
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("sweep", stdout=out, stderr=err)
    assert "Reminded: 1; escalated: 0; failed: 0." in out.getvalue()
    assert f"calendar for {calendar_unknown} is not known" in err.getvalue()
