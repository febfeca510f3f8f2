"""No test reaches the network: outgoing connections are allowed to loopback and unix sockets only."""
from __future__ import annotations

import ipaddress
import socket

_original_connect = socket.socket.connect
_original_connect_ex = socket.socket.connect_ex


class NetworkBlocked(ConnectionRefusedError):
    """Raised instead of connecting anywhere but loopback."""


def is_loopback(host: str) -> bool:
    if host in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _check(sock: socket.socket, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(str(address[0])):
        raise NetworkBlocked(f"katas never reach the network: connection to {address[0]}:{address[1]} "
                             "refused (only loopback is allowed during tests)")


def _guarded_connect(self, address):
    _check(self, address)
    return _original_connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _original_connect_ex(self, address)


def block_non_loopback() -> None:
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex


def restore() -> None:
    socket.socket.connect = _original_connect
    socket.socket.connect_ex = _original_connect_ex
