"""Delivering a watch's notification (docs/architecture.md, "Watchlists and alerts"): a webhook POST of JSON
and/or a plain-text e-mail, each retried with capped backoff on timeouts, refused connections and 5xx
(SMTP 4xx) answers. A delivery that still fails returns its reason; nothing here raises for it.

Secrets never leave this module in a message: `redact_url` hides a webhook URL's user:password, its query
values and token-like path segments; SMTP errors are described by code and server text, never with the
password. SMTP settings come from the environment (`SmtpSettings.from_env`) or, in Airflow, from the
`smtp_default` connection (the DAG passes plain values to `SmtpSettings.from_connection`).

    INGEST_SMTP_HOST, INGEST_SMTP_PORT (25; 465 means implicit TLS), INGEST_SMTP_USER,
    INGEST_SMTP_PASSWORD, INGEST_SMTP_FROM (default ingest@<host>), INGEST_SMTP_STARTTLS (1/true: upgrade),
    INGEST_SMTP_SSL (1/true: implicit TLS), INGEST_SMTP_TIMEOUT (seconds, 10)
"""

from __future__ import annotations

import json
import logging
import os
import re
import smtplib
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ingest import variables as v

log = logging.getLogger(__name__)

TOKEN_SEGMENT = re.compile(r"[A-Za-z0-9_\-]{20,}")  # a path segment that long is a key, not a word


