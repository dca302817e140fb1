"""A PostgreSQL ledger's URL: checked before any connection, and shown without its secrets.

check(url) parses the URL as libpq does (psycopg.conninfo, no connection, no environment) and
checks what libpq would only check when connecting: every port a number from 1 to 65535, every
enumerated setting (``sslmode``, ...) one of its values, every number setting a number. A URL
that fails is a UsageError (exit 2) saying what is wrong and naming the parameter, never the
value: libpq's own messages repeat the URL (``invalid percent-encoded token: "pa%ss"``), so they
are never shown.

public_url(url) is how messages, `ledger verify`, proofs and manifests name the ledger: built
from an allow-list (user, host, port, database and the settings in SHOWN), so a password in the
userinfo, in ``?password=``, or anywhere else the URL can hold one is never repeated.

Passwords need not be in the URL at all: libpq reads ``PGPASSWORD``, ``~/.pgpass`` (or
``PGPASSFILE``) and service files (``?service=NAME`` or ``PGSERVICE``, ``PGSERVICEFILE``), and
nothing here stands in its way (docs/ledger.md).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from psycopg.conninfo import conninfo_to_dict

from datacontract.errors import UsageError

# Settings whose values are shown in the ledger's name: none of them is a secret.
SHOWN = ("service", "sslmode", "target_session_attrs", "application_name")

# Settings libpq accepts only from a fixed list (checked here, before connecting).
CHOICES: dict[str, tuple[str, ...]] = {
    "sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    "gssencmode": ("disable", "prefer", "require"),
    "channel_binding": ("disable", "prefer", "require"),
    "target_session_attrs": (
        "any",
        "read-write",
        "read-only",
        "primary",
        "standby",
        "prefer-standby",
    ),
    "load_balance_hosts": ("disable", "random"),
    "sslnegotiation": ("postgres", "direct"),
    "replication": ("true", "false", "on", "off", "yes", "no", "1", "0", "database"),
}
# Settings that are whole numbers (seconds, counts, flags).
NUMBERS = (
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "sslcompression",
    "sslsni",
)

_INTEGER = re.compile(r"[0-9]{1,9}")


def _refuse(why: str) -> UsageError:
    return UsageError(f"--ledger: not a usable postgresql:// URL: {why} (the URL is not repeated)")


def settings(url: str) -> dict[str, str]:
    """What the URL sets, as libpq parses it (the password included: never show it);
    UsageError (exit 2) for a URL libpq would refuse, saying why without repeating it."""
    try:
        given = conninfo_to_dict(normal(url))
    except Exception as exc:  # psycopg.ProgrammingError; its text repeats the URL
        said = str(exc)
        if "percent" in said:
            raise _refuse("a % that does not start a %XX escape (write %25 for a %)") from None
        if "IPv6" in said or "]" in said:
            raise _refuse("an IPv6 host opened with [ but not closed with ]") from None
        if "query parameter" in said:
            raise _refuse("a query parameter PostgreSQL does not know") from None
        raise _refuse("it cannot be parsed") from None
    values = {name: str(value) for name, value in given.items() if value is not None}
    for port in values.get("port", "").split(","):  # an empty one: that host's default
        if port and not (_INTEGER.fullmatch(port) and 1 <= int(port) <= 65535):
            raise _refuse("a port must be a number from 1 to 65535")
    if "@" in values.get("dbname", "") or "@" in values.get("host", ""):
        # libpq reads userinfo only up to the first /: a password with a / ends up here
        raise _refuse("an @ after the host (write a / in a password as %2F)")
    for name, allowed in CHOICES.items():
        if name in values and values[name] not in allowed:
            raise _refuse(f"{name} must be one of {', '.join(allowed)}")
    for name in NUMBERS:
        if name in values and not _INTEGER.fullmatch(values[name].lstrip("-")):
            raise _refuse(f"{name} must be a whole number")
    return values


def normal(url: str) -> str:
    """The URL with its scheme in lower case, as libpq needs it (store.py takes any case)."""
    scheme, sep, rest = url.partition("://")
    return scheme.lower() + sep + rest if sep else url


def check(url: str) -> str:
    """The URL for libpq (normal) when libpq can use it; UsageError (exit 2) otherwise."""
    settings(url)
    return normal(url)


def public_url(url: str) -> str:
    """The ledger's name in messages and proofs: user, host, port, database and the SHOWN
    settings, nothing else (no password, wherever the URL held it)."""
    try:
        values = settings(url)
    except UsageError:
        return "postgresql://(a malformed URL)"
    user = values.get("user")
    host = values.get("host", "")
    port = values.get("port")
    query = {name: values[name] for name in SHOWN if name in values}
    if host and ("/" in host or "," in host):  # a socket folder, or several hosts
        query = {"host": host, **query}
        host = ""
    netloc = quote(user, safe="") + "@" if user else ""
    if host:
        netloc += f"[{host}]" if ":" in host else host
    if port and "," not in port:
        netloc += f":{port}"
    elif port:
        query["port"] = port
    path = "/" + quote(values["dbname"], safe="") if values.get("dbname") else ""
    tail = "&".join(f"{name}={quote(value, safe='/,:')}" for name, value in query.items())
    return f"postgresql://{netloc}{path}" + (f"?{tail}" if tail else "")


_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')


def scrubbed(text: str, url: str) -> str:
    """A server's or libpq's message, its quoted parts kept only when they are the URL's user,
    database or host (libpq quotes what it could not use, which can be a secret)."""
    try:
        values = settings(url)
    except UsageError:
        values = {}
    known = {values[name] for name in ("user", "dbname") if values.get(name)}
    known |= {host for host in values.get("host", "").split(",") if host}
    secret = values.get("password")

    def keep(match: re.Match[str]) -> str:
        inner = match.group(0)[1:-1]
        if inner in known and inner != secret:
            return match.group(0)
        return match.group(0)[0] + "…" + match.group(0)[0]

    out = _QUOTED.sub(keep, text)
    if secret and secret in out:
        out = out.replace(secret, "…")
    return out
