"""每月一题: a county leader picks a month's topic; its cases are linked as they come, and by hand."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.cases.models import Case, CaseEvent, Category
from wenmin.cases.workflow import State
from wenmin.core import validators
from wenmin.core.audit import audit_record
from wenmin.core.models import User
from wenmin.topics import access
from wenmin.topics.models import LinkHow, MonthlyTopic, TopicCandidate, TopicCase
from wenmin.topics.services.candidates import month_bounds

MAX_TITLE = 120
MAX_NOTE = 2000


def topic_categories(category: Category) -> list[int]:
    """The topic's category and its sub-categories (the tree is shallow: two levels)."""
    ids = [category.pk]
    frontier = [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


def matching_cases(topic: MonthlyTopic) -> QuerySet[Case]:
    """The cases the topic takes automatically: its categories', received from the month's first
    day on, not rejected."""
    start, _end = month_bounds(topic.month)
    return Case.objects.filter(
        category_id__in=topic_categories(topic.category), received_at__gte=start
    ).exclude(state=State.REJECTED)


def topic_pick(
    *, actor: User, candidate: TopicCandidate, title: str = "", note: str = ""
) -> MonthlyTopic:
    """A county leader makes a candidate the month's topic; its cases so far are linked."""
    if not access.may_pick(actor):
        raise PermissionDenied
    title = validators.text_field_check(title.strip(), field="title", max_length=MAX_TITLE)
    note = validators.text_field_check(
        note.strip(), field="note", max_length=MAX_NOTE, multiline=True
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            topic = MonthlyTopic.objects.create(
                month=candidate.month,
                category=candidate.category,
                title=title or f"{candidate.month:%Y-%m} {candidate.category.name}",
                note=note,
                picked_by=actor,
                picked_at=now,
            )
            ids = list(matching_cases(topic).values_list("pk", flat=True))
            TopicCase.objects.bulk_create(
                [
                    TopicCase(topic=topic, case_id=pk, how=LinkHow.MATCHED, linked_at=now)
                    for pk in ids
                ],
                batch_size=1000,
            )
            audit_record(
                actor=actor,
                action="topics.topic_pick",
                target=topic,
                changes={
                    "month": candidate.month.isoformat(),
                    "category": candidate.category.code,
                    "cases": len(ids),
                },
            )
    except IntegrityError:
        raise ValidationError(
            {"candidate": [_("This problem is already a topic of that month.")]}
        ) from None
    return topic


def topic_case_link(*, actor: User, topic: MonthlyTopic, case: Case) -> TopicCase:
    """Link a case to the topic by hand (again, if it was unlinked)."""
    if not access.may_pick(actor):
        raise PermissionDenied
    with transaction.atomic():
        link, created = TopicCase.objects.select_for_update().get_or_create(
            topic=topic,
            case=case,
            defaults={"how": LinkHow.MANUAL, "linked_at": timezone.now()},
        )
        if not created and not link.unlinked:
            raise ValidationError({"case": [_("This case is already linked to the topic.")]})
        if not created:
            link.unlinked, link.how, link.linked_at = False, LinkHow.MANUAL, timezone.now()
            link.save(update_fields=["unlinked", "how", "linked_at"])
        audit_record(
            actor=actor, action="topics.case_link", target=topic, changes={"case": case.number}
        )
    return link


def topic_case_unlink(*, actor: User, topic: MonthlyTopic, case: Case) -> None:
    """Take a case off the topic; the automatic matching will not link it again."""
    if not access.may_pick(actor):
        raise PermissionDenied
    with transaction.atomic():
        link = TopicCase.objects.select_for_update().filter(topic=topic, case=case).first()
        if link is None or link.unlinked:
            raise ValidationError({"case": [_("This case is not linked to the topic.")]})
        link.unlinked = True
        link.save(update_fields=["unlinked"])
        audit_record(
            actor=actor, action="topics.case_unlink", target=topic, changes={"case": case.number}
        )


def topic_project_set(*, actor: User, topic: MonthlyTopic, project_id: int | None) -> MonthlyTopic:
    """Name the project that solves the topic at its root (an id of projects.Project), or none."""
    if not access.may_pick(actor):
        raise PermissionDenied
    if project_id is not None:
        validators.check_id(str(project_id))
    with transaction.atomic():
        locked = MonthlyTopic.objects.select_for_update().get(pk=topic.pk)
        before = locked.project_id
        locked.project_id = project_id
        locked.save(update_fields=["project_id"])
        audit_record(
            actor=actor,
            action="topics.project_set",
            target=locked,
            changes={"from": before, "to": project_id},
        )
    return locked


def case_link_matching(case: Case, event: CaseEvent) -> None:
    """cases.services.events.AFTER_EVENT: a new or newly classified case joins the topics it
    matches (in the step's transaction); one never taken off by hand."""
    if event.action not in ("intake", "classify") or case.category_id is None:
        return
    if case.state == State.REJECTED:
        return
    received = case.received_at
    local_month = timezone.localtime(received).date().replace(day=1)
    topics = (
        MonthlyTopic.objects.filter(month__lte=local_month)
        .filter(Q(category_id=case.category_id) | Q(category__children__id=case.category_id))
        .distinct()
    )
    now = timezone.now()
    for topic in topics:
        TopicCase.objects.get_or_create(
            topic=topic, case=case, defaults={"how": LinkHow.MATCHED, "linked_at": now}
        )
