"""What a matter decided at a meeting can open elsewhere: a small registry of "matter outcomes".

Each entry names a kind, a label, a function that opens the record (returns its id) and one
that gives the record's page. This app registers a case (the cases' intake) and a 问计
proposal (the councils' proposals); another app registers its own kind from its AppConfig.ready()
(e.g. a projects app: `outcome_register("project", _("Project proposal"), open_fn, url_fn)`),
and branchlife never imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from wenmin.branchlife.models import Meeting
    from wenmin.core.models import User

# (meeting, actor, title, text) -> the id of the record opened; raises ValidationError to refuse.
OpenFn = Callable[["Meeting", "User | None", str, str], int]
UrlFn = Callable[[int], str]


@dataclass(frozen=True)
class OutcomeKind:
    code: str
    label: Any
    open: OpenFn
    url: UrlFn


_KINDS: dict[str, OutcomeKind] = {}


def outcome_register(code: str, label: Any, open_fn: OpenFn, url_fn: UrlFn) -> None:
    """Make a kind of outcome known (from an AppConfig.ready())."""
    _KINDS[code] = OutcomeKind(code, label, open_fn, url_fn)


def outcome_kinds() -> list[OutcomeKind]:
    return list(_KINDS.values())


def outcome_kind(code: str) -> OutcomeKind | None:
    return _KINDS.get(code)


def _case_open(meeting: Meeting, actor: User | None, title: str, text: str) -> int:
    from wenmin.cases.models import Channel, Kind
    from wenmin.cases.services import case_intake

    region = meeting.branch.region
    case = case_intake(
        channel=Channel.MEETING,
        kind=Kind.SUGGESTION,
        title=title,
        content=f"{meeting.branch.name} {meeting.held_on:%Y-%m-%d} {meeting.type.name}：{text}",
        region=region,
        actor=actor,
    )
    return int(case.pk)


def _case_url(target_id: int) -> str:
    return reverse("cases:case_detail", args=[target_id])


def _proposal_open(meeting: Meeting, actor: User | None, title: str, text: str) -> int:
    from wenmin.councils.services import proposal_raise

    proposal = proposal_raise(
        actor=actor, region=meeting.branch.region, title=title, description=text
    )
    return int(proposal.pk)


def _proposal_url(target_id: int) -> str:
    return reverse("councils:proposal_detail", args=[target_id])


def register_builtin() -> None:
    outcome_register("case", _("Case (诉求)"), _case_open, _case_url)
    outcome_register("proposal", _("Village proposal (问计)"), _proposal_open, _proposal_url)
