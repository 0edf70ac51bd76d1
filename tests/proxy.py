"""A TCP proxy on loopback that a test can cut, freeze and restore: real network faults."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit, urlunsplit

from tests.servers import free_port

DEFAULT_PORTS = {"postgresql": 5432, "postgres": 5432, "redis": 6379}


class Proxy:
    """Forwards 127.0.0.1:<port> to a target.

    ``cut()`` closes every connection and refuses new ones (a server that went away);
    ``freeze()`` keeps every connection open and accepts new ones but forwards nothing
    (a stalled server or a black-holed network: nothing is refused, nothing answers);
    ``restore()`` undoes either.
    """

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._flowing = threading.Event()
        self.restore()

    @classmethod
    def to(cls, url: str) -> Proxy:
        """A proxy to the server that ``url`` names."""
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or DEFAULT_PORTS[parts.scheme])

    def url(self, url: str) -> str:
        """``url`` with its host and port replaced by the proxy's."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"127.0.0.1:{self.port}"
        return urlunsplit(
            parts._replace(netloc=f"{credentials}@{netloc}" if credentials else netloc)
        )

    def restore(self) -> None:
        self._flowing.set()
        if self._listener is not None:
            return  # only frozen
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def freeze(self) -> None:
        """Stop forwarding in both directions; bytes wait until ``restore()``."""
        self._flowing.clear()

    def cut(self) -> None:
        """Close every connection and stop listening: new connections are refused."""
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, []
        self._flowing.set()  # frozen pipes wake up and find their sockets closed
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread on Linux
            except OSError:
                pass
            listener.close()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()

    close = cut

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            with self._lock:
                self._connections.append(client)
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        self._flowing.wait()  # a frozen network does not reach the server either
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        with self._lock:
            self._connections.append(upstream)
        for source, sink in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self._flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
