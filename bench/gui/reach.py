#!/usr/bin/env python3
"""Where the entrance kiosk's controls fall above the floor (EN 301 549 8.3.3.1: forward reach
380–1,220 mm), for a portrait screen mounted as docs/GUI.md ("Reach") documents: the screen's
visible height and the height of its bottom edge above the floor. Each control of the home,
services, language, forms and booking screens is taken from the program's own layout dump
(--layout-file: the touch targets, in pixels) and turned into millimetres. Run under an X display:

    xvfb-run -a -s "-screen 0 1080x1920x24" python3 bench/gui/reach.py \
        --kiosk build/kiosk/kiosk --assets assets [--screen-mm 708.4] [--bottom-mm 500]

708.4 mm is the visible height of a 32" 16:9 panel in portrait. The kiosk is told the mounting
([kiosk] screen_height_mm, screen_bottom_mm: a screen mounted high lays its controls out below the
reach line) unless --default-layout. Prints one line per screen: its lowest and highest control,
and the controls outside 380–1,220 mm (none: "all within reach").
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "support"))
from reach import REACH, heights, mounted  # noqa: E402
from running_kiosk import RunningKiosk  # noqa: E402

OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--screen-mm", type=float, default=708.4)
    ap.add_argument("--bottom-mm", type=float, default=500.0)
    ap.add_argument("--default-layout", action="store_true",
                    help="do not tell the kiosk how it is mounted: the default layout, whatever the mount")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="csc-reach-")
    try:
        cmd = [args.kiosk, "--assets", args.assets, "--data", os.path.join(tmp, "data"), "--printer", "emulated"]
        if not args.default_layout:
            config = os.path.join(tmp, "office.toml")
            with open(os.path.join(args.assets, "site", "office.toml"), encoding="utf-8") as f:
                text = mounted(f.read(), args.screen_mm, args.bottom_mm)
            with open(config, "w", encoding="utf-8") as f:
                f.write(text)
            cmd += ["--config", config]
        k = RunningKiosk("reach", cmd,
                         ["--role", "entrance", "--fullscreen", "--orientation", "portrait", "--exit-after-ms", "120000"],
                         dict(os.environ, CSC_NOW=OPEN), tmp, os.path.join(tmp, "shots"), ready_timeout=30)
        screens = []
        s = k.wait_layout(lambda s: s["screen"] == "home", "home")
        screens.append(("home", s))
        for opener, name in (("sector:anagrafe", "services"), ("home:languages", "languages"), ("home:forms", "forms"),
                             ("home:book", "book_service"), ("home:check_in", "check_in")):
            k.click(opener)
            screens.append((name, k.wait_layout(lambda s, n=name: s["screen"] == n, name)))
            k.click("back")
            k.wait_layout(lambda s: s["screen"] == "home", "home")
        k.stop()
        window_h = screens[0][1]["window"].get("h", 1920)
        print(f"screen {args.screen_mm:.1f} mm tall ({window_h} px), bottom edge at {args.bottom_mm:.0f} mm: "
              f"top at {args.bottom_mm + args.screen_mm:.0f} mm")
        for name, state in screens:
            hs = heights(state, args.screen_mm, args.bottom_mm)
            low = min(v[0] for v in hs.values())
            high = max(v[1] for v in hs.values())
            outside = sorted(i for i, (a, b) in hs.items() if a < REACH[0] or b > REACH[1])
            print(f"{name:13s} controls from {low:6.0f} to {high:6.0f} mm  "
                  + ("all within reach" if not outside else "outside 380-1220 mm: " + ", ".join(outside)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
