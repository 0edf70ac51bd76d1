"""``python -m dashboard.serve SERVER ARGS...``: start gunicorn, uWSGI or granian, after
checking, once, what would make each of them fail at length.

Started bare, a server meets a wrong setting in every worker (uWSGI prints it once per
worker, then "OOPS"), and a port in use with pages of its own (granian: a Python
traceback and a Rust backtrace; gunicorn: retries for five seconds). Here both are one
line and exit status 1; then the server replaces this process, with ARGS unchanged.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import sys

SERVERS = ("gunicorn", "uwsgi", "granian")
USAGE = f"usage: python -m dashboard.serve {{{','.join(SERVERS)}}} [the server's arguments]"


def address(server: str, args: list[str], environ: dict[str, str]) -> tuple[str, int] | None:
    """The host and port ``server`` will listen on, given ``args`` and the environment;
    None for a socket that is no TCP port (``unix:/run/dashboard.sock``)."""
    if server == "gunicorn":
        bind = _option(args, "--bind", "-b") or "127.0.0.1:8000"
        if bind.startswith(("unix:", "fd://")):
            return None
        host, _, port = bind.rpartition(":")
        return host.strip("[]") or "0.0.0.0", int(port)
    if server == "uwsgi":  # wsgi.ini: http-socket = $HOST:$PORT, or given here
        given = _option(args, "--http-socket", "--http")
        if given:
            host, _, port = given.rpartition(":")
            return host or "0.0.0.0", int(port)
        return environ.get("HOST", "127.0.0.1"), int(environ.get("PORT", "8000"))
    host = _option(args, "--host") or environ.get("GRANIAN_HOST", "127.0.0.1")
    return host, int(_option(args, "--port") or environ.get("GRANIAN_PORT", "8000"))


def _option(args: list[str], *names: str) -> str | None:
    for index, arg in enumerate(args):
        for name in names:
            if arg == name and index + 1 < len(args):
                return args[index + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def in_use(host: str, port: int) -> bool:
    """Whether another process listens on ``host``:``port`` already."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in SERVERS:
        sys.exit(USAGE)
    server, args = argv[0], argv[1:]
    binary = shutil.which(server, path=os.path.dirname(sys.executable)) or shutil.which(server)
    if binary is None:
        sys.exit(f"dashboard: cannot start: {server} is not installed (pip install -e '.[serve]')")
    try:
        listens = address(server, args, dict(os.environ))
    except ValueError:
        sys.exit(f"dashboard: cannot start: {server}'s arguments name no port number")
    if listens is not None and in_use(*listens):
        host, port = listens
        sys.exit(f"dashboard: cannot start: {host}:{port} is in use by another process")
    from dashboard.startup import app_or_exit

    try:
        app_or_exit()  # a wrong setting: one line, once
    except SystemExit:
        raise SystemExit(1) from None  # not the server's own stop status: this is no server
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(binary, [binary, *args])


if __name__ == "__main__":
    main(sys.argv[1:])
