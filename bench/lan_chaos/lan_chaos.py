#!/usr/bin/env python3
"""lan_chaos — chaos and soak BENCHMARK of the kiosk program in LAN mode (issues 17 and 18).

A real 3-node nats-server JetStream cluster on 127.0.0.1, devices as separate data dirs (each
with its own copy of the site configuration carrying [sync] and its device_index), and on each
device several processes sharing its store: a long-running `kiosk sync` daemon, `kiosk issue`
processes (kiosks), `kiosk counter call/start/finish` processes (counters), `kiosk status` loops
(every device; a display is modelled as a reading device: `kiosk sync` + `kiosk status`, since a
GUI display needs X). Faults are injected while the load runs; at the end every device is
caught up and the stream (read through a fresh observer device that syncs from scratch) is
compared with every number the issue processes printed.

Profiles:
  --profile chaos   (default 5 min, real time): leader kill -9 + restart, SIGSTOP/SIGCONT of a
                    node, a kiosk partitioned (TCP proxy cut), kill -9 of every device's sync
                    daemon + restart, a full cluster restart (kill -9 of all three nodes).
  --profile soak    (default 10 min = a simulated 10-hour office day at 60x): 3 kiosks,
                    20 counters (on 3 counter devices), 2 displays; a node killed and restarted,
                    a kiosk cut off and back, one kiosk's clock a day ahead for a while (CSC_NOW),
                    the whole cluster restarted once.

It prints figures (heal and restart times, tap latency p50/p99 per period, RSS per period) and a
verdict; it exits 1 if a ticket was lost or doubled, a printed number differs from the stream's, a
ticket was called at two counters, or the state hashes differ. It is a
benchmark, never a timed test: no speed is asserted. Standard library only.

  python3 bench/lan_chaos/lan_chaos.py --kiosk build/kiosk/kiosk --profile chaos [--minutes 5]
"""
import argparse
import collections
import datetime
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from zoneinfo import ZoneInfo

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
TZ = ZoneInfo("Europe/Rome")
FIRST_HIGH_ONLINE = 10000
LAST_PLAIN_ONLINE = 999

T0 = time.monotonic()


def now():
    return time.monotonic() - T0


LOG_LOCK = threading.Lock()


def log(msg):
    with LOG_LOCK:
        print("[%7.1fs] %s" % (now(), msg), flush=True)


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))]


# ---- ports ---------------------------------------------------------------------------------

def port_free(p):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_block(count, start):
    base = start
    while base < 60000:
        if all(port_free(p) for p in range(base, base + count)):
            return base
        base += count + 7
    raise RuntimeError("no free port block")


# ---- the cluster -------------------------------------------------------------------------------

class Cluster:
    """Three nats-server nodes (config shape of tests/lan/nats_cluster.cpp)."""

    def __init__(self, root, nodes=3):
        self.root = root
        self.n = nodes
        self.base = free_block(3 * nodes, 21000 + (os.getpid() % 2000) * 9)
        self.procs = [None] * nodes
        self.stopped = [False] * nodes
        server = shutil.which("nats-server") or "/usr/sbin/nats-server"
        if not os.path.exists(server):
            raise SystemExit("nats-server not found (apt-get install nats-server)")
        self.server = server
        for i in range(nodes):
            with open(self.conf(i), "w") as f:
                f.write("server_name: n%d\nlisten: 127.0.0.1:%d\nhttp: 127.0.0.1:%d\n" % (i, self.client_port(i), self.http_port(i)))
                f.write('jetstream { store_dir: "%s" }\n' % os.path.join(root, "n%d" % i))
                f.write("cluster {\n  name: office\n  listen: 127.0.0.1:%d\n  no_advertise: true\n  routes: [\n" % (self.base + nodes + i))
                for j in range(nodes):
                    if j != i:
                        f.write("    nats-route://127.0.0.1:%d\n" % (self.base + nodes + j))
                f.write("  ]\n}\n")

    def conf(self, i):
        return os.path.join(self.root, "n%d.conf" % i)

    def client_port(self, i):
        return self.base + i

    def http_port(self, i):
        return self.base + 2 * self.n + i

    def start(self, i):
        if self.procs[i] and self.procs[i].poll() is None:
            return
        logf = open(os.path.join(self.root, "n%d.log" % i), "a")
        self.procs[i] = subprocess.Popen([self.server, "-c", self.conf(i)], stdout=logf, stderr=logf,
                                         start_new_session=True)
        self.stopped[i] = False

    def start_all(self):
        for i in range(self.n):
            self.start(i)

    def kill(self, i):
        p = self.procs[i]
        if p and p.poll() is None:
            if self.stopped[i]:
                os.kill(p.pid, signal.SIGCONT)
            p.kill()
            p.wait()
        self.procs[i] = None
        self.stopped[i] = False

    def kill_all(self):
        for i in range(self.n):
            self.kill(i)

    def sigstop(self, i):
        os.kill(self.procs[i].pid, signal.SIGSTOP)
        self.stopped[i] = True

    def sigcont(self, i):
        os.kill(self.procs[i].pid, signal.SIGCONT)
        self.stopped[i] = False

    def running(self, i):
        return self.procs[i] is not None and self.procs[i].poll() is None

    def http(self, i, path, timeout=1.0):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.http_port(i), path), timeout=timeout) as r:
            return r.status, r.read()

    def healthz_text(self, i):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/healthz" % self.http_port(i), timeout=2) as r:
                return r.read().decode(errors="replace").strip()
        except urllib.error.HTTPError as ex:
            return ex.read().decode(errors="replace").strip()
        except Exception as ex:
            return repr(ex)

    def healthy(self, i):
        try:
            status, _ = self.http(i, "/healthz")
            return status == 200
        except Exception:
            return False

    def wait_healthy(self, timeout=90):
        t = time.monotonic()
        while time.monotonic() - t < timeout:
            if all(self.healthy(i) for i in range(self.n) if self.running(i)):
                return time.monotonic() - t
            time.sleep(0.1)
        return None

    def stream_leader(self, stream):
        """Index of the node leading `stream` (from /jsz), or None."""
        for i in range(self.n):
            if not self.running(i) or self.stopped[i]:
                continue
            try:
                _, body = self.http(i, "/jsz?accounts=true&streams=true")
                j = json.loads(body)
                for acc in j.get("account_details") or []:
                    for s in acc.get("stream_detail") or []:
                        if s.get("name") == stream:
                            leader = (s.get("cluster") or {}).get("leader")
                            if leader and leader.startswith("n"):
                                return int(leader[1:])
            except Exception:
                pass
        return None

    def rss_kb(self):
        out = {}
        for i in range(self.n):
            if self.running(i):
                out["nats-n%d" % i] = rss_of(self.procs[i].pid)
        return out


