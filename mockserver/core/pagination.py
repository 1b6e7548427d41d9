"""Pagination: slicing a result set, and the list envelope styles vendors choose by name."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence


@dataclass(frozen=True)
class Page:
    items: Sequence[Any]
    page: int
    limit: int
    total: int

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1


def paginate(items: Sequence[Any], page: int, limit: int) -> Page:
    """One page of `items`; a page 0 (where a vendor's spec admits it) is the first page."""
    page = max(page, 1)
    start = (page - 1) * limit
    return Page(items[start:start + limit], page, limit, len(items))


def _data_meta(page: Page, rows: list, item_key: str | None) -> dict:
    return {"data": rows, "meta": {"page": page.page, "limit": page.limit, "total": page.total}}


def _keyed(count_name: str | None) -> Callable[[Page, list, str | None], dict]:
    def build(page: Page, rows: list, item_key: str | None) -> dict:
        body: dict[str, Any] = {str(i): ({item_key: row} if item_key else row)
                                for i, row in enumerate(rows)}
        if count_name:
            body[count_name] = page.total
        return body
    return build


def _keyed_last_page(page: Page, rows: list, item_key: str | None) -> dict:
    body = _keyed(None)(page, rows, item_key)
    body["last_page"] = page.page >= page.last_page
    return body


STYLES: dict[str, Callable[[Page, list, str | None], Any]] = {
    # {"data": [...], "meta": {"page", "limit", "total"}}
    "data_meta": _data_meta,
    # {"0": {"case": {...}}, "1": ..., "total_count": N}
    "keyed_total": _keyed("total_count"),
    # the same with "count"
    "keyed_count": _keyed("count"),
    # the same with no count at all
    "keyed": _keyed(None),
    # keyed rows and a boolean "last_page" instead of a count
    "keyed_last_page": _keyed_last_page,
    # a bare JSON array
    "array": lambda page, rows, item_key: rows,
}


def envelope(style: str, page: Page, rows: list, item_key: str | None = None) -> Any:
    return STYLES[style](page, rows, item_key)
