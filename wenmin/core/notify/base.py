"""What every notification backend shares: the message and the interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from wenmin.core.crypto import mask_phone

if TYPE_CHECKING:
    from wenmin.core.models import User


@dataclass(frozen=True)
class Notification:
    """One message to one recipient: an account, a phone number or an e-mail address.

    Each backend uses the address it understands and skips the notification otherwise, so the
    recipient fields decide the channels: an account only gets in-app (and e-mail if it has an
    address), a resident's phone only gets the SMS.
    """

    subject: str
    text: str
    user: User | None = None
    phone: str = field(default="", repr=False)  # personal data: never in a repr or a log
    email: str = field(default="", repr=False)
    case_id: int | None = None
    # Values in the text that open a case to whoever reads them (a tracking code, a one-time
    # link): sent to the recipient, masked in every log.
    secrets: tuple[str, ...] = field(default=(), repr=False)
    # To the requester of `case_id` where they follow it (a WeChat account): the backend of
    # that channel finds the address from the case.
    follower: bool = False
    # The page the message points to (a one-time rating link), for channels that show a button.
    link: str = field(default="", repr=False)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def text_for_log(self) -> str:
        """The text with each secret masked to its first two characters."""
        text = self.text
        for secret in sorted((s for s in self.secrets if s), key=len, reverse=True):
            text = text.replace(secret, secret[:2] + "*" * max(len(secret) - 2, 4))
        return text


class Backend:
    """A way of delivering notifications; one module per backend, chosen by a setting."""

    name: ClassVar[str] = ""

    def send(self, notification: Notification) -> bool:
        """Deliver; False when the notification carries no address this backend can use."""
        raise NotImplementedError
