"""The answer settings' restrictions: sources and an inclusive UTC date range, as retrieval `Filters` and in words."""
from __future__ import annotations

from collections.abc import Sequence

from .retrieve import Filters
from .store import parse_date

DAY_S = 86400


def _day(text: str, label: str) -> int:
    seconds = parse_date(text.strip())
    if not seconds:
        raise ValueError(f"cannot read the {label} date {text!r}; use YYYY-MM-DD")
    return seconds - seconds % DAY_S  # the start of that day (UTC)


def make_filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> Filters | None:
    """Filters from the settings (dates inclusive, UTC); None when nothing is restricted, so the question's own
    source and date phrases apply as in `assistant ask`. Raises ValueError for an unreadable or empty range."""
    lower = _day(date_from, "from") if date_from and date_from.strip() else None
    upper = _day(date_to, "to") + DAY_S if date_to and date_to.strip() else None
    if lower is not None and upper is not None and lower >= upper:
        raise ValueError("the 'from' date is after the 'to' date")
    filters = Filters(tuple(sources or ()), lower, upper)
    return filters if filters else None


def describe_filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> str:
    """The settings' restrictions in words ("" for none), shown under the answers they shaped."""
    parts = [", ".join(sources)] if sources else []
    if (date_from or "").strip() or (date_to or "").strip():
        parts.append(f"{(date_from or '').strip() or '…'} to {(date_to or '').strip() or '…'}")
    return "; ".join(parts)
