"""The only doors for writes of projects, plans, reports and supervision (each audited)."""

from __future__ import annotations

from wenmin.projects.services.plans import ItemInput, plan_set
from wenmin.projects.services.projects import (
    project_case_link,
    project_patron_set,
    project_propose,
    project_status_set,
    project_update,
)
from wenmin.projects.services.reports import progress_of, report_submit
from wenmin.projects.services.supervise import project_supervise, projects_supervise_sweep

__all__ = [
    "ItemInput",
    "plan_set",
    "progress_of",
    "project_case_link",
    "project_patron_set",
    "project_propose",
    "project_status_set",
    "project_update",
    "project_supervise",
    "projects_supervise_sweep",
    "report_submit",
]
