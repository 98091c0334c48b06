#!/usr/bin/env python3
"""The hidden service menu (issue 14 points 1, 2, 4) over the entrance kiosk: the real
`kiosk run` under Xvfb, real pointer and key events (xdotool); the gesture opens it only with a
maintenance PIN, each page shows what the program knows, a broken configuration is named with
its line and not applied, today's figures are drawn as bars (checked on the pixels), and the
menu closes by itself; sign-in and sign-out are in the store's audit. The printer page prints a
test page, counts the paper and previews the last ticket (its number read back from the
pixels); the device page checks the screen and the speaker, closes the day, reboots through the
configured command and restarts the program, which keeps the paper count and the profile; every
action is in the audit. Screenshots go to --artifacts.
"""
import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from screen_pixels import Image, hex_rgb, ocr, read_ticket_numbers, squeeze  # noqa: E402
from loop_disk import free_loop_disk, make_loop_disk  # noqa: E402

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open
TECH, PIN = "Bruno Tecnico", "4826"
IDLE_S = 10


class Entrance(RunningKiosk):
    def __init__(self, test, name, extra=()):
        self.test = test
        super().__init__(name, test.base() + ["--printer", "emulated"],
                         ["--role", "entrance", "--fullscreen", "--orientation", "portrait", "--exit-after-ms", "120000",
                          *extra],
                         dict(os.environ, CSC_NOW=OPEN), test.dir, os.path.join(ARGS.artifacts, name), ready_timeout=20)
        self.state = self.wait_layout(lambda s: s["screen"] == "home", "the home screen")

    def corner_taps(self, n, gap=0.15):
        for _ in range(n):
            subprocess.run(["xdotool", "mousemove", "12", "12", "click", "1"], check=True)
            time.sleep(gap)

    def keys(self, *keys):
        subprocess.run(["xdotool", "key", "--delay", "40", *keys], check=True)

    def type_pin(self, pin):
        subprocess.run(["xdotool", "type", "--delay", "30", pin], check=True)
        self.keys("Return")

    def open_with_pin(self, pin=PIN):
        self.corner_taps(5)
        self.wait_layout(lambda s: s["screen"] == "service_sign_in", "the service menu's sign-in")
        self.click("operator:" + TECH)
        self.wait_layout(lambda s: True, "a frame after choosing the name")
        self.type_pin(pin)


class ServiceMenuTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-gui-service-")
        self.data = os.path.join(self.dir, "data")
        self.config = os.path.join(self.dir, "office.toml")
        self.rebooted = os.path.join(self.dir, "rebooted")
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            # Reboot: a harmless command whose trace the test finds; no shut-down button at all.
            self.site = f.read() + (f"\n[service_menu]\nreboot_command = \"touch '{self.rebooted}'\"\n"
                                    f"shutdown_command = \"\"\nidle_seconds = {IDLE_S}\n")
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(self.site)
        self.cli("operator", "add", "--name", TECH, "--role", "maintenance", stdin=PIN + "\n")
        self.cli("operator", "add", "--name", "Anna Sportello", "--role", "counter", stdin="1357\n")
        self.running = []

    def tearDown(self):
        for k in self.running:
            k.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def base(self):
        return [ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data, "--config", self.config]

    def cli(self, *args, stdin=None):
        p = subprocess.run(self.base() + list(args), env=dict(os.environ, CSC_NOW=OPEN), input=stdin,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p

    def start(self, name, extra=()):
        k = Entrance(self, name, extra)
        self.running.append(k)
        return k

    def audit(self, event_type, whole=False):
        db = sqlite3.connect(f"file:{os.path.join(self.data, 'office.db')}?mode=ro", uri=True)
        try:
            return [json.loads(r[0]) if whole else json.loads(r[0])["body"] for r in
                    db.execute("SELECT encoded FROM events WHERE type = ? ORDER BY position", (event_type,))]
        finally:
            db.close()

    def row(self, state, label):
        rows = [r for r in state["service"]["rows"] if r["label"] == label]
        self.assertTrue(rows, f"no row {label!r} in {state['service']['rows']}")
        return rows[0]

    def test_only_five_quick_taps_in_the_corner_or_ctrl_alt_m_ask_for_a_maintenance_pin(self):
        k = self.start("gesture")
        k.corner_taps(4)
        time.sleep(1.0)
        self.assertEqual(k.read_layout()["screen"], "home", "four taps opened it")
        time.sleep(3.2)  # the four taps are now older than three seconds: they no longer count
        k.corner_taps(2)
        time.sleep(1.0)
        self.assertEqual(k.read_layout()["screen"], "home", "taps spread over more than 3 s opened it")
        k.corner_taps(5)
        s = k.wait_layout(lambda s: s["screen"] == "service_sign_in", "the sign-in after five taps")
        self.assertEqual(s["service"]["operators"], [TECH], "only maintenance staff may sign in here")
        k.click("back")
        k.wait_layout(lambda s: s["screen"] == "home", "home after Back")
        k.keys("ctrl+alt+m")
        k.wait_layout(lambda s: s["screen"] == "service_sign_in", "the sign-in after Ctrl+Alt+M")
        self.assertEqual(self.audit("staff.sign_in"), [], "nobody signed in, nothing to audit yet")

    def test_a_wrong_pin_is_refused_each_page_reads_a_broken_file_is_never_applied_a_mended_one_is(self):
        self.cli("issue", "--sector", "anagrafe", "--service", "certificati")
        self.cli("issue", "--sector", "protocollo")
        self.cli("issue", "--sector", "protocollo")
        k = self.start("pages")
        k.open_with_pin("0000")
        s = k.wait_layout(lambda s: s["service"]["wrong_pin"], "the wrong PIN refused")
        self.assertEqual(s["screen"], "service_sign_in")
        k.type_pin(PIN)
        s = k.wait_layout(lambda s: s["screen"] == "service_menu" and s["service"]["facts_read"] >= 1,
                          "the menu, its facts read")
        self.assertEqual(s["service"]["page"], "printer")
        self.assertEqual(s["service"]["signed_in"], TECH)
        signed = self.audit("staff.sign_in")
        self.assertEqual([(b["name"], b["where"], b["ok"]) for b in signed],
                         [(TECH, "service-menu", False), (TECH, "service-menu", True)])

        # Network: this very program, alive, on a single machine.
        k.click("service:network")
        s = k.wait_layout(lambda s: s["service"]["page"] == "network" and not s["service"]["loading"], "the network page")
        row = next(r for r in s["service"]["rows"] if "chiosco" in r["label"].lower() or "entrance" in r["label"].lower()
                   or "ingresso" in r["label"].lower())
        self.assertEqual(row["tone"], "ok", row)
        self.assertIn("in linea", row["value"])

        # Configuration: fine, then broken on disk: named with its line, the running one kept.
        k.click("service:config")
        s = k.wait_layout(lambda s: s["service"]["page"] == "config" and not s["service"]["loading"], "the configuration page")
        self.assertEqual(s["service"]["rows"][0]["tone"], "ok", s["service"]["rows"])
        self.assertIn("0 contenuti", self.row(s, "Cartella dei contenuti")["value"])  # no folder beside the copied file
        self.assertEqual([a["id"] for a in s["service"]["actions"]], ["config-reload"])
        with open(self.config, "a", encoding="utf-8") as f:
            f.write("\nidle_secnds = 30\n")  # a typo in [service_menu], the file's last table
        bad_line = self.site.count("\n") + 2
        before = s["service"]["facts_read"]
        k.click("service:refresh")
        s = k.wait_layout(lambda s: s["service"]["facts_read"] > before and not s["service"]["loading"], "the file read again")
        row = s["service"]["rows"][0]
        self.assertEqual(row["tone"], "error", row)
        self.assertIn(f"office.toml:{bad_line}", row["value"])
        self.assertIn("idle_secnds", row["value"])
        self.assertEqual(s["service"]["actions"], [], "a broken file offered to be applied")

        # Statistics: today's tickets by sector as bars in the sectors' colours (on the pixels).
        k.click("service:stats")
        s = k.wait_layout(lambda s: s["service"]["page"] == "stats" and not s["service"]["loading"], "the statistics page")
        bars = {b["label"]: b for b in s["service"]["sectors"]}
        with open(os.path.join(ARGS.assets, "site", "office.toml"), "rb") as f:
            sectors = {x["id"]: x for x in tomllib.load(f)["sector"]}
        def italian(sid):
            name = sectors[sid]["name"]
            return name["it"] if isinstance(name, dict) else name
        self.assertEqual(bars[italian("protocollo")]["value"], 2)
        self.assertEqual(bars[italian("anagrafe")]["value"], 1)
        chart = k.target("service:chart:sectors")
        shot = Image.load(s["screenshot"], (chart["x"], chart["y"], chart["w"], chart["h"]))
        colours = shot.colours()
        for sid in ("protocollo", "anagrafe"):
            self.assertGreater(colours[hex_rgb(sectors[sid]["colour"])], 200, f"no bar in {sid}'s colour")
        self.assertEqual(colours[hex_rgb(sectors["stato-civile"]["colour"])], 0, "a bar for a sector with no ticket")
        # Today's queue as a line: nobody at the first quarter, the three tickets waiting now.
        self.assertEqual(s["service"]["queue"][-1], 3, s["service"]["queue"])
        line = k.target("service:chart:queue")
        drawn = Image.load(s["screenshot"], (line["x"], line["y"], line["w"], line["h"])).colours()
        self.assertGreater(drawn[(0x0B, 0x3D, 0x73)], 300, "no line drawn in the queue chart")
        # The last 7 days: the same tickets (all today), the range chosen, no line (it is a day's).
        k.click("service:act:range:week")
        s = k.wait_layout(lambda s: any(c["selected"] and c["id"] == "range:week" for c in s["service"]["choices"])
                          and not s["service"]["loading"], "the last 7 days")
        self.assertEqual({b["label"]: b["value"] for b in s["service"]["sectors"]}[italian("protocollo")], 2)
        self.assertEqual(s["service"]["queue"], [])
        # Other days: the last 30 at first, then each end moved by a month or a day; a range
        # that ends yesterday has none of today's tickets.
        k.click("service:act:range:chosen")
        s = k.wait_layout(lambda s: s["service"]["days"] == ["2026-10-28", "2026-11-26"] and not s["service"]["loading"], "the last 30 days")
        self.assertEqual({b["label"]: b["value"] for b in s["service"]["sectors"]}[italian("protocollo")], 2)
        self.assertEqual(len([a for a in s["service"]["actions"] if a["id"].startswith("step:")]), 8)
        k.click("service:act:step:from:-month")
        k.wait_layout(lambda s: s["service"]["days"] == ["2026-09-28", "2026-11-26"] and not s["service"]["loading"], "a month more")
        k.click("service:act:step:to:-day")
        s = k.wait_layout(lambda s: s["service"]["days"] == ["2026-09-28", "2026-11-25"] and not s["service"]["loading"], "up to yesterday")
        self.assertEqual({b["label"]: b["value"] for b in s["service"]["sectors"]}[italian("protocollo")], 0)

        # Logs, then Close: back to the citizens' screen, the sign-out audited.
        # The log: this program's own lines (its stderr, kept), newest first, filtered by topic.
        k.click("service:logs")
        s = k.wait_layout(lambda s: s["service"]["page"] == "logs" and not s["service"]["loading"], "the log page")
        texts = [r["value"] for r in s["service"]["rows"]]
        self.assertTrue(any(f'service menu: opened by "{TECH}"' in t for t in texts), texts)
        refused = [r for r in s["service"]["rows"] if "sign-in refused" in r["value"]]
        self.assertEqual([r["tone"] for r in refused], ["warn"], "the wrong PIN is in the log as a problem")
        k.click("service:act:log:printer")
        s = k.wait_layout(lambda s: any(c["selected"] and c["id"] == "log:printer" for c in s.get("service", {}).get("choices", [])), "the printer's lines")
        self.assertFalse([r for r in s["service"]["rows"] if "service menu" in r["value"]], s["service"]["rows"])
        k.click("service:act:log:staff")
        s = k.wait_layout(lambda s: any(c["selected"] and c["id"] == "log:staff" for c in s.get("service", {}).get("choices", [])), "the staff's lines")
        self.assertTrue(all(any(w in r["value"].lower() for w in ("service menu", "sign", "staff", "operator", "pin"))
                            for r in s["service"]["rows"]), s["service"]["rows"])
        self.assertTrue(any("opened by" in r["value"] for r in s["service"]["rows"]))
        k.click("service:close")
        k.wait_layout(lambda s: s["screen"] == "home", "home after Close")
        self.assertEqual([(b["name"], b["where"]) for b in self.audit("staff.signed_out")], [(TECH, "service-menu")])

        # The file mended, with a new office name: applied in the same window by the same
        # program, never restarted (the title and the header say the new name), the running
        # office never saw the broken file.
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(self.site.replace('name = "Centro Servizi al Cittadino"', 'name = "Sportello Unico"', 1))
        k.open_with_pin()
        k.wait_layout(lambda s: s["screen"] == "service_menu", "the menu again")
        k.click("service:config")
        s = k.wait_layout(lambda s: s["service"]["page"] == "config" and not s["service"]["loading"]
                          and s["service"]["actions"], "the mended file, to apply")
        pid = k.proc.pid
        k.click("service:act:config-reload")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home again with the new file", timeout=30)
        k.wait_for(lambda: subprocess.run(["xdotool", "search", "--name", "Sportello Unico"],
                                          capture_output=True).returncode == 0, "a window titled with the new office name")
        self.assertEqual(k.proc.poll(), None, "the program ended")
        self.assertEqual(k.proc.pid, pid)
        with open(k.stderr_path, encoding="utf-8") as f:
            log = f.read()
        self.assertIn("configuration applied in this window", log)
        self.assertNotIn("kiosk: restarting", log, "applied by restarting the program")

        def header_says_new_name():
            shot = k.read_layout()["screenshot"]
            return "SportelloUnico" in squeeze(ocr(Image.load(shot, (0, 0, Image.load(shot).width, 200)), "ita", psm=6, workdir=self.dir))
        k.wait_for(header_says_new_name, "the new office name in the home screen's header", timeout=20)
        self.assertEqual([(e["body"]["action"], e["by"]) for e in self.audit("maintenance.done", True)], [("config-reload", TECH)])

    def test_the_export_page_offers_the_disk_and_copies_onto_it_mounted_only_for_the_copy(self):
        # A real disk (a loop device over an ext4 image), named by [service_menu] export_device
        # as an SD slot would be; USB sticks are found in sysfs (tests/app/test_usb_export.cpp).
        device, _ = make_loop_disk(self, self.dir, "stick")
        look = os.path.join(self.dir, "look")
        os.makedirs(look)
        try:
            with open(self.config, "w", encoding="utf-8") as f:
                f.write(self.site + f'export_device = "{device}"\n')
            self.cli("issue", "--sector", "protocollo", "--no-print")
            k = self.start("export")
            k.open_with_pin()
            k.wait_layout(lambda s: s["screen"] == "service_menu", "the menu")
            k.click("service:export")
            s = k.wait_layout(lambda s: s["service"]["page"] == "export"
                              and any(a["id"] == "export:" + device for a in s["service"]["actions"]), "the disk offered")
            self.assertIn("dal 2026-11-26 al 2026-11-26", self.row(s, "Giorni")["value"])
            k.click("service:act:export:" + device)
            s = k.wait_layout(lambda s: "csc-export-" in s["service"]["outcome"] or "non riuscita" in s["service"]["outcome"],
                              "the export's outcome", timeout=60)
            folder = "csc-export-2026-11-26-" + s["service"]["outcome"].split("csc-export-2026-11-26-")[1][:4]
            self.assertIn("9 file scritti", s["service"]["outcome"])
            with open("/proc/self/mountinfo", encoding="utf-8") as f:
                self.assertNotIn(f" {device} ", f.read(), "the disk is still mounted after the export")
            subprocess.run(["mount", "-o", "ro", device, look], check=True, timeout=30)
            try:
                with open(os.path.join(look, folder, "visits-2026-11-26.csv"), encoding="utf-8-sig") as f:
                    self.assertEqual([v["sector"] for v in csv.DictReader(f, delimiter=";")], ["protocollo"])
                self.assertEqual(len(os.listdir(os.path.join(look, folder))), 9)
            finally:
                subprocess.run(["umount", look], check=True, timeout=30)
            self.assertEqual([(e["body"]["action"], e["body"]["detail"], e["by"]) for e in self.audit("maintenance.done", True)],
                             [("export", device, TECH)])
        finally:
            for k in self.running:
                k.stop()
            free_loop_disk(device)

    def test_the_menu_closes_by_itself_when_left_alone_and_signs_out(self):
        k = self.start("idle")
        k.open_with_pin()
        k.wait_layout(lambda s: s["screen"] == "service_menu", "the menu")
        opened = time.monotonic()
        k.wait_layout(lambda s: s["screen"] == "home", "home after the idle time", timeout=IDLE_S + 8)
        self.assertGreater(time.monotonic() - opened, IDLE_S - 2, "closed before its idle time")
        self.assertEqual([(b["name"], b["where"]) for b in self.audit("staff.signed_out")], [(TECH, "service-menu")])

    def test_the_printer_page_prints_a_test_page_counts_paper_previews_the_last_ticket_and_survives_a_restart(self):
        k = self.start("printer")
        k.click("sector:protocollo")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s.get("ticket", {}).get("phase") == "printed",
                          "the ticket printed", timeout=15)
        label = s["ticket"]["label"]
        k.open_with_pin()
        s = k.wait_layout(lambda s: s["screen"] == "service_menu" and s["service"]["facts_read"] >= 1
                          and s["service"]["preview"]["width"] > 0, "the printer page with its preview")
        self.assertEqual(self.row(s, "Carta")["value"].split("\n")[0],
                         "Stampati oggi: 1 · dall’ultimo cambio carta: 1")
        # The preview is the ticket's paper: its number is read back from the screen's pixels.
        box = k.target("service:preview")
        shot = Image.load(s["screenshot"], (box["x"] - s["window"]["x"], box["y"] - s["window"]["y"], box["w"], box["h"]))
        self.assertIn(label.replace(" ", ""), read_ticket_numbers(shot, workdir=self.dir),
                      f"ticket {label} not read from the preview")
        dark = sum(n for c, n in shot.colours().items() if sum(c) < 150)
        self.assertGreater(dark, 0.02 * box["w"] * box["h"], "the preview holds no print")
        profiles = [c for c in s["service"]["choices"] if c["selected"]]
        self.assertEqual(len(profiles), 1, s["service"]["choices"])
        configured = profiles[0]["id"].removeprefix("profile:")

        before = s["service"]["facts_read"]
        k.click("service:act:test-page")
        s = k.wait_layout(lambda s: s["service"]["facts_read"] > before and "Stampati oggi: 2" in self.row(s, "Carta")["value"],
                          "the test page counted", timeout=15)
        self.assertIn("Pagina di prova inviata", s["service"]["outcome"])
        k.click("service:act:paper-changed")
        s = k.wait_layout(lambda s: "dall’ultimo cambio carta: 0" in self.row(s, "Carta")["value"], "the paper count reset")
        self.assertIn("Stampati oggi: 2", self.row(s, "Carta")["value"])
        other = next(c for c in s["service"]["choices"] if not c["selected"] and c["id"] == "profile:generic-58")
        k.click("service:act:" + other["id"])
        s = k.wait_layout(lambda s: any(c["selected"] and c["id"] == other["id"] for c in s["service"]["choices"]),
                          "the 58 mm profile chosen")
        with open(os.path.join(self.data, "printer", "entrance.profile"), encoding="utf-8") as f:
            self.assertEqual(f.read().strip(), "generic-58")

        # Restart the program: asked first; the same command line comes back with the count and the profile.
        k.click("service:device")
        k.wait_layout(lambda s: s["service"]["page"] == "device" and not s["service"]["loading"], "the device page")
        k.click("service:act:restart")
        s = k.wait_layout(lambda s: s["service"]["asking"] == "restart", "the restart asked first")
        frame = s["frame"]
        k.click("service:yes")
        k.wait_layout(lambda s: s["screen"] == "home" and s["frame"] < frame, "home again after the restart", timeout=30)
        with open(k.stderr_path, encoding="utf-8") as f:
            self.assertIn("kiosk: restarting", f.read())
        k.open_with_pin()
        s = k.wait_layout(lambda s: s["screen"] == "service_menu" and s["service"]["facts_read"] >= 1, "the printer page again")
        self.assertIn("Stampati oggi: 2 · dall’ultimo cambio carta: 0", self.row(s, "Carta")["value"])
        self.assertTrue(any(c["selected"] and c["id"] == "profile:generic-58" for c in s["service"]["choices"]))
        self.assertEqual(s["service"]["preview"]["width"], 0, "a preview after the restart: no ticket came out since")
        self.assertEqual([(e["body"]["action"], e["body"].get("detail", ""), e["by"]) for e in self.audit("maintenance.done", True)],
                         [("test-page", configured, TECH), ("paper-changed", "", TECH),
                          ("printer-profile", "generic-58", TECH), ("restart", "", TECH)])

    def test_the_device_page_checks_screen_and_speaker_closes_the_day_when_confirmed_and_reboots(self):
        self.cli("issue", "--sector", "protocollo")
        chime = os.path.join(self.dir, "chime.wav")
        k = self.start("device", ["--sound-file", chime])
        k.open_with_pin()
        k.wait_layout(lambda s: s["screen"] == "service_menu", "the menu")
        k.click("service:device")
        s = k.wait_layout(lambda s: s["service"]["page"] == "device" and not s["service"]["loading"], "the device page")
        self.assertEqual([a["id"] for a in s["service"]["actions"]],
                         ["language-check", "screen-check", "speaker-check", "restart", "reboot"],
                         "shut-down is not configured: no button for it")

        # The languages check: every language of the office in its own words, read back from the
        # pixels for the Latin, Cyrillic and Chinese ones.
        k.click("service:act:language-check")
        s = k.wait_layout(lambda s: s["key"].endswith("/languages") or "/languages/" in s["key"], "the languages listed")
        rows = {r["label"]: (i, r["value"]) for i, r in enumerate(s["service"]["rows"])}
        for name, lang, words in (("English", "eng", "Welcome"), ("Українська", "ukr", "Ласкаво"), ("中文", "chi_sim", "欢迎")):
            self.assertIn(name, rows, sorted(rows))
            index, value = rows[name]
            self.assertIn(words, value)
            box = k.target(f"service:row:{index}")
            text = ocr(Image.load(s["screenshot"], (box["x"], box["y"], box["w"], box["h"])), lang, psm=6, workdir=self.dir)
            self.assertIn(squeeze(words), squeeze(text), f"{name}: read {text!r}")
        k.click("service:act:language-check")
        k.wait_layout(lambda s: "languages" not in s["key"], "the languages hidden")

        # The screen check: the sectors' colours on the pixels, each touch marked where it fell.
        k.click("service:act:screen-check")
        s = k.wait_layout(lambda s: s["service"]["pattern"], "the test pattern")
        win = s["window"]
        for x, y in ((200, 1200), (880, 1700)):
            subprocess.run(["xdotool", "mousemove", str(win["x"] + x), str(win["y"] + y), "click", "1"], check=True)
            time.sleep(0.3)
        s = k.wait_layout(lambda s: len(s["service"]["marks"]) == 2, "two touches marked")
        self.assertEqual([(round(m[0]), round(m[1])) for m in s["service"]["marks"]], [(200, 1200), (880, 1700)])
        shot = Image.load(s["screenshot"])
        with open(os.path.join(ARGS.assets, "site", "office.toml"), "rb") as f:
            sectors = tomllib.load(f)["sector"]
        colours = shot.colours()
        for sector in sectors:
            self.assertGreater(colours[hex_rgb(sector["colour"])], 10000, f"no bar in {sector['id']}'s colour")
        red = Image.load(s["screenshot"], (190, 1190, 20, 20)).colours()
        self.assertGreater(red[(0x8E, 0x1B, 0x14)], 100, "no mark where the screen was touched")
        k.click("service:pattern:done")
        s = k.wait_layout(lambda s: not s["service"]["pattern"] and "2 tocchi" in s["service"]["outcome"], "the check done")

        # The speaker: the chime, as a WAV the test can read (--sound-file).
        k.click("service:act:speaker-check")
        k.wait_layout(lambda s: "Segnale acustico" in s["service"]["outcome"], "the chime sent")
        with open(chime, "rb") as f:
            wav = f.read()
        self.assertEqual(wav[:4], b"RIFF")
        self.assertGreater(len(wav), 22050, "under half a second of sound")

        # Close the day: asked first; "No" leaves it open, "Yes" closes it, by whom.
        k.click("service:day")
        s = k.wait_layout(lambda s: s["service"]["page"] == "day" and not s["service"]["loading"], "the day page")
        self.assertIn("in attesa: 1", self.row(s, "Biglietti")["value"])
        # Thursday 26/11 at 10:00: the next office day is Friday's, not this afternoon's session.
        self.assertTrue(self.row(s, "Prossima giornata")["value"].startswith("27/11/2026 dalle 08:30"))
        k.click("service:act:close-day")
        k.wait_layout(lambda s: s["service"]["asking"] == "close-day", "the question")
        k.click("service:no")
        k.wait_layout(lambda s: s["service"]["asking"] == "" and s["service"]["page"] == "day", "back without closing")
        self.assertEqual(self.audit("day.closed"), [])
        k.click("service:act:close-day")
        k.wait_layout(lambda s: s["service"]["asking"] == "close-day", "the question again")
        k.click("service:yes")
        s = k.wait_layout(lambda s: "Giornata chiusa" in s["service"]["outcome"] and "in attesa: 0" in self.row(s, "Biglietti")["value"],
                          "the day closed")
        self.assertEqual([e["by"] for e in self.audit("day.closed", True)], [TECH])
        self.assertNotIn("service:act:close-day", [t["id"] for t in s["targets"]], "nothing left open to close")

        # Reboot: asked, then the configured command runs (here it leaves a file), recorded first.
        k.click("service:device")
        k.wait_layout(lambda s: s["service"]["page"] == "device" and not s["service"]["loading"], "the device page again")
        k.click("service:act:reboot")
        k.wait_layout(lambda s: s["service"]["asking"] == "reboot", "the reboot asked first")
        self.assertFalse(os.path.exists(self.rebooted))
        k.click("service:yes")
        k.wait_layout(lambda s: "Riavvio del dispositivo" in s["service"]["outcome"], "the reboot started")
        self.assertTrue(os.path.exists(self.rebooted), "the reboot command did not run")
        self.assertEqual([(e["body"]["action"], e["body"].get("detail", "")) for e in self.audit("maintenance.done", True)],
                         [("screen-check", "2 touches"), ("speaker-check", ""), ("reboot", "")])


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__]))
