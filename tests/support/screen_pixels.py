"""What is on the screen, read from the screenshot itself (not from the program's own report).

The GUI tests take the PNGs the program writes (--screenshot-dir, glReadPixels of the shown
frame) and check them here: colours of regions, the contrast of text against its background
(WCAG 2 ratio, measured on pixels), and text read back with OCR (tesseract, Debian package
tesseract-ocr, by its command line). Images are read through ImageMagick's convert (package imagemagick) as PPM.
"""
import collections
import os
import re
import subprocess
import tempfile


class Image:
    """An 8-bit RGB image: width, height, rows of bytes (3 per pixel)."""

    def __init__(self, width, height, rows):
        self.width, self.height, self.rows = width, height, rows

    @staticmethod
    def load(path, region=None):
        """Reads an image file (PNG, …) through ImageMagick's convert as binary PPM; `region`
        (x, y, w, h) crops it first."""
        cmd = ["convert", path]
        if region:
            x, y, w, h = (int(v) for v in region)
            cmd += ["-crop", f"{w}x{h}+{x}+{y}", "+repage"]
        cmd += ["-strip", "-depth", "8", "ppm:-"]
        data = subprocess.run(cmd, capture_output=True, check=True, timeout=60).stdout
        return Image.from_ppm(data)

    @staticmethod
    def from_ppm(data):
        fields, pos = [], 0
        while len(fields) < 4:  # P6 width height maxval, separated by whitespace
            while data[pos:pos + 1].isspace():
                pos += 1
            start = pos
            while not data[pos:pos + 1].isspace():
                pos += 1
            fields.append(data[start:pos])
        pos += 1
        assert fields[0] == b"P6" and fields[3] == b"255", fields
        width, height = int(fields[1]), int(fields[2])
        stride = 3 * width
        return Image(width, height, [data[pos + y * stride:pos + (y + 1) * stride] for y in range(height)])

    def pixel(self, x, y):
        r = self.rows[y]
        return tuple(r[3 * x:3 * x + 3])

    def crop(self, x, y, w, h):
        x0, y0 = max(0, int(x)), max(0, int(y))
        x1, y1 = min(self.width, int(x + w)), min(self.height, int(y + h))
        return Image(x1 - x0, y1 - y0, [row[3 * x0:3 * x1] for row in self.rows[y0:y1]])

    def colours(self):
        """Counter of (r, g, b) over every pixel."""
        c = collections.Counter()
        for row in self.rows:
            c.update(zip(row[0::3], row[1::3], row[2::3]))
        return c

    def write_ppm(self, path):
        with open(path, "wb") as f:
            f.write(b"P6 %d %d 255\n" % (self.width, self.height))
            for row in self.rows:
                f.write(row)


def hex_rgb(text):
    """'#1F5FAD' → (31, 95, 173)."""
    return tuple(int(text[i:i + 2], 16) for i in (1, 3, 5))


