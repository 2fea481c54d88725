"""Where web data enters: one HTTP GET of a page or feed, safely and politely (httpx).

Contract: `fetch(url, settings, expect)` returns a `Fetched` (status 200, or 304 for a conditional GET whose
validators still match) or raises `FetchError`, whose message names the URL, says what went wrong and what to do.
Nothing else escapes it (no httpx or socket exception reaches a caller).

- Only http and https, on every redirect hop; redirects are followed here (at most `fetch_max_redirects`), each
  hop a new request that goes through the same checks.
- Every connection's host is resolved here and the connection is made to the checked IP itself, so a private,
  loopback, link-local, reserved, multicast or unspecified address is refused however it is reached (a redirect,
  a DNS name that resolves there, DNS that changes between the check and the connection), unless
  `allow_private_urls`. Proxies from the environment are not used (their address would be the one checked).
- `fetch_timeout_s` bounds the whole request (connecting, waiting, downloading), not only each network read.
- The body is streamed and the download stops as soon as it exceeds `max_bytes`.
- The content type must be one `expect` accepts (a page: HTML; a feed: RSS/Atom XML).
- One request at a time per host in this process, with `fetch_host_pause_s` between two requests to one host,
  and a User-Agent that names the project.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .config import Settings

try:
    _VERSION = metadata.version("news-assistant")
except metadata.PackageNotFoundError:  # running from a source tree that was not installed
    _VERSION = "0.1.0"
USER_AGENT = (f"news-assistant/{_VERSION} (offline question answering over news articles; fetches only the pages "
              "and feeds its user adds, one request at a time per site)")


class FetchError(Exception):
    """A URL could not be fetched: `str(error)` is "<url> <reason>", the reason saying what to do.
    `status` is the HTTP status when the server answered with an error."""

    def __init__(self, url: str, reason: str, status: int | None = None):
        super().__init__(f"{url} {reason}")
        self.url, self.reason, self.status = url, reason, status


@dataclass(frozen=True)
class Expected:
    """What a fetch must return: the content types accepted and how to name the wanted thing in an error."""

    what: str  # "an HTML page"
    content_types: tuple[str, ...]
    hint: str  # what to do when something else came back
    sniff: re.Pattern[bytes]  # a body with no stated type is accepted when its start matches


PAGE = Expected("an HTML page", ("text/html", "application/xhtml+xml"),
                "give the address of the article page itself",
                re.compile(rb"^\s*(?:<!doctype html|<html|<head|<body|<article|<!--)", re.I))
FEED = Expected("an RSS or Atom feed", ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                                        "application/xml", "text/xml", "application/x-rss+xml", "text/rss+xml"),
                "give the feed's own address (a site's page usually links to it as RSS or Atom)",
                re.compile(rb"^\s*(?:<\?xml|<rss|<feed|<rdf:RDF)", re.I))


@dataclass(frozen=True)
class Fetched:
    """A fetched resource: `url` as asked for, `final_url` after redirects; `status` 200, or 304 (not modified:
    `body` is empty); `etag` and `last_modified` are the validators for the next conditional GET."""

    url: str
    final_url: str
    status: int
    content_type: str = ""
    charset: str = ""
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: in the charset the response or the document (<meta charset>, <?xml encoding?>) states,
        else UTF-8, else Windows-1252; raises FetchError for binary data."""
        from .articles import decode_text

        declared = self.charset or (_DECLARED_CHARSET.search(self.body[:4096]) or [None, b""])[1].decode("ascii")
        if declared:
            try:
                return self.body.decode(declared, errors="replace")
            except LookupError:  # an unknown charset name: guess as for files
                pass
        try:
            return decode_text(self.body)
        except ValueError:
            raise FetchError(self.url, "sent binary data, not text; give the address of an article page or a feed") from None


_DECLARED_CHARSET = re.compile(rb"""(?:<meta[^>]{0,200}?charset\s*=\s*["']?|<\?xml[^>]{0,100}?encoding\s*=\s*["'])([\w.:-]+)""", re.I)


# --- addresses ------------------------------------------------------------------------------------------------
def non_public_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why `ip` is not a public internet address ("loopback", "private", ...), or None when it is one."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("unspecified", "loopback", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:  # shared address space (100.64/10), documentation ranges, ...
        return "non-public"
    return None


class RefusedAddress(Exception):
    """A connection's host resolved to an address that is not allowed (`non_public_kind`)."""

    def __init__(self, host: str, ip: str, kind: str):
        super().__init__(f"{ip} is a {kind} address" if host.strip("[]") == ip else f"{host} resolves to {ip}, a {kind} address")
        self.host, self.ip, self.kind = host, ip, kind


