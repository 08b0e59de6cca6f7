"""A survey round as a workbook: one row per visit with every answer, and one row per need."""

from __future__ import annotations

from typing import IO, Any

from django.utils.translation import gettext as _

from wenmin.core.excel import StreamedWorkbook
from wenmin.surveys.models import Question, QuestionKind, Resolution, VisitPlan, VisitSource
from wenmin.surveys.results import needs_of, visited


def _cell(question: Question, answer: Any) -> Any:
    if answer is None:
        return None
    if question.kind == QuestionKind.MULTIPLE:
        return "、".join(answer)
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if answer else _("No")
    if question.kind == QuestionKind.PHOTO:
        return len(answer)
    return answer


def plan_workbook(*, plan: VisitPlan, within: str | None, target: IO[bytes]) -> int:
    """Write the round's visits and needs the viewer reads (streamed); the number of visits."""
    questions = list(plan.version.questions.order_by("order"))
    book = StreamedWorkbook()
    sheet = book.sheet(
        _("Visits"),
        headers=[
            _("Household"),
            _("Village"),
            _("Answered"),
            _("Volunteer team"),
            _("Volunteer"),
            _("Visited"),
            *[f"{q.order}. {q.text}" for q in questions],
        ],
        widths={"A": 14, "B": 16, "C": 18, "D": 20, "E": 12, "F": 18},
        freeze="B2",
    )
    visits = (
        visited(plan, within)
        .select_related("household", "village", "team", "volunteer__person")
        .order_by("village__name", "household__code", "visited_at")
    )
    sources = dict(VisitSource.choices)
    for visit in visits.iterator(chunk_size=1000):
        volunteer = visit.volunteer
        sheet.append(
            [
                visit.household.code if visit.household else "",
                visit.village.name if visit.village else "",
                str(sources.get(visit.source, visit.source)),
                visit.team.name if visit.team else "",
                (volunteer.person.name if volunteer.person else volunteer.get_username())
                if volunteer
                else "",
                visit.visited_at,
                *[_cell(q, visit.answers.get(str(q.pk))) for q in questions],
            ]
        )
    needs = book.sheet(
        _("Needs"),
        headers=[_("Household"), _("Village"), _("Type"), _("Need"), _("Resolution"), _("Case")],
        widths={"A": 14, "B": 16, "C": 14, "D": 40, "E": 18, "F": 24},
    )
    labels = dict(Resolution.choices)
    rows = needs_of(plan, within).select_related("household", "village", "kind", "case")
    for need in rows.order_by("village__name", "id").iterator(chunk_size=1000):
        needs.append(
            [
                need.household.code if need.household else "",
                need.village.name if need.village else "",
                need.kind.name,
                need.text,
                str(labels.get(need.resolution, need.resolution)),
                need.case.number if need.case else "",
            ]
        )
    book.save(target)
    return sheet.rows
