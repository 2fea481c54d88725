"""Shared fixtures: real components, small data."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from assistant import offline  # noqa: F401  (offline environment before anything else)
from assistant.config import Settings
from bench.harness import free_port, wait_for_port  # noqa: F401  (the tests import them from here)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = ROOT / "data" / "sample" / "musk-putin-ap.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
SEED_QUESTION = "Who denied that Musk and Putin had been in contact?"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a fresh embedded index in a temporary directory."""
    return Settings(index_dir=tmp_path / "index")


class LocalServer:
    """A server process of the tests on a free loopback port: a subclass's `start()` returns self once it listens, `stop()`
    terminates it (killed when it does not exit in 30 s); as a context manager it is started on entry and stopped on
    exit."""

    port: int
    process: subprocess.Popen | None = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class ChromaServer(LocalServer):
    """A real `chroma run` server on 127.0.0.1 with its data in a temporary directory."""

    def __init__(self, path: Path):
        self.path = path
        self.port = free_port()

    def start(self) -> "ChromaServer":
        self.process = subprocess.Popen([str(BIN / "chroma"), "run", "--path", str(self.path), "--host", "127.0.0.1",
                                         "--port", str(self.port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        wait_for_port(self.port, self.process)
        return self


@pytest.fixture
def chroma_server(tmp_path: Path):
    with ChromaServer(tmp_path / "chroma-server") as server:
        yield server


class ChatServer(LocalServer):
    """`python app.py` on a free loopback port with its own index directory; its output goes to `log_path`.

    `env` overrides the environment (e.g. ASSISTANT_MAX_FILE_MB); the login and address variables of the caller's
    environment are dropped, so the app listens on loopback unless `extra_args` say otherwise."""

    def __init__(self, index_dir: Path, log_path: Path, *extra_args: str, env: dict[str, str] | None = None):
        self.index_dir, self.log_path, self.extra_args, self.env = index_dir, log_path, extra_args, env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 240.0) -> "ChatServer":
        env = {key: value for key, value in os.environ.items() if key not in ("ASSISTANT_HOST", "ASSISTANT_AUTH", "ASSISTANT_AUTH_FILE", "ASSISTANT_PORT")}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(self.port),
                                             "--index-dir", str(self.index_dir), *self.extra_args],
                                            cwd=ROOT, env={**env, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(self.port, self.process, timeout=timeout)
        except (RuntimeError, TimeoutError) as exc:
            self.stop()
            raise RuntimeError(f"{exc}; app log:\n{self.log_path.read_text(errors='replace')[-3000:]}") from exc
        return self


def chat_server_fixture(name: str, env: dict[str, str] | None = None):
    """A module-scoped fixture running the chat (`ChatServer`, with `env`) on a fresh index, its log in
    ARTIFACTS/app-<name>.log; assign it in a test module: `server = chat_server_fixture("chat-browser")`."""

    @pytest.fixture(scope="module")
    def server(tmp_path_factory):
        with ChatServer(tmp_path_factory.mktemp(name) / "index", ARTIFACTS / f"app-{name}.log", env=env) as running:
            yield running

    return server


class PageSession:
    """One browser session of the running chat without a browser: calls the page's own events (private, not part
    of the API) over Gradio's queue protocol, as the page's JavaScript does. Files go through /gradio_api/upload."""

    def __init__(self, url: str, timeout: float = 600.0):
        self.url, self.timeout = url.rstrip("/") + "/gradio_api", timeout
        self.http = httpx.Client(timeout=timeout)
        self.session = uuid.uuid4().hex
        config = self.http.get(url.rstrip("/") + "/config").json()
        elem_ids = {component["id"]: component.get("props", {}).get("elem_id") for component in config["components"]}
        self.events: dict[tuple, list[tuple[int, int, set]]] = {}  # (elem_id, trigger) -> [(fn, target, outputs)]
        for dep in config["dependencies"]:
            for target, trigger in dep["targets"]:
                outputs = {elem_ids.get(output) for output in dep["outputs"]}
                self.events.setdefault((elem_ids.get(target), trigger), []).append((dep["id"], target, outputs))

    def upload(self, files: list[tuple[str, bytes]]) -> list[dict]:
        """Upload (file name, content) pairs; returns the File component's value for them. Raises httpx.HTTPStatusError
        when Gradio refuses (e.g. 413 over the size limit)."""
        response = self.http.post(f"{self.url}/upload", files=[("files", (name, data)) for name, data in files])
        response.raise_for_status()
        return [{"path": path, "orig_name": name, "meta": {"_type": "gradio.FileData"}}
                for path, (name, _) in zip(response.json(), files)]

    def call(self, elem_id: str | None, trigger: str, *inputs, output: str | None = None) -> list:
        """Run the event `trigger` of the element `elem_id` (None: the page) with the given input values; returns its
        final outputs (raises RuntimeError with the server's message when the event failed). When the element has
        several such events (the page's loads), `output` names an element the wanted one updates."""
        found = [event for event in self.events[(elem_id, trigger)] if output is None or output in event[2]]
        if len(found) != 1:
            raise ValueError(f"{len(found)} events {elem_id}.{trigger} update {output or 'something'}; name an output")
        fn_index, target, _ = found[0]
        joined = self.http.post(f"{self.url}/queue/join", json={"data": list(inputs), "event_data": None, "fn_index": fn_index,
                                                                 "trigger_id": target, "session_hash": self.session})
        joined.raise_for_status()
        event_id = joined.json()["event_id"]
        with self.http.stream("GET", f"{self.url}/queue/data", params={"session_hash": self.session}) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") == event_id and message.get("msg") == "process_completed":
                    if not message.get("success"):
                        raise RuntimeError(f"{elem_id}.{trigger} failed: {message.get('output')}")
                    return message["output"]["data"]
        raise RuntimeError(f"{elem_id}.{trigger}: the stream ended without a result")


def copy_seed(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(SEED, directory / SEED.name))


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright, one per test module (skips when it is not installed)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser-deps)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@contextmanager
def app_page(browser, url: str) -> Iterator:
    """A fresh page on the app at `url`; fails the test if the page asks for anything but the app itself."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url)
            if urlparse(request.url).hostname not in (None, "127.0.0.1") and not request.url.startswith(("data:", "blob:")) else None)
    page.goto(url)
    yield page
    context.close()
    assert not outside, f"the page made requests outside the app: {outside}"
