"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests, started once per test process.

Debian's PostgreSQL 15 binaries (/usr/lib/postgresql/15/bin) refuse to run as root, so when
the tests run as root the cluster runs as the `postgres` user in a temp dir it owns.
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


def _pg_bin() -> Path:
    """AKHBAR_PG_BIN, else the newest Debian PostgreSQL (/usr/lib/postgresql/N/bin; 15 on bookworm)."""
    if os.environ.get("AKHBAR_PG_BIN"):
        return Path(os.environ["AKHBAR_PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()

_state: dict[str, object] = {}


def unavailable_reason() -> str | None:
    """Why a cluster cannot be started here, or None when it can."""
    if os.environ.get("AKHBAR_TEST_PG"):
        return None
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        return f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql, or set AKHBAR_PG_BIN)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user to run the test cluster as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], user: str | None) -> None:
    if user:
        cmd = ["runuser", "-u", user, "--", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)


def server_url() -> str:
    """URL of the test server (AKHBAR_TEST_PG, or a cluster started now and stopped at exit)."""
    if os.environ.get("AKHBAR_TEST_PG"):
        return os.environ["AKHBAR_TEST_PG"]
    if "url" in _state:
        return str(_state["url"])
    user = "postgres" if os.geteuid() == 0 else None
    tmp = Path(tempfile.mkdtemp(prefix="akhbar-pg-"))
    data = tmp / "data"
    if user:
        info = pwd.getpwnam(user)
        os.chown(tmp, info.pw_uid, info.pw_gid)
    port = _free_port()
    _run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "akhbar", "--auth=trust", "-E", "UTF8",
          "--locale=C.UTF-8"], user)
    opts = f"-h 127.0.0.1 -p {port} -k {tmp} -c fsync=off -c max_connections=60"
    _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(tmp / "log"), "-o", opts, "-w", "start"], user)

    def stop() -> None:
        try:
            _run([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], user)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    atexit.register(stop)
    _state["url"] = f"postgresql://akhbar@127.0.0.1:{port}/postgres"
    return str(_state["url"])


def fresh_database() -> str:
    """A new empty database on the test server; returns its URL."""
    import psycopg

    base = server_url()
    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name
