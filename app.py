"""Start the web chat: `python app.py [--host H] [--port P] [--index-dir DIR] [--auth USER:PASSWORD] [--auth-file F]`.

Defaults come from the settings (ASSISTANT_HOST, ASSISTANT_PORT, ASSISTANT_INDEX_DIR, ASSISTANT_AUTH, ASSISTANT_AUTH_FILE):
127.0.0.1:7860, no login. Any address but loopback needs a login; without one the app refuses to start.
An empty index gets the sample article first. Exit codes: 0 stopped, 2 usage or setup error.
"""
from __future__ import annotations

from assistant import offline  # noqa: F401  (first: the offline environment, GRADIO_ANALYTICS_ENABLED=False)

import argparse
import ipaddress
import sys
from pathlib import Path

from assistant.config import PROJECT_ROOT, Settings

SAMPLE_ARTICLE = PROJECT_ROOT / "data" / "sample" / "musk-putin-ap.txt"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="app.py", description="The news assistant's web chat.")
    parser.add_argument("--host", help="address to listen on (default: $ASSISTANT_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: $ASSISTANT_PORT or 7860)")
    parser.add_argument("--index-dir", help="index directory (default: $ASSISTANT_INDEX_DIR or index/)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require this login (default: $ASSISTANT_AUTH); "
                        "needed for any address but loopback")
    parser.add_argument("--auth-file", metavar="FILE", help="logins, one user:password per line (default: "
                        "$ASSISTANT_AUTH_FILE); each user has their own conversations")
    return parser.parse_args(argv)


def settings_from(args: argparse.Namespace) -> Settings:
    """The settings, with the command line's flags over the environment."""
    flags = {"host": args.host, "port": args.port, "auth": args.auth, "auth_file": args.auth_file,
             "index_dir": Path(args.index_dir) if args.index_dir else None}
    return Settings(**{name: value for name, value in flags.items() if value is not None})


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_problem(settings: Settings) -> str:
    """Why these settings must not start the chat ("" when they may)."""
    from assistant.logins import LoginError, load_logins

    try:
        logins = load_logins(settings)
    except LoginError as exc:
        return str(exc)
    if not is_loopback(settings.host) and not logins:
        return (f"refusing to listen on {settings.host}: anyone who can reach it could read and change the index. "
                "Set a login with --auth USER:PASSWORD, ASSISTANT_AUTH=USER:PASSWORD or ASSISTANT_AUTH_FILE=FILE, "
                "or listen on 127.0.0.1.")
    return ""


def seed_if_empty(index) -> None:
    """Index the sample article when the index holds no article."""
    from assistant.articles import load_file

    if index.committed_versions():
        return
    loaded = load_file(SAMPLE_ARTICLE, int(index.settings.max_file_mb * 2**20))
    for error in loaded.errors:
        print(f"warning: sample article {error.path} {error.error}", file=sys.stderr)
    if loaded.articles:
        report = index.index_articles(loaded.articles)
        print(f"indexed the sample article ({report.chunks} chunks) into an empty index", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = settings_from(args)
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        print(f"error: {exc}", file=sys.stderr)
        return 2
    problem = exposure_problem(settings)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2

    from assistant.chain import Assistant
    from assistant.store import IndexBusy, IndexUnavailable
    from assistant.ui import build_app, launch_options

    try:
        assistant = Assistant(settings)
        seed_if_empty(assistant.index)
        assistant.warm_up()
    except (IndexBusy, IndexUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    build_app(settings, assistant).launch(**launch_options(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
