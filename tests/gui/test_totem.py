#!/usr/bin/env python3
"""The information totem (issue 13, point 3: `kiosk run --role totem`), as a waiting area sees it.

The real program under Xvfb on a copy of the sample office whose content folder is the test's
own: the items of the core's playlist a page at a time (titles read back by OCR, each kind's
colour found on the screen), pages turned by real clicks and by time, a file dropped in the
folder picked up at the next read (an urgent notice pre-empts the rest; a broken file is named
with its line and never shown), a queue call made by a counter (the real CLI) pre-empting the
page and then giving it back, the waits per sector on tiles whose text contrast is measured on
the pixels, and no CPU between pages. Run under xvfb-run (see CMakeLists.txt).
"""
import functools
import http.server
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import time
import tomllib
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from screen_pixels import (Image, background_and_ink, contrast, distance, hex_rgb, low_contrast_texts, ocr, read_ticket_numbers,  # noqa: E402
                           squeeze)

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open
PAGE_SECONDS = 5
ATTRACT_SECONDS = 10  # the least the configuration allows
# widgets.hpp's palette: the kind pills' backgrounds.
WARN_BG, OK_BG, ERROR_BG = (0xFF, 0xF1, 0xD6), (0xE2, 0xF3, 0xE5), (0xFD, 0xE4, 0xE2)

URGENT = """kind = "notice"
title = { it = "Sportelli chiusi alle 11", en = "Counters close at 11:00" }
body = "Per un guasto alla rete gli sportelli chiudono alle 11. Ci scusiamo per il disagio."
urgent = true
"""
BROKEN = """kind = "deadline"
title = "Una scadenza"
form = 2026-12-01
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the test's feed files; remembers the paths asked, logs nothing."""
    requests = []

    def do_GET(self):
        QuietHandler.requests.append(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


class TotemTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-totem-")
        self.data = os.path.join(self.dir, "data")
        self.content = os.path.join(self.dir, "content")
        shutil.copytree(os.path.join(ARGS.assets, "site", "content"), self.content)
        with open(os.path.join(ARGS.assets, "site", "office.toml")) as f:
            config = f.read()
        # The sample's [totem] with this test's folder, short pages and a fast re-read.
        config = config.replace('content = "content"', f'content = "{self.content}"')
        config = config.replace("page_seconds = 12", "page_seconds = {page_seconds}")
        config = config.replace("call_seconds = 10", "call_seconds = 4")
        config = config.replace("refresh_seconds = 60", "refresh_seconds = 1")
        config = config.replace("attract_seconds = 120", f"attract_seconds = {ATTRACT_SECONDS}")
        self.assertIn(self.content, config, "the sample office.toml has no [totem] content line to point elsewhere")
        self.config_text = config
        self.config = os.path.join(self.dir, "office.toml")
        self.write_config(60)
        self.sectors = self.sector_colours()
        self.kiosk("status")  # creates the store
        self.totem = None

    def tearDown(self):
        if self.totem:
            self.totem.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def write_config(self, page_seconds):
        """Pages of `page_seconds` (60: no page turns by itself while a test reads the screen)."""
        with open(self.config, "w") as f:
            f.write(self.config_text.replace("{page_seconds}", str(page_seconds)))

    def sector_colours(self):
        """{sector id: colour} as the configuration says."""
        with open(self.config, "rb") as f:
            return {sec["id"]: hex_rgb(sec["colour"]) for sec in tomllib.load(f)["sector"]}

    def kiosk(self, *args):
        p = subprocess.run([ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data,
                            "--printer", "memory", *args],
                           capture_output=True, text=True, env=dict(os.environ, CSC_NOW=OPEN), timeout=60)
        if p.returncode != 0:
            raise AssertionError(f"kiosk {' '.join(args)} failed ({p.returncode}): {p.stderr}")
        return p.stdout

    def start(self, *extra, page_seconds=60):
        self.write_config(page_seconds)
        self.totem = RunningKiosk(
            "totem", [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data],
            ["--role", "totem", "--fullscreen", "--exit-after-ms", "180000", *extra],
            dict(os.environ, CSC_NOW=OPEN), self.dir, os.path.join(ARGS.artifacts, self.id().split(".")[-1]))
        return self.totem.wait_layout(lambda s: s["screen"] == "content", "the first content page")

    def read(self, state, lang="ita"):
        return squeeze(ocr(state["screenshot"], lang, workdir=self.dir))

    def test_the_playlist_shows_a_page_at_a_time_turned_by_taps_and_by_time(self):
        s = self.start()
        # The core's playlist at Thursday 10:00: the deadline (priority 8), the open day (6), the
        # market (5, in its hours); the fallback item only when nothing else is on.
        self.assertEqual(s["playlist"], ["tari-seconda-rata", "cie-open-day", "mercatino-natale"])
        self.assertEqual((s["item"], s["page"], s["pages"]), ("tari-seconda-rata", 0, 3))
        self.assertEqual(s["rejected"], [])
        text = self.read(s)
        for words in ("TARI: seconda rata", "Scadenza", "entro il 16 dicembre", "1 di 3"):
            self.assertIn(squeeze(words), text, f"{words!r} is not on the screen")
        shot = Image.load(s["screenshot"])
        self.assertGreater(shot.colours()[WARN_BG], 2000, "the deadline's pill is not in its colour")
        # The link is a QR code a phone reads: decoded from the pixels.
        qr = subprocess.run(["zbarimg", "--raw", "-q", s["screenshot"]], capture_output=True, text=True, timeout=60)
        self.assertEqual(qr.stdout.strip(), "https://www.comune.example.it/tari")

        # A real click on "Successivo": the open day, in its own colour.
        self.totem.click("page:next")
        s = self.totem.wait_layout(lambda s: s["item"] == "cie-open-day", "the next item after a tap")
        self.assertEqual(s["page"], 1)
        text = self.read(s)
        self.assertIn(squeeze("Elettronica"), text)
        self.assertIn(squeeze("Iniziativa"), text)
        self.assertGreater(Image.load(s["screenshot"]).colours()[OK_BG], 2000, "the initiative's pill is not in its colour")
        self.totem.click("page:previous")
        self.totem.wait_layout(lambda s: s["item"] == "tari-seconda-rata", "the item before after a tap")
        self.totem.click("page:previous")
        self.totem.wait_layout(lambda s: s["item"] == "mercatino-natale", "the last item before the first")

    def test_a_passer_by_chooses_a_language_and_the_page_and_the_waits_follow(self):
        s = self.start()
        self.assertEqual(s["lang"], "it")
        self.totem.click("languages")
        s = self.totem.wait_layout(lambda s: s["screen"] == "languages", "the list of languages")
        codes = sorted(t["id"] for t in s["targets"] if t["id"].startswith("lang:"))
        with open(self.config, "rb") as f:
            offered = tomllib.load(f)["office"]["languages"]  # the sample's nine, Arabic among them
        self.assertEqual(codes, sorted("lang:" + c for c in offered))
        self.assertIn("lang:ar", codes)
        # Each button read inside its border, in its own script (tesseract data: ita, eng, ukr, chi_sim, ara).
        shot = Image.load(s["screenshot"])
        for code, own, lang in (("en", "English", "eng"), ("fr", "Français", "ita"), ("de", "Deutsch", "eng"),
                                ("es", "Español", "ita"), ("uk", "Українська", "ukr"), ("zh", "中文", "chi_sim"),
                                ("ar", "العربية", "ara")):
            t = self.totem.target("lang:" + code)
            band = shot.crop(t["x"] + 12, t["y"] + 12, t["w"] - 24, t["h"] - 24)
            read = squeeze(ocr(band, lang, psm=7, workdir=self.dir))
            if lang in ("eng", "ita"):  # a letter these language packs lack (ç, ñ) may come back as another
                self.assertRegex(read, "^" + re.sub(r"[^\x00-\x7f]", ".{1,2}", squeeze(own)) + "$", code)
            else:
                self.assertEqual(read, squeeze(own), code)
        self.totem.click("lang:en")
        s = self.totem.wait_layout(lambda s: s["lang"] == "en" and s["screen"] == "content", "the totem in English")
        self.assertEqual(s["title"], "Waste tax (TARI): second instalment")
        text = self.read(s, "eng")
        for words in ("Waste tax (TARI): second instalment", "When: by 16 December", "Waiting now", "Protocol office"):
            self.assertIn(squeeze(words), text, f"{words!r} is not on the screen in English")

    def test_untouched_the_pages_turn_every_page_seconds_and_the_loop_wraps_around(self):
        self.start(page_seconds=PAGE_SECONDS)
        self.assertEqual(self.totem.state["item"], "tari-seconda-rata")
        # Untouched, the page turns by itself after page_seconds, and the loop wraps around.
        t0 = time.monotonic()
        self.totem.wait_layout(lambda s: s["item"] == "cie-open-day", "the page turning by itself", PAGE_SECONDS + 5)
        self.assertGreaterEqual(time.monotonic() - t0, PAGE_SECONDS - 1.5, "the page turned before its time")
        self.totem.wait_layout(lambda s: s["item"] == "mercatino-natale", "the third page", PAGE_SECONDS + 5)
        self.totem.wait_layout(lambda s: s["item"] == "tari-seconda-rata", "back to the first page", PAGE_SECONDS + 5)

    def test_a_file_dropped_in_the_folder_shows_an_urgent_notice_first_and_a_broken_one_is_named(self):
        self.start()
        with open(os.path.join(self.content, "rete-guasta.toml"), "w") as f:
            f.write(URGENT)
        with open(os.path.join(self.content, "scadenza-rotta.toml"), "w") as f:
            f.write(BROKEN)
        s = self.totem.wait_layout(lambda s: s["item"] == "rete-guasta", "the urgent notice, read from the folder", 10)
        # Urgent pre-empts every other item: alone in the loop, no page controls.
        self.assertEqual((s["urgent"], s["pages"], s["kind"]), (True, 1, "urgent"))
        self.assertNotIn("page:next", [t["id"] for t in s["targets"]])
        text = self.read(s)
        self.assertIn(squeeze("Avviso urgente"), text)
        self.assertIn(squeeze("Sportelli chiusi alle 11"), text)
        self.assertGreater(Image.load(s["screenshot"]).colours()[ERROR_BG], 2000, "the urgent pill is not red")
        # The broken file: named with file, line and what is wrong; the others still show.
        self.assertEqual(len(s["rejected"]), 1, s["rejected"])
        self.assertIn("scadenza-rotta.toml:3", s["rejected"][0])
        self.assertIn("form", s["rejected"][0])
        with open(self.totem.stderr_path) as f:
            self.assertIn("scadenza-rotta.toml:3", f.read(), "the rejected file is not in the log")
        # The notice removed: the loop is back, from its start.
        os.remove(os.path.join(self.content, "rete-guasta.toml"))
        s = self.totem.wait_layout(lambda s: not s["urgent"] and s["pages"] == 3, "the loop back without the notice", 10)
        self.assertEqual(s["item"], "tari-seconda-rata")

    def test_an_items_picture_is_drawn_in_its_card_and_a_broken_one_is_named_while_its_item_still_shows(self):
        # The deadline with a picture (a 1600x800 PNG: scaled down to 1024 px by the source, then
        # to the card); the open day with a "PNG" that is not one.
        picture = (0x1F, 0x7A, 0x3E)
        subprocess.run(["convert", "-size", "1600x800", "xc:#1F7A3E", os.path.join(self.content, "tari.png")],
                       check=True, timeout=60)
        with open(os.path.join(self.content, "rotta.png"), "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\nnot really a picture")
        for name, image in (("tari-seconda-rata.toml", "tari.png"), ("cie-open-day.toml", "rotta.png")):
            path = os.path.join(self.content, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("\nkind", f'\nimage = "{image}"\nkind', 1))
        s = self.start()
        self.assertEqual(s["item"], "tari-seconda-rata")
        box = next((t for t in s["targets"] if t["id"] == "content:image"), None)
        self.assertIsNotNone(box, "no picture on the deadline's card")
        self.assertAlmostEqual(box["w"] / box["h"], 2.0, delta=0.05, msg="the picture's proportions")
        ox, oy = s["window"]["x"], s["window"]["y"]
        region = Image.load(s["screenshot"]).crop(box["x"] - ox + 20, box["y"] - oy + 20, box["w"] - 40, box["h"] - 40)
        colour, n = region.colours().most_common(1)[0]
        self.assertLessEqual(distance(colour, picture), 3, f"the picture's colour on the screen: {colour}")
        self.assertGreater(n, region.width * region.height * 0.95)
        # The broken picture: named (file and why) in the report and the log; its item still plays.
        self.assertEqual(len(s["rejected"]), 1, s["rejected"])
        self.assertIn("rotta.png", s["rejected"][0])
        self.assertIn("not a PNG", s["rejected"][0])
        self.assertIn("cie-open-day", s["playlist"])
        self.totem.click("page:next")
        s = self.totem.wait_layout(lambda s: s["item"] == "cie-open-day", "the open day without its picture")
        self.assertFalse([t for t in s["targets"] if t["id"] == "content:image"])
        with open(self.totem.stderr_path) as f:
            self.assertIn("rotta.png", f.read())

    def test_a_queue_call_pre_empts_the_page_the_waits_follow_the_queue_and_every_text_reads_4_5_to_1(self):
        s = self.start("--lang", "en")
        self.assertEqual(s["waiting"]["anagrafe"], 0)
        a1 = json.loads(self.kiosk("issue", "--sector", "anagrafe", "--service", "certificati", "--json", "--no-print"))["number"]
        self.kiosk("issue", "--sector", "anagrafe", "--service", "certificati", "--json", "--no-print")
        s = self.totem.wait_layout(lambda s: s["waiting"]["anagrafe"] == 2, "two waiting at the registry office", 10)
        text = self.read(s, "eng")
        self.assertIn(squeeze("Waste tax"), text)
        self.assertIn(squeeze("Waiting now"), text)
        # Each sector tile: its configured colour on the screen, and its text ≥ 4.5:1 on it.
        shot = Image.load(s["screenshot"])
        for sector, colour in self.sectors.items():
            xs, ys = [], []
            for y in range(shot.height // 2, shot.height, 4):
                for x in range(0, shot.width, 4):
                    if shot.pixel(x, y) == colour:
                        xs.append(x)
                        ys.append(y)
            self.assertTrue(xs, f"no tile in {sector}'s colour")
            tile = shot.crop(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
            background, ink, _ = background_and_ink(tile)
            self.assertEqual(background, colour)
            self.assertIsNotNone(ink, f"no text on {sector}'s tile")
            self.assertGreaterEqual(contrast(background, ink), 4.5, f"{sector}'s tile text")
        # Every text the page draws (the item, the clock, the waits), ≥ 4.5:1 on the pixels.
        self.assertEqual(low_contrast_texts(shot, s, 4.5), [], "the content page")

        self.kiosk("counter", "open", "--counter", "1")
        self.kiosk("counter", "call", "--counter", "1")
        s = self.totem.wait_layout(lambda s: s["screen"] == "call", "the call pre-empting the page", 10)
        self.assertEqual(s["call"]["label"], a1)
        # The number, read in the call card's upper half (very large type reads best scaled down).
        number = Image.load(s["screenshot"], (40, 400, 1000, 600))
        self.assertIn(a1, read_ticket_numbers(number, self.dir, scales=(0.5, 0.33)), "the called number is not readable")
        # White on the sector's colour: read from the card's top, negated (tesseract reads dark on light best).
        heading = os.path.join(self.dir, "call-heading.png")
        subprocess.run(["convert", s["screenshot"], "-crop", "1000x260+40+200", "+repage", "-negate", heading],
                       check=True, timeout=60)
        self.assertIn(squeeze("Now serving number"), squeeze(ocr(heading, "eng", workdir=self.dir)))
        self.assertNotIn("page:next", [t["id"] for t in s["targets"]], "the page controls stay during a call")
        self.assertEqual(low_contrast_texts(Image.load(s["screenshot"]), s, 4.5), [], "the call")
        # After call_seconds the page comes back; the registry office has one waiting now.
        s = self.totem.wait_layout(lambda s: s["screen"] == "content", "the page back after the call", 10)
        self.assertEqual(s["waiting"]["anagrafe"], 1)

    def test_a_town_calendar_served_over_http_shows_its_events_and_its_last_copy_when_the_server_is_gone(self):
        feeds = os.path.join(self.dir, "www")
        os.makedirs(feeds)
        shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "feeds", "comune-eventi.ics"),
                    os.path.join(feeds, "eventi.ics"))
        handler = functools.partial(QuietHandler, directory=feeds)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            self.config_text += (f'\n[[totem.feed]]\nname = "eventi"\nformat = "ical"\npriority = 9\n'
                                 f'url = "http://127.0.0.1:{server.server_address[1]}/eventi.ics"\n')
            s = self.totem_with(lambda s: any(i.startswith("eventi-") for i in s["playlist"]), "the calendar's events")
            # Priority 9: the nearest event first; its day and time told in Italian by the totem.
            self.assertTrue(s["item"].startswith("eventi-"), s)
            self.assertEqual(s["title"], "Mercatino di Natale in piazza")
            self.assertEqual(s["kind"], "event")
            text = self.read(s)
            self.assertIn(squeeze("sabato 5 dicembre, 10:00"), text)
            self.assertIn(squeeze("Piazza del Municipio"), text)
            self.assertEqual(QuietHandler.requests, ["/eventi.ics"])
        finally:
            server.shutdown()
            server.server_close()
        # The server gone: a totem started now shows the last good copy, and says why it is old.
        self.totem.stop()
        s = self.totem_with(lambda s: s["title"] == "Mercatino di Natale in piazza", "the cached calendar, offline")
        self.assertTrue(any("eventi" in p and "last good copy is shown" in p for p in s["rejected"]), s["rejected"])

    def totem_with(self, predicate, what):
        """A totem started on this configuration, once its layout satisfies `predicate`."""
        self.start()
        return self.totem.wait_layout(predicate, what, 15)

    def test_the_entrance_plays_the_items_when_untouched_and_a_touch_only_brings_home_back(self):
        self.write_config(60)
        self.totem = RunningKiosk(
            "entrance", [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data,
                         "--printer", "memory"],
            ["--role", "entrance", "--fullscreen", "--exit-after-ms", "120000"],
            dict(os.environ, CSC_NOW=OPEN), self.dir, os.path.join(ARGS.artifacts, self.id().split(".")[-1]))
        e = self.totem
        self.home_targets = e.wait_layout(lambda s: s["screen"] == "home", "the home screen")["targets"]
        t0 = time.monotonic()
        s = e.wait_layout(lambda s: s["screen"] == "attract", "the attract loop", ATTRACT_SECONDS + 10)
        self.assertGreaterEqual(time.monotonic() - t0, ATTRACT_SECONDS - 1.5, "the attract loop came before its time")
        self.assertEqual(s["attract"]["item"], "tari-seconda-rata")
        self.assertEqual(s["attract"]["pages"], 3)
        text = self.read(s)
        self.assertIn(squeeze("Tocca lo schermo per prendere il numero"), text)
        self.assertIn(squeeze("TARI: seconda rata"), text)
        self.assertEqual([t["id"] for t in s["targets"]], ["attract"], "the attract loop has one target: the whole screen")
        # A touch where the home screen has a sector button: home comes back, no ticket is taken.
        home_sector = next(t for t in self.home_targets if t["id"].startswith("sector:"))
        subprocess.run(["xdotool", "mousemove", str(int(home_sector["x"] + home_sector["w"] / 2)),
                        str(int(home_sector["y"] + home_sector["h"] / 2)), "click", "1"], check=True)
        s = e.wait_layout(lambda s: s["screen"] == "home", "home after a touch", 10)
        time.sleep(1.0)
        self.assertEqual(e.read_layout()["screen"], "home", "the touch that woke the kiosk chose something")
        status = json.loads(self.kiosk("status", "--json"))
        self.assertEqual(sum(x["waiting"] for x in status["sectors"]), 0, "a ticket was taken by the waking touch")

    def test_with_nothing_to_show_the_totem_welcomes_with_todays_hours(self):
        shutil.rmtree(self.content)  # no content folder at all: not an error, nothing to play
        self.write_config(60)
        self.totem = RunningKiosk(
            "totem", [ARGS.kiosk, "--assets", ARGS.assets, "--config", self.config, "--data", self.data],
            ["--role", "totem", "--fullscreen", "--exit-after-ms", "60000"],
            dict(os.environ, CSC_NOW=OPEN), self.dir, os.path.join(ARGS.artifacts, self.id().split(".")[-1]))
        s = self.totem.wait_layout(lambda s: s["reads"] >= 1, "the folder read")
        self.assertEqual((s["screen"], s["pages"], s["rejected"]), ("welcome", 0, []))
        text = self.read(s)
        self.assertIn(squeeze("Benvenuti al Centro Servizi al Cittadino"), text)
        # (OCR reads the en dash as a hyphen.)
        self.assertIn(squeeze("Orario di oggi: 08:30-12:30, 14:30-17:30"), text.replace("–", "-"))

    def test_between_pages_the_totem_uses_no_cpu(self):
        self.start()
        time.sleep(1.0)
        before = self.totem.cpu_ticks()
        time.sleep(3.0)
        used = self.totem.cpu_ticks() - before
        hz = os.sysconf("SC_CLK_TCK")
        # The folder is read every second (refresh_seconds = 1) and finds nothing new: no frame.
        self.assertLessEqual(used, hz * 3 * 0.02, f"{used} ticks in 3 s at rest")


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__]))
