"""The administrator's privacy pages: retention, a person's data (export, erasure), the access
log and the accounts' second factors."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from wenmin.core import formfields, roles
from wenmin.core.excel import XLSX_CONTENT_TYPE
from wenmin.core.models import User
from wenmin.organisation.models import Person
from wenmin.privacy import selectors
from wenmin.privacy.forms import EraseForm, PersonSearchForm
from wenmin.privacy.models import AccessReason, AnonymisedPerson
from wenmin.privacy.services.second_factor import second_factor_reset
from wenmin.privacy.services.subject import erasure_plan, subject_erase, subject_export
from wenmin.privacy.services.sweep import last_sweep_at

PAGE_SIZE = 50
View = Callable[..., HttpResponse]


def administrator_page(view: View) -> View:
    """Log in first, then the county administrator only (403 for everyone else)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not roles.administrator_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _viewer(request: HttpRequest) -> User:
    return cast(User, request.user)


@administrator_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Retention periods, the sweep, and the way to a person's data."""
    context = {
        "retention": selectors.retention_table(),
        "last_sweep": last_sweep_at(),
        "held": selectors.cases_held_count(),
        "due": selectors.cases_expired().count(),
        "form": PersonSearchForm(),
    }
    return render(request, "privacy/home.html", context)


@administrator_page
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    """Find a person by phone or ID number (through their digests) or by name."""
    text, status = formfields.search_text(request, "q", max_length=64)
    found = selectors.people_find(text).annotate(case_count=Count("cases"))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": PersonSearchForm(initial={"q": text}),
        "text": text,
        "page": page,
        "query": urlencode({"q": text}),
    }
    return render(request, "privacy/people.html", context, status=status)


def _person(person_id: int) -> Person:
    return get_object_or_404(Person.objects.select_related("region"), pk=person_id)


@administrator_page
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """What is held about one person, and what an erasure would do."""
    subject = _person(person_id)
    context = {
        "person": subject,
        "plan": erasure_plan(person=subject),
        "register": selectors.register_roles(subject),
        "anonymised": AnonymisedPerson.objects.filter(person=subject).first(),
        "accesses": selectors.access_log(person_id=subject.pk).count(),
        "erase_form": EraseForm(),
    }
    return render(request, "privacy/person.html", context)


@administrator_page  # type: ignore[arg-type]  # a FileResponse streams
@never_cache
@require_POST
def person_export(request: HttpRequest, person_id: int) -> FileResponse:
    """Everything held about the person as one workbook; the export is logged as an access."""
    subject = _person(person_id)
    handle = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        subject_export(actor=_viewer(request), person=subject, target=handle)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    filename = f"personal-data-{subject.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@administrator_page
@require_POST
def person_erase(request: HttpRequest, person_id: int) -> HttpResponse:
    """Erase what the law allows of the person's data, at their request."""
    subject = _person(person_id)
    form = EraseForm(request.POST)
    if not form.is_valid():
        context = {
            "person": subject,
            "plan": erasure_plan(person=subject),
            "register": selectors.register_roles(subject),
            "anonymised": AnonymisedPerson.objects.filter(person=subject).first(),
            "accesses": selectors.access_log(person_id=subject.pk).count(),
            "erase_form": form,
        }
        return render(request, "privacy/person.html", context, status=400)
    report = subject_erase(actor=_viewer(request), person=subject)
    messages.success(
        request,
        _("Erased: %(erased)s cases; kept: %(kept)s; the person %(person)s.")
        % {
            "erased": len(report.erased),
            "kept": len(report.kept),
            "person": _("was anonymised")
            if report.person_anonymised
            else _("stays (still needed or in the register)"),
        },
    )
    return redirect("privacy:person", subject.pk)


@administrator_page
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Every view of personal data in clear, newest first, by whose data and by who saw it."""
    person_id = _int(request.GET.get("person"))
    viewer_name, status = formfields.search_text(request, "viewer", max_length=150)
    viewer = User.objects.filter(username=viewer_name).first() if viewer_name else None
    entries = selectors.access_log(person_id=person_id, viewer_id=viewer.pk if viewer else None)
    if viewer_name and viewer is None:
        entries = entries.none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("person", person_id), ("viewer", viewer_name)) if v}
    context = {
        "page": page,
        "query": urlencode(query),
        "person": Person.objects.filter(pk=person_id).only("name").first() if person_id else None,
        "person_id": person_id,
        "viewer_name": viewer_name,
        "reasons": dict(AccessReason.choices),
    }
    return render(request, "privacy/access_log.html", context, status=status)


def _int(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value < 2**63 else None


@administrator_page
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest) -> HttpResponse:
    """The staff accounts and their second factor; reset one (a lost phone)."""
    if request.method == "POST":
        account_id = _int(request.POST.get("account"))
        account = User.objects.filter(pk=account_id).first() if account_id else None
        if account is None:
            raise Http404
        second_factor_reset(actor=_viewer(request), account=account)
        messages.success(
            request,
            _("The second factor of %(name)s was reset: they enrol again at their next login.")
            % {"name": account.get_username()},
        )
        return redirect("privacy:accounts")
    staff = User.objects.filter(role__in=roles.STAFF_ROLES, is_active=True).order_by(
        "role", "username"
    )
    enrolled = set(
        TOTPDevice.objects.filter(confirmed=True, user__in=staff).values_list("user_id", flat=True)
    )
    page = Paginator(staff, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "enrolled": enrolled,
        "required": set(settings.WENMIN_REQUIRE_2FA),
        "query": "",
    }
    return render(request, "privacy/accounts.html", context)
