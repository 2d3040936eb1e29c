#!/usr/bin/env bash
# Adds a class-data-sharing archive (AppCDS) to an app image that is already in a registry, recorded by that very
# image. The JVM then maps the classes it loads at start from the archive instead of reading, parsing and verifying
# them one by one: the apps start about a third faster (docs/benchmarks/2026-12-03-start.md).
#
#   deploy/appcds/add-appcds.sh localhost:5001/tapline/forwarder:0.1.0
#   deploy/appcds/add-appcds.sh localhost:5001/tapline/goproxy:0.1.0 --env REVERSE_PROXY_HOST=127.0.0.1 \
#     --env REVERSE_PROXY_PORT=5000 --env APP_LABEL=appcds --env FORWARDER_ADDR=127.0.0.1:8888
#
# Options after the image go to `docker run` for the recording start: goproxy needs its required variables there
# (any valid values: nothing is reached, the container has no network).
#
# Why this way: an archive only fits the exact JVM build and jars it was recorded with (a different JVM, or a jar
# with another size or date, and the JVM ignores it). So the image itself records it:
#   1. run the image once, its own entrypoint plus -XX:ArchiveClassesAtExit, with no network; wait for "started";
#   2. stop it: the JVM writes the archive as it exits;
#   3. add the archive as one more layer, in the image's working directory (skopeo + umoci, no Docker engine);
#   4. put -XX:SharedArchiveFile=<it> right after "java" in the entrypoint, and push the image back, same tag.
# Running it again on the same image records afresh and replaces the archive.
#
# Needs docker or podman (CONTAINER_CLI, default: whichever is installed, docker first), skopeo, umoci, jq. Not
# root, umoci inserts the layer --rootless; either way the archive is mode 0644, readable by the image's user.
# TLS_VERIFY=false|true as in push-base-image.sh (default false for
# localhost/127.0.0.1 registries, which serve plain HTTP here). WORK_DIR (default: a temporary directory).
set -euo pipefail
image="${1:?usage: add-appcds.sh IMAGE [docker run options...]}"
shift
for tool in skopeo umoci jq; do
  command -v "$tool" >/dev/null || { echo "add-appcds.sh: needs $tool (apt-get install skopeo umoci jq)" >&2; exit 1; }
done
cli="${CONTAINER_CLI:-$(command -v docker || command -v podman || true)}"
[ -n "$cli" ] || { echo "add-appcds.sh: needs docker or podman (or CONTAINER_CLI)" >&2; exit 1; }
case "$image" in localhost[:/]* | 127.0.0.1[:/]*) tls="${TLS_VERIFY:-false}" ;; *) tls="${TLS_VERIFY:-true}" ;; esac

work="${WORK_DIR:-$(mktemp -d)}"
trap '[ -n "${WORK_DIR:-}" ] || rm -rf "$work"' EXIT
layout="$work/oci"
rm -rf "$layout" "$work/train"
# the image user (10001) writes the archive here
mkdir -p -m 0777 "$work/train"
chmod 0777 "$work/train"

skopeo copy --quiet --src-tls-verify="$tls" "docker://$image" "oci:$layout:app"
config="$(skopeo inspect --config "oci:$layout:app")"
workdir="$(jq -r '.config.WorkingDir // "/"' <<<"$config")"
archive="${workdir%/}/app-cds.jsa"
# the entrypoint without an archive flag from an earlier run: ["java", jvm args..., "-jar", "quarkus-run.jar"]
mapfile -t entrypoint < <(jq -r '.config.Entrypoint[] | select(startswith("-XX:SharedArchiveFile=") | not)' <<<"$config")
[ "${#entrypoint[@]}" -ge 2 ] && [ "$(basename "${entrypoint[0]}")" = java ] \
  || { echo "add-appcds.sh: $image: the entrypoint does not start with java: ${entrypoint[*]:-none}" >&2; exit 1; }

# 1-2. record. The ports are the image's defaults, in a network namespace of its own: nothing else can collide.
name="tapline-appcds-$$"
"$cli" pull --tls-verify="$tls" "$image" >/dev/null 2>&1 || "$cli" pull "$image" >/dev/null
"$cli" run --detach --name "$name" --network none --volume "$work/train:/appcds-train" "$@" \
  --entrypoint "${entrypoint[0]}" "$image" \
  -XX:ArchiveClassesAtExit=/appcds-train/app-cds.jsa "${entrypoint[@]:1}" >/dev/null
stop() { "$cli" rm --force "$name" >/dev/null 2>&1 || true; }
trap 'stop; [ -n "${WORK_DIR:-}" ] || rm -rf "$work"' EXIT
# (the log goes through a file: `logs | grep -q` fails under pipefail when grep stops reading early)
started() { "$cli" logs "$name" >"$work/recording.log" 2>&1; grep -q ' started in ' "$work/recording.log"; }
for _ in $(seq 1 240); do
  started && break
  [ "$("$cli" inspect --format '{{.State.Running}}' "$name")" = true ] \
    || { cat "$work/recording.log" >&2; echo "add-appcds.sh: $image exited before it started" >&2; exit 1; }
  sleep 0.5
done
started || { cat "$work/recording.log" >&2; echo "add-appcds.sh: $image did not start within 120 s" >&2; exit 1; }
# a moment after "started": what the first seconds load is linked too, and so goes into the archive
sleep 2
"$cli" stop --time 60 "$name" >/dev/null
[ -s "$work/train/app-cds.jsa" ] \
  || { "$cli" logs "$name" >&2 || true; echo "add-appcds.sh: $image wrote no archive" >&2; exit 1; }
stop

# 3-4. one more layer, the flag, and back to the registry
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
rootless=(); [ "$(id -u)" -eq 0 ] || rootless=(--rootless)
chmod 0644 "$work/train/app-cds.jsa"
umoci insert "${rootless[@]}" --image "$layout:app" --history.created="$created" \
  --history.created_by="add-appcds.sh: class-data-sharing archive recorded by this image" \
  "$work/train/app-cds.jsa" "$archive"
flags=()
for arg in "${entrypoint[@]:1}"; do flags+=(--config.entrypoint="$arg"); done
umoci config --image "$layout:app" --no-history \
  --config.entrypoint="${entrypoint[0]}" --config.entrypoint="-XX:SharedArchiveFile=$archive" "${flags[@]}"
umoci gc --layout "$layout"
skopeo copy --quiet --dest-tls-verify="$tls" "oci:$layout:app" "docker://$image"
echo "add-appcds.sh: $image now starts with $archive ($(du -h "$work/train/app-cds.jsa" | cut -f1))" >&2
