"""Real receivers for the alert tests: an HTTP server that records webhook POSTs and answers from a script
of status codes (503, 503, 200, …), and an SMTP server (aiosmtpd) that requires a login and records the
messages. Both listen on 127.0.0.1 on a free port, in a thread of the test process."""

from __future__ import annotations

import email
import email.policy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_USER, SMTP_PASSWORD = "alerts", "smtp-Secret-9f2c"


@dataclass
class Webhook:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    script: dict[str, list[int]] = field(default_factory=dict)  # path → statuses to answer, then 200
    lock: threading.Lock = field(default_factory=threading.Lock)

    def posts(self, path_prefix: str = "") -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(path_prefix)]

    def delivered(self, path_prefix: str = "") -> list[dict[str, Any]]:
        """The JSON bodies of the POSTs that were answered 2xx."""
        return [r["json"] for r in self.posts(path_prefix) if r["status"] < 300]


@contextmanager
def webhook_server() -> Iterator[Webhook]:
    hook = Webhook(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with hook.lock:
                statuses = next((v for k, v in hook.script.items() if self.path.startswith(k)), [])
                status = statuses.pop(0) if statuses else 200
                hook.requests.append({"path": self.path, "headers": dict(self.headers), "status": status,
                                      "json": json.loads(body or b"null")})
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def env(self) -> dict[str, str]:
        return {"INGEST_SMTP_HOST": self.host, "INGEST_SMTP_PORT": str(self.port), "INGEST_SMTP_USER": SMTP_USER,
                "INGEST_SMTP_PASSWORD": SMTP_PASSWORD, "INGEST_SMTP_FROM": "news-alerts@example.org"}


class _Recorder:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.box.messages.append(message)
        return "250 OK"


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    box = Mailbox("127.0.0.1", 0)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login.decode() == SMTP_USER \
            and data.password.decode() == SMTP_PASSWORD
        if ok:
            box.logins.append(SMTP_USER)
        return AuthResult(success=ok)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        box.port = probe.getsockname()[1]
    controller = Controller(_Recorder(box), hostname="127.0.0.1", port=box.port, authenticator=authenticate,
                            auth_required=True, auth_require_tls=False)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
