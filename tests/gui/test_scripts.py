#!/usr/bin/env python3
"""Any script (issue 10, point 7; issue 13, point 4): the shipped Ukrainian and Chinese
catalogues and the sample office's Ukrainian and Chinese names are drawn, read back from the
screenshot with tesseract (ukr, chi_sim); Arabic is drawn right to left with its letters joined
(compared with HarfBuzz's rendering of the same string by hb-view, and read back with tesseract
ara on the home, services and confirmation screens); a character no installed font has is named
once in the log with the text it comes from; an office with only Italian and English loads no
CJK font.
Run under xvfb-run (see CMakeLists.txt); screenshots go to --artifacts.
"""
import difflib
import json
import os
import re
import shutil
import sys
import subprocess
import tempfile
import tomllib
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from sample_config import only_languages  # noqa: E402
from screen_pixels import (Image, column_profile, correlation, hex_rgb, ink_box, ink_lines,  # noqa: E402
                           ink_mask, ocr, squeeze)

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


PAGE = hex_rgb("#F2F4F7")  # kPage (kiosk/gui/widgets.hpp): the screens' background
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"  # the title font


def arabic_letters(text):
    """`text` as compared after OCR: Arabic letters and digits only (no vowel marks, which
    tesseract often drops, no spaces or punctuation)."""
    text = re.sub(r"[\u064B-\u0652\u0670]", "", text)
    return "".join(c for c in text if "\u0621" <= c <= "\u064A" or c.isdigit())


def best_match(expected, read):
    """The best similarity (0..1) of `expected` to any line of OCR output `read`, both reduced
    to their Arabic letters: tolerant of a misread letter, not of text drawn unjoined or
    left to right (tesseract then reads other letters, or none)."""
    want = arabic_letters(expected)
    return max((difflib.SequenceMatcher(None, want, arabic_letters(line)).ratio() for line in read.splitlines()),
               default=0.0)


