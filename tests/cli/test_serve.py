"""`presidium serve --role display`: the projector in a real browser.

The server runs as its own process (textual-serve starts one display process per page); headless
Chromium loads the page and is driven over the Chrome DevTools protocol. The page draws the
terminal on a canvas (xterm.js), so the text is read from xterm's own buffer: a script installed
before the page's own catches the Terminal object as textual-serve's client stores it.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from db.store import Store
from presidium.cli import main
from session.i18n import t
from session.rollcall import Mode
from tests.conftest import EXAMPLES
from tests.harness.pg_server import free_port

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Chromium at /usr/bin/chromium (apt-get install -y chromium; .ci/run does)",
    ),
]
ROOT = Path(__file__).resolve().parents[2]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1600,1000",
    # the page asks Google for a font: fail at once instead of waiting for a network
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)
# Runs before the page's scripts: textual-serve's client does `this.terminal = new Terminal()`;
# a setter on Object.prototype sees that assignment and keeps the terminal for us.
HOOK = r"""
(() => {
  const terms = [];
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal",
        {value, writable: true, configurable: true, enumerable: true});
      if (value && value.buffer) terms.push(value);
    },
  });
  window.__screenText = () => terms.map((term) => {
    const buffer = term.buffer.active, lines = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      if (line) lines.push(line.translateToString(true));
    }
    return lines.join("\n");
  }).join("\n");
})();
"""


def wait_until_served(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"presidium serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing served at {url}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """The process and what it started (its own session), by its id."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def congress(tmp_path: Path) -> Iterator[Store]:
    db = str(tmp_path / "congress.db")
    assert main(["init", str(EXAMPLES / "congress.toml"), "--db", db]) == 0
    assert main(["import", str(EXAMPLES / "delegates.csv"), "--db", db]) == 0
    with Store.open(db) as store:
        yield store


@pytest.fixture
def served(congress: Store, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    db = congress.url.removeprefix("sqlite:///")
    log = (tmp_path / "serve.log").open("wb")
    command = [sys.executable, "-m", "presidium", "--lang", "en", "serve", "--role", "display"]
    process = subprocess.Popen(
        [*command, "--db", db, "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_served(url, process)
        yield url
    finally:
        stop(process)
        log.close()


class Browser:
    """One headless Chromium page, driven over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.last = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.last += 1
        await self.ws.send_json({"id": self.last, "method": method, "params": params})
        async for message in self.ws:
            data = json.loads(message.data)
            if data.get("id") == self.last:
                assert "error" not in data, data
                return dict(data["result"])
        raise AssertionError("the browser closed the connection")

    async def text(self) -> str:
        found = await self.call(
            "Runtime.evaluate",
            expression="window.__screenText ? window.__screenText() : ''",
            returnByValue=True,
        )
        return str(found["result"].get("value", ""))

    async def wait_for(self, wanted: str, seconds: float = 45) -> str:
        deadline = time.monotonic() + seconds
        text = ""
        while time.monotonic() < deadline:
            text = await self.text()
            if wanted in text:
                return text
            await asyncio.sleep(0.3)
        raise AssertionError(f"{wanted!r} never showed; the page said:\n{text}")

    async def type(self, text: str) -> None:
        """Keys typed into the terminal one by one, then Enter, as a scanner would."""
        await self.call("Runtime.evaluate", expression="document.querySelector('textarea').focus()")
        for char in text:
            key = {"key": char, "code": f"Digit{char}", "windowsVirtualKeyCode": ord(char)}
            await self.call("Input.dispatchKeyEvent", type="keyDown", text=char, **key)
            await self.call("Input.dispatchKeyEvent", type="keyUp", **key)
        enter = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13}
        await self.call("Input.dispatchKeyEvent", type="keyDown", text="\r", **enter)
        await self.call("Input.dispatchKeyEvent", type="keyUp", **enter)


async def open_page(profile: Path, url: str, check: Any) -> None:
    """Start Chromium on `profile`, load `url` with the hook, then run `check(browser)`."""
    chromium = subprocess.Popen(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            await asyncio.sleep(0.1)
        port = port_file.read_text().split()[0]
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as answer:
                targets = await answer.json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                browser = Browser(ws)
                await browser.call("Page.enable")
                await browser.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
                await browser.call("Page.navigate", url=url)
                await check(browser)
    finally:
        stop(chromium)


async def test_the_served_projector_shows_the_current_attendance_in_a_browser(
    congress: Store, served: str, tmp_path: Path
) -> None:
    for number in (2, 3, 5):
        congress.scan(congress.card_code(number, 0), Mode.ENTRY, "cửa-chính")
    before = congress.last_seq()

    async def check(browser: Browser) -> None:
        text = await browser.wait_for("Present 3 of 6 summoned · base 6")
        assert congress.congress.name in text and "Attendance" in text
        # a card scanned at the projector's keyboard changes nothing
        await browser.type(congress.card_code(7, 0))
        said = t("roles.no_scans", "en").split(":")[0]  # the toast wraps the rest
        await browser.wait_for(said)  # the display took the keys, and refused them
        assert congress.last_seq() == before
        # the page follows the other terminals
        congress.scan(congress.card_code(7, 0), Mode.ENTRY, "cửa-phụ")
        await browser.wait_for("Present 4 of 6 summoned · base 6")

    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    await open_page(profile, served, check)
    d = congress.delegate(7)
    assert d is not None and d.station == "cửa-phụ"  # admitted by the door, not the page
