"""Posting RunEvents to a Marquez-compatible endpoint with the OpenLineage client's HttpTransport.

`post(events, url)` sends each event, in order, as its own POST of the client's JSON to
`<url>/api/v1/lineage` (Marquez's endpoint, the OpenLineage HTTP API). The transport is built
here, not from the client's configuration files or environment (OPENLINEAGE_URL and friends are
not read), with bounded waits: each request times out after `timeout` seconds, a refused
connection or a 500/502/503/504 is tried at most RETRIES more times with a short backoff, and a
read that timed out is not repeated (the server may have stored the event).

Errors: UsageError (exit 2) naming the URL, how many events were accepted before, and what went
wrong (connection refused, HTTP status, time-out); never the server's answer, which may echo.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

import requests
import urllib3
from openlineage.client.event_v2 import RunEvent
from openlineage.client.transport.http import HttpConfig, HttpTransport

from datacontract.errors import UsageError

ENDPOINT = "api/v1/lineage"
TIMEOUT = 10.0  # seconds, per request (connect and read each)
RETRIES = 2
_RETRY = {
    "total": RETRIES,
    "connect": RETRIES,
    "read": 0,
    "status": RETRIES,
    "backoff_factor": 0.2,
    "status_forcelist": [500, 502, 503, 504],
    "allowed_methods": ["POST"],
}


def endpoint(url: str) -> str:
    """`<url>/api/v1/lineage`; UsageError for anything but an http(s) URL with a host."""
    parts = urlsplit(url.strip())
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


def post(events: Sequence[RunEvent], url: str, *, timeout: float = TIMEOUT) -> int:
    """Send every event; return how many the server accepted (all, or UsageError)."""
    target = endpoint(url)
    base = target[: -len(ENDPOINT)]
    transport = HttpTransport(
        HttpConfig(url=base, endpoint=ENDPOINT, timeout=timeout, retry=dict(_RETRY))
    )
    sent = 0
    try:
        for event in events:
            try:
                transport.emit(event)
            except requests.RequestException as exc:
                raise UsageError(
                    f"{public(target)}: event {sent + 1} of {len(events)} was not accepted "
                    f"({_why(exc, timeout)}); {sent} accepted before it"
                ) from None
            sent += 1
    finally:
        transport.close()
    return sent


def _why(exc: requests.RequestException, timeout: float) -> str:
    if isinstance(exc, requests.HTTPError) and exc.response is not None:
        return f"the server answered HTTP {exc.response.status_code}"
    if isinstance(exc, requests.exceptions.RetryError):
        return f"the server kept answering with an error, {RETRIES + 1} tries"
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, urllib3.exceptions.NewConnectionError):  # a ConnectTimeoutError too
        return "cannot connect: refused, unreachable or no such host"
    if isinstance(exc, requests.Timeout) or isinstance(reason, urllib3.exceptions.TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(exc, requests.ConnectionError):
        return "cannot connect: refused, unreachable or no such host"
    return type(exc).__name__


def public(url: str) -> str:
    """The URL without a user or password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return parts._replace(netloc=netloc).geturl()
