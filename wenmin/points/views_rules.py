"""The county's points rules for a year: read by the points' readers, set by the organisation
department (base, stars, rules; a new year started from another)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wenmin.core.lookups import id_or_404
from wenmin.core.models import User
from wenmin.points import access, breakdown, scoring, selectors, services
from wenmin.points.forms import CopyForm, RuleForm, YearForm, rule_initial
from wenmin.points.models import STAR_FIELDS, PointsRule, PointsYear
from wenmin.points.selectors import YEAR_MAX, YEAR_MIN
from wenmin.points.views_common import (
    BadRequest,
    bad_request,
    errors_to_form,
    reader,
    year_param,
)


def _setter(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.sets_rules(user):
        raise PermissionDenied
    return user


def _year_in_path(year: int) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    return year


def _year_initial(found: PointsYear | None) -> dict[str, Any]:
    if found is None:
        return {}
    return {"base": found.base, **{name: getattr(found, name) for name in STAR_FIELDS}}


def _page(
    request: HttpRequest,
    user: User,
    year: int,
    *,
    year_form: YearForm | None = None,
    rule_form: RuleForm | None = None,
    copy_form: CopyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    found = selectors.points_year(year)
    sets = access.sets_rules(user)
    rules = list(found.rules.all()) if found is not None else []
    rows = []
    for rule in rules:
        spec = selectors.rule_spec(rule)
        rows.append(
            {"rule": rule, "text": breakdown.rule_text(spec), "available": scoring.available(spec)}
        )
    others = list(
        PointsYear.objects.exclude(year=year).order_by("-year").values_list("year", flat=True)
    )
    return render(
        request,
        "points/rules.html",
        {
            "year": year,
            # The coming year too: its rules are set before it starts.
            "years": selectors.years_known(year, timezone.localdate().year + 1),
            "points_year": found,
            "rows": rows,
            "sets": sets,
            "year_form": year_form or (YearForm(initial=_year_initial(found)) if sets else None),
            "rule_form": rule_form or (RuleForm(initial={"per": 1}) if sets and found else None),
            "copy_form": copy_form
            or (
                CopyForm(initial={"from_year": others[0]})
                if sets and found is None and others
                else None
            ),
            "others": others,
        },
        status=status,
    )


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """A year's base, star thresholds and rules."""
    user = reader(request)
    try:
        year = year_param(request)
    except BadRequest:
        return bad_request(request, reverse("points:rules"))
    return _page(request, user, year)


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('points:rules')}?year={year}")


@login_required
@require_POST
def year_save(request: HttpRequest, year: int) -> HttpResponse:
    """Set a year's base points and star thresholds (starting the year if new)."""
    user = _setter(request)
    year = _year_in_path(year)
    form = YearForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.year_set(
                actor=user,
                year=year,
                base=data["base"],
                stars=[data[name] for name in STAR_FIELDS],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The year's base and stars are saved."))
            return _back(year)
    return _page(request, user, year, year_form=form, status=400)


@login_required
@require_POST
def year_copy(request: HttpRequest, year: int) -> HttpResponse:
    """Start a year from another year's base, stars and rules."""
    user = _setter(request)
    year = _year_in_path(year)
    form = CopyForm(request.POST)
    if form.is_valid():
        source = selectors.points_year(form.cleaned_data["from_year"])
        if source is None:
            form.add_error("from_year", _("That year has no rules to start from."))
        else:
            try:
                services.year_copy(actor=user, year=year, from_year=source)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(
                    request,
                    _("The year starts from the rules of %(year)s.") % {"year": source.year},
                )
                return _back(year)
    return _page(request, user, year, copy_form=form, status=400)


@login_required
@require_POST
def rule_new(request: HttpRequest, year: int) -> HttpResponse:
    """Add a rule to a year."""
    user = _setter(request)
    found = selectors.points_year(_year_in_path(year))
    if found is None:
        raise Http404
    form = RuleForm(request.POST)
    if form.is_valid():
        try:
            services.rule_add(actor=user, points_year=found, data=form.rule_data())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The rule is added."))
            return _back(found.year)
    return _page(request, user, found.year, rule_form=form, status=400)


def _rule(rule_id: Any) -> PointsRule:
    rule = PointsRule.objects.select_related("year").filter(pk=id_or_404(rule_id)).first()
    if rule is None:
        raise Http404
    return rule


@login_required
@require_http_methods(["GET", "POST"])
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Change a rule (it counts again for its whole year)."""
    user = _setter(request)
    rule = _rule(rule_id)
    if request.method == "POST":
        form = RuleForm(request.POST, rule=rule)
        if form.is_valid():
            try:
                services.rule_update(actor=user, rule=rule, data=form.rule_data())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The rule is saved."))
                return _back(rule.year.year)
        status = 400
    else:
        form = RuleForm(initial=rule_initial(rule), rule=rule)
        status = 200
    return render(request, "points/rule_edit.html", {"form": form, "rule": rule}, status=status)


@login_required
@require_POST
def rule_remove(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Take a rule away from its year."""
    user = _setter(request)
    rule = _rule(rule_id)
    try:
        services.rule_remove(actor=user, rule=rule)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The rule is removed."))
    return _back(rule.year.year)
