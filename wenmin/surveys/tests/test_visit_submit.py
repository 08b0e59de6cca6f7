"""A volunteer's visit: each answer checked against its question, stored once per submission key."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wenmin.cases.models import Case, Channel
from wenmin.core.models import AuditEvent
from wenmin.surveys import services
from wenmin.surveys.models import Need, NeedState, Resolution, Visit, VisitPhoto
from wenmin.surveys.services import NeedInput

from .conftest import Survey

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _assignment(survey: Survey, code: str = "H-QS-001"):  # type: ignore[no-untyped-def]
    return survey.plan.assignments.get(household__code=code)


def _submit(survey: Survey, key: str = "visit-key-0001", **overrides):  # type: ignore[no-untyped-def]
    arguments = {
        "actor": survey.desk.county.volunteer,
        "idempotency_key": key,
        "version": survey.version,
        "assignment": _assignment(survey),
        "answers": survey.answers(),
        **overrides,
    }
    return services.visit_submit(**arguments)


def _refused(survey: Survey, field: str, **overrides) -> list[str]:  # type: ignore[no-untyped-def]
    visits = Visit.objects.count()
    with pytest.raises(ValidationError) as refused:
        _submit(survey, **overrides)
    assert Visit.objects.count() == visits
    assert field in refused.value.message_dict, refused.value.message_dict
    return refused.value.message_dict[field]


def test_a_visit_stores_the_checked_answers_and_is_audited(survey: Survey) -> None:
    result = _submit(survey)
    visit = result.visit
    assert result.created
    assert visit.answers == {
        str(survey.single.pk): "良好",
        str(survey.multiple.pk): ["看病", "修房"],
        str(survey.text.pk): "屋顶漏雨",
        str(survey.number.pk): 3,
        str(survey.yes_no.pk): True,
    }
    assert visit.team == survey.desk.county.team_a
    assert visit.village == survey.desk.county.village_a
    assert AuditEvent.objects.filter(
        action="surveys.visit_submit", target_id=str(visit.pk)
    ).exists()


def test_the_same_visit_sent_twice_is_stored_once(survey: Survey) -> None:
    first = _submit(survey, needs=[NeedInput("repair", "屋顶漏雨需修缮", Resolution.CASE)])
    again = _submit(survey, needs=[NeedInput("repair", "屋顶漏雨需修缮", Resolution.CASE)])
    assert first.created and not again.created
    assert again.visit.pk == first.visit.pk
    assert Visit.objects.count() == 1
    assert Need.objects.count() == 1
    assert Case.objects.filter(channel=Channel.NEEDS_SURVEY).count() == 1


def test_the_same_key_with_other_answers_is_refused(survey: Survey) -> None:
    _submit(survey)
    other = {**survey.answers(), str(survey.single.pk): "较差"}
    _refused(survey, "idempotency_key", answers=other)
    assert Visit.objects.get().answers[str(survey.single.pk)] == "良好"


def test_a_malformed_key_is_refused(survey: Survey) -> None:
    _refused(survey, "idempotency_key", key="short")
    _refused(survey, "idempotency_key", key="x" * 65)
    _refused(survey, "idempotency_key", key="bad key with spaces")


def test_an_answer_to_a_retired_version_is_refused_with_a_clear_message(survey: Survey) -> None:
    services.version_retire(actor=survey.desk.county.township_clerk, version=survey.version)
    survey.version.refresh_from_db()
    [message] = _refused(survey, "version", version=survey.version)
    assert "留守老人需求走访" in message


def test_a_resend_after_the_version_retired_still_finds_the_stored_visit(survey: Survey) -> None:
    first = _submit(survey)
    services.version_retire(actor=survey.desk.county.township_clerk, version=survey.version)
    survey.version.refresh_from_db()
    assert _submit(survey, version=survey.version).visit.pk == first.visit.pk


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("single", "很好"),  # not a listed choice
        ("single", ["良好"]),  # a list for one choice
        ("single", ""),  # required
        ("multiple", ["看病", "旅游"]),
        ("multiple", [1]),
        ("number", "0"),  # below 1
        ("number", "21"),  # above 20
        ("number", "三"),
        ("number", "nan"),
        ("yes_no", "maybe"),
        ("yes_no", None),  # required
        ("text", "a\x00b"),
        ("text", "长" * 1001),
    ],
)
def test_each_kind_of_answer_is_checked(survey: Survey, question: str, value: object) -> None:
    key = str(getattr(survey, question).pk)
    _refused(survey, f"answers.{key}", answers={**survey.answers(), key: value})


def test_a_number_out_of_range_names_the_range(survey: Survey) -> None:
    key = str(survey.number.pk)
    [message] = _refused(survey, f"answers.{key}", answers={**survey.answers(), key: "21"})
    assert "1" in message and "20" in message and "1.00" not in message


def test_good_answers_of_each_kind_are_accepted(survey: Survey) -> None:
    answers = {
        str(survey.single.pk): "较差",
        str(survey.multiple.pk): "代购",  # one choice sent alone
        str(survey.number.pk): 20,
        str(survey.yes_no.pk): "no",
    }
    visit = _submit(survey, answers=answers).visit
    assert visit.answers == {
        str(survey.single.pk): "较差",
        str(survey.multiple.pk): ["代购"],
        str(survey.number.pk): 20,
        str(survey.yes_no.pk): False,
    }


def test_an_answer_to_a_question_of_no_version_is_refused(survey: Survey) -> None:
    _refused(survey, "answers.999999", answers={**survey.answers(), "999999": "x"})


def test_a_photo_is_checked_like_a_case_attachment(survey: Survey, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    key = str(survey.photo.pk)
    fake = SimpleUploadedFile("house.jpg", b"not a jpeg at all", content_type="image/jpeg")
    _refused(survey, f"answers.{key}", photos={key: [fake]})
    pdf = SimpleUploadedFile("house.pdf", b"%PDF-1.4", content_type="application/pdf")
    _refused(survey, f"answers.{key}", photos={key: [pdf]})
    good = SimpleUploadedFile("house.png", PNG, content_type="image/png")
    visit = _submit(survey, photos={key: [good]}).visit
    photo = VisitPhoto.objects.get(visit=visit)
    assert visit.answers[key] == [photo.pk]
    assert photo.content_type == "image/png"


def test_a_need_becomes_a_case_of_the_needs_survey_channel(survey: Survey) -> None:
    c = survey.desk.county
    visit = _submit(
        survey,
        needs=[
            NeedInput("repair", "屋顶漏雨需修缮", Resolution.CASE),
            NeedInput("care", "帮助打扫卫生", Resolution.ON_THE_SPOT),
            NeedInput("medical", "想参加义诊", Resolution.WAITING),
        ],
    ).visit
    case_need, spot, waiting = visit.needs.order_by("id")
    case = case_need.case
    assert case is not None
    assert case.channel == Channel.NEEDS_SURVEY
    assert case.region == c.village_a
    assert case.content == "屋顶漏雨需修缮"
    assert case.events.get(action="intake").actor == c.volunteer
    assert (spot.resolution, spot.state, spot.case) == (
        Resolution.ON_THE_SPOT,
        NeedState.RESOLVED,
        None,
    )
    assert (waiting.state, waiting.case) == (NeedState.OPEN, None)


def test_a_bad_need_refuses_the_whole_visit(survey: Survey) -> None:
    cases = Case.objects.count()
    _refused(
        survey,
        "needs.1.kind",
        needs=[
            NeedInput("repair", "屋顶漏雨", Resolution.CASE),
            NeedInput("nosuch", "x", Resolution.WAITING),
        ],
    )
    _refused(survey, "needs.0.resolution", needs=[NeedInput("repair", "屋顶漏雨", "later")])
    _refused(survey, "needs.0.text", needs=[NeedInput("repair", "  ", Resolution.WAITING)])
    assert Case.objects.count() == cases
    assert Need.objects.count() == 0


def test_only_the_assigned_team_records_the_visit(survey: Survey) -> None:
    c = survey.desk.county
    _refused(survey, "volunteer", actor=c.resident)
    other = survey.plan.assignments.get(household__code="H-QS-002")
    other.team = c.branch_a
    other.save()
    _refused(survey, "assignment", assignment=other)


def test_coordinates_come_in_pairs_and_in_range(survey: Survey) -> None:
    _refused(survey, "latitude", latitude="28.3")
    _refused(survey, "latitude", latitude="91", longitude="117")
    visit = _submit(survey, latitude="28.301", longitude="117.702").visit
    assert str(visit.latitude) == "28.301000"


def test_another_volunteer_cannot_reuse_a_stored_visits_key(survey: Survey) -> None:
    from wenmin.core.models import User
    from wenmin.core.roles import Role
    from wenmin.organisation import services as org

    c = survey.desk.county
    person = org.person_create(actor=None, name="黄磊", phone="15822223333", region=c.township_a)
    org.volunteer_set(actor=None, person=person, post="走访", team=c.team_a)
    other = User.objects.create_user(username="huang", role=Role.VOLUNTEER, person=person)
    _submit(survey)
    _refused(survey, "idempotency_key", actor=other)
    assert Visit.objects.get().volunteer == c.volunteer
