#!/usr/bin/env python3
"""The office's web pages (`kiosk serve`, docs/WEB.md) end to end: the real binary serving a real
store on 127.0.0.1, tickets issued and called by the real CLI (other processes, as the entrance
and the counters are), and the pages in a real headless Chromium (tests/support/headless_browser.py).

The ticket page must follow its ticket through a call and a finish without being reloaded; the
printed ticket's QR must be that page's address; no page may serve anything without a strict
Content-Security-Policy; a malformed or oversized request must never bring the server down.
"""
import argparse
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from headless_browser import Browser  # noqa: E402

ARGS = None
NOW = "2026-11-26T09:00"  # a Thursday morning: open
ORIGIN = "https://www.comune.esempio.it"


def http(url, method="GET", headers=None, data=None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class Office:
    """A store, a site file with [web], and `kiosk serve` on a free port."""

    def __init__(self, requests_per_minute=600):
        self.dir = tempfile.mkdtemp(prefix="csc-web-")
        self.data = os.path.join(self.dir, "data")
        self.paper = os.path.join(self.dir, "paper")
        site = open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8").read()
        self.config = os.path.join(self.dir, "office.toml")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(site + f'\n[web]\npublic_url = "http://phones.example:8080"\nallow_origins = ["{ORIGIN}"]\n'
                           f"requests_per_minute = {requests_per_minute}\n")
        self.serve = None

    def kiosk(self, *args, check=True):
        cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data,
               "--printer", f"emulated:{self.paper}"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CSC_NOW=NOW), timeout=60)
        if check and p.returncode != 0:
            raise AssertionError(f"{cmd} failed ({p.returncode}): {p.stderr}")
        return p

    def start(self):
        self.kiosk("status")  # creates the store
        ready = os.path.join(self.dir, "ready.json")
        self.log = open(os.path.join(self.dir, "serve.log"), "w")
        self.serve = subprocess.Popen(
            [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data, "--device", "web-1",
             "serve", "--listen", "127.0.0.1:0", "--ready-file", ready],
            env=dict(os.environ, CSC_NOW=NOW), stdout=subprocess.DEVNULL, stderr=self.log)
        end = time.monotonic() + 30
        while not os.path.exists(ready):
            if self.serve.poll() is not None:
                raise AssertionError(f"kiosk serve exited {self.serve.returncode}: "
                                     f"{open(os.path.join(self.dir, 'serve.log')).read()}")
            if time.monotonic() > end:
                raise AssertionError("kiosk serve did not start listening in 30 s")
            time.sleep(0.05)
        with open(ready) as f:
            self.port = json.load(f)["port"]
        self.base = f"http://127.0.0.1:{self.port}"
        return self

    def alive(self):
        return self.serve.poll() is None

    def stop(self):
        if self.serve and self.serve.poll() is None:
            self.serve.terminate()
            try:
                self.serve.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.serve.kill()
                raise AssertionError("kiosk serve did not stop within 10 s of SIGTERM")
        if self.serve:
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def issue(self, sector="protocollo", *extra):
        return json.loads(self.kiosk("issue", "--sector", sector, "--json", *extra).stdout)


