#!/usr/bin/env bash
# The install test (issue 14 point 8): in a fresh Debian 12 root made here (debootstrap
# minbase), the package installs with its dependencies from Debian, makes its system user and
# store, and the installed program records a ticket with its installed defaults
# (/etc/csc-kiosk, /var/lib/csc-kiosk); it upgrades over itself keeping the store and the
# administrator's edit of the configuration; it purges leaving nothing of its own behind.
# Needs root (chroot) and Debian's mirror (CSC_DEBIAN_MIRROR, default deb.debian.org).
# Usage: test_install.sh BUILD_DIR
set -euo pipefail
build=$1
mirror=${CSC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
fail() { echo "FAIL: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "the install test needs root (it makes a Debian root and chroots into it)"
for tool in cpack debootstrap chroot; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install it: packaging/debian-packages.txt)"
done
work=$(mktemp -d /tmp/csc-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }
as_kiosk() { in_root runuser -u csc-kiosk -- /usr/bin/env CSC_NOW=2026-11-26T10:00 "$@"; }
waiting() { as_kiosk kiosk status --json | python3 -c 'import json,sys; print(sum(s["waiting"] for s in json.load(sys.stdin)["sectors"]))'; }
t0=$SECONDS

(cd "$build" && cpack -G DEB -B "$work/out" --config CPackConfig.cmake >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/out/csc-kiosk_*.deb | head -1)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
echo "fresh Debian 12 root: $((SECONDS - t0)) s"
cp "$deb" "$root/tmp/csc-kiosk.deb"

# Install, with its dependencies from Debian.
t1=$SECONDS
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; fail "apt-get update in the root"; }
in_root apt-get install -y -qq --no-install-recommends /tmp/csc-kiosk.deb >>"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; fail "install"; }
echo "install with dependencies: $((SECONDS - t1)) s ($(grep -c '^Setting up' "$work/apt.log") packages)"
! grep -i "warning" "$work/apt.log" | grep -i "csc\|adduser" >&2 || fail "the install warned (above)"
in_root id csc-kiosk >/dev/null || fail "no system user csc-kiosk"
[ "$(in_root stat -c '%U %a' /var/lib/csc-kiosk)" = "csc-kiosk 700" ] || fail "/var/lib/csc-kiosk is $(in_root stat -c '%U %a' /var/lib/csc-kiosk)"
for f in /usr/bin/kiosk /etc/csc-kiosk/office.toml /etc/default/csc-kiosk /lib/systemd/system/csc-kiosk.service; do
  [ -e "$root$f" ] || fail "$f not installed"
done
# The installed program, with no --config or --data: the package's places.
as_kiosk kiosk issue --sector protocollo >/dev/null || fail "the installed program could not issue a ticket"
[ -f "$root/var/lib/csc-kiosk/office.db" ] || fail "the ticket is not in /var/lib/csc-kiosk"
[ "$(waiting)" = 1 ] || fail "the store does not hold the ticket"

# Upgrade over itself: the store and the administrator's edit stay.
echo "# edited by the office's administrator" >> "$root/etc/csc-kiosk/office.toml"
in_root dpkg -i /tmp/csc-kiosk.deb >"$work/upgrade.log" 2>&1 || { cat "$work/upgrade.log" >&2; fail "upgrade over itself"; }
tail -1 "$root/etc/csc-kiosk/office.toml" | grep -q "edited by the office's administrator" || fail "the upgrade lost the edited configuration"
[ "$(waiting)" = 1 ] || fail "the upgrade lost the store"
echo "upgrade over itself: store and edited configuration kept"

# Purge: nothing of its own is left (the system users stay, as Debian does).
in_root apt-get purge -y -qq csc-kiosk >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "purge"; }
for f in /usr/bin/kiosk /usr/share/csc-kiosk /etc/csc-kiosk /etc/default/csc-kiosk /var/lib/csc-kiosk /var/lib/csc-nats \
         /lib/systemd/system/csc-kiosk.service /lib/udev/rules.d/60-csc-kiosk-printer.rules /usr/share/doc/csc-kiosk; do
  [ ! -e "$root$f" ] || fail "$f is left after purge"
done
! in_root dpkg -s csc-kiosk >/dev/null 2>&1 || fail "dpkg still knows csc-kiosk after purge"
echo "purge: nothing left; whole test $((SECONDS - t0)) s"
echo "PASS"
