#!/usr/bin/env bash
# Builds our JRE base image from Debian packages and pushes it: make-rootfs.sh, then push-base-image.sh.
# Both apps' images are built on it (quarkus.jib.base-jvm-image); no Docker Hub, no Docker engine needed.
#
#   deploy/registry/start-registry.sh 5001
#   deploy/base-image/build-base-image.sh                                   # localhost:5001/tapline/jre17:bookworm
#   deploy/base-image/build-base-image.sh registry.example:5000/tapline/jre17:bookworm
#
# Needs root and Debian's debootstrap, umoci, skopeo. The rootfs is cached in WORK_DIR (default
# deploy/target/base-image) and reused while suite, mirror and packages stay the same (REFRESH=1 remakes it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
image="${1:-localhost:${REGISTRY_PORT:-5001}/tapline/jre17:bookworm}"
work="${WORK_DIR:-$(cd "$here/.." && pwd)/target/base-image}"

for tool in debootstrap umoci skopeo; do
  command -v "$tool" >/dev/null || { echo "build-base-image.sh: needs $tool (apt-get install debootstrap umoci skopeo)" >&2; exit 1; }
done
"$here/make-rootfs.sh" "$work"
"$here/push-base-image.sh" "$work" "$image"
