"""What the journal keeps of one exchange: headers and bodies, bounded and with secrets masked.

Secrets are whatever carries a credential: `Authorization`, cookies, the headers and query
parameters the spec's `securitySchemes` name (read from the spec, so a new vendor's key header is
masked without code), and body fields named like a password, secret, token or API key. A masked
value keeps a short prefix when it is long enough to say which key it was (`dc_l***`), else it
is `***`; HTTP Basic keeps its user name (`Basic jane@acme.com:***`).

Bodies are kept up to `BODY_BOUND` bytes each, as text with their media type and full size;
multipart bodies as a list of their parts (names, file names, sizes; never file bytes), other
binary bodies as their size only. This runs on every request, so it stays cheap: the bytes
already read are sliced, not copied whole, masking is one regex pass over the kept text, and
turning a complete JSON text back into JSON waits until the journal is read (`present_body`).
"""
from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from typing import Iterable, Mapping
from urllib.parse import unquote_plus

import orjson

log = logging.getLogger("mockserver")
BODY_BOUND = 8 * 1024  # bytes kept of each request and response body
PART_VALUE_BOUND = 256  # characters kept of one text field of a multipart form
MASK = "***"
PREFIX_FROM = 12  # a secret of this length or more keeps its first PREFIX characters
PREFIX = 4

ALWAYS_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie",
                                   "set-cookie"})
# a body field or query parameter whose name contains one of these carries a secret
SECRET_WORDS = r"pass(?:word|wd|phrase)|secret|token|api[_-]?key|private[_-]?key"
TEXTUAL = ("json", "text/", "xml", "x-www-form-urlencoded", "javascript", "csv", "yaml")


def mask(value: str) -> str:
    return value[:PREFIX] + MASK if len(value) >= PREFIX_FROM else MASK


