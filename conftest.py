"""Shared by the test suite and the doctests in afghangeo/.

Every test gets a fresh, empty user data folder (``$AFGHANGEO_DATA_DIR``), so a
gazetteer a user installed on this machine never changes a result. Sockets are
blocked for every test: afghangeo makes no network call unless a user
explicitly asks for one, and the suite proves it. A test that serves something on
loopback itself (a fake GeoNames server, a browser opening a local file) asks for
the ``loopback`` fixture, which allows 127.0.0.1/::1 and nothing else.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

import afghangeo

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class NetworkBlockedError(ConnectionRefusedError):
    """A test tried to reach the network (an OSError, as a real offline failure is)."""


def _guard(allow_loopback: bool) -> Any:
    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if self.family == socket.AF_UNIX or (allow_loopback and host in _LOOPBACK):
            return _real_connect(self, address)
        msg = f"network access attempted in a test: {address!r}"
        raise NetworkBlockedError(msg)

    return connect


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guard(allow_loopback=False))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(allow_loopback=False))
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns)
    return


def _no_dns(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host in _LOOPBACK or host is None or _is_ip(host):
        return _real_getaddrinfo(host, *args, **kwargs)
    msg = f"DNS lookup attempted in a test: {host!r}"
    raise NetworkBlockedError(msg)


_real_getaddrinfo = socket.getaddrinfo


def _is_ip(host: Any) -> bool:
    try:
        ipaddress.ip_address(host.decode() if isinstance(host, bytes) else host)
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def _fresh_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test gets an empty user data folder: no user gazetteer leaks in or out."""
    monkeypatch.setenv("AFGHANGEO_DATA_DIR", str(tmp_path_factory.mktemp("afghangeo-data")))


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Allow connections to 127.0.0.1 / ::1 (and still nothing else)."""
    monkeypatch.setattr(socket.socket, "connect", _guard(allow_loopback=True))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(allow_loopback=True))


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["ag"] = afghangeo
