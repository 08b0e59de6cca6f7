"""The group pages: thin, each calls one selector or service and renders."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wenmin.cases.workflow import State
from wenmin.core import formfields, validators
from wenmin.core.models import User
from wenmin.groups import selectors, services
from wenmin.groups.forms import MessageFilterForm, OpenCasesForm, PasteForm, UploadForm
from wenmin.groups.models import SourceKind
from wenmin.groups.parsing import Columns
from wenmin.groups.selectors import Show
from wenmin.organisation.models import Unit, UnitKind
from wenmin.organisation.views import staff_page

PAGE_SIZE = 50


def _viewer(request: HttpRequest) -> User:
    user = cast(User, request.user)  # staff_page has let only logged-in staff through
    if not selectors.can_open_groups(user):
        raise PermissionDenied
    return user


def _errors_to_form(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, found in error.error_dict.items():
            for one in found:
                form.add_error(name if name in form.fields else None, one)
    else:
        for message in error.messages:
            form.add_error(None, message)


@staff_page
@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    """The groups the viewer runs or oversees, with what each brought in."""
    user = _viewer(request)
    search, status = formfields.search_text(request, "q", max_length=64)
    kind = request.GET.get("kind", "")
    kind = kind if kind in selectors.GROUP_KINDS else ""
    groups = selectors.groups_listed(user, search=search, kind=kind)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "search": search,
        "kind": kind,
        "kinds": [
            (value, label) for value, label in UnitKind.choices if value in selectors.GROUP_KINDS
        ],
        "query": urlencode({k: v for k, v in (("q", search), ("kind", kind)) if v}),
    }
    return render(request, "groups/list.html", context, status=status)


def _filters(request: HttpRequest) -> dict[str, Any]:
    form = MessageFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    state = data.get("state") or ""
    return {
        "show": data.get("show") or Show.REQUESTS,
        "state": state if state in State.values else "",
        "imported": data.get("imported"),
    }


def _group_page(
    request: HttpRequest,
    group: Unit,
    *,
    paste: PasteForm | None = None,
    upload: UploadForm | None = None,
    open_cases: OpenCasesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    filters = _filters(request)
    listed = selectors.group_messages(group=group, **filters)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    context = {
        "group": group,
        "profile": getattr(group, "group_profile", None),
        "figures": selectors.group_figures(group=group),
        "imports": selectors.group_imports(group=group)[:5],
        "page": page,
        "query": query,
        **filters,
        "paste": paste or PasteForm(),
        "upload": upload or UploadForm(),
        "open_cases": open_cases or OpenCasesForm(),
    }
    return render(request, "groups/group.html", context, status=status)


@staff_page
@require_GET
def group_page(request: HttpRequest, group_id: int) -> HttpResponse:
    """A group: its figures, the paste box and upload, and the messages brought in."""
    group = selectors.group_get_for(_viewer(request), group_id)
    return _group_page(request, group)


def _imported(request: HttpRequest, group: Unit, imported: Any) -> HttpResponse:
    messages.success(
        request,
        _(
            "%(read)s messages read: %(new)s new, %(skipped)s already brought in; "
            "%(marked)s look like requests."
        )
        % {
            "read": imported.read_count,
            "new": imported.new_count,
            "skipped": imported.skipped_count,
            "marked": imported.marked_count,
        },
    )
    url = reverse("groups:group", args=[group.pk])
    return redirect(f"{url}?{urlencode({'show': Show.REQUESTS, 'imported': imported.pk})}")


@staff_page
@require_POST
def group_paste(request: HttpRequest, group_id: int) -> HttpResponse:
    """Bring in a pasted conversation."""
    user = _viewer(request)
    group = selectors.group_get_for(user, group_id)
    form = PasteForm(request.POST)
    if form.is_valid():
        try:
            imported = services.group_chat_import(
                group=group, actor=user, source=SourceKind.PASTE, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return _imported(request, group, imported)
    return _group_page(request, group, paste=form, status=400)


@staff_page
@require_POST
def group_upload(request: HttpRequest, group_id: int) -> HttpResponse:
    """Bring in an uploaded export, its columns as the cadre named them."""
    user = _viewer(request)
    group = selectors.group_get_for(user, group_id)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        columns = Columns(
            sender=form.cleaned_data["sender_column"],
            time=form.cleaned_data["time_column"],
            text=form.cleaned_data["text_column"],
        )
        name = str(upload.name or "")
        table = name.lower().endswith(".csv") or any((columns.sender, columns.time, columns.text))
        try:
            imported = services.group_chat_import(
                group=group,
                actor=user,
                source=SourceKind.CSV if table else SourceKind.TXT,
                data=upload.read(),
                file_name=name,
                columns=columns,
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            return _imported(request, group, imported)
    return _group_page(request, group, upload=form, status=400)


def message_ids(request: HttpRequest) -> list[int] | None:
    """The selected messages' ids, or None when one is not an id."""
    try:
        return [validators.check_id(value) for value in request.POST.getlist("message")]
    except ValidationError:
        return None


@staff_page
@require_POST
def group_open_cases(request: HttpRequest, group_id: int) -> HttpResponse:
    """Open a case for each selected message."""
    user = _viewer(request)
    group = selectors.group_get_for(user, group_id)
    form = OpenCasesForm(request.POST)
    ids = message_ids(request)
    if ids is None:
        form.add_error(None, _("Some selected messages are not in this group."))
    if form.is_valid() and ids is not None:
        try:
            cases = services.group_messages_open_cases(
                group=group, message_ids=ids, actor=user, phone=form.cleaned_data["phone"]
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request,
                _("Cases opened: %(numbers)s.")
                % {"numbers": "、".join(case.number for case in cases)},
            )
            url = reverse("groups:group", args=[group.pk])
            return redirect(f"{url}?{urlencode({'show': Show.CASES})}")
    return _group_page(request, group, open_cases=form, status=400)
