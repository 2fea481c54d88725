"""Publication dates as numbers: what the stores filter and sort on, and the answer settings' inclusive day ranges."""
from __future__ import annotations

from datetime import datetime, timezone

DAY_S = 86400


def parse_date(value: str) -> int:
    """Seconds since the epoch (UTC) for a date string, or 0 when it has none that can be read."""
    if not value:
        return 0
    from dateutil import parser

    try:
        parsed = parser.parse(value, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return 0
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(parsed.timestamp())


def _day(text: str, label: str) -> int:
    seconds = parse_date(text.strip())
    if not seconds:
        raise ValueError(f"cannot read the {label} date {text!r}; use YYYY-MM-DD")
    return seconds - seconds % DAY_S  # the start of that day (UTC)


def day_range(date_from: str | None, date_to: str | None) -> tuple[int | None, int | None]:
    """[lower, upper) in epoch seconds for inclusive UTC days `date_from`..`date_to` (either may be empty: no bound).
    Raises ValueError naming the date that cannot be read, or saying the range is empty."""
    lower = _day(date_from, "from") if date_from and date_from.strip() else None
    upper = _day(date_to, "to") + DAY_S if date_to and date_to.strip() else None
    if lower is not None and upper is not None and lower >= upper:
        raise ValueError("the 'from' date is after the 'to' date")
    return lower, upper
