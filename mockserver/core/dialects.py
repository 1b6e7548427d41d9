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


def bracketed_form(items: Iterable[tuple[str, object]]) -> dict:
    """`case[subject]=x&case[attachments][1]=f` -> {"case": {"subject": x, "attachments": {"1": f}}}."""
    result: dict = {}
    for name, value in items:
        if not name:  # a part without a (readable) name has nowhere to go
            continue
        head, *rest = re.findall(r"[^\[\]]+|\[\]", name) or [name]
        keys = [head, *[k for k in rest]]
        node = result
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                break
        else:
            last = keys[-1]
            if last == "[]":
                node.setdefault("_list", []).append(value)
            else:
                node[last] = value
    return result
