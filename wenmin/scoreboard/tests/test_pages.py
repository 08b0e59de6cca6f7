"""The scoreboard's pages as their users read them: who may open what, the ranking's figures and
links, trend arrows, red and black lists, scorecards, the cadre dossier, appeals over HTTP,
and query counts that do not grow with the units."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wenmin.cases import services as cases
from wenmin.cases.models import Case, CaseEvent, Channel
from wenmin.core.models import AuditEvent, User
from wenmin.organisation import services as org
from wenmin.scoreboard.models import Appeal, AppealStatus, ScoreSettings
from wenmin.scoreboard.periods import Period
from wenmin.scoreboard.ranking import last_months, ranking, ranking_by_month
from wenmin.scoreboard.rollups import rollups_rebuild

RANKING = reverse("scoreboard:ranking")
LISTS = reverse("scoreboard:lists")
APPEALS = reverse("scoreboard:appeals")
APPEAL_NEW = reverse("scoreboard:appeal_new")


def _handled(desk, unit, clerk, *, satisfaction=5, resolved=True, village=None) -> Case:  # type: ignore[no-untyped-def]
    case = cases.case_intake(
        channel=Channel.PHONE,
        kind="help",
        content="村口路灯不亮，请尽快修理。",
        region=village or desk.county.village_a,
    )
    case = cases.case_dispatch(case=case, actor=desk.dispatcher, unit=unit)
    case = cases.case_sign_for(case=case, actor=clerk)
    case = cases.case_plan(case=case, actor=clerk, plan="派人维修")
    case = cases.case_reply(case=case, actor=clerk, reply="已修好")
    return cases.case_callback(
        case=case, actor=desk.dispatcher, resolved=resolved, satisfaction=satisfaction
    )


def this_month() -> Period:
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def _page(client, user, url=RANKING, **params):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(url, params)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.content.decode())


def _row(response, subject_pk: int) -> str:  # type: ignore[no-untyped-def]
    found = re.search(
        rf'<tr data-subject="{subject_pk}" data-rank="\d*".*?</tr>', _text(response), re.S
    )
    assert found, f"no row for subject {subject_pk}"
    return found.group(0)


def _ranks(response) -> dict[int, int]:  # type: ignore[no-untyped-def]
    """The places of the ranked rows (those with an insufficient sample have none)."""
    found = re.findall(r'<tr data-subject="(\d+)" data-rank="(\d+)"', response.content.decode())
    return {int(pk): int(rank) for pk, rank in found}


@pytest.fixture
def every_sample_ranked(db):  # type: ignore[no-untyped-def]
    """For tests of rates, trends and lists built from a few cases each: rank any sample of 1+
    (the minimum sample has its own tests)."""
    ScoreSettings.objects.create(minimum_sample=1)


def _shift_to(case_ids: list[int], day: dt.date) -> None:
    """Move these cases' whole history to a day, then rebuild the counts from the history."""
    at = dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())
    for n, event in enumerate(CaseEvent.objects.filter(case_id__in=case_ids).order_by("id")):
        CaseEvent.objects.filter(pk=event.pk).update(at=at + dt.timedelta(minutes=n))
    Case.objects.filter(pk__in=case_ids).update(received_at=at)
    rollups_rebuild()


def _township(desk, number: int):  # type: ignore[no-untyped-def]
    c = desk.county
    township = org.region_create(
        actor=None,
        code=f"3699011{number:02d}000",
        name=f"第{number}乡",
        level="township",
        kind="township",
        parent=c.county,
        population=10000,
    )
    government = org.unit_create(
        actor=None,
        code=f"T{number}-GOV",
        name=f"第{number}乡人民政府",
        kind="township_government",
        region=township,
    )
    clerk = User.objects.create_user(
        username=f"clerk{number}", role="township_staff", unit=government
    )
    return township, government, clerk


# Who may open what ------------------------------------------------------------------------------