def redact_url(url: str) -> str:
    """The URL without secrets: no user:password, every query value '***', long token-like path segments
    '***' (chat webhooks carry their key in the path). 'https://u:p@h/hook/AbC…?token=x' →
    'https://h/hook/***?token=***'."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unparsable URL)"
    path = "/".join("***" if TOKEN_SEGMENT.fullmatch(seg) else seg for seg in parts.path.split("/"))
    query = "&".join(f"{pair.partition('=')[0]}=***" for pair in parts.query.split("&") if pair)
    return urlunsplit((parts.scheme, f"{host}{port}", path, query, ""))


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff: float = 1.0  # seconds before the second attempt, doubled each time
    max_backoff: float = 10.0
    timeout: float = 10.0  # seconds per attempt

    def delays(self) -> list[float]:
        return [min(self.backoff * 2 ** n, self.max_backoff) for n in range(self.attempts - 1)]


@dataclass(frozen=True)
class Delivery:
    channel: str  # webhook | email
    ok: bool
    reason: str | None = None
    attempts: int = 1


class _Retryable(Exception):
    """A failure worth another attempt (timeout, refused connection, 5xx, SMTP 4xx)."""


class _Final(Exception):
    """A failure another attempt cannot fix now (4xx, SMTP 5xx, bad address); still retried next run."""


def _with_retries(channel: str, policy: RetryPolicy, attempt: Callable[[], None],
                  sleep: Callable[[float], None] = time.sleep) -> Delivery:
    delays = policy.delays()
    for n in range(1, policy.attempts + 1):
        try:
            attempt()
            return Delivery(channel, True, None, n)
        except _Final as exc:
            return Delivery(channel, False, str(exc), n)
        except _Retryable as exc:
            if n == policy.attempts:
                return Delivery(channel, False, f"{exc} (after {n} attempts)", n)
            log.info("%s delivery failed (%s); retrying in %.1f s", channel, exc, delays[n - 1])
            sleep(delays[n - 1])
    return Delivery(channel, False, "not attempted", 0)


# ---------------------------------------------------------------------------------------------- webhook
def post_webhook(url: str, payload: dict[str, Any], policy: RetryPolicy | None = None) -> Delivery:
    """POST `payload` as JSON; 2xx is delivered."""
    policy = policy or RetryPolicy()
    body = json.dumps(payload, ensure_ascii=False).encode()
    shown = redact_url(url)

    def attempt() -> None:
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "news-ingest-alerts"})
        try:
            with urllib.request.urlopen(request, timeout=policy.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            message = f"webhook {shown} answered {exc.code} {exc.reason}"
            raise (_Retryable(message) if exc.code >= 500 or exc.code == 429 else _Final(message)) from None
        except TimeoutError:
            raise _Retryable(f"webhook {shown} did not answer in {policy.timeout:g} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _Retryable(f"webhook {shown} did not answer in {policy.timeout:g} s") from None
            raise _Retryable(f"webhook {shown} unreachable ({_plain(exc.reason)})") from None
        except (ConnectionError, OSError) as exc:
            raise _Retryable(f"webhook {shown} unreachable ({_plain(exc)})") from None
        except ValueError as exc:
            raise _Final(f"webhook {shown} is not a usable URL") from exc

    return _with_retries("webhook", policy, attempt)


def _plain(reason: object) -> str:
    if isinstance(reason, OSError):
        return reason.strerror or type(reason).__name__
    return str(reason) if isinstance(reason, str) else type(reason).__name__


# ---------------------------------------------------------------------------------------------- e-mail
@dataclass(frozen=True)
class SmtpSettings:
    host: str | None = v.SMTP_HOST.default
    port: int = v.SMTP_PORT.default
    username: str | None = v.SMTP_USER.default
    password: str | None = v.SMTP_PASSWORD.default
    sender: str | None = v.SMTP_FROM.default
    starttls: bool = v.SMTP_STARTTLS.default
    ssl: bool = v.SMTP_SSL.default
    timeout: float = v.SMTP_TIMEOUT.default

    @property
    def configured(self) -> bool:
        return bool(self.host)

    def describe(self) -> str:
        """Where mail goes, for messages: host and port (never the password)."""
        return f"{self.host}:{self.port}" if self.host else "(no SMTP server: set INGEST_SMTP_HOST)"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SmtpSettings:
        smtp = replace(cls(), **v.read_all(v.SMTP_VARIABLES, os.environ if env is None else env))
        return replace(smtp, ssl=True) if smtp.port == 465 else smtp  # 465 is the implicit-TLS port

    @classmethod
    def from_connection(cls, *, host: str | None, port: int | None, login: str | None, password: str | None,
                        extra: Mapping[str, Any]) -> SmtpSettings:
        """From an orchestrator's SMTP connection record (Airflow's `smtp_default`: extra `from_email`,
        `disable_tls`, `disable_ssl`, `timeout`), as plain values, read as Airflow's SMTP hook reads them
        (implicit TLS unless `disable_ssl`; STARTTLS unless `disable_tls`, when not implicit)."""
        return cls(host=host or None, port=int(port or v.SMTP_PORT.default), username=login or None,
                   password=password or None, sender=extra.get("from_email") or None,
                   starttls=not _yes(str(extra.get("disable_tls", ""))),
                   ssl=not _yes(str(extra.get("disable_ssl", ""))),
                   timeout=float(extra.get("timeout") or v.SMTP_TIMEOUT.default))


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def send_mail(smtp: SmtpSettings, to: Sequence[str], subject: str, text: str,
              policy: RetryPolicy | None = None) -> Delivery:
    """One plain-text message to every address of `to`."""
    policy = policy or RetryPolicy(timeout=smtp.timeout)
    if not smtp.configured:
        return Delivery("email", False, "no SMTP server configured (INGEST_SMTP_HOST, or Airflow's smtp_default)", 0)
    message = EmailMessage()
    message["From"] = smtp.sender or f"news-ingest@{socket.getfqdn()}"
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="news-ingest")
    message.set_content(text)
    return _with_retries("email", policy, lambda: _smtp_send(smtp, message, policy.timeout))


def _smtp_send(smtp: SmtpSettings, message: EmailMessage, timeout: float) -> None:
    where = smtp.describe()
    try:
        client: smtplib.SMTP = (smtplib.SMTP_SSL(smtp.host or "", smtp.port, timeout=timeout,
                                                 context=ssl.create_default_context()) if smtp.ssl
                                else smtplib.SMTP(smtp.host or "", smtp.port, timeout=timeout))
        with client:
            if smtp.starttls and not smtp.ssl:
                client.starttls(context=ssl.create_default_context())
            if smtp.username:
                client.login(smtp.username, smtp.password or "")
            refused = client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise _Final(f"SMTP server {where} refused the login of {smtp.username} ({exc.smtp_code})") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise _Final(f"SMTP server {where} refused every recipient: {', '.join(exc.recipients)}") from None
    except smtplib.SMTPResponseException as exc:
        message_text = f"SMTP server {where} answered {exc.smtp_code} {_smtp_text(exc.smtp_error)}"
        raise (_Retryable(message_text) if 400 <= exc.smtp_code < 500 else _Final(message_text)) from None
    except (smtplib.SMTPException, OSError) as exc:
        cause = _plain(exc) if isinstance(exc, OSError) else type(exc).__name__
        raise _Retryable(f"SMTP server {where} unreachable or hung up ({cause})") from None
    if refused:
        raise _Final(f"SMTP server {where} refused {', '.join(sorted(refused))}")


def _smtp_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split())[:200]
