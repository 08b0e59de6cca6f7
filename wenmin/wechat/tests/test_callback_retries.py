"""WeChat retries what it got no answer to: one case, the same reply, even at the same moment."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.test import Client

from wenmin.cases.models import Case
from wenmin.wechat.models import InboundMessage
from wenmin.wechat.tests import wire

OPENID = "oRESIDENT0001abcd"


def test_a_retried_message_opens_no_second_case_and_gets_the_same_reply(wechat):
    message = wire.text_message(OPENID, "路灯坏了", 4001)
    first = wechat.open_reply(wechat.post_safe(message, nonce="first"))
    # WeChat's retry: the same message, a new request (its own timestamp and nonce).
    second = wechat.open_reply(
        wechat.post_safe(message, nonce="second", timestamp=int(time.time()) + 5)
    )
    third = wechat.open_reply(wechat.post_safe(message, nonce="third"))
    assert Case.objects.count() == 1
    assert first["Content"] == second["Content"] == third["Content"]
    assert InboundMessage.objects.count() == 1


def test_two_messages_with_different_ids_open_two_cases(wechat):
    wechat.post_safe(wire.text_message(OPENID, "路灯坏了", 4002))
    wechat.post_safe(wire.text_message(OPENID, "路灯坏了", 4003))
    assert Case.objects.count() == 2


def test_a_retried_event_is_recognised_by_sender_and_create_time(wechat):
    created = int(time.time())
    event = wire.event_message(OPENID, "CLICK", create_time=created, EventKey="QUERY")
    first = wechat.open_reply(wechat.post_safe(event, nonce="a"))
    second = wechat.open_reply(wechat.post_safe(event, nonce="b"))
    assert first["Content"] == second["Content"]
    assert InboundMessage.objects.count() == 1
    other = wire.event_message("oSOMEONEELSE00001", "CLICK", create_time=created, EventKey="QUERY")
    wechat.post_safe(other)
    assert InboundMessage.objects.count() == 2


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_the_same_moment_open_one_case_and_get_one_reply(desk):
    if connection.vendor == "sqlite" and connection.is_in_memory_db():  # type: ignore[attr-defined]
        pytest.skip(
            "in-memory SQLite cannot make one connection wait for another; "
            "`make test` runs this again on a file database (WENMIN_TEST_SQLITE_FILE=1)"
        )
    from wenmin.wechat.services import account_create
    from wenmin.wechat.tests.conftest import wechat_for

    account = account_create(
        actor=None,
        name="青石发布",
        app_id=wire.APP_ID,
        token=wire.TOKEN,
        aes_key=wire.AES_KEY,
        region=desk.county.township_a,
    )
    message = wire.text_message(OPENID, "两份同时到的消息", 4100)
    barrier = threading.Barrier(2)
    replies: list[str] = []

    def post(nonce: str) -> None:
        wechat = wechat_for(account)
        wechat.client = Client()
        try:
            barrier.wait()
            response = wechat.post_safe(message, nonce=nonce)
            replies.append(
                wechat.open_reply(response)["Content"]
                if response.status_code == 200
                else f"status {response.status_code}"
            )
        except Exception as error:  # noqa: BLE001  (any failure is a lost reply)
            replies.append(f"failed: {error!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=post, args=(nonce,)) for nonce in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert len(replies) == 2
    assert replies[0] == replies[1]
    assert case.tracking_code in replies[0]
    assert InboundMessage.objects.count() == 1
