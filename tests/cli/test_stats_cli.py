#!/usr/bin/env python3
"""`kiosk stats` and `kiosk report` on a real store (issue 14).

A small office day is made with the real commands at fixed office times (CSC_NOW); the figures
expected below are worked out by hand from those times. The CSV is parsed back with Python's
csv module, the JSON with json, the PDF read back with pdftotext. Bad dates must be refused
with a message and exit code 2, never a crash.
"""
import argparse
import csv
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from loop_disk import free_loop_disk, make_loop_disk  # noqa: E402

ARGS = None
DAY = "2026-11-24"  # a Tuesday: the sample office is open 08:30-12:30, 14:30-17:30


def kiosk(data, *args, now=f"{DAY}T10:00", check=True, env=None):
    cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--data", data] + list(args)
    p = subprocess.run(cmd, capture_output=True, env=dict(os.environ, CSC_NOW=now, **(env or {})), timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    return p


class StatsCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="csc-stats-cli-")
        cls.data = os.path.join(cls.dir, "data")
        d = cls.data
        cls.c1 = json.loads(kiosk(d, "issue", "--sector", "protocollo", "--json", "--no-print", now=f"{DAY}T10:00").stdout)
        kiosk(d, "counter", "open", "--counter", "4", now=f"{DAY}T10:00")
        kiosk(d, "issue", "--sector", "protocollo", "--no-print", now=f"{DAY}T10:02")
        kiosk(d, "counter", "call", "--counter", "4", now=f"{DAY}T10:05")      # C001: wait 5
        kiosk(d, "counter", "start", "--counter", "4", now=f"{DAY}T10:06")     # walk 1
        kiosk(d, "counter", "finish", "--counter", "4", now=f"{DAY}T10:16")    # service 10
        kiosk(d, "counter", "call", "--counter", "4", now=f"{DAY}T10:20")      # C002: wait 18
        kiosk(d, "counter", "no-show", "--counter", "4", now=f"{DAY}T10:25")   # called, absent
        kiosk(d, "issue", "--sector", "anagrafe", "--service", "certificati", "--no-print", now=f"{DAY}T10:30")
        kiosk(d, "counter", "end-day", now=f"{DAY}T12:40")                     # A001 never called

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def stats(self, *args, now=f"{DAY}T18:00", check=True):
        return kiosk(self.data, "stats", "--from", DAY, "--to", DAY, *args, now=now, check=check)

    def test_csv_by_sector_parsed_back_matches_the_hand_worked_figures(self):
        out = self.stats("--by", "sector").stdout.decode("utf-8")
        rows = list(csv.reader(io.StringIO(out), delimiter=";"))
        header = rows[0]
        self.assertEqual(header[0], "Settore")          # Italian headers through the catalogue
        self.assertIn("Attesa media (min)", header)
        by_name = {r[1]: dict(zip(header, r)) for r in rows[1:]}
        prot = by_name["Protocollo"]                     # the configured name beside the id
        self.assertEqual(prot["Settore"], "protocollo")
        self.assertEqual(prot["Biglietti emessi"], "2")
        self.assertEqual(prot["Serviti"], "1")
        self.assertEqual(prot["Chiamati e assenti"], "1")
        self.assertEqual(prot["Attesa media (min)"], "11,50")         # (5 + 18) / 2, decimal comma
        self.assertEqual(prot["Attesa al 90° percentile (min)"], "18,00")
        self.assertEqual(prot["Dalla chiamata allo sportello (min)"], "1,00")
        self.assertEqual(prot["Durata media del servizio (min)"], "10,00")
        self.assertEqual(prot["Biglietti con attesa prevista"], "2")  # the promise is recorded at issue
        ana = by_name["Anagrafe"]
        self.assertEqual(ana["Andati via prima della chiamata"], "1")
        self.assertEqual(ana["Attesa media (min)"], "")               # no data: an empty cell
        total = by_name["Totale"]
        self.assertEqual(total["Biglietti emessi"], "3")

    def test_comma_separator_bom_and_output_file(self):
        path = os.path.join(self.dir, "day.csv")
        self.stats("--by", "hour", "--separator", ",", "--bom", "--output", path)
        with open(path, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=","))
        self.assertEqual(rows[0][0], "Ora")
        self.assertEqual([r[0] for r in rows[1:]], ["10", ""])        # one hour, then the total
        self.assertEqual(rows[1][rows[0].index("Attesa media (min)")], "11.50")

    def test_json_by_counter_has_machine_keys(self):
        j = json.loads(self.stats("--by", "counter", "--format", "json").stdout)
        self.assertEqual(j["by"], "counter")
        keys = {r["key"]: r for r in j["rows"]}
        self.assertEqual(keys["4"]["issued"], 2)
        self.assertEqual(keys["4"]["name"], "Sportello 4")
        self.assertEqual(keys[""]["left_before_call"], 1)              # never called: no counter
        # (5 + 18) / 2; each command's clock starts at CSC_NOW and runs a few ms: 3 decimals kept.
        self.assertAlmostEqual(j["total"]["wait_mean_min"], 11.5, places=2)
        self.assertIsNone(keys[""]["wait_mean_min"])                  # never called: no data, null

    def test_the_stored_promise_is_the_printed_forecast(self):
        db = sqlite3.connect(os.path.join(self.data, "office.db"))
        enc = db.execute("SELECT encoded FROM events WHERE type = 'ticket.issued' ORDER BY position LIMIT 1").fetchone()[0]
        db.close()
        promised = json.loads(enc)["body"]["promised"]
        f = self.c1["forecast"]
        self.assertEqual(promised, [f["low_min"], f["high_min"]])

    def test_bad_dates_are_refused_with_what_is_wrong_never_a_crash(self):
        cases = [
            (["--from", "2026-13-01", "--to", DAY], "no such date"),
            (["--from", "2026-02-30", "--to", DAY], "no such date"),
            (["--from", "24/11/2026", "--to", DAY], "expected a date as YYYY-MM-DD"),
            (["--from", "", "--to", DAY], "--from is empty"),
            (["--from", DAY, "--to", "2026-11-23"], "is before --from"),
            (["--from", "0000-00-00", "--to", DAY], "no such date"),
            (["--from", "9999999999", "--to", DAY], "expected a date"),
            (["--from", "2000-01-01", "--to", "2099-12-31"], "longer than"),
            (["--from", DAY, "--to", "\u00e8\u00e8\u00e8"], "expected a date"),
            (["--from", DAY, "--to", DAY, "--by", "week"], "expected hour, day, sector"),
            (["--from", DAY, "--to", DAY, "--format", "xls"], "expected csv or json"),
            (["--from", DAY, "--to", DAY, "--separator", "|"], "expected ';' or ','"),
        ]
        for args, says in cases:
            p = kiosk(self.data, "stats", *args, check=False)
            err = p.stderr.decode("utf-8", errors="replace")
            self.assertEqual(p.returncode, 2, (args, err))
            self.assertIn(says, err, args)
        for month, says in [("2026-13", "expected a month"), ("2026", "expected a month"), ("", "--month is empty"),
                            ("2026-1", "expected a month")]:
            p = kiosk(self.data, "report", "--month", month, "--output", os.path.join(self.dir, "x.pdf"), check=False)
            self.assertEqual(p.returncode, 2, (month, p.stderr))
            self.assertIn(says, p.stderr.decode(), month)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "x.pdf")))

    def test_an_empty_range_says_so_and_still_writes_the_header(self):
        p = kiosk(self.data, "stats", "--from", "2026-10-01", "--to", "2026-10-31", now=f"{DAY}T18:00")
        self.assertIn("no tickets", p.stderr.decode())
        rows = list(csv.reader(io.StringIO(p.stdout.decode()), delimiter=";"))
        self.assertEqual(len(rows), 2)   # header + total

    def test_monthly_report_pdf_reads_back_the_month_and_a_figure(self):
        path = os.path.join(self.dir, "novembre.pdf")
        kiosk(self.data, "report", "--month", "2026-11", "--output", path, now="2026-12-01T09:00")
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        text = subprocess.run([ARGS.pdftotext, "-layout", path, "-"], capture_output=True, check=True,
                              timeout=60).stdout.decode("utf-8")
        self.assertIn("novembre 2026", text)
        self.assertIn("Tempi di attesa", text)
        self.assertRegex(text, r"Attesa media \(min\)\s+11,5")         # the month's average wait, decimal comma
        self.assertIn("Carta dei servizi", text)
        self.assertIn("Certificati", text)                             # a service of the year table
        self.assertFalse(os.path.exists(path + ".tmp"))
        missing = os.path.join(self.dir, "no-such-folder", "r.pdf")
        p = kiosk(self.data, "report", "--month", "2026-11", "--output", missing, check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("does not exist", p.stderr.decode())

    def test_compact_deletes_the_old_queue_events_and_every_figure_stays(self):
        data = os.path.join(self.dir, "compact-data")  # a copy: the other tests read the events
        shutil.copytree(self.data, data)
        before = kiosk(data, "stats", "--from", DAY, "--to", DAY, "--by", "sector", now="2026-11-25T09:00").stdout
        young = json.loads(kiosk(data, "compact", "--json", now="2026-12-30T09:00").stdout)
        self.assertEqual(young["days"], 0, "compacted before [statistics] compact_after_days (400)")
        out = json.loads(kiosk(data, "compact", "--json", now="2028-01-10T09:00").stdout)
        self.assertGreaterEqual(out["days"], 1)
        self.assertGreaterEqual(out["through"], DAY)
        self.assertGreaterEqual(out["events"], 8)
        db = sqlite3.connect(f"file:{os.path.join(data, 'office.db')}?mode=ro", uri=True)
        try:
            types = [r[0] for r in db.execute("SELECT type FROM events")]
        finally:
            db.close()
        self.assertNotIn("ticket.called", types)
        after = kiosk(data, "stats", "--from", DAY, "--to", DAY, "--by", "sector", now="2028-01-10T09:00").stdout
        self.assertEqual(before.decode("utf-8"), after.decode("utf-8"))

    def check_export(self, folder, files):
        """The export's files in `folder`: every table, the JSON, the day's visits, the report."""
        self.assertEqual(sorted(files), sorted(os.listdir(folder)))
        with open(os.path.join(folder, "stats-by-sector.csv"), encoding="utf-8-sig") as f:  # with a BOM
            rows = list(csv.reader(f, delimiter=";"))
        by_name = {r[1]: dict(zip(rows[0], r)) for r in rows[1:]}
        self.assertEqual(by_name["Protocollo"]["Biglietti emessi"], "2")
        self.assertEqual(by_name["Protocollo"]["Attesa media (min)"], "11,50")
        with open(os.path.join(folder, "stats.json"), encoding="utf-8") as f:
            tables = json.load(f)["tables"]
        self.assertEqual(sorted(tables), ["counter", "day", "hour", "operator", "sector", "service"])
        self.assertEqual(tables["day"]["total"]["issued"], 3)
        with open(os.path.join(folder, f"visits-{DAY}.csv"), encoding="utf-8-sig") as f:
            visits = list(csv.DictReader(f, delimiter=";"))
        # The day's three tickets in the order issued, with their times and waits, and no names.
        self.assertEqual([(v["sector"], v["issued"], v["first_called"], v["wait_min"], v["outcome"]) for v in visits],
                         [("protocollo", "10:00", "10:05", "5,0", "served"), ("protocollo", "10:02", "10:20", "18,0", "called-absent"),
                          ("anagrafe", "10:30", "", "", "left-before-call")])
        self.assertEqual(visits[0]["service_min"], "10,0")
        with open(os.path.join(folder, "report-2026-11.pdf"), "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")

    def test_export_into_a_folder_writes_every_table_the_days_visits_and_the_report_never_overwriting(self):
        target = os.path.join(self.dir, "export-folder")
        os.makedirs(target)
        out = json.loads(kiosk(self.data, "export", target, "--from", DAY, "--to", DAY, "--json", now=f"{DAY}T18:00").stdout)
        self.assertEqual(out["folder"], f"csc-export-{DAY}-1800")
        self.assertEqual(out["device"], "")
        self.check_export(os.path.join(target, out["folder"]), out["files"])
        again = json.loads(kiosk(self.data, "export", target, "--from", DAY, "--to", DAY, "--json", now=f"{DAY}T18:00").stdout)
        self.assertEqual(again["folder"], f"csc-export-{DAY}-1800-2")
        p = kiosk(self.data, "export", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("name a stick", p.stderr.decode())

    def test_export_to_a_usb_disk_mounts_it_only_for_the_copy_and_refuses_one_mounted_elsewhere(self):
        # A real disk: a loop device over an ext4 image (tests/support/loop_disk.py). Needs root.
        device, image = make_loop_disk(self, self.dir, "stick")
        look = os.path.join(self.dir, "look")
        os.makedirs(look)
        try:
            out = json.loads(kiosk(self.data, "export", device, "--from", DAY, "--to", DAY, "--json", now=f"{DAY}T18:30").stdout)
            self.assertEqual(out["device"], device)
            with open("/proc/self/mountinfo", encoding="utf-8") as f:
                self.assertNotIn(f" {device} ", f.read(), "the stick is still mounted after the export")
            subprocess.run(["mount", "-o", "ro", device, look], check=True, timeout=30)
            try:
                self.check_export(os.path.join(look, out["folder"]), out["files"])
                # Mounted elsewhere: refused, saying where, and nothing written.
                p = kiosk(self.data, "export", device, "--from", DAY, "--to", DAY, check=False)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn(f"already mounted at {look}", p.stderr.decode())
            finally:
                subprocess.run(["umount", look], check=True, timeout=30)
            self.assertEqual([m for m in os.listdir("/run") if m.startswith("csc-kiosk-export.")], [], "a mount folder left in /run")
            # A disk with no filesystem: said so, nothing left mounted.
            with open(image, "r+b") as f:
                f.write(b"\0" * (4 * 1024 * 1024))
            subprocess.run(["losetup", "--set-capacity", device], check=True, timeout=30)
            p = kiosk(self.data, "export", device, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("no filesystem of this machine reads it", p.stderr.decode())
        finally:
            free_loop_disk(device)

    def test_export_through_the_root_helper_as_its_systemd_socket_starts_it(self):
        # The packaged screen may not mount: it asks `kiosk export --stdio`, which systemd starts
        # as root for each connection to csc-kiosk-export.socket (Accept=yes: the connection is
        # its standard input and output). Here this test plays systemd's part on a socket of its
        # own; the screen's side is `kiosk export` with CSC_EXPORT_SOCKET naming that socket.
        device, _ = make_loop_disk(self, self.dir, "helper-stick")
        config = os.path.join(self.dir, "helper-office.toml")
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            site = f.read()
        with open(config, "w", encoding="utf-8") as f:
            f.write(site + f'\n[service_menu]\nexport_device = "{device}"\n')
        sock_path = os.path.join(self.dir, "export.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(sock_path)
        server.listen(2)
        helper_env = {k: v for k, v in os.environ.items() if k != "CSC_EXPORT_SOCKET"}
        helper_env["CSC_NOW"] = f"{DAY}T18:45"
        helpers = []

        def serve():
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                helpers.append(subprocess.Popen([ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data, "--config", config,
                                                 "export", "--stdio"], stdin=conn.fileno(), stdout=conn.fileno(),
                                                stderr=subprocess.PIPE, env=helper_env))
                conn.close()

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        look = os.path.join(self.dir, "helper-look")
        os.makedirs(look)
        ask = {"CSC_EXPORT_SOCKET": sock_path}
        try:
            out = json.loads(kiosk(self.data, "--config", config, "export", device, "--from", DAY, "--to", DAY, "--json",
                                   now=f"{DAY}T18:45", env=ask).stdout)
            self.assertEqual(out["device"], device)
            self.assertEqual(out["folder"], f"csc-export-{DAY}-1845")
            with open("/proc/self/mountinfo", encoding="utf-8") as f:
                self.assertNotIn(f" {device} ", f.read(), "the stick is still mounted after the helper's export")
            subprocess.run(["mount", "-o", "ro", device, look], check=True, timeout=30)
            try:
                self.check_export(os.path.join(look, out["folder"]), out["files"])
            finally:
                subprocess.run(["umount", look], check=True, timeout=30)
            # The helper mounts only what this machine offers: not any device the screen names.
            p = kiosk(self.data, "--config", config, "export", "/dev/null", "--from", DAY, "--to", DAY, check=False, env=ask)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("is not a USB stick plugged in here", p.stderr.decode())
            # A request that is not one: refused with what one looks like.
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
                c.connect(sock_path)
                c.sendall(b"mount everything please\n")
                c.settimeout(60)
                answer = json.loads(c.makefile().readline())
            self.assertFalse(answer["ok"])
            self.assertIn("one JSON line", answer["error"])
            # No helper listening: said so, with the unit to start.
            p = kiosk(self.data, "export", device, check=False, env={"CSC_EXPORT_SOCKET": os.path.join(self.dir, "nobody.sock")})
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("csc-kiosk-export.socket", p.stderr.decode())
        finally:
            server.close()
            for h in helpers:
                h.wait(timeout=60)
            free_loop_disk(device)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--pdftotext", default="pdftotext")
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
