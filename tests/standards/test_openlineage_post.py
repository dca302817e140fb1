"""Posting OpenLineage events cannot be misdirected or held (issue 23): no redirect is followed,
one deadline bounds the whole export whatever the server does, every event not accepted makes
the command fail naming how many, and credentials are sent where they belong and shown nowhere.
The servers are local (127.0.0.1), bounded, and stopped by each test."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
from tests.conftest import CONTRACT, run_cli
from tests.standards.test_openlineage import demo  # noqa: F401 - the module's demo, reused

from datacontract.errors import UsageError
from datacontract.standards import openlineage_post
from datacontract.standards.openlineage_post import post

SECRET = "s3cr3t-Pw-never-shown"


def events(n: int) -> list[RunEvent]:
    return [
        RunEvent(
            eventType=RunState.COMPLETE,
            eventTime=datetime(2025, 1, 1, tzinfo=UTC).isoformat(),
            run=Run(runId=str(uuid.uuid4())),
            job=Job(namespace="test", name=f"job{i}"),
            producer="https://example.org/test",
        )
        for i in range(n)
    ]


class Seen:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, str | None]] = []  # method, path, authorization


@contextmanager
def server(answer: Any) -> Iterator[tuple[str, Seen]]:
    """A local server; answer(handler, n) writes the answer to the n-th request (1-based)."""
    seen = Seen()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            self.rfile.read(size)
            seen.requests.append((self.command, self.path, self.headers.get("Authorization")))
            answer(self, len(seen.requests))

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def elsewhere() -> Iterator[tuple[str, list[int]]]:
    """Another host a redirect could send events to: counts every connection made to it, by
    any method (a followed 302 arrives as a GET)."""
    listening = socket.create_server(("127.0.0.1", 0))
    listening.settimeout(0.1)
    connections: list[int] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listening.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            connections.append(1)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}", connections
    finally:
        stop.set()
        thread.join(timeout=2)
        listening.close()


def status(code: int, headers: dict[str, str] | None = None) -> Any:
    def answer(handler: BaseHTTPRequestHandler, n: int) -> None:
        handler.send_response(code)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed(code: int) -> None:
    with elsewhere() as (other, taken):
        target = f"{other}/api/v1/lineage"
        redirecting = server(status(code, {"Location": target}))
        with redirecting as (url, seen), pytest.raises(UsageError) as refused:
            post(events(3), url, timeout=5)
    said = str(refused.value)
    assert f"HTTP {code}, a redirect" in said and "3 of 3 events not accepted" in said
    assert taken == []  # nothing went to the other host
    assert seen.requests == [("POST", "/api/v1/lineage", None)]  # and nothing more here


def trickle(handler: BaseHTTPRequestHandler, n: int) -> None:
    """An answer a byte every 0.1 s: each read is quick, the whole never ends."""
    for byte in b"HTTP/1.1 201 Created\r\nX-Slow: " + b"a" * 300:
        try:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(0.1)


def silent(handler: BaseHTTPRequestHandler, n: int) -> None:
    time.sleep(5)


def slow_ok(handler: BaseHTTPRequestHandler, n: int) -> None:
    time.sleep(0.3)
    status(201)(handler, n)


@pytest.mark.parametrize(
    ("answer", "count"),
    [(trickle, 3), (silent, 3), (slow_ok, 40)],
    ids=["trickle", "silent", "slow"],
)
def test_one_deadline_bounds_the_whole_export(answer: Any, count: int) -> None:
    with server(answer) as (url, seen):
        started = time.monotonic()
        with pytest.raises(UsageError) as refused:
            post(events(count), url, timeout=1.0)
        took = time.monotonic() - started
    assert took < 2.0, took
    said = str(refused.value)
    assert "no answer within 1 s, the time-out for the whole export" in said
    accepted = len(seen.requests) - 1 if answer is slow_ok else 0
    assert f"{count - accepted} of {count} events not accepted" in said, said
    assert f"{accepted} accepted before it" in said


def test_the_first_event_refused_stops_the_export_and_is_counted() -> None:
    def third_refused(handler: BaseHTTPRequestHandler, n: int) -> None:
        status(400 if n == 3 else 201)(handler, n)

    with server(third_refused) as (url, seen), pytest.raises(UsageError) as refused:
        post(events(5), url, timeout=5)
    said = str(refused.value)
    assert "3 of 5 events not accepted" in said and "HTTP 400" in said
    assert "2 accepted before it, the 2 after it not sent" in said
    assert len(seen.requests) == 3
    with server(status(200)) as (url, seen):
        assert post(events(5), url, timeout=5) == 5


def test_a_server_error_is_retried_within_the_deadline() -> None:
    def flaky(handler: BaseHTTPRequestHandler, n: int) -> None:
        status(503 if n % 2 else 201)(handler, n)

    with server(flaky) as (url, seen):
        assert post(events(3), url, timeout=5) == 3
    assert len(seen.requests) == 6


def test_credentials_are_sent_where_they_belong_and_shown_nowhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(openlineage_post.API_KEY, raising=False)
    with server(status(201)) as (url, seen):
        with_user = url.replace("http://", f"http://fons:{SECRET}@")
        assert post(events(1), with_user, timeout=5) == 1
        monkeypatch.setenv(openlineage_post.API_KEY, SECRET)
        assert post(events(1), url, timeout=5) == 1
    import base64

    basic = "Basic " + base64.b64encode(f"fons:{SECRET}".encode()).decode()
    assert [auth for _, _, auth in seen.requests] == [basic, f"Bearer {SECRET}"]
    # never in clear to another machine, and never in a message
    for given in (f"http://fons:{SECRET}@lineage.example", "http://lineage.example"):
        with pytest.raises(UsageError) as refused:
            post(events(1), given, timeout=1)
        assert "only over https://" in str(refused.value)
        assert SECRET not in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        f"http://u:{SECRET}@[::1/x",
        f"http://u:{SECRET}@h:99999",
        f"http://u:{SECRET}@h:port",
        f"ftp://u:{SECRET}@h",
        f"http://h/?key={SECRET}",
        f"http://u:{SECRET}@exa mple",
        f"http://u:{SECRET}@h:0",
        f"http://u:{SECRET}@h\x07/",
    ],
)
def test_a_malformed_url_is_exit_2_without_repeating_it(demo: Path, url: str) -> None:  # noqa: F811
    run = run_cli("lineage", "export", "--ledger", demo / "ledger.jsonl", "--contract", CONTRACT,
                  "--openlineage-url", url)  # fmt: skip
    assert run.code == 2 and "--openlineage-url" in run.stderr, run.everything
    assert SECRET not in run.everything and "Traceback" not in run.everything


def test_the_command_names_what_was_not_accepted_and_no_secret(demo: Path) -> None:  # noqa: F811
    with elsewhere() as (other, taken):
        redirecting = server(status(302, {"Location": other + "/api/v1/lineage"}))
        with redirecting as (url, _):
            secret_url = url.replace("http://", f"http://fons:{SECRET}@")
            run = run_cli("lineage", "export", "--ledger", demo / "ledger.jsonl",
                          "--contract", CONTRACT, "--openlineage-url", secret_url)  # fmt: skip
    assert run.code == 2, run.everything
    assert "events not accepted" in run.stderr and "redirect" in run.stderr
    assert "POSTED" not in run.stdout and taken == []
    assert SECRET not in run.everything and "fons" not in run.everything


def test_a_resolver_that_does_not_answer_is_bounded_by_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """getaddrinfo has no time-out of its own: the lookup of the host's name is inside the
    one deadline, as every connection and answer is."""
    real = socket.getaddrinfo

    def hanging(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "lineage.example":
            time.sleep(10)  # a resolver that does not answer (a dead DNS server)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    started = time.monotonic()
    with pytest.raises(UsageError) as refused:
        post(events(2), "http://lineage.example:8080", timeout=1.0)
    took = time.monotonic() - started
    assert took < 2.0, took
    said = str(refused.value)
    assert "no answer within 1 s, the time-out for the whole export" in said, said
    assert "2 of 2 events not accepted" in said, said


def test_each_address_of_the_host_is_tried_and_the_name_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name that resolves to an address with nothing listening, then to the server: the
    second is used, and the request still names the host it was given."""
    hosts: list[str | None] = []

    def record(handler: BaseHTTPRequestHandler, n: int) -> None:
        hosts.append(handler.headers.get("Host"))
        status(201)(handler, n)

    with server(record) as (url, _seen):
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
        closed.close()
        real = socket.getaddrinfo

        def two(host: Any, *args: Any, **kwargs: Any) -> Any:
            if host == "lineage.example":
                return [
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", dead)),
                    (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
                ]
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", two)
        assert post(events(1), f"http://lineage.example:{port}", timeout=5) == 1
    assert hosts == [f"lineage.example:{port}"]
