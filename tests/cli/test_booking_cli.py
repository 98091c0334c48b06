#!/usr/bin/env python3
"""End-to-end tests of `kiosk booking …` on a real store, at fixed office times (CSC_NOW).

The booking receipt's two QR codes (the bare code, and the appointment as an iCalendar VEVENT)
are decoded back from the emulated printer's PNG with zbarimg, and the calendar texts are parsed
with libical itself (through ctypes: the same library the program writes them with).

The sample office (assets/site/office.toml) books identity cards (20-minute slots, 2 places,
2 hours' notice, Mondays/Thursdays mornings, Tuesday afternoons), residence changes and weddings.
Every refusal must name the problem and leave the store unchanged.
"""
import argparse
import ctypes
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

ARGS = None
NOW = "2026-12-14T09:00"  # a Monday morning


def kiosk(data, *args, now=NOW, check=True):
    cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--data", data] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, CSC_NOW=now), timeout=60)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} failed ({p.returncode}): {p.stderr}")
    return p


def qr_codes(png):
    """The QR symbols in the image: the booking code and the VEVENT, as UTF-8 text.

    zbarimg guesses a charset for QR bytes and takes this one for ISO-8859-1 ("identitÃ "); with
    -Sbinary it gives the bytes as printed (UTF-8), symbols one after the other without a
    separator, so the VEVENT (which ends with END:VEVENT CRLF) is cut out of them."""
    zbar = shutil.which("zbarimg")
    assert zbar, "zbarimg (Debian package zbar-tools) is needed to read the receipt's QR"
    out = subprocess.run([zbar, "--quiet", "-Sbinary", "--raw", png], capture_output=True, timeout=30).stdout
    found = [m.decode("utf-8") for m in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", out, re.S)]
    rest = re.sub(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", b"\n", out, flags=re.S)
    found += [x.decode("utf-8") for x in rest.split() if x]
    return found


def ical(text):
    """libical's reading of `text`: the top component's kind, its parse errors, and a property
    getter (on the component, or on its first VEVENT for a VCALENDAR)."""
    lib = ctypes.CDLL("libical.so.3")
    lib.icalparser_parse_string.restype = ctypes.c_void_p
    lib.icalparser_parse_string.argtypes = [ctypes.c_char_p]
    lib.icalcomponent_isa.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_kind_to_string.restype = ctypes.c_char_p
    lib.icalcomponent_string_to_kind.argtypes = [ctypes.c_char_p]
    lib.icalcomponent_count_errors.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_count_components.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.icalcomponent_get_first_component.restype = ctypes.c_void_p
    lib.icalcomponent_get_first_component.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.icalcomponent_get_next_component.restype = ctypes.c_void_p
    lib.icalcomponent_get_next_component.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.icalcomponent_get_first_property.restype = ctypes.c_void_p
    lib.icalcomponent_get_first_property.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.icalproperty_string_to_kind.argtypes = [ctypes.c_char_p]
    lib.icalproperty_get_value_as_string.restype = ctypes.c_char_p
    lib.icalproperty_get_value_as_string.argtypes = [ctypes.c_void_p]
    lib.icalcomponent_free.argtypes = [ctypes.c_void_p]
    c = lib.icalparser_parse_string(text.encode("utf-8"))
    assert c, "libical could not parse:\n" + text
    kind = lib.icalcomponent_kind_to_string(lib.icalcomponent_isa(c)).decode()
    vevent = lib.icalcomponent_string_to_kind(b"VEVENT")
    events = []
    e = c if kind == "VEVENT" else lib.icalcomponent_get_first_component(c, vevent)
    while e:
        props = {}
        for name in ("DTSTART", "DTEND", "UID", "SUMMARY", "DESCRIPTION", "STATUS"):
            p = lib.icalcomponent_get_first_property(e, lib.icalproperty_string_to_kind(name.encode()))
            props[name] = lib.icalproperty_get_value_as_string(p).decode("utf-8") if p else None
        props["alarms"] = lib.icalcomponent_count_components(e, lib.icalcomponent_string_to_kind(b"VALARM"))
        events.append(props)
        e = None if kind == "VEVENT" else lib.icalcomponent_get_next_component(c, vevent)
    errors = lib.icalcomponent_count_errors(c)
    lib.icalcomponent_free(c)
    return kind, errors, events


class BookingCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-booking-")
        self.data = os.path.join(self.dir, "data")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def events(self):
        db = sqlite3.connect(os.path.join(self.data, "office.db"))
        try:
            return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        finally:
            db.close()

    def book(self, at, name="Maria Rossi", *extra, now=NOW, check=True):
        p = kiosk(self.data, "booking", "book", "--service", "carta-identita", "--at", at, "--name", name,
                  "--json", *extra, now=now, check=check)
        return p if not check else json.loads(p.stdout)

    def test_booking_prints_a_receipt_whose_qr_decodes_to_the_code(self):
        b = self.book("2026-12-17 08:30", "Maria Rossi", "--phone", "+39 333 1234567")
        self.assertEqual(b["status"], "booked")
        self.assertEqual(len(b["code"]), 7)
        self.assertEqual(b["at"], "2026-12-17T08:30")
        self.assertTrue(b["printed"], b)
        png = os.path.join(self.data, "printer", "last-ticket.png")
        codes = qr_codes(png)
        self.assertEqual(len(codes), 2, codes)
        self.assertIn(b["code"], codes)  # the check-in's QR: the bare code
        # The second QR: the appointment as a VEVENT a phone adds to its calendar, no name in it.
        event = next(c for c in codes if c != b["code"])
        self.assertTrue(event.startswith("BEGIN:VEVENT"), event)
        kind, errors, events = ical(event)
        self.assertEqual((kind, errors, len(events)), ("VEVENT", 0, 1))
        self.assertEqual(events[0]["DTSTART"], "20261217T073000Z")  # 08:30 in Rome, winter time
        self.assertEqual(events[0]["DTEND"], "20261217T075000Z")
        self.assertTrue(events[0]["UID"].startswith(b["code"] + "@"), events[0])
        self.assertIn("identità", events[0]["SUMMARY"])  # the UTF-8 bytes survive paper
        self.assertNotIn("Rossi", event)
        self.assertNotIn("1234567", event)
        listed = json.loads(kiosk(self.data, "booking", "list", "--date", "2026-12-17", "--json").stdout)
        self.assertEqual([x["code"] for x in listed["bookings"]], [b["code"]])
        self.assertEqual(listed["bookings"][0]["name"], "Maria Rossi")

    def test_the_last_place_taken_is_refused_with_the_next_free_slots_and_exit_9(self):
        self.book("2026-12-17 08:30", "Anna Neri", "--no-print")
        self.book("2026-12-17 08:30", "Gianni Verdi", "--no-print")
        before = self.events()
        p = self.book("2026-12-17 08:30", "Luca Bianchi", "--no-print", check=False)
        self.assertEqual(p.returncode, 9, p.stderr)
        self.assertIn("is full", p.stderr)
        self.assertIn("next free: 2026-12-17 08:50", p.stderr)  # the nearest later slot first
        self.assertEqual(self.events(), before)

    def test_per_person_limit_by_fiscal_code_which_is_never_stored(self):
        cf = "RSSMRA80A01H501U"
        self.book("2026-12-17 08:30", "Mario Rossi", "--fiscal-code", cf, "--no-print")
        p = self.book("2026-12-17 10:30", "M. Rossi", "--fiscal-code", cf.lower(), "--no-print", check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("already has a booking", p.stderr)
        db = sqlite3.connect(os.path.join(self.data, "office.db"))
        blob = "\n".join(r[0] for r in db.execute("SELECT encoded FROM events"))
        db.close()
        self.assertNotIn(cf, blob.upper())
        p = self.book("2026-12-17 10:30", "Mario Rossi", "--fiscal-code", "RSSMRA80A01H501X", "--no-print", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("check letter", p.stderr)

    def test_bad_input_is_refused_with_a_clear_message_and_nothing_recorded(self):
        self.book("2026-12-17 08:30", "Anna Neri", "--no-print")
        code = json.loads(kiosk(self.data, "booking", "list", "--date", "2026-12-17", "--json").stdout)["bookings"][0]["code"]
        wrong_check = code[:-1] + ("2" if code[-1] != "2" else "3")
        before = self.events()
        cases = [
            (["booking", "check-in", "--code", "ABCDEFX"], "typing mistake"),
            (["booking", "check-in", "--code", wrong_check], "typing mistake"),
            (["booking", "check-in", "--code", "K0P-4QX"], "never contain 0"),
            (["booking", "cancel", "--code", "22222"], "7 characters"),
            (["booking", "book", "--service", "carta-identita", "--at", "2026-12-17 09:10", "--name", "Ctrl\x07Name"], "control"),
            (["booking", "book", "--service", "carta-identita", "--at", "2026-12-17 09:10", "--name", "x" * 500], "too long"),
            (["booking", "book", "--service", "carta-identita", "--at", "2026-12-10 08:30", "--name", "Past"], "past"),
            (["booking", "book", "--service", "carta-identita", "--at", "2026-12-17 08:40", "--name", "Odd"], "not a slot"),
            (["booking", "book", "--service", "passaporto", "--at", "2026-12-17 08:30", "--name", "X"], "cannot be booked"),
            (["booking", "book", "--service", "carta-identita", "--at", "17/12/2026 8:30", "--name", "X"], "YYYY-MM-DD HH:MM"),
            (["booking", "book", "--service", "carta-identita", "--at", "2026-12-17 10:30", "--name", "X", "--phone", "abc"], "phone"),
        ]
        for args, words in cases:
            with self.subTest(args=args[:3] + [a[:20] for a in args[3:]]):
                p = kiosk(self.data, *args, check=False)
                self.assertNotEqual(p.returncode, 0, p.stdout)
                self.assertIn(words, p.stderr)
                self.assertEqual(p.stderr.count("\n"), 1, p.stderr)  # one readable line
        self.assertEqual(self.events(), before)

    def test_check_in_early_inside_and_late_and_the_appointment_is_called_first(self):
        b = self.book("2026-12-17 10:30", "Maria Rossi", "--no-print")
        p = kiosk(self.data, "booking", "check-in", "--code", b["code"], "--json", "--no-print",
                  now="2026-12-17T09:45", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("opens at 10:00", p.stderr)
        walk_in = json.loads(kiosk(self.data, "issue", "--sector", "anagrafe", "--service", "certificati", "--json",
                                   "--no-print", now="2026-12-17T10:10").stdout)
        t = json.loads(kiosk(self.data, "booking", "check-in", "--code", b["code_formatted"].lower(), "--json", "--no-print",
                             now="2026-12-17T10:20").stdout)
        self.assertEqual(t["booking"], b["code"])
        self.assertEqual(t["appointment_at"], "2026-12-17T10:30")
        self.assertEqual(t["service"], "carta-identita")
        kiosk(self.data, "counter", "open", "--counter", "1", now="2026-12-17T10:21")
        called = json.loads(kiosk(self.data, "counter", "call", "--counter", "1", "--json", now="2026-12-17T10:22").stdout)
        self.assertEqual(called["ticket"]["number"], t["number"])
        self.assertNotEqual(called["ticket"]["number"], walk_in["number"])
        late = self.book("2026-12-17 11:30", "Luca Bianchi", "--no-print", now="2026-12-17T09:00")
        p = kiosk(self.data, "booking", "check-in", "--code", late["code"], now="2026-12-17T11:46", check=False)
        self.assertIn("too late", p.stderr)

    def test_cancel_move_and_a_declared_closure_lists_whom_to_call(self):
        a = self.book("2026-12-17 08:30", "Anna Neri", "--phone", "333 1111111", "--no-print")
        b = self.book("2026-12-17 08:50", "Bruno Gialli", "--no-print")
        moved = json.loads(kiosk(self.data, "booking", "move", "--code", b["code"], "--at", "2026-12-21 09:10", "--json").stdout)
        self.assertEqual(moved["at"], "2026-12-21T09:10")
        closed = json.loads(kiosk(self.data, "booking", "close", "--date", "2026-12-17", "--reason", "sciopero",
                                  "--json").stdout)
        self.assertEqual([(x["code"], x["name"], x["contact"]) for x in closed["cancelled"]],
                         [(a["code"], "Anna Neri", "333 1111111")])
        slots = json.loads(kiosk(self.data, "booking", "slots", "--service", "carta-identita", "--from", "2026-12-17",
                                 "--days", "1", "--json").stdout)
        self.assertTrue(all(not s["open"] for s in slots["slots"]))
        self.assertEqual(slots["closed_days"], [{"date": "2026-12-17", "reason": "sciopero"}])
        c = json.loads(kiosk(self.data, "booking", "cancel", "--code", moved["code"], "--json").stdout)
        self.assertEqual(c["status"], "cancelled")
        self.assertEqual([h["what"] for h in c["history"]], ["made", "moved", "cancelled"])

    def add_staff(self, name="Anna Info"):
        cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data, "operator", "add", "--name", name, "--role",
               "infopoint"]
        p = subprocess.run(cmd, input="482913\n", capture_output=True, text=True, env=dict(os.environ, CSC_NOW=NOW),
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_a_late_citizen_gets_a_walk_in_ticket_from_staff(self):
        self.add_staff()
        b = self.book("2026-12-17 11:30", "Luca Bianchi", "--no-print")
        walk_in = ("booking", "walk-in", "--code", b["code_formatted"], "--json", "--no-print")
        # Inside the check-in window (until 11:45): not late, refused with the reason and nothing recorded.
        before = self.events()
        p = kiosk(self.data, *walk_in, "--operator", "Anna Info", now="2026-12-17T11:40", check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(json.loads(p.stdout)["code"], "booking.not_late")
        self.assertEqual(json.loads(p.stdout)["args"]["time"], "11:30")
        self.assertEqual(self.events(), before)
        # Staff only: the operator is required and must exist.
        self.assertNotEqual(kiosk(self.data, *walk_in, now="2026-12-17T11:50", check=False).returncode, 0)
        p = kiosk(self.data, *walk_in, "--operator", "Nessuno", now="2026-12-17T11:50", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        # Too late at the kiosk, then the info point turns it into a walk-in ticket in one event.
        p = kiosk(self.data, "booking", "check-in", "--code", b["code"], "--json", now="2026-12-17T11:50", check=False)
        self.assertEqual(json.loads(p.stdout)["code"], "booking.too_late")
        before = self.events()
        t = json.loads(kiosk(self.data, *walk_in, "--operator", "Anna Info", now="2026-12-17T11:50").stdout)
        self.assertEqual(self.events(), before + 1)
        self.assertEqual((t["sector"], t["service"]), ("anagrafe", "carta-identita"))
        self.assertTrue(t["number"].startswith("A"), t)
        self.assertEqual(t["booking"]["status"], "walked-in")
        self.assertEqual(t["booking"]["ticket"], t["id"])
        self.assertEqual(t["booking"]["history"][-1], {"at": "2026-12-17T11:50", "what": "walked-in", "by": "Anna Info"})
        shown = json.loads(kiosk(self.data, "booking", "show", "--code", b["code"], "--json", now="2026-12-17T11:51").stdout)
        self.assertEqual(shown[0]["status"], "walked-in")
        # Twice: refused with the booking's state.
        p = kiosk(self.data, *walk_in, "--operator", "Anna Info", now="2026-12-17T11:52", check=False)
        self.assertEqual(json.loads(p.stdout)["code"], "booking.walked_in")

    def test_a_closure_with_move_moves_bookings_to_the_next_free_slots_and_lists_whom_to_call(self):
        a = self.book("2026-12-17 08:30", "Anna Neri", "--phone", "333 1111111", "--no-print")
        b = self.book("2026-12-17 08:30", "Bruno Gialli", "--no-print")
        late = self.book("2027-01-12 16:50", "Elena Viola", "--no-print")  # the last slot within 30 days ahead
        paper = os.path.join(self.dir, "closure.bin")
        out = json.loads(kiosk(self.data, "--printer", "file:" + paper, "booking", "close", "--date", "2026-12-17",
                               "--from", "08:00", "--to", "12:30", "--reason", "assemblea", "--move", "--print",
                               "--json").stdout)
        self.assertTrue(out["printed"], out)
        with open(paper, "rb") as f:
            text = f.read().decode("latin-1")
        self.assertIn("08:30 -> 17/12 14:30  %s  A*** N***" % a["code_formatted"], text)  # masked on paper
        self.assertNotIn("Neri", text)
        self.assertNotIn("1111111", text)
        self.assertEqual(out["cancelled"], [])
        self.assertEqual([(m["code"], m["from"], m["at"], m["name"], m["name_masked"]) for m in out["moved"]],
                         [(a["code"], "2026-12-17T08:30", "2026-12-17T14:30", "Anna Neri", "A*** N***"),
                          (b["code"], "2026-12-17T08:30", "2026-12-17T14:30", "Bruno Gialli", "B**** G*****")])
        self.assertEqual(out["moved"][0]["contact"], "333 1111111")
        self.assertEqual([h["what"] for h in out["moved"][0]["history"]], ["made", "moved"])
        slots = json.loads(kiosk(self.data, "booking", "slots", "--service", "carta-identita", "--from", "2026-12-17",
                                 "--days", "1", "--json").stdout)
        self.assertTrue(all(not s["open"] for s in slots["slots"] if s["at"] < "2026-12-17T12:30"))
        # No free slot after it within days_ahead: cancelled by the office, listed (text for staff).
        p = kiosk(self.data, "booking", "close", "--date", "2027-01-12", "--from", "16:00", "--reason", "formazione", "--move")
        self.assertIn("0 booking(s) moved, 1 cancelled", p.stdout)
        self.assertIn("Elena Viola", p.stdout)
        self.assertIn("(no free slot)", p.stdout)
        shown = json.loads(kiosk(self.data, "booking", "show", "--code", late["code"], "--json").stdout)
        self.assertEqual(shown[0]["status"], "cancelled-by-office")

    def test_a_holiday_has_no_open_slot_and_says_which(self):
        # 8 December 2026 is a Tuesday (the identity card is booked on Tuesday afternoons).
        slots = json.loads(kiosk(self.data, "booking", "slots", "--service", "carta-identita", "--from", "2026-12-08",
                                 "--days", "1", "--json", now="2026-12-01T09:00").stdout)
        self.assertGreater(len(slots["slots"]), 0)
        self.assertTrue(all(not s["open"] for s in slots["slots"]))
        self.assertEqual(slots["closed_days"], [{"date": "2026-12-08", "reason": "Immacolata Concezione"}])

    def test_the_agenda_exports_as_ics_with_names_only_when_asked(self):
        a = self.book("2026-12-17 08:30", "Maria Rossi", "--no-print")
        b = self.book("2026-12-21 09:10", "Luca Bianchi", "--no-print")
        # One day, to standard output: the citizen-safe file has no names.
        day = kiosk(self.data, "booking", "ics", "--date", "2026-12-17").stdout
        kind, errors, events = ical(day)
        self.assertEqual((kind, errors), ("VCALENDAR", 0))
        self.assertEqual([e["UID"].split("@")[0] for e in events], [a["code"]])
        self.assertEqual(events[0]["DTSTART"], "20261217T073000Z")
        self.assertEqual(events[0]["alarms"], 1)
        self.assertIn(a["code_formatted"], events[0]["DESCRIPTION"])
        self.assertNotIn("Rossi", day)
        # A week to a file, with names (the staff agenda).
        out = os.path.join(self.dir, "agenda.ics")
        kiosk(self.data, "booking", "ics", "--from", "2026-12-14", "--days", "8", "--with-names", "--output", out)
        with open(out, encoding="utf-8") as f:
            week = f.read()
        kind, errors, events = ical(week)
        self.assertEqual(errors, 0)
        self.assertEqual(sorted(e["UID"].split("@")[0] for e in events), sorted([a["code"], b["code"]]))
        self.assertIn("Maria Rossi", week)
        self.assertIn("Luca Bianchi", week)
        # One booking by its code (as typed, dashes and case ignored); a cancelled one is withdrawn.
        kiosk(self.data, "booking", "cancel", "--code", b["code"])
        own = kiosk(self.data, "booking", "ics", "--code", b["code_formatted"].lower()).stdout
        kind, errors, events = ical(own)
        self.assertEqual([(e["UID"].split("@")[0], e["STATUS"], e["alarms"]) for e in events],
                         [(b["code"], "CANCELLED", 0)])
        self.assertNotIn("Bianchi", own)
        # Refusals: an unknown code, a bad date, --date with --from.
        for args, needle in ((["--code", "AAAAAAA"], "code"), (["--date", "17/12/2026"], "YYYY-MM-DD"),
                             (["--date", "2026-12-17", "--from", "2026-12-14"], "excludes")):
            p = kiosk(self.data, "booking", "ics", *args, check=False)
            self.assertNotEqual(p.returncode, 0, args)
            self.assertIn(needle.lower(), p.stderr.lower(), (args, p.stderr))

    def test_a_booking_nobody_checked_in_reads_as_no_show_the_next_day(self):
        b = self.book("2026-12-17 08:30", "Anna Neri", "--no-print")
        listed = json.loads(kiosk(self.data, "booking", "list", "--date", "2026-12-17", "--json",
                                  now="2026-12-18T09:00").stdout)
        self.assertEqual(listed["bookings"][0]["status"], "no-show")
        self.assertEqual(listed["bookings"][0]["code"], b["code"])

    def test_refusals_in_json_carry_the_agenda_code_and_its_arguments(self):
        b = self.book("2026-12-17 10:30", "Maria Rossi", "--no-print")
        before = self.events()
        p = kiosk(self.data, "booking", "check-in", "--code", b["code"], "--json", "--no-print",
                  now="2026-12-17T09:45", check=False)
        self.assertEqual(p.returncode, 1, p.stderr)
        out = json.loads(p.stdout)
        self.assertEqual((out["ok"], out["code"]), (False, "booking.too_early"))
        self.assertEqual(out["args"], {"code": b["code"], "time": "10:00"})
        self.assertIn("opens at 10:00", out["error"])
        wrong = b["code"][:6] + ("A" if b["code"][6] != "A" else "B")
        p = kiosk(self.data, "booking", "check-in", "--code", wrong, "--json", check=False)
        self.assertEqual((p.returncode, json.loads(p.stdout)["code"]), (2, "booking.code.check"))
        p = kiosk(self.data, "booking", "check-in", "--code", b["code"], "--json", now="2026-12-17T10:46", check=False)
        self.assertEqual(json.loads(p.stdout)["code"], "booking.too_late")
        p = self.book("2026-12-24 10:30", "Anna Neri", "--no-print", check=False)  # Christmas Eve: closed
        self.assertEqual(json.loads(p.stdout)["code"], "booking.closed")
        self.assertEqual(self.events(), before)  # refusals record nothing

    def test_the_days_agenda_prints_masked_names_codes_times_and_status(self):
        a = self.book("2026-12-17 08:30", "Maria Rossi", "--no-print")
        b = self.book("2026-12-17 10:30", "Giuseppe Verdi", "--no-print")
        paper = os.path.join(self.dir, "agenda.bin")
        out = json.loads(kiosk(self.data, "--printer", "file:" + paper, "booking", "list", "--date", "2026-12-17",
                               "--print", "--json").stdout)
        self.assertTrue(out["printed"], out)
        with open(paper, "rb") as f:
            text = f.read().decode("latin-1")
        self.assertIn("08:30  %s  M**** R****" % a["code_formatted"], text)
        self.assertIn("10:30  %s  G******* V****" % b["code_formatted"], text)
        self.assertIn("prenotato", text)
        self.assertNotIn("Rossi", text)
        self.assertNotIn("Verdi", text)

    def test_purge_forgets_names_and_phones_keep_days_after_the_day(self):
        self.book("2026-12-17 08:30", "Gianfranca Zappalorto", "--phone", "+39 347 9876543", "--no-print")
        kept = self.book("2027-01-14 08:30", "Ottavio Quercetti", "--no-print", now="2026-12-21T09:00")
        # 20 January: the 17th of December + 30 days is over; the agenda rolls with the day's first event.
        kiosk(self.data, "issue", "--sector", "protocollo", "--no-print", now="2027-01-20T09:00")
        dry = json.loads(kiosk(self.data, "booking", "purge", "--dry-run", "--json", now="2027-01-20T09:01").stdout)
        self.assertEqual((dry["dry_run"], dry["bookings"], dry["agenda_day"], dry["kept_from"]),
                         (True, 1, "2027-01-20", "2026-12-21"))
        def raw():  # the store's files as a disk image shows them
            out = b""
            for name in ("office.db", "office.db-wal"):
                if os.path.exists(os.path.join(self.data, name)):
                    with open(os.path.join(self.data, name), "rb") as f:
                        out += f.read()
            return out
        self.assertIn(b"Zappalorto", raw())
        done = json.loads(kiosk(self.data, "booking", "purge", "--json", now="2027-01-20T09:02").stdout)
        self.assertEqual((done["bookings"], done["wal_truncated"]), (1, True))
        for secret in (b"Zappalorto", b"Gianfranca", b"9876543"):
            self.assertNotIn(secret, raw())
        self.assertIn(b"Quercetti", raw())  # the 14th of January + 30 days is not over
        again = json.loads(kiosk(self.data, "booking", "purge", "--json", now="2027-01-20T09:03").stdout)
        self.assertEqual(again["bookings"], 0)
        listed = json.loads(kiosk(self.data, "booking", "list", "--date", "2027-01-14", "--json",
                                  now="2027-01-20T09:04").stdout)
        self.assertEqual([x["code"] for x in listed["bookings"]], [kept["code"]])


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("--assets", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
