#!/usr/bin/env python3
"""End-to-end tests of the Info Point's commands (issue 12) on the real binary and a real store:
`kiosk crs-pin`, `kiosk forms list|slip|handed-out`, `kiosk bring-slip`.

The PIN secrecy test runs the CRS PIN release with distinctive digits (PIN 4739, PUK 9315826:
the site configuration asks for 4 and 7 of them) typed on standard input, then searches every
file the program left — the SQLite store, its WAL and shared memory, every log, every other
printed artefact — and everything it wrote on stdout and stderr, for the digits, contiguous or
spaced as printed: not found, except on the receipt itself. The receipt and the office copy are
read back from the emulated printer's PNG with tesseract (OCR), and the slips' QR codes with
zbarimg. Bad input (an expired document, a codice fiscale of 15 characters, digits that are not
digits) exits 2 with a clear message and records nothing.
"""
import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from screen_pixels import squeeze  # noqa: E402

ARGS = None
NOW = "2026-12-14T09:00"  # a Monday morning
PIN, PUK = "4739", "9315826"
DIGITS = "%s\n%s\n" % (PIN, PUK)
SECRETS = [PIN, PUK, " ".join(PIN), " ".join(PUK)]
CF = "RSSMRA80A01H501U"  # made up: Mario Rossi, 1 January 1980, Rome (check letter computed)


def holds_secret(blob, secret):
    """`secret` stands in `blob` other than by chance inside a hash: a 4-digit PIN turns up now and
    then inside the hex of a checksum (JetStream's meta.sum held "5b61f47397d594f5" once), which
    is derived data, not the PIN. Every other occurrence counts."""
    for m in re.finditer(re.escape(secret), blob):
        start, end = m.start(), m.end()
        while start > 0 and blob[start - 1:start] in HEX:
            start -= 1
        while end < len(blob) and blob[end:end + 1] in HEX:
            end += 1
        token = blob[start:end]
        if len(token) >= 16 and re.search(rb"[a-f]", token):
            continue  # inside a hash's hex
        return True
    return False


HEX = {bytes([c]) for c in b"0123456789abcdef"}


def kiosk(base, *args, stdin="", check=True, printer=None, now=NOW):
    cmd = [ARGS.kiosk, "--assets", ARGS.assets, "--data", os.path.join(base, "data"),
           "--config", os.path.join(base, "office.toml")]
    if printer:
        cmd += ["--printer", printer]
    cmd += list(args)
    p = subprocess.run(cmd, input=stdin.encode(), capture_output=True, env=dict(os.environ, CSC_NOW=now) if now else dict(os.environ), timeout=60)
    p.out, p.err = p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    if check and p.returncode != 0:
        raise AssertionError(f"{cmd} failed ({p.returncode}): {p.err}")
    return p


def pin_args(**change):
    a = {"--fiscal-code": CF.lower(), "--document-type": "cie", "--document-number": "CA12345XY",
         "--document-expiry": "2031-06-30", "--contact": "+39 333 1234567", "--by": "Anna Info"}
    a.update(change)
    out = ["crs-pin", "--json"]
    for k, v in a.items():
        if v is not None:
            out += [k, v]
    return out


def qr_codes(png):
    zbar = shutil.which("zbarimg")
    assert zbar, "zbarimg (Debian package zbar-tools) is needed to read the slips' QR"
    p = subprocess.run([zbar, "--quiet", "--raw", png], capture_output=True, timeout=30)
    return [x for x in p.stdout.decode("utf-8", "replace").split("\n") if x]


def read_paper(png, lang="ita"):
    """The paper's text as tesseract reads it (the emulated printer draws 203 dpi thermal paper:
    scaled up 2x for the OCR)."""
    work = tempfile.mkdtemp(prefix="csc-ocr-")
    try:
        big = os.path.join(work, "big.png")
        subprocess.run(["convert", png, "-resize", "200%", big], check=True, timeout=60)
        p = subprocess.run(["tesseract", big, "stdout", "-l", lang, "--psm", "4"], capture_output=True, timeout=120)
        return p.stdout.decode("utf-8", "replace")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def events(base):
    db = sqlite3.connect(os.path.join(base, "data", "office.db"))
    try:
        return [r[0] for r in db.execute("SELECT encoded FROM events ORDER BY position")]
    finally:
        db.close()


