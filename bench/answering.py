"""Part 3: end-to-end answering latency of `Assistant.stream` per generator, on the 609-article index.

The extractive generator answers the first dev questions (abstentions included: they are real answers
too). The generative ones (SmolLM2-135M in-process through llama-cpp-python, and the same model behind a
real `python -m llama_cpp.server` for the openai backend) answer the first questions the extractive run
did *not* abstain on, so every timed question reaches generation (abstaining is decided before it).
Per generator: time to first token (the first streamed piece), total, the generation's tokens/s (streamed
pieces per second of generation: llama.cpp streams one token per piece), and RSS of the answering process
(and, for openai, of the model server). Each generator runs in its own process after `Assistant.warm_up()`.
"""
from __future__ import annotations

import time
from pathlib import Path

from .harness import Config, in_subprocess, load_question_texts, log, rss_mb, smollm2_server

QUESTIONS = {"extractive": 60, "generative": 15}
QUICK_QUESTIONS = {"extractive": 20, "generative": 3}
STAGES = ("condense", "analyse", "retrieve", "read", "generate", "check")  # Answer.timings_ms keys, in chain order


def measure(index_dir: Path, questions: list[str], backend: str, openai_base_url: str = "") -> dict:
    """Answer `questions` with `backend` (run in its own process); per-question timings and their percentiles."""
    from assistant.chain import Assistant
    from assistant.config import Settings
    from assistant.evaluate import percentiles

    settings = Settings(index_dir=index_dir, generator=backend, openai_base_url=openai_base_url, openai_model="smollm2")
    started = time.perf_counter()
    assistant = Assistant(settings)
    assistant.warm_up()
    warm_up_s = round(time.perf_counter() - started, 2)
    rss_warm = rss_mb()
    rows = []
    for question in questions:
        began = time.perf_counter()
        first = None
        pieces = 0
        answer = None
        for event in assistant.stream(question):
            if event["type"] == "token":
                pieces += 1
                first = first if first is not None else (time.perf_counter() - began) * 1000
            else:
                answer = event["answer"]
        generate_ms = answer.timings_ms.get("generate", 0.0)
        rows.append({"question": question, "abstained": answer.abstained, "first_token_ms": first,
                     "total_ms": (time.perf_counter() - began) * 1000, "pieces": pieces, "generate_ms": generate_ms,
                     "stages_ms": answer.timings_ms})
    generated = [r for r in rows if r["pieces"]]
    answered = [r["total_ms"] for r in rows if not r["abstained"]]
    first_tokens = [r["first_token_ms"] for r in generated]
    stages = [stage for stage in STAGES if any(stage in r["stages_ms"] for r in rows)]
    return {
        "backend": backend, "questions": len(rows), "abstained": sum(r["abstained"] for r in rows),
        "reached_generation": len(generated),
        "warm_up_s": warm_up_s, "rss_warm_mb": rss_warm, "rss_end_mb": rss_mb(),
        "total_ms": percentiles([r["total_ms"] for r in rows]),
        "total_ms_answered": percentiles(answered) if answered else None,
        "first_token_ms": percentiles(first_tokens) if first_tokens else None,
        "tokens_per_s": round(sum(r["pieces"] for r in generated) / max(1e-9, sum(r["generate_ms"] for r in generated) / 1000), 1)
        if generated and backend != "extractive" else None,  # the extractive generator yields its answer in one piece
        "stage_ms": {stage: percentiles([r["stages_ms"][stage] for r in rows if stage in r["stages_ms"]]) for stage in stages},
        "rows": rows,
    }


def _peak_rss_mb(pid: int) -> float | None:
    """Peak resident set size (VmHWM) of a running process, in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def run(cfg: Config) -> dict:
    counts = QUICK_QUESTIONS if cfg.quick else QUESTIONS
    questions = load_question_texts(cfg.questions, counts["extractive"])
    index_dir = cfg.state["index_dir"]
    log(f"answering: extractive on {len(questions)} dev questions")
    results = {"extractive": in_subprocess(measure, index_dir, questions, "extractive")}
    answered = [r["question"] for r in results["extractive"]["rows"] if not r["abstained"]][:counts["generative"]]
    answered = answered or questions[:counts["generative"]]  # none answered: time the abstentions, said in the report
    cfg.state["answered_questions"] = answered  # the profiles part profiles answers to these
    log(f"answering: llamacpp and openai (llama_cpp.server) on {len(answered)} questions that reach generation")
    results["llamacpp"] = in_subprocess(measure, index_dir, answered, "llamacpp")
    with smollm2_server() as (base_url, server):
        results["openai"] = in_subprocess(measure, index_dir, answered, "openai", base_url)
        results["openai"]["server_peak_rss_mb"] = _peak_rss_mb(server.pid)
    for backend, result in results.items():
        log(f"  {backend}: total p50 {result['total_ms']['p50']} ms, p95 {result['total_ms']['p95']} ms, "
            f"first token p50 {(result['first_token_ms'] or {}).get('p50')} ms, {result['tokens_per_s']} tokens/s")
    return {"generators": results, "questions_extractive": len(questions), "questions_generative": len(answered)}
