"""A throwaway PostgreSQL cluster of a test's own, so restarting it disturbs no one."""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def pg_bin() -> Path | None:
    found = shutil.which("pg_ctl") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)), None
    )
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PrivateServer:
    """A throwaway PostgreSQL cluster of this test's own, so restarting it disturbs no one."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="presidium-pg-"))
        self.port = free_port()
        # initdb refuses to run as root: run the server as the postgres system user then.
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.root, "postgres")
        self.options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        # -l: the server's output goes to a file, not to the pipes this process reads to EOF.
        log = ["-l", str(self.root / "log")]
        command = [str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), *log, *args]
        subprocess.run([*self.prefix, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        initdb = [str(self.bindir / "initdb"), "-D", str(self.root / "data")]
        subprocess.run(
            [*self.prefix, *initdb, "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        self.pg_ctl("-o", self.options, "-w", "start")

    def restart(self) -> None:
        self.pg_ctl("-o", self.options, "-m", "fast", "-w", "restart")

    def stop(self) -> None:
        self.pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
