"""The `assistant` command line: index (files and web pages), articles, remove, feeds, watch (and the commands later
stages add).

Exit codes: 0 success, 1 some input failed (the rest was done), 2 usage or setup error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import offline  # noqa: F401  (sets the offline environment first)
from .config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "index_dir", None):
        overrides["index_dir"] = Path(args.index_dir).expanduser()
    return Settings(**overrides)


def _index_origin(args: argparse.Namespace) -> str:
    """Where the index directory came from, for an error that names it."""
    if getattr(args, "index_dir", None):
        return "--index-dir"
    return "ASSISTANT_INDEX_DIR" if os.environ.get("ASSISTANT_INDEX_DIR") else "the default, ./index"


def _existing_index(args: argparse.Namespace):
    """The index that `articles`, `remove`, `search` and `statements` work on; IndexUnavailable (exit 2, with what to
    do) when the index directory names one where nothing was ever indexed, instead of creating an empty index there
    (`ask` and `chat` check the same before answering in this process)."""
    from .store import ArticleIndex, require_index

    settings = _settings(args)
    require_index(settings, _index_origin(args))
    return ArticleIndex(settings)


def _print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .articles import load_paths
    from .fetch import is_url
    from .store import ArticleIndex, IndexReport
    from .webpages import fetch_articles

    settings = _settings(args)
    report = IndexReport()
    index = ArticleIndex(settings)
    progress = tqdm(desc="indexing", unit=" articles", disable=not sys.stderr.isatty(), file=sys.stderr)
    # web pages are fetched first, before the index's write lock is taken (index_articles takes it)
    fetched = fetch_articles([p for p in args.paths if is_url(p)], settings, report,
                             on_fetched=lambda url, status: progress.update(status != "fetched"))

    def articles():
        yield from fetched
        for loaded in load_paths([Path(p) for p in args.paths if not is_url(p)], int(settings.max_file_mb * 2**20)):
            for error in loaded.errors:
                report.failed.append({"path": error.path, "error": f"{error.path} {error.error}"})
                progress.update(1)
            yield from loaded.articles

    def on_wait(message: str) -> None:
        print(message, file=sys.stderr)

    index.index_articles(articles(), report, on_article=lambda article, status: progress.update(1), on_wait=on_wait)
    progress.close()
    if args.json:
        _print_json(report.as_dict())
    else:
        reextracted = f" (statements re-extracted for {report.reextracted} unchanged)" if report.reextracted else ""
        print(f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}{reextracted}, "
              f"failed {len(report.failed)}; {report.chunks} chunks and {report.statements} statements written")
        for failure in report.failed:
            print(f"  failed: {failure['error']}")
    return 1 if report.failed else 0


def cmd_articles(args: argparse.Namespace) -> int:
    rows = _existing_index(args).list_articles()
    if args.json:
        _print_json([{key: row[key] for key in ("id", "title", "source", "published_at", "url", "chunks")} for row in rows])
        return 0
    for row in rows:
        print(f"{row['id']}\t{row['published_at'][:10] or '-'}\t{row['source'] or '-'}\t{row['chunks']} chunks\t{row['title']}")
    print(f"{len(rows)} articles")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    index = _existing_index(args)
    removed, missing = index.remove(args.ids)
    for article_id in removed:
        print(f"removed {article_id}")
    for article_id in missing:
        print(f"not indexed: {article_id} (see `assistant articles` for the ids)", file=sys.stderr)
    return 1 if missing else 0


def cmd_search(args: argparse.Namespace) -> int:
    from .retrieve import HybridRetriever

    retriever = HybridRetriever.from_settings(_existing_index(args))
    passages = retriever.search(args.query, k=args.k)
    if args.json:
        _print_json([{key: p.as_dict()[key] for key in ("chunk_id", "article_id", "title", "source", "published_at", "text", "score")}
                     | {"scores": p.scores} for p in passages])
        return 0
    for rank, p in enumerate(passages, start=1):
        scores = ", ".join(f"{name} {value}" for name, value in p.scores.items())
        print(f"[{rank}] {p.title} — {p.source or 'unknown source'}, {p.published_at[:10] or 'undated'}  (fused {p.score}; {scores})")
        print(f"    {p.chunk_id}")
        print("    " + p.text.replace("\n", " ")[:400] + ("…" if len(p.text) > 400 else ""))
    if not passages:
        print("no passages found (is the index empty? see `assistant articles`)")
    return 0


def _history(path: str | None) -> list:
    """The --history file: a JSON list of earlier turns ([question, answer] pairs or `ask --json` objects)."""
    if not path:
        return []
    try:
        history = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read the history file {path}: {exc}; give a JSON list of earlier turns") from None
    if not isinstance(history, list):
        raise ValueError(f"the history file {path} must hold a JSON list of earlier turns")
    return history


def _answer_stream(args: argparse.Namespace):
    """Where answers come from: the chat server of --server / $ASSISTANT_SERVER, or an Assistant in this process."""
    from .terminal import server_stream, terminal_stream

    settings = _settings(args)
    server = args.server or settings.server
    if server:
        return server_stream(server, settings.auth.get_secret_value(), args.backend, args.k, args.source,
                             args.date_from, args.date_to)
    from .chain import Assistant
    from .store import require_index

    require_index(settings, _index_origin(args))
    return terminal_stream(Assistant(settings), args.backend, args.k, args.source, args.date_from, args.date_to)


def cmd_ask(args: argparse.Namespace) -> int:
    from .generators import BackendUnavailable
    from .terminal import ServerUnavailable, print_answer

    try:
        events = _answer_stream(args)(args.question, _history(args.history))
        answer = next(event["answer"] for event in events if event["type"] == "answer")
    except (BackendUnavailable, ServerUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    answer = answer if isinstance(answer, dict) else answer.as_dict()
    if args.json:
        _print_json(answer)
    else:
        print_answer(answer)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .generators import BackendUnavailable
    from .terminal import ServerUnavailable, converse

    try:
        return converse(_answer_stream(args))
    except (BackendUnavailable, ServerUnavailable, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def cmd_eval(args: argparse.Namespace) -> int:
    from .eval_report import compare_rows, load_question_rows, question_rows, write_report
    from .evaluate import EvalSet, default_eval_index_dir, project_eval_sets, run_eval_set

    base = _settings(args)
    if bool(args.articles) != bool(args.questions):
        print("error: give both --articles and --questions, or neither (to run the sets in eval/)", file=sys.stderr)
        return 2
    if args.compare and args.retrieval_only:
        print("error: --compare compares answers; drop --retrieval-only", file=sys.stderr)
        return 2
    missing = [path for path in (args.articles, args.questions) if path and not Path(path).is_file()]
    if missing:
        print(f"error: {missing[0]} is not a file; give the eval set's articles and questions JSONL files", file=sys.stderr)
        return 2
    if args.articles:
        questions = Path(args.questions)  # eval/<name>/questions.jsonl is the set <name>, as without the flags
        name = questions.parent.name if questions.name == "questions.jsonl" else questions.stem
        sets = [EvalSet(name, Path(args.articles), questions)]
    else:
        sets = project_eval_sets()
    runs = []
    try:
        before = load_question_rows(Path(args.compare)) if args.compare else None
        for eval_set in sets:
            # --index-dir is the index of one named set; several sets each get their own folder under it
            own_index = args.index_dir and len(sets) == 1
            settings = base if own_index else base.model_copy(update={"index_dir": default_eval_index_dir(base, eval_set.name)})
            answerers = None if args.retrieval_only else _answerers(args, settings)
            runs.append(run_eval_set(settings, eval_set, limit=args.limit, retrieval_only=args.retrieval_only,
                                     answerers=answerers, baselines=not args.no_baselines))
            if not args.json:
                _print_tables(runs[-1])
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    comparison = compare_rows(before, question_rows(runs), args.compare) if before is not None else None
    if args.out:
        write_report(runs, Path(args.out), comparison)
    if args.json:
        _print_json(runs[0].as_dict() if len(runs) == 1 else [run.as_dict() for run in runs])
    if comparison:
        print(comparison, file=sys.stderr if args.json else sys.stdout)
    return 0


def _print_tables(run) -> None:
    """One eval set's tables (and each backend's plain-words summary) on stdout, printed as soon as the set is done."""
    from .answer_eval import answers_table
    from .eval_report import plain_summary
    from .evaluate import retrieval_table

    print(f"## {run.name} ({run.questions} questions)")
    print(retrieval_table(run))
    if run.answers:
        print(answers_table(run))
    for backend, result in run.answers.items():
        print(f"{backend}: {plain_summary(result['questions'])}")
    sys.stdout.flush()


def _answerers(args: argparse.Namespace, settings: Settings) -> dict:
    from .answer_eval import answerers_for

    return answerers_for(settings, args.backends.split(",") if args.backends else None)


def cmd_statements(args: argparse.Namespace) -> int:
    import csv

    from .statement_index import StatementQuery

    query = StatementQuery(speaker=args.speaker, stance=args.stance, about=args.about, sources=tuple(args.source or ()),
                           date_from=args.date_from, date_to=args.date_to, article_id=args.article, limit=args.limit)
    index = _existing_index(args)
    try:
        found = index.statements.find(query, index.query_embeddings.embed_query)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    rows = [stored.as_dict() for stored in found]
    if args.json:
        _print_json(rows)
    elif args.csv:
        columns = STATEMENT_COLUMNS if args.about else STATEMENT_COLUMNS[:-1]  # a score only when ranked by a topic
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "speakers": "; ".join(row["speakers"])})
    else:
        print_statements(found)
    return 0


STATEMENT_COLUMNS = ["id", "speaker", "speakers", "speaker_as_written", "speaker_resolved", "speaker_kind", "stance",
                     "verb", "statement", "quote", "article_id", "title", "source", "published_at", "start", "end",
                     "quote_start", "quote_end", "score"]


def print_statements(found) -> None:
    """Statements grouped by speaker (in the order they come), one line each: stance, date, source, the words."""
    if not found:
        print("No statements match.")
        return
    by_speaker: dict[str, list] = {}
    for stored in found:
        by_speaker.setdefault(stored.speaker_label, []).append(stored)
    for speaker, said in by_speaker.items():
        kind = said[0].speaker_kind
        print(f"{speaker} ({kind}{'' if said[0].speaker_resolved else ', not resolved'})")
        for stored in said:
            words = f"\u201c{stored.quote}\u201d" if stored.quote else stored.statement
            print(f"  {stored.stance:<8} {stored.published_at[:10] or 'undated':<10}  {stored.source or stored.title}: "
                  f"{words}  [{stored.article_id} {stored.start}:{stored.end}]")
        print()


def _feed_line(feed: dict) -> str:
    last = (f"last {feed['last_fetch'][:16].replace('T', ' ')}: {feed['status']}, {feed['new']} new, {feed['updated']} "
            f"updated, {len(feed['failed'])} failed" if feed["last_fetch"] else "never refreshed")
    return f"{feed['name']}\t{feed['url']}\t{feed['title'] or '-'}\t{last}"


def cmd_feeds_add(args: argparse.Namespace) -> int:
    from .feeds import FeedError, add_feed
    from .fetch import FetchError
    from .store import ArticleIndex

    try:
        feed = add_feed(ArticleIndex(_settings(args)), args.url, args.name)
    except (FeedError, FetchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        _print_json(feed)
    else:
        print(f"added the feed {feed['name']!r}: {feed['title'] or feed['url']} (`assistant feeds refresh {feed['name']}` indexes it)")
    return 0


def cmd_feeds_list(args: argparse.Namespace) -> int:
    from .feeds import list_feeds
    from .store import ArticleIndex

    feeds = list_feeds(ArticleIndex(_settings(args)))
    if args.json:
        _print_json(feeds)
        return 0
    for feed in feeds:
        print(_feed_line(feed))
    print(f"{len(feeds)} feeds" if feeds else "no feeds (add one with `assistant feeds add URL`)")
    return 0


def cmd_feeds_remove(args: argparse.Namespace) -> int:
    from .feeds import FeedError, remove_feed
    from .store import ArticleIndex

    try:
        removed = remove_feed(ArticleIndex(_settings(args)), args.name, purge=args.purge)
    except FeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    kept = "" if args.purge else " (its articles stay indexed; --purge removes them)"
    print(f"removed the feed {removed['name']!r} ({removed['url']}){kept}")
    if args.purge:
        print(f"removed {len(removed['removed_articles'])} of its articles")
    return 0


def cmd_feeds_refresh(args: argparse.Namespace) -> int:
    from .feeds import FeedError, refresh_feeds
    from .store import ArticleIndex

    try:
        report = refresh_feeds(ArticleIndex(_settings(args)), args.names or None,
                               on_event=lambda message: print(message, file=sys.stderr, flush=True))
    except FeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        _print_json(report.as_dict())
    else:
        _print_refresh(report)
    return 1 if report.failed else 0


def _print_refresh(report) -> None:
    for feed in report.feeds:
        status = f"HTTP {feed.http_status}" if feed.http_status else "no answer"
        print(f"{feed.name}: {status}, {feed.new} new, {feed.updated} updated, {feed.unchanged} unchanged, "
              f"{len(feed.failed)} failed; {feed.chunks} chunks in {feed.seconds:.1f} s")
        for failure in feed.failed:
            print(f"  failed: {failure['error']}")
    if not report.feeds:
        print("no feeds to refresh (add one with `assistant feeds add URL`)")
    print(f"{report.chunks} chunks written" + (" (interrupted)" if report.interrupted else ""))


def cmd_feeds_import(args: argparse.Namespace) -> int:
    from .feeds import import_feeds
    from .opml import read_opml
    from .store import ArticleIndex

    try:
        outlines = read_opml(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else exc
        print(f"error: {args.file} {reason}", file=sys.stderr)
        return 2
    result = import_feeds(ArticleIndex(_settings(args)), outlines)
    for feed in result["added"]:
        print(f"added {feed['name']}\t{feed['url']}")
    for skipped in result["skipped"]:
        print(f"  skipped: {skipped['reason']}")
    print(f"{len(result['added'])} feeds added, {len(result['skipped'])} skipped (`assistant feeds refresh` indexes them)")
    return 1 if result["skipped"] and not result["added"] else 0


def cmd_feeds_export(args: argparse.Namespace) -> int:
    from .feeds import list_feeds
    from .opml import export_opml
    from .store import ArticleIndex

    document = export_opml(list_feeds(ArticleIndex(_settings(args))))
    if args.file and args.file != "-":
        Path(args.file).write_text(document, encoding="utf-8")
    else:
        sys.stdout.write(document)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    import signal

    from .store import ArticleIndex
    from .watch import Watcher, parse_interval

    try:
        every = parse_interval(args.every)
    except ValueError as exc:
        print(f"error: --every {exc}", file=sys.stderr)
        return 2
    watcher = Watcher(ArticleIndex(_settings(args)), every, on_report=_print_refresh,
                      on_event=lambda message: print(message, file=sys.stderr, flush=True))

    def stop(signum, frame) -> None:
        print("stopping after the current article...", file=sys.stderr, flush=True)
        watcher.request_stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"refreshing every feed every {args.every}; Ctrl-C stops", file=sys.stderr, flush=True)
    reports = watcher.run()
    totals = {key: sum(getattr(feed, key) for report in reports for feed in report.feeds) for key in ("new", "updated")}
    failed = sum(len(feed.failed) for report in reports for feed in report.feeds)
    print(f"stopped after {len(reports)} refreshes: {totals['new']} new, {totals['updated']} updated, {failed} failed")
    return 0


def cmd_hash_password(args: argparse.Namespace) -> int:
    from .logins import hash_password

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print("error: give the password on stdin, e.g. `read -rs p; echo \"$p\" | assistant hash-password`", file=sys.stderr)
        return 2
    print(hash_password(password))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Question answering over news articles, with checked citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler, help_text: str, parent=sub) -> argparse.ArgumentParser:
        command = parent.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--index-dir", help="index directory (default: $ASSISTANT_INDEX_DIR or index/)")
        command.set_defaults(handler=handler)
        return command

    index = add("index", cmd_index, "Index articles from files or directories (.txt, .md, .html, .htm, .jsonl) and "
                "article pages on the web (http:// or https:// URLs).")
    index.add_argument("paths", nargs="+", metavar="PATH|URL")
    index.add_argument("--json", action="store_true", help="print a JSON summary")

    articles = add("articles", cmd_articles, "List the indexed articles.")
    articles.add_argument("--json", action="store_true", help="print JSON")

    remove = add("remove", cmd_remove, "Remove articles (and their chunks) by id.")
    remove.add_argument("ids", nargs="+", metavar="ID")

    search = add("search", cmd_search, "Show the passages the retriever finds for a query, with every score.")
    search.add_argument("query")
    search.add_argument("--k", type=int, default=10, help="how many passages (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON")

    def answer_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--backend", choices=["extractive", "llamacpp", "openai"], help="generator (default: $ASSISTANT_GENERATOR or extractive)")
        command.add_argument("--k", type=int, help="passages to retrieve (default: $ASSISTANT_ANSWER_PASSAGES)")
        command.add_argument("--source", action="append", metavar="NAME", help="answer only from this source (repeatable)")
        command.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="only articles published on or after this day")
        command.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="only articles published on or before this day")
        command.add_argument("--server", metavar="URL", help="ask a running chat server (`python app.py`) instead of "
                             "loading the index here (default: $ASSISTANT_SERVER; login from $ASSISTANT_AUTH)")

    ask = add("ask", cmd_ask, "Answer a question from the indexed articles, with checked citations.")
    ask.add_argument("question")
    answer_options(ask)
    ask.add_argument("--history", metavar="FILE", help="JSON list of earlier turns for a follow-up: [question, answer] pairs or `ask --json` objects")
    ask.add_argument("--json", action="store_true", help="print the answer as one JSON object")

    chat = add("chat", cmd_chat, "Talk with the assistant in the terminal (follow-ups, /sources, /new, /quit; Ctrl-C cancels an answer).")
    answer_options(chat)

    evaluate = add("eval", cmd_eval, "Measure retrieval (and answers) on an eval set; with no dataset flags, the sets in eval/.")
    evaluate.add_argument("--articles", help="articles JSONL of the eval set")
    evaluate.add_argument("--questions", help="questions JSONL (MultiHop-RAG schema)")
    evaluate.add_argument("--limit", type=int, help="only the first N questions")
    evaluate.add_argument("--retrieval-only", action="store_true", help="skip answering")
    evaluate.add_argument("--no-baselines", action="store_true", help="only our retriever (faster)")
    evaluate.add_argument("--backends", help="comma-separated generators to evaluate (default: the configured generator, "
                          "$ASSISTANT_GENERATOR or extractive)")
    evaluate.add_argument("--json", action="store_true", help="print every metric as JSON")
    evaluate.add_argument("--out", help="also write report.md, metrics.json, questions.jsonl and charts into this directory")
    evaluate.add_argument("--compare", metavar="RUN_DIR",
                          help="show what changed against an earlier --out folder's questions.jsonl (accuracy, questions "
                               "that went correct->wrong and wrong->correct); on stderr with --json, in report.md with --out")

    statements = add("statements", cmd_statements, "Who said what: the attributed statements found in the indexed "
                     "articles (newest first), filtered by speaker, stance, source, date or article, or ranked by a topic.")
    statements.add_argument("--speaker", metavar="NAME", help="a speaker or any variant of the name (Peskov, Dmitry Peskov)")
    statements.add_argument("--stance", metavar="STANCE", help="deny, confirm, decline, say, claim, accuse, report or warn")
    statements.add_argument("--about", metavar="TEXT", help="rank by similarity to this topic instead of by date")
    statements.add_argument("--source", action="append", metavar="NAME", help="only this source (repeatable)")
    statements.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="only articles published on or after this day")
    statements.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="only articles published on or before this day")
    statements.add_argument("--article", metavar="ID", help="only this article")
    statements.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    shown = statements.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print a JSON list of statement objects")
    shown.add_argument("--csv", action="store_true", help="print the same rows as CSV")

    feeds = sub.add_parser("feeds", help="RSS and Atom feeds whose articles are indexed: add, list, remove, refresh, "
                           "import, export.", description="RSS and Atom feeds whose articles are indexed.")
    feeds_sub = feeds.add_subparsers(dest="feeds_command", required=True)

    def add_feeds(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        return add(name, handler, help_text, parent=feeds_sub)

    feeds_add = add_feeds("add", cmd_feeds_add, "Add a feed (it is fetched once to check it); `feeds refresh` indexes it.")
    feeds_add.add_argument("url", metavar="URL")
    feeds_add.add_argument("--name", help="the feed's name (default: a slug of its title)")
    feeds_add.add_argument("--json", action="store_true", help="print the feed as JSON")
    feeds_list = add_feeds("list", cmd_feeds_list, "List the feeds and their last refresh.")
    feeds_list.add_argument("--json", action="store_true", help="print JSON")
    feeds_remove = add_feeds("remove", cmd_feeds_remove, "Remove a feed; its articles stay indexed unless --purge.")
    feeds_remove.add_argument("name", metavar="NAME")
    feeds_remove.add_argument("--purge", action="store_true", help="also remove the feed's articles (those no other feed lists)")
    feeds_refresh = add_feeds("refresh", cmd_feeds_refresh, "Fetch the feeds (all, or those named) and index their new "
                              "and updated articles; exits 1 when anything failed.")
    feeds_refresh.add_argument("names", nargs="*", metavar="NAME")
    feeds_refresh.add_argument("--json", action="store_true", help="print a JSON summary")
    feeds_import = add_feeds("import", cmd_feeds_import, "Add the feeds of an OPML file (as feed readers export them).")
    feeds_import.add_argument("file", metavar="FILE.opml")
    feeds_export = add_feeds("export", cmd_feeds_export, "Write the feeds as an OPML file (to stdout without FILE).")
    feeds_export.add_argument("file", nargs="?", metavar="FILE.opml")

    watch = add("watch", cmd_watch, "Refresh all feeds now and then on a schedule until stopped (Ctrl-C or SIGTERM "
                "end it after the current article).")
    watch.add_argument("--every", default="15m", help="how often: 90s, 15m, 1h (default 15m)")

    hashed = sub.add_parser("hash-password", help="Hash a password (read from stdin) for a line of ASSISTANT_AUTH_FILE.",
                            description="Read a password from stdin (one line) and print its pbkdf2_sha256 hash; put "
                                        "user:<hash> in the login file.")
    hashed.set_defaults(handler=cmd_hash_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .store import IndexBusy, IndexUnavailable

    try:
        return args.handler(args)
    except (IndexBusy, IndexUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
