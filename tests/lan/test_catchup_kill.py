#!/usr/bin/env python3
"""A `kiosk sync` killed (SIGKILL) in the middle of a catch-up never loses or doubles an event (issue 10).

The catch-up path stores each batch of stream messages in one transaction that is not flushed at
once (synchronous=NORMAL), with the messages' bytes as they are. A kill must still leave the store
readable and holding an exact prefix of the stream. On a real one-node nats-server:
  - kiosk-b's store gets --events own tickets written in by this script (as a day of offline work
    would leave them), and one `kiosk sync --until-caught-up` publishes them: the stream.
  - A fresh device (kiosk-a1, kiosk-a2, ...: one per round) catches up with `kiosk sync
    --until-caught-up`, killed with SIGKILL after a delay that adapts until kills land while it is
    part-way through; each round ends with a run that is not killed.
  - After every kill: `PRAGMA integrity_check` is ok; the stream positions stored are exactly
    1..applied_seq (the meta row the consumer resumes after), each with the id the stream has there.
  - After each round: every stream event is stored once, and the device's state_hash equals kiosk-b's.
  - At least one kill landed part-way (the run had stored some of the stream and not all of it),
    or the test fails: it would not have tested what it says.
Usage: test_catchup_kill.py --kiosk KIOSK --assets ASSETS [--events 10000] [--rounds 2] [--seed S]
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(assets, path, port, index):
    """The sample office open all day, every day, with [sync] on the test's server."""
    text = open(os.path.join(assets, "site", "office.toml"), encoding="utf-8").read()
    text = re.sub(r"(?m)^(monday|tuesday|wednesday|thursday|friday|saturday|sunday) *=.*$", "", text)
    text = re.sub(r"(?ms)^closed = \[.*?\]", "", text)
    days = "".join(f'{d} = ["00:00-24:00"]\n' for d in
                   ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    text = text.replace("[hours]\n", "[hours]\n" + days + "national_holidays = false\n", 1)
    text += (f'\n[sync]\nservers = ["nats://127.0.0.1:{port}"]\ndevice_index = {index}\n'
             f'stream = "CATCHUP"\nsubject = "catchup.events"\n')
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Office:
    def __init__(self, args, root, port):
        self.args, self.root, self.port = args, root, port

    def cmd(self, device, index, *rest):
        config = os.path.join(self.root, device + ".toml")
        if not os.path.exists(config):
            write_config(self.args.assets, config, self.port, index)
        return [self.args.kiosk, "--config", config, "--data", os.path.join(self.root, device), "--device", device] + list(rest)

    def sync(self, device, index, timeout=120):
        p = subprocess.run(self.cmd(device, index, "sync", "--until-caught-up", "--for-ms", "90000", "--json"),
                           capture_output=True, text=True, timeout=timeout, env=dict(os.environ, CSC_ASSETS=self.args.assets))
        if p.returncode != 0:
            raise AssertionError(f"{device}: kiosk sync failed ({p.returncode}): {p.stderr[-2000:]}")
        return json.loads(p.stdout)


def db_of(root, device):
    return os.path.join(root, device, "office.db")


def prefill(db, device, count):
    """`count` ticket.issued events of `device` (numbered by the stream: online tickets), not yet published."""
    con = sqlite3.connect(db, timeout=30)
    try:
        last = con.execute("SELECT COALESCE(MAX(device_seq), 0) FROM events WHERE device = ?", (device,)).fetchone()[0]
        t0 = int(time.time() * 1000) - count - 1000
        rows = []
        for i in range(count):
            seq = last + 1 + i
            eid = f"{device}:{seq}"
            body = {"channel": "cli", "lang": "it", "priority": "", "sector": "anagrafe", "service": "certificati"}
            event = {"body": body, "device": device, "id": eid, "seq": seq, "time": t0 + i, "type": "ticket.issued", "v": 1}
            rows.append((eid, device, seq, t0 + i, "ticket.issued", json.dumps(event, separators=(",", ":"), sort_keys=True)))
        con.executemany("INSERT INTO events(id, device, device_seq, time, type, encoded) VALUES(?,?,?,?,?,?)", rows)
        con.commit()
    finally:
        con.close()


def let_sqlite_recover(db):
    """Lets SQLite recover a store whose writer was killed mid-commit (its write-ahead log's index
    rebuilt, or a hot rollback journal of a store being created rolled back), as the next kiosk
    to open it does. A read-only connection cannot: SQLITE_READONLY_RECOVERY / _ROLLBACK,
    "attempt to write a readonly database". Changes no row."""
    con = sqlite3.connect(db, timeout=30)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        con.close()


def stream_rows(db):
    """(integrity answer, applied_seq, {stream_seq: id}) — read only (after SQLite's recovery, when a killed writer left one to do)."""
    try:
        return stream_rows_ro(db)
    except sqlite3.OperationalError as e:
        if "readonly" not in str(e):
            raise
        print(f"store needs SQLite's recovery first ({e}): recovering, then reading again")
        let_sqlite_recover(db)
        return stream_rows_ro(db)


def stream_rows_ro(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
        if con.execute("PRAGMA user_version").fetchone()[0] < 2:  # killed while the new store was migrated
            return integrity, 0, {}
        row = con.execute("SELECT value FROM meta WHERE key = 'sync.applied_seq'").fetchone()
        applied = int(row[0]) if row else 0
        seqs = dict(con.execute("SELECT stream_seq, id FROM events WHERE stream_seq IS NOT NULL"))
        return integrity, applied, seqs
    finally:
        con.close()


def check_prefix(db, stream, where):
    integrity, applied, seqs = stream_rows(db)
    if integrity != ["ok"]:
        raise AssertionError(f"{where}: PRAGMA integrity_check: {integrity}")
    if sorted(seqs) != list(range(1, applied + 1)):
        missing = sorted(set(range(1, applied + 1)) - set(seqs))[:10]
        beyond = sorted(s for s in seqs if s > applied)[:10]
        raise AssertionError(f"{where}: stream positions stored are not exactly 1..{applied} "
                             f"(missing {missing}, beyond applied_seq {beyond})")
    wrong = [(s, seqs[s], stream[s]) for s in seqs if s in stream and stream[s] != seqs[s]][:5]
    if wrong:
        raise AssertionError(f"{where}: stored at another stream position than the stream's: {wrong}")
    return applied


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seed", type=int, default=int(time.time()) % 100000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    print(f"seed {args.seed}")
    root = tempfile.mkdtemp(prefix="csc-catchup-kill-")
    port = free_port()
    server = subprocess.Popen(["nats-server", "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", os.path.join(root, "js")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        office = Office(args, root, port)
        # The stream: kiosk-b's day of tickets, published by its sync.
        office.sync("kiosk-b", 2)  # creates its store (and announces it)
        prefill(db_of(root, "kiosk-b"), "kiosk-b", args.events)
        t = time.time()
        b = office.sync("kiosk-b", 2, timeout=600)
        if b.get("unconfirmed", 0) != 0:
            raise AssertionError(f"kiosk-b left events unpublished: {b}")
        _, length, stream = stream_rows(db_of(root, "kiosk-b"))
        print(f"stream of {length} events published in {time.time() - t:.1f} s")
        if length < args.events:
            raise AssertionError(f"the stream has {length} events, fewer than the {args.events} published")

        part_way = 0
        delay = 0.05
        for r in range(1, args.rounds + 1):
            device = f"kiosk-a{r}"
            db = db_of(root, device)
            kills = 0
            done = False
            while not done and kills < 25:
                before = stream_rows(db)[1] if os.path.exists(db) else 0
                p = subprocess.Popen(office.cmd(device, 2 + r, "sync", "--until-caught-up", "--for-ms", "90000"),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env=dict(os.environ, CSC_ASSETS=args.assets))
                wait = delay * rng.uniform(0.7, 1.3)
                try:
                    p.wait(timeout=wait)
                    done = p.returncode == 0
                    if p.returncode != 0:
                        raise AssertionError(f"{device}: kiosk sync failed ({p.returncode}) without being killed")
                except subprocess.TimeoutExpired:
                    p.send_signal(signal.SIGKILL)
                    p.wait()
                    kills += 1
                if not os.path.exists(db):
                    delay *= 1.5
                    continue
                applied = check_prefix(db, stream, f"{device} after kill {kills}")
                if before < applied < length and not done:
                    part_way += 1  # killed after it had stored some of the stream, before the end
                elif applied == before:
                    delay = min(delay * 1.5, 5.0)  # killed before it took anything: later next time
                print(f"{device}: {'finished' if done else 'killed'} after {wait:.3f} s, applied_seq {before} -> {applied}")
                if applied >= length:
                    delay *= 0.6  # the catch-up was over: earlier in the next round
                    break
            final = office.sync(device, 2 + r)
            applied = check_prefix(db, stream, f"{device} at the end")
            if applied < length:
                raise AssertionError(f"{device}: caught up to {applied} of {length}")
            reference = office.sync("kiosk-b", 2)
            if final["state_hash"] != reference["state_hash"]:
                # kiosk-b may have seen this device's announcement since: once more after it
                final = office.sync(device, 2 + r)
                if final["state_hash"] != reference["state_hash"]:
                    raise AssertionError(f"{device}: state_hash {final['state_hash']} differs from kiosk-b's {reference['state_hash']}")
            print(f"round {r}: {kills} kills; every one of the {applied} stream events stored once; state_hash equal")
        if part_way == 0:
            raise AssertionError("no kill landed part-way through a catch-up: the test did not test what it says")
        print(f"ok: {part_way} kills part-way through a catch-up; nothing lost or doubled")
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"FAIL: {e}")
        sys.exit(1)
