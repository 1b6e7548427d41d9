"""Text search dialects. The caret dialect: `^x^` exact, `^x` starts with, `x^` ends with, plain
`x` contains; always case-insensitive. Any vendor can declare its search fields with it."""
from __future__ import annotations

from typing import Callable, Iterable


def caret_mode(raw: str) -> tuple[str, str]:
    """(mode, needle) for a caret pattern; mode is exact, prefix, suffix or contains."""
    starts, ends = raw.startswith("^"), raw.endswith("^") and len(raw) > 1
    needle = raw[1 if starts else 0: len(raw) - 1 if ends else len(raw)]
    mode = {(True, True): "exact", (True, False): "prefix",
            (False, True): "suffix", (False, False): "contains"}[(starts, ends)]
    return mode, needle


def caret_matcher(raw: str, min_length: int = 0) -> Callable[[object], bool]:
    """A matcher for one caret pattern. `min_length` is the vendor's documented minimum for the
    text itself (the carets do not count); a shorter needle raises ValueError."""
    mode, needle = caret_mode(raw)
    if len(needle) < min_length:
        raise ValueError(f"the search text {needle!r} is shorter than {min_length} characters")
    needle = needle.casefold()
    test = {
        "exact": lambda text: text == needle,
        "prefix": lambda text: text.startswith(needle),
        "suffix": lambda text: text.endswith(needle),
        "contains": lambda text: needle in text,
    }[mode]

    def match(value: object) -> bool:
        if value is None:
            return False
        if isinstance(value, (list, tuple)):
            return any(match(v) for v in value)
        return test(str(value).casefold())

    return match


def filter_records(records: Iterable[dict], field_patterns: dict[str, str],
                   read: Callable[[dict, str], object] = lambda r, f: r.get(f)) -> list[dict]:
    """Records where every field matches its caret pattern."""
    matchers = [(f, caret_matcher(p)) for f, p in field_patterns.items()]
    return [r for r in records if all(m(read(r, f)) for f, m in matchers)]
