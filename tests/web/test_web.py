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
import urllib.parse
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

    def kiosk(self, *args, check=True, stdin=None):
        cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data,
               "--printer", f"emulated:{self.paper}"] + list(args)
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CSC_NOW=NOW), timeout=60,
                           input=stdin)
        if check and p.returncode != 0:
            raise AssertionError(f"{cmd} failed ({p.returncode}): {p.stderr}")
        return p

    def start(self):
        self.kiosk("status")  # creates the store
        ready = os.path.join(self.dir, "ready.json")
        if os.path.exists(ready):
            os.remove(ready)
        self.clock_file = os.path.join(self.dir, "clock.txt")
        self.log = open(os.path.join(self.dir, "serve.log"), "a")
        self.serve = subprocess.Popen(
            [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data, "--device", "web-1",
             "serve", "--listen", "127.0.0.1:0", "--ready-file", ready, "--clock-file", self.clock_file],
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

    def restart(self):
        """Stops `kiosk serve` (SIGTERM) and starts it again on the same store."""
        self.serve.terminate()
        self.serve.wait(timeout=10)
        self.log.close()
        return self.start()

    def set_clock(self, local_time):
        """Moves the serving process's clock to `local_time` (YYYY-MM-DDTHH:MM; --clock-file)."""
        with open(self.clock_file + ".tmp", "w") as f:
            f.write(local_time + "\n")
        os.replace(self.clock_file + ".tmp", self.clock_file)
        end = time.monotonic() + 20  # the server looks at the file every 100 ms, then writes .applied
        while time.monotonic() < end:
            try:
                with open(self.clock_file + ".applied") as f:
                    if f.read().strip() == local_time:
                        return
            except FileNotFoundError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"kiosk serve did not take the clock {local_time} from {self.clock_file} in 20 s")

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


