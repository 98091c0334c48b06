#!/usr/bin/env python3
"""Any script (issue 10, point 7; issue 13, point 4): the shipped Ukrainian and Chinese
catalogues and the sample office's Ukrainian and Chinese names are drawn, read back from the
screenshot with tesseract (ukr, chi_sim); a character no installed font has is named once in the
log with the text it comes from; an office with only Italian and English loads no CJK font.
Run under xvfb-run (see CMakeLists.txt); screenshots go to --artifacts.
"""
import json
import os
import re
import shutil
import sys
import tempfile
import tomllib
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from sample_config import only_languages  # noqa: E402
from screen_pixels import Image, ocr, squeeze  # noqa: E402

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open
DEVANAGARI_KA = "\u0915"  # in no font the project installs
TICKER_SAMPLE = ('# ticker = { it = "Il servizio anagrafe chiude alle 12:00 il 24 dicembre", '
                 'en = "The registry office closes at 12:00 on 24 December" }')


def catalogue(lang):
    with open(os.path.join(ARGS.assets, "i18n", f"{lang}.toml"), "rb") as f:
        return tomllib.load(f)


def sample_config():
    with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
        return f.read()


def sector_name(sector_id, lang):
    sectors = {s["id"]: s for s in tomllib.loads(sample_config())["sector"]}
    return sectors[sector_id]["name"][lang]


class ScriptsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-scripts-")
        self.programs = []

    def tearDown(self):
        for p in self.programs:
            p.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def office_with_a_ticker_no_font_can_draw(self):
        """The sample office (it offers Ukrainian and Chinese) with a ticker whose Chinese text has
        one character no installed font has."""
        config = sample_config()
        self.assertIn(TICKER_SAMPLE, config)
        config = config.replace(TICKER_SAMPLE, f'ticker = {{ it = "Avviso", zh = "通知 {DEVANAGARI_KA}" }}')
        cfg = os.path.join(self.dir, "office.toml")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(config)
        return cfg

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
        zh, uk = catalogue("zh"), catalogue("uk")
        cfg = self.office_with_a_ticker_no_font_can_draw()
        k = self.start("zh", ARGS.assets, cfg, lang="zh")
        self.assertEqual(k.state["lang"], "zh")
        chinese = squeeze(ocr(k.state["screenshot"], "chi_sim", workdir=self.dir))
        # (The language names: tests/gui/test_languages.py reads each inside its button.)
        for text in (zh["home.title"], zh["home.subtitle"]):
            self.assertIn(squeeze(text), chinese, f"{text} not read back from the screen (OCR: {chinese})")
        # The sector's Chinese name, read from its tile's text band (right of the icon): a
        # whole-screen OCR may skip a tile next to the appointment buttons. Its Han part only
        # ("户籍处（Anagrafe）": chi_sim reads the Latin name and the full-width brackets loosely).
        han = "".join(c for c in sector_name("anagrafe", "zh") if "\u4e00" <= c <= "\u9fff")
        name = self.tile_name(k, k.state, "sector:anagrafe", "chi_sim")
        self.assertIn(han, name, f"the sector's Chinese name not read back from its tile (OCR: {name})")
        # Eight languages on a portrait screen: the language button opens the menu of them all.
        if not any(t["id"] == "lang:uk" for t in k.state["targets"]):
            k.click("home:languages")
            k.wait_layout(lambda s: s["screen"] == "languages", "the language menu")
        k.click("lang:uk")
        s = k.wait_layout(lambda s: s["lang"] == "uk" and s["screen"] == "home", "Ukrainian")
        ukrainian = squeeze(ocr(s["screenshot"], "ukr", workdir=self.dir))
        for text in (uk["home.title"], uk["home.subtitle"]):
            self.assertIn(squeeze(text), ukrainian, f"{text} not read back from the screen (OCR: {ukrainian})")
        cyrillic = re.search(r"[\u0400-\u04ff]+", sector_name("anagrafe", "uk")).group(0)  # "реєстрація"
        name = self.tile_name(k, s, "sector:anagrafe", "ukr")
        self.assertIn(cyrillic, name, f"the sector's Ukrainian name not read back from its tile (OCR: {name})")
        log = self.log(k)
        atlas = self.stats(k)
        # The one character no font has: named once, with the configuration field it is in.
        missing = [line for line in log.splitlines() if "no font has" in line]
        self.assertEqual(len(missing), 1, log)
        self.assertIn(f'U+0915 "{DEVANAGARI_KA}" (office.toml display.ticker.zh)', missing[0])
        self.assertEqual(atlas["missing"], 1)
        self.assertTrue(any("wqy-microhei" in f for f in atlas["faces"]), atlas)
        with open(os.path.join(ARGS.artifacts, "atlas-eight-languages.json"), "w") as f:
            json.dump(atlas, f, indent=1)

    def test_italian_and_english_office_loads_no_cjk_font(self):
        cfg = os.path.join(self.dir, "it-en.toml")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(only_languages(sample_config(), ["it", "en"]))
        k = self.start("it-en", ARGS.assets, cfg)
        log = self.log(k)
        atlas = self.stats(k)
        self.assertNotIn("no font has", log)
        self.assertEqual(atlas["missing"], 0)
        self.assertFalse(any("wqy" in f for f in atlas["faces"]), atlas)


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__]))
