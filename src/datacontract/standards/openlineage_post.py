"""Posting RunEvents to a Marquez-compatible endpoint (the OpenLineage HTTP API).

`post(events, url)` sends each event, in order, as its own POST of the OpenLineage client's
JSON (openlineage.client.serde) to `<url>/api/v1/lineage`, and nowhere else:

- one deadline for the whole export: `timeout` seconds from the first connection to the last
  answer, retries and the lookup of the host's name included. A watchdog cuts the connection
  when it runs out, so a server that trickles its answer a byte at a time cannot hold the
  command longer (a per-read time-out would be renewed by every byte); the name is looked up
  in a thread waited on only until the deadline (a resolver that does not answer cannot hold
  it either);
- no redirects: an answer 3xx is not followed (a redirect to another host would take the
  events there, and a 302/303 turns a POST into a body-less GET); the event is not accepted;
- only 2xx is accepted. A refused connection or a 500/502/503/504 is tried at most RETRIES more
  times with a short backoff (within the deadline); a read that timed out is not repeated (the
  server may have stored the event). The first event not accepted stops the export;
- credentials: a user and password in the URL's userinfo (HTTP Basic) or the environment's
  OPENLINEAGE_API_KEY (a Bearer token, as the OpenLineage client takes it), sent only over
  https:// or to this machine (localhost, 127.0.0.1, ::1), and never shown: messages name the
  endpoint without its userinfo. Nothing else of the client's configuration is read.

Errors: UsageError (exit 2) for a URL that cannot be used, and when any event was not accepted,
naming the endpoint, how many of how many were not accepted and why (connection refused, HTTP
status, redirect, time-out); never the server's answer, which may echo.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

from openlineage.client.event_v2 import RunEvent
from openlineage.client.serde import Serde

from datacontract.errors import UsageError

ENDPOINT = "api/v1/lineage"
TIMEOUT = 10.0  # seconds for the whole export (every event, every retry)
RETRIES = 2
BACKOFF = 0.2  # seconds before the first retry, doubled for each next one
RETRIED = frozenset({500, 502, 503, 504})
API_KEY = "OPENLINEAGE_API_KEY"
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _split(url: str) -> SplitResult:
    """The URL's parts, with its port checked; UsageError that repeats nothing of it."""
    try:
        parts = urlsplit(url.strip())
        if parts.port == 0 or any(c.isspace() or not c.isprintable() for c in url.strip()):
            raise ValueError("a port 0, a space or a control character")
    except ValueError:  # parts.port raises it for a port that is no number or too large
        raise UsageError(
            "--openlineage-url cannot be parsed (an unclosed [, a port that is not a number "
            "from 1 to 65535, a space or a control character); the URL is not repeated"
        ) from None
    return parts


def endpoint(url: str) -> str:
    """`<url>/api/v1/lineage`; UsageError for anything but an http(s) URL with a host."""
    parts = _split(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            "--openlineage-url must be an http:// or https:// URL with a host, "
            "e.g. http://localhost:5000 (events go to <url>/api/v1/lineage)"
        )
    if parts.query or parts.fragment:
        raise UsageError(
            "--openlineage-url takes no query or fragment: events go to <url>/api/v1/lineage"
        )
    base = url.strip().rstrip("/")
    if base.endswith("/" + ENDPOINT):  # the whole endpoint given: not doubled
        base = base[: -len(ENDPOINT) - 1]
    return base + "/" + ENDPOINT


def _credentials(parts: SplitResult) -> dict[str, str]:
    """The Authorization header the URL's userinfo or OPENLINEAGE_API_KEY gives (or none);
    UsageError when they would go in clear to another machine."""
    key = os.environ.get(API_KEY, "").strip()
    if key:
        header = f"Bearer {key}"
    elif parts.username is not None or parts.password is not None:
        pair = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
        header = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
    else:
        return {}
    if parts.scheme != "https" and (parts.hostname or "") not in LOOPBACK:
        raise UsageError(
            "--openlineage-url: credentials (a user or password in the URL, or "
            f"{API_KEY}) are sent only over https:// or to this machine; nothing was posted"
        )
    return {"Authorization": header}