class WebTest(unittest.TestCase):
    def setUp(self):
        self.office = Office().start()

    def tearDown(self):
        self.office.stop()

    def test_ticket_page_follows_a_call_and_a_finish_without_reload(self):
        o = self.office
        first = o.issue()
        mine = o.issue()
        self.assertEqual(mine["url"], "http://phones.example:8080/t/" + mine["token"])
        shots = os.path.join(ARGS.out, "web")
        os.makedirs(shots, exist_ok=True)
        with Browser() as b:
            page = b.open(f"{o.base}/t/{mine['token']}")
            page.wait_for(f"document.getElementById('label').textContent === '{mine['number']}'")
            self.assertIn("1 persona prima di lei", page.eval("document.body.innerText"))
            self.assertIn("state-waiting", page.eval("document.body.className"))
            # The sector's colour on the card, as configured (protocollo #2C6E31 in the sample).
            self.assertEqual(page.eval("getComputedStyle(document.getElementById('card')).backgroundColor"),
                             "rgb(44, 110, 49)")
            page.eval("window.__same_document = 42")  # gone if the page reloads
            page.screenshot(os.path.join(shots, "ticket-waiting.png"))

            o.kiosk("counter", "open", "--counter", "4")
            o.kiosk("counter", "call", "--counter", "4")  # calls the first ticket: mine is next
            page.wait_for("document.getElementById('message').textContent === 'Il prossimo numero è il suo'")
            o.kiosk("counter", "finish", "--counter", "4")
            o.kiosk("counter", "call", "--counter", "4")
            page.wait_for("document.body.className.includes('state-called')")
            self.assertIn("Tocca a lei: vada allo sportello 4", page.eval("document.body.innerText"))
            self.assertEqual(page.eval("window.__same_document"), 42, "the page reloaded instead of updating live")
            page.screenshot(os.path.join(shots, "ticket-called.png"))

            o.kiosk("counter", "start", "--counter", "4")
            o.kiosk("counter", "finish", "--counter", "4")
            page.wait_for("document.body.className.includes('state-done')")
            self.assertIn("Servizio concluso", page.eval("document.body.innerText"))
            self.assertEqual(page.eval("window.__same_document"), 42)
            page.screenshot(os.path.join(shots, "ticket-done.png"))
        self.assertNotEqual(first["token"], mine["token"])

    def test_ticket_page_speaks_the_ticket_language(self):
        o = self.office
        t = o.issue("protocollo", "--lang", "en")
        with Browser() as b:
            page = b.open(f"{o.base}/t/{t['token']}")
            page.wait_for("document.getElementById('message').textContent.length > 0")
            self.assertEqual(page.eval("document.documentElement.lang"), "en")
            self.assertIn("Your ticket", page.eval("document.body.innerText"))

    def test_printed_ticket_qr_opens_the_ticket_page(self):
        o = self.office
        t = o.issue()
        pngs = sorted(os.path.join(o.paper, f) for f in os.listdir(o.paper) if f.endswith(".png"))
        self.assertTrue(pngs, "the emulated printer drew no paper")
        zbar = shutil.which("zbarimg")
        self.assertTrue(zbar, "zbarimg (zbar-tools) is needed to read the printed QR")
        out = subprocess.run([zbar, "--quiet", "--raw", pngs[-1]], capture_output=True, text=True, timeout=30).stdout
        self.assertIn(t["url"], out.split())

    def test_unknown_and_malformed_tokens_are_not_found(self):
        o = self.office
        o.issue()
        for path in ("/t/AAAAAAAAAAAAAAAAAAAAAA", "/t/short", "/api/t/AAAAAAAAAAAAAAAAAAAAAA", "/api/t/../../etc/passwd",
                     "/api/t/AAAAAAAAAAAAAAAAAAAAAA/events"):
            status, _, _ = http(o.base + path)
            self.assertEqual(status, 404, path)
        self.assertTrue(o.alive())

    def test_api_waits_counts_forecasts_and_allows_only_the_towns_origin(self):
        o = self.office
        o.issue()
        o.issue()
        status, headers, body = http(o.base + "/api/waits", headers={"Origin": ORIGIN})
        self.assertEqual(status, 200)
        w = json.loads(body)
        proto = next(s for s in w["sectors"] if s["id"] == "protocollo")
        self.assertEqual(proto["waiting"], 2)
        self.assertTrue(w["open"])
        self.assertIsNotNone(proto["wait"])
        self.assertRegex(proto["wait"]["text"], r"^Attesa")
        self.assertEqual(headers["Access-Control-Allow-Origin"], ORIGIN)
        self.assertIn("max-age=", headers["Cache-Control"])
        self.assertEqual(len(w["week"]), 7)
        _, other, _ = http(o.base + "/api/waits", headers={"Origin": "https://evil.example"})
        self.assertIsNone(other["Access-Control-Allow-Origin"])
        # No personal data: nothing but counts, names of sectors, forecasts and hours.
        self.assertNotIn("token", body.decode())

    def test_pages_carry_a_strict_content_security_policy(self):
        o = self.office
        t = o.issue()
        for path, frame in (("/", "'none'"), (f"/t/{t['token']}", "'none'"), ("/widget", ORIGIN)):
            status, h, _ = http(o.base + path)
            self.assertEqual(status, 200, path)
            csp = h["Content-Security-Policy"]
            self.assertIn("default-src 'none'", csp, path)
            self.assertIn("script-src 'self'", csp, path)
            self.assertIn(f"frame-ancestors {frame}", csp, path)
            self.assertEqual(h["X-Content-Type-Options"], "nosniff", path)

    def test_widget_and_office_page_show_live_waits_in_a_browser(self):
        o = self.office
        o.issue()
        shots = os.path.join(ARGS.out, "web")
        os.makedirs(shots, exist_ok=True)
        with Browser(width=360, height=420) as b:
            page = b.open(f"{o.base}/widget?lang=en")
            page.wait_for("document.querySelectorAll('#sectors li').length === 4")
            text = page.eval("document.body.innerText")
            self.assertIn("Protocol office", text)
            self.assertIn("1 waiting", text)
            page.screenshot(os.path.join(shots, "widget.png"))
        with Browser() as b:
            page = b.open(f"{o.base}/")
            page.wait_for("document.querySelectorAll('#week tr').length === 7")
            self.assertIn("08:30–12:30", page.eval("document.getElementById('week').innerText"))
            page.screenshot(os.path.join(shots, "office.png"))

    def test_only_get_is_answered(self):
        status, h, _ = http(self.office.base + "/api/waits", method="POST", data=b"x=1")
        self.assertEqual(status, 405)
        self.assertEqual(h["Allow"], "GET, HEAD")

    def test_malformed_and_oversized_requests_never_stop_the_server(self):
        o = self.office
        garbage = [b"\x00\xff\xfe garbage\r\n\r\n", b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
                   b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"b" * 20000 + b"\r\n\r\n",
                   b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nabc",
                   b"GET /api/t/%zz%00 HTTP/1.1\r\nHost: x\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n"]
        for g in garbage:
            with socket.create_connection(("127.0.0.1", o.port), timeout=10) as s:
                try:
                    s.sendall(g)
                    s.recv(4096)
                except OSError:
                    pass
        self.assertTrue(o.alive(), "kiosk serve died on a malformed request")
        status, _, _ = http(o.base + "/api/waits")
        self.assertEqual(status, 200)


    def test_slow_and_abusive_clients_are_cut_off_and_never_hold_the_server(self):
        # docs/WEB.md, "Security": a request must arrive within 10 s of its first byte and 32 KB of
        # head; one address may have 16 connections waiting for or reading a request. The abuser
        # uses another loopback address (127.0.0.2) than the citizen's normal requests.
        o = self.office
        slow = []
        for _ in range(40):
            s = socket.socket()
            s.bind(("127.0.0.2", 0))
            s.settimeout(10)
            s.connect(("127.0.0.1", o.port))
            slow.append(s)
        started = time.monotonic()
        for s in slow:
            try:
                s.sendall(b"GET / HTTP/1.1\r\n")
            except OSError:
                pass
        # Slowloris: one byte of a header line every 2 s, for longer than a request may take.
        cut_at = {}
        while time.monotonic() - started < 16 and len(cut_at) < len(slow):
            for i, s in enumerate(slow):
                if i in cut_at:
                    continue
                try:
                    s.sendall(b"X")
                    s.setblocking(False)
                    try:
                        if s.recv(4096) == b"":
                            cut_at[i] = time.monotonic() - started
                    except BlockingIOError:
                        pass
                    finally:
                        s.setblocking(True)
                except OSError:
                    cut_at[i] = time.monotonic() - started
            t0 = time.monotonic()
            status, _, _ = http(o.base + "/api/waits")
            self.assertEqual(status, 200)
            self.assertLess(time.monotonic() - t0, 2.0, "a normal request waited behind the slow clients")
            time.sleep(2)
        for s in slow:
            s.close()
        self.assertEqual(len(cut_at), len(slow), "slow connections still open after 16 s")
        self.assertGreaterEqual(sum(1 for t in cut_at.values() if t < 3), 40 - 16,
                                "more than 16 connections of one address were left waiting")
        self.assertLess(max(cut_at.values()), 14, "a slow request outlived its 10 s")

        # A header flood (endless short header lines) and a huge body are cut off, not stored.
        for head, chunk in [(b"GET / HTTP/1.1\r\n", b"a: b\r\n" * 1000),
                            (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n", b"x" * 65536)]:
            with socket.create_connection(("127.0.0.1", o.port), timeout=10) as s:
                sent = 0
                try:
                    s.sendall(head)
                    while sent < 50_000_000:
                        s.sendall(chunk)
                        sent += len(chunk)
                except OSError:
                    pass
                self.assertLess(sent, 50_000_000, f"the server kept reading {head[:40]!r}...")
        # Keep-alive: a connection serves at most 50 requests, then is closed.
        with socket.create_connection(("127.0.0.1", o.port), timeout=10) as s:
            answers = 0
            try:
                for _ in range(80):
                    s.sendall(b"GET /api/waits HTTP/1.1\r\nHost: x\r\n\r\n")
                    data = b""
                    while b"\r\n\r\n" not in data:
                        more = s.recv(65536)
                        if not more:
                            raise ConnectionResetError
                        data += more
                    head, _, body = data.partition(b"\r\n\r\n")
                    length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")][0])
                    while len(body) < length:
                        body += s.recv(65536)
                    answers += 1
            except OSError:
                pass
            self.assertEqual(answers, 50)
        self.assertTrue(o.alive(), "kiosk serve died")
        status, _, _ = http(o.base + "/api/waits")
        self.assertEqual(status, 200)


class HttpsTest(unittest.TestCase):
    def test_with_the_offices_certificate_the_pages_are_served_over_https_only(self):
        o = Office()
        try:
            crt, key = os.path.join(o.dir, "office.crt"), os.path.join(o.dir, "office.key")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                            "/CN=127.0.0.1", "-keyout", key, "-out", crt], check=True, capture_output=True, timeout=60)
            with open(o.config, "a", encoding="utf-8") as f:
                f.write(f'cert_file = "{crt}"\nkey_file = "{key}"\n')
            o.start()
            ctx = ssl.create_default_context(cafile=crt)
            ctx.check_hostname = False
            with urllib.request.urlopen(f"https://127.0.0.1:{o.port}/api/waits", context=ctx, timeout=10) as r:
                self.assertEqual(r.status, 200)
                self.assertIn("sectors", json.loads(r.read()))
            with self.assertRaises(Exception):  # plain HTTP on the TLS port gets no page
                urllib.request.urlopen(f"http://127.0.0.1:{o.port}/api/waits", timeout=5).read()
            self.assertTrue(o.alive())
        finally:
            o.stop()

    def test_a_certificate_without_its_key_is_a_configuration_error_naming_the_line(self):
        o = Office()
        try:
            with open(o.config, "a", encoding="utf-8") as f:
                f.write('cert_file = "/etc/office.crt"\n')
            p = o.kiosk("status", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("office.toml:", p.stderr)
            self.assertIn("key_file", p.stderr)
        finally:
            o.stop()


class RateLimitTest(unittest.TestCase):
    def test_a_client_over_its_requests_per_minute_gets_429(self):
        o = Office(requests_per_minute=10).start()
        try:
            codes = [http(o.base + "/api/waits")[0] for _ in range(14)]
            self.assertEqual(codes[:10], [200] * 10)
            self.assertIn(429, codes[10:])
            self.assertTrue(o.alive())
        finally:
            o.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--out", default=tempfile.gettempdir())
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
