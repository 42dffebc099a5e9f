"""Is there a Dask scheduler at this address? Asked with a plain socket and a deadline, before Dask connects.

Dask's own client waits forever on a server that accepts connections and never answers,
and trusts the length a server sends first (a web server's reply reads as exabytes). A
Dask scheduler greets every new connection with a short handshake message: an 8-byte
little-endian length, then a msgpack map that names its ``pickle-protocol``. Anything
else within ``PROBE_TIMEOUT_S`` seconds is not a Dask scheduler.
"""

from __future__ import annotations

import socket
import struct
import time
from urllib.parse import urlsplit

PROBE_TIMEOUT_S = 10.0
MAX_HANDSHAKE = 1 << 16  # a handshake is ~100 bytes


def probe_scheduler(address: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Return if ``tcp://HOST:PORT`` answers like a Dask scheduler within ``timeout``; else ``ValueError``."""
    parts = urlsplit(address)
    if parts.scheme != "tcp" or not parts.hostname or parts.port is None:
        raise ValueError(f"--dask: '{address}' is not tcp://HOST:PORT")
    deadline = time.monotonic() + timeout
    where = f"--dask {address}"
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
            header = _read(sock, 8, deadline)
            (length,) = struct.unpack("<Q", header)
            if not 0 < length <= MAX_HANDSHAKE:
                raise ValueError(f"{where}: not a Dask scheduler (its first message claims {length:,} bytes)")
            body = _read(sock, length, deadline)
    except TimeoutError:
        raise ValueError(
            f"{where}: not a Dask scheduler (no Dask handshake within {timeout:g} s); check the address and port"
        ) from None
    except OSError as exc:
        raise ValueError(f"{where}: cannot reach a Dask scheduler: {exc.strerror or exc}") from None
    if b"pickle-protocol" not in body:
        raise ValueError(f"{where}: not a Dask scheduler (its first message is not a Dask handshake)")


def _read(sock: socket.socket, n: int, deadline: float) -> bytes:
    data = b""
    while len(data) < n:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise OSError("the server closed the connection without a Dask handshake")
        data += chunk
    return data
