"""The check-in code an organiser shows at the place: a signed token naming the activity, valid
for a short time (WENMIN_VOLUNTEER_QR_SECONDS), as a QR code of the scan page's address."""

from __future__ import annotations

import segno
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SALT = "wenmin.volunteers.checkin"


def checkin_token(activity_id: int) -> str:
    """A token for this activity, signed now."""
    return signing.TimestampSigner(salt=SALT).sign(str(activity_id))


def checkin_activity_id(token: str) -> int:
    """The activity a token names, or ValidationError when it is forged or too old."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            token[:200], max_age=settings.WENMIN_VOLUNTEER_QR_SECONDS
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This check-in code has expired: scan the code the organiser shows now.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This is not a check-in code of an activity.")) from None
    return int(value)


def qr_svg(url: str) -> str:
    """An SVG data URI of a QR code of this address."""
    return str(segno.make(url, error="m").svg_data_uri(scale=6))
