"""The pieces of the multi-server stage: processes with their logs, nginx's configuration, a
switchable TCP relay in front of the object store (to make it refuse writes for a while without
losing what it holds) and a stand-in for the SMS provider's HTTP API that counts deliveries.

Everything listens on 127.0.0.1 only; every process is started in its own session so that a
whole server (a gunicorn master and its workers, an rq worker and its work-horse) can be stopped
or killed as one."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class StageError(Exception):
    """A step of the stage could not be carried out (not a failed check: the stage stops)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Service:
    """One server process of the stage, its command, environment and log file."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    cwd: Path
    port: int | None = None
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, wait_seconds: float = 60) -> None:
        with self.log.open("a") as handle:
            handle.write(f"\n--- start {time.strftime('%H:%M:%S')} ---\n")
        # Each service is a process group of its own: stopping it stops its children too.
        self.process = subprocess.Popen(
            self.command,
            cwd=self.cwd,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if self.port is not None:
            self.wait_for_port(wait_seconds)

    def wait_for_port(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise StageError(f"{self.name} exited with status {self.process.returncode} while starting")
            if port_open(self.port):
                return
            time.sleep(0.2)
        raise StageError(f"{self.name} did not open port {self.port} within {seconds:.0f} s")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def stop(self, seconds: float = 20) -> None:
        """SIGTERM to the whole group, SIGKILL after ``seconds``."""
        if not self.running:
            self.signal_group(signal.SIGKILL)  # children left behind by a dead leader
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.process.wait()
        self.signal_group(signal.SIGKILL)

    def kill(self) -> None:
        """A crash: SIGKILL to the whole group and every descendant at once (an rq work-horse
        starts a session of its own), no chance to finish anything."""
        import psutil

        if self.process is not None:
            with contextlib.suppress(psutil.NoSuchProcess):
                for child in psutil.Process(self.process.pid).children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        child.kill()
        self.signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait()

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return "(no log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def count_in_log(self, needle: str) -> int:
        return self.log.read_text(errors="replace").count(needle) if self.log.exists() else 0


def nginx_conf(folder: Path, *, port: int, upstreams: list[int], run_as_root: bool) -> Path:
    """nginx in front of the application servers, as docs/deployment.md §8 (without TLS: loopback).

    ``max_fails=1 fail_timeout=5s``: a server that refuses a connection is left out for 5 s;
    nginx passes a request to the other server when the connection fails (nothing was sent yet),
    and never re-sends a POST that already reached a server (``proxy_next_upstream``'s default)."""
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstreams)
    user = "user root root;  # loopback-only throwaway stage; its folders are the runner's\n" if run_as_root else ""
    text = f"""{user}worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream xinan_app {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        server_name 127.0.0.1;
        client_max_body_size 55m;
        location / {{
            proxy_pass http://xinan_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-Start "t=${{msec}}";
            proxy_read_timeout 60s;
            proxy_redirect off;
        }}
    }}
}}
"""
    path = folder / "nginx.conf"
    path.write_text(text)
    return path


class Relay(threading.Thread):
    """A TCP relay from ``port`` to ``target``. While ``refusing`` is set, every new connection
    is closed at once (the store "refuses" and nothing reaches it); what the store holds is kept."""

    def __init__(self, port: int, target: int):
        super().__init__(daemon=True)
        self.port, self.target = port, target
        self.refusing = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", port))
        self.refused = 0

    def run(self) -> None:
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if self.refusing.is_set():
                self.refused += 1
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                client.close()  # RST: connection reset by peer
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target), timeout=10)
            except OSError:
                client.close()
                continue
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.listener.close()


class SmsGateway:
    """A stand-in for the SMS provider's SendSms HTTP API on loopback (XINAN_SMS_ENDPOINT).

    It answers like the provider (``{"Code": "OK", "BizId": …}``), remembers every request it
    received by the message id XinAn sends as ``OutId``, and keeps the latest sign-in code per
    phone, as the phone would show it. ``hold_phone`` makes the next request to a phone wait (a slow provider),
    so that a worker can be killed while it is sending."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[dict] = []  # every request: out_id, phone, template, at
        self.codes: dict[str, str] = {}
        self.hold_phone: str | None = None  # the next request to this phone waits for ``release``
        self.holding = threading.Event()  # set while a held request is in hand
        self.release = threading.Event()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                if query.get("Action") != "SendSms":  # delivery reports (QuerySendDetails): nothing known yet
                    self._answer({"Code": "OK", "Message": "OK", "TotalCount": 0,
                                  "SmsSendDetailDTOs": {"SmsSendDetailDTO": []}})
                    return
                params = json.loads(query.get("TemplateParam", "{}") or "{}")
                with gateway.lock:
                    gateway.received.append(
                        {
                            "out_id": query.get("OutId", ""),
                            "phone": query.get("PhoneNumbers", ""),
                            "template": query.get("TemplateCode", ""),
                            "at": time.monotonic(),
                        }
                    )
                    if "code" in params:
                        gateway.codes[query.get("PhoneNumbers", "")] = params["code"]
                    held = gateway.hold_phone is not None and gateway.hold_phone == query.get("PhoneNumbers")
                    if held:
                        gateway.hold_phone = None
                if held:
                    gateway.holding.set()
                    gateway.release.wait(30)
                self._answer({"Code": "OK", "Message": "OK", "BizId": f"stage-{len(gateway.received)}"})

            def _answer(self, payload: dict) -> None:
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(json.dumps(payload).encode())
                except OSError:
                    pass  # the worker that asked is gone

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def deliveries(self, out_id: str) -> int:
        with self.lock:
            return sum(1 for item in self.received if item["out_id"] == out_id)

    def duplicates(self) -> dict[str, int]:
        with self.lock:
            seen: dict[str, int] = {}
            for item in self.received:
                seen[item["out_id"]] = seen.get(item["out_id"], 0) + 1
        return {out_id: n for out_id, n in seen.items() if n > 1}

    def wait_for_code(self, phone: str, *, after: int, seconds: float = 30) -> str | None:
        """The code of a sign-in SMS to ``phone`` received after the first ``after`` requests."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if any(item["phone"] == phone for item in self.received[after:]):
                    return self.codes.get(phone)
            time.sleep(0.1)
        return None

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
