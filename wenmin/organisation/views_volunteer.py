"""A volunteer's home: who they are in the register and what they can do in Wenmin now."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wenmin.core import roles
from wenmin.core.models import User
from wenmin.organisation.selectors import volunteer_of
from wenmin.organisation.volunteer_links import volunteer_links_for


@login_required
@require_GET
def volunteer_home(request: HttpRequest) -> HttpResponse:
    """The volunteer's team and post, and the things they can do from here."""
    user = cast(User, request.user)
    if not roles.volunteer_user(user):
        raise PermissionDenied
    return render(
        request,
        "organisation/volunteer_home.html",
        {"volunteer": volunteer_of(user), "links": volunteer_links_for(user)},
    )
