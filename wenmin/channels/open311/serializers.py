"""GeoReport v2 documents as XML (required by the spec) and JSON, and errors in the spec's format.

A document is built once as plain Python data; `render` writes it either way. In XML a list is a
wrapper element whose children take the singular name the spec gives them (`<services><service>`,
`<service_requests><request>`, `<errors><error>` …).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {XML: "text/xml; charset=utf-8", JSON: "application/json; charset=utf-8"}

# The child element of each list, by the list's name.
ITEM_TAGS: dict[str, str] = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c(moment: dt.datetime | None) -> str | None:
    """A W3C date-time in Beijing time with its offset, e.g. 2026-05-01T09:30:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return w3c(value) or ""
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, tag: str, value: Any) -> None:
    element = ET.SubElement(parent, tag)
    _fill(element, tag, value)


def _fill(element: ET.Element, tag: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        child = ITEM_TAGS.get(tag, "item")
        for item in value:
            _append(element, child, item)
    else:
        element.text = _text(value)


def to_xml(root: str, document: Any) -> bytes:
    """The document under its root element, UTF-8, with the declaration the spec asks for."""
    element = ET.Element(root)
    _fill(element, root, document)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def _json_default(value: Any) -> Any:
    """What json cannot write itself: a moment in W3C form, another mapping or sequence."""
    if isinstance(value, dt.datetime):
        return w3c(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(document: Any) -> bytes:
    """The document as JSON, Chinese kept as it is (json walks it once, asking only about the
    values it cannot write: a thousand requests are 18,000 values)."""
    return json.dumps(document, ensure_ascii=False, default=_json_default).encode("utf-8")


def render(
    fmt: str,
    root: str,
    document: Any,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """One response in the asked format; in JSON the root's name is dropped, as the spec shows."""
    body = to_json(document) if fmt == JSON else to_xml(root, document)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES.get(fmt, XML))
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def errors_document(status: int, descriptions: Sequence[str]) -> list[dict[str, Any]]:
    """[{"code": …, "description": …}, …]: one entry per problem."""
    return [{"code": status, "description": str(text)} for text in descriptions]


def render_errors(
    fmt: str,
    status: int,
    descriptions: Sequence[str],
    *,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """The spec's error list with its HTTP status (400, 403, 404; 429 for the rate limit)."""
    return render(
        fmt if fmt in FORMATS else XML,
        "errors",
        errors_document(status, descriptions),
        status=status,
        headers=headers,
    )
