"""Echo: from a scan's Enter to the first change of the screen, seen through a real terminal.

    uv run python bench/echo.py [--samples 250] [--delegates 300] [--warm-up 5]
                                [--quiet-ms 250] [--poll-ms 0] [--no-floor]

Three programs run side by side in tmux on a private server (``tmux -L benchecho``, killed at the
end; no other tmux server is touched), each in its own 160x50 session:

- **presidium**: the real app, ``presidium --lang en run --db DEMO --role operator`` on a demo
  congress written first by ``presidium --lang en demo --no-open --replace`` into a temporary
  directory (``--delegates``, 300 as the demo's default; the card codes are read from its
  store, ``store.card_code(number, card_issue)``);
- **echo**: bench/echo_app.py, a bare Textual app that only echoes what is typed (the line typed,
  and on Enter the line entered): what any Textual app costs, the yardstick;
- **floor**: ``cat`` in a cooked tty, whose echo the kernel writes the moment tmux types: the
  floor of the measuring itself (below).

The scans alternate between presidium and echo (presidium first in one round, echo first in the
next) and then floor, in one run, so the machine's load falls on both alike; ``--samples`` each,
after ``--warm-up`` unmeasured scans each. Each card is scanned once (distinct delegates while the
register lasts), so presidium admits a delegate every time.

**How a sample is taken.** The bench holds one tmux control-mode client (``tmux -C``, attached to
an idle session, ``refresh-client -f no-output``), so each tmux command is a line on a pipe and
its reply a ``%begin``/``%end`` block: no process is started per command (a ``tmux`` command
line costs 5-15 ms to start here). The clock starts just before ``send-keys -l CODE`` and
``send-keys Enter`` are written to it, both at once (tmux types the 36 digits and the Enter into
the pane's pty back to back, as a USB scanner does); then ``capture-pane -p`` is sent again and
again (a tight loop; ``--poll-ms`` sleeps between) until the pane's text differs from its text
before the scan: **first** is the time that capture's reply arrived. It may be the digits shown
in the field before the answer ("first=result" counts the samples where it was the answer
already). **result** is the first capture showing the scan's answer (presidium: the banner's
"(no. N)"; echo: "entered: CODE"), and **settled** the last change before the pane stayed
unchanged for ``--quiet-ms`` (presidium's counts and lists read after the commit). The app's
clock in the top line (HH:MM:SS) is masked, so the passing seconds are not a change.

**Ready between scans.** Before each scan the pane must be unchanged for 50 ms and ready: the scan
field empty (its placeholder shown) for presidium, nothing typed for echo. Presidium's banner
goes back to "Ready: scan the next card" 4 s after a result; the bench does not wait for that
every time (it would take 4 s a scan), but when presidium's last scan is over 3 s old it waits
for that banner first, so that timer never fires inside a measurement.

**The floor.** A change is seen only when a capture taken after it returns: the delay is at most
one capture's round trip (0.15-0.25 ms for a 160x50 pane on this VM when quiet, about 0.8 ms
under load; measured at the start as ``capture_rt_ms``), plus tmux reading what the app wrote
to its pty (tmux reads and parses the pane's output before it answers a capture). The floor row
measures that whole path with no app at all: typing into ``cat`` to seeing the kernel's echo.
Text attributes (colours, the blinking cursor) are not captured (``-p`` without ``-e``): only
text changes count. The polling keeps about one core busy (the bench and the tmux server, one
waiting on the other) on both apps alike.

Prints a table and writes bench/results/echo.json (every sample included).
Target (issue 12): presidium's p99 (first change) within 1.5x of the echo app's p99.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine import machine_facts  # noqa: E402  (this folder, as the script runs)

from db.store import Store  # noqa: E402
from session import i18n  # noqa: E402

SOCKET = "benchecho"
WIDTH, HEIGHT = 160, 50
CLOCK = re.compile(r"\d\d:\d\d:\d\d")
TIMEOUT = 5.0  # seconds: a scan with no change by then is counted as missing
READY_QUIET = 0.05  # seconds unchanged before a scan (besides the app's ready text)
STALE = 3.0  # presidium's banner returns to "ready" RESULT_SECONDS (4 s) after a result
# (Not `window-size manual`: tmux 3.3a's server crashes on the next new-session with it.)
TMUX_CONF = """\
set -g status off
set -g remain-on-exit on
set -g default-size {width}x{height}
set -g default-terminal tmux-256color
set -g history-limit 100
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# ----------------------------------------------------------------------------- tmux


class CommandFailed(RuntimeError):
    """tmux answered a command with %error."""


