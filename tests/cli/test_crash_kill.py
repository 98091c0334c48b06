#!/usr/bin/env python3
"""Crash-kill test of ticket issuing (issue 17): `kill -9` at random moments never costs a ticket.

Each cycle starts several real `kiosk issue --json` processes at once on one store and kills some
of them with SIGKILL at a random moment (before, during or after their write). Then, after every
cycle:
  - the store opens: `kiosk status --json` works;
  - `PRAGMA integrity_check` says ok;
  - every ticket a process reported (its JSON reached stdout) is in the store's events table;
  - no (sector, number) was reported twice, and each reported number is the one the store's log
    gives that ticket (the n-th ticket.issued of a sector is number n), so a citizen's paper and
    the queue agree; `kiosk status` shows the same last number per sector as the log.
A process that was not killed must succeed (a busy store is waited for, never an error).

Bounded: the cycles stop after --seconds (default 40) even if fewer than --cycles ran; the seed
is printed so a failing run can be repeated (--seed).
"""
import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-24T10:00"  # a Tuesday morning (the sample office is open; --outside-hours anyway)
# (sector, service) pairs of the sample office (assets/site/office.toml).
CHOICES = [("anagrafe", "certificati"), ("protocollo", None), ("stato-civile", "nascita"), ("protocollo", None)]


def command(args, data, sector, service):
    cmd = [args.kiosk, "--assets", args.assets, "--data", data, "issue", "--sector", sector,
           "--json", "--no-print", "--outside-hours"]
    if service:
        cmd += ["--service", service]
    return cmd


def env():
    return dict(os.environ, CSC_NOW=NOW)


def status(args, data):
    p = subprocess.run([args.kiosk, "--assets", args.assets, "--data", data, "status", "--json"],
                       capture_output=True, text=True, env=env(), timeout=60)
    if p.returncode != 0:
        raise AssertionError(f"the store does not open after the kills: kiosk status failed ({p.returncode}): {p.stderr}")
    return json.loads(p.stdout)


def store_log(db):
    """(integrity_check answer, [(id, sector)] of ticket.issued events in log order)."""
    con = sqlite3.connect(db, timeout=30)
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
        issued = []
        for eid, encoded in con.execute("SELECT id, encoded FROM events WHERE type = 'ticket.issued' ORDER BY position"):
            issued.append((eid, json.loads(encoded)["body"]["sector"]))
        return integrity, issued
    finally:
        con.close()


def check(args, data, reported, cycle):
    st = status(args, data)
    integrity, issued = store_log(os.path.join(data, "office.db"))
    if integrity != ["ok"]:
        raise AssertionError(f"cycle {cycle}: PRAGMA integrity_check: {integrity}")
    number_of = {}  # event id -> (sector, number) as the log gives it
    count = {}
    for eid, sector in issued:
        count[sector] = count.get(sector, 0) + 1
        number_of[eid] = (sector, count[sector])
    seen = {}
    for t in reported:
        key = (t["sector"], t["sequence"])
        if key in seen:
            raise AssertionError(f"cycle {cycle}: number {t['number']} of {t['sector']} reported twice: "
                                 f"{seen[key]['id']} and {t['id']}")
        seen[key] = t
        if t["id"] not in number_of:
            raise AssertionError(f"cycle {cycle}: ticket {t['number']} ({t['id']}) was reported but is not in the store")
        if number_of[t["id"]] != key:
            raise AssertionError(f"cycle {cycle}: ticket {t['id']} was reported as {t['number']} but the log makes it "
                                 f"number {number_of[t['id']][1]} of {number_of[t['id']][0]}")
    for s in st["sectors"]:
        if s["last_number"] != count.get(s["id"], 0):
            raise AssertionError(f"cycle {cycle}: kiosk status says last number {s['last_number']} for {s['id']}, "
                                 f"the log holds {count.get(s['id'], 0)} tickets")
    return len(issued)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--cycles", type=int, default=30)
    ap.add_argument("--processes", type=int, default=4, help="concurrent issuers per cycle")
    ap.add_argument("--seconds", type=float, default=40, help="stop starting cycles after this")
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"seed {seed} (repeat with --seed {seed})", flush=True)

    tmp = tempfile.mkdtemp(prefix="csc-crash-kill-")
    data = os.path.join(tmp, "data")
    try:
        # One issue alone, to learn how long a process lives: kills land within that span.
        t0 = time.monotonic()
        first = subprocess.run(command(args, data, "protocollo", None), capture_output=True, text=True, env=env(), timeout=60)
        span = time.monotonic() - t0
        if first.returncode != 0:
            raise AssertionError(f"kiosk issue failed on a fresh store: {first.stderr}")
        reported = [json.loads(first.stdout)]
        start = time.monotonic()
        killed = survived_kill = 0
        cycle = 0
        while cycle < args.cycles and time.monotonic() - start < args.seconds:
            cycle += 1
            procs = []
            for _ in range(args.processes):
                sector, service = rng.choice(CHOICES)
                procs.append(subprocess.Popen(command(args, data, sector, service), stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True, env=env()))
            t_start = time.monotonic()
            victims = [p for p in procs if rng.random() < 0.6]
            # Kill moments spread over a process's whole life as it is now (several processes
            # on one store live longer than one alone): start-up, the write, the report, after.
            kill_at = {id(p): rng.uniform(0, 1.2 * span) for p in victims}
            ended = {}  # id -> seconds from the cycle's start to the process's exit
            while len(ended) < len(procs):
                now = time.monotonic() - t_start
                for p in procs:
                    if id(p) in ended:
                        continue
                    if p.poll() is not None:
                        ended[id(p)] = now
                        if id(p) in kill_at and kill_at[id(p)] <= now:
                            survived_kill += 1  # its moment came after it had finished
                            del kill_at[id(p)]
                    elif id(p) in kill_at and kill_at[id(p)] <= now:
                        p.send_signal(signal.SIGKILL)
                        killed += 1
                        del kill_at[id(p)]
                if now > 60:
                    raise AssertionError(f"cycle {cycle}: a kiosk issue still runs after 60 s")
                time.sleep(0.002)
            survived_kill += len(kill_at)  # victims that ended before their moment
            lives = []
            for p in procs:
                out, err = p.communicate(timeout=60)
                if p.returncode == 0:
                    lives.append(ended[id(p)])
                line = out.strip().splitlines()[-1] if out.strip() else ""
                if line.startswith("{"):
                    reported.append(json.loads(line))  # it told the citizen a number: it must hold
                elif p.returncode != -signal.SIGKILL:
                    raise AssertionError(f"cycle {cycle}: a kiosk issue that was not killed failed ({p.returncode}): {err}")
            if lives:
                span = sorted(lives)[len(lives) // 2]
            total = check(args, data, reported, cycle)
        print(f"{cycle} cycles x {args.processes} processes in {time.monotonic() - start:.1f} s: {killed} killed while "
              f"running ({survived_kill} had already finished), {len(reported)} tickets reported, {total} in the store "
              f"({total - len(reported)} stored by a process killed before it reported); "
              f"integrity ok, every reported ticket present, no number twice")
        return 0
    except AssertionError as e:
        print(f"FAIL (seed {seed}): {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
