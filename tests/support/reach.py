"""Where a screen's touch targets fall above the floor (EN 301 549 8.3.3.1: forward reach
380-1,220 mm), from the program's layout dump, for a screen of `screen_mm` visible height whose
bottom edge is `bottom_mm` above the floor (docs/GUI.md "Reach")."""

REACH = (380.0, 1220.0)


def heights(state, screen_mm, bottom_mm):
    """{target id: (lowest mm, highest mm)} above the floor."""
    h = state["window"]["h"] if "h" in state["window"] else 1920
    mm_per_px = screen_mm / h
    oy = state["window"]["y"]
    out = {}
    for t in state["targets"]:
        top_px, bottom_px = t["y"] - oy, t["y"] - oy + t["h"]
        out[t["id"]] = (bottom_mm + (h - bottom_px) * mm_per_px, bottom_mm + (h - top_px) * mm_per_px)
    return out


def out_of_reach(state, screen_mm, bottom_mm):
    """The targets not wholly within 380-1,220 mm, sorted."""
    return sorted(i for i, (a, b) in heights(state, screen_mm, bottom_mm).items() if a < REACH[0] or b > REACH[1])


def mounted(config_text, screen_mm, bottom_mm):
    """The sample configuration's text with the screen's mounting given in [kiosk]."""
    marker = "[kiosk]\n"
    assert marker in config_text, "no [kiosk] section in the sample"
    return config_text.replace(marker, f"{marker}screen_height_mm = {round(screen_mm)}\nscreen_bottom_mm = {round(bottom_mm)}\n", 1)
