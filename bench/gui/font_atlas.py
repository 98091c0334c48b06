#!/usr/bin/env python3
"""Font atlas figures (docs/PERFORMANCE.md, "Font atlas"): texture size, glyphs, build time and
time to first frame of `kiosk run`, for the sample office reduced to Italian and English and for
the sample as shipped (nine languages: it, en, fr, de, es, ro, uk, zh, ar, with their catalogues;
about 480 distinct Han characters, Arabic in its joined presentation forms). Run under an X display:

    xvfb-run -a -s "-screen 0 1080x1920x24" python3 bench/gui/font_atlas.py \
        --kiosk build/kiosk/kiosk --assets assets --runs 7
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile


def only_languages(config, keep):
    """The sample configuration offering only `keep`, the other languages' texts dropped."""
    config = re.sub(r"^languages = \[[^\]]*\]", "languages = [" + ", ".join(f'"{l}"' for l in keep) + "]", config,
                    count=1, flags=re.M)
    other = r"(?!(?:" + "|".join(keep) + r")\b)[a-z]{2}"
    config = re.sub(r", " + other + r' = "(?:[^"\\]|\\.)*"', "", config)
    return re.sub(r"^[ \t]*[A-Za-z_]+\." + other + r" = .*\n", "", config, flags=re.M)


def office(tmp, assets, all_languages):
    sample = os.path.join(assets, "site", "office.toml")
    if all_languages:
        return assets, sample
    cfg = os.path.join(tmp, "office.toml")
    with open(sample, encoding="utf-8") as f:
        text = only_languages(f.read(), ["it", "en"])
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text)
    return assets, cfg


def run_once(kiosk, assets, cfg, tmp, i):
    stats = os.path.join(tmp, f"stats-{i}.json")
    data = os.path.join(tmp, f"data-{i}")
    subprocess.run([kiosk, "--assets", assets, "--config", cfg, "--data", data, "run", "--fullscreen",
                    "--frames", "3", "--stats-file", stats], check=True, env=dict(os.environ, CSC_NOW="2026-11-26T10:00"),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    with open(stats) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--assets", required=True)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    for all_languages in (False, True):
        tmp = tempfile.mkdtemp(prefix="csc-atlas-")
        try:
            assets, cfg = office(tmp, os.path.abspath(args.assets), all_languages)
            runs = [run_once(args.kiosk, assets, cfg, tmp, i) for i in range(args.runs)]
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        a = runs[-1]["font_atlas"]
        print(json.dumps({
            "office": "sample: it en fr de es ro uk zh ar" if all_languages else "it+en",
            "texture": f'{a["width"]}x{a["height"]}',
            "texture_mib": round(a["width"] * a["height"] / 2**20, 1),  # one channel (backend.cpp: use_one_channel_font_texture)
            "glyphs": a["glyphs"],
            "faces": a["faces"],
            "missing": a["missing"],
            "build_ms_median": round(statistics.median(r["font_atlas"]["build_ms"] for r in runs), 1),
            # the first frame's atlas: the office's first language and the languages' names
            # (0 when that is already everything), built while the window opens
            "first_build_ms_median": round(statistics.median(r["font_atlas"]["first_build_ms"] for r in runs), 1),
            "startup_ms_median": {k: round(statistics.median(r["startup_ms"][k] for r in runs))
                                  for k in runs[-1]["startup_ms"]},
            "first_frame_ms_median": round(statistics.median(r["first_frame_ms"] for r in runs)),
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
