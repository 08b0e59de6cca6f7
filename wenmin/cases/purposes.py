"""Why a case's personal data is processed (PIPL art. 17: the purposes are told and recorded).

Recorded with each case at intake. Handling the matter is always among them: without it there
is no case. A channel that can ask (the portal, staff registration, the native API) records what
was said; one that cannot (Open311) records its channel's default set. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Purpose(models.TextChoices):
    HANDLING = "handling", gettext_lazy("Handling the matter (registering, passing it on, contact)")
    CALLBACK = "callback", gettext_lazy("Callback and satisfaction rating")
    STATISTICS = "statistics", gettext_lazy("De-identified statistics and the units' assessment")


# The portal's privacy notice as the resident read it: recorded with the intake when they tick
# the box. Change it whenever the notice's text (cases/_privacy_notice.html) says something new.
NOTICE_VERSION = "2026-1"
REQUIRED = frozenset({Purpose.HANDLING})
# What each channel records when it does not ask. The three asks, counters, stations and the
# hotline are registered by staff, who tell the caller; Open311 clients show their own notice.
DEFAULT_FOR_CHANNEL: dict[str, tuple[str, ...]] = {
    "web": (Purpose.HANDLING, Purpose.STATISTICS),
    "api": (Purpose.HANDLING, Purpose.CALLBACK, Purpose.STATISTICS),
}
DEFAULT_STAFF = (Purpose.HANDLING, Purpose.CALLBACK, Purpose.STATISTICS)


def purposes_default(channel: str) -> list[str]:
    """The purposes a channel records when it cannot ask."""
    return [str(p) for p in DEFAULT_FOR_CHANNEL.get(channel, DEFAULT_STAFF)]


def purposes_check(purposes: Iterable[str] | None, *, channel: str) -> list[str]:
    """Known purposes, handling always included, in the order of `Purpose`; None: the
    channel's default. An unknown purpose is a ValidationError."""
    given = purposes_default(channel) if purposes is None else list(purposes)
    unknown = sorted({str(p) for p in given} - set(Purpose.values))
    if unknown:
        raise ValidationError(
            _("Unknown purposes: %(purposes)s.") % {"purposes": ", ".join(unknown)}
        )
    chosen = {str(p) for p in given} | {str(p) for p in REQUIRED}
    return [value for value in Purpose.values if value in chosen]


def purposes_labels(purposes: Iterable[str]) -> list[str]:
    """The purposes in words, in the viewer's language."""
    labels = dict(Purpose.choices)
    return [str(labels.get(p, p)) for p in purposes]
