"""The only doors for writes of councils, proposals and decisions (each audited)."""

from __future__ import annotations

from wenmin.councils.services.councils import (
    council_create,
    council_member_add,
    council_member_end,
    procedure_set,
)
from wenmin.councils.services.decisions import (
    decision_publish,
    notice_end,
    notices_end_due,
    objection_file,
    objection_handle,
    proposal_project_taken,
    proposal_send_to_projects,
    result_publish,
)
from wenmin.councils.services.meetings import stage_meeting_adjourn, stage_meeting_record
from wenmin.councils.services.proposals import (
    comment_moderate,
    comment_post,
    proposal_promote_from_case,
    proposal_raise,
    proposal_support,
    proposal_withdraw,
)

__all__ = [
    "comment_moderate",
    "comment_post",
    "council_create",
    "council_member_add",
    "council_member_end",
    "decision_publish",
    "notice_end",
    "notices_end_due",
    "objection_file",
    "objection_handle",
    "procedure_set",
    "proposal_project_taken",
    "proposal_promote_from_case",
    "proposal_raise",
    "proposal_send_to_projects",
    "proposal_support",
    "proposal_withdraw",
    "result_publish",
    "stage_meeting_adjourn",
    "stage_meeting_record",
]