def test_every_staff_role_sees_the_ranking_and_the_public_is_refused(client, desk):
    c = desk.county
    for user in (
        c.administrator,
        c.leader,
        c.township_clerk,
        c.department_clerk,
        c.branch_secretary,
    ):
        assert _page(client, user).status_code == 200, user.role
    for user in (c.volunteer, c.resident):
        assert _page(client, user).status_code == 403, user.role
        assert _page(client, user, LISTS).status_code == 403
    client.logout()
    assert client.get(RANKING).status_code == 302


def test_the_staff_navigation_links_to_the_scoreboard(client, desk):
    response = _page(client, desk.county.township_clerk, reverse("cases:workbench"))
    assert f'href="{reverse("scoreboard:overall")}"' in response.content.decode()


def test_a_county_leader_picks_among_counties_and_a_clerk_stays_in_hers(client, desk):
    c = desk.county
    other = org.region_create(
        actor=None,
        code="369902000000",
        name="临川县",
        level="county",
        kind="county",
        parent=None,
        population=100000,
    )
    response = _page(client, c.leader)
    assert 'name="county"' in response.content.decode()
    assert _page(client, c.leader, county=other.pk).context["county"] == other
    assert 'name="county"' not in _page(client, c.township_clerk).content.decode()
    assert _page(client, c.township_clerk, county=other.pk).status_code == 404
    assert _page(client, c.township_clerk, county=c.county.pk).status_code == 200


# The ranking ------------------------------------------------------------------------------------


def test_the_township_ranking_shows_raw_and_smoothed_rates_with_sample_sizes(
    client, desk, every_sample_ranked
):
    c = desk.county
    for satisfaction in (5, 5, 1):
        _handled(desk, c.government_a, c.township_clerk, satisfaction=satisfaction)
    _handled(desk, c.government_b, c.other_township_clerk, village=c.village_b)
    response = _page(client, c.leader, group="township", period=this_month().label)
    row = _row(response, c.township_a.pk)
    assert "青石镇" in row
    assert re.search(r'data-figure="response">.*?>100\.0%</span> <span class="n">n=3<', row, re.S)
    assert re.search(
        r'data-figure="satisfaction">.*?>66\.7%</span> <span class="n">n=3<', row, re.S
    )
    assert re.search(r'data-figure="rework">.*?>33\.3%</span>', row, re.S)
    # The tooltip gives the value pulled toward the mean of the group (4 callbacks, 3 satisfied).
    mean = 3 / 4
    shrunk = (2 + 10 * mean) / (3 + 10)
    assert f"{100 * shrunk:.1f}%" in row
    per_thousand = 1000 * 3 / c.township_a.population
    assert f"{per_thousand:.2f}" in row
    assert _ranks(response)[c.township_b.pk] == 1  # one satisfied case of one beats 2 of 3


