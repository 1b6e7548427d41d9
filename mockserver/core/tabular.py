"""CSV bodies for vendors that export tables: RFC 4180 text and the file response around it.

One header row, one line per row in the given column order, CRLF after every line, only fields
that need it quoted (the stdlib `csv` module's minimal quoting). Cell formatting is data a vendor
can pass in; the default writes None as an empty field, booleans as true/false and numbers as
Python prints them (invariant culture: `.` as the decimal point).
"""
from __future__ import annotations

import csv
import io
from typing import Any, Callable, Iterable, Mapping, Sequence

from flask import Response


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]],
             fmt: Callable[[Any], str] = cell) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([fmt(row.get(name)) for name in columns])
    return out.getvalue()


def csv_response(columns: Sequence[str], rows: Iterable[Mapping[str, Any]], filename: str,
                 fmt: Callable[[Any], str] = cell, status: int = 200) -> Response:
    """A `text/csv; charset=utf-8` attachment named `filename` (no BOM)."""
    response = Response(csv_text(columns, rows, fmt).encode("utf-8"), status,
                        mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
