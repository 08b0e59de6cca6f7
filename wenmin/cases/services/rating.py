"""How a resident proves that a rating (回访评价) is theirs.

Staff never see tracking codes, so the code is the resident's, but a code alone can be passed on
or overheard; with it the resident gives one proof more:

- the last four digits of the phone on file, or
- the one-time rating link sent to that phone with the unit's reply (signed, expiring, and bound
  to that reply: once the case has been rated, or answered again, the link is spent);
- a case with no phone on file takes the tracking code alone: only the resident ever had it.

A logged-in resident who is the case's requester needs no proof: the workflow already knows them.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.workflow import Action, State

RATING_LINK_MAX_AGE = dt.timedelta(days=14)
_LINK_SALT = "wenmin.cases.rating-link"


class Proof(models.TextChoices):
    """How the rater was known to be the requester (kept in the callback's event and audit row)."""

    LOGIN = "login", gettext_lazy("logged in as the requester")
    PHONE_LAST4 = "phone_last4", gettext_lazy("tracking code and the phone's last four digits")
    RATING_LINK = "rating_link", gettext_lazy("one-time rating link sent by SMS")
    TRACKING_CODE = "tracking_code", gettext_lazy("tracking code (no phone on file)")


@dataclass(frozen=True)
class RequesterProof:
    """What someone rating a case as its requester presents besides the verdict."""

    tracking_code: str
    phone_last4: str = ""
    link: str = ""


class ProofRefused(PermissionDenied):
    """The proof does not show that the rater is the case's requester; `field` says which input."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def rating_link_token(*, case_id: int, reply_event_id: int) -> str:
    """The signed token of the one-time rating link sent with a reply."""
    return signing.TimestampSigner(salt=_LINK_SALT).sign(f"{case_id}.{reply_event_id}")


def rating_link_read(token: str) -> tuple[int, int] | None:
    """(case id, reply event id) of a genuine, unexpired link token, else None."""
    try:
        value = signing.TimestampSigner(salt=_LINK_SALT).unsign(token, max_age=RATING_LINK_MAX_AGE)
        case_id, reply_id = value.split(".")
        return int(case_id), int(reply_id)
    except (signing.BadSignature, ValueError):
        return None


def rating_link_case(token: str) -> Case | None:
    """The case a genuine, unexpired link token names (the token is the authority: no login)."""
    read = rating_link_read(token)
    if read is None:
        return None
    return Case.objects.select_related("category", "region").filter(pk=read[0]).first()


def latest_reply_id(case: Case) -> int | None:
    """The id of the case's latest reply event: the one a rating link may still answer."""
    return (
        CaseEvent.objects.filter(case=case, action=Action.REPLY)
        .order_by("-at", "-id")
        .values_list("pk", flat=True)
        .first()
    )


def rating_link_usable(case: Case, token: str) -> bool:
    """The link is genuine, unexpired, for this case and its latest reply, and not yet used."""
    read = rating_link_read(token)
    if read is None or read[0] != case.pk or case.state != State.REPLIED:
        return False
    return read[1] == latest_reply_id(case)


def requester_label(proof: str) -> str:
    """How the timeline names a rating by the requester: 诉求人（凭追踪码和手机尾号）."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Requester (%(proof)s)") % {"proof": Proof(proof).label}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _last_four(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-4:]


def proof_check(*, case: Case, proof: RequesterProof) -> str:
    """The Proof by which the rater is the requester of `case` (read under the caller's lock),
    or ProofRefused."""
    code = "".join(proof.tracking_code.split()).upper()
    if not _same(code, case.tracking_code):
        raise ProofRefused("tracking_code", _("The tracking code is not this case's."))
    if proof.link:
        # Bound to the latest reply of a case still waiting for its rating: once rated (or
        # answered again after rework) the link is spent, so it works exactly once.
        if not rating_link_usable(case, proof.link):
            raise ProofRefused(
                "link",
                _(
                    "This rating link has expired or has already been used. Rate with your "
                    "tracking code and the last four digits of your phone instead."
                ),
            )
        return Proof.RATING_LINK
    phone = case.requester.phone if case.requester is not None else ""
    if not phone:
        return Proof.TRACKING_CODE
    given = "".join(proof.phone_last4.split())
    if len(given) != 4 or not given.isdigit() or not _same(given, _last_four(phone)):
        raise ProofRefused(
            "phone_last4",
            _("These are not the last four digits of the phone number given with this case."),
        )
    return Proof.PHONE_LAST4
