"""Certificates (志愿服务记录证明): a volunteer asks for one of a team's confirmed hours; the
printable page and the PDF; the public verification page a QR code leads to (no personal data)."""

from __future__ import annotations

import re
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wenmin.core.models import User
from wenmin.volunteers import access, checkin, pdf, selectors, services
from wenmin.volunteers.forms import CertificateForm, RevokeForm, VerifyForm
from wenmin.volunteers.models import Certificate, Team

NUMBER_SHAPE = re.compile(r"[A-Z0-9-]{1,32}")


@login_required
@require_POST
def certificate_issue(request: HttpRequest) -> HttpResponse:
    """A volunteer's certificate of the hours one of their teams confirmed."""
    user = cast(User, request.user)
    if not access.volunteer_user(user):
        raise PermissionDenied
    profile = selectors.profile_of(user)
    if profile is None:
        raise PermissionDenied
    form = CertificateForm(request.POST)
    team = (
        Team.objects.filter(pk=form.cleaned_data["team"]).select_related("unit").first()
        if form.is_valid()
        else None
    )
    if team is None:
        messages.error(request, _("Choose one of your teams."))
        return redirect("volunteers:me")
    try:
        certificate = services.certificate_issue(actor=user, profile=profile, team=team)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("volunteers:me")
    messages.success(request, _("Your certificate is issued."))
    return redirect("volunteers:certificate", certificate.pk)


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    return request.build_absolute_uri(reverse("volunteers:verify", args=[certificate.number]))


def _facts(certificate: Certificate) -> list[tuple[str, str]]:
    person = certificate.profile.volunteer.person
    return [
        (_("Name"), person.name),
        (_("ID number"), person.id_number_masked or _("not recorded")),
        (_("Volunteer number"), certificate.profile.number),
        (_("Total hours"), f"{certificate.hours}"),
        (_("Issuing organisation"), f"{certificate.team.unit.name}（{certificate.team.number}）"),
        (_("Certificate number"), certificate.number),
        (_("Issued"), timezone.localtime(certificate.issued_at).strftime("%Y-%m-%d")),
    ]


@login_required
@require_GET
def certificate(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The printable certificate."""
    user = cast(User, request.user)
    found = selectors.certificate_get_for(user, certificate_id)
    url = _verify_url(request, found)
    return render(
        request,
        "volunteers/certificate.html",
        {
            "certificate": found,
            "facts": _facts(found),
            "qr": checkin.qr_svg(url),
            "verify_url": url,
            "organiser": access.may_organise(user, found.team),
            "revoke_form": RevokeForm(),
        },
    )


@login_required
@require_GET
def certificate_pdf(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate as a PDF to download."""
    user = cast(User, request.user)
    found = selectors.certificate_get_for(user, certificate_id)
    body = pdf.certificate_pdf(
        title=_("Volunteer service record certificate"),
        lines=_facts(found),
        headings=[_("Date"), _("Service"), _("Place"), _("Hours")],
        services=[
            [row["date"], row["title"], row["place"], row["hours"]] for row in found.services
        ],
        footer=_(
            "The hours above were recorded and confirmed by the issuing organisation; they are "
            "true, complete and unpaid."
        ),
        verify_url=_verify_url(request, found),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.number}.pdf"'
    return response


@require_GET
def verify(request: HttpRequest, certificate_number: str) -> HttpResponse:
    """Public: whether a certificate number is genuine and in force; no personal data shown."""
    found = selectors.certificate_verify(certificate_number[:64])
    status = 200 if found is not None and found.revoked_at is None else 404
    return render(
        request,
        "volunteers/verify.html",
        {"certificate": found, "number": certificate_number[:64]},
        status=status,
    )


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Public: type a certificate number to verify it."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        if NUMBER_SHAPE.fullmatch(number):
            return redirect("volunteers:verify", number)
        return render(
            request, "volunteers/verify.html", {"certificate": None, "number": number}, status=404
        )
    return render(
        request,
        "volunteers/verify_lookup.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )
