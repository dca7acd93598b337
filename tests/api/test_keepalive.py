"""Keep-alive under `serve --workers N` (api/server.py, api/commands.py): a persistent connection
serves REQUESTS_PER_CONNECTION requests, the last answered with `Connection: close`, so that a
gateway's few connections are spread over the workers again from time to time."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import BinaryIO

import pytest

from api.server import REQUESTS_PER_CONNECTION
from tests.test_serve_layout import _free_port, _init, _two_http_workers


def _exchange(sock: socket.socket, reader: BinaryIO, port: int) -> tuple[int, dict[str, str]]:
    sock.sendall(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    status = int(reader.readline().split()[1])
    headers: dict[str, str] = {}
    while line := reader.readline().decode().strip():
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    reader.read(int(headers["content-length"]))
    return status, headers


@pytest.mark.slow
def test_a_connection_is_closed_after_its_share_of_requests(tmp_path: Path) -> None:
    home, port, log = tmp_path / "home", _free_port(), tmp_path / "serve.log"
    _init(home, None, "--chain", "embedded")
    with _two_http_workers(home, port, log):
        for _ in range(2):  # a second connection gets its own share
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                reader = sock.makefile("rb")
                for n in range(1, REQUESTS_PER_CONNECTION + 1):
                    status, headers = _exchange(sock, reader, port)
                    assert status == 200
                    want = "close" if n == REQUESTS_PER_CONNECTION else "keep-alive"
                    assert headers.get("connection", "keep-alive") == want, (n, headers)
                assert reader.read(1) == b""  # closed by the server