class _CheckedBackend(httpcore.SyncBackend):
    """httpcore's network backend, resolving each connection's host itself, refusing it when any address is not
    public (unless `allow_private`), and connecting to the checked addresses themselves."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"the name {host} cannot be resolved ({exc.strerror})") from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not self.allow_private:
            for address in addresses:
                kind = non_public_kind(ipaddress.ip_address(address.split("%", 1)[0]))
                if kind:
                    raise RefusedAddress(host, address, kind)
        error: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                error = exc
        raise error or httpcore.ConnectError(f"{host} has no address")


class _CheckedTransport(httpx.HTTPTransport):
    """httpx's transport on a connection pool that uses `_CheckedBackend`."""

    def __init__(self, allow_private: bool):
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=10,
                                             network_backend=_CheckedBackend(allow_private))


# --- politeness -----------------------------------------------------------------------------------------------
class _HostTurns:
    """One request at a time per host, and `pause_s` from the end of one request to a host to the next one."""

    def __init__(self):
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Lock, list[float]]] = {}

    @contextmanager
    def turn(self, host: str, pause_s: float) -> Iterator[None]:
        with self._lock:
            host_lock, last = self._hosts.setdefault(host, (threading.Lock(), [float("-inf")]))
        with host_lock:
            wait = last[0] + pause_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                last[0] = time.monotonic()


_turns = _HostTurns()


# --- fetching -------------------------------------------------------------------------------------------------
def check_scheme(url: str) -> None:
    """Raise FetchError unless `url` is a well-formed, absolute http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() in ("http", "https") and parts.hostname:
            httpx.URL(url)  # what httpx would refuse: a bad port, an invalid IPv4 address, control characters
            return
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchError(url, f"is not a valid web address ({exc}); check it") from None
    raise FetchError(url, "is not an http or https address; give a web address (http://… or https://…)")


def is_url(text: str) -> bool:
    """Whether `text` is written as a URL (scheme://...), as opposed to a file path; only http(s) ones are fetched."""
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", text.strip(), re.I))


def fetch(url: str, settings: Settings, expect: Expected, max_bytes: int, etag: str = "",
          last_modified: str = "") -> Fetched:
    """GET `url` following redirects, with the checks of this module; a conditional GET when `etag` or
    `last_modified` is given (a 304 returns a `Fetched` with status 304 and no body)."""
    check_scheme(url)
    deadline = time.monotonic() + settings.fetch_timeout_s
    # gzip and deflate only: they are decompressed here with the size limit applied to their output (br and zstd
    # would be decoded whole by httpx before any limit, so a few KB could expand to gigabytes)
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(expect.content_types) + ", */*;q=0.1",
               "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    hops = [url]
    with httpx.Client(transport=_CheckedTransport(settings.allow_private_urls), follow_redirects=False,
                      timeout=httpx.Timeout(settings.fetch_timeout_s), headers=headers, trust_env=False) as client:
        while True:
            current = hops[-1]
            try:
                with _turns.turn(urlsplit(current).hostname or "", settings.fetch_host_pause_s):
                    left = deadline - time.monotonic()  # the whole request, redirects included, has one deadline
                    if left <= 0:
                        raise httpx.TimeoutException("the deadline passed")
                    with client.stream("GET", current, timeout=httpx.Timeout(left)) as response:
                        if response.status_code in _REDIRECTS and response.headers.get("location"):
                            target = urljoin(current, response.headers["location"])
                            _check_hop(url, hops, target, settings.fetch_max_redirects)
                            hops.append(target)
                            continue
                        return _read(url, hops, response, expect, max_bytes, deadline, settings)
            except FetchError:
                raise
            except RefusedAddress as exc:
                raise FetchError(url, f"{_via(hops)}is refused: {exc}; fetching from private or local networks is off "
                                      "(set ASSISTANT_ALLOW_PRIVATE_URLS=true only if you trust every address you give)") from None
            except httpx.TimeoutException:
                raise _timeout(url, hops, settings) from None
            except (httpx.HTTPError, httpcore.ConnectError, OSError) as exc:
                raise _network_error(url, hops, exc) from None
            except (ValueError, httpx.InvalidURL) as exc:  # e.g. a Location header that is no valid URL
                raise FetchError(url, f"{_via(hops)}led to an invalid address ({exc}); check it") from None


_REDIRECTS = (301, 302, 303, 307, 308)
_DECOMPRESSORS = {"": lambda: None, "identity": lambda: None, "gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS),
                  "x-gzip": lambda: zlib.decompressobj(16 + zlib.MAX_WBITS), "deflate": zlib.decompressobj}


def _via(hops: list[str]) -> str:
    """", redirected to <last hop>, " when the request was redirected, else ""."""
    return f"(redirected to {hops[-1]}) " if len(hops) > 1 else ""


def _check_hop(url: str, hops: list[str], target: str, max_redirects: int) -> None:
    try:
        check_scheme(target)
    except FetchError as exc:
        raise FetchError(url, f"redirected to {target!r}, which {exc.reason.split(';')[0]}; nothing was fetched") from None
    if len(hops) > max_redirects:
        chain = " -> ".join(hops + [target])
        loop = " in a loop" if target in hops else ""
        raise FetchError(url, f"redirected more than {max_redirects} times{loop} ({chain}; the limit is "
                              "ASSISTANT_FETCH_MAX_REDIRECTS); open it in a browser to find the article's own address")


def _read(url: str, hops: list[str], response: httpx.Response, expect: Expected, max_bytes: int, deadline: float,
          settings: Settings) -> Fetched:
    """The final response: status, content type and size checks, the body streamed up to `max_bytes`."""
    final = hops[-1]
    validators = {"etag": response.headers.get("etag", ""), "last_modified": response.headers.get("last-modified", "")}
    if response.status_code == 304:
        return Fetched(url, final, 304, **validators)
    if not 200 <= response.status_code < 300:
        raise _status_error(url, hops, response)
    content_type, _, params = response.headers.get("content-type", "").partition(";")
    content_type = content_type.strip().lower()
    charset = (re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.I) or [None, ""])[1]
    if content_type and content_type not in expect.content_types:
        raise FetchError(url, f"{_via(hops)}is {content_type}, not {expect.what}; {expect.hint}")
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise _too_large(url, hops, max_bytes, f"it says it is {int(length) / 2**20:.1f} MiB")
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in _DECOMPRESSORS:
        raise FetchError(url, f"{_via(hops)}came compressed as {encoding!r}, which is not read here (gzip and deflate "
                              "are); save the page from a browser and index the file")
    decoder = _DECOMPRESSORS[encoding]()
    body = bytearray()
    try:
        for piece in response.iter_raw():  # decompressed here, never beyond the limit: the limit is on the real size
            body += decoder.decompress(piece, max_bytes + 1 - len(body)) if decoder else piece
            if len(body) > max_bytes:
                raise _too_large(url, hops, max_bytes, "the download was stopped there")
            if time.monotonic() > deadline:
                raise _timeout(url, hops, settings)
        if decoder:
            body += decoder.flush()
    except zlib.error as exc:
        raise FetchError(url, f"{_via(hops)}sent {encoding} data that cannot be decompressed ({exc})") from None
    if not content_type and not expect.sniff.match(bytes(body[:512])):
        raise FetchError(url, f"{_via(hops)}states no content type and does not look like {expect.what}; {expect.hint}")
    return Fetched(url, final, response.status_code, content_type, charset, bytes(body), **validators)


