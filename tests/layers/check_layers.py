#!/usr/bin/env python3
"""The layers' include rule: core (shared/) <- application (kiosk/app) <- {CLI (kiosk/cli),
GUI roles and screens (kiosk/gui), web pages (kiosk/web)}. No include runs the other way. Prints every violation as
FILE:LINE: what it includes and why that is not allowed; exit 1 if there is any.

Usage: check_layers.py SOURCE_DIR   (or --self-test, which plants violations in a copy)
"""
import os
import re
import shutil
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')

# (folder, forbidden include prefixes, why)
RULES = [
    ("shared", ["kiosk/", "drivers/"], "the core includes no driver and no part of the program"),
    ("drivers", ["kiosk/"], "a driver includes no part of the program"),
    ("kiosk/app", ["kiosk/cli/", "kiosk/gui/", "kiosk/web/"], "the application layer includes no front end"),
    ("kiosk/gui/roles", ["kiosk/cli/"], "a GUI role calls the application layer, not the CLI"),
    ("kiosk/gui/screens", ["kiosk/cli/", "kiosk/app/", "shared/store", "shared/sync/"],
     "a screen draws its view: no I/O, no store, no CLI"),
    ("kiosk/cli", ["kiosk/gui/", "kiosk/web/"], "the CLI includes no GUI and no web front end"),
    ("kiosk/web", ["kiosk/gui/"], "the web front end includes no GUI"),
]


def violations(root):
    found = []
    for folder, forbidden, why in RULES:
        base = os.path.join(root, folder)
        for dirpath, _, files in os.walk(base):
            for name in sorted(files):
                if not name.endswith((".cpp", ".hpp", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if m and any(m.group(1).startswith(p) for p in forbidden):
                            found.append(f"{os.path.relpath(path, root)}:{number}: includes \"{m.group(1)}\": {why}")
    return found


def self_test():
    # The check must be able to fail: plant one violation per rule in an empty tree.
    with tempfile.TemporaryDirectory() as tmp:
        for folder, forbidden, _ in RULES:
            os.makedirs(os.path.join(tmp, folder), exist_ok=True)
            with open(os.path.join(tmp, folder, "planted.cpp"), "w") as f:
                f.write(f'#include "{forbidden[0]}x.hpp"\n#include "shared/result.hpp"\n')
        found = violations(tmp)
        if len(found) != len(RULES):
            print(f"self-test: expected {len(RULES)} violations, found {len(found)}: {found}")
            return 1
    print(f"self-test: each of the {len(RULES)} rules catches its planted include")
    return 0


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--self-test":
        return self_test()
    root = sys.argv[1]
    found = violations(root)
    for v in found:
        print(v)
    if found:
        print(f"{len(found)} include(s) against the layers (docs/ARCHITECTURE.md, 'Layers')")
        return 1
    print("layers: no include runs the wrong way")
    return 0


if __name__ == "__main__":
    sys.exit(main())
