"""`python -m bench`: run the benchmark parts, write results.json, report.md and charts, print a summary.

Environment: BENCH_QUICK=1 (40 articles, 50 questions, 2 scale points; results go to bench/results/tmp-quick),
BENCH_BUDGET_S (seconds the whole run may take, default 5400: the scale part grows the index to 100x (577k chunks)
and measures freshness at every size, ~35 min here), BENCH_OUT (results folder),
BENCH_TMP (parent of the scratch folder), BENCH_KEEP=1 (keep the scratch indexes).
BENCH_PARTS=retrieval,scale (for example) re-runs only those parts and replaces them in the existing results;
without indexing, they use the index in BENCH_INDEX_DIR (e.g. `ours` in a scratch folder kept with BENCH_KEEP=1).
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
import traceback
from pathlib import Path

from . import answering, cold_start, indexing, profiles, report, retrieval, scale
from .harness import ROOT, Config, log

# Run order: scale goes last because it takes whatever time the budget has left.
PARTS = {"indexing": indexing.run, "retrieval": retrieval.run, "answering": answering.run, "cold_start": cold_start.run,
         "profiles": profiles.run, "scale": scale.run}


def environment() -> dict:
    import psutil
    from importlib.metadata import version

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "load_avg_start": [round(x, 2) for x in os.getloadavg()], "git_commit": commit or None,
            "versions": {name: version(name) for name in ("chromadb", "langchain-chroma", "sentence-transformers", "torch", "tantivy")}}


def main() -> int:
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    out = Path(os.environ.get("BENCH_OUT") or ROOT / "bench" / "results" / ("tmp-quick" if quick else "latest"))
    parts = os.environ["BENCH_PARTS"].split(",") if os.environ.get("BENCH_PARTS") else list(PARTS)
    partial = set(parts) != set(PARTS)
    work = Path(tempfile.mkdtemp(prefix="bench-", dir=os.environ.get("BENCH_TMP")))
    # The run writes into a staging folder (git-ignored) that replaces `out` only when the run has finished,
    # so an interrupted run never leaves the last complete results half-deleted.
    staging = out.parent / f"tmp-{out.name}-running"
    shutil.rmtree(staging, ignore_errors=True)
    if partial:
        shutil.copytree(out, staging)
    staging.mkdir(parents=True, exist_ok=True)
    cfg = Config(quick=quick, work=work, out=staging, budget_s=float(os.environ.get("BENCH_BUDGET_S", 5400)))
    run_info = {"mode": "quick" if quick else "full", "started_at": time.strftime("%Y-%m-%d %H:%M:%S"),
                "budget_s": cfg.budget_s, "environment": environment()}
    if partial:  # replace some parts of an earlier run's results
        results = json.loads((staging / "results.json").read_text())
        results.setdefault("partial_runs", []).append({"parts": parts, **run_info})
        if "indexing" not in parts:  # the index and part 1's numbers come from the earlier run
            steps = results["indexing"]["steps"]["ours"]
            cfg.state.update(index_dir=Path(os.environ["BENCH_INDEX_DIR"]), chunks=steps["chunks"],
                             ours_chunks_per_s=steps["chunks_per_s"])
    else:
        results = run_info
    log(f"{run_info['mode']} run of {', '.join(parts)}; scratch {work}; results {out} (staged in {staging})")
    try:
        for name, run in PARTS.items():
            if name not in parts:
                continue
            part_started = time.monotonic()
            try:
                results[name] = run(cfg)
            except Exception:  # one failed part must not lose the others' numbers
                log(f"{name} FAILED:\n{traceback.format_exc()}")
                results[name] = {"error": traceback.format_exc()}
            results[name]["part_s"] = round(time.monotonic() - part_started, 1)
            if not partial:
                results["duration_s"] = round(cfg.elapsed(), 1)
            (staging / "results.json").write_text(json.dumps(results, indent=2, default=str))
    finally:
        if os.environ.get("BENCH_KEEP", "") in ("", "0"):
            shutil.rmtree(work, ignore_errors=True)
    run_info["environment"]["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    (staging / "results.json").write_text(json.dumps(results, indent=2, default=str))
    report.write(results, staging)
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    print(report.summary(results))
    log(f"done in {cfg.elapsed():.0f} s; {out / 'report.md'}")
    return 0 if not any(isinstance(v, dict) and "error" in v for v in results.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