def test_every_number_of_a_row_opens_the_records_it_counts(client, desk):
    c = desk.county
    mine = {_handled(desk, c.government_a, c.township_clerk).pk for _ in range(2)}
    theirs = _handled(desk, c.government_b, c.other_township_clerk, village=c.village_b)
    response = _page(client, c.leader, group="township", period=this_month().label)
    row = _row(response, c.township_a.pk)
    links = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', row) if "/figure/" in h}
    assert len(links) == 9  # five rates, returns, escalations, working days, per 1,000
    for link in links:
        query = parse_qs(urlsplit(link).query)
        assert query["group"] == ["township"] and query["subject"] == [str(c.township_a.pk)]
        assert query["period"] == [this_month().label]
        listed = client.get(link)
        assert listed.status_code == 200
        found = {int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', listed.content.decode())}
        assert found <= mine and theirs.pk not in found, query["figure"]
    response_rate = next(link for link in links if "figure=response" in link)
    listed = _text(client.get(response_rate))
    assert "共 2 条" in listed  # two dispatches
    assert {int(pk) for pk in re.findall(r'<tr data-case="(\d+)"', listed)} == mine


def test_the_department_branch_and_cadre_tabs_compare_like_with_like(
    client, desk, every_sample_ranked
):
    c = desk.county
    _handled(desk, c.department, c.department_clerk)
    _handled(desk, c.government_a, c.township_clerk)
    departments = _page(client, c.leader, group="department")
    assert set(_ranks(departments)) == {c.department.pk}
    assert 'data-rank=""' in _row(departments, c.other_department.pk)  # no cases: not ranked
    assert 'data-figure="response"' in _row(departments, c.department.pk)
    branches = _page(client, c.leader, group="branch")
    assert set(_ranks(branches)) == {c.branch_a.pk}
    assert 'data-rank=""' in _row(branches, c.branch_b.pk)
    assert 'data-figure="response"' not in _row(branches, c.branch_a.pk)  # no sign-for there
    assert 'data-figure="on_time_closure"' not in _row(branches, c.branch_a.pk)
    cadres = _page(client, c.leader, group="cadre")
    row = _row(cadres, c.cadre_department.pk)
    assert "张伟" in row and "n=1" in row
    assert reverse("scoreboard:dossier", args=[c.cadre_department.pk]) in row
    assert (
        reverse("scoreboard:dossier", args=[c.cadre_department.pk])
        not in _page(client, c.township_clerk, group="cadre").content.decode()
    )


def test_trend_arrows_compare_with_the_previous_month(client, desk, every_sample_ranked):
    c = desk.county
    _t, government_c, clerk_c = _township(desk, 11)
    before = this_month().previous()
    earlier = [
        _handled(desk, c.government_a, c.township_clerk, satisfaction=5).pk,
        _handled(desk, c.government_b, c.other_township_clerk, satisfaction=1).pk,
    ]
    _shift_to(earlier, before.start + dt.timedelta(days=9))
    _handled(desk, c.government_a, c.township_clerk, satisfaction=1)
    _handled(desk, c.government_b, c.other_township_clerk, satisfaction=5)
    _handled(desk, government_c, clerk_c, satisfaction=3)
    last = _page(client, c.leader, group="township", period=before.label)
    assert _ranks(last)[c.township_a.pk] < _ranks(last)[c.township_b.pk]
    now = _page(client, c.leader, group="township", period=this_month().label)
    ranks = _ranks(now)
    assert ranks[c.township_b.pk] < ranks[c.township_a.pk]
    up = ranks[c.township_a.pk] - ranks[c.township_b.pk]
    assert f"▲{_ranks(last)[c.township_b.pk] - ranks[c.township_b.pk]}" in _row(
        now, c.township_b.pk
    )
    assert "▼" in _row(now, c.township_a.pk) and up >= 1
    assert 'class="trend trend-new"' in _row(now, _t.pk)  # no cases last month


def test_a_custom_range_and_a_bad_period(client, desk, every_sample_ranked):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    today = timezone.localdate()
    response = _page(
        client,
        c.leader,
        start=(today - dt.timedelta(days=3)).isoformat(),
        end=today.isoformat(),
    )
    assert response.context["period"].kind == "custom"
    assert "n=1" in _row(response, c.township_a.pk)
    bad = _page(client, c.leader, period="2026-13")  # shown with its error, answering 400
    assert bad.status_code == 400 and bad.context["period"] == this_month()
    assert "errorlist" in bad.content.decode()


def test_the_ranking_queries_do_not_grow_with_the_units(
    client, desk, django_assert_max_num_queries, every_sample_ranked
):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    client.force_login(c.leader)
    with django_assert_max_num_queries(8) as few:  # 6 today, room for two in the frame
        client.get(RANKING, {"group": "township"})
    for number in range(11, 16):
        _t, government, clerk = _township(desk, number)
        _handled(desk, government, clerk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(RANKING, {"group": "township"})
    assert len(_ranks(response)) == 6  # 白沙乡 has no cases: listed apart, not ranked
    assert 'data-rank=""' in _row(response, c.township_b.pk)
    for group in ("department", "branch", "cadre"):
        with django_assert_max_num_queries(8):
            assert client.get(RANKING, {"group": group}).status_code == 200


def test_the_ranking_and_the_monthly_series_rank_the_same_subjects(desk):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    _handled(desk, c.department, c.department_clerk)
    org.unit_create(  # a second government of a township: the first by code stands for it
        actor=None,
        code="T1-GOV2",
        name="青石镇第二政府",
        kind="township_government",
        region=c.township_a,
    )
    for group in ("township", "department", "branch", "cadre"):
        rows = ranking(group=group, period=this_month(), county=c.county)
        [(_month, monthly)] = ranking_by_month(group=group, county=c.county, months=[this_month()])
        assert [(r.subject, r.subject_id) for r in rows] == [
            (r.subject, r.subject_id) for r in monthly
        ], group
        assert [r.counts for r in rows] == [r.counts for r in monthly], group
        assert [r.per_thousand for r in rows] == [r.per_thousand for r in monthly], group
    township = next(
        r
        for r in ranking(group="township", period=this_month(), county=c.county)
        if r.subject == c.township_a
    )
    assert township.subject_id == c.government_a.pk and township.counts["signed"] == 1


# Red and black lists --------------------------------------------------------------------------


def test_red_and_black_lists_name_the_best_and_the_weakest_with_cases(
    client, desk, django_assert_max_num_queries, every_sample_ranked
):
    c = desk.county
    scores = {}
    for number, satisfaction in zip(range(11, 15), (5, 4, 2, 1), strict=True):
        township, government, clerk = _township(desk, number)
        for _ in range(3):
            _handled(desk, government, clerk, satisfaction=satisfaction)
        scores[township.pk] = satisfaction
    client.force_login(c.leader)
    with django_assert_max_num_queries(10):  # one query a group, whatever the townships
        response = client.get(LISTS, {"n": 3})
    page = response.content.decode()
    board = re.search(r'data-group="township">(.*?)</section>', page, re.S)
    assert board
    red = re.search(r'class="sb-red">(.*?)</ol>', board.group(1), re.S)
    black = re.search(r'class="sb-black">(.*?)</ol>', board.group(1), re.S)
    assert red and black
    reds = [int(pk) for pk in re.findall(r'data-subject="(\d+)"', red.group(1))]
    blacks = [int(pk) for pk in re.findall(r'data-subject="(\d+)"', black.group(1))]
    # Four townships have cases: at most two on each list, never overlapping.
    assert [scores[pk] for pk in reds] == [5, 4]
    assert [scores[pk] for pk in blacks] == [1, 2]
    assert c.township_a.pk not in reds + blacks  # no cases: not listed
    assert "@media print" in _stylesheet()


def _stylesheet() -> str:
    from django.contrib.staticfiles import finders

    found = finders.find("scoreboard/scoreboard.css")
    assert found
    return open(found, encoding="utf-8").read()  # noqa: SIM115, PTH123


# Scorecards -------------------------------------------------------------------------------------


def test_a_scorecard_shows_twelve_months_as_chart_data_and_a_table(client, desk):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk, satisfaction=2)
    url = reverse("scoreboard:scorecard", args=["township", c.township_a.pk])
    response = _page(client, c.township_clerk, url)
    assert response.status_code == 200
    page = response.content.decode()
    data = json.loads(
        re.search(
            r'<script id="sb-chart-data" type="application/json">(.*?)</script>', page, re.S
        ).group(1)  # type: ignore[union-attr]
    )
    assert len(data["labels"]) == 12 and data["labels"][-1] == this_month().label
    lines = {s["key"]: s["values"] for s in data["series"]}
    assert lines["response"][-1] == 100.0 and lines["satisfaction"][-1] == 0.0
    assert lines["composite"][0] is None  # no cases eleven months ago
    assert len(re.findall(r'<tr data-month="', page)) == 12
    month = re.search(rf'<tr data-month="{this_month().label}">.*?</tr>', page, re.S)
    assert month
    figure = f"/scoreboard/figure/?group=township&amp;subject={c.township_a.pk}&amp;figure="
    assert f"{figure}response&amp;period={this_month().label}" in month.group(0)
    assert "wenmin/echarts.min.js" in page and "wenmin/scoreboard.js" in page
    first = last_months(this_month())[0].label  # the caption names its first month
    assert f"近十二个月（{first} 至 {this_month().label}）" in page
    appeal = f"{APPEAL_NEW}?case={case.number}"
    assert appeal in page  # her own unit's case: she may appeal
    assert appeal not in _page(client, c.leader, url).content.decode()


def test_scorecards_of_every_group_open_and_unknown_subjects_are_404(client, desk):
    c = desk.county
    _handled(desk, c.department, c.department_clerk)
    for group, pk in (
        ("department", c.department.pk),
        ("branch", c.branch_a.pk),
        ("cadre", c.cadre_department.pk),
    ):
        url = reverse("scoreboard:scorecard", args=[group, pk])
        assert _page(client, c.branch_secretary, url).status_code == 200, group
    for group, pk in (("township", c.village_a.pk), ("department", 999999), ("nothing", 1)):
        url = reverse("scoreboard:scorecard", args=[group, pk])
        assert _page(client, c.leader, url).status_code == 404, group
    url = reverse("scoreboard:scorecard", args=["township", c.township_a.pk])
    assert _page(client, c.volunteer, url).status_code == 403


# The cadre dossier ------------------------------------------------------------------------------


def test_the_dossier_is_for_the_organisation_department_only(client, desk):
    c = desk.county
    url = reverse("scoreboard:dossier", args=[c.cadre_department.pk])
    for user in (c.administrator, c.leader):
        response = _page(client, user, url)  # the ranking's link leads to the front line's page
        assert response.status_code == 302
        assert response["Location"].startswith(
            reverse("frontline:cadre", args=[c.cadre_department.pk])
        )
    for user in (c.township_clerk, c.department_clerk, c.branch_secretary, c.volunteer):
        assert _page(client, user, url).status_code == 403, user.role
    not_a_cadre = reverse("scoreboard:dossier", args=[c.member_a.pk])
    assert _page(client, c.leader, not_a_cadre).status_code == 404


def test_the_dossier_lists_the_cases_the_cadre_led_and_their_outcomes(
    client, desk, every_sample_ranked
):
    c = desk.county
    good = _handled(desk, c.department, c.department_clerk, satisfaction=5)
    bad = _handled(desk, c.department, c.department_clerk, satisfaction=1, resolved=False)
    someone_elses = _handled(desk, c.government_a, c.township_clerk)
    url = reverse("scoreboard:dossier", args=[c.cadre_department.pk])
    client.force_login(c.leader)
    response = client.get(url, follow=True)  # the front line's dossier
    page = _text(response)
    cases = next(v.section for v in response.context["sections"] if v.section.key == "cases")
    listed = {row.url for row in cases.rows}
    assert listed == {reverse("cases:case_detail", args=[case.pk]) for case in (good, bad)}
    assert reverse("cases:case_detail", args=[someone_elses.pk]) not in page
    outcomes = {f.key: f.value for f in cases.figures}
    assert outcomes["cases"] == 2 and outcomes["closed"] == 1 and outcomes["reworked"] == 1
    assert outcomes["satisfied"] == 1 and outcomes["resolved"] == 1
    assert "县住房和城乡建设局" in page and "科员" in page


# Appeals ----------------------------------------------------------------------------------------


def test_a_unit_appeals_over_http_and_a_reviewer_accepts(client, desk, every_sample_ranked):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk, satisfaction=1, resolved=False)
    client.force_login(c.township_clerk)
    form = client.get(APPEAL_NEW, {"case": case.number})
    assert form.status_code == 200 and case.number in form.content.decode()
    evidence = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    sent = client.post(
        f"{APPEAL_NEW}?case={case.number}",
        {"case": case.number, "reason": "诉求人要求超出政策范围", "evidence": evidence},
    )
    appeal = Appeal.objects.get(case=case)
    assert sent.status_code == 302 and sent["Location"] == reverse(
        "scoreboard:appeal_detail", args=[appeal.pk]
    )
    detail = reverse("scoreboard:appeal_detail", args=[appeal.pk])
    assert client.get(APPEALS).context["page"].object_list[0] == appeal
    download = client.get(reverse("scoreboard:appeal_evidence", args=[appeal.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.post(detail, {"decision": "accept", "note": "自己批准"}).status_code == 403
    assert _page(client, c.other_township_clerk, detail).status_code == 404
    assert not _page(client, c.other_township_clerk, APPEALS).context["page"].object_list
    reviewer = _page(client, c.leader, APPEALS, status="pending")
    assert list(reviewer.context["page"].object_list) == [appeal]
    refused = client.post(detail, {"decision": "accept", "note": ""})
    assert refused.status_code == 400 and refused.context["form"].errors
    before = _row(_page(client, c.leader, group="township"), c.township_a.pk)
    assert "n=1" in before
    decided = client.post(detail, {"decision": "accept", "note": "经核实属无理诉求"})
    assert decided.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED and appeal.reviewer == c.leader
    after = _row(_page(client, c.leader, group="township"), c.township_a.pk)
    assert "n=0" in after  # the case no longer counts for the township
    assert AuditEvent.objects.filter(action="appeal.decide", target_id=str(appeal.pk)).exists()
    again = client.post(detail, {"decision": "reject", "note": "再议"})
    assert again.status_code == 400 and again.context["form"].non_field_errors()
    assert 'class="notice error"' in again.content.decode()
    assert Appeal.objects.get(pk=appeal.pk).status == AppealStatus.ACCEPTED


def test_appeal_refusals_show_on_the_form(client, desk):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk)
    client.force_login(c.township_clerk)
    empty = client.post(APPEAL_NEW, {"case": case.number, "reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["form"].errors
    client.post(APPEAL_NEW, {"case": case.number, "reason": "理由"})
    twice = client.post(APPEAL_NEW, {"case": case.number, "reason": "再次申诉"})
    assert twice.status_code == 400
    assert twice.context["form"].non_field_errors()
    assert Appeal.objects.filter(case=case).count() == 1
    # Another township's clerk does not even see the case; a branch secretary cannot appeal.
    assert _page(client, c.other_township_clerk, APPEAL_NEW, case=case.number).status_code == 404
    assert _page(client, c.branch_secretary, APPEAL_NEW, case=case.number).status_code == 403
    assert _page(client, c.township_clerk, APPEAL_NEW, case="NO-SUCH").status_code == 404
    assert _page(client, c.township_clerk, APPEAL_NEW).status_code == 200  # asks for a number


def test_the_appeals_list_is_for_unit_staff_and_reviewers(client, desk):
    c = desk.county
    for user in (c.township_clerk, c.department_clerk, c.leader, c.administrator):
        assert _page(client, user, APPEALS).status_code == 200, user.role
    for user in (c.branch_secretary, c.volunteer, c.resident):
        assert _page(client, user, APPEALS).status_code == 403, user.role


# Admin ------------------------------------------------------------------------------------------


def test_the_administrator_sets_the_weights_in_the_admin_through_the_service(client, desk):
    c = desk.county
    client.force_login(c.administrator)
    url = reverse("admin:scoreboard_scoresettings_add")
    bad = client.post(
        url,
        {
            "response_weight": "0.5",
            "resolution_weight": "0.5",
            "satisfaction_weight": "0.5",
            "prior_weight": "10",
            "minimum_sample": "5",
        },
    )
    assert bad.status_code == 200 and not ScoreSettings.objects.exists()
    good = client.post(
        url,
        {
            "response_weight": "0.2",
            "resolution_weight": "0.4",
            "satisfaction_weight": "0.4",
            "prior_weight": "5",
            "minimum_sample": "8",
        },
    )
    assert good.status_code == 302
    assert ScoreSettings.objects.count() == 1
    assert AuditEvent.objects.filter(action="score_settings.save").count() == 1
    ranking = _page(client, c.leader)
    assert ranking.context["weights"].prior == 5
    assert ranking.context["weights"].minimum_sample == 8


def test_appeals_are_read_only_in_the_admin(client, desk):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk)
    client.force_login(c.township_clerk)
    client.post(APPEAL_NEW, {"case": case.number, "reason": "理由"})
    appeal = Appeal.objects.get()
    client.force_login(c.administrator)
    assert client.get(reverse("admin:scoreboard_appeal_changelist")).status_code == 200
    change = reverse("admin:scoreboard_appeal_change", args=[appeal.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"reason": "改掉", "status": "accepted"})
    assert Appeal.objects.get().status == AppealStatus.PENDING
    assert client.get(reverse("admin:scoreboard_appeal_add")).status_code == 403


@pytest.mark.parametrize("width_note", ["table-wrap"])
def test_tables_scroll_sideways_on_a_phone(client, desk, width_note):
    response = _page(client, desk.county.leader)
    assert f'<div class="{width_note}">' in response.content.decode()
    assert 'name="viewport"' in response.content.decode()


def test_appeal_evidence_is_checked_like_case_attachments(client, desk):
    c = desk.county
    case = _handled(desk, c.government_a, c.township_clerk, satisfaction=1)
    client.force_login(c.township_clerk)
    url = f"{APPEAL_NEW}?case={case.number}"
    refused = {
        "disguised": SimpleUploadedFile(
            "现场照片.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
        ),
        "oversized": SimpleUploadedFile(
            "证明.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
        ),
        "not an image": SimpleUploadedFile(
            "证明.exe", b"MZ\x90\x00", content_type="application/octet-stream"
        ),
        "an svg": SimpleUploadedFile(
            "证明.svg", b"<svg onload=alert(1)>", content_type="image/svg+xml"
        ),
    }
    for why, upload in refused.items():
        sent = client.post(url, {"case": case.number, "reason": "理由", "evidence": upload})
        assert sent.status_code == 400, why
        assert sent.context["form"].errors["evidence"], why
    assert not Appeal.objects.exists()
    photo = SimpleUploadedFile(
        "现场照片.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, content_type="image/png"
    )
    sent = client.post(url, {"case": case.number, "reason": "理由", "evidence": photo})
    assert sent.status_code == 302
    assert Appeal.objects.get().evidence.name.endswith(".png")


def test_headings_say_place_and_name_of_a_unit_and_the_phone_channel_says_phone(client, desk):
    c = desk.county
    _handled(desk, c.government_a, c.township_clerk)
    ranking = _text(_page(client, c.leader, group="township"))
    head = re.search(r"<thead>(.*?)</thead>", ranking, re.S)
    assert head and re.findall(r"<th[^>]*>([^<]*)</th>", head.group(1))[:3] == [
        "名次",
        "趋势",
        "名称",
    ]
    assert "职级" not in ranking and "姓名" not in ranking
    cadres = _text(_page(client, c.leader, group="cadre"))
    assert "<th>姓名</th>" in cadres  # a cadre is a person
    card = _text(
        _page(client, c.leader, reverse("scoreboard:scorecard", args=["township", c.township_a.pk]))
    )
    assert "名次" in card and "职级" not in card
    region = _text(
        _page(client, c.leader, reverse("organisation:region_detail", args=[c.county.pk]))
    )
    assert "<th>名称</th>" in region and "姓名" not in region
    dossier = _text(
        client.get(reverse("scoreboard:dossier", args=[c.cadre_department.pk]), follow=True)
    )
    assert "<dt>职级</dt>" in dossier  # the cadre's civil-service grade stays 职级
    # The channel is a telephone line (电话); a person's number stays a mobile number (手机号).
    assert str(Channel.PHONE.label) == "电话"
    workbench = _text(_page(client, c.leader, reverse("cases:workbench")))
    assert '<option value="phone">电话</option>' in workbench
    person = _text(
        _page(client, c.leader, reverse("organisation:person_detail", args=[c.member_a.pk]))
    )
    assert "手机号" in person
