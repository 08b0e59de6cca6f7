"""The register, the dashboard whose every figure opens its list, the public page without
internal notes, problems met becoming linked cases, a council decision's project, the bulletin,
map points, and who sees what."""

from __future__ import annotations

import re
from io import BytesIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wenmin.cases.models import Case
from wenmin.councils.models import Proposal
from wenmin.projects import selectors
from wenmin.projects.models import Project, ProjectCase, ReportPhoto
from wenmin.projects.services import project_propose

from .conftest import PHOTO, World, client_for


def _report_with_photo_and_problem(world: World) -> None:
    cadre = client_for(world.desk.county.department_clerk)
    answer = cadre.post(
        reverse("projects:report", args=[world.project.pk]),
        {
            "item": world.demolition.pk,
            "reported_on": timezone.localdate().isoformat(),
            "quantity_done": "30",
            "unit": "buildings",
            "problems": "两户对补偿标准有异议",
            "raise_case": "on",
            "internal_note": "内部：拆迁公司报价偏高",
            "photos": SimpleUploadedFile("site.jpg", PHOTO, content_type="image/jpeg"),
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]


def test_a_problem_met_becomes_a_case_linked_to_the_project(world: World) -> None:
    _report_with_photo_and_problem(world)
    link = ProjectCase.objects.get()
    assert link.project == world.project
    assert link.case.content == "两户对补偿标准有异议"
    assert link.case.region == world.desk.county.village_a
    page = (
        client_for(world.desk.county.leader)
        .get(reverse("projects:detail", args=[world.project.pk]))
        .content.decode()
    )
    assert link.case.number in page
    case_page = (
        client_for(world.desk.county.administrator)
        .get(reverse("cases:case_detail", args=[link.case.pk]))
        .content.decode()
    )
    assert reverse("projects:detail", args=[world.project.pk]) in case_page


def test_the_public_page_shows_no_internal_notes(world: World) -> None:
    _report_with_photo_and_problem(world)
    photo = ReportPhoto.objects.get()
    public = client_for(world.desk.county.resident)
    page = public.get(reverse("projects:public", args=[world.project.pk])).content.decode()
    assert "青石村道路硬化工程" in page and "青石村主干道7公里硬化" in page
    assert reverse("projects:photo", args=[photo.pk]) in page
    for secret in ("施工方资质待复核", "拆迁公司报价偏高", "两户对补偿标准有异议", "张伟"):
        assert secret not in page
    assert public.get(reverse("projects:photo", args=[photo.pk])).status_code == 200
    staff = client_for(world.desk.county.department_clerk)
    inside = staff.get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    assert "施工方资质待复核" in inside and "拆迁公司报价偏高" in inside
    assert public.get(reverse("projects:detail", args=[world.project.pk])).status_code == 403


def test_a_council_decision_becomes_a_project_and_its_reference_is_filled(world: World) -> None:
    c = world.desk.county
    proposal = Proposal.objects.create(
        region=c.village_a,
        title="修建村口文化广场",
        description="村民理事会决定",
        raised_by="resident",
        state="sent_to_projects",
        project_ref_type="project",
    )
    project = project_propose(
        actor=c.department_clerk,
        name="青石村文化广场",
        category="culture",
        region=c.village_a,
        owner=c.department,
        budget="300000",
        planned_start="2026-03-01",
        planned_finish="2026-09-30",
        origin_kind="council_decision",
        origin_id=str(proposal.pk),
    )
    proposal.refresh_from_db()
    assert (proposal.project_ref_type, proposal.project_ref_id) == ("project", project.pk)
    page = (
        client_for(c.resident).get(reverse("projects:public", args=[project.pk])).content.decode()
    )
    assert "data-decision" in page and "修建村口文化广场" in page
    count = Project.objects.count()
    try:  # taken in once only
        project_propose(
            actor=c.department_clerk,
            name="重复",
            category="culture",
            region=c.village_a,
            owner=c.department,
            budget="1",
            planned_start="2026-03-01",
            planned_finish="2026-09-30",
            origin_kind="council_decision",
            origin_id=str(proposal.pk),
        )
    except Exception as error:  # noqa: BLE001
        assert "origin_id" in str(error)
    assert Project.objects.count() == count


def test_the_patron_is_linked_through_a_post_naming_the_project(world: World) -> None:
    post = world.project.patron_position
    assert post is not None
    assert (post.person, post.kind, post.subject) == (
        world.patron,
        "county_leader_liaison",
        "青石村道路硬化工程",
    )


def test_every_dashboard_figure_opens_the_list_it_counts(world: World) -> None:
    leader = client_for(world.desk.county.leader)
    c = world.desk.county
    project_propose(
        actor=c.department_clerk,
        name="白沙乡卫生院",
        category="health",
        region=c.township_b,
        owner=c.department,
        budget="900000",
        planned_start="2026-03-01",
        planned_finish="2026-12-30",
    )
    Project.objects.filter(pk=world.project.pk).update(status="under_construction")
    page = leader.get(reverse("projects:dashboard")).content.decode()
    links = re.findall(r'<a class="n" data-count="(\w+)" href="([^"]+)">([\d,]+)</a>', page)
    checked = 0
    for key, href, figure in links:
        if key in ("budget", "invested"):
            continue
        listing = leader.get(href.replace("&amp;", "&")).content.decode()
        total = re.search(r'data-count-total="(\d+)"', listing)
        assert total is not None, href
        assert total.group(1) == figure.replace(",", ""), (key, href)
        checked += 1
    assert checked >= 8
    assert 'data-count="behind" href="/projects/?lag=behind">1<' in page


def test_the_register_filters_and_the_map_points(world: World) -> None:
    leader = client_for(world.desk.county.leader)
    page = leader.get(reverse("projects:home"), {"status": "approved"}).content.decode()
    assert 'data-count-total="1"' in page
    assert leader.get(reverse("projects:home"), {"status": "nonsense"}).status_code == 400
    points = selectors.map_points(world.desk.county.leader)
    assert points == []  # the small county's regions have no coordinates
    Project.objects.filter(pk=world.project.pk).update(latitude="28.4", longitude="117.6")
    (point,) = selectors.map_points(world.desk.county.leader)
    assert (point.id, point.name, point.lat, point.lon, point.status, point.url) == (
        world.project.pk,
        "青石村道路硬化工程",
        28.4,
        117.6,
        "approved",
        f"/projects/{world.project.pk}/",
    )


def test_a_clerk_of_another_township_sees_nothing_of_it(world: World) -> None:
    c = world.desk.county
    other = client_for(c.other_township_clerk)
    assert other.get(reverse("projects:detail", args=[world.project.pk])).status_code == 404
    assert 'data-count-total="0"' in other.get(reverse("projects:home")).content.decode()
    own_township = client_for(c.township_clerk)
    assert own_township.get(reverse("projects:detail", args=[world.project.pk])).status_code == 200
    assert own_township.get(reverse("projects:report", args=[world.project.pk])).status_code == 403
    assert client_for(c.resident).get(reverse("projects:dashboard")).status_code == 403
    assert not selectors.map_points(c.other_township_clerk)


def test_the_monthly_bulletin_as_a_page_and_as_excel(world: World) -> None:
    _report_with_photo_and_problem(world)
    leader = client_for(world.desk.county.leader)
    month = timezone.localdate().strftime("%Y-%m")
    page = leader.get(reverse("projects:bulletin"), {"month": month}).content.decode()
    assert "青石村道路硬化工程" in page
    assert leader.get(reverse("projects:bulletin"), {"month": "2026-13"}).status_code == 400
    answer = leader.get(reverse("projects:bulletin_xlsx"), {"month": month})
    assert answer.status_code == 200
    book = openpyxl.load_workbook(BytesIO(answer.getvalue()))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "青石村道路硬化工程"
    assert "内部" not in str(rows)
    assert Case.objects.count() == 1


def test_a_case_raised_elsewhere_is_linked_by_its_number_once(world: World) -> None:
    from django.contrib.messages import get_messages

    from wenmin.cases import services as cases
    from wenmin.cases.models import Channel

    c = world.desk.county
    case = cases.case_intake(
        channel=Channel.PHONE, content="工地夜间施工噪音扰民", region=c.village_a
    )
    url = reverse("projects:case_link", args=[world.project.pk])
    admin = client_for(c.administrator)
    response = admin.post(url, {"number": case.number})
    assert response.status_code == 302
    assert ProjectCase.objects.get().case == case
    page = admin.get(reverse("projects:detail", args=[world.project.pk])).content.decode()
    assert case.number in page and "data-case-link" in page
    # Again, an unknown number, junk: refused with a message, nothing more linked.
    for number in (case.number, "NO-SUCH-1", "\x00", "x" * 40, ""):
        response = admin.post(url, {"number": number})
        assert response.status_code == 302
        assert {m.level_tag for m in get_messages(response.wsgi_request)} == {"error"}
    assert ProjectCase.objects.count() == 1
    # Someone who does not run the project cannot link; another township does not see it.
    assert client_for(c.other_township_clerk).post(url, {"number": case.number}).status_code == 404
    assert client_for(c.resident).post(url, {"number": case.number}).status_code == 403
