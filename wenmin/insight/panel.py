"""The insight panel on a dispatcher's case page (cases.page_panels): the suggestion with its
alternatives and one button to apply it; likely duplicates with a merge button; related cases."""

from __future__ import annotations

from typing import Any

from wenmin.cases.models import Case
from wenmin.cases.selectors import case_action_refusal, cases_visible_to
from wenmin.cases.workflow import FINAL_STATES, Action
from wenmin.core.models import User
from wenmin.insight.access import dispatcher_user
from wenmin.insight.duplicates import probe_of, similar_to, split
from wenmin.insight.services import suggestion_for_case

PANEL_TEMPLATE = "insight/_case_panel.html"


def case_panel(user: User, case: Case) -> tuple[str, dict[str, Any]] | None:
    """Shown to dispatchers on a case still open; None for anyone else."""
    if not dispatcher_user(user) or case.state in FINAL_STATES:
        return None
    context: dict[str, Any] = {"case": case}
    if not case_action_refusal(user, case, Action.CLASSIFY):
        suggestion = suggestion_for_case(case=case)
        context["suggestion"] = suggestion
        context["answer"] = suggestion.details
    duplicates, related = split(similar_to(probe_of(case), among=cases_visible_to(user)))
    context["duplicates"] = duplicates
    context["related"] = related
    context["may_merge"] = not case_action_refusal(user, case, Action.MERGE)
    return PANEL_TEMPLATE, context