def luminance(rgb):
    """WCAG 2 relative luminance of an sRGB colour."""
    def channel(v):
        v /= 255.0
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    """WCAG 2 contrast ratio (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def distance(a, b):
    return max(abs(x - y) for x, y in zip(a, b))


def background_and_ink(image, min_share=0.002):
    """(background, ink, ink share) of a region holding text: the background is its commonest
    colour; the ink is the commonest colour clearly unlike it (anti-aliased edges spread over
    many shades, each rare; the strokes' cores share one exact colour). None when no colour
    other than the background covers `min_share` of the region."""
    counts = image.colours()
    total = image.width * image.height
    (background, _), *rest = counts.most_common()
    for colour, n in rest:
        if distance(colour, background) > 60:
            return (background, colour, n / total) if n / total >= min_share else (background, None, 0)
    return background, None, 0


def target_text_contrast(image, state, target_id, inset):
    """(contrast ratio, background, ink) of the text inside a touch target of the layout dump
    `state`, on its screenshot `image`, `inset` pixels in from its edges (its border and shadow
    left out); the ratio is None when the region has no text."""
    t = next(x for x in state["targets"] if x["id"] == target_id)
    ox, oy = state["window"]["x"], state["window"]["y"]
    region = image.crop(t["x"] - ox + inset, t["y"] - oy + inset, t["w"] - 2 * inset, t["h"] - 2 * inset)
    background, ink, _ = background_and_ink(region)
    return (contrast(background, ink) if ink else None), background, ink


def ocr(image, lang="eng", psm=11, workdir=None, config=None):
    """Text tesseract reads in `image` (an Image or an image file), whitespace kept as read;
    `config` sets tesseract variables (e.g. tessedit_char_whitelist)."""
    workdir = workdir or tempfile.gettempdir()
    if isinstance(image, Image):
        path = os.path.join(workdir, f"ocr-{os.getpid()}-{id(image)}.ppm")
        image.write_ppm(path)
    else:
        path = image
    cmd = ["tesseract", path, "stdout", "-l", lang, "--psm", str(psm)]
    for name, value in (config or {}).items():
        cmd += ["-c", f"{name}={value}"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise AssertionError(f"tesseract failed ({' '.join(cmd)}): {p.stderr}")
    return p.stdout


def squeeze(text):
    """`text` without whitespace (CJK OCR puts spaces between characters)."""
    return "".join(text.split())


def letters(text):
    """Only the letters and digits of `text` (OCR reads an icon beside a word as punctuation)."""
    return re.sub(r"\W|_", "", text)


TICKET_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def read_ticket_numbers(image, workdir=None, scales=(1.0, 0.5)):
    """What tesseract reads on a screen restricted to the characters of ticket numbers
    ("A001"), whitespace removed: a number shown is a substring of it. A ticket number is
    letters then digits, so in a run of characters after a letter that holds a digit, O, Q and
    I are the digits 0 and 1 (in DejaVu Sans Bold at 300 px tesseract often reads "AOO1").
    Read at each of `scales` (very large text reads better smaller), results joined by "|"."""
    workdir = workdir or tempfile.gettempdir()
    reads = []
    for scale in scales:
        source = image
        if scale != 1.0:
            source = os.path.join(workdir, f"ocr-{os.getpid()}-{id(image)}-{int(scale * 100)}.ppm")
            if isinstance(image, Image):
                image.write_ppm(source)
            subprocess.run(["convert", image if not isinstance(image, Image) else source,
                            "-resize", f"{scale * 100:g}%", source], check=True, timeout=60)
        text = ocr(source, "eng", psm=11, workdir=workdir, config={"tessedit_char_whitelist": TICKET_CHARACTERS})
        digits = str.maketrans("OQI", "001")
        text = re.sub(r"(?<=[A-Z])[0-9OQI]*[0-9][0-9OQI]*", lambda m: m.group(0).translate(digits), text)
        reads.append(squeeze(text))
    return "|".join(reads)


def ink_mask(image, background, threshold=100):
    """Rows of booleans: True where a pixel differs from `background` by more than `threshold`
    in some channel (the strokes of text drawn on a plain background)."""
    bg = background
    return [[max(abs(row[3 * x] - bg[0]), abs(row[3 * x + 1] - bg[1]), abs(row[3 * x + 2] - bg[2])) > threshold
             for x in range(image.width)] for row in image.rows]


def ink_lines(mask):
    """(top, bottom) of each run of rows holding ink: the lines of text in a region."""
    lines, start = [], None
    for y, row in enumerate(mask + [[]]):
        if any(row) and start is None:
            start = y
        elif not any(row) and start is not None:
            lines.append((start, y))
            start = None
    return lines


def ink_box(mask):
    """(x0, y0, x1, y1) around every ink pixel of `mask`; None when there is none."""
    ys = [y for y, row in enumerate(mask) if any(row)]
    xs = [x for row in mask for x, v in enumerate(row) if v]
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1) if xs else None


def column_profile(mask, box, bins=120):
    """Ink per column inside `box`, resampled to `bins` columns: the shape of a line of text
    along its width, independent of its size (word gaps, tall letters, where joins run)."""
    x0, y0, x1, y1 = box
    cols = [sum(1 for y in range(y0, y1) if mask[y][x]) for x in range(x0, x1)]
    w = len(cols)
    out = []
    for b in range(bins):
        a = int(b * w / bins)
        e = max(a + 1, int((b + 1) * w / bins))
        out.append(sum(cols[a:e]) / (e - a))
    return out


def correlation(a, b):
    """Pearson correlation of two equally long sequences (-1..1)."""
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    return cov / (va * vb) ** 0.5 if va and vb else 0.0


def drawn_text_contrasts(image, state, margin=2):
    """[(ratio or None, background, ink, text box)] for every text the screen drew (the layout
    dump's "texts": each box the text helpers drew, kiosk/gui/widgets.hpp), measured on its
    screenshot `image` over the box grown by `margin` pixels: the commonest colour is the
    background, the commonest clearly unlike it the ink. The ratio is None when no ink stands
    out (text lost in its background). A heuristic per box: a border or another text crossing
    the box could be taken for its ink, so the margin is kept small (a text's box already holds
    its line height above and below the glyphs)."""
    ox, oy = state["window"]["x"], state["window"]["y"]
    out = []
    for t in state.get("texts", []):
        x0 = max(0, int(t["x"] - ox - margin))
        y0 = max(0, int(t["y"] - oy - margin))
        x1 = min(image.width, int(t["x"] - ox + t["w"] + margin))
        y1 = min(image.height, int(t["y"] - oy + t["h"] + margin))
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue  # off screen
        background, ink, _ = background_and_ink(image.crop(x0, y0, x1 - x0, y1 - y0))
        out.append(((contrast(background, ink) if ink else None), background, ink, t))
    return out


def low_contrast_texts(image, state, minimum, icon_minimum=3.0):
    """The texts of `state` (drawn_text_contrasts) below `minimum`, or icons alone below
    `icon_minimum` (WCAG 1.4.11, non-text contrast), each as a line saying where and what;
    [] when every one reads. Raises when the screen noted no text at all (a dump without
    "texts" would otherwise pass)."""
    measured = drawn_text_contrasts(image, state)
    if not measured:
        raise AssertionError(f"{state.get('screen')}: the layout dump notes no text")
    low = []
    for ratio, background, ink, t in measured:
        needed = icon_minimum if t.get("icon") else minimum
        if ratio is None or ratio < needed:
            what = "icon" if t.get("icon") else f"text ({t['px']:.0f} px)"
            low.append(f"{what} at {t['x']:.0f},{t['y']:.0f} {t['w']:.0f}x{t['h']:.0f}: "
                       + (f"{ratio:.2f}:1, {ink} on {background}" if ratio else f"no ink stands out from {background}"))
    return low
