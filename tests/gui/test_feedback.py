#!/usr/bin/env python3
"""The satisfaction screen beside a counter (issue 15, point 4: `kiosk run --role feedback --counter 4`).

When counter 4 finishes a service (the real CLI, another program on the store), the screen asks
that ticket's citizen how it went with three faces, each with its word (read back by OCR); a real
click on "Male" asks the reason, a click on one records the rating (seen by `kiosk stats`), then
thanks, then idle again. A service finished at another counter is not asked here; idle, the
screen uses no CPU. Run under xvfb-run (see CMakeLists.txt); screenshots go to --artifacts.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from screen_pixels import Image, ocr, squeeze  # noqa: E402

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open


class FeedbackScreenTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-feedback-")
        self.data = os.path.join(self.dir, "data")
        self.kiosk("status")  # creates the store
        self.screen = RunningKiosk(
            "feedback", [ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data],
            ["--role", "feedback", "--counter", "4", "--fullscreen", "--orientation", "landscape",
             "--exit-after-ms", "120000"],
            dict(os.environ, CSC_NOW=OPEN), self.dir, os.path.join(ARGS.artifacts, self.id().split(".")[-1]))
        self.screen.wait_layout(lambda s: s["screen"] == "feedback.idle", "the idle screen")

    def tearDown(self):
        self.screen.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def kiosk(self, *args):
        p = subprocess.run([ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data, "--printer", "memory", *args],
                           capture_output=True, text=True, env=dict(os.environ, CSC_NOW=OPEN), timeout=60)
        if p.returncode != 0:
            raise AssertionError(f"kiosk {' '.join(args)} failed ({p.returncode}): {p.stderr}")
        return p.stdout

    def serve_one(self, counter):
        ticket = json.loads(self.kiosk("issue", "--sector", "protocollo", "--json", "--no-print"))
        for action in ("open", "call", "start", "finish"):
            self.kiosk("counter", action, "--counter", counter)
        return ticket

    def test_a_finished_service_asks_three_faces_and_a_bad_rating_with_its_reason_is_recorded(self):
        k = self.screen
        t = self.serve_one("4")
        s = k.wait_layout(lambda s: s["screen"] == "feedback.ask" and s["ticket"] == t["number"], "the question")
        self.assertEqual(s["counter"], 4)
        ids = sorted(x["id"] for x in s["targets"])
        self.assertEqual(ids, ["rate.bad", "rate.good", "rate.so-so"])
        for x in s["targets"]:
            self.assertGreaterEqual(x["h"], 250, f"{x['id']} is not a large button")
        self.assertIn(squeeze("Com'è andata oggi?"), squeeze(ocr(s["screenshot"], "ita", workdir=self.dir)))
        # Each face's word, read inside its own button (its lower band): the accessible name, not colour alone.
        shot = Image.load(s["screenshot"])
        for target, word in (("rate.good", "Bene"), ("rate.so-so", "Così così"), ("rate.bad", "Male")):
            x = k.target(target)
            band = shot.crop(x["x"] + 10, x["y"] + x["h"] * 0.75, x["w"] - 20, x["h"] * 0.22)
            self.assertEqual(squeeze(ocr(band, "ita", psm=7, workdir=self.dir)), squeeze(word), target)
        k.click("rate.bad")
        s = k.wait_layout(lambda s: s["screen"] == "feedback.reasons", "the reasons")
        self.assertIn("reason.waiting", [x["id"] for x in s["targets"]])
        x = k.target("reason.waiting")
        band = Image.load(s["screenshot"]).crop(x["x"] + 10, x["y"] + 10, x["w"] - 20, x["h"] - 20)
        self.assertEqual(squeeze(ocr(band, "ita", psm=7, workdir=self.dir)), squeeze("L'attesa"))
        k.click("reason.staff")
        k.wait_layout(lambda s: s["screen"] == "feedback.thanks", "the thank-you")
        stats = json.loads(self.kiosk("stats", "--from", "2026-11-26", "--to", "2026-11-26", "--by", "counter",
                                      "--format", "json"))
        self.assertEqual(stats["total"]["feedback_bad"], 1)
        self.assertEqual(stats["total"]["feedback_bad_staff"], 1)
        row = next(r for r in stats["rows"] if r["key"] == "4")
        self.assertEqual(row["feedback"], 1)
        # The thank-you goes away by itself.
        k.wait_layout(lambda s: s["screen"] == "feedback.idle", "idle again after the thank-you", timeout=20)

    def test_another_counters_service_is_not_asked_and_idle_uses_no_cpu(self):
        k = self.screen
        self.serve_one("5")
        time.sleep(1.5)
        self.assertEqual(k.read_layout()["screen"], "feedback.idle")
        before = k.cpu_ticks()
        time.sleep(3.0)
        used = k.cpu_ticks() - before
        hz = os.sysconf("SC_CLK_TCK")
        self.assertLessEqual(used, hz * 3 * 0.02, f"{used} ticks in 3 s at rest")

    def test_a_good_rating_in_the_citizens_language_is_one_tap(self):
        k = self.screen
        ticket = json.loads(self.kiosk("issue", "--sector", "protocollo", "--json", "--no-print", "--lang", "en"))
        for action in ("open", "call", "start", "finish"):
            self.kiosk("counter", action, "--counter", "4")
        s = k.wait_layout(lambda s: s["screen"] == "feedback.ask" and s["ticket"] == ticket["number"], "the question")
        self.assertEqual(s["lang"], "en")
        self.assertIn(squeeze("How did it go today?"), squeeze(ocr(s["screenshot"], "eng", workdir=self.dir)))
        k.click("rate.good")
        k.wait_layout(lambda s: s["screen"] == "feedback.thanks", "the thank-you")
        stats = json.loads(self.kiosk("stats", "--from", "2026-11-26", "--to", "2026-11-26", "--format", "json"))
        self.assertEqual(stats["total"]["feedback_good"], 1)


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__]))
