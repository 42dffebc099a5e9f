"""The Dask probe reads Dask's handshake, which is not a public API: this test fails when Dask changes it.

``sweep/dask_probe.py`` recognises a scheduler by the first message it sends to a new
connection (an 8-byte length, then a msgpack map). A real scheduler of the installed Dask
must pass the probe, and a listener that is not Dask must not, so an upgrade of Dask that
changes the greeting is caught here rather than by a user whose ``--dask`` address is refused.
"""

from __future__ import annotations

import socket
import threading

import distributed
import pytest

from exitban.sweep.dask_probe import probe_scheduler


def test_a_real_scheduler_of_the_installed_dask_passes_the_probe() -> None:
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        probe_scheduler(address, timeout=10)  # raises ValueError if the greeting is not recognised


def test_a_listener_that_greets_otherwise_is_not_a_scheduler() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]

        def greet() -> None:
            conn, _ = server.accept()
            with conn:
                conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")

        threading.Thread(target=greet, daemon=True).start()
        with pytest.raises(ValueError, match="not a Dask scheduler"):
            probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=5)
