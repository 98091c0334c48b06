#!/usr/bin/env python3
"""Any script on screen (issue 10, point 7): an office that adds a Ukrainian and a Chinese
catalogue (and Chinese names in its configuration) sees them drawn, read back from the
screenshot with tesseract (ukr, chi_sim); a character no installed font has is named once in
the log with the text it comes from; an office with only Italian and English loads no CJK font.
Run under xvfb-run (see CMakeLists.txt); screenshots go to --artifacts.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk  # noqa: E402
from screen_pixels import Image, ocr, squeeze  # noqa: E402

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open
UK = {"language.name": "Українська", "home.title": "Ласкаво просимо",
      "home.subtitle": "Торкніться послуги, щоб отримати номер"}
ZH = {"language.name": "中文", "home.title": "欢迎光临", "home.subtitle": "请点击服务取号"}
DEVANAGARI_KA = "\u0915"  # in no font the project installs


def toml_string(text):
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string is a JSON string here


def catalogue_from_english(texts):
    """en.toml with some texts replaced: a test catalogue for another language."""
    with open(os.path.join(ARGS.assets, "i18n", "en.toml"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        m = re.match(r'^"([^"]+)"\s*=', line)
        if m and m.group(1) in texts:
            line = f'"{m.group(1)}" = {toml_string(texts[m.group(1)])}'
        out.append(line)
    return "\n".join(out) + "\n"


class ScriptsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-scripts-")
        self.programs = []

    def tearDown(self):
        for p in self.programs:
            p.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def office_with_uk_and_zh(self):
        assets = os.path.join(self.dir, "assets")
        shutil.copytree(ARGS.assets, assets)
        for lang, texts in (("uk", UK), ("zh", ZH)):
            with open(os.path.join(assets, "i18n", f"{lang}.toml"), "w", encoding="utf-8") as f:
                f.write(catalogue_from_english(texts))
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            config = f.read()
        replacements = [
            ('languages = ["it", "en"]', 'languages = ["it", "en", "uk", "zh"]'),
            ('name = { it = "Anagrafe", en = "Registry office" }',
             'name = { it = "Anagrafe", en = "Registry office", uk = "Реєстр", zh = "户籍登记" }'),
            ('# ticker = { it = "Il servizio anagrafe chiude alle 12:00 il 24 dicembre", en = "The registry office closes at 12:00 on 24 December" }',
             f'ticker = {{ it = "Avviso", zh = "通知 {DEVANAGARI_KA}" }}'),
        ]
        for old, new in replacements:
            self.assertIn(old, config)
            config = config.replace(old, new)
        cfg = os.path.join(self.dir, "office.toml")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(config)
        return assets, cfg

    def start(self, name, assets, cfg=None, lang=None, extra=()):
        cmd = [ARGS.kiosk, "--assets", assets, "--data", os.path.join(self.dir, "data")]
        if cfg:
            cmd += ["--config", cfg]
        run = ["--role", "entrance", "--fullscreen", "--orientation", "portrait", "--exit-after-ms", "120000",
               "--stats-file", os.path.join(self.dir, f"{name}-stats.json"), *extra]
        if lang:
            run += ["--lang", lang]
        p = RunningKiosk(name, cmd + ["--printer", "emulated"], run, dict(os.environ, CSC_NOW=OPEN), self.dir,
                         os.path.join(ARGS.artifacts, name), ready_timeout=30)
        self.programs.append(p)
        p.wait_layout(lambda s: s["screen"] == "home", "the home screen")
        return p

    def stats(self, program):
        program.stop()
        with open(os.path.join(self.dir, f"{program.name}-stats.json")) as f:
            return json.load(f)["font_atlas"]

    def log(self, program):
        with open(program.stderr_path, encoding="utf-8") as f:
            return f.read()

    def tile_name(self, k, state, target, lang):
        """OCR of a tile's upper text band, right of its icon (where a sector's name is drawn)."""
        t = next(x for x in state["targets"] if x["id"] == target)
        ox, oy = state["window"]["x"], state["window"]["y"]
        icon = min(t["h"], t["w"] / 4)
        band = Image.load(state["screenshot"]).crop(t["x"] - ox + icon, t["y"] - oy + 8, t["w"] - icon - 30, t["h"] / 2)
        return squeeze(ocr(band, lang, psm=7, workdir=self.dir))

    def test_chinese_and_ukrainian_are_drawn_and_a_character_without_font_is_named_once(self):
        assets, cfg = self.office_with_uk_and_zh()
        k = self.start("zh", assets, cfg, lang="zh")
        self.assertEqual(k.state["lang"], "zh")
        chinese = squeeze(ocr(k.state["screenshot"], "chi_sim", workdir=self.dir))
        # (The language names: tests/gui/test_languages.py reads each inside its button.)
        for text in (ZH["home.title"], ZH["home.subtitle"]):
            self.assertIn(text, chinese, f"{text} not read back from the screen (OCR: {chinese})")
        # The sector's Chinese name, read from its tile's text band (right of the icon): a
        # whole-screen OCR may skip a tile next to the appointment buttons.
        name = self.tile_name(k, k.state, "sector:anagrafe", "chi_sim")
        self.assertIn("户籍登记", name, f"the sector's Chinese name not read back from its tile (OCR: {name})")
        # Four languages on a portrait screen: the language button opens the menu of them all.
        if not any(t["id"] == "lang:uk" for t in k.state["targets"]):
            k.click("home:languages")
            k.wait_layout(lambda s: s["screen"] == "languages", "the language menu")
        k.click("lang:uk")
        s = k.wait_layout(lambda s: s["lang"] == "uk" and s["screen"] == "home", "Ukrainian")
        ukrainian = squeeze(ocr(s["screenshot"], "ukr", workdir=self.dir))
        for text in (UK["home.title"], UK["home.subtitle"]):
            self.assertIn(squeeze(text), ukrainian, f"{text} not read back from the screen (OCR: {ukrainian})")
        name = self.tile_name(k, s, "sector:anagrafe", "ukr")
        self.assertIn("Реєстр", name, f"the sector's Ukrainian name not read back from its tile (OCR: {name})")
        log = self.log(k)
        atlas = self.stats(k)
        # The one character no font has: named once, with the configuration field it is in.
        missing = [line for line in log.splitlines() if "no font has" in line]
        self.assertEqual(len(missing), 1, log)
        self.assertIn(f'U+0915 "{DEVANAGARI_KA}" (office.toml display.ticker.zh)', missing[0])
        self.assertEqual(atlas["missing"], 1)
        self.assertTrue(any("wqy-microhei" in f for f in atlas["faces"]), atlas)

    def test_italian_and_english_office_loads_no_cjk_font(self):
        k = self.start("it-en", ARGS.assets)
        log = self.log(k)
        atlas = self.stats(k)
        self.assertNotIn("no font has", log)
        self.assertEqual(atlas["missing"], 0)
        self.assertFalse(any("wqy" in f for f in atlas["faces"]), atlas)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("--assets", required=True)
    parser.add_argument("--artifacts", required=True)
    ARGS, rest = parser.parse_known_args()
    os.makedirs(ARGS.artifacts, exist_ok=True)
    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run under xvfb-run", file=sys.stderr)
        return 1
    prog = unittest.main(argv=[sys.argv[0]] + rest, exit=False, verbosity=2)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
