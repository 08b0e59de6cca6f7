"""The machinery of the junk tests: the project's routes from its URLconf, the parameter names
its code reads, a small world to aim at (the small county of wenmin/testing.py with cases in
several states, an attachment, an appeal, an Open311 key, one client and one API token per named
actor), valid baselines per channel, junk values by kind, and a sender that rolls every request
back and refuses NUL on its way to the database as PostgreSQL does.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import wenmin
from wenmin.api import api
from wenmin.cases import services as cases
from wenmin.cases.models import Attachment, Case, Category, Channel
from wenmin.cases.views_case import ACTIONS
from wenmin.channels.services import apikey_create
from wenmin.core.services_tokens import api_token_create
from wenmin.scoreboard import services as scoreboard
from wenmin.testing import CaseDesk

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SCOPES = ("cases:read", "cases:write", "organisation:read", "config:read")
# GeoReport v2 and FixMyStreet's extension name these; the views read them through helpers.
GEOREPORT = (
    "api_key",
    "jurisdiction_id",
    "service_code",
    "service_request_id",
    "lat",
    "long",
    "address_string",
    "address_id",
    "email",
    "device_id",
    "account_id",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "start_date",
    "end_date",
    "status",
    "page",
    "page_size",
    "extensions",
    "update_id",
    "updated_datetime",
    "attribute[lanes]",
    "attribute[damage][]",
    "attribute[where]",
    "attribute[noticed]",
)
HUGE = "99999999999999999999"
JUNK: tuple[Any, ...] = (
    HUGE,
    "10000000000000000",
    "-1",
    "0",
    "NaN",
    "inf",
    "-Infinity",
    "1e400",
    "0001-01-01",
    "9999-12-31",
    "0001-01",
    "9999-12",
    "0001-01-01..9999-12-31",
    "9999-12-31T23:59:59+14:00",
    "0001-01-02T00:00:00",
    "\x00",
    "a\x00b",
    "\x1b[2J\x07",
    "\u202egnp.exe",
    '=HYPERLINK("http://evil.example/","点我")',
    "x" * 5000,
    "",
    " ",
    "²",
    "１２",
    "[]",
    "{}",
    "null",
    "true",
    "2026-02-30",
    "1.5",
)
JSON_JUNK: tuple[Any, ...] = (
    *JUNK,
    10**30,
    -(10**30),
    1e308,
    float("nan"),
    float("inf"),
    True,
    None,
    [],
    ["\x00"],
    {"a": {"b": ["\x00"]}},
    "\ud800",
    {"\x00": 1},
    [HUGE] * 30,
)


# The URLconf ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # the namespaced name, or the route itself when it has none
    route: str
    arguments: tuple[str, ...]
    regex: bool

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_open311(self) -> bool:
        return self.route.startswith("open311/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            converters = getattr(pattern.pattern, "converters", None)
            names = tuple(converters) if converters else tuple(pattern.pattern.regex.groupindex)
            full = f"{namespace}:{pattern.name}".lstrip(":") if pattern.name else route
            regex = not hasattr(pattern.pattern, "converters")
            yield Route(full, route, names, regex)


def routes() -> list[Route]:
    """Every URL pattern of the project, once per distinct route and name."""
    seen: dict[tuple[str, str], Route] = {}
    for route in _walk(get_resolver().url_patterns):
        seen.setdefault((route.name, route.route), route)
    return list(seen.values())


# The parameter names ----------------------------------------------------------------------------

_READS = re.compile(
    r"""(?:GET|POST|query|params)\.(?:get|getlist)\(\s*["']([^"']+)["']"""
    r"""|param\(\s*request,\s*["']([^"']+)["']"""
)


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    stack: list[type[forms.BaseForm]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("wenmin."):
            yield cls


def parameter_names() -> list[str]:
    """Every name a form, a view or the API reads, found in the code and the OpenAPI document."""
    names: set[str] = set(GEOREPORT)
    for cls in _form_classes():
        names.update(getattr(cls, "base_fields", {}))
    for source in Path(wenmin.__file__).parent.rglob("*.py"):
        if "tests" not in source.parts and "migrations" not in source.parts:
            for match in _READS.finditer(source.read_text(encoding="utf-8")):
                names.add(match.group(1) or match.group(2))
    schema = openapi()
    for methods in schema["paths"].values():
        for operation in methods.values():
            names.update(p["name"] for p in operation.get("parameters", []))
    for component in schema.get("components", {}).get("schemas", {}).values():
        names.update(component.get("properties", {}))
    names.update(("extra.where", "extra.lanes", "extra.damage", "extra.noticed", "extra.note"))
    return sorted(names)


# The world: the small county, cases in several states, keys and tokens ------------------------

ROAD_FIELDS = [
    {"code": "damage", "label": "损坏类型", "datatype": "multivaluelist", "required": False,
     "values": [{"key": "pothole", "name": "坑洼"}, {"key": "crack", "name": "裂缝"}]},
    {"code": "lanes", "label": "车道数", "datatype": "number", "required": False, "values": []},
    {"code": "noticed", "label": "发现时间", "datatype": "datetime", "required": False,
     "values": []},
    {"code": "note", "label": "说明", "datatype": "text", "required": False, "values": []},
]  # fmt: skip


@dataclass
class World:
    desk: CaseDesk
    road: Category
    cases: list[Case]
    attachment: Attachment
    appeal_id: int
    api_key: str
    actors: dict[str, Any]
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    cookies: dict[str, Any] = field(default_factory=dict)
    answers: list[tuple[int, str, str, str]] = field(default_factory=list)
    # Real path values and valid form values the apps built later add (see world_extensions).
    paths: dict[str, Any] = field(default_factory=dict)
    form: dict[str, Any] = field(default_factory=dict)

    def case(self, n: int) -> Case:
        return self.cases[n % len(self.cases)]


def _upload() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("photo.png", PNG, content_type="image/png")


def build_world(desk: CaseDesk) -> World:
    c = desk.county
    road = Category.objects.create(code="road", name="道路破损", extra_fields=ROAD_FIELDS)

    def intake(text: str, **extra: Any) -> Case:
        fields: dict[str, Any] = {
            "channel": Channel.PHONE,
            "content": text,
            "category": desk.water,
            "requester_phone": "18600003333",
            "region": c.village_a,
            **extra,
        }
        return cases.case_intake(**fields)

    collected = intake("路口水管漏水。", files=[_upload()])
    dispatched = intake("二号路口水管漏水。")
    cases.case_dispatch(case=dispatched, actor=desk.dispatcher, unit=c.government_a)
    signed = intake("三号路口水管漏水。")
    cases.case_dispatch(case=signed, actor=desk.dispatcher, unit=c.government_a)
    cases.case_sign_for(case=signed, actor=c.township_clerk)
    replied = intake("四号路口水管漏水。")
    cases.case_dispatch(case=replied, actor=desk.dispatcher, unit=c.government_a)
    cases.case_sign_for(case=replied, actor=c.township_clerk)
    cases.case_plan(case=replied, actor=c.township_clerk, plan="派人维修")
    cases.case_reply(case=replied, actor=c.township_clerk, reply="已修好")
    appeal = scoreboard.appeal_submit(actor=c.township_clerk, case=signed, reason="不属于本镇")
    _key, plain = apikey_create(actor=None, name="FixMyStreet")
    actors = {
        "anonymous": None,
        "resident": c.resident,
        "township_clerk": c.township_clerk,
        "dispatcher": desk.dispatcher,
        "administrator": c.administrator,
    }
    world = World(
        desk=desk,
        road=road,
        cases=[collected, dispatched, signed, replied],
        attachment=collected.attachments.get(),
        appeal_id=appeal.pk,
        api_key=plain,
        actors=actors,
    )
    for extend in world_extensions():
        extension = extend(desk)
        world.paths.update(extension.get("paths", {}))
        world.form.update(extension.get("form", {}))
    for name, user in actors.items():
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if user is not None:
            client.force_login(user)
            world.tokens[name] = api_token_create(
                actor=None, user=user, name="junk", scopes=SCOPES
            )[1]
        world.clients[name] = client
        world.cookies[name] = copy.deepcopy(client.cookies)
    return world


def world_extensions() -> list[Callable[[CaseDesk], dict[str, dict[str, Any]]]]:
    """Each app's `tests/junk_world.py::junk_world(desk)`, when it has one: the objects it creates
    in the small county, as {"paths": {path parameter: value}, "form": {field: valid value}}, so
    junk reaches past the app's lookups. Path parameter names are the app's own (`proposal_id`)."""
    import importlib

    from django.apps import apps as django_apps

    found = []
    for config in django_apps.get_app_configs():
        if not config.name.startswith("wenmin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.junk_world")
        except ModuleNotFoundError:
            continue
        found.append(module.junk_world)
    return found


# Path values ----------------------------------------------------------------------------------


def _admin_object(name: str) -> str:
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return str(first or 1)
    return "1"


def path_value(world: World, route: Route, argument: str, n: int) -> str:
    """A real value for a path parameter (so the view runs past its lookup)."""
    c = world.desk.county
    case = world.case(n)
    values: dict[str, Callable[[], Any]] = {
        "region_id": lambda: c.village_a.pk,
        "unit_id": lambda: c.government_a.pk,
        "person_id": lambda: c.cadre_department.pk,
        "field": lambda: "phone",
        "sheet": lambda: ("regions", "units", "people")[n % 3],
        "case_id": lambda: case.pk,
        "action": lambda: list(ACTIONS)[n % len(ACTIONS)],
        "attachment_id": lambda: world.attachment.pk,
        "code": lambda: (
            c.village_a.code
            if "regions" in route.route
            else c.government_a.code
            if "units" in route.route
            else case.tracking_code
        ),
        "token": lambda: case.tracking_code,
        "group": lambda: ("township", "department", "branch", "cadre")[n % 4],
        "pk": lambda: (c.township_a.pk, c.department.pk, c.branch_a.pk, c.cadre_department.pk)[
            n % 4
        ],
        "appeal_id": lambda: world.appeal_id,
        "service_code": lambda: ("water", "road", "water.leak")[n % 3],
        "service_request_id": lambda: case.number,
        "number": lambda: case.number,
        "format": lambda: ("json", "xml")[n % 2],
        "app_label": lambda: "cases",
        "object_id": lambda: _admin_object(route.name),
        "content_type_id": lambda: 1,
        "url": lambda: "",
    }
    if argument in world.paths:
        return str(world.paths[argument])
    make = values.get(argument)
    return str(make()) if make else "1"


# How many distinct real values a path parameter takes in path_value (n = 0, 1, …).
VARIANTS = {"action": len(ACTIONS), "group": 4, "sheet": 3, "service_code": 3}


def variants(route: Route) -> range:
    """The n for which path_value gives each of a route's distinct real paths."""
    return range(max([1, *(VARIANTS.get(argument, 1) for argument in route.arguments)]))


def junk_path_value(argument: str, n: int) -> str:
    if argument in ("format", "app_label", "url"):
        return "json" if argument == "format" else "cases"
    return (HUGE, "0", "%00", "%E2%80%AE", "x" * 300, "-1")[n % 6]


def url_of(world: World, route: Route, n: int, *, junk_path: bool = False) -> str | None:
    """The route with real (or junk) path values; None when it cannot be built."""
    if route.regex and route.name == route.route:  # an unnamed catch-all
        return "/open311/v2/no/such.json" if route.is_open311 else None
    values = {
        a: junk_path_value(a, n) if junk_path else path_value(world, route, a, n)
        for a in route.arguments
    }
    if junk_path:
        path = "/" + route.route
        for argument, value in values.items():
            path = re.sub(rf"<(?:[^:>]+:)?{argument}>|\(\?P<{argument}>[^)]*\)", value, path)
        if "<" in path or "(" in path or "^" in path:
            return None
        return path
    try:
        return reverse(route.name, kwargs=values)
    except Exception:  # noqa: BLE001  (a pattern the value table cannot satisfy)
        return None


# Valid values, so that junk in one parameter reaches the code behind the others ---------------


def form_baseline(world: World) -> dict[str, Any]:
    c, desk = world.desk.county, world.desk
    return {
        **world.form,
        "content": "路口水管漏水三天了。",
        "kind": "help",
        "category": str(desk.water.pk),
        "latitude": "28.41",
        "longitude": "117.61",
        "address": "青石村路口",
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "channel": "phone",
        "urgency": "normal",
        "title": "水管漏水",
        "region": str(c.village_a.pk),
        "note": "已联系",
        "reason": "不属于本单位",
        "plan": "派人维修",
        "reply": "已修好",
        "unit": str(c.government_a.pk),
        "resolved": "yes",
        "satisfaction": "5",
        "received_from": "2026-01-01",
        "received_to": "2026-12-31",
        "period": "2026-03",
        "q": "水管",
        "code": world.case(0).tracking_code,
        "case": world.case(2).number,
        "decision": "reject",
        "op": "sign_for",
        "new_due": "2099-12-01T17:30",
        "planned_due": "2099-12-01",
        "group": "township",
        "n": "3",
        "page": "1",
        "notice_read": "on",
        "callback": "on",
    }


def api_baseline(world: World) -> dict[str, Any]:
    c, desk = world.desk.county, world.desk
    return {
        "channel": "phone",
        "content": "路口水管漏水三天了。",
        "kind": "help",
        "urgency": "normal",
        "category": "water",
        "requester_name": "陈明",
        "requester_phone": "18600003333",
        "region": c.village_a.code,
        "latitude": 28.41,
        "longitude": 117.61,
        "extra": {"lanes": "2"},
        "note": "已联系",
        "reason": "不属于本单位",
        "plan": "派人维修",
        "reply": "已修好",
        "unit": c.government_a.code,
        "co_units": [],
        "primary": world.case(1).number,
        "resolved": True,
        "satisfaction": 5,
        "new_due": "2099-12-01T17:30:00+08:00",
        "planned_due": "2099-12-01",
        "received_from": "2026-01-01",
        "limit": 10,
        "q": "水管",
        "coordinator": desk.county.leader.pk,
    }


def open311_baseline(world: World) -> dict[str, Any]:
    return {
        "api_key": world.api_key,
        "service_code": "road",
        "description": "路面塌陷",
        "lat": "28.41",
        "long": "117.61",
        "attribute[lanes]": "2",
        "attribute[damage][]": "pothole",
        "attribute[noticed]": "2026-05-01T08:00:00+08:00",
        "first_name": "明",
        "last_name": "陈",
        "phone": "18600003333",
        "service_request_id": world.case(0).number,
        "status": "open",
        "updated_datetime": "2026-05-01T08:00:00+08:00",
    }


# Sending --------------------------------------------------------------------------------------


def _no_nul_for_the_database(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    """PostgreSQL refuses NUL in text and jsonb; SQLite stores it. Refuse it here as well."""
    rows = params if many else [params]
    for row in rows or ():
        values = row.values() if isinstance(row, dict) else (row or ())
        for value in values:
            if isinstance(value, str) and ("\x00" in value or "\\u0000" in value):
                raise ValueError("PostgreSQL: a string literal cannot contain NUL (0x00)")
    return execute(sql, params, many, context)


def send(
    world: World,
    actor: str,
    method: str,
    url: str,
    route: Route,
    params: dict[str, Any],
    *,
    urlencoded: bool = False,
) -> HttpResponse:
    """One request as this actor, in a transaction rolled back afterwards; the status. A form is
    posted as multipart/form-data (the test client's way), or `urlencoded` as a browser posts a
    form without a file: the same request.POST, parsed in a tenth of the time for the grid's
    thousands of posts of some 170 fields (multipart parsing was a quarter of its time)."""
    client = world.clients[actor]
    client.cookies = copy.deepcopy(world.cookies[actor])
    cache.clear()  # rate limits
    headers: dict[str, str] = {}
    if route.is_api and actor in world.tokens:
        headers["Authorization"] = f"Bearer {world.tokens[actor]}"
    with transaction.atomic(), connection.execute_wrapper(_no_nul_for_the_database):
        try:
            if method == "GET":
                query = {
                    k: v
                    for k, v in params.items()
                    if isinstance(v, str | int | float) and encodable(v)
                }
                response = client.get(url, query, headers=headers)
            elif route.is_api:
                body = json.dumps(params, ensure_ascii=True, allow_nan=True)
                response = client.post(url, body, content_type="application/json", headers=headers)
            else:
                data = {k: _form_value(v) for k, v in params.items()}
                if urlencoded:
                    body = urlencode(data, doseq=True)
                    response = client.post(url, body, content_type=FORM, headers=headers)
                else:
                    response = client.post(url, data, headers=headers)
        finally:
            transaction.set_rollback(True)
    world.answers.append((response.status_code, actor, method, url))
    return response


FORM = "application/x-www-form-urlencoded"


def _form_value(value: Any) -> Any:
    if isinstance(value, list):
        return [str(v) for v in value]
    return str(value)


def encodable(value: Any) -> bool:
    try:
        json.dumps(value).encode("utf-8")
        str(value).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError):
        return False
    return True


def baseline_for(world: World, route: Route) -> dict[str, Any]:
    if route.is_api:
        return api_baseline(world)
    if route.is_open311:
        return open311_baseline(world)
    return form_baseline(world)


def actors_for(route: Route) -> list[str]:
    # The admin lets in only the administrator; everyone else meets its login page.
    return ["anonymous", "administrator"] if route.is_admin else list(ACTORS)


ACTORS = ("anonymous", "resident", "township_clerk", "dispatcher", "administrator")


def safely(
    world: World,
    actor: str,
    method: str,
    url: str,
    route: Route,
    params: dict[str, Any],
    failures: list[str],
    *,
    urlencoded: bool = False,
) -> int:
    try:
        return send(world, actor, method, url, route, params, urlencoded=urlencoded).status_code
    except Exception as error:  # noqa: BLE001  (the test client re-raises a view's exception)
        where = traceback.extract_tb(error.__traceback__)
        frames = [f for f in where if "/wenmin/" in f.filename and "/tests/" not in f.filename]
        place = " < ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames[-3:]))
        failures.append(
            f"{type(error).__name__}: {error!s:.120} at {place} — {actor} {method} {url}"
        )
        return 0


@functools.cache
def openapi() -> dict[str, Any]:
    """The OpenAPI document (built once: building it takes a while)."""
    return dict(api.get_openapi_schema())


def api_names(route: Route, method: str) -> set[str]:
    """The query parameters and body properties the OpenAPI document gives an operation."""
    schema = openapi()
    components = schema.get("components", {}).get("schemas", {})
    operation_id = route.name.rsplit(":", 1)[-1]
    names: set[str] = set()
    for methods in schema["paths"].values():
        operation = methods.get(method.lower())
        if not operation or operation.get("operationId") != operation_id:
            continue
        names.update(p["name"] for p in operation.get("parameters", []) if p["in"] != "path")
        for content in operation.get("requestBody", {}).get("content", {}).values():
            ref = content.get("schema", {}).get("$ref", "")
            names.update(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
    return names


@contextmanager
def recording(reads: set[str]) -> Iterator[None]:
    """Note every name a view asks request.GET or request.POST for (by .get or .getlist)."""
    originals = {name: getattr(QueryDict, name) for name in ("get", "getlist")}

    def spy(original: Callable[..., Any]) -> Callable[..., Any]:
        def read(self: QueryDict, key: Any, *args: Any) -> Any:
            if isinstance(key, str):
                reads.add(key)
            return original(self, key, *args)

        return read

    for name, original in originals.items():
        setattr(QueryDict, name, spy(original))
    try:
        yield
    finally:
        for name, original in originals.items():
            setattr(QueryDict, name, original)


# Junk by kind, matched to what a parameter normally holds -----------------------------------

NUMBER_JUNK = (HUGE, "10000000000000000", "-1", "0", "NaN", "inf", "1e400", "１２", "²", "1.5")
DATE_JUNK = (
    "0001-01-01",
    "9999-12-31",
    "0001-01",
    "9999-12",
    "0001-01-01..9999-12-31",
    "9999-12-31T23:59:59+14:00",
    "0001-01-02T00:00:00",
    "2026-02-30",
)
TEXT_JUNK = (
    "\x00",
    "a\x00b",
    "\x1b[2J\x07",
    "\u202egnp.exe",
    '=HYPERLINK("http://evil.example/","点我")',
    "x" * 5000,
    "",
    " ",
)
JSON_TYPE_JUNK: tuple[Any, ...] = (10**30, [], {"\x00": ["\ud800"]})


# The few of each kind that break what is not checked: behind an otherwise valid POST, one
# parameter at a time.
SHORT_JUNK = {
    "number": (HUGE, "NaN", "1e400", "-1", "²"),
    "date": ("0001-01-01", "9999-12-31", "9999-12-31T23:59:59+14:00", "2026-02-30"),
    "text": ("\x00", "\x1b[2J\x07", "x" * 5000, ""),
}


def junk_like(value: Any) -> tuple[Any, ...]:
    """Junk of the kind `value` is (a number, a date, text), and of every kind for no value."""
    text = str(value) if value is not None else None
    if text is None:
        kinds: tuple[Any, ...] = (HUGE, "NaN", "0001-01-01", "9999-12-31T23:59:59+14:00", "\x00")
    elif re.fullmatch(r"-?\d+(\.\d+)?", text) or isinstance(value, int | float):
        kinds = SHORT_JUNK["number"]
    elif re.match(r"\d{4}-\d{2}", text):
        kinds = SHORT_JUNK["date"]
    else:
        kinds = SHORT_JUNK["text"]
    return kinds


@dataclass(frozen=True)
class Probe:
    """Who can use a route with a method, and which parameters it read when they did."""

    actor: str
    reads: tuple[str, ...]


CAPABLE_FIRST = ("dispatcher", "administrator", "township_clerk", "resident", "anonymous")


def probe(world: World, route: Route, method: str, url: str) -> Probe:
    """The first actor (most capable first) whose valid request is neither refused nor sent to
    a login page, and the parameters the route read answering it."""
    fallback: Probe | None = None
    for actor in CAPABLE_FIRST:
        found: set[str] = api_names(route, method) if route.is_api else set()
        with recording(found):
            response = send(world, actor, method, url, route, baseline_for(world, route))
        here = Probe(actor, tuple(sorted(found)))
        if response.status_code == 405:
            return here  # no actor may use this method here
        if response.status_code < 400 and "login" not in response.get("Location", ""):
            return here
        fallback = fallback or here
    assert fallback is not None
    return fallback
