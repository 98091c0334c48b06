#!/usr/bin/env python3
"""Font atlas figures (docs/PERFORMANCE.md, "Font atlas"): texture size, glyphs, build time and
time to first frame of `kiosk run`, for the shipped Italian/English office and for the same
office with a Ukrainian and a Chinese catalogue (synthetic: every text of en.toml rewritten in
Cyrillic or in Han characters of the same length, 500 distinct Han characters in all, about what
a real Chinese UI catalogue uses). Run under an X display:

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

HAN = [chr(0x4E00 + i * 7) for i in range(500)]  # spread over the CJK block, all in WenQuanYi Micro Hei
CYRILLIC = [chr(c) for c in range(0x0410, 0x0450)] + ["і", "ї", "є", "ґ"]
PLACEHOLDER = re.compile(r"(\{[a-z_]+\})")


def rewrite(text, alphabet, counter):
    """`text` with every non-placeholder character replaced from `alphabet` (spaces kept)."""
    out = []
    for part in PLACEHOLDER.split(text):
        if PLACEHOLDER.fullmatch(part):
            out.append(part)
            continue
        for ch in part:
            if ch.isspace():
                out.append(ch)
            else:
                out.append(alphabet[counter[0] % len(alphabet)])
                counter[0] += 1
    return "".join(out)


def catalogue(assets, alphabet, name):
    counter = [0]
    out = []
    with open(os.path.join(assets, "i18n", "en.toml"), encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = re.match(r'^("[^"]+")\s*=\s*(".*")\s*$', line)
            if m and not m.group(1).startswith('"plural.'):
                value = name if m.group(1) == '"language.name"' else rewrite(json.loads(m.group(2)), alphabet, counter)
                line = f"{m.group(1)} = {json.dumps(value, ensure_ascii=False)}"
            out.append(line)
    return "\n".join(out) + "\n"


def office(tmp, assets, with_cjk):
    if not with_cjk:
        return assets, os.path.join(assets, "site", "office.toml")
    copy = os.path.join(tmp, "assets")
    shutil.copytree(assets, copy)
    for lang, alphabet, name in (("uk", CYRILLIC, "Українська"), ("zh", HAN, "中文")):
        with open(os.path.join(copy, "i18n", f"{lang}.toml"), "w", encoding="utf-8") as f:
            f.write(catalogue(assets, alphabet, name))
    cfg = os.path.join(tmp, "office.toml")
    with open(os.path.join(assets, "site", "office.toml"), encoding="utf-8") as f:
        text = f.read().replace('languages = ["it", "en"]', 'languages = ["it", "en", "uk", "zh"]')
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(text)
    return copy, cfg


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
    for with_cjk in (False, True):
        tmp = tempfile.mkdtemp(prefix="csc-atlas-")
        try:
            assets, cfg = office(tmp, os.path.abspath(args.assets), with_cjk)
            runs = [run_once(args.kiosk, assets, cfg, tmp, i) for i in range(args.runs)]
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        a = runs[-1]["font_atlas"]
        print(json.dumps({
            "office": "it+en+uk+zh" if with_cjk else "it+en",
            "texture": f'{a["width"]}x{a["height"]}',
            "texture_mib": round(a["width"] * a["height"] * 4 / 2**20, 1),
            "glyphs": a["glyphs"],
            "faces": a["faces"],
            "missing": a["missing"],
            "build_ms_median": round(statistics.median(r["font_atlas"]["build_ms"] for r in runs), 1),
            "first_frame_ms_median": round(statistics.median(r["first_frame_ms"] for r in runs)),
        }, ensure_ascii=False))


if __name__ == "__main__":
    main()
