"""results.json -> report.md with PNG charts, and the summary table printed at the end of a run."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from .retrieval import STAGES, TARGETS_MS

KNOWN = ("indexing", "retrieval", "scale", "profiles", "answering", "cold_start")


def _table(header: list[str], rows: list[list]) -> list[str]:
    fmt = lambda v: "-" if v is None else (f"{v:,}" if isinstance(v, int) and not isinstance(v, bool) else str(v))  # noqa: E731
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]


def _n(value: float | None, spec: str = "") -> str:
    return "-" if value is None else format(value, spec)


def _pcts(p: dict | None) -> str:
    return "-" if p is None else f"{p['p50']} / {p['p95']}"


def _ok(flag: bool | None) -> str:
    return "-" if flag is None else ("PASS" if flag else "FAIL")


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


# --- summary (stdout) ----------------------------------------------------------------------------
def summary_rows(results: dict) -> list[tuple[str, str, str]]:
    """(metric, value, target) rows of the headline numbers."""
    rows: list[tuple[str, str, str]] = []
    ix = results.get("indexing", {})
    if "steps" in ix:
        o, r = ix["steps"]["ours"], ix["ratios"]
        rows += [("indexing: ours work / total s", f"{o['work_s']} / {o['total_s']}", ""),
                 ("indexing: articles/s, chunks/s", f"{o['articles_per_s']}, {o['chunks_per_s']}", ""),
                 ("indexing: peak RSS MiB", str(o["peak_rss_mb"]), ""),
                 ("ours / floor (work, total)", f"{r['ours_over_floor_work']}, {r['ours_over_floor_total']}", "close to 1"),
                 ("ours / tutorial (work, total)", f"{r['ours_over_tutorial_work']}, {r['ours_over_tutorial_total']}", ""),
                 ("re-index unchanged: s, % of first", f"{ix['steps']['reindex']['total_s']}, {r['reindex_pct_of_first_total']}%",
                  f"< 5% {_ok(r['reindex_pct_of_first_total'] is not None and r['reindex_pct_of_first_total'] < 5)}")]
    rt = results.get("retrieval", {})
    if "stages_ms" in rt:
        for stage, label in STAGES.items():
            if stage in rt["stages_ms"]:
                p = rt["stages_ms"][stage]
                target = f"p50 < 30, p95 < 80 {_ok(rt['meets_targets'])}" if stage == "total" else ""
                rows.append((f"retrieval {label} p50/p95/p99 ms", f"{p['p50']} / {p['p95']} / {p['p99']}", target))
    for backend, g in results.get("answering", {}).get("generators", {}).items():
        rows.append((f"answering {backend}: total p50/p95 ms, first token p50/p95 ms, tokens/s, RSS MiB",
                     f"{g['total_ms']['p50']} / {g['total_ms']['p95']}, {_pcts(g['first_token_ms'])}, "
                     f"{_n(g['tokens_per_s'])}, {g['peak_rss_mb']}" + (f" (+ server {g['server_peak_rss_mb']})" if g.get("server_peak_rss_mb") else ""),
                     f"{g['questions']} questions"))
    cs = results.get("cold_start", {})
    if "ask" in cs:
        rows += [("cold start: assistant ask (new process), s", str(cs["ask"]["median_s"]), f"<= 5 {_ok(cs['ask']['median_s'] <= 5)}"),
                 ("cold start: assistant chat, one answer then /quit, s", str(cs["chat"]["median_s"]), ""),
                 ("assistant ask --server (app running), s", str(cs["ask_server"]["median_s"]),
                  f"<= 1.5 {_ok(cs['ask_server']['median_s'] <= 1.5)}")]
    sc = results.get("scale", {})
    for p in sc.get("points", []) + sc.get("extrapolated", []):
        rows.append((f"scale {p['multiple']}x ({p['chunks']:,} chunks)",
                     f"p95 {_n(p.get('p95_ms'))} ms (w/o embedding {_n(p['search_p95_ms'])}), RSS {_n(p['peak_rss_mb'], '.0f')} MiB, "
                     f"disk {_n(p['disk_mb'], '.0f')} MiB"
                     + (f", freshness {_n(p['freshness_ms'])} ms, cold first query {_n(p['cold_first_query_ms'])} ms"
                        if p["measured"] else ""), "measured" if p["measured"] else "extrapolated"))
    if sc.get("limits", {}).get("first"):
        rows.append(("single machine enough up to", f"~{sc['limits']['first']:,} chunks", "then Chroma server mode"))
    for name, value in results.items():
        if isinstance(value, dict) and "error" in value:
            rows.append((f"{name}", "FAILED", value["error"].strip().splitlines()[-1][:60]))
    return rows


def summary(results: dict) -> str:
    rows = [("metric", "value", "target")] + summary_rows(results)
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{results['mode']} benchmark, {results.get('duration_s', 0):.0f} s"]
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


# --- report.md sections -----------------------------------------------------------------------------
def _indexing(ix: dict, out: Path) -> list[str]:
    steps, r = ix["steps"], ix["ratios"]
    names = {"floor": "floor: embedding model alone", "ours": "ours: ArticleIndex.index_articles",
             "tutorial": "LangChain tutorial (1000/200 splitter + Chroma.from_documents)", "reindex": "ours, re-index unchanged corpus"}
    rows = [[names[k], s["articles"], s["chunks"], s["model_load_s"], s["work_s"], s["total_s"], s["articles_per_s"],
             s["chunks_per_s"], s["peak_rss_mb"], s.get("disk_mb")] for k, s in steps.items()]
    plt = _plt()
    figure, axis = plt.subplots(figsize=(8, 3.2))
    labels = list(steps)
    axis.barh(labels, [steps[k]["model_load_s"] for k in labels], label="model load (incl. imports)", color="#bbb")
    axis.barh(labels, [steps[k]["work_s"] for k in labels], left=[steps[k]["model_load_s"] for k in labels], label="work")
    axis.invert_yaxis()
    axis.set_xlabel("seconds")
    axis.set_title("Indexing wall time (each step in its own process)")
    axis.legend(fontsize=8, loc="lower right")
    figure.tight_layout()
    figure.savefig(out / "indexing.png", dpi=110)
    plt.close(figure)
    floor = steps["floor"]
    return [
        "## 1. Indexing", "",
        *_table(["step", "articles", "chunks", "model load s", "work s", "total s", "articles/s", "chunks/s", "peak RSS MiB", "disk MiB"], rows), "",
        f"- ours / floor: **{r['ours_over_floor_work']}x** without model load, {r['ours_over_floor_total']}x with it "
        f"(floor = the model encoding the same {floor['chunks']} embed texts at the same batch size; cutting them takes {floor['chunking_s']} s on its own).",
        f"- ours / tutorial: **{r['ours_over_tutorial_work']}x** without model load, {r['ours_over_tutorial_total']}x with it; "
        f"per chunk {r['ours_over_tutorial_per_chunk']}x (the tutorial cuts {steps['tutorial']['chunks']} chunks of up to 1000 characters).",
        f"- re-index of the unchanged corpus: {steps['reindex']['total_s']} s = **{r['reindex_pct_of_first_total']}%** of the first run "
        f"with model load ({r['reindex_pct_of_first_work']}% of its work alone); target < 5%: "
        f"{_ok(r['reindex_pct_of_first_total'] < 5)}. Embedding model loaded: {steps['reindex'].get('model_loaded')}.",
        *([] if floor.get("chunker_gives_same_texts", True) else [
            "- **warning**: chunking the articles now gives other texts than the index stored: the code changed during the run."]),
        "- model load = importing the embedding stack, loading all-MiniLM-L6-v2 and one warm-up encode; work excludes it; "
        "peak RSS is the whole process's (`ru_maxrss`).", "",
        "![indexing](indexing.png)", ""]


def _retrieval(rt: dict, out: Path) -> list[str]:
    stages = [s for s in STAGES if s in rt["stages_ms"]]
    rows = [[STAGES[s], *(rt["stages_ms"][s][q] for q in ("p50", "p95", "p99"))] for s in stages]
    rows.append(["wall time of search() incl. Passage building", *(rt["wall_ms"][q] for q in ("p50", "p95", "p99"))])
    plt = _plt()
    figure, axis = plt.subplots(figsize=(10, 4))
    width = 0.27
    for n, q in enumerate(("p50", "p95", "p99")):
        axis.bar([i + n * width for i in range(len(stages))], [rt["stages_ms"][s][q] for s in stages], width, label=q)
    axis.set_xticks([i + width for i in range(len(stages))], [textwrap.fill(STAGES[s], 16) for s in stages], fontsize=8)
    axis.axhline(rt["targets_ms"]["p95"], color="red", linestyle=":", label="p95 target (total)")
    axis.set_ylabel("ms")
    axis.set_title(f"Retrieval latency per stage, {rt['chunks']:,} chunks")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out / "retrieval.png", dpi=110)
    plt.close(figure)
    cold = ", ".join(f"{k} {v}" for k, v in rt["cold_first_query_stages_ms"].items())
    return [
        "## 2. Retrieval latency", "",
        f"{rt['questions']} dev questions on the {rt['chunks']:,}-chunk index, after a cold first query and "
        f"warm-up; {rt['questions_with_filters']} of them get source/date filters from the question.", "",
        *_table(["stage", "p50 ms", "p95 ms", "p99 ms"], rows), "",
        f"- targets: total p50 < {rt['targets_ms']['p50']:.0f} ms, p95 < {rt['targets_ms']['p95']:.0f} ms: **{_ok(rt['meets_targets'])}**.",
        *([f"- dense search p50/p95 ms with source/date filters {rt['dense_ms_by_filters']['with_filters']['p50']}/"
           f"{rt['dense_ms_by_filters']['with_filters']['p95']}, without {rt['dense_ms_by_filters']['without_filters']['p50']}/"
           f"{rt['dense_ms_by_filters']['without_filters']['p95']} (Chroma's `where` filter)."] if "dense_ms_by_filters" in rt else []),
        f"- cold first query (open the index, load the model, open the lexical side): {rt['cold_first_query_ms']} ms ({cold}).",
        f"- retriever process: RSS when warm {rt['rss_warm_mb']} MiB, peak {rt['peak_rss_mb']} MiB.", "",
        "![retrieval](retrieval.png)", ""]


def _scale(sc: dict, out: Path) -> list[str]:
    points, extra = sc["points"], sc["extrapolated"]
    def dense(p: dict) -> str:
        split = p.get("dense_ms_by_filters")
        return f"{split['with_filters']['p95']} / {split['without_filters']['p95']}" if split else "-"

    rows = [[f"{p['multiple']}x", p["chunks"], "measured", p["p50_ms"], p["p95_ms"], p["search_p95_ms"], dense(p),
             p["peak_rss_mb"], p["disk_mb"], p["cold_first_query_ms"], p["lexical_open_ms"], p["freshness_ms"],
             _fresh_stages(p), p["freshness_peak_rss_mb"], p["grow"]["chunks_per_s"] if p["grow"] else "(real index)"]
            for p in points]
    rows += [[f"{p['multiple']}x", p["chunks"], "extrapolated", "-", "-", p["search_p95_ms"], "-",
              p["peak_rss_mb"], p["disk_mb"], "-", "-", "-", "-", "-", "-"] for p in extra]
    tail = [points[-1]] + extra

    def plot(axis, key: str, label: str, color: str) -> None:
        axis.plot([p["chunks"] for p in points], [p[key] for p in points], "o-", color=color, label=label)
        if extra and key in extra[0]:
            axis.plot([p["chunks"] for p in tail], [p[key] for p in tail], "x--", color=color, label=f"{label} (extrapolated)")

    plt = _plt()
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    plot(left, "p50_ms", "total p50", "C0")
    plot(left, "p95_ms", "total p95", "C1")
    plot(left, "search_p95_ms", "p95 minus query embedding", "C4")
    left.axhline(TARGETS_MS["p95"], color="red", linestyle=":", label="p95 target (total)")
    left.axhline(sc["limits"]["latency"]["threshold_ms"], color="C4", linestyle=":", label="limit for the part w/o embedding")
    left.set(xscale="log", yscale="log", xlabel="chunks", ylabel="ms", title="Retrieval latency vs index size")
    left.legend(fontsize=7)
    plot(right, "peak_rss_mb", "retriever peak RSS", "C2")
    plot(right, "disk_mb", "index on disk", "C3")
    right.set(xscale="log", yscale="log", xlabel="chunks", ylabel="MiB", title="Memory and disk vs index size")
    right.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(out / "scale.png", dpi=110)
    plt.close(figure)
    lines = [
        "## 3. Scale", "",
        f"Synthetic chunks (no embedding cost): copies of the {sc['base_chunks']:,} real chunks with ~{sc['method']['replaced_sentences']:.0%} "
        "of their sentences replaced by random corpus sentences and two words swapped, and the real embedding plus gaussian "
        f"noise (sigma {sc['method']['noise_sigma']} per dimension) renormalized; same metadata layout as store.py "
        "(copied from the real chunks: same sources and dates), written straight into the Chroma collections with "
        f"precomputed embeddings and committed like an indexing run (lexical documents, then article records). Latency "
        f"from {sc['questions']} dev questions per size, each size measured in a fresh process; \"cold first query\" "
        "counts from opening the index (model load included), \"lexical open\" is its state check and lexical reopen; "
        "\"freshness\" is the median of 5 trials of the time from another process's commit of one new article to the first "
        "query of a running retriever (polling every 50 ms) with it in its top 10, with the stages of that query "
        "(state: Chroma state read, and reopen of the embedded Chroma; lexical: lexical reopen; dense: the first "
        "vector search after the reopen) and the peak RSS of that retriever process.", "",
        *_table(["size", "chunks", "", "total p50 ms", "total p95 ms", "p95 minus embedding ms",
                 "dense p95 ms with / without filters", "peak RSS MiB", "disk MiB", "cold first query ms",
                 "lexical open ms", "freshness ms", "freshness stages ms", "freshness RSS MiB", "insert chunks/s"], rows), ""]
    for p in extra:
        lines.append(f"- {p['multiple']}x not run: {'; '.join(p['reasons'])}."
                     + (f" Building it for real would also take ~{p['embed_hours']} h of embedding at the measured indexing rate."
                        if p.get("embed_hours") else ""))
    split = [p["dense_ms_by_filters"] for p in points if p.get("dense_ms_by_filters")]
    if len(split) >= 2:
        lines.append(f"- dense search p95 without filters goes from {split[0]['without_filters']['p95']} to "
                     f"{split[-1]['without_filters']['p95']} ms over the measured sizes (HNSW), with the question's source/date "
                     f"filters from {split[0]['with_filters']['p95']} to {split[-1]['with_filters']['p95']} ms (Chroma's `where` "
                     "filter); see the profile at the largest size below for the rest of the growth.")
    if extra and extra[0]["search_p95_ms"] is None:
        lines.append("- (fewer than two sizes were measured, so nothing can be extrapolated)")
    lim = sc["limits"]
    lines += ["", "Where one machine (2 cores, one retriever process) stops being enough:", ""]
    for key, value in lim.items():
        if key != "first":
            lines.append(f"- {value['limit']}: at ~{value['chunks']:,} chunks ({value['how']})." if value["chunks"] else
                         f"- {value['limit']}: not reached in the measured range and not growing with size.")
    if lim.get("first"):
        lines += ["", f"**With the retrieval code measured here, the first limit is reached at ~{lim['first']:,} chunks** "
                  f"(~{lim['first'] / sc['base_chunks']:.0f}x this corpus). "
                  "Beyond it, the next step is Chroma's server mode (`ASSISTANT_CHROMA_HOST`/`Settings.chroma_host`, `chroma run`), "
                  "which moves the vector index and its memory out of the app process onto its own machine; the lexical "
                  "index (tantivy, on disk, memory-mapped) then stays one per machine (see the README's \"beyond one machine\")."]
    lines += ["", "![scale](scale.png)", ""]
    if "warm" in sc.get("profile_largest", {}):
        lines += _profile(f"One warm retrieval at {points[-1]['multiple']}x ({points[-1]['chunks']:,} chunks)", sc["profile_largest"]["warm"])
    return lines


def _fresh_stages(p: dict) -> str:
    stages = p.get("freshness_stages_ms") or {}
    return ", ".join(f"{name} {stages[key]}" for key, name in (("state", "state"), ("lexical_refresh", "lexical"),
                                                                ("dense", "dense"), ("total", "total")) if key in stages)


def _profile(title: str, p: dict) -> list[str]:
    files = ", ".join(f"[{kind}]({p[kind]})" for kind in ("html", "text") if kind in p)
    lines = [f"### {title}", "", f"{p['seconds']} s, {p['samples']} samples: {files}.", "",
             "Top functions by self time:", "",
             *_table(["function", "self s", "share"], [[f"`{r['function']}`", r["seconds"], f"{r['share']:.0%}"] for r in p["top_self"]]), ""]
    if p["top_assistant_total"]:
        lines += ["assistant/ functions by total time:", "",
                  *_table(["function", "total s", "share"], [[f"`{r['function']}`", r["seconds"], f"{r['share']:.0%}"] for r in p["top_assistant_total"]]), ""]
    return lines


def _profiles(pr: dict) -> list[str]:
    ix = pr["indexing"]
    return ["## 4. Profiles (pyinstrument; answers: py-spy)", "",
            *_profile(f"Indexing {ix['articles']} articles ({ix['chunks']} chunks), model already loaded", ix),
            *_profile("One retrieval, cold (opens the index, loads the model, opens the lexical side)", pr["retrieval_cold"]),
            *_profile(f"One retrieval, warm: \"{pr['retrieval_warm']['question'][:90]}…\"", pr["retrieval_warm"]),
            *(_profile(f"{len(pr['answer']['questions'])} extractive answers after warm-up (py-spy, all threads; "
                       f"first: \"{pr['answer']['questions'][0][:80]}…\")", pr["answer"]) if "answer" in pr else [])]


def _answering(an: dict, out: Path) -> list[str]:
    generators = an["generators"]
    rows = [[backend, g["questions"], g["reached_generation"], g["abstained"], *(g["total_ms"][q] for q in ("p50", "p95")),
             *((g["total_ms_answered"] or {}).get(q) for q in ("p50", "p95")),
             *((g["first_token_ms"] or {}).get(q) for q in ("p50", "p95")),
             _n(g["tokens_per_s"]), g["warm_up_s"], g["peak_rss_mb"], _n(g.get("server_peak_rss_mb"))]
            for backend, g in generators.items()]
    stages = list(dict.fromkeys(stage for g in generators.values() for stage in g["stage_ms"]))
    stage_rows = [[stage, *(_pcts(g["stage_ms"].get(stage)) for g in generators.values())] for stage in stages]
    plt = _plt()
    figure, axis = plt.subplots(figsize=(8, 3.5))
    names = list(generators)
    for n, (key, label) in enumerate((("first_token_ms", "first token"), ("total_ms", "total"))):
        for m, q in enumerate(("p50", "p95")):
            axis.bar([i + (2 * n + m) * 0.2 for i in range(len(names))], [(generators[b][key] or {}).get(q, 0) for b in names],
                     0.2, label=f"{label} {q}")
    axis.set_xticks([i + 0.3 for i in range(len(names))], names)
    axis.set_ylabel("ms")
    axis.set_title("Answering latency per generator")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out / "answering.png", dpi=110)
    plt.close(figure)
    return [
        "## 5. Answering latency", "",
        f"`Assistant.stream` end to end (condense, retrieve, evidence, generate, check) on the 609-article index, one "
        f"process per generator after `warm_up()`. extractive: the first {an['questions_extractive']} dev questions; "
        f"llamacpp (SmolLM2-135M in-process) and openai (the same model behind `python -m llama_cpp.server`, 2 threads): "
        f"{an['questions_generative']} questions the extractive run answered, so each reaches generation (when it "
        "answered none, the first questions, and the table says how many reached generation).", "",
        *_table(["generator", "questions", "reached generation", "abstained", "total p50 ms", "total p95 ms",
                 "answered p50 ms", "answered p95 ms", "first token p50 ms", "first token p95 ms", "tokens/s",
                 "warm-up s", "peak RSS MiB", "server peak RSS MiB"], rows), "",
        "Per stage (p50 / p95 ms):", "",
        *_table(["stage", *generators], stage_rows), "",
        "- first token: the first streamed piece; the extractive generator yields its whole answer as one piece.",
        "- tokens/s: streamed pieces per second of generation (llama.cpp streams one token per piece).",
        "- peak RSS: the answering process (`ru_maxrss`); for openai also the model server's (VmHWM).", "",
        "![answering](answering.png)", ""]


def _cold_start(cs: dict, out: Path) -> list[str]:
    stages = ", ".join(f"{stage} {ms:.0f}" for stage, ms in cs["ask"]["answer_stages_ms"].items())
    return [
        "## Command-line cold start", "",
        f"Each run a new process on the 609-article index, page cache warm; medians of {cs['runs']} runs; question: "
        f"\"{cs['question']}\".", "",
        *_table(["measure", "median s", "runs s"],
                [["assistant ask", cs["ask"]["median_s"], ", ".join(map(str, cs["ask"]["runs_s"]))],
                 ["assistant chat (one answer, then /quit)", cs["chat"]["median_s"], ", ".join(map(str, cs["chat"]["runs_s"]))],
                 ["assistant ask --server (app running)", cs["ask_server"]["median_s"],
                  ", ".join(map(str, cs["ask_server"]["runs_s"]))],
                 *[[f"new process: {name}", value["median_s"], ", ".join(map(str, value["runs_s"]))]
                   for name, value in cs["imports"].items()]]), "",
        f"The answer's own stages in `assistant ask` (ms): {stages}; the rest of its wall time is start-up (imports, "
        "the ONNX embedding model, the index, the spaCy model).", ""]


def write(results: dict, out: Path) -> None:
    env = results["environment"]
    lines = [
        f"# Benchmark report ({results['mode']} mode)", "",
        f"Run {results['started_at']}, {results.get('duration_s', 0):.0f} s (budget {results['budget_s']:.0f} s); "
        f"{env['cpus']} CPUs, {env['ram_gib']} GiB RAM, Python {env['python']}, commit {env['git_commit']}; "
        + ", ".join(f"{k} {v}" for k, v in env["versions"].items()) + ".",
        f"Load average at start {env['load_avg_start']}, at end {env.get('load_avg_end')}: a load above the CPU count means "
        "other work shared the machine and absolute times are inflated (ratios measured side by side less so).", "",
        *(f"Re-run separately: {', '.join(r['parts'])} at {r['started_at']} (budget {r['budget_s']:.0f} s), load average "
          f"at start {r['environment']['load_avg_start']}, at end {r['environment'].get('load_avg_end')}." for r in results.get("partial_runs", [])),
        "",
        "Summary:", "", *_table(["metric", "value", "target"], [list(row) for row in summary_rows(results)]), ""]
    sections = {"indexing": _indexing, "retrieval": _retrieval, "scale": _scale, "answering": _answering,
                "cold_start": _cold_start}
    for name in KNOWN:
        part = results.get(name)
        if part is None:
            continue
        if "error" in part:
            lines += [f"## {name}: FAILED", "", "```", part["error"].strip(), "```", ""]
        elif name == "profiles":
            lines += _profiles(part)
        else:
            lines += sections[name](part, out)
    for name, part in results.items():  # parts this report has no section for yet 
        if isinstance(part, dict) and name not in KNOWN and name != "environment":
            lines += [f"## {name}", "", "```json", json.dumps(part, indent=2, default=str), "```", ""]
    (out / "report.md").write_text("\n".join(lines))
