#!/usr/bin/env python3
"""Speech mode at the entrance kiosk (issue 13, point 6; EN 301 549 5.1.3): the real `kiosk run`
under Xvfb, driven by real X key events from the numeric keypad (xdotool key KP_5, …) and a real
pointer press, heard through --speech-dir: each utterance the kiosk synthesizes with espeak-ng is
written there as NNN.wav with NNN.json (the text, the words espeak-ng reports it said, the
volume) instead of being played. An utterance is checked three ways: its text against the
catalogue and the printed ticket, its words as espeak-ng reports them, and its sound — not
silent, and as long as espeak-ng's own command-line synthesis of the same text. The focus ring
is checked on the screenshots' pixels. Run under xvfb-run (see CMakeLists.txt).
"""
import glob
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import tomllib
import tomllib
import unittest
import wave

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from running_kiosk import RunningKiosk, gui_test_main  # noqa: E402
from screen_pixels import Image  # noqa: E402

ARGS = None
OPEN = "2026-11-26T10:00"  # a Thursday morning: the sample office is open
YELLOW, BLACK = (0xFF, 0xD4, 0x00), (0, 0, 0)  # the focus ring's two bands


def catalogue(lang="it"):
    with open(os.path.join(ARGS.assets, "i18n", f"{lang}.toml"), "rb") as f:
        return tomllib.load(f)


def wav_level_and_seconds(path):
    with wave.open(path) as w:
        frames = w.readframes(w.getnframes())
        rate = w.getframerate()
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples))) / 32768
    return rms, len(samples) / rate


def reference_seconds(text, lang, workdir):
    """espeak-ng's command line, same voice and rate (150 words a minute): how long `text` takes."""
    out = os.path.join(workdir, "reference.wav")
    subprocess.run(["espeak-ng", "-v", lang, "-s", "150", "-w", out, text], check=True, timeout=60)
    return wav_level_and_seconds(out)[1]


class SpeechKiosk(RunningKiosk):
    """The entrance kiosk, fullscreen portrait, its speech written to `self.speech`."""

    def __init__(self, test, name, extra_env=None, config=None, extra_run=()):
        self.test = test
        self.data = os.path.join(test.dir, "data")
        self.speech = os.path.join(test.dir, f"{name}-speech")
        shutil.rmtree(self.speech, ignore_errors=True)
        env = dict(os.environ, CSC_NOW=OPEN, **(extra_env or {}))
        super().__init__(name, [ARGS.kiosk, "--assets", ARGS.assets, "--data", self.data, "--printer", "emulated",
                                *(["--config", config] if config else [])],
                         ["--role", "entrance", "--fullscreen", "--orientation", "portrait", "--exit-after-ms", "150000",
                          "--speech-dir", self.speech, *extra_run],
                         env, test.dir, os.path.join(ARGS.artifacts, name), ready_timeout=20)
        self.wait_layout(lambda s: s["screen"] == "home", "the home screen")

    def key(self, name):
        subprocess.run(["xdotool", "key", name], check=True)

    def utterances(self):
        out = []
        for path in sorted(glob.glob(os.path.join(self.speech, "*.json"))):
            with open(path, encoding="utf-8") as f:
                u = json.load(f)
            u["wav"] = path[:-5] + ".wav"
            out.append(u)
        return out

    def wait_said(self, predicate, what, after=0, timeout=15):
        """The first utterance after the first `after` ones that satisfies `predicate`."""
        found = {}

        def check():
            for u in self.utterances()[after:]:
                if predicate(u["text"]):
                    found["u"] = u
                    return True
            return False

        try:
            self.wait_for(check, what, timeout)
        except AssertionError as e:
            raise AssertionError(f"{e}\nsaid so far: {[u['text'] for u in self.utterances()]}") from None
        return found["u"]

    def settle(self, quiet=0.6, timeout=20):
        """Waits until nothing new has been said for `quiet` seconds (what the kiosk says is
        synthesized on its own thread: a long text is written a moment after the screen shows)."""
        end = time.monotonic() + timeout
        last, since = len(self.utterances()), time.monotonic()
        while time.monotonic() < end:
            time.sleep(0.1)
            n = len(self.utterances())
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return n
        raise AssertionError(f"{self.name}: still speaking after {timeout} s")

    def focus_on(self, target_id, keys_left=20):
        """Presses 2 (down: the next choice) until the focus is on `target_id` (the layout dump says where it is), each
        press moving it by one (said as "N di M")."""
        self.settle()
        for _ in range(keys_left):
            state = self.read_layout()
            if state["speech"]["focus"] == target_id:
                return self.wait_layout(lambda s: s["speech"]["focus"] == target_id, target_id)
            before, count = state["speech"]["focus"], len(self.utterances())
            self.key("KP_2")
            moved = self.wait_said(lambda t: " di " in t, "the next choice said", after=count)
            self.wait_layout(lambda s: s["speech"]["focus"] != before, "the focus to move")
            self.test.assertEqual(len(self.utterances()), count + 1, f"one press, one move: {moved['text']}")
        raise AssertionError(f"the focus never reached {target_id}")


class SpeechModeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="csc-speech-")
        self.kiosks = []
        self.it = catalogue("it")

    def tearDown(self):
        for k in self.kiosks:
            k.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self, name, **kw):
        k = SpeechKiosk(self, name, **kw)
        self.kiosks.append(k)
        return k

    def assert_sounds_like(self, utterance, lang="it"):
        """The WAV says the text: not silent, as long as espeak-ng's own synthesis of it (±15 %),
        and espeak-ng reported saying most of its words."""
        rms, seconds = wav_level_and_seconds(utterance["wav"])
        self.assertGreater(rms, 0.01, utterance["text"])
        ref = reference_seconds(utterance["text"], lang, self.dir)
        self.assertAlmostEqual(seconds / ref, 1.0, delta=0.15, msg=f"{seconds:.2f} s against {ref:.2f} s: {utterance['text']}")
        words = utterance["text"].split()
        self.assertGreaterEqual(len(utterance["words"]), 0.6 * len(words), utterance["words"])
        # In the text's order: espeak-ng's events, not a copy of the text (a word it skipped or
        # said out of order shows here). Its positions inside numbers ("26/11/2026") are loose:
        # 85% of the words in order is the bar.
        at, in_order = 0, 0
        for w in (w.strip() for w in utterance["words"]):
            found = utterance["text"].find(w, at) if w else -1
            if found >= 0:
                at, in_order = found + len(w), in_order + 1
        self.assertGreaterEqual(in_order, 0.85 * len(utterance["words"]), f"{utterance['words']} against {utterance['text']!r}")

    def test_keypad_walks_to_a_ticket_read_aloud_in_full(self):
        k = self.start("keypad-ticket")
        self.assertFalse(k.state["speech"]["on"])
        k.key("KP_5")  # the first key only starts speech mode: it chooses nothing
        k.wait_layout(lambda s: s["speech"]["on"], "speech mode on")
        help_ = k.wait_said(lambda t: t == self.it["speech.on"], "the keys' help")
        self.assert_sounds_like(help_)
        first = k.wait_said(lambda t: t.startswith(self.it["home.title"]), "the home screen said")
        self.assertIn(self.it["home.subtitle"], first["text"])
        self.assertIn("Anagrafe", first["text"])  # the first target in reading order: the first sector
        self.assert_sounds_like(first)
        self.assertEqual(k.read_layout()["screen"], "home")

        # The focus ring on the pixels: yellow inside black, around the focused tile only.
        s = k.focus_on("sector:stato-civile")
        said = k.wait_said(lambda t: t.startswith("Stato civile"), "the focused sector", after=2)
        self.assertIn("2 di", said["text"])
        shot = Image.load(s["screenshot"])
        ox, oy = s["window"]["x"], s["window"]["y"]
        scale = s["scale"]
        for target, ringed in (("sector:stato-civile", True), ("sector:anagrafe", False)):
            t = next(t for t in s["targets"] if t["id"] == target)
            cx = int(t["x"] - ox + t["w"] / 2)
            inner = shot.pixel(cx, int(t["y"] - oy - 5 * scale))   # the yellow band, over the tile's edge
            outer = shot.pixel(cx, int(t["y"] - oy - 12 * scale))  # the black band outside it
            if ringed:
                self.assertEqual(inner, YELLOW, target)
                self.assertEqual(outer, BLACK, target)
            else:
                self.assertNotEqual(inner, YELLOW, target)

        # 5: the sector's services, announced with the first service focused.
        count = len(k.utterances())
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "services", "the services")
        services = k.wait_said(lambda t: self.it["service.title"] in t, "the services screen", after=count)
        self.assertTrue(services["text"].startswith("Stato civile"), services["text"])
        self.assertIn("Nascite", services["text"])
        # 5 again: a ticket, its number shown and the whole ticket read aloud.
        count = len(k.utterances())
        k.key("KP_5")
        s = k.wait_layout(lambda s: s["screen"] == "confirm" and s.get("ticket", {}).get("label"), "the ticket")
        label = s["ticket"]["label"]  # "B001"
        spoken_label = label[0] + " " + str(int(label[1:]))  # "B 1": letters, then the number
        ticket = k.wait_said(lambda t: spoken_label + "." in t, "the ticket read aloud", after=count)
        with open(os.path.join(ARGS.assets, "site", "office.toml"), "rb") as f:
            office = tomllib.load(f)
        for line in ("Centro Servizi al Cittadino", "Stato civile", self.it["ticket.keep"],
                     self.it["ticket.people_ahead"].replace("{count}", "0")):
            self.assertIn(line, ticket["text"])
        self.assertNotIn(label, ticket["text"])  # never "B zero zero one"
        self.assert_sounds_like(ticket)
        self.assertGreater(wav_level_and_seconds(ticket["wav"])[1], 15)  # the whole ticket, not its number
        # The confirmation waits for the reading (60 s, not the usual 8).
        self.assertGreater(s["ticket"]["seconds_left"], 30)
        # The printer's news: its own utterance after the ticket, or in the screen's first words when
        # the ticket was out before the screen was first said.
        k.wait_said(lambda t: self.it["confirm.printed"] in t, "the printer's news", after=count)

        # 5 on Done: the visit ends, speech mode with it.
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "home" and not s["speech"]["on"], "home, speech mode off")

    def test_a_three_second_press_starts_speech_mode_and_taps_nothing(self):
        k = self.start("long-press")
        t = k.target("sector:protocollo")  # a sector without services: a tap would print a ticket
        x, y = int(t["x"] + t["w"] / 2), int(t["y"] + t["h"] / 2)
        subprocess.run(["xdotool", "mousemove", str(x), str(y), "mousedown", "1"], check=True)
        try:
            k.wait_layout(lambda s: s["speech"]["on"], "speech mode on, the finger still down", timeout=6)
        finally:
            subprocess.run(["xdotool", "mouseup", "1"], check=True)
        k.wait_said(lambda t: t == self.it["speech.on"], "the keys' help")
        time.sleep(1)
        s = k.read_layout()
        self.assertEqual(s["screen"], "home")  # the lift chose nothing
        self.assertFalse(glob.glob(os.path.join(k.data, "printer", "*.png")), "a ticket was printed")
        # A short tap still works as a tap.
        k.state = s
        k.click("sector:protocollo")
        k.wait_layout(lambda s: s["screen"] == "confirm", "a ticket from a tap")

    def test_volume_repeat_and_quiet_from_the_keypad_and_reset_for_the_next_visit(self):
        k = self.start("volume")
        k.key("KP_5")
        first = k.wait_said(lambda t: t.startswith(self.it["home.title"]), "the home screen said")
        self.assertEqual(first["volume"], 70)
        count = len(k.utterances())
        subprocess.run(["xdotool", "key", "KP_Add", "KP_Add"], check=True)  # twice, quickly: both count
        louder = k.wait_said(lambda t: t == self.it["speech.volume"].replace("{percent}", "90"), "volume 90", after=count)
        self.assertEqual(louder["volume"], 90)
        count = len(k.utterances())
        k.key("KP_Multiply")  # repeat: the same screen, at the new volume
        again = k.wait_said(lambda t: t == first["text"], "the screen again", after=count)
        self.assertEqual(again["volume"], 90)
        ratio = wav_level_and_seconds(again["wav"])[0] / wav_level_and_seconds(first["wav"])[0]
        self.assertAlmostEqual(ratio, 90 / 70, delta=0.05)
        # 0 where there is no Back: where the citizen is, again.
        count = len(k.utterances())
        k.key("KP_0")
        k.wait_said(lambda t: t == first["text"], "the screen again after 0", after=count)
        # Into the language menu and back with 0: Back is its last choice.
        k.focus_on("home:languages")
        count = len(k.utterances())
        k.key("KP_5")
        menu = k.wait_said(lambda t: t.startswith(self.it["languages.title"]), "the language menu", after=count)
        self.assertIn("Italiano", menu["text"])
        k.key("KP_0")
        k.wait_layout(lambda s: s["screen"] == "home", "home again")
        self.assertEqual(k.read_layout()["speech"]["volume"], 90)  # the same visit: its volume
        # The visit ends (a ticket taken, Done): the next one starts at 70 again.
        k.focus_on("sector:protocollo")
        self.assertTrue(k.utterances()[-1]["text"].startswith("Protocollo"), k.utterances()[-1]["text"])
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "confirm", "a ticket")
        k.focus_on("done")
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "home" and not s["speech"]["on"] and s["speech"]["volume"] == 70,
                      "home, speech mode off, volume back to 70")

    def test_booking_by_keypad_says_each_day_with_its_weekday_and_places_and_never_the_typed_name(self):
        k = self.start("booking")
        k.key("KP_5")
        k.wait_said(lambda t: t.startswith(self.it["home.title"]), "the home screen said")
        k.focus_on("home:book")
        count = k.settle()
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "book_service", "the services to book")
        k.wait_said(lambda t: t.startswith(self.it["booking.service.title"]), "the booking's services said", after=count)
        count = k.settle()
        k.key("KP_5")  # the first bookable service
        s = k.wait_layout(lambda s: s["screen"] == "book_day", "the calendar")
        said = k.wait_said(lambda t: self.it["booking.day.title"] in t, "the calendar said", after=count)
        weekdays = [self.it[f"weekday.{d}"] for d in range(7)]
        focused = s["speech"]["focus"]
        self.assertTrue(focused.startswith("day:"), focused)
        self.assertTrue(any(w in said["text"] for w in weekdays), said["text"])  # "giovedì 26 novembre"
        self.assertRegex(said["text"], r"\d+ posti?\b")
        # The name step: what is typed is not said, only how much.
        count = k.settle()
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "book_time", "the times")
        k.settle()
        k.key("KP_5")
        k.wait_layout(lambda s: s["screen"] == "book_name", "the name step")
        k.settle()
        k.state = k.read_layout()
        k.click("key:R")
        k.click("key:O")
        k.wait_layout(lambda s: s["booking"]["name_chars"] == 2, "two letters typed")
        k.focus_on("field:name")
        count = k.settle()
        k.key("KP_Multiply")  # the step again, the name field focused
        two = self.it["speech.characters.other"].replace("{count}", "2")
        said = k.wait_said(lambda t: two in t, "the name field: how many characters", after=count)["text"]
        self.assertNotIn("Ro", said)
        self.assertNotIn("RO", said)

    def test_a_printed_list_of_what_to_bring_is_read_aloud_in_full(self):
        """EN 301 549 5.1.3.16: every receipt read aloud, a slip from the forms too: the outcome,
        then the list as printed (its title and each item), in the voice's own words."""
        k = self.start("slip")
        k.key("KP_5")
        k.wait_said(lambda t: t.startswith(self.it["home.title"]), "the home screen said")
        k.state = k.read_layout()
        k.click("home:forms")
        k.wait_layout(lambda s: s["screen"] == "forms", "the forms' offices")
        k.click("formgroup:anagrafe")
        k.wait_layout(lambda s: s["forms"]["step"] == "items", "the office's forms and lists")
        k.click("bring:carta-identita")
        k.wait_layout(lambda s: s["forms"]["step"] == "bring", "the list of what to bring")
        count = k.settle()
        k.click("forms:print")
        k.wait_layout(lambda s: s["forms"]["print"] == "printed", "the list printed")
        said = k.wait_said(lambda t: t.startswith(self.it["forms.print.printed"]), "the printed list read aloud",
                           after=count)
        with open(os.path.join(ARGS.assets, "site", "office.toml"), "rb") as f:
            lists = {b["service"]: b for b in tomllib.load(f)["bring"]}
        items = [i["it"] for i in lists["carta-identita"]["items"]]
        self.assertEqual(len(items), 4)
        for text in [self.it["bring.title"], *items]:  # the title and every item, in order
            self.assertIn(text, said["text"])
        positions = [said["text"].index(t) for t in items]
        self.assertEqual(positions, sorted(positions), "the items in the printed order")
        self.assertNotIn("[", said["text"], "the list's tick boxes are not read out")
        self.assert_sounds_like(said)

    def test_plugging_a_headset_starts_speech_mode_on_its_device_and_pulling_it_out_silences_it(self):
        """Issue 13 point 6: a headset plugged into the jack starts speech mode, its voice on
        [kiosk] speech_headset_device; pulled out, speech mode ends at once (what follows is not
        for the room's loudspeaker); a keypad key then speaks on speech_device again. The jack's
        state comes from --headset-file here (ALSA's jack events need a sound card with a jack)."""
        with open(os.path.join(ARGS.assets, "site", "office.toml"), encoding="utf-8") as f:
            config = f.read()
        self.assertIn('speech_device = "default"', config)
        config = config.replace('speech_device = "default"',
                                'speech_device = "default"\nspeech_headset_device = "csc-test-headset"', 1)
        cfg = os.path.join(self.dir, "headset.toml")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write(config)
        jack = os.path.join(self.dir, "jack")
        k = self.start("headset", config=cfg, extra_run=("--headset-file", jack))
        self.assertFalse(k.state["speech"]["on"])
        self.assertFalse(k.state["speech"]["headset"])
        self.assertIn(jack, k.state["speech"]["jack"])
        with open(jack, "w") as f:
            f.write("1\n")
        k.wait_layout(lambda s: s["speech"]["on"] and s["speech"]["headset"], "speech mode on with the headset")
        help_ = k.wait_said(lambda t: t == self.it["speech.on"], "the keys' help")
        first = k.wait_said(lambda t: t.startswith(self.it["home.title"]), "the home screen said")
        for u in (help_, first):
            self.assertEqual(u["device"], "csc-test-headset", u["text"])
        self.assert_sounds_like(first)
        count = k.settle()
        with open(jack, "w") as f:
            f.write("0\n")
        k.wait_layout(lambda s: not s["speech"]["on"] and not s["speech"]["headset"], "speech mode off, headset out")
        time.sleep(1.5)
        self.assertEqual(len(k.utterances()), count, "nothing said after the headset was pulled out")
        k.key("KP_5")
        k.wait_layout(lambda s: s["speech"]["on"], "speech mode on by a key")
        again = k.wait_said(lambda t: t == self.it["speech.on"], "the keys' help again", after=count)
        self.assertEqual(again["device"], "default", "the loudspeaker's device once the headset is out")

    def test_the_time_limit_warning_is_spoken_and_5_gives_more_time(self):
        k = self.start("time-limit", extra_env={"CSC_GUI_IDLE_SECONDS": "8"})
        k.key("KP_5")
        k.wait_said(lambda t: t.startswith(self.it["home.title"]), "the home screen said")
        k.key("KP_5")  # the first sector, Anagrafe: its services
        k.wait_layout(lambda s: s["screen"] == "services", "the services")
        count = len(k.utterances())
        warned = k.wait_layout(lambda s: s["idle"]["warning"], "the time-limit warning", timeout=12)
        seconds = 4  # CSC_GUI_IDLE_SECONDS / 2: the warning's time
        text = self.it["speech.time_warning"].replace("{seconds}", str(seconds))
        said = k.wait_said(lambda t: t == text, "the warning said", after=count)
        self.assert_sounds_like(said)
        self.assertEqual(warned["speech"]["focus"], "more_time")
        k.key("KP_5")
        s = k.wait_layout(lambda s: not s["idle"]["warning"], "more time given")
        self.assertEqual(s["screen"], "services")
        # Back home and left alone: after a page's time limit (here 8 + 4 s) speech mode ends,
        # so the next person does not find the kiosk talking.
        k.key("KP_0")
        s = k.wait_layout(lambda s: s["screen"] == "home" and s["speech"]["on"], "home, still in speech mode")
        left = time.monotonic()
        k.wait_layout(lambda s: not s["speech"]["on"], "speech mode ended at an idle home", timeout=30)
        self.assertGreaterEqual(time.monotonic() - left, 10)


if __name__ == "__main__":
    sys.exit(gui_test_main(sys.modules[__name__]))