class Masking:
    """The secret names of one vendor's spec, compiled once at load."""

    def __init__(self, headers: Iterable[str] = (), params: Iterable[str] = ()):
        self.headers = ALWAYS_SECRET_HEADERS | {h.lower() for h in headers}
        params = [p.lower() for p in params]
        self._words = re.compile("|".join([SECRET_WORDS, *(re.escape(p) for p in params)]))
        # a cheap first look (substrings of the lowered text) before any regex runs
        self._hints = ("pass", "secret", "token", "key", *params)

    def _may_hold_secrets(self, text: str) -> bool:
        low = text.lower()
        return any(hint in low for hint in self._hints)

    def is_secret_field(self, name: str) -> bool:
        return self._words.search(name.lower()) is not None

    @classmethod
    def from_spec(cls, document: Mapping) -> "Masking":
        schemes = (document.get("components") or {}).get("securitySchemes") or {}
        headers, params = [], []
        for scheme in schemes.values():
            if scheme.get("type") == "apiKey" and scheme.get("name"):
                (headers if scheme.get("in", "header") == "header" else params).append(
                    scheme["name"])
        return cls(headers, params)

    # headers, query ------------------------------------------------------------------------
    # Each method masks what it is given and adds the secret values it met to `found`, so the
    # rest of the exchange (a response that echoes a key or a password) is scrubbed of them.
    def headers_of(self, items: Iterable[tuple[str, str]], found: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, value in items:
            lower = name.lower()
            if lower in self.headers:
                value = self._mask_header(lower, value, found)
            out[name] = f"{out[name]}, {value}" if name in out else value
        return out

    def _mask_header(self, lower: str, value: str, found: list[str]) -> str:
        if lower in ("authorization", "proxy-authorization"):
            scheme, _, secret = value.strip().partition(" ")
            if not secret:
                found.append(scheme)
                return mask(scheme)
            secret = secret.strip()
            found.append(secret)
            if scheme.lower() == "basic":
                try:
                    user, _, password = base64.b64decode(secret, validate=True).decode(
                        ).partition(":")
                except (binascii.Error, ValueError):
                    return f"{scheme} {MASK}"
                found.append(password)
                return f"{scheme} {user}:{MASK}"
            return f"{scheme} {mask(secret)}"
        if lower == "cookie":
            return "; ".join(_mask_pair(p.strip(), found) for p in value.split(";"))
        if lower == "set-cookie":
            first, sep, attrs = value.partition(";")
            return _mask_pair(first.strip(), found) + sep + attrs
        found.append(value)
        return mask(value)

    def query(self, text: str, found: list[str]) -> str:
        return self._form_text(text, found) if text else text

    # bodies ------------------------------------------------------------------------------
    def text(self, text: str, media_type: str, found: list[str]) -> str:
        if "json" in media_type:
            if self._may_hold_secrets(text):
                text = _JSON_PAIR.sub(lambda m: self._json_pair(m, found), text)
        elif "x-www-form-urlencoded" in media_type:
            text = self._form_text(text, found)
        return scrub(text, found)

    def _form_text(self, text: str, found: list[str]) -> str:
        if not self._may_hold_secrets(text):
            return text
        return "&".join(self._form_pair(pair, found) for pair in text.split("&"))

    def _json_pair(self, match: re.Match, found: list[str]) -> str:
        if not match.group(3) or not self.is_secret_field(match.group(1)):
            return match.group(0)
        found.append(match.group(3))
        shown = mask(match.group(3))
        return f'"{match.group(1)}"{match.group(2)}"{MASK if chr(92) in shown else shown}"'

    def _form_pair(self, pair: str, found: list[str]) -> str:
        name, eq, value = pair.partition("=")
        if not (eq and value and self.is_secret_field(unquote_plus(name))):
            return pair
        found += [value, unquote_plus(value)]
        return f"{name}={mask(value)}"


# a JSON object member whose value is a string: "name": "value" (escapes kept whole)
_JSON_PAIR = re.compile(r'"([^"\\]{1,80})"(\s*:\s*)"([^"\\]*(?:\\.[^"\\]*)*)"')
SCRUB_FROM = 6  # a secret value this long or longer is also scrubbed wherever else it appears


def _mask_pair(pair: str, found: list[str]) -> str:
    name, eq, value = pair.partition("=")
    found.append(value if eq else name)
    return f"{name}={mask(value)}" if eq else mask(name)


def scrub(text: str, found: Iterable[str]) -> str:
    """`text` with every secret value met so far in the exchange masked where it appears (a
    refusal that quotes the body, an answer that echoes the key)."""
    for secret in found:
        if len(secret) >= SCRUB_FROM and secret in text:
            text = text.replace(secret, mask(secret))
    return text


# -- bodies --------------------------------------------------------------------------------------
def body_of(data: bytes | None, media_type: str | None, masking: Masking, found: list[str],
            size: int | None = None) -> dict | None:
    """A body as the journal keeps it: `{media_type, size, text, truncated}`, or with `omitted`
    instead of `text` for a binary one. `data` may be only the body's first bytes; `size` is then
    the whole body's length."""
    size = len(data or b"") if size is None else size
    if not size:
        return None
    media_type = media_type or ""
    kept = {"media_type": media_type or None, "size": size}
    if media_type and not any(word in media_type for word in TEXTUAL):
        return {**kept, "omitted": "binary"}
    if data is None:
        return {**kept, "omitted": "not read"}
    chunk = data[:BODY_BOUND] if len(data) > BODY_BOUND else data
    return {**kept, "text": masking.text(chunk.decode("utf-8", "replace"), media_type, found),
            "truncated": size > len(chunk)}


def form_parts(form, files, masking: Masking, found: list[str], size: int | None) -> dict:
    """A multipart body as its parts: text fields with their (bounded, masked) values, files
    with their names and sizes."""
    parts: list[dict] = []
    for name, value in form.items(multi=True):
        name, value = str(name or ""), str(value or "")
        if masking.is_secret_field(name):
            found.append(value)
            shown = mask(value)
        else:
            shown = scrub(value[:PART_VALUE_BOUND], found)
        parts.append({"name": name, "size": len(value.encode()), "value": shown})
    for name, upload in files.items(multi=True):
        parts.append({"name": str(name or ""), "filename": upload.filename,
                      "content_type": upload.content_type, "size": _file_size(upload)})
    return {"media_type": "multipart/form-data", "size": size, "parts": parts}


def _file_size(upload) -> int | None:
    stream = upload.stream
    try:
        here = stream.tell()
        end = stream.seek(0, 2)
        stream.seek(here)
        return end
    except (AttributeError, OSError, ValueError):
        return upload.content_length or None


def present_body(body: dict | None) -> dict | None:
    """A kept body as the journal shows it: a complete JSON text as JSON (`json` for `text`)."""
    if not body or "text" not in body or body.get("truncated") \
            or "json" not in (body.get("media_type") or ""):
        return body
    try:
        value = orjson.loads(body["text"])
    except orjson.JSONDecodeError:  # not JSON, or integers beyond 64 bits
        try:
            value = json.loads(body["text"])
        except ValueError:
            return body
    shown = {k: v for k, v in body.items() if k not in ("text", "truncated")}
    shown["json"] = value
    return shown


def _never_fails(capture):
    """A body the journal cannot make out is kept as its size: recording never fails an answer."""
    def guarded(message, *args):
        try:
            return capture(message, *args)
        except Exception:
            log.exception("the journal could not keep a body")
            return {"media_type": message.mimetype or None,
                    "size": message.content_length, "omitted": "unreadable"}
    guarded.__doc__, guarded.__name__ = capture.__doc__, capture.__name__
    return guarded


@_never_fails
def request_body(request, ctx, masking: Masking, found: list[str]) -> dict | None:
    """The request's body as the journal keeps it, read only as far as the bound when the
    pipeline did not read it already."""
    length = request.content_length
    if not length and getattr(request, "_cached_data", None) is None:
        return None  # most requests: no body, nothing to look at
    media_type = request.mimetype or None
    if media_type == "multipart/form-data":
        if ctx.uploads is not None:  # core.pipeline.read_body parsed it
            return form_parts(request.form, request.files, masking, found, length)
        return body_of(None, media_type, masking, found, length) if length else None
    data = getattr(request, "_cached_data", None)  # what get_data(cache=True) kept
    if data is None and length:
        try:
            data = request.get_data(cache=True) if length <= BODY_BOUND \
                else request.stream.read(BODY_BOUND)
        except Exception:  # the body could not be read as framed: keep what is known
            data = None
    return body_of(data, media_type, masking, found, length or None)


@_never_fails
def response_body(response, masking: Masking, found: list[str]) -> dict | None:
    media_type = response.mimetype or None
    if response.is_streamed:  # a file or a generator: never buffered for the journal
        return body_of(None, media_type, masking, found, response.content_length) \
            if response.content_length else None
    return body_of(response.get_data(), media_type, masking, found)
