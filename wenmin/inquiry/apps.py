"""问政: county leaders' reception days, field visits and mailboxes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiryConfig(AppConfig):
    """问政: county leaders' reception days, field visits and mailboxes."""

    name = "wenmin.inquiry"
    label = "inquiry"
    verbose_name = _("Governance inquiry (问政)")

    def ready(self) -> None:
        from wenmin.core import audit_labels, nav, roles
        from wenmin.inquiry.selectors import works_inquiry_desk
        from wenmin.residents import mine

        nav.menu_register("inquiry:desk", _("Leaders' reception"), 25, works_inquiry_desk)
        nav.menu_register("inquiry:leaders", _("Meet a leader"), 62, roles.public_user)
        nav.page_register("inquiry:mine", roles.public_account)
        mine.section_register("inquiry:mine", _("My bookings"), 20, _bookings_count)
        audit_labels.register(
            nouns={
                "reception_day": _("Reception day"),
                "booking": _("Reception booking"),
                "reception": _("Reception conversation"),
                "visit": _("Leader's field visit"),
                "mailbox": _("Leader's mailbox"),
            },
            phrases={
                "reception_day.publish": _("Reception day published"),
                "booking.no_show": _("Booked resident did not come"),
                "reception.record": _("Reception conversation recorded"),
                "visit.record": _("Leader's field visit recorded"),
                "mailbox.send": _("Letter to a leader's mailbox"),
            },
        )

    def demo_seed(self, *, seed: int, now: dt.datetime, progress: bool) -> list[str]:
        """This app's demo data on top of the demo county's cases (core.composition)."""
        from wenmin.inquiry.demo import inquiry_seed

        return inquiry_seed(seed=seed, now=now)

    def stats(self) -> dict[str, Any]:
        """This app's figures for `wenmin stats --json` (core.composition)."""
        from wenmin.inquiry.selectors import inquiry_stats

        return {"inquiry": inquiry_stats()}


def _bookings_count(user: Any) -> int:
    """The viewer's live bookings, for the residents' own page."""
    from wenmin.inquiry.selectors import bookings_of

    return bookings_of(user).count()
