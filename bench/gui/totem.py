#!/usr/bin/env python3
"""The information totem's figures (docs/PERFORMANCE.md, "Totem"): time to first frame, the work of
one page turn (frames drawn, their UI and render time, CPU per turn) and CPU at rest between
turns, and memory with the sample office's eight languages and its content folder. Run under
an X display:

    xvfb-run -a -s "-screen 0 1080x1920x24" python3 bench/gui/totem.py \
        --kiosk build/kiosk/kiosk --assets assets --runs 3

Each run: `kiosk run --role totem` on a fresh store, pages of 4 s for 21 s (5 turns, nothing else
happening), `--stats-file` for the frames; CPU (utime+stime from /proc) sampled at 1.5 s (after the
first frame) and at 20.5 s, RssAnon at 20.5 s.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time

PAGE_SECONDS = 4
RUN_SECONDS = 21


def proc_cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000.0 / os.sysconf("SC_CLK_TCK")


def rss_anon_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])
    return 0


def run_once(kiosk, assets, tmp, i):
    with open(os.path.join(assets, "site", "office.toml")) as f:
        config = f.read().replace("page_seconds = 12", f"page_seconds = {PAGE_SECONDS}")
    shutil.copytree(os.path.join(assets, "site", "content"), os.path.join(tmp, f"content-{i}"))
    config = config.replace('content = "content"', f'content = "content-{i}"')
    cfg = os.path.join(tmp, f"office-{i}.toml")
    with open(cfg, "w") as f:
        f.write(config)
    stats = os.path.join(tmp, f"stats-{i}.json")
    p = subprocess.Popen([kiosk, "--assets", assets, "--config", cfg, "--data", os.path.join(tmp, f"data-{i}"), "run",
                          "--role", "totem", "--fullscreen", "--exit-after-ms", str(RUN_SECONDS * 1000),
                          "--stats-file", stats],
                         env=dict(os.environ, CSC_NOW="2026-11-26T10:00"), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    start = time.monotonic()
    time.sleep(1.5)
    cpu_start = proc_cpu_ms(p.pid)
    time.sleep(20.5 - (time.monotonic() - start))
    cpu_end = proc_cpu_ms(p.pid)
    rss = rss_anon_kb(p.pid)
    p.wait(timeout=60)
    with open(stats) as f:
        s = json.load(f)
    turns = (20.5 - 1.5) / PAGE_SECONDS
    return {"first_frame_ms": s["first_frame_ms"], "frames": s["frames"], "ui_ms_p50": s["ui_ms_p50"],
            "ui_ms_p99": s["ui_ms_p99"], "render_ms_p50": s["render_ms_p50"], "render_ms_p99": s["render_ms_p99"],
            "cpu_ms_per_turn": (cpu_end - cpu_start) / turns, "rss_anon_mb": rss / 1024.0}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="csc-totem-bench-")
    try:
        runs = [run_once(os.path.abspath(args.kiosk), os.path.abspath(args.assets), tmp, i) for i in range(args.runs)]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
    out["frames_per_turn"] = round(statistics.median((r["frames"] - 1) / (RUN_SECONDS / PAGE_SECONDS) for r in runs), 1)
    out["runs"] = args.runs
    print(json.dumps(out))
    for r in runs:
        print("  run:", json.dumps({k: round(v, 2) for k, v in r.items()}))


if __name__ == "__main__":
    main()
