"""`wenmin apitoken create USERNAME NAME --scopes …` and `wenmin apitoken revoke PREFIX`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from wenmin.core.models import ApiScope, ApiToken, User
from wenmin.core.services_tokens import TOKEN_PREFIX, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = (
        "Issue or revoke a token of the native API (/api/v1/). `create` prints the token on its "
        "last line, once: it is stored only as a hash."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create", help="Issue a token for an account.")
        create.add_argument("username")
        create.add_argument("name", help="What the token is for, e.g. the integration's name.")
        create.add_argument(
            "--scopes",
            required=True,
            help=f"Comma-separated, among: {', '.join(ApiScope.values)}.",
        )
        create.add_argument(
            "--days", type=int, default=None, help="Expire after this many days (default: never)."
        )
        revoke = commands.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix", help="The prefix shown at creation (wm_<prefix>_…).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "create":
            self._create(options)
        else:
            self._revoke(options["prefix"])

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account {options['username']!r}.")
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            token, plain = api_token_create(
                actor=None,
                user=user,
                name=options["name"],
                scopes=options["scopes"].split(","),
                expires_at=expires,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        until = f", until {timezone.localtime(expires):%Y-%m-%d %H:%M}" if expires else ""
        self.stdout.write(
            f"Token {token.prefix} for {user.get_username()} ({', '.join(token.scopes)}{until}). "
            "It is shown only now; keep it secret:"
        )
        self.stdout.write(plain)

    def _revoke(self, prefix: str) -> None:
        prefix = prefix.strip().removeprefix(TOKEN_PREFIX).split("_")[0]
        token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None:
            raise CommandError(f"No token with prefix {prefix!r}.")
        api_token_revoke(actor=None, token=token)
        self.stdout.write(f"Token {token.prefix} ({token.name}) is revoked.")