class InfoPointCli(unittest.TestCase):
    def setUp(self):
        self.base = tempfile.mkdtemp(prefix="csc-infopoint-")
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace("pin_digits = 2", "pin_digits = 4").replace("puk_digits = 2", "puk_digits = 7")
        with open(os.path.join(self.base, "office.toml"), "w", encoding="utf-8") as f:
            f.write(text)
        kiosk(self.base, "operator", "add", "--name", "Anna Info", "--role", "infopoint", stdin="482913\n")
        kiosk(self.base, "operator", "add", "--name", "Carlo Banco", "--role", "counter", stdin="482914\n")
        self.outputs = []

    def tearDown(self):
        shutil.rmtree(self.base, ignore_errors=True)

    def run_kiosk(self, *args, **kw):
        p = kiosk(self.base, *args, **kw)
        self.outputs += [p.out, p.err]
        return p

    def test_pin_release_prints_the_digits_on_the_receipt_and_nowhere_else(self):
        paper = os.path.join(self.base, "paper")
        os.makedirs(paper)
        receipt_png = os.path.join(paper, "receipt.png")
        copy_png = os.path.join(paper, "copy.png")
        receipt_bin = os.path.join(paper, "receipt.bin")
        # 1. The citizen's receipt alone, as the emulated printer's PNG.
        p = self.run_kiosk(*pin_args(), "--no-office-copy", stdin=DIGITS, printer="emulated:" + receipt_png)
        out = json.loads(p.out)
        self.assertTrue(out["receipt"]["printed"])
        self.assertNotIn("office_copy", out)
        # 2. A delegate, with the office copy: the last job drawn is the office copy.
        p = self.run_kiosk(*pin_args(**{"--relation": "delegate", "--form-ref": "Prot. 77/2026"}), "--office-copy",
                           stdin=DIGITS, printer="emulated:" + copy_png)
        self.assertTrue(json.loads(p.out)["office_copy"]["printed"])
        # 3. The same receipt as ESC/POS bytes in a file (the file transport, named for this run).
        self.run_kiosk(*pin_args(), "--no-office-copy", stdin=DIGITS, printer="file:" + receipt_bin)

        # The register: three releases, by Anna, with the document's last 3 characters only.
        rel = [json.loads(e) for e in events(self.base) if '"crs_pin.released"' in e]
        self.assertEqual(len(rel), 3)
        self.assertEqual({e["by"] for e in rel}, {"Anna Info"})
        self.assertEqual([e["body"]["relation"] for e in rel], ["holder", "delegate", "holder"])
        self.assertEqual(rel[0]["body"]["document_tail"], "5XY")
        self.assertEqual(rel[1]["body"]["form"], "Prot. 77/2026")
        status = json.loads(self.run_kiosk("status", "--json").out)
        self.assertEqual(status["desk_services"]["crs_pin"]["Anna Info"], 3)

        # The secrecy search: every file left (store, WAL, logs, other artefacts) but the
        # receipts themselves, and every output.
        with open(receipt_bin, "rb") as f:
            self.assertIn(" ".join(PIN).encode(), f.read())  # the receipt does carry them
        searched = 0
        for root, _, files in os.walk(self.base):
            for name in files:
                path = os.path.join(root, name)
                if path in (receipt_png, copy_png, receipt_bin):
                    continue
                with open(path, "rb") as f:
                    blob = f.read()
                searched += 1
                for s in SECRETS:
                    self.assertFalse(holds_secret(blob, s.encode()), f"{s!r} found in {path}")
                    self.assertNotIn(s.encode("utf-16-le"), blob, f"{s!r} (UTF-16) found in {path}")
        self.assertGreaterEqual(searched, 2)  # office.db and its WAL at least
        for text in self.outputs:
            for s in SECRETS:
                self.assertNotIn(s, text)
        # The codice fiscale and the document number are not kept either.
        store = "\n".join(events(self.base))
        self.assertNotIn(CF, store)
        self.assertNotIn("CA12345XY", store)

        # The receipt read back from the paper: the digits large and clear, the instructions.
        text = read_paper(receipt_png)
        flat = squeeze(text)
        self.assertIn(PIN, re.sub(r"\s", "", text), text)
        self.assertIn(PUK, re.sub(r"\s", "", text), text)
        self.assertIn("PIN CRS", text)
        self.assertIn("SMS", flat, text)
        self.assertIn("567", flat, text)  # the masked phone's last digits
        self.assertEqual(qr_codes(receipt_png), [])  # no QR on a PIN receipt
        # The office copy read back: the declaration and the signature line, not one digit of the secrets.
        copy = read_paper(copy_png)
        self.assertRegex(squeeze(copy), r"(?i)copiaperl.ufficio")
        self.assertIn("Firma", copy)
        self.assertIn("Prot. 77/2026", copy)
        for s in (PIN, PUK):
            self.assertNotIn(s, re.sub(r"\s", "", copy))

    def test_bad_input_exits_2_with_a_clear_message_and_records_nothing(self):
        before = events(self.base)
        cases = [
            (pin_args(**{"--document-expiry": "2026-12-13"}), DIGITS, "expired on 2026-12-13"),
            (pin_args(**{"--fiscal-code": CF[:15]}), DIGITS, "16 characters (15 given)"),
            (pin_args(), "47x9\n9315826\n", "only digits"),
            (pin_args(), "473\n9315826\n", "first 4 digits of the PIN"),
            (pin_args(**{"--relation": "delegate"}), DIGITS, "form"),
            (pin_args(**{"--document-type": "tessera"}), DIGITS, "document type"),
            (pin_args(**{"--by": "Carlo Banco"}), DIGITS, "not a staff member of the info point"),
        ]
        for args, stdin, says in cases:
            with self.subTest(says=says):
                p = self.run_kiosk(*args, stdin=stdin, check=False, printer="emulated:" + os.path.join(self.base, "x.png"))
                self.assertEqual(p.returncode, 2, p.err)
                self.assertIn(says, p.err)
                for s in SECRETS + ["47x9", "473"]:
                    self.assertNotIn(s, p.err + p.out)
        self.assertEqual(events(self.base), before)
        self.assertFalse(os.path.exists(os.path.join(self.base, "x.png")))

    def test_digits_never_on_a_printer_that_keeps_paper_as_a_file_by_default(self):
        before = events(self.base)
        p = self.run_kiosk(*pin_args(), stdin=DIGITS, check=False, printer="emulated")
        self.assertEqual(p.returncode, 1, p.err)
        self.assertIn("keeps the paper as a file", p.err)
        self.assertEqual(events(self.base), before)
        self.assertFalse(os.path.exists(os.path.join(self.base, "data", "printer", "last-ticket.png")))

    def test_forms_list_slip_and_handed_out(self):
        p = self.run_kiosk("forms", "list", "--service", "crs-pin", "--json", "--lang", "en")
        forms = json.loads(p.out)["forms"]
        self.assertEqual([f["id"] for f in forms], ["delega-crs", "minori-crs"])
        self.assertEqual(forms[0]["title"], "Delegation for the CRS / TS-CNS PIN")
        self.assertTrue(forms[0]["file"].endswith("delega-crs.pdf"))
        self.assertEqual(len(json.loads(self.run_kiosk("forms", "list", "--json").out)["forms"]), 4)
        p = self.run_kiosk("forms", "list", "--service", "nope", check=False)
        self.assertEqual(p.returncode, 2)
        slip = os.path.join(self.base, "slip.png")
        p = self.run_kiosk("forms", "slip", "--id", "delega-crs", "--json", printer="emulated:" + slip)
        self.assertTrue(json.loads(p.out)["printed"])
        self.assertEqual(qr_codes(slip), ["https://www.comune.esempio.it/moduli/delega-crs.pdf"])
        self.assertIn("Info Point", read_paper(slip))
        p = self.run_kiosk("forms", "handed-out", "--id", "delega-crs", "--by", "Carlo Banco", "--copies", "3", "--json")
        self.assertEqual(json.loads(p.out)["copies"], 3)
        status = json.loads(self.run_kiosk("status", "--json").out)
        self.assertEqual(status["desk_services"]["form:delega-crs"]["Carlo Banco"], 3)
        p = self.run_kiosk("forms", "handed-out", "--id", "delega-crs", "--by", "Nobody", check=False)
        self.assertEqual(p.returncode, 2)

    def test_a_missing_pdf_is_named_and_the_form_hidden_while_the_program_starts(self):
        cfg = os.path.join(self.base, "office.toml")
        with open(cfg, encoding="utf-8") as f:
            text = f.read()
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(text.replace("minori-crs.pdf", "gone.pdf"))
        p = self.run_kiosk("forms", "list", "--service", "crs-pin", "--json")
        self.assertEqual([f["id"] for f in json.loads(p.out)["forms"]], ["delega-crs"])
        self.assertRegex(p.err, r"office\.toml:\d+: form \"minori-crs\": file .*gone\.pdf is missing")
        self.run_kiosk("status", "--json")  # the program still starts

    def test_bring_slip(self):
        slip = os.path.join(self.base, "bring.png")
        p = self.run_kiosk("bring-slip", "--service", "crs-pin", "--json", printer="emulated:" + slip)
        out = json.loads(p.out)
        self.assertEqual(len(out["items"]), 5)
        self.assertTrue(out["print"]["printed"])
        self.assertEqual(sorted(qr_codes(slip)), ["https://www.comune.esempio.it/moduli/delega-crs.pdf",
                                                   "https://www.comune.esempio.it/moduli/minori-crs.pdf"])
        self.assertIn("Cosa portare", read_paper(slip))
        p = self.run_kiosk("bring-slip", "--service", "protocollo", "--no-print", check=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("nothing to bring is configured", p.err)


class InfoPointLan(unittest.TestCase):
    """The release in LAN mode: a real nats-server with JetStream on disk, two kiosks. The event
    reaches the other kiosk (counted there), and neither the stream's storage nor either store
    holds a digit. Run by the LAN suite (tests/lan/CMakeLists.txt): `-k InfoPointLan`."""

    def setUp(self):
        self.server_bin = shutil.which("nats-server") or ("/usr/sbin/nats-server" if os.path.exists("/usr/sbin/nats-server") else None)
        if not self.server_bin:
            self.skipTest("nats-server (Debian package nats-server) is not installed")
        self.base = tempfile.mkdtemp(prefix="csc-infopoint-lan-")
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.server = subprocess.Popen([self.server_bin, "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd",
                                        os.path.join(self.base, "js")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        import socket as _s
        import time
        for _ in range(100):
            try:
                _s.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            text = f.read()
        text = text.replace("pin_digits = 2", "pin_digits = 4").replace("puk_digits = 2", "puk_digits = 7")
        for name, index in (("a", 1), ("b", 2)):
            os.makedirs(os.path.join(self.base, name))
            with open(os.path.join(self.base, name, "office.toml"), "w", encoding="utf-8") as f:
                f.write(text + '\n[sync]\nservers = ["nats://127.0.0.1:%d"]\ndevice_index = %d\nstream = "IP"\n'
                        'subject = "ip.events"\nconfirm_timeout_ms = 2000\n' % (self.port, index))

    def tearDown(self):
        if getattr(self, "server", None):
            self.server.kill()
            self.server.wait()
        shutil.rmtree(getattr(self, "base", ""), ignore_errors=True)

    def test_the_stream_and_both_stores_hold_no_digit(self):
        outputs = []

        def run(name, *args, stdin="", printer=None):
            # The real clock: in LAN mode the servers' time is checked (a CSC_NOW far off is a clock alarm).
            p = kiosk(os.path.join(self.base, name), "--device", "kiosk-" + name, *args, stdin=stdin, printer=printer,
                      now=None)
            outputs.extend([p.out, p.err])
            return p

        run("a", "operator", "add", "--name", "Anna Info", "--role", "infopoint", stdin="482913\n")
        receipt = os.path.join(self.base, "receipt.bin")
        p = run("a", *pin_args(), "--no-office-copy", stdin=DIGITS, printer="file:" + receipt)
        self.assertTrue(json.loads(p.out)["receipt"]["printed"])
        run("b", "sync", "--until-caught-up", "--for-ms", "10000", "--json")
        status = json.loads(run("b", "status", "--json").out)
        self.assertEqual(status["desk_services"]["crs_pin"]["Anna Info"], 1)
        self.assertTrue(status["online"])
        stream_files = 0
        for root, _, files in os.walk(self.base):
            for name in files:
                path = os.path.join(root, name)
                if path == receipt:
                    continue
                stream_files += os.sep + "js" + os.sep in path
                with open(path, "rb") as f:
                    blob = f.read()
                for s in SECRETS:
                    self.assertFalse(holds_secret(blob, s.encode()), f"{s!r} found in {path}")
        self.assertGreater(stream_files, 0)  # the JetStream storage was searched
        for text in outputs:
            for s in SECRETS:
                self.assertNotIn(s, text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("--assets", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest)
