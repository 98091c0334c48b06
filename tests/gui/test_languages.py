#!/usr/bin/env python3
"""The entrance kiosk's language choice with many languages (issue 10, point 3; issue 13 brings
8+): an office with four, or eight, catalogues (test-only ones made from en.toml) shows nothing
that overflows — every language's own name is read back by OCR inside its own button — and the
home screen offers one "Lingua · Language" button with the current language's name, which opens
a menu of large buttons, each in its own language and script; choosing one changes the screen's
text (read back from the pixels). Taps are real pointer clicks (xdotool). Run under xvfb-run
(see CMakeLists.txt); screenshots go to --artifacts.
"""
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from sample_config import only_languages  # noqa: E402
from screen_pixels import Image, ocr, squeeze  # noqa: E402

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open
# Test-only catalogues (the real ones are issue 13's): the texts the test reads back.
TEST_CATALOGUES = {
    "fr": {"language.name": "Français", "home.title": "Bienvenue",
           "home.subtitle": "Touchez un service pour prendre un numéro"},
    "de": {"language.name": "Deutsch", "home.title": "Willkommen",
           "home.subtitle": "Tippen Sie auf einen Dienst, um eine Nummer zu ziehen"},
    "es": {"language.name": "Español", "home.title": "Bienvenidos",
           "home.subtitle": "Toque un servicio para sacar un número"},
    "ro": {"language.name": "Română", "home.title": "Bine ați venit",
           "home.subtitle": "Atingeți un serviciu pentru a lua un număr"},
    "uk": {"language.name": "Українська", "home.title": "Ласкаво просимо",
           "home.subtitle": "Торкніться послуги, щоб отримати номер"},
    "zh": {"language.name": "中文", "home.title": "欢迎光临", "home.subtitle": "请点击服务取号"},
}
NATIVE = {"it": "Italiano", "en": "English", **{k: v["language.name"] for k, v in TEST_CATALOGUES.items()}}
OCR_LANG = {"uk": "ukr", "zh": "chi_sim", "it": "ita"}  # the others: eng (accents folded below)


