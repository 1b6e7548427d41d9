"""Query-string dialects: how a vendor's clients spell arrays, normalised before validation.

`plain`: as sent. `php`: `name[]=a`, `name[0]=a` and `a,b` lists all become repeated `name=a`,
the form OpenAPI's `style: form, explode: true` arrays expect. Which names are arrays comes from
the spec, so a scalar that happens to hold a comma is left alone.
"""
from __future__ import annotations

import re
from typing import Iterable

from werkzeug.datastructures import ImmutableMultiDict, MultiDict

_BRACKET = re.compile(r"^([^\[\]]+)\[(\d*)\]$")


def normalise_query(dialect: str, args: ImmutableMultiDict,
                    array_names: Iterable[str]) -> ImmutableMultiDict:
    if dialect == "plain":
        return args
    if dialect != "php":
        raise ValueError(f"unknown query dialect {dialect!r}")
    arrays = set(array_names)
    if not any("[" in name or (name in arrays and ("," in value or not value))
               for name, value in args.items(multi=True)):
        return args  # nothing PHP-shaped: the common case, left as it came
    out = MultiDict()
    for name, value in args.items(multi=True):
        match = _BRACKET.match(name)
        base = match.group(1) if match else name
        if base in arrays:
            for part in (value.split(",") if "," in value else [value]):
                if part != "":
                    out.add(base, part)
        else:
            out.add(name, value)
    return ImmutableMultiDict(out)


def fold_names(args: ImmutableMultiDict, declared: Iterable[str]) -> ImmutableMultiDict:
    """Query names matched case-insensitively (`QueueId` = `queueId`), as ASP.NET binds them."""
    spelling = {name.casefold(): name for name in declared}
    return ImmutableMultiDict([(spelling.get(name.casefold(), name), value)
                               for name, value in args.items(multi=True)])


def bracketed_form(items: Iterable[tuple[str, object]], max_depth: int = 64) -> dict:
    """Form and multipart fields as the nested object PHP (and Rails) build from them:
    `case[subject]=x` -> {"case": {"subject": x}}; `a[]=1&a[]=2` and `a[0]=1&a[1]=2` -> lists;
    a repeated name (`a=1&a=2`, `a[b]=1&a[b]=2`) gives a `Repeated` of its values, which the
    body's schema settles (core.scalars): all of them where it says an array (the exploded
    form generic clients send), else the last one, as PHP keeps. An array with integer keys becomes a JSON list in
    key order, as PHP's json_encode writes a list. The top level is the body, read by name,
    so it stays an object even when every name is a number (`8=x` -> {"8": x})."""
    root: dict = {}
    for name, value in items:
        if not name:  # a part without a (readable) name has nowhere to go
            continue
        match = _NAME.match(name)
        if match is None:
            root[name] = value
            continue
        keys = [match.group(1), *_KEYS.findall(match.group(2))]
        if len(keys) > max_depth:
            raise ValueError(f"the field name {name[:40]!r}… is nested more than {max_depth} "
                             "levels deep")
        node = root
        for i, key in enumerate(keys):
            last = i == len(keys) - 1
            if key == "":  # `[]`: the next integer key
                key = str(1 + max((int(k) for k in node if k.isdigit()), default=-1))
            if last:
                if key in node and not isinstance(node[key], dict):  # a repeated name
                    earlier = node[key]
                    node[key] = Repeated([*earlier, value] if isinstance(earlier, Repeated)
                                         else [earlier, value])
                else:
                    node[key] = value
            else:
                child = node.get(key)
                if not isinstance(child, dict):
                    child = node[key] = {}
                node = child
    return {key: _lists(value) for key, value in root.items()}


class Repeated(list):
    """The values of a name a form repeated, until the schema says whether it is an array."""


_NAME = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_KEYS = re.compile(r"\[([^\[\]]*)\]")


def _lists(node):
    if not isinstance(node, dict):
        return node
    out = {k: _lists(v) for k, v in node.items()}
    if out and all(k.isdigit() for k in out):
        return [out[k] for k in sorted(out, key=int)]
    return out
