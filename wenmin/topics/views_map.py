"""The map: the viewer's cases, hotspots and other apps' layers, drawn by ECharts from Wenmin's
own regions and points (no internet), over a tile service when WENMIN_MAP_TILES is set."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wenmin.core.models import User
from wenmin.topics import access, selectors
from wenmin.topics.forms import MapFilter
from wenmin.topics.map_layers import layers_for


def _viewer(request: HttpRequest) -> User:
    user = cast(User, request.user)
    if not access.map_user(user):
        raise PermissionDenied
    return user


def tiles() -> dict[str, Any] | None:
    """The configured tile service: its URL template ({z}/{x}/{y}, {s} for a subdomain)."""
    url = str(getattr(settings, "WENMIN_MAP_TILES", "") or "")
    if not url:
        return None
    return {
        "url": url,
        "subdomains": str(getattr(settings, "WENMIN_MAP_TILES_SUBDOMAINS", "") or ""),
        "datum": str(getattr(settings, "WENMIN_MAP_DATUM", "wgs84")),
    }


def _tile_origins() -> list[str]:
    config = tiles()
    if config is None:
        return []
    parts = urlsplit(config["url"])
    host = parts.netloc
    if "{s}" in host:
        return [f"{parts.scheme}://{host.replace('{s}', s)}" for s in config["subdomains"]] or [
            f"{parts.scheme}://{host.replace('{s}', '*')}"
        ]
    return [f"{parts.scheme}://{host}"]


@login_required
@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    """The map page: filters, the chart, and a list of the layers."""
    user = _viewer(request)
    form = MapFilter(request.GET)
    status = 200 if form.is_valid() else 400
    response = render(
        request,
        "topics/map.html",
        {
            "form": form,
            "layers": layers_for(user),
            "tiles": tiles(),
            "query": request.GET.urlencode() if status == 200 else "",
            "labels": {
                "heat": _("Heat"),
                "regions": _("Townships and villages"),
                "shown": _("points shown"),
                "failed": _("The map could not be loaded."),
            },
        },
        status=status,
    )
    origins = _tile_origins()
    if origins:
        # The tiles' host, for this page only: nothing else may load from elsewhere.
        response._csp_update = {"img-src": origins}  # type: ignore[attr-defined]
    return response


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """The points of every layer the viewer may see, under the filters (JSON)."""
    user = _viewer(request)
    form = MapFilter(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    filters = form.cleaned_data
    layers = []
    for layer in layers_for(user):
        layers.append(
            {"key": layer.key, "label": str(layer.label), "points": layer.points_for(user, filters)}
        )
    return JsonResponse(
        {
            "regions": selectors.map_regions(),
            "layers": layers,
            "tiles": tiles(),
        }
    )


def cases_layer(user: User, filters: dict[str, Any]) -> list[dict[str, Any]]:
    points, _total = selectors.map_cases(user, filters)
    return points


def hotspots_layer(user: User, filters: dict[str, Any]) -> list[dict[str, Any]]:
    return selectors.map_hotspots(user, filters)


def projects_layer(user: User, filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The viewer's public-benefit projects (the projects app's own scoping), at their place."""
    from wenmin.projects.selectors import map_points

    return [
        {"lat": p.lat, "lng": p.lon, "name": p.name, "url": p.url, "value": 1}
        for p in map_points(user)
    ]
