"""Junk sent to every page, form and endpoint answers 2xx, 3xx or 4xx — never 5xx.

The URLs come from the project's URLconf, so a page is covered the day it is added; path
parameters get real ids, numbers and codes from the small county (and, once, junk of their own).
The parameter names come from the code: every Django form's fields, every name a view reads from
GET or POST, every parameter and body property of the OpenAPI document, and GeoReport's. Requests
go out as an anonymous visitor and as each named actor (resident, township clerk, dispatcher,
administrator): pages through a session, the native API with the actor's bearer token.

1. A sweep: every route, every actor, GET and POST, every known parameter junk at once.
2. A grid: for every route and method, the most capable actor the valid request is not refused
   for; the parameters the route read answering it each get junk of their kind (numbers, dates,
   text), one at a time behind an otherwise valid request, so the junk reaches the services;
   the API's bodies get wrong JSON types in every property at once.
3. Hypothesis: one to three junk values of any kind in an otherwise valid request.

Every request is rolled back; NUL bound for the database fails as on PostgreSQL. The valid
requests themselves must succeed (test_the_baselines_succeed), so nothing here passes by
refusing everything.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenmin.testing import CaseDesk

from .junk import (
    ACTORS,
    DATE_JUNK,
    HUGE,
    JSON_JUNK,
    JSON_TYPE_JUNK,
    JUNK,
    TEXT_JUNK,
    Probe,
    Route,
    World,
    actors_for,
    baseline_for,
    build_world,
    encodable,
    junk_like,
    parameter_names,
    probe,
    routes,
    safely,
    send,
    url_of,
    variants,
)

PROBES: dict[tuple[str, str, str], Probe] = {}
# Junk that breaks what is not checked, a few of each kind, for the GET grid.
FIRST_OF_EACH_KIND = (
    *(HUGE, "10000000000000000", "NaN", "1e400", "-1"),
    *(DATE_JUNK[0], DATE_JUNK[1], DATE_JUNK[2], DATE_JUNK[5], DATE_JUNK[6]),
    *(TEXT_JUNK[0], TEXT_JUNK[2], TEXT_JUNK[5]),
)


@pytest.fixture
def world(desk: CaseDesk, settings: Any) -> World:
    settings.LANGUAGE_CODE = "zh-hans"
    return build_world(desk)


def _probe(world: World, route: Route, method: str, url: str) -> Probe:
    key = (route.name, method, url)
    if key not in PROBES:
        PROBES[key] = probe(world, route, method, url)
    return PROBES[key]


def _reached(world: World) -> int:
    return sum(1 for status, *_rest in world.answers if 200 <= status < 300)


def test_the_walk_finds_the_projects_pages_and_parameters() -> None:
    """The walk itself: if it found nothing, the tests below would prove nothing."""
    found = {route.name for route in routes()}
    for name in ("portal:submit", "cases:workbench", "open311:requests", "api:case_list"):
        assert name in found
    assert any(route.is_admin for route in routes())
    names = parameter_names()
    for name in ("received_from", "period", "latitude", "lat", "start_date", "unit", "cursor"):
        assert name in names


def test_every_route_with_junk_in_every_parameter_answers_below_500(world: World) -> None:
    """Each route, each actor, GET and POST, every known parameter junk at once; then the path
    parameters themselves junk."""
    names = parameter_names()
    failures: list[str] = []
    n = 0
    for route in routes():
        for actor in actors_for(route):
            for method in ("GET", "POST"):
                n += 1
                url = url_of(world, route, n)
                if url is None:
                    continue
                pool = JSON_JUNK if route.is_api and method == "POST" else JUNK
                params = {
                    name: pool[(n + i) % len(pool)]
                    for i, name in enumerate(names)
                    if route.is_api or encodable(pool[(n + i) % len(pool)])
                }
                status = safely(world, actor, method, url, route, params, failures)
                if status >= 500:
                    failures.append(f"{status} {actor} {method} {url}")
        junk_url = url_of(world, route, n, junk_path=True) if route.arguments else None
        if junk_url is not None:
            for actor in ("anonymous", "administrator"):
                status = safely(world, actor, "GET", junk_url, route, {}, failures)
                if status >= 500:
                    failures.append(f"{status} {actor} GET {junk_url}")
    assert not failures, "\n".join(failures)
    assert _reached(world) > 100  # the sweep reached the pages, not only their refusals


def test_each_parameter_a_route_reads_answers_junk_of_its_kind_below_500(world: World) -> None:
    """Behind an otherwise valid request from an actor who may make it: GET with every read
    parameter the same junk; POST with one parameter junk at a time, junk of its kind."""
    failures: list[str] = []
    for route in routes():
        if route.is_admin:
            continue
        for method, n in itertools.product(("GET", "POST"), variants(route)):
            url = url_of(world, route, n)
            if url is None:
                continue
            found = _probe(world, route, method, url)
            if not found.reads:
                continue
            baseline = baseline_for(world, route)
            if method == "GET":
                for value in FIRST_OF_EACH_KIND:
                    params = {**baseline, **dict.fromkeys(found.reads, value)}
                    status = safely(world, found.actor, method, url, route, params, failures)
                    if status >= 500:
                        failures.append(f"{status} {found.actor} GET {url} all={value!r:.40}")
                continue
            for name in found.reads:
                for value in junk_like(baseline.get(name)):
                    params = {**baseline, name: value}
                    status = safely(
                        world, found.actor, method, url, route, params, failures, urlencoded=True
                    )
                    if status >= 500:
                        failures.append(f"{status} {found.actor} POST {url} {name}={value!r:.40}")
            # The schema checks every property of a JSON body: wrong types go in all at once.
            for value in JSON_TYPE_JUNK if route.is_api else ():
                params = {**baseline, **dict.fromkeys(found.reads, value)}
                status = safely(world, found.actor, method, url, route, params, failures)
                if status >= 500:
                    failures.append(f"{status} {found.actor} POST {url} all={value!r:.40}")
    assert not failures, "\n".join(failures)
    assert sum(1 for p in PROBES.values() if p.reads) > 30  # routes that read parameters
    assert _reached(world) > 100


def test_valid_requests_with_some_junk_answer_below_500(world: World) -> None:
    """Hypothesis: a valid request for a route that reads parameters, as any actor, with one to
    three of the parameters it reads replaced by junk of any kind."""
    targets = []
    for route in routes():
        for method, n in itertools.product(("GET", "POST"), variants(route)):
            url = None if route.is_admin else url_of(world, route, n)
            if url is not None and (reads := _probe(world, route, method, url).reads):
                targets.append((route, method, url, reads))
    sent: list[int] = []

    @settings(
        max_examples=300,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        target=st.sampled_from(targets),
        actor=st.sampled_from(ACTORS),
        data=st.data(),
    )
    def one(target: tuple[Route, str, str, tuple[str, ...]], actor: str, data: Any) -> None:
        route, method, url, reads = target
        pool = JSON_JUNK if route.is_api else tuple(v for v in JUNK if encodable(v))
        junk = data.draw(
            st.dictionaries(st.sampled_from(reads), st.sampled_from(pool), min_size=1, max_size=3)
        )
        response = send(world, actor, method, url, route, {**baseline_for(world, route), **junk})
        sent.append(response.status_code)
        assert response.status_code < 500, (actor, method, url, junk)

    one()
    assert len(targets) > 30 and len(sent) >= 300


def test_the_baselines_succeed(world: World) -> None:
    """Without junk the same requests do what they are for."""
    c = world.desk.county
    by_name = {route.name: route for route in routes()}

    def status(actor: str, method: str, name: str, **kwargs: Any) -> int:
        route = by_name[name]
        url = reverse(name, kwargs=kwargs)
        return send(world, actor, method, url, route, baseline_for(world, route)).status_code

    assert status("anonymous", "POST", "portal:submit") == 302
    assert status("dispatcher", "POST", "api:case_create") == 201
    assert status("dispatcher", "GET", "api:case_list") == 200
    assert status("anonymous", "POST", "open311:requests", format="json") == 200
    assert status("anonymous", "GET", "open311:requests", format="xml") == 200
    assert status("anonymous", "GET", "open311:servicerequestupdates", format="json") == 200
    assert status("dispatcher", "GET", "cases:workbench") == 200
    assert status("dispatcher", "GET", "cases:export") == 200
    assert status("administrator", "GET", "cases:supervision") == 200
    assert status("administrator", "GET", "scoreboard:ranking") == 200
    assert status("administrator", "GET", "scoreboard:bulletin") == 200
    dossier = {"person_id": c.cadre_department.pk}
    assert status("administrator", "GET", "scoreboard:dossier", **dossier) == 302
    assert status("administrator", "GET", "frontline:cadre", **dossier) == 200
    note = {"case_id": world.case(2).pk, "action": "note"}
    assert status("township_clerk", "POST", "cases:case_act", **note) == 302
