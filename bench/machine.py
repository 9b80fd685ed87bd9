"""What every bench's JSON says about the machine and the moment it was measured on."""

import os
import platform
import sys
import time
from typing import Any


def machine_facts(load_before: tuple[float, float, float] | None = None) -> dict[str, Any]:
    """The platform, Python, the time, the CPUs and, given the load average before the run,
    the load then and now (a shared machine's figures are read with it)."""
    facts: dict[str, Any] = {
        "machine": platform.platform(),
        "python": sys.version.split()[0],
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "cpus": os.cpu_count(),
    }
    if load_before is not None:
        facts |= {"load_before": load_before, "load_after": os.getloadavg()}
    return facts