def _too_large(url: str, hops: list[str], max_bytes: int, detail: str) -> FetchError:
    return FetchError(url, f"{_via(hops)}is over the {max_bytes / 2**20:g} MiB limit for a download ({detail}); an "
                           "article page or feed is far smaller: check the address")


def _timeout(url: str, hops: list[str], settings: Settings) -> FetchError:
    return FetchError(url, f"{_via(hops)}did not finish within {settings.fetch_timeout_s:g} s (ASSISTANT_FETCH_TIMEOUT_S); "
                           "the site is slow or not answering: try again later, or raise the timeout")


def _status_error(url: str, hops: list[str], response: httpx.Response) -> FetchError:
    status, phrase = response.status_code, response.reason_phrase or "error"
    if status in (404, 410):
        advice = "the page is not (or no longer) there: check the address"
    elif status >= 500:
        advice = "the site has a problem: try again later"
    elif status == 429:
        advice = "the site asks for fewer requests: try again later (or raise ASSISTANT_FETCH_HOST_PAUSE_S)"
    elif status in (401, 403, 451):
        advice = "the site refuses to serve it to this client (a login or a paywall?): save the page from a browser and index the file"
    else:
        advice = "the site did not serve the page: check the address"
    return FetchError(url, f"{_via(hops)}answered HTTP {status} {phrase}; {advice}", status=status)


def _network_error(url: str, hops: list[str], exc: BaseException) -> FetchError:
    tls = next((cause for cause in _causes(exc) if isinstance(cause, ssl.SSLError)), None)
    if tls is not None or "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
        detail = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or str(exc)
        return FetchError(url, f"{_via(hops)}failed the secure-connection (TLS) check ({detail}); the site's certificate "
                               "is not valid for this address or not trusted, so nothing was fetched")
    if isinstance(exc, httpx.RemoteProtocolError) and "location header" in str(exc).lower():  # checked by httpx
        return FetchError(url, f"{_via(hops)}led to an invalid address ({exc}); check it")
    detail = str(exc) or type(exc).__name__
    return FetchError(url, f"{_via(hops)}cannot be reached ({detail}); check the address and the network connection")


def _causes(exc: BaseException | None) -> Iterator[BaseException]:
    seen = 0
    while exc is not None and seen < 10:
        yield exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