class Control:
    """One tmux control-mode client: a command is a line written, its reply a block read."""

    def __init__(self, tmux: list[str], session: str) -> None:
        self.proc = subprocess.Popen(
            [*tmux, "-C", "attach-session", "-t", session],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin: IO[bytes] = self.proc.stdin
        self.stdout: IO[bytes] = self.proc.stdout
        # The attach's own reply and notifications come first: read up to a known answer (a
        # command sent before the client is attached fails with "no current client": again).
        for _ in range(100):
            self.write("display-message -p benchecho-sync")
            try:
                while self.block() != ["benchecho-sync"]:
                    pass
                break
            except CommandFailed:
                time.sleep(0.05)
        else:
            raise RuntimeError("the tmux control client never attached")
        # No %output notifications. Even after the answer above the client may not be the
        # current one yet ("no current client"): again, a few times.
        for _ in range(100):
            try:
                self.command("refresh-client -f no-output")
                break
            except CommandFailed:
                time.sleep(0.05)
        else:
            raise RuntimeError("the tmux control client never became current")
        self.sync("benchecho-ready")

    def sync(self, token: str) -> None:
        """Read every answer up to the one to a marker: each command's answer is then the next
        block (an answer left unread would shift every later one, and a capture would return
        the answer to the command before it)."""
        self.write(f"display-message -p {token}")
        while True:
            try:
                if self.block() == [token]:
                    return
            except CommandFailed:
                continue

    def write(self, *commands: str) -> None:
        self.stdin.write("".join(c + "\n" for c in commands).encode())
        self.stdin.flush()

    def block(self) -> list[str]:
        """The next command's output (notifications between blocks are skipped)."""
        lines: list[str] = []
        inside = False
        while True:
            raw = self.stdout.readline()
            if not raw:
                raise RuntimeError("the tmux control client ended")
            line = raw.rstrip(b"\n").decode("utf-8", "replace")
            if not inside:
                inside = line.startswith("%begin")
            elif line.startswith("%end"):
                return lines
            elif line.startswith("%error"):
                raise CommandFailed(" ".join(lines))
            else:
                lines.append(line)

    def command(self, command: str) -> list[str]:
        self.write(command)
        return self.block()

    def capture(self, target: str) -> list[str]:
        return self.command(f"capture-pane -p -t {target}")

    def scan(self, target: str, code: str) -> None:
        """The code's digits and Enter typed into the pane (both commands in one write)."""
        self.write(f"send-keys -t {target} -l {code}", f"send-keys -t {target} Enter")
        self.block()
        self.block()

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait(timeout=5)


@dataclass
class Pane:
    """A program in its own tmux session, and how to tell it is ready and has answered."""

    name: str
    command: list[str]
    ready: Callable[[str], bool]  # the app waits for a scan
    marker: Callable[[int, str], str]  # (number, code): the text of that scan's answer
    fresh: Callable[[str], bool] | None = None  # presidium: its banner back to "ready"
    last_scan: float = 0.0

    @property
    def target(self) -> str:
        return f"{self.name}:0.0"


@dataclass(frozen=True)
class Sample:
    """One scan: ms from the Enter to the first change, the answer, the last change."""

    number: int
    first_ms: float | None
    result_ms: float | None
    settled_ms: float | None
    polls: int
    first_is_result: bool


class Bench:
    """Scans typed into panes through the control client, and their screens watched."""

    def __init__(self, control: Control, quiet: float, poll: float) -> None:
        self.control = control
        self.quiet = quiet
        self.poll = poll

    def screen(self, pane: Pane) -> str:
        lines = self.control.capture(pane.target)
        if lines:
            lines[0] = CLOCK.sub("--:--:--", lines[0])  # presidium's clock ticks every second
        return "\n".join(lines)

    def settle(
        self, pane: Pane, quiet: float, need: Callable[[str], bool] | None = None, limit: float = 10
    ) -> tuple[str, float]:
        """Until the pane stays unchanged for `quiet` seconds (and shows `need`): its text and
        the time of its last change."""
        screen = self.screen(pane)
        started = changed = time.perf_counter()
        while True:
            time.sleep(0.002)
            now_screen = self.screen(pane)
            now = time.perf_counter()
            if now_screen != screen:
                screen, changed = now_screen, now
            elif now - changed >= quiet and (need is None or need(screen)):
                return screen, changed
            if now - started > limit:
                raise TimeoutError(f"{pane.name} not ready after {limit} s:\n{screen}")

    def ready(self, pane: Pane) -> None:
        self.settle(pane, READY_QUIET, pane.ready)
        if pane.fresh is not None and time.perf_counter() - pane.last_scan > STALE:
            fresh = pane.fresh
            self.settle(pane, READY_QUIET, lambda s: pane.ready(s) and fresh(s))

    def scan(self, pane: Pane, number: int, code: str) -> Sample:
        self.ready(pane)
        marker = pane.marker(number, code)
        before = self.screen(pane)
        first: float | None = None
        result: float | None = None
        first_is_result = False
        polls = 0
        started = time.perf_counter()
        self.control.scan(pane.target, code)
        while first is None or result is None:
            screen = self.screen(pane)
            now = time.perf_counter()
            polls += 1
            if first is None and screen != before:
                first, first_is_result = now, marker in screen
            if result is None and marker in screen:
                result = now
            if now - started > TIMEOUT:
                break
            if self.poll:
                time.sleep(self.poll)
        pane.last_scan = time.perf_counter()
        settled = None
        if result is not None:
            _, changed = self.settle(pane, self.quiet)
            settled = max(changed, result)

        def ms(at: float | None) -> float | None:
            return None if at is None else (at - started) * 1000

        return Sample(number, ms(first), ms(result), ms(settled), polls, first_is_result)


# ----------------------------------------------------------------------------- running


def build_demo(tmp: Path, delegates: int) -> tuple[Path, list[tuple[int, str]]]:
    """The demo congress, written as `presidium demo` writes it; its cards' numbers and codes."""
    db = tmp / "presidium-demo.db"
    demo = ["demo", "--no-open", "--replace", "--db", str(db), "--delegates", str(delegates)]
    presidium = [sys.executable, "-m", "presidium", "--lang", "en"]
    subprocess.run([*presidium, *demo], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    with Store.open(str(db), terminal="bench") as store:
        cards = [(d.number, store.card_code(d.number, d.card_issue)) for d in store.delegates()]
    return db, cards


def panes(db: Path, floor: bool) -> list[Pane]:
    i18n.use("en")
    t = i18n.t
    placeholder, ready = t("tui.scan.placeholder"), t("tui.result.ready")
    role = ["--db", str(db), "--role", "operator"]
    found = [
        Pane(
            "presidium",
            [sys.executable, "-m", "presidium", "--lang", "en", "run", *role],
            ready=lambda s: placeholder in s,
            marker=lambda n, _: t("tui.result.who", name="", number=n).strip(),
            fresh=lambda s: ready in s,
        ),
        Pane(
            "echo",
            [sys.executable, str(ROOT / "bench" / "echo_app.py")],
            ready=lambda s: "typed:" in (line.rstrip() for line in s.splitlines()),
            marker=lambda _, code: f"entered: {code}",
        ),
    ]
    if floor:
        found.append(
            Pane("floor", ["cat"], ready=lambda s: True, marker=lambda _, code: code),
        )
    return found


def summary(samples: list[Sample]) -> dict[str, Any]:
    def stats(key: str) -> dict[str, float | None]:
        values = [v for s in samples if (v := getattr(s, key)) is not None]
        if not values:
            return {f"{key[:-3]}_p50_ms": None, f"{key[:-3]}_p99_ms": None}
        return {
            f"{key[:-3]}_p50_ms": statistics.median(values),
            f"{key[:-3]}_p99_ms": percentile(values, 0.99),
            f"{key[:-3]}_max_ms": max(values),
        }

    return {
        "samples": len(samples),
        **stats("first_ms"),
        **stats("result_ms"),
        **stats("settled_ms"),
        "missing": sum(s.first_ms is None for s in samples),
        "first_is_result": sum(s.first_is_result for s in samples),
        "polls_p50": statistics.median(s.polls for s in samples),
    }


def measure(
    args: argparse.Namespace, tmux: list[str], conf: Path, db: Path, cards: list[tuple[int, str]]
) -> tuple[dict[str, list[Sample]], float]:
    """The panes started on the private server, then the scans: the samples per pane, and one
    capture's round trip (ms)."""
    size = ["-x", str(WIDTH), "-y", str(HEIGHT)]
    idle = "sleep 86400"  # the control client's own session: no output
    subprocess.run([*tmux, "-f", str(conf), "new-session", "-d", "-s", "ctl", idle], check=True)
    apps = panes(db, args.floor)
    for pane in apps:
        command = shlex.join(pane.command)
        start = [*tmux, "new-session", "-d", "-s", pane.name, *size, "-c", str(ROOT), command]
        subprocess.run(start, check=True)
    control = Control(tmux, "ctl")
    try:
        bench = Bench(control, args.quiet_ms / 1000, args.poll_ms / 1000)
        for pane in apps:
            bench.settle(pane, 0.5, pane.ready, limit=60)  # started
        started = time.perf_counter()
        for _ in range(200):
            control.capture(apps[0].target)
        capture_rt_ms = (time.perf_counter() - started) / 200 * 1000
        # Round i scans card i in each pane: distinct cards while the register lasts.
        for i in range(args.warm_up):
            for pane in apps:
                bench.scan(pane, *cards[i % len(cards)])
        measured: dict[str, list[Sample]] = {pane.name: [] for pane in apps}
        pair, floor = apps[:2], apps[2:]
        for i in range(args.samples):
            card = cards[(args.warm_up + i) % len(cards)]
            for pane in [*(pair if i % 2 == 0 else pair[::-1]), *floor]:
                measured[pane.name].append(bench.scan(pane, *card))
            if (i + 1) % 50 == 0:
                print(f"  {i + 1} rounds", file=sys.stderr, flush=True)
    finally:
        control.close()
    return measured, capture_rt_ms


def run(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    tmux = ["tmux", "-L", SOCKET]
    db, cards = build_demo(tmp, args.delegates)
    conf = tmp / "tmux.conf"
    conf.write_text(TMUX_CONF.format(width=WIDTH, height=HEIGHT))
    subprocess.run([*tmux, "kill-server"], stderr=subprocess.DEVNULL, check=False)  # (a leftover)
    try:
        measured, capture_rt_ms = measure(args, tmux, conf, db, cards)
    finally:
        subprocess.run([*tmux, "kill-server"], stderr=subprocess.DEVNULL, check=False)
        # (tmux 3.3a leaves the socket file of a server it killed)
        tmpdir = Path(os.environ.get("TMUX_TMPDIR", "/tmp"))
        (tmpdir / f"tmux-{os.getuid()}" / SOCKET).unlink(missing_ok=True)
    rows = {name: summary(samples) for name, samples in measured.items()}
    p, e = rows["presidium"], rows["echo"]
    return {
        "capture_rt_ms": capture_rt_ms,
        "apps": rows,
        "ratio_first_p99": p["first_p99_ms"] / e["first_p99_ms"],
        "ratio_first_p50": p["first_p50_ms"] / e["first_p50_ms"],
        "ratio_result_p99": p["result_p99_ms"] / e["result_p99_ms"],
        "samples": {name: [asdict(s) for s in samples] for name, samples in measured.items()},
    }


COLUMNS = [
    ("samples", "samples", "{:>7}"),
    ("first_p50_ms", "first p50", "{:>9.1f}"),
    ("first_p99_ms", "first p99", "{:>9.1f}"),
    ("first_max_ms", "first max", "{:>9.1f}"),
    ("result_p50_ms", "result p50", "{:>10.1f}"),
    ("result_p99_ms", "result p99", "{:>10.1f}"),
    ("settled_p50_ms", "settled p50", "{:>11.1f}"),
    ("missing", "missing", "{:>7}"),
    ("first_is_result", "first=result", "{:>12}"),
]


def print_table(result: dict[str, Any]) -> None:
    print(f"{'app':>9} | " + " | ".join(title for _, title, _ in COLUMNS))
    for name, row in result["apps"].items():
        cells = [
            fmt.format(row[key]) if row.get(key) is not None else f"{'-':>{len(title)}}"
            for key, title, fmt in COLUMNS
        ]
        print(f"{name:>9} | " + " | ".join(cells))
    print(
        f"presidium / echo: first p99 {result['ratio_first_p99']:.2f}x (target <= 1.5x), "
        f"first p50 {result['ratio_first_p50']:.2f}x, result p99 {result['ratio_result_p99']:.2f}x"
    )
    print(f"capture round trip {result['capture_rt_ms']:.2f} ms (times in ms)")
    floor = result["apps"].get("floor")
    if floor and floor["first_is_result"] < floor["samples"]:  # cat's first change is its echo
        print("WARNING: the floor's first change was not its echo: the measuring is broken")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=250, help="scans measured per app")
    parser.add_argument("--delegates", type=int, default=300, help="the demo congress's size")
    parser.add_argument("--warm-up", type=int, default=5, help="unmeasured scans per app first")
    parser.add_argument(
        "--quiet-ms", type=float, default=250.0, help="unchanged this long: the scan is settled"
    )
    parser.add_argument(
        "--poll-ms", type=float, default=0.0, help="sleep between captures (0: a tight loop)"
    )
    parser.add_argument("--no-floor", dest="floor", action="store_false", help="no cat pane")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "echo.json")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    version = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args, Path(tmp))
    print_table(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                **machine_facts(load_before),
                "tmux": version,
                "size": [WIDTH, HEIGHT],
                "delegates": args.delegates,
                "quiet_ms": args.quiet_ms,
                "poll_ms": args.poll_ms,
                "warm_up": args.warm_up,
                **result,
            },
            indent=2,
        )
    )
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
