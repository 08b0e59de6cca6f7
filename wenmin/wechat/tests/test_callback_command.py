"""`wenmin wechat add` and `list`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from wenmin.wechat.models import OfficialAccount
from wenmin.wechat.tests import wire


def test_add_registers_the_account_and_prints_its_callback_path_last(desk):
    out = StringIO()
    call_command(
        "wechat",
        "add",
        "青石发布",
        "--app-id",
        wire.APP_ID,
        "--token",
        wire.TOKEN,
        "--aes-key",
        wire.AES_KEY,
        "--unit",
        desk.county.government_a.code,
        stdout=out,
    )
    account = OfficialAccount.objects.get()
    last = out.getvalue().strip().splitlines()[-1]
    assert last == f"/wechat/callback/{account.callback_key}/"
    assert account.unit == desk.county.government_a
    assert account.region == desk.county.government_a.region
    assert account.mode == "safe"
    assert wire.TOKEN not in out.getvalue()
    response = wire.WeChat(client=Client(), path=last).verify(echostr="ok123")
    assert response.content == b"ok123"
    listed = StringIO()
    call_command("wechat", "list", stdout=listed)
    assert last in listed.getvalue()
    assert wire.AES_KEY not in listed.getvalue()


@pytest.mark.parametrize(
    "args",
    [
        ["--app-id", "wx1", "--token", wire.TOKEN, "--aes-key", wire.AES_KEY],
        ["--app-id", wire.APP_ID, "--token", "t", "--aes-key", wire.AES_KEY],
        ["--app-id", wire.APP_ID, "--token", wire.TOKEN, "--aes-key", "short"],
        ["--app-id", wire.APP_ID, "--token", wire.TOKEN],
        [
            "--app-id",
            wire.APP_ID,
            "--token",
            wire.TOKEN,
            "--aes-key",
            wire.AES_KEY,
            "--unit",
            "NOPE",
        ],
    ],
    ids=["app-id", "token", "aes-key", "safe-without-key", "unit"],
)
def test_add_refuses_bad_settings_and_stores_nothing(db, args):
    with pytest.raises(CommandError):
        call_command("wechat", "add", "青石发布", *args, stdout=StringIO())
    assert not OfficialAccount.objects.exists()


def test_a_plaintext_account_needs_no_aes_key_and_app_ids_are_unique(db):
    call_command(
        "wechat",
        "add",
        "A",
        "--app-id",
        wire.APP_ID,
        "--token",
        wire.TOKEN,
        "--mode",
        "plaintext",
        stdout=StringIO(),
    )
    with pytest.raises(CommandError):
        call_command(
            "wechat",
            "add",
            "B",
            "--app-id",
            wire.APP_ID,
            "--token",
            wire.TOKEN,
            "--mode",
            "plaintext",
            stdout=StringIO(),
        )
    assert OfficialAccount.objects.count() == 1


def test_list_says_what_to_do_when_empty(db):
    out = StringIO()
    call_command("wechat", "list", stdout=out)
    assert "wenmin wechat add" in out.getvalue()
