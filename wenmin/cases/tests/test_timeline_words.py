"""What a county reads on its pages: people with their posts on the staff timeline, 系统 for the
machine, no staff names in public; labels without "？:"; deadlines as the unit's obligation."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel


def _handled(desk: Any) -> Case:
    """A portal case the dispatcher sends to the department, which signs for it, plans and
    replies; escalated by the sweep on the way (the machine)."""
    c = desk.county
    case = cases.case_intake(
        channel=Channel.WEB,
        content="小区楼道灯坏了",
        kind="help",
        requester_name="陈明",
        requester_phone="18600003333",
        region=c.village_a,
    )
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.department)
    case = cases.case_sign_for(case=case, actor=c.department_clerk)
    Case.objects.filter(pk=case.pk).update(result_due=timezone.now() - dt.timedelta(hours=1))
    cases.case_escalate_overdue(case=case)
    case = cases.case_plan(case=case, actor=c.department_clerk, plan="内部方案")
    return cases.case_reply(case=case, actor=c.department_clerk, reply="已更换灯泡。")


def _who(html: str) -> list[str]:
    return re.findall(r'<span class="who">([^<]*)</span>', html)


def test_the_staff_timeline_names_people_with_their_posts_and_the_machine_as_system(desk):
    c = desk.county
    case = _handled(desk)
    labels = dict(CaseEvent.objects.filter(case=case).values_list("action", "actor_label"))
    assert labels["dispatch"] == "周敏（县12345政务服务便民热线·派单员）"
    assert labels["sign_for"] == "张伟（县住房和城乡建设局·科员）"
    assert labels["escalate"] == labels["intake"] == ""  # nobody: derived when shown
    client = Client()
    client.force_login(desk.dispatcher)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert _who(html) == [
        "诉求人",  # sent through the portal by the resident
        "周敏（县12345政务服务便民热线·派单员）",
        "张伟（县住房和城乡建设局·科员）",
        "系统",
        "张伟（县住房和城乡建设局·科员）",
        "张伟（县住房和城乡建设局·科员）",
    ]
    assert "system" not in html and "zhujian" not in html
    # A login without a person on file is named by its account, with its unit and role.
    case = cases.case_dispatch(
        case=cases.case_intake(channel=Channel.PHONE, content="咨询", actor=c.township_clerk),
        actor=desk.dispatcher,
        unit=c.government_a,
    )
    cases.case_sign_for(case=case, actor=c.township_clerk)
    signed = CaseEvent.objects.get(case=case, action="sign_for")
    assert signed.actor_label == "qingshi（青石镇人民政府·乡镇工作人员）"


def test_events_written_before_names_were_stored_still_read_system(desk):
    case = _handled(desk)
    CaseEvent.objects.filter(case=case, action="escalate").update(actor_label="system")
    client = Client()
    client.force_login(desk.dispatcher)
    html = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert "系统" in _who(html) and ">system<" not in html


def test_the_public_timeline_names_units_never_staff(client, desk):
    c = desk.county
    case = _handled(desk)
    html = client.get(reverse("portal:track", args=[case.tracking_code])).content.decode()
    units = re.findall(r'<span class="unit">([^<]*)</span>', html)
    assert units == [
        "诉求人",
        "县12345政务服务便民热线",
        c.department.name,
        "系统",
        c.department.name,
        c.department.name,
    ]
    for name in ("周敏", "张伟", "dispatcher", "zhujian", "system"):
        assert name not in html


def test_labels_after_a_question_mark_get_no_colon(client, desk):
    html = client.get(reverse("portal:submit")).content.decode()
    assert "？:" not in html and "？：" not in html
    assert "您要反映什么问题？</label>" in html
    assert "您想做什么？</legend>" in html
    assert "地址或地点：</label>" in html  # other labels end in the full-width colon
    assert not re.search(r"[）\u4e00-\u9fff]:</(label|legend)>", html)
    staff = Client()
    staff.force_login(desk.county.township_clerk)
    form = staff.get(reverse("cases:case_new")).content.decode()
    assert "？:" not in form and "标题：</label>" in form
    assert not re.search(r"[）\u4e00-\u9fff]:</label>", form)
    english = Client()
    english.cookies["django_language"] = "en"
    assert "What is the matter?</label>" in english.get(reverse("portal:submit")).content.decode()


def test_the_tracking_page_words_the_deadline_as_the_units_obligation(client, desk):
    case = cases.case_intake(channel=Channel.WEB, content="路灯坏了", region=desk.county.village_a)
    html = client.get(reverse("portal:track", args=[case.tracking_code])).content.decode()
    assert case.result_due is not None
    due = timezone.localtime(case.result_due).strftime("%Y-%m-%d %H:%M")
    assert f"承办单位应于 {due} 前给出办理结果" in html
    assert "请于" not in html
    Case.objects.filter(pk=case.pk).update(result_due=timezone.now() - dt.timedelta(days=1))
    html = client.get(reverse("portal:track", args=[case.tracking_code])).content.decode()
    assert "已超过期限" in html and "请于" not in html