def folded(text):
    """Letters only, accents dropped, lower case: what OCR of a Latin name is compared on."""
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def catalogue_from_english(texts):
    """en.toml with some texts replaced: a test catalogue for another language."""
    with open(os.path.join(ARGS.assets, "i18n", "en.toml"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    out = []
    for line in lines:
        m = re.match(r'^"([^"]+)"\s*=', line)
        if m and m.group(1) in texts:
            line = f'"{m.group(1)}" = {json.dumps(texts[m.group(1)], ensure_ascii=False)}'
        out.append(line)
    return "\n".join(out) + "\n"


class LanguagesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-languages-")
        self.programs = []

    def tearDown(self):
        for p in self.programs:
            p.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def office(self, langs):
        """Assets with the test catalogues and a configuration offering `langs` (it first)."""
        assets = os.path.join(self.dir, "assets")
        if not os.path.exists(assets):
            shutil.copytree(ARGS.assets, assets)
            for lang, texts in TEST_CATALOGUES.items():
                with open(os.path.join(assets, "i18n", f"{lang}.toml"), "w", encoding="utf-8") as f:
                    f.write(catalogue_from_english(texts))
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            config = f.read()
        config = only_languages(config, langs)  # the sample offers eight: the others' texts dropped
        cfg = os.path.join(self.dir, f"office-{len(langs)}.toml")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(config)
        return assets, cfg

    def start(self, name, langs):
        assets, cfg = self.office(langs)
        cmd = [ARGS.kiosk, "--assets", assets, "--data", os.path.join(self.dir, f"data-{name}"), "--config", cfg,
               "--printer", "emulated"]
        run = ["--role", "entrance", "--fullscreen", "--orientation", ARGS.orientation, "--exit-after-ms", "180000"]
        p = RunningKiosk(name, cmd, run, dict(os.environ, CSC_NOW=OPEN), self.dir, os.path.join(ARGS.artifacts, name),
                         ready_timeout=30)
        self.programs.append(p)
        p.wait_layout(lambda s: s["screen"] == "home", "the home screen")
        return p

    # ---- What the pixels say.

    def region(self, state, target, inset=6):
        """The target's rectangle in the screenshot, a little inside its border."""
        ox, oy = state["window"]["x"], state["window"]["y"]
        return Image.load(state["screenshot"]).crop(target["x"] - ox + inset, target["y"] - oy + inset,
                                                    target["w"] - 2 * inset, target["h"] - 2 * inset)

    def read(self, state, target, lang):
        return ocr(self.region(state, target), OCR_LANG.get(lang, "eng"), psm=6, workdir=self.dir)

    def assert_name_inside(self, state, target, lang):
        """The language's own name is read back inside its button: it does not spill out."""
        text = self.read(state, target, lang)
        want = NATIVE[lang]
        if lang in ("uk", "zh"):
            self.assertIn(squeeze(want), squeeze(text), f"{target['id']}: {want} not read inside its button (OCR: {text!r})")
        else:
            self.assertIn(folded(want), folded(text), f"{target['id']}: {want} not read inside its button (OCR: {text!r})")

    def assert_targets_sound(self, state):
        """Every touch target lies inside the window, is at least 60 px at scale 1, and none overlaps another."""
        ox, oy = state["window"]["x"], state["window"]["y"]
        w, h = state["window"]["w"], state["window"]["h"]
        scale = state["scale"]
        targets = state["targets"]
        for t in targets:
            self.assertGreaterEqual(t["x"], ox, t)
            self.assertGreaterEqual(t["y"], oy, t)
            self.assertLessEqual(t["x"] + t["w"], ox + w + 1, t)
            self.assertLessEqual(t["y"] + t["h"], oy + h + 1, t)
            self.assertGreaterEqual(min(t["w"], t["h"]) / scale, 60, f"{t['id']} is too small to touch: {t}")
        for i, a in enumerate(targets):
            for b in targets[i + 1:]:
                apart = (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"] or
                         a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])
                self.assertTrue(apart, f"{a['id']} and {b['id']} overlap")

    def screen_text(self, state, lang):
        return squeeze(ocr(state["screenshot"], OCR_LANG.get(lang, "eng"), workdir=self.dir))

    # ---- Tests.

    def test_eight_languages_menu_names_each_in_its_script_and_changes_the_screen(self):
        langs = ["it", "en", "fr", "de", "es", "ro", "uk", "zh"]
        k = self.start("eight", langs)
        s = k.state
        self.assert_targets_sound(s)
        # No bar of eight squeezed buttons: one button, its label in the office's language and
        # English, and the current language's own name.
        self.assertFalse([t for t in s["targets"] if t["id"].startswith("lang:")], "a bar of eight languages")
        button = k.target("home:languages")
        text = self.read(s, button, "it")
        self.assertIn("lingua", folded(text), f"the language button does not say Lingua (OCR: {text!r})")
        self.assertIn("language", folded(text), f"the language button does not say Language (OCR: {text!r})")
        self.assertIn("italiano", folded(text), f"the language button does not name the current language (OCR: {text!r})")

        k.click("home:languages")
        s = k.wait_layout(lambda s: s["screen"] == "languages", "the language menu")
        self.assert_targets_sound(s)
        self.assertEqual(sorted(t["id"] for t in s["targets"] if t["id"].startswith("lang:")),
                         sorted("lang:" + l for l in langs))
        for lang in langs:
            self.assert_name_inside(s, k.target("lang:" + lang), lang)
        # Large targets: each language at least 120 px tall at scale 1 (twice the minimum).
        for lang in langs:
            self.assertGreaterEqual(k.target("lang:" + lang)["h"] / s["scale"], 120)

        # Back keeps the language; choosing French goes home in French.
        k.click("back")
        s = k.wait_layout(lambda s: s["screen"] == "home", "home after Back")
        self.assertEqual(s["lang"], "it")
        k.click("home:languages")
        k.wait_layout(lambda s: s["screen"] == "languages", "the language menu again")
        k.click("lang:fr")
        s = k.wait_layout(lambda s: s["screen"] == "home" and s["lang"] == "fr", "home in French")
        french = self.screen_text(s, "fr")
        self.assertIn("Bienvenue", french, f"no French title on the screen (OCR: {french})")
        self.assertIn(folded("Touchezunservicepourprendre"), folded(french), f"no French subtitle (OCR: {french})")
        self.assertNotIn("Benvenuti", french)
        text = self.read(s, k.target("home:languages"), "fr")
        self.assertIn("francais", folded(text), f"the button does not name French now (OCR: {text!r})")

        # Another script: Chinese, read back with tesseract's chi_sim.
        k.click("home:languages")
        k.wait_layout(lambda s: s["screen"] == "languages", "the language menu, third time")
        k.click("lang:zh")
        s = k.wait_layout(lambda s: s["screen"] == "home" and s["lang"] == "zh", "home in Chinese")
        chinese = self.screen_text(s, "zh")
        self.assertIn(TEST_CATALOGUES["zh"]["home.title"], chinese, f"no Chinese title (OCR: {chinese})")

    def test_four_languages_nothing_overflows_and_each_switches_the_screen(self):
        langs = ["it", "en", "fr", "uk"]
        k = self.start("four", langs)
        s = k.state
        self.assert_targets_sound(s)
        bar = [t for t in s["targets"] if t["id"].startswith("lang:")]
        if bar:
            # Room for one button each (a wide landscape screen): every name inside its button.
            self.assertEqual(sorted(t["id"] for t in bar), sorted("lang:" + l for l in langs))
            for lang in langs:
                self.assert_name_inside(s, k.target("lang:" + lang), lang)
            k.click("lang:uk")
        else:
            k.click("home:languages")
            s = k.wait_layout(lambda s: s["screen"] == "languages", "the language menu")
            self.assert_targets_sound(s)
            for lang in langs:
                self.assert_name_inside(s, k.target("lang:" + lang), lang)
            k.click("lang:uk")
        s = k.wait_layout(lambda s: s["screen"] == "home" and s["lang"] == "uk", "home in Ukrainian")
        ukrainian = self.screen_text(s, "uk")
        self.assertIn(squeeze(TEST_CATALOGUES["uk"]["home.title"]), ukrainian, f"no Ukrainian title (OCR: {ukrainian})")
        self.assertNotIn("Benvenuti", ukrainian)

    def test_two_languages_keep_the_bar(self):
        k = self.start("two", ["it", "en"])
        s = k.state
        self.assert_targets_sound(s)
        self.assertEqual(sorted(t["id"] for t in s["targets"] if t["id"].startswith("lang:")), ["lang:en", "lang:it"])
        self.assertFalse([t for t in s["targets"] if t["id"] == "home:languages"])
        for lang in ("it", "en"):
            self.assert_name_inside(s, k.target("lang:" + lang), lang)


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__], orientation=True))
