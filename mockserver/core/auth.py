"""Reading credentials off a request, one reader per security scheme style.

The core only extracts what the spec's scheme says is there (an API key in a header or cookie,
HTTP Basic user and password, a bearer token). Deciding who that is, and the vendor's own wording
for each refusal, is the vendor's `authenticate` hook.
"""
from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from typing import Mapping

from flask import Request


@dataclass(frozen=True)
class Credential:
    """What the request carried for one scheme. `present` is False when nothing was sent;
    `malformed` is True when something was sent that the scheme cannot read."""
    scheme: str            # apiKey | basic | bearer
    present: bool
    value: str | None = None
    username: str | None = None
    password: str | None = None
    malformed: bool = False
    name: str | None = None  # the spec's name for the scheme (`bearer`, `session`), if given


def read_credential(request: Request, scheme: Mapping, name: str | None = None) -> Credential:
    """What the request carries for `scheme` (a securitySchemes entry named `name`)."""
    credential = _read(request, scheme)
    return replace(credential, name=name) if name is not None else credential


def _read(request: Request, scheme: Mapping) -> Credential:
    kind = scheme.get("type")
    if kind == "apiKey":
        where = scheme.get("in", "header")
        name = scheme["name"]
        # Only the named source is read (request.cookies and .args parse on first use).
        source = (request.headers if where == "header" else
                  request.cookies if where == "cookie" else request.args)
        value = source.get(name)
        return Credential("apiKey", value is not None, value)
    if kind == "http":
        http_scheme = scheme.get("scheme", "").lower()
        header = request.headers.get("Authorization")
        if header is None:
            return Credential(http_scheme, False)
        given, _, rest = header.strip().partition(" ")
        if given.lower() != http_scheme or not rest.strip():
            return Credential(http_scheme, True, header, malformed=True)
        if http_scheme == "basic":
            try:
                user, sep, password = base64.b64decode(rest.strip(), validate=True).decode(
                    "utf-8").partition(":")
            except (binascii.Error, ValueError):  # not base64, not ASCII, not UTF-8
                return Credential("basic", True, rest, malformed=True)
            if not sep:
                return Credential("basic", True, rest, username=user, malformed=True)
            return Credential("basic", True, rest, username=user, password=password)
        return Credential(http_scheme, True, rest.strip())
    raise ValueError(f"unsupported security scheme type {kind!r}")
