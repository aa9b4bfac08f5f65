"""Open an HTML file in headless Chromium (Debian's package) and report what happened.

Chromium is driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: no
port, no extra package). Every request that is not a local file is blocked and recorded,
so a test can assert that a page needs no network; script errors, console errors and
dialogs (an injected `alert`) are collected; a full-page screenshot is kept, or the page is
printed to PDF as the browser's print dialog would (`print_page`).
"""

import base64
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENSURE_CHROMIUM = ROOT / "scripts" / "ensure-chromium"

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
TRAMPOLINE = (
    "import os, sys; r, w = int(sys.argv[1]), int(sys.argv[2]); "
    "os.dup2(r, 3); os.dup2(w, 4); os.close(r); os.close(w); os.execv(sys.argv[3], sys.argv[3:])"
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


def ensure_chromium() -> str:
    """The chromium executable, installed by scripts/ensure-chromium when missing."""
    done = subprocess.run([str(ENSURE_CHROMIUM)], capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"scripts/ensure-chromium failed:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


@dataclass
class PageResult:
    charts_state: str | None = None
    charts: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    screenshot: Path | None = None


class Chromium:
    """One headless Chromium process and its DevTools pipe."""

    def __init__(self, executable: str):
        self.executable = executable
        self._next_id = 0
        self._buffer = bytearray()
        self._events: list[dict] = []

    def __enter__(self):
        self._profile = tempfile.TemporaryDirectory(prefix="egov-chromium-")
        # Chromium reads commands on fd 3 and writes replies on fd 4; a tiny Python
        # trampoline puts the pipe ends there and execs it (no shell: dash only knows fds 0-9).
        commands_r, commands_w = os.pipe()
        replies_r, replies_w = os.pipe()
        child_r, child_w = os.dup(commands_r), os.dup(replies_w)
        for fd in (commands_r, replies_w):
            os.close(fd)
        self._log = open(Path(self._profile.name) / "chromium.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-c", TRAMPOLINE, str(child_r), str(child_w),
             self.executable, *FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            pass_fds=(child_r, child_w),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        os.close(child_r)
        os.close(child_w)
        self._out, self._in = commands_w, replies_r
        return self

    def __exit__(self, *exc):
        try:
            self.post("Browser.close")
            self.process.wait(timeout=10)
        except Exception:
            self.process.kill()
            self.process.wait(timeout=10)
        finally:
            os.close(self._out)
            os.close(self._in)
            self._log.close()
            self._profile.cleanup()

    # -- the protocol

    def post(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self._out, data):]
        return self._next_id

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        wanted = self.post(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._events.append(message)

    def events(self, timeout: float) -> list[dict]:
        """Events received so far, and any that arrive within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                message = self._receive(deadline)
                if "method" in message:
                    self._events.append(message)
        except TimeoutError:
            pass
        events, self._events = self._events, []
        return events

    def _receive(self, deadline: float) -> dict:
        while (end := self._buffer.find(b"\0")) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self._in], [], [], remaining)
            if ready:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed its DevTools pipe (crashed?)")
                self._buffer += chunk
        message = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        return json.loads(message)


def open_page(executable: str, page: Path, screenshot: Path, timeout: float = 150,
              width: int = 1280) -> PageResult:
    """Load `page`, wait until `body[data-charts]` is no longer "pending", and report."""
    result = PageResult()
    with Chromium(executable) as browser:
        session = load_page(browser, page, result, timeout, width)
        result.charts = browser.call("Runtime.evaluate", {"expression": CHART_PROBE, "returnByValue": True},
                                     session)["result"]["value"]
        result.screenshot = full_screenshot(browser, session, screenshot, width)
        drain(browser, session, result, 0.3)  # anything logged while drawing the screenshot
    return result


def print_page(executable: str, page: Path, pdf: Path, timeout: float = 150, **options) -> PageResult:
    """Load `page` as `open_page` does, once its charts are drawn print it as the browser's
    print dialog would (Page.printToPDF, the page's own @page size and margins unless
    `options` give others) and write the PDF to `pdf`."""
    result = PageResult()
    with Chromium(executable) as browser:
        session = load_page(browser, page, result, timeout, 1280)
        printed = browser.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True, **options},
                               session, timeout=120)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(base64.b64decode(printed["data"]))
        drain(browser, session, result, 0.3)
    return result


def load_page(browser: Chromium, page: Path, result: PageResult, timeout: float, width: int) -> str:
    """Open `page` in a new target, blocking the network, until its charts are drawn (or
    failed, or `timeout`); return the DevTools session."""
    session = navigate(browser, page, result, width)
    state = wait_for(browser, session, result, "document.body ? document.body.dataset.charts : null",
                     lambda value: value not in (None, "pending"), timeout)
    result.charts_state = state if state not in (None, "pending") else "timeout"
    return session


def navigate(browser: Chromium, page: Path, result: PageResult, width: int) -> str:
    """Open `page` in a new target `width` pixels wide, every request that is not a local
    file blocked (and recorded in `result`); return the DevTools session."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for method, params in (
        ("Runtime.enable", {}),
        ("Log.enable", {}),
        ("Page.enable", {}),
        ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}),
        ("Emulation.setDeviceMetricsOverride",
         {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}),
    ):
        browser.call(method, params, session)
    browser.post("Page.navigate", {"url": page.resolve().as_uri()}, session)
    return session


