"""From a resident's phone to a rated result: report, dispatch, sign for, plan, reply, rate.

The resident uses a 375-pixel phone; the dispatcher and the township clerk an office screen in
another browser context, so no cookie is shared.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.cases.workflow import Action, State
from wenmin.core.models import User
from wenmin.organisation.models import Region
from wenmin.testing import PASSWORD, CaseDesk

pytestmark = pytest.mark.browser

PHONE = "13912348765"
NAME = "林小雨"
CONTENT = "青石村三组的自来水管爆了，路面一直在冒水，已经两天了。"
PLAN = "安排镇水务站明天上午抢修，更换破损管段。"
REPLY = "水管已于今天更换完毕，供水恢复正常。感谢您的反映！"


def _tiny_png(path: Path) -> Path:
    """A real 1×1 PNG, so the upload passes the check of its content."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
    return path


def _resident_sees(page: Any) -> None:
    """What every resident page owes: no personal data, and no sideways scrolling on a phone."""
    html = page.content()
    assert PHONE not in html and PHONE[-4:] not in page.locator("main").inner_text()
    assert NAME not in html
    assert page.evaluate("window.innerWidth") == 375
    assert page.evaluate("document.documentElement.scrollWidth <= 375")


def _log_in(page: Any, base: str, user: User) -> None:
    workbench = reverse("cases:workbench")
    page.goto(base + workbench)
    login = page.locator("section.login form")
    login.locator("input[name=username]").fill(user.username)
    login.locator("input[name=password]").fill(PASSWORD)
    login.locator("button[type=submit]").click()
    page.wait_for_url(base + workbench)


def _log_out(page: Any, base: str) -> None:
    page.locator(f'form[action="{reverse("logout")}"] button[type=submit]').click()
    page.wait_for_url(re.compile(re.escape(base + reverse("login"))))


def _state_is(page: Any, state: str) -> None:
    from playwright.sync_api import expect

    # Waits for the page after the redirect: the badge of the new state appears only there.
    expect(page.locator(".case-head .badge.state")).to_have_attribute("data-state", state)


def _act(page: Any, action: str, fields: dict[str, str], state: str) -> None:
    """Open one action of the case page, fill it in, send it, wait for the new state."""
    from playwright.sync_api import expect

    box = page.locator(f"details#action-{action}")
    box.locator("summary").click()
    expect(box).to_have_attribute("open", "")
    for selector, value in fields.items():
        box.locator(selector).fill(value)
    box.locator("button[type=submit]").click()
    _state_is(page, state)
    expect(page.locator("ul.messages li.success")).to_have_count(1)


def _report(page: Any, base: str, desk: CaseDesk, photo: Path) -> str:
    """The resident reports the burst pipe from her phone and keeps the tracking code."""
    from playwright.sync_api import expect

    village = Region.objects.get(pk=desk.county.village_a.pk)  # located by the live desk
    latitude, longitude = village.latitude, village.longitude
    assert latitude is not None and longitude is not None
    page.context.grant_permissions(["geolocation"], origin=base)
    page.context.set_geolocation({"latitude": float(latitude), "longitude": float(longitude)})
    page.goto(base + reverse("portal:submit"))
    _resident_sees(page)

    form = page.locator(f'form[action="{reverse("portal:submit")}"]')
    form.locator("input[name=kind][value=complaint]").check()
    form.locator("#id_content").fill(CONTENT)
    form.locator("#id_category").select_option(str(desk.water.pk))
    expect(page.locator("#extra-fields p")).to_have_count(1)  # htmx: no questions for 供水
    form.locator("#id_photos").set_input_files(str(photo))
    form.locator("#id_address").fill("青石村三组路口")
    form.locator("[data-locate]").click()  # "use my location"
    expect(form.locator("input[name=latitude]")).to_have_value(str(latitude))
    expect(form.locator("input[name=longitude]")).to_have_value(str(longitude))
    form.locator("#id_requester_name").fill(NAME)
    form.locator("#id_requester_phone").fill(PHONE)
    form.locator("#id_notice_read").check()  # the privacy notice, acknowledged
    assert page.evaluate("document.documentElement.scrollWidth <= 375")
    form.locator("button[type=submit].primary").click()

    page.wait_for_url(re.compile(r"/portal/submitted/[A-Z0-9]+/$"))
    code = page.locator("output.code").inner_text().strip()
    assert page.url == base + reverse("portal:submitted", args=[code])
    _resident_sees(page)
    return code


