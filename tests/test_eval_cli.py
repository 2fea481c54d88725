"""`assistant eval` as a user runs it: default backend, progress on a pipe, questions.jsonl, the paper row only for
its benchmark, the glossary, and --compare."""
from __future__ import annotations

import io
import itertools

import pytest

from assistant.answer_eval import answerers_for
from assistant.config import Settings
from assistant.evaluate import LineProgress


def test_default_backend_is_the_configured_generator_and_unavailable_ones_are_refused(tmp_path):
    settings = Settings(index_dir=tmp_path / "index")
    assert list(answerers_for(settings)) == ["extractive"]
    with pytest.raises(ValueError, match=r"not available here: openai \(available: extractive"):
        answerers_for(settings, ["openai"])


def test_line_progress_prints_every_interval_and_on_close():
    stream, ticks = io.StringIO(), itertools.count(0, 4)  # every clock reading is 4 s later
    bar = LineProgress("seed: answers (extractive)", 5, stream=stream, interval=10, clock=lambda: float(next(ticks)))
    for _ in range(5):
        bar.set_postfix_str("strict accuracy so far 0.80")
        bar.update(1)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "seed: answers (extractive) 3/5, 12 s, strict accuracy so far 0.80"
    assert lines[-1].startswith("seed: answers (extractive) 5/5, ")
    assert len(lines) == 2  # 4 s after the line at 12 s, 8 s: no line until close