def wait_for(browser: Chromium, session: str, result: PageResult, expression: str, done, timeout: float):
    """Evaluate `expression` in the page until `done(value)` or `timeout` seconds, handling
    what the page reports meanwhile; return the last value."""
    value = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        drain(browser, session, result, 0.2)
        value = browser.call("Runtime.evaluate", {"expression": expression, "returnByValue": True},
                             session)["result"].get("value")
        if done(value):
            break
    return value


def drain(browser: Chromium, session: str, result: PageResult, seconds: float) -> None:
    """Handle what the page reports (blocked requests, errors, dialogs) within `seconds`."""
    for event in browser.events(seconds):
        _handle(browser, session, event, result)


def full_screenshot(browser: Chromium, session: str, path: Path, width: int) -> Path:
    """A screenshot of the whole page (up to 16,000 pixels high), written to `path`."""
    size = browser.call("Page.getLayoutMetrics", {}, session)["cssContentSize"]
    browser.call("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": min(int(size["height"]) + 1, 16000),
        "deviceScaleFactor": 1, "mobile": False}, session)
    shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
                        session, timeout=120)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


# For each chart: whether vega-embed finished, and how many SVG marks it drew.
CHART_PROBE = """
Array.from(document.querySelectorAll("figure[data-chart]")).map(function (figure) {
  var svg = figure.querySelector("svg");
  return {
    id: figure.dataset.chart,
    rendered: figure.dataset.rendered === "true",
    svg: !!svg,
    marks: svg ? svg.querySelectorAll(".mark-arc path, .mark-rect path, .mark-rule line, .mark-symbol path, .mark-text text").length : 0,
    width: svg ? svg.getBoundingClientRect().width : 0
  };
})
"""


def _handle(browser: Chromium, session: str, event: dict, result: PageResult) -> None:
    method, params = event["method"], event.get("params", {})
    if method == "Fetch.requestPaused":
        url = params["request"]["url"]
        if url.startswith(LOCAL_SCHEMES):
            browser.post("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
        else:
            result.blocked_requests.append(url)
            browser.post("Fetch.failRequest", {"requestId": params["requestId"],
                                               "errorReason": "BlockedByClient"}, session)
    elif method == "Runtime.exceptionThrown":
        details = params["exceptionDetails"]
        result.errors.append(f"exception: {details.get('exception', {}).get('description') or details.get('text')}")
    elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
        result.errors.append("console: " + " ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
    elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
        result.errors.append(f"log: {params['entry']['text']} {params['entry'].get('url', '')}")
    elif method == "Page.javascriptDialogOpening":
        result.dialogs.append(params["message"])
        browser.post("Page.handleJavaScriptDialog", {"accept": False}, session)
