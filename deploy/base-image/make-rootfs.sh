#!/usr/bin/env bash
# Makes the root file system of our JRE base image from Debian packages, on this machine, as root:
#
#   debootstrap --variant=minbase (+ openjdk-17-jre-headless)   from the mirror and suite apt uses here
#     -> apt-get upgrade from the suite's -updates/-security companions   (security fixes of the JRE)
#     -> user tapline (10001) with /home/tapline and /var/lib/tapline, no login, no password
#     -> trimmed (docs but copyright files, man pages, locales, apt lists, logs, caches, /dev)
#     -> every mtime clamped to SOURCE_DATE_EPOCH                   (same packages, same layer digest)
#
#   deploy/base-image/make-rootfs.sh DIR      # DIR/rootfs is the result, DIR/rootfs.key what it was made from
#
# A rootfs made from the same key (suite, mirror, packages) is reused: delete DIR or set REFRESH=1 to remake.
# Overrides: DEBIAN_MIRROR, DEBIAN_SUITE (else read by debian-sources.sh), EXTRA_PACKAGES (comma separated),
# SOURCE_DATE_EPOCH (else the newest Date of the suites' Release files), UPGRADE=0 (skip the upgrade step).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: make-rootfs.sh DIR}"
[ "$(id -u)" -eq 0 ] || { echo "make-rootfs.sh: needs root (debootstrap, chroot, file ownership)" >&2; exit 1; }

sources="$("$here/debian-sources.sh")"
# The base suite is the first plain one (bookworm); its companions are "<suite>-updates", "<suite>-security".
suite="${DEBIAN_SUITE:-$(awk '$2 !~ /-/ { print $2; exit }' <<<"$sources")}"
mirror="${DEBIAN_MIRROR:-$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$sources")}"
if [ -z "$suite" ] || [ -z "$mirror" ]; then
  echo "make-rootfs.sh: no Debian 'deb ... main' source found in /etc/apt; set DEBIAN_MIRROR and DEBIAN_SUITE" >&2
  exit 1
fi
companions="$(awk -v s="$suite" 'index($2, s "-") == 1' <<<"$sources" | LC_ALL=C sort -u)"
packages="openjdk-17-jre-headless${EXTRA_PACKAGES:+,$EXTRA_PACKAGES}"
arch="$(dpkg --print-architecture)"
key="$(printf 'suite=%s\nmirror=%s\narch=%s\npackages=%s\nupgrade=%s\ncompanions=%s\n' \
  "$suite" "$mirror" "$arch" "$packages" "${UPGRADE:-1}" "$companions")"

mkdir -p "$out"
if [ "${REFRESH:-0}" != "1" ] && [ -d "$out/rootfs" ] && [ "$(cat "$out/rootfs.key" 2>/dev/null)" = "$key" ]; then
  echo "make-rootfs.sh: reusing $out/rootfs ($suite from $mirror)" >&2
  exit 0
fi

# Built beside the result and moved into place at the end: an interrupted run never looks like a cached one.
work="$out/rootfs.partial"
# A failed run (ours or debootstrap's) can leave proc, sysfs or a bind-mounted /dev inside the tree: unmount
# them all, deepest first, before anything is deleted, or rm -rf would reach into the host's /dev.
unmount_all() {
  findmnt -rn -o TARGET | awk -v w="$(realpath -m "$work")" 'index($0, w "/") == 1' | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}
trap unmount_all EXIT
unmount_all
rm -rf --one-file-system "$work"
echo "make-rootfs.sh: debootstrap $suite from $mirror with $packages" >&2
debootstrap --variant=minbase --arch="$arch" --include="$packages" "$suite" "$work" "$mirror" >"$out/debootstrap.log" 2>&1 \
  || { tail -20 "$out/debootstrap.log" >&2; exit 1; }

