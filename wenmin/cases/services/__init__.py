"""The only door for writes to cases: the intake and one service per workflow step."""

from __future__ import annotations

from wenmin.cases.services.intake import case_intake
from wenmin.cases.services.steps import (
    case_callback,
    case_classify,
    case_dispatch,
    case_escalate_overdue,
    case_merge,
    case_note,
    case_plan,
    case_reject,
    case_remind,
    case_reply,
    case_return,
    case_sign_for,
    case_supervise,
)

__all__ = [
    "case_callback",
    "case_classify",
    "case_dispatch",
    "case_escalate_overdue",
    "case_intake",
    "case_merge",
    "case_note",
    "case_plan",
    "case_reject",
    "case_remind",
    "case_reply",
    "case_return",
    "case_sign_for",
    "case_supervise",
]
