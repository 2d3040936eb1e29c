#!/usr/bin/env bash
# Packs a rootfs made by make-rootfs.sh into a one-layer OCI image and pushes it to a registry:
#
#   DIR/rootfs --umoci insert--> DIR/oci (OCI layout) --skopeo copy--> docker://IMAGE
#
#   deploy/base-image/push-base-image.sh DIR IMAGE       # IMAGE e.g. localhost:5001/tapline/jre17:bookworm
#
# No Docker engine is needed. The image config: user tapline (10001), workdir /home/tapline, JAVA_HOME, LANG,
# OCI labels. Labels are inherited by the app images, which override title, description and version; so no
# "created" label here, it would be stale there. Every date is SOURCE_DATE_EPOCH (DIR/source-date-epoch):
# the same rootfs gives the same digest.
# TLS_VERIFY=false|true (default: false for localhost/127.0.0.1 registries, which serve plain HTTP here).
set -euo pipefail
dir="${1:?usage: push-base-image.sh DIR IMAGE}"
image="${2:?usage: push-base-image.sh DIR IMAGE}"
rootfs="$dir/rootfs"
[ -d "$rootfs" ] || { echo "push-base-image.sh: no $rootfs (run make-rootfs.sh first)" >&2; exit 1; }

case "$image" in localhost[:/]* | 127.0.0.1[:/]*) tls="${TLS_VERIFY:-false}" ;; *) tls="${TLS_VERIFY:-true}" ;; esac
epoch="$(cat "$dir/source-date-epoch" 2>/dev/null || echo 0)"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
arch="$(dpkg --print-architecture)"
jre="$(dpkg-query --admindir="$rootfs/var/lib/dpkg" -W -f='${Version}' openjdk-17-jre-headless)"
java_homes=("$rootfs"/usr/lib/jvm/java-17-openjdk-*/)
java_home="${java_homes[0]#"$rootfs"}"
suite="$(sed -n 's/^suite=//p' "$dir/rootfs.key" 2>/dev/null || true)"

layout="$dir/oci"
rm -rf "$layout"
umoci init --layout "$layout"
umoci new --image "$layout:base"
# One layer holding the whole tree; umoci walks it in sorted order and keeps owners, modes and (clamped) mtimes.
umoci insert --image "$layout:base" --history.created="$created" \
  --history.created_by="debootstrap --variant=minbase $suite + openjdk-17-jre-headless $jre" "$rootfs" /
umoci config --image "$layout:base" --created="$created" --no-history \
  --os=linux --architecture="$arch" \
  --config.user=10001:10001 --config.workingdir=/home/tapline \
  --config.env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --config.env="JAVA_HOME=${java_home%/}" --config.env="LANG=C.UTF-8" \
  --config.cmd=java --config.cmd=-version \
  --config.label="org.opencontainers.image.title=tapline-jre17" \
  --config.label="org.opencontainers.image.description=Debian $suite minbase with openjdk-17-jre-headless, user tapline (10001)" \
  --config.label="org.opencontainers.image.version=$jre"
umoci gc --layout "$layout"

skopeo copy --quiet --dest-tls-verify="$tls" "oci:$layout:base" "docker://$image"
echo "push-base-image.sh: pushed $image (openjdk $jre, created $created)" >&2
