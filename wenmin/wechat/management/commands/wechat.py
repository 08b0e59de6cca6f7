"""`wenmin wechat add NAME --app-id … --token … --aes-key … | list`: official accounts, as the system.

`add` prints the account's callback URL path alone on its last line, so a script can take it
with `tail -n 1` and enter it (after the site's address) in WeChat's console.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from wenmin.organisation.models import Unit
from wenmin.wechat.models import MessageMode, OfficialAccount
from wenmin.wechat.services import account_create


def callback_path(account: OfficialAccount) -> str:
    return reverse("wechat:callback", kwargs={"callback_key": account.callback_key})


class Command(BaseCommand):
    help = "Register and list the WeChat official accounts pointed at Wenmin."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="Register an account; its callback path is last.")
        add.add_argument("name", help="The account's name, e.g. 枫岭发布.")
        add.add_argument("--app-id", required=True, help="The AppID (wx…).")
        add.add_argument("--token", required=True, help="The token set in WeChat's console.")
        add.add_argument("--aes-key", default="", help="The 43-character EncodingAESKey.")
        add.add_argument("--app-secret", default="", help="The AppSecret (for sending).")
        add.add_argument("--unit", default="", help="The code of the unit it serves.")
        add.add_argument(
            "--mode", default=MessageMode.SAFE, choices=MessageMode.values, help="Message mode."
        )
        commands.add_parser("list", help="Every account: name, AppID, mode, unit, callback path.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "add":
            self._add(options)
        else:
            self._list()

    def _add(self, options: dict[str, Any]) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.select_related("region").filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": options["unit"]})
        try:
            account = account_create(
                actor=None,
                name=options["name"],
                app_id=options["app_id"],
                token=options["token"],
                aes_key=options["aes_key"],
                app_secret=options["app_secret"],
                mode=options["mode"],
                unit=unit,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _(
                "Account %(name)s (%(app_id)s) registered in %(mode)s mode. In WeChat's console, "
                "set the server URL to the site's address followed by this path:"
            )
            % {"name": account.name, "app_id": account.app_id, "mode": account.get_mode_display()}
        )
        self.stdout.write(callback_path(account))

    def _list(self) -> None:
        accounts = OfficialAccount.objects.select_related("unit").order_by("name", "id")
        if not accounts:
            self.stdout.write(
                _("No official account is registered. Add one with: wenmin wechat add")
            )
            return
        for account in accounts:
            self.stdout.write(
                "\t".join(
                    (
                        account.name,
                        account.app_id,
                        account.mode,
                        account.unit.code if account.unit else "-",
                        "active" if account.is_active else "inactive",
                        callback_path(account),
                    )
                )
            )