def click(page, selector):
    """A real mouse click (press and release through the DevTools input domain) on `selector`'s middle."""
    box = page.eval(f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}}); "
                    f"const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()")
    for kind in ("mousePressed", "mouseReleased"):
        page.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)


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

    def serve_ticket(self, ticket, counter="4"):
        o = self.office
        for action in ("open", "call", "start", "finish"):
            o.kiosk("counter", action, "--counter", counter)

    def rate(self, token, body, origin="same", content_type="application/json"):
        o = self.office
        headers = {"Content-Type": content_type}
        if origin == "same":
            headers["Origin"] = o.base
        elif origin:
            headers["Origin"] = origin
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        status, _, raw = http(f"{o.base}/api/t/{token}/feedback", method="POST", headers=headers, data=data)
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, {"raw": raw.decode(errors="replace")}

    def test_served_ticket_page_asks_three_faces_and_a_click_records_the_rating(self):
        o = self.office
        t = o.issue()
        shots = os.path.join(ARGS.out, "web")
        os.makedirs(shots, exist_ok=True)
        with Browser() as b:
            page = b.open(f"{o.base}/t/{t['token']}")
            page.wait_for("document.body.className.includes('state-waiting')")
            self.assertTrue(page.eval("document.getElementById('feedback').hidden"), "asked before the service")
            self.serve_ticket(t)
            page.wait_for("!document.getElementById('feedback').hidden")
            # Three buttons, each named by its word (the accessible name), not by colour alone.
            names = page.eval("Array.from(document.querySelectorAll('#fb-faces button')).map(b => b.innerText.trim())")
            self.assertEqual(names, ["Bene", "Così così", "Male"])
            self.assertGreaterEqual(page.eval("document.querySelector('#fb-faces button').getBoundingClientRect().height"), 100)
            page.screenshot(os.path.join(shots, "ticket-feedback.png"))
            click(page, "#fb-faces button[data-rating='bad']")
            page.wait_for("!document.getElementById('fb-reasons').hidden")
            reasons = page.eval("Array.from(document.querySelectorAll('#fb-reasons button')).map(b => b.innerText.trim())")
            self.assertEqual(reasons[:4], ["L'attesa", "Il personale", "Ho dovuto tornare", "L'esito della pratica"])
            page.screenshot(os.path.join(shots, "ticket-feedback-reasons.png"))
            click(page, "#fb-reasons button[data-reason='waiting']")
            page.wait_for("!document.getElementById('fb-thanks').hidden")
            self.assertIn("Grazie per la sua opinione!", page.eval("document.body.innerText"))
            self.assertTrue(page.eval("document.getElementById('fb-faces').hidden"))
            page.screenshot(os.path.join(shots, "ticket-feedback-thanks.png"))
        # The ticket's JSON says it was given; a second rating is 409 with a clear message.
        _, _, body = http(f"{o.base}/api/t/{t['token']}")
        self.assertEqual(json.loads(body)["feedback"], "given")
        status, answer = self.rate(t["token"], {"rating": "good"})
        self.assertEqual(status, 409, answer)
        self.assertIn("già dato la sua opinione", answer["message"])
        self.assertIn("already rated", answer["error"])
        # Counted in the statistics, by sector, anonymously.
        stats = json.loads(o.kiosk("stats", "--from", "2026-11-26", "--to", "2026-11-26", "--by", "sector",
                                   "--format", "json").stdout)
        self.assertEqual(stats["total"]["feedback"], 1)
        self.assertEqual(stats["total"]["feedback_bad"], 1)
        self.assertEqual(stats["total"]["feedback_bad_waiting"], 1)
        row = next(r for r in stats["rows"] if r["key"] == "protocollo")
        self.assertEqual(row["feedback_bad_waiting"], 1)
        self.assertNotIn(t["token"], json.dumps(stats))

    def test_feedback_post_is_refused_from_another_origin_before_service_and_with_bad_input(self):
        o = self.office
        waiting = o.issue()
        served = o.issue()
        o.kiosk("counter", "open", "--counter", "4")
        o.kiosk("counter", "call", "--counter", "4", "--ticket", served["number"])
        o.kiosk("counter", "start", "--counter", "4")
        o.kiosk("counter", "finish", "--counter", "4")
        # Not the server's own page: no Origin, another site's, or "null" (a sandboxed page).
        for origin in (None, "https://evil.example", "null", ORIGIN):
            status, answer = self.rate(served["token"], {"rating": "good"}, origin=origin)
            self.assertEqual(status, 403, (origin, answer))
            self.assertIn("Origin", answer["error"])
        # Bad input: another content type, malformed JSON, an unknown rating, a reason with "good", too big.
        self.assertEqual(self.rate(served["token"], b"rating=good", content_type="application/x-www-form-urlencoded")[0], 415)
        self.assertEqual(self.rate(served["token"], b"{not json")[0], 400)
        self.assertEqual(self.rate(served["token"], {"rating": "great"})[0], 400)
        self.assertEqual(self.rate(served["token"], {"rating": "good", "reason": "staff"})[0], 400)
        self.assertEqual(self.rate(served["token"], {"rating": "bad", "reason": "x" * 600})[0], 413)
        # A ticket still waiting, an unknown token, a malformed one.
        status, answer = self.rate(waiting["token"], {"rating": "good"})
        self.assertEqual(status, 409, answer)
        self.assertIn("non è ancora stato servito", answer["message"])
        self.assertEqual(self.rate("AAAAAAAAAAAAAAAAAAAAAA", {"rating": "good"})[0], 404)
        self.assertEqual(self.rate("short", {"rating": "good"})[0], 404)
        # None of the refusals was recorded: the first real rating still applies, then it is once.
        self.assertEqual(self.rate(served["token"], {"rating": "so-so"})[0], 201)
        self.assertEqual(self.rate(served["token"], {"rating": "so-so"})[0], 409)
        # Every other POST is still 405.
        status, h, _ = http(f"{o.base}/api/t/{served['token']}", method="POST", headers={"Origin": o.base}, data=b"{}")
        self.assertEqual(status, 405)
        self.assertTrue(o.alive())

    def test_ticket_page_speaks_the_ticket_language(self):
        o = self.office
        # Arabic: the page is marked right to left, so the browser lays it out from the right.
        for lang, direction, title in (("en", "ltr", "Your ticket"), ("ar", "rtl", "\u062a\u0630\u0643\u0631\u062a\u0643")):
            t = o.issue("protocollo", "--lang", lang)
            with Browser() as b:
                page = b.open(f"{o.base}/t/{t['token']}")
                page.wait_for("document.getElementById('message').textContent.length > 0")
                self.assertEqual(page.eval("document.documentElement.lang"), lang)
                self.assertEqual(page.eval("document.documentElement.dir"), direction)
                self.assertEqual(page.eval("getComputedStyle(document.body).direction"), direction)
                self.assertIn(title, page.eval("document.body.innerText"))  # "Your ticket", تذكرتك

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


