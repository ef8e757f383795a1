"""GeoReport v2's two formats: XML (required) and JSON (optional), from one tree of values.

The standard's JSON is a mapping of its XML (the "Spark convention"): a list named `services`
is an element holding one `service` element per entry in XML, and a plain array in JSON; the
document's root is the root element in XML and the list or object itself in JSON.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web


class Format(StrEnum):
    XML = "xml"
    JSON = "json"


CONTENT_TYPES = {Format.XML: "text/xml", Format.JSON: "application/json"}
# The element each entry of a list gets in XML.
ENTRY = {"services": "service", "service_requests": "request", "errors": "error", "endpoints": "endpoint",
         "formats": "format", "attributes": "attribute", "values": "value"}
# Characters XML 1.0 cannot carry at all (text the city's platform wrote may hold them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


def format_of(name: str) -> Format | None:
    try:
        return Format(name)
    except ValueError:
        return None


def response(fmt: Format, root: str, data: Any, status: int = 200,
             headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(body=render(fmt, root, data), status=status, headers=headers,
                        content_type=CONTENT_TYPES[fmt], charset="utf-8")


def render(fmt: Format, root: str, data: Any) -> bytes:
    if fmt is Format.JSON:
        return json.dumps(data, ensure_ascii=False).encode("utf-8")
    out = [DECLARATION]
    _element(root, data, out)
    # Once over the document: the markup itself holds none of these characters.
    return NOT_XML.sub("", "".join(out)).encode("utf-8")


def _element(name: str, value: Any, out: list[str]) -> None:
    if value is None:
        out.append(f"<{name}/>")
    elif isinstance(value, dict):
        out.append(f"<{name}>")
        for key, child in value.items():
            _element(key, child, out)
        out.append(f"</{name}>")
    elif isinstance(value, list):
        out.append(f"<{name}>")
        entry = ENTRY[name]
        for child in value:
            _element(entry, child, out)
        out.append(f"</{name}>")
    elif isinstance(value, bool):
        out.append(f"<{name}>{'true' if value else 'false'}</{name}>")
    else:
        text = value if isinstance(value, str) else str(value)
        if "&" in text or "<" in text or ">" in text:
            text = escape(text)
        out.append(f"<{name}>{text}</{name}>")


def errors(fmt: Format, status: int, description: str, headers: dict[str, str] | None = None) -> web.Response:
    """The standard's error document: a list of {code, description}; the code is the HTTP status."""
    return response(fmt, "errors", [{"code": status, "description": description}], status, headers)
