"""Every kind of message a follower sends, through the callback in safe mode."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.utils import translation

from wenmin.cases import services as cases
from wenmin.cases.labels import RESIDENT_STATES
from wenmin.cases.models import Case, CaseEvent
from wenmin.cases.workflow import State
from wenmin.core.geo import wgs84_to_gcj02
from wenmin.wechat.models import InboundMessage, Outcome
from wenmin.wechat.tests import wire

OPENID = "oRESIDENT0001abcd"


def say(wechat, content: str, msg_id: int, openid: str = OPENID) -> str:  # type: ignore[no-untyped-def]
    response = wechat.post_safe(wire.text_message(openid, content, msg_id))
    assert response.status_code == 200
    return wechat.open_reply(response)["Content"]


def send(wechat, fields: dict) -> str:  # type: ignore[no-untyped-def]
    response = wechat.post_safe(fields)
    assert response.status_code == 200
    if response.content == b"success":
        return ""
    return wechat.open_reply(response)["Content"]


def media(msg_type: str, msg_id: int, **extra: object) -> dict:
    return {
        "ToUserName": wire.ORIGINAL_ID,
        "FromUserName": OPENID,
        "CreateTime": int(time.time()),
        "MsgType": msg_type,
        "MsgId": msg_id,
        **extra,
    }


def test_a_picture_waits_for_the_text_and_is_attached_to_the_case_it_opens(wechat):
    reply = send(wechat, media("image", 10, PicUrl="http://mmbiz.qpic.cn/x.jpg", MediaId="MEDIA1"))
    assert "补充" in reply
    assert Case.objects.count() == 0
    say(wechat, "村口的垃圾堆了一周", 11)
    case = Case.objects.get()
    intake = CaseEvent.objects.get(case=case, action="intake")
    assert intake.data["wechat_media"] == [
        {
            "type": "image",
            "mediaid": "MEDIA1",
            "picurl": "http://mmbiz.qpic.cn/x.jpg",
            "msgid": "10",
        }
    ]
    picture = InboundMessage.objects.get(msg_type="image")
    assert (picture.outcome, picture.case) == (Outcome.ATTACHED, case)


def test_a_location_sets_the_place_of_the_next_case_in_wgs84_with_its_label(wechat):
    lat, lng = 28.40712, 117.60325
    g_lat, g_lng = wgs84_to_gcj02(lat, lng)
    send(
        wechat,
        media(
            "location",
            20,
            Location_X=f"{g_lat:.6f}",
            Location_Y=f"{g_lng:.6f}",
            Scale=15,
            Label="青石镇政府门口",
        ),
    )
    say(wechat, "这里路灯不亮", 21)
    case = Case.objects.get()
    assert case.latitude is not None and case.longitude is not None
    assert abs(case.latitude - Decimal(str(lat))) < Decimal("0.00001")
    assert abs(case.longitude - Decimal(str(lng))) < Decimal("0.00001")
    assert case.address == "青石镇政府门口"


def test_a_location_out_of_range_is_answered_and_not_kept(wechat):
    reply = send(wechat, media("location", 22, Location_X="123.5", Location_Y="500", Label="x"))
    assert reply
    assert InboundMessage.objects.get().outcome == Outcome.REFUSED
    say(wechat, "路灯不亮", 23)
    assert Case.objects.get().latitude is None


def test_a_voice_with_recognition_opens_a_case_with_the_recognised_text(wechat):
    reply = send(
        wechat, media("voice", 30, MediaId="VOICE1", Format="amr", Recognition="自来水停了两天")
    )
    case = Case.objects.get()
    assert case.content == "自来水停了两天"
    assert case.tracking_code in reply
    assert InboundMessage.objects.get().data["mediaid"] == "VOICE1"


def test_a_voice_without_recognition_waits_like_a_picture(wechat):
    send(wechat, media("voice", 31, MediaId="VOICE2", Format="amr"))
    assert Case.objects.count() == 0
    assert InboundMessage.objects.get().outcome == Outcome.PENDING


def test_a_link_is_kept_and_attached(wechat):
    send(wechat, media("link", 40, Title="新闻", Description="d", Url="https://example.cn/a"))
    say(wechat, "新闻里说的桥要修", 41)
    intake = CaseEvent.objects.get(action="intake")
    assert intake.data["wechat_media"][0]["url"] == "https://example.cn/a"


def test_buchong_adds_to_the_latest_open_case_instead_of_opening_one(wechat):
    say(wechat, "路灯坏了", 50)
    say(wechat, "水管漏了", 51)
    latest = Case.objects.order_by("-received_at", "-id").first()
    assert latest is not None
    reply = say(wechat, "补充：在三号楼后面", 52)
    assert latest.tracking_code in reply
    assert Case.objects.count() == 2
    addition = CaseEvent.objects.get(action="requester_addition")
    assert addition.case == latest
    assert addition.note == "在三号楼后面"
    assert addition.public_note == ""
    assert addition.data["by_requester"] is True


def test_buchong_with_a_picture_waiting_attaches_the_picture(wechat):
    say(wechat, "路灯坏了", 53)
    send(wechat, media("image", 54, PicUrl="http://mmbiz.qpic.cn/y.jpg", MediaId="M2"))
    say(wechat, "补充", 55)
    addition = CaseEvent.objects.get(action="requester_addition")
    assert addition.data["wechat_media"][0]["mediaid"] == "M2"


def test_buchong_without_an_open_case_opens_nothing(wechat, desk):
    say(wechat, "路灯坏了", 56)
    case = Case.objects.get()
    cases.case_reject(case=case, actor=desk.dispatcher, reason="outside_duty", note="不属于")
    reply = say(wechat, "补充 还有一盏", 57)
    assert case.tracking_code not in reply
    assert Case.objects.count() == 1
    assert not CaseEvent.objects.filter(action="requester_addition").exists()
    assert InboundMessage.objects.get(dedupe_key="m:57").outcome == Outcome.REFUSED


def test_chaxun_and_the_query_button_answer_with_the_public_states(wechat, desk):
    say(wechat, "路灯坏了", 60)
    case = Case.objects.get()
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=desk.county.government_a)
    for reply in (
        say(wechat, "查询", 61),
        send(wechat, wire.event_message(OPENID, "CLICK", EventKey="QUERY")),
    ):
        assert case.tracking_code in reply
        with translation.override("zh-hans"):
            assert str(RESIDENT_STATES[State.DISPATCHED]) in reply
        assert desk.county.government_a.name not in reply


def test_chaxun_shows_only_the_followers_own_cases(wechat):
    say(wechat, "别人的事", 62, openid="oSOMEONEELSE00001")
    reply = say(wechat, "查询", 63)
    assert Case.objects.get().tracking_code not in reply


def test_subscribing_gets_the_welcome_and_unsubscribing_is_noted(wechat, account):
    reply = send(wechat, wire.event_message(OPENID, "subscribe"))
    assert "查询" in reply
    send(wechat, wire.event_message(OPENID, "unsubscribe", create_time=int(time.time()) + 1))
    follower = InboundMessage.objects.get(event="unsubscribe").follower
    follower.refresh_from_db()
    assert follower.subscribed is False
    account.welcome = "欢迎关注青石发布"
    account.save()
    assert send(wechat, wire.event_message("oNEWFOLLOWER00001", "subscribe")) == "欢迎关注青石发布"


def test_an_unknown_message_type_is_answered_and_recorded(wechat):
    send(wechat, media("miniprogrampage", 70, Title="x"))
    assert InboundMessage.objects.get().outcome == Outcome.OTHER
    assert Case.objects.count() == 0


def test_a_location_near_a_village_puts_the_case_in_that_village(wechat, desk):
    village = desk.county.village_a
    village.latitude, village.longitude = Decimal("28.407120"), Decimal("117.603250")
    village.save(update_fields=["latitude", "longitude"])
    g_lat, g_lng = wgs84_to_gcj02(28.4072, 117.6033)
    send(
        wechat,
        media("location", 24, Location_X=f"{g_lat:.6f}", Location_Y=f"{g_lng:.6f}", Label="村口"),
    )
    say(wechat, "村口的桥塌了", 25)
    assert Case.objects.get().region == village


@pytest.mark.parametrize("msg_type", ["video", "shortvideo"])
def test_a_video_waits_like_a_picture(wechat, msg_type):
    send(wechat, media(msg_type, 80, MediaId="VID1", ThumbMediaId="THUMB1"))
    say(wechat, "视频里的河道有垃圾", 81)
    intake = CaseEvent.objects.get(action="intake")
    assert intake.data["wechat_media"][0] == {
        "type": msg_type,
        "mediaid": "VID1",
        "thumbmediaid": "THUMB1",
        "msgid": "80",
    }


@pytest.mark.parametrize("event", ["VIEW", "LOCATION", "SCAN"])
def test_other_events_are_recorded_and_answered_with_success(wechat, event):
    response = wechat.post_safe(wire.event_message(OPENID, event, EventKey="https://x.cn"))
    assert response.status_code == 200
    assert response.content == b"success"
    assert InboundMessage.objects.get().outcome == Outcome.OTHER


def test_a_link_whose_description_spans_lines_is_accepted(wechat):
    send(wechat, media("link", 90, Title="标题", Description="第一行\n第二行", Url="https://x.cn/"))
    assert InboundMessage.objects.get().outcome == Outcome.PENDING


def test_a_multi_line_text_opens_a_case_titled_by_its_first_line(wechat):
    say(wechat, "桥栏杆断了\n在村东头", 91)
    case = Case.objects.get()
    assert (case.title, case.content) == ("桥栏杆断了", "桥栏杆断了\n在村东头")
