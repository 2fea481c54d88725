"""The answer settings' restrictions: sources and an inclusive UTC date range, as retrieval `Filters` and in words."""
from __future__ import annotations

from collections.abc import Sequence

from .dates import day_range
from .retrieve import Filters


def make_filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> Filters | None:
    """Filters from the settings (dates inclusive, UTC); None when nothing is restricted, so the question's own
    source and date phrases apply as in `assistant ask`. Raises ValueError for an unreadable or empty range."""
    lower, upper = day_range(date_from, date_to)
    filters = Filters(tuple(sources or ()), lower, upper)
    return filters if filters else None


def describe_filters(sources: Sequence[str] | None, date_from: str | None, date_to: str | None) -> str:
    """The settings' restrictions in words ("" for none), shown under the answers they shaped."""
    parts = [", ".join(sources)] if sources else []
    if (date_from or "").strip() or (date_to or "").strip():
        parts.append(f"{(date_from or '').strip() or '…'} to {(date_to or '').strip() or '…'}")
    return "; ".join(parts)