def rss_of(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


# ---- a TCP proxy that can cut a device off ----------------------------------------------------

class Proxy:
    def __init__(self, target_port):
        self.target = target_port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.cut_ = False
        self.conns = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            if self.cut_:
                c.close()
                continue
            try:
                s = socket.create_connection(("127.0.0.1", self.target), timeout=2)
                s.settimeout(None)
            except OSError:
                c.close()
                continue
            with self.lock:
                self.conns.add(c)
                self.conns.add(s)
            threading.Thread(target=self._pump, args=(c, s), daemon=True).start()
            threading.Thread(target=self._pump, args=(s, c), daemon=True).start()

    def _pump(self, a, b):
        try:
            while True:
                data = a.recv(65536)
                if not data or self.cut_:
                    break
                b.sendall(data)
        except OSError:
            pass
        for x in (a, b):
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            x.close()
            with self.lock:
                self.conns.discard(x)

    def cut(self):
        self.cut_ = True
        with self.lock:
            conns = list(self.conns)
        for x in conns:
            try:
                x.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def heal(self):
        self.cut_ = False

    def close(self):
        self.closed = True
        self.cut()
        self.sock.close()


# ---- simulated clock -----------------------------------------------------------------------------

class SimClock:
    """Office local time = start + speed × real elapsed; CSC_NOW values for the processes."""

    def __init__(self, date, start_hhmm, speed):
        h, m = map(int, start_hhmm.split(":"))
        self.start = datetime.datetime.combine(date, datetime.time(h, m))
        self.speed = speed
        self.t0 = time.monotonic()

    def at(self, real_t=None):
        el = (time.monotonic() if real_t is None else real_t) - self.t0
        return self.start + datetime.timedelta(seconds=el * self.speed)

    def csc_now(self, skew_days=0):
        # the simulated day never passes midnight (a long --minutes at 60x stays at 23:59)
        t = min(self.at(), datetime.datetime.combine(self.start.date(), datetime.time(23, 59)))
        return (t + datetime.timedelta(days=skew_days)).strftime("%Y-%m-%dT%H:%M")


# ---- devices -----------------------------------------------------------------------------------

def site_config(assets, counters):
    """The sample office, open every day all day, with `counters` counters."""
    text = open(os.path.join(assets, "site", "office.toml")).read()
    text = re.sub(r"(?m)^(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s*=.*\n", "", text)
    text = re.sub(r"(?ms)^closed = \[.*?^\]\n", "", text)
    days = "".join('%s = ["00:00-24:00"]\n' % d for d in
                   ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    text = text.replace("[hours]\n", "[hours]\n" + days + "national_holidays = false\n", 1)
    sets = ['["anagrafe"]', '["anagrafe", "stato-civile"]', '["stato-civile", "anagrafe"]',
            '["protocollo", "polifunzionale"]', '["polifunzionale", "protocollo"]']
    extra = "".join("[[counter]]\nnumber = %d\nsectors = %s\n\n" % (n, sets[(n - 1) % 5]) for n in range(6, counters + 1))
    text = text.replace("[queue]\n", extra + "[queue]\n", 1)
    return text


class Device:
    def __init__(self, h, name, index, role, proxied):
        self.h = h
        self.name = name
        self.index = index
        self.role = role
        self.dir = os.path.join(h.root, name)
        self.data = os.path.join(self.dir, "data")
        self.conf = os.path.join(self.dir, "office.toml")
        os.makedirs(self.data, exist_ok=True)
        self.proxies = [Proxy(h.cluster.client_port(i)) for i in range(3)] if proxied else None
        ports = [p.port for p in self.proxies] if self.proxies else [h.cluster.client_port(i) for i in range(3)]
        with open(self.conf, "w") as f:
            f.write(h.config_text)
            f.write("\n[sync]\nservers = [%s]\ndevice_index = %d\n" % (
                ", ".join('"nats://127.0.0.1:%d"' % p for p in ports), index))
        self.skew_days = 0
        self.daemon = None
        self.daemon_starts = 0
        self.daemon_exits = []  # (t, rc)
        self.lock = threading.Lock()

    def env(self):
        e = dict(os.environ)
        e["CSC_ASSETS"] = self.h.assets
        e["CSC_NOW"] = self.h.clock.csc_now(self.skew_days)
        return e

    def argv(self, args):
        return [self.h.kiosk, "--config", self.conf, "--data", self.data, "--device", self.name,
                "--printer", "emulated"] + args

    def run(self, args, timeout=90):
        """One kiosk process on this device's store: (rc, stdout, stderr, wall seconds, started)."""
        t = now()
        try:
            p = subprocess.run(self.argv(args), env=self.env(), capture_output=True, text=True, timeout=timeout)
            rc, out, err = p.returncode, p.stdout, p.stderr
        except subprocess.TimeoutExpired as ex:
            out = ex.stdout or ""
            if isinstance(out, bytes):
                out = out.decode(errors="replace")
            rc, err = "timeout", "timeout after %ss" % timeout
        return rc, out, err, now() - t, t

    def start_daemon(self):
        with self.lock:
            if self.daemon and self.daemon.poll() is None:
                return
            logf = open(os.path.join(self.dir, "sync-daemon.log"), "a")
            self.daemon = subprocess.Popen(self.argv(["sync"]), env=self.env(), stdout=logf, stderr=logf,
                                           start_new_session=True)
            self.daemon_starts += 1

    def stop_daemon(self, sig=signal.SIGTERM, wait=15):
        with self.lock:
            d = self.daemon
            self.daemon = None
        if not d or d.poll() is not None:
            if d:
                self.daemon_exits.append((now(), d.returncode, "exited by itself"))
            return None
        d.send_signal(sig)
        try:
            rc = d.wait(wait)
        except subprocess.TimeoutExpired:
            d.kill()
            rc = "hung on %s, killed" % signal.Signals(sig).name
            d.wait()
        self.daemon_exits.append((now(), rc, signal.Signals(sig).name))
        return rc

    def cut(self):
        for p in self.proxies:
            p.cut()

    def heal(self):
        for p in self.proxies:
            p.heal()


# ---- the harness -------------------------------------------------------------------------------

PROFILES = {
    # name: kiosks, counter devices, counters, displays, minutes, speed, start time, bucket (s)
    "chaos": dict(kiosks=2, counter_devices=1, counters=5, displays=1, minutes=5.0, speed=1.0, start="09:00",
                  issue_loops=2, issue_pause=(1.5, 4.0), counter_pause=(2.0, 5.0), status_pause=3.0, bucket=60.0),
    "soak": dict(kiosks=3, counter_devices=3, counters=20, displays=2, minutes=10.0, speed=60.0, start="08:00",
                 issue_loops=2, issue_pause=(3.0, 9.0), counter_pause=(4.0, 10.0), status_pause=5.0, bucket=60.0),
}


class Harness:
    def __init__(self, a):
        self.a = a
        self.p = dict(PROFILES[a.profile])
        if a.minutes:
            self.p["minutes"] = a.minutes
        if a.counters:
            self.p["counters"] = a.counters
        self.duration = self.p["minutes"] * 60.0
        self.kiosk = os.path.abspath(a.kiosk)
        self.assets = os.path.abspath(a.assets)
        self.root = tempfile.mkdtemp(prefix="csc-lan-chaos-")
        self.cluster = Cluster(self.root)
        date = datetime.date.fromisoformat(a.date) if a.date else datetime.datetime.now(TZ).date()
        self.clock = SimClock(date, self.p["start"], self.p["speed"])
        self.config_text = site_config(self.assets, max(5, self.p["counters"]))
        self.stop_load = threading.Event()
        self.issues = []        # dicts: device, rc, wall, t, sim, ticket json or error
        self.counter_ops = []   # dicts: device, counter, verb, rc, json/error
        self.statuses = []      # dicts: device, t, online, hash, rc
        self.faults = []        # dicts: name, start, end, heal, details
        self.rss = collections.defaultdict(list)  # name → [(t, kB)]
        self.crashes = []       # (t, device, command, rc, stderr tail)
        self.rlock = threading.Lock()
        self.threads = []
        self.devices = []
        self.sem = threading.Semaphore(a.max_procs)
        self.broken = {}        # device → why its commands fail (left out of later heal polls)

    # -- devices and load ---------------------------------------------------------------
    def make_devices(self):
        p = self.p
        idx = 1
        self.kiosks, self.counter_devs, self.displays = [], [], []
        for k in range(p["kiosks"]):
            # every kiosk goes through a proxy so that any of them can be cut off
            d = Device(self, "kiosk-%d" % (k + 1), idx, "kiosk", proxied=True)
            self.kiosks.append(d)
            idx += 1
        for c in range(p["counter_devices"]):
            self.counter_devs.append(Device(self, "counter-%d" % (c + 1), idx, "counter", proxied=False))
            idx += 1
        for s in range(p["displays"]):
            self.displays.append(Device(self, "display-%d" % (s + 1), idx, "display", proxied=False))
            idx += 1
        self.devices = self.kiosks + self.counter_devs + self.displays
        if idx > 9:
            raise SystemExit("at most 8 devices (device_index 1..9, 9 is the observer)")
        # counters spread over the counter devices
        self.counter_map = collections.defaultdict(list)
        for n in range(1, p["counters"] + 1):
            self.counter_map[self.counter_devs[(n - 1) % len(self.counter_devs)].name].append(n)

    def record_crash(self, dev, cmd, rc, err, started=None):
        """A command killed by a signal, timed out or hung; the time is when it started."""
        if (isinstance(rc, int) and rc < 0) or isinstance(rc, str):
            with self.rlock:
                self.crashes.append((now() if started is None else started, dev.name, cmd, rc, (err or "")[-300:].strip()))

    def issue_loop(self, dev, seed):
        rnd = random.Random(seed)
        sectors = [("anagrafe", "certificati"), ("anagrafe", "carta-identita"), ("stato-civile", "nascita"),
                   ("protocollo", ""), ("polifunzionale", "urp")]
        while not self.stop_load.is_set():
            sec, svc = rnd.choice(sectors)
            args = ["issue", "--sector", sec, "--json", "--no-print"] + (["--service", svc] if svc else [])
            sim = self.clock.csc_now(dev.skew_days)
            rc, out, err, wall, t = dev.run(args)
            rec = dict(device=dev.name, rc=rc, wall=wall, t=t, sim=sim, sector=sec, skew=dev.skew_days)
            if rc == 0:
                try:
                    rec["ticket"] = json.loads(out.strip().splitlines()[-1])
                except Exception:
                    rec["bad_output"] = out[-200:]
            else:
                rec["error"] = (err or "").strip()[-300:]
                # a crash AFTER the ticket was printed still printed a number
                for line in (out or "").splitlines():
                    if line.startswith("{"):
                        try:
                            rec["ticket"] = json.loads(line)
                        except Exception:
                            pass
            self.record_crash(dev, "issue", rc, err, t)
            with self.rlock:
                self.issues.append(rec)
            self.stop_load.wait(rnd.uniform(*self.p["issue_pause"]))

    def counter_loop(self, dev, number, seed):
        rnd = random.Random(seed)

        def act(verb):
            with self.sem:
                rc, out, err, wall, t = dev.run(["counter", verb, "--counter", str(number), "--json"])
            rec = dict(device=dev.name, counter=number, verb=verb, rc=rc, wall=wall, t=t)
            if rc == 0:
                try:
                    rec["out"] = json.loads(out.strip().splitlines()[-1])
                except Exception:
                    rec["bad_output"] = out[-200:]
            else:
                rec["error"] = (err or "").strip()[-200:]
            self.record_crash(dev, "counter " + verb, rc, err, t)
            with self.rlock:
                self.counter_ops.append(rec)
            return rec

        self.stop_load.wait(rnd.uniform(0, 3))
        act("open")
        while not self.stop_load.is_set():
            r = act("call")
            if r["rc"] != 0:
                self.stop_load.wait(rnd.uniform(*self.p["counter_pause"]))
                # a counter that is stuck with a ticket (its call was lost, say) finishes it
                if "still has" in r.get("error", ""):
                    act("start")
                    act("finish")
                continue
            self.stop_load.wait(rnd.uniform(0.5, 2.0))
            act("start")
            self.stop_load.wait(rnd.uniform(*self.p["counter_pause"]))
            act("finish")

    def status_loop(self, dev):
        while not self.stop_load.is_set():
            with self.sem:
                rec = self.status(dev)
            with self.rlock:
                self.statuses.append(rec)
            self.stop_load.wait(self.p["status_pause"])

    def status(self, dev, timeout=60):
        rc, out, err, wall, t = dev.run(["status", "--json"], timeout=timeout)
        rec = dict(device=dev.name, t=t, wall=wall, rc=rc, online=None, hash=None)
        if rc != 0:
            rec["error"] = (err or "").strip()[-200:]
        self.record_crash(dev, "status", rc, err, t)
        for line in (out or "").splitlines():
            if line.startswith("{"):
                try:
                    j = json.loads(line)
                    rec.update(online=j.get("online"), hash=j.get("state_hash"), sectors=j.get("sectors"))
                except Exception:
                    pass
        return rec

    def rss_loop(self):
        while not self.stop_load.is_set():
            t = now()
            for d in self.devices:
                dm = d.daemon
                if dm and dm.poll() is None:
                    kb = rss_of(dm.pid)
                    if kb:
                        self.rss[d.name + " sync"].append((t, kb))
            for name, kb in self.cluster.rss_kb().items():
                if kb:
                    self.rss[name].append((t, kb))
            self.stop_load.wait(5.0)

    def daemon_watch(self):
        """A sync daemon that died by itself is recorded and started again."""
        while not self.stop_load.is_set():
            for d in self.devices:
                dm = d.daemon
                if dm and dm.poll() is not None:
                    with self.rlock:
                        self.crashes.append((now(), d.name, "sync daemon died", dm.returncode,
                                             tail(os.path.join(d.dir, "sync-daemon.log"))))
                    d.daemon_exits.append((now(), dm.returncode, "died"))
                    d.daemon = None
                    d.start_daemon()
            self.stop_load.wait(1.0)

    def spawn(self, fn, *args):
        t = threading.Thread(target=fn, args=args, daemon=True)
        t.start()
        self.threads.append(t)

    # -- faults ---------------------------------------------------------------------
    def heal_wait(self, devices=None, timeout=120):
        """Seconds until every device's `kiosk status --json` says online in the same round of
        parallel polls (None = never within timeout). self.heal_info also gets `each_online_s`:
        until every device has said online at least once (not necessarily in the same round),
        the rounds polled and the devices offline in the last round."""
        devices = [d for d in (devices or self.devices) if d.name not in self.broken]
        timeout = min(timeout, max(30.0, 0.15 * self.duration))
        t0 = time.monotonic()
        first = {}
        rounds = 0
        offline = []
        self.heal_info = {}
        while time.monotonic() - t0 < timeout:
            results = {}
            ths = [threading.Thread(target=lambda d=d: results.__setitem__(d.name, self.status(d, timeout=30)))
                   for d in devices]
            for th in ths:
                th.start()
            for th in ths:
                th.join()
            rounds += 1
            with self.rlock:
                self.statuses.extend(dict(r, poll="heal") for r in results.values())
            for n, r in results.items():
                if r["online"] and n not in first:
                    first[n] = time.monotonic() - t0
            offline = sorted(n for n, r in results.items() if not r["online"])
            if len(first) == len(devices) and "each_online_s" not in self.heal_info:
                self.heal_info["each_online_s"] = max(first.values())
            if not offline:
                self.heal_info.update(rounds=rounds)
                return time.monotonic() - t0
            time.sleep(0.3)
        for n in offline:
            if results[n]["rc"] not in (0, "timeout") and results[n]["online"] is None:
                self.broken[n] = short(results[n].get("error"), 80)  # the command itself fails
        self.heal_info.update(rounds=rounds, offline_in_last_round={
            n: (short(results[n].get("error"), 80) or "offline") for n in offline})
        return None

    def leader(self):
        for _ in range(30):
            l = self.cluster.stream_leader(self.a.stream)
            if l is not None:
                return l
            time.sleep(0.2)
        return 0

    def fault(self, name, fn):
        log("FAULT %s ..." % name)
        start = now()
        rec = dict(name=name, start=start, sim=self.clock.at().strftime("%H:%M"))
        try:
            rec.update(fn() or {})
        except Exception as ex:  # the harness goes on; the fault is reported as failed
            rec["error"] = repr(ex)
        rec["end"] = now()
        log("FAULT %s done: %s" % (name, {k: v for k, v in rec.items() if k not in ("start", "end")}))
        self.faults.append(rec)

    def f_leader_kill(self, down_s):
        l = self.leader()
        self.cluster.kill(l)
        time.sleep(down_s)
        heal_down = self.heal_wait(timeout=60)  # while the node is down the other two serve
        info_down = self.heal_info
        self.cluster.start(l)
        t_up = self.cluster.wait_healthy(min(60, max(20, 0.1 * self.duration)))  # None: its replica is not current
        heal = self.heal_wait()
        return dict(node="n%d (stream leader)" % l, all_online_while_down_s=heal_down,
                    while_down=info_down, node_ready_s=t_up, heal_s=heal, heal=self.heal_info)

    def f_sigstop(self, down_s):
        l = self.leader()
        self.cluster.sigstop(l)
        time.sleep(down_s)
        self.cluster.sigcont(l)
        heal = self.heal_wait()
        return dict(node="n%d (stream leader)" % l, stopped_s=down_s, heal_s=heal, heal=self.heal_info)

    def f_partition(self, dev, down_s):
        dev.cut()
        time.sleep(down_s)
        dev.heal()
        heal = self.heal_wait()
        return dict(device=dev.name, cut_s=down_s, heal_s=heal, heal=self.heal_info)

    def f_cluster_restart(self):
        self.cluster.kill_all()  # a power cut of the servers (kill -9)
        time.sleep(2)
        t = time.monotonic()
        self.cluster.start_all()
        ready = self.cluster.wait_healthy(120)
        heal = self.heal_wait(timeout=180)
        return dict(kill="-9 all three nodes", healthz_all_s=ready,
                    restart_to_all_online_s=(time.monotonic() - t) if heal is not None else None, heal=self.heal_info)

    def f_daemons_restart(self):
        rcs = {}
        for d in self.devices:
            rcs[d.name] = d.stop_daemon(signal.SIGKILL)
        for d in self.devices:
            d.start_daemon()
        heal = self.heal_wait()
        return dict(kill="-9 every device's kiosk sync", heal_s=heal, heal=self.heal_info)

    def f_clock_ahead(self, dev, window_s):
        dev.skew_days = 1
        dev.stop_daemon()
        dev.start_daemon()  # the whole device runs a day ahead
        time.sleep(window_s)
        dev.skew_days = 0
        dev.stop_daemon()
        dev.start_daemon()
        heal = self.heal_wait()
        return dict(device=dev.name, ahead="+1 day", window_s=window_s, heal_s=heal, heal=self.heal_info)

    def schedule(self):
        D = self.duration
        if self.a.profile == "chaos":
            k2 = self.kiosks[-1]
            return [
                (0.12, "leader kill -9 + restart", lambda: self.f_leader_kill(min(15, D * 0.04))),
                (0.30, "SIGSTOP leader node", lambda: self.f_sigstop(min(12, D * 0.04))),
                (0.45, "partition " + k2.name, lambda: self.f_partition(k2, min(25, D * 0.08))),
                (0.62, "kill -9 all sync daemons", self.f_daemons_restart),
                (0.75, "full cluster restart", self.f_cluster_restart),
            ]
        k2, k3 = self.kiosks[1], self.kiosks[-1]
        plan = [
            (0.15, "node kill -9 + restart", lambda: self.f_leader_kill(min(30, D * 0.05))),
            (0.35, "kiosk cut off + back " + k2.name, lambda: self.f_partition(k2, min(60, D * 0.10))),
            (0.55, "clock a day ahead " + k3.name, lambda: self.f_clock_ahead(k3, min(45, D * 0.08))),
            (0.75, "full cluster restart", self.f_cluster_restart),
        ]
        return [f for f in plan if not (self.a.no_clock_jump and f[1].startswith("clock"))]

    # -- run ----------------------------------------------------------------------------
    def run(self):
        log("root %s, profile %s, %.1f min, simulated %s at %gx" % (
            self.root, self.a.profile, self.p["minutes"], self.clock.start, self.p["speed"]))
        self.cluster.start_all()
        t_ready = self.cluster.wait_healthy(120)
        log("cluster healthy in %.1fs (ports %d..)" % (t_ready or -1, self.cluster.base))
        self.cold_start_s = t_ready
        self.make_devices()
        # the first device makes the stream; then every daemon
        for d in self.devices:
            d.start_daemon()
        t_on = self.heal_wait(timeout=120)
        log("all %d devices online in %s s" % (len(self.devices), t_on))
        self.first_online_s = t_on
        self.load_start = now()
        self.clock = SimClock(self.clock.start.date(), self.p["start"], self.p["speed"])
        for i, d in enumerate(self.kiosks):
            for k in range(self.p["issue_loops"]):
                self.spawn(self.issue_loop, d, 1000 * i + k)
        for d in self.counter_devs:
            for n in self.counter_map[d.name]:
                self.spawn(self.counter_loop, d, n, 5000 + n)
        for d in self.devices:
            self.spawn(self.status_loop, d)
        self.spawn(self.rss_loop)
        self.spawn(self.daemon_watch)
        for frac, name, fn in self.schedule():
            wait = self.load_start + frac * self.duration - now()
            if wait > 0:
                time.sleep(wait)
            self.fault(name, fn)
        wait = self.load_start + self.duration - now()
        if wait > 0:
            time.sleep(wait)
        self.load_end = now()
        self.sim_end = self.clock.at().strftime("%H:%M")
        log("load stops (simulated %s); waiting for the running processes" % self.sim_end)
        self.stop_load.set()
        for t in self.threads:
            t.join(120)
        self.finish()

    def finish(self):
        # every node up, every proxy open, then each device catches up with its daemon stopped
        for i in range(3):
            if not self.cluster.running(i):
                self.cluster.start(i)
            elif self.cluster.stopped[i]:
                self.cluster.sigcont(i)
        for d in self.devices:
            if d.proxies:
                d.heal()
        self.final_healthy_s = self.cluster.wait_healthy(min(120, max(30, 0.1 * self.duration)))
        self.final_healthz = {"n%d" % i: self.cluster.healthz_text(i) for i in range(3)}
        self.stalled_catchups = {}
        for i in range(3):
            try:
                self.stalled_catchups["n%d" % i] = open(os.path.join(self.root, "n%d.log" % i)).read().count("stalled")
            except OSError:
                pass
        self.final_daemon_rc = {d.name: d.stop_daemon(signal.SIGTERM) for d in self.devices}
        for d in self.devices:
            self.record_crash(d, "sync daemon on SIGTERM", self.final_daemon_rc[d.name],
                              tail(os.path.join(d.dir, "sync-daemon.log")))
        log("daemons stopped (SIGTERM): %s" % self.final_daemon_rc)
        self.catchup = {}
        for rnd in (1, 2):
            for d in self.devices:
                rc, out, err, wall, _ = d.run(["sync", "--until-caught-up", "--for-ms", "60000", "--json"], timeout=90)
                self.record_crash(d, "sync --until-caught-up", rc, err)
                j = {}
                for line in out.splitlines():
                    if line.startswith("{"):
                        try:
                            j = json.loads(line)
                        except Exception:
                            pass
                self.catchup[(rnd, d.name)] = dict(rc=rc, wall=wall, unconfirmed=j.get("unconfirmed"),
                                                   applied=j.get("applied_seq"), last=j.get("stream_last_seq"),
                                                   online=j.get("online"), hash=j.get("state_hash"))
        self.final_status = {d.name: self.status(d) for d in self.devices}
        # a fresh observer device syncs the whole stream from scratch
        self.observer = Device(self, "observer", 9, "observer", proxied=False)
        rc, out, err, wall, _ = self.observer.run(["sync", "--until-caught-up", "--for-ms", "90000", "--json"], timeout=120)
        self.observer_sync = dict(rc=rc, wall=wall, out=out.strip()[-400:], err=err.strip()[-300:])
        self.final_status["observer"] = self.status(self.observer)
        log("observer caught up in %.1fs rc=%s" % (wall, rc))

    # -- verification -----------------------------------------------------------------------
    def read_store(self, dev):
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(dev.data, find_db(dev.data)), uri=True)
        rows = db.execute("SELECT id, device, device_seq, time, type, encoded, stream_seq FROM events").fetchall()
        db.close()
        return rows

    def read_quarantine(self, dev):
        """Ids the office set aside (stamped on a later day than the servers' time; docs/SYNC.md)."""
        db = sqlite3.connect("file:%s?mode=ro" % os.path.join(dev.data, find_db(dev.data)), uri=True)
        try:
            return {r[0] for r in db.execute("SELECT id FROM quarantine")}
        except sqlite3.OperationalError:  # a store older than the quarantine table
            return set()
        finally:
            db.close()

    def derive(self, rows, set_aside=frozenset()):
        """Labels in stream order, as the state machine numbers them (office_state.cpp), without
        the events the office set aside (`set_aside`: a clock a day ahead must not move the
        office into tomorrow, so such events are never applied)."""
        letters = {}
        for m in re.finditer(r'(?ms)^\[\[sector\]\]\s*\nid = "([^"]+)"\s*\nletter = "([^"]+)"', self.config_text):
            letters[m.group(1)] = m.group(2)
        stream = sorted((r for r in rows if r[6] is not None), key=lambda r: r[6])
        seen, copies = set(), 0
        day, last = None, {}
        labels = {}   # id → (day, label, offline)
        per_type = collections.Counter()
        refused_earlier_day = collections.Counter()
        quarantined = collections.Counter()
        days = collections.Counter()
        for (eid, dev, seq, t, typ, enc, sseq) in stream:
            if eid in seen:
                copies += 1
                continue
            seen.add(eid)
            per_type[typ] += 1
            if eid in set_aside:
                quarantined[typ] += 1
                continue
            e = json.loads(enc)
            eday = datetime.datetime.fromtimestamp(t / 1000, TZ).date()
            if typ == "device.hello":
                continue
            if day is not None and eday < day:
                refused_earlier_day[typ] += 1
                continue
            if day is None or eday > day:
                day, last = eday, {}
            if typ == "ticket.issued":
                b = e["body"]
                if "offline_number" in b:
                    n, off = b["offline_number"], True
                else:
                    l = last.get(b["sector"], 0)
                    n = FIRST_HIGH_ONLINE if l == LAST_PLAIN_ONLINE else l + 1
                    last[b["sector"]] = n
                    off = False
                labels[eid] = (str(eday), "%s%03d" % (letters.get(b["sector"], "?"), n), off)
                days[str(eday)] += 1
        return dict(labels=labels, copies=copies, per_type=per_type, refused_earlier_day=refused_earlier_day,
                    quarantined=quarantined,
                    last=last, day=day, stream_events=len(stream), days=days)

    def verify(self):
        obs_rows = self.read_store(self.observer)
        st = self.derive(obs_rows, self.read_quarantine(self.observer))
        self.st = st
        printed = [r for r in self.issues if "ticket" in r]
        by_id = {}
        dup_print_id = 0
        for r in printed:
            tid = r["ticket"]["id"]
            if tid in by_id:
                dup_print_id += 1
            by_id[tid] = r
        lost = [r for r in printed if r["ticket"]["id"] not in st["labels"]]
        # doubled: the same label printed for two different tickets on the same office day
        groups = collections.defaultdict(list)
        for r in printed:
            day = datetime.datetime.fromtimestamp(r["ticket"]["issued_at"] / 1000, TZ).date()
            groups[(str(day), r["ticket"]["number"])].append(r)
        doubled = {k: v for k, v in groups.items() if len(v) > 1}
        # a printed number different from the stream's
        differ = []
        for r in printed:
            d = st["labels"].get(r["ticket"]["id"])
            if d and d[1] != r["ticket"]["number"]:
                differ.append((r, d))
        # unprinted stream tickets (withdrawn online attempts etc.)
        stream_not_printed = [i for i in st["labels"] if i not in by_id]
        # every device's own events that never reached the stream
        unpublished = {}
        for d in self.devices:
            rows = self.read_store(d)
            c = collections.Counter(r[4] for r in rows if r[1] == d.name and r[6] is None)
            unpublished[d.name] = dict(c)
        # stream events by device and type
        by_dev = collections.defaultdict(collections.Counter)
        for r in obs_rows:
            if r[6] is not None:
                by_dev[r[1]][r[4]] += 1
        # counter calls: the same ticket called by two counters
        calls = collections.defaultdict(set)
        for c in self.counter_ops:
            if c["verb"] == "call" and c["rc"] == 0 and "out" in c and "ticket" in c["out"]:
                calls[c["out"]["ticket"]["id"]].add(c["counter"])
        double_calls = {k: sorted(v) for k, v in calls.items() if len(v) > 1}
        hashes = {n: s["hash"] for n, s in self.final_status.items()}
        online = {n: s["online"] for n, s in self.final_status.items()}
        self.result = dict(printed=len(printed), printed_ids=len(by_id), dup_print_id=dup_print_id,
                           stream_tickets=len(st["labels"]), lost=lost, doubled=doubled, differ=differ,
                           stream_not_printed=len(stream_not_printed), unpublished=unpublished,
                           by_dev={k: dict(v) for k, v in by_dev.items()}, double_calls=double_calls,
                           hashes=hashes, online=online)
        return self.result

    # -- report -----------------------------------------------------------------------------
    def report(self):
        r = self.result
        a = self.a
        P = print
        P("\n" + "=" * 100)
        P("lan_chaos --profile %s: %.1f min of load (simulated %s -> %s at %gx), %d devices + observer, %d counters" % (
            a.profile, (self.load_end - self.load_start) / 60, self.p["start"], self.sim_end, self.p["speed"],
            len(self.devices), self.p["counters"]))
        P("devices: " + ", ".join("%s(idx %d%s)" % (d.name, d.index, ", via proxy" if d.proxies else "") for d in self.devices))
        P("cluster cold start to healthz: %.1fs; all devices online after start: %s s" % (
            self.cold_start_s or -1, fmt(self.first_online_s)))
        P("\n-- faults (heal = until every device's `kiosk status --json` says online, from the fault's end)")
        for f in self.faults:
            P("  %-40s at %6.1fs (sim %s): %s" % (f["name"], f["start"] - self.load_start, f["sim"],
              ", ".join("%s=%s" % (k, fmt(v)) for k, v in f.items() if k not in ("name", "start", "end", "sim"))))
        issues = self.issues
        ok = [x for x in issues if x["rc"] == 0]
        off = [x for x in ok if "ticket" in x and self.st["labels"].get(x["ticket"]["id"], (0, 0, False))[2]]
        errs = collections.Counter()
        for x in issues:
            if x["rc"] != 0:
                errs["rc=%s: %s" % (x["rc"], short(x.get("error", "")))] += 1
        P("\n-- tickets")
        P("  issue processes: %d, exit 0: %d (offline-numbered: %d), failed: %d" % (len(issues), len(ok), len(off), len(issues) - len(ok)))
        for k, v in errs.most_common(8):
            P("     %4d x %s" % (v, k))
        P("  printed tickets (JSON with a number): %d (distinct ids %d)" % (r["printed"], r["printed_ids"]))
        P("  tickets in the stream (observer, first occurrence per id): %d; stream copies skipped by id: %d" % (
            r["stream_tickets"], self.st["copies"]))
        P("  stream tickets never printed (withdrawn attempts, crashed issuers): %d" % r["stream_not_printed"])
        P("  stream events by type: %s" % dict(self.st["per_type"]))
        if self.st["refused_earlier_day"]:
            P("  stream events refused as 'earlier day' by the state machine: %s" % dict(self.st["refused_earlier_day"]))
        if self.st.get("quarantined"):
            P("  stream events the office set aside (stamped on a later day than the servers' time): %s"
              % dict(self.st["quarantined"]))
        P("  tickets per office day in the stream: %s" % dict(self.st["days"]))
        P("  LOST (printed, not in the stream): %d" % len(r["lost"]))
        for x in r["lost"][:10]:
            P("     %s %s on %s at %.1fs (rc %s)" % (x["ticket"]["number"], x["ticket"]["id"], x["device"], x["t"], x["rc"]))
        nd = sum(len(v) for v in r["doubled"].values())
        P("  DOUBLED (same label printed for different tickets, same day): %d labels, %d tickets" % (len(r["doubled"]), nd))
        for k, v in list(r["doubled"].items())[:10]:
            P("     %s %s: %s" % (k[0], k[1], ", ".join("%s@%s%s" % (x["ticket"]["id"], x["device"], "(+1d)" if x["skew"] else "") for x in v)))
        P("  PRINTED != STREAM (printed label differs from the label the stream order gives): %d" % len(r["differ"]))
        for x, d in r["differ"][:10]:
            P("     %s printed %s, stream %s (%s, t=%.1fs)" % (x["ticket"]["id"], x["ticket"]["number"], d[1], x["device"], x["t"]))
        P("  offline-numbered tickets per device, in issue order (docs/SYNC.md: a range per device, numbered per sector):")
        per_dev = collections.defaultdict(list)
        for x in sorted(printed_ok(self.issues), key=lambda x: x["t"]):
            d = self.st["labels"].get(x["ticket"]["id"])
            if d and d[2]:
                per_dev[x["device"]].append(x["ticket"]["number"])
        for dev, labels in sorted(per_dev.items()):
            P("     %s: %s" % (dev, " ".join(labels[:40]) + (" ..." if len(labels) > 40 else "")))
        P("\n-- one-shot `kiosk status --json` polls (the status loops) that said online, per window")
        loops = [x for x in self.statuses if x.get("poll") != "heal" and x["t"] >= self.load_start]
        wins = [(f["name"], f["start"], f["end"]) for f in self.faults]
        def in_fault(t):
            return any(a <= t <= b for _, a, b in wins)
        normal = [x for x in loops if not in_fault(x["t"])]
        P("  %-40s %4d of %4d online" % ("outside the fault windows", sum(1 for x in normal if x["online"]), len(normal)))
        for name, a0, b0 in wins:
            w = [x for x in loops if a0 <= x["t"] <= b0]
            P("  %-40s %4d of %4d online (%.0f s window)" % (name, sum(1 for x in w if x["online"]), len(w), b0 - a0))
        P("\n-- counters (kiosk counter processes)")
        cops = collections.Counter((c["verb"], "ok" if c["rc"] == 0 else "fail") for c in self.counter_ops)
        P("  %s" % ", ".join("%s %s: %d" % (v, s, n) for (v, s), n in sorted(cops.items())))
        cerr = collections.Counter(short(c.get("error", "")) for c in self.counter_ops if c["rc"] != 0)
        for k, v in cerr.most_common(5):
            P("     %4d x %s" % (v, k))
        P("  DOUBLED CALLS (the same ticket printed as called at two or more counters): %d" % len(r["double_calls"]))
        for tid, cs in list(r["double_calls"].items())[:5]:
            P("     %s called at counters %s" % (tid, cs))
        P("  devices whose commands failed during a heal poll (left out of later heals): %s" % (self.broken or "none"))
        P("  stream events per device: %s" % {k: dict(v) for k, v in r["by_dev"].items()})
        P("  own events never published (in the device's store, no stream position after catch-up): %s" % (
            {k: v for k, v in r["unpublished"].items() if v} or "none"))
        P("\n-- final state (daemons stopped by SIGTERM, then `kiosk sync --until-caught-up` twice per device)")
        P("  servers at the end: all healthy after %s s; /healthz: %s" % (fmt(self.final_healthy_s), self.final_healthz))
        P("  'Catchup for stream ... stalled' warnings in the server logs: %s" % self.stalled_catchups)
        P("  daemon exit codes on SIGTERM: %s" % self.final_daemon_rc)
        for (rnd, name), c in sorted(self.catchup.items()):
            if rnd == 2:
                P("  %-12s catch-up rc=%s in %.1fs applied %s of %s, unconfirmed %s" % (
                    name, c["rc"], c["wall"], c["applied"], c["last"], c["unconfirmed"]))
        hs = set(r["hashes"].values())
        P("  state_hash per device: %s" % r["hashes"])
        P("  online per device: %s" % r["online"])
        P("  observer sync: rc=%s in %.1fs" % (self.observer_sync["rc"], self.observer_sync["wall"]))
        P("\n-- tap latency (wall time of each `kiosk issue` process, exit 0) per %s" % (
            "simulated hour" if self.p["speed"] >= 59 else "minute of load"))
        buckets = collections.defaultdict(list)
        for x in ok:
            b = int((x["t"] - self.load_start) // self.p["bucket"])
            buckets[b].append(x["wall"])
        def rss_mean(b, daemons):
            v = [kb for name, smp in self.rss.items() if name.endswith(" sync") == daemons
                 for t, kb in smp if int((t - self.load_start) // self.p["bucket"]) == b]
            return statistics.mean(v) / 1024 if v else float("nan")
        for b in sorted(buckets):
            label = (self.clock.start + datetime.timedelta(hours=b)).strftime("%H:00") if self.p["speed"] >= 59 else "min %d" % b
            v = buckets[b]
            P("  %-8s n=%4d  p50 %6.0f ms  p99 %6.0f ms  max %6.0f ms   RSS mean: kiosk sync %5.1f MB, nats-server %5.1f MB" % (
                label, len(v), 1000 * pct(v, .5), 1000 * pct(v, .99), 1000 * max(v), rss_mean(b, True), rss_mean(b, False)))
        onl = [x["wall"] for x in ok if "ticket" in x and not self.st["labels"].get(x["ticket"]["id"], (0, 0, False))[2]]
        offl = [x["wall"] for x in ok if "ticket" in x and self.st["labels"].get(x["ticket"]["id"], (0, 0, False))[2]]
        for what, v in (("all, online-numbered", onl), ("all, offline-numbered", offl)):
            if v:
                P("  %-22s n=%4d  p50 %6.0f ms  p99 %6.0f ms  max %6.0f ms" % (what, len(v), 1000 * pct(v, .5), 1000 * pct(v, .99), 1000 * max(v)))
        P("\n-- RSS (kB) of the long-running processes: mean in the first and the last period, max")
        for name in sorted(self.rss):
            s = self.rss[name]
            first = [kb for t, kb in s if t - self.load_start < self.p["bucket"]]
            last = [kb for t, kb in s if self.load_end - t < self.p["bucket"]]
            P("  %-22s first %7s  last %7s  max %7d  samples %d" % (
                name, fmt(statistics.mean(first)) if first else "-", fmt(statistics.mean(last)) if last else "-",
                max(kb for _, kb in s), len(s)))
        P("\n-- crashes / hangs (killed by a signal, or timed out; s = when the process started, into the load)")
        kinds = collections.Counter((c[2], c[3]) for c in self.crashes)
        if not kinds:
            P("  none")
        for (cmd, rc), n in kinds.most_common():
            P("  %4d x %-28s rc=%s  at %s  e.g. %s" % (
                n, cmd, rc, " ".join(["%.0fs(%s)" % (c[0] - self.load_start, c[1]) for c in self.crashes if c[2] == cmd and c[3] == rc][:8]),
                short(next(c[4] for c in self.crashes if c[2] == cmd and c[3] == rc), 100)))
        verdict = []
        if r["lost"]:
            verdict.append("%d lost" % len(r["lost"]))
        if r["doubled"]:
            verdict.append("%d doubled labels" % len(r["doubled"]))
        if r["differ"]:
            verdict.append("%d printed != stream" % len(r["differ"]))
        if r["double_calls"]:
            verdict.append("%d tickets called at two or more counters" % len(r["double_calls"]))
        if len(hs) != 1 or None in hs:
            verdict.append("state hashes differ (%d distinct)" % len(hs))
        P("\nVERDICT: " + ("OK: zero lost, zero doubled, every printed number equal to the stream's, equal state hashes"
                           if not verdict else "FAIL: " + "; ".join(verdict)))
        P("work dir: %s%s" % (self.root, " (kept)" if self.a.keep else " (removed)"))
        return 1 if verdict else 0

    def dump(self, path):
        out = dict(profile=self.a.profile, params=self.p, faults=self.faults,
                   issues=self.issues, counter_ops=self.counter_ops, statuses=self.statuses,
                   crashes=self.crashes, rss={k: v for k, v in self.rss.items()},
                   catchup={"%d:%s" % k: v for k, v in self.catchup.items()},
                   final_status=self.final_status,
                   result={k: (v if k not in ("lost", "doubled", "differ") else len(v)) for k, v in self.result.items()})
        with open(path, "w") as f:
            json.dump(out, f, default=str, indent=1)

    def cleanup(self):
        self.stop_load.set()
        for d in self.devices + ([self.observer] if hasattr(self, "observer") else []):
            try:
                d.stop_daemon(signal.SIGKILL, wait=5)
            except Exception:
                pass
            for p in d.proxies or []:
                p.close()
        self.cluster.kill_all()
        if not self.a.keep:
            shutil.rmtree(self.root, ignore_errors=True)


def printed_ok(issues):
    return [x for x in issues if "ticket" in x]


def find_db(data):
    for n in os.listdir(data):
        if n.endswith(".db") or n.endswith(".sqlite") or n.endswith(".sqlite3"):
            return n
    raise RuntimeError("no store in %s: %s" % (data, os.listdir(data)))


def tail(path, n=300):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-n:]
    except OSError:
        return ""


def short(s, n=90):
    s = (s or "").strip().splitlines()[-1] if (s or "").strip() else ""
    s = re.sub(r"\b\d+(\.\d+)?\b", "N", s)
    return s[:n]


def fmt(v):
    if v is None:
        return "NEVER"
    if isinstance(v, float):
        return "%.1f" % v
    if isinstance(v, dict):
        return "{" + ", ".join("%s: %s" % (k, fmt(x)) for k, x in v.items()) + "}"
    return str(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kiosk", default=os.path.join(SOURCE, "build", "kiosk", "kiosk"), help="the kiosk binary")
    ap.add_argument("--assets", default=os.path.join(SOURCE, "assets"), help="source assets dir (CSC_ASSETS)")
    ap.add_argument("--profile", choices=sorted(PROFILES), default="chaos")
    ap.add_argument("--minutes", type=float, help="length of the load phase (chaos 5, soak 10 = a simulated day)")
    ap.add_argument("--counters", type=int, help="counters (soak 20, chaos 5)")
    ap.add_argument("--date", help="office date YYYY-MM-DD (default: today in Europe/Rome)")
    ap.add_argument("--stream", default="CSC_EVENTS", help="stream name (the [sync] default)")
    ap.add_argument("--max-procs", type=int, default=6, help="concurrent counter/status processes at most (issues are not limited)")
    ap.add_argument("--json-out", help="write every observation as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (stores, server logs)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-clock-jump", action="store_true",
                    help="soak without the device whose clock runs a day ahead (its tickets roll every device over to tomorrow)")
    a = ap.parse_args()
    random.seed(a.seed)
    if not os.access(a.kiosk, os.X_OK):
        raise SystemExit("no kiosk binary at %s (cmake --build build --target kiosk)" % a.kiosk)
    h = Harness(a)
    rc = 2
    try:
        h.run()
        h.verify()
        rc = h.report()
        if a.json_out:
            h.dump(a.json_out)
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        h.cleanup()
    sys.exit(rc)


if __name__ == "__main__":
    main()
