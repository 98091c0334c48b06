#!/usr/bin/env python3
"""Issue 17: one bad input never stops the office.

A table of bad inputs over every CLI command and event field (too long, not UTF-8, control
characters, empty, negative, huge numbers) and over the site configuration: each is refused with
a clear message and the documented exit code, the store still opens, and nothing in it changed.
Also: a Latin-1 terminal's "caffè" is repaired (converted), not refused or crashed on.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

ARGS = None
NOW = "2026-11-24T10:00"  # a Tuesday morning: the sample office is open
LATIN1_CAFFE = b"caff\xe8"
LONG = "x" * 500


def kiosk(data, *args, config=None, env_extra=None, stdin=None):
    cmd = [ARGS.kiosk.encode(), b"--assets", ARGS.assets.encode(), b"--data", data.encode()]
    if config:
        cmd += [b"--config", config.encode()]
    cmd += [a if isinstance(a, bytes) else str(a).encode() for a in args]
    env = dict(os.environ, CSC_NOW=NOW, **(env_extra or {}))
    return subprocess.run(cmd, capture_output=True, env=env, timeout=60, input=stdin)


def event_count(data):
    db = sqlite3.connect(f"file:{os.path.join(data, 'office.db')}?mode=ro", uri=True)
    try:
        return db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    finally:
        db.close()


class BadInputTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-bad-")
        self.data = os.path.join(self.dir, "data")
        # A store with a ticket waiting and counter 1 serving one: every command has something to act on.
        for args in (["issue", "--sector", "anagrafe", "--service", "certificati", "--no-print"],
                     ["issue", "--sector", "anagrafe", "--service", "certificati", "--no-print"],
                     ["counter", "open", "--counter", "1"],
                     ["counter", "call", "--counter", "1"]):
            p = kiosk(self.data, *args)
            self.assertEqual(p.returncode, 0, p.stderr)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def assert_refused(self, args, exit_code, says, config=None):
        before = event_count(self.data)
        p = kiosk(self.data, *args, config=config)
        err = p.stderr.decode("utf-8", "replace")
        self.assertEqual(p.returncode, exit_code, f"{args!r}: exit {p.returncode}, stderr {err!r}")
        self.assertIn(says, err, f"{args!r}")
        self.assertNotIn("terminate called", err)
        self.assertNotIn("internal error", err)
        self.assertEqual(event_count(self.data), before, f"{args!r} changed the store")
        st = kiosk(self.data, "status", "--json")
        self.assertEqual(st.returncode, 0, st.stderr)
        json.loads(st.stdout)

    def test_event_fields_that_the_decoder_would_refuse_are_refused_with_exit_2(self):
        table = [
            (["issue", "--sector", "protocollo", "--lang", "it-IT-x-long"], 'field "lang" is too long'),
            (["issue", "--sector", "protocollo", "--lang", b"i\x01"], "control character"),
            (["issue", "--sector", "protocollo", "--lang", b"\xe8t"], "not valid UTF-8"),
            (["issue", "--sector", LONG], "unknown sector"),
            (["issue", "--sector", b"protocoll\xf2"], "unknown sector"),
            (["issue", "--sector", ""], "unknown sector"),
            (["issue", "--sector", "anagrafe", "--service", LONG], "unknown service"),
            (["issue", "--sector", "anagrafe", "--service", ""], "choose one with --service"),
            (["issue", "--sector", "protocollo", "--priority", LONG], "unknown priority class"),
            (["counter", "pause", "--counter", "1", "--reason", "p" * 121], 'field "reason" is too long'),
            (["counter", "pause", "--counter", "1", "--reason", "pausa\x1b[2J"], "control character"),
            (["counter", "call", "--counter", "1", "--ticket", LONG], "unknown ticket"),
            (["counter", "call", "--counter", "1", "--ticket", b"C\xff01"], "unknown ticket"),
            (["counter", "transfer", "--counter", "1", "--to-sector", "s" * 41], 'field "to_sector" is too long'),
            (["--device", "Kiosk One", "issue", "--sector", "protocollo"], "invalid device name"),
            (["--device", "k" * 41, "status"], "invalid device name"),
            (["--printer", "carrier-pigeon", "issue", "--sector", "protocollo"], "--printer carrier-pigeon"),
        ]
        for args, says in table:
            with self.subTest(args=args):
                self.assert_refused(args, 2, says)

    def test_numbers_out_of_range_are_refused_and_nothing_is_recorded(self):
        for value in ("-1", "0", "1000", "99999999999999999999"):
            with self.subTest(counter=value):
                before = event_count(self.data)
                p = kiosk(self.data, "counter", "open", "--counter", value)
                self.assertNotEqual(p.returncode, 0)
                self.assertTrue(p.stderr.strip(), "a refusal says why")
                self.assertNotIn(b"terminate called", p.stderr)
                self.assertEqual(event_count(self.data), before)
        p = kiosk(self.data, "counter", "transfer", "--counter", "1", "--to-counter", "5000")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b'field "to_counter" out of range', p.stderr)

    def test_latin1_text_from_a_terminal_is_converted_not_refused(self):
        self.assertEqual(kiosk(self.data, "counter", "no-show", "--counter", "1").returncode, 0)
        p = kiosk(self.data, "counter", "pause", "--counter", "1", "--reason", LATIN1_CAFFE, "--json")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["reason"], "caff\u00e8")
        st = json.loads(kiosk(self.data, "status", "--json").stdout)
        self.assertEqual(next(c for c in st["counters"] if c["number"] == 1)["reason"], "caff\u00e8")
        p = kiosk(self.data, "operator", "add", "--name", b"Niccol\xf2", "--json", stdin=b"2468\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["name"], "Niccol\u00f2")
        p = kiosk(self.data, "operator", "add", "--name", "N" * 61, stdin=b"2468\n")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"too long", p.stderr)

    def write_config(self, mutate):
        with open(os.path.join(ARGS.assets, "site", "office.toml"), "rb") as f:
            text = f.read()
        path = os.path.join(self.dir, "bad.toml")
        with open(path, "wb") as f:
            f.write(mutate(text))
        return path

    def test_a_bad_configuration_names_file_line_and_problem_and_nothing_starts(self):
        cases = [
            (lambda t: t.replace(b'name = { it = "Anagrafe"', b'name = { it = "' + b"A" * 61 + b'"', 1),
             "too long (61 characters, at most 60)"),
            (lambda t: t.replace(b'town = "Comune di Esempio"', b'town = "Comune di Ca\xe8"', 1),
             ":12:21: not valid UTF-8"),
            (lambda t: t.replace(b'profile = "epson-tm-t20iii"', b'profile = "epson-tm-t20"', 1),
             "printer.profile"),
            (lambda t: t.replace(b'languages = ["it", "en"', b'languages = ["it", "en", "zz"', 1),
             "office.languages"),
            (lambda t: t.replace(b'town = "Comune di Esempio"', b'town = "Comune\\u0007"', 1),
             "control character"),
        ]
        for mutate, says in cases:
            with self.subTest(says=says):
                path = self.write_config(mutate)
                self.assert_refused(["--config", path, "issue", "--sector", "protocollo"], 2, says)
                p = kiosk(self.data, "--config", path, "status")
                self.assertIn(os.path.basename(path).encode(), p.stderr)
        # Not a regular file, or too big: refused without reading it forever.
        self.assert_refused(["--config", "/dev/zero", "status"], 2, "must be a regular file")
        big = os.path.join(self.dir, "big.toml")
        with open(big, "wb") as f:
            f.write(b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
        self.assert_refused(["--config", big, "status"], 2, "more than the 1048576 accepted")

    def test_a_newer_store_is_refused_with_its_own_exit_code_and_not_touched(self):
        db = os.path.join(self.data, "office.db")
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("PRAGMA user_version=99")
        con.close()
        before = {n: open(os.path.join(self.data, n), "rb").read() for n in os.listdir(self.data) if n.startswith("office.db")}
        for args in (["status"], ["issue", "--sector", "protocollo"]):
            p = kiosk(self.data, *args)
            self.assertEqual(p.returncode, 4, p.stderr)
            self.assertIn(b"newer than this program", p.stderr)
            self.assertNotIn(b"backup", p.stderr)
        after = {n: open(os.path.join(self.data, n), "rb").read() for n in os.listdir(self.data) if n.startswith("office.db")}
        self.assertEqual(after, before)

    def test_a_corrupt_store_gets_exit_3_and_the_backup_advice(self):
        other = os.path.join(self.dir, "other")
        os.makedirs(other)
        with open(os.path.join(other, "office.db"), "wb") as f:
            f.write(b"z" * 8192)
        p = kiosk(other, "status")
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn(b"backup", p.stderr)

    def test_status_reads_while_another_program_holds_the_write_lock(self):
        con = sqlite3.connect(os.path.join(self.data, "office.db"), timeout=1)
        con.execute("BEGIN IMMEDIATE")
        try:
            p = kiosk(self.data, "status", "--json")
            self.assertEqual(p.returncode, 0, p.stderr)
            st = json.loads(p.stdout)
            self.assertEqual(next(s for s in st["sectors"] if s["id"] == "anagrafe")["waiting"], 1)
        finally:
            con.rollback()
            con.close()

    def test_the_data_directory_and_store_are_private(self):
        self.assertEqual(os.stat(self.data).st_mode & 0o777, 0o700)
        self.assertEqual(os.stat(os.path.join(self.data, "office.db")).st_mode & 0o777, 0o600)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("--assets", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
