#!/usr/bin/env python3
"""The entrance kiosk as a citizen uses it: the real `kiosk run` under Xvfb, tapped with real
X pointer events (xdotool), checked through the store (`kiosk status --json`), the emulated
printer's PNG, the program's layout dump (--layout-file: the touch targets and the state
shown) and the screenshots themselves (tests/support/screen_pixels.py: colours, contrast
measured on pixels, text read back with tesseract, the QR decoded with zbarimg). Run it under
xvfb-run (see CMakeLists.txt). Screenshots go to --artifacts.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from screen_pixels import (Image, background_and_ink, contrast, hex_rgb, ink_lines, ink_mask, letters, ocr,  # noqa: E402
                           read_ticket_numbers, squeeze, target_text_contrast)

ARGS = None
OPEN = "2026-11-26T10:00"    # a Thursday morning: the sample office is open
CLOSED = "2026-11-26T19:00"  # Thursday evening: closed, opens tomorrow at 08:30


def sample_sectors():
    with open(os.path.join(ARGS.assets, "site", "office.toml"), "rb") as f:
        return {s["id"]: s for s in tomllib.load(f)["sector"]}


def region_of_colour(image, rgb):
    """(x, y, w, h) bounding the pixels of exactly `rgb`, or None."""
    needle = bytes(rgb)
    xs, ys = [], []
    for y, row in enumerate(image.rows):
        i = row.find(needle)
        while i >= 0 and i % 3:
            i = row.find(needle, i + 1)
        if i < 0:
            continue
        j = row.rfind(needle)
        while j >= 0 and j % 3:
            j = row.rfind(needle, 0, j + 2)
        ys.append(y)
        xs += [i // 3, j // 3]
    if not ys:
        return None
    return min(xs), min(ys), max(xs) - min(xs) + 1, max(ys) - min(ys) + 1


def decode_qr(png):
    p = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png],
                       capture_output=True, text=True, timeout=30)
    return [line.strip() for line in p.stdout.splitlines() if line.strip()]



def entrance_presence(k, ready, timeout=10):
    """The entrance program's status as the dashboard reads it (DATA/presence/*.entrance.json), once `ready` holds."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        for name in glob.glob(os.path.join(k.data, "presence", "*.entrance.json")):
            with open(name, encoding="utf-8") as f:
                lines = f.read().splitlines()
            if len(lines) == 2:
                last = json.loads(lines[1])
                if ready(last):
                    return last
        time.sleep(0.05)
    raise AssertionError(f"no entrance status as expected in {timeout} s (last: {last})")

class Kiosk(RunningKiosk):
    """The entrance kiosk, fullscreen in the test's orientation, on the test's store."""

    def __init__(self, test, name, now=OPEN, printer="emulated", config=None, extra=(), extra_env=None):
        self.test = test
        self.data = os.path.join(test.dir, "data")
        self.now = now
        self.config = config
        self.extra_env = extra_env or {}
        super().__init__(name, self.base() + ["--printer", printer],
                         ["--role", "entrance", "--fullscreen", "--orientation", ARGS.orientation,
                          "--exit-after-ms", "120000", *extra],
                         self.env(), test.dir, os.path.join(ARGS.artifacts, name), ready_timeout=20)
        self.state = self.wait_layout(lambda s: s["screen"] == "home", "the home screen")

    def base(self):
        cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data]
        if self.config:
            cmd += ["--config", self.config]
        return cmd

    def env(self):
        return dict(os.environ, CSC_NOW=self.now, **self.extra_env)

    def tap(self, target_id):
        t = self.target(target_id)
        # ≥ 15 mm on a 21.5" 1080p panel (0.248 mm/px) is ≥ 60 px at scale 1.
        self.test.assertGreaterEqual(min(t["w"], t["h"]), 60 * self.state["scale"], target_id)
        self.click(target_id)

    def choose_language(self, code):
        """Taps `code` on the home screen's language bar, or through the language menu when the
        office has more languages than the bar holds (the sample's eight); back on home."""
        if not any(t["id"] == "lang:" + code for t in self.state["targets"]):
            self.tap("home:languages")
            self.wait_layout(lambda s: s["screen"] == "languages", "the language menu")
        self.tap("lang:" + code)
        return self.wait_layout(lambda s: s["lang"] == code and s["screen"] == "home", f"home in {code}")

    def status(self):
        p = subprocess.run(self.base() + ["status", "--json"], env=self.env(), capture_output=True, text=True,
                           timeout=30)
        if p.returncode != 0:
            raise AssertionError(f"kiosk status failed: {p.stderr}")
        return {s["id"]: s for s in json.loads(p.stdout)["sectors"]}



class EntranceKioskTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-gui-")
        self.kiosks = []

    def tearDown(self):
        for k in self.kiosks:
            k.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, name, **kw):
        k = Kiosk(self, name, **kw)
        self.kiosks.append(k)
        return k

    def config_with(self, old, new):
        src = os.path.join(ARGS.assets, "site", "office.toml")
        dst = os.path.join(self.dir, "office.toml")
        with open(src) as f:
            text = f.read()
        self.assertIn(old, text)
        with open(dst, "w") as f:
            f.write(text.replace(old, new))
        return dst

    def test_sector_with_services_issues_and_prints(self):
        k = self.start("issue-with-service")
        self.assertEqual(k.state["lang"], "it")
        self.assertTrue(k.state["open"])
        self.assertEqual(k.state["waiting"]["anagrafe"], 0)
        k.tap("sector:anagrafe")
        k.wait_layout(lambda s: s["screen"] == "services", "the services screen")
        k.tap("service:certificati")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printed", "printed")
        self.assertEqual(s["ticket"]["label"], "A001")
        self.assertIn("last_tap_to_print_ms", s)
        # The number as the citizen sees it: read back from the screenshot, on a panel in the
        # sector's colour, its text at least 4.5:1 against it.
        shot = Image.load(s["screenshot"])
        colour = hex_rgb(sample_sectors()["anagrafe"]["colour"])
        box = region_of_colour(shot, colour)
        self.assertIsNotNone(box, "nothing in the sector's colour on the confirmation screen")
        panel = shot.crop(*box)
        self.assertIn("A001", read_ticket_numbers(panel, self.dir), "the ticket number is not readable on the screen")
        background, ink, _ = background_and_ink(panel)
        self.assertEqual(background, colour)
        self.assertIsNotNone(ink, "no text on the number's panel")
        self.assertGreaterEqual(contrast(background, ink), 4.5, f"{ink} on {background}")
        st = k.status()
        self.assertEqual(st["anagrafe"]["waiting"], 1)
        self.assertEqual(st["anagrafe"]["last_number"], 1)
        self.assertEqual(st["stato-civile"]["waiting"], 0)
        png = os.path.join(k.data, "printer", "last-ticket.png")
        self.assertTrue(os.path.exists(png), "the emulated printer wrote no PNG")
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        shutil.copy(png, os.path.join(k.shots, "printed-ticket.png"))
        # The IT dashboard's view of this program: alive, and its printer's answer to the job.
        status = entrance_presence(k, lambda st: st.get("printer", {}).get("printed") == 1)
        self.assertEqual(status["printer"]["state"], "ok", status)
        # Done: back home, the count now shows the new ticket.
        k.tap("done")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after Done")
        self.assertEqual(s["waiting"]["anagrafe"], 1)

    def test_sector_without_services_issues_at_once(self):
        k = self.start("issue-direct")
        k.tap("sector:protocollo")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printed", "printed")
        self.assertEqual(s["ticket"]["label"], "C001")
        self.assertEqual(k.status()["protocollo"]["last_number"], 1)

    def test_language_switch(self):
        k = self.start("language")
        italian = k.state["screenshot"]
        s = k.choose_language("en")
        with open(italian, "rb") as a, open(s["screenshot"], "rb") as b:
            self.assertNotEqual(a.read(), b.read(), "the screen did not change language")
        english = squeeze(ocr(s["screenshot"], "eng", workdir=self.dir))  # OCR may split words
        self.assertIn("Touchaservicetotakeanumber", english, "no English on the screen")
        self.assertNotIn("Tocchiilservizio", english)
        k.tap("sector:stato-civile")
        s = k.wait_layout(lambda s: s["screen"] == "services", "services")
        self.assertEqual(s["lang"], "en")
        k.tap("back")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after Back")
        self.assertEqual(s["lang"], "en", "Back keeps the chosen language")
        k.choose_language("it")

    def test_confirmation_returns_home_after_timeout(self):
        cfg = self.config_with("confirm_seconds = 8", "confirm_seconds = 3")
        k = self.start("timeout", config=cfg)
        k.choose_language("en")
        k.tap("sector:protocollo")
        t0 = time.monotonic()
        k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printed", "printed")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after the timeout", timeout=10)
        elapsed = time.monotonic() - t0
        self.assertGreater(elapsed, 2.5)
        self.assertLess(elapsed, 7)
        self.assertEqual(s["lang"], "it", "the next citizen starts in the default language")

    def test_services_languages_and_forms_warn_before_their_time_limit_and_more_time_extends_it(self):
        """EN 301 549 5.2 / WCAG 2.2.1: a page with a time limit says so before it runs out, with
        the seconds left, and one tap gives more time; left alone, it goes home in the office's
        first language. (CSC_GUI_IDLE_SECONDS=4: the warning after 4 s, home 2 s later.)"""
        k = self.start("page-idle", extra_env={"CSC_GUI_IDLE_SECONDS": "4"})
        k.choose_language("en")
        k.tap("sector:anagrafe")
        s = k.wait_layout(lambda s: s["screen"] == "services", "services")
        self.assertTrue(s["idle"]["timed"])
        self.assertFalse(s["idle"]["warning"])
        s = k.wait_layout(lambda s: s["idle"]["warning"], "the inactivity warning on the services page", timeout=10)
        self.assertEqual(s["screen"], "services")
        self.assertGreaterEqual(s["idle"]["seconds_left"], 1)
        warned = s
        # A pointer that only moves does not take the warning away (a tap would then land on the
        # service under it): only the button gives more time. Read from the current layout dump.
        ox, oy = s["window"]["x"], s["window"]["y"]
        for x, y in ((30, 30), (60, 80)):
            subprocess.run(["xdotool", "mousemove", str(ox + x), str(oy + y)], check=True)
            time.sleep(0.25)
        self.assertTrue(k.read_layout()["idle"]["warning"], "a moving pointer took the warning away")
        k.tap("more_time")
        s = k.wait_layout(lambda s: s["screen"] == "services" and not s["idle"]["warning"], "more time")
        self.assertEqual(s["lang"], "en")
        # The warning as it was on the screen, not only in the program's report: read back from
        # the pixels of its screenshot.
        read = squeeze(ocr(warned["screenshot"], "eng", workdir=self.dir))
        self.assertIn("Areyoustillthere?", read)
        self.assertRegex(read, r"Backtothestartin\ds")
        button = next(t for t in warned["targets"] if t["id"] == "more_time")
        label = Image.load(warned["screenshot"]).crop(button["x"] - ox, button["y"] - oy, button["w"], button["h"])
        self.assertIn("Ineedmoretime", squeeze(ocr(label, "eng", psm=7, workdir=self.dir)))
        s = k.wait_layout(lambda s: s["idle"]["warning"], "the warning again", timeout=10)
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after the time limit", timeout=10)
        self.assertEqual(s["lang"], "it", "the next citizen starts in the office's first language")
        # The language menu and the forms page have the same limit and warning.
        k.tap("home:languages" if any(t["id"] == "home:languages" for t in s["targets"]) else "home:forms")
        s = k.wait_layout(lambda s: s["screen"] in ("languages", "forms"), "a timed page")
        page = s["screen"]
        s = k.wait_layout(lambda s: s["idle"]["warning"], f"the inactivity warning on the {page} page", timeout=10)
        self.assertEqual(s["screen"], page)
        k.wait_layout(lambda s: s["screen"] == "home", f"home after the {page} page's limit", timeout=10)

    def test_printer_down_still_issues_and_shows_qr(self):
        k = self.start("printer-down", printer="file:" + os.path.join(self.dir, "no-such-dir", "printer.bin"))
        k.tap("sector:protocollo")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printer_down",
                          "the printer-down message")
        self.assertEqual(s["ticket"]["label"], "C001")
        self.assertTrue(s["ticket"]["qr"], "no QR on screen")
        # The QR on the screen itself decodes to this ticket (as the paper's would).
        qr = subprocess.run(["zbarimg", "--raw", "-q", s["screenshot"]], capture_output=True, text=True, timeout=60)
        self.assertEqual(qr.returncode, 0, f"no QR code readable on the screen: {qr.stderr}")
        self.assertRegex(qr.stdout.strip(), r"^CSC-TICKET:.+:C001$")
        self.assertEqual(k.status()["protocollo"]["waiting"], 1, "the ticket must be issued anyway")
        self.assertIsNone(k.proc.poll(), "the kiosk must not crash")
        self.assertEqual(s["staff_alert"], "staff.printer_down", "the staff must be told")
        status = entrance_presence(k, lambda st: st.get("printer", {}).get("checked", 0) > 0)
        self.assertEqual((status["printer"]["state"], status["printer"]["printed"]), ("error", 0), status)
        k.tap("done")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after Done")
        self.assertEqual(s["staff_alert"], "staff.printer_down", "the alert stays on the home screen")

    def test_clock_that_cannot_be_right_suspends_tickets_and_alerts_staff(self):
        # A PC whose clock lost its battery reads a date before this version was written: the
        # core records nothing, the staff alert says why, and a tap gets no ticket.
        k = self.start("clock-alarm", now="2025-11-27T10:00")
        self.assertEqual(k.state["staff_alert"], "staff.clock_alarm")
        k.tap("sector:protocollo")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "not_issued",
                          "the not-issued message")
        self.assertEqual(s["staff_alert"], "staff.clock_alarm")
        self.assertEqual(k.status()["protocollo"]["waiting"], 0, "nothing may be recorded with a wrong clock")
        self.assertIsNone(k.proc.poll(), "the kiosk must not crash")

    def test_closed_office_says_when_it_opens(self):
        k = self.start("closed", now=CLOSED)
        self.assertFalse(k.state["open"])
        self.assertFalse([t for t in k.state["targets"] if t["id"].startswith("sector:")],
                         "no sector can be tapped when closed")
        text = squeeze(ocr(k.state["screenshot"], "ita", workdir=self.dir))  # OCR may split words
        self.assertIn("Ufficiochiuso", text)
        self.assertIn("Riapredomanialle08:30", text)

    def test_sector_buttons_show_the_configured_colours_with_readable_text(self):
        k = self.start("colours")
        shot = Image.load(k.state["screenshot"])
        ox, oy = k.state["window"]["x"], k.state["window"]["y"]
        inset = 30 * k.state["scale"]  # inside the rounded corners
        for sector_id, sector in sample_sectors().items():
            t = k.target(f"sector:{sector_id}")
            button = shot.crop(t["x"] - ox + inset, t["y"] - oy + inset, t["w"] - 2 * inset, t["h"] - 2 * inset)
            background, ink, _ = background_and_ink(button)
            self.assertEqual(background, hex_rgb(sector["colour"]), f"{sector_id}: the button's colour")
            self.assertIsNotNone(ink, f"{sector_id}: no text on the button")
            self.assertGreaterEqual(contrast(background, ink), 4.5, f"{sector_id}: text {ink} on {background}")
            name = sector["name"]["it"] if isinstance(sector["name"], dict) else sector["name"]
            # The name is read from the tile's upper text band, right of the icon (the icon and the
            # waiting pill below it confuse a block OCR on the short landscape tiles).
            icon = min(t["h"], t["w"] / 4)
            band = shot.crop(t["x"] - ox + icon, t["y"] - oy + inset / 3, t["w"] - icon - inset, t["h"] / 2 - inset / 3)
            self.assertIn(letters(name), letters(ocr(band, "ita", psm=7, workdir=self.dir)), f"{sector_id}: its name")
        for t in k.state["targets"]:
            if t["id"].startswith("lang:"):
                button = shot.crop(t["x"] - ox + inset, t["y"] - oy + inset / 3, t["w"] - 2 * inset, t["h"] - inset / 1.5)
                background, ink, _ = background_and_ink(button)
                self.assertIsNotNone(ink, f"{t['id']}: no text on the button")
                self.assertGreaterEqual(contrast(background, ink), 4.5, f"{t['id']}: text {ink} on {background}")
        text = squeeze(ocr(k.state["screenshot"], "ita", workdir=self.dir))  # OCR may split words
        self.assertIn("Benvenuti", text)

    def test_high_contrast_from_home_is_seven_to_one_on_every_screen_of_the_visit_and_ends_with_it(self):
        """EN 301 549 / issue 13 point 7: one tap on the home screen turns high contrast on for the
        visit; measured on the pixels: black pages, every text (sector tiles, services, the ticket
        card) at least 7:1 on its background; the next citizen starts in normal contrast."""
        k = self.start("contrast")
        self.assertFalse(k.state["high_contrast"])
        page = hex_rgb("#F2F4F7")  # kPage, kiosk/gui/widgets.hpp
        shot = Image.load(k.state["screenshot"])
        self.assertEqual(shot.pixel(4, shot.height // 2), page)  # the left margin, half-way down
        k.tap("home:contrast")
        s = k.wait_layout(lambda s: s["high_contrast"] and s["screen"] == "home", "high contrast")
        shot = Image.load(s["screenshot"])
        ox, oy = s["window"]["x"], s["window"]["y"]
        inset = 30 * s["scale"]

        def text_contrast(target_id, state, image, min_ratio=7.0):
            t = next(x for x in state["targets"] if x["id"] == target_id)
            region = image.crop(t["x"] - ox + inset, t["y"] - oy + inset / 3, t["w"] - 2 * inset, t["h"] - inset / 1.5)
            background, ink, _ = background_and_ink(region)
            self.assertIsNotNone(ink, f"{target_id}: no text")
            ratio = contrast(background, ink)
            self.assertGreaterEqual(ratio, min_ratio, f"{target_id}: text {ink} on {background}")
            return background

        for sector_id in sample_sectors():
            background = text_contrast(f"sector:{sector_id}", s, shot)
            self.assertNotEqual(background, (0, 0, 0), f"{sector_id}: the tile keeps its hue")
        for target in ("home:contrast", "home:book", "home:forms"):
            text_contrast(target, s, shot)
        # The page itself is black (the screens' background).
        self.assertEqual(shot.pixel(4, shot.height // 2), (0, 0, 0))
        # The services and the ticket: the same.
        k.tap("sector:anagrafe")
        s = k.wait_layout(lambda s: s["screen"] == "services", "services in high contrast")
        self.assertTrue(s["high_contrast"])
        shot = Image.load(s["screenshot"])
        for t in s["targets"]:
            if t["id"].startswith("service:"):
                text_contrast(t["id"], s, shot)
        text_contrast("back", s, shot)
        k.tap("service:certificati")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printed", "printed")
        shot = Image.load(s["screenshot"])
        w, h = shot.width, shot.height
        card = shot.crop(w * 0.1, h * 0.15, w * 0.8, h * 0.2)  # inside the number card under the header (portrait)
        background, ink, _ = background_and_ink(card)
        self.assertIsNotNone(ink)
        self.assertGreaterEqual(contrast(background, ink), 7.0, f"the ticket card: {ink} on {background}")
        text_contrast("done", s, shot)
        # The visit ends: normal contrast for the next citizen.
        k.tap("done")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after the visit")
        self.assertFalse(s["high_contrast"])
        shot = Image.load(s["screenshot"])
        self.assertEqual(shot.pixel(4, shot.height // 2), page)

    def test_languages_forms_booking_and_check_in_screens_read_at_4_5_to_1_and_7_to_1_in_high_contrast(self):
        """Issue 13 point 7, beyond home, services and the ticket: the language menu, the forms'
        offices and an office's forms and lists, the booking's services and the check-in keypad
        (the later booking steps: gui_booking), measured on the pixels in the
        normal palette (≥ 4.5:1) and in high contrast (≥ 7:1)."""
        k = self.start("screens-contrast")
        for high, minimum in ((False, 4.5), (True, 7.0)):
            if high:
                k.tap("home:contrast")
                k.wait_layout(lambda s: s["high_contrast"] and s["screen"] == "home", "high contrast")
            for opener, screen, prefix in (("home:languages", "languages", "lang:"), ("home:forms", "forms", "formgroup:"),
                                           ("home:book", "book_service", "book:"), ("home:check_in", "check_in", "code:")):
                k.tap(opener)
                s = k.wait_layout(lambda s, screen=screen: s["screen"] == screen, screen)
                self.assertEqual(s["high_contrast"], high)
                shot = Image.load(s["screenshot"])
                inset = 16 * s["scale"]
                targets = [t for t in s["targets"] if t["id"].startswith(prefix)][:12]
                self.assertTrue(targets, f"no {prefix} targets on {screen}")
                for t in targets + [next(t for t in s["targets"] if t["id"] == "back")]:
                    ratio, background, ink = target_text_contrast(shot, s, t["id"], inset)
                    self.assertIsNotNone(ratio, f"{screen} {t['id']}: no text")
                    self.assertGreaterEqual(ratio, minimum, f"{screen} {t['id']} ({'high' if high else 'normal'}): {ink} on {background}")
                if screen == "forms":  # an office's forms and lists too
                    k.tap("formgroup:anagrafe")
                    s = k.wait_layout(lambda s: s["forms"]["step"] == "items", "the office's forms")
                    shot = Image.load(s["screenshot"])
                    items = [t["id"] for t in s["targets"] if t["id"].startswith(("kioskform:", "bring:"))]
                    self.assertTrue(items, "no forms or lists")
                    for target in items + ["back"]:
                        ratio, background, ink = target_text_contrast(shot, s, target, inset)
                        self.assertIsNotNone(ratio, f"forms {target}: no text")
                        self.assertGreaterEqual(ratio, minimum, f"forms {target} ({'high' if high else 'normal'}): {ink} on {background}")
                    k.tap("back")
                    k.wait_layout(lambda s: s["screen"] == "forms" and s["forms"]["step"] == "groups", "the forms' offices")
                k.tap("back")
                k.wait_layout(lambda s: s["screen"] == "home", f"home from {screen}")

    def text_lines_under_header(self, state):
        """(top, bottom) of each line of text between the header and the first sector tile."""
        shot = Image.load(state["screenshot"])
        page = hex_rgb("#F2F4F7")
        below_header = next(y for y in range(shot.height) if shot.pixel(4, y) == page)
        tile = next(t for t in state["targets"] if t["id"].startswith("sector:"))
        band = shot.crop(0, below_header, shot.width, tile["y"] - state["window"]["y"] - below_header)
        return ink_lines(ink_mask(band, page))

    def test_large_text_from_home_enlarges_every_text_for_the_visit_and_the_screens_still_read(self):
        """Issue 13 point 7: large text, one tap on the home screen. The subtitle (body type) is
        measured on the pixels before and after; the services are read back by OCR (nothing
        clipped); the next citizen starts with normal text."""
        k = self.start("large-text")
        before = self.text_lines_under_header(k.state)
        k.tap("home:large_text")
        s = k.wait_layout(lambda s: s["large_text"] and s["screen"] == "home", "large text")
        after = self.text_lines_under_header(s)
        self.assertEqual(len(before), 2, before)  # the title and the subtitle
        self.assertGreaterEqual(len(after), 2, after)  # the subtitle may now take two lines
        ratio = (after[1][1] - after[1][0]) / (before[1][1] - before[1][0])  # its first line
        self.assertGreaterEqual(ratio, 1.25, f"the subtitle's ink height grew {ratio:.2f}x")
        # A capital H of at least 0.7° at 500 mm on the smallest panel the office uses (21.5",
        # 0.248 mm a pixel): 6.1 mm = 25 px; the body type is now 54 design px (cap height ~39 px).
        cap = 0.73 * 54 * s["scale"]
        self.assertGreaterEqual(cap * 0.248, 6.1)
        k.tap("sector:anagrafe")
        s = k.wait_layout(lambda s: s["screen"] == "services", "services in large text")
        self.assertTrue(s["large_text"])
        read = squeeze(ocr(s["screenshot"], "ita", workdir=self.dir))
        for name in ("Carta d'identità elettronica", "Certificati e autocertificazioni", "Cambio di residenza o indirizzo"):
            self.assertIn(squeeze(name).replace("'", ""), read.replace("'", "").replace("’", ""), f"{name} not read back")
        k.tap("service:certificati")
        k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printed", "printed")
        k.tap("done")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after the visit")
        self.assertFalse(s["large_text"])
        self.assertEqual(self.text_lines_under_header(s), before)

    def test_forms_entry_shows_a_qr_and_prints_the_slip_and_the_bring_list(self):
        """The "Moduli" entry: offices in their colours, a form with the QR of its address (read
        back from the screen and from the printed slip), the "what to bring" list printed."""
        k = self.start("forms")
        self.assertTrue(k.state["forms"]["available"])
        k.tap("home:forms")
        s = k.wait_layout(lambda s: s["screen"] == "forms" and s["forms"]["step"] == "groups", "the offices")
        groups = {g["id"]: g for g in s["forms"]["groups"]}
        self.assertIn("anagrafe", groups)
        self.assertIn("crs-pin", groups)
        self.assertEqual({f["id"] for f in groups["crs-pin"]["forms"]}, {"delega-crs", "minori-crs"})
        k.tap("formgroup:anagrafe")
        s = k.wait_layout(lambda s: s["forms"]["step"] == "items", "the office's forms and lists")
        url = next(f["url"] for f in groups["anagrafe"]["forms"] if f["id"] == "dichiarazione-residenza")
        k.tap("kioskform:dichiarazione-residenza")
        s = k.wait_layout(lambda s: s["forms"]["step"] == "form" and s["forms"]["qr"] and s.get("screenshot"),
                          "the form with its QR")
        self.assertIn(url, decode_qr(s["screenshot"]), "the QR on the screen holds the form's address")
        png = os.path.join(k.data, "printer", "last-ticket.png")
        k.tap("forms:print")
        s = k.wait_layout(lambda s: s["forms"]["print"] == "printed", "the slip printed")
        self.assertIn(url, decode_qr(png), "the printed slip's QR holds the form's address")
        shutil.copy(png, os.path.join(k.shots, "printed-form-slip.png"))
        os.remove(png)
        # Back to the list, then "what to bring" for the identity card, printed.
        k.tap("back")
        k.wait_layout(lambda s: s["forms"]["step"] == "items", "the list again")
        k.tap("bring:carta-identita")
        s = k.wait_layout(lambda s: s["forms"]["step"] == "bring", "the list of what to bring")
        k.tap("forms:print")
        s = k.wait_layout(lambda s: s["forms"]["print"] == "printed" and s["forms"]["printed"] == 2, "the list printed")
        self.assertTrue(os.path.exists(png), "the emulated printer wrote no PNG for the list")
        text = squeeze(ocr(png, "ita", workdir=self.dir))
        self.assertIn(squeeze("fototessera"), text, "the list's items on paper")
        shutil.copy(png, os.path.join(k.shots, "printed-bring-list.png"))
        self.assertEqual(k.status()["anagrafe"]["last_number"], 0, "information only: no ticket issued")
        # Back, back, back: home.
        for step in ("items", "groups"):
            k.tap("back")
            k.wait_layout(lambda s, step=step: s["forms"]["step"] == step, step)
        k.tap("back")
        k.wait_layout(lambda s: s["screen"] == "home", "home")

    def test_idle_uses_no_cpu(self):
        k = self.start("idle")
        time.sleep(1.0)  # let the first frames settle
        before = k.cpu_ticks()
        time.sleep(3.0)
        used = k.cpu_ticks() - before
        hz = os.sysconf("SC_CLK_TCK")
        self.assertLessEqual(used, hz * 3 * 0.02, f"{used} ticks in 3 s at rest")


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__], orientation=True))
