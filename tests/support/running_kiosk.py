"""One running `kiosk run` driven like a person would, for the GUI tests under Xvfb.

The program is started with its test hooks: --ready-file (written after the first frame),
--layout-file (JSON of the touch targets and of what the screen shows, rewritten on every
change) and --screenshot-dir (a PNG each time the screen changes). Clicks are real X pointer
events (xdotool) aimed at the centre of a target from the layout dump.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import unittest


class RunningKiosk:
    def __init__(self, name, global_cmd, run_args, env, workdir, shots, ready_timeout=30):
        """Starts `global_cmd + ["run", *run_args]` with the hooks; waits for the first frame."""
        self.name = name
        self.layout = os.path.join(workdir, f"{name}-layout.json")
        self.ready = os.path.join(workdir, f"{name}-ready.json")
        self.shots = shots
        shutil.rmtree(self.shots, ignore_errors=True)
        # A program started again under the same name must not be read from its predecessor's files.
        for stale in (self.layout, self.ready):
            if os.path.exists(stale):
                os.remove(stale)
        cmd = list(global_cmd) + ["run", *run_args, "--ready-file", self.ready, "--layout-file", self.layout,
                                  "--screenshot-dir", self.shots]
        self.stderr_path = os.path.join(workdir, f"{name}-stderr.txt")
        self.stderr = open(self.stderr_path, "w")
        # Transparent huge pages for malloc's large blocks (the font atlas, the frame buffers):
        # a third of a start's CPU went to page faults (docs/PERFORMANCE.md, "Build and CI time").
        env = dict(os.environ if env is None else env)
        env.setdefault("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1")
        self.proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=self.stderr)
        self.state = None
        self.wait_for(lambda: os.path.exists(self.ready), "the first frame", ready_timeout)

    def wait_for(self, predicate, what, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                with open(self.stderr_path) as f:
                    raise AssertionError(f"{self.name} exited ({self.proc.returncode}) while waiting for {what}: "
                                         f"{f.read()}")
            if predicate():
                return
            time.sleep(0.02)
        # What the program said last, for a timeout that is not obvious from its screen.
        try:
            with open(self.stderr_path, errors="replace") as f:
                said = "".join(f.readlines()[-15:])
        except OSError:
            said = "(no log)"
        raise AssertionError(f"{self.name}: timed out waiting for {what}; last state: {self.read_layout()}\n"
                             f"its last log lines:\n{said}")

    def read_layout(self):
        try:
            with open(self.layout) as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def wait_layout(self, predicate, what, timeout=10):
        """Waits until the layout dump satisfies `predicate`; keeps it as self.state."""
        found = {}

        def check():
            s = self.read_layout()
            if s and predicate(s):
                found["s"] = s
                return True
            return False

        self.wait_for(check, what, timeout)
        self.state = found["s"]
        return self.state

    def target(self, target_id):
        for t in self.state["targets"]:
            if t["id"] == target_id:
                return t
        raise AssertionError(f"{self.name}: no target {target_id} on {self.state['key']}: "
                             f"{[t['id'] for t in self.state['targets']]}")

    def click(self, target_id):
        """A real pointer click at the centre of a target of the last layout dump."""
        t = self.target(target_id)
        x, y = int(t["x"] + t["w"] / 2), int(t["y"] + t["h"] / 2)
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], check=True)

    def cpu_ticks(self):
        """utime + stime of the program so far, in clock ticks."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.stderr.close()
        return self.proc.returncode


def gui_test_main(module, orientation=False):
    """The GUI test scripts' main: parses --kiosk, --assets, --artifacts (and --orientation),
    sets the module's ARGS, refuses to run without an X display, runs the module's tests; the exit code."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("--assets", required=True)
    parser.add_argument("--artifacts", required=True)
    if orientation:
        parser.add_argument("--orientation", default="portrait", choices=["portrait", "landscape"])
    args, rest = parser.parse_known_args()
    module.ARGS = args
    os.makedirs(args.artifacts, exist_ok=True)
    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run under xvfb-run", file=sys.stderr)
        return 1
    prog = unittest.main(module=module, argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1
