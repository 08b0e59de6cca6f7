"""`wenmin apikey create NAME | revoke PREFIX | list`: API keys for Open311 clients, as the system.

`create` prints the new key alone on its last line, so a script can take it with `tail -n 1`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from wenmin.channels.models import DEFAULT_RATE_LIMIT_PER_MINUTE
from wenmin.channels.selectors import apikey_by_prefix, apikeys_all
from wenmin.channels.services import apikey_create, apikey_revoke
from wenmin.organisation.models import Unit


class Command(BaseCommand):
    help = "Issue, revoke and list the API keys Open311 clients send as api_key."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        create = commands.add_parser("create", help="Issue a key; it is printed once, last.")
        create.add_argument("name", help="The system that will use the key.")
        create.add_argument("--unit", default="", help="The owner unit's code.")
        create.add_argument("--jurisdiction", default="", help="The jurisdiction_id it sends.")
        create.add_argument(
            "--rate",
            type=int,
            default=DEFAULT_RATE_LIMIT_PER_MINUTE,
            help="Requests allowed per minute.",
        )
        revoke = commands.add_parser("revoke", help="Revoke a key by its prefix.")
        revoke.add_argument("prefix")
        commands.add_parser("list", help="Every key: prefix, name, use, state.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "revoke":
            self._revoke(options["prefix"])
        else:
            self._list()

    def _create(self, options: dict[str, Any]) -> None:
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(_("No unit has the code %(code)s.") % {"code": options["unit"]})
        try:
            key, plain = apikey_create(
                actor=None,
                name=options["name"],
                owner_unit=unit,
                jurisdiction=options["jurisdiction"],
                rate_limit_per_minute=options["rate"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            _("Key %(prefix)s… issued for %(name)s. Store it now: it is not shown again.")
            % {"prefix": key.prefix, "name": key.name}
        )
        self.stdout.write(plain)

    def _revoke(self, prefix: str) -> None:
        key = apikey_by_prefix(prefix=prefix)
        if key is None:
            raise CommandError(_("No key starts with %(prefix)s.") % {"prefix": prefix})
        was_active = key.is_active
        key = apikey_revoke(actor=None, key=key)
        if was_active:
            self.stdout.write(_("Key %(prefix)s… revoked.") % {"prefix": key.prefix})
        else:
            self.stdout.write(_("Key %(prefix)s… was already revoked.") % {"prefix": key.prefix})

    def _list(self) -> None:
        def when(moment: Any) -> str:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"

        for key in apikeys_all():
            state = (
                _("revoked %(when)s") % {"when": when(key.revoked_at)}
                if key.revoked_at
                else _("active")
            )
            self.stdout.write(
                f"{key.prefix}  {key.name}  {key.owner_unit.code if key.owner_unit else '-'}  "
                f"{key.rate_limit_per_minute}/min  "
                + _("created %(created)s, last used %(used)s, %(state)s")
                % {"created": when(key.created_at), "used": when(key.last_used_at), "state": state}
            )
