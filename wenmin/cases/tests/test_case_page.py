"""The case page and its actions over HTTP: only the viewer's actions, the five steps through
`case_act`, 400/403/409 answers that change nothing, the requester's phone, attachments, intake."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases import views_case
from wenmin.cases.models import Attachment, Case, CaseEvent, Channel, ResponseTemplate
from wenmin.cases.workflow import State
from wenmin.core.models import AuditEvent
from wenmin.organisation import services as org

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _intake(desk, **overrides) -> Case:  # type: ignore[no-untyped-def]
    fields = {
        "channel": Channel.PHONE,
        "content": "青石村路口水管漏水三天了，请尽快修理。",
        "kind": "help",
        "category": desk.water,
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": desk.county.village_a,
    }
    return cases.case_intake(**{**fields, **overrides})


def _page(client, user, case: Case):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("cases:case_detail", args=[case.pk]))


def _actions(response) -> set[str]:  # type: ignore[no-untyped-def]
    return set(re.findall(r'action="/cases/\d+/act/(\w+)/"', response.content.decode()))


def _act(client, user, case: Case, action: str, data=None, **kwargs):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.post(reverse("cases:case_act", args=[case.pk, action]), data or {}, **kwargs)


def _state(case: Case) -> str:
    return Case.objects.get(pk=case.pk).state


def test_each_viewer_sees_only_the_actions_they_may_take(client, desk):
    c = desk.county
    case = _intake(desk)
    assert _actions(_page(client, desk.dispatcher, case)) == {
        "classify",
        "merge",
        "reject",
        "dispatch",
    }
    assert _actions(_page(client, c.township_clerk, case)) == set()  # hers to see, not to act
    assert _actions(_page(client, c.leader, case)) == set()
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    assert _actions(_page(client, c.township_clerk, case)) == {"sign_for", "return"}
    assert _actions(_page(client, c.leader, case)) == {"supervise"}
    assert _actions(_page(client, desk.dispatcher, case)) == {"merge", "supervise"}
    assert _page(client, c.other_township_clerk, case).status_code == 404
    assert _page(client, c.volunteer, case).status_code == 403


def test_the_dispatch_form_proposes_the_catalogues_unit(client, desk):
    case = _intake(desk)  # water in Qingshi: the catalogue names Qingshi's government
    page = _page(client, desk.dispatcher, case).content.decode()
    unit = desk.county.government_a
    # The picker holds the proposed unit's code and shows its name.
    assert re.search(rf'<input[^>]*name="unit"[^>]*value="{unit.code}"', page)
    assert f'<option value="{unit.code}">{unit.name}' in page


def test_the_five_steps_walk_through_case_act(client, desk):
    c = desk.county
    clerk = c.township_clerk
    case = _intake(desk, kind="consult", category=None)
    leader_person = org.person_create(actor=None, name="刘县长", gender="male", birth_year=1970)
    c.leader.person = leader_person
    c.leader.save(update_fields=["person"])
    template = ResponseTemplate.objects.create(unit=c.government_a, title="已修复", text="已修复。")
    tomorrow = timezone.localdate() + dt.timedelta(days=3)
    steps = [
        (desk.dispatcher, "classify", {"kind": "help", "category": desk.water.pk, "urgency": "normal"}, State.COLLECTED),
        (desk.dispatcher, "dispatch", {"unit": c.government_a.code, "co_units": c.other_department.code}, State.DISPATCHED),
        (clerk, "sign_for", {}, State.SIGNED),
        (clerk, "plan", {"plan": "安排水务站维修", "planned_due": tomorrow.isoformat(), "coordinator": leader_person.pk}, State.IN_PROGRESS),
        (clerk, "note", {"note": "已到现场", "photos": [SimpleUploadedFile("site.png", PNG)]}, State.IN_PROGRESS),
        (c.leader, "supervise", {"new_due": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "note": "请加快"}, State.IN_PROGRESS),
        (clerk, "reply", {"template": str(template.pk), "reply": ""}, State.REPLIED),
        (desk.dispatcher, "callback", {"resolved": "yes", "satisfaction": "5"}, State.CLOSED),
    ]  # fmt: skip
    for actor, action, data, after in steps:
        response = _act(client, actor, case, action, data)
        assert response.status_code == 302, (action, response.content.decode()[:3000])
        assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
        assert _state(case) == after, action
    case.refresh_from_db()
    assert (case.category, case.lead_unit, case.coordinator) == (
        desk.water,
        c.government_a,
        leader_person,
    )
    assert list(case.co_units.all()) == [c.other_department]
    assert case.reply == "已修复。" and case.satisfaction == 5
    assert Attachment.objects.filter(case=case, event__action="note").count() == 1
    page = _page(client, clerk, case).content.decode()
    assert "site.png" in page and _actions(_page(client, clerk, case)) == set()


def test_merge_and_reject_over_http(client, desk):
    primary, duplicate, unreasonable = _intake(desk), _intake(desk), _intake(desk)
    response = _act(client, desk.dispatcher, duplicate, "merge", {"primary": primary.number})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into) == (State.MERGED, primary)
    response = _act(
        client,
        desk.dispatcher,
        unreasonable,
        "reject",
        {"reason": "unreasonable", "note": "不合理诉求"},
    )
    assert response.status_code == 302 and _state(unreasonable) == State.REJECTED


def test_a_stale_action_answers_409_and_changes_nothing(client, desk, monkeypatch):
    c = desk.county
    case = _intake(desk)
    stale = Case.objects.get(pk=case.pk)  # what the second dispatcher's page still shows
    cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    events = CaseEvent.objects.filter(case=case).count()
    response = _act(client, desk.dispatcher, case, "dispatch", {"unit": c.department.code})
    assert response.status_code == 409
    page = response.content.decode()
    assert reverse("cases:case_detail", args=[case.pk]) in page
    # The race itself: the page was read before the other dispatch, the service sees the truth.
    monkeypatch.setattr(views_case, "case_get_for", lambda user, case_id: stale)
    response = _act(client, desk.dispatcher, case, "dispatch", {"unit": c.department.code})
    assert response.status_code == 409
    case.refresh_from_db()
    assert case.lead_unit == c.government_a
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("return", {"reason": "  "}),
        ("plan", {"plan": "维修", "planned_due": "2001-01-01"}),
        ("supervise", {"new_due": "2001-01-01T10:00", "note": "请加快"}),
        ("note", {"note": "", "photos": [SimpleUploadedFile("x.png", b"MZ not a png")]}),
    ],
)
def test_bad_input_answers_400_and_changes_nothing(client, desk, action, data):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    if action in ("plan", "supervise", "note"):
        case = cases.case_sign_for(case=case, actor=c.township_clerk)
    if action == "note":
        case = cases.case_plan(case=case, actor=c.township_clerk, plan="维修")
    before = (_state(case), CaseEvent.objects.filter(case=case).count())
    actor = c.leader if action == "supervise" else c.township_clerk
    response = _act(client, actor, case, action, data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert f'id="action-{action}" open' in response.content.decode()
    assert (_state(case), CaseEvent.objects.filter(case=case).count()) == before


def test_actions_outside_the_viewers_part_are_refused(client, desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.department)
    assert _act(client, c.township_clerk, case, "sign_for").status_code == 403  # not the lead unit
    assert _act(client, c.leader, case, "sign_for").status_code == 403
    assert _act(client, c.other_township_clerk, case, "sign_for").status_code == 404
    assert _act(client, c.department_clerk, case, "no_such_action").status_code == 404
    assert _act(client, c.department_clerk, case, "sign_for").status_code == 302
    assert _state(case) == State.SIGNED


def test_a_colleagues_return_makes_a_late_sign_for_a_409(client, desk):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    cases.case_return(case=case, actor=c.township_clerk, reason="不归我镇")
    response = _act(client, c.township_clerk, case, "sign_for")
    assert response.status_code == 409 and _state(case) == State.COLLECTED


def test_the_requester_phone_is_clear_for_the_lead_unit_and_audited_masked_for_the_leader(
    client, desk
):
    c = desk.county
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    page = _page(client, c.township_clerk, case).content.decode()
    assert "18600003333" in page and 'data-phone="clear"' in page
    viewed = AuditEvent.objects.filter(action="case.requester_viewed", target_id=str(case.pk))
    assert list(viewed.values_list("actor", flat=True)) == [c.township_clerk.pk]
    page = _page(client, c.leader, case).content.decode()
    assert "18600003333" not in page and "186****3333" in page
    assert viewed.count() == 1  # a masked view is not a disclosure
    page = _page(client, c.branch_secretary, case).content.decode()
    assert "18600003333" not in page and 'data-phone="masked"' in page


def test_attachments_download_only_within_scope(client, desk):
    c = desk.county
    case = _intake(desk, files=[SimpleUploadedFile("leak.png", PNG)])
    attachment = Attachment.objects.get(case=case)
    url = reverse("cases:attachment", args=[attachment.pk])
    assert url in _page(client, c.township_clerk, case).content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    client.force_login(c.other_township_clerk)
    assert client.get(url).status_code == 404
    assert client.get(reverse("cases:attachment", args=[attachment.pk + 999])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_staff_register_a_case_from_the_phone(client, desk):
    c = desk.county
    client.force_login(c.township_clerk)
    url = reverse("cases:case_new")
    page = client.get(url).content.decode()
    assert 'value="phone"' in page and 'value="api"' not in page and 'value="web"' not in page
    # The village is picked as one types, from the clerk's own township only.
    assert 'name="region"' in page and c.village_b.name not in page
    pick = reverse("organisation:pick", args=["village"])
    options = client.get(pick, {"field": "region", "region": ""}).content.decode()
    assert f'value="{c.village_a.code}"' in options and c.village_b.code not in options
    fields = {
        "channel": "phone",
        "requester_name": "新居民",
        "requester_phone": "13511112222",
        "kind": "help",
        "category": desk.leaking_pipe.pk,
        "urgency": "normal",
        "content": "门口水管爆了",
        "region": c.village_a.code,
        "photos": [SimpleUploadedFile("pipe.png", PNG)],
    }
    before = Case.objects.count()
    response = client.post(url, fields)  # the category's required extra answer is missing
    assert response.status_code == 400 and Case.objects.count() == before
    assert "errorlist" in response.content.decode()
    response = client.post(url, {**fields, "channel": "api", "extra.where": "street"})
    assert response.status_code == 400 and Case.objects.count() == before
    fields["photos"] = [SimpleUploadedFile("pipe.png", PNG)]
    response = client.post(url, {**fields, "extra.where": "street"})
    case = Case.objects.get(requester__name="新居民")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert (case.channel, case.registered_by, case.region) == (
        "phone",
        c.township_clerk,
        c.village_a,
    )
    assert case.extra == {"where": "street"} and case.attachments.count() == 1


def test_a_case_registered_outside_the_viewers_scope_lands_on_the_workbench(client, desk):
    c = desk.county
    client.force_login(c.department_clerk)  # a department sees only the cases it handles
    response = client.post(
        reverse("cases:case_new"),
        {
            "channel": "counter",
            "kind": "consult",
            "urgency": "normal",
            "content": "咨询住房政策",
            "requester_phone": "13511112222",  # the tracking code goes by SMS
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:workbench")
    assert Case.objects.get(content="咨询住房政策").state == State.COLLECTED


def test_the_case_page_shows_the_facts_and_the_timeline(client, desk):
    c = desk.county
    case = _intake(desk, category=desk.leaking_pipe, extra={"where": "street"})
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=c.government_a)
    cases.case_return(case=case, actor=c.township_clerk, reason="应由水利局处理")
    client.cookies["django_language"] = "en"
    page = _page(client, desk.dispatcher, case).content.decode()
    for fact in (case.number, "路面", "应由水利局处理", c.government_a.name):
        assert fact in page
    assert case.tracking_code not in page  # the requester's alone
    assert re.findall(r'data-action="(\w+)"', page) == ["intake", "dispatch", "return"]
    assert "Returned 1×" in page


def test_the_coordinating_leader_is_chosen_by_name_and_post(client, desk):
    import datetime as dt

    from wenmin.organisation import services as org

    c = desk.county
    deputy = org.person_create(actor=None, name="许荣永", gender="male", birth_year=1970)
    org.cadre_set(actor=None, person=deputy, unit=c.county_committee, position="县委常委")
    org.position_start(
        actor=None,
        person=deputy,
        kind="county_leader_liaison",
        region=c.township_a,
        start_date=dt.date(2024, 1, 1),
    )
    case = cases.case_dispatch(case=_intake(desk), actor=desk.dispatcher, unit=c.government_a)
    case = cases.case_sign_for(case=case, actor=c.township_clerk)
    page = _page(client, c.township_clerk, case).content.decode()
    assert 'name="coordinator"' in page
    client.force_login(c.township_clerk)
    pick = reverse("organisation:pick", args=["leader"])
    options = client.get(pick, {"field": "coordinator", "coordinator": "许"}).content.decode()
    assert f'<option value="{deputy.pk}">许荣永（县委常委 · 中共枫岭县委员会）</option>' in options


def test_other_apps_add_links_to_the_case_page_where_they_apply(client, desk, monkeypatch):
    from wenmin.cases import page_actions

    monkeypatch.setattr(page_actions, "CASE_PAGE_ACTIONS", {})
    page_actions.case_page_action_register(
        "test:help_only",
        "打开外部议题",
        lambda user, case: f"/elsewhere/{case.number}/" if case.kind == "help" else None,
    )
    help_case = _intake(desk)
    page = _page(client, desk.dispatcher, help_case).content.decode()
    assert f'<a href="/elsewhere/{help_case.number}/">打开外部议题</a>' in page
    complaint = _intake(desk, kind="complaint")
    assert "打开外部议题" not in _page(client, desk.dispatcher, complaint).content.decode()