# Derived images stay small too: dpkg skips docs (but copyright files), man pages and translations from now on.
cat >"$work/etc/dpkg/dpkg.cfg.d/tapline-minimal" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
path-exclude=/usr/share/lintian/*
EOF

# apt in the image reads the same suites as this machine, so `apt-get install` in a derived image just works.
rm -f "$work/etc/apt/sources.list"
printf '%s %s\n%s\n' "$mirror" "$suite" "$companions" | awk 'NF == 2' | LC_ALL=C sort -u | while read -r uri s; do
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\n\n' "$uri" "$s"
done >"$work/etc/apt/sources.list.d/debian.sources"

if [ "${UPGRADE:-1}" = "1" ] && [ -n "$companions" ]; then
  echo "make-rootfs.sh: apt-get upgrade from $(awk '{ print $2 }' <<<"$companions" | paste -sd' ')" >&2
  mount -t proc proc "$work/proc"   # the JRE's postinst scripts run java, which needs /proc
  { chroot "$work" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$work" apt-get upgrade -y -qq; } \
    >>"$out/debootstrap.log" 2>&1 || { tail -20 "$out/debootstrap.log" >&2; exit 1; }
  umount "$work/proc"
fi

# The newest Release date of the suites used: the same package set gives the same epoch, hence the same layer.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH="$(sed -n 's/^Date: //p' "$work"/var/lib/apt/lists/*Release 2>/dev/null \
    | while read -r d; do date -u -d "$d" +%s; done | sort -n | tail -1)"
fi
SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}"
echo "$SOURCE_DATE_EPOCH" >"$out/source-date-epoch"

# The runtime user: fixed ids so Kubernetes' runAsUser/fsGroup and volume ownership can name them.
echo 'tapline:x:10001:10001:Tapline:/home/tapline:/usr/sbin/nologin' >>"$work/etc/passwd"
echo 'tapline:x:10001:' >>"$work/etc/group"
echo 'tapline:!*:::::::' >>"$work/etc/shadow"
echo 'tapline:!::' >>"$work/etc/gshadow"
install -d -o 10001 -g 10001 -m 0750 "$work/home/tapline" "$work/var/lib/tapline"
# pwconv stamped "last password change" with today: pin it to the epoch.
awk -F: -v OFS=: -v d="$((SOURCE_DATE_EPOCH / 86400))" '$3 != "" { $3 = d } 1' "$work/etc/shadow" >"$work/etc/shadow.new"
cat "$work/etc/shadow.new" >"$work/etc/shadow" && rm "$work/etc/shadow.new"

echo "make-rootfs.sh: trimming" >&2
find "${work:?}/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
find "${work:?}/usr/share/doc" -mindepth 1 -type d -empty -delete
rm -rf "${work:?}"/usr/share/man/* "${work:?}"/usr/share/info/* "${work:?}"/usr/share/lintian/* "${work:?}"/usr/share/bug/*
find "${work:?}/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
rm -rf "${work:?}"/var/lib/apt/lists/* "${work:?}"/var/cache/apt/* "${work:?}"/var/cache/debconf/*-old \
  "${work:?}"/var/lib/dpkg/*-old "${work:?}"/var/cache/ldconfig/aux-cache "${work:?}"/tmp/* "${work:?}"/var/tmp/* "${work:?}"/dev/*
find "${work:?}/var/log" -type f -delete
# Only used with heaps over 32 GB (no compressed oops); the JVM then starts without CDS, which is fine.
rm -f "${work:?}"/usr/lib/jvm/*/lib/server/classes_nocoops.jsa
# Set by the container runtime at start, never baked in.
rm -f "${work:?}/etc/hostname" "${work:?}/etc/resolv.conf"
: >"${work:?}/etc/machine-id"

# Clamp, do not set: files older than the epoch keep their time (as dpkg unpacked them).
find "$work" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch --no-dereference --date="@$SOURCE_DATE_EPOCH"

rm -rf --one-file-system "$out/rootfs"
mv "$work" "$out/rootfs"
echo "$key" >"$out/rootfs.key"
echo "make-rootfs.sh: $out/rootfs ready ($(du -sh "$out/rootfs" | cut -f1), SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)" >&2