def _dispatch(page: Any, base: str, desk: CaseDesk, case: Case) -> None:
    """The dispatcher finds the case among those to analyse and sends it where proposed."""
    from playwright.sync_api import expect

    county = desk.county
    _log_in(page, base, desk.dispatcher)
    page.locator("nav.tabs a[data-queue=to_analyse]").click()
    expect(page.locator("nav.tabs a[data-queue=to_analyse]")).to_have_attribute(
        "aria-current", "page"
    )
    row = page.locator(f'tr[data-case="{case.pk}"]')
    expect(row).to_contain_text(CONTENT[:30])
    row.get_by_role("link", name=case.number).click()
    page.wait_for_url(base + reverse("cases:case_detail", args=[case.pk]))
    _state_is(page, State.COLLECTED)
    expect(page.locator("[data-phone=clear]")).to_have_text(PHONE)  # the dispatcher calls back
    expect(page.locator(".case-timeline ul.files a")).to_have_text("leak.png")

    expect(page.locator("#dispatch-unit")).to_have_value(county.government_a.code)
    expect(page.locator("details#action-dispatch")).to_contain_text(county.government_a.name)
    _act(page, "dispatch", {}, State.DISPATCHED)
    expect(page.locator(".case-main .facts").first).to_contain_text(county.government_a.name)
    _log_out(page, base)


def _handle(page: Any, base: str, desk: CaseDesk, case: Case) -> None:
    """The township clerk signs for the case, records the plan and replies."""
    from playwright.sync_api import expect

    _log_in(page, base, desk.county.township_clerk)
    page.locator("nav.tabs a[data-queue=to_sign]").click()
    expect(page.locator("nav.tabs a[data-queue=to_sign]")).to_have_attribute("aria-current", "page")
    page.locator(f'tr[data-case="{case.pk}"]').get_by_role("link", name=case.number).click()
    page.wait_for_url(base + reverse("cases:case_detail", args=[case.pk]))
    _state_is(page, State.DISPATCHED)
    expect(page.locator("[data-phone=clear]")).to_have_text(PHONE)  # the lead unit handles it

    _act(page, "sign_for", {}, State.SIGNED)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    _act(page, "plan", {"#plan-plan": PLAN, "#plan-planned_due": due}, State.IN_PROGRESS)
    _act(page, "reply", {"#reply-reply": REPLY}, State.REPLIED)
    expect(page.locator("details.action")).to_have_count(0)  # the callback is not the unit's
    _log_out(page, base)


def _rate(page: Any, base: str, code: str) -> None:
    """The resident follows the case by its code, reads the reply and rates it 5 of 5, solved."""
    from playwright.sync_api import expect

    page.goto(base + reverse("portal:track_lookup"))
    _resident_sees(page)
    page.locator("#id_code").fill(code.lower())  # as typed on a phone
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(base + reverse("portal:track", args=[code]))
    steps = page.locator("ol.steps li")
    expect(steps).to_have_count(5)
    expect(page.locator("ol.steps li.done")).to_have_count(4)
    expect(page.locator("ol.steps li.current")).to_have_count(1)
    expect(steps.nth(4)).to_have_attribute("aria-current", "step")
    expect(page.locator(".reply")).to_have_text(REPLY)
    _resident_sees(page)

    rating = page.locator(f'form[action="{reverse("portal:rate", args=[code])}"]')
    rating.locator("input[name=resolved][value=yes]").check()
    rating.locator("input[name=satisfaction][value='5']").check()
    rating.locator("input[name=phone_last4]").fill(PHONE[-4:])  # the proof that it is hers
    rating.locator("button[type=submit]").click()
    expect(page.locator("ol.steps li.done")).to_have_count(5)  # after the redirect: closed
    assert page.url == base + reverse("portal:track", args=[code])
    expect(page.locator("ul.messages li.success")).to_have_count(1)
    expect(page.locator(".notice.ok")).to_be_visible()
    expect(rating).to_have_count(0)
    expect(page.locator(".reply")).to_have_text(REPLY)
    _resident_sees(page)


def test_a_residents_report_goes_through_the_five_steps_to_her_rating(
    live_server: Any, live_desk: CaseDesk, phone_page: Any, office_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    county = live_desk.county

    code = _report(phone_page, base, live_desk, _tiny_png(tmp_path / "leak.png"))
    case = Case.objects.select_related("requester").get(tracking_code=code)
    assert (case.state, case.kind, case.category, case.region) == (
        State.COLLECTED,
        "complaint",
        live_desk.water,
        county.village_a,
    )
    assert case.requester is not None and case.requester.phone == PHONE
    assert case.attachments.get().content_type == "image/png"

    _dispatch(office_page, base, live_desk, case)
    _handle(office_page, base, live_desk, case)
    _rate(phone_page, base, code)

    case.refresh_from_db()
    assert case.state == State.CLOSED and case.closed_at is not None
    assert (case.resolved, case.satisfaction) == (True, 5)
    assert (case.lead_unit, case.plan, case.reply) == (county.government_a, PLAN, REPLY)
    assert list(case.events.order_by("id").values_list("action", flat=True)) == [
        "intake",
        Action.DISPATCH,
        Action.SIGN_FOR,
        Action.PLAN,
        Action.REPLY,
        Action.CALLBACK_RESOLVED,
    ]
    assert case.events.get(action=Action.CALLBACK_RESOLVED).data["by_requester"] is True
