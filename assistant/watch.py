"""Keeping feeds current: refresh every feed of an index on a schedule until told to stop.

Contract: `Watcher(index, every_s).run()` refreshes all feeds (`feeds.refresh_feeds`) at once and then every
`every_s` seconds, until `stop` is set; setting it ends the refresh in progress after the article being fetched
(what was fetched is committed) and returns. `refresh_now()` starts the next refresh without waiting. A refresh
that another process is running is skipped (said through `on_event`), and no error ends the loop. `start()` runs
it in a daemon thread (the chat's background refresh); `last` is the last refresh's report.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

from .feeds import RefreshReport, refresh_feeds
from .store import ArticleIndex, IndexBusy, IndexUnavailable

log = logging.getLogger(__name__)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in an interval written like 90s, 15m, 1h or 1h30m (a bare number is minutes); raises ValueError."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        seconds = float(text) * 60
    elif re.fullmatch(r"(?:\d+(?:\.\d+)?[smhd])+", text):
        seconds = sum(float(number) * _UNIT_SECONDS[unit] for number, unit in re.findall(r"(\d+(?:\.\d+)?)([smhd])", text))
    else:
        raise ValueError(f"{text!r} is not an interval; write it like 90s, 15m, 1h or 1h30m")
    if seconds < 1:
        raise ValueError(f"{text!r} is shorter than a second; give an interval like 90s, 15m or 1h")
    return seconds


class Watcher:
    """Refreshes all feeds of `index` every `every_s` seconds (see the module's contract)."""

    def __init__(self, index: ArticleIndex, every_s: float, on_report: Callable[[RefreshReport], None] | None = None,
                 on_event: Callable[[str], None] | None = None):
        self.index, self.every_s = index, every_s
        self.on_report, self.on_event = on_report, on_event or (lambda message: None)
        self.stop = threading.Event()
        self._wake = threading.Event()
        self.last: RefreshReport | None = None
        self.reports: list[RefreshReport] = []
        self._thread: threading.Thread | None = None

    def run(self) -> list[RefreshReport]:
        """Refresh until `stop` is set; returns the reports of the refreshes made."""
        while not self.stop.is_set():
            self._wake.clear()
            self._refresh()
            self._wake.wait(self.every_s)
        return self.reports

    def _refresh(self) -> None:
        try:
            report = refresh_feeds(self.index, stop=self.stop, on_event=self.on_event, lock_timeout_s=0)
        except IndexBusy as exc:
            self.on_event(f"refresh skipped: {exc}")
            return
        except IndexUnavailable as exc:
            self.on_event(f"refresh failed: {exc}")
            return
        except Exception:  # noqa: BLE001 - the loop outlives any one refresh
            log.exception("refreshing the feeds failed")
            self.on_event("refresh failed with an unexpected error (see the log); the next one runs on schedule")
            return
        self.last = report
        self.reports.append(report)
        if self.on_report:
            self.on_report(report)

    def refresh_now(self) -> None:
        """Start the next refresh now (when one is running, right after it)."""
        self._wake.set()

    def request_stop(self) -> None:
        """End the loop: the refresh in progress stops after the article being fetched."""
        self.stop.set()
        self._wake.set()

    def start(self) -> "Watcher":
        """Run in a daemon thread."""
        self._thread = threading.Thread(target=self.run, name="feed-watcher", daemon=True)
        self._thread.start()
        return self

    def close(self, timeout_s: float | None = None) -> None:
        """Stop and wait for the thread (at most `timeout_s`)."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout_s)
