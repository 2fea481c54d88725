"""The `assistant` command line: index, articles, remove (and the commands later stages add).

Exit codes: 0 success, 1 some input failed (the rest was done), 2 usage or setup error.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import offline  # noqa: F401  (sets the offline environment first)
from .config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "index_dir", None):
        overrides["index_dir"] = Path(args.index_dir)
    return Settings(**overrides)


def _print_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_index(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .articles import load_paths
    from .store import ArticleIndex, IndexReport

    settings = _settings(args)
    report = IndexReport()
    index = ArticleIndex(settings)
    progress = tqdm(desc="indexing", unit=" articles", disable=not sys.stderr.isatty(), file=sys.stderr)

    def articles():
        for loaded in load_paths([Path(p) for p in args.paths], int(settings.max_file_mb * 2**20)):
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
        print(f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
              f"failed {len(report.failed)}; {report.chunks} chunks written")
        for failure in report.failed:
            print(f"  failed: {failure['error']}")
    return 1 if report.failed else 0


def cmd_articles(args: argparse.Namespace) -> int:
    from .store import ArticleIndex

    rows = ArticleIndex(_settings(args)).list_articles()
    if args.json:
        _print_json([{key: row[key] for key in ("id", "title", "source", "published_at", "url", "chunks")} for row in rows])
        return 0
    for row in rows:
        print(f"{row['id']}\t{row['published_at'][:10] or '-'}\t{row['source'] or '-'}\t{row['chunks']} chunks\t{row['title']}")
    print(f"{len(rows)} articles")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from .store import ArticleIndex

    removed, missing = ArticleIndex(_settings(args)).remove(args.ids)
    for article_id in removed:
        print(f"removed {article_id}")
    for article_id in missing:
        print(f"not indexed: {article_id} (see `assistant articles` for the ids)", file=sys.stderr)
    return 1 if missing else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="assistant", description="Question answering over news articles, with checked citations.")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.add_argument("--index-dir", help="index directory (default: $ASSISTANT_INDEX_DIR or index/)")
        command.set_defaults(handler=handler)
        return command

    index = add("index", cmd_index, "Index articles from files or directories (.txt, .md, .html, .htm, .jsonl).")
    index.add_argument("paths", nargs="+", metavar="PATH")
    index.add_argument("--json", action="store_true", help="print a JSON summary")

    articles = add("articles", cmd_articles, "List the indexed articles.")
    articles.add_argument("--json", action="store_true", help="print JSON")

    remove = add("remove", cmd_remove, "Remove articles (and their chunks) by id.")
    remove.add_argument("ids", nargs="+", metavar="ID")
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
