"""Fixtures of the de-identification tests; every module runs with sockets disabled."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


class _NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the de-identification engine must not use the network")


def _refuse(*args, **kwargs):
    raise RuntimeError("the de-identification engine must not use the network")


@pytest.fixture(autouse=True, scope="module")
def _no_sockets_at_all():
    """Stricter than the suite's guard: not even a socket may be created."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket, "socket", _NoSocket)
        mp.setattr(socket, "create_connection", _refuse)
        mp.setattr(socket, "getaddrinfo", _refuse)
        yield


@pytest.fixture(scope="session")
def engine():
    from xinan_deid import default_engine

    return default_engine()


@pytest.fixture(scope="session")
def official_sample() -> str:
    return (DATA / "official_sample.txt").read_text(encoding="utf-8")