PIN = "4826"
TECH = "Bruno Tecnico"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_raw(url, method="GET", headers=None, data=None):
    """(status, headers, body) without following redirects."""
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, method=method, headers=headers or {}, data=data)
    try:
        with opener.open(req, timeout=20) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class AdminTest(unittest.TestCase):
    """/admin: the IT dashboard (docs/WEB.md, "/admin")."""

    def setUp(self):
        self.office = Office().start()
        self.office.kiosk("operator", "add", "--name", TECH, "--role", "maintenance", stdin=PIN + "\n")

    def tearDown(self):
        self.office.stop()

    def sign_in(self, name=TECH, pin=PIN, origin=None, base=None):
        base = base or self.office.base
        body = urllib.parse.urlencode({"name": name, "pin": pin}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin or base}
        return http_raw(base + "/admin/sign-in", method="POST", headers=headers, data=body)

    def session(self, headers):
        cookie = headers["Set-Cookie"]
        self.assertTrue(cookie.startswith("csc_admin="), cookie)
        return cookie.split(";")[0]

    def dashboard(self, cookie, active=False):
        h = {"Cookie": cookie}
        if active:
            h["X-Admin-Active"] = "1"
        return http_raw(self.office.base + "/admin/api/dashboard", headers=h)

    def test_without_a_session_the_page_redirects_to_sign_in_and_the_data_is_401(self):
        o = self.office
        status, h, _ = http_raw(o.base + "/admin")
        self.assertEqual(status, 303)
        self.assertEqual(h["Location"], "/admin/sign-in")
        self.assertEqual(self.dashboard("")[0], 401)
        self.assertEqual(self.dashboard("csc_admin=" + "0" * 64)[0], 401)
        status, h, body = http_raw(o.base + "/admin/sign-in")
        self.assertEqual(status, 200)
        self.assertIn("default-src 'none'", h["Content-Security-Policy"])
        self.assertIn("form-action 'none'", h["Content-Security-Policy"])  # the form is sent by fetch
        self.assertEqual(h.get_all("Cache-Control"), ["no-store"])
        self.assertIn("PIN", body.decode())

    def test_sign_in_sets_a_strict_cookie_and_opens_the_dashboard_data(self):
        o = self.office
        o.issue()
        status, h, body = self.sign_in()
        self.assertEqual(status, 200, body)
        cookie = h["Set-Cookie"]
        for flag in ("HttpOnly", "SameSite=Strict", "Path=/admin"):
            self.assertIn(flag, cookie)
        self.assertNotIn("Secure", cookie)  # plain HTTP here; HttpsTest checks Secure
        self.assertRegex(self.session(h), r"^csc_admin=[0-9a-f]{64}$")
        status, h, body = self.dashboard(self.session(h))
        self.assertEqual(status, 200)
        self.assertEqual(h["Cache-Control"], "no-store")
        d = json.loads(body)
        names = [x["name"] for x in d["devices"]]
        self.assertIn("web-1", names)
        proto = next(s for s in d["sectors"] if s["name"] == "Protocollo")
        self.assertEqual(proto["issued"], "1")
        self.assertEqual(proto["waiting"], "1")
        self.assertEqual(d["signed_in"], f"Accesso come {TECH}")
        # The sign-in is audited in the log as the counter's is (staff.sign_in, where = "web ADDRESS").
        audit = [json.loads(e)["body"] for e in self.stored("staff.sign_in")]
        self.assertIn({"name": TECH, "ok": True, "where": "web 127.0.0.1"}, audit)

    def stored(self, event_type):
        """The encoded events of one type in the store (read-only)."""
        import sqlite3
        db = sqlite3.connect(f"file:{os.path.join(self.office.data, 'office.db')}?mode=ro", uri=True)
        try:
            return [r[0] for r in db.execute("SELECT encoded FROM events WHERE type = ? ORDER BY position", (event_type,))]
        finally:
            db.close()

    def test_a_post_from_another_origin_or_without_one_is_refused(self):
        o = self.office
        status, _, _ = self.sign_in(origin="http://evil.example")
        self.assertEqual(status, 403)
        body = urllib.parse.urlencode({"name": TECH, "pin": PIN}).encode()
        status, _, _ = http_raw(o.base + "/admin/sign-in", method="POST",
                                headers={"Content-Type": "application/x-www-form-urlencoded"}, data=body)
        self.assertEqual(status, 403)
        # Only the dashboard's own POSTs exist: anything else is still 405.
        status, _, _ = http_raw(o.base + "/admin", method="POST", headers={"Origin": o.base}, data=b"x=1")
        self.assertEqual(status, 405)
        # The PIN never travels in the URL; a big body is refused.
        status, _, _ = http_raw(o.base + "/admin/sign-in?pin=" + PIN, method="POST",
                                headers={"Origin": o.base, "Content-Type": "application/x-www-form-urlencoded"},
                                data=body)
        self.assertEqual(status, 400)
        status, _, _ = http_raw(o.base + "/admin/sign-in", method="POST",
                                headers={"Origin": o.base, "Content-Type": "application/x-www-form-urlencoded"},
                                data=b"name=" + b"a" * 2000 + b"&pin=1234")
        self.assertEqual(status, 413)

    def test_five_wrong_pins_lock_the_name_and_the_lock_survives_a_restart(self):
        o = self.office
        codes = [self.sign_in(pin="0000")[0] for _ in range(5)]
        self.assertEqual(codes[:4], [401] * 4)
        self.assertEqual(codes[4], 423)
        status, _, body = self.sign_in()  # the right PIN, now locked
        self.assertEqual(status, 423)
        self.assertIn("bloccato", json.loads(body)["error"])
        o.restart()
        status, _, body = self.sign_in()
        self.assertEqual(status, 423, "the lock did not survive a restart of kiosk serve")
        self.assertIn("5 PIN", json.loads(body)["error"])

    def test_an_unknown_name_and_a_wrong_pin_get_the_same_answer(self):
        a = self.sign_in(name="Nessuno", pin="0000")
        b = self.sign_in(pin="0000")
        self.assertEqual(a[0], 401)
        self.assertEqual(b[0], 401)
        self.assertEqual(json.loads(a[2]), json.loads(b[2]))

    def test_staff_without_the_maintenance_role_are_refused(self):
        o = self.office
        o.kiosk("operator", "add", "--name", "Anna Sportello", "--role", "counter,infopoint", stdin="1357\n")
        status, h, body = self.sign_in(name="Anna Sportello", pin="1357")
        self.assertEqual(status, 403)
        self.assertIsNone(h["Set-Cookie"])
        self.assertIn("manutenzione", json.loads(body)["error"])

    def test_a_session_expires_after_fifteen_idle_minutes_on_the_servers_clock(self):
        o = self.office
        status, h, _ = self.sign_in()  # at 09:00 and a few seconds
        self.assertEqual(status, 200)
        cookie = self.session(h)
        o.set_clock("2026-11-26T09:14")
        self.assertEqual(self.dashboard(cookie)[0], 200, "expired before its idle time")  # not a use: no X-Admin-Active
        o.set_clock("2026-11-26T09:16")
        self.assertEqual(self.dashboard(cookie)[0], 401, "still valid after 15 idle minutes")
        self.assertEqual(http_raw(o.base + "/admin", headers={"Cookie": cookie})[0], 303)

    def test_sign_out_ends_the_session_and_clears_the_cookie(self):
        o = self.office
        _, h, _ = self.sign_in()
        cookie = self.session(h)
        status, h, _ = http_raw(o.base + "/admin/sign-out", method="POST",
                                headers={"Origin": o.base, "Cookie": cookie}, data=b"")
        self.assertEqual(status, 200)
        self.assertIn("Max-Age=0", h["Set-Cookie"])
        self.assertEqual(self.dashboard(cookie)[0], 401)
        self.assertEqual([json.loads(e)["body"]["name"] for e in self.stored("staff.signed_out")], [TECH])

    def test_malformed_sign_in_bodies_are_refused_and_never_stop_the_server(self):
        o = self.office
        form = {"Origin": o.base, "Content-Type": "application/x-www-form-urlencoded"}
        for body, headers in ((b"%zz%00&&&==", form), (b"\x00\xff\xfe" * 50, form),
                              (b"name=%C3%28&pin=" + b"9" * 900, form),
                              (b"name=Bruno%0ATecnico&pin=4826", form),
                              (b'{"name":"x","pin":"1"}', {"Origin": o.base, "Content-Type": "application/json"})):
            status, _, _ = http_raw(o.base + "/admin/sign-in", method="POST", headers=headers, data=body)
            self.assertIn(status, (400, 401), body[:40])
        with socket.create_connection(("127.0.0.1", o.port), timeout=10) as s:
            s.sendall(b"POST /admin/sign-in HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\n"
                      b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 99999999\r\n\r\nname=a")
            try:
                s.recv(4096)
            except OSError:
                pass
        self.assertTrue(o.alive(), "kiosk serve died on a malformed sign-in")
        self.assertEqual(self.sign_in()[0], 200)

    def test_dashboard_in_a_browser_signs_in_and_shows_devices_and_todays_figures(self):
        o = self.office
        o.issue()
        o.issue()
        shots = os.path.join(ARGS.out, "web")
        os.makedirs(shots, exist_ok=True)
        with Browser(width=1200, height=900) as b:
            page = b.open(f"{o.base}/admin")
            page.wait_for("location.pathname === '/admin/sign-in' && !!document.getElementById('pin')")
            page.eval(f"document.getElementById('name').value = {json.dumps(TECH)};"
                      f"document.getElementById('pin').value = '{PIN}';"
                      "document.getElementById('submit').click(); true")
            page.wait_for("location.pathname === '/admin' && document.querySelectorAll('#devices tbody tr').length > 0")
            # Headless Chromium asks for English (Accept-Language): the page answers in English.
            page.wait_for("document.getElementById('today').innerText.includes('Protocol office')")
            devices = page.eval("document.getElementById('devices').innerText")
            self.assertIn("web-1", devices)
            self.assertIn("not known", devices)  # another device's liveness: recorded nowhere
            row = page.eval("[...document.querySelectorAll('#today tbody tr')]"
                            ".map(r => r.innerText).find(t => t.startsWith('Protocol office'))")
            self.assertEqual(row.split("\t")[1:4], ["2", "0", "2"], row)  # issued, served, waiting
            self.assertIn(TECH, page.eval("document.getElementById('signed-in').textContent"))
            page.screenshot(os.path.join(shots, "admin.png"))


    def test_dashboard_says_which_programs_are_alive_which_closed_and_which_went_silent(self):
        # Two more programs on this store, as other desks' web servers would be: one is killed
        # (-9: no last word), one closes normally; the serving program moves its clock past 45 s.
        o = self.office
        others = {}
        for name in ("desk-2", "desk-3"):
            ready = os.path.join(o.dir, f"ready-{name}.json")
            others[name] = subprocess.Popen(
                [ARGS.kiosk, "--assets", ARGS.assets, "--config", o.config, "--data", o.data, "--device", name,
                 "serve", "--listen", "127.0.0.1:0", "--ready-file", ready],
                env=dict(os.environ, CSC_NOW=NOW), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _, h, _ = self.sign_in()
            cookie = self.session(h)

            def devices():
                status, _, body = self.dashboard(cookie)
                self.assertEqual(status, 200)
                return {d["name"]: d for d in json.loads(body)["devices"]}

            def wait_devices(pred, what):
                end = time.monotonic() + 20
                seen = None
                while time.monotonic() < end:
                    seen = devices()
                    if pred(seen):
                        return seen
                    time.sleep(0.1)
                raise AssertionError(f"{what} within 20 s: {json.dumps(seen, ensure_ascii=False)}")

            seen = wait_devices(lambda d: all(d.get(n, {}).get("state") == "online" for n in others),
                                "desk-2 and desk-3 online")
            # The data answers in the office's first language (Italian) without Accept-Language.
            self.assertIn("server web: in linea (sentito alle 09:0", seen["desk-2"]["online"])
            self.assertEqual(seen["desk-2"]["role"], "server web")
            others["desk-2"].kill()
            others["desk-2"].wait(timeout=10)
            others["desk-3"].terminate()
            self.assertEqual(others["desk-3"].wait(timeout=10), 0)
            seen = wait_devices(lambda d: d["desk-3"]["state"] == "stopped", "desk-3 closed")
            self.assertRegex(seen["desk-3"]["online"], r"server web: chiuso alle 09:0\d")
            self.assertEqual(seen["desk-2"]["state"], "online", "killed a moment ago: not yet 45 s without a word")
            o.set_clock("2026-11-26T09:05")  # the serving program's clock: 4 minutes and more later
            seen = devices()
            self.assertEqual(seen["desk-2"]["state"], "gone", seen["desk-2"])
            self.assertRegex(seen["desk-2"]["online"], r"server web: NESSUN SEGNALE dalle 09:0\d")
            self.assertEqual(seen["desk-3"]["state"], "stopped")
            self.assertEqual(seen["web-1"]["state"], "online", "the program answering is alive")
            self.assertIn("sì (risponde ora)", seen["web-1"]["online"])
            # A status file that does not read back is a warning on the dashboard, never a crash.
            with open(os.path.join(o.data, "presence", "junk.web.json"), "w") as f:
                f.write("1\n{\"v\":1,\"device\":\"x y\"}\n")
            status, _, body = self.dashboard(cookie)
            self.assertEqual(status, 200)
            warnings = " ".join(w["text"] for w in json.loads(body)["warnings"])
            self.assertRegex(warnings, r"desk-2: server web — nessun segnale dalle 09:0\d")
            self.assertIn("presence/junk.web.json: device status refused", warnings)
        finally:
            for p in others.values():
                if p.poll() is None:
                    p.kill()
                    p.wait(timeout=10)


def serve_with_certificate(o):
    """Gives `o` a self-signed certificate for 127.0.0.1 in its [web], starts it; the client's context."""
    crt, key = os.path.join(o.dir, "office.crt"), os.path.join(o.dir, "office.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-keyout", key, "-out", crt], check=True, capture_output=True, timeout=60)
    with open(o.config, "a", encoding="utf-8") as f:
        f.write(f'cert_file = "{crt}"\nkey_file = "{key}"\n')
    o.start()
    ctx = ssl.create_default_context(cafile=crt)
    ctx.check_hostname = False
    return ctx


class HttpsTest(unittest.TestCase):
    def test_with_the_offices_certificate_the_pages_are_served_over_https_only(self):
        o = Office()
        try:
            ctx = serve_with_certificate(o)
            with urllib.request.urlopen(f"https://127.0.0.1:{o.port}/api/waits", context=ctx, timeout=10) as r:
                self.assertEqual(r.status, 200)
                self.assertIn("sectors", json.loads(r.read()))
            with self.assertRaises(Exception):  # plain HTTP on the TLS port gets no page
                urllib.request.urlopen(f"http://127.0.0.1:{o.port}/api/waits", timeout=5).read()
            self.assertTrue(o.alive())
        finally:
            o.stop()

    def test_over_https_slow_and_abusive_clients_are_cut_off_as_over_http(self):
        # docs/WEB.md, "Security": the same limits with the office's certificate. From 127.0.0.2:
        # connections that never start TLS and TLS connections trickling a header byte every 2 s;
        # a citizen's HTTPS request from 127.0.0.1 is answered throughout.
        o = Office()
        try:
            ctx = serve_with_certificate(o)
            base = f"https://127.0.0.1:{o.port}"

            def answered_quickly():
                t0 = time.monotonic()
                with urllib.request.urlopen(base + "/api/waits", context=ctx, timeout=10) as r:
                    self.assertEqual(r.status, 200)
                self.assertLess(time.monotonic() - t0, 2.0, "an HTTPS request waited behind the slow clients")

            started = time.monotonic()
            cut_at, conns = {}, []
            for i in range(24):
                raw = socket.socket()
                raw.bind(("127.0.0.2", 0))
                raw.settimeout(5)
                raw.connect(("127.0.0.1", o.port))
                if i % 2 == 0:
                    conns.append(raw)  # never starts TLS
                    continue
                try:
                    t = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
                    t.sendall(b"GET / HTTP/1.1\r\n")
                    conns.append(t)
                except (OSError, ssl.SSLError):
                    cut_at[i] = time.monotonic() - started  # closed at once: the address had all its slots
                    conns.append(None)
            while time.monotonic() - started < 16 and len(cut_at) < len(conns):
                for i, c in enumerate(conns):
                    if i in cut_at or c is None:
                        continue
                    try:
                        if isinstance(c, ssl.SSLSocket):
                            c.sendall(b"X")
                        c.setblocking(False)
                        try:
                            if c.recv(4096) == b"":
                                cut_at[i] = time.monotonic() - started
                        except (BlockingIOError, ssl.SSLWantReadError):
                            pass
                        finally:
                            c.setblocking(True)
                    except (OSError, ssl.SSLError):
                        cut_at[i] = time.monotonic() - started
                answered_quickly()
                time.sleep(2)
            for c in conns:
                if c is not None:
                    c.close()
            self.assertEqual(len(cut_at), len(conns), f"connections still open after 16 s: {sorted(set(range(24)) - set(cut_at))}")
            self.assertGreaterEqual(sum(1 for t in cut_at.values() if t < 3), 24 - 16,
                                    "more than 16 connections of one address were left waiting")
            self.assertLess(max(cut_at.values()), 14, "a slow TLS request (or a handshake never begun) outlived its 10 s")

            # A header flood and a huge body over TLS are cut off, not stored.
            for head, chunk in [(b"GET / HTTP/1.1\r\n", b"a: b\r\n" * 1000),
                                (b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n", b"x" * 65536)]:
                with ctx.wrap_socket(socket.create_connection(("127.0.0.1", o.port), timeout=10),
                                     server_hostname="127.0.0.1") as t:
                    sent = 0
                    try:
                        t.sendall(head)
                        while sent < 50_000_000:
                            t.sendall(chunk)
                            sent += len(chunk)
                    except (OSError, ssl.SSLError):
                        pass
                    self.assertLess(sent, 50_000_000, f"the server kept reading {head[:40]!r}... over TLS")
            self.assertTrue(o.alive(), "kiosk serve died")
            answered_quickly()
        finally:
            o.stop()

    def test_over_https_the_dashboards_session_cookie_is_secure(self):
        o = Office()
        try:
            ctx = serve_with_certificate(o)
            o.kiosk("operator", "add", "--name", TECH, "--role", "maintenance", stdin=PIN + "\n")
            base = f"https://127.0.0.1:{o.port}"
            req = urllib.request.Request(base + "/admin/sign-in", method="POST",
                                         data=urllib.parse.urlencode({"name": TECH, "pin": PIN}).encode(),
                                         headers={"Origin": base, "Content-Type": "application/x-www-form-urlencoded"})
            with urllib.request.urlopen(req, context=ctx, timeout=20) as r:
                self.assertEqual(r.status, 200)
                cookie = r.headers["Set-Cookie"]
            for flag in ("Secure", "HttpOnly", "SameSite=Strict"):
                self.assertIn(flag, cookie)
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

    def test_sign_in_posts_count_against_the_clients_rate_limit(self):
        o = Office(requests_per_minute=10).start()  # the configuration's least
        try:
            body = urllib.parse.urlencode({"name": "Nessuno", "pin": "0000"}).encode()
            headers = {"Origin": o.base, "Content-Type": "application/x-www-form-urlencoded"}
            codes = [http_raw(o.base + "/admin/sign-in", method="POST", headers=headers, data=body)[0] for _ in range(14)]
            self.assertEqual(codes[:10], [401] * 10)
            self.assertIn(429, codes[10:])
        finally:
            o.stop()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--out", default=tempfile.gettempdir())
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
