#!/usr/bin/env python3
"""The Info Point (`kiosk run --role infopoint`) as staff use it: the real program under Xvfb
(1920x1080, landscape), real X pointer clicks and key strokes (xdotool), checked through the
layout dump, the screenshots (OCR of the title, the sectors' colours), the emulated printer's PNGs
(QR decoded with zbarimg), the store's event log (who did what, with which priority class and
reason) and `kiosk status|booking list --json`. Run it under xvfb-run (see CMakeLists.txt).

The office time is set with CSC_NOW: Monday 14 December 2026, open 08:30-12:30; identity-card
appointments (carta-identita) every 20 minutes, two places each, at least 120 minutes ahead.
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from screen_pixels import (Image, background_and_ink, contrast, hex_rgb, letters, ocr, read_ticket_numbers,  # noqa: E402
                           target_text_contrast)

ARGS = None
MONDAY = "2026-12-14T09:00"
STAFF, PIN = "Anna Bianchi", "2468"
ANAGRAFE_BLUE = "#1F5FAD"   # the sample office's sector colours
PROTOCOLLO_GREEN = "#2C6E31"


def count_colour(image, rgb):
    needle = bytes(rgb)
    n = 0
    for row in image.rows:
        i = row.find(needle)
        while i >= 0:
            if i % 3 == 0:
                n += 1
            i = row.find(needle, i + 1)
    return n


def decode_qr(png):
    p = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png],
                       capture_output=True, text=True, timeout=30)
    return [line.strip() for line in p.stdout.splitlines() if line.strip()]


class InfoPoint(RunningKiosk):
    def __init__(self, test, name, now=MONDAY, config=None, printer="emulated"):
        self.test = test
        cmd = test.base(config) + ["--printer", printer]
        super().__init__(name, cmd, ["--role", "infopoint", "--fullscreen", "--orientation", "landscape",
                                     "--exit-after-ms", "170000"],
                         dict(os.environ, CSC_NOW=now), test.dir, os.path.join(ARGS.artifacts, name), ready_timeout=30)
        self.wait_layout(lambda s: s["screen"] == "sign_in" and STAFF in s["staff"], "the sign-in screen with the staff")

    def tap(self, target_id):
        t = self.target(target_id)
        self.test.assertGreaterEqual(min(t["w"], t["h"]), 60 * self.state["scale"], target_id)
        self.click(target_id)

    def tap_and_wait(self, target_id, predicate, what, timeout=10):
        self.tap(target_id)
        return self.wait_layout(predicate, what, timeout)

    def type_text(self, text, enter=False):
        subprocess.run(["xdotool", "type", "--delay", "20", text], check=True)
        if enter:
            subprocess.run(["xdotool", "key", "Return"], check=True)

    def sign_in(self, pin=PIN):
        before = self.state["sign_in_attempts"]
        self.type_text(pin, enter=True)  # the PIN field has the keyboard focus; the only member is chosen
        return self.wait_layout(lambda s: s["sign_in_attempts"] > before and not s.get("busy"), "the PIN checked", 20)


class InfoPointTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-gui-infopoint-")
        self.data = os.path.join(self.dir, "data")
        self.running = []
        self.cli(MONDAY, ["operator", "add", "--name", STAFF, "--role", "infopoint"], stdin=PIN + "\n")

    def tearDown(self):
        for k in self.running:
            k.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def base(self, config=None):
        cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data]
        return cmd + (["--config", config] if config else [])

    def config(self, **infopoint):
        """The sample office with some [infopoint] keys changed."""
        path = os.path.join(self.dir, "office.toml")
        with open(os.path.join(ARGS.assets, "site", "office.toml")) as f:
            text = f.read()
        for key, value in infopoint.items():
            text, n = re.subn(rf"(?m)^{key} = \S+", f"{key} = {value}", text, count=1)
            self.assertEqual(n, 1, f"[infopoint] {key} in the sample office")
        with open(path, "w") as f:
            f.write(text)
        return path

    def cli(self, now, args, stdin=None, config=None):
        p = subprocess.run(self.base(config) + args, env=dict(os.environ, CSC_NOW=now), input=stdin,
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise AssertionError(f"kiosk {' '.join(args)} failed ({p.returncode}): {p.stderr}")
        return json.loads(p.stdout) if "--json" in args else p.stdout

    def start(self, name, **kw):
        k = InfoPoint(self, name, **kw)
        self.running.append(k)
        return k

    def events(self, kind):
        """The store's events of one type, decoded (read-only: the program may still run)."""
        db = sqlite3.connect(f"file:{os.path.join(self.data, 'office.db')}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT encoded FROM events WHERE type = ? ORDER BY position", (kind,)).fetchall()
        finally:
            db.close()
        return [json.loads(r[0]) for r in rows]

    def wait_events(self, kind, n, timeout=10):
        """The store's events of one kind once there are `n` of them (recorded off the UI thread)."""
        end = time.monotonic() + timeout
        while True:
            found = self.events(kind)
            if len(found) >= n or time.monotonic() > end:
                self.assertEqual(len(found), n, f"{kind} events")
                return found
            time.sleep(0.05)

    def entrance(self, name, paper, printer=None):
        """An entrance kiosk on the same store, its emulated printer writing into `paper`."""
        # A small window in the top-left corner (no window manager under Xvfb: it is mapped at
        # 0,0 over the Info Point's title), so the Info Point's targets stay clickable.
        k = RunningKiosk(name, self.base() + ["--printer", printer or "emulated:" + paper],
                         ["--role", "entrance", "--windowed", "--size", "200x200", "--exit-after-ms", "170000"], dict(os.environ, CSC_NOW=MONDAY), self.dir,
                         os.path.join(ARGS.artifacts, name), ready_timeout=30)
        self.running.append(k)
        k.wait_layout(lambda s: s["screen"] == "home", "the entrance's home screen")
        return k

    def signed_in(self, name, config=None, now=MONDAY, **kw):
        k = self.start(name, now=now, config=config, **kw)
        s = k.sign_in()
        self.assertEqual(s["screen"], "tickets", s)
        self.assertEqual(s["signed_in"], STAFF)
        return k

    # ---- A ticket printed at the entrance kiosk's printer (two programs on one store).

    def test_ticket_printed_at_the_entrance_kiosk_once(self):
        paper = os.path.join(self.dir, "entrance-paper")
        os.makedirs(paper)
        png = os.path.join(paper, "last-ticket.png")
        # Signed in first (the PIN is typed: the keyboard goes to the last window mapped).
        k = self.signed_in("print-at-entrance")
        entrance = self.entrance("entrance-printer", paper)
        k.tap_and_wait("sector:anagrafe", lambda s: s["sector"] == "anagrafe", "the sector chosen")
        k.tap_and_wait("service:certificati", lambda s: s["service"] == "certificati", "the service chosen")
        k.tap_and_wait("printat:entrance", lambda s: s["print_at"] == "entrance", "printing at the entrance chosen")
        s = k.tap_and_wait("issue", lambda s: s["last"] and s["last"]["print"] == "entrance_printed",
                           "the ticket printed at the entrance kiosk", 20)
        label = s["last"]["label"]
        self.assertEqual(s["prints_done"], 0, "nothing printed at the Info Point")
        self.assertEqual(s["pending_prints"], [])
        entrance.wait_layout(lambda s: s["requested_prints"]["printed"] == 1, "the entrance's print report")
        self.assertTrue(os.path.exists(png), "the entrance's emulated printer wrote no PNG")
        shutil.copy(png, os.path.join(k.shots, f"entrance-{label}.png"))
        self.assertIn(label, read_ticket_numbers(Image.load(png), self.dir), "the number on the entrance's paper")
        requested = self.events("print.requested")
        self.assertEqual(len(requested), 1)
        self.assertEqual(requested[0]["by"], STAFF)
        self.assertEqual(requested[0]["body"], {"ticket": s["last"]["id"], "at": "entrance", "reprint": False})
        self.assertEqual(len(self.events("print.claimed")), 1)
        finished = self.events("print.finished")
        self.assertEqual([f["body"]["ok"] for f in finished], [True])

        # A reprint at the entrance kiosk: a second request (reprint), printed there.
        os.remove(png)
        s = k.tap_and_wait("last:reprint", lambda s: s["notice"] == "infopoint.reprinted_entrance"
                           and s["last"]["print"] == "entrance_printed", "the reprint at the entrance kiosk", 20)
        entrance.wait_layout(lambda s: s["requested_prints"]["printed"] == 2, "the reprint's report")
        self.assertTrue(os.path.exists(png))
        self.assertIn(label, read_ticket_numbers(Image.load(png), self.dir))
        self.assertEqual([r["body"]["reprint"] for r in self.events("print.requested")], [False, True])

        # Once: the entrance program restarted on the same store prints neither again.
        os.remove(png)
        entrance.stop()
        again = self.entrance("entrance-restarted", paper)
        time.sleep(2.0)
        s = again.wait_layout(lambda s: s["screen"] == "home", "the restarted entrance")
        self.assertEqual(s["requested_prints"], {"printed": 0, "failed": 0})
        self.assertFalse(os.path.exists(png), "a printed request came out again after a restart")
        self.assertEqual(len(self.events("print.finished")), 2)

    def test_entrance_printer_failing_leaves_the_request_pending_on_screen(self):
        k = self.signed_in("print-at-entrance-fails")
        # The entrance kiosk's printer cannot be opened: every attempt fails.
        entrance = self.entrance("entrance-broken-printer", None, printer="file:/proc/no-such-dir/paper.bin")
        k.tap_and_wait("sector:protocollo", lambda s: s["sector"] == "protocollo", "protocollo chosen")
        k.tap_and_wait("printat:entrance", lambda s: s["print_at"] == "entrance", "printing at the entrance chosen")
        s = k.tap_and_wait("issue", lambda s: s["last"] and s["last"]["print"] == "entrance_failed",
                           "the failure seen at the Info Point", 20)
        label = s["last"]["label"]
        self.assertEqual([p["label"] for p in s["pending_prints"]], [label], "listed as still pending")
        self.assertNotEqual(s["pending_prints"][0]["error"], "", "with the printer's reason (dumped, not drawn)")
        entrance.wait_layout(lambda s: s["requested_prints"]["failed"] >= 1, "the entrance's failure report")
        finished = self.events("print.finished")
        self.assertEqual(finished[0]["body"]["ok"], False)
        self.assertNotIn(True, [f["body"]["ok"] for f in finished])

    # ---- Sign-in, tickets for a citizen, priority, reprint, cancel, orientation, search.

    def test_sign_in_tickets_priority_reprint_cancel_and_search(self):
        k = self.start("tickets")
        # A wrong PIN: refused, recorded, still on the sign-in screen.
        s = k.sign_in("9999")
        self.assertEqual(s["screen"], "sign_in")
        self.assertTrue(s["wrong_pin"])
        s = k.sign_in()
        self.assertEqual(s["screen"], "tickets", s)
        self.assertEqual(s["signed_in"], STAFF)
        self.assertEqual(len(self.events("staff.sign_in")), 2, "both attempts are in the audit log")

        # The screen as staff see it: the title by OCR, the sectors in their colours.
        shot = Image.load(s["screenshot"])
        top = shot.crop(0, 0, 1100, 104)
        self.assertIn("Puntoinformazioni", letters(ocr(top, "ita", psm=7, workdir=self.dir)))
        for colour in (ANAGRAFE_BLUE, PROTOCOLLO_GREEN):
            self.assertGreater(count_colour(shot, hex_rgb(colour)), 5000, f"the sector colour {colour}")
        sector = k.target("sector:anagrafe")
        tile = shot.crop(sector["x"], sector["y"], sector["w"], sector["h"])
        background, ink, _ = background_and_ink(tile)
        self.assertEqual(background, hex_rgb(ANAGRAFE_BLUE))
        self.assertGreaterEqual(contrast(background, ink), 4.5)

        # An ordinary ticket for a citizen: sector, service, issue; printed here.
        k.tap_and_wait("sector:anagrafe", lambda s: s["sector"] == "anagrafe", "the sector chosen")
        s = k.tap_and_wait("service:certificati", lambda s: s["service"] == "certificati", "the service chosen")
        # Every control with text on the desk (tabs, sectors, services, priority classes, Issue):
        # at least 4.5:1 on the pixels, staff screens too (EN 301 549 9.1.4.3).
        shot = Image.load(s["screenshot"])
        measured = []
        for t in s["targets"]:
            ratio, background, ink = target_text_contrast(shot, s, t["id"], 8 * s["scale"])
            if ratio is None:
                continue  # no text inside (an empty field)
            measured.append(t["id"])
            self.assertGreaterEqual(ratio, 4.5, f"{t['id']}: {ink} on {background}")
        self.assertGreaterEqual(len(measured), 10, measured)
        self.assertIn("issue", measured)
        s = k.tap_and_wait("issue", lambda s: s["last"] and s["last"]["print"] == "printed", "the ticket printed")
        self.assertEqual(s["last"]["label"], "A001")
        self.assertIn("last_tap_to_print_ms", s)
        png = s["last_print_png"]
        self.assertTrue(os.path.exists(png), "the emulated printer wrote no PNG")
        shutil.copy(png, os.path.join(k.shots, "printed-A001.png"))
        self.assertIn("A001", read_ticket_numbers(Image.load(png), self.dir), "the number on the paper")
        issued = self.events("ticket.issued")
        self.assertEqual(issued[-1]["by"], STAFF, "the ticket is recorded with the staff member")
        self.assertEqual(issued[-1]["body"]["channel"], "assisted")
        self.assertEqual(issued[-1]["body"].get("priority", ""), "")
        # The card shows the same wait range as the queue (one rounding: the ticket's).
        shot = Image.load(s["screenshot"])
        self.assertGreater(count_colour(shot, hex_rgb(ANAGRAFE_BLUE)), 5000)

        # A priority ticket: the class is recorded, nothing else about why.
        k.tap_and_wait("sector:protocollo", lambda s: s["sector"] == "protocollo", "protocollo chosen")
        k.tap_and_wait("priority:disabili", lambda s: s["priority"] == "disabili", "the priority class chosen")
        s = k.tap_and_wait("issue", lambda s: s["last"] and s["last"]["label"] == "C001" and s["last"]["print"] == "printed",
                           "the priority ticket printed")
        self.assertEqual(s["last"]["priority"], "Persone con disabilità")
        self.assertEqual(s["priority"], "", "the next citizen starts as ordinary")
        body = self.events("ticket.issued")[-1]
        self.assertEqual(body["body"]["priority"], "disabili")
        self.assertEqual(body["by"], STAFF)
        # The phone page's random token and the printed wait range are about the ticket, not the citizen.
        self.assertEqual(set(body["body"]) - {"sector", "service", "priority", "lang", "channel", "token", "promised"}, set(),
                         "no reason or other datum about the citizen is recorded")

        # Reprint: the same ticket comes out again.
        prints = s["prints_done"]
        s = k.tap_and_wait("last:reprint", lambda s: s["prints_done"] > prints and s["last"]["print"] == "printed",
                           "the reprint")
        self.assertEqual(s["last_print"], s["last"]["id"])
        self.assertIn("C001", read_ticket_numbers(Image.load(s["last_print_png"]), self.dir))
        self.assertEqual(len(self.events("ticket.issued")), 2, "a reprint issues nothing")
        reprinted = self.wait_events("ticket.reprinted", 1)
        self.assertEqual(reprinted[0]["by"], STAFF, "the reprint is in the audit log with the member")
        self.assertEqual(reprinted[0]["body"]["ticket"], s["last"]["id"])

        # Cancel with a reason: who and why in the log, the ticket out of the queue.
        k.tap_and_wait("last:cancel", lambda s: s["cancel_for"] == s["last"]["id"], "the cancel dialog")
        s = k.tap_and_wait("reason:infopoint.cancel.wrong_sector",
                           lambda s: s["notice"] == "infopoint.cancelled" and s["last"]["status"] == "infopoint.status.cancelled",
                           "the ticket cancelled")
        cancelled = self.events("ticket.cancelled")
        self.assertEqual(len(cancelled), 1)
        self.assertEqual(cancelled[0]["by"], STAFF)
        self.assertEqual(cancelled[0]["body"]["reason"], "infopoint.cancel.wrong_sector")
        self.assertEqual(s["queues"]["protocollo"]["waiting"], 0)
        self.assertEqual(s["queues"]["anagrafe"]["waiting"], 1)

        # Orientation: queues and counters, a counter at work seen from the Info Point.
        self.cli(MONDAY, ["counter", "open", "--counter", "1"])
        self.cli(MONDAY, ["counter", "call", "--counter", "1", "--json"])
        s = k.tap_and_wait("tab:queues", lambda s: s["screen"] == "queues" and s["counters"][0]["current"] == "A001",
                           "the queues tab with counter 1 calling A001")
        self.assertEqual(s["counters"][0]["status"], "open")
        shot = Image.load(s["screenshot"])
        self.assertGreater(count_colour(shot, hex_rgb(ANAGRAFE_BLUE)), 3000, "the sector bands in their colours")
        self.assertIn("Codepersettore", letters(ocr(shot.crop(0, 220, 1000, 70), "ita", psm=7, workdir=self.dir)))

        # Search by number: "a1" finds A001, now called.
        k.tap("field:search")
        time.sleep(0.3)
        k.type_text("a1")
        s = k.tap_and_wait("search", lambda s: s["found"] is not None, "the ticket found")
        self.assertEqual(s["found"]["label"], "A001")
        self.assertEqual(s["found"]["status"], "infopoint.status.called")

        # Sign out: the next person sees nothing of this session.
        s = k.tap_and_wait("sign_out", lambda s: s["screen"] == "sign_in", "signed out")
        self.assertIsNone(s["last"])
        self.assertIsNone(s["found"])
        self.assertEqual(self.events("staff.signed_out")[-1]["body"]["name"], STAFF)

    # ---- Automatic sign-out with a countdown that any input resets.

    def test_idle_sign_out_countdown_reset_and_nothing_left_on_screen(self):
        cfg = self.config(idle_sign_out_s=7, countdown_s=4)
        k = self.signed_in("idle", config=cfg)
        k.tap_and_wait("sector:protocollo", lambda s: s["sector"] == "protocollo", "protocollo chosen")
        s = k.tap_and_wait("issue", lambda s: s["last"] and s["last"]["print"] == "printed", "a ticket for a citizen")
        self.assertEqual(s["last"]["label"], "C001")
        # The countdown appears in the last 4 s; a key press resets it.
        s = k.wait_layout(lambda s: s["countdown"] > 0, "the countdown", 10)
        box = k.target("countdown")
        # The key first, the reading after (from the screenshot already taken): OCR on a loaded
        # machine can take longer than the countdown.
        subprocess.run(["xdotool", "key", "Shift_L"], check=True)
        self.assertLessEqual(s["countdown"], 4)
        panel = Image.load(s["screenshot"]).crop(box["x"], box["y"], box["w"], box["h"])
        self.assertIn("Uscitaautomatica", letters(ocr(panel, "ita", psm=6, workdir=self.dir)))
        s = k.wait_layout(lambda s: s["countdown"] == 0, "the countdown reset by a key", 5)
        self.assertEqual(s["screen"], "tickets")
        self.assertIsNotNone(s["last"], "still the same session")
        # No input: signed out after the full time, the screen empty of the citizen's data.
        s = k.wait_layout(lambda s: s["countdown"] > 0, "the countdown again", 10)
        s = k.wait_layout(lambda s: s["screen"] == "sign_in", "the automatic sign-out", 10)
        self.assertEqual(s["notice"], "infopoint.signed_out_idle")
        self.assertIsNone(s["last"])
        self.assertEqual(s["sign_outs"], 1)
        text = ocr(Image.load(s["screenshot"]), "ita", psm=11, workdir=self.dir)
        self.assertNotIn("C001", letters(text), "the previous ticket is not on screen")
        self.assertEqual(self.events("staff.signed_out")[-1]["by"], STAFF)
        # The next sign-in starts empty.
        s = k.sign_in()
        self.assertEqual(s["screen"], "tickets")
        self.assertIsNone(s["last"])
        self.assertEqual(s["sector"], "")

    # ---- An appointment booked at the Info Point, then checked in there.

    def test_book_receipt_then_check_in_round_trip(self):
        k = self.signed_in("book")
        k.tap_and_wait("tab:book", lambda s: s["screen"] == "book", "the booking tab")
        s = k.tap_and_wait("bookservice:carta-identita", lambda s: s["book"]["slots"], "free slots")
        slot = s["book"]["slots"][0]
        k.tap_and_wait("slot:" + slot, lambda s: s["book"]["slot"] == slot, "a slot chosen")
        k.tap("field:name")
        time.sleep(0.3)
        k.type_text("Maria Rossi")
        k.tap("field:contact")
        time.sleep(0.3)
        k.type_text("333 1234567")
        time.sleep(0.3)
        s = k.tap_and_wait("book", lambda s: s["book"]["booked"] and s["book"]["print"] == "printed", "booked and printed", 20)
        code = s["book"]["booked"]
        self.assertEqual(s["notice"], "infopoint.booked")
        png = s["last_print_png"]
        shutil.copy(png, os.path.join(k.shots, "booking-receipt.png"))
        self.assertIn(code, [q.replace("-", "") for q in decode_qr(png)] + decode_qr(png), "the receipt's QR holds the code")
        listed = self.cli(MONDAY, ["booking", "list", "--date", "2026-12-14", "--json"])["bookings"]
        mine = [b for b in listed if b["code"].replace("-", "") == code.replace("-", "")]
        self.assertEqual(len(mine), 1, listed)
        self.assertEqual(mine[0]["name"], "Maria Rossi")
        self.assertEqual(mine[0]["status"], "booked")
        made = self.events("booking.made")
        self.assertEqual(made[-1]["by"], STAFF)
        k.stop()
        self.running.remove(k)

        # Later that morning, inside the check-in window: from today's agenda.
        slot_local = time.strftime("%H:%M", time.gmtime(int(slot) / 1000 + 3600))  # Europe/Rome in December
        hh, mm = (int(v) for v in slot_local.split(":"))
        later = f"2026-12-14T{hh - 1 if mm < 10 else hh:02d}:{(mm - 10) % 60:02d}"
        k = self.signed_in("check-in", now=later)
        s = k.tap_and_wait("tab:agenda", lambda s: s["screen"] == "agenda" and s["agenda"], "today's agenda")
        self.assertEqual([b["name"] for b in s["agenda"]], ["Maria Rossi"])
        self.assertIn("Maria", letters(ocr(Image.load(s["screenshot"]), "ita", psm=11, workdir=self.dir)))
        s = k.tap_and_wait("checkin:" + s["agenda"][0]["code"],
                           lambda s: s["notice"] == "infopoint.checked_in" and s["last"] and s["last"]["print"] == "printed",
                           "checked in and the ticket printed", 20)
        self.assertEqual(s["agenda"][0]["status"], "checked-in")
        self.assertEqual(s["last"]["label"], "A001")
        listed = self.cli(later, ["booking", "list", "--date", "2026-12-14", "--json"])["bookings"]
        self.assertEqual(listed[0]["status"], "checked-in")
        # The appointment ticket records who checked the citizen in (the audit log, statistics).
        check_in = [e for e in self.events("ticket.issued") if e["body"].get("booking")]
        self.assertEqual([e.get("by") for e in check_in], [STAFF])


    # ---- Today's agenda: no-show, a late citizen's walk-in ticket, cancel and move, each
    # recorded with the staff member.

    def test_agenda_no_show_cancel_and_move(self):
        def book(name, at):
            return self.cli(MONDAY, ["booking", "book", "--service", "carta-identita", "--at", at, "--name", name,
                                     "--no-print", "--json"])["code"]
        book("Luca Verdi", "2026-12-14 11:10")
        book("Anna Tardi", "2026-12-14 11:10")
        book("Sara Neri", "2026-12-14 11:50")
        book("Ugo Bassi", "2026-12-14 11:50")
        now = "2026-12-14T11:30"
        k = self.signed_in("agenda", now=now)
        s = k.tap_and_wait("tab:agenda", lambda s: s["screen"] == "agenda" and len(s["agenda"]) == 4, "four appointments")
        code = {b["name"]: b["code"] for b in s["agenda"]}
        targets = [t["id"] for t in s["targets"]]
        self.assertNotIn("noshow:" + code["Sara Neri"], targets, "not before its slot")
        # Past the check-in window (11:25): a walk-in ticket instead of the check-in, in one step.
        self.assertNotIn("checkin:" + code["Anna Tardi"], targets, "too late to check in")
        self.assertIn("checkin:" + code["Sara Neri"], targets)
        s = k.tap_and_wait("walkin:" + code["Anna Tardi"], lambda s: s["notice"] == "infopoint.walked_in", "walk-in ticket")
        s = k.tap_and_wait("noshow:" + code["Luca Verdi"], lambda s: s["notice"] == "infopoint.no_show_marked", "no-show")
        s = k.tap_and_wait("cancelbooking:" + code["Sara Neri"], lambda s: s["notice"] == "infopoint.booking_cancelled",
                           "cancelled")
        s = k.tap_and_wait("move:" + code["Ugo Bassi"], lambda s: s["screen"] == "book" and s["book"]["moving"] and
                           s["book"]["slots"], "the move's free slots")
        slot = s["book"]["slots"][0]
        k.tap_and_wait("slot:" + slot, lambda s: s["book"]["slot"] == slot, "the new slot")
        s = k.tap_and_wait("book", lambda s: s["notice"] == "infopoint.moved" and s["book"]["print"] == "printed",
                           "moved, the new receipt printed", 20)
        statuses = {b["name"]: b for b in self.cli(now, ["booking", "list", "--date", "2026-12-14", "--json"])["bookings"]}
        self.assertEqual(statuses["Luca Verdi"]["status"], "no-show")
        self.assertEqual(statuses["Anna Tardi"]["status"], "walked-in")
        walk_in = [e for e in self.events("ticket.issued") if e["body"].get("walk_in")]
        self.assertEqual([(e["body"]["booking"], e.get("by")) for e in walk_in], [(code["Anna Tardi"], STAFF)])
        self.assertEqual(statuses["Sara Neri"]["status"], "cancelled")
        self.assertNotIn("Ugo Bassi", statuses, "moved to another day")
        for kind in ("booking.no_show", "booking.cancelled", "booking.moved"):
            self.assertEqual(self.events(kind)[-1]["by"], STAFF, kind)

    # ---- The CRS PIN release, end to end; the digits never in a kept screenshot.

    def test_crs_pin_release_digits_masked_never_captured(self):
        paper = os.path.join(self.dir, "pin-paper")  # the paper, named for this run; deleted below
        os.makedirs(paper)
        k = self.signed_in("crs-pin", printer="emulated:" + paper)
        s = k.tap_and_wait("tab:crs_pin", lambda s: s["screen"] == "crs_pin", "the PIN tab")
        self.assertEqual(s["crs"]["step"], "details")
        shot = Image.load(s["screenshot"])
        self.assertIn("Codicefiscale", letters(ocr(shot.crop(0, 200, 960, 120), "ita", psm=6, workdir=self.dir)))

        def field(name, text):
            k.tap("field:" + name)
            time.sleep(0.3)
            subprocess.run(["xdotool", "key", "End"], check=True)
            k.type_text(text)

        # Bad input: a codice fiscale of 15 characters, said in the operator's language; nothing recorded.
        field("fiscal_code", "RSSMRA80A01H501")
        k.tap("document:cie")
        field("document_number", "CA12345AB")
        field("document_expiry", "2030-01-31")
        field("contact", "+39 333 1234567")
        s = k.tap_and_wait("crs:next", lambda s: s["error_code"], "the check's answer")
        self.assertEqual(s["error_code"], "input.fiscal_code.length")
        self.assertEqual(s["crs"]["step"], "details")
        field("fiscal_code", "U")  # the 16th character
        s = k.tap_and_wait("crs:next", lambda s: s["crs"]["step"] == "digits", "the digits step")
        self.assertFalse(s["capture_allowed"])
        self.assertEqual(s["screenshot"], "", "the digits step is never captured")
        self.assertIn("5AB", s["crs"]["summary"], "the document's tail, the number itself never")
        self.assertNotIn("CA12345", s["crs"]["summary"])
        self.assertNotIn("1234567", s["crs"]["summary"], "the contact masked")
        # The digits: typed on the keyboard (PIN) and tapped on the keypad (PUK), shown as dots only.
        k.type_text("47")
        s = k.wait_layout(lambda s: s["crs"]["pin_typed"] == 2, "the PIN's first digits typed")
        self.assertEqual(s["crs"]["field"], 1, "on to the PUK")
        for key, typed in (("crs:digit:8", 1), ("crs:digit:2", 2), ("crs:backspace", 1), ("crs:digit:1", 2)):
            s = k.tap_and_wait(key, lambda s, n=typed: s["crs"]["puk_typed"] == n, f"{key}: {typed} PUK digits")
        self.assertEqual(s["crs"]["field"], 1)
        s = k.tap_and_wait("crs:print", lambda s: s["crs"]["step"] == "done", "the receipt printed", 30)
        self.assertEqual(s["crs"]["receipt"], "printed")
        self.assertEqual(s["crs"]["office_copy"], "printed")
        self.assertTrue(s["capture_allowed"])
        self.assertEqual((s["crs"]["pin_typed"], s["crs"]["puk_typed"]), (0, 0), "the digits wiped after printing")
        released = self.events("crs_pin.released")
        self.assertEqual(len(released), 1)
        self.assertEqual(released[0]["by"], STAFF)
        log = json.dumps(released[0])
        self.assertNotIn("4781", log.replace(" ", ""))
        self.assertNotIn("RSSMRA", log)
        # The paper left in the folder is the last job, the office copy (the emulated printer keeps
        # one PNG): it has the holder's codice fiscale and no digit of the PIN or PUK. (The citizen's
        # receipt and its digits are checked by i12-core's receipt tests.) Then the paper is deleted.
        pngs = sorted(os.path.join(paper, f) for f in os.listdir(paper) if f.endswith(".png"))
        self.assertTrue(pngs, "no paper came out")
        text = "".join(letters(ocr(p, "ita", psm=6, workdir=self.dir)) for p in pngs)
        self.assertIn("RSSMRA80A01H501U", text)
        self.assertIn("nessunacifra".lower(), text.lower().replace("noncontienecifre", "nessunacifra"))
        self.assertNotIn("4781", text)
        shutil.rmtree(paper)
        # No kept screenshot shows the digits step, and none holds the digits.
        names = os.listdir(k.shots)
        self.assertFalse([n for n in names if "_crs1-" in n], names)
        k.tap_and_wait("crs:new", lambda s: s["crs"]["step"] == "details" and not s["crs"]["summary"], "a new release")

    # ---- Forms: the QR on screen, the slip printed, a paper copy counted.

    def test_forms_qr_slip_and_handed_out(self):
        k = self.signed_in("forms")
        s = k.tap_and_wait("tab:forms", lambda s: s["screen"] == "forms" and s["forms"]["list"], "the forms")
        form = s["forms"]["list"][0]
        s = k.tap_and_wait("form:" + form["id"], lambda s: s["forms"]["chosen"] == form["id"], "a form chosen")
        box = k.target("form_qr")
        crop = os.path.join(self.dir, "form-qr.png")
        subprocess.run(["convert", s["screenshot"], "-crop", f"{int(box['w'])}x{int(box['h'])}+{int(box['x'])}+{int(box['y'])}",
                        "+repage", crop], check=True)
        self.assertIn(form["url"], decode_qr(crop), "the QR on screen is the form's address")
        prints = s["prints_done"]
        s = k.tap_and_wait("form:print", lambda s: s["notice"] in ("infopoint.forms.printed", "infopoint.print.failed")
                           or s["error_code"], "the slip")
        self.assertEqual(s["notice"], "infopoint.forms.printed", s["message"])
        self.assertIn(form["url"], decode_qr(s["last_print_png"]), "the slip's QR")
        s = k.tap_and_wait("form:handed_out", lambda s: s["notice"] == "infopoint.forms.counted", "the copy counted")
        handed = self.events("form.handed_out")
        self.assertEqual(len(handed), 1)
        self.assertEqual(handed[0]["by"], STAFF)


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__]))
