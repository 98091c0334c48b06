"""The sample site configuration (assets/site/office.toml) adjusted for a test."""
import re

LANGUAGES_LINE = re.compile(r"^languages = \[[^\]]*\]", re.M)


def only_languages(config, keep):
    """`config` (the sample's text) offering only the languages `keep`, first the default, with
    the other languages' texts dropped: a text in a language the office does not offer is refused.
    Texts are `{ it = "…", en = "…", fr = "…" }` on one line or `key.fr = "…"` lines."""
    config, n = LANGUAGES_LINE.subn("languages = [" + ", ".join(f'"{l}"' for l in keep) + "]", config, count=1)
    assert n == 1, "no languages line in the sample"
    other = r"(?!(?:" + "|".join(keep) + r")\b)[a-z]{2}"
    config = re.sub(r", " + other + r' = "(?:[^"\\]|\\.)*"', "", config)
    return re.sub(r"^[ \t]*[A-Za-z_]+\." + other + r" = .*\n", "", config, flags=re.M)
