"""The projects' links on a case's page (through the cases' page-action hook: the cases app
never imports projects)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from wenmin.cases.deadlines import Kind
from wenmin.projects import access
from wenmin.projects.models import OriginKind, Project, ProjectCase


def project_url(user: Any, case: Any) -> str | None:
    """The project a case was raised from (a problem met) or became, for staff."""
    if not access.projects_user(user):
        return None
    link = ProjectCase.objects.filter(case_id=case.pk).values_list("project_id", flat=True).first()
    if link is None:
        link = (
            Project.objects.filter(origin_kind=OriginKind.CASE, origin_id=case.pk)
            .values_list("pk", flat=True)
            .first()
        )
    return reverse("projects:detail", args=[link]) if link is not None else None


def propose_url(user: Any, case: Any) -> str | None:
    """ "Make it a project", on a suggestion not yet a project, for those who register projects."""
    if not access.may_create(user) or case.kind != Kind.SUGGESTION:
        return None
    if Project.objects.filter(origin_kind=OriginKind.CASE, origin_id=case.pk).exists():
        return None
    query = {"origin_kind": OriginKind.CASE, "origin_id": case.pk, "name": (case.title or "")[:120]}
    return reverse("projects:new") + "?" + urlencode(query)
