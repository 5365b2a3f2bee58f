#!/usr/bin/env python3
"""Open a bench HTML report in headless Chromium and check it the way a reader would.

    scripts/check-report.py REPORT.html                 # prints a JSON verdict; exit 1 if it fails
    scripts/check-report.py REPORT.html --screenshot OUT.png [--width 1280] [--height 0]

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe), so nothing but
Python's standard library and Debian's `chromium` is needed. The verdict says:
  console_errors  console errors, uncaught exceptions and error log entries (CSP violations included)
  requests        every URL the page asked for besides itself (must be none: the report is offline)
  charts          ids of the figures holding an inline SVG chart
  rows_total      answers in the embedded data; dom_rows: row elements in the page (a window, not all)
  filters         for every option of every filter select: the answers shown once it is chosen
  scrolled_last   after scrolling to the end, whether the last answer is in the page
  load_s, slowest_filter_ms, scroll_ms   how long the page took to load, the slowest filter change
                  to apply, and a jump to the end of the table to paint
Exit status 0 when there is no console error, no request, at least one chart, a table that renders
only a window of its rows and filters that narrow it; 1 otherwise; 2 when Chromium cannot be run.
"""

import argparse
import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

CHECK = r"""
(() => {
  const out = {charts: [], rows_total: 0, dom_rows: 0, filters: {}, scrolled_last: false, text_filter: null,
    slowest_filter_ms: 0, scroll_ms: 0};
  for (const f of document.querySelectorAll("figure.chart")) if (f.querySelector("svg")) out.charts.push(f.id);
  const data = JSON.parse(document.getElementById("task-data").textContent);
  out.rows_total = data.rows.length;
  const visibleRows = () => [...document.querySelectorAll("#rows .row")].filter((r) => !r.hidden);
  out.dom_rows = visibleRows().length;
  const shown = () => Number(document.getElementById("shown").dataset.count);
  for (const select of document.querySelectorAll("select[data-filter]")) {
    const name = select.dataset.filter;
    out.filters[name] = {};
    for (const option of [...select.options]) {
      if (option.value === "") continue;
      select.value = option.value;
      const started = performance.now();
      select.dispatchEvent(new Event("change"));
      out.slowest_filter_ms = Math.max(out.slowest_filter_ms, performance.now() - started);
      const rows = visibleRows();
      const consistent = name !== "outcome" || rows.every((r) => r.dataset.outcome === option.text);
      out.filters[name][option.text] = consistent ? shown() : -1;
    }
    select.value = "";
    select.dispatchEvent(new Event("change"));
  }
  const first = data.rows.length ? data.tasks[data.rows[0][0]][1] : "";
  const search = document.querySelector("input[data-filter=text]");
  if (search && first) {
    search.value = first;
    search.dispatchEvent(new Event("input"));
    out.text_filter = {query: first, shown: shown()};
    search.value = "";
    search.dispatchEvent(new Event("input"));
  }
  const viewport = document.getElementById("rows");
  viewport.scrollTop = viewport.scrollHeight;
  const scrolled = performance.now();
  viewport.dispatchEvent(new Event("scroll"));
  out.scroll_ms = performance.now() - scrolled;
  const last = String(data.rows.length - 1);
  out.scrolled_last = visibleRows().some((r) => r.dataset.row === last);
  out.dom_rows_scrolled = visibleRows().length;
  viewport.scrollTop = 0;
  viewport.dispatchEvent(new Event("scroll"));
  return JSON.stringify(out);
})()
"""


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (events and replies out)."""

    def __init__(self, chromium, width, height):
        self.profile = tempfile.mkdtemp(prefix="bench-report-check-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def wire():
            # Copies first: a pipe end may already be fd 3 or 4, and dup2 onto itself would leave it
            # close-on-exec.
            commands, replies = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(commands, 3)
            os.dup2(replies, 4)

        args = [
            chromium, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--hide-scrollbars",
            f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank",
        ]
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, close_fds=False, preexec_fn=wire)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, method, deadline):
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self.read(deadline))

    def close(self):
        try:
            self.send("Browser.close", timeout=10)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)


def problems_in(events, page_url):
    console, requests = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            console.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            console.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            console.append(params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if url != page_url and not url.startswith("data:"):
                requests.append(url)
    return console, requests


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("--screenshot", help="write a PNG of the page here")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=0, help="screenshot height (0: the whole page)")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM", "chromium"))
    args = parser.parse_args()

    chromium = shutil.which(args.chromium)
    if not chromium:
        print(f"error: {args.chromium} not found (Debian: apt-get install chromium)", file=sys.stderr)
        return 2
    page_url = pathlib.Path(args.report).resolve().as_uri()
    browser = Browser(chromium, args.width, 900)
    try:
        deadline = time.monotonic() + 120
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        started = time.monotonic()
        browser.send("Page.navigate", {"url": page_url}, session=session)
        browser.wait_for("Page.loadEventFired", deadline)
        load_s = time.monotonic() - started
        result = browser.send("Runtime.evaluate", {"expression": CHECK, "returnByValue": True}, session=session)
        if "exceptionDetails" in result:
            raise RuntimeError(f"the check script failed: {result['exceptionDetails']}")
        verdict = json.loads(result["result"]["value"])
        verdict["load_s"] = round(load_s, 3)
        if args.screenshot:
            height = args.height or browser.send(
                "Runtime.evaluate",
                {"expression": "document.documentElement.scrollHeight", "returnByValue": True},
                session=session,
            )["result"]["value"]
            browser.send("Emulation.setDeviceMetricsOverride",
                         {"width": args.width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                         session=session)
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
            pathlib.Path(args.screenshot).write_bytes(base64.b64decode(shot["data"]))
        time.sleep(0.2)
        browser.send("Runtime.evaluate", {"expression": "0"}, session=session)
        console, requests = problems_in(browser.events, page_url)
    finally:
        browser.close()
    verdict["console_errors"] = console
    verdict["requests"] = requests
    narrowed = any(n < verdict["rows_total"] for f in verdict["filters"].values() for n in f.values() if n >= 0)
    inconsistent = [f"{name}={opt}" for name, f in verdict["filters"].items() for opt, n in f.items() if n < 0]
    failures = []
    if console:
        failures.append("console errors")
    if requests:
        failures.append("network requests")
    if not verdict["charts"]:
        failures.append("no chart")
    if verdict["rows_total"] > 200 and verdict["dom_rows"] > 200:
        failures.append("the table put every row in the page")
    if verdict["rows_total"] > 1 and not narrowed:
        failures.append("no filter narrowed the table")
    if inconsistent:
        failures.append("filters showing other outcomes: " + ", ".join(inconsistent))
    if verdict["rows_total"] and not verdict["scrolled_last"]:
        failures.append("scrolling to the end did not show the last answer")
    verdict["failures"] = failures
    print(json.dumps(verdict, indent=1))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