@dataclass
class _Request:
    """One POST, cut by a watchdog at the deadline."""

    parts: SplitResult
    path: str
    headers: dict[str, str]
    deadline: float
    cut: bool = False

    def send(self, body: bytes) -> int:
        """The answer's status; _NotAccepted for a connection that failed or ran out of time."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _NotAccepted("timeout", retry=False)
        host = self.parts.hostname or ""
        conn: http.client.HTTPConnection
        https = self.parts.scheme == "https"
        try:
            if https:
                conn = http.client.HTTPSConnection(host, self.parts.port, timeout=remaining)
            else:
                conn = http.client.HTTPConnection(host, self.parts.port, timeout=remaining)
        except (http.client.HTTPException, ValueError):
            raise _NotAccepted("connect", retry=False) from None
        self.cut = False
        watchdog = threading.Timer(remaining, self._cut, (conn,))
        watchdog.daemon = True
        watchdog.start()
        connected = False
        try:
            conn.sock = self._connect(host, conn.port, https)
            connected = True
            conn.request("POST", self.path, body=body, headers=self.headers)
            return conn.getresponse().status  # the body is not read: it may echo
        except TimeoutError:
            raise _NotAccepted("timeout", retry=False) from None
        except (OSError, http.client.HTTPException, ValueError):  # UnicodeError: a bad host
            if self.cut or time.monotonic() >= self.deadline:
                raise _NotAccepted("timeout", retry=False) from None
            if connected:  # the server closed or broke the connection mid-answer
                raise _NotAccepted("broken", retry=False) from None
            raise _NotAccepted("connect", retry=True) from None
        finally:
            watchdog.cancel()
            conn.close()

    def _connect(self, host: str, port: int, https: bool) -> socket.socket:
        """A socket to the host, its name looked up within the deadline (a resolver that
        does not answer cannot hold the export: getaddrinfo has no time-out of its own, and
        the watchdog has no socket to cut while it waits), then each address tried in turn;
        over https the certificate is checked against the host's name."""
        last: OSError | None = None
        for address in _lookup(host, port, self.deadline):
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or self.cut:
                raise TimeoutError
            try:
                sock = socket.create_connection(address, timeout=remaining)
            except OSError as exc:
                last = exc
                continue
            if https:
                context = ssl.create_default_context()
                try:
                    return context.wrap_socket(sock, server_hostname=host)
                except BaseException:
                    sock.close()
                    raise
            return sock
        raise last or OSError("no address")

    def _cut(self, conn: http.client.HTTPConnection) -> None:
        self.cut = True
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _lookup(host: str, port: int, deadline: float) -> list[tuple[str, int]]:
    """The host's addresses (address, port), looked up in a daemon thread that is waited on
    only until the deadline: _NotAccepted("timeout") when the resolver has not answered by
    then, OSError when it found none."""
    found: list[tuple[str, int]] = []
    failed: list[BaseException] = []

    def resolve() -> None:
        try:
            for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
                found.append((str(sockaddr[0]), int(sockaddr[1])))
        except (OSError, UnicodeError) as exc:  # no such host; a name IDNA cannot encode
            failed.append(exc)

    resolver = threading.Thread(target=resolve, name="openlineage-lookup", daemon=True)
    resolver.start()
    resolver.join(max(0.0, deadline - time.monotonic()))
    if resolver.is_alive():
        raise _NotAccepted("timeout", retry=False)
    if failed or not found:
        raise OSError("no address")
    return found


class _NotAccepted(Exception):
    def __init__(self, why: str, *, retry: bool, status: int = 0) -> None:
        super().__init__(why)
        self.why = why
        self.retry = retry
        self.status = status


def _post_one(request: _Request, body: bytes) -> None:
    """Send one event, retrying what may be retried; _NotAccepted when it was not accepted."""
    for attempt in range(RETRIES + 1):
        try:
            status = request.send(body)
        except _NotAccepted as exc:
            if not exc.retry or attempt == RETRIES:
                raise
        else:
            if 200 <= status < 300:
                return
            if 300 <= status < 400:
                raise _NotAccepted("redirect", retry=False, status=status)
            if status not in RETRIED:
                raise _NotAccepted("status", retry=False, status=status)
            if attempt == RETRIES:
                raise _NotAccepted("kept", retry=False, status=status)
        pause = BACKOFF * 2**attempt
        if time.monotonic() + pause >= request.deadline:
            raise _NotAccepted("timeout", retry=False)
        time.sleep(pause)


def post(events: Sequence[RunEvent], url: str, *, timeout: float = TIMEOUT) -> int:
    """Send every event within `timeout` seconds in all; return how many the server accepted
    (all of them: otherwise UsageError, naming how many were not accepted)."""
    target = endpoint(url)
    parts = _split(target)
    headers = {"Content-Type": "application/json", **_credentials(parts)}
    request = _Request(parts, parts.path or "/", headers, time.monotonic() + timeout)
    for sent, event in enumerate(events):
        body = Serde.to_json(event).encode("utf-8")
        try:
            _post_one(request, body)
        except _NotAccepted as exc:
            missing = len(events) - sent
            raise UsageError(
                f"{public(target)}: {missing} of {len(events)} events not accepted: event "
                f"{sent + 1} of {len(events)} was not accepted ({_why(exc, timeout)}); "
                f"{sent} accepted before it, the {missing - 1} after it not sent"
            ) from None
    return len(events)


def _why(exc: _NotAccepted, timeout: float) -> str:
    if exc.why == "timeout":
        return f"no answer within {timeout:g} s, the time-out for the whole export"
    if exc.why == "redirect":
        return (
            f"the server answered HTTP {exc.status}, a redirect: events are posted only to "
            "the URL given, never where a server sends them"
        )
    if exc.why == "kept":
        return f"the server kept answering with an error, {RETRIES + 1} tries (HTTP {exc.status})"
    if exc.why == "status":
        return f"the server answered HTTP {exc.status}"
    if exc.why == "broken":
        return "the server closed the connection before answering"
    return "cannot connect: refused, unreachable or no such host"


def public(url: str) -> str:
    """The URL without a user or password, for messages."""
    parts = _split(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()
