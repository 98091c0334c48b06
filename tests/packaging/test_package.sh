#!/usr/bin/env bash
# The Debian package (issue 14 point 7): built from this build tree with CPack, then checked as
# an administrator would: its files in their Debian places, the site configuration as conffiles,
# the maintainer scripts, runtime libraries as Depends by name, lintian's verdict against the
# tags explained in packaging/lintian-expected.txt (a new tag fails, and so does an explained
# tag that no longer appears), and every systemd unit through `systemd-analyze verify` in the
# unpacked package. Prints the package's size.
# Usage: test_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
for tool in cpack dpkg-deb lintian systemd-analyze; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (apt-get install it: packaging/debian-packages.txt)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/csc-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" --config CPackConfig.cmake >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack could not build the package"; }
deb=$(ls "$work"/out/csc-kiosk_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no csc-kiosk_*.deb in $work/out"
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB; installed size $(dpkg-deb -f "$deb" Installed-Size) KiB"

# The files, where Debian wants them.
dpkg-deb -c "$deb" | awk '{print $NF}' > "$work/files"
for f in ./usr/bin/kiosk ./usr/share/csc-kiosk/i18n/it.toml ./usr/share/csc-kiosk/i18n/ar.toml \
         ./usr/share/csc-kiosk/printer/profiles.toml ./etc/csc-kiosk/office.toml ./etc/default/csc-kiosk \
         ./lib/systemd/system/csc-kiosk.service ./lib/systemd/system/csc-kiosk-web.service \
         ./lib/systemd/system/csc-nats.service ./lib/systemd/system/csc-kiosk-export.socket \
         ./lib/systemd/system/csc-kiosk-export@.service ./lib/udev/rules.d/60-csc-kiosk-printer.rules \
         ./usr/share/doc/csc-kiosk/copyright ./usr/share/doc/csc-kiosk/changelog.gz \
         ./usr/share/doc/csc-kiosk/OPERATIONS.md ./usr/share/doc/csc-kiosk/nats/office-node.conf \
         ./usr/share/man/man1/kiosk.1.gz ./usr/share/polkit-1/rules.d/50-csc-kiosk.rules; do
  grep -qxF "$f" "$work/files" || fail "the package has no $f"
done
! grep -q '^./usr/share/csc-kiosk/site/' "$work/files" || fail "the site configuration is in /usr/share, not only in /etc"
! grep -q '^./var/' "$work/files" || fail "the package ships files in /var (the postinst makes the store's directory)"

# Control: conffiles, scripts, dependencies by name.
dpkg-deb -e "$deb" "$work/control"
grep -qxF /etc/csc-kiosk/office.toml "$work/control/conffiles" || fail "office.toml is not a conffile"
grep -qxF /etc/default/csc-kiosk "$work/control/conffiles" || fail "/etc/default/csc-kiosk is not a conffile"
for s in postinst prerm postrm; do [ -x "$work/control/$s" ] || fail "no executable $s"; done
grep -q 'adduser --system' "$work/control/postinst" || fail "the postinst makes no system user"
grep -q 'rm -rf /var/lib/csc-kiosk' "$work/control/postrm" || fail "purge leaves the store"
depends=$(dpkg-deb -f "$deb" Depends)
for d in 'libsqlite3-0' 'libusb-1\.0-0' 'libglfw3' 'libnats3\.[0-9]+' 'libsodium23' 'adduser' 'cage' 'xwayland' 'fonts-dejavu-core'; do
  echo "$depends" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qxE "$d" || fail "Depends lacks $d: $depends"
done
[ "$(dpkg-deb -f "$deb" Package)" = csc-kiosk ] || fail "package name"

# lintian, against the tags explained in packaging/lintian-expected.txt.
lintian --no-tag-display-limit "$deb" > "$work/lintian.txt" 2>&1 || true
sed -n 's/^[EWI]: csc-kiosk[^:]*: \([a-z0-9-]*\).*/\1/p' "$work/lintian.txt" | sort -u > "$work/tags"
sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$src/packaging/lintian-expected.txt" | awk '{print $1}' | sort -u > "$work/expected"
unexplained=$(comm -23 "$work/tags" "$work/expected")
gone=$(comm -13 "$work/tags" "$work/expected")
[ -z "$unexplained" ] || { grep -F -f <(echo "$unexplained") "$work/lintian.txt" >&2; fail "lintian tags not explained: $unexplained"; }
[ -z "$gone" ] || fail "explained lintian tags that no longer appear (remove them from packaging/lintian-expected.txt): $gone"
echo "lintian: $(wc -l < "$work/tags") tags, each explained in packaging/lintian-expected.txt"

# The units, in the unpacked package (the programs they start must exist there: cage comes
# from its own package, so a stand-in is put beside them; systemd's own units come from this
# machine's systemd).
dpkg-deb -x "$deb" "$work/root"
cp -rn /lib/systemd/system/. "$work/root/lib/systemd/system/"
mkdir -p "$work/root/usr/sbin" "$work/root/usr/bin"
mkdir -p "$work/root/bin"
for p in /usr/bin/cage /usr/sbin/nats-server /bin/kill; do [ -e "$work/root$p" ] || { printf '#!/bin/sh\n' > "$work/root$p"; chmod 755 "$work/root$p"; }; done
# The export helper is a template started per connection: verified as an instance of it.
cp "$work/root/lib/systemd/system/csc-kiosk-export@.service" "$work/root/lib/systemd/system/csc-kiosk-export@0.service"
for u in csc-kiosk.service csc-kiosk-web.service csc-nats.service csc-kiosk-export.socket csc-kiosk-export@0.service; do
  if ! out=$(systemd-analyze verify --root="$work/root" "$work/root/lib/systemd/system/$u" 2>&1); then
    echo "$out" >&2
    fail "systemd-analyze verify refuses $u"
  fi
  # verify prints problems it does not fail on; our units must have none of their own.
  if echo "$out" | grep -F "$u" >&2; then fail "systemd-analyze verify complains about $u"; fi
done
echo "systemd-analyze verify: 5 units clean (the export helper's socket and an instance of its service among them)"

# The manual page: groff reads it without a warning, and it names every command of `kiosk --help`.
zcat "$work/root/usr/share/man/man1/kiosk.1.gz" > "$work/kiosk.1"
if warnings=$(groff -man -ww -z -Tutf8 "$work/kiosk.1" 2>&1) && [ -z "$warnings" ]; then :; else
  echo "$warnings" >&2; fail "groff warns about the manual page"; fi
commands=$("$work/root/usr/bin/kiosk" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF {print $1}')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "kiosk --help lists too few commands: $commands"
for c in $commands; do
  grep -A1 -xF '.TP' "$work/kiosk.1" | grep -qxF ".B ${c//-/\\-}" || fail "the manual page has no entry for \"kiosk $c\""
done
echo "manual page: $(echo "$commands" | wc -l) commands, each described"

# The polkit rule: as polkitd runs it (a JavaScript function per request), it grants the
# screens' user reboot and power-off, and nothing else to anyone.
command -v node >/dev/null || fail "node is missing (the polkit rule is checked with it)"
node -e '
  const fs = require("fs"); let rule = null;
  const polkit = { Result: { YES: "yes", NOT_HANDLED: null }, addRule: f => { rule = f; } };
  new Function("polkit", fs.readFileSync(process.argv[1], "utf8"))(polkit);
  const ask = (user, id) => rule({ id }, { user });
  const want = [["csc-kiosk", "org.freedesktop.login1.reboot", "yes"], ["csc-kiosk", "org.freedesktop.login1.power-off", "yes"],
                ["csc-kiosk", "org.freedesktop.login1.power-off-multiple-sessions", "yes"],
                ["csc-kiosk", "org.freedesktop.udisks2.filesystem-mount", null], ["csc-kiosk", "org.freedesktop.udisks2.filesystem-mount-system", null],
                ["csc-kiosk", "org.freedesktop.udisks2.modify-device", null], ["csc-kiosk", "org.freedesktop.systemd1.manage-units", null],
                ["csc-nats", "org.freedesktop.login1.reboot", null], ["mario", "org.freedesktop.login1.power-off", null]];
  for (const [user, id, expected] of want)
    if (ask(user, id) !== expected) { console.error(`polkit rule: ${user} ${id}: ${ask(user, id)}, expected ${expected}`); process.exit(1); }
' "$work/root/usr/share/polkit-1/rules.d/50-csc-kiosk.rules" || fail "the polkit rule grants the wrong things"
echo "polkit rule: reboot and power-off for csc-kiosk only"
"$work/root/usr/bin/kiosk" --version >/dev/null || fail "the packaged program does not start"
echo "PASS"
