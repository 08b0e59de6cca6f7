"""The link the case page shows to a team's organiser: make this help case a volunteer activity."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from wenmin.cases.deadlines import Kind
from wenmin.volunteers import access


def activity_from_case_url(user: Any, case: Any) -> str | None:
    """ "Make it a volunteer activity", for staff who organise teams, on a help case."""
    if case.kind != Kind.HELP or not access.staff_user(user):
        return None
    if access.sees_whole_county(user) and user.role != "administrator":
        return None  # county leaders read the teams' pages, they organise none
    return reverse("volunteers:activity_new") + "?" + urlencode({"case": case.pk})