def hb_view(text, path, *options):
    """HarfBuzz's own rendering of `text` in DejaVu Sans Bold (package libharfbuzz-bin)."""
    subprocess.run(["hb-view", "--font-size=64", "--output-format=png", f"--output-file={path}", *options,
                    DEJAVU_BOLD, text], check=True, capture_output=True, timeout=60)
    image = Image.load(path)
    mask = ink_mask(image, image.pixel(0, 0))
    return mask, ink_box(mask)


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
        # (a mirrored frame, right to left: the icon is on the right, the name left of it)
        left = t["x"] - ox + (30 if state.get("mirrored") else icon)
        band = Image.load(state["screenshot"]).crop(left, t["y"] - oy + 8, t["w"] - icon - 30, t["h"] / 2)
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

    def title_line(self, state):
        """Mask and ink box of the home screen's first line of text (its title): the first run of
        inked rows between the header band and the first sector tile."""
        shot = Image.load(state["screenshot"])
        below_header = next(y for y in range(shot.height) if shot.pixel(4, y) == PAGE)
        tile = next(t for t in state["targets"] if t["id"].startswith("sector:"))
        band = shot.crop(0, below_header, shot.width, tile["y"] - state["window"]["y"] - below_header)
        mask = ink_mask(band, PAGE)
        top, bottom = ink_lines(mask)[0]
        mask = mask[top:bottom]
        return mask, ink_box(mask)

    def test_arabic_is_drawn_right_to_left_and_joined_on_home_services_and_confirmation(self):
        ar = catalogue("ar")
        k = self.start("ar", ARGS.assets, lang="ar")
        self.assertEqual(k.state["lang"], "ar")
        # The title against HarfBuzz's rendering of the same string, and against the same string
        # drawn as before shaping (letters apart, left to right): its outline along the line
        # (ink per column) and its proportions follow the first and not the second.
        ours, box = self.title_line(k.state)
        ref, ref_box = hb_view(ar["home.title"], os.path.join(self.dir, "reference.png"))
        wrong, wrong_box = hb_view(ar["home.title"], os.path.join(self.dir, "unjoined.png"), "--direction=ltr",
                                   "--features=-init,-medi,-fina,-rlig,-liga,-calt")
        profile = column_profile(ours, box)
        like_ref = correlation(profile, column_profile(ref, ref_box))
        like_wrong = correlation(profile, column_profile(wrong, wrong_box))

        def aspect(b):
            return (b[2] - b[0]) / (b[3] - b[1])
        figures = (f"profile correlation with HarfBuzz {like_ref:.2f}, with the unjoined left-to-right drawing "
                   f"{like_wrong:.2f}; width/height ours {aspect(box):.2f}, HarfBuzz {aspect(ref_box):.2f}, "
                   f"unjoined {aspect(wrong_box):.2f}")
        self.assertGreaterEqual(like_ref, 0.7, figures)
        self.assertGreaterEqual(like_ref - like_wrong, 0.25, figures)
        self.assertLess(abs(aspect(box) / aspect(ref_box) - 1), 0.1, figures)
        self.assertLess(abs(aspect(box) / aspect(ref_box) - 1), abs(aspect(box) / aspect(wrong_box) - 1), figures)
        with open(os.path.join(ARGS.artifacts, "arabic-title.txt"), "w") as f:
            f.write(figures + "\n")
        # Read back: two sectors' Arabic names from their tiles, the appointment button.
        for sector in ("stato-civile", "polifunzionale"):
            name = self.tile_name(k, k.state, f"sector:{sector}", "ara")
            self.assertGreaterEqual(best_match(sector_name(sector, "ar"), name), 0.8, f"{sector}: OCR read {name!r}")
        read = ocr(k.state["screenshot"], "ara", workdir=self.dir)
        self.assertGreaterEqual(best_match(ar["home.book"], read), 0.8, f"OCR read {read!r}")
        # The services screen and the confirmation, in Arabic too.
        k.click("sector:anagrafe")
        s = k.wait_layout(lambda s: s["screen"] == "services", "the services screen")
        read = ocr(s["screenshot"], "ara", workdir=self.dir)
        self.assertGreaterEqual(best_match(ar["service.title"], read), 0.8, f"OCR read {read!r}")
        k.click("service:certificati")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s["ticket"]["phase"] == "printed", "printed")
        read = ocr(s["screenshot"], "ara", workdir=self.dir)
        self.assertGreaterEqual(best_match(ar["confirm.printed"], read), 0.8, f"OCR read {read!r}")
        self.assertNotIn("no font has", self.log(k))

    def test_arabic_mirrors_the_layout_keeps_keypads_in_order_and_taps_land_where_shown(self):
        """Right to left, the whole screen reads from the right: every control of the home screen
        where the Italian one has it, reflected (layout dump, both languages, same office); on the
        pixels, the title ends at the right margin and each sector's icon is on its tile's right.
        The check-in keypad keeps its keys' order (a code is typed left to right in any language),
        and real taps on the reflected screen type the code in that order."""
        italian = self.start("mirror-it", ARGS.assets, lang="it")
        it_targets = {t["id"]: t for t in italian.state["targets"]}
        width = italian.state["window"]["w"]
        italian.stop()
        k = self.start("mirror-ar", ARGS.assets, lang="ar")
        s = k.state
        self.assertTrue(s["mirrored"])
        self.assertFalse(italian.state["mirrored"])
        ox = s["window"]["x"]
        mirrored = 0
        for t in s["targets"]:
            if t["id"] not in it_targets:
                continue
            i = it_targets[t["id"]]
            self.assertAlmostEqual(t["x"] - ox, width - (i["x"] - ox + i["w"]), delta=1.5, msg=t["id"])
            self.assertAlmostEqual(t["y"], i["y"], delta=1.5, msg=t["id"])
            mirrored += abs((t["x"] - ox) - (i["x"] - ox)) > 50
        self.assertGreaterEqual(mirrored, 4, "the controls did not change sides")
        # The pixels: the title's ink ends near the right margin, not the left.
        _, box = self.title_line(s)
        self.assertGreater(box[2], 0.85 * width, f"title ink box {box}")
        self.assertGreater(box[0], 0.3 * width, f"title ink box {box}")
        # Each sector's icon: where the dump says it is drawn, in the tile's right part, and
        # there on the pixels (white strokes in its box).
        shot = Image.load(s["screenshot"])
        for t in s["targets"]:
            if not t["id"].startswith("sector:"):
                continue
            icons = [x for x in s["texts"] if x["icon"] and x["px"] > 60 and t["x"] <= x["x"] and x["x"] + x["w"] <= t["x"] + t["w"]
                     and t["y"] <= x["y"] and x["y"] + x["h"] <= t["y"] + t["h"]]
            self.assertEqual(len(icons), 1, f"{t['id']}: icons {icons}")
            icon = icons[0]
            self.assertGreater(icon["x"] + icon["w"] / 2, t["x"] + t["w"] * 0.75, f"{t['id']}: the icon is not on the right")
            crop = shot.crop(icon["x"] - ox, icon["y"] - s["window"]["y"], icon["w"], icon["h"])
            self.assertGreater(crop.colours()[(255, 255, 255)], 200, f"{t['id']}: no white icon drawn in its box")
        # The check-in keypad: upright, and typed by real taps where it is shown.
        k.click("home:check_in")
        s = k.wait_layout(lambda s: s["screen"] == "check_in", "the check-in keypad")
        keys = {t["id"]: t for t in s["targets"]}
        self.assertLess(keys["code:2"]["x"], keys["code:3"]["x"], "the keypad's keys keep their order")
        self.assertLess(keys["code:backspace"]["x"], keys["code:send"]["x"])
        # ... on the pixels too: each key's character read back where the dump says the key is
        # (a keypad reflected instead of moved would show "7" where "2" is tapped).
        shot = Image.load(s["screenshot"])
        for ch in "27DZ":
            t = keys["code:" + ch]
            inset = t["h"] * 0.15
            key = shot.crop(t["x"] - s["window"]["x"] + inset, t["y"] - s["window"]["y"] + inset, t["w"] - 2 * inset,
                            t["h"] - 2 * inset)
            read = squeeze(ocr(key, "eng", psm=10, workdir=self.dir,
                               config={"tessedit_char_whitelist": "23456789ABCDEFGHJKMNPQRSTVWXYZ"}))
            self.assertEqual(read, ch, f"code:{ch} shows {read!r}")
        for n, ch in enumerate("2A3", 1):
            k.click("code:" + ch)
            k.wait_layout(lambda s, n=n: len(s["check_in"]["typed"]) == n, f"{n} characters typed")
        self.assertEqual(k.read_layout()["check_in"]["typed"], "2A3")

    def test_tickets_in_chinese_ukrainian_and_arabic_print_in_their_script_on_a_latin_printer(self):
        """The printer has Latin code pages only: the citizen's lines reach the paper as images of
        the text (kiosk/app/printing/paper_text.cpp), read back from the emulated printer's paper."""
        services = {s["id"]: s for s in tomllib.loads(sample_config())["sector"]}["anagrafe"]["service"]
        certificates = next(v for v in services if v["id"] == "certificati")["name"]
        data = os.path.join(self.dir, "paper-data")
        for lang, tess in (("zh", "chi_sim"), ("uk", "ukr"), ("ar", "ara")):
            p = subprocess.run([ARGS.kiosk, "--assets", ARGS.assets, "--data", data, "--printer", "emulated", "issue",
                                "--sector", "anagrafe", "--service", "certificati", "--lang", lang],
                               env=dict(os.environ, CSC_NOW=OPEN), capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            paper = os.path.join(ARGS.artifacts, f"ticket-{lang}.png")
            shutil.copy(os.path.join(data, "printer", "last-ticket.png"), paper)
            read = ocr(paper, tess, psm=6, workdir=self.dir)
            for text in (catalogue(lang)["ticket.keep"], certificates[lang]):
                if lang == "ar":
                    self.assertGreaterEqual(best_match(text, read), 0.8, f"{text} not on the Arabic ticket (OCR: {read!r})")
                else:
                    self.assertIn(squeeze(text), squeeze(read), f"{text} not on the {lang} ticket (OCR: {read!r})")

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
