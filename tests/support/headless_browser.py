"""A real browser for the web tests: Debian's Chromium, headless, driven through the DevTools
protocol over a pipe (--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so
no WebSocket library and no network port are needed.

    with Browser() as b:
        page = b.open("http://127.0.0.1:8080/t/TOKEN")
        page.wait_for("document.body.className.includes('state-called')")
        text = page.eval("document.body.innerText")
        page.screenshot("called.png")

A missing Chromium is an error (the suite fails loudly, never skips): install `chromium`.
"""
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        p = shutil.which(name)
        if p:
            return p
    raise AssertionError("Chromium is needed for the web tests: apt-get install chromium")


class Page:
    def __init__(self, browser, session):
        self.browser = browser
        self.session = session

    def send(self, method, **params):
        return self.browser.send(method, params, session=self.session)

    def eval(self, expression):
        r = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise AssertionError(f"page script failed: {expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def wait_for(self, expression, timeout=20.0):
        """Polls `expression` in the page until it is truthy; returns its value."""
        end = time.monotonic() + timeout
        last = None
        while time.monotonic() < end:
            last = self.eval(expression)
            if last:
                return last
            time.sleep(0.1)
        raise AssertionError(f"page never satisfied {expression!r} in {timeout}s (last: {last!r}); "
                             f"text: {self.eval('document.body.innerText')!r}")

    def screenshot(self, path):
        r = self.send("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))
        return path


class Browser:
    def __init__(self, width=412, height=915):
        self.width, self.height = width, height

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="csc-chromium-")
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def fds():  # the child: fd 3 = what we send, fd 4 = what it answers
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        args = [chromium_path(), "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                f"--user-data-dir={self.profile}", f"--window-size={self.width},{self.height}", "about:blank"]
        # pass_fds lists 3 and 4 too: subprocess closes every other descriptor after preexec_fn.
        self.proc = subprocess.Popen(args, preexec_fn=fds, pass_fds=(3, 4, to_chrome_r, from_chrome_w),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.out = os.fdopen(to_chrome_w, "wb", buffering=0)
        self.inp = os.fdopen(from_chrome_r, "rb", buffering=0)
        self.buf = b""
        self.next_id = 0
        self.send("Target.setDiscoverTargets", {"discover": False})
        return self

    def __exit__(self, *exc):
        try:
            self.send("Browser.close", {}, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for f in (self.out, self.inp, self.proc.stderr):
            f.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise AssertionError("Chromium did not answer in time")
            chunk = self.inp.read(65536)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.poll() is not None else ""
                raise AssertionError(f"Chromium closed its DevTools pipe: {err[-2000:]}")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def send(self, method, params, session=None, timeout=30):
        self.next_id += 1
        m = {"id": self.next_id, "method": method, "params": params}
        if session:
            m["sessionId"] = session
        self.out.write(json.dumps(m).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            r = self._read_message(deadline)
            if r.get("id") == self.next_id:
                if "error" in r:
                    raise AssertionError(f"{method}: {r['error']}")
                return r.get("result", {})

    def open(self, url):
        """A new tab at `url`, loaded (document ready)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        page.send("Page.enable")
        page.send("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height, deviceScaleFactor=1,
                  mobile=True)
        page.send("Page.navigate", url=url)
        page.wait_for("document.readyState === 'complete'")
        return page
