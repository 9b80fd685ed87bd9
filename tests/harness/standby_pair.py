"""A primary and its standby on this machine, set up with Presidium's own command, for the
failover tests and bench/failover.py: the primary a private server (tests.harness.pg_server),
the congress created on it, the standby cloned with `presidium standby setup`. No pytest here.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from db.standby import as_server_user, run_program, server_programs
from db.store import Store
from presidium.cli import main
from session.demo import demo_register
from tests.harness.pg_server import PrivateServer, free_port


class StandbyPair:
    def __init__(self, congress: dict[str, Any], delegates: int, *, fsync: bool = False) -> None:
        self.primary = PrivateServer(server_programs())
        if fsync:  # durable commits on the primary too, as at a venue (bench/failover.py)
            self.primary.options = self.primary.options.replace(" -c fsync=off", "")
        self.primary.start()
        self.root = Path(tempfile.mkdtemp(prefix="presidium-standby-"))
        if as_server_user():
            shutil.chown(self.root, "postgres")
        self.port = free_port()
        self.data = self.root / "data"
        base = f"postgresql://postgres@127.0.0.1:{self.primary.port}"
        with psycopg.connect(self.primary.url, autocommit=True) as admin:
            admin.execute("CREATE DATABASE congress")
        with Store.create(f"{base}/congress", congress) as store:
            store.import_register(demo_register(delegates), source="test")
        self.codes = [store.card_code(d.number, 0) for d in store.delegates() if d.votes]

    def primary_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.primary.port}/congress"

    def standby_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/congress"

    def both(self) -> str:
        """Both servers, as every terminal is given them."""
        hosts = f"127.0.0.1:{self.primary.port},127.0.0.1:{self.port}"
        return f"postgresql://postgres@{hosts}/congress?target_session_attrs=read-write"

    def set_up(self) -> None:
        """`presidium standby setup`, as the venue's technician runs it."""
        argv = [
            "--lang",
            "en",
            "standby",
            "setup",
            "--primary",
            self.primary_url(),
            "--data",
            str(self.data),
            "--port",
            str(self.port),
            "--listen",
            "127.0.0.1",
        ]
        assert main(argv) == 0  # fmt: skip

    def kill_primary(self) -> float:
        """SIGKILL the primary's postmaster (as a power cut would stop it); when."""
        pid = int((self.primary.root / "data" / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
        return time.monotonic()

    def promote(self) -> None:
        assert main(["--lang", "en", "standby", "promote", "--db", self.both()]) == 0

    def stop_standby(self) -> None:
        """The standby's server stopped (immediate), as a lost standby."""
        run_program(str(server_programs() / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                    "-w", "stop")  # fmt: skip

    def close(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run([*as_server_user(), str(server_programs() / "pg_ctl"), "-D",
                            str(self.data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)  # fmt: skip
        try:
            self.primary.stop()
        except subprocess.CalledProcessError:
            shutil.rmtree(self.primary.root, ignore_errors=True)  # (killed: nothing to stop)
        shutil.rmtree(self.root, ignore_errors=True)
